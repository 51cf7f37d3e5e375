# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listings are exact on servers that misbehave as real ones do (NOTES.md, "What real servers send").

For each of the five flavours, 2,000 devices are listed through fleetops.mdm.mdm_device_info and through the
fleetops.mdm.devices inventory under each listing fault of the simulator - pages capped below the size asked for, a
total that is off (high and low), devices removed and enrolled while the listing runs, an id repeated across pages -
and every device present for the whole listing must appear exactly once.  A property test churns 10 % of the fleet
over 25 seeds through the client library; a destructive selection over a listing that drifts on every pass sends
nothing (the simulator's ledger stays empty).  MaaS360 pages by number, which one pass cannot check against balanced
churn: its balanced case lists with confirm_listing: true, and its wipe under balanced churn on every pass is refused.

One simulator of 2,000 devices serves the whole file; the module cases share one ansible-playbook run and the
inventory cases one ansible-inventory run per fault and flavour group, so that the file stays short on two cores.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import random
import subprocess

import pytest
import yaml

from conftest import BIN, FLAVOURS, ansible_env, run_playbook
from mdmsim.control import Simulator

DEVICES = 2000
VENDOR_OF = {'manageengine_onprem': 'manageengine'}
ID_FIELD = {'maas360': 'maas360DeviceID', 'manageengine': 'device_id', 'mobileiron_core': 'common.uuid', 'mobileiron_cloud': 'id'}
# Each fault once; the churn changes about 10 % of the fleet while the first pass runs.  (The engine's unit tests
# cover totals off in both directions; here the total is low, the form that could end a listing early.)
FAULTS = {
    'page_cap': {'page_cap': 40},
    'total_off': {'total_offset': -17},
    'churn': {'churn': {'remove': 30, 'enrol': 30, 'budget': 200}},
    'repeat': {'repeat': 2},
    # The blind spot of totals: 3 devices removed from the first 40 and 3 enrolled before each page request, so the
    # total, the count and the ids never disagree while rows shift onto pages already read.  Only the one-row overlap
    # of index paging sees it (session.py); MaaS360's page numbers cannot overlap (docs/reliability.md).
    'balanced_churn': {'churn': {'remove': 3, 'budget': 60, 'balanced': True, 'front': 40}},
}
# Faults that only index-paged flavours are held to in one pass.
INDEX_PAGED_ONLY = ('balanced_churn',)
# MaaS360 pages by number: one pass cannot see balanced churn, a confirmed listing (confirm_listing: true) can.  The
# churn (5 bursts of 3) falls in the first pass (8 pages of 250), so the second pass lists other ids and the third
# agrees with it.
CONFIRMED_CASES = [{'name': 'maas360-balanced_churn-confirmed', 'flavour': 'maas360', 'concurrency': 1,
                    'confirm_listing': True, 'faults': {'churn': {'remove': 3, 'budget': 30, 'balanced': True, 'front': 40}}}]


def flavours_for(fault):
    return [flavour for flavour in FLAVOURS if not (fault in INDEX_PAGED_ONLY and flavour == 'maas360')]


# Destructive selections over listings that drift on every page request of every pass.
GUARD_CASES = [{'name': 'guard-%s' % flavour, 'flavour': flavour, 'action': 'wipe' if flavour in ('maas360', 'manageengine') else 'lock',
                'faults': {'churn': {'remove': 4, 'enrol': 4, 'budget': 100000}}}
               for flavour in ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')]
# A wipe on MaaS360 under balanced churn during every pass: no pass drifts, yet no two list the same ids, so the
# selection (confirmed on its own, as every selection that feeds a write on page numbers) writes nothing.  One page
# at a time, so that no pass sees anything else (pages answered out of order would repeat ids).
GUARD_CASES.append({'name': 'guard-maas360-balanced', 'flavour': 'maas360', 'action': 'wipe', 'concurrency': 1,
                    'faults': {'churn': {'remove': 3, 'budget': 100000, 'balanced': True, 'front': 40}}})


def vendor_of(flavour):
    return VENDOR_OF.get(flavour, flavour)


@pytest.fixture(scope='module')
def big_sim():
    simulator = Simulator(devices=DEVICES, seed=11)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def fleet_ids(sim, vendor):
    return set(str(record[ID_FIELD[vendor]]) for record in sim.devices(vendor))


def assert_exact(listed, present_all_along, where):
    """Every device present for the whole listing appears exactly once."""
    assert len(listed) == len(set(listed)), '%s: %d device(s) listed twice' % (where, len(listed) - len(set(listed)))
    missing = present_all_along - set(listed)
    assert not missing, '%s: %d device(s) present all along were not listed, e.g. %s' % (where, len(missing), sorted(missing)[:3])


def assert_no_secret(sim, text, where):
    hits = [secret[:8] for secret in sim.secrets() + sim.issued_tokens() if secret and secret in text]
    assert not hits, 'secret(s) %s in %s' % (hits, where)


@pytest.fixture(scope='module')
def module_cases(big_sim, tmp_path_factory):
    """One ansible-playbook run: every flavour under every fault through mdm_device_info, then the guard cases."""
    sim = big_sim
    sim.clear_faults()
    # Balanced churn is listed one page at a time: pages fetched concurrently and answered out of order also repeat
    # ids, which the old engine saw; one page at a time, only the overlap row sees the shift.
    cases = [dict({'name': '%s-%s' % (flavour, fault), 'flavour': flavour, 'faults': spec},
                  **({'concurrency': 1} if fault in INDEX_PAGED_ONLY else {}))
             for fault, spec in sorted(FAULTS.items()) for flavour in flavours_for(fault)] + CONFIRMED_CASES
    # Present before the run; each case's churn is replayed from what the simulator reports it removed and enrolled.
    fleets = dict((vendor, fleet_ids(sim, vendor)) for vendor in set(ID_FIELD))
    ledger_before = len(sim.ledger())
    tmp_path = tmp_path_factory.mktemp('listing-cases')
    out_dir = tmp_path / 'cases'
    out_dir.mkdir()
    run = run_playbook(tmp_path, 'listing_cases.yml', None, verbosity=0, diff=False,
                       extra=dict(conns=dict((flavour, sim.params(flavour)) for flavour in FLAVOURS),
                                  admin_url=sim.admin_url, cases=cases + GUARD_CASES, out_dir=str(out_dir)))
    sim.clear_faults()
    assert run.rc == 0, run.output[-3000:]
    assert_no_secret(sim, run.output, 'the playbook output')
    results = {}
    for path in out_dir.iterdir():
        text = path.read_text()
        assert_no_secret(sim, text, str(path))
        item = json.loads(text)
        results[item['name']] = item
    return {'cases': cases, 'fleets': fleets, 'results': results, 'ledger_before': ledger_before,
            'ledger_after': len(sim.ledger())}


def test_module_listing_is_exact_under_every_fault_for_every_flavour(module_cases):
    fleets, results = module_cases['fleets'], module_cases['results']
    for case in module_cases['cases']:
        item = results[case['name']]
        vendor = vendor_of(case['flavour'])
        removed, enrolled = set(item['status'].get('removed') or []), set(item['status'].get('enrolled') or [])
        present_all_along = fleets[vendor] - removed
        assert len(present_all_along) >= DEVICES - 250
        assert_exact(item['ids'], present_all_along, case['name'])
        listing = item['listing']
        assert listing['listed'] == len(item['ids'])
        if 'page_cap' in case['faults']:
            # The cap is learned from the first answer: one pass, no drift, the real page size reported.
            assert listing['consistent'] and listing['passes'] == 1 and listing['page_size'] == 40, case['name']
        if 'total_offset' in case['faults']:
            # A steady fleet with a wrong total: two passes agree, consistent, the disagreement reported.
            assert listing['consistent'] and listing['passes'] == 2, case['name']
            assert 'count_mismatch' in [drift['kind'] for drift in listing['drift']]
        if 'repeat' in case['faults']:
            assert 'repeated_id' in [drift['kind'] for drift in listing['drift']], case['name']
        if 'churn' in case['faults']:
            assert removed or enrolled, case['name']
            assert listing['passes'] >= 2, case['name']
        if case['faults'].get('churn', {}).get('balanced'):
            assert len(removed) == len(enrolled) > 0, case['name']
            if case.get('confirm_listing'):
                # Drift-free passes that differ, then two that agree.
                assert listing['consistent'] and listing['confirmed'] and listing['passes'] == 3, case['name']
                assert [drift['kind'] for drift in listing['drift']] == ['passes_differ'], case['name']
            else:
                assert 'shifted' in [drift['kind'] for drift in listing['drift']], case['name']
        fleets[vendor] = (fleets[vendor] | enrolled) - removed


def test_a_destructive_selection_over_an_inconsistent_listing_sends_nothing(module_cases):
    assert module_cases['ledger_after'] == module_cases['ledger_before'], 'a write reached the server'
    for case in GUARD_CASES:
        item = module_cases['results'][case['name']]
        assert item['action_failed'] is True, item['name']
        assert item['action_error'] == 'inconsistent_listing', item['action_msg']
        assert 'allow_inconsistent_listing' in item['action_msg'] and 'Nothing was written' in item['action_msg']
        assert item['action_listing']['consistent'] is False and item['action_listing']['passes'] == 3
        if case['faults']['churn'].get('balanced'):
            assert item['action_listing']['confirmed'] is False, item['name']
            assert set(drift['kind'] for drift in item['action_listing']['drift']) == {'passes_differ'}, item['name']


def write_config(tmp_path, flavour, conn):
    """Hosts named by their device id; each source puts its hosts in a group of its own, so that two sources
    listing the same ids (ManageEngine cloud and on-premises share one server) still tell what each listed."""
    config = dict(plugin='fleetops.mdm.devices', hostnames=['id'], default_groups=[], groups={'src_' + flavour: 'true'})
    config.update(conn)
    path = tmp_path / ('%s.mdm.yml' % flavour)
    path.write_text(yaml.safe_dump(config))
    return str(path)


def run_inventory(sim, paths, out_file):
    cmd = [os.path.join(BIN, 'ansible-inventory'), '--list', '--output', out_file]
    for path in paths:
        cmd += ['-i', path]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ansible_env(), timeout=600, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert_no_secret(sim, proc.stdout + proc.stderr, 'the output of ansible-inventory')
    with open(out_file) as handle:
        text = handle.read()
    os.unlink(out_file)
    assert_no_secret(sim, text, 'the inventory')
    return json.loads(text), proc.stdout + proc.stderr


@pytest.mark.parametrize('fault', sorted(set(FAULTS) - set(INDEX_PAGED_ONLY)))
def test_inventory_is_exact_under_every_fault_for_every_flavour(big_sim, tmp_path, fault):
    """The five flavours in one ansible-inventory run under one fault.  (Balanced churn through the inventory: the
    fault matrix's row, on a smaller fleet.)"""
    sim = big_sim
    sim.clear_faults()
    before = dict((vendor, fleet_ids(sim, vendor)) for vendor in set(ID_FIELD))
    flavours = flavours_for(fault)
    for vendor in sorted(set(vendor_of(flavour) for flavour in flavours)):
        sim.set_listing_faults(vendor, seed='inventory-%s-%s' % (fault, vendor), **FAULTS[fault])
    paths = [write_config(tmp_path, flavour, sim.params(flavour)) for flavour in flavours]
    inventory, _output = run_inventory(sim, paths, str(tmp_path / 'inventory.json'))
    removed = dict((vendor, set(sim.listing_faults(vendor).get('removed') or [])) for vendor in set(ID_FIELD))
    sim.clear_faults()
    for flavour in flavours:
        vendor = vendor_of(flavour)
        hosts = inventory.get('src_' + flavour, {}).get('hosts', [])
        assert_exact(hosts, before[vendor] - removed[vendor], '%s under %s' % (flavour, fault))


@pytest.mark.parametrize('seed', range(25))
def test_random_churn_of_a_tenth_of_the_fleet_never_loses_a_device(big_sim, seed):
    """Property: whatever 10 % of the fleet is removed and enrolled while a listing runs, and whatever the flavour,
    page size and concurrency, every device present for the whole listing is listed exactly once.  Odd seeds of the
    index-paged flavours churn balanced (as many enrolled as removed in each burst: the total never changes)."""
    from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
    sim = big_sim
    rng = random.Random(seed)
    flavour = FLAVOURS[seed % len(FLAVOURS)]
    vendor = vendor_of(flavour)
    sim.clear_faults()
    before = fleet_ids(sim, vendor)
    if seed % 2 and vendor != 'maas360':
        churn = {'remove': rng.randint(2, 20), 'budget': len(before) // 10, 'balanced': True, 'front': rng.choice([0, 50])}
    else:
        burst = rng.randint(10, 60)
        churn = {'remove': burst, 'enrol': burst, 'budget': len(before) // 10}
    sim.set_listing_faults(flavour, seed='property-%d' % seed, churn=churn)
    adapter = build_adapter(dict(sim.params(flavour)))
    page_size = rng.choice([None, 50, 100, 200]) if vendor != 'maas360' else rng.choice([None, 50, 100, 200, 250])
    try:
        devices = adapter.list_devices(page_size=page_size, concurrency=rng.choice([1, 2, 4, 8]))
    finally:
        adapter.transport.close()
    status = sim.listing_faults(vendor)
    sim.clear_faults()
    assert_exact([device['mdm_device_id'] for device in devices], before - set(status['removed']),
                 'seed %d (%s, page size %s)' % (seed, flavour, page_size))
    assert devices.report.listed == len(devices)
