# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: vendor x operation class x fault, against the simulator.

The test checks the invariants below in every cell, and that docs/reliability.md is the document this matrix
makes apart from the measured cells (its rows, its text) with every cell there a pass. `make reliability`
(tests/integration/fault_matrix.py) runs the same matrix and writes the document; no test writes into the tree.

Each cell injects one fault (the first matching request gets it) and checks the invariants:
- nothing lost: a listing or an inventory either holds every device of the server or fails with a clear error;
  a declarative write either is applied or fails clearly, and a second run without the fault converges;
- nothing duplicated: no device gets a command twice (the simulator's action ledger);
- nothing unreported: a device without the command is reported failed or unknown, a device with it is never
  reported failed.
Listing, commands and declarative writes run the collection's code in this process (the same adapters and
module run() functions the modules use); the inventory column runs ansible-inventory.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import threading
import time

import trustme

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.modules import mdm_account, mdm_device_action, mdm_label, mdm_user
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

from mdmsim.control import Simulator

from conftest import HERE
from test_action_faults import lock_counts
from test_device_info import ID_FIELD, sim_ids, sim_labels
from test_inventory import run_inventory, write_config

DOC = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'docs', 'reliability.md')
VENDORS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')
TITLES = {'maas360': 'IBM MaaS360', 'manageengine': 'ManageEngine (cloud, OAuth)', 'mobileiron_core': 'MobileIron Core',
          'mobileiron_cloud': 'MobileIron Cloud'}
READS = ['GET']
WRITES = ['POST', 'PUT', 'DELETE', 'PATCH']
TOKEN_VENDORS = ('maas360', 'manageengine')
# (key, title, fault spec without methods; None for the faults made otherwise)
FAULTS = [
    ('stall', 'latency spike beyond the timeout (1 s)', dict(kinds=['stall'], stall_ms=2500)),
    ('429', '429 with Retry-After', dict(kinds=['429'], retry_after=1)),
    ('429-bare', '429 without Retry-After', dict(kinds=['429'], retry_after=None)),
    ('500', '500', dict(kinds=['500'])),
    ('502', '502', dict(kinds=['502'])),
    ('503', '503', dict(kinds=['503'])),
    ('504', '504', dict(kinds=['504'])),
    ('reset', 'connection reset before the server acted', dict(kinds=['reset'])),
    ('reset_after', 'connection reset after the server acted', dict(kinds=['reset_after'])),
    ('tls', 'TLS failure (certificate from an untrusted CA)', None),
    ('token', 'token expiry mid-run', None),
    ('malformed', 'truncated JSON / XML body', dict(kinds=['malformed'])),
    ('html', 'HTML error page from a proxy (502)', dict(kinds=['html'])),
    ('error_body', '200 with an error body', dict(kinds=['error_body'])),
    ('drip', 'reply dripped a byte a second', dict(kinds=['drip'])),
    ('huge', 'reply of 100 MB', dict(kinds=['huge'])),
    # Listing faults (the simulator's state.ListingFaults), as real servers show them (NOTES.md, "What real servers
    # send"); reads list 50 rows a page so that a fleet of MATRIX_DEVICES spans several pages.  Random churn is
    # tested in test_listing_exactness.py (2,000 devices, property test over 25 seeds).  Balanced churn - as many
    # devices removed before the paging cursor as enrolled between two page requests, so that the total, the count
    # and the ids agree while rows shift onto pages already read - lost 2 of a MobileIron Core selection's devices
    # before index paging overlapped its pages by a row (session.py); page numbers cannot overlap (MaaS360): there a
    # second pass must list the same ids (confirm_listing, always for a selection that feeds a write).
    ('page_cap', 'listing: every page capped at 40 rows', dict(listing={'page_cap': 40})),
    ('total_off', 'listing: the total off by 7 (low)', dict(listing={'total_offset': -7})),
    ('repeat', 'listing: an id repeated across pages', dict(listing={'repeat': 1})),
    ('balanced', 'listing: 2 devices removed before the cursor and 2 enrolled between page requests (total unchanged)',
     dict(listing={'churn': {'remove': 2, 'budget': 12, 'balanced': True, 'front': 40}})),
]
LISTING_FAULTS = ('page_cap', 'total_off', 'churn', 'repeat', 'balanced')
# Cells of a known limit: they say what happened, marked as the limit, not as a pass.  (None now: MaaS360's page
# numbers cannot see balanced churn in one pass, and its reads in the "balanced" row confirm by a second pass.)
KNOWN_LIMITS = {}
# Faults under which the reads ask for a confirmed listing (mdm_device_info / inventory confirm_listing: true); a
# selection that feeds a write confirms on its own.  The option changes nothing on index-paged vendors.
CONFIRMED_READS = ('balanced',)
LISTING_PAGE = 50
# Faults a read must recover from: GET is safe to send again after 429, 502-504, a reset or a timeout, and a 401
# renews the token once.  A 500 is not retried (a server bug rarely heals in a second): it must fail clearly.
READ_RECOVERS = ('stall', '429', '429-bare', '502', '503', '504', 'reset', 'reset_after', 'token', 'html', 'drip')
MATRIX_DEVICES = 300


class FakeModule(fakes.FakeModule):
    """The unit tests' fake AnsibleModule, with exactly the parameters given (action_params and user_params)."""

    def __init__(self, **params):
        super(FakeModule, self).__init__(params)


def action_params(**params):
    # max_devices caps every command now, chosen by id too: the lock of 3 devices needs 3.
    base = dict(action=None, vendor_action=None, devices=None, filters=None, vendor_filters=None, label=None, query=None,
                label_pattern=None, all_devices=False, text=None, subject=None, message_type=None, params={},
                max_devices=3, wait=False, wait_timeout=300, wait_interval=5, fail_on_partial=False, concurrency=2,
                results_file=None)
    base.update(params)
    return base


def clear(error):
    """A short description of a clear error: its class, HTTP status and first words."""
    # The simulator's address changes every run: keep it out of the generated document.
    text = re.sub(r'https://127\.0\.0\.1:\d+', 'the server', str(error)).replace('|', '/').replace('\n', ' ')
    status = getattr(error, 'status', None)
    return '%s%s: %s' % (type(error).__name__, ' (HTTP %s)' % status if status else '', text[:90])


class Matrix:
    def __init__(self, sim, tmp_path, untrusted_ca):
        self.sim = sim
        self.tmp_path = tmp_path
        self.untrusted_ca = untrusted_ca
        self.cells = {}
        self.problems = []
        self.cursor = dict((vendor, 0) for vendor in VENDORS)
        self.since = dict((vendor, 0) for vendor in VENDORS)
        self.timings = {}
        self.listing_status = {}

    # -- plumbing ----------------------------------------------------------------------------------------------
    def conn(self, vendor, fault):
        conn = dict(self.sim.params(vendor), timeout=1, max_retries=2)
        if fault == 'tls':
            conn['ca_path'] = self.untrusted_ca
        return conn

    def inject(self, vendor, fault, spec, methods):
        entries = self.sim.log(vendor)
        self.since[vendor] = entries[-1]['seq'] if entries else 0
        if fault == 'token':
            self.sim.set_faults(vendor, rate=0, expire_tokens_after=2)
            self.sim.expire_tokens(vendor)
        elif spec is not None and 'listing' in spec:
            self.sim.set_listing_faults(vendor, seed='matrix-%s' % fault, **spec['listing'])
        elif spec is not None:
            self.sim.set_faults(vendor, rate=1, count=1, methods=methods, skip_auth=True, **spec)

    def injected(self, vendor, fault):
        """Did the fault really hit a request?  (A stalled request is logged once the server has handled it.)"""
        if fault in ('tls', 'token'):
            return True
        if fault in LISTING_FAULTS:
            status = self.listing_status.get(vendor) or {}
            if fault in ('churn', 'balanced'):
                return bool(status.get('removed') or status.get('enrolled'))
            return fault != 'repeat' or status.get('repeat_left') == 0
        deadline = time.monotonic() + 5
        while True:
            if any(entry.get('fault') for entry in self.sim.log(vendor) if entry['seq'] > self.since[vendor]):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)

    def unfault(self, vendor):
        self.sim.set_faults(vendor, rate=0)
        # What the listing faults did (the ids churn removed), then none.
        self.listing_status[vendor] = self.sim.listing_faults(vendor)
        self.sim.set_listing_faults(vendor)

    def exact(self, vendor, before, ids):
        """Under a listing fault: every device present for the whole listing once (those churn removed may be
        missing, those it enrolled may be there)."""
        removed = set(self.listing_status.get(vendor, {}).get('removed') or [])
        return len(ids) == len(set(ids)) and not (before - removed) - set(ids)

    def fresh_devices(self, vendor, count):
        """Devices no other cell used (counted from the end of the fleet, away from other tests)."""
        records = self.sim.devices(vendor)
        start = self.cursor[vendor]
        self.cursor[vendor] += count
        return [str(record[ID_FIELD[vendor]]) for record in records[-(start + count):len(records) - start]]

    def record(self, kind, vendor, fault, ok, text):
        limit = KNOWN_LIMITS.get((vendor, fault))
        if limit:
            # Not a pass and not a regression: what the known limit did this run, with its numbers.
            self.cells[(kind, vendor, fault)] = '➖ %s: %s' % (limit, text)
            return
        if not ok:
            self.problems.append('%s / %s / %s: %s' % (kind, vendor, fault, text))
        self.cells[(kind, vendor, fault)] = ('✅ ' if ok else '❌ ') + text

    # -- operation classes ------------------------------------------------------------------------------------
    def listing(self, vendor, fault, spec):
        if fault in LISTING_FAULTS:
            self.listing_under_fault(vendor, fault, spec)
            return
        self.inject(vendor, fault, spec, READS)
        adapter = build_adapter(self.conn(vendor, fault))
        try:
            devices = adapter.list_devices(concurrency=2)
        except MdmError as exc:
            self.record('listing', vendor, fault, fault not in READ_RECOVERS, 'failed clearly - ' + clear(exc))
            return
        finally:
            adapter.transport.close()
            self.unfault(vendor)
        ids = sorted(device['mdm_device_id'] for device in devices)
        complete = ids == sim_ids(self.sim, vendor)
        retries = adapter.transport.stats.retries
        self.record('listing', vendor, fault, complete and self.injected(vendor, fault),
                    '%s, all %d devices%s' % ('complete' if complete else 'INCOMPLETE', len(ids),
                                              ', %d retr%s' % (retries, 'y' if retries == 1 else 'ies') if retries else ''))

    def listing_under_fault(self, vendor, fault, spec):
        before = set(sim_ids(self.sim, vendor))
        self.inject(vendor, fault, spec, READS)
        adapter = build_adapter(self.conn(vendor, fault))
        adapter.confirm_listings = fault in CONFIRMED_READS
        try:
            devices = adapter.list_devices(concurrency=2, page_size=LISTING_PAGE)
        finally:
            adapter.transport.close()
            self.unfault(vendor)
        ids = [device['mdm_device_id'] for device in devices]
        report = devices.report
        exact = self.exact(vendor, before, ids)
        self.record('listing', vendor, fault, exact and self.injected(vendor, fault), '%s, %d listed in %d pass%s, %s%s' % (
            'exact' if exact else 'NOT EXACT', len(ids), report.passes, '' if report.passes == 1 else 'es',
            'consistent' if report.consistent else 'inconsistent (warned)',
            ' (confirmed: two passes agreed)' if report.confirmed else ''))

    def inventory(self, vendor, fault, spec):
        before = set(sim_ids(self.sim, vendor))
        self.inject(vendor, fault, spec, READS)
        config = write_config(self.tmp_path, '%s-%s' % (vendor, fault), self.conn(vendor, fault),
                              **(dict({'page_size': LISTING_PAGE}, **({'confirm_listing': True} if fault in CONFIRMED_READS else {}))
                                 if fault in LISTING_FAULTS else {}))
        proc = run_inventory(config, '--list', env={'ANSIBLE_INVENTORY_UNPARSED_FAILED': '1'})
        self.unfault(vendor)
        if proc.returncode != 0:
            reason = [line for line in (proc.stdout + proc.stderr).splitlines() if 'fleetops.mdm' in line or 'Error' in line]
            text = re.sub(r'https://127\.0\.0\.1:\d+', 'the server', reason[-1] if reason else 'exit %d' % proc.returncode).replace('|', '/')
            self.record('inventory', vendor, fault, fault not in READ_RECOVERS,
                        'failed clearly - ' + text.strip()[:110])
            return
        hostvars = json.loads(proc.stdout)['_meta']['hostvars']
        ids = sorted(str(h['mdm_device_id'] if not isinstance(h['mdm_device_id'], dict) else h['mdm_device_id']['__ansible_unsafe'])
                     for h in hostvars.values())
        if fault in LISTING_FAULTS:
            exact = self.exact(vendor, before, ids)
            warned = 'not consistent' in proc.stderr
            self.record('inventory', vendor, fault, exact and self.injected(vendor, fault), '%s, %d hosts%s' % (
                'exact' if exact else 'NOT EXACT', len(ids), ', warned: listing not consistent' if warned else ''))
            return
        complete = ids == sim_ids(self.sim, vendor)
        self.record('inventory', vendor, fault, complete and self.injected(vendor, fault),
                    '%s, %d hosts' % ('complete' if complete else 'INCOMPLETE', len(ids)))

    def locks(self, vendor):
        return lock_counts(self.sim, vendor)

    def selection_command(self, vendor, fault, spec):
        """Under a listing fault: lock every device chosen by all_devices.  A consistent listing locks each device
        present all along exactly once; an inconsistent one is refused before any write."""
        before_ids = set(sim_ids(self.sim, vendor))
        before = self.locks(vendor)
        self.inject(vendor, fault, spec, READS)
        adapter = build_adapter(self.conn(vendor, fault))
        error = None
        try:
            mdm_device_action.run(FakeModule(**action_params(action='lock', all_devices=True, max_devices=10000)), adapter)
        except MdmError as exc:
            error = exc
        finally:
            adapter.transport.close()
            self.unfault(vendor)
        after = self.locks(vendor)
        got = dict((i, after.get(i, 0) - before.get(i, 0)) for i in set(after) | set(before))
        locked = sum(1 for count in got.values() if count)
        twice = sum(1 for count in got.values() if count > 1)
        if error is not None:
            refused = getattr(error, 'error_type', '') == 'inconsistent_listing'
            self.record('command', vendor, fault, refused and locked == 0 and self.injected(vendor, fault),
                        'refused before any write (listing not consistent); ledger: 0' if refused and not locked else
                        '%s; ledger: %d' % (clear(error), locked))
            return
        if fault == 'repeat' and self.listing_status.get(vendor, {}).get('repeat_left'):
            # mdm_device_action lists with the vendor's largest page: MobileIron Cloud's 500 rows hold this fleet.
            self.cells[('command', vendor, fault)] = ('➖ the selection\'s listing was one page: nothing to repeat; '
                                                      'ledger: %d locked once, none twice' % locked if not twice else
                                                      '❌ %d locked twice' % twice)
            if twice:
                self.problems.append('command / %s / repeat: %d locked twice' % (vendor, twice))
            return
        removed = set(self.listing_status.get(vendor, {}).get('removed') or [])
        missing = (before_ids - removed) - set(i for i, count in got.items() if count)
        ok = not twice and not missing and self.injected(vendor, fault)
        self.record('command', vendor, fault, ok, 'every device present all along locked once (%d), none twice' % locked
                    if ok else 'ledger: %d locked, %d twice, %d missed' % (locked, twice, len(missing)))

    def command(self, vendor, fault, spec):
        if fault in LISTING_FAULTS:
            self.selection_command(vendor, fault, spec)
            return
        ids = self.fresh_devices(vendor, 3)
        before = self.locks(vendor)
        self.inject(vendor, fault, spec, WRITES)
        adapter = build_adapter(self.conn(vendor, fault))
        report = None
        try:
            _changed, report, _diff = mdm_device_action.run(FakeModule(**action_params(action='lock', devices=ids)), adapter)
        except MdmError as exc:
            error = exc
        else:
            error = None
        finally:
            adapter.transport.close()
            self.unfault(vendor)
        after = self.locks(vendor)
        got = dict((i, after.get(i, 0) - before.get(i, 0)) for i in ids)
        if report is None:
            ok = all(count == 0 for count in got.values())
            self.record('command', vendor, fault, ok, 'failed clearly before sending - %s; ledger: %d' % (
                clear(error), sum(got.values())))
            return
        outcomes = dict((item['device_id'], item) for item in report['results'])
        ok = self.injected(vendor, fault)
        for device_id in ids:
            item = outcomes[device_id]
            if got[device_id] > 1:
                ok = False
            elif got[device_id] == 1 and item['outcome'] not in ('sent', 'completed', 'unknown'):
                ok = False
            elif got[device_id] == 0 and item['outcome'] not in ('failed', 'unknown'):
                ok = False
            if item['outcome'] == 'unknown' and 'verify' not in (item['message'] or ''):
                ok = False
        summary = ', '.join('%d %s' % (report['summary'][key], key) for key in
                            ('sent', 'completed', 'failed', 'unknown') if report['summary'][key])
        self.record('command', vendor, fault, ok, '%s; ledger: %d of %d locked once, none twice' % (
            summary, sum(1 for c in got.values() if c == 1), len(ids)) if ok else
            '%s; ledger %s' % (summary, got))

    def declarative(self, vendor, fault, spec):
        writer = DECLARATIVE.get(vendor)
        if writer is None:
            self.cells[('declarative', vendor, fault)] = '➖ no declarative write for this vendor'
            return
        if fault in LISTING_FAULTS and writer is not Matrix.label_write:
            self.cells[('declarative', vendor, fault)] = '➖ this write lists nothing'
            return
        if fault in ('churn', 'repeat', 'balanced'):
            # The simulator churns device listings, and repeats ids on pages after the first: a label's member
            # listing (one page here) gives neither anything to act on.
            self.cells[('declarative', vendor, fault)] = '➖ the label\'s member listing is one page: nothing to act on'
            return
        writer(self, vendor, fault, spec)

    def label_write(self, vendor, fault, spec):
        """mdm_label: put one device in the Kiosk label / group; a second run without the fault converges."""
        labels = sim_labels(self.sim, vendor)
        device = self.fresh_devices(vendor, 1)[0]
        while 'Kiosk' in labels.get(device, []):
            device = self.fresh_devices(vendor, 1)[0]
        params = dict(labels=['Kiosk'], devices=[device], state='present', purge=False, concurrency=2)
        self.inject(vendor, fault, spec, WRITES)
        adapter = build_adapter(self.conn(vendor, fault))
        first = None
        try:
            mdm_label.run(FakeModule(**params), adapter)
            first = 'applied'
        except PartialFailure as exc:
            first = 'reported as failed - %s' % exc.msg[:90]
        except MdmError as exc:
            first = 'failed clearly - ' + clear(exc)
        finally:
            adapter.transport.close()
            self.unfault(vendor)
        held = 'Kiosk' in sim_labels(self.sim, vendor).get(device, [])
        if first == 'applied' and not held:
            self.record('declarative', vendor, fault, False, 'reported applied but the label does not hold the device')
            return
        adapter = build_adapter(self.conn(vendor, 'none'))
        try:
            changed, _result, _diff = mdm_label.run(FakeModule(**params), adapter)
        finally:
            adapter.transport.close()
        held_after = 'Kiosk' in sim_labels(self.sim, vendor).get(device, [])
        ok = held_after and (changed != held) and self.injected(vendor, fault)
        self.record('declarative', vendor, fault, ok, '%s; rerun %s' % (
            first, 'converged (nothing left to do)' if not changed else 'converged'))

    def user_write(self, vendor, fault, spec):
        """mdm_user: change one field of a MobileIron Cloud user; the whole record must keep every other field."""
        records = [item['record'] for item in self.sim.users(vendor) if not item['record'].get('superUser')]
        index = self.cursor[vendor]
        self.cursor[vendor] += 1
        before = records[index]
        wanted = 'Matrix %s' % fault
        params = user_params(uid=before['uid'], display_name=wanted)
        first = self.run_declarative(vendor, fault, spec, mdm_user, params)
        after_first = self.user(vendor, before['uid'])
        if first == 'applied' and after_first.get('displayName') != wanted:
            self.record('declarative', vendor, fault, False, 'reported applied but the record was not changed')
            return
        changed = self.rerun(vendor, mdm_user, params)
        after = self.user(vendor, before['uid'])
        kept = all(after.get(key) == value for key, value in before.items()
                   if key not in ('displayName', 'modifiedAt', 'modifiedBy', 'lastModifiedAt'))
        ok = after.get('displayName') == wanted and kept and self.injected(vendor, fault)
        self.record('declarative', vendor, fault, ok, '%s; rerun %s; every other field kept' % (
            first, 'converged' if changed else 'converged (nothing left to do)') if ok else
            '%s; record after: %s' % (first, after))

    def user(self, vendor, uid):
        return [item['record'] for item in self.sim.users(vendor) if item['record']['uid'] == uid][0]

    def account_write(self, vendor, fault, spec):
        """mdm_account: create a MaaS360 customer account; never twice, whatever the fault."""
        name = 'Matrix %s Ltd' % fault
        params = dict(name=name, account_type='Trial', admin_email='it@matrix-%s.example' % fault, service='MDM',
                      state='present', on_taken='assume_existing')
        first = self.run_declarative(vendor, fault, spec, mdm_account, params)
        changed = self.rerun(vendor, mdm_account, params)
        count = sum(1 for account in self.sim.maas360_accounts() if account.get('accountName') == name)
        ok = count == 1 and self.injected(vendor, fault)
        self.record('declarative', vendor, fault, ok, '%s; rerun %s; %d account of that name' % (
            first, 'created it' if changed else 'converged (nothing left to do)', count))

    def run_declarative(self, vendor, fault, spec, module, params):
        self.inject(vendor, fault, spec, WRITES)
        adapter = build_adapter(self.conn(vendor, fault))
        try:
            module.run(FakeModule(**params), adapter)
            return 'applied'
        except PartialFailure as exc:
            return 'reported as failed - %s' % exc.msg[:90]
        except MdmError as exc:
            return 'failed clearly - ' + clear(exc)
        finally:
            adapter.transport.close()
            self.unfault(vendor)

    def rerun(self, vendor, module, params):
        adapter = build_adapter(self.conn(vendor, 'none'))
        try:
            changed, _result, _diff = module.run(FakeModule(**params), adapter)
        finally:
            adapter.transport.close()
        return changed


def user_params(**params):
    base = dict(uid=None, state='present', email=None, first_name=None, last_name=None, display_name=None, enabled=None,
                password_never_expires=None, gdpr_profile_id=None, managed_apple_id=None, edipi=None, source='local',
                user_password=None, update_password='on_create', send_invite=False, invite=False, device_ownership=None,
                ldap_import=False, ldap_server=None, ldap_wait=15, ldap_poll_interval=15, ldap_timeout=90,
                custom_attributes=None, force_overwrite=False, enrollment_url=False, token_lifetime=604800000,
                registration_pin=False)
    base.update(params)
    return base


DECLARATIVE = {'manageengine': Matrix.label_write, 'mobileiron_core': Matrix.label_write,
               'mobileiron_cloud': Matrix.user_write, 'maas360': Matrix.account_write}


def render_doc(matrix):
    """The text of docs/reliability.md for the cells ``matrix`` measured."""
    lines = [
        '# Reliability: the fault matrix',
        '',
        '<!-- Generated by `make reliability` (tests/integration/fault_matrix.py); do not edit by hand. -->',
        '',
        'Each cell injects one fault into the bundled simulator - the first matching request gets it - and runs one',
        'operation with `timeout: 1` and `max_retries: 2`. It is ✅ when the invariants hold:',
        '',
        '- **nothing lost**: a listing or an inventory holds every device of the server, or fails with a clear error;',
        '  a declarative write is applied, or fails clearly and a second run without the fault converges;',
        '- **nothing duplicated**: no device gets a command twice (the simulator\'s action ledger);',
        '- **nothing unreported**: a device without the command is reported `failed` or `unknown`, a device with it',
        '  is never reported `failed`; `unknown` always carries the advice to verify before sending again.',
        '',
        'Reads (listing, inventory) get the fault on their first `GET` after authentication; commands and declarative',
        'writes on their first write request. "Token expiry mid-run" expires the vendor\'s tokens before the run and',
        'again after two authenticated requests; MobileIron Core and Cloud use Basic auth on every request, so',
        'there is no token to expire there. A 503 or 504 on a write is not retried: the server may have acted.',
        '"Reply dripped" sends the real reply\'s headers, then its body a byte a second: `timeout` bounds the whole',
        'request, so the client gives up after 1 s (a read is sent again, a write whose reply did not arrive in time',
        'is `unknown`; an empty reply has nothing to drip). "Reply of 100 MB"',
        'is a chunked body without a length, handled by the server first: the client stops reading at 32 MB or',
        'when `timeout` has passed, whichever comes first (here mostly the 1 s timeout, so reads are sent again).',
        '',
        'Operation classes: **listing** - `mdm_device_info` (all pages); **inventory** - `ansible-inventory` with the',
        '`fleetops.mdm.devices` plugin; **command** - `mdm_device_action` lock of 3 devices; **declarative** -',
        '`mdm_label` putting a device in a label or group (ManageEngine, MobileIron Core), `mdm_user` changing one field',
        'of a user (MobileIron Cloud: the whole record is compared afterwards), `mdm_account` creating a customer account',
        '(MaaS360).',
        '',
        'The rows named "listing: ..." are the simulator\'s listing faults, as real servers show them: pages capped below',
        'the size asked for, a total that is off, an id repeated across pages, and balanced churn - as many devices',
        'removed before the paging cursor as enrolled between two page requests, so that the total, the count and the',
        'ids all agree while rows shift onto pages already read (random churn of a tenth of the fleet while a listing',
        'runs: tests/integration/test_listing_exactness.py). Reads then list 50 rows a page; under balanced churn they',
        'ask for a confirmed listing (`confirm_listing: true`, which only MaaS360 needs: see below). '
        'A listing is ✅ when it is **exact**: every device present for',
        'the whole listing appears exactly once. The command row locks every device chosen by `all_devices`: each',
        'device present all along is locked once, or the selection is refused before any write because its listing',
        'was not consistent (`allow_inconsistent_listing`). The declarative row puts a device in a label while the',
        'label\'s member listing is under the fault.',
        '',
    ]
    for kind, title in (('listing', 'Device listing'), ('inventory', 'Inventory'), ('command', 'Device command'),
                        ('declarative', 'Declarative write')):
        lines += ['## %s' % title, '', '| fault | %s |' % ' | '.join(TITLES[v] for v in VENDORS),
                  '| --- |%s' % (' --- |' * len(VENDORS))]
        for key, fault_title, _spec in FAULTS:
            lines.append('| %s | %s |' % (fault_title, ' | '.join(matrix.cells.get((kind, v, key), '-') for v in VENDORS)))
        lines.append('')
    lines += PAGING_LIMITS + TRANSPORT_LIMITS + JOURNAL
    return '\n'.join(lines)


def write_doc(matrix, path=DOC):
    with open(path, 'w') as handle:
        handle.write(render_doc(matrix))


def skeleton(text):
    """The document without its measured cells: each row of a fault table reduced to the fault's title."""
    return [line.split(' | ', 1)[0] if line.startswith('| ') else line for line in text.split('\n')]


def fault_cells(text):
    """Every measured cell of the document."""
    return [cell for line in text.split('\n') if line.startswith('| ') and not line.startswith(('| fault |', '| --- |'))
            for cell in line.strip('| ').split(' | ')[1:]]


# What the paging engine can and cannot see (static text of the generated document).
PAGING_LIMITS = [
    '## What page numbers cannot see',
    '',
    '- **Index paging overlaps its pages.** MobileIron Core (`offset`), MobileIron Cloud (`start`) and ManageEngine',
    '  (`offset`) listings - devices, label and group members, users - read every page after the first from one row',
    "  before the next unread index, and that row must be the previous page's last. A device present for the whole",
    '  listing can only be lost when the rows shift between two page requests, and any shift changes the row at some',
    '  page boundary: the listing reports drift `shifted` and lists again (see `plugins/module_utils/session.py` for',
    '  the argument). The price is one row a page: `ceil((n - 1) / (P - 1))` requests instead of `ceil(n / P)` (10,000',
    '  devices: 51 instead of 50 requests with pages of 200, 21 instead of 20 with 500). Tested: the "balanced" row',
    '  above, `tests/integration/test_listing_exactness.py` (2,000 devices per flavour, one page at a time, and the',
    '  property test over 25 seeds with balanced churn in its odd seeds) and `tests/unit/plugins/module_utils/test_session.py`.',
    '- **MaaS360 pages by page number and cannot overlap.** `pageNumber` counts pages of `pageSize` (25, 50, 100, 200',
    '  or 250 only), so a page cannot start one row early. Its search can sort (`sortAttribute` lastReported or',
    '  installedDate, `sortOrder` asc or dsc: vendor-docs NOTES.md), but a sort keeps rows from moving among each',
    '  other, not from shifting when a device before the cursor is removed; no keyed paging is documented. So when',
    '  as many MaaS360 devices are removed before the cursor as are enrolled between two page requests, and nothing',
    '  else drifts, one row a removal moves onto a page already read, and no single pass can tell: its total, count',
    '  and ids all agree. A second pass can: a pass that lost a device also listed the device whose removal shifted',
    '  it, which the next pass no longer lists. So a **confirmed** listing counts a drift-free pass only when the pass',
    '  before it listed exactly the same ids, and otherwise lists again (at most 3 passes; the result is the union of',
    '  the passes, so a device present all along that one pass lost is still there). When no two passes agree (churn',
    '  during every pass) the listing is not consistent, with drift `passes_differ` and the numbers.',
    '- **Selections that feed a write confirm on their own** on MaaS360: `mdm_device_action` with a selector and',
    '  `mdm_label` with `purge: true` (and the roles through them) read the listing until two passes agree, and write',
    '  nothing when they never do (unless `allow_inconsistent_listing: true`). The cost is one more pass of the',
    '  listing (a fleet of 2,000 in pages of 250: 16 requests instead of 8). **Reads** (`mdm_device_info`, the',
    '  `fleetops.mdm.devices` inventory) confirm only with `confirm_listing: true`: without it one pass is read (the',
    '  requests stay the minimum) and balanced churn during it can still hide a device. The option changes nothing',
    '  on the other vendors. Tested: the "balanced" row above (reads with `confirm_listing: true`),',
    '  `tests/integration/test_listing_exactness.py` (2,000 MaaS360 devices under balanced churn through',
    '  `mdm_device_info`, exact; a wipe of every device under balanced churn on every pass, refused before any',
    '  write) and `tests/unit/plugins/module_utils/test_session.py`.',
    '',
]


# What the transport guarantees beyond the matrix, and where it is tested (static text of the generated document).
TRANSPORT_LIMITS = [
    '## Transport limits',
    '',
    '- **`timeout` bounds the whole request**: connect, send, headers and body. requests\' own timeout bounds each',
    '  socket read only, so a watchdog shuts the socket down when `timeout` has passed; before, a server dripping a',
    '  byte a second kept a task with `timeout: 3` for 101 s. A read is then sent again (within `max_retries`), a',
    '  write is reported `unknown`. Tested: `tests/integration/test_transport_limits.py` (gives up after 3 s +/- 1.5 s',
    '  against a reply that would take 120 s), and the "reply dripped" row above.',
    '- **A reply is at most 32 MB** (after decoding, so a compressed bomb is stopped too), read in 64 KB chunks and',
    '  refused with a clear error as soon as it passes the limit or announces more in `Content-Length`; a write whose',
    '  reply is refused is `unknown`. Tested: the "reply of 100 MB" row above, and a 100 MB reply read by a separate',
    '  process whose peak memory grows by less than 80 MB (about 20 MB measured; before: 350 MB).',
    '- **JSON or XML nested too deeply** to be read is a clear "bad response" error, not a crash',
    '  (`tests/unit/plugins/module_utils/test_transport_bounds.py`).',
    '- **Connection errors name their cause first**: `could not connect to <server>: DNS: ...`, `... connection',
    '  refused`, `... proxy: ...`, `... timeout: ...`, `TLS failure talking to <server>: ...`; the library\'s own',
    '  text follows, redacted and then shortened. A host name that does not resolve fails at once (before: retried',
    '  for about 20 s); a refused connection and a connect timeout are retried (the request never left the',
    '  controller). Tested against 127.0.0.1 and a `.invalid` name in `tests/integration/test_transport_limits.py`.',
    '',
]


# What the journal of destructive commands guarantees across runs, and where it is tested (static text too).
JOURNAL = [
    '## Never twice across runs: the journal of destructive commands',
    '',
    'Within one run, a command that may have reached the server is never sent again (`unknown`, above). Across',
    'runs, `mdm_device_action` keeps a journal of its destructive commands - `wipe`, `selective_wipe`, `retire`,',
    "`remove` and ManageEngine's `complete_wipe` / `corporate_wipe` - on the machine that runs the module (with",
    '`hosts: localhost`, the controller).',
    '',
    'What is guaranteed, on one machine and one journal directory:',
    '',
    '- **Written before and after.** Before the first request of a command, every device it is about to go to gets an',
    '  entry `sending`; after the reply, the entry says `sent`, `completed`, `unknown`, `failed` or `not_applicable`',
    '  (and, with `wait`, the final outcome). A run that stops in between (SIGKILL, a crash) leaves `sending`, which',
    '  counts as `unknown`. A login refused before the first command takes its `sending` entries back.',
    ('- **A rerun skips.** A device whose same command is in the journal as `sending`, `sent`, '
     '`completed` or `unknown`,'),
    ('  started less than `journal_window` hours ago (24 by default), is not commanded; it is reported '
     '`skipped` with the'),
    ("  entry (`results[].journal`: state, when started and updated, the vendor's command id) and a "
     'message that says how'),
    '  to send it anyway. `failed` and `not_applicable` do not stop a new send: the server refused the command.',
    ('- **Concurrent runs send once.** Reading the entries and writing `sending` happen under one '
     'exclusive `fcntl` lock'),
    "  of the server's journal file; the lock is not held while requests are in flight. Of two runs wiping one device",
    '  at the same moment, one sends and the other reports `skipped` (state `sending` or `sent`).',
    '- **Resending is explicit.** `resend: true` sends despite the journal, except to a device another run started',
    '  sending to after this run started. For an unsure entry (`unknown`, `sending`) the server is asked first where',
    '  the vendor documents a way, and a device whose server already has the command is `skipped`:',
    '',
    '  | vendor | what is read before a resend of an `unknown` |',
    '  | --- | --- |',
    ("  | ManageEngine MDM | the device's last initiated command (`GET .../actions/recent_command`), then "
     'its command history (`GET .../commandhistory`, every page) for the command added since the journal '
     'entry (less 5 minutes of clock skew) |'),
    ('  | IBM MaaS360 | `checkActionStatus` of the `actionID`, when the lost reply left one; '
     '`searchActionHistory` is named by IBM but its request and reply are shown in no source we can cite, '
     'so without an `actionID` the device is commanded again - what `resend: true` asks for |'),
    ('  | MobileIron Core, MobileIron Cloud | the device status, read before every wipe and retire: '
     'retired, wiped, `RETIRE_PENDING` or `WIPE_PENDING` is `skipped` |'),
    '',
    '  A failed look-up sends nothing: the device is `failed` with the reason.',
    '- **Check mode** reads the journal (and, with `resend`, the server) and reports what it would skip; it creates,',
    '  locks and writes nothing.',
    '- **Private and bounded.** Default directory `~/.ansible/fleetops.mdm/journal` (option `journal_path`,',
    '  environment `MDM_JOURNAL_PATH`): created 0700, an own directory open to others is set to 0700, one of another',
    '  user is refused; one JSON file and one lock file per server, 0600, replaced atomically (temporary file, fsync,',
    "  rename), so readers never see half a file. An entry holds ids, the command, states, times and the vendor's",
    '  command id; the server is its URL without user information, query or fragment (plus the MaaS360 billing id,',
    '  since customers share hosts). Entries older than the window and a week are pruned on every write; a file keeps',
    '  at most 20,000 entries.',
    '- **Never ignored.** A journal file that cannot be read fails the task before anything is sent, naming the file,',
    '  and is left as it is; so does a lock another run holds for more than 60 s.',
    '',
    'What it does not cover: runs on different machines, or AWX / Automation Controller jobs whose execution',
    'environment starts with an empty home, share nothing unless they share the directory (a persistent volume given',
    "as `journal_path` or `MDM_JOURNAL_PATH`); a command sent by another tool or from the vendor's console; commands",
    'that are not destructive (a rerun of a lock locks again). `journal: false` (or `MDM_JOURNAL=false`) turns the',
    'journal off.',
    '',
    'How it is tested: `tests/unit/plugins/module_utils/test_journal.py` (claims, windows, outcomes, resend, pruning,',
    'the 20,000 bound, unreadable files, modes under umask 0, a lock held by another process, eight processes claiming',
    'one device: exactly one claims), `tests/unit/plugins/modules/test_mdm_device_action_journal.py` (reruns, resends',
    'with and without a server look-up, check mode writes nothing, released claims) and',
    ('`tests/integration/test_action_journal.py`, against the simulator for each of the four vendors: a '
     'wipe whose reply'),
    'is lost after the server acted, then a plain rerun - `skipped`, no new wipe in the action ledger - then',
    ('`resend: true` (ManageEngine, MobileIron: `skipped`, the server has it; MaaS360: sent once); a wipe '
     'lost before the'),
    ('server acted, rerun `skipped`, `resend: true` sends exactly once, the next rerun `skipped`; two '
     '`ansible-playbook`'),
    'runs wiping one device at the same time (every request 0.7 s slow) - exactly one wipe in the ledger.',
    '',
]


def column(matrix, vendor, errors):
    try:
        for key, _title, spec in FAULTS:
            for kind in ('listing', 'inventory', 'command', 'declarative'):
                start = time.monotonic()
                getattr(matrix, kind)(vendor, key, spec)
                matrix.timings[(kind, vendor, key)] = time.monotonic() - start
    except Exception as exc:  # pylint: disable=broad-except
        errors.append('%s: %r' % (vendor, exc))
        raise


def run_matrix(tmp_path):
    """Run every cell; returns the Matrix (its cells, problems and timings). ``tmp_path``: a pathlib.Path to work in."""
    ca = trustme.CA()
    untrusted = str(tmp_path / 'untrusted-ca.pem')
    ca.cert_pem.write_to_path(untrusted)
    errors = []
    # Its own simulator: faults stay out of the other tests' way, and a small fleet keeps the run short.  Each
    # vendor's column runs in its own thread (faults, ledger entries and log entries are per vendor).
    with Simulator(devices=MATRIX_DEVICES, seed=11) as sim:
        matrix = Matrix(sim, tmp_path, untrusted)
        threads = [threading.Thread(target=column, args=(matrix, vendor, errors)) for vendor in VENDORS]
        try:
            for thread in threads:
                thread.start()
        finally:
            for thread in threads:
                thread.join()
    matrix.problems.extend(errors)
    return matrix


def slowest(matrix, count=15):
    return '\n'.join('%-50s %.1f s' % ('/'.join(key), seconds)
                     for key, seconds in sorted(matrix.timings.items(), key=lambda item: -item[1])[:count])


def test_fault_matrix(tmp_path):
    matrix = run_matrix(tmp_path)
    print(slowest(matrix))
    assert not matrix.problems, '\n'.join(matrix.problems)
    # The checked-in document is the one this matrix makes (`make reliability` regenerates it): the same rows and
    # text, and every cell a pass or not applicable.
    with open(DOC) as handle:
        checked_in = handle.read()
    assert skeleton(checked_in) == skeleton(render_doc(matrix)), 'docs/reliability.md is out of date: run make reliability'
    cells = fault_cells(checked_in)
    assert len(cells) == 4 * len(FAULTS) * len(VENDORS)
    assert [cell for cell in cells if not cell.startswith(('\u2705 ', '\u2796 '))] == []
