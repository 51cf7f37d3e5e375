# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_label creating and deleting labels end to end against the simulator.

What is refused before any request (MobileIron Core, MaaS360, MobileIron Cloud, bad options) is decided by the
options alone: unit cases in tests/unit/plugins/modules/test_mdm_label_lifecycle.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import run_playbook
from test_label import members_of, outside, writes


def group_names(sim):
    return sorted(set(label for item in sim.device_labels('manageengine') for label in item['labels']))


def test_manageengine_group_created_filled_kept_and_deleted(sim, tmp_path):
    label = 'Lifecycle Test'
    devices = outside(sim, 'manageengine', [label], 2)
    sim.clear_log()
    ledger_start = len(sim.ledger())
    run = run_playbook(tmp_path, 'label_lifecycle.yml', sim.params('manageengine'), extra=dict(label=label, devices=devices))
    assert run.rc == 0, run.output[-3000:]
    steps = run.result
    assert steps['check']['changed'] is True and steps['check']['requests'] == 0
    assert steps['check']['labels'][0]['created'] is True and steps['check']['labels'][0]['added'] == devices
    assert steps['create']['changed'] is True and steps['create']['requests'] == 2
    assert steps['create_again']['changed'] is False and steps['create_again']['requests'] == 0
    assert steps['delete_refused']['failed'] is True and 'option force' in steps['delete_refused']['msg']
    assert steps['delete_check']['changed'] is True and steps['delete_check']['requests'] == 0
    assert steps['delete']['changed'] is True and steps['delete']['labels'][0]['removed'] == devices
    assert steps['delete_again']['changed'] is False and steps['delete_again']['requests'] == 0
    # Exactly three writes: the group, its members, its deletion; check mode, the second runs and the refusal sent none.
    group_id = steps['create']['labels'][0]['id']
    assert writes(sim, 'manageengine') == [('POST', '/api/v1/mdm/groups'), ('POST', '/api/v1/mdm/groups/%s/members' % group_id),
                                           ('DELETE', '/api/v1/mdm/groups/%s' % group_id)]
    ledger = [(item['action'], item.get('group')) for item in sim.ledger()[ledger_start:]]
    assert ledger == [('create_group', label)] + [('add_group_member', label)] * 2 + [('delete_group', label)]
    assert members_of(sim, 'manageengine', label) == [] and label not in group_names(sim)
