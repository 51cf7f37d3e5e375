# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record a session of several modules against the simulator, for every flavour (docs/recording.md).

Used by test_recording.py, and run by hand to renew the recording checked in for the unit tests:

    make collection
    ANSIBLE_COLLECTIONS_PATH=.build/collections PYTHONPATH=.build/collections:tests/simulator \\
        .venv/bin/python tests/integration/recording_session.py tests/unit/recordings/simulator
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(HERE, 'playbooks', 'record_session.yml')
FLAVOURS = ('maas360', 'manageengine', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud')
# What each flavour can do besides listing devices (README support table): a user search, a label listing.
WITH_USERS = ('maas360', 'mobileiron_cloud')
WITHOUT_LABELS = ('mobileiron_cloud',)
# Operations that open a session rather than name it.
SET_UP = ('log in', 'obtain an access token', 'find the default device partition')
# The fleet of the checked-in recording (tests/unit/recordings/simulator).
CHECKED_IN = dict(devices=12, seed=41)


def playbook_command(vars_file):
    return [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', PLAYBOOK,
            '-e', '@%s' % vars_file]


def session_vars(sim, flavour, out_file):
    return {'conn': sim.params(flavour), 'out_file': out_file, 'with_users': flavour in WITH_USERS,
            'with_labels': flavour not in WITHOUT_LABELS, 'command': 'lock'}


def record_env(record_dir, base=None):
    env = dict(base if base is not None else os.environ)
    for name in list(env):
        if name.startswith('MDM_'):
            del env[name]
    env.update({'MDM_RECORD_DIR': record_dir, 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
                'ANSIBLE_LOCALHOST_WARNING': '0', 'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0'})
    return env


def publishable_copy(record_dir, target):
    """The recording as it is shared: without the pseudonym key, files named by order, vendor and first operation."""
    os.makedirs(target, exist_ok=True)
    for old in glob.glob(os.path.join(target, '*.jsonl')):
        os.unlink(old)
    for number, path in enumerate(sorted(glob.glob(os.path.join(record_dir, '*.jsonl')), key=os.path.getmtime), 1):
        with open(path, encoding='utf-8') as handle:
            lines = handle.readlines()
        header = json.loads(lines[0])
        operations = [json.loads(line)['operation'] for line in lines[1:]]
        first = next((op for op in operations if op not in SET_UP), 'session')
        # Words only: an operation may name a device id.
        slug = '-'.join(word for word in re.split(r'[^a-z0-9]+', first.lower()) if word and not any(c.isdigit() for c in word))
        flavour = header['vendor'] + ('-api-key' if header['options'].get('auth') == 'api_key' else '')
        shutil.copyfile(path, os.path.join(target, '%02d-%s-%s.jsonl' % (number, flavour, slug)))


def main(target):
    from mdmsim.control import Simulator  # pylint: disable=import-outside-toplevel
    work = tempfile.mkdtemp(prefix='mdm-recording-')
    record_dir = os.path.join(work, 'recording')
    try:
        with Simulator(**CHECKED_IN) as sim:
            for flavour in FLAVOURS:
                vars_file = os.path.join(work, '%s.vars.json' % flavour)
                with open(vars_file, 'w', encoding='utf-8') as handle:
                    json.dump(session_vars(sim, flavour, os.path.join(work, '%s.out.json' % flavour)), handle)
                proc = subprocess.run(playbook_command(vars_file), env=record_env(record_dir), capture_output=True, text=True,
                                      timeout=600, check=False)
                if proc.returncode:
                    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
                    return 1
        publishable_copy(record_dir, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
