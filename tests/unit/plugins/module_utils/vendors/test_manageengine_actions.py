# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine MDM device commands against a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import NEUTRAL_ACTIONS, UNKNOWN_ADVICE, summarise
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine import actions as mea

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

API_KEY = 'D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE'
ONPREM = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key=API_KEY)
BASE = 9007199254741000


def ids(*numbers):
    return [str(BASE + n) for n in numbers]


def post(path, json_body=None, reply=None, status=202, **kwargs):
    return Expect('POST', path, headers={'Authorization': API_KEY}, json=json_body, reply=reply, status=status, **kwargs)


def catalogue():
    adapter, _session, _sleeps = build(ONPREM, [])
    return adapter, adapter.capabilities['actions'].action_catalogue()


def test_catalogue_has_every_documented_action_and_the_neutral_names():
    _adapter, cat = catalogue()
    vendor_names = set(spec.vendor_name for spec in cat.values())
    for action in mea.DEVICE_ACTIONS:
        assert action in vendor_names
        assert 'knox_' + action in cat
    assert 'remove_action' in cat
    for name, spec in cat.items():
        if spec.neutral:
            assert name in NEUTRAL_ACTIONS
    mapped = dict((name, cat[name].vendor_name) for name in mea.NEUTRAL)
    assert mapped['wipe'] == 'complete_wipe' and mapped['selective_wipe'] == 'corporate_wipe'
    assert mapped['locate'] == 'fetch_location' and mapped['wakeup'] == 'scan'
    assert cat['wipe'].destructive and cat['selective_wipe'].destructive and cat['knox_complete_wipe'].destructive
    assert not cat['lock'].destructive and not cat['remove_action'].destructive
    assert cat['wipe'].done_statuses == frozenset(('wiped', 'retired'))
    assert cat['wakeup'].batch == mea.BULK_MAX and cat['lock'].batch == 1
    assert 'groups' in cat['wakeup'].params and 'groups' not in cat['lock'].params
    assert cat['knox_lock'].platforms == frozenset(('android',))
    assert 'message' in cat['lock'].params and 'message' not in cat['restart'].params
    # Not a documented ManageEngine command: no send_message, unlock, retire.
    assert not set(('send_message', 'unlock', 'retire')) & set(cat)


def test_check_action_rejects_unknown_and_wrong_params_before_any_request():
    adapter, cat = catalogue()
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['actions'].check_action(cat['restart'], {'wipe_sd_card': True})
    assert err.value.option == 'params' and 'wipe_sd_card' in str(err.value)
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['actions'].check_action(cat['wakeup'], {'groups': ['12', 'sales']})
    assert err.value.option == 'params.groups'
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['actions'].check_action(cat['remove_action'], {})
    assert err.value.option == 'params.action_name'
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['actions'].check_action(cat['remove_action'], {'action_name': 'selfdestruct'})
    assert 'lock' in err.value.allowed
    assert adapter.capabilities['actions'].check_action(cat['wipe'], {'wipe_sd_card': 'yes'}) == {'wipe_sd_card': True}


@pytest.mark.parametrize('bad', ['abc', '12-3', '', ' ', None, True, '9007199254741000x', u'\u0661\u0662', '1 2'])
def test_malformed_device_ids_are_refused(bad):
    adapter, _cat = catalogue()
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['actions'].check_device_ids(['9007199254741000', bad])
    assert err.value.option == 'devices'


def test_device_ids_are_kept_as_text():
    adapter, _cat = catalogue()
    assert adapter.capabilities['actions'].check_device_ids([9007199254741001, ' 9007199254741002 ']) == ids(1, 2)


def test_lock_sends_one_request_per_device_with_the_documented_body():
    adapter, cat = catalogue()
    spec = cat['lock']
    params = adapter.capabilities['actions'].check_action(spec, {'message': 'Call IT', 'unlock_pin': '012345'})
    script = [post('/api/v1/mdm/devices/%s/actions/lock' % device,
                   json_body={'lock_message': 'Call IT', 'unlock_pin': '012345', 'action_name': 'lock'}) for device in ids(1, 2)]
    adapter, session, _sleeps = build(ONPREM, script)
    adapter.capabilities['actions'].check_action(spec, params)
    results = adapter.capabilities['actions'].send_action(spec, params, ids(1, 2), concurrency=1)
    session.assert_done()
    assert [r['outcome'] for r in results] == ['sent', 'sent']
    assert [r['device_id'] for r in results] == ids(1, 2)
    assert results[0]['data']['action_name'] == 'lock'


def test_refused_device_is_failed_and_pin_never_shows():
    adapter0, cat = catalogue()
    spec = cat['lock']
    refused = post('/api/v1/mdm/devices/%s/actions/lock' % ids(1)[0], status=400,
                   reply={'error_code': 'COM0014', 'error_description': 'pin 987654 refused'})
    adapter, session, _sleeps = build(ONPREM, [refused, post('/api/v1/mdm/devices/%s/actions/lock' % ids(2)[0])])
    params = adapter.capabilities['actions'].check_action(spec, {'unlock_pin': '987654'})
    results = adapter.capabilities['actions'].send_action(spec, params, ids(1, 2), concurrency=1)
    session.assert_done()
    assert [r['outcome'] for r in results] == ['failed', 'sent']
    assert 'COM0014' in results[0]['message'] or 'refused' in results[0]['message']
    assert '987654' not in json.dumps(results)


def test_an_unreadable_reply_to_a_command_is_unknown_not_failed():
    # The server handled the command, then answered more than a reply may hold: the device may have it.
    adapter, cat = catalogue()
    spec = cat['lock']
    huge = post('/api/v1/mdm/devices/%s/actions/lock' % ids(1)[0], reply=b' ' * 4096)
    adapter, session, _sleeps = build(ONPREM, [huge], max_reply_bytes=1024)
    params = adapter.capabilities['actions'].check_action(spec, {})
    results = adapter.capabilities['actions'].send_action(spec, params, ids(1), concurrency=1)
    session.assert_done()
    assert [r['outcome'] for r in results] == ['unknown']
    assert 'more than the 1024 bytes' in results[0]['message'] and UNKNOWN_ADVICE in results[0]['message']


def test_lost_reply_is_unknown_and_never_sent_again():
    adapter, cat = catalogue()
    spec = cat['wipe']
    lost = post('/api/v1/mdm/devices/%s/actions/complete_wipe' % ids(1)[0], raise_exc=requests.exceptions.ReadTimeout('read timed out'))
    adapter, session, sleeps = build(ONPREM, [lost])
    results = adapter.capabilities['actions'].send_action(spec, {}, ids(1))
    session.assert_done()
    assert len(session.calls) == 1 and sleeps == []
    assert results[0]['outcome'] == 'unknown' and UNKNOWN_ADVICE in results[0]['message']


def test_not_found_device_is_failed():
    adapter, cat = catalogue()
    missing = post('/api/v1/mdm/devices/%s/actions/restart' % ids(9)[0], status=404,
                   reply={'error_code': 'COM0008', 'error_description': 'Device not found'})
    adapter, session, _sleeps = build(ONPREM, [missing])
    results = adapter.capabilities['actions'].send_action(cat['restart'], {}, ids(9))
    assert results[0]['outcome'] == 'failed' and 'no such device' in results[0]['message']


def test_knox_action_uses_the_knox_path_and_body():
    adapter, cat = catalogue()
    adapter, session, _sleeps = build(ONPREM, [post('/api/v1/mdm/devices/%s/knox_actions/lock' % ids(3)[0],
                                                    json_body={'action_name': 'lock'})])
    results = adapter.capabilities['actions'].send_action(cat['knox_lock'], {}, ids(3))
    session.assert_done()
    assert results[0]['outcome'] == 'sent'


def test_knox_precheck_wants_knox_details_and_android():
    adapter, cat = catalogue()
    spec = cat['knox_lock']
    devices = {
        '1': {'mdm_platform': 'android', 'mdm_status': 'active', 'mdm_raw': {'knox_details': {'knox_version': 2}}},
        '2': {'mdm_platform': 'android', 'mdm_status': 'active', 'mdm_raw': {}},
        '3': {'mdm_platform': 'ios', 'mdm_status': 'active', 'mdm_raw': {}},
    }
    verdicts = adapter.capabilities['actions'].precheck_action(spec, devices)
    assert sorted(verdicts) == ['2', '3']
    assert all(v['outcome'] == 'not_applicable' for v in verdicts.values())


def test_wipe_precheck_skips_wiped_and_retired():
    adapter, cat = catalogue()
    devices = dict((str(n), {'mdm_platform': 'ios', 'mdm_status': status}) for n, status in
                   enumerate(('active', 'wiped', 'retired', 'pending')))
    verdicts = adapter.capabilities['actions'].precheck_action(cat['wipe'], devices)
    assert sorted(verdicts) == ['1', '2'] and all(v['outcome'] == 'skipped' for v in verdicts.values())


def test_bulk_scan_batches_and_maps_na_list():
    adapter, cat = catalogue()
    spec = cat['wakeup']
    devices = ids(*range(mea.BULK_MAX + 5))
    first, second = devices[:mea.BULK_MAX], devices[mea.BULK_MAX:]
    reply1 = {'success_list': [{'device_id': int(d), 'remarks': None, 'status': 'SCHEDULED'} for d in first[1:]],
              'na_list': [{'device_id': int(first[0]), 'remarks': 'The app is not compatible for this platform', 'status': 'SCHEDULED'}],
              'total_count': len(first), 'success_count': len(first) - 1, 'not_applicable_count': 1}
    reply2 = {'success_list': [{'device_id': int(d), 'status': 'SCHEDULED'} for d in second[:-1]], 'na_list': []}
    adapter, session, _sleeps = build(ONPREM, [
        post('/api/v1/mdm/actions/AssetScan', json_body={'command_name': 'AssetScan', 'devices': [int(d) for d in first],
                                                         'groups': ['9007199254741597']}, reply=reply1, status=200),
        post('/api/v1/mdm/actions/AssetScan', json_body={'command_name': 'AssetScan', 'devices': [int(d) for d in second]},
             reply=reply2, status=200),
    ])
    results = adapter.capabilities['actions'].send_action(spec, {'groups': ['9007199254741597']}, devices)
    session.assert_done()
    assert [r['device_id'] for r in results] == devices
    assert results[0]['outcome'] == 'not_applicable' and 'not compatible' in results[0]['message']
    assert results[-1]['outcome'] == 'failed'
    summary = summarise(results)
    assert summary['sent'] == len(devices) - 2 and summary['not_applicable'] == 1 and summary['failed'] == 1


def test_bulk_group_members_beyond_the_ids_are_reported_with_the_first_result():
    adapter, cat = catalogue()
    reply = {'success_list': [{'device_id': int(d), 'status': 'SCHEDULED'} for d in ids(1, 7)],
             'na_list': [{'device_id': int(ids(8)[0]), 'remarks': 'not managed'}]}
    adapter, session, _sleeps = build(ONPREM, [post('/api/v1/mdm/actions/AssetScan', reply=reply, status=200,
                                                    json_body={'command_name': 'AssetScan', 'devices': [int(ids(1)[0])],
                                                               'groups': ['42']})])
    results = adapter.capabilities['actions'].send_action(cat['wakeup'], {'groups': ['42']}, ids(1))
    session.assert_done()
    assert [r['device_id'] for r in results] == ids(1)
    via = dict((item['device_id'], item['outcome']) for item in results[0]['data']['via_groups'])
    assert via == {ids(7)[0]: 'sent', ids(8)[0]: 'not_applicable'}
    assert results[0]['data']['groups'] == ['42']


def test_bulk_lost_reply_is_unknown_for_the_whole_batch_only():
    adapter, cat = catalogue()
    devices = ids(*range(mea.BULK_MAX + 1))
    reply = {'success_list': [{'device_id': int(devices[-1]), 'status': 'SCHEDULED'}], 'na_list': []}
    adapter, session, _sleeps = build(ONPREM, [
        post('/api/v1/mdm/actions/AssetScan', raise_exc=requests.exceptions.ConnectionError('connection reset by peer')),
        post('/api/v1/mdm/actions/AssetScan', reply=reply, status=200),
    ])
    results = adapter.capabilities['actions'].send_action(cat['wakeup'], {}, devices)
    session.assert_done()
    assert len(session.calls) == 2
    assert set(r['outcome'] for r in results[:-1]) == set(['unknown']) and results[-1]['outcome'] == 'sent'


def test_remove_action_deletes_the_pending_action():
    adapter, cat = catalogue()
    adapter, session, _sleeps = build(ONPREM, [
        Expect('DELETE', '/api/v1/mdm/devices/%s/actions/lock' % ids(1)[0], headers={'Authorization': API_KEY}, status=204),
        Expect('DELETE', '/api/v1/mdm/devices/%s/actions/lock' % ids(2)[0], status=404,
               reply={'error_code': 'COM0008', 'error_description': 'No pending lock action'}),
    ])
    results = adapter.capabilities['actions'].send_action(cat['remove_action'], {'action_name': 'lock'}, ids(1, 2), concurrency=1)
    session.assert_done()
    assert [r['outcome'] for r in results] == ['completed', 'failed']


def recent(device, code, name='DeviceLock', description=None):
    return Expect('GET', '/api/v1/mdm/devices/%s/actions/recent_command' % device,
                  reply={'status_code': code, 'command_name': name, 'status_description': description or str(code)})


def test_wait_follows_recent_command_until_success_or_failure():
    adapter, cat = catalogue()
    spec = cat['lock']
    d1, d2, d3 = ids(1, 2, 3)
    adapter, session, _sleeps = build(ONPREM, [
        recent(d1, 1), recent(d2, 0, description='Command Failed'), recent(d3, 2, name='AssetScan'),
        recent(d1, 2, description='Command Success'), recent(d3, 2),
    ])
    from ansible_collections.fleetops.mdm.plugins.module_utils.actions import result
    results = [result(d, 'sent') for d in (d1, d2, d3)]
    assert adapter.capabilities['actions'].wait_actions(spec, results, timeout=10, interval=0) is True
    session.assert_done()
    assert [r['outcome'] for r in results] == ['completed', 'failed', 'completed']
    assert results[0]['message'] == 'Command Success'


def test_wait_times_out_leaving_sent():
    adapter, cat = catalogue()
    d1 = ids(1)[0]
    adapter, session, _sleeps = build(ONPREM, [recent(d1, 1)])
    from ansible_collections.fleetops.mdm.plugins.module_utils.actions import result
    results = [result(d1, 'sent', 'accepted')]
    assert adapter.capabilities['actions'].wait_actions(cat['lock'], results, timeout=0, interval=1) is True
    assert results[0]['outcome'] == 'sent' and 'still not completed' in results[0]['message']


def test_knox_and_remove_are_not_followed():
    adapter, cat = catalogue()
    assert adapter.capabilities['actions'].wait_actions(cat['knox_lock'], [], timeout=5, interval=0) is False
    assert adapter.capabilities['actions'].wait_actions(cat['remove_action'], [], timeout=5, interval=0) is False


def test_bulk_unreadable_reply_is_unknown():
    adapter, cat = catalogue()
    adapter, session, _sleeps = build(ONPREM, [post('/api/v1/mdm/actions/AssetScan', reply='{"success_list": [', status=200,
                                                    content_type='application/json')])
    results = adapter.capabilities['actions'].send_action(cat['wakeup'], {}, ids(1, 2))
    session.assert_done()
    assert [r['outcome'] for r in results] == ['unknown', 'unknown']


def test_knox_precheck_reads_the_details_of_listed_devices():
    adapter, cat = catalogue()
    listed = {'1': {'mdm_platform': 'android', 'mdm_status': 'active'}, '2': {'mdm_platform': 'android', 'mdm_status': 'active'},
              '3': {'mdm_platform': 'ios', 'mdm_status': 'active'}}
    adapter, session, _sleeps = build(ONPREM, [
        Expect('GET', '/api/v1/mdm/devices/1', reply={'device_id': 1, 'knox_details': {'knox_version': 2}}),
        Expect('GET', '/api/v1/mdm/devices/2', reply={'device_id': 2, 'platform_type': 'android'}),
    ], ordered=False)
    verdicts = adapter.capabilities['actions'].precheck_action(cat['knox_lock'], listed)
    session.assert_done()
    assert sorted(verdicts) == ['2', '3'] and all(session_call['method'] == 'GET' for session_call in session.calls)
