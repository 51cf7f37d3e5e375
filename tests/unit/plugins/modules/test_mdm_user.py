# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_user and mdm_registration_policy run() against adapters that talk to a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, NotSupportedError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.modules import mdm_registration_policy, mdm_user
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

CLOUD = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='admin', password='pw')
CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password='pw')
UID = 'jane@example.com'
RECORD = {
    'id': 10022, 'uid': UID, 'emailAddress': UID, 'accountSource': 'LOCAL', 'displayName': 'Jane', 'firstName': 'Jane',
    'lastName': 'Doe', 'enabled': True, 'passwordNeverExpire': False, 'gdprProfileId': None, 'managedAppleId': None,
    'edipi': None, 'androidWorkDeviceAccountEnabled': False, 'inviteState': 'Completed', 'deviceCount': 1,
}
FakeModule = fakes.FakeModule.for_module(mdm_user, uid=UID)
PolicyModule = fakes.FakeModule.for_module(mdm_registration_policy)


def lookup(record):
    return Expect('GET', '/api/v1/account', query={'fq': 'UID=%s' % UID},
                  reply={'errors': None, 'result': {'totalCount': 1 if record else 0, 'searchResults': [record] if record else []}})


def run_user(options, script, check_mode=False, **params):
    adapter, session, _sleeps = build(options, script)
    try:
        return mdm_user.run(FakeModule(check_mode=check_mode, **params), adapter)
    finally:
        session.assert_done()


def test_check_mode_predicts_without_writing():
    changed, result, diff = run_user(CLOUD, [lookup(RECORD)], check_mode=True, display_name='J. Doe',
                                     user_password='S3cret!', update_password='always', invite=True)
    assert changed is True and result['actions'] == ['update']
    assert diff['after']['display_name'] == 'J. Doe' and diff['after']['password'] == '********'
    assert 'S3cret!' not in repr((result, diff))


def test_nothing_to_change_is_not_a_change():
    changed, result, diff = run_user(CLOUD, [lookup(RECORD)], display_name='Jane', enabled=True, user_password='S3cret!',
                                     invite=True)
    assert (changed, result['actions'], diff) == (False, [], None)


def test_an_empty_text_clears_the_field():
    record = dict(RECORD, edipi='123')
    put = Expect('PUT', '/api/v1/account', reply={'errors': None, 'result': 1})
    changed, result, _diff = run_user(CLOUD, [lookup(record), put, lookup(dict(record, edipi=None))], edipi='')
    assert changed is True and result['user']['edipi'] is None


def test_a_user_that_cannot_be_deleted_is_reported_and_kept():
    blockers = Expect('GET', '/api/v1/account', query={'checkDeleteViability': 'true', 'ids': '10022'}, reply={
        'errors': None, 'result': {'searchResults': [{'code': 'ACCOUNT_HAS_DEVICES', 'message': 'has 1 device'}]}})
    with pytest.raises(PartialFailure) as info:
        run_user(CLOUD, [lookup(RECORD), blockers], state='absent')
    assert 'ACCOUNT_HAS_DEVICES: has 1 device' in info.value.msg and info.value.changed is False
    assert info.value.result['delete_blockers'] == ['ACCOUNT_HAS_DEVICES: has 1 device']


@pytest.mark.parametrize('params, option', [
    (dict(state='absent', invite=True), 'invite'),
    (dict(update_password='always'), 'user_password'),
    (dict(source='ldap'), 'source'),
    (dict(ldap_import=True, user_password='x'), 'user_password'),
    (dict(ldap_wait=30.0, ldap_timeout=10.0), 'ldap_timeout'),
    (dict(gdpr_profile_id='abc'), 'gdpr_profile_id'),
    (dict(custom_attributes={'ios': {'nested': 1}}), 'custom_attributes'),
    (dict(uid='  '), 'uid'),
])
def test_bad_input_fails_before_any_request(params, option):
    with pytest.raises(InvalidInputError) as info:
        run_user(CLOUD, [], **params)
    assert option in str(info.value)


def test_vendors_without_user_writes_are_refused_before_any_request():
    with pytest.raises(NotSupportedError):
        run_user(CORE, [])


def test_registration_policy_writes_the_whole_record_only_when_it_differs():
    policy = {'id': 50582, 'uuid': 'u-1', 'name': 'Device Registration Authentication Type', 'registrationAuthMode': 'PASSWORD',
              'pinType': 'NUMERIC', 'pinLength': 4, 'pinLifetimeMillis': 604800000, 'pinResetByUser': True}
    read = Expect('GET', '/api/v1/userpolicy', query={'policyType': 'REGISTRATION_AUTH'}, reply={'errors': None, 'result': policy})
    put = Expect('PUT', '/api/v1/userpolicy', query={'policyType': 'REGISTRATION_AUTH'},
                 json=dict(policy, registrationAuthMode='PIN', pinLength=6), reply={'errors': None, 'result': 1})
    params = dict(mode='pin', pin_length=6, pin_type=None, pin_lifetime=None, pin_reset_by_user=None)
    adapter, session, _sleeps = build(CLOUD, [read, put])
    changed, result, diff = mdm_registration_policy.run(PolicyModule(**params), adapter)
    session.assert_done()
    assert changed is True and result['policy']['mode'] == 'pin' and diff['before']['pin_length'] == 4
    adapter, session, _sleeps = build(CLOUD, [Expect('GET', '/api/v1/userpolicy', reply={
        'errors': None, 'result': dict(policy, registrationAuthMode='PIN', pinLength=6)})])
    assert mdm_registration_policy.run(PolicyModule(**params), adapter)[0] is False
    session.assert_done()
