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
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.session import DEVICE_FIELDS

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

PASSWORD = 'Corr3ct-Horse!'
OPTIONS = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password=PASSWORD)
BASIC = 'Basic ' + base64.b64encode(('apiadmin:' + PASSWORD).encode()).decode()
HEADERS = {'Authorization': BASIC, 'Accept': 'application/json'}
FIELDS = ('common.uuid,common.platform,common.os_version,common.model,common.manufacturer,common.SerialNumber,common.imei,'
          'common.owner,'
          'common.status,common.compliant,common.last_connected_at,user.user_id,user.email_address,ios.DeviceName,'
          'ios.iPhone UDID')


def uuid(number):
    return '%08x-0000-4000-8000-%012x' % (number, number)


def record(number, **extra):
    raw = {'common.uuid': uuid(number), 'common.platform': 'Android', 'common.status': 'ACTIVE'}
    raw.update(extra)
    return raw


def page(numbers, total):
    results = [record(n) for n in numbers]
    return {'results': results, 'totalCount': total, 'resultCount': len(results), 'hasMore': bool(numbers) and numbers[-1] + 1 < total}


def search(offset, reply, query='', limit=200, space='1', fields=FIELDS, **kwargs):
    params = {'adminDeviceSpaceId': space, 'fields': fields, 'limit': str(limit), 'offset': str(offset)}
    if query is not None:
        params['query'] = query
    params.update(kwargs.pop('extra_query', {}))
    return Expect('GET', '/api/v2/devices', query=params, headers=HEADERS, body=None, reply=reply, **kwargs)


def test_fields_constant_matches_the_documented_names():
    assert ','.join(DEVICE_FIELDS) == FIELDS


def test_lists_every_page_by_offset():
    adapter, session, sleeps = build(OPTIONS, [
        # Each page after the first starts one row early: that row must be the previous page's last (session.py).
        search(0, page(list(range(0, 200)), 450)),
        search(199, page(list(range(199, 399)), 450)),
        search(398, page(list(range(398, 450)), 450)),
    ])
    devices = adapter.list_devices(concurrency=1)
    assert [d['mdm_device_id'] for d in devices] == [uuid(n) for n in range(450)]
    assert sleeps == []
    session.assert_done()


def test_concurrent_paging_gives_the_same_complete_result():
    adapter, session, _sleeps = build(OPTIONS, [
        search(0, page(list(range(0, 100)), 430), limit=100),
        search(99, page(list(range(99, 199)), 430), limit=100),
        search(198, page(list(range(198, 298)), 430), limit=100),
        search(297, page(list(range(297, 397)), 430), limit=100),
        search(396, page(list(range(396, 430)), 430), limit=100),
    ], ordered=False)
    devices = adapter.list_devices(page_size=100, concurrency=4)
    assert [d['mdm_device_id'] for d in devices] == [uuid(n) for n in range(430)]
    session.assert_done()


def test_device_space_option_is_sent():
    adapter, session, _sleeps = build(dict(OPTIONS, device_space_id=7), [search(0, page([1], 1), space='7')])
    assert len(adapter.list_devices()) == 1
    session.assert_done()


def test_page_size_above_200_is_refused_before_any_request():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(page_size=201)
    assert err.value.option == 'page_size'
    assert session.calls == []


def test_wrong_credentials_give_a_clear_error_without_the_password():
    adapter, session, sleeps = build(OPTIONS, [search(0, {'messages': [{'localizedMessage': 'Unauthorized for ' + BASIC}]},
                                                      status=401)])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    text = str(err.value)
    assert 'MobileIron Core' in text and 'apiadmin' in text and 'HTTP 401' in text
    assert PASSWORD not in text and BASIC.split()[1] not in text
    assert err.value.to_dict()['error_type'] == 'authentication_failed'
    # A 401 on Basic auth is final: no second attempt.
    assert sleeps == [] and len(session.calls) == 1


def test_query_too_long_fails_before_any_request():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'query': '"common.model" contains "%s"' % ('x' * 240)})
    assert err.value.option == 'vendor_filters.query'
    assert '255' in str(err.value)
    assert session.calls == []


def test_invalid_query_is_reported_with_the_servers_reason():
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v2/devices/query_test', query={'adminDeviceSpaceId': '1', 'query': 'manufacturer contains "blargle"'},
               headers=HEADERS, reply={'valid': False, 'token': 'blargle', 'position': 21}),
    ])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'query': 'manufacturer contains "blargle"'})
    assert err.value.option == 'vendor_filters.query'
    assert "'blargle' at position 21" in str(err.value)
    session.assert_done()


def test_valid_query_is_tested_then_used():
    query = '"common.manufacturer" starts with "Appl"'
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v2/devices/query_test', query={'adminDeviceSpaceId': '1', 'query': query}, reply={'valid': True}),
        search(0, page([5], 1), query=query),
    ])
    assert [d['mdm_device_id'] for d in adapter.list_devices(vendor_filters={'query': query})] == [uuid(5)]
    session.assert_done()


def test_label_alone_sends_no_query():
    adapter, session, _sleeps = build(OPTIONS, [search(0, page([3], 1), query=None, extra_query={'labelId': '4'})])
    assert len(adapter.list_devices(vendor_filters={'labelId': '4'})) == 1
    session.assert_done()


def test_simple_query_with_label_is_accepted():
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v2/devices/query_test', query={'adminDeviceSpaceId': '1', 'query': 'samsung'},
               reply={'valid': False, 'token': '<EOF>', 'position': 7}),
        search(0, page([3], 1), query='samsung', extra_query={'labelId': '4'}),
    ])
    assert len(adapter.list_devices(vendor_filters={'labelId': 4, 'query': 'samsung'})) == 1
    session.assert_done()


def test_advanced_query_with_label_is_refused():
    # The reference: "Label & advanced query: Unsupported" (the server answers with no devices).
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v2/devices/query_test', reply={'valid': True}),
    ])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'labelId': 4, 'query': '"common.platform"="iOS"'})
    assert err.value.option == 'vendor_filters.query'
    assert 'labelId' in str(err.value)
    session.assert_done()


def test_label_id_must_be_an_integer():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'labelId': 'ios'})
    assert err.value.option == 'vendor_filters.labelId'
    assert session.calls == []


def test_unknown_vendor_filter_is_refused():
    adapter, _session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'fq': 'x'})
    assert err.value.allowed == ['fields', 'labelId', 'query']


def test_extra_fields_are_fetched_and_kept_in_raw():
    adapter, session, _sleeps = build(OPTIONS, [
        search(0, {'results': [record(1, **{'common.battery_level': 88})], 'totalCount': 1},
               fields=FIELDS + ',common.battery_level,common.ip_address'),
    ])
    devices = adapter.list_devices(vendor_filters={'fields': 'common.battery_level, common.ip_address,common.uuid'},
                                   include_raw=True)
    assert devices[0]['mdm_raw']['common.battery_level'] == 88
    session.assert_done()


def test_too_many_or_too_long_fields_are_refused():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'fields': ','.join('custom.device.f%d' % n for n in range(500))})
    assert err.value.option == 'vendor_filters.fields'
    with pytest.raises(InvalidInputError):
        adapter.list_devices(vendor_filters={'fields': 'custom.device.' + 'x' * 320})
    assert session.calls == []


def test_platform_and_status_filters_are_pushed_into_the_query():
    pushed = '"common.platform"="Android" AND "common.status"="ACTIVE"'
    adapter, session, _sleeps = build(OPTIONS, [
        search(0, {'results': [record(1), record(2, **{'common.status': 'RETIRED'})], 'totalCount': 2}, query=pushed),
    ])
    devices = adapter.list_devices(filters={'platform': 'android', 'status': 'active'})
    # The base still checks every filter on the normalised device.
    assert [d['mdm_device_id'] for d in devices] == [uuid(1)]
    session.assert_done()


def test_pushed_query_is_anded_with_the_users_query():
    query = '"common.manufacturer"="samsung"'
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v2/devices/query_test', reply={'valid': True}),
        search(0, page([1], 1), query='(%s) AND ("common.status"="RETIRED" OR "common.status"="RETIRE_PENDING")' % query),
    ])
    adapter.list_devices(filters={'status': 'retired', 'platform': ['ios', 'macos']}, vendor_filters={'query': query})
    session.assert_done()


def test_nothing_is_pushed_with_a_label_or_for_status_other():
    adapter, session, _sleeps = build(OPTIONS, [
        search(0, page([], 0), query=None, extra_query={'labelId': '9'}),
        search(0, page([], 0), query=''),
    ])
    assert adapter.list_devices(filters={'status': 'active'}, vendor_filters={'labelId': 9}) == []
    assert adapter.list_devices(filters={'status': ['active', 'other'], 'platform': 'windows'}) == []
    session.assert_done()


def test_push_that_would_exceed_255_characters_is_dropped():
    query = '"common.model" contains "%s"' % ('m' * 150)
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v2/devices/query_test', reply={'valid': True}),
        search(0, page([], 0), query=query),
    ])
    adapter.list_devices(filters={'status': 'pending'}, vendor_filters={'query': query})
    session.assert_done()


def test_get_device_searches_by_uuid():
    wanted = uuid(42)
    adapter, session, _sleeps = build(OPTIONS, [
        search(0, page([42], 1), query='"common.uuid"="%s"' % wanted, limit=1),
    ])
    device = adapter.get_device(wanted)
    assert device['mdm_device_id'] == wanted and device['mdm_vendor'] == 'mobileiron_core'
    session.assert_done()


def test_get_device_not_found_is_none():
    wanted = uuid(43)
    adapter, session, _sleeps = build(OPTIONS, [
        search(0, {'results': [], 'totalCount': 0, 'resultCount': 0, 'hasMore': False}, query='"common.uuid"="%s"' % wanted, limit=1),
    ])
    assert adapter.get_device(wanted) is None
    session.assert_done()


def test_get_device_refuses_what_is_not_a_uuid():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.get_device('x" OR "common.uuid" is not empty')
    assert err.value.option == 'device_id'
    assert session.calls == []


def test_normalise_every_field():
    adapter, _session, _sleeps = build(OPTIONS, [])
    raw = {
        'common.uuid': 'a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9',
        'common.platform': 'iOS',
        'common.os_version': '17.4',
        'common.model': 'iPhone 15',
        'common.manufacturer': 'Apple',
        'common.imei': 354691065438150,
        'common.owner': 'COMPANY',
        'common.status': 'ACTIVE',
        'common.compliant': True,
        'common.last_connected_at': '2016-07-11T19:19:26.000Z',
        'user.user_id': 'testuser2264',
        'user.email_address': 'testuser2264@example.com',
        'ios.DeviceName': "Ann's iPhone",
        'ios.iPhone UDID': '00008030-001A2B3C4D5E6F70',
    }
    assert adapter.normalise(raw) == {
        'mdm_vendor': 'mobileiron_core',
        'mdm_device_id': 'a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9',
        'mdm_name': "Ann's iPhone",
        'mdm_platform': 'ios',
        'mdm_os_version': '17.4',
        'mdm_model': 'iPhone 15',
        'mdm_manufacturer': 'Apple',
        'mdm_serial': None,
        'mdm_imei': '354691065438150',
        'mdm_udid': '00008030-001A2B3C4D5E6F70',
        'mdm_user': 'testuser2264',
        'mdm_user_email': 'testuser2264@example.com',
        'mdm_ownership': 'company',
        'mdm_status': 'active',
        'mdm_compliant': True,
        'mdm_last_seen': '2016-07-11T19:19:26Z',
        'mdm_labels': [],
    }
    assert adapter.normalise(raw, include_raw=True)['mdm_raw'] is raw


@pytest.mark.parametrize('value,status', [('ACTIVE', 'active'), ('PENDING', 'pending'), ('VERIFICATION_PENDING', 'pending'),
                                          ('RETIRED', 'retired'), ('RETIRE_PENDING', 'retired'), ('WIPED', 'wiped'),
                                          ('WIPE_PENDING', 'wiped'), ('BLOCKED', 'other'), ('LOST', 'other'), (None, 'other')])
def test_status_mapping(value, status):
    adapter, _session, _sleeps = build(OPTIONS, [])
    assert adapter.normalise(record(1, **{'common.status': value}))['mdm_status'] == status


@pytest.mark.parametrize('value,ownership', [('COMPANY', 'company'), ('EMPLOYEE', 'employee'), ('', 'unknown'), (None, 'unknown')])
def test_ownership_mapping(value, ownership):
    adapter, _session, _sleeps = build(OPTIONS, [])
    assert adapter.normalise(record(1, **{'common.owner': value}))['mdm_ownership'] == ownership


def test_503_on_a_read_is_retried():
    adapter, session, sleeps = build(OPTIONS, [
        search(0, 'Service Unavailable', status=503),
        search(0, page([1, 2], 2)),
    ])
    assert len(adapter.list_devices()) == 2
    assert sleeps == [0.5 * 0.75]
    session.assert_done()


def test_429_honours_retry_after():
    adapter, session, sleeps = build(OPTIONS, [
        search(0, page(list(range(200)), 201)),
        search(199, {'messages': []}, status=429, reply_headers={'Retry-After': '7'}),
        search(199, page([199, 200], 201)),
    ])
    assert len(adapter.list_devices(concurrency=1)) == 201
    assert sleeps == [7.0]
    session.assert_done()


def test_reply_without_results_is_a_bad_response():
    adapter, _session, _sleeps = build(OPTIONS, [search(0, {'messages': [{'type': 'Error'}]})])
    with pytest.raises(BadResponseError):
        adapter.list_devices()


def test_ping_and_label_summary():
    labels = [{'id': n, 'name': 'label-%d' % n, 'isStatic': True, 'rowType': 'ADMIN'} for n in range(205)]
    adapter, session, _sleeps = build(OPTIONS, [
        Expect('GET', '/api/v2/ping', query={}, headers=HEADERS, reply={'results': {'apiVersion': 2, 'vspVersion': 'VSP 11.0'}}),
        Expect('GET', '/api/v2/labels/label_summary', query={'adminDeviceSpaceId': '1', 'limit': '200', 'offset': '0'},
               headers=HEADERS, reply={'results': labels[:200], 'totalCount': 205, 'resultCount': 200, 'hasMore': True}),
        Expect('GET', '/api/v2/labels/label_summary', query={'adminDeviceSpaceId': '1', 'limit': '200', 'offset': '199'},
               reply={'results': labels[199:], 'totalCount': 205, 'resultCount': 6, 'hasMore': False}),
    ])
    assert adapter.ping()['apiVersion'] == 2
    assert adapter.capabilities['labels'].label_summary() == labels
    session.assert_done()


def label_page(labels, total):
    return {'results': labels, 'totalCount': total, 'resultCount': len(labels), 'hasMore': False}


def test_labels_come_from_label_summary_and_a_uuid_search_per_label():
    labels = [{'id': 4, 'name': 'Sales', 'deviceCount': 2}, {'id': 5, 'name': 'Empty', 'deviceCount': 0},
              {'id': 6, 'name': 'iOS', 'deviceCount': 1}]
    adapter, session, sleeps = build(OPTIONS, [
        search(0, page([1, 2, 3], 3)),
        Expect('GET', '/api/v2/labels/label_summary', query={'adminDeviceSpaceId': '1', 'limit': '200', 'offset': '0'},
               headers=HEADERS, body=None, reply=label_page(labels, 3)),
        # The empty label is not searched.
        search(0, {'results': [{'common.uuid': uuid(1)}, {'common.uuid': uuid(3)}], 'totalCount': 2}, query=None,
               fields='common.uuid', extra_query={'labelId': '4'}),
        search(0, {'results': [{'common.uuid': uuid(3)}], 'totalCount': 1}, query=None, fields='common.uuid',
               extra_query={'labelId': '6'}),
    ])
    devices = adapter.list_devices(concurrency=1, labels=True)
    assert [(d['mdm_device_id'], d['mdm_labels']) for d in devices] == [
        (uuid(1), ['Sales']), (uuid(2), []), (uuid(3), ['Sales', 'iOS'])]
    session.assert_done()
