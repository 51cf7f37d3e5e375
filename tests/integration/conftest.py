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
import subprocess
import sys

import pytest

from mdmsim.control import Simulator

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, 'playbooks')
BIN = os.path.dirname(sys.executable)
SIM_DEVICES = 1234
# Every vendor flavour the collection talks to; manageengine_onprem is ManageEngine with an API key.
FLAVOURS = ('maas360', 'manageengine', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud')


@pytest.fixture(scope='session')
def sim():
    simulator = Simulator(devices=SIM_DEVICES, seed=7)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture(autouse=True)
def clean_faults(sim):
    sim.clear_faults()
    yield
    sim.clear_faults()


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


def run_playbook(tmp_path, playbook, conn, extra=None, check=False, verbosity=0, env=None, timeout=600):
    """Run a test playbook with the connection options in ``conn``; the playbook writes its result to out_file."""
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
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ansible_env(env), timeout=timeout, check=False)
    return Run(proc, out_file)
