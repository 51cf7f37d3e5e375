# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles that write from a device listing - label_sync with purge, offboard_user - send nothing when that
listing was not consistent, and act when the user allows it (label_sync_allow_inconsistent_listing,
offboard_user_allow_inconsistent_listing).

A simulator of its own (churn changes its fleet): MobileIron Core with 600 devices, so that a listing spans pages,
under churn on every page request of every pass - drift that no re-listing can outrun.  Both roles run in one
ansible-playbook run per setting (tests/integration/playbooks/role_listing_guards.yml).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import run_playbook
from mdmsim.control import Simulator

VENDOR = 'mobileiron_core'
CHURN = {'churn': {'remove': 3, 'enrol': 3, 'budget': 100000}}


@pytest.fixture(scope='module')
def guard_sim():
    simulator = Simulator(devices=600, seed=23)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def writes(sim):
    """Every request of the vendor that is not a read."""
    return [entry for entry in sim.log(VENDOR) if entry['method'] != 'GET']


def leaver(sim):
    """A user with one or two active devices (offboard_user refuses more than 5 by default)."""
    counts = {}
    for record in sim.devices(VENDOR):
        if record['common.status'] == 'ACTIVE':
            counts[record['user.user_id']] = counts.get(record['user.user_id'], 0) + 1
    return sorted(user for user, count in counts.items() if 1 <= count <= 2)[0]


def run_roles(sim, tmp_path, allow):
    user = leaver(sim)
    sim.clear_log()
    sim.set_listing_faults(VENDOR, seed='guards-%s' % allow, **CHURN)
    try:
        run = run_playbook(tmp_path, 'role_listing_guards.yml', sim.params(VENDOR), verbosity=0, diff=False,
                           extra=dict(user=user, allow=allow))
    finally:
        sim.clear_faults()
    assert run.rc == 0, run.output[-3000:]
    return run.result, user


def test_an_inconsistent_listing_stops_both_roles_before_any_write(guard_sim, tmp_path):
    outcome, _user = run_roles(guard_sim, tmp_path, allow=False)
    for role in ('label_sync', 'offboard_user'):
        error = outcome['%s_error' % role]
        assert error and 'not consistent' in error and 'Nothing was' in error, (role, error)
        assert '%s_allow_inconsistent_listing' % role in error, error
    assert writes(guard_sim) == [], 'a write reached the server: %s' % writes(guard_sim)[:3]


def test_allowing_an_inconsistent_listing_lets_both_roles_write(guard_sim, tmp_path):
    outcome, user = run_roles(guard_sim, tmp_path, allow=True)
    # Past the guard.  Writes for devices that churn removed after the listing may fail on the server ("Device not
    # found") and are reported: acting on an inconsistent listing is what the user allowed.
    for role in ('label_sync', 'offboard_user'):
        error = outcome['%s_error' % role]
        assert error is None or ('not consistent' not in error and 'allow_inconsistent_listing' not in error), (role, error)
    sent = writes(guard_sim)
    assert any('/labels/' in entry['path'] for entry in sent), 'label_sync wrote nothing'
    assert any('/labels/' not in entry['path'] for entry in sent), 'offboard_user commanded nothing for %s' % user
