# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A recording (MDM_RECORD_DIR) of a real playbook run of several modules and of an inventory run, for every flavour,
holds no secret and no original personal value of the simulator's fleet, and replays to the same devices."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import stat
import subprocess

import pytest

from conftest import BIN, ansible_env, assert_no_secrets, run_playbook
from mdmsim.fleet import Fleet
from recording_session import FLAVOURS, session_vars

from ansible_collections.fleetops.mdm.plugins.module_utils.recorder import KEY_FILE
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.replay import load_recordings, replay_adapter

FLEET = dict(devices=40, seed=43)


# A simulator of its own (conftest.py, sim).
OWN_SIMULATOR = FLEET


@pytest.fixture(scope='module')
def recording(sim, tmp_path_factory):
    """Every flavour's session recorded into one directory (one pseudonym key)."""
    record_dir = str(tmp_path_factory.mktemp('recording') / 'mdm-recording')
    results = {}
    for flavour in FLAVOURS:
        tmp_path = tmp_path_factory.mktemp(flavour)
        options = session_vars(sim, flavour, None)
        options.pop('out_file')
        run = run_playbook(tmp_path, 'record_session.yml', options.pop('conn'), extra=options,
                           env={'MDM_RECORD_DIR': record_dir}, verbosity=0)
        assert run.rc == 0 and run.result is not None, run.output[-3000:]
        results[flavour] = run.result
        # The inventory plugin records through the same HTTP stack; its connection comes from the MDM_* variables.
        config = tmp_path / 'recorded.mdm.yml'
        config.write_text('plugin: fleetops.mdm.devices\n')
        proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', str(config), '--list'], capture_output=True,
                              text=True, timeout=600, check=False,
                              env=ansible_env(dict(sim.env(flavour), MDM_RECORD_DIR=record_dir)))
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
        assert_no_secrets(proc.stdout + proc.stderr, 'the output of ansible-inventory')
    return record_dir, results


def originals(sim):
    """Every personal value of the simulator's fleet, and every identifying connection value."""
    fleet = Fleet(**FLEET)
    found = set()
    for user in fleet.users:
        found.update((user['username'], user['email'], user['display_name'], user['first_name'], user['last_name']))
    for device in fleet.devices:
        found.update(str(device[key]) for key in ('name', 'serial', 'imei', 'udid', 'wifi_mac', 'phone') if device[key])
        if device['imei']:
            imei = str(device['imei'])
            found.add('%s %s %s %s' % (imei[:2], imei[2:8], imei[8:14], imei[14:]))
        if device['ids']['maas360'].startswith('Appl'):
            found.add(device['ids']['maas360'])
    for flavour in FLAVOURS:
        params = sim.params(flavour)
        found.update(str(params[key]) for key in ('username', 'billing_id', 'client_id', 'app_id') if params.get(key))
        found.add(params['url'].split('//', 1)[1])
    found.discard('')
    return found


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    elif value is not None:
        yield str(value)


def test_the_recording_holds_no_secret(sim, recording):
    record_dir, _results = recording
    files = glob.glob(os.path.join(record_dir, '*.jsonl'))
    # Several modules per flavour, each its own client: several files per flavour.
    assert len(files) >= 4 * len(FLAVOURS)
    text = ''.join(open(path, encoding='utf-8').read() for path in files)
    secrets = list(sim.secrets()) + list(sim.issued_tokens())
    assert secrets and not [secret[:8] for secret in secrets if secret in text]
    for path in files:
        with open(path, encoding='utf-8') as handle:
            for line in handle:
                entry = json.loads(line)
                if 'request' in entry:
                    assert set(entry['request']['headers']) <= {'Content-Type', 'Accept'}
    assert 'Basic ' not in text and 'Zoho-oauthtoken' not in text and 'MaaS token' not in text
    assert stat.S_IMODE(os.stat(record_dir).st_mode) == 0o700
    assert set(stat.S_IMODE(os.stat(path).st_mode) for path in files) == {0o600}
    assert stat.S_IMODE(os.stat(os.path.join(record_dir, KEY_FILE)).st_mode) == 0o600


def test_the_recording_holds_no_original_personal_value(sim, recording):
    record_dir, results = recording
    values = originals(sim)
    recorded_leaves = set()
    text = ''
    for path in glob.glob(os.path.join(record_dir, '*.jsonl')):
        with open(path, encoding='utf-8') as handle:
            for line in handle:
                text += line
                recorded_leaves.update(leaves(json.loads(line)))
    # No value as a whole, and no value of five characters or more inside any string.
    assert not sorted(values & recorded_leaves)[:10]
    assert not sorted(value for value in values if len(value) >= 5 and value in text)[:10]
    # The run itself saw the real values: the listings returned them, the recording does not.
    listed = set(leaves(results['maas360']['listing']['devices']))
    assert listed & values


def test_the_recording_replays_to_the_devices_the_run_listed(recording):
    record_dir, results = recording
    replayed = []
    for recorded in load_recordings(record_dir):
        if 'list devices' not in recorded.operations():
            continue
        flavour = recorded.vendor + ('_onprem' if recorded.header['options'].get('auth') == 'api_key' else '')
        adapter, session = replay_adapter(recorded)
        devices = adapter.list_devices(page_size=recorded.listing_page_size(), concurrency=1)
        assert session.fallbacks == 0
        replayed.append((flavour, devices))
    # Per flavour: the module's listing and the inventory's.
    assert sorted(flavour for flavour, _devices in replayed) == sorted(FLAVOURS * 2)
    for flavour, devices in replayed:
        listed = results[flavour]['listing']['devices']
        assert len(devices) == len(listed) == FLEET['devices'], flavour
        # Same devices, same order and fields that carry no personal data, pseudonyms where they do.
        for field in ('mdm_platform', 'mdm_status', 'mdm_model', 'mdm_os_version', 'mdm_ownership', 'mdm_compliant'):
            assert [d[field] for d in devices] == [d[field] for d in listed], (flavour, field)
        assert all(d['mdm_user_email'] != l['mdm_user_email'] for d, l in zip(devices, listed) if l['mdm_user_email'])
