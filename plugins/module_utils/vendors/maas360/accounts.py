# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM MaaS360 customer-account provisioning under a partner billing id (mdm_account, mdm_account_info).

Source: the vendor reference ``maas360-web-services-getting-started.txt``, section "API Calls", and NOTES.md
("Account provisioning"): two form-encoded POSTs under the partner's billing id,

- ``/account-provisioning/account/1.0/checkAccountNameAvailability/{billingId}`` with ``accountName``;
- ``/account-provisioning/account/1.0/createCustomerAccount/{billingId}`` with ``Service`` (``MDM`` in the
  reference), ``billingId``, ``accountType`` (``Trial`` / ``Customer``), ``accountName``, ``adminEmailAddress``.

The references document no call that lists, reads, changes or deletes a customer account, and they do not show
the body of either reply (the "Result" of both calls is a screenshot missing from the text).  NOTES.md says the
MaaS360 replies carry ``errorCode`` (0 = ok) and ``errorDesc``; that is all this module reads from them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import ACCOUNT_ADMIN_EMAIL, ACCOUNT_NAME, ACCOUNT_SERVICE, ACCOUNT_TYPE
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.device import text_or_none

AVAILABILITY_PATH = '/account-provisioning/account/1.0/checkAccountNameAvailability/%s'
CREATE_PATH = '/account-provisioning/account/1.0/createCustomerAccount/%s'
ACCOUNT_TYPES = ('Trial', 'Customer')
# The reference's example value; the list of other services is not documented.
DEFAULT_SERVICE = 'MDM'
# The form field names exactly as the reference lists them ("Service" is written with a capital S there, every
# other name in camelCase): one place to change a name if a server disagrees.
FIELDS = {
    'service': 'Service',
    'billing_id': 'billingId',
    'account_type': 'accountType',
    'name': 'accountName',
    'admin_email': 'adminEmailAddress',
}
# UNVERIFIED (the reply bodies are not in the references): a name is available when the availability reply's
# errorCode is 0, taken when it is another code in an HTTP 200 reply; a 4xx is a refused request.
OK_CODE = '0'
# UNVERIFIED: words of an errorDesc saying that a name is in use ("Account name is not available", ...).
TAKEN_HINTS = ('not available', 'unavailable', 'taken', 'exist', 'in use', 'already')
FORM_HEADERS = {'Content-Type': 'application/x-www-form-urlencoded'}
# A plain syntax check of the admin e-mail (the server's own rules are not documented): one "@", no blanks.
EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')


def check_account_name(name):
    """An account name, stripped; InvalidInputError (key ACCOUNT_NAME) when it is empty."""
    text = str(name).strip() if name is not None else ''
    if not text:
        raise InvalidInputError('an account name must not be empty', option=ACCOUNT_NAME)
    return text


class MaaS360Accounts(Capability):
    """Customer accounts of a MaaS360 partner: the name availability check and the account creation."""

    def customer_account_form(self, name, account_type, admin_email, service=DEFAULT_SERVICE):
        """The createCustomerAccount form for these options; InvalidInputError before any request when one is wrong."""
        name = check_account_name(name)
        if account_type not in ACCOUNT_TYPES:
            raise InvalidInputError('unknown account type %r' % (account_type,), option=ACCOUNT_TYPE, allowed=ACCOUNT_TYPES)
        email = str(admin_email).strip() if admin_email is not None else ''
        if not EMAIL.match(email):
            raise InvalidInputError('%r is not an e-mail address' % (email,), option=ACCOUNT_ADMIN_EMAIL)
        service = str(service).strip() if service is not None else ''
        if not service:
            raise InvalidInputError('a service must not be empty (the reference uses MDM)', option=ACCOUNT_SERVICE)
        if not self.session.billing_id:
            raise InvalidInputError('the partner billing id is needed', option='billing_id')
        return {
            FIELDS['service']: service,
            FIELDS['billing_id']: self.session.billing_id,
            FIELDS['account_type']: account_type,
            FIELDS['name']: name,
            FIELDS['admin_email']: email,
        }

    @staticmethod
    def check_account_name(name):
        """An account name, stripped; InvalidInputError (key ACCOUNT_NAME) when it is not one."""
        return check_account_name(name)

    @staticmethod
    def account_of(form):
        """The neutral account (name, account_type, service, admin_email) a customer_account_form() creates."""
        return dict(name=form[FIELDS['name']], account_type=form[FIELDS['account_type']], service=form[FIELDS['service']],
                    admin_email=form[FIELDS['admin_email']])

    def account_reply(self, response, operation):
        """``(errorCode as text or None, errorDesc or None, the other fields)`` of an account-provisioning reply."""
        data = self.session.read_reply(response, operation)
        if not isinstance(data, dict):
            raise self.session.bad_response('the reply is not an object', operation, response)
        # A reply wrapped in one named element (as the XML form always is, and the authentication reply is in JSON).
        if 'errorCode' not in data and len(data) == 1 and isinstance(list(data.values())[0], dict):
            data = list(data.values())[0]
        if 'errorCode' not in data:
            raise self.session.bad_response('the reply has no errorCode', operation, response)
        code = text_or_none(data.get('errorCode'))
        rest = dict((key, value) for key, value in data.items() if key not in ('errorCode', 'errorDesc'))
        return code, text_or_none(data.get('errorDesc')), rest

    def account_name_available(self, name):
        """``(available, the server's errorDesc)`` for one account name.  The call changes nothing, so it is safe to
        repeat after a lost reply (and it is sent in check mode)."""
        name = check_account_name(name)
        operation = 'check the availability of account name %r' % name
        response = self.session.call('POST', AVAILABILITY_PATH % self.session.billing_path, operation, headers=FORM_HEADERS,
                                     data={FIELDS['name']: name}, safe=True)
        code, description, _rest = self.account_reply(response, operation)
        if code == OK_CODE:
            return True, description
        # Any other errorCode may be "taken" or a failure of the call itself (the codes are not documented): only a
        # description that says the name is in use counts as taken; anything else fails instead of passing for taken.
        if description and any(hint in description.lower() for hint in TAKEN_HINTS):
            return False, description
        raise MdmError('the server answered errorCode %s (%s): cannot tell whether the name is free' % (
            code, description or 'no description'), vendor=self.session.name, operation=operation, status=response.status,
            secrets=self.session.transport.secrets)

    def create_customer_account(self, form):
        """Send createCustomerAccount once (never again after a lost reply); returns the reply's fields beyond
        errorCode / errorDesc.  An errorCode other than 0 raises MdmError with the server's errorDesc."""
        operation = 'create customer account %r' % form[FIELDS['name']]
        response = self.session.call('POST', CREATE_PATH % self.session.billing_path, operation, headers=FORM_HEADERS, data=dict(form), safe=False)
        code, description, rest = self.account_reply(response, operation)
        if code != OK_CODE:
            raise MdmError('the server refused the account: %s (errorCode %s)' % (description or 'no reason given', code),
                           vendor=self.session.name, operation=operation, status=response.status, secrets=self.session.transport.secrets)
        return rest
