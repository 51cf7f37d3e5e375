# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Cloud user accounts, the device registration policy and LDAP import (the ``users``, ``user_search``
and ``registration_policy`` capabilities, over a MobileIronCloudSession).

Source: the vendor reference ``mobileiron-cloud-users-api.txt``; each method names its section.  NOTES.md: the
account update (``PUT /api/v1/account``) clears every field it does not carry, so update_user() always sends the
whole record, merged.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import USER_PAGE_SIZE, USER_SOURCE, Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.device import iso_from_epoch_ms, text_or_none

ACCOUNT_PATH = '/api/v1/account'
ACCOUNTS_PATH = '/api/v1/accounts'
CUSTOM_ATTRIBUTES_PATH = '/api/v1/account/customattributes'
REGPIN_PATH = '/api/v1/account/regpin'
INVITE_PATH = '/api/v1/invite/enduser'
ENROLLMENT_URL_PATH = '/api/v1/tenant/enrollment/url'
LDAP_IMPORT_PATH = '/api/v1/ldap/import/user'
LDAP_STATUS_PATH = '/api/v1/ldap/import/user/status'
USER_POLICY_PATH = '/api/v1/userpolicy'
REGISTRATION_POLICY_TYPE = 'REGISTRATION_AUTH'

MAX_ROWS = 500  # "Get All Accounts": the APIs do not permit rows greater than 500
OWNERSHIP_TYPES = ('EMPLOYEE', 'COMPANY', 'UNKNOWN')  # "Invite User" / "Import LDAP User": deviceOwnershipType

# "Update User Account": every one of these is "Cleared if not present in the call".
UPDATE_FIELDS = ('displayName', 'androidWorkDeviceAccountEnabled', 'emailAddress', 'firstName', 'lastName', 'enabled',
                 'passwordNeverExpire', 'gdprProfileId', 'managedAppleId', 'edipi')
# Sent with every update so that the server finds the account and keeps its identity (the reference's example).
IDENTITY_FIELDS = ('id', 'uid', 'accountSource')

# Normalised user field -> the vendor's account field.
USER_FIELDS = (
    ('id', 'id'), ('uid', 'uid'), ('email', 'emailAddress'), ('first_name', 'firstName'), ('last_name', 'lastName'),
    ('display_name', 'displayName'), ('enabled', 'enabled'), ('source', 'accountSource'),
    ('password_never_expires', 'passwordNeverExpire'), ('gdpr_profile_id', 'gdprProfileId'),
    ('managed_apple_id', 'managedAppleId'), ('edipi', 'edipi'),
    ('android_work_device_account_enabled', 'androidWorkDeviceAccountEnabled'), ('invite_state', 'inviteState'),
    ('locked', 'locked'), ('super_user', 'superUser'), ('device_count', 'deviceCount'), ('groups', 'groups'),
    ('ldap_server_id', 'ldapServerId'),
)
FIELD_OF = dict(USER_FIELDS)


def normalise_user(raw, vendor='mobileiron_cloud'):
    """A user as the modules return it.  Never carries a password, its history or a registration PIN."""
    user = dict((name, raw.get(field)) for name, field in USER_FIELDS)
    user['vendor'] = vendor
    user['id'] = text_or_none(user['id'])
    for name in ('gdpr_profile_id', 'edipi'):
        user[name] = text_or_none(user[name])
    user['source'] = (user['source'] or '').lower() or None
    user['created_at'] = iso_from_epoch_ms(raw.get('createdAt'))
    pin = raw.get('registrationPin') if isinstance(raw.get('registrationPin'), dict) else {}
    user['registration_pin_expires_at'] = iso_from_epoch_ms(pin.get('expiresAt'))
    if not isinstance(user['groups'], list):
        user['groups'] = []
    return user


def form_value(value):
    """A record value as the form-encoded update sends it: booleans as true/false, null as empty."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def _messages(errors):
    found = []
    if isinstance(errors, dict):
        for key in ('globalErrors', 'fieldErrors'):
            for item in errors.get(key) or []:
                if isinstance(item, dict):
                    found.append(dict(code=text_or_none(item.get('code')), message=text_or_none(item.get('message')) or
                                      text_or_none(item.get('field')) or str(item)))
                else:
                    found.append(dict(code=None, message=str(item)))
    elif errors:
        found.append(dict(code=None, message=str(errors)))
    return found


def describe_messages(found):
    """The vendor's error messages in one line, each with its code."""
    return '; '.join(('%s: %s' % (m['code'], m['message'])) if m['code'] else m['message'] for m in found)


class VendorRefusal(MdmError):
    """The vendor refused a user call and said why (its error code and message are kept)."""

    error_type = 'refused'

    def __init__(self, message, code=None, **kwargs):
        self.code = code
        super(VendorRefusal, self).__init__(message, **kwargs)

    def to_dict(self):
        result = super(VendorRefusal, self).to_dict()
        result['error_code'] = self.code
        return result


class MobileIronCloudUsers(Capability):
    """User calls and the device registration policy of MobileIron Cloud, over a MobileIronCloudSession."""

    user_page_size = MAX_ROWS
    # The neutral user fields an update sets (the mdm_user options of the same names), and those of them that
    # "Create User with Password" takes.
    settable_fields = ('email', 'first_name', 'last_name', 'display_name', 'enabled', 'password_never_expires',
                       'gdpr_profile_id', 'managed_apple_id', 'edipi')
    name_fields = ('first_name', 'last_name', 'display_name')
    # Invitation states (inviteState) in which an invitation is not sent again; the state a new invitation has.
    invited_states = ('pending', 'completed')
    invite_pending = 'Pending'

    def normalise_user_record(self, raw):
        """The neutral user (normalise_user()) of an account record this capability returned."""
        return normalise_user(raw, self.session.name)

    # -- neutral fields over the vendor's records (mdm_user compares and predicts with these) ---------------------
    def check_user_fields(self, wanted, option_of=lambda field: field):
        """``{neutral field: value}`` checked before any request (gdprProfileId is a number); ``option_of(field)``
        names the option an error points at."""
        gdpr = wanted.get('gdpr_profile_id')
        if gdpr is not None and not str(gdpr).isdigit():
            raise InvalidInputError('must be a number', option=option_of('gdpr_profile_id'))
        return wanted

    def check_create(self, source, password_given, ldap_import):
        """Fail before any request on a creation the vendor does not document: an LDAP-source user needs a password
        (or an LDAP import)."""
        if source == 'ldap' and not password_given and not ldap_import:
            raise InvalidInputError('MobileIron Cloud creates an LDAP-source user only with a password; give user_password, '
                                    'or ldap_import to import the user from the directory', option=USER_SOURCE)

    def changed_fields(self, record, wanted):
        """``{neutral field: wanted value}`` of the fields whose value in ``record`` differs as the update sends it."""
        return dict((field, value) for field, value in wanted.items()
                    if form_value(record.get(FIELD_OF[field])) != form_value(value))

    def with_changes(self, record, changes):
        """A copy of ``record`` with neutral ``changes`` over it: what the server holds after update_fields()."""
        merged = dict(record)
        merged.update((FIELD_OF[field], value) for field, value in changes.items())
        return merged

    def update_fields(self, record, changes, password=None):
        """update_user() with neutral ``changes``."""
        self.update_user(record, dict((FIELD_OF[field], value) for field, value in changes.items()), password=password)

    def is_invited(self, record):
        """Has the account an invitation pending or accepted (so that none is sent again)?"""
        return str(record.get('inviteState') or '').lower() in self.invited_states

    def with_invite(self, record):
        """A copy of ``record`` as invite_user() leaves it."""
        return dict(record, inviteState=self.invite_pending)

    def predicted_account(self, uid, email, source, password_given, ldap_import, send_invite, names):
        """The record create_user() or ldap_import() would make (check mode predicts it, nothing is sent): the fields
        the creation sets, as the vendor's create replies show them."""
        record = dict(id=None, uid=uid, emailAddress=email, accountSource='LDAP' if ldap_import else source.upper(),
                      enabled=password_given or bool(ldap_import), inviteState=self.invite_pending if send_invite else None,
                      deviceCount=0, groups=[])
        if password_given:
            # The create call with a password takes the names.
            record.update((FIELD_OF[field], (names or {}).get(field)) for field in self.name_fields)
        return record

    # -- the reply envelope --------------------------------------------------------------------------------------
    def _user_call(self, method, path, operation, **kwargs):
        """Send one user call and return ``result``.  A refusal (a 4xx or an error inside a 200 with the reference's
        ``errors.globalErrors`` envelope) raises VendorRefusal with the vendor's code and message."""
        response = self.session.call(method, path, operation, ok=(200, 201, 202, 204, 400, 404, 409, 422), **kwargs)
        data = self.session.parse_json(response, operation)
        errors = data.get('errors') if isinstance(data, dict) else None
        if response.status >= 400 or errors:
            found = _messages(errors) or [dict(code=None, message='HTTP %s without a message' % response.status)]
            raise VendorRefusal(describe_messages(found), code=found[0]['code'], vendor=self.session.name, operation=operation,
                                status=response.status, secrets=self.session.transport.secrets)
        if not isinstance(data, dict):
            raise self.session.bad_response('the reply is not a JSON object', operation)
        return data

    # -- look-ups ------------------------------------------------------------------------------------------------
    def find_user(self, uid):
        """The account whose uid is ``uid`` (case-insensitive), or None.  "Search for a User by User ID (UID)":
        ``GET /api/v1/account?fq=UID%3D<uid>``."""
        operation = 'find user'
        data = self._user_call('GET', ACCOUNT_PATH, operation, params={'fq': 'UID=%s' % uid})
        result = data.get('result')
        if not isinstance(result, dict) or not isinstance(result.get('searchResults'), list):
            raise self.session.bad_response('the reply has no "result.searchResults" list', operation)
        for record in result['searchResults']:
            if isinstance(record, dict) and str(record.get('uid') or '').lower() == uid.lower():
                return record
        return None

    def check_user_page_size(self, page_size):
        """A page size of "Get All Accounts" (``rows``: 1 to MAX_ROWS); InvalidInputError otherwise."""
        if not 1 <= page_size <= self.user_page_size:
            raise InvalidInputError('out of range', option=USER_PAGE_SIZE, allowed=['1 to %d' % self.user_page_size])
        return page_size

    def list_users(self, query=None, page_size=None, concurrency=4):
        """Every account, all pages ("Get All Accounts": ``rows`` at most 500, ``start`` index, ``q`` text)."""
        page_size = page_size or self.user_page_size
        operation = 'list users'

        def fetch(start, size):
            params = {'rows': size, 'start': start}
            if query:
                params['q'] = query
            result = self._user_call('GET', ACCOUNT_PATH, operation, params=params).get('result')
            if not isinstance(result, dict) or not isinstance(result.get('searchResults'), list):
                raise self.session.bad_response('the reply has no "result.searchResults" list', operation)
            total = result.get('totalCount')
            try:
                total = int(total) if total is not None else None
            except (TypeError, ValueError):
                raise self.session.bad_response('totalCount %r is not a number' % (total,), operation)
            return [item for item in result['searchResults'] if isinstance(item, dict)], total

        seen, users = set(), []
        for raw in self.session.list_pages(fetch, page_size, concurrency, key=lambda raw: raw.get('id'), what='users'):
            # Accounts added or removed while paging can shift one onto the next page: never list one twice.
            if raw.get('id') in seen:
                continue
            seen.add(raw.get('id'))
            users.append(raw)
        return users

    # -- create, update, delete --------------------------------------------------------------------------------
    def create_user(self, uid, email, source, send_invite, password=None, names=None):
        """Create an account.  With a password: "Create User with Password" (``POST /api/v1/account``, LOCAL or
        LDAP source, names); without: "Create User without Password" (``POST /api/v1/accounts``, LOCAL only).
        ``source``: local or ldap (either case); ``names``: neutral name fields (first_name, last_name, display_name).
        Returns the new account's record."""
        source = source.upper()
        params = {'sendInvite': 'true' if send_invite else 'false'}
        if password is None:
            if source != 'LOCAL':
                raise InvalidInputError('MobileIron Cloud creates a user without a password with source local only',
                                        option=USER_SOURCE, allowed=['local'])
            form = {'accounts[0].emailAddress': email, 'accounts[0].accountSource': source, 'accounts[0].uid': uid}
            result = self._user_call('POST', ACCOUNTS_PATH, 'create user', params=params, data=form).get('result')
            record = result[0] if isinstance(result, list) and result else None
        else:
            form = {'accountSource': source, 'uid': uid, 'emailAddress': email}
            for field, value in (names or {}).items():
                if value is not None:
                    form[FIELD_OF.get(field, field)] = value
            form['password'] = password
            form['confirmPassword'] = password
            record = self._user_call('POST', ACCOUNT_PATH, 'create user', params=params, data=form).get('result')
        if not isinstance(record, dict) or record.get('id') is None:
            raise self.session.bad_response('the reply carries no account record with an id', 'create user')
        return record

    def missing_update_fields(self, record):
        """Fields the update would clear because the record read does not carry them at all."""
        return [field for field in UPDATE_FIELDS if field not in record]

    def merged_update(self, record, changes):
        """The form of "Update User Account": the whole record (every field the call clears otherwise) with
        ``changes`` (vendor field -> value) over it."""
        form = dict((field, form_value(record.get(field))) for field in IDENTITY_FIELDS)
        for field in UPDATE_FIELDS:
            form[field] = form_value(changes[field] if field in changes else record.get(field))
        return form

    def update_user(self, record, changes, password=None):
        """``PUT /api/v1/account`` with the merged record; ``password`` also changes the password ("Change Password")."""
        missing = [field for field in self.missing_update_fields(record) if field not in changes]
        if missing:
            # Sending the update would clear them, and we cannot know their values: refuse rather than lose data.
            raise InvalidInputError('the account record read from MobileIron Cloud does not carry %s, which an update '
                                    'clears; refusing to update user %s' % (', '.join(missing), record.get('uid')),
                                    vendor=self.session.name, operation='update user')
        form = self.merged_update(record, changes)
        if password is not None:
            form['password'] = password
            form['confirmPassword'] = password
        self._user_call('PUT', ACCOUNT_PATH, 'update user', data=form)

    def delete_blockers(self, account_id):
        """Why the account cannot be deleted ("Check Delete User Viability"): one text per reason, empty when it can."""
        operation = 'check delete viability'
        data = self._user_call('GET', ACCOUNT_PATH, operation, params={'checkDeleteViability': 'true', 'ids': account_id})
        result = data.get('result')
        items = result.get('searchResults') if isinstance(result, dict) else None
        if not isinstance(items, list):
            raise self.session.bad_response('the reply has no "result.searchResults" list', operation)
        reasons = []
        for item in items:
            if isinstance(item, dict):
                code, message = text_or_none(item.get('code')), text_or_none(item.get('message') or item.get('reason'))
                reasons.append('%s: %s' % (code, message) if code and message else (message or code or str(item)))
            else:
                reasons.append(str(item))
        return reasons

    def delete_user(self, account_id):
        """"Delete User": ``DELETE /api/v1/account?id={id}``."""
        self._user_call('DELETE', ACCOUNT_PATH, 'delete user', params={'id': account_id})

    # -- invitation, enrollment, PIN, attributes ---------------------------------------------------------------
    def invite_user(self, account_id, ownership=None):
        """"Invite User": ``POST /api/v1/invite/enduser`` (form ``accountIds``, optional ``deviceOwnershipType``)."""
        form = {'accountIds': account_id}
        if ownership:
            form['deviceOwnershipType'] = ownership
        self._user_call('POST', INVITE_PATH, 'invite user', data=form)

    def enrollment_url(self, account_id, token_lifetime):
        """"Get Enrollment URL": ``POST /api/v1/tenant/enrollment/url`` (JSON); the URL of the account."""
        operation = 'get enrollment URL'
        result = self._user_call('POST', ENROLLMENT_URL_PATH, operation,
                                 json_body={'accountIds': [int(account_id)], 'tokenLifetime': token_lifetime}).get('result')
        url = result.get(str(account_id)) if isinstance(result, dict) else None
        if not url:
            raise self.session.bad_response('the reply has no enrollment URL for account %s' % account_id, operation)
        return url

    def registration_pin(self, account_id):
        """"Generate User Registration PIN": ``POST /api/v1/account/regpin``; ``{'pin', 'expires_at', 'used'}``."""
        operation = 'generate registration PIN'
        result = self._user_call('POST', REGPIN_PATH, operation, data={'accountIds': account_id}).get('result')
        items = [item for item in result if isinstance(item, dict)] if isinstance(result, list) else []
        for item in items:
            if str(item.get('accountId')) == str(account_id) and item.get('pin') not in (None, ''):
                return dict(pin=str(item['pin']), expires_at=iso_from_epoch_ms(item.get('expiresAt')),
                            used=bool(item.get('used')))
        raise self.session.bad_response('the reply has no PIN for account %s' % account_id, operation)

    def set_custom_attributes(self, account_id, attributes, force_overwrite):
        """"Apply a Custom Attribute to a User": ``PATCH /api/v1/account/customattributes`` (JSON)."""
        body = {'ids': [str(account_id)], 'attrs': {'attrs': attributes}, 'forceOverwrite': bool(force_overwrite)}
        self._user_call('PATCH', CUSTOM_ATTRIBUTES_PATH, 'set custom attributes', json_body=body)

    # -- LDAP import ---------------------------------------------------------------------------------------------
    def ldap_import(self, uid, server=None, send_invite=False, ownership=None, wait=15.0, interval=15.0, timeout=90.0,
                    sleep=time.sleep, clock=time.monotonic):
        """"Import LDAP User" then "Check LDAP Import Status" with the reference's choreography: wait ``wait`` s,
        check, and check again every ``interval`` s until ``timeout`` s have passed since the import.

        Returns ``{'request_id', 'status', 'error_code', 'error_message', 'checks'}``; status COMPLETED, FAILED
        (with the vendor's code and message) or IN_PROGRESS when the time ran out.  A refused import or status
        call (LDAP_USER_IMPORT-103 no such server, -100 request not found) raises VendorRefusal."""
        params = {'uidOrEmail': uid}
        if server:
            params['ldapServerName'] = server
        if send_invite:
            params['sendInvite'] = 'true'
        if ownership:
            params['deviceOwnershipType'] = ownership
        # The parameters are query ("Path") parameters in the reference; the body is empty.
        data = self._user_call('POST', LDAP_IMPORT_PATH, 'import LDAP user', params=params)
        request_id = data.get('result')
        if request_id in (None, ''):
            raise self.session.bad_response('the import reply carries no request id', 'import LDAP user')
        started = clock()
        sleep(wait)
        checks = 0
        while True:
            checks += 1
            status = self.ldap_import_status(request_id)
            status['checks'] = checks
            if status['status'] != 'IN_PROGRESS':
                return status
            if clock() - started + interval > timeout:
                return status
            sleep(interval)

    def ldap_import_status(self, request_id):
        """"Check LDAP user import status": COMPLETED, IN_PROGRESS or FAILED, with the vendor's error code and
        message."""
        operation = 'check LDAP import status'
        data = self._user_call('GET', LDAP_STATUS_PATH, operation, params={'requestId': request_id})
        # The reference's status reply is a bare object; accept it inside the usual envelope too.
        body = data.get('result') if isinstance(data.get('result'), dict) else data
        status = text_or_none(body.get('status'))
        if status not in ('COMPLETED', 'IN_PROGRESS', 'FAILED'):
            raise self.session.bad_response('unknown import status %r' % (status,), operation)
        return dict(request_id=text_or_none(body.get('requestId')) or text_or_none(request_id), status=status,
                    error_code=text_or_none(body.get('errorCode')), error_message=text_or_none(body.get('errorMessage')))

    # -- registration policy ---------------------------------------------------------------------------------------
    def registration_policy(self):
        """The REGISTRATION_AUTH user policy record.  Unverified: the reference documents only the PUT, whose
        example sends back the id, uuid and createdAt a client must have read with a GET on the same URI."""
        operation = 'read registration policy'
        result = self._user_call('GET', USER_POLICY_PATH, operation, params={'policyType': REGISTRATION_POLICY_TYPE}).get('result')
        if not isinstance(result, dict):
            raise self.session.bad_response('the reply has no policy record', operation)
        return result

    def put_registration_policy(self, record):
        """"Configuring User Device Registration Settings": ``PUT /api/v1/userpolicy?policyType=REGISTRATION_AUTH``
        with the whole policy record (JSON)."""
        self._user_call('PUT', USER_POLICY_PATH, 'set registration policy', params={'policyType': REGISTRATION_POLICY_TYPE},
                        json_body=record)
