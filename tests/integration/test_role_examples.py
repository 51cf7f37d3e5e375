# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles' README examples, taken from the READMEs as they are written, against a fresh simulator (the fleet of
``python -m mdmsim serve``: 100 devices, seed 1), whose ManageEngine server holds none of the labels they name."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import os
import re
import shlex
import subprocess

import yaml

from conftest import BIN, HERE, ansible_env, secrets_of

ROLES = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'roles')
WRITES = ('POST', 'PUT', 'DELETE')
# A fresh simulator of this file's own (conftest's sim fixture): the fleet of `python -m mdmsim serve`, whose
# ManageEngine server holds none of the groups the examples name.
OWN_SIMULATOR = dict(devices=100, seed=1)


def readme(role):
    with open(os.path.join(ROLES, role, 'README.md')) as handle:
        return handle.read()


def run(tmp_path, args, sim, env=None):
    env = ansible_env(dict({'MDM_JOURNAL_PATH': str(tmp_path / 'journal')}, **(env or {})))
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook')] + args, capture_output=True, text=True, env=env,
                          timeout=300, check=False, cwd=str(tmp_path))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    for secret in secrets_of(sim):
        assert secret not in output
    return output


def recap_changed(output):
    return int(re.search(r'localhost\s*:.*changed=(\d+)', output).group(1))


def groups(sim):
    """{group name: sorted device ids} of the ManageEngine server (groups with members)."""
    held = {}
    for item in sim.device_labels('manageengine'):
        for label in item['labels']:
            held.setdefault(label, []).append(str(item['record']['device_id']))
    return dict((name, sorted(ids)) for name, ids in held.items())


def writes(sim):
    return [(entry['method'], entry['path']) for entry in sim.log('manageengine') if entry['method'] in WRITES]


def test_label_sync_readme_example_checks_then_creates_its_groups(sim, tmp_path):
    play = yaml.safe_load(re.search(r'```yaml\n(.*?)```', readme('label_sync'), re.S).group(1))
    role_vars = play[0]['roles'][0]['vars']
    assert role_vars['label_sync_connection']['vendor'] == 'manageengine' and role_vars['label_sync_create_missing'] is True
    role_vars['label_sync_connection'] = sim.params('manageengine_onprem')  # the example's url + api_key form
    playbook = tmp_path / 'example.yml'
    playbook.write_text(yaml.safe_dump(play))
    names = [rule['label'] for rule in role_vars['label_sync_rules']]
    assert not set(names) & set(groups(sim))

    sim.clear_log()
    output = run(tmp_path, [str(playbook), '--check', '--diff'], sim)
    assert recap_changed(output) >= 1 and writes(sim) == []

    run(tmp_path, [str(playbook)], sim)
    # One POST per group created, then the members of each rule that matched devices.
    assert sorted(path for method, path in writes(sim) if path == '/api/v1/mdm/groups') == ['/api/v1/mdm/groups'] * 3
    devices = dict((str(item['record']['device_id']), item['record']) for item in sim.device_labels('manageengine'))
    ios_18 = sorted(device_id for device_id, record in devices.items()
                    if record['platform_type'] == 'ios' and fnmatch.fnmatch(record['os_version'], '18.*')
                    and record['managed_status'] == 2)
    assert ios_18 and groups(sim)['iOS 18'] == ios_18
    # A second run changing nothing is mdm_label's (test_label_lifecycle.py): not repeated here, to keep this short.


def test_lost_device_readme_example_creates_the_lost_group(sim, tmp_path):
    command = re.search(r'`(ansible-playbook fleetops\.mdm\.lost_device [^`]*)`', readme('lost_device')).group(1)
    args = shlex.split(command)[1:]
    imei = dict(arg.split('=', 1) for arg in args if '=' in arg)['lost_device_imei']
    lost = [str(item['record']['device_id']) for item in sim.device_labels('manageengine')
            if str(item['record']['imei']) == imei]
    assert len(lost) == 1 and 'Lost' not in groups(sim)
    sim.clear_log()
    run(tmp_path, args, sim, env=sim.env('manageengine'))
    assert groups(sim)['Lost'] == lost
    assert ('POST', '/api/v1/mdm/groups') in writes(sim)
    assert any(item['device_id'] == lost[0] and item['action'] == 'lock' for item in sim.ledger())


def test_compliance_sweep_readme_example_fills_the_label_made_in_the_admin_portal(sim, tmp_path):
    command = re.search(r'`(ansible-playbook fleetops\.mdm\.compliance_sweep [^`]*)`', readme('compliance_sweep')).group(1)
    args = shlex.split(command)[1:]
    label = dict(arg.split('=', 1) for arg in args if '=' in arg)['compliance_sweep_label']
    # The README's step on MobileIron Core: the label is created in the Admin Portal, since the API cannot.
    sim.add_core_label(label)
    run(tmp_path, args, sim, env=sim.env('mobileiron_core'))
    records = sim.device_labels('mobileiron_core')
    non_compliant = sorted(item['record']['common.uuid'] for item in records
                           if item['record']['common.status'] == 'ACTIVE' and item['record']['common.compliant'] is False)
    assert non_compliant and sorted(item['record']['common.uuid'] for item in records if label in item['labels']) == non_compliant
