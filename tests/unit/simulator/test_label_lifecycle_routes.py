"""The simulator's label lifecycle: ManageEngine's documented group create / delete calls, and MobileIron Core labels
made in the Admin Portal (an admin route: Core's API v2 has no call that creates a label)."""

import base64

import pytest
import requests

from mdmsim.control import Simulator, SimulatorError

GROUPS = '/api/v1/mdm/groups'


@pytest.fixture(scope='module')
def sim():
    """A simulator of its own: these tests create and delete labels where the shared one must not."""
    simulator = Simulator(devices=20, seed=9)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def me(sim, method, path, **kwargs):
    params = sim.params('manageengine_onprem')
    return requests.request(method, params['url'] + path, headers={'Authorization': params['api_key']},
                            verify=sim.ca_path, timeout=10, **kwargs)


def core(sim, method, path, **kwargs):
    params = sim.params('mobileiron_core')
    auth = base64.b64encode(('%s:%s' % (params['username'], params['password'])).encode()).decode()
    return requests.request(method, params['url'] + path, headers={'Authorization': 'Basic ' + auth},
                            params=dict(kwargs.pop('params', {}), adminDeviceSpaceId=1), verify=sim.ca_path, timeout=10,
                            **kwargs)


def group_list(sim):
    return dict((group['name'], group) for group in me(sim, 'GET', GROUPS, params={'limit': 200}).json()['groups'])


def test_manageengine_group_create_fill_delete_and_errors(sim):
    assert me(sim, 'POST', GROUPS, json={'name': 'Rollout', 'group_type': 2}).status_code == 400
    assert me(sim, 'POST', GROUPS, json={'group_type': 6}).status_code == 400
    created = me(sim, 'POST', GROUPS, json={'name': 'Rollout', 'group_type': 6, 'description': 'Wave 1'})
    assert created.status_code == 200
    group = created.json()
    assert group['name'] == 'Rollout' and group['group_type'] == 6 and group['description'] == 'Wave 1'
    assert me(sim, 'POST', GROUPS, json={'name': 'Rollout', 'group_type': 6}).status_code == 400  # names are unique
    assert group_list(sim)['Rollout']['member_count'] == 0 and group['group_id'] not in [
        other['group_id'] for name, other in group_list(sim).items() if name != 'Rollout']

    device = str(sim.devices('manageengine')[0]['device_id'])
    assert me(sim, 'POST', '%s/%s/members' % (GROUPS, group['group_id']), json={'member_ids': [int(device)]}).status_code == 204
    summary = me(sim, 'GET', '/api/v1/mdm/devices/%s/summary' % device).json()
    assert {'group_id': group['group_id'], 'group_name': 'Rollout'} in summary['group']

    assert me(sim, 'DELETE', '%s/%s' % (GROUPS, group['group_id'])).status_code == 204
    assert 'Rollout' not in group_list(sim)
    assert not any('Rollout' in item['labels'] for item in sim.device_labels('manageengine'))
    assert me(sim, 'DELETE', '%s/%s' % (GROUPS, group['group_id'])).status_code == 404
    ledger = [(item['action'], item.get('group')) for item in sim.ledger() if item.get('group') == 'Rollout']
    assert ledger == [('create_group', 'Rollout'), ('add_group_member', 'Rollout'), ('delete_group', 'Rollout')]


def test_mobileiron_core_label_made_in_the_admin_portal_is_listed_and_applied(sim):
    assert core(sim, 'POST', '/api/v2/labels', json={'name': 'Lost'}).status_code == 404  # no such API call
    added = sim.add_core_label('Lost')
    with pytest.raises(SimulatorError):
        sim.add_core_label('Lost')
    summary = core(sim, 'GET', '/api/v2/labels/label_summary', params={'limit': 200}).json()['results']
    assert {'id': added['id'], 'name': 'Lost', 'deviceCount': 0} == dict(
        (key, value) for key, value in [row for row in summary if row['name'] == 'Lost'][0].items()
        if key in ('id', 'name', 'deviceCount'))
    uuid = sim.devices('mobileiron_core')[0]['common.uuid']
    applied = core(sim, 'PUT', '/api/v2/devices/labels/Lost/add', json={'deviceUuids': [uuid]})
    assert applied.status_code == 200 and applied.json()['successful'] is True
    search = core(sim, 'GET', '/api/v2/devices', params={'labelId': added['id'], 'fields': 'common.uuid', 'limit': 200})
    assert [row['common.uuid'] for row in search.json()['results']] == [uuid]
