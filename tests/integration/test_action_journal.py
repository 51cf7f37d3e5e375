# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Never twice across runs: the journal of destructive commands against the simulator, for every vendor.

- A wipe whose reply is lost after the server acted (``reset_after``) is ``unknown``; a plain rerun skips the
  device with the journal entry and sends nothing (the simulator's action ledger); ``resend: true`` first asks the
  server where the vendor documents a way (ManageEngine's last command, MobileIron's device status) and sends
  nothing when the server has the wipe.  IBM MaaS360 documents no look-up without the lost actionID: it sends once.
- A wipe whose connection dropped before the server acted (``reset``) is ``unknown`` too; a rerun skips it;
  ``resend: true`` sends exactly once; a rerun after that skips again.
- Two ``ansible-playbook`` runs wiping one device at the same moment send exactly one wipe.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from conftest import run_playbook
from test_device_info import ID_FIELD

VENDORS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')
# The wipe request of each vendor (the only request a fault is put on).
WIPE_PATHS = {
    'maas360': r'/device-apis/devices/1\.0/wipeDevice/',
    'manageengine': r'/api/v1/mdm/devices/[0-9]+/actions/complete_wipe$',
    'mobileiron_core': r'/api/v2/devices/wipe$',
    'mobileiron_cloud': r'/api/v1/device/wipe$',
}
WIPE_NAMES = ('wipedevice', 'complete_wipe', 'wipe')
ACTIVE = {
    'maas360': lambda record: record.get('maas360ManagedStatus') == 'Enrolled',
    'manageengine': lambda record: not record.get('is_removed'),
    'mobileiron_core': lambda record: record.get('common.status') == 'ACTIVE',
    'mobileiron_cloud': lambda record: record.get('registrationState') == 'ACTIVE',
}
# Vendors whose device status shows a wipe at once in the simulator (MobileIron: WIPED); IBM MaaS360 and
# ManageEngine keep the device as it was while the command waits for the device.
STATUS_SHOWS_WIPE = ('mobileiron_core', 'mobileiron_cloud')
# Devices of the shared fleet that the other action tests leave alone (they use the first few, 200-700 on MaaS360
# and the last 200).  Each test of this file takes its own.
POOL = slice(720, 800)
TAKEN = {}


def fresh_device(sim, vendor):
    records = [record for record in sim.devices(vendor)[POOL] if ACTIVE[vendor](record)]
    index = TAKEN.get(vendor, 0)
    TAKEN[vendor] = index + 1
    assert index < len(records), 'the fleet has too few active %s devices' % vendor
    return str(records[index][ID_FIELD[vendor]])


def wipes(sim, vendor, device_id):
    return sum(1 for item in sim.ledger() if item['vendor'] == vendor and str(item['device_id']) == device_id
               and str(item['action']).lower() in WIPE_NAMES)


def wipe(sim, tmp_path, vendor, device_id, journal, name, **args):
    """One mdm_device_action wipe in its own ansible-playbook run; (its one result, new wipes in the ledger)."""
    before = wipes(sim, vendor, device_id)
    workdir = tmp_path / name
    workdir.mkdir()
    variables = dict(action='wipe', devices=[device_id], fail_on_partial=False)
    variables.update(args)
    run = run_playbook(workdir, 'action_once.yml', sim.params(vendor), extra=variables,
                       env={'MDM_JOURNAL_PATH': str(journal)})
    assert run.rc == 0, run.output[-3000:]
    assert not run.result.get('failed'), run.result.get('msg')
    [item] = run.result['results']
    return item, wipes(sim, vendor, device_id) - before


def lose_the_reply(sim, vendor, kind):
    sim.set_faults(vendor, rate=1.0, count=1, kinds=[kind], path_regex=WIPE_PATHS[vendor], methods=['POST', 'PUT'])


@pytest.mark.parametrize('vendor', VENDORS)
def test_a_lost_reply_is_not_wiped_again_by_a_rerun(sim, tmp_path, vendor):
    device_id = fresh_device(sim, vendor)
    journal = tmp_path / 'journal'
    lose_the_reply(sim, vendor, 'reset_after')
    first, sent = wipe(sim, tmp_path, vendor, device_id, journal, 'first')
    sim.clear_faults()
    assert first['outcome'] == 'unknown' and sent == 1, first

    again, sent = wipe(sim, tmp_path, vendor, device_id, journal, 'rerun')
    assert sent == 0
    assert again['outcome'] == 'skipped', again
    if vendor in STATUS_SHOWS_WIPE:
        # What the server shows comes first: the device is wiped (the journal holds the wipe as well).
        assert 'already wiped' in again['message'].lower(), again
    else:
        assert again['journal']['state'] == 'unknown' and again['journal']['started'], again
        assert 'resend: true' in again['message']

    resent, sent = wipe(sim, tmp_path, vendor, device_id, journal, 'resend', resend=True)
    if vendor == 'maas360':
        # No documented look-up of a command without the actionID its lost reply carried: the user asked, it goes.
        assert resent['outcome'] == 'sent' and sent == 1, resent
    else:
        # ManageEngine: the device's last command is the wipe; MobileIron: the device is wiped.
        assert resent['outcome'] == 'skipped' and sent == 0, resent
        assert 'already' in resent['message'], resent


@pytest.mark.parametrize('vendor', VENDORS)
def test_resend_sends_once_what_never_reached_the_server(sim, tmp_path, vendor):
    device_id = fresh_device(sim, vendor)
    journal = tmp_path / 'journal'
    lose_the_reply(sim, vendor, 'reset')
    first, sent = wipe(sim, tmp_path, vendor, device_id, journal, 'first')
    sim.clear_faults()
    assert first['outcome'] == 'unknown' and sent == 0, first

    again, sent = wipe(sim, tmp_path, vendor, device_id, journal, 'rerun')
    assert again['outcome'] == 'skipped' and sent == 0, again

    resent, sent = wipe(sim, tmp_path, vendor, device_id, journal, 'resend', resend=True)
    assert resent['outcome'] == 'sent' and sent == 1, resent

    after, sent = wipe(sim, tmp_path, vendor, device_id, journal, 'after')
    assert after['outcome'] == 'skipped' and sent == 0, after
    if vendor in STATUS_SHOWS_WIPE:
        assert 'already wiped' in after['message'].lower(), after
    else:
        assert after['journal']['state'] == 'sent', after


@pytest.mark.parametrize('vendor', VENDORS)
def test_two_playbooks_wiping_one_device_at_once_send_one_wipe(sim, tmp_path, vendor):
    device_id = fresh_device(sim, vendor)
    journal = tmp_path / 'journal'
    # Every request of the vendor takes 0.7 s: both runs log in, read and check the device before either sends.
    sim.set_faults(vendor, latency_ms=700)
    before = wipes(sim, vendor, device_id)
    outcomes = {}

    def one(name):
        outcomes[name] = wipe(sim, tmp_path, vendor, device_id, journal, name)[0]
    threads = [threading.Thread(target=one, args=(name,)) for name in ('a', 'b')]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    sim.clear_faults()
    assert sorted(outcomes) == ['a', 'b'], 'a run did not finish'
    assert wipes(sim, vendor, device_id) - before == 1
    assert sorted(item['outcome'] for item in outcomes.values()) == ['sent', 'skipped'], outcomes
    skipped = [item for item in outcomes.values() if item['outcome'] == 'skipped'][0]
    if vendor not in STATUS_SHOWS_WIPE:
        assert skipped['journal']['state'] in ('sending', 'sent'), skipped
    else:
        # The later run may have read the device after the first one wiped it: the status, or the journal, stops it.
        assert 'already wiped' in skipped['message'].lower() or skipped['journal']['state'] in ('sending', 'sent'), skipped
