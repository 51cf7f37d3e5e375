# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    BadResponseError,
    InvalidInputError,
)

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

CLIENT_SECRET = 'c1ient-s3cret-0f-the-app'
REFRESH_TOKEN = '1000.9a8b7c6d5e4f.refresh-token-value'
API_KEY = 'D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE'
CLOUD = dict(vendor='manageengine', url='https://mdm.manageengine.example', client_id='1000.CLIENTID42', client_secret=CLIENT_SECRET,
             refresh_token=REFRESH_TOKEN, accounts_url='https://accounts.zoho.example')
ONPREM = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key=API_KEY)
TOKEN = '1000.41d9aaaaaaaaaaaaaaaaaaaaaaaac2d1.8fccbbbbbbbbbbbbbbbbbbbbbbbb125f'
TOKEN2 = '1000.5e6fcccccccccccccccccccccccc0a1b.77aadddddddddddddddddddddddd9e0f'
DEVICES = '/api/v1/mdm/devices'
TOKEN_QUERY = {'refresh_token': REFRESH_TOKEN, 'client_id': '1000.CLIENTID42', 'client_secret': CLIENT_SECRET,
               'grant_type': 'refresh_token'}


def with_reply(expect, status=None, reply_headers=None):
    if status is not None:
        expect.status = status
    if reply_headers is not None:
        expect.reply_headers = dict(reply_headers)
    return expect


def token_grant(token=TOKEN, reply=None, **kwargs):
    reply = reply if reply is not None else {'access_token': token, 'api_domain': 'https://www.zohoapis.com', 'token_type': 'Bearer',
                                             'expires_in': 3600}
    return Expect('POST', '/oauth/v2/token', query=TOKEN_QUERY, headers={'Accept': 'application/json'}, body=None, reply=reply, **kwargs)


def auth_value(token):
    return API_KEY if token is None else 'Zoho-oauthtoken ' + token


def listing(offset, reply, limit=200, token=TOKEN, **filters):
    query = {'limit': str(limit), 'offset': str(offset)}
    query.update(filters)
    return Expect('GET', DEVICES, query=query, headers={'Authorization': auth_value(token), 'Accept': 'application/json'}, body=None,
                  reply=reply)


def record(number, **extra):
    raw = {'device_id': 9007199254741000 + number, 'device_name': 'device-%d' % number, 'platform_type': 'android', 'platform_type_id': 2,
           'owned_by': 1, 'is_removed': False}
    raw.update(extra)
    return raw


def page(numbers, total):
    return {'devices': [record(n) for n in numbers], 'metadata': {'total_record_count': total}, 'paging': {}}


def ids(numbers):
    return [str(9007199254741000 + n) for n in numbers]


def device_ids(devices):
    return [d['mdm_device_id'] for d in devices]


def test_cloud_mints_one_token_and_reuses_it_on_every_page():
    adapter, session, sleeps = build(CLOUD, [
        token_grant(),
        # Pages of 2 that overlap by one row (session.py): each brings one new device.
        listing(0, page([0, 1], 5), limit=2),
        listing(1, page([1, 2], 5), limit=2),
        listing(2, page([2, 3], 5), limit=2),
        listing(3, page([3, 4], 5), limit=2),
    ])
    assert device_ids(adapter.list_devices(page_size=2, concurrency=1)) == ids(range(5))
    assert sleeps == []
    session.assert_done()
    # The token request goes to the accounts server, not to the MDM url.
    assert session.calls[0]['url'].startswith('https://accounts.zoho.example/oauth/v2/token?')
    assert session.calls[1]['url'].startswith('https://mdm.manageengine.example/api/v1/mdm/devices?')


def test_pages_are_fetched_concurrently_and_complete():
    adapter, session, _sleeps = build(ONPREM, [
        listing(0, page(range(0, 200), 450), token=None),
        listing(199, page(range(199, 399), 450), token=None),
        listing(398, page(range(398, 450), 450), token=None),
    ], ordered=False)
    assert device_ids(adapter.list_devices(concurrency=4)) == ids(range(450))
    session.assert_done()


def test_on_premises_sends_the_api_key_and_mints_nothing():
    adapter, session, _sleeps = build(ONPREM, [listing(0, page([1], 1), token=None)])
    assert device_ids(adapter.list_devices()) == ids([1])
    session.assert_done()
    assert adapter.renewable_auth is False


def test_on_premises_401_is_a_wrong_key_without_retry():
    rejected = with_reply(listing(0, {'error_code': 'COM0013', 'error_description': 'Invalid API key'}, token=None), status=401)
    adapter, session, sleeps = build(ONPREM, [rejected])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    text = str(err.value)
    assert 'ManageEngine MDM' in text and 'api_key' in text and 'HTTP 401' in text
    assert API_KEY not in text
    assert sleeps == [] and len(session.calls) == 1


def test_cloud_401_renews_the_token_once():
    expired = with_reply(listing(1, {'error_code': 'COM0013', 'error_description': 'Invalid OAuth token'}, limit=2), status=401)
    adapter, session, sleeps = build(CLOUD, [
        token_grant(),
        listing(0, page([0, 1], 3), limit=2),
        expired,
        token_grant(TOKEN2),
        listing(1, page([1, 2], 3), limit=2, token=TOKEN2),
    ])
    assert device_ids(adapter.list_devices(page_size=2, concurrency=1)) == ids(range(3))
    assert sleeps == []
    session.assert_done()


def test_cloud_second_401_is_an_authentication_error():
    adapter, session, _sleeps = build(CLOUD, [
        token_grant(),
        with_reply(listing(0, {'error_code': 'COM0013'}), status=401),
        token_grant(TOKEN2),
        with_reply(listing(0, {'error_code': 'COM0013'}, token=TOKEN2), status=401),
    ])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    assert err.value.status == 401
    assert TOKEN2 not in str(err.value)
    session.assert_done()


@pytest.mark.parametrize('expect', [
    token_grant(reply={'error': 'invalid_code'}),
    with_reply(token_grant(reply={'error': 'invalid_client'}), status=400),
    with_reply(token_grant(reply={'error': 'invalid_client'}), status=401),
    token_grant(reply={'token_type': 'Bearer'}),
])
def test_refused_token_grant_names_the_vendor_and_hides_the_secrets(expect):
    adapter, session, sleeps = build(CLOUD, [expect])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    text = str(err.value)
    assert 'ManageEngine MDM' in text and 'Zoho accounts refused' in text and 'accounts.zoho.example' in text
    assert CLIENT_SECRET not in text and REFRESH_TOKEN not in text
    assert sleeps == [] and len(session.calls) == 1


def test_token_lifetime_comes_from_expires_in():
    reply = {'access_token': TOKEN, 'expires_in': 1800, 'token_type': 'Bearer'}
    adapter, session, _sleeps = build(CLOUD, [token_grant(reply=reply), listing(0, page([1], 1))])
    before = time.time()
    adapter.list_devices()
    # Renewed TOKEN_RENEW_MARGIN (300 s) before the 1800 s Zoho gave it.
    assert before + 1490 <= adapter._auth_expires_at <= time.time() + 1500
    session.assert_done()


def test_token_grant_is_retried_after_a_503():
    adapter, session, sleeps = build(CLOUD, [with_reply(token_grant(reply='Service Unavailable'), status=503), token_grant(),
                                             listing(0, page([1], 1))])
    assert len(adapter.list_devices()) == 1
    assert sleeps == [0.5 * 0.75]
    session.assert_done()


def test_503_on_a_read_is_retried():
    adapter, session, sleeps = build(ONPREM, [with_reply(listing(0, 'Service Unavailable', token=None), status=503),
                                              listing(0, page([1, 2], 2), token=None)])
    assert len(adapter.list_devices()) == 2
    assert sleeps == [0.5 * 0.75]
    session.assert_done()


def test_429_honours_retry_after():
    adapter, session, sleeps = build(ONPREM, [
        listing(0, page([0, 1], 3), limit=2, token=None),
        with_reply(listing(1, {'error_code': 'COM0015', 'error_description': 'Too many requests'}, limit=2, token=None), status=429,
                   reply_headers={'Retry-After': '4'}),
        listing(1, page([1, 2], 3), limit=2, token=None),
    ])
    assert len(adapter.list_devices(page_size=2, concurrency=1)) == 3
    assert sleeps == [4.0]
    session.assert_done()


def test_without_a_total_pages_are_read_until_a_short_page():
    adapter, session, _sleeps = build(ONPREM, [
        listing(0, {'devices': [record(0), record(1)]}, limit=2, token=None),
        listing(1, {'devices': [record(1), record(2)]}, limit=2, token=None),
        listing(2, {'devices': [record(2), record(3)]}, limit=2, token=None),
        listing(3, {'devices': [record(3)]}, limit=2, token=None),
    ])
    assert device_ids(adapter.list_devices(page_size=2)) == ids(range(4))
    session.assert_done()


def test_empty_fleet():
    adapter, session, _sleeps = build(ONPREM, [listing(0, {'metadata': {'total_record_count': 0}}, token=None)])
    assert adapter.list_devices() == []
    session.assert_done()


def test_reply_without_devices_is_a_bad_response():
    adapter, _session, _sleeps = build(ONPREM, [listing(0, {'paging': {}}, token=None)])
    with pytest.raises(BadResponseError):
        adapter.list_devices()


@pytest.mark.parametrize('page_size', [0, 201, 1000, '50'])
def test_page_size_out_of_range_is_refused_before_any_request(page_size):
    adapter, session, _sleeps = build(ONPREM, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(page_size=page_size)
    assert err.value.option == 'page_size'
    assert session.calls == []


def test_unknown_vendor_filter_is_refused_before_any_request():
    adapter, session, _sleeps = build(CLOUD, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'ownership': 'Corporate'})
    assert err.value.option == 'vendor_filters'
    assert "'ownership'" in str(err.value)
    assert err.value.allowed == ['device_type', 'owned_by', 'platform', 'search', 'searchfield', 'searchkey']
    assert session.calls == []


@pytest.mark.parametrize('filters, option', [
    ({'owned_by': 'Company'}, 'vendor_filters.owned_by'),
    ({'device_type': 'Phone'}, 'vendor_filters.device_type'),
    ({'platform': 'macOS'}, 'vendor_filters.platform'),
    ({'searchkey': 'jane'}, 'vendor_filters.searchfield'),
    ({'searchfield': 'email'}, 'vendor_filters.searchkey'),
    ({'search': ' '}, 'vendor_filters.search'),
])
def test_invalid_vendor_filter_values_are_refused(filters, option):
    adapter, session, _sleeps = build(CLOUD, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters=filters)
    assert err.value.option == option
    assert session.calls == []


def test_vendor_filters_are_sent_on_every_page():
    filters = {'owned_by': 'Personal', 'device_type': 'Tablet', 'platform': 'iOS', 'searchkey': 'jane', 'searchfield': 'email'}
    adapter, session, _sleeps = build(ONPREM, [
        listing(0, page([0, 1], 3), limit=2, token=None, **filters),
        listing(1, page([1, 2], 3), limit=2, token=None, **filters),
    ])
    # The server's answer is checked again against the neutral filters only; these records are android.
    assert len(adapter.list_devices(vendor_filters=filters, page_size=2, concurrency=1)) == 3
    session.assert_done()


def test_exact_platform_and_ownership_are_pushed():
    adapter, session, _sleeps = build(ONPREM, [
        listing(0, {'devices': [record(1, platform_type='ios'), record(2)], 'metadata': {'total_record_count': 2}}, token=None,
                platform='iOS', owned_by='Corporate'),
        listing(0, page([3], 1), token=None),
        listing(0, page([4], 1), token=None, platform='Windows', owned_by='Personal'),
        listing(0, page([5], 1), token=None, platform='Android'),
    ])
    assert device_ids(adapter.list_devices(filters={'platform': 'ios', 'ownership': 'company'})) == ids([1])
    # macOS has no documented platform filter value, two values need an OR: nothing is pushed.
    adapter.list_devices(filters={'platform': 'macos', 'ownership': ['company', 'employee']})
    adapter.list_devices(filters={'platform': 'windows', 'ownership': 'employee'})
    # The user's own filter wins over a pushed one.
    adapter.list_devices(filters={'platform': 'android'}, vendor_filters={'platform': 'Android'})
    session.assert_done()


DETAILS = {
    'warranty_number': 'SJSU64728372', 'model': 'SM-G935F', 'owned_by': 2, 'managed_status': 2, 'serial_number': '2321bkbkqgidga1',
    'product_name': 'samsung', 'device_name': 'admin_SM-G935F', 'udid': 'f8c4071d394ef48e', 'model_name': 'hero2ltexx',
    'registered_time': 1540655566627, 'is_lost_mode_enabled': False,
    'sims': [{'iccid': 8991400912981718000, 'imei': 357327071694307, 'sim_id': 9508000000013204}],
    'security': {'passcode_complaint': False, 'storage_encryption': False},
    'summary': {'profile_count': 5, 'app_count': 10, 'doc_count': 1, 'group_count': 2},
    'os': {'platform_type': 'android', 'build_version': 'NRD90M', 'os_version': '8.0.0', 'serial_number': '2321bkbkqgidga1'},
    'unregistered_time': -1,
}


def test_get_device_reads_the_details_and_keeps_the_id_it_asked_for():
    adapter, session, _sleeps = build(ONPREM, [
        Expect('GET', DEVICES + '/9007199254740993', query={}, headers={'Authorization': API_KEY, 'Accept': 'application/json'},
               reply=dict(DETAILS)),
        Expect('GET', DEVICES + '/9007199254740404', query={}, status=404,
               reply={'error_code': 'COM0008', 'error_description': 'Device not found'}),
    ])
    device = adapter.get_device('9007199254740993')
    # 9007199254740993 has no exact float: it must never pass through one.
    assert device['mdm_device_id'] == '9007199254740993'
    assert device['mdm_platform'] == 'android' and device['mdm_os_version'] == '8.0.0'
    assert device['mdm_imei'] == '357327071694307'
    assert device['mdm_ownership'] == 'employee' and device['mdm_status'] == 'active'
    assert adapter.get_device('9007199254740404') is None
    session.assert_done()


@pytest.mark.parametrize('device_id', ['../groups', '12a', '-5', '1.5e3'])
def test_get_device_refuses_what_is_not_an_id(device_id):
    adapter, session, _sleeps = build(ONPREM, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.get_device(device_id)
    assert err.value.option == 'device_id'
    assert session.calls == []


def test_large_ids_in_a_listing_stay_exact():
    reply = '{"devices": [{"device_id": 9007199254740993, "device_name": "x"}], "metadata": {"total_record_count": 1}}'
    adapter, _session, _sleeps = build(ONPREM, [listing(0, reply, token=None)])
    assert device_ids(adapter.list_devices()) == ['9007199254740993']


# The list record of the reference ("Get device list"), with the summary's last_contact_time and group list.
LIST_RECORD = {
    'device_id': 9007199254741000, 'os_version': '8.0.0', 'is_lost_mode_enabled': False, 'owned_by': 2, 'is_removed': False,
    'product_name': 'samsung', 'device_name': 'admin_SM-G935F', 'platform_type': 'android', 'platform_type_id': 2,
    'udid': 'f8c4071d394ef48e', 'serial_number': '2321bkbkqgidga1', 'model': 'SM-G935F',
    'user': {'user_name': 'admin', 'user_id': 9007199254741000, 'user_email': 'admin@zylker.com'},
    'imei': 357327071694307, 'summary': {'profile_count': 5, 'app_count': 10, 'doc_count': 1, 'group_count': 2},
    'last_contact_time': 1557128715277,
    'group': [{'group_id': 9007199254741632, 'group_name': 'Test group 1557134860919'}, {'group_id': 1, 'group_name': 'Sales'}],
}


def test_normalise_every_field():
    adapter, _session, _sleeps = build(CLOUD, [])
    assert adapter.normalise(LIST_RECORD, include_raw=True) == {
        'mdm_vendor': 'manageengine',
        'mdm_device_id': '9007199254741000',
        'mdm_name': 'admin_SM-G935F',
        'mdm_platform': 'android',
        'mdm_os_version': '8.0.0',
        'mdm_model': 'SM-G935F',
        'mdm_manufacturer': 'samsung',
        'mdm_serial': '2321bkbkqgidga1',
        'mdm_imei': '357327071694307',
        'mdm_udid': 'f8c4071d394ef48e',
        'mdm_user': 'admin',
        'mdm_user_email': 'admin@zylker.com',
        'mdm_ownership': 'employee',
        'mdm_status': 'active',
        'mdm_compliant': None,
        'mdm_last_seen': '2019-05-06T07:45:15Z',
        'mdm_labels': ['Sales', 'Test group 1557134860919'],
        'mdm_raw': LIST_RECORD,
    }


def test_normalise_a_sparse_record():
    adapter, _session, _sleeps = build(CLOUD, [])
    device = adapter.normalise({'device_id': '17', 'platform_type': 'ios', 'imei': '', 'last_contact_time': -1, 'summary': {'group_count': 3}})
    assert device['mdm_device_id'] == '17' and device['mdm_platform'] == 'ios'
    assert device['mdm_imei'] is None and device['mdm_last_seen'] is None and device['mdm_labels'] == []
    assert device['mdm_ownership'] == 'unknown' and device['mdm_status'] == 'other'
    assert adapter.normalise({'device_id': 18, 'imei': [357327071694307, 357327071694315]})['mdm_imei'] == '357327071694307'


@pytest.mark.parametrize('owned_by, ownership', [(1, 'company'), ('1', 'company'), (2, 'employee'), ('Personal', 'employee'),
                                                 ('Corporate', 'company'), (0, 'unknown'), (None, 'unknown')])
def test_ownership(owned_by, ownership):
    adapter, _session, _sleeps = build(CLOUD, [])
    assert adapter.normalise(record(1, owned_by=owned_by))['mdm_ownership'] == ownership


@pytest.mark.parametrize('extra, status', [
    ({'managed_status': 2}, 'active'),
    ({'managed_status': 1}, 'pending'),
    ({'managed_status': 4}, 'retired'),
    ({'managed_status': 7}, 'wiped'),
    ({'managed_status': 99}, 'other'),
    ({'managed_status': 99, 'is_removed': True}, 'retired'),
    ({'is_removed': True}, 'retired'),
    ({'is_removed': 'true'}, 'retired'),
    ({'is_removed': False}, 'active'),
    ({'is_removed': None}, 'other'),
])
def test_status(extra, status):
    adapter, _session, _sleeps = build(CLOUD, [])
    raw = record(1)
    raw.pop('is_removed')
    raw.update(extra)
    assert adapter.normalise(raw)['mdm_status'] == status


def groups_call(offset, reply, token=TOKEN):
    return Expect('GET', '/api/v1/mdm/groups', query={'limit': '200', 'offset': str(offset)},
                  headers={'Authorization': auth_value(token), 'Accept': 'application/json'}, body=None, reply=reply)


def members_call(group_id, reply, token=TOKEN):
    return Expect('GET', '/api/v1/mdm/groups/%s/members' % group_id, query={'limit': '200', 'offset': '0'},
                  headers={'Authorization': auth_value(token), 'Accept': 'application/json'}, body=None, reply=reply)


def test_labels_are_groups_and_their_members():
    groups = {'groups': [{'group_id': 9007199254741632, 'name': 'Sales', 'group_type': 1},
                         {'group_id': 9007199254741633, 'group_name': 'Kiosk', 'member_count': 0},
                         {'group_id': 9007199254741634, 'name': 'EMEA', 'group_type': 1}],
              'metadata': {'total_record_count': 3}}
    adapter, session, sleeps = build(ONPREM, [
        listing(0, page([0, 1], 2), token=None),
        groups_call(0, groups, token=None),
        # Kiosk has no members: not asked for.  Members come as ids or as records with a device_id.
        members_call('9007199254741632', {'member_ids': ids([0, 1]), 'metadata': {'total_record_count': 2}}, token=None),
        members_call('9007199254741634', {'member_ids': [{'device_id': 9007199254741001}]}, token=None),
    ])
    devices = adapter.list_devices(concurrency=1, labels=True)
    assert [(d['mdm_device_id'], d['mdm_labels']) for d in devices] == [(ids([0])[0], ['Sales']), (ids([1])[0], ['EMEA', 'Sales'])]
    session.assert_done()
