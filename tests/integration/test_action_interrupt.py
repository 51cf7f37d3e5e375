# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real SIGTERM / SIGINT to ansible-playbook in the middle of a bulk IBM MaaS360 lock (one request per device,
simulator latency on every request): the module stops sending, and its results file holds a result for every device,
matching the simulator's action ledger - no device commanded without a record, none commanded after the stop.

ansible-playbook passes the signal to the module's process group and ends the worker that would read the module's
result (see plugins/module_utils/send_control.py), so the results file is where the per-device results arrive.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import subprocess
import time

import pytest

from conftest import BIN, PLAYBOOKS, ansible_env

VENDOR = 'maas360'
DEVICES = 300
LATENCY_MS = 60
CONCURRENCY = 4
# Bounds: the run is interrupted after this many results; every wait below has its own deadline.
INTERRUPT_AFTER = 40
DEADLINE = 60


# A simulator of its own (conftest.py, sim): the latency it needs would slow every other test of the session's simulator.
OWN_SIMULATOR = dict(devices=DEVICES + 20, seed=23)


def read_record(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        lines = handle.read().splitlines()
    # The last line may be half written while the module runs.
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            break
    return records


def wait_for(predicate, what, deadline=DEADLINE):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError('gave up waiting for %s after %d s' % (what, deadline))


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of nobody we know is gone for our purpose: check its state where /proc has it.
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return handle.read().split(')')[-1].split()[0] != 'Z'
    except OSError:
        return True


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT], ids=['SIGTERM', 'SIGINT'])
def test_a_signal_to_ansible_playbook_keeps_every_device_result(sim, tmp_path, signum):
    ids = [record['maas360DeviceID'] for record in sim.devices(VENDOR)][:DEVICES]
    assert len(ids) == DEVICES
    results_file = str(tmp_path / 'lock.jsonl')
    variables = dict(conn=sim.params(VENDOR), out_file=str(tmp_path / 'out.json'), action='lock', devices=ids,
                     max_devices=DEVICES, concurrency=CONCURRENCY, results_file=results_file)
    vars_file = tmp_path / 'vars.json'
    vars_file.write_text(json.dumps(variables))
    sim.set_faults(VENDOR, latency_ms=LATENCY_MS)
    seq = max([item['seq'] for item in sim.ledger()] or [0])
    cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
           os.path.join(PLAYBOOKS, 'action_once.yml'), '-e', '@%s' % vars_file]
    # Its own session, so that whatever happens the test can stop everything it started.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ansible_env(),  # pylint: disable=consider-using-with
                            start_new_session=True)
    module_pid = None
    try:
        wait_for(lambda: sum(1 for r in read_record(results_file) if r['event'] == 'result') >= INTERRUPT_AFTER,
                 '%d results in the results file' % INTERRUPT_AFTER)
        module_pid = read_record(results_file)[0]['pid']
        # As AWX cancels a job and as a Ctrl-C does (the workers run in their own sessions): ansible-playbook only.
        proc.send_signal(signum)
        output = proc.communicate(timeout=DEADLINE)[0].decode('utf-8', 'replace')
        assert proc.returncode != 0, output
        # The module outlives the worker: it finishes the requests in flight and writes the end of its record.
        wait_for(lambda: any(r['event'] == 'end' for r in read_record(results_file)), 'the end of the record')
        wait_for(lambda: not alive(module_pid), 'the module process to end')
        module_pid = None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        if module_pid is not None and alive(module_pid):
            os.kill(module_pid, signal.SIGKILL)
        sim.clear_faults()

    records = read_record(results_file)
    name = signal.Signals(signum).name
    assert records[0]['event'] == 'start' and records[-1]['event'] == 'end', records[-1]
    assert records[-1]['interrupted'] == name
    results = [r for r in records if r['event'] == 'result']
    outcomes = dict((r['device_id'], r['outcome']) for r in results)
    # One result per device, each device once.
    assert len(results) == DEVICES and sorted(outcomes) == sorted(ids)
    counts = dict((outcome, sum(1 for o in outcomes.values() if o == outcome)) for outcome in set(outcomes.values()))
    assert counts.get('sent', 0) >= INTERRUPT_AFTER and counts.get('not_sent', 0) > 0, counts
    assert set(counts) <= {'sent', 'unknown', 'not_sent'}, counts
    assert records[-1]['summary']['not_sent'] == counts['not_sent']
    # The ledger: every device the server locked has a record (sent, or unknown), none was locked twice, and none
    # reported not_sent was locked.
    locked = [item['device_id'] for item in sim.ledger() if item['seq'] > seq and item['vendor'] == VENDOR]
    assert len(locked) == len(set(locked))
    assert all(outcomes[device_id] in ('sent', 'unknown') for device_id in locked)
    assert sorted(d for d, o in outcomes.items() if o == 'sent') == sorted(d for d in locked if outcomes[d] == 'sent')
    # Every request had its "sending" line before it went out; nothing was sent after the stop.
    announced = set(d for r in records if r['event'] == 'sending' for d in r['devices'])
    assert set(locked) <= announced
    assert not [d for d, o in outcomes.items() if o == 'not_sent' and d in announced]
    time.sleep(0.5)
    assert len([item for item in sim.ledger() if item['seq'] > seq and item['vendor'] == VENDOR]) == len(locked)
    # No secret of the simulator in the record or in ansible-playbook's output.
    text = open(results_file).read() + output
    assert not [s for s in list(sim.secrets()) + list(sim.issued_tokens()) if s and s in text]
    assert oct(os.stat(results_file).st_mode & 0o777) == '0o600'
