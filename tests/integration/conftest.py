# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration tests: real ansible-playbook / ansible-inventory runs against the simulator.

The simulator is started once per session and stopped at the end, also on failure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from mdmsim.control import Simulator

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, 'playbooks')
BIN = os.path.dirname(sys.executable)
SIM_DEVICES = 1234
# Every vendor flavour the collection talks to; manageengine_onprem is ManageEngine with an API key.
FLAVOURS = ('maas360', 'manageengine', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud')


# Secret hygiene (issue 8): every playbook and inventory run of the suite is audited for every configured secret and
# every token the session's simulator issued - in its output (at -vvvv, with --diff), in the files it leaves in the
# test's directory, and at the end in the simulator's request log.
AUDIT = {'sim': None, 'runs': 0}


def secrets_of(simulator):
    return [secret for secret in list(simulator.secrets()) + list(simulator.issued_tokens()) if secret]


def assert_no_secrets(text, where):
    simulator = AUDIT['sim']
    if simulator is None or not text:
        return
    hits = [secret[:8] + '...' for secret in secrets_of(simulator) if secret in text]
    assert not hits, 'secret(s) %s found in %s' % (', '.join(hits), where)


def audit_files(directory, skip=()):
    """Every file a run left in ``directory`` (results, reports, caches), except the test's own inputs."""
    for root, _dirs, files in os.walk(str(directory)):
        for name in files:
            path = os.path.join(root, name)
            if name in skip or name.endswith(('.mdm.yml', '.mdm.yaml')):
                continue
            with open(path, 'rb') as handle:
                assert_no_secrets(handle.read().decode('utf-8', 'replace'), path)


# The login broker of a play (plugins/plugin_utils/login_broker.py) must end with its ansible-playbook process.
BROKER_MARK = 'fleetops-mdm-login-broker'


def brokers():
    """{pid: the ansible-playbook pid it serves} of every login broker process on this machine."""
    found = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as handle:
                args = handle.read().decode('utf-8', 'replace').split('\0')
        except OSError:
            continue
        if BROKER_MARK in args and '--parent' in args:
            found[int(pid)] = int(args[args.index('--parent') + 1])
    return found


def assert_no_broker_left():
    """Brokers of plays still running (other tests, other workers) may exist; one whose play ended may not."""
    deadline = time.monotonic() + 5
    while True:
        left = [pid for pid, parent in brokers().items() if not os.path.exists('/proc/%d' % parent)]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert not left, 'login broker(s) %s outlived their ansible-playbook' % left


@pytest.fixture(scope='session')
def shared_sim():
    """The session's simulator (one per pytest-xdist worker), for every test file without one of its own."""
    simulator = Simulator(devices=SIM_DEVICES, seed=7)
    simulator.start()
    AUDIT['sim'] = simulator
    try:
        yield simulator
    finally:
        AUDIT['sim'] = None
        simulator.stop()


@pytest.fixture(scope='module')
def sim(request):
    """The simulator of a test file: the session's, or one of the file's own where the file sets OWN_SIMULATOR to the
    keywords of Simulator (devices, seed, ...) - for tests that change the fleet, or that need a fleet or latency the
    other tests must not see. Started for the file and stopped after it, also on failure."""
    own = getattr(request.module, 'OWN_SIMULATOR', None)
    if own is None:
        yield request.getfixturevalue('shared_sim')
        return
    with Simulator(**own) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def clean_faults(sim):
    sim.clear_faults()
    yield
    sim.clear_faults()
    # What the test left in the simulator's request log holds no secret and no issued token.
    assert_no_secrets(json.dumps(sim.log()), "the simulator's request log")


class Run:
    def __init__(self, proc, out_file):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.output = proc.stdout + proc.stderr
        self.result = None
        if out_file and os.path.exists(out_file):
            with open(out_file) as handle:
                self.result = json.load(handle)


def ansible_env(extra=None):
    env = dict(os.environ)
    env.update({
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_RETRY_FILES_ENABLED': '0',
        'ANSIBLE_LOCALHOST_WARNING': '0',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
    })
    for name in list(env):
        if name.startswith('MDM_'):
            del env[name]
    env.update(extra or {})
    return env


def run_bounded(cmd, env, timeout):
    """subprocess.run(cmd) in a process group of its own: on timeout the whole group is killed, the workers that
    ansible-playbook forked included (killing ansible-playbook alone leaves them running after the test)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


def run_playbook(tmp_path, playbook, conn, extra=None, check=False, verbosity=4, env=None, timeout=600, diff=True):
    """Run a test playbook with the connection options in ``conn``; the playbook writes its result to out_file.

    Every run is at -vvvv with --diff by default, and its output and the files it wrote are audited for secrets."""
    out_file = str(tmp_path / ('%s-result.json' % os.path.basename(playbook)))
    variables = dict(conn=conn, out_file=out_file)
    variables.update(extra or {})
    vars_file = tmp_path / 'vars.json'
    vars_file.write_text(json.dumps(variables))
    cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', os.path.join(PLAYBOOKS, playbook),
           '-e', '@%s' % vars_file]
    if check:
        cmd.append('--check')
    if verbosity:
        cmd.append('-' + 'v' * verbosity)
    if diff:
        cmd.append('--diff')
    # The journal of destructive commands lives in the test's directory, never in the home of the user running the
    # tests; a test that shares one journal between runs passes MDM_JOURNAL_PATH itself.
    env = dict({'MDM_JOURNAL_PATH': str(tmp_path / 'journal')}, **(env or {}))
    proc = run_bounded(cmd, ansible_env(env), timeout)
    assert_no_secrets(proc.stdout + proc.stderr, 'the output of %s' % playbook)
    audit_files(tmp_path, skip=('vars.json', 'conns.json'))
    assert_no_broker_left()
    return Run(proc, out_file)
