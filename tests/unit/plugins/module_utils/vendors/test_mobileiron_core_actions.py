# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Core device commands against a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest
import requests

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import NEUTRAL_ACTIONS, UNKNOWN_ADVICE
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.session import DEVICE_FIELDS

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

PASSWORD = 'Corr3ct-Horse!'
OPTIONS = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password=PASSWORD)
HEADERS = {'Authorization': 'Basic ' + base64.b64encode(('apiadmin:' + PASSWORD).encode()).decode(),
           'Accept': 'application/json'}
OK = 'com.mobileiron.vsp.messages.device.action.successful'
SPACE = {'adminDeviceSpaceId': '1'}


def uuid(number):
    return '%08x-0000-4000-8000-%012x' % (number, number)


def reply(action_type, device_results, successful=None, **extra):
    body = {'actionType': action_type, 'deviceResults': device_results,
            'successful': all(v == OK for v in device_results.values()) if successful is None else successful}
    body.update(extra)
    return body


def put(verb, body, answer, query=None, **kwargs):
    return Expect('PUT', '/api/v2/devices/%s' % verb, query=query or SPACE, headers=HEADERS, json=body, reply=answer,
                  **kwargs)


def adapter_for(script, ordered=True):
    adapter, session, _sleeps = build(OPTIONS, script, ordered=ordered)
    return adapter, session


def test_catalogue_has_every_documented_command():
    adapter, _session = adapter_for([])
    catalogue = adapter.capabilities['actions'].action_catalogue()
    neutral = sorted(name for name, spec in catalogue.items() if spec.neutral)
    assert neutral == ['check_compliance', 'lock', 'remote_session', 'retire', 'send_message', 'unlock', 'wakeup', 'wipe']
    assert all(name in NEUTRAL_ACTIONS for name in neutral)
    own = sorted(name for name, spec in catalogue.items() if not spec.neutral)
    assert own == sorted(['ENABLE_VOICE_ROAMING', 'DISABLE_VOICE_ROAMING', 'ENABLE_DATA_ROAMING', 'DISABLE_DATA_ROAMING',
                          'ENABLE_PERSONAL_HOTSPOT', 'DISABLE_PERSONAL_HOTSPOT', 'SEND_MESSAGE', 'UPDATE_OS',
                          'UNLOCK_APP_CONNECT_CONTAINER', 'UNLOCK_DEVICE_ONLY'])
    assert catalogue['UPDATE_OS'].platforms == frozenset(['ios'])
    assert catalogue['UNLOCK_APP_CONNECT_CONTAINER'].platforms == frozenset(['android'])
    assert catalogue['remote_session'].platforms == frozenset(['android', 'ios'])
    assert catalogue['wipe'].destructive and catalogue['retire'].destructive and not catalogue['lock'].destructive
    assert catalogue['retire'].done_statuses == frozenset(['retired', 'wiped'])
    assert all(spec.batch == 512 for name, spec in catalogue.items() if name != 'remote_session')
    assert catalogue['wakeup'].vendor_name == 'wakeup' and catalogue['send_message'].vendor_name == 'sendmessage'


@pytest.mark.parametrize('name, params, option', [
    ('send_message', {'message': 'hi', 'message_type': 'email'}, 'subject'),
    ('send_message', {'message': 'hi', 'message_type': 'sms', 'subject': 'x'}, 'subject'),
    ('send_message', {'message': 'hi', 'message_type': 'fax'}, 'params.message_type'),
    ('send_message', {}, 'params.message'),
    ('SEND_MESSAGE', {'message': 'hi', 'message_type': 'sms'}, 'params.subject'),
    ('ENABLE_DATA_ROAMING', {'note': 'x' * 201}, 'params.note'),
    ('lock', {'message': 'hi'}, 'params'),
])
def test_bad_parameters_fail_before_any_request(name, params, option):
    adapter, session = adapter_for([])
    with pytest.raises(InvalidInputError) as caught:
        adapter.capabilities['actions'].check_action(adapter.capabilities['actions'].action_catalogue()[name], params)
    assert caught.value.option == option
    assert session.calls == []


def test_device_ids_are_uuids_lower_case_each_once():
    adapter, session = adapter_for([])
    assert adapter.capabilities['actions'].check_device_ids([uuid(1).upper(), uuid(1), uuid(2)]) == [uuid(1), uuid(2)]
    with pytest.raises(InvalidInputError) as caught:
        adapter.capabilities['actions'].check_device_ids([uuid(1), '12345'])
    assert caught.value.option == 'devices' and session.calls == []


def test_lock_maps_each_device_result():
    answer = reply('LOCK', {uuid(1): OK, uuid(2): 'Device not found'})
    adapter, session = adapter_for([put('lock', {'deviceUuids': [uuid(1), uuid(2)], 'note': 'Employee left company.'}, answer)])
    spec = adapter.capabilities['actions'].action_catalogue()['lock']
    actions = adapter.capabilities['actions']
    results = actions.send_action(spec, actions.check_action(spec, {'note': 'Employee left company.'}), [uuid(1), uuid(2)])
    assert [(r['device_id'], r['outcome']) for r in results] == [(uuid(1), 'sent'), (uuid(2), 'failed')]
    assert 'Device not found' in results[1]['message']
    session.assert_done()


def test_more_than_512_uuids_go_in_batches_each_sent_once():
    uuids = [uuid(n) for n in range(600)]
    adapter, session = adapter_for([
        put('wakeup', {'deviceUuids': uuids[:512]}, reply('WAKEUP_DEVICE', dict((u, OK) for u in uuids[:512]))),
        put('wakeup', {'deviceUuids': uuids[512:]}, reply('WAKEUP_DEVICE', dict((u, OK) for u in uuids[512:]))),
    ])
    results = adapter.capabilities['actions'].send_action(adapter.capabilities['actions'].action_catalogue()['wakeup'], {}, uuids, concurrency=1)
    assert [r['device_id'] for r in results] == uuids and set(r['outcome'] for r in results) == {'sent'}
    session.assert_done()


def test_send_message_carries_mode_and_subject():
    body = {'deviceUuids': [uuid(1)], 'additionalParameters': {'message': 'Data roaming is expensive.', 'mode': 'email',
                                                               'subject': 'About data roaming'}}
    answer = reply('SEND_MESSAGE', {uuid(1): OK}, results=[{'resultId': '114', 'resultMessage': None, 'records': [uuid(1)]}],
                   resultCount=1)
    adapter, session = adapter_for([put('sendmessage', body, answer)])
    spec = adapter.capabilities['actions'].action_catalogue()['send_message']
    params = adapter.capabilities['actions'].check_action(spec, {'message': 'Data roaming is expensive.', 'message_type': 'email',
                                                                 'subject': 'About data roaming'})
    results = adapter.capabilities['actions'].send_action(spec, params, [uuid(1)])
    assert results == [{'device_id': uuid(1), 'outcome': 'sent', 'message': None, 'command_id': '114', 'data': None}]
    session.assert_done()


def test_action_type_goes_to_the_action_endpoint():
    body = {'deviceUuids': [uuid(1)], 'note': 'sample note',
            'additionalParameters': {'message': 'm', 'mode': 'sms', 'subject': 's', 'app': 'Motorola MC75'}}
    adapter, session = adapter_for([Expect('POST', '/api/v2/devices/action', query=dict(SPACE, actionType='SEND_MESSAGE'),
                                           headers=HEADERS, json=body, reply=reply('SEND_MESSAGE', {uuid(1): OK}))])
    spec = adapter.capabilities['actions'].action_catalogue()['SEND_MESSAGE']
    params = adapter.capabilities['actions'].check_action(spec, {'message': 'm', 'message_type': 'sms', 'subject': 's', 'note': 'sample note',
                                                                 'app': 'Motorola MC75'})
    assert adapter.capabilities['actions'].send_action(spec, params, [uuid(1)])[0]['outcome'] == 'sent'
    session.assert_done()


def test_check_compliance_of_selected_and_of_every_device():
    records = [{'resultId': '7', 'resultMessage': None, 'records': [uuid(1), uuid(2)]}]
    adapter, session = adapter_for([
        put('checkcompliance', {'deviceUuids': [uuid(1)]}, reply('CHECK_COMPLIANCE', {}, results=records[:1]),
            query=dict(SPACE, allDevices='false')),
        put('checkcompliance', {}, reply('CHECK_COMPLIANCE', {}, results=records), query=dict(SPACE, allDevices='true')),
    ])
    spec = adapter.capabilities['actions'].action_catalogue()['check_compliance']
    assert adapter.capabilities['actions'].send_action(spec, adapter.capabilities['actions'].check_action(spec, {}), [uuid(1)])[0]['outcome'] == 'sent'
    results = adapter.capabilities['actions'].send_action(spec, adapter.capabilities['actions'].check_action(spec, {'all_devices': True}), [uuid(1), uuid(2)])
    assert [(r['outcome'], r['command_id']) for r in results] == [('sent', '7'), ('sent', '7')]
    session.assert_done()


@pytest.mark.parametrize('failure, outcome', [
    (dict(raise_exc=requests.exceptions.ConnectionError('Connection aborted.')), 'unknown'),
    (dict(raise_exc=requests.exceptions.ReadTimeout('read timed out')), 'unknown'),
    (dict(status=504, reply={'error': 'Gateway Timeout'}), 'unknown'),
    (dict(reply='<html>half a repl', content_type='application/json'), 'unknown'),
    (dict(status=400, reply={'messages': [{'localizedMessage': 'deviceUuids is required'}]}), 'failed'),
])
def test_a_failed_request_is_never_sent_again(failure, outcome):
    # The script holds one request: a second attempt would fail the test.
    failure = dict(failure)
    adapter, session = adapter_for([put('retire', {'deviceUuids': [uuid(1), uuid(2)]}, failure.pop('reply', None), **failure)])
    results = adapter.capabilities['actions'].send_action(adapter.capabilities['actions'].action_catalogue()['retire'], {}, [uuid(1), uuid(2)])
    assert [r['outcome'] for r in results] == [outcome, outcome]
    if outcome == 'unknown':
        assert UNKNOWN_ADVICE in results[0]['message']
    session.assert_done()


def search_for(uuids, records):
    query = ' OR '.join('"common.uuid"="%s"' % u for u in uuids)
    params = dict(SPACE, fields=','.join(DEVICE_FIELDS), query=query, limit='200', offset='0')
    return Expect('GET', '/api/v2/devices', query=params, headers=HEADERS, reply={'results': records, 'totalCount': len(records), 'resultCount': len(records)})


def test_retire_skips_devices_already_retired_naming_the_core_status():
    records = [{'common.uuid': uuid(1), 'common.platform': 'Android', 'common.status': 'ACTIVE'},
               {'common.uuid': uuid(2), 'common.platform': 'iOS', 'common.status': 'RETIRE_PENDING'},
               {'common.uuid': uuid(3), 'common.platform': 'iOS', 'common.status': 'WIPED'}]
    adapter, session = adapter_for([search_for([uuid(1), uuid(2), uuid(3), uuid(4)], records)])
    spec = adapter.capabilities['actions'].action_catalogue()['retire']
    targets = adapter.capabilities['actions'].action_targets(spec, [uuid(1), uuid(2), uuid(3), uuid(4)])
    assert sorted(targets) == [uuid(1), uuid(2), uuid(3)]
    verdicts = adapter.capabilities['actions'].precheck_action(spec, targets)
    assert sorted(verdicts) == [uuid(2), uuid(3)]
    assert verdicts[uuid(2)]['outcome'] == 'skipped' and 'RETIRE_PENDING' in verdicts[uuid(2)]['message']
    assert 'WIPED' in verdicts[uuid(3)]['message']
    session.assert_done()


def test_remote_session_uses_the_platform_path_and_returns_the_links():
    records = [{'common.uuid': uuid(1), 'common.platform': 'Android', 'common.status': 'ACTIVE'},
               {'common.uuid': uuid(2), 'common.platform': 'Windows', 'common.status': 'ACTIVE'}]
    session_reply = {'results': {
        'httpStatus': 'OK', 'error': None, 'code': 's35-924-946', 'state': 'Open', 'groupid': 'g86972161',
        'assigned_userid': 'u75347768', 'end_customer_link': 'https://get.teamviewer.com/s35924946',
        'supporter_link': '[https://get.teamviewer.com/s35924946-9c0G78d8rMMZ]', 'valid_until': '2019-04-10T01:46:06Z'},
        'messages': [{'type': 'Info', 'messageKey': 'com.mobileiron.vsp.messages.teamviewer.create.session'}]}
    adapter, session = adapter_for([
        search_for([uuid(1), uuid(2)], records),
        Expect('POST', '/msa/v2/remote/create_teamviewer_session_android', headers=HEADERS,
               form={'adminDeviceSpaceId': '1', 'deviceUuid': uuid(1)}, reply=session_reply),
    ])
    spec = adapter.capabilities['actions'].action_catalogue()['remote_session']
    targets = adapter.capabilities['actions'].action_targets(spec, [uuid(1), uuid(2)])
    verdicts = adapter.capabilities['actions'].precheck_action(spec, targets)
    assert verdicts[uuid(2)]['outcome'] == 'not_applicable'
    results = adapter.capabilities['actions'].send_action(spec, {}, [uuid(1)])
    assert results[0]['outcome'] == 'completed' and results[0]['command_id'] == 's35-924-946'
    assert results[0]['data']['supporter_link'] == 'https://get.teamviewer.com/s35924946-9c0G78d8rMMZ'
    assert results[0]['data']['end_customer_link'] == 'https://get.teamviewer.com/s35924946'
    session.assert_done()
