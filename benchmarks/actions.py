#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Device-command benchmark: mdm_device_action against the same job written with ansible.builtin.uri, in one run.

For each vendor, N simulated devices, a simulated latency per request, and a lock of all N devices:
  (a) HTTP requests the module made / the minimum for the vendor (authentication + one request per documented
      batch: MobileIron Core 512 UUIDs, MobileIron Cloud 100 ids, ManageEngine's bulk command; one per device on
      IBM MaaS360, which has no bulk form); target: equal;
  (b) wall time of the `uri` playbook a user writes without the collection (benchmarks/uri/lock_each_<vendor>.yml:
      log in, then one call per device) / wall time of the module playbook; target >= 20 for the bulk-capable
      vendors, >= 5 for MaaS360.  Where benchmarks/uri/lock_<vendor>.yml exists (the same job hand-batched with
      `uri` per documented batch), its ratio is printed too, for information.
The simulator's action ledger is checked after every run: exactly one lock per device, from each side.
Run: make bench-actions   (or: PYTHONPATH=tests/simulator:<collections> python benchmarks/actions.py)
"""

from __future__ import absolute_import, division, print_function

import argparse
import math
import os
import sys
import tempfile

from mdmsim.control import Simulator
from playbook_run import run_playbook

HERE = os.path.dirname(os.path.abspath(__file__))
FLAVOURS = ('maas360', 'manageengine', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud')
VENDOR_OF = {'manageengine_onprem': 'manageengine'}
ID_FIELD = {'maas360': 'maas360DeviceID', 'manageengine': 'device_id', 'mobileiron_core': 'common.uuid',
            'mobileiron_cloud': 'id'}
# Requests before the first command: a log-in for token auth (MaaS360, Zoho OAuth); none for Basic auth or an API key.
AUTH_REQUESTS = {'maas360': 1, 'manageengine': 1, 'manageengine_onprem': 0, 'mobileiron_core': 0, 'mobileiron_cloud': 0}


def requests_made(sim, flavour):
    vendor = VENDOR_OF.get(flavour, flavour)
    return len(sim.log(vendor)) + (len(sim.log('zoho_accounts')) if flavour == 'manageengine' else 0)


def locks(sim, vendor):
    counts = {}
    for item in sim.ledger():
        if item['vendor'] == vendor and str(item['action']).lower() in ('lock', 'lockdevice', 'lock_device'):
            counts[str(item['device_id'])] = counts.get(str(item['device_id']), 0) + 1
    return counts


def check_ledger(sim, vendor, ids, before, who):
    after = locks(sim, vendor)
    wrong = [i for i in ids if after.get(i, 0) - before.get(i, 0) != 1]
    if wrong:
        raise SystemExit('%s: %d devices did not get exactly one lock, e.g. %s' % (who, len(wrong), wrong[:3]))
    return after


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--devices', type=int, default=2000)
    parser.add_argument('--latency-ms', type=int, default=20)
    parser.add_argument('--vendors', nargs='*', default=list(FLAVOURS), choices=FLAVOURS)
    parser.add_argument('--concurrency', type=int, default=4)
    args = parser.parse_args()

    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as workdir, \
            Simulator(devices=args.devices, seed=1, latency_ms=args.latency_ms) as sim:
        for flavour in args.vendors:
            vendor = VENDOR_OF.get(flavour, flavour)
            conn = sim.params(flavour)
            ids = [str(record[ID_FIELD[vendor]]) for record in sim.devices(vendor)][:args.devices]
            batch = build_adapter(conn).capabilities['actions'].action_catalogue()['lock'].batch
            minimum = AUTH_REQUESTS[flavour] + int(math.ceil(len(ids) / float(batch)))

            before = locks(sim, vendor)
            sim.clear_log()
            module_s = run_playbook(os.path.join(HERE, 'playbooks', 'lock_module.yml'),
                                    dict(conn=conn, device_ids=ids, concurrency=args.concurrency), workdir, env)
            made = requests_made(sim, flavour)
            before = check_ledger(sim, vendor, ids, before, 'module')

            uri_vars = dict(conn, device_ids=ids)
            uri_vars.pop('vendor')
            sim.clear_log()
            each_s = run_playbook(os.path.join(HERE, 'uri', 'lock_each_%s.yml' % flavour), uri_vars, workdir, env)
            each_made = requests_made(sim, flavour)
            before = check_ledger(sim, vendor, ids, before, 'uri, one call per device')

            batched = os.path.join(HERE, 'uri', 'lock_%s.yml' % flavour)
            batch_s = None
            if os.path.exists(batched):
                batch_s = run_playbook(batched, uri_vars, workdir, env)
                check_ledger(sim, vendor, ids, before, 'uri, per batch')

            target = 5.0 if batch == 1 else 20.0
            ratio = each_s / module_s
            rows.append((flavour, batch, made, minimum, module_s, each_made, each_s, ratio, target,
                         '%.2f' % (batch_s / module_s) if batch_s else '-'))
            if made != minimum:
                failures.append('%s: %d requests, minimum %d' % (flavour, made, minimum))
            if ratio < target:
                failures.append('%s: uri / module wall time %.1f < %.0f' % (flavour, ratio, target))

    print('lock of %d devices, %d ms simulated latency per request, module concurrency %d; one run each, side by side'
          % (args.devices, args.latency_ms, args.concurrency))
    header = ('vendor', 'batch', 'requests', 'minimum', 'module s', 'uri reqs', 'uri s', 'uri/module', 'target',
              'batched uri/module')
    print('%-20s %5s %8s %7s %8s %8s %8s %10s %6s %18s' % header)
    for row in rows:
        print('%-20s %5d %8d %7d %8.2f %8d %8.2f %10.1f %6.0f %18s' % row)
    if failures:
        print('TARGETS MISSED: ' + '; '.join(failures))
        return 1
    print('all targets met: requests equal to the minimum; uri (one call per device) at least 20x slower for the bulk '
          'vendors and 5x for MaaS360')
    return 0


if __name__ == '__main__':
    sys.exit(main())
