# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One device written two ways is one device: normalise_device_id() per vendor, and every place that compares,
de-duplicates or counts ids (check_device_ids, listings, label writes, mdm_device_action's max_devices)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_action, mdm_label

from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password='Corr3ct-Horse!')
CORE_HEADERS = {'Authorization': 'Basic ' + base64.b64encode(b'apiadmin:Corr3ct-Horse!').decode(), 'Accept': 'application/json'}
CLOUD = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='apiadmin', password='Corr3ct-Horse!',
             partition_id='5003')
API_KEY = 'D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE'
ME = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key=API_KEY)
ME_HEADERS = {'Authorization': API_KEY, 'Accept': 'application/json'}
MAAS = dict(vendor='maas360', url='https://services.m3.maas360.com', billing_id='30012345', username='admin',
            password='Corr3ct-Horse!', app_id='com.example.app', app_version='1.0', platform_id='3', app_access_key='KEY')

UUID = 'a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9'


def adapter_of(options):
    adapter, _session, _sleeps = build(options, [])
    return adapter


@pytest.mark.parametrize('options, forms, canonical', [
    (CORE, [UUID, UUID.upper(), '  %s ' % UUID.upper(), 'A57DCD91-f9a4-428E-bd47-3dd96bb7e1f9'], UUID),
    (CLOUD, ['1000001', 1000001, ' 01000001 ', 1000001.0], '1000001'),
    (ME, ['9007199254740993', 9007199254740993, '009007199254740993', ' 9007199254740993\n'], '9007199254740993'),
    (ME, ['123', 123, '0123', 123.0], '123'),
    (MAAS, ['ApplF17KLK9FF4K0', ' ApplF17KLK9FF4K0 '], 'ApplF17KLK9FF4K0'),
], ids=['core', 'cloud', 'manageengine-64bit', 'manageengine', 'maas360'])
def test_every_form_of_one_device_normalises_to_one_id(options, forms, canonical):
    adapter = adapter_of(options)
    assert [adapter.normalise_device_id(form) for form in forms] == [canonical] * len(forms)
    assert adapter.capabilities['actions'].check_device_ids(forms) == [canonical]


def test_maas360_keeps_the_case_of_its_ids():
    # maas360DeviceID mixes cases and nothing documents that the server folds them: two cases stay two ids.
    adapter = adapter_of(MAAS)
    assert adapter.capabilities['actions'].check_device_ids(['ApplF17KLK9FF4K0', 'applf17klk9ff4k0']) == ['ApplF17KLK9FF4K0', 'applf17klk9ff4k0']


@pytest.mark.parametrize('options', [CORE, CLOUD, ME, MAAS], ids=['core', 'cloud', 'manageengine', 'maas360'])
def test_no_id_is_none_and_never_raises(options):
    adapter = adapter_of(options)
    assert adapter.normalise_device_id(None) is None
    assert adapter.normalise_device_id('   ') is None
    assert adapter.normalise_device_id(True) is None
    # Not an id of the vendor: returned stripped, for check_device_ids() to refuse with the vendor's message.
    assert adapter.normalise_device_id(' not-an-id ') == 'not-an-id'


@pytest.mark.parametrize('options', [CORE, CLOUD, ME], ids=['core', 'cloud', 'manageengine'])
def test_check_device_ids_still_refuses_what_is_not_an_id(options):
    with pytest.raises(InvalidInputError) as info:
        adapter_of(options).capabilities['actions'].check_device_ids(['not-an-id'])
    assert info.value.option == 'devices'


def test_a_float_that_lost_digits_is_not_taken_for_an_id():
    # 2**53 + 1 read as a float is 2**53: normalising must not invent the wrong device's id.
    adapter = adapter_of(ME)
    with pytest.raises(InvalidInputError):
        adapter.capabilities['actions'].check_device_ids([float(9007199254740993)])


def test_core_listing_counts_a_uuid_written_in_two_cases_once():
    rows = [{'common.uuid': UUID.upper(), 'common.platform': 'Android', 'common.status': 'ACTIVE'},
            {'common.uuid': UUID, 'common.platform': 'Android', 'common.status': 'ACTIVE'}]
    adapter, session, _sleeps = build(CORE, [
        Expect('GET', '/api/v2/devices', headers=CORE_HEADERS,
               reply={'results': rows, 'totalCount': 2, 'resultCount': 2, 'hasMore': False}),
    ])
    devices = adapter.list_devices(concurrency=1)
    assert [device['mdm_device_id'] for device in devices] == [UUID]
    session.assert_done()


def test_manageengine_listing_counts_a_number_and_its_text_once():
    rows = [{'device_id': 9007199254740993, 'platform_type': 'android'},
            {'device_id': '9007199254740993', 'platform_type': 'android'}]
    adapter, session, _sleeps = build(ME, [
        Expect('GET', '/api/v1/mdm/devices', headers=ME_HEADERS, reply={'devices': rows, 'metadata': {'total_record_count': 2}}),
    ])
    devices = adapter.list_devices(concurrency=1)
    assert [device['mdm_device_id'] for device in devices] == ['9007199254740993']
    session.assert_done()


ActionModule = fakes.FakeModule.for_module(mdm_device_action, max_devices=1, concurrency=1)
LabelModule = fakes.FakeModule.for_module(mdm_label, concurrency=1)


def test_max_devices_counts_one_device_written_three_ways_once():
    # Check mode: the targets are read (one device), nothing is sent; max_devices 1 lets the one device through.
    adapter, session, _sleeps = build(ME, [
        Expect('GET', '/api/v1/mdm/devices/123', headers=ME_HEADERS,
               reply={'device_id': 123, 'platform_type': 'android', 'is_removed': False}),
    ])
    module = ActionModule(check_mode=True, action='wipe', devices=['123', '0123', ' 123 '], max_devices=1)
    _changed, report, _diff = mdm_device_action.run(module, adapter)
    assert report['devices'] == ['123']
    assert [item['outcome'] for item in report['results']] == ['would_send']
    session.assert_done()


def test_max_devices_still_counts_two_devices_as_two():
    adapter, session, _sleeps = build(ME, [])
    module = ActionModule(action='wipe', devices=['123', '0124'], max_devices=1)
    with pytest.raises(InvalidInputError) as info:
        mdm_device_action.run(module, adapter)
    assert info.value.option == 'max_devices'
    assert '2 devices' in str(info.value)
    session.assert_done()


def test_label_write_of_a_member_written_in_upper_case_changes_nothing():
    summary = Expect('GET', '/api/v2/labels/label_summary', headers=CORE_HEADERS,
                     reply={'results': [{'id': 10, 'name': 'Sales', 'deviceCount': 1, 'isStatic': True}], 'totalCount': 1})
    members = Expect('GET', '/api/v2/devices', headers=CORE_HEADERS,
                     query={'adminDeviceSpaceId': '1', 'labelId': '10', 'fields': 'common.uuid', 'limit': '200', 'offset': '0'},
                     reply={'results': [{'common.uuid': UUID}], 'totalCount': 1, 'resultCount': 1})
    adapter, session, _sleeps = build(CORE, [summary, members])
    module = LabelModule(labels=['Sales'], devices=[UUID.upper(), ' %s' % UUID])
    changed, report, _diff = mdm_label.run(module, adapter)
    assert changed is False
    assert report['labels'][0]['added'] == [] and report['requests'] == 0
    session.assert_done()


def test_device_writes_name_a_device_written_two_ways_once():
    # mdm_device: a ManageEngine detail update and a Core delete send one request per device, not per spelling.
    me = adapter_of(ME)
    devices, _details = me.capabilities['device_updates'].check_device_updates(['0123', 123, ' 123 '], {'asset_tag': 'A-1'})
    assert devices == ['123']
    core = adapter_of(CORE)
    assert core.capabilities['device_deletes'].check_device_deletes([UUID, UUID.upper()]) == [UUID]


def test_manageengine_group_members_compare_with_ids_given_two_ways():
    groups = Expect('GET', '/api/v1/mdm/groups', headers=ME_HEADERS, reply={
        'groups': [{'group_id': 7, 'name': 'Kiosk', 'member_count': 1}], 'metadata': {'total_record_count': 1}})
    members = Expect('GET', '/api/v1/mdm/groups/7/members', headers=ME_HEADERS,
                     reply={'member_ids': [123], 'metadata': {'total_record_count': 1}})
    adapter, session, _sleeps = build(ME, [groups, members])
    module = LabelModule(labels=['Kiosk'], devices=['0123'])
    changed, report, _diff = mdm_label.run(module, adapter)
    assert changed is False and report['requests'] == 0
    session.assert_done()
