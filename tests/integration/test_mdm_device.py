# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device end to end against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import run_playbook

# "Delete devices": Core deletes only retired devices of these platforms.
DELETABLE_PLATFORMS = ('iOS', 'macOS', 'Windows', 'Android')
# A simulator of its own (conftest.py, sim): these tests delete and change devices, which the shared one must not see.
OWN_SIMULATOR = dict(devices=200, seed=11)


def writes(sim, vendor):
    return [(entry['method'], entry['path']) for entry in sim.log(vendor) if entry['method'] not in ('GET', 'HEAD')]


def records(sim, vendor, key):
    return dict((str(record[key]), record) for record in sim.devices(vendor))


def test_manageengine_details_apply_apply_again_and_check_mode(sim, tmp_path):
    before = records(sim, 'manageengine', 'device_id')
    device_id = sorted(before)[3]
    sim.clear_log()
    ledger_start = len(sim.ledger())
    run = run_playbook(tmp_path, 'device_once.yml', sim.params('manageengine'),
                       extra=dict(devices=[device_id], details={'asset_tag': 'IT-0042'}))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True and run.result['requests'] == 1
    assert run.result['diff']['after'] == {device_id: {'asset_tag': 'IT-0042'}}
    after = records(sim, 'manageengine', 'device_id')
    # Only the given field changed, on the given device only.
    assert after[device_id].pop('asset_tag') == 'IT-0042'
    assert after == before
    assert writes(sim, 'manageengine') == [('PUT', '/api/v1/mdm/devices/%s' % device_id)]
    assert [(item['action'], item['device_id'], item['fields']) for item in sim.ledger()[ledger_start:]] == [
        ('update_device_details', device_id, ['asset_tag'])]

    sim.clear_log()
    run = run_playbook(tmp_path, 'device_once.yml', sim.params('manageengine'),
                       extra=dict(devices=[device_id], details={'asset_tag': 'IT-0042'}))
    assert run.rc == 0 and run.result['changed'] is False and run.result['requests'] == 0, run.output[-3000:]
    run = run_playbook(tmp_path, 'device_once.yml', sim.params('manageengine'), check=True,
                       extra=dict(devices=[device_id], details={'asset_tag': 'IT-0043', 'office': 'North Plaza'}))
    assert run.rc == 0 and run.result['changed'] is True and run.result['requests'] == 0, run.output[-3000:]
    assert run.result['devices'][0]['fields'] == ['asset_tag', 'office']
    assert writes(sim, 'manageengine') == []
    assert records(sim, 'manageengine', 'device_id')[device_id]['asset_tag'] == 'IT-0042'


def test_core_deletes_a_retired_device_then_no_change(sim, tmp_path):
    fleet = records(sim, 'mobileiron_core', 'common.uuid')
    retired = sorted(uuid for uuid, record in fleet.items()
                     if record['common.status'] == 'RETIRED' and record['common.platform'] in DELETABLE_PLATFORMS)
    assert retired
    _delete_and_delete_again(sim, tmp_path, fleet, retired[0])


def _delete_and_delete_again(sim, tmp_path, fleet, device):
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_once.yml', sim.params('mobileiron_core'), extra=dict(devices=[device], state='absent'))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True and run.result['requests'] == 1
    after = records(sim, 'mobileiron_core', 'common.uuid')
    assert device not in after and len(after) == len(fleet) - 1
    assert writes(sim, 'mobileiron_core') == [('DELETE', '/api/v2/devices')]

    sim.clear_log()
    run = run_playbook(tmp_path, 'device_once.yml', sim.params('mobileiron_core'), extra=dict(devices=[device], state='absent'))
    assert run.rc == 0 and run.result['changed'] is False and run.result['requests'] == 0, run.output[-3000:]
    assert writes(sim, 'mobileiron_core') == []


def test_core_refuses_an_active_device_before_any_write(sim, tmp_path):
    fleet = records(sim, 'mobileiron_core', 'common.uuid')
    active = sorted(uuid for uuid, record in fleet.items() if record['common.status'] == 'ACTIVE')[0]
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_once.yml', sim.params('mobileiron_core'), extra=dict(devices=[active], state='absent'))
    assert run.result['failed'] is True
    assert 'option devices' in run.result['msg'] and active in run.result['msg']
    assert writes(sim, 'mobileiron_core') == []
    assert active in records(sim, 'mobileiron_core', 'common.uuid')
