"""MobileIron Cloud user accounts, registration policy and LDAP import (a part of the MobileIronCloud dialect).

Source: mobileiron-cloud-users-api.txt, every section of it:
- Create User without Password  POST /api/v1/accounts?sendInvite=  form accounts[0].emailAddress/accountSource/uid
- Create User with Password     POST /api/v1/account?sendInvite=   form accountSource, uid, emailAddress, firstName,
                                lastName, displayName, password, confirmPassword
- Invite User                   POST /api/v1/invite/enduser         form accountIds, deviceOwnershipType
- Get Enrollment URL            POST /api/v1/tenant/enrollment/url  JSON {"accountIds": [...], "tokenLifetime": ms}
- Get All Accounts              GET  /api/v1/account?q=&rows=&start=  (rows at most 500)
- Search by UID                 GET  /api/v1/account?fq=UID%3D<uid>
- Check Delete User Viability   GET  /api/v1/account?checkDeleteViability=true&ids={id}
- Delete User                   DELETE /api/v1/account?id={id}
- Update User Account           PUT  /api/v1/account (form; every listed field NOT sent is cleared)
- Apply a Custom Attribute      PATCH /api/v1/account/customattributes  JSON {"ids", "attrs": {"attrs": {...}}, "forceOverwrite"}
- Registration settings         PUT  /api/v1/userpolicy?policyType=REGISTRATION_AUTH  JSON policy record
- Generate Registration PIN     POST /api/v1/account/regpin  accountIds; fails unless registrationAuthMode is PIN
- Import LDAP User              POST /api/v1/ldap/import/user?uidOrEmail=&ldapServerName=&sendInvite=&deviceOwnershipType=
- Check LDAP Import Status      GET  /api/v1/ldap/import/user/status?requestId=

Unverified (the reference shows no example of them) and chosen here:
- the reply of a refused call (a 400 with the reference's globalErrors envelope);
- the items of a non-empty delete-viability reply ({"accountId", "uid", "code", "message"}, one per reason);
- GET /api/v1/userpolicy?policyType=REGISTRATION_AUTH reads the policy record (the PUT example sends back id, uuid and
  createdAt, which a client can only have read);
- forceOverwrite=false keeps an attribute that already has values; true replaces them.

Deterministic data: one account per fleet user (uid = e-mail, deviceCount = their MobileIron Cloud devices), plus
the tenant admin (a super user). The LDAP directory of the one server ``corp-ldap`` holds ldap.user<N>@example.com
(N 0-99); ldap.invalid@example.com has an invalid attribute (KC-103); the request for ldap.lost@example.com is
forgotten at once (its status is LDAP_USER_IMPORT-100); any other uid is not found (LDAP_USER_IMPORT-106).
An import is IN_PROGRESS at the first status check and COMPLETED at the next.
"""

import functools
import json
import time
import uuid
from urllib.parse import parse_qs

from mdmsim.dialects.base import Part, int_arg, json_response
from mdmsim.state import listing_key

MAX_ROWS = 500       # "Do not send a value larger than 500 with the rows parameter"
DEFAULT_ROWS = 50    # unverified default; the reference examples send rows=50
FIRST_ACCOUNT_ID = 7000000
FIRST_NEW_ACCOUNT_ID = 9000000
LDAP_SERVERS = {'corp-ldap': 1}
LDAP_DIRECTORY_SIZE = 100
OWNERSHIP_TYPES = ('EMPLOYEE', 'COMPANY', 'UNKNOWN')
AUTH_MODES = ('PASSWORD', 'PIN', 'PASSWORD_AND_PIN')
# Update User Account: "Cleared if not present in the call."
CLEARED_TEXT = ('displayName', 'emailAddress', 'firstName', 'lastName', 'gdprProfileId', 'managedAppleId', 'edipi')
CLEARED_BOOL = ('androidWorkDeviceAccountEnabled', 'enabled', 'passwordNeverExpire')
# The user routes: (method, path, handler); another method on one of these paths is a 405.
USER_ROUTES = (
    ('GET', '/api/v1/account', 'get_accounts'),
    ('POST', '/api/v1/accounts', 'create_without_password'),
    ('POST', '/api/v1/account', 'create_with_password'),
    ('PUT', '/api/v1/account', 'update_account'),
    ('DELETE', '/api/v1/account', 'delete_account'),
    ('PATCH', '/api/v1/account/customattributes', 'custom_attributes'),
    ('POST', '/api/v1/account/regpin', 'registration_pins'),
    ('POST', '/api/v1/invite/enduser', 'invite'),
    ('POST', '/api/v1/tenant/enrollment/url', 'enrollment_url'),
    ('GET', '/api/v1/userpolicy', 'get_policy'),
    ('PUT', '/api/v1/userpolicy', 'put_policy'),
    ('POST', '/api/v1/ldap/import/user', 'ldap_import'),
    ('GET', '/api/v1/ldap/import/user/status', 'ldap_status'),
)
USER_PATHS = tuple(sorted(set(path for _method, path, _handler in USER_ROUTES)))


def _errors(code, message):
    return {'errors': {'globalErrors': [{'code': code, 'message': message}], 'fieldErrors': None}, 'result': None}


def _refuse(code, message, status=400):
    return json_response(status, _errors(code, message), authenticated=True)


def _ok(result):
    return json_response(200, {'errors': None, 'result': result}, authenticated=True)


def _now_ms():
    return int(time.time() * 1000)


def _locked(handler):
    """A user call runs under the state lock: the store and the fleet's device counts are read and changed together."""
    @functools.wraps(handler)
    def locked(self, request):
        with self.state.lock:
            return handler(self, request)
    return locked


def _bool(value):
    return str(value).strip().lower() == 'true'


class UserStore:
    """The accounts, their secrets (never shown), the registration policy and LDAP import requests."""

    def __init__(self, fleet_users, admin_uid):
        self.accounts = {}
        self.secrets = {}           # id -> {'password_set': n}  (the password itself is never kept)
        self.attributes = {}        # id -> {name: [values]}
        self.next_id = FIRST_NEW_ACCOUNT_ID
        self.imports = {}
        self.next_request = 1
        self.pin_seq = 0
        admin = self.record(FIRST_ACCOUNT_ID - 1, admin_uid, 'Fleetops', 'Admin', 'Fleetops Admin', 'LOCAL', True)
        admin['superUser'] = True
        self.accounts[admin['id']] = admin
        for user in fleet_users:
            record = self.record(FIRST_ACCOUNT_ID + user['index'], user['email'], user['first_name'], user['last_name'],
                                 user['display_name'], 'LOCAL', True)
            record['inviteState'] = 'Completed'
            record['edipi'] = str(1000000000 + user['index'] * 7)
            record['gdprProfileId'] = 259 if user['index'] % 3 == 0 else None
            record['managedAppleId'] = '%s@appleid.example.com' % user['username'] if user['index'] % 4 == 0 else None
            record['passwordNeverExpire'] = user['index'] % 5 == 0
            self.accounts[record['id']] = record
        self.policy = {
            'id': 50582, 'createdAt': 1395521907150, 'createdBy': 1, 'modifiedAt': 1395521907150, 'modifiedBy': None,
            'uuid': '65ca6590-b1a7-46d5-afcc-469c0f71526b', 'systemName': 'registrationAuthUserPolicy',
            'name': 'Device Registration Authentication Type', 'description': 'Password Only Setting',
            'policyType': 'REGISTRATION_AUTH', 'priority': 2147483647, 'enabled': True, 'policyDataMutable': True,
            'distributionMutable': False, 'priorityMutable': False, 'deletable': False, 'registrationAuthMode': 'PASSWORD',
            'pinType': 'NUMERIC', 'pinLength': 4, 'pinLifetimeMillis': 604800000, 'pinResetByUser': True,
        }

    @staticmethod
    def record(account_id, uid, first, last, display, source, enabled):
        # Field names and defaults: the replies of "Create User" and "Get All Accounts".
        return {
            'id': account_id, 'createdAt': 1442949222375, 'createdBy': 10001, 'modifiedAt': None, 'modifiedBy': 10001,
            'displayName': display, 'firstName': first, 'lastName': last, 'ldapServerId': None, 'uid': uid,
            'emailAddress': uid, 'username': None, 'accountSource': source, 'inviteState': None, 'inviteResendCount': 0,
            'inviteLastSentAt': None, 'locale': 'en_US', 'accountType': 'USER', 'enabled': enabled, 'locked': False,
            'superUser': False, 'termsAccepted': False, 'passwordExpiresAt': None, 'distinguishedName': None,
            'objectGuid': None, 'trash': False, 'mutable': True, 'loginFailureCount': 0, 'loginSuccessAt': None,
            'passwordHistory': '{}', 'guid': None, 'androidWorkUserStatus': 'NONE', 'androidWorkRetryCount': 0,
            'registrationPin': {'createdAt': None, 'expiresAt': None, 'pin': None, 'used': False},
            'groups': ['All Users'],
            # Fields of "Update User Account"
            'androidWorkDeviceAccountEnabled': False, 'passwordNeverExpire': False, 'gdprProfileId': None,
            'managedAppleId': None, 'edipi': None,
        }

    def by_uid(self, uid):
        uid = (uid or '').lower()
        for record in self.accounts.values():
            if record['uid'].lower() == uid:
                return record
        return None

    def add(self, uid, first, last, display, source, enabled):
        record = self.record(self.next_id, uid, first, last, display, source, enabled)
        record['createdAt'] = _now_ms()
        self.next_id += 1
        self.accounts[record['id']] = record
        return record


class Users(Part):
    """Handlers of the user routes (USER_ROUTES) of the MobileIron Cloud dialect."""

    def __init__(self, dialect):
        super().__init__(dialect)
        self.store = None

    # -- store -------------------------------------------------------------------------------------------------
    def user_store(self):
        """Created on first use (under the state lock) from the fleet's device users."""
        with self.state.lock:
            if self.store is None:
                self.store = UserStore(self.state.fleet.users, self.config['username'])
            return self.store

    def device_counts(self):
        counts = {}
        for entry in self.state.entries(self.name):
            email = (entry.record.get('emailAddress') or '').lower()
            counts[email] = counts.get(email, 0) + 1
        return counts

    def public_user(self, record, counts):
        shown = json.loads(json.dumps(record))
        shown['deviceCount'] = counts.get(record['uid'].lower(), 0)
        return shown

    def admin_users(self):
        """Control API: every account as the API shows it, with its custom attributes and password changes."""
        store = self.user_store()
        counts = self.device_counts()
        with self.state.lock:
            return [{'record': self.public_user(record, counts), 'custom_attributes': store.attributes.get(record['id'], {}),
                     'password_set': store.secrets.get(record['id'], {}).get('password_set', 0)}
                    for record in sorted(store.accounts.values(), key=lambda rec: rec['id'])]

    # -- dispatch ----------------------------------------------------------------------------------------------
    @_locked
    def method_not_allowed(self, request):
        return _refuse('METHOD_NOT_ALLOWED', '%s is not allowed on %s' % (request.method, request.path.rstrip('/')), status=405)

    @staticmethod
    def form(request):
        values = dict(request.query)
        content_type = request.header('Content-Type')
        if 'x-www-form-urlencoded' in content_type and request.body:
            values.update(parse_qs(request.body.decode('utf-8', 'replace'), keep_blank_values=True))
        return dict((key, items[-1]) for key, items in values.items())

    def account_ids(self, values):
        """Ids from a form value ("10552" or "1,2") or a JSON list; None when one is not a known account."""
        store = self.user_store()
        raw = values if isinstance(values, list) else str(values or '').split(',')
        ids = []
        for item in raw:
            text = str(item).strip()
            if not text.isdigit() or int(text) not in store.accounts:
                return None
            ids.append(int(text))
        return ids or None

    # -- reads -------------------------------------------------------------------------------------------------
    @_locked
    def get_accounts(self, request):
        store = self.user_store()
        counts = self.device_counts()
        if request.arg('checkDeleteViability') == 'true':
            return self.delete_viability(request, store, counts)
        rows = int_arg(request, 'rows', DEFAULT_ROWS)
        start = int_arg(request, 'start', 0)
        if rows is None or not 1 <= rows <= MAX_ROWS:
            return _refuse('INVALID_PARAMETER', 'rows must be between 1 and 500')
        if start is None or start < 0:
            return _refuse('INVALID_PARAMETER', 'start must be 0 or more')
        started = time.monotonic()
        self.user_churn(store)
        records = sorted(store.accounts.values(), key=lambda rec: rec['id'])
        for value in request.query.get('fq', []):
            field, sep, wanted = value.partition('=')
            if not sep or not field.strip():
                return _refuse('INVALID_PARAMETER', 'Invalid fq term: %s' % value)
            # "fq=UID%3DUID": field names are matched without regard to case (UID is the record's uid).
            key = dict((name.lower(), name) for name in records[0]).get(field.strip().lower()) if records else None
            if key is None:
                return _refuse('INVALID_PARAMETER', 'Unknown fq field: %s' % field)
            records = [rec for rec in records if str(rec.get(key)).lower() == wanted.strip().lower()]
        text = (request.arg('q') or '').lower()
        if text:
            records = [rec for rec in records
                       if text in ('%s %s %s' % (rec['uid'], rec['displayName'] or '', rec['emailAddress'] or '')).lower()]
        # Listing faults (state.ListingFaults, target 'users').
        rows_out, total, _rows = self.state.listing_page(listing_key(self.name, 'users'), records, rows, start=start)
        page = [self.public_user(rec, counts) for rec in rows_out]
        return _ok({'totalCount': total, 'searchResults': page, 'offset': start,
                    'queryTime': int((time.monotonic() - started) * 1000)})

    def user_churn(self, store):
        """Listing faults of "Get All Accounts" (target 'users'): accounts deleted and created before a page is answered
        (never the tenant admin, whose account the API calls use)."""
        def listed():
            return sorted(account_id for account_id, rec in store.accounts.items() if not rec.get('superUser'))

        def remove_at(index):
            account_id = listed()[index]
            del store.accounts[account_id]
            return str(account_id)

        def enrol():
            number = store.next_id
            return str(store.add('churn.user%d@example.com' % number, 'Churn', 'User %d' % number, 'Churn User %d' % number,
                                 'LOCAL', True)['id'])
        self.state.listing_churn_rows(listing_key(self.name, 'users'), lambda: len(listed()), remove_at, enrol)

    def delete_viability(self, request, store, counts):
        ids = self.account_ids(request.arg('ids'))
        if ids is None:
            return _refuse('ACCOUNT_NOT_FOUND', 'No account with id %s' % request.arg('ids'))
        reasons = []
        for account_id in ids:
            record = store.accounts[account_id]
            devices = counts.get(record['uid'].lower(), 0)
            if devices:
                reasons.append({'accountId': account_id, 'uid': record['uid'], 'code': 'ACCOUNT_HAS_DEVICES',
                                'message': 'The user %s has %d registered device(s); retire them first.' % (record['uid'], devices)})
            if record['superUser']:
                reasons.append({'accountId': account_id, 'uid': record['uid'], 'code': 'ACCOUNT_IS_SUPERUSER',
                                'message': 'The user %s is a super user and cannot be deleted.' % record['uid']})
        return _ok({'searchResults': reasons, 'totalCount': len(reasons), 'offset': 0, 'limit': 0})

    # -- creation ----------------------------------------------------------------------------------------------
    @_locked
    def create_without_password(self, request):
        store = self.user_store()
        values = self.form(request)
        uid = values.get('accounts[0].uid') or values.get('accounts[0].emailAddress')
        email = values.get('accounts[0].emailAddress') or uid
        source = values.get('accounts[0].accountSource') or 'LOCAL'
        if not uid:
            return _refuse('INVALID_PARAMETER', 'accounts[0].emailAddress is required')
        if source != 'LOCAL':
            # "accountSource: Type of user. LOCAL"
            return _refuse('INVALID_PARAMETER', 'accountSource must be LOCAL')
        if store.by_uid(uid):
            return _refuse('ACCOUNT_EXISTS', 'An account with uid %s already exists' % uid)
        record = store.add(uid, None, None, None, source, False)
        record['emailAddress'] = email
        self.after_create(record, values.get('sendInvite'))
        return _ok([self.public_user(record, {})])

    @_locked
    def create_with_password(self, request):
        store = self.user_store()
        values = self.form(request)
        uid = values.get('uid') or values.get('emailAddress')
        source = values.get('accountSource') or 'LOCAL'
        if not uid:
            return _refuse('INVALID_PARAMETER', 'uid is required')
        if source not in ('LOCAL', 'LDAP'):
            return _refuse('INVALID_PARAMETER', 'accountSource must be LOCAL or LDAP')
        if not values.get('password') or values.get('password') != values.get('confirmPassword'):
            return _refuse('PASSWORD_MISMATCH', 'password and confirmPassword must be given and equal')
        if store.by_uid(uid):
            return _refuse('ACCOUNT_EXISTS', 'An account with uid %s already exists' % uid)
        record = store.add(uid, values.get('firstName') or None, values.get('lastName') or None,
                           values.get('displayName') or None, source, True)
        record['emailAddress'] = values.get('emailAddress') or uid
        store.secrets[record['id']] = {'password_set': 1}
        self.after_create(record, values.get('sendInvite'))
        return _ok(self.public_user(record, {}))

    def after_create(self, record, send_invite):
        if _bool(send_invite):
            record['inviteState'] = 'Pending'
            record['inviteLastSentAt'] = _now_ms()
        self.state.record_action(self.name, 'create_user', None, account_id=record['id'], uid=record['uid'],
                                 send_invite=_bool(send_invite))

    # -- update and delete -------------------------------------------------------------------------------------
    @_locked
    def update_account(self, request):
        store = self.user_store()
        values = self.form(request)
        ids = self.account_ids(values.get('id'))
        if ids is None or len(ids) != 1:
            return _refuse('ACCOUNT_NOT_FOUND', 'No account with id %s' % values.get('id'))
        record = store.accounts[ids[0]]
        password = values.get('password')
        if password is not None and password != values.get('confirmPassword'):
            return _refuse('PASSWORD_MISMATCH', 'password and confirmPassword must be equal')
        gdpr = values.get('gdprProfileId')
        if gdpr not in (None, '') and not gdpr.isdigit():
            return _refuse('INVALID_PARAMETER', 'gdprProfileId must be a number')
        # "Cleared if not present in the call."
        for field in CLEARED_TEXT:
            value = values.get(field)
            record[field] = (int(value) if field == 'gdprProfileId' else value) if value not in (None, '') else None
        for field in CLEARED_BOOL:
            record[field] = _bool(values.get(field)) if values.get(field) is not None else False
        if password:
            entry = store.secrets.setdefault(record['id'], {'password_set': 0})
            entry['password_set'] += 1
        record['modifiedAt'] = _now_ms()
        changed = sorted(key for key in values if key not in ('password', 'confirmPassword'))
        self.state.record_action(self.name, 'update_user', None, account_id=record['id'], fields=changed,
                                 password=bool(password))
        return _ok(1)

    @_locked
    def delete_account(self, request):
        store = self.user_store()
        ids = self.account_ids(request.arg('id'))
        if ids is None or len(ids) != 1:
            return _refuse('ACCOUNT_NOT_FOUND', 'No account with id %s' % request.arg('id'))
        record = store.accounts[ids[0]]
        if self.device_counts().get(record['uid'].lower()) or record['superUser']:
            return _refuse('ACCOUNT_DELETE_NOT_ALLOWED', 'The user %s cannot be deleted' % record['uid'])
        del store.accounts[ids[0]]
        store.attributes.pop(ids[0], None)
        store.secrets.pop(ids[0], None)
        self.state.record_action(self.name, 'delete_user', None, account_id=ids[0], uid=record['uid'])
        return _ok(1)

    # -- invitation, enrollment, PIN, attributes ---------------------------------------------------------------
    @_locked
    def invite(self, request):
        store = self.user_store()
        values = self.form(request)
        ids = self.account_ids(values.get('accountIds'))
        if ids is None:
            return _refuse('ACCOUNT_NOT_FOUND', 'No account with id %s' % values.get('accountIds'))
        ownership = values.get('deviceOwnershipType')
        if ownership not in (None, '') and ownership not in OWNERSHIP_TYPES:
            return _refuse('INVALID_PARAMETER', 'deviceOwnershipType must be one of %s' % ', '.join(OWNERSHIP_TYPES))
        for account_id in ids:
            record = store.accounts[account_id]
            if record['inviteLastSentAt'] is not None:
                record['inviteResendCount'] += 1
            record['inviteState'] = 'Pending'
            record['inviteLastSentAt'] = _now_ms()
            self.state.record_action(self.name, 'invite_user', None, account_id=account_id, ownership=ownership or None)
        return _ok(True)

    @_locked
    def enrollment_url(self, request):
        body = self.dialect.read_json(request)
        if not isinstance(body, dict):
            return _refuse('INVALID_PARAMETER', 'a JSON body is required')
        ids = self.account_ids(body.get('accountIds'))
        lifetime = body.get('tokenLifetime')
        if ids is None:
            return _refuse('ACCOUNT_NOT_FOUND', 'No account with id %s' % body.get('accountIds'))
        if not isinstance(lifetime, int) or isinstance(lifetime, bool) or lifetime <= 0:
            return _refuse('INVALID_PARAMETER', 'tokenLifetime must be a positive number of milliseconds')
        result = {}
        host = request.header('Host') or 'localhost'
        for account_id in ids:
            token = ''.join('%016X' % self.state.token_rng.getrandbits(64) for _unused in range(8))
            # The token is a credential: the request log must never show it (it is only ever in a reply).
            self.state.secrets['mobileiron_cloud_enrollment_%s' % token[:12]] = token
            result[str(account_id)] = 'https://%s/c/i/reg/enroll.mobileconfig?token=%s' % (host, token)
            self.state.record_action(self.name, 'enrollment_url', None, account_id=account_id, token_lifetime=lifetime)
        return _ok(result)

    @_locked
    def registration_pins(self, request):
        store = self.user_store()
        values = self.form(request)
        if 'json' in request.header('Content-Type'):
            body = self.dialect.read_json(request) or {}
            values = {'accountIds': body.get('accountIds')}
        ids = self.account_ids(values.get('accountIds'))
        if ids is None:
            return _refuse('ACCOUNT_NOT_FOUND', 'No account with id %s' % values.get('accountIds'))
        if store.policy['registrationAuthMode'] != 'PIN':
            # "You must ... set the device registration type to PIN before using this call, or else the call will be
            # unsuccessful."  The code and text are unverified.
            return _refuse('REGISTRATION_PIN_NOT_ENABLED', 'Device registration authentication type is not PIN')
        now = _now_ms()
        result = []
        for account_id in ids:
            store.pin_seq += 1
            digits = store.policy['pinLength']
            pin = str(self.state.token_rng.randrange(10 ** (digits - 1), 10 ** digits))
            item = {'id': 37000 + store.pin_seq, 'createdAt': now, 'createdBy': account_id, 'accountId': account_id,
                    'pin': pin, 'expiresAt': now + store.policy['pinLifetimeMillis'], 'used': False}
            store.accounts[account_id]['registrationPin'] = {
                'createdAt': now, 'expiresAt': item['expiresAt'], 'pin': pin, 'used': False}
            result.append(item)
            self.state.record_action(self.name, 'registration_pin', None, account_id=account_id)
        return _ok(result)

    @_locked
    def custom_attributes(self, request):
        store = self.user_store()
        body = self.dialect.read_json(request)
        attrs = body.get('attrs') if isinstance(body, dict) else None
        attrs = attrs.get('attrs') if isinstance(attrs, dict) else None
        if not isinstance(attrs, dict) or not all(isinstance(v, list) for v in attrs.values()):
            return _refuse('INVALID_PARAMETER', 'attrs must be {"attrs": {"name": ["value", ...]}}')
        ids = self.account_ids(body.get('ids'))
        if ids is None:
            return _refuse('ACCOUNT_NOT_FOUND', 'No account with id %s' % body.get('ids'))
        force = body.get('forceOverwrite') is True
        for account_id in ids:
            held = store.attributes.setdefault(account_id, {})
            for name, values in attrs.items():
                if force or not held.get(name):
                    held[name] = [str(value) for value in values]
            self.state.record_action(self.name, 'custom_attributes', None, account_id=account_id, names=sorted(attrs),
                                     force=force)
        return _ok(1)

    # -- registration policy -----------------------------------------------------------------------------------
    @_locked
    def get_policy(self, request):
        if request.arg('policyType') != 'REGISTRATION_AUTH':
            return _refuse('INVALID_PARAMETER', 'policyType must be REGISTRATION_AUTH')
        return _ok(dict(self.user_store().policy))

    @_locked
    def put_policy(self, request):
        store = self.user_store()
        if request.arg('policyType') != 'REGISTRATION_AUTH':
            return _refuse('INVALID_PARAMETER', 'policyType must be REGISTRATION_AUTH')
        body = self.dialect.read_json(request)
        if not isinstance(body, dict):
            return _refuse('INVALID_PARAMETER', 'a JSON body is required')
        if body.get('registrationAuthMode') not in AUTH_MODES:
            return _refuse('INVALID_PARAMETER', 'registrationAuthMode must be one of %s' % ', '.join(AUTH_MODES))
        length = body.get('pinLength')
        if not isinstance(length, int) or not 4 <= length <= 8:
            return _refuse('INVALID_PARAMETER', 'pinLength must be a number from 4 to 8')
        lifetime = body.get('pinLifetimeMillis')
        if not isinstance(lifetime, int) or lifetime <= 0:
            return _refuse('INVALID_PARAMETER', 'pinLifetimeMillis must be a positive number')
        policy = store.policy
        for key, value in body.items():
            if key in ('id', 'uuid', 'createdAt', 'createdBy', 'systemName', 'policyType'):
                continue  # "uuid: Read-only" (and the other identity fields with it)
            policy[key] = value
        policy['modifiedAt'] = _now_ms()
        self.state.record_action(self.name, 'registration_policy', None, mode=policy['registrationAuthMode'])
        return _ok(1)

    # -- LDAP import -------------------------------------------------------------------------------------------
    @_locked
    def ldap_import(self, request):
        store = self.user_store()
        uid = (request.arg('uidOrEmail') or '').strip()
        server = request.arg('ldapServerName')
        if server is not None and server not in LDAP_SERVERS:
            return _refuse('LDAP_USER_IMPORT-103', 'No LDAP server with name %s found.' % server)
        if not uid:
            return _refuse('INVALID_PARAMETER', 'uidOrEmail is required')
        ownership = request.arg('deviceOwnershipType')
        if ownership not in (None, '') and ownership not in OWNERSHIP_TYPES:
            return _refuse('INVALID_PARAMETER', 'deviceOwnershipType must be one of %s' % ', '.join(OWNERSHIP_TYPES))
        request_id = store.next_request
        store.next_request += 1
        if uid.lower() != 'ldap.lost@example.com':
            store.imports[request_id] = {'uid': uid, 'send_invite': _bool(request.arg('sendInvite')), 'checks': 0}
        self.state.record_action(self.name, 'ldap_import', None, uid=uid, request_id=request_id)
        return _ok(request_id)

    @_locked
    def ldap_status(self, request):
        store = self.user_store()
        request_id = int_arg(request, 'requestId', None)
        job = store.imports.get(request_id)
        if job is None:
            return _refuse('LDAP_USER_IMPORT-100', 'The LDAP user import request id %s not found.' % request.arg('requestId'))
        job['checks'] += 1
        reply = {'requestId': request_id, 'status': 'IN_PROGRESS', 'errorCode': '', 'errorMessage': ''}
        if job['checks'] < 2:
            return json_response(200, reply, authenticated=True)
        uid = job['uid']
        local, _sep, domain = uid.lower().partition('@')
        number = local[len('ldap.user'):] if local.startswith('ldap.user') else ''
        if uid.lower() == 'ldap.invalid@example.com':
            reply.update(status='FAILED', errorCode='KC-103', errorMessage='The LDAP entry has invalid attribute to be imported.')
        elif domain != 'example.com' or not number.isdigit() or int(number) >= LDAP_DIRECTORY_SIZE:
            reply.update(status='FAILED', errorCode='LDAP_USER_IMPORT-106', errorMessage='The LDAP user %s not found to import.' % uid)
        else:
            reply['status'] = 'COMPLETED'
            if not job.get('done') and store.by_uid(uid) is None:
                record = store.add(uid.lower(), 'Ldap', 'User%s' % number, 'Ldap User%s' % number, 'LDAP', True)
                record['ldapServerId'] = LDAP_SERVERS['corp-ldap']
                record['distinguishedName'] = 'uid=ldap.user%s,ou=people,dc=example,dc=com' % number
                record['objectGuid'] = str(uuid.UUID(int=int(number) + 1))
                if job['send_invite']:
                    record['inviteState'] = 'Pending'
                    record['inviteLastSentAt'] = _now_ms()
            job['done'] = True
        return json_response(200, reply, authenticated=True)
