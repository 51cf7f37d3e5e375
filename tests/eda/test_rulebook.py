"""End to end: ansible-rulebook runs the collection's rulebook fleetops.mdm.noncompliant_devices against the simulator
and reacts to a compliance change made there by labelling and messaging that device, and that device only.

Run by `make eda`, which builds the ansible-rulebook virtualenv (requirements-eda.txt, EDA_VENV) and makes sure a
Java 17+ runtime is there.  One rulebook run, bounded by RUN_TIMEOUT; the rulebook process group and the simulator
are stopped also when the test fails."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

SIMULATOR_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', 'simulator'))
if SIMULATOR_ROOT not in sys.path:
    sys.path.insert(0, SIMULATOR_ROOT)

from mdmsim.control import Simulator  # noqa: E402  pylint: disable=wrong-import-position

VENDOR = 'mobileiron_core'
LABEL = 'Executives'
RUN_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0


@pytest.fixture()
def sim():
    simulator = Simulator(devices=30, seed=21)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def rulebook_command():
    venv = os.environ.get('EDA_VENV')
    if not venv:
        pytest.fail('EDA_VENV names the virtualenv with ansible-rulebook (requirements-eda.txt): run `make eda`')
    return os.path.join(venv, 'bin', 'ansible-rulebook'), os.path.join(venv, 'bin')


def wait_for(check, deadline, what, log_path):
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    with open(log_path, encoding='utf-8', errors='replace') as stream:
        pytest.fail('%s did not happen within %.0f s; ansible-rulebook printed:\n%s' % (what, RUN_TIMEOUT, stream.read()[-6000:]))
    return None


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(STOP_TIMEOUT)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)


def test_rulebook_labels_and_messages_the_device_that_fell_out_of_compliance(sim, tmp_path):
    rulebook, venv_bin = rulebook_command()
    labelled = dict((item['record']['common.uuid'], item['labels']) for item in sim.device_labels(VENDOR))
    records = sim.devices(VENDOR)
    falls_out = [record['common.uuid'] for record in records
                 if record['common.compliant'] and record['common.status'] == 'ACTIVE' and LABEL not in labelled[record['common.uuid']]][0]
    comes_back = [record['common.uuid'] for record in records if record['common.compliant'] is False][0]

    state_file = tmp_path / 'state.json'
    (tmp_path / 'inventory.yml').write_text('all:\n  hosts:\n    localhost:\n      ansible_connection: local\n', encoding='utf-8')
    (tmp_path / 'vars.yml').write_text(json.dumps({
        'noncompliant_state_file': str(state_file), 'noncompliant_interval': 1, 'noncompliant_label': LABEL,
    }), encoding='utf-8')
    env = dict(os.environ, **sim.env(VENDOR))
    env['MDM_CA_PATH'] = sim.ca_path
    env['PATH'] = venv_bin + os.pathsep + env['PATH']  # ansible-rulebook runs ansible-galaxy and ansible-playbook
    # As a user runs it: the collection from ANSIBLE_COLLECTIONS_PATH only (the source finds its own client).
    env.pop('PYTHONPATH', None)
    env['ANSIBLE_NOCOLOR'] = '1'
    log_path = tmp_path / 'rulebook.log'
    deadline = time.monotonic() + RUN_TIMEOUT
    with open(log_path, 'w', encoding='utf-8') as log:
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            [rulebook, '--inventory', 'inventory.yml', '--rulebook', 'fleetops.mdm.noncompliant_devices', '--vars', 'vars.yml',
             '--verbose'], cwd=str(tmp_path), env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        # The source's first listing is the baseline, saved to the state file: only then are changes reported.
        wait_for(state_file.exists, deadline, 'the first listing of the source', log_path)
        sim.update_device(VENDOR, falls_out, compliant=False)
        sim.update_device(VENDOR, comes_back, compliant=True)

        def messaged():
            return [item for item in sim.ledger() if item['action'] == 'SEND_MESSAGE']
        wait_for(messaged, deadline, 'the message to the non-compliant device', log_path)
        # Two more polls: a device that became compliant must not be acted on, late or not.
        time.sleep(2.5)
        sent = messaged()
        labels = dict((item['record']['common.uuid'], item['labels']) for item in sim.device_labels(VENDOR))
    finally:
        stop(process)
    output = log_path.read_text(encoding='utf-8', errors='replace')

    assert [item['device_id'] for item in sent] == [falls_out], output[-4000:]
    assert "does not meet the company's security policy" in sent[0]['message']
    # The label is written before the message (the playbook's order), so it is there once the message is.
    assert LABEL in labels[falls_out] and LABEL not in labels[comes_back]
    assert 'PLAY RECAP' in output and 'failed=0' in output
    assert not [secret for secret in sim.secrets() if secret in output]
