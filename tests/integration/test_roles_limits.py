# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""compliance_sweep passes an explicit limit to every command it sends (compliance_sweep_max_devices), and a dry run
says what it would do: checked against the simulator's action ledger."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from test_roles import run_collection_playbook
from test_role_playbooks import shown

VENDOR = 'mobileiron_core'


def active(sim):
    return [record for record in sim.devices(VENDOR) if record['common.status'] == 'ACTIVE']


def core_shown(record):
    return shown(str(record['common.uuid']).lower(), record.get('ios.DeviceName'), record.get('user.user_id'),
                 record.get('common.model'))


def ledger_since(sim, seq):
    return [entry for entry in sim.ledger() if entry['seq'] > seq]


def last_seq(sim):
    return max([entry['seq'] for entry in sim.ledger()] or [0])


def test_compliance_sweep_refuses_more_devices_than_its_limit_before_any_command(sim, tmp_path):
    swept = len(active(sim))
    assert swept > 500, 'the simulated fleet is too small for this test'
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'compliance_sweep', dict(mdm_connection=sim.params(VENDOR)))
    assert run.rc != 0
    assert 'would act on %d devices chosen by filters, more than max_devices (500)' % swept in run.stdout, run.stdout[-3000:]
    assert ledger_since(sim, start) == []


def test_compliance_sweep_in_check_mode_says_how_many_would_be_messaged(sim, tmp_path):
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'compliance_sweep', dict(mdm_connection=sim.params(VENDOR),
                                                                     compliance_sweep_max_devices=5000), check=True)
    assert run.rc == 0, run.output[-3000:]
    assert ledger_since(sim, start) == []
    found = re.search(r'(\d+) non-compliant devices; 0 messaged;\s+(\d+)\s+would be messaged \(check mode: nothing was sent\)',
                      run.stdout)
    assert found, run.stdout[-3000:]
    assert int(found.group(1)) > 0 and int(found.group(2)) > 0
    # Each non-compliant device by name, user and model beside its id, and what was (would be) done.
    swept = [record for record in active(sim) if record['common.compliant'] is False]
    assert len(swept) == int(found.group(1))
    for record in swept:
        assert '%s: message would_send' % core_shown(record) in run.stdout, (core_shown(record), run.stdout[-3000:])


def test_compliance_sweep_summary_is_one_clean_line(sim, tmp_path):
    """A real sweep of a few devices (the active macOS ones), no message: the summary leaves out the check-mode part
    without leaving a double space behind, and names the devices."""
    run = run_collection_playbook(tmp_path, 'compliance_sweep', dict(
        mdm_connection=sim.params(VENDOR), compliance_sweep_filters=dict(status='active', platform='macos'),
        compliance_sweep_message=''))
    assert run.rc == 0, run.output[-3000:]
    swept = [record for record in active(sim) if record['common.platform'] == 'macOS' and record['common.compliant'] is False]
    assert swept, 'no non-compliant macOS device in the simulated fleet'
    found = re.search(r'"msg": "(\d+ non-compliant devices; 0 messaged; 0 compliant again; check: [^"]*)"', run.stdout)
    assert found and '  ' not in found.group(1) and int(found.group(1).split()[0]) == len(swept), run.stdout[-3000:]
    for record in swept:
        assert '%s: message not sent' % core_shown(record) in run.stdout, (core_shown(record), run.stdout[-3000:])
