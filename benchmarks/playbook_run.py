# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmarks share: one timed ansible-playbook run (imported by actions.py and login.py, which Python runs
from this folder, so it is on sys.path)."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys
import tempfile
import time

BIN = os.path.dirname(sys.executable)


def run_playbook(playbook, variables, workdir, env):
    """Wall time of one ansible-playbook run; the variables go in a file (thousands of ids do not fit a command line).

    A failed run ends the benchmark with the tail of its output: a time of a run that failed would measure nothing.
    """
    vars_file = os.path.join(workdir, 'vars.json')
    with open(vars_file, 'w') as handle:
        json.dump(variables, handle)
    cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', playbook, '-e', '@' + vars_file]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            out.seek(0)
            raise SystemExit('%s failed:\n%s' % (os.path.basename(playbook), out.read().decode()[-3000:]))
    return elapsed
