# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device profiles and apps (ManageEngine MDM) end to end against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from conftest import run_playbook

# The simulator's catalogue (dialects/manageengine/assignments.py): every device starts with profile 12355
# ("Corporate Wi-Fi") and app ...997 ("Company Portal").
VPN = '12356'
WIFI = '12355'
PORTAL = '9007199254740997'
NOTES_APP = '9007199254740999'
RED_BALL = '9007199254740996'


# A simulator of its own (conftest.py, sim): these tests change the profiles and apps of devices.
OWN_SIMULATOR = dict(devices=60, seed=13)


def writes(sim):
    return [(entry['method'], entry['path'], json.loads(entry['body']) if entry['body'] else None)
            for entry in sim.log('manageengine') if entry['method'] not in ('GET', 'HEAD')]


def device_ids(sim, count, start=0):
    return sorted(str(record['device_id']) for record in sim.devices('manageengine'))[start:start + count]


@pytest.mark.parametrize('flavour', ['manageengine', 'manageengine_onprem'])
def test_check_apply_apply_again_remove_remove_again(sim, tmp_path, flavour):
    devices = device_ids(sim, 2, start=0 if flavour == 'manageengine' else 10)
    conn = sim.params(flavour)
    wanted = dict(devices=devices,
                  profiles=[{'id': VPN}, {'name': 'Corporate Wi-Fi', 'state': 'absent'}],
                  apps=[{'id': NOTES_APP, 'silent_install': True, 'notify_user_via_email': False},
                        {'id': RED_BALL, 'release_label_id': '90086789628394940'},
                        {'name': 'Company Portal'}])
    before = dict((device, sim.manageengine_assignments(device)) for device in devices)
    assert all(state['profiles'] == [WIFI] and list(state['apps']) == [PORTAL] for state in before.values())

    # check mode: predicts, sends no write
    sim.clear_log()
    ledger_start = len(sim.ledger())
    run = run_playbook(tmp_path, 'device_assign.yml', conn, extra=wanted, check=True)
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True and run.result['requests'] == 0
    item = run.result['devices'][0]
    assert (item['profiles_added'], item['profiles_removed']) == ([VPN], [WIFI])
    assert (sorted(item['apps_added']), item['apps_removed']) == (sorted([NOTES_APP, RED_BALL]), [])
    assert run.result['diff']['before'][devices[0]] == {'profiles': [WIFI], 'apps': [PORTAL]}
    assert run.result['diff']['after'][devices[0]] == {'profiles': [VPN], 'apps': sorted([PORTAL, RED_BALL, NOTES_APP], key=int)}
    assert writes(sim) == [] and len(sim.ledger()) == ledger_start
    assert all(sim.manageengine_assignments(device) == before[device] for device in devices)

    # apply: only the difference, per device: profiles out, profiles in, then one app request per set of options
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_assign.yml', conn, extra=wanted)
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True and run.result['requests'] == 8 and run.result['failures'] == []
    sent = writes(sim)
    for device in devices:
        mine = [(method, body) for method, path, body in sent if path.startswith('/api/v1/mdm/devices/%s/' % device)]
        assert mine[:2] == [('DELETE', {'profile_ids': [int(WIFI)]}), ('POST', {'profile_ids': [int(VPN)]})]
        assert sorted(mine[2:], key=repr) == sorted([
            ('POST', {'id': int(device), 'app_details': [{'app_id': int(NOTES_APP)}], 'silent_install': True,
                      'notify_user_via_email': False}),
            ('POST', {'id': int(device), 'app_details': [{'app_id': int(RED_BALL), 'release_label_id': 90086789628394940}]}),
        ], key=repr)
        state = sim.manageengine_assignments(device)
        assert state['profiles'] == [VPN]
        assert sorted(state['apps']) == sorted([PORTAL, NOTES_APP, RED_BALL])
        assert state['apps'][NOTES_APP] == {'silent_install': True, 'notify_user_via_email': False, 'release_label_id': None}
    assert len(sim.ledger()) == ledger_start + 8

    # apply again: nothing to send
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_assign.yml', conn, extra=wanted)
    assert run.rc == 0 and run.result['changed'] is False and run.result['requests'] == 0, run.output[-3000:]
    assert 'diff' not in run.result or not run.result['diff'].get('after')
    assert writes(sim) == []

    # remove (by id and by name), then remove again
    removal = dict(devices=devices, profiles=[{'name': 'VPN', 'state': 'absent'}],
                   apps=[{'id': NOTES_APP, 'state': 'absent'}, {'name': 'Red Ball 4 (Ad Supported)', 'state': 'absent'}])
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_assign.yml', conn, extra=removal)
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True and run.result['requests'] == 4
    assert [(method, body) for method, _path, body in writes(sim)][:2] == [
        ('DELETE', {'profile_ids': [int(VPN)]}), ('DELETE', {'app_ids': sorted([int(RED_BALL), int(NOTES_APP)])})]
    for device in devices:
        state = sim.manageengine_assignments(device)
        assert state['profiles'] == [] and list(state['apps']) == [PORTAL]
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_assign.yml', conn, extra=removal)
    assert run.rc == 0 and run.result['changed'] is False and run.result['requests'] == 0, run.output[-3000:]
    assert writes(sim) == []


def test_bad_items_fail_before_any_write(sim, tmp_path):
    device = device_ids(sim, 1, start=20)[0]
    conn = sim.params('manageengine_onprem')
    sim.clear_log()
    # A name the device does not have cannot be associated: no documented catalogue to look it up in.
    run = run_playbook(tmp_path, 'device_assign.yml', conn, extra=dict(devices=[device], profiles=[{'id': VPN}, {'name': 'Nope'}]))
    assert run.result['failed'] is True and 'profiles[1].name' in run.result['msg'] and 'give its id' in run.result['msg']
    assert writes(sim) == []
    assert sim.manageengine_assignments(device)['profiles'] == [WIFI]


# Items decided from the options alone (a malformed id, an option for state=present only) and the other vendors are
# refused before any request: unit tests (tests/unit/plugins/modules/test_bad_inputs.py, test_guards_refuse_before_any_request).


def test_unknown_device_is_a_failure_and_nothing_is_sent(sim, tmp_path):
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_assign.yml', sim.params('manageengine_onprem'),
                       extra=dict(devices=['1234'], apps=[{'id': NOTES_APP}]))
    assert run.result['failed'] is True and run.result['failures'] == [{'device_id': '1234', 'reason': 'no such device'}]
    assert writes(sim) == []
