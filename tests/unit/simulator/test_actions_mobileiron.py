"""The MobileIron Core and Cloud device-command endpoints of the simulator: limits, refusals, ledger."""

import pytest
import requests

from mdmsim.control import Simulator


@pytest.fixture(scope='module')
def sim():
    """A simulator of its own: these tests write to the action ledger, which other tests expect empty."""
    simulator = Simulator(devices=60, seed=13)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def core(sim, method, path, query=None, **kwargs):
    params = sim.params('mobileiron_core')
    query = dict({'adminDeviceSpaceId': 1}, **(query or {}))
    return requests.request(method, params['url'] + path, params=query, auth=(params['username'], params['password']),
                            verify=sim.ca_path, timeout=10, **kwargs)


def cloud(sim, verb, form):
    params = sim.params('mobileiron_cloud')
    return requests.put(params['url'] + '/api/v1/device/' + verb, data=form, auth=(params['username'], params['password']),
                        verify=sim.ca_path, timeout=10)


def new_entries(sim, start):
    return sim.ledger()[start:]


def test_core_refuses_more_than_512_uuids_and_an_unknown_action_type(sim):
    uuids = [record['common.uuid'] for record in sim.devices('mobileiron_core')]
    start = len(sim.ledger())
    assert core(sim, 'PUT', '/api/v2/devices/lock', json={'deviceUuids': (uuids * 20)[:513]}).status_code == 400
    assert core(sim, 'POST', '/api/v2/devices/action', {'actionType': 'SELF_DESTRUCT'},
                json={'deviceUuids': uuids[:1]}).status_code == 400
    assert core(sim, 'PUT', '/api/v2/devices/lock', json={'deviceUuids': uuids[:1]}).status_code == 200
    assert core(sim, 'PUT', '/api/v2/devices/lock', {'adminDeviceSpaceId': 2}, json={'deviceUuids': uuids[:1]}).status_code == 400
    assert [(e['action'], e['device_id']) for e in new_entries(sim, start)] == [('LOCK', uuids[0])]


def test_core_reports_unknown_devices_and_platforms_per_device(sim):
    records = sim.devices('mobileiron_core')
    android = next(r['common.uuid'] for r in records if r['common.platform'] == 'Android')
    missing = 'a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9'
    start = len(sim.ledger())
    reply = core(sim, 'POST', '/api/v2/devices/action', {'actionType': 'UPDATE_OS'},
                 json={'deviceUuids': [android, missing], 'note': 'x'}).json()
    assert reply['successful'] is False and reply['actionType'] == 'UPDATE_OS'
    assert 'Android' in reply['deviceResults'][android] and reply['deviceResults'][missing] == 'Device not found'
    assert new_entries(sim, start) == []


def test_core_teamviewer_reads_the_form_and_checks_the_platform(sim):
    params = sim.params('mobileiron_core')
    ios = next(r['common.uuid'] for r in sim.devices('mobileiron_core') if r['common.platform'] == 'iOS')
    url = params['url'] + '/msa/v2/remote/create_teamviewer_session_%s'
    auth = (params['username'], params['password'])
    wrong = requests.post(url % 'android', data={'adminDeviceSpaceId': 1, 'deviceUuid': ios}, auth=auth, verify=sim.ca_path,
                          timeout=10)
    assert wrong.status_code == 400
    start = len(sim.ledger())
    right = requests.post(url % 'ios', data={'adminDeviceSpaceId': 1, 'deviceUUID': ios}, auth=auth, verify=sim.ca_path,
                          timeout=10)
    assert right.status_code == 200 and right.json()['results']['supporter_link'].startswith('[https://')
    assert [(e['action'], e['device_id']) for e in new_entries(sim, start)] == [('TEAMVIEWER_SESSION', ios)]


def test_cloud_refuses_more_than_200_ids_and_unknown_devices_whole(sim):
    ids = [str(record['id']) for record in sim.devices('mobileiron_cloud')]
    start = len(sim.ledger())
    assert cloud(sim, 'lock', {'ids': ','.join((ids * 20)[:201])}).status_code == 400
    refused = cloud(sim, 'lock', {'ids': '%s,99999999' % ids[0]})
    assert refused.status_code == 400 and '99999999' in refused.text
    assert new_entries(sim, start) == []
    accepted = cloud(sim, 'forceCheckin', {'ids': ids[0]})
    assert accepted.status_code == 200 and accepted.json() == {'errors': None, 'result': 1}
    assert [(e['action'], e['device_id']) for e in new_entries(sim, start)] == [('FORCE_CHECKIN', ids[0])]
    assert cloud(sim, 'message', {'deviceIds': ids[0]}).status_code == 400


def test_reply_forms_answer_as_the_recorded_servers_do(sim):
    uuid = next(r['common.uuid'] for r in sim.devices('mobileiron_core') if r['common.status'] == 'ACTIVE')
    device_id = str(next(r['id'] for r in sim.devices('mobileiron_cloud') if r['registrationState'] == 'ACTIVE'))
    try:
        assert core(sim, 'PUT', '/api/v2/devices/wakeup', json={'deviceUuids': [uuid]}).json()['actionType'] == 'WAKEUP_DEVICE'
        sim.set_reply_form('mobileiron_core', 'recorded_action_type')
        sim.set_reply_form('mobileiron_cloud', 'result_zero')
        reply = core(sim, 'PUT', '/api/v2/devices/wakeup', json={'deviceUuids': [uuid]}).json()
        assert reply == {'actionType': 'WAKE_UP', 'deviceResults': {uuid: 'com.mobileiron.vsp.messages.device.action.successful'},
                         'successful': True}
        # Only the wake-up was recorded spelled otherwise.
        assert core(sim, 'PUT', '/api/v2/devices/lock', json={'deviceUuids': [uuid]}).json()['actionType'] == 'LOCK'
        start = len(sim.ledger())
        answer = cloud(sim, 'lock', {'ids': device_id})
        assert answer.status_code == 200 and answer.json() == {'errors': None, 'result': 0}
        assert new_entries(sim, start) == []
        with pytest.raises(Exception) as caught:
            sim.set_reply_form('mobileiron_cloud', 'no_such_form')
        assert 'result_zero' in str(caught.value)
    finally:
        sim.clear_reply_forms()
    assert cloud(sim, 'lock', {'ids': device_id}).json() == {'errors': None, 'result': 1}
