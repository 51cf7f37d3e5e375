# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    BadResponseError,
    InvalidInputError,
)

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

PASSWORD = 'Tenant-Pa55word'
OPTIONS = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.example', username='api@tenant.example', password=PASSWORD)
BASIC = 'Basic ' + base64.b64encode(('api@tenant.example:' + PASSWORD).encode()).decode()
HEADERS = {'Authorization': BASIC, 'Accept': 'application/json'}

PARTITIONS = {'errors': None, 'result': {'searchResults': [
    {'id': 100002, 'name': 'Marketing Space', 'defaultPartition': False},
    {'id': 100001, 'name': 'Default Space', 'defaultPartition': True},
], 'totalCount': 2, 'offset': 0, 'limit': 50}}


def partitions(reply=None, **kwargs):
    return Expect('GET', '/api/v1/tenant/partition/device', query={}, headers=HEADERS, body=None,
                  reply=PARTITIONS if reply is None else reply, **kwargs)


def record(number, **extra):
    raw = {'id': number, 'platformType': 'ANDROID', 'registrationState': 'ACTIVE'}
    raw.update(extra)
    return raw


def page(numbers, total):
    return {'errors': None, 'result': {'totalCount': total, 'searchResults': [record(n) for n in numbers], 'offset': 0}}


def search(start, reply, rows=500, partition='100001', fq=None, **kwargs):
    params = {'dmPartitionId': partition, 'rows': str(rows), 'start': str(start)}
    if fq is not None:
        params['fq'] = fq
    return Expect('GET', '/api/v1/device', query=params, headers=HEADERS, body=None, reply=reply, **kwargs)


def test_discovers_the_default_partition_once_and_lists_every_page():
    adapter, session, sleeps = build(OPTIONS, [
        partitions(),
        # Each page after the first starts one row early: that row must be the previous page's last (session.py).
        search(0, page(list(range(1000, 1500)), 1100)),
        search(499, page(list(range(1499, 1999)), 1100)),
        search(998, page(list(range(1998, 2100)), 1100)),
        search(0, page([7], 1), rows=50),
        Expect('GET', '/api/v1/device/7', query={'dmPartitionId': '100001'}, headers=HEADERS,
               reply={'errors': None, 'result': record(7)}),
    ])
    devices = adapter.list_devices(concurrency=1)
    assert [d['mdm_device_id'] for d in devices] == [str(n) for n in range(1000, 2100)]
    assert len(adapter.list_devices(page_size=50)) == 1
    assert adapter.get_device('7')['mdm_device_id'] == '7'
    assert sleeps == []
    session.assert_done()


def test_partition_option_skips_discovery():
    adapter, session, _sleeps = build(dict(OPTIONS, partition_id='23000'), [search(0, page([1], 1), partition='23000')])
    assert len(adapter.list_devices()) == 1
    session.assert_done()


def test_no_default_partition_asks_for_the_option():
    reply = {'errors': None, 'result': {'searchResults': [{'id': 5, 'name': 'Only', 'defaultPartition': False}], 'totalCount': 1}}
    adapter, session, _sleeps = build(OPTIONS, [partitions(reply)])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices()
    assert err.value.option == 'partition_id'
    assert '5 (Only)' in str(err.value)
    session.assert_done()


def test_concurrent_paging_gives_the_same_complete_result():
    adapter, session, _sleeps = build(OPTIONS, [
        partitions(),
        search(0, page(list(range(0, 100)), 350), rows=100),
        search(99, page(list(range(99, 199)), 350), rows=100),
        search(198, page(list(range(198, 298)), 350), rows=100),
        search(297, page(list(range(297, 350)), 350), rows=100),
    ], ordered=False)
    devices = adapter.list_devices(page_size=100, concurrency=3)
    assert [d['mdm_device_id'] for d in devices] == [str(n) for n in range(350)]
    session.assert_done()


def test_rows_above_500_are_refused_before_any_request():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(page_size=501)
    assert err.value.option == 'page_size'
    assert session.calls == []


def test_wrong_credentials_mention_mfa_and_hide_the_password():
    adapter, session, sleeps = build(OPTIONS, [partitions({'error': 'Bad credentials ' + PASSWORD}, status=401)])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    text = str(err.value)
    assert 'MobileIron Cloud' in text and 'api@tenant.example' in text and 'HTTP 401' in text
    assert 'multi-factor' in text and 'token' in text
    assert PASSWORD not in text and BASIC.split()[1] not in text
    assert sleeps == [] and len(session.calls) == 1


def test_user_fq_is_sent_on_every_page():
    fq = 'registrationState=RETIRED'
    adapter, session, _sleeps = build(dict(OPTIONS, partition_id='100001'), [
        search(0, page(list(range(2)), 3), rows=2, fq=fq),
        search(1, page([1, 2], 3), rows=2, fq=fq),
    ])
    assert len(adapter.list_devices(vendor_filters={'fq': fq}, page_size=2)) == 3
    session.assert_done()


def test_status_active_is_pushed_as_fq_unless_the_user_gave_one():
    adapter, session, _sleeps = build(dict(OPTIONS, partition_id='100001'), [
        search(0, page([1], 1), fq='registrationState=ACTIVE'),
        search(0, page([2], 1), fq='platformType=IOS'),
        search(0, page([3], 1)),
    ])
    assert len(adapter.list_devices(filters={'status': 'active'})) == 1
    assert adapter.list_devices(filters={'status': 'active'}, vendor_filters={'fq': 'platformType=IOS'})[0]['mdm_device_id'] == '2'
    # Two statuses need an OR, which the documented fq form does not have: nothing is pushed.
    assert len(adapter.list_devices(filters={'status': ['active', 'retired']})) == 1
    session.assert_done()


def test_fq_rejected_by_the_server_names_the_option():
    adapter, session, _sleeps = build(dict(OPTIONS, partition_id='100001'), [
        search(0, {'errors': {'globalErrors': [{'code': 'SEARCH-100', 'message': 'Unknown field bogus'}]}, 'result': None},
               fq='bogus=1', status=400),
    ])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'fq': 'bogus=1'})
    assert err.value.option == 'vendor_filters.fq'
    assert 'Unknown field bogus' in str(err.value)
    session.assert_done()


def test_empty_fq_is_refused_before_any_request():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'fq': '  '})
    assert err.value.option == 'vendor_filters.fq'
    assert session.calls == []


def test_error_inside_a_200_reply_is_reported():
    adapter, _session, _sleeps = build(dict(OPTIONS, partition_id='100001'), [
        search(0, {'errors': {'globalErrors': [{'code': 'X-1', 'message': 'search backend unavailable'}], 'fieldErrors': None},
                   'result': None}),
    ])
    with pytest.raises(BadResponseError) as err:
        adapter.list_devices()
    assert 'search backend unavailable' in str(err.value)


def test_get_device_not_found_is_none():
    adapter, session, _sleeps = build(OPTIONS, [
        partitions(),
        Expect('GET', '/api/v1/device/404404', query={'dmPartitionId': '100001'}, headers=HEADERS, status=404,
               reply={'errors': {'globalErrors': [{'code': 'DEVICE-1', 'message': 'Device not found'}]}, 'result': None}),
        Expect('GET', '/api/v1/device/404405', query={'dmPartitionId': '100001'},
               reply={'errors': {'globalErrors': [{'code': 'DEVICE-1', 'message': 'Device not found'}]}, 'result': None}),
        Expect('GET', '/api/v1/device/404406', query={'dmPartitionId': '100001'}, reply={'errors': None, 'result': None}),
    ])
    assert adapter.get_device('404404') is None
    assert adapter.get_device('404405') is None
    assert adapter.get_device('404406') is None
    session.assert_done()


def test_get_device_refuses_what_is_not_an_id():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.get_device('../account')
    assert err.value.option == 'device_id'
    assert session.calls == []


def test_normalise_every_field():
    adapter, _session, _sleeps = build(OPTIONS, [])
    raw = {
        'id': 1000001,
        'guid': '02fdc9d7-0000-0000-0000-1b3d96158fb9',
        'deviceModel': 'Pixel',
        'prettyModel': 'Google Pixel',
        'deviceName': 'Front desk',
        'entityName': 'ANDROID-Pixel-',
        'platformType': 'ANDROID',
        'platformVersion': '14',
        'lastCheckin': 1600797224252,
        'registrationState': 'ACTIVE',
        'uid': 'test1@example.com',
        'emailAddress': 'test1@example.com',
        'manufacturer': 'Google',
        'imei': '354691065438150',
        'serialNumber': 'R58M123ABC',
        'ownershipType': 'EMPLOYEE',
        'complianceState': False,
        'udid': None,
        'groups': [{'id': 1, 'name': 'All Devices'}, {'id': 9, 'name': 'Android Devices'}],
    }
    assert adapter.normalise(raw) == {
        'mdm_vendor': 'mobileiron_cloud',
        'mdm_device_id': '1000001',
        'mdm_name': 'Front desk',
        'mdm_platform': 'android',
        'mdm_os_version': '14',
        'mdm_model': 'Pixel',
        'mdm_manufacturer': 'Google',
        'mdm_serial': 'R58M123ABC',
        'mdm_imei': '354691065438150',
        'mdm_udid': None,
        'mdm_user': 'test1@example.com',
        'mdm_user_email': 'test1@example.com',
        'mdm_ownership': 'employee',
        'mdm_status': 'active',
        'mdm_compliant': False,
        'mdm_last_seen': '2020-09-22T17:53:44Z',
        'mdm_labels': ['All Devices', 'Android Devices'],
    }
    assert adapter.normalise(raw, include_raw=True)['mdm_raw'] is raw


def test_normalise_fallbacks_and_blanks():
    adapter, _session, _sleeps = build(OPTIONS, [])
    device = adapter.normalise({'id': 5, 'deviceName': None, 'entityName': 'DESKTOP-B76IV6U', 'deviceModel': '',
                                'prettyModel': 'innotek GmbH: VirtualBox', 'platformType': 'WINDOWS_PHONE', 'serialNumber': '',
                                'imei': '', 'ownershipType': 'UNKNOWN', 'registrationState': 'RETIRE_PENDING', 'lastCheckin': None})
    assert device['mdm_name'] == 'DESKTOP-B76IV6U'
    assert device['mdm_model'] == 'innotek GmbH: VirtualBox'
    assert device['mdm_platform'] == 'windows'
    assert device['mdm_serial'] is None and device['mdm_imei'] is None
    assert device['mdm_ownership'] == 'unknown'
    assert device['mdm_status'] == 'retired'
    assert device['mdm_last_seen'] is None and device['mdm_compliant'] is None and device['mdm_labels'] == []


@pytest.mark.parametrize('value,status', [('ACTIVE', 'active'), ('RETIRED', 'retired'), ('RETIRE_PENDING', 'retired'),
                                          ('WIPED', 'wiped'), ('SOMETHING_NEW', 'other'), (None, 'other')])
def test_status_mapping(value, status):
    adapter, _session, _sleeps = build(OPTIONS, [])
    assert adapter.normalise(record(1, registrationState=value))['mdm_status'] == status


def test_503_on_a_read_is_retried():
    adapter, session, sleeps = build(OPTIONS, [
        partitions(status=503, reply='busy'),
        partitions(),
        search(0, page([1], 1)),
    ])
    assert len(adapter.list_devices()) == 1
    assert sleeps == [0.5 * 0.75]
    session.assert_done()


def test_429_honours_retry_after():
    adapter, session, sleeps = build(dict(OPTIONS, partition_id='100001'), [
        search(0, page(list(range(500)), 501)),
        search(499, {'errors': None, 'result': None}, status=429, reply_headers={'Retry-After': '3'}),
        search(499, page([499, 500], 501)),
    ])
    assert len(adapter.list_devices(concurrency=1)) == 501
    assert sleeps == [3.0]
    session.assert_done()


def test_labels_are_the_groups_of_the_single_device_reply():
    one = {'errors': None, 'result': dict(record(1000), groups=[{'id': 7, 'name': 'Sales'}, {'id': 8, 'name': 'EMEA'}])}
    two = {'errors': None, 'result': dict(record(1001), groups=[])}
    adapter, session, sleeps = build(OPTIONS, [
        partitions(),
        search(0, page([1000, 1001], 2)),
        Expect('GET', '/api/v1/device/1000', query={'dmPartitionId': '100001'}, headers=HEADERS, body=None, reply=one),
        Expect('GET', '/api/v1/device/1001', query={'dmPartitionId': '100001'}, headers=HEADERS, body=None, reply=two),
    ])
    devices = adapter.list_devices(concurrency=1, labels=True)
    assert [(d['mdm_device_id'], d['mdm_labels']) for d in devices] == [('1000', ['EMEA', 'Sales']), ('1001', [])]
    session.assert_done()
