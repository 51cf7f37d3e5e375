# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command and login replies read by their documented success markers, in the forms real servers write them.

Sources of the reply shapes (our own fixtures, written after these):
- MobileIron Core: the reference's "Wake up a device" sample (actionType WAKEUP_DEVICE) and the recorded reply in the
  Cortex XSOAR MobileIronUEM pack (MobileIronCORE/test_data/action_response.json), which spells it WAKE_UP;
- MobileIron Cloud: NOTES.md ({"errors": null, "result": 1} is success) and the XSOAR MobileIronCLOUD tests, which
  answer {"errors": null, "result": 0} for an action that was not carried out;
- IBM MaaS360: NOTES.md (authResponse errorCode / errorDesc) and IBM support's note that a login with another
  administrator's credentials answers HTTP 500 "Please provide the username used during login.".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import UNKNOWN_ADVICE
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import AuthenticationError, ServerError

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

OK = 'com.mobileiron.vsp.messages.device.action.successful'
PASSWORD = 'Corr3ct-Horse!'
UUID1 = '9b0da853-9f9b-483c-97ef-f4b5457299cf'
UUID2 = '0a1b2c3d-0000-4000-8000-000000000002'


# -- MobileIron Core ---------------------------------------------------------------------------------------------
CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password=PASSWORD)
CORE_HEADERS = {'Authorization': 'Basic ' + base64.b64encode(('apiadmin:' + PASSWORD).encode()).decode()}


def core_wakeup(uuids, answer, **kwargs):
    adapter, session, _sleeps = build(CORE, [Expect('PUT', '/api/v2/devices/wakeup', query={'adminDeviceSpaceId': '1'},
                                                    headers=CORE_HEADERS, json={'deviceUuids': uuids}, reply=answer,
                                                    **kwargs)])
    results = adapter.capabilities['actions'].send_action(adapter.capabilities['actions'].action_catalogue()['wakeup'], {}, uuids)
    session.assert_done()
    return [(r['outcome'], r['message']) for r in results]


def test_core_recorded_wake_up_reply_is_sent_whatever_the_action_type_spelling():
    # The recorded reply, as a production Core wrote it: WAKE_UP, where the reference's sample says WAKEUP_DEVICE.
    recorded = {'actionType': 'WAKE_UP', 'deviceResults': {UUID1: OK}, 'successful': True}
    assert core_wakeup([UUID1], recorded) == [('sent', None)]


@pytest.mark.parametrize('answer, outcomes', [
    # deviceResults decide per device, whatever successful says of the whole call.
    ({'actionType': 'WAKE_UP', 'deviceResults': {UUID1: OK, UUID2: 'Device not found'}, 'successful': False},
     ['sent', 'failed']),
    # UUIDs compared without regard to case; a success value in another case still ends in "successful".
    ({'actionType': 'WAKEUP_DEVICE', 'deviceResults': {UUID1.upper(): OK.upper()}, 'successful': True}, ['sent', 'sent']),
    # No deviceResults entry: successful decides, as JSON boolean or as text.
    ({'actionType': 'WAKEUP', 'successful': 'true'}, ['sent', 'sent']),
    ({'actionType': 'WAKEUP', 'successful': False}, ['failed', 'failed']),
    ({'successful': 'false', 'deviceResults': {}}, ['failed', 'failed']),
    # Neither marker: the server took it and may have acted.
    ({'actionType': 'WAKE_UP'}, ['unknown', 'unknown']),
    ([], ['unknown', 'unknown']),
])
def test_core_outcomes_come_from_device_results_and_successful_only(answer, outcomes):
    results = core_wakeup([UUID1, UUID2], answer)
    assert [outcome for outcome, _message in results] == outcomes
    for outcome, message in results:
        if outcome == 'unknown':
            assert UNKNOWN_ADVICE in message
        if outcome == 'failed':
            assert 'MobileIron Core' in message


# -- MobileIron Cloud ---------------------------------------------------------------------------------------------
CLOUD = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='admin@example.com', password=PASSWORD)
CLOUD_HEADERS = {'Authorization': 'Basic ' + base64.b64encode(('admin@example.com:' + PASSWORD).encode()).decode()}


@pytest.mark.parametrize('answer, outcome, words', [
    ({'errors': None, 'result': 1}, 'sent', None),
    ({'errors': None, 'result': '1'}, 'sent', None),
    # result 0: not carried out - a failure, never an unknown (nothing to check on the server).
    ({'errors': None, 'result': 0}, 'failed', 'result 0'),
    ({'errors': None, 'result': '0'}, 'failed', 'result 0'),
    # Undocumented values stay unknown.
    ({'errors': None, 'result': 2}, 'unknown', UNKNOWN_ADVICE),
    ({'errors': None, 'result': True}, 'unknown', UNKNOWN_ADVICE),
    ({'errors': None}, 'unknown', UNKNOWN_ADVICE),
])
def test_cloud_result_one_is_done_and_zero_is_a_failure(answer, outcome, words):
    adapter, session, _sleeps = build(CLOUD, [Expect('PUT', '/api/v1/device/lock', headers=CLOUD_HEADERS,
                                                     form={'ids': '1,2'}, reply=answer)])
    results = adapter.capabilities['actions'].send_action(adapter.capabilities['actions'].action_catalogue()['lock'], {}, ['1', '2'])
    session.assert_done()
    assert [r['outcome'] for r in results] == [outcome, outcome]
    if words:
        assert words in results[0]['message']


# -- IBM MaaS360 ---------------------------------------------------------------------------------------------------
BILLING = '30012345'
ACCESS_KEY = 'AccessKey-9f8e7d6c'
MAAS = dict(vendor='maas360', url='https://services.m3.maas360.example', billing_id=BILLING, username='api_so',
            password=PASSWORD, app_id='com.example.fleetops', app_version='1.0', platform_id='3', app_access_key=ACCESS_KEY)
AUTH_PATH = '/auth-apis/auth/1.0/authenticate/' + BILLING
HINT = 'Check username, password, app_id, app_version, platform_id and app_access_key'


@pytest.mark.parametrize('status, reply, content_type, words', [
    # HTTP 200 with a non-zero errorCode (NOTES.md), in JSON and in XML.
    (200, {'authResponse': {'errorCode': 1001, 'errorDesc': 'Invalid username or password'}}, None, 'errorCode 1001'),
    (200, '<authResponse><errorCode>1004</errorCode><errorDesc>Invalid app access key</errorDesc></authResponse>',
     'application/xml', 'errorCode 1004'),
    # HTTP 500 asking for the user name (IBM support), as plain text and inside a JSON error envelope.
    (500, 'Please provide the username used during login.', 'text/plain', 'Please provide the username'),
    (500, {'errorCode': 500, 'errorDesc': 'Please provide the username used during login.'}, None,
     'Please provide the username'),
    # HTTP 401.
    (401, {'errorCode': 401, 'errorDesc': 'Unauthorized'}, None, 'Unauthorized'),
])
def test_every_form_of_a_refused_maas360_login_is_an_authentication_failure_sent_once(status, reply, content_type, words):
    adapter, session, sleeps = build(MAAS, [Expect('POST', AUTH_PATH, reply=reply, status=status, content_type=content_type)])
    with pytest.raises(AuthenticationError) as caught:
        adapter.list_devices()
    text = str(caught.value)
    assert words in text and HINT in text and "'api_so'" in text, text
    assert caught.value.to_dict()['error_type'] == 'authentication_failed' and caught.value.status == status
    assert PASSWORD not in text and ACCESS_KEY not in text
    # One login request, no retry, no wait.
    session.assert_done()
    assert len(session.calls) == 1 and sleeps == []


def test_any_other_maas360_login_500_stays_a_server_fault():
    adapter, session, _sleeps = build(MAAS, [Expect('POST', AUTH_PATH, reply={'errorDesc': 'NullPointerException'},
                                                    status=500)])
    with pytest.raises(ServerError) as caught:
        adapter.list_devices()
    assert 'NullPointerException' in str(caught.value) and not isinstance(caught.value, AuthenticationError)
    session.assert_done()
