# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MobileIron Cloud user calls against a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_cloud.users import VendorRefusal, normalise_user

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

OPTIONS = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.example', username='api@tenant.example',
               password='Tenant-Pa55word')
RECORD = {
    'id': 10022, 'uid': 'john.doe@example.com', 'emailAddress': 'john.doe@example.com', 'accountSource': 'LOCAL',
    'displayName': 'John Doe', 'firstName': 'John', 'lastName': 'Doe', 'enabled': True, 'passwordNeverExpire': True,
    'gdprProfileId': 259, 'managedAppleId': None, 'edipi': '1234567899', 'androidWorkDeviceAccountEnabled': False,
    'passwordHistory': '{}', 'registrationPin': {'createdAt': None, 'expiresAt': 1414559209914, 'pin': '6426', 'used': False},
}


def envelope(result):
    return {'errors': None, 'result': result}


def refusal(code, message):
    return {'errors': {'globalErrors': [{'code': code, 'message': message}], 'fieldErrors': None}, 'result': None}


def test_find_user_uses_the_documented_fq_and_matches_the_uid_exactly():
    other = dict(RECORD, id=1, uid='john.doe@example.com.au')
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v1/account', query={'fq': 'UID=John.Doe@example.com'},
               reply=envelope({'totalCount': 2, 'searchResults': [other, RECORD]})),
        Expect('GET', '/api/v1/account', query={'fq': 'UID=nobody@example.com'}, reply=envelope({'totalCount': 0, 'searchResults': []})),
    ])
    assert adapter.capabilities['user_search'].find_user('John.Doe@example.com')['id'] == 10022
    assert adapter.capabilities['user_search'].find_user('nobody@example.com') is None
    assert '/api/v1/account?fq=UID%3DJohn.Doe%40example.com' in session.calls[0]['url']
    session.assert_done()


def test_update_sends_the_whole_record_merged_with_the_changes():
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('PUT', '/api/v1/account', form={
            'id': '10022', 'uid': 'john.doe@example.com', 'accountSource': 'LOCAL', 'displayName': 'J. Doe',
            'androidWorkDeviceAccountEnabled': 'false', 'emailAddress': 'john.doe@example.com', 'firstName': 'John',
            'lastName': 'Doe', 'enabled': 'true', 'passwordNeverExpire': 'true', 'gdprProfileId': '259',
            'managedAppleId': '', 'edipi': '1234567899', 'password': 'N3w-pass', 'confirmPassword': 'N3w-pass'},
            reply=envelope(1)),
    ])
    adapter.capabilities['users'].update_user(RECORD, {'displayName': 'J. Doe'}, password='N3w-pass')
    session.assert_done()


def test_update_refuses_a_record_that_lacks_a_field_the_call_would_clear():
    adapter, session, _sleeps = build(OPTIONS, [])
    record = dict(RECORD)
    del record['edipi']
    with pytest.raises(InvalidInputError) as info:
        adapter.capabilities['users'].update_user(record, {'displayName': 'J. Doe'})
    assert 'edipi' in str(info.value)
    assert session.calls == []


def test_delete_blockers_report_the_vendor_reasons():
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v1/account', query={'checkDeleteViability': 'true', 'ids': '10022'}, reply=envelope(
            {'searchResults': [{'code': 'ACCOUNT_HAS_DEVICES', 'message': 'has 2 devices'}], 'totalCount': 1})),
        Expect('GET', '/api/v1/account', query={'checkDeleteViability': 'true', 'ids': '10023'},
               reply=envelope({'searchResults': [], 'totalCount': 0, 'offset': 0, 'limit': 0})),
    ])
    assert adapter.capabilities['users'].delete_blockers(10022) == ['ACCOUNT_HAS_DEVICES: has 2 devices']
    assert adapter.capabilities['users'].delete_blockers(10023) == []
    session.assert_done()


def test_ldap_import_follows_the_choreography_and_reports_failure():
    clock = iter([0.0, 15.0, 30.0, 45.0])
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('POST', '/api/v1/ldap/import/user', query={'uidOrEmail': 'x@example.com', 'ldapServerName': 'ldap-2k',
                                                          'sendInvite': 'true', 'deviceOwnershipType': 'EMPLOYEE'},
               reply=envelope(7)),
        Expect('GET', '/api/v1/ldap/import/user/status', query={'requestId': '7'},
               reply={'requestId': 7, 'status': 'IN_PROGRESS', 'errorCode': '', 'errorMessage': ''}),
        Expect('GET', '/api/v1/ldap/import/user/status', query={'requestId': '7'},
               reply={'requestId': 7, 'status': 'FAILED', 'errorCode': 'LDAP_USER_IMPORT-106',
                      'errorMessage': 'The LDAP user x@example.com not found to import.'}),
    ])
    waits = []
    outcome = adapter.capabilities['users'].ldap_import('x@example.com', server='ldap-2k', send_invite=True, ownership='EMPLOYEE',
                                                        sleep=waits.append, clock=lambda: next(clock))
    assert outcome == dict(request_id='7', status='FAILED', error_code='LDAP_USER_IMPORT-106',
                           error_message='The LDAP user x@example.com not found to import.', checks=2)
    assert waits == [15.0, 15.0]
    session.assert_done()


def test_ldap_import_stops_at_the_timeout():
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    in_progress = {'requestId': 1, 'status': 'IN_PROGRESS', 'errorCode': '', 'errorMessage': ''}
    adapter, session, _sleeps = build(OPTIONS, [Expect('POST', '/api/v1/ldap/import/user', reply=envelope(1))] + [
        Expect('GET', '/api/v1/ldap/import/user/status', reply=in_progress) for _unused in range(6)])
    outcome = adapter.capabilities['users'].ldap_import('x@example.com', sleep=sleep, clock=lambda: now[0])
    # Checks at 15, 30, 45, 60, 75 and 90 seconds: "every fifteen seconds until ninety seconds have elapsed".
    assert outcome['status'] == 'IN_PROGRESS' and outcome['checks'] == 6 and now[0] == 90.0
    session.assert_done()


def test_a_refused_import_carries_the_vendor_code():
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('POST', '/api/v1/ldap/import/user', status=400,
               reply=refusal('LDAP_USER_IMPORT-103', 'No LDAP server with name invalid-ldap found.')),
    ])
    with pytest.raises(VendorRefusal) as info:
        adapter.capabilities['users'].ldap_import('x@example.com', server='invalid-ldap', sleep=lambda s: None)
    assert info.value.code == 'LDAP_USER_IMPORT-103'
    assert 'No LDAP server with name invalid-ldap found.' in str(info.value)
    assert info.value.to_dict()['error_code'] == 'LDAP_USER_IMPORT-103'


def test_normalised_users_never_carry_the_pin_or_password_history():
    user = normalise_user(RECORD)
    assert '6426' not in repr(user) and 'passwordHistory' not in repr(user)
    assert user['registration_pin_expires_at'] == '2014-10-29T05:06:49Z'
    assert (user['id'], user['gdpr_profile_id'], user['source']) == ('10022', '259', 'local')


def test_create_without_password_is_local_only():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError):
        adapter.capabilities['users'].create_user('a@example.com', 'a@example.com', 'LDAP', False)
    assert session.calls == []
