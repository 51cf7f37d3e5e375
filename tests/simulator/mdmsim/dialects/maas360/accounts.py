"""IBM MaaS360 customer-account provisioning under a partner billing id (a part of the MaaS360 dialect).

Source: maas360-web-services-getting-started.txt, "API Calls": form-encoded POSTs to
/account-provisioning/account/1.0/createCustomerAccount/{billingId} (Service MDM, billingId, accountType Trial or
Customer, accountName, adminEmailAddress) and .../checkAccountNameAvailability/{billingId} (accountName), with the
token header of every call; NOTES.md: replies carry errorCode (0 = ok) and errorDesc.

UNVERIFIED (the reference's "Result" of both calls is a missing screenshot): the reply bodies.  Both are answered
here with HTTP 200 and {"errorCode", "errorDesc"} (JSON when asked for, else XML), errorCode 0 meaning "available" /
"created"; a taken name is errorCode 1; a missing or invalid field is HTTP 400 with the same two fields.  Account
names are compared without regard to case (unverified).

The accounts live in the simulator only: every partner's (any billing id) in one name space, as names are checked
for availability across MaaS360.  The admin API lists them and adds accounts of other partners (GET / POST
/maas360/accounts), so that tests can take a name "by someone else".
"""

import json
from xml.sax.saxutils import escape

from mdmsim.dialects.base import Part, Response, json_response

ACCOUNTS_PREFIX = '/account-provisioning/account/1.0/'
ACCOUNT_TYPES = ('Trial', 'Customer')
TAKEN_CODE = 1


class Accounts(Part):
    """Handlers of the two account-provisioning calls (the dialect's routes, behind its token check)."""

    def __init__(self, dialect):
        super().__init__(dialect)
        # {lower-case name: account} of every partner; guarded by the state lock.
        self.accounts = {}

    @staticmethod
    def form(request):
        """The form fields, or None when the body is not form-encoded."""
        if 'x-www-form-urlencoded' not in request.header('Content-Type'):
            return None
        return dict((key, values[0]) for key, values in request.form().items() if values)

    def account_reply(self, request, status, code, description):
        fields = {'errorCode': code, 'errorDesc': description}
        if request.wants_json():
            return json_response(status, fields, authenticated=True)
        inner = ''.join('<%s>%s</%s>' % (key, escape(str(value)), key) for key, value in fields.items())
        return Response(status, '<?xml version="1.0" encoding="UTF-8"?><response>%s</response>' % inner,
                        content_type='application/xml;charset=UTF-8', authenticated=True)

    def check_availability(self, request):
        form = self.form(request)
        if form is None:
            return self.account_reply(request, 400, 400, 'Content-Type must be application/x-www-form-urlencoded')
        name = (form.get('accountName') or '').strip()
        if not name:
            return self.account_reply(request, 400, 400, 'accountName is required')
        with self.state.lock:
            taken = name.lower() in self.accounts
        if taken:
            return self.account_reply(request, 200, TAKEN_CODE, 'Account name is not available')
        return self.account_reply(request, 200, 0, 'Account name is available')

    def create_account(self, request):
        form = self.form(request)
        if form is None:
            return self.account_reply(request, 400, 400, 'Content-Type must be application/x-www-form-urlencoded')
        billing_id = request.params['billing_id'].strip('/')
        missing = [key for key in ('Service', 'billingId', 'accountType', 'accountName', 'adminEmailAddress')
                   if not (form.get(key) or '').strip()]
        if missing:
            return self.account_reply(request, 400, 400, 'Missing parameter: %s' % ', '.join(missing))
        if form['billingId'] != billing_id:
            return self.account_reply(request, 400, 400, 'billingId does not match the billing id of the request')
        if form['accountType'] not in ACCOUNT_TYPES:
            return self.account_reply(request, 400, 400, 'Invalid accountType: allowed values are Trial, Customer')
        name = form['accountName'].strip()
        with self.state.lock:
            if name.lower() in self.accounts:
                return self.account_reply(request, 200, TAKEN_CODE, 'Account name is not available')
            self.accounts[name.lower()] = {'accountName': name, 'partnerBillingId': billing_id,
                                           'accountType': form['accountType'], 'service': form['Service'],
                                           'adminEmailAddress': form['adminEmailAddress']}
            self.state.record_action(self.name, 'create_customer_account', None, account_name=name,
                                     account_type=form['accountType'], partner_billing_id=billing_id)
        return self.account_reply(request, 200, 0, 'Customer account created')

    # -- admin API ---------------------------------------------------------------------------------------------
    def admin_routes(self):
        def list_accounts(_vendor, _query, _body):
            with self.state.lock:
                return 200, sorted((dict(account) for account in self.accounts.values()), key=lambda a: a['accountName'].lower())

        def add_account(_vendor, _query, body):
            spec = json.loads(body or b'{}')
            name = str(spec['accountName']).strip()
            with self.state.lock:
                if name.lower() in self.accounts:
                    raise ValueError('account name %s is taken' % name)
                self.accounts[name.lower()] = {'accountName': name, 'partnerBillingId': str(spec['partnerBillingId']),
                                               'accountType': spec.get('accountType', 'Customer'),
                                               'service': spec.get('service', 'MDM'),
                                               'adminEmailAddress': spec.get('adminEmailAddress', 'admin@example.com')}
            return 200, {'added': name}

        return {('GET', '/maas360/accounts'): list_accounts, ('POST', '/maas360/accounts'): add_account}
