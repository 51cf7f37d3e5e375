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
    MdmError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360 import session as maas360

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

BILLING = '30012345'
PASSWORD = 'Adm1n<Pa55>&word'
ACCESS_KEY = 'AccessKey-9f8e7d6c'
OPTIONS = dict(vendor='maas360', url='https://services.m3.maas360.example', billing_id=BILLING, username='api_so',
               password=PASSWORD, app_id='com.example.fleetops', app_version='1.0', platform_id='3', app_access_key=ACCESS_KEY)
AUTH_PATH = '/auth-apis/auth/1.0/authenticate/' + BILLING
SEARCH_PATH = '/device-apis/devices/2.0/search/customer/' + BILLING
AUTH_BODY = ('<authRequest><maaS360AdminAuth><billingID>30012345</billingID><platformID>3</platformID>'
             '<appID>com.example.fleetops</appID><appVersion>1.0</appVersion><appAccessKey>AccessKey-9f8e7d6c</appAccessKey>'
             '<userName>api_so</userName><password>Adm1n&lt;Pa55&gt;&amp;word</password></maaS360AdminAuth></authRequest>')
TOKEN = '4d6d2190-ae0d-4a4e-93cc-95c782d6f376-CBHbmPO'
TOKEN2 = '8015bd40-83d7-43bc-a7c1-4415c94bae75-CBHpvBy'


def auth(token=TOKEN, reply=None, **kwargs):
    return Expect('POST', AUTH_PATH, query={}, headers={'Content-Type': 'application/xml', 'Accept': 'application/json'},
                  body=AUTH_BODY, reply=reply if reply is not None else {'authResponse': {'authToken': token, 'errorCode': 0}},
                  **kwargs)


def with_reply(expect, status=None, content_type=None, reply_headers=None):
    """The same expected request with another reply status, type or headers."""
    if status is not None:
        expect.status = status
    if content_type is not None:
        expect.content_type = content_type
    if reply_headers is not None:
        expect.reply_headers = dict(reply_headers)
    return expect


def search(page_number, reply, page_size=250, token=TOKEN, **filters):
    query = {'pageSize': str(page_size), 'pageNumber': str(page_number)}
    query.update(filters)
    return Expect('GET', SEARCH_PATH, query=query, headers={'Authorization': 'MaaS token="%s"' % token, 'Accept': 'application/json'},
                  body=None, reply=reply)


def record(number, **extra):
    raw = {'maas360DeviceID': 'Androidc%08d' % number, 'deviceName': 'device-%d' % number, 'platformName': 'Android',
           'deviceStatus': 'Active', 'maas360ManagedStatus': 'Enrolled'}
    raw.update(extra)
    return raw


def page(numbers, total, page_number=1, page_size=250):
    devices = {'count': total, 'pageNumber': page_number, 'pageSize': page_size}
    listed = [record(n) for n in numbers]
    if len(listed) == 1:
        devices['device'] = listed[0]
    elif listed:
        devices['device'] = listed
    return {'devices': devices}


def ids(devices):
    return [d['mdm_device_id'] for d in devices]


def test_logs_in_once_and_lists_every_page_with_the_same_token():
    adapter, session, sleeps = build(OPTIONS, [
        auth(),
        search(1, page(range(0, 25), 60, 1, 25), page_size=25),
        search(2, page(range(25, 50), 60, 2, 25), page_size=25),
        search(3, page(range(50, 60), 60, 3, 25), page_size=25),
    ])
    devices = adapter.list_devices(page_size=25, concurrency=1)
    assert ids(devices) == ['Androidc%08d' % n for n in range(60)]
    assert sleeps == []
    session.assert_done()
    assert session.calls[0]['url'] == 'https://services.m3.maas360.example' + AUTH_PATH


def test_pages_are_fetched_concurrently_and_complete():
    adapter, session, _sleeps = build(OPTIONS, [
        auth(),
        search(1, page(range(0, 50), 120, 1, 50), page_size=50),
        search(2, page(range(50, 100), 120, 2, 50), page_size=50),
        search(3, page(range(100, 120), 120, 3, 50), page_size=50),
    ], ordered=False)
    assert ids(adapter.list_devices(page_size=50, concurrency=3)) == ['Androidc%08d' % n for n in range(120)]
    session.assert_done()


def test_one_device_on_a_page_comes_as_an_object():
    adapter, session, _sleeps = build(OPTIONS, [
        auth(),
        search(1, page(range(0, 25), 26, 1, 25), page_size=25),
        search(2, page([25], 26, 2, 25), page_size=25),
        search(1, page([7], 1)),
    ])
    assert len(adapter.list_devices(page_size=25, concurrency=1)) == 26
    assert ids(adapter.list_devices()) == ['Androidc00000007']
    session.assert_done()


@pytest.mark.parametrize('reply', [
    {'devices': {'count': 0, 'pageNumber': 1, 'pageSize': 250}},
    {'devices': {'count': 0, 'pageNumber': 1, 'pageSize': 250, 'device': []}},
    {'devices': None},
])
def test_no_device_at_all(reply):
    adapter, session, _sleeps = build(OPTIONS, [auth(), search(1, reply)])
    assert adapter.list_devices() == []
    session.assert_done()


XML_AUTH = ('<?xml version="1.0" encoding="UTF-8"?><authResponse><authToken>%s</authToken><errorCode>0</errorCode>'
            '</authResponse>' % TOKEN)
XML_DEVICE = ('<device><maas360DeviceID>%s</maas360DeviceID><deviceName>Jane &amp; co</deviceName><platformName>iOS</platformName>'
              '<imeiEsn>351623070066166</imeiEsn><lastReportedInEpochms>1556035883843</lastReportedInEpochms>'
              '<ownership>Employee Owned</ownership><maas360ManagedStatus>Enrolled</maas360ManagedStatus>'
              '<testDevice>false</testDevice><udid/></device>')


def xml_page(device_ids, total):
    return ('<?xml version="1.0" encoding="UTF-8"?><ns2:devices xmlns:ns2="http://www.fiberlink.com/schemas">'
            '<count>%d</count><pageNumber>1</pageNumber><pageSize>250</pageSize>%s</ns2:devices>'
            % (total, ''.join(XML_DEVICE % device_id for device_id in device_ids)))


def test_xml_replies_are_read_when_the_server_ignores_accept():
    adapter, session, _sleeps = build(OPTIONS, [
        auth(reply=XML_AUTH, content_type='application/xml;charset=UTF-8'),
        with_reply(search(1, xml_page(['ApplA1', 'ApplA2'], 2)), content_type='application/xml;charset=UTF-8'),
        with_reply(search(1, xml_page(['ApplB1'], 1)), content_type='application/xml'),
    ])
    devices = adapter.list_devices()
    assert ids(devices) == ['ApplA1', 'ApplA2']
    first = devices[0]
    assert first['mdm_name'] == 'Jane & co'
    assert first['mdm_platform'] == 'ios'
    assert first['mdm_imei'] == '351623070066166'
    assert first['mdm_udid'] is None
    assert first['mdm_ownership'] == 'employee'
    assert first['mdm_last_seen'] == '2019-04-23T16:11:23Z'
    # One device in XML is one <device> element: it must still be a list of one.
    assert ids(adapter.list_devices()) == ['ApplB1']
    session.assert_done()


def test_xml_authentication_failure():
    reply = ('<authResponse><errorCode>1004</errorCode><errorDesc>Invalid app access key</errorDesc></authResponse>')
    adapter, session, _sleeps = build(OPTIONS, [auth(reply=reply, content_type='application/xml')])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    assert 'Invalid app access key' in str(err.value) and '1004' in str(err.value)
    session.assert_done()


def test_xml_needs_xmltodict(monkeypatch):
    monkeypatch.setattr(maas360, 'HAS_XMLTODICT', False)
    adapter, _session, _sleeps = build(OPTIONS, [auth(reply=XML_AUTH, content_type='application/xml')])
    with pytest.raises(MdmError) as err:
        adapter.list_devices()
    assert 'xmltodict' in str(err.value)


def test_wrong_credentials_name_the_vendor_and_hide_the_secrets():
    reply = {'authResponse': {'errorCode': 1001, 'errorDesc': 'Invalid username or password (%s)' % PASSWORD}}
    adapter, session, sleeps = build(OPTIONS, [auth(reply=reply)])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    text = str(err.value)
    assert 'IBM MaaS360' in text and 'Invalid username or password' in text and '1001' in text and 'api_so' in text
    assert PASSWORD not in text and ACCESS_KEY not in text
    assert err.value.to_dict()['error_type'] == 'authentication_failed'
    assert sleeps == [] and len(session.calls) == 1


def test_no_token_in_a_successful_reply_is_an_authentication_error():
    adapter, _session, _sleeps = build(OPTIONS, [auth(reply={'authResponse': {'errorCode': 0}})])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    assert 'no authToken' in str(err.value)


def test_a_401_renews_the_token_once():
    expired = with_reply(search(2, {'errorCode': 401, 'errorDesc': 'Unauthorized'}, page_size=25), status=401)
    adapter, session, sleeps = build(OPTIONS, [
        auth(),
        search(1, page(range(0, 25), 40, 1, 25), page_size=25),
        expired,
        auth(TOKEN2),
        search(2, page(range(25, 40), 40, 2, 25), page_size=25, token=TOKEN2),
    ])
    assert len(adapter.list_devices(page_size=25, concurrency=1)) == 40
    assert sleeps == []
    session.assert_done()


def test_a_second_401_is_an_authentication_error():
    unauthorized = dict(status=401, reply={'errorCode': 401, 'errorDesc': 'Unauthorized'})
    adapter, session, _sleeps = build(OPTIONS, [
        auth(),
        Expect('GET', SEARCH_PATH, headers={'Authorization': 'MaaS token="%s"' % TOKEN}, **unauthorized),
        auth(TOKEN2),
        Expect('GET', SEARCH_PATH, headers={'Authorization': 'MaaS token="%s"' % TOKEN2}, **unauthorized),
    ])
    with pytest.raises(AuthenticationError) as err:
        adapter.list_devices()
    assert err.value.status == 401
    assert TOKEN2 not in str(err.value)
    session.assert_done()
    assert len(session.calls) == 4


def test_token_lives_sixty_minutes_and_is_renewed_before_it_expires():
    adapter, session, _sleeps = build(OPTIONS, [auth(), search(1, page([1], 1)), auth(TOKEN2), search(1, page([2], 1), token=TOKEN2)])
    before = time.time()
    adapter.list_devices()
    # The base renews 300 s before the 3600 s the getting-started guide gives a token.
    assert before + 3290 <= adapter._auth_expires_at <= time.time() + 3300
    adapter._auth_expires_at = time.time() - 1
    adapter.list_devices()
    session.assert_done()


def test_login_is_retried_after_a_503():
    adapter, session, sleeps = build(OPTIONS, [auth(status=503, reply='Service Unavailable'), auth(), search(1, page([1], 1))])
    assert len(adapter.list_devices()) == 1
    assert sleeps == [0.5 * 0.75]
    session.assert_done()


def test_503_on_a_read_is_retried():
    adapter, session, sleeps = build(OPTIONS, [auth(), with_reply(search(1, 'Service Unavailable'), status=503), search(1, page([1, 2], 2))])
    assert len(adapter.list_devices()) == 2
    assert sleeps == [0.5 * 0.75]
    session.assert_done()


def test_429_honours_retry_after():
    limited = with_reply(search(2, {'errorCode': 429, 'errorDesc': 'Too many requests'}, page_size=25), status=429,
                         reply_headers={'Retry-After': '7'})
    adapter, session, sleeps = build(OPTIONS, [
        auth(),
        search(1, page(range(0, 25), 30, 1, 25), page_size=25),
        limited,
        search(2, page(range(25, 30), 30, 2, 25), page_size=25),
    ])
    assert len(adapter.list_devices(page_size=25, concurrency=1)) == 30
    assert sleeps == [7.0]
    session.assert_done()


@pytest.mark.parametrize('page_size', [0, 10, 30, 251, 500, '50', True])
def test_page_size_must_be_one_maas360_accepts(page_size):
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(page_size=page_size)
    assert err.value.option == 'page_size'
    assert err.value.allowed == [25, 50, 100, 200, 250]
    assert '25, 50, 100, 200, 250' in str(err.value)
    assert session.calls == []


def test_unknown_vendor_filter_is_refused_before_any_request():
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'serialNumber': 'C02X'})
    assert err.value.option == 'vendor_filters'
    assert 'serialNumber' in str(err.value)
    assert 'partialDeviceName' in err.value.allowed and 'lastReportedAfterInEpochms' in err.value.allowed
    assert session.calls == []


@pytest.mark.parametrize('filters, option', [
    ({'deviceStatus': 'Retired'}, 'vendor_filters.deviceStatus'),
    ({'plcCompliance': 'IN'}, 'vendor_filters.plcCompliance'),
    ({'match': 2}, 'vendor_filters.match'),
    ({'sortOrder': 'desc'}, 'vendor_filters.sortOrder'),
    ({'lastReportedAfterInEpochms': 'yesterday'}, 'vendor_filters.lastReportedAfterInEpochms'),
    ({'partialDeviceName': '  '}, 'vendor_filters.partialDeviceName'),
])
def test_invalid_vendor_filter_values_are_refused(filters, option):
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters=filters)
    assert err.value.option == option
    assert session.calls == []


def test_vendor_filters_are_sent_on_every_page():
    filters = {'deviceStatus': 'Inactive', 'match': '1', 'partialUsername': 'jane', 'sortAttribute': 'lastReported', 'sortOrder': 'dsc',
               'lastReportedAfterInEpochms': '1556035883843'}
    adapter, session, _sleeps = build(OPTIONS, [
        auth(),
        search(1, page(range(0, 25), 27, 1, 25), page_size=25, **filters),
        search(2, page([25, 26], 27, 2, 25), page_size=25, **filters),
    ])
    vendor_filters = dict(filters, match=1, lastReportedAfterInEpochms=1556035883843)
    assert len(adapter.list_devices(vendor_filters=vendor_filters, page_size=25, concurrency=1)) == 27
    session.assert_done()


def test_filter_rejected_by_the_server_names_vendor_filters():
    rejected = with_reply(search(1, {'errorCode': 400, 'errorDesc': 'Invalid platformName'}, platformName='Palm'), status=400)
    adapter, _session, _sleeps = build(OPTIONS, [auth(), rejected])
    with pytest.raises(InvalidInputError) as err:
        adapter.list_devices(vendor_filters={'platformName': 'Palm'})
    assert err.value.option == 'vendor_filters' and 'Invalid platformName' in str(err.value)


def test_exact_platforms_are_pushed_to_the_server():
    adapter, session, _sleeps = build(OPTIONS, [
        auth(),
        search(1, {'devices': {'count': 2, 'device': [record(1, platformName='iOS'), record(2, platformName='Android')]}}, platformName='iOS'),
        search(1, page([3], 1), platformName='Mac'),
        search(1, page([4], 1)),
        search(1, page([5], 1)),
        search(1, page([6], 1), platformName='Android'),
    ])
    # The server's answer is checked again: the Android record is dropped.
    assert ids(adapter.list_devices(filters={'platform': 'ios'})) == ['Androidc00000001']
    adapter.list_devices(filters={'platform': 'macos'})
    # "Windows" would miss Windows Mobile devices, and two platforms need an OR: nothing is pushed.
    adapter.list_devices(filters={'platform': 'windows'})
    adapter.list_devices(filters={'platform': ['ios', 'android']})
    # The user's own platformName wins.
    adapter.list_devices(filters={'platform': 'android'}, vendor_filters={'platformName': 'Android'})
    session.assert_done()


def test_get_device_searches_the_exact_id():
    found = {'devices': {'count': 1, 'pageNumber': 1, 'pageSize': 25, 'device': record(5)}}
    none = {'devices': {'count': 0, 'pageNumber': 1, 'pageSize': 25}}
    adapter, session, _sleeps = build(OPTIONS, [
        auth(),
        search(1, found, page_size=25, maas360DeviceId='Androidc00000005', match='1'),
        search(1, none, page_size=25, maas360DeviceId='Androidc00000404', match='1'),
    ])
    assert adapter.get_device('Androidc00000005')['mdm_device_id'] == 'Androidc00000005'
    assert adapter.get_device('Androidc00000404') is None
    session.assert_done()


def test_get_device_ignores_a_record_with_another_id():
    other = {'devices': {'count': 1, 'device': record(6)}}
    adapter, _session, _sleeps = build(OPTIONS, [auth(), search(1, other, page_size=25, maas360DeviceId='Androidc00000005', match='1')])
    assert adapter.get_device('Androidc00000005') is None


def test_html_reply_is_a_bad_response():
    adapter, _session, _sleeps = build(OPTIONS, [auth(), with_reply(search(1, '<html><body>Gateway</body></html>'), content_type='text/html')])
    with pytest.raises(BadResponseError) as err:
        adapter.list_devices()
    assert 'HTML' in str(err.value)


def test_reply_without_devices_is_a_bad_response():
    adapter, _session, _sleeps = build(OPTIONS, [auth(), search(1, {'authResponse': {}})])
    with pytest.raises(BadResponseError):
        adapter.list_devices()


# A record with the field names of IBM's fn_maas360 sample search output, plus platformSerialNumber and modelId
# (Milhound/maas360api, MaaS360PS).
FULL_RECORD = {
    'appComplianceState': 'In Compliance', 'customAssetNumber': '', 'deviceName': 'dummy_device@gmail.com-STV100-1',
    'deviceOwner': '', 'deviceStatus': 'Active', 'deviceType': 'Smartphone', 'emailAddress': 'dummy_device@gmail.com',
    'encryptionStatus': 'Encryption Complete', 'firstRegisteredInEpochms': 1549629133338, 'imeiEsn': 351623070066166,
    'installedDate': '2019-02-08T12:32:13', 'installedDateInEpochms': 1549629133338, 'isSupervisedDevice': False,
    'jailbreakStatus': 'No', 'lastReported': '2019-04-23T16:11:23', 'lastReportedInEpochms': 1556035883843,
    'maas360DeviceID': 'Androiddeviceid', 'maas360ManagedStatus': 'Enrolled', 'manufacturer': 'blackberry', 'model': 'STV100-1',
    'modelId': 'STV100-1', 'osName': 'Android 6.0.1 (MMB29M)', 'osServicePack': '', 'osVersion': '6.0.1', 'ownership': 'Corporate Owned',
    'passcodeCompliance': 'Compliant', 'phoneNumber': '', 'platformName': 'Android', 'platformSerialNumber': 'RFAK2213XYZ',
    'policyComplianceState': 'In Compliance', 'ruleComplianceState': '', 'selectiveWipeStatus': 'N/a', 'sourceID': 1,
    'testDevice': False, 'udid': 'Androiddeviceid', 'userDomain': 'gmail.com', 'username': 'dummy_device@gmail.com',
    'wifiMacAddress': 'a4:e4:b8:73:a1:93',
}


def test_normalise_every_field():
    adapter, _session, _sleeps = build(OPTIONS, [])
    device = adapter.normalise(FULL_RECORD, include_raw=True)
    assert device == {
        'mdm_vendor': 'maas360',
        'mdm_device_id': 'Androiddeviceid',
        'mdm_name': 'dummy_device@gmail.com-STV100-1',
        'mdm_platform': 'android',
        'mdm_os_version': '6.0.1',
        'mdm_model': 'STV100-1',
        'mdm_manufacturer': 'blackberry',
        'mdm_serial': 'RFAK2213XYZ',
        'mdm_imei': '351623070066166',
        'mdm_udid': 'Androiddeviceid',
        'mdm_user': 'dummy_device@gmail.com',
        'mdm_user_email': 'dummy_device@gmail.com',
        'mdm_ownership': 'company',
        'mdm_status': 'active',
        'mdm_compliant': True,
        'mdm_last_seen': '2019-04-23T16:11:23Z',
        'mdm_labels': [],
        'mdm_raw': FULL_RECORD,
    }
    assert 'mdm_raw' not in adapter.normalise(FULL_RECORD)


def test_normalise_falls_back_to_other_fields():
    adapter, _session, _sleeps = build(OPTIONS, [])
    raw = {'maas360DeviceID': 'ApplX', 'osName': 'iOS 17.4', 'model': '', 'modelId': 'iPhone15,2', 'lastReported': '2024-03-01T08:00:00',
           'lastReportedInEpochms': ''}
    device = adapter.normalise(raw)
    assert device['mdm_platform'] == 'ios'
    assert device['mdm_model'] == 'iPhone15,2'
    assert device['mdm_last_seen'] == '2024-03-01T08:00:00Z'
    assert device['mdm_ownership'] == 'unknown' and device['mdm_status'] == 'other' and device['mdm_compliant'] is None


@pytest.mark.parametrize('managed, device_status, status', [
    ('Enrolled', 'Active', 'active'),
    ('Activated', 'Active', 'active'),
    ('Not Enrolled', 'Active', 'pending'),
    ('Control Removed', 'Inactive', 'retired'),
    ('User Removed Control', 'Active', 'retired'),
    ('Pending Control Removal', 'Active', 'retired'),
    ('Selective Wipe', 'Active', 'retired'),
    ('Device Wiped', 'Inactive', 'wiped'),
    ('Wipe Pending', 'Active', 'wiped'),
    ('Inactive', 'Inactive', 'other'),
    ('', 'Active', 'active'),
    ('', 'Inactive', 'other'),
    ('Something New', 'Active', 'other'),
])
def test_status(managed, device_status, status):
    adapter, _session, _sleeps = build(OPTIONS, [])
    raw = record(1, maas360ManagedStatus=managed, deviceStatus=device_status)
    assert adapter.normalise(raw)['mdm_status'] == status


@pytest.mark.parametrize('value, ownership', [
    ('Corporate Owned', 'company'), ('Corporate Shared', 'company'), ('Employee Owned', 'employee'), ('Not Defined', 'unknown'),
    ('', 'unknown'), (None, 'unknown'),
])
def test_ownership(value, ownership):
    adapter, _session, _sleeps = build(OPTIONS, [])
    assert adapter.normalise(record(1, ownership=value))['mdm_ownership'] == ownership


@pytest.mark.parametrize('policy, rule, compliant', [
    ('In Compliance', 'In Compliance', True),
    ('In Compliance', '', True),
    ('Out of Compliance', 'In Compliance', False),
    ('In Compliance', 'Out of Compliance', False),
    ('OOC', '', False),
    ('Not Compliant', None, False),
    ('', '', None),
    (None, None, None),
])
def test_compliance(policy, rule, compliant):
    adapter, _session, _sleeps = build(OPTIONS, [])
    raw = record(1, policyComplianceState=policy, ruleComplianceState=rule)
    assert adapter.normalise(raw)['mdm_compliant'] is compliant


def test_json_auth_reply_without_the_envelope_is_accepted():
    adapter, session, _sleeps = build(OPTIONS, [auth(reply={'authToken': TOKEN, 'errorCode': '0'}), search(1, page([1], 1))])
    assert len(adapter.list_devices()) == 1
    session.assert_done()


GROUPS_PATH = '/group-apis/group/1.0/groups/customer/' + BILLING
BY_GROUP_PATH = '/device-apis/devices/2.0/searchByDeviceGroup/customer/' + BILLING


def test_labels_are_device_groups_and_their_devices():
    groups = {'groups': {'group': [{'groupID': '31000', 'groupName': 'Sales', 'groupType': 2},
                                   {'groupID': '9', 'groupName': 'All Users', 'groupType': 0},
                                   {'groupID': '31001', 'groupName': 'Kiosk', 'groupType': 2}]}}
    headers = {'Authorization': 'MaaS token="%s"' % TOKEN, 'Accept': 'application/json'}
    adapter, session, sleeps = build(OPTIONS, [
        auth(),
        search(1, page([1, 2], 2)),
        Expect('GET', GROUPS_PATH, query={}, headers=headers, body=None, reply=groups),
        # The user group is not a device group: not searched.  One device in a group comes as an object.
        Expect('GET', BY_GROUP_PATH, query={'deviceGroupId': '31000', 'pageSize': '250', 'pageNumber': '1'}, headers=headers,
               body=None, reply=page([1, 2], 2)),
        Expect('GET', BY_GROUP_PATH, query={'deviceGroupId': '31001', 'pageSize': '250', 'pageNumber': '1'}, headers=headers,
               body=None, reply=page([2], 1)),
    ])
    devices = adapter.list_devices(concurrency=1, labels=True)
    assert [d['mdm_labels'] for d in devices] == [['Sales'], ['Kiosk', 'Sales']]
    session.assert_done()
