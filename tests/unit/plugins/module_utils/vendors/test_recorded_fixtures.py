# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Replies shaped like public recordings of real servers (fixtures/<vendor>/*.json, each naming its source and the
quirks it reproduces), replayed through each adapter's parsing and normalisation over a scripted transport."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.device import (
    device_matches,
    imei_text,
    iso_timestamp,
    make_device,
    validate_neutral_filters,
)

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')

CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password='Corr3ct-Horse!')
CLOUD = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.example', username='api@tenant.example',
             password='Corr3ct-Horse!', partition_id='40417')
MAAS = dict(vendor='maas360', url='https://services.m3.maas360.example', billing_id='30012345', username='api_so',
            password='Corr3ct-Horse!', app_id='com.example.fleetops', app_version='1.0', platform_id='3',
            app_access_key='AccessKey-9f8e7d6c')
API_KEY = 'D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE'
ME = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key=API_KEY)
BASIC = {'Authorization': 'Basic ' + base64.b64encode(b'apiadmin:Corr3ct-Horse!').decode()}
CLOUD_BASIC = {'Authorization': 'Basic ' + base64.b64encode(b'api@tenant.example:Corr3ct-Horse!').decode()}
MAAS_TOKEN = '4d6d2190-ae0d-4a4e-93cc-95c782d6f376-CBHbmPO'


def fixture(vendor, name):
    with open(os.path.join(FIXTURES, vendor, name), encoding='utf-8') as handle:
        data = json.load(handle)
    # Every fixture says where its shape comes from, and what it reproduces.
    assert data['source'] and data['quirks']
    return data


def normalised(devices):
    return [dict((key, value) for key, value in device.items() if key not in ('mdm_vendor', 'mdm_raw')) for device in devices]


def maas_auth():
    return Expect('POST', '/auth-apis/auth/1.0/authenticate/30012345',
                  reply={'authResponse': {'authToken': MAAS_TOKEN, 'errorCode': 0}})


def maas_search(reply):
    return Expect('GET', '/device-apis/devices/2.0/search/customer/30012345', query={'pageSize': '250', 'pageNumber': '1'},
                  headers={'Authorization': 'MaaS token="%s"' % MAAS_TOKEN}, reply=reply)


LISTINGS = [
    ('mobileiron_core', 'device_search_privacy.json', CORE,
     lambda reply: [Expect('GET', '/api/v2/devices', headers=BASIC, reply=reply)]),
    ('mobileiron_cloud', 'device_search.json', CLOUD,
     lambda reply: [Expect('GET', '/api/v1/device', query={'dmPartitionId': '40417', 'rows': '500', 'start': '0'},
                           headers=CLOUD_BASIC, reply=reply)]),
    ('maas360', 'search_one_device.json', MAAS, lambda reply: [maas_auth(), maas_search(reply)]),
    ('maas360', 'search_osname_only.json', MAAS, lambda reply: [maas_auth(), maas_search(reply)]),
    ('manageengine', 'device_list_and_summaries.json', ME,
     lambda reply: [Expect('GET', '/api/v1/mdm/devices', query={'limit': '200', 'offset': '0'},
                           headers={'Authorization': API_KEY}, reply=reply)]),
]


@pytest.mark.parametrize('vendor, name, options, script', LISTINGS, ids=['%s/%s' % (item[0], item[1]) for item in LISTINGS])
def test_a_recorded_listing_normalises_as_expected(vendor, name, options, script):
    data = fixture(vendor, name)
    adapter, session, _sleeps = build(options, script(data['reply']))
    devices = adapter.list_devices(concurrency=1, include_raw=True)
    assert normalised(devices) == data['expected']
    assert all(device['mdm_vendor'] == vendor for device in devices)
    session.assert_done()


def test_core_asks_for_the_serial_number_field():
    data = fixture('mobileiron_core', 'device_search_privacy.json')
    adapter, session, _sleeps = build(CORE, [Expect('GET', '/api/v2/devices', headers=BASIC, reply=data['reply'])])
    adapter.list_devices(concurrency=1)
    assert 'common.SerialNumber' in session.calls[0]['query']['fields'].split(',')


def test_core_masked_user_fields_match_no_user_filter():
    # "*****" is no user name: a filter for a name made of stars matches no masked device.
    data = fixture('mobileiron_core', 'device_search_privacy.json')
    adapter, _session, _sleeps = build(CORE, [Expect('GET', '/api/v2/devices', headers=BASIC, reply=data['reply'])] * 2)
    assert adapter.list_devices(filters={'user': '[*]*'}, concurrency=1) == []
    assert [device['mdm_user'] for device in adapter.list_devices(filters={'user': '?*'}, concurrency=1)] == ['plee']


@pytest.mark.parametrize('pattern', ['35 328411 902817 3', '353284119028173', '35-328411-902817-3', '35328411*'])
def test_cloud_imei_filter_matches_either_form(pattern):
    data = fixture('mobileiron_cloud', 'device_search.json')
    adapter, _session, _sleeps = build(CLOUD, [
        Expect('GET', '/api/v1/device', query={'dmPartitionId': '40417', 'rows': '500', 'start': '0'}, headers=CLOUD_BASIC,
               reply=data['reply'])])
    devices = adapter.list_devices(filters={'imei': pattern}, concurrency=1)
    assert [device['mdm_device_id'] for device in devices] == ['2004119']


def test_cloud_single_device_reply_carries_its_groups():
    data = fixture('mobileiron_cloud', 'device.json')
    adapter, session, _sleeps = build(CLOUD, [
        Expect('GET', '/api/v1/device/2004120', query={'dmPartitionId': '40417'}, headers=CLOUD_BASIC, reply=data['reply'])])
    assert normalised([adapter.get_device('02004120')]) == data['expected']
    session.assert_done()


def test_manageengine_last_contact_is_read_from_the_summaries_only_when_asked():
    data = fixture('manageengine', 'device_list_and_summaries.json')
    listing = Expect('GET', '/api/v1/mdm/devices', query={'limit': '200', 'offset': '0'}, reply=data['reply'])
    summaries = [Expect('GET', '/api/v1/mdm/devices/%s/summary' % device_id, headers={'Authorization': API_KEY}, reply=summary)
                 for device_id, summary in sorted(data['summaries'].items())]
    adapter, session, _sleeps = build(ME, [listing] + summaries)
    devices = adapter.list_devices(concurrency=1, last_seen=True)
    assert dict((d['mdm_device_id'], d['mdm_last_seen']) for d in devices) == data['expected_last_seen']
    # One summary request per device, and nothing else.
    assert [call['path'] for call in session.calls][1:] == ['/api/v1/mdm/devices/%s/summary' % key for key in sorted(data['summaries'])]
    session.assert_done()


def test_manageengine_without_the_option_sends_no_summary_request():
    data = fixture('manageengine', 'device_list_and_summaries.json')
    adapter, session, _sleeps = build(ME, [Expect('GET', '/api/v1/mdm/devices', reply=data['reply'])])
    devices = adapter.list_devices(concurrency=1)
    assert [device['mdm_last_seen'] for device in devices] == [None, None]
    assert len(session.calls) == 1


def test_manageengine_summary_of_a_device_gone_since_the_listing_leaves_it_unknown():
    data = fixture('manageengine', 'device_list_and_summaries.json')
    adapter, _session, _sleeps = build(ME, [
        Expect('GET', '/api/v1/mdm/devices', reply=data['reply']),
        Expect('GET', '/api/v1/mdm/devices/9007199254741000/summary', status=404,
               reply={'error_code': 'COM0008', 'error_description': 'Device not found'}),
        Expect('GET', '/api/v1/mdm/devices/9007199254741013/summary', reply=data['summaries']['9007199254741013']),
    ])
    devices = adapter.list_devices(concurrency=1, last_seen=True)
    assert [device['mdm_last_seen'] for device in devices] == [None, None]


@pytest.mark.parametrize('vendor, options', [('mobileiron_core', CORE), ('mobileiron_cloud', CLOUD), ('maas360', MAAS)])
def test_other_vendors_list_the_last_contact_and_send_nothing_more(vendor, options):
    adapter, session, _sleeps = build(options, [])
    device = make_device(vendor, device_id='1', last_seen=1790128715277)
    assert adapter.add_last_seen([device], 4) == 0
    assert device['mdm_last_seen'] == '2026-09-23T01:58:35Z' and session.calls == []


@pytest.mark.parametrize('value, expected', [
    (1790128715277, '2026-09-23T01:58:35Z'),               # epoch ms (Cloud lastCheckin, ManageEngine, MaaS360 *InEpochms)
    (1790128715.277, '2026-09-23T01:58:35Z'),              # epoch s
    (1790128715, '2026-09-23T01:58:35Z'),
    ('1790128715277', '2026-09-23T01:58:35Z'),             # epoch ms as text (XML replies)
    ('2026-09-23T01:58:35.000Z', '2026-09-23T01:58:35Z'),  # Core common.last_connected_at
    ('2026-09-23T01:58:35', '2026-09-23T01:58:35Z'),       # MaaS360 lastReported: no zone, UTC
    ('2026-09-23 01:58:35.0', '2026-09-23T01:58:35Z'),     # MaaS360 locatedTime
    ('2026-09-23T03:58:35+0200', '2026-09-23T01:58:35Z'),  # +0000 form of an offset
    ('2026-09-23T03:58:35+02:00', '2026-09-23T01:58:35Z'),
    ('2026-09-22T21:58:35-04', '2026-09-23T01:58:35Z'),
    ('2026-09-23 01:58:35 UTC', '2026-09-23T01:58:35Z'),
    ('Wed, 23 Sep 2026 01:58:35 GMT', '2026-09-23T01:58:35Z'),
    ('2026-09-23', '2026-09-23T00:00:00Z'),
    (-1, None), (0, None), ('-1', None), ('', None), (None, None), ('--', None), ('not a date', None),
    ('2026-13-45T99:00:00Z', None), (True, None),
])
def test_every_timestamp_form_becomes_iso_8601_utc(value, expected):
    assert iso_timestamp(value) == expected
    if expected is not None:
        assert iso_timestamp(expected) == expected


@pytest.mark.parametrize('value, expected', [
    ('35 664808 754860 4', '356648087548604'), (356648087548604, '356648087548604'), (3.56648087548604e14, '356648087548604'),
    ('35-664808-754860-4', '356648087548604'), ('A0000012345678', 'A0000012345678'), ('', None), (None, None),
])
def test_imeis_become_their_digits(value, expected):
    assert imei_text(value) == expected


@pytest.mark.parametrize('masked', ['*****', '********', ' ***** ', 'j***@example.com', '\u2022\u2022\u2022\u2022'])
def test_masked_values_are_unknown(masked):
    device = make_device('mobileiron_core', device_id='x', user=masked, user_email=masked, name=masked, serial=masked, imei=masked)
    assert [device[key] for key in ('mdm_user', 'mdm_user_email', 'mdm_name', 'mdm_serial', 'mdm_imei')] == [None] * 5


def test_a_lone_star_in_a_name_is_data():
    assert make_device('maas360', device_id='x', name='Kiosk * 2')['mdm_name'] == 'Kiosk * 2'


def test_imei_filter_values_are_validated_as_text_and_match_digits():
    device = make_device('mobileiron_cloud', device_id='1', imei='35 664808 754860 4')
    assert device_matches(device, validate_neutral_filters({'imei': '35 664808 754860 4'}))
    assert device_matches(device, validate_neutral_filters({'imei': ['0', '356648087548604']}))
    assert not device_matches(device, validate_neutral_filters({'imei': '35 664808 754860 5'}))
