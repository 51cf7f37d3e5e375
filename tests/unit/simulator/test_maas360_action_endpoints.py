"""The MaaS360 dialect's v1 device actions: form posts, the ledger, unknown devices, XML, checkActionStatus."""

import xml.etree.ElementTree as ET

import pytest
import requests

from test_vendors import maas_token


def post_action(sim, token, verb, form, accept='application/json', **kwargs):
    params = sim.params('maas360')
    headers = {'Authorization': 'MaaS token="%s"' % token}
    if accept:
        headers['Accept'] = accept
    return requests.post('%s/device-apis/devices/1.0/%s/%s' % (params['url'], verb, params['billing_id']), data=form,
                         headers=headers, verify=sim.ca_path, timeout=10, **kwargs)


def check_status(sim, token, action_id):
    params = sim.params('maas360')
    return requests.get('%s/device-apis/devices/1.0/checkActionStatus/%s' % (params['url'], params['billing_id']),
                        params={'actionID': action_id}, headers={'Authorization': 'MaaS token="%s"' % token, 'Accept': 'application/json'},
                        verify=sim.ca_path, timeout=10)


def new_entries(sim, before):
    return [item for item in sim.ledger() if item['seq'] > before]


def last_seq(sim):
    ledger = sim.ledger()
    return ledger[-1]['seq'] if ledger else 0


@pytest.fixture(scope='module')
def device_ids(sim):
    return [record['maas360DeviceID'] for record in sim.devices('maas360')[:3]]


def test_an_accepted_action_is_one_ledger_entry_with_its_action_id(sim, device_ids):
    token = maas_token(sim)
    before = last_seq(sim)
    reply = post_action(sim, token, 'lockDevice', {'deviceId': device_ids[0]})
    assert reply.status_code == 200
    body = reply.json()['actionResponse']
    assert body['maas360DeviceID'] == device_ids[0] and body['actionStatus'] == 0 and body['actionID']
    entries = new_entries(sim, before)
    assert [(item['action'], item['device_id'], item['action_id']) for item in entries] == [
        ('lockDevice', device_ids[0], str(body['actionID']))]


def test_wipe_records_its_notify_fields(sim, device_ids):
    token = maas_token(sim)
    before = last_seq(sim)
    form = {'deviceId': device_ids[1], 'notifyMe': 'Yes', 'notifyUser': 'No', 'notifyOthers': 'a@example.com,b@example.com'}
    assert post_action(sim, token, 'wipeDevice', form).json()['actionResponse']['actionStatus'] == 0
    (entry,) = new_entries(sim, before)
    assert entry['notifyMe'] == 'Yes' and entry['notifyUser'] == 'No' and entry['notifyOthers'] == 'a@example.com,b@example.com'


def test_an_unknown_device_is_refused_in_the_action_response_and_not_recorded(sim):
    token = maas_token(sim)
    before = last_seq(sim)
    body = post_action(sim, token, 'lockDevice', {'deviceId': 'ApplNOSUCHDEVICE'}).json()['actionResponse']
    assert body['actionStatus'] == 1 and 'device' in body['description'].lower() and 'actionID' not in body
    assert new_entries(sim, before) == []


@pytest.mark.parametrize('verb, form, status', [
    ('sendMessage', {'message': 'hello'}, 400),
    ('lockDevice', {'deviceId': ' '}, 400),
    ('lockDevice', {'notifyMe': 'Yes'}, 400),
    ('wipeDevice', {'notifyMe': 'perhaps'}, 400),
])
def test_bad_forms_are_rejected_and_not_recorded(sim, device_ids, verb, form, status):
    token = maas_token(sim)
    before = last_seq(sim)
    form = dict({'deviceId': device_ids[0]}, **form)
    assert post_action(sim, token, verb, form).status_code == status
    assert new_entries(sim, before) == []


def test_a_json_body_is_not_a_form(sim, device_ids):
    token = maas_token(sim)
    params = sim.params('maas360')
    reply = requests.post('%s/device-apis/devices/1.0/lockDevice/%s' % (params['url'], params['billing_id']),
                          json={'deviceId': device_ids[0]}, headers={'Authorization': 'MaaS token="%s"' % token},
                          verify=sim.ca_path, timeout=10)
    assert reply.status_code == 415


def test_without_a_token_nothing_is_done(sim, device_ids):
    before = last_seq(sim)
    assert post_action(sim, 'not-a-token', 'wipeDevice', {'deviceId': device_ids[0]}).status_code == 401
    assert new_entries(sim, before) == []


def test_xml_reply_without_accept_json(sim, device_ids):
    token = maas_token(sim)
    reply = post_action(sim, token, 'hideDevice', {'deviceId': device_ids[2]}, accept=None)
    assert reply.headers['Content-Type'].startswith('application/xml')
    root = ET.fromstring(reply.content)
    assert root.tag == 'actionResponse' and root.findtext('actionStatus') == '0' and root.findtext('maas360DeviceID') == device_ids[2]


def test_locate_answers_with_a_stable_position(sim, device_ids):
    token = maas_token(sim)
    first = post_action(sim, token, 'locateDevice', {'deviceId': device_ids[0]}).json()['actionResponse']
    second = post_action(sim, token, 'locateDevice', {'deviceId': device_ids[0]}).json()['actionResponse']
    assert first == second
    assert -90 <= first['latitude'] <= 90 and -180 <= first['longitude'] <= 180 and first['locatedTime'].endswith('.0')


def test_check_action_status_completes_after_two_polls(sim, device_ids):
    token = maas_token(sim)
    action_id = post_action(sim, token, 'refreshDeviceInformation', {'deviceId': device_ids[0]}).json()['actionResponse']['actionID']
    first = check_status(sim, token, action_id).json()['actionStatusResponse']
    second = check_status(sim, token, action_id).json()['actionStatusResponse']
    assert (first['actionStatus'], second['actionStatus']) == ('Pending', 'Completed')
    assert second['maas360DeviceID'] == device_ids[0]
    assert check_status(sim, token, '999').status_code == 404


def test_the_v1_search_still_answers(sim):
    token = maas_token(sim)
    params = sim.params('maas360')
    reply = requests.get('%s/device-apis/devices/1.0/search/%s' % (params['url'], params['billing_id']),
                         params={'pageSize': 25, 'pageNumber': 1},
                         headers={'Authorization': 'MaaS token="%s"' % token, 'Accept': 'application/json'},
                         verify=sim.ca_path, timeout=10)
    assert reply.status_code == 200 and len(reply.json()['devices']['device']) == 25


def test_every_simulated_device_id_has_the_shape_the_adapter_accepts(sim):
    from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
    adapter = build_adapter(dict(sim.params('maas360'), vendor='maas360'))
    ids = [record['maas360DeviceID'] for record in sim.devices('maas360')]
    assert adapter.capabilities['actions'].check_device_ids(ids) == ids
