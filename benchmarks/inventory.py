#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory benchmark: fleetops.mdm.devices against the Ansible floor, side by side in one run.

For each vendor, with N simulated devices and a simulated latency per request:
  (a) HTTP requests made / the minimum: authentication + the pages of one listing pass.  Two minima are printed:
      the plain one, ceil(N / P) pages of the largest page P, and the one of an exact listing by index (MobileIron
      Core and Cloud, ManageEngine), whose pages after the first overlap the one before by a row so that rows
      shifting between two requests are seen (plugins/module_utils/session.py): ceil((N - 1) / (P - 1)) pages.
      MaaS360 pages by page number (no overlap): both minima are the same.  The engine must meet the second;
  (b) wall time of `ansible-inventory --graph` with the plugin / the same with a plugin that adds the same
      hosts, variables and groups from a local file (no network): target <= 1.3;
  (c) peak memory (max RSS) of the same two commands, same ratio: target <= 1.3;
  (d) requests and wall time of the plugin on a server that caps every page at 25 rows (listing fault page_cap):
      requests = authentication + the pages of 25 (overlapping by a row where the vendor pages by index).
Run: make bench-inventory   (or: PYTHONPATH=tests/simulator:<collections> python benchmarks/inventory.py)
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

from mdmsim.control import Simulator

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)
FLAVOURS = ('maas360', 'manageengine', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud')
VENDOR_OF = {'manageengine_onprem': 'manageengine'}
# The page cap of the capped run: the page size a recorded MaaS360 search answered when more was asked (NOTES.md).
CAPPED_PAGE = 25


def run_timed(cmd, env):
    """Wall time and max RSS (KiB) of one child process; output goes to files so a full pipe never blocks it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit('command failed: %s\n%s' % (' '.join(cmd), err.read().decode()[-2000:]))
    return elapsed, usage.ru_maxrss


# Vendors that page by page number (no overlap possible); the others page by index.
PAGE_NUMBER_FLAVOURS = ('maas360',)


def minimum_pages(n_devices, page, overlap=False):
    """Pages of one listing pass: ceil(n / P); with a one-row overlap, ceil((n - 1) / (P - 1))."""
    if not overlap or n_devices <= page or page < 2:
        return max(1, int(math.ceil(n_devices / float(page))))
    return int(math.ceil((n_devices - 1) / float(page - 1)))


def minimum_requests(flavour, n_devices, conn):
    """(plain minimum, minimum of an exact listing, largest page)."""
    from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
    adapter = build_adapter(conn)
    page = adapter.max_page_size
    # Authentication: a login request for token auth (MaaS360, Zoho OAuth); none for Basic auth or an API key;
    # MobileIron Cloud's default-partition look-up is its one request before the listing.
    auth = {'maas360': 1, 'manageengine': 1, 'manageengine_onprem': 0, 'mobileiron_core': 0, 'mobileiron_cloud': 1}[flavour]
    overlap = flavour not in PAGE_NUMBER_FLAVOURS
    return auth + minimum_pages(n_devices, page), auth + minimum_pages(n_devices, page, overlap), page


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--devices', type=int, default=10000)
    parser.add_argument('--latency-ms', type=int, default=20)
    parser.add_argument('--repeat', type=int, default=3, help='runs of each command; the median is reported')
    parser.add_argument('--vendors', nargs='*', default=list(FLAVOURS), choices=FLAVOURS)
    parser.add_argument('--concurrency', type=int, default=4)
    args = parser.parse_args()

    env = dict(os.environ)
    env.update(ANSIBLE_INVENTORY_PLUGINS=os.path.join(HERE, 'floor_plugins'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='1')
    inventory_bin = os.path.join(BIN, 'ansible-inventory')
    rows = []
    capped = []
    failures = []
    with tempfile.TemporaryDirectory() as workdir, \
            Simulator(devices=args.devices, seed=1, latency_ms=args.latency_ms) as sim:
        for flavour in args.vendors:
            vendor = VENDOR_OF.get(flavour, flavour)
            conn = dict(sim.params(flavour))
            config = os.path.join(workdir, '%s.mdm.yml' % flavour)
            with open(config, 'w') as handle:
                yaml.safe_dump(dict(conn, plugin='fleetops.mdm.devices', concurrency=args.concurrency), handle)
            # The floor's input: the very devices the plugin lists, normalised, in a local file.
            from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
            devices = build_adapter(conn).list_devices()
            devices_file = os.path.join(workdir, '%s.devices.json' % flavour)
            with open(devices_file, 'w') as handle:
                json.dump(devices, handle)
            floor = os.path.join(workdir, '%s.floor.yml' % flavour)
            with open(floor, 'w') as handle:
                yaml.safe_dump(dict(plugin='mdm_floor', devices_file=devices_file), handle)

            sim.clear_log()
            plugin_runs, floor_runs = [], []
            for _unused in range(args.repeat):
                plugin_runs.append(run_timed([inventory_bin, '-i', config, '--graph'], env))
                floor_runs.append(run_timed([inventory_bin, '-i', floor, '--graph'], env))
            log = sim.log(vendor) + (sim.log('zoho_accounts') if flavour == 'manageengine' else [])
            made = len(log) / float(args.repeat)
            plain, minimum, page = minimum_requests(flavour, args.devices, conn)
            overlap = flavour not in PAGE_NUMBER_FLAVOURS
            wall = statistics.median(t for t, _m in plugin_runs) / statistics.median(t for t, _m in floor_runs)
            memory = max(m for _t, m in plugin_runs) / float(max(m for _t, m in floor_runs))
            rows.append((flavour, page, made, plain, minimum, statistics.median(t for t, _m in plugin_runs),
                         statistics.median(t for t, _m in floor_runs), wall,
                         max(m for _t, m in plugin_runs) / 1024.0, max(m for _t, m in floor_runs) / 1024.0, memory))
            # The same listing on a server that caps every page at CAPPED_PAGE rows (as a recorded MaaS360 search did,
            # NOTES.md): the plugin learns the real page size from the first answer and lists every device.
            sim.set_listing_faults(vendor, page_cap=CAPPED_PAGE)
            sim.clear_log()
            capped_time, _capped_memory = run_timed([inventory_bin, '-i', config, '--graph'], env)
            capped_log = sim.log(vendor) + (sim.log('zoho_accounts') if flavour == 'manageengine' else [])
            sim.clear_faults()
            capped_minimum = (minimum - minimum_pages(args.devices, page, overlap)
                              + minimum_pages(args.devices, min(page, CAPPED_PAGE), overlap))
            capped.append((flavour, min(page, CAPPED_PAGE), len(capped_log), capped_minimum, capped_time,
                           statistics.median(t for t, _m in plugin_runs)))
            if len(capped_log) != capped_minimum:
                failures.append('%s under a page cap: %s requests, minimum %s' % (flavour, len(capped_log), capped_minimum))
            if made != minimum:
                failures.append('%s: %s requests, minimum %s' % (flavour, made, minimum))
            if wall > 1.3:
                failures.append('%s: wall-time ratio %.2f > 1.3' % (flavour, wall))
            if memory > 1.3:
                failures.append('%s: memory ratio %.2f > 1.3' % (flavour, memory))

    print('fleetops.mdm.devices vs the Ansible floor: %d devices, %d ms latency per request, concurrency %d, median of %d runs'
          % (args.devices, args.latency_ms, args.concurrency, args.repeat))
    header = ('vendor', 'page', 'requests', 'plain min', 'exact min', 'plugin s', 'floor s', 'time ratio', 'plugin MiB',
              'floor MiB', 'mem ratio')
    print('%-20s %5s %9s %9s %9s %9s %8s %10s %11s %10s %9s' % header)
    for row in rows:
        print('%-20s %5d %9.1f %9d %9d %9.2f %8.2f %10.2f %11.1f %10.1f %9.2f' % row)
    print('plain min: authentication + ceil(N / P); exact min: the same with pages that overlap by a row where the vendor'
          ' pages by index, ceil((N - 1) / (P - 1)) - the minimum the engine is held to')
    print()
    print('the same under a page cap of %d rows (the server answers fewer rows than asked), one run each' % CAPPED_PAGE)
    print('%-20s %5s %9s %8s %9s %14s %10s' % ('vendor', 'page', 'requests', 'minimum', 'plugin s', 'uncapped s', 'time ratio'))
    for flavour, page, made, minimum, seconds, uncapped in capped:
        print('%-20s %5d %9d %8d %9.2f %14.2f %10.2f' % (flavour, page, made, minimum, seconds, uncapped, seconds / uncapped))
    if failures:
        print('TARGETS MISSED: ' + '; '.join(failures))
        return 1
    print('all targets met: requests equal to the exact minimum, time and memory ratios <= 1.3')
    return 0


if __name__ == '__main__':
    sys.exit(main())
