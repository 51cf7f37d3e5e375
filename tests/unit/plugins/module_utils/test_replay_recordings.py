# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recordings replayed through each adapter's listing and normalisation (the replay runner, replay.py).

Every directory under tests/unit/recordings/ is replayed: drop a shared recording there (docs/recording.md) and its
device listings are checked like the one made against the simulator (tests/integration/recording_session.py:
twelve devices, seed 41, every flavour)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os

import pytest

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.replay import load_recordings, replay_adapter

RECORDINGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'recordings')
SIMULATOR_RECORDING = os.path.join(RECORDINGS, 'simulator')
SIMULATOR_FLEET = dict(devices=12, seed=41)
PLATFORMS = ('android', 'ios', 'macos', 'windows', 'other')
STATUSES = ('active', 'pending', 'retired', 'wiped', 'other')


def every_recording():
    found = []
    for directory in sorted(glob.glob(os.path.join(RECORDINGS, '*'))):
        found.extend(load_recordings(directory))
    return found


LISTINGS = [recording for recording in every_recording() if 'list devices' in recording.operations()]


def replay_listing(recording):
    adapter, session = replay_adapter(recording)
    devices = adapter.list_devices(page_size=recording.listing_page_size(), concurrency=1)
    return devices, session


def test_there_is_a_recording_of_every_flavour():
    flavours = set((r.vendor, r.header['options'].get('auth')) for r in load_recordings(SIMULATOR_RECORDING))
    assert flavours == set([('maas360', None), ('manageengine', 'oauth'), ('manageengine', 'api_key'),
                            ('mobileiron_core', None), ('mobileiron_cloud', None)])


@pytest.mark.parametrize('recording', LISTINGS, ids=[r.name for r in LISTINGS])
def test_a_recorded_listing_replays_to_every_device_once(recording):
    devices, session = replay_listing(recording)
    ids = [device['mdm_device_id'] for device in devices]
    assert len(ids) == len(set(ids)) == recording.listing_total()
    for device in devices:
        assert device['mdm_vendor'] == recording.vendor and device['mdm_device_id']
        assert device['mdm_platform'] in PLATFORMS and device['mdm_status'] in STATUSES
    # Every recorded page was asked for, as it was recorded.
    assert [e for e in session.pending if e['operation'] == 'list devices'] == [] and session.fallbacks == 0


def _by_flavour(directory):
    found = {}
    for recording in load_recordings(directory):
        flavour = recording.vendor + ('_onprem' if recording.header['options'].get('auth') == 'api_key' else '')
        found.setdefault(flavour, []).append(recording)
    return found


def _listing(recordings):
    return replay_listing(next(r for r in recordings if 'list devices' in r.operations()))[0]


def test_a_recorded_look_up_replays_to_the_device_of_the_listing():
    for flavour, recordings in _by_flavour(SIMULATOR_RECORDING).items():
        first = _listing(recordings)[0]
        look_up = next(r for r in recordings if 'get device' in r.operations())
        adapter, session = replay_adapter(look_up)
        device = adapter.get_device(first['mdm_device_id'])
        assert device is not None, flavour
        for field in ('mdm_device_id', 'mdm_name', 'mdm_platform', 'mdm_user_email'):
            assert device[field] == first[field], (flavour, field)
        assert session.pending == [] and session.fallbacks == 0


def test_pseudonyms_are_stable_across_the_recording_and_hide_every_original():
    """The same person, serial or IMEI gets the same pseudonym in every file of the recording, whatever the vendor's
    field or type (numbers and strings alike), and no original value of the simulator's fleet is left."""
    from mdmsim.fleet import Fleet  # tests/simulator is on the path of the unit tests (Makefile)
    fleet = Fleet(**SIMULATOR_FLEET)
    listings = dict((flavour, _listing(recordings)) for flavour, recordings in _by_flavour(SIMULATOR_RECORDING).items())
    assert set(len(devices) for devices in listings.values()) == set([SIMULATOR_FLEET['devices']])

    def values(flavour, field):
        return set(device[field] for device in listings[flavour] if device[field])
    emails = values('maas360', 'mdm_user_email')
    assert len(emails) == len(set(device['user']['email'] for device in fleet.devices))
    for flavour in ('manageengine', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud'):
        assert values(flavour, 'mdm_user_email') == emails, flavour
    serials = values('manageengine', 'mdm_serial')
    assert len(serials) == SIMULATOR_FLEET['devices']
    for flavour in ('maas360', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud'):
        assert values(flavour, 'mdm_serial') == serials, flavour
    imeis = values('maas360', 'mdm_imei')
    assert len(imeis) == len([device for device in fleet.devices if device['imei']])
    for flavour in ('manageengine', 'mobileiron_core', 'mobileiron_cloud'):
        assert set(''.join(c for c in imei if c.isdigit()) for imei in values(flavour, 'mdm_imei')) == \
            set(''.join(c for c in imei if c.isdigit()) for imei in imeis), flavour

    originals = set()
    for user in fleet.users:
        originals.update((user['username'], user['email'], user['display_name'], user['first_name'], user['last_name']))
    for device in fleet.devices:
        originals.update(str(device[key]) for key in ('name', 'serial', 'imei', 'udid', 'wifi_mac', 'phone') if device[key])
    originals.discard('')
    normalised = json.dumps(listings, ensure_ascii=False)
    assert not [value for value in originals if len(value) >= 5 and value in normalised]
    leaves = set()
    for devices in listings.values():
        for device in devices:
            leaves.update(str(value) for value in device.values() if not isinstance(value, (list, dict)))
    assert not originals & leaves
