# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Never twice: with 20% of write requests answered 429 or 503 and 5% reset after the request reached the server,
every device ends with exactly one lock in the simulator's ledger, or is reported failed / unknown - never two."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import run_playbook
from test_device_info import ID_FIELD

LOCKS = ('lock', 'lockdevice', 'lock_device')
# rate 0.25 over five kinds: 4/5 of it 429 or 503 (20% of writes), 1/5 of it reset after the server acted (5%).
FAULTS = dict(rate=0.25, kinds=['429', '503', '429', '503', 'reset_after'], methods=['POST', 'PUT'], skip_auth=True,
              retry_after=0)


def lock_counts(sim, vendor):
    counts = {}
    for item in sim.ledger():
        if item['vendor'] == vendor and str(item['action']).lower() in LOCKS:
            counts[str(item['device_id'])] = counts.get(str(item['device_id']), 0) + 1
    return counts


@pytest.mark.parametrize('vendor, groups, size', [
    ('maas360', 3, 20), ('manageengine', 40, 5), ('mobileiron_core', 40, 5), ('mobileiron_cloud', 40, 5)])
def test_faults_never_duplicate_a_command(sim, tmp_path, vendor, groups, size):
    # Devices far from the ones other tests use.
    records = sim.devices(vendor)[-(groups * size):]
    ids = [str(record[ID_FIELD[vendor]]) for record in records]
    batches = [ids[i:i + size] for i in range(0, len(ids), size)]
    before = lock_counts(sim, vendor)
    sim.clear_log()
    sim.set_faults(vendor, **FAULTS)
    conns = {vendor: sim.params(vendor)}
    cases = [dict(name='group %d' % n, vendor=vendor, args=dict(action='lock', devices=batch, fail_on_partial=False))
             for n, batch in enumerate(batches)]
    run = run_playbook(tmp_path, 'action_cases.yml', conns[vendor], extra=dict(conns=conns, cases=cases))
    sim.clear_faults()
    assert run.rc == 0, run.output[-3000:]
    reported = {}
    for outcome in run.result:
        assert not outcome.get('failed'), outcome.get('msg')
        for item in outcome['results']:
            reported[item['device_id']] = item
    assert sorted(reported) == sorted(ids)
    after = lock_counts(sim, vendor)
    faults = [entry['fault'] for entry in sim.log(vendor) if entry.get('fault')]
    assert faults, 'no fault was injected: the test proves nothing'
    problems = []
    for device_id in ids:
        got = after.get(device_id, 0) - before.get(device_id, 0)
        outcome = reported[device_id]['outcome']
        if got > 1:
            problems.append('%s: %d locks in the ledger' % (device_id, got))
        elif got == 1 and outcome not in ('sent', 'completed', 'unknown'):
            problems.append('%s: locked, but reported %s' % (device_id, outcome))
        elif got == 0 and outcome not in ('failed', 'unknown'):
            problems.append('%s: not locked, but reported %s' % (device_id, outcome))
        if outcome == 'unknown' and 'verify' not in (reported[device_id]['message'] or ''):
            problems.append('%s: unknown without advice to verify' % device_id)
    assert not problems, '\n'.join(problems[:20])
