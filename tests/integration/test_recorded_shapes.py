# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_info against simulator records shaped like public recordings of real servers: MobileIron Core serials
and privacy masks, MobileIron Cloud IMEIs with spaces, MaaS360 records with osName only and numeric IMEIs, and the
ManageEngine last contact time that only the device summary carries."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from conftest import SIM_DEVICES, run_playbook
from test_inventory import inventory_of, run_inventory, write_config


def listing(sim, tmp_path, flavour, **extra):
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour), extra=extra)
    assert run.rc == 0, run.output[-3000:]
    return run.result['devices']


def test_core_serials_come_from_common_serial_number(sim, tmp_path):
    truth = dict((record['common.uuid'], record['common.SerialNumber']) for record in sim.devices('mobileiron_core'))
    devices = listing(sim, tmp_path, 'mobileiron_core')
    assert len(devices) == SIM_DEVICES
    assert dict((device['mdm_device_id'], device['mdm_serial']) for device in devices) == truth
    assert all(truth.values())


def test_core_user_fields_masked_by_privacy_are_unknown(sim, tmp_path):
    sim.set_privacy('mobileiron_core', mask_user_fields=True)
    try:
        sim.clear_log()
        devices = listing(sim, tmp_path, 'mobileiron_core', filters={'platform': 'ios'})
    finally:
        sim.set_privacy('mobileiron_core', mask_user_fields=False)
    assert devices
    assert set((device['mdm_user'], device['mdm_user_email']) for device in devices) == {(None, None)}
    # The other fields are data as before.
    assert all(device['mdm_serial'] and device['mdm_last_seen'] for device in devices)
    # Without the setting the same listing has its users (tests/unit/simulator checks that the server masks them).
    unmasked = listing(sim, tmp_path, 'mobileiron_core', filters={'platform': 'ios'})
    assert all(device['mdm_user'] for device in unmasked)


def test_cloud_imeis_with_spaces_are_digits_and_filter_either_way(sim, tmp_path):
    records = [record for record in sim.devices('mobileiron_cloud') if record['imei']]
    assert records and all(' ' in record['imei'] for record in records)
    truth = dict((str(record['id']), record['imei'].replace(' ', '')) for record in records)
    devices = listing(sim, tmp_path, 'mobileiron_cloud')
    found = dict((device['mdm_device_id'], device['mdm_imei']) for device in devices if device['mdm_imei'])
    assert found == truth
    wanted = records[3]
    for pattern in (wanted['imei'], wanted['imei'].replace(' ', '')):
        matched = listing(sim, tmp_path, 'mobileiron_cloud', filters={'imei': pattern})
        assert [device['mdm_device_id'] for device in matched] == [str(wanted['id'])]


def test_maas360_os_version_from_os_name_and_exact_numeric_imeis(sim, tmp_path):
    records = dict((record['maas360DeviceID'], record) for record in sim.devices('maas360'))
    name_only = [record for record in records.values() if 'osVersion' not in record]
    numeric = [record for record in records.values() if isinstance(record['imeiEsn'], int)]
    assert name_only and numeric
    devices = dict((device['mdm_device_id'], device) for device in listing(sim, tmp_path, 'maas360'))
    assert len(devices) == SIM_DEVICES
    for record in name_only:
        version = re.match(r'^\S+ (\S+) \(', record['osName']).group(1)
        assert devices[record['maas360DeviceID']]['mdm_os_version'] == version
    for record in numeric:
        assert devices[record['maas360DeviceID']]['mdm_imei'] == str(record['imeiEsn'])
    assert all(device['mdm_os_version'] for device in devices.values())


def summary_reads(sim):
    return [entry for entry in sim.log('manageengine') if entry['path'].endswith('/summary')]


def test_manageengine_last_seen_costs_one_summary_per_device_and_only_when_asked(sim, tmp_path):
    sim.clear_log()
    plain = listing(sim, tmp_path, 'manageengine_onprem', filters={'platform': 'ios'})
    assert plain and all(device['mdm_last_seen'] is None for device in plain)
    assert summary_reads(sim) == []

    sim.clear_log()
    devices = listing(sim, tmp_path, 'manageengine_onprem', filters={'platform': 'ios'}, fetch_last_seen=True)
    assert sorted(d['mdm_device_id'] for d in devices) == sorted(d['mdm_device_id'] for d in plain)
    assert all(re.match(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$', device['mdm_last_seen']) for device in devices)
    assert len(summary_reads(sim)) == len(devices)


def test_inventory_fetch_last_seen_fills_manageengine_hosts(sim, tmp_path):
    sim.clear_log()
    config = write_config(tmp_path, 'manageengine_onprem', sim.params('manageengine_onprem'), platforms=['ios'],
                          fetch_last_seen=True)
    hostvars = inventory_of(run_inventory(config))['_meta']['hostvars']
    assert hostvars
    assert all(re.match(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$', variables['mdm_last_seen']) for variables in hostvars.values())
    assert len(summary_reads(sim)) == len(hostvars)
