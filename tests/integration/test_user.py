# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_user, mdm_user_info and mdm_registration_policy end to end against the simulator (MobileIron Cloud)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from conftest import run_playbook

VENDOR = 'mobileiron_cloud'
# The choreography of the reference is 15 s / 15 s / 90 s; the tests make it short.
FAST_LDAP = dict(ldap_wait=0, ldap_poll_interval=0.2, ldap_timeout=10)
PASSWORD = 'Us3r-Secret-Pa55!'
DIFF = {'ANSIBLE_DIFF_ALWAYS': '1'}


# A simulator of its own (conftest.py, sim): these tests create, change and delete users, which the shared one must not see.
OWN_SIMULATOR = dict(devices=150, seed=13)


def writes(sim):
    return [(entry['method'], entry['path']) for entry in sim.log(VENDOR) if entry['method'] not in ('GET', 'HEAD')]


def accounts(sim):
    return dict((item['record']['uid'], item) for item in sim.users(VENDOR))


def user_run(sim, tmp_path, check=False, verbosity=0, **user):
    return run_playbook(tmp_path, 'user_once.yml', sim.params(VENDOR), extra=dict(user=user), check=check,
                        verbosity=verbosity, env=DIFF)


def ok(run):
    assert run.rc == 0 and run.result is not None and not run.result.get('failed'), run.output[-3000:]
    return run.result


def failed(run):
    assert run.result is not None and run.result.get('failed') is True, run.output[-3000:]
    return run.result


def test_check_create_apply_again_update_delete_delete_again(sim, tmp_path):
    uid = 'new.hire@example.com'
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, check=True, uid=uid, first_name='New', last_name='Hire', user_password=PASSWORD))
    assert result['changed'] is True and result['actions'] == ['create']
    assert result['user']['uid'] == uid and result['user']['id'] is None
    assert writes(sim) == [] and uid not in accounts(sim)

    result = ok(user_run(sim, tmp_path, uid=uid, first_name='New', last_name='Hire', display_name='New Hire',
                         user_password=PASSWORD, password_never_expires=True))
    assert result['changed'] is True and result['actions'] == ['create', 'update']
    assert result['diff']['before'] == {} and result['diff']['after']['password'] == '********'
    created = accounts(sim)[uid]
    assert created['password_set'] == 1
    record = created['record']
    assert (record['firstName'], record['lastName'], record['displayName'], record['enabled'], record['passwordNeverExpire'],
            record['accountSource']) == ('New', 'Hire', 'New Hire', True, True, 'LOCAL')
    # Create with a password, then the one field the create call does not take; the password only once.
    assert writes(sim) == [('POST', '/api/v1/account'), ('PUT', '/api/v1/account')]
    assert accounts(sim)[uid]['password_set'] == 1

    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, first_name='New', last_name='Hire', display_name='New Hire',
                         user_password=PASSWORD, password_never_expires=True))
    assert result['changed'] is False and result['actions'] == [] and 'diff' not in result
    assert writes(sim) == []

    before = accounts(sim)[uid]['record']
    result = ok(user_run(sim, tmp_path, uid=uid, display_name='N. Hire'))
    assert result['changed'] is True and result['actions'] == ['update']
    assert result['diff']['before']['display_name'] == 'New Hire' and result['diff']['after']['display_name'] == 'N. Hire'
    after = accounts(sim)[uid]['record']
    assert after.pop('displayName') == 'N. Hire'
    for key in ('displayName', 'modifiedAt', 'modifiedBy'):
        before.pop(key)
        after.pop(key, None)
    assert after == before

    sim.clear_log()
    result = ok(user_run(sim, tmp_path, check=True, uid=uid, state='absent'))
    assert result['changed'] is True and writes(sim) == [] and uid in accounts(sim)
    result = ok(user_run(sim, tmp_path, uid=uid, state='absent'))
    assert result['changed'] is True and result['actions'] == ['delete'] and result['user'] is None
    assert uid not in accounts(sim)
    assert writes(sim) == [('DELETE', '/api/v1/account')]
    viability = [entry for entry in sim.log(VENDOR) if entry['query'].get('checkDeleteViability')]
    assert len(viability) == 2  # the check-mode run and the real one, each before deciding
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, state='absent'))
    assert result['changed'] is False and writes(sim) == []


def rich_user(sim):
    """A fleet user with devices whose record carries every field an update could clear."""
    for item in sim.users(VENDOR):
        record = item['record']
        if record['deviceCount'] and record['gdprProfileId'] and record['managedAppleId'] and record['edipi']:
            return record
    raise AssertionError('the fleet has no user with every field set')


def test_updating_one_field_leaves_every_other_field_unchanged(sim, tmp_path):
    record = rich_user(sim)
    uid = record['uid']
    before = sim.users(VENDOR)
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, edipi='5550001234'))
    assert result['changed'] is True and result['actions'] == ['update']
    after = sim.users(VENDOR)
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(changed) == 1 and len(before) == len(after)
    old, new = changed[0]
    assert new['record'].pop('edipi') == '5550001234'
    for key in ('edipi', 'modifiedAt', 'modifiedBy'):
        old['record'].pop(key)
        new['record'].pop(key, None)
    assert json.dumps(new, sort_keys=True) == json.dumps(old, sort_keys=True)
    # The PUT carried the whole record: the fields the reference says it clears otherwise.
    body = [entry['body'] for entry in sim.log(VENDOR) if entry['method'] == 'PUT'][0]
    for field in ('displayName', 'emailAddress', 'firstName', 'lastName', 'enabled', 'passwordNeverExpire', 'gdprProfileId',
                  'managedAppleId', 'edipi', 'androidWorkDeviceAccountEnabled'):
        assert field + '=' in body


def test_a_user_with_devices_is_not_deleted_and_the_vendor_says_why(sim, tmp_path):
    uid = rich_user(sim)['uid']
    sim.clear_log()
    result = failed(user_run(sim, tmp_path, uid=uid, state='absent'))
    assert 'ACCOUNT_HAS_DEVICES' in result['msg'] and 'registered device' in result['msg']
    assert result['delete_blockers'] and result['changed'] is False
    assert uid in accounts(sim) and writes(sim) == []


def test_the_tenant_admin_is_not_deleted(sim, tmp_path):
    uid = sim.params(VENDOR)['username']
    result = failed(user_run(sim, tmp_path, uid=uid, state='absent'))
    assert 'ACCOUNT_IS_SUPERUSER' in result['msg'] and uid in accounts(sim)


def test_create_without_password_then_enable_and_invite_once(sim, tmp_path):
    uid = 'no.password@example.com'
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, enabled=True, invite=True, device_ownership='company'))
    assert result['actions'] == ['create', 'update', 'invite']
    assert writes(sim) == [('POST', '/api/v1/accounts'), ('PUT', '/api/v1/account'), ('POST', '/api/v1/invite/enduser')]
    invite = [entry for entry in sim.log(VENDOR) if entry['path'] == '/api/v1/invite/enduser'][0]
    assert 'deviceOwnershipType=COMPANY' in invite['body']
    record = accounts(sim)[uid]['record']
    assert record['enabled'] is True and record['inviteState'] == 'Pending' and accounts(sim)[uid]['password_set'] == 0
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, enabled=True, invite=True, device_ownership='company'))
    assert result['changed'] is False and writes(sim) == []


def test_password_always_is_sent_and_never_shown(sim, tmp_path):
    uid = 'pw.always@example.com'
    ok(user_run(sim, tmp_path, uid=uid, user_password=PASSWORD))
    sim.clear_log()
    run = user_run(sim, tmp_path, verbosity=4, uid=uid, user_password=PASSWORD + 'x', update_password='always')
    result = ok(run)
    assert result['changed'] is True and result['actions'] == ['update']
    assert accounts(sim)[uid]['password_set'] == 2
    assert PASSWORD not in run.output and PASSWORD not in json.dumps(result)
    assert PASSWORD not in json.dumps(sim.log(VENDOR))
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, user_password=PASSWORD))
    assert result['changed'] is False and writes(sim) == []


def test_custom_attributes_with_and_without_force(sim, tmp_path):
    uid = 'attrs@example.com'
    ok(user_run(sim, tmp_path, uid=uid))
    result = ok(user_run(sim, tmp_path, uid=uid, custom_attributes={'ios': ['10'], 'cost_center': 'CC-7'}))
    assert result['actions'] == ['custom_attributes']
    assert accounts(sim)[uid]['custom_attributes'] == {'ios': ['10'], 'cost_center': ['CC-7']}
    ok(user_run(sim, tmp_path, uid=uid, custom_attributes={'ios': ['11']}))
    assert accounts(sim)[uid]['custom_attributes']['ios'] == ['10']
    ok(user_run(sim, tmp_path, uid=uid, custom_attributes={'ios': ['11']}, force_overwrite=True))
    assert accounts(sim)[uid]['custom_attributes']['ios'] == ['11']
    patch = [entry for entry in sim.log(VENDOR) if entry['method'] == 'PATCH'][-1]
    assert json.loads(patch['body'])['forceOverwrite'] is True


def test_registration_pin_needs_the_pin_policy(sim, tmp_path):
    uid = 'pin.user@example.com'
    ok(user_run(sim, tmp_path, uid=uid))
    result = failed(user_run(sim, tmp_path, uid=uid, registration_pin=True))
    assert 'REGISTRATION_PIN_NOT_ENABLED' in result['msg']

    conn = sim.params(VENDOR)
    sim.clear_log()
    policy = dict(mode='pin', pin_length=6, pin_lifetime=259200000)
    result = ok(run_playbook(tmp_path, 'registration_policy_once.yml', conn, extra=dict(policy=policy), check=True, env=DIFF))
    assert result['changed'] is True and result['policy']['mode'] == 'pin' and writes(sim) == []
    result = ok(run_playbook(tmp_path, 'registration_policy_once.yml', conn, extra=dict(policy=policy), env=DIFF))
    assert result['changed'] is True and result['diff']['before']['mode'] == 'password'
    assert result['policy'] == dict(result['policy'], mode='pin', pin_length=6, pin_lifetime=259200000, pin_type='NUMERIC')
    assert writes(sim) == [('PUT', '/api/v1/userpolicy')]
    put = json.loads([entry for entry in sim.log(VENDOR) if entry['method'] == 'PUT'][0]['body'])
    assert put['uuid'] and put['name'] == 'Device Registration Authentication Type' and put['pinResetByUser'] is True
    sim.clear_log()
    result = ok(run_playbook(tmp_path, 'registration_policy_once.yml', conn, extra=dict(policy=policy), env=DIFF))
    assert result['changed'] is False and writes(sim) == []

    sim.clear_log()
    check = ok(user_run(sim, tmp_path, check=True, uid=uid, registration_pin=True, enrollment_url=True))
    assert check['changed'] is True and check['registration_pin'] is None and check['enrollment_url'] is None
    assert writes(sim) == []
    run = user_run(sim, tmp_path, verbosity=4, uid=uid, registration_pin=True)
    result = ok(run)
    pin = result['registration_pin']['pin']
    assert len(pin) == 6 and pin.isdigit() and 'enrollment_url' not in result
    assert accounts(sim)[uid]['record']['registrationPin']['pin'] == pin
    assert pin not in json.dumps(result['user']) and pin not in json.dumps(sim.log(VENDOR))

    # Neither the PIN, which the account listing carries, nor the password is shown when not asked for.
    run = run_playbook(tmp_path, 'user_info_once.yml', conn, extra=dict(search={'uid': uid}), verbosity=4)
    info = ok(run)
    assert [user['uid'] for user in info['users']] == [uid]
    assert '"%s"' % pin not in run.output and "'%s'" % pin not in run.output and pin not in json.dumps(info)
    # A directory of its own: the diff of the task that writes the result file would show the previous result.
    fresh = tmp_path / 'fresh'
    fresh.mkdir()
    run = user_run(sim, fresh, verbosity=4, uid=uid, display_name='Pin User')
    assert ok(run)['changed'] is True and '"%s"' % pin not in run.output and 'registration_pin' not in run.result


def test_enrollment_url_only_where_asked(sim, tmp_path):
    uid = 'enroll@example.com'
    ok(user_run(sim, tmp_path, uid=uid))
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, enrollment_url=True, token_lifetime=86400000))
    url = result['enrollment_url']
    assert url.startswith('https://') and 'token=' in url
    token = url.split('token=')[1]
    assert token not in json.dumps(result['user']) and token not in json.dumps(result.get('diff'))
    body = json.loads([entry for entry in sim.log(VENDOR) if entry['path'] == '/api/v1/tenant/enrollment/url'][0]['body'])
    assert body['tokenLifetime'] == 86400000 and body['accountIds'] == [int(result['user']['id'])]
    assert token not in json.dumps(sim.log(VENDOR))


def test_ldap_import_completed(sim, tmp_path):
    uid = 'ldap.user5@example.com'
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, ldap_import=True, ldap_server='corp-ldap', send_invite=True,
                         device_ownership='employee', **FAST_LDAP))
    assert result['changed'] is True and result['actions'] == ['ldap_import']
    assert result['ldap_import']['status'] == 'COMPLETED' and result['ldap_import']['checks'] == 2
    record = accounts(sim)[uid]['record']
    assert record['accountSource'] == 'LDAP' and record['inviteState'] == 'Pending'
    imports = [entry for entry in sim.log(VENDOR) if entry['path'] == '/api/v1/ldap/import/user']
    assert imports[0]['query'] == {'uidOrEmail': [uid], 'ldapServerName': ['corp-ldap'], 'sendInvite': ['true'],
                                   'deviceOwnershipType': ['EMPLOYEE']}
    sim.clear_log()
    result = ok(user_run(sim, tmp_path, uid=uid, ldap_import=True, ldap_server='corp-ldap', **FAST_LDAP))
    assert result['changed'] is False and writes(sim) == []


@pytest.mark.parametrize('uid, server, code, text', [
    ('nobody@example.com', None, 'LDAP_USER_IMPORT-106', 'The LDAP user nobody@example.com not found to import.'),
    ('ldap.invalid@example.com', None, 'KC-103', 'The LDAP entry has invalid attribute to be imported.'),
    ('ldap.user6@example.com', 'invalid-ldap', 'LDAP_USER_IMPORT-103', 'No LDAP server with name invalid-ldap found.'),
    ('ldap.lost@example.com', None, 'LDAP_USER_IMPORT-100', 'The LDAP user import request id'),
])
def test_ldap_import_failures_carry_the_vendor_code_and_message(sim, tmp_path, uid, server, code, text):
    options = dict(FAST_LDAP, uid=uid, ldap_import=True)
    if server:
        options['ldap_server'] = server
    result = failed(user_run(sim, tmp_path, **options))
    assert code in result['msg'] and text in result['msg']
    if code in ('LDAP_USER_IMPORT-106', 'KC-103'):
        assert result['ldap_import']['status'] == 'FAILED' and result['ldap_import']['error_code'] == code
    else:
        assert result.get('error_code') == code
    assert uid not in accounts(sim)


# Bad input and other vendors are refused before any request: unit tests (tests/unit/plugins/modules/test_bad_inputs.py,
# test_guards_refuse_before_any_request); MaaS360 below, end to end.


def test_user_info_lists_every_page_and_changes_nothing(sim, tmp_path):
    sim.clear_log()
    expected = [item['record']['uid'] for item in sim.users(VENDOR)]
    result = ok(run_playbook(tmp_path, 'user_info_once.yml', sim.params(VENDOR), extra=dict(search={'page_size': 7})))
    assert result['changed'] is False
    assert sorted(user['uid'] for user in result['users']) == sorted(expected)
    gets = [entry for entry in sim.log(VENDOR) if entry['path'] == '/api/v1/account']
    # MobileIron Cloud pages by index, so every page after the first starts one row early (the overlap row that
    # makes a shifted listing visible): pages of 7 advance by 6 rows after the first.
    assert len(gets) == 1 + -(-(len(expected) - 7) // 6)
    assert writes(sim) == []
    assert not any(set(user) & {'password', 'passwordHistory', 'registrationPin', 'pin'} for user in result['users'])
    result = ok(run_playbook(tmp_path, 'user_info_once.yml', sim.params(VENDOR), extra=dict(search={'uid': 'nobody@nowhere'})))
    assert result['users'] == []


def test_maas360_user_info_lists_every_page_and_finds_one(sim, tmp_path):
    expected = sim.users('maas360')
    assert len(expected) > 25
    sim.clear_log()
    conn = sim.params('maas360')
    result = ok(run_playbook(tmp_path, 'user_info_once.yml', conn, extra=dict(search={'page_size': 25})))
    assert [user['email'] for user in result['users']] == [item['record']['emailAddress'] for item in expected]
    assert result['users'][0]['id'] == expected[0]['record']['userIdentifier']
    searches = [entry for entry in sim.log('maas360') if entry['path'].startswith('/user-apis/')]
    assert len(searches) == -(-len(expected) // 25)
    assert all(entry['query']['includeAllUsers'] == ['1'] for entry in searches)
    wanted = expected[-1]['record']
    result = ok(run_playbook(tmp_path, 'user_info_once.yml', conn, extra=dict(search={'uid': wanted['userName'].upper()})))
    assert [user['display_name'] for user in result['users']] == [wanted['fullName']]
    result = failed(run_playbook(tmp_path, 'user_once.yml', conn, extra=dict(user={'uid': wanted['userName']})))
    assert 'not supported by IBM MaaS360' in result['msg']
