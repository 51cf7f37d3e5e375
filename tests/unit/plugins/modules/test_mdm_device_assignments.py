# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device profiles / apps (ManageEngine MDM) run() against a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, NotSupportedError

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules.test_mdm_device import (
    CORE,
    DEVICE,
    MAAS,
    ME,
    ME_HEADERS,
    OTHER,
    Failed,
    details,
    put,
    run_device,
)

PROFILE = 12354
WIFI = 12355
VPN = 12356
APP = 9007199254740996
PORTAL = 9007199254740997
NOTES = 9007199254740999
LABEL = 90086789628394940


def profiles(*records, device_id=DEVICE, status=200, query=None, metadata=None):
    reply = {'profiles': [{'profile_id': pid, 'profile_name': name, 'status': 'SCHEDULED', 'platform_type': 'android'}
                          for pid, name in records]}
    if metadata is not None:
        reply['metadata'] = metadata
    if status == 404:
        reply = {'error_code': 'COM0008', 'error_description': 'Device not found'}
    return Expect('GET', '/api/v1/mdm/devices/%s/profiles' % device_id, query=query or {}, headers=ME_HEADERS, reply=reply,
                  status=status)


def apps(*records, device_id=DEVICE):
    listed = [{'app_id': aid, 'app_name': name, 'identifier': 'com.example.%d' % aid, 'platform_type': 'android'}
              for aid, name in records]
    # Only "apps" counts as associated: "installed_apps" may keep an app the device still has.
    return Expect('GET', '/api/v1/mdm/devices/%s/apps' % device_id, query={}, headers=ME_HEADERS,
                  reply={'installed_apps': listed + [{'app_id': NOTES, 'app_name': 'Field Notes'}], 'apps': listed})


def write(method, kind, body, device_id=DEVICE, status=204):
    reply = None if status == 204 else {'error_code': 'COM0005', 'error_description': 'Invalid profile_ids'}
    return Expect(method, '/api/v1/mdm/devices/%s/%s' % (device_id, kind), query={}, headers=ME_HEADERS, json=body,
                  reply=reply, status=status)


def test_only_the_difference_is_sent_removals_first_apps_grouped_by_options():
    script = [
        profiles((WIFI, 'Corporate Wi-Fi'), (PROFILE, 'Test Profile')),
        apps((PORTAL, 'Company Portal')),
        write('DELETE', 'profiles', {'profile_ids': [WIFI]}),
        write('POST', 'profiles', {'profile_ids': [VPN]}),
        write('DELETE', 'apps', {'app_ids': [PORTAL]}),
        write('POST', 'apps', {'id': int(DEVICE), 'app_details': [{'app_id': APP, 'release_label_id': LABEL}]}),
        write('POST', 'apps', {'id': int(DEVICE), 'app_details': [{'app_id': NOTES}], 'silent_install': True,
                               'do_not_uninstall': False}),
    ]
    changed, result, diff = run_device(
        ME, script, devices=[DEVICE],
        profiles=[{'id': str(VPN)}, {'id': str(PROFILE)}, {'name': 'Corporate Wi-Fi', 'state': 'absent'}],
        apps=[{'id': str(APP), 'release_label_id': str(LABEL)},
              {'id': str(NOTES), 'silent_install': True, 'do_not_uninstall': False},
              {'name': 'Company Portal', 'state': 'absent'}, {'name': 'Not There', 'state': 'absent'}])
    assert changed is True and result['requests'] == 5 and result['failures'] == []
    item = result['devices'][0]
    assert item['profiles_added'] == [str(VPN)] and item['profiles_removed'] == [str(WIFI)]
    assert sorted(item['apps_added']) == sorted([str(APP), str(NOTES)]) and item['apps_removed'] == [str(PORTAL)]
    assert diff == {'before': {DEVICE: {'profiles': [str(PROFILE), str(WIFI)], 'apps': [str(PORTAL)]}},
                    'after': {DEVICE: {'profiles': [str(PROFILE), str(VPN)], 'apps': [str(APP), str(NOTES)]}}}


def test_second_identical_run_and_check_mode_send_no_write():
    wanted = dict(devices=[DEVICE, OTHER], profiles=[{'id': str(VPN)}], apps=[{'name': 'Company Portal'}])
    changed, result, diff = run_device(ME, [profiles((VPN, 'VPN')), apps((PORTAL, 'Company Portal')),
                                            profiles((VPN, 'VPN'), device_id=OTHER), apps((PORTAL, 'Company Portal'), device_id=OTHER)],
                                       **wanted)
    assert changed is False and result['requests'] == 0 and diff is None
    changed, result, diff = run_device(ME, [profiles(), apps((PORTAL, 'Company Portal')),
                                            profiles((VPN, 'VPN'), device_id=OTHER), apps((PORTAL, 'Company Portal'), device_id=OTHER)],
                                       check_mode=True, **wanted)
    assert changed is True and result['requests'] == 0
    assert [(item['device_id'], item['changed'], item['profiles_added']) for item in result['devices']] == [
        (DEVICE, True, [str(VPN)]), (OTHER, False, [])]
    assert diff == {'before': {DEVICE: {'profiles': []}}, 'after': {DEVICE: {'profiles': [str(VPN)]}}}


def test_details_and_profiles_in_one_task_read_everything_before_the_first_write():
    script = [profiles(), details(), put({'asset_tag': 'IT-7'}), write('POST', 'profiles', {'profile_ids': [VPN]})]
    changed, result, diff = run_device(ME, script, devices=[DEVICE], details={'asset_tag': 'IT-7'}, profiles=[{'id': str(VPN)}])
    assert changed is True and result['requests'] == 2
    assert result['devices'] == [dict(device_id=DEVICE, changed=True, fields=['asset_tag'], status=None, profiles_added=[str(VPN)],
                                      profiles_removed=[], apps_added=[], apps_removed=[])]
    assert diff['after'] == {DEVICE: {'asset_tag': 'IT-7', 'profiles': [str(VPN)]}}


def test_a_name_the_device_lacks_cannot_be_associated_and_nothing_is_written():
    with pytest.raises(InvalidInputError) as err:
        run_device(ME, [profiles((WIFI, 'Corporate Wi-Fi')), profiles(device_id=OTHER)], devices=[DEVICE, OTHER],
                   profiles=[{'name': 'Corporate Wi-Fi'}])
    assert 'profiles[0].name' in str(err.value) and OTHER in str(err.value) and 'give its id' in str(err.value)


def test_a_name_two_profiles_share_must_be_an_id():
    with pytest.raises(InvalidInputError) as err:
        run_device(ME, [profiles((WIFI, 'Wi-Fi'), (VPN, 'Wi-Fi'))], devices=[DEVICE], profiles=[{'name': 'Wi-Fi', 'state': 'absent'}])
    assert 'give the id' in str(err.value) and '12355, 12356' in str(err.value)


def test_present_and_absent_for_the_same_profile_is_refused():
    with pytest.raises(InvalidInputError) as err:
        run_device(ME, [profiles((WIFI, 'Corporate Wi-Fi'))], devices=[DEVICE],
                   profiles=[{'id': str(WIFI)}, {'name': 'Corporate Wi-Fi', 'state': 'absent'}])
    assert 'both present and absent' in str(err.value)


@pytest.mark.parametrize('params, option', [
    (dict(profiles=[{'id': 'abc'}]), 'profiles[0].id'),
    (dict(profiles=[{'id': '1', 'name': 'x'}]), 'profiles[0]'),
    (dict(profiles=[{'state': 'absent'}]), 'profiles[0]'),
    (dict(profiles=[{'id': '1'}, {'id': '1', 'state': 'absent'}]), 'option profiles'),
    (dict(apps=[{'id': '1', 'state': 'absent', 'silent_install': True}]), 'apps[0]'),
    (dict(apps=[{'id': '1', 'release_label_id': 'prod'}]), 'apps[0].release_label_id'),
    (dict(apps=[{'name': ' '}]), 'apps[0].name'),
])
def test_bad_items_fail_before_any_request(params, option):
    with pytest.raises(InvalidInputError) as err:
        run_device(ME, [], devices=[DEVICE], **params)
    assert option in str(err.value)


def test_state_absent_takes_no_profiles_or_apps():
    with pytest.raises((InvalidInputError, NotSupportedError)) as err:
        run_device(ME, [], devices=[DEVICE], state='absent', profiles=[{'id': '1'}])
    assert 'profiles' in str(err.value) or 'not supported' in str(err.value)
    with pytest.raises(InvalidInputError) as err:
        run_device(CORE, [], devices=['a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9'], state='absent', apps=[{'id': '1'}])
    assert 'option apps' in str(err.value)


@pytest.mark.parametrize('options', [MAAS, CORE])
def test_other_vendors_are_not_supported_before_any_request(options):
    with pytest.raises(NotSupportedError) as err:
        run_device(options, [], devices=['a1'], profiles=[{'id': '1'}])
    assert 'profiles' in str(err.value)


def test_a_missing_device_is_a_failure_and_the_others_are_still_written():
    with pytest.raises(Failed) as err:
        run_device(ME, [profiles(status=404), profiles(device_id=OTHER), write('POST', 'profiles', {'profile_ids': [VPN]}, OTHER)],
                   devices=[DEVICE, OTHER], profiles=[{'id': str(VPN)}])
    outcome = err.value.args[0]
    assert outcome['failures'] == [dict(device_id=DEVICE, reason='no such device')]
    assert outcome['changed'] is True and outcome['requests'] == 1
    assert [item['profiles_added'] for item in outcome['devices']] == [[], [str(VPN)]]


def test_a_refused_write_is_a_failure_and_the_next_call_is_still_sent():
    with pytest.raises(Failed) as err:
        run_device(ME, [profiles(), apps(), write('POST', 'profiles', {'profile_ids': [VPN]}, status=400),
                        write('POST', 'apps', {'id': int(DEVICE), 'app_details': [{'app_id': APP}]})],
                   devices=[DEVICE], profiles=[{'id': str(VPN)}], apps=[{'id': str(APP)}])
    outcome = err.value.args[0]
    assert [item['device_id'] for item in outcome['failures']] == [DEVICE] and 'Invalid profile_ids' in outcome['failures'][0]['reason']
    item = outcome['devices'][0]
    assert item['profiles_added'] == [] and item['apps_added'] == [str(APP)] and item['changed'] is True


def test_a_reply_that_reports_more_records_is_read_on():
    script = [profiles((WIFI, 'Corporate Wi-Fi'), metadata={'total_record_count': 2}),
              profiles((VPN, 'VPN'), query={'limit': '200', 'offset': '1'}, metadata={'total_record_count': 2})]
    changed, result, _diff = run_device(ME, script, devices=[DEVICE], profiles=[{'id': str(VPN)}, {'id': str(WIFI)}])
    assert changed is False and result['requests'] == 0
