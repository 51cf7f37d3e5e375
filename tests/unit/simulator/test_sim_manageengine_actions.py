"""The ManageEngine device-command endpoints of the simulator (on-premises API key; the cloud shares the dialect)."""

import requests

from mdmsim.dialects.manageengine.dialect import _group_id


def call(sim, method, path, body=None):
    params = sim.params('manageengine_onprem')
    return requests.request(method, params['url'] + path, json=body, verify=sim.ca_path, timeout=10,
                            headers={'Authorization': params['api_key'], 'Accept': 'application/json'})


def records(sim):
    return sim.devices('manageengine')


def one(sim, skip=0, **wanted):
    found = [r for r in records(sim) if all(r.get(k) == v for k, v in wanted.items())]
    return str(found[skip]['device_id'])


def entries(sim, start):
    return [item for item in sim.ledger()[start:] if item['vendor'] == 'manageengine']


def test_single_action_is_accepted_recorded_and_completes_on_the_second_read(sim):
    device = one(sim, managed_status=2)
    start = len(sim.ledger())
    reply = call(sim, 'POST', '/api/v1/mdm/devices/%s/actions/lock' % device,
                 {'action_name': 'lock', 'lock_message': 'hi', 'unlock_pin': '7345'})
    assert reply.status_code == 202 and reply.content == b''
    [item] = entries(sim, start)
    assert (item['action'], item['device_id'], item['command_name'], item['lock_message']) == ('lock', device, 'DeviceLock', 'hi')
    assert 'unlock_pin' not in item and item['fields'] == ['lock_message', 'unlock_pin']
    logged = [e for e in sim.log('manageengine') if e['method'] == 'POST'][-1]
    assert '7345' not in logged['body']
    first = call(sim, 'GET', '/api/v1/mdm/devices/%s/actions/recent_command' % device).json()
    second = call(sim, 'GET', '/api/v1/mdm/devices/%s/actions/recent_command' % device).json()
    assert (first['status_code'], first['command_name']) == (1, 'DeviceLock')
    assert (second['status_code'], second['status_description']) == (2, 'Command Success')


def test_bad_requests_are_refused_and_not_recorded(sim):
    device = one(sim, managed_status=2)
    start = len(sim.ledger())
    assert call(sim, 'POST', '/api/v1/mdm/devices/%s/actions/explode' % device, {}).status_code == 400
    assert call(sim, 'POST', '/api/v1/mdm/devices/%s/actions/lock' % device, {'colour': 'red'}).status_code == 400
    assert call(sim, 'POST', '/api/v1/mdm/devices/%s/actions/lock' % device, {'action_name': 'scan'}).status_code == 400
    assert call(sim, 'POST', '/api/v1/mdm/devices/1/actions/lock', {}).status_code == 404
    iphone = one(sim, managed_status=2, platform_type='ios')
    assert call(sim, 'POST', '/api/v1/mdm/devices/%s/knox_actions/lock' % iphone, {'action_name': 'lock'}).status_code == 400
    assert call(sim, 'POST', '/api/v1/mdm/actions/DeviceLock', {'devices': [int(device)]}).status_code == 400
    assert call(sim, 'POST', '/api/v1/mdm/actions/AssetScan', {'devices': []}).status_code == 400
    assert entries(sim, start) == []
    unauthenticated = requests.post(sim.url('manageengine') + '/api/v1/mdm/devices/%s/actions/lock' % device, json={},
                                    verify=sim.ca_path, timeout=10)
    assert unauthenticated.status_code == 401


def test_knox_details_and_knox_actions_on_samsung_android(sim):
    samsung = [r for r in records(sim) if r['platform_type'] == 'android' and r['product_name'] == 'samsung' and r['managed_status'] == 2]
    device = str(samsung[0]['device_id'])
    assert 'knox_details' in call(sim, 'GET', '/api/v1/mdm/devices/%s' % device).json()
    start = len(sim.ledger())
    assert call(sim, 'POST', '/api/v1/mdm/devices/%s/knox_actions/lock' % device, {'action_name': 'lock'}).status_code == 202
    assert [(i['action'], i['device_id']) for i in entries(sim, start)] == [('knox_lock', device)]


def test_bulk_scan_lists_success_and_na_and_follows_groups(sim):
    device = one(sim, managed_status=2)
    removed = str([r for r in records(sim) if r['is_removed']][0]['device_id'])
    start = len(sim.ledger())
    reply = call(sim, 'POST', '/api/v1/mdm/actions/AssetScan',
                 {'command_name': 'AssetScan', 'devices': [int(device), int(removed), 1]}).json()
    assert [str(i['device_id']) for i in reply['success_list']] == [device]
    assert [str(i['device_id']) for i in reply['na_list']] == [removed]
    assert (reply['success_count'], reply['not_applicable_count'], reply['total_count']) == (1, 1, 3)
    assert [(i['action'], i['device_id'], i['command_name']) for i in entries(sim, start)] == [('scan', device, 'AssetScan')]
    members = set(str(i['record']['device_id']) for i in sim.device_labels('manageengine') if 'Kiosk' in i['labels'])
    start = len(sim.ledger())
    reply = call(sim, 'POST', '/api/v1/mdm/actions/AssetScan', {'devices': [], 'groups': [str(_group_id('Kiosk'))]}).json()
    listed = set(str(i['device_id']) for i in reply['success_list'] + reply['na_list'])
    assert listed == members
    assert sorted(i['device_id'] for i in entries(sim, start)) == sorted(str(i['device_id']) for i in reply['success_list'])
    assert call(sim, 'POST', '/api/v1/mdm/actions/AssetScan', {'groups': ['12']}).status_code == 400


def test_remove_action_only_while_pending_on_both_paths(sim):
    device = one(sim, managed_status=2, skip=3)
    assert call(sim, 'POST', '/api/v1/mdm/devices/%s/actions/restart' % device, {}).status_code == 202
    start = len(sim.ledger())
    assert call(sim, 'DELETE', '/api/v1/mdm/devices/%s/actions/lock' % device).status_code == 404
    assert call(sim, 'DELETE', '/devices/%s/actions/restart' % device).status_code == 204
    assert call(sim, 'DELETE', '/api/v1/mdm/devices/%s/actions/restart' % device).status_code == 404
    assert [(i['action'], i['action_name']) for i in entries(sim, start)] == [('remove_action', 'restart')]
    assert call(sim, 'POST', '/api/v1/mdm/devices/%s/actions/restart' % device, {}).status_code == 202
    for _unused in range(2):
        call(sim, 'GET', '/api/v1/mdm/devices/%s/actions/recent_command' % device)
    # Performed: no longer removable.
    assert call(sim, 'DELETE', '/api/v1/mdm/devices/%s/actions/restart' % device).status_code == 404
