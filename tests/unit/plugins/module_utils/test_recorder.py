# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The opt-in recorder (MDM_RECORD_DIR): what it keeps, what it removes, what it pseudonymises."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import stat

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.recorder import (
    KEY_FILE,
    REDACTED,
    Recorder,
    recorder_from_env,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import Response

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

BASE = 'https://core.example.com'
PASSWORD = 'Corr3ct-Horse!'
EMAIL = 'jane.doe@example.com'
SERIAL = 'F17KLK9FF4K0'
IMEI = '356648087548604'


def reply(body, status=200, content_type='application/json'):
    content = body if isinstance(body, bytes) else json.dumps(body).encode('utf-8')
    return Response(status, {'Content-Type': content_type, 'Set-Cookie': 'JSESSIONID=abc123'}, content)


def exchange(recorder, body, method='GET', path='/api/v2/devices', params=None, headers=None, data=None, json_body=None):
    return recorder.exchange(method, BASE + path, params, headers, data, json_body, 'list devices', 0, body)


def test_secrets_are_removed_from_headers_queries_forms_json_and_xml(tmp_path):
    recorder = Recorder(str(tmp_path), 'maas360', 'https://services.m3.maas360.example')
    recorder.note_options({'vendor': 'maas360', 'password': PASSWORD, 'billing_id': '30012345', 'username': 'api_so'})
    xml = ('<authRequest><maaS360AdminAuth><billingID>30012345</billingID><platformID>3</platformID><appID>com.x</appID>'
           '<appVersion>1.0</appVersion><appAccessKey>AccessKey-9f8e</appAccessKey><userName>api_so</userName>'
           '<password>%s</password></maaS360AdminAuth></authRequest>' % PASSWORD)
    entry = recorder.exchange('POST', 'https://services.m3.maas360.example/auth-apis/auth/1.0/authenticate/30012345',
                              {'refresh_token': 'r-123', 'skip-token': 'page-2'},
                              {'Authorization': 'MaaS token="t-1"', 'Content-Type': 'application/xml'},
                              xml.encode('utf-8'), None, 'log in', 0,
                              reply({'authResponse': {'authToken': 'tok-5ecret', 'errorCode': 0, 'tokenType': 'MaaS'}}))
    text = json.dumps(entry)
    for secret in (PASSWORD, 'AccessKey-9f8e', 'tok-5ecret', 'r-123', 't-1', 'JSESSIONID', '30012345', 'api_so'):
        assert secret not in text, secret
    assert entry['request']['headers'] == {'Content-Type': 'application/xml'}
    assert entry['response']['headers'] == {'Content-Type': 'application/json'}
    assert entry['response']['json']['authResponse'] == {'authToken': REDACTED, 'errorCode': 0, 'tokenType': 'MaaS'}
    # Every authRequest field goes; a paging cursor named like a token stays.
    assert entry['request']['text'].count(REDACTED) == 7
    assert ['skip-token', 'page-2'] in entry['request']['query'] and ['refresh_token', REDACTED] in entry['request']['query']
    # The billing id in the path is the account's pseudonym.
    assert entry['request']['path'].startswith('/auth-apis/auth/1.0/authenticate/') and entry['request']['path'][-8:].isdigit()


def test_personal_values_get_stable_pseudonyms_of_the_same_shape(tmp_path):
    recorder = Recorder(str(tmp_path), 'mobileiron_core', BASE)
    record = {'common.uuid': 'a2556e62-2ed0-4d42-98fd-a342eaf3e4e6', 'common.SerialNumber': SERIAL, 'common.imei': IMEI,
              'user.email_address': EMAIL, 'user.display_name': 'Jane Doe', 'user.user_id': 'jdoe',
              'common.current_phone_number': '+1 555 0100 123', 'ios.iPhone UDID': '00008030-001A2B3C4D5E6F70',
              'common.owner': 'EMPLOYEE', 'common.platform': 'iOS', 'common.status': 'ACTIVE', 'user.first_name': '*****'}
    entry = exchange(recorder, reply({'results': [record, dict(record, **{'common.uuid': 'b'})], 'totalCount': 2}),
                     params={'query': '"user.email_address"="%s" AND "common.platform"="iOS"' % EMAIL})
    first, second = entry['response']['json']['results']
    assert first == dict(second, **{'common.uuid': first['common.uuid']})
    # Not personal: kept.
    for field in ('common.uuid', 'common.owner', 'common.platform', 'common.status'):
        assert first[field] == record[field]
    # A mask is no value: kept as the mask.
    assert first['user.first_name'] == '*****'
    for field in ('common.SerialNumber', 'common.imei', 'user.email_address', 'user.display_name', 'user.user_id',
                  'common.current_phone_number', 'ios.iPhone UDID'):
        pseudonym, original = first[field], record[field]
        assert pseudonym != original and len(pseudonym) == len(original), field
        assert [c.isdigit() for c in pseudonym] == [c.isdigit() for c in original], field
        assert [c for c in pseudonym if not c.isalnum()] == [c for c in original if not c.isalnum()], field
    # The same e-mail in the query of the request gets the same pseudonym; the rest of the query stays.
    query = dict(entry['request']['query'])['query']
    assert query == '"user.email_address"="%s" AND "common.platform"="iOS"' % first['user.email_address']
    # Another recorder of the same recording (another task's process): the same pseudonyms.
    again = exchange(Recorder(str(tmp_path), 'maas360', 'https://m3.example'),
                     reply({'devices': {'device': {'emailAddress': EMAIL, 'imeiEsn': int(IMEI), 'platformSerialNumber': SERIAL,
                                                   'maas360DeviceID': 'Appl' + SERIAL}}}))
    device = again['response']['json']['devices']['device']
    assert device['emailAddress'] == first['user.email_address']
    assert device['imeiEsn'] == int(first['common.imei']) and device['platformSerialNumber'] == first['common.SerialNumber']
    # A MaaS360 device id embeds the serial: pseudonymised, keeping its platform prefix.
    assert device['maas360DeviceID'].startswith('Appl') and SERIAL not in device['maas360DeviceID']
    # Another recording (another key): other pseudonyms; without the key they cannot be derived.
    other = exchange(Recorder(str(tmp_path / 'other'), 'mobileiron_core', BASE), reply({'results': [record]}))
    assert other['response']['json']['results'][0]['user.email_address'] != first['user.email_address']


def test_numeric_user_ids_of_the_server_and_flags_stay(tmp_path):
    recorder = Recorder(str(tmp_path), 'manageengine', 'https://mdm.example.com')
    record = {'device_id': 1500000000101, 'user': {'user_id': 9007199254000001, 'user_name': 'jdoe', 'user_email': EMAIL},
              'imei': int(IMEI), 'passwordNeverExpire': False, 'registrationPin': {'pin': '4711'}, 'unlock_pin': None}
    body = exchange(recorder, reply({'devices': [record]}))['response']['json']['devices'][0]
    assert body['device_id'] == 1500000000101 and body['user']['user_id'] == 9007199254000001
    assert body['user']['user_name'] != 'jdoe' and body['user']['user_email'] != EMAIL
    assert isinstance(body['imei'], int) and len(str(body['imei'])) == len(IMEI) and body['imei'] != int(IMEI)
    assert body['passwordNeverExpire'] is False and body['unlock_pin'] is None and body['registrationPin'] == REDACTED


def test_files_key_and_directory_are_private_and_a_failure_never_breaks_the_run(tmp_path):
    directory = tmp_path / 'rec'
    recorder = recorder_from_env('mobileiron_cloud', BASE, environ={'MDM_RECORD_DIR': str(directory)})
    recorder.note_options({'vendor': 'mobileiron_cloud', 'username': 'admin@example.com', 'password': PASSWORD})
    recorder.record('PUT', BASE + '/api/v1/device/lock', None, {}, {'ids': '1'}, None, 'lock 1 device(s)', 0,
                    reply({'errors': None, 'result': 1}), secrets=())
    recorder.record('GET', BASE + '/x', None, {}, None, None, 'broken', 0, object(), secrets=())  # not a reply: skipped
    (path,) = glob.glob(str(directory / '*.jsonl'))
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(directory / KEY_FILE)).st_mode) == 0o600
    with open(path, encoding='utf-8') as handle:
        lines = [json.loads(line) for line in handle]
    assert [line.get('operation') for line in lines] == [None, 'lock 1 device(s)']
    assert lines[0]['vendor'] == 'mobileiron_cloud' and lines[0]['options']['username'] != 'admin@example.com'
    assert 'password' not in lines[0]['options'] and PASSWORD not in json.dumps(lines)
    assert recorder_from_env('maas360', BASE, environ={}) is None


def test_the_transport_records_every_attempt_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv('MDM_RECORD_DIR', str(tmp_path))
    options = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='admin@example.com',
                   password=PASSWORD, partition_id='23000')
    adapter, session, sleeps = build(options, [
        Expect('GET', '/api/v1/device', status=503, reply={'error': 'busy'}),
        Expect('GET', '/api/v1/device', reply={'errors': None, 'result': {'searchResults': [
            {'id': 7, 'deviceName': "Jane's iPhone", 'emailAddress': EMAIL, 'platformType': 'IOS'}], 'totalCount': 1}}),
    ])
    assert len(adapter.list_devices()) == 1
    session.assert_done()
    (path,) = glob.glob(str(tmp_path / '*.jsonl'))
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(line['response']['status'], line['attempt']) for line in lines[1:]] == [(503, 0), (200, 1)]
    assert EMAIL not in text and "Jane's" not in text and PASSWORD not in text and 'Authorization' not in text
    assert lines[0]['options']['partition_id'] == '23000'


def test_an_unusable_recording_directory_fails_before_any_request(tmp_path, monkeypatch):
    blocker = tmp_path / 'file'
    blocker.write_text('not a directory')
    monkeypatch.setenv('MDM_RECORD_DIR', str(blocker / 'rec'))
    with pytest.raises(MdmError) as caught:
        build(dict(vendor='mobileiron_core', url=BASE, username='u', password=PASSWORD), [])
    assert 'MDM_RECORD_DIR' in str(caught.value)


def test_one_value_written_two_ways_gets_one_pseudonym_written_the_same_two_ways(tmp_path):
    recorder = Recorder(str(tmp_path), 'mobileiron_cloud', BASE)
    records = [{'imei': '35 664808 754860 4', 'wifiMacAddress': 'AA:BB:CC:00:11:22', 'serialNumber': SERIAL},
               {'imei': IMEI, 'wifiMacAddress': 'aa-bb-cc-00-11-22', 'serialNumber': SERIAL.lower()}]
    spaced, plain = exchange(recorder, reply({'result': {'searchResults': records}}))['response']['json']['result']['searchResults']
    assert spaced['imei'].replace(' ', '') == plain['imei'] != IMEI and spaced['imei'][2] == ' '
    assert spaced['wifiMacAddress'].replace(':', '-').lower() == plain['wifiMacAddress']
    assert spaced['serialNumber'].lower() == plain['serialNumber'] and spaced['serialNumber'].isupper() is SERIAL.isupper()
