# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM MaaS360 device commands against a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import NEUTRAL_ACTIONS, UNKNOWN_ADVICE, default_precheck
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import AuthenticationError, InvalidInputError

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_maas360 import (
    BILLING,
    OPTIONS,
    TOKEN,
    TOKEN2,
    auth,
    with_reply,
)

ANDROID = 'Androidc60775214'
APPLE = 'ApplD8DTH6RCIH86'
ACCEPTED = 'The action was executed successfully on the device.'


def action(verb, device_id, reply=None, form=None, token=TOKEN, **kwargs):
    expected = {'deviceId': device_id}
    expected.update(form or {})
    if reply is None:
        reply = {'actionResponse': {'maas360DeviceID': device_id, 'actionStatus': 0, 'description': ACCEPTED,
                                    'actionID': 128294549}}
    return Expect('POST', '/device-apis/devices/1.0/%s/%s' % (verb, BILLING), query={},
                  headers={'Authorization': 'MaaS token="%s"' % token, 'Accept': 'application/json',
                           'Content-Type': 'application/x-www-form-urlencoded'},
                  form=expected, reply=reply, **kwargs)


def status(action_id, word, description=None, envelope='actionStatusResponse', **kwargs):
    reply = {envelope: {'actionID': int(action_id), 'actionStatus': word, 'description': description or word}}
    return Expect('GET', '/device-apis/devices/1.0/checkActionStatus/' + BILLING, query={'actionID': str(action_id)},
                  headers={'Authorization': 'MaaS token="%s"' % TOKEN, 'Accept': 'application/json'},
                  reply=reply, **kwargs)


class FakeClock:
    """action_clock / action_sleep of the adapter: sleeping moves the clock, nothing waits."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def with_clock(adapter):
    clock = FakeClock()
    adapter.capabilities['actions'].action_clock = clock.clock
    adapter.capabilities['actions'].action_sleep = clock.sleep
    return clock


def spec_of(adapter, name):
    return adapter.capabilities['actions'].action_catalogue()[name]


# -- the catalogue --------------------------------------------------------------------------------------------
def test_catalogue_maps_every_documented_verb_once():
    adapter, _session, _sleeps = build(OPTIONS, [])
    catalogue = adapter.capabilities['actions'].action_catalogue()
    verbs = dict((spec.name, spec.vendor_name) for spec in catalogue.values())
    assert verbs == {
        'lock': 'lockDevice', 'wipe': 'wipeDevice', 'selective_wipe': 'selectiveWipeDevice',
        'revoke_selective_wipe': 'revokeSelectiveWipe', 'cancel_pending_wipe': 'cancelPendingWipe',
        'locate': 'locateDevice', 'send_message': 'sendMessage', 'reset_passcode': 'resetDevicePasscode',
        'wakeup': 'refreshDeviceInformation', 'hide': 'hideDevice', 'remove': 'removeDevice',
    }
    neutral = sorted(name for name, spec in catalogue.items() if spec.neutral)
    assert neutral == ['locate', 'lock', 'reset_passcode', 'selective_wipe', 'send_message', 'wakeup', 'wipe']
    assert all(name in NEUTRAL_ACTIONS for name in neutral)
    assert sorted(name for name, spec in catalogue.items() if spec.destructive) == ['remove', 'selective_wipe', 'wipe']
    # One device per request: there is no bulk form (NOTES.md).
    assert set(spec.batch for spec in catalogue.values()) == {1}
    assert catalogue['wipe'].done_statuses == frozenset(['wiped'])
    assert not catalogue['locate'].waitable and catalogue['lock'].waitable


def test_wipe_already_wiped_is_skipped_and_selective_wipe_of_a_retired_device_too():
    adapter, _session, _sleeps = build(OPTIONS, [])
    devices = {ANDROID: {'mdm_platform': 'android', 'mdm_status': 'wiped'},
               APPLE: {'mdm_platform': 'ios', 'mdm_status': 'active'}}
    verdicts = adapter.capabilities['actions'].precheck_action(spec_of(adapter, 'wipe'), devices)
    assert list(verdicts) == [ANDROID] and verdicts[ANDROID]['outcome'] == 'skipped'
    devices[APPLE]['mdm_status'] = 'retired'
    assert sorted(adapter.capabilities['actions'].precheck_action(spec_of(adapter, 'selective_wipe'), devices)) == [ANDROID, APPLE]
    assert default_precheck(spec_of(adapter, 'lock'), devices) == {}


# -- checks before any request --------------------------------------------------------------------------------
@pytest.mark.parametrize('bad', ['', '  ', 'd0c4f3a2-1b2c-4d5e-8f90-123456789abc', '1500000000101', 'Appl/../x', 'Appl D8',
                                 'abc', 'A' * 65])
def test_malformed_device_ids_are_refused_without_a_request(bad):
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as caught:
        adapter.capabilities['actions'].check_device_ids([APPLE, bad])
    assert caught.value.option == 'devices'
    assert session.calls == []


def test_device_ids_are_stripped():
    adapter, _session, _sleeps = build(OPTIONS, [])
    assert adapter.capabilities['actions'].check_device_ids([' %s ' % APPLE, ANDROID]) == [APPLE, ANDROID]


@pytest.mark.parametrize('name, params, option, words', [
    ('send_message', {'message': 'hello'}, 'params.subject', 'needs subject'),
    ('send_message', {'subject': 'hello'}, 'params.message', 'needs message'),
    ('send_message', {'subject': 's', 'message': 'm', 'message_type': 'sms'}, 'params', 'message, subject'),
    ('wipe', {'notifyMe': 'maybe'}, 'params.notifyMe', 'true, false'),
    ('wipe', {'notifyOthers': ['a@example.com', '']}, 'params.notifyOthers', 'non-empty'),
    ('lock', {'notifyMe': True}, 'params', 'no parameters'),
])
def test_bad_parameters_name_the_option(name, params, option, words):
    adapter, session, _sleeps = build(OPTIONS, [])
    with pytest.raises(InvalidInputError) as caught:
        adapter.capabilities['actions'].check_action(spec_of(adapter, name), params)
    assert caught.value.option == option
    assert words in str(caught.value)
    assert session.calls == []


# -- sending ---------------------------------------------------------------------------------------------------
def test_lock_sends_one_form_post_per_device_in_order():
    second = {'actionResponse': {'maas360DeviceID': APPLE, 'actionStatus': 0, 'description': ACCEPTED, 'actionID': 128294550}}
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('lockDevice', ANDROID), action('lockDevice', APPLE, reply=second)])
    results = adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [ANDROID, APPLE], concurrency=1)
    assert results == [
        {'device_id': ANDROID, 'outcome': 'sent', 'message': ACCEPTED, 'command_id': '128294549', 'data': None},
        {'device_id': APPLE, 'outcome': 'sent', 'message': ACCEPTED, 'command_id': '128294550', 'data': None},
    ]
    session.assert_done()


def test_many_devices_concurrently_keep_their_order():
    ids = ['Androidc%08d' % number for number in range(12)]
    script = [auth()]
    for device_id in ids:
        expect = action('resetDevicePasscode', device_id)
        # Unordered replay matches on path and query: the body is checked below, once every request is in.
        expect.form = None
        script.append(expect)
    adapter, session, _sleeps = build(OPTIONS, script, ordered=False)
    results = adapter.capabilities['actions'].send_action(spec_of(adapter, 'reset_passcode'), {}, ids, concurrency=4)
    assert [item['device_id'] for item in results] == ids
    assert all(item['outcome'] == 'sent' for item in results)
    posted = sorted(call['body'] for call in session.calls if call['method'] == 'POST' and 'resetDevicePasscode' in call['path'])
    assert posted == sorted('deviceId=' + device_id for device_id in ids)
    session.assert_done()


def test_wipe_sends_the_notify_fields_as_maas360_writes_them():
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('wipeDevice', APPLE, form={
        'notifyMe': 'Yes', 'notifyUser': 'No', 'notifyOthers': 'sec@example.com,it@example.com'})])
    spec = spec_of(adapter, 'wipe')
    params = adapter.capabilities['actions'].check_action(spec, {'notifyMe': 'yes', 'notifyUser': False,
                                                                 'notifyOthers': ['sec@example.com', 'it@example.com']})
    assert adapter.capabilities['actions'].send_action(spec, params, [APPLE])[0]['outcome'] == 'sent'
    session.assert_done()


def test_wipe_without_notify_options_sends_only_the_device():
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('wipeDevice', APPLE)])
    spec = spec_of(adapter, 'wipe')
    assert adapter.capabilities['actions'].send_action(spec, adapter.capabilities['actions'].check_action(spec, {}), [APPLE])[0]['outcome'] == 'sent'
    session.assert_done()


def test_send_message_maps_subject_to_message_title():
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('sendMessage', ANDROID, form={
        'messageTitle': 'Säkerhet & IT', 'message': 'Please call the help desk: +1 555 0100'})])
    spec = spec_of(adapter, 'send_message')
    params = adapter.capabilities['actions'].check_action(spec, {'subject': 'Säkerhet & IT', 'message': 'Please call the help desk: +1 555 0100'})
    assert adapter.capabilities['actions'].send_action(spec, params, [ANDROID])[0]['outcome'] == 'sent'
    session.assert_done()


@pytest.mark.parametrize('name, verb', [
    ('selective_wipe', 'selectiveWipeDevice'), ('revoke_selective_wipe', 'revokeSelectiveWipe'),
    ('cancel_pending_wipe', 'cancelPendingWipe'), ('wakeup', 'refreshDeviceInformation'), ('hide', 'hideDevice'),
    ('remove', 'removeDevice'),
])
def test_every_other_verb_posts_to_its_own_path(name, verb):
    adapter, session, _sleeps = build(OPTIONS, [auth(), action(verb, APPLE)])
    assert adapter.capabilities['actions'].send_action(spec_of(adapter, name), {}, [APPLE])[0]['outcome'] == 'sent'
    session.assert_done()


def test_a_refused_action_is_failed_with_the_vendor_description():
    refused = {'actionResponse': {'maas360DeviceID': APPLE, 'actionStatus': 1,
                                  'description': 'Action not supported for this device'}}
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('lockDevice', ANDROID), action('lockDevice', APPLE, reply=refused)])
    results = adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [ANDROID, APPLE], concurrency=1)
    assert [item['outcome'] for item in results] == ['sent', 'failed']
    assert results[1]['message'] == 'Action not supported for this device'
    session.assert_done()


def test_locate_completes_with_the_position():
    located = {'actionResponse': {'maas360DeviceID': ANDROID, 'actionStatus': 0, 'description': ACCEPTED,
                                  'latitude': 25.005112, 'longitude': 121.541535, 'locatedTime': '2019-05-13 17:45:12.0'}}
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('locateDevice', ANDROID, reply=located)])
    spec = spec_of(adapter, 'locate')
    results = adapter.capabilities['actions'].send_action(spec, {}, [ANDROID])
    assert results[0]['outcome'] == 'completed'
    assert results[0]['data'] == {'latitude': 25.005112, 'longitude': 121.541535, 'locatedTime': '2019-05-13 17:45:12.0'}
    assert adapter.capabilities['actions'].wait_actions(spec, results, 30) is False
    session.assert_done()


def test_locate_without_a_position_is_only_sent():
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('locateDevice', ANDROID, reply={
        'actionResponse': {'maas360DeviceID': ANDROID, 'actionStatus': 0, 'description': 'Location request sent'}})])
    results = adapter.capabilities['actions'].send_action(spec_of(adapter, 'locate'), {}, [ANDROID])
    assert results[0]['outcome'] == 'sent' and results[0]['data'] is None
    session.assert_done()


def test_xml_action_reply_is_read():
    xml = ('<?xml version="1.0" encoding="UTF-8"?><actionResponse><maas360DeviceID>%s</maas360DeviceID>'
           '<actionStatus>0</actionStatus><description>%s</description><actionID>77</actionID></actionResponse>' % (APPLE, ACCEPTED))
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('lockDevice', APPLE, reply=xml, content_type='application/xml')])
    assert adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [APPLE])[0]['command_id'] == '77'
    session.assert_done()


@pytest.mark.parametrize('exc', [
    requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected'),
    requests.exceptions.ReadTimeout('read timed out'),
])
def test_no_answer_after_sending_is_unknown_and_never_sent_again(exc):
    adapter, session, sleeps = build(OPTIONS, [auth(), action('wipeDevice', APPLE, raise_exc=exc), action('wipeDevice', ANDROID)])
    results = adapter.capabilities['actions'].send_action(spec_of(adapter, 'wipe'), {}, [APPLE, ANDROID], concurrency=1)
    assert results[0]['outcome'] == 'unknown' and UNKNOWN_ADVICE in results[0]['message']
    assert results[1]['outcome'] == 'sent'
    assert [call['path'].split('/')[4] for call in session.calls[1:]] == ['wipeDevice', 'wipeDevice']
    assert sleeps == []
    session.assert_done()


@pytest.mark.parametrize('status, outcome', [(502, 'unknown'), (504, 'unknown'), (500, 'unknown'), (503, 'failed'),
                                             (400, 'failed'), (403, 'failed'), (404, 'failed')])
def test_http_errors_of_a_command_are_not_retried(status, outcome):
    adapter, session, sleeps = build(OPTIONS, [auth(), with_reply(action('lockDevice', APPLE, reply={
        'errorCode': status, 'errorDesc': 'refused with %d' % status}), status=status)])
    results = adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [APPLE])
    assert results[0]['outcome'] == outcome
    assert ('refused with %d' % status) in results[0]['message']
    assert sleeps == []
    session.assert_done()


def test_an_unreadable_reply_is_unknown():
    adapter, session, _sleeps = build(OPTIONS, [auth(), action('lockDevice', APPLE, reply={'something': 'else'})])
    result = adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [APPLE])[0]
    assert result['outcome'] == 'unknown' and 'actionResponse' in result['message']
    session.assert_done()


def test_429_is_retried_after_the_wait_the_server_asks_for():
    limited = with_reply(action('lockDevice', APPLE, reply={'errorCode': 429, 'errorDesc': 'Too many requests'}), status=429,
                         reply_headers={'Retry-After': '3'})
    adapter, session, sleeps = build(OPTIONS, [auth(), limited, action('lockDevice', APPLE)])
    assert adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [APPLE])[0]['outcome'] == 'sent'
    assert sleeps == [3.0]
    session.assert_done()


def test_429_asking_for_too_long_a_wait_is_failed_not_unknown():
    limited = with_reply(action('lockDevice', APPLE, reply={'errorCode': 429, 'errorDesc': 'Too many requests'}), status=429,
                         reply_headers={'Retry-After': '3600'})
    adapter, session, sleeps = build(OPTIONS, [auth(), limited])
    result = adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [APPLE])[0]
    assert result['outcome'] == 'failed' and 'rate limited' in result['message']
    assert sleeps == []
    session.assert_done()


def test_an_expired_token_is_renewed_once_and_the_refused_command_sent_again():
    expired = with_reply(action('lockDevice', APPLE, reply={'errorCode': 401, 'errorDesc': 'Unauthorized'}), status=401)
    adapter, session, _sleeps = build(OPTIONS, [auth(), expired, auth(token=TOKEN2), action('lockDevice', APPLE, token=TOKEN2)])
    assert adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [APPLE])[0]['outcome'] == 'sent'
    session.assert_done()


def test_wrong_credentials_fail_once_before_any_command():
    refused = {'authResponse': {'errorCode': 1, 'errorDesc': 'Authentication failed'}}
    adapter, session, _sleeps = build(OPTIONS, [auth(reply=refused)])
    with pytest.raises(AuthenticationError):
        adapter.capabilities['actions'].send_action(spec_of(adapter, 'lock'), {}, [APPLE, ANDROID])
    session.assert_done()
    assert len(session.calls) == 1


# -- following with checkActionStatus ----------------------------------------------------------------------------
def sent(device_id, action_id):
    return {'device_id': device_id, 'outcome': 'sent', 'message': ACCEPTED, 'command_id': str(action_id), 'data': None}


def test_wait_polls_until_completed_or_failed():
    # The status checks of one round run concurrently: matched by query (actionID), in order per action.
    adapter, session, _sleeps = build(OPTIONS, [
        auth(), status(11, 'Pending'), status(12, 'Pending'),
        status(11, 'Completed', 'done on the device'), status(12, 'Failed', 'device rejected the command'),
    ], ordered=False)
    clock = with_clock(adapter)
    results = [sent(APPLE, 11), sent(ANDROID, 12), {'device_id': 'ApplX0000001', 'outcome': 'failed', 'message': 'no',
                                                    'command_id': None, 'data': None}]
    adapter.auth_headers()
    assert adapter.capabilities['actions'].wait_actions(spec_of(adapter, 'lock'), results, timeout=60, interval=5) is True
    assert [(item['outcome'], item['message']) for item in results] == [
        ('completed', 'done on the device'), ('failed', 'device rejected the command'), ('failed', 'no')]
    assert clock.sleeps == [5.0]
    session.assert_done()


def test_wait_gives_up_at_the_timeout_and_leaves_sent():
    adapter, session, _sleeps = build(OPTIONS, [auth()] + [status(11, 'Pending')] * 4)
    clock = with_clock(adapter)
    results = [sent(APPLE, 11)]
    assert adapter.capabilities['actions'].wait_actions(spec_of(adapter, 'wakeup'), results, timeout=8, interval=3) is True
    assert results[0]['outcome'] == 'sent' and 'not finished after 8 s' in results[0]['message']
    assert clock.sleeps == [3.0, 3.0, 2.0]
    session.assert_done()


def test_wait_reads_the_status_under_the_action_response_envelope_too():
    adapter, session, _sleeps = build(OPTIONS, [auth(), status(11, 'Executed', envelope='actionResponse')])
    with_clock(adapter)
    results = [sent(APPLE, 11)]
    adapter.capabilities['actions'].wait_actions(spec_of(adapter, 'hide'), results, timeout=10, interval=1)
    assert results[0]['outcome'] == 'completed'
    session.assert_done()


def test_wait_stops_following_an_action_the_server_does_not_know():
    adapter, session, _sleeps = build(OPTIONS, [auth(), with_reply(status(11, 'x'), status=404)])
    clock = with_clock(adapter)
    results = [sent(APPLE, 11)]
    adapter.capabilities['actions'].wait_actions(spec_of(adapter, 'lock'), results, timeout=60, interval=5)
    assert results[0]['outcome'] == 'sent' and 'could not be followed' in results[0]['message']
    assert clock.sleeps == []
    session.assert_done()


def test_wait_keeps_trying_after_an_unreadable_status_and_says_so_at_the_timeout():
    adapter, session, _sleeps = build(OPTIONS, [auth(), status(11, 'Teleporting'), status(11, 'Teleporting')])
    with_clock(adapter)
    results = [sent(APPLE, 11)]
    adapter.capabilities['actions'].wait_actions(spec_of(adapter, 'lock'), results, timeout=4, interval=4)
    assert results[0]['outcome'] == 'sent'
    assert 'last check failed' in results[0]['message'] and 'Teleporting' in results[0]['message'].title()
    session.assert_done()


def test_wait_without_an_action_id_leaves_the_result_and_sends_nothing():
    adapter, session, _sleeps = build(OPTIONS, [])
    with_clock(adapter)
    results = [dict(sent(APPLE, 11), command_id=None)]
    assert adapter.capabilities['actions'].wait_actions(spec_of(adapter, 'lock'), results, timeout=10) is True
    assert results[0]['outcome'] == 'sent' and 'no actionID' in results[0]['message']
    assert session.calls == []
