#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Login-reuse benchmark: one play of N tasks (default 50) per vendor, with the play's login cache on and off,
side by side, in one run.

Each task looks one device up with fleetops.mdm.mdm_device_info (module_defaults carry the connection), against the
simulator with a latency per request.  Printed per vendor:
  - the logins the play made (Zoho token grants, MaaS360 authenticate calls, MobileIron Cloud partition look-ups,
    counted in the simulator's request log), cache on and off;
  - the wall time of the play, cache on and off (medians; the order alternates on/off, off/on between rounds so that
    a machine whose load changes slows both alike), and the difference;
  - what one login costs (the vendor's login requests timed in-process, median of 10) and what the cache costs a task
    (finding the broker plus one look-up, timed in-process), and from them the time the saved logins would have
    taken: wall times on a busy machine vary by more than the logins cost, these two do not.
Run: make bench-login   (or: PYTHONPATH=tests/simulator:<collections> python benchmarks/login.py --tasks 50)
"""

from __future__ import absolute_import, division, print_function

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.login_cache import LoginCache
from ansible_collections.fleetops.mdm.plugins.plugin_utils.login_broker import ensure_broker

from mdmsim.control import Simulator
from playbook_run import run_playbook

ID_FIELD = {'maas360': 'maas360DeviceID', 'manageengine': 'device_id', 'mobileiron_cloud': 'id'}
# What "a login" is, per vendor: the request the cache saves (vendor of the log, path prefix).
LOGIN = {'manageengine': ('zoho_accounts', '/oauth/v2/token'), 'maas360': ('maas360', '/auth-apis/auth/'),
         'mobileiron_cloud': ('mobileiron_cloud', '/api/v1/tenant/partition/device')}


def write_play(path, tasks):
    lines = ['- name: Login benchmark', '  hosts: localhost', '  gather_facts: false', '  module_defaults:',
             '    group/fleetops.mdm.mdm: "{{ conn }}"', '  tasks:']
    for number in range(tasks):
        lines += ['    - name: Look up device %d' % number, '      fleetops.mdm.mdm_device_info:',
                  '        device_id: "{{ ids[%d] }}"' % number]
    with open(path, 'w') as handle:
        handle.write('\n'.join(lines) + '\n')


def logins(sim, vendor):
    log_vendor, prefix = LOGIN[vendor]
    return len([entry for entry in sim.log(log_vendor) if entry['path'].startswith(prefix)])


def login_cost(sim, vendor, times=10):
    """Median seconds of one login of the vendor (what a task without the cache spends on it), timed in-process on
    a connection already open (the TLS handshake is not counted: the task's first request would pay it anyway)."""
    samples = []
    for _unused in range(times):
        adapter = build_adapter(dict(sim.params(vendor)))
        try:
            login = adapter._default_partition if vendor == 'mobileiron_cloud' else adapter._login
            login()
            start = time.perf_counter()
            login()
            samples.append(time.perf_counter() - start)
        finally:
            adapter.transport.close()
    return statistics.median(samples)


def cache_cost(times=200):
    """Median seconds the cache adds to a task: the action plugin finds the broker, the module asks it once."""
    run_dir = tempfile.mkdtemp(prefix='bench-lc-')
    os.chmod(run_dir, 0o700)
    try:
        path = ensure_broker(run_dir, os.getpid(), idle=60)
        cache = LoginCache(path)
        options = {'vendor': 'maas360', 'url': 'https://bench.example', 'password': 'bench'}
        cache.acquire('auth', 'maas360', options).store({'headers': {'Authorization': 'x'}}, time.time() + 600)
        samples = []
        for _unused in range(times):
            start = time.perf_counter()
            ensure_broker(run_dir, os.getpid(), idle=60)
            cache.acquire('auth', 'maas360', options)
            samples.append(time.perf_counter() - start)
        os.unlink(path)
        return statistics.median(samples)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--tasks', type=int, default=50)
    parser.add_argument('--latency-ms', type=int, default=20)
    parser.add_argument('--rounds', type=int, default=2, help='on/off pairs per vendor (alternating order); medians printed')
    parser.add_argument('--vendors', default='manageengine,maas360,mobileiron_cloud')
    args = parser.parse_args()
    vendors = [name.strip() for name in args.vendors.split(',') if name.strip()]
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    for name in [name for name in env if name.startswith('MDM_')]:
        del env[name]
    rows = []
    with tempfile.TemporaryDirectory(prefix='bench-login-') as workdir, \
            Simulator(devices=max(100, args.tasks), seed=3, latency_ms=args.latency_ms) as sim:
        play = os.path.join(workdir, 'play.yml')
        write_play(play, args.tasks)
        for vendor in vendors:
            ids = sorted(str(record[ID_FIELD[vendor]]) for record in sim.devices(vendor))[:args.tasks]
            times = {True: [], False: []}
            counts = {}
            for number in range(args.rounds):
                for cached in ((True, False) if number % 2 == 0 else (False, True)):
                    sim.clear_log()
                    conn = dict(sim.params(vendor), login_cache=cached)
                    times[cached].append(run_playbook(play, {'conn': conn, 'ids': ids}, workdir, env))
                    counts[cached] = logins(sim, vendor)
            rows.append((vendor, counts[True], counts[False], statistics.median(times[True]), statistics.median(times[False]),
                         login_cost(sim, vendor)))
            print('%s done' % vendor, file=sys.stderr)
        overhead = cache_cost()
    print('login reuse: a play of %d tasks (mdm_device_info by id), simulator latency %d ms, %d round(s) of on/off'
          % (args.tasks, args.latency_ms, args.rounds))
    header = ('vendor', 'logins on', 'logins off', 'wall on (s)', 'wall off (s)', 'wall saved (s)', 'one login (ms)',
              'logins avoided (s)', 'cache cost (s)', 'net saved (s)')
    print('| ' + ' | '.join(header) + ' |')
    print('|' + '---|' * len(header))
    for vendor, count_on, count_off, on, off, login in rows:
        avoided = (count_off - count_on) * login
        cost = args.tasks * overhead
        print('| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f | %.3f | %.2f |'
              % (vendor, count_on, count_off, on, off, off - on, login * 1000, avoided, cost, avoided - cost))
    print('cache cost per task: %.2f ms (find the broker + one look-up); wall times vary with the machine\'s load'
          % (overhead * 1000))


if __name__ == '__main__':
    main()
