"""IBM MaaS360 web services.

Sources: maas360-web-services-getting-started.txt (auth request, token header, 60 minute token, v1 search path),
NOTES.md (auth reply fields, Accept: application/json, v2 search, paging, filters, single-object quirk),
and the public sample search output in IBM's resilient-community-apps fn_maas360 README (record field names).
"""

import json
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from mdmsim.dialects.base import ANY_METHOD, Dialect, Response, Route, RouteTable, int_arg, json_response, seed_digest
from mdmsim.dialects.maas360.accounts import ACCOUNTS_PREFIX, Accounts
from mdmsim.dialects.maas360.actions import ACTION_PREFIX, ACTION_VERBS, CHECK_STATUS_VERB, Actions
from mdmsim.dialects.maas360.users import USERS_PREFIX, Users

AUTH_PREFIX = '/auth-apis/auth/1.0/authenticate/'
SEARCH_V2_PREFIX = '/device-apis/devices/2.0/search/customer/'
SEARCH_V1_PREFIX = '/device-apis/devices/1.0/search/'
# Every path ends in the billing id (NOTES.md); it is checked against the session by the token guard.
BILLING = '{billing_id:path}'
# NOTES.md: groups GET /group-apis/group/1.0/groups/customer/{billingID}; the devices of a group
# /device-apis/devices/2.0/searchByDeviceGroup/customer/{billingID}. Unverified beyond the paths: the group
# record fields (groupID, groupName, groupType 2 = device group), the deviceGroupId parameter and a reply shaped
# like the device search's.
GROUPS_PREFIX = '/group-apis/group/1.0/groups/customer/'
SEARCH_BY_GROUP_PREFIX = '/device-apis/devices/2.0/searchByDeviceGroup/customer/'
DEVICE_GROUP_TYPE = 2
# NOTES.md: pageSize in {25, 50, 100, 200, 250}, pageNumber from 1.
PAGE_SIZES = (25, 50, 100, 200, 250)
# Unverified: the default page size when pageSize is absent is not documented in our sources.
DEFAULT_PAGE_SIZE = 50
# Unverified: no public document we could reach lists MaaS360's authentication error codes or the HTTP status of a
# refused login. NOTES.md says the reply carries errorCode (0 = ok) and errorDesc, so a refused login is answered
# here with an authResponse envelope, HTTP 200 and a non-zero errorCode. Change these two constants if that is wrong.
AUTH_FAILURE_STATUS = 200
AUTH_FAILURE_CODE = 1
AUTH_FIELDS = ('billingID', 'platformID', 'appID', 'appVersion', 'appAccessKey', 'userName', 'password')
# The build in brackets after the version in osName ("Android 6.0.1 (MMB29M)" in IBM's fn_maas360 README).
OS_BUILD = 'SP1A.210812.016'
PLATFORM_NAMES = {'ios': 'iOS', 'android': 'Android', 'windows': 'Windows', 'macos': 'Mac', 'other': 'Others'}
OWNERSHIP = {'company': 'Corporate Owned', 'employee': 'Employee Owned', 'unknown': ''}
# deviceStatus values Active / Inactive: NOTES.md. The maas360ManagedStatus strings other than "Enrolled"
# (seen in the public sample) are unverified.
STATUS = {'active': ('Active', 'Enrolled'), 'pending': ('Active', 'Not Enrolled'),
          'retired': ('Inactive', 'Control Removed'), 'wiped': ('Inactive', 'Device Wiped')}


def _iso(epoch):
    # Public sample: "lastReported": "2019-04-23T16:11:23" (no zone).
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%S')


class MaaS360(Dialect):
    """IBM MaaS360: XML or JSON by the Accept header, a token per login, the billing id at the end of every path."""

    name = 'maas360'
    parts = (('actions', Actions), ('accounts', Accounts), ('users', Users))
    device_id_key = 'maas360'
    routes = RouteTable(
        Route('POST', AUTH_PREFIX + BILLING, 'authenticate'),
        Route('GET', SEARCH_V2_PREFIX + BILLING, 'search', guard='token_guard'),
        Route('GET', SEARCH_V1_PREFIX + BILLING, 'search', guard='token_guard'),
        Route('GET', GROUPS_PREFIX + BILLING, 'groups', guard='token_guard'),
        Route('GET', SEARCH_BY_GROUP_PREFIX + BILLING, 'search_by_group', guard='token_guard'),
        *(Route('POST', ACTION_PREFIX + verb + '/' + BILLING, 'actions.device_action', guard='token_guard', verb=verb)
          for verb in ACTION_VERBS),
        Route('GET', ACTION_PREFIX + CHECK_STATUS_VERB + '/' + BILLING, 'actions.check_action_status', guard='token_guard'),
        Route('POST', ACCOUNTS_PREFIX + 'createCustomerAccount/' + BILLING, 'accounts.create_account', guard='token_guard'),
        Route('POST', ACCOUNTS_PREFIX + 'checkAccountNameAvailability/' + BILLING, 'accounts.check_availability',
              guard='token_guard'),
        Route('GET', USERS_PREFIX + BILLING, 'users.search', guard='token_guard'),
        Route(ANY_METHOD, USERS_PREFIX + BILLING, 'method_not_allowed'),
    )
    token_ttl = 3600  # maas360-web-services-getting-started.txt: a token lives 60 minutes
    login_prefixes = ('/auth-apis/',)
    reply_forms = ('refused_login_200', 'refused_login_500', 'refused_login_401')
    secret_fields = ('password', 'appAccessKey', 'authToken')
    authorization_schemes = (('maas token=', 'MaaS token="<redacted>"'),)
    # The billing id ends the path: matched as sent (a trailing slash is the token guard's to judge).
    strip_trailing_slash = False

    @classmethod
    def configure(cls, state):
        digest = seed_digest(state.seed)
        return {'billing_id': '3%07d' % (int(digest[:8], 16) % 10000000), 'username': 'fleetops_SO',
                'password': state.secret('maas360_password'), 'app_id': 'com.fleetops.mdm.sim', 'app_version': '1.0',
                'platform_id': 3, 'app_access_key': state.secret('maas360_app_access_key')}

    def flavours(self, url_of, ca_path):
        return {self.name: {'vendor': self.name, 'url': url_of(self.name), **self.config, 'ca_path': ca_path}}

    def admin_routes(self):
        return self.accounts.admin_routes()

    def admin_users(self):
        return self.users.admin_users()

    def error_body(self, request):
        # MaaS360 replies carry errorCode / errorDesc (getting-started guide, authResponse); device actions an
        # actionResponse with actionStatus 1 (NOTES.md).
        if ACTION_PREFIX in request.path and request.method == 'POST':
            body = {'actionResponse': {'maas360DeviceID': request.form().get('deviceId', ''), 'actionStatus': 1,
                                       'description': 'Internal error', 'actionID': None}}
        else:
            body = {'errorCode': 1001, 'errorDesc': 'Internal error'}
        return json_response(200, body)

    def unmatched(self, request):
        return self.error(request, 404, 'Resource not found')

    def method_not_allowed(self, request):
        return self.error(request, 405, 'Method not allowed')

    def render(self, logical):
        device_status, managed = STATUS[logical['status']]
        compliance = 'In Compliance' if logical['compliant'] else 'Out of Compliance'
        user = logical['user']
        imei = logical['imei'] or ''
        if imei and logical['index'] % 2:
            imei = int(imei)  # NOTES.md: numbers such as imeiEsn may arrive as numbers or strings.
        record = {
            'maas360DeviceID': self.device_id(logical),
            'deviceName': logical['name'],
            'customAssetNumber': '',
            'ownership': OWNERSHIP[logical['ownership']],
            'deviceOwner': user['display_name'] if logical['ownership'] == 'employee' else '',
            'username': user['username'],
            'emailAddress': user['email'],
            'userDomain': user['email'].split('@')[1],
            'platformName': PLATFORM_NAMES[logical['platform']],
            'sourceID': 1,
            'deviceType': logical['device_type'],
            'manufacturer': logical['manufacturer'],
            'model': logical['model'],
            'osName': '%s %s' % (PLATFORM_NAMES[logical['platform']], logical['os_version']),
            'osServicePack': '',
            'osVersion': logical['os_version'],
            'imeiEsn': imei,
            'udid': logical['udid'],
            # The serial number field of public MaaS360 API clients (not in the reference's sample record).
            'platformSerialNumber': logical['serial'],
            'wifiMacAddress': logical['wifi_mac'],
            'phoneNumber': logical['phone'],
            'installedDate': _iso(logical['enrolled']),
            'installedDateInEpochms': logical['enrolled'] * 1000,
            'lastReported': _iso(logical['last_seen']),
            'lastReportedInEpochms': logical['last_seen'] * 1000,
            'deviceStatus': device_status,
            'maas360ManagedStatus': managed,
            'policyComplianceState': compliance,
            'ruleComplianceState': compliance,
            'appComplianceState': 'In Compliance',
            'passcodeCompliance': 'Compliant' if logical['compliant'] else 'Not Compliant',
            'encryptionStatus': 'Encryption Complete',
            'jailbreakStatus': 'No',
            'selectiveWipeStatus': 'N/a',
            'isSupervisedDevice': logical['platform'] == 'ios' and logical['ownership'] == 'company',
            'testDevice': False,
        }
        if logical['index'] % 5 == 0:
            # NOTES.md "What real servers send": records with osName (with the build in brackets) and no osVersion.
            record['osName'] = '%s %s (%s)' % (PLATFORM_NAMES[logical['platform']], logical['os_version'], OS_BUILD)
            del record['osVersion']
        return record

    # -- authentication -----------------------------------------------------------------------------------------
    def _auth_values(self, request):
        text = request.body.decode('utf-8', 'replace').strip()
        if text.startswith('{'):
            data = json.loads(text)
            node = data.get('authRequest', data).get('maaS360AdminAuth', data.get('authRequest', data))
            return {key: str(node.get(key, '')) for key in AUTH_FIELDS}
        root = ET.fromstring(text)
        return {key: (root.findtext('.//%s' % key) or '').strip() for key in AUTH_FIELDS}

    def authenticate(self, request):
        billing_id = request.params['billing_id']
        try:
            values = self._auth_values(request)
        except (ValueError, AttributeError, ET.ParseError):
            return self.error(request, 400, 'Malformed authRequest')
        expected = {'billingID': self.config['billing_id'], 'platformID': str(self.config['platform_id']),
                    'appID': self.config['app_id'], 'appVersion': self.config['app_version'],
                    'appAccessKey': self.config['app_access_key'], 'userName': self.config['username'],
                    'password': self.config['password']}
        if billing_id != expected['billingID'] or values != expected:
            return self.refuse_login(request)
        # Token shape as in the reference example: 4d6d2190-ae0d-4a4e-93cc-95c782d6f376-CBHbmPO
        rng = self.state.token_rng
        token = '%s-%s' % (uuid.UUID(int=rng.getrandbits(128), version=4),
                           ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') for _unused in range(7)))
        self.state.issue_token(self.name, token)
        return self.auth_reply(request, 200, {'authToken': token, 'errorCode': 0})

    def refuse_login(self, request):
        """A refused login, in the form the run switched on (reply forms refused_login_200 / _500 / _401)."""
        form = self.state.reply_form(self.name)
        if form == 'refused_login_500':
            # IBM support ("How to test the Authentication API ..."): a login with another administrator's credentials
            # returns "Please provide the username used during login." with Response Code 500.  The body's envelope is
            # unverified: the simulator's error envelope carries the text.
            return self.error(request, 500, 'Please provide the username used during login.')
        if form == 'refused_login_401':
            return self.error(request, 401, 'Unauthorized: invalid credentials or app details')
        return self.auth_reply(request, AUTH_FAILURE_STATUS, {
            'errorCode': AUTH_FAILURE_CODE, 'errorDesc': 'Authentication failed: invalid credentials or app details'})

    def auth_reply(self, request, status, fields):
        if request.wants_json():
            return json_response(status, {'authResponse': fields})
        inner = ''.join('<%s>%s</%s>' % (key, escape(str(value)), key) for key, value in fields.items())
        return Response(status, '<?xml version="1.0" encoding="UTF-8"?><authResponse>%s</authResponse>' % inner,
                        content_type='application/xml;charset=UTF-8')

    def token_guard(self, request):
        """Every call but the login: a valid token, for the billing id that ends the path."""
        return self.check_token(request, request.params['billing_id'])

    def check_token(self, request, billing_id):
        value = request.header('Authorization').strip()
        token = None
        if value.startswith('MaaS token='):
            token = value[len('MaaS token='):].strip().strip('"')
        if not token or not self.state.token_valid(self.name, token):
            return self.error(request, 401, 'Unauthorized: authentication token is missing, invalid or expired')
        if billing_id.strip('/') != self.config['billing_id']:
            # getting-started: the billing account in the request is validated against the authenticated session.
            # The status code for a mismatch is unverified.
            return self.error(request, 403, 'Billing account context does not match the authenticated session', True)
        return None

    def error(self, request, status, message, authenticated=False):
        # Unverified: the body of MaaS360 error replies is not documented in our sources.
        if request.wants_json():
            return json_response(status, {'errorCode': status, 'errorDesc': message}, authenticated=authenticated)
        return Response(status, '<error><errorCode>%d</errorCode><errorDesc>%s</errorDesc></error>' % (status, escape(message)),
                        content_type='application/xml;charset=UTF-8', authenticated=authenticated)

    # -- groups ---------------------------------------------------------------------------------------------------
    def group_ids(self):
        names = sorted({label for entry in self.state.entries(self.name) for label in entry.logical['labels']})
        return dict((name, str(31000 + index)) for index, name in enumerate(names))

    def groups(self, request):
        groups = [{'groupID': group_id, 'groupName': name, 'groupType': DEVICE_GROUP_TYPE, 'description': ''}
                  for name, group_id in sorted(self.group_ids().items())]
        listed = groups[0] if len(groups) == 1 else groups  # the single-object quirk, as for devices
        if request.wants_json():
            return json_response(200, {'groups': {'group': listed}}, authenticated=True)
        parts = ['<?xml version="1.0" encoding="UTF-8"?><groups>']
        for group in groups:
            parts.append('<group>%s</group>' % ''.join('<%s>%s</%s>' % (k, escape(str(v)), k) for k, v in group.items()))
        parts.append('</groups>')
        return Response(200, ''.join(parts), content_type='application/xml;charset=UTF-8', authenticated=True)

    def search_by_group(self, request):
        wanted = request.arg('deviceGroupId')
        names = dict((group_id, name) for name, group_id in self.group_ids().items())
        if wanted not in names:
            return self.error(request, 404, 'Device group not found', True)
        members = [entry.record for entry in self.state.entries(self.name) if names[wanted] in entry.logical['labels']]
        return self.search(request, records=members)

    # -- search -------------------------------------------------------------------------------------------------
    def search(self, request, records=None):
        page_size = int_arg(request, 'pageSize', DEFAULT_PAGE_SIZE)
        page_number = int_arg(request, 'pageNumber', 1)
        if page_size not in PAGE_SIZES:
            return self.error(request, 400, 'Invalid pageSize: allowed values are 25, 50, 100, 200, 250', True)
        if page_number is None or page_number < 1:
            return self.error(request, 400, 'Invalid pageNumber: must be 1 or more', True)
        try:
            if records is None:
                self.state.listing_churn(self.name, self.render, lambda record: record['maas360DeviceID'])
                records = self.filtered(request)
        except ValueError as exc:
            return self.error(request, 400, str(exc), True)
        # Listing faults (state.ListingFaults): a capped page echoes the size it used, as the recorded search did.
        page, count, page_size = self.state.listing_page(self.name, records, page_size, page_number=page_number)
        devices = {'count': count, 'pageNumber': page_number, 'pageSize': page_size}
        if len(page) == 1:
            devices['device'] = page[0]  # NOTES.md: exactly one device on the page comes as an object, not a list.
        elif page:
            devices['device'] = page
        # Unverified: with no device on the page the "device" key is left out.
        if request.wants_json():
            return json_response(200, {'devices': devices}, authenticated=True)
        return Response(200, self.to_xml(devices), content_type='application/xml;charset=UTF-8', authenticated=True)

    @staticmethod
    def to_xml(devices):
        parts = ['<?xml version="1.0" encoding="UTF-8"?><devices>']
        for key in ('count', 'pageNumber', 'pageSize'):
            parts.append('<%s>%s</%s>' % (key, devices[key], key))
        listed = devices.get('device', [])
        for record in [listed] if isinstance(listed, dict) else listed:
            parts.append('<device>')
            for key, value in record.items():
                text = str(value).lower() if isinstance(value, bool) else str(value)
                parts.append('<%s>%s</%s>' % (key, escape(text), key))
            parts.append('</device>')
        parts.append('</devices>')
        return ''.join(parts)

    def filtered(self, request):
        exact = request.arg('match', '0') == '1'  # NOTES.md: match 0 partial, 1 exact

        def like(value, wanted):
            value, wanted = str(value).lower(), wanted.lower()
            return value == wanted if exact else wanted in value

        checks = []
        for param, field in (('partialDeviceName', 'deviceName'), ('partialUsername', 'username')):
            wanted = request.arg(param)
            if wanted:
                checks.append(lambda rec, f=field, w=wanted: like(rec[f], w))
        for param, field in (('email', 'emailAddress'), ('udid', 'udid'), ('imeiMeid', 'imeiEsn'), ('wifiMacAddress', 'wifiMacAddress'),
                             ('maas360DeviceId', 'maas360DeviceID'), ('deviceStatus', 'deviceStatus'), ('platformName', 'platformName'),
                             ('maas360ManagedStatus', 'maas360ManagedStatus')):
            wanted = request.arg(param)
            if wanted:
                checks.append(lambda rec, f=field, w=wanted: str(rec[f]).lower() == w.lower())
        for param, field in (('plcCompliance', 'policyComplianceState'), ('ruleCompliance', 'ruleComplianceState'),
                             ('appCompliance', 'appComplianceState'), ('pswdCompliance', 'passcodeCompliance')):
            wanted = request.arg(param)
            if wanted and wanted not in ('OOC', 'ALL'):
                raise ValueError('Invalid %s: allowed values are OOC, ALL' % param)
            if wanted == 'OOC':
                checks.append(lambda rec, f=field: rec[f] in ('Out of Compliance', 'Not Compliant'))
        after = request.arg('lastReportedAfterInEpochms')
        if after:
            if not after.isdigit():
                raise ValueError('Invalid lastReportedAfterInEpochms')
            checks.append(lambda rec, a=int(after): rec['lastReportedInEpochms'] > a)
        records = [entry.record for entry in self.state.entries(self.name)]
        records = [rec for rec in records if all(check(rec) for check in checks)]
        sort_attribute = request.arg('sortAttribute')
        if sort_attribute:
            if sort_attribute not in ('lastReported', 'installedDate'):
                raise ValueError('Invalid sortAttribute: allowed values are lastReported, installedDate')
            order = request.arg('sortOrder', 'asc')
            if order not in ('asc', 'dsc'):
                raise ValueError('Invalid sortOrder: allowed values are asc, dsc')
            records.sort(key=lambda rec: (rec[sort_attribute + 'InEpochms'], rec['maas360DeviceID']), reverse=order == 'dsc')
        return records
