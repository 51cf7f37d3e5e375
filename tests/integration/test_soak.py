# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Soak: a bounded run of listings, device commands and declarative writes with random faults.

After a warm-up, memory must not grow by more than 10%, no connection, thread or process may be left behind,
and at the end the simulator's ledger must agree with what the run was told: no device commanded more often
than it was asked, every command reported sent or completed is in the ledger.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import os
import random
import threading

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_action, mdm_label

from mdmsim.control import Simulator

from test_action_faults import LOCKS
from test_device_info import ID_FIELD
from test_fault_matrix import FakeModule, action_params

ITERATIONS = 200
WARM_UP = 20
VENDORS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')
LABEL_VENDORS = ('manageengine', 'mobileiron_core')
KINDS = ['429', '502', '503', 'reset', 'reset_after', 'malformed', 'html', 'error_body']


def rss_kib():
    with open('/proc/self/status') as handle:
        for line in handle:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def open_sockets():
    count = 0
    for name in os.listdir('/proc/self/fd'):
        try:
            if os.readlink('/proc/self/fd/%s' % name).startswith('socket:'):
                count += 1
        except OSError:
            pass
    return count


def children():
    found = []
    me = str(os.getpid())
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % pid) as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            found.append(pid)
    return found


class Soak:
    def __init__(self, sim, seed):
        self.sim = sim
        self.rng = random.Random(seed)
        self.asked = {}
        self.reported = {}
        self.errors = {}
        self.ids = dict((vendor, [str(record[ID_FIELD[vendor]]) for record in sim.devices(vendor)]) for vendor in VENDORS)

    def adapter(self, vendor):
        return build_adapter(dict(self.sim.params(vendor), timeout=2, max_retries=3))

    def faults(self, vendor):
        if self.rng.random() < 0.5:
            self.sim.set_faults(vendor, rate=0.1, kinds=KINDS, retry_after=0, skip_auth=True)
        else:
            self.sim.set_faults(vendor, rate=0)

    def note(self, error):
        name = type(error).__name__
        self.errors[name] = self.errors.get(name, 0) + 1

    def listing(self, vendor):
        adapter = self.adapter(vendor)
        try:
            devices = adapter.list_devices(concurrency=2)
            assert len(devices) == len(self.ids[vendor]), 'a listing returned without every device'
        except MdmError as exc:
            self.note(exc)
        finally:
            adapter.transport.close()

    def command(self, vendor):
        devices = self.rng.sample(self.ids[vendor], 3)
        for device in devices:
            self.asked[(vendor, device)] = self.asked.get((vendor, device), 0) + 1
        adapter = self.adapter(vendor)
        try:
            _changed, report, _diff = mdm_device_action.run(FakeModule(**action_params(action='lock', devices=devices)), adapter)
        except MdmError as exc:
            self.note(exc)
            return
        finally:
            adapter.transport.close()
        for item in report['results']:
            key = (vendor, item['device_id'], item['outcome'])
            self.reported[key] = self.reported.get(key, 0) + 1

    def label_write(self, vendor):
        device = self.rng.choice(self.ids[vendor])
        state = self.rng.choice(['present', 'absent'])
        adapter = self.adapter(vendor)
        try:
            mdm_label.run(FakeModule(labels=['Pilot Ring'], devices=[device], state=state, purge=False, concurrency=2),
                          adapter)
        except (MdmError, PartialFailure) as exc:
            self.note(exc)
        finally:
            adapter.transport.close()

    def iteration(self):
        vendor = self.rng.choice(VENDORS)
        self.faults(vendor)
        self.listing(vendor)
        self.command(vendor)
        if vendor in LABEL_VENDORS:
            self.label_write(vendor)
        self.sim.set_faults(vendor, rate=0)


def test_soak(tmp_path):
    with Simulator(devices=120, seed=13, state_dir=str(tmp_path / 'sim')) as sim:
        soak = Soak(sim, seed=13)
        for _unused in range(WARM_UP):
            soak.iteration()
        gc.collect()
        base_rss, base_sockets, base_threads = rss_kib(), open_sockets(), threading.active_count()
        base_children = sorted(children())
        for _unused in range(ITERATIONS):
            soak.iteration()
        gc.collect()
        rss, sockets, threads = rss_kib(), open_sockets(), threading.active_count()
        print('soak: %d iterations after %d warm-up; RSS %d -> %d KiB (%.3f); sockets %d -> %d; threads %d -> %d; '
              'errors reported %s' % (ITERATIONS, WARM_UP, base_rss, rss, rss / float(base_rss), base_sockets, sockets,
                                      base_threads, threads, soak.errors))
        assert rss <= base_rss * 1.10, 'memory grew from %d to %d KiB' % (base_rss, rss)
        assert sockets <= base_sockets, 'connections left open: %d -> %d' % (base_sockets, sockets)
        assert threads <= base_threads, 'threads left running: %d -> %d' % (base_threads, threads)
        assert sorted(children()) == base_children, 'processes left behind'
        assert soak.errors, 'no fault reached the collection: the soak proves nothing'

        # The ledger agrees with what the run asked and was told.
        got = {}
        for item in sim.ledger():
            if str(item['action']).lower() in LOCKS:
                key = (item['vendor'], str(item['device_id']))
                got[key] = got.get(key, 0) + 1
        problems = []
        for key, count in got.items():
            if count > soak.asked.get(key, 0):
                problems.append('%s/%s: %d locks in the ledger, asked %d times' % (key + (count, soak.asked.get(key, 0))))
        for (vendor, device) in soak.asked:
            done = sum(soak.reported.get((vendor, device, outcome), 0) for outcome in ('sent', 'completed'))
            maybe = soak.reported.get((vendor, device, 'unknown'), 0)
            count = got.get((vendor, device), 0)
            if not done <= count <= done + maybe:
                problems.append('%s/%s: ledger %d, reported sent/completed %d, unknown %d' % (vendor, device, count, done, maybe))
        assert not problems, '\n'.join(problems[:20])
