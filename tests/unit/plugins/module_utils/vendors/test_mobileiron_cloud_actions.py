# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Cloud device commands against a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest
import requests

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import UNKNOWN_ADVICE
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

PASSWORD = 'Corr3ct-Horse!'
OPTIONS = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='admin@example.com',
               password=PASSWORD)
HEADERS = {'Authorization': 'Basic ' + base64.b64encode(('admin@example.com:' + PASSWORD).encode()).decode(),
           'Accept': 'application/json'}
DONE = {'errors': None, 'result': 1}
PARTITIONS = Expect('GET', '/api/v1/tenant/partition/device', headers=HEADERS, reply={'errors': None, 'result': {
    'searchResults': [{'id': 23000, 'name': 'Default Partition', 'defaultPartition': True}], 'totalCount': 1}})


def put(verb, form, answer=None, **kwargs):
    """The expected PUT; a reply of None is the documented success (unless a status or exception says otherwise)."""
    if answer is None and 'status' not in kwargs and 'raise_exc' not in kwargs:
        answer = dict(DONE)
    return Expect('PUT', '/api/v1/device/%s' % verb, headers=HEADERS, form=form, reply=answer, **kwargs)


def adapter_for(script, **options):
    adapter, session, _sleeps = build(dict(OPTIONS, **options), script)
    return adapter, session


def test_catalogue_names_the_documented_verbs():
    adapter, _session = adapter_for([])
    catalogue = adapter.capabilities['actions'].action_catalogue()
    assert sorted(catalogue) == ['lock', 'retire', 'send_message', 'unlock', 'wakeup', 'wipe']
    assert [catalogue[name].vendor_name for name in ('wakeup', 'send_message')] == ['forceCheckin', 'message']
    assert all(spec.batch == 100 and spec.neutral for spec in catalogue.values())
    assert catalogue['wipe'].done_statuses == frozenset(['retired', 'wiped']) and catalogue['wipe'].destructive


@pytest.mark.parametrize('name, params, option', [
    ('send_message', {'message': 'hi', 'message_type': 'sms'}, 'message_type'),
    ('send_message', {'message': 'hi', 'message_type': 'email'}, 'subject'),
    ('send_message', {'message': 'hi', 'subject': 'x'}, 'subject'),
    ('unlock', {'message': 'hi'}, 'params'),
])
def test_bad_parameters_fail_before_any_request(name, params, option):
    adapter, session = adapter_for([])
    with pytest.raises(InvalidInputError) as caught:
        adapter.capabilities['actions'].check_action(adapter.capabilities['actions'].action_catalogue()[name], params)
    assert caught.value.option == option and session.calls == []


def test_device_ids_are_numbers_each_once():
    adapter, session = adapter_for([])
    assert adapter.capabilities['actions'].check_device_ids(['1000001', ' 1000002 ', '1000001']) == ['1000001', '1000002']
    with pytest.raises(InvalidInputError) as caught:
        adapter.capabilities['actions'].check_device_ids(['1000001', 'a57dcd91'])
    assert caught.value.option == 'devices' and session.calls == []


def test_lock_sends_ids_only_without_a_partition_lookup():
    adapter, session = adapter_for([put('lock', {'ids': '1,2,3'})])
    results = adapter.capabilities['actions'].send_action(adapter.capabilities['actions'].action_catalogue()['lock'], {}, ['1', '2', '3'])
    assert [(r['device_id'], r['outcome']) for r in results] == [('1', 'sent'), ('2', 'sent'), ('3', 'sent')]
    session.assert_done()


def test_lock_with_a_message_and_a_configured_partition():
    adapter, session = adapter_for([put('lock', {'ids': '7', 'dmPartitionId': '23001', 'message': 'Lost phone'})],
                                   partition_id='23001')
    spec = adapter.capabilities['actions'].action_catalogue()['lock']
    actions = adapter.capabilities['actions']
    assert actions.send_action(spec, actions.check_action(spec, {'message': 'Lost phone'}), ['7'])[0]['outcome'] == 'sent'
    session.assert_done()


def test_wakeup_is_force_checkin_in_batches_of_100():
    ids = [str(1000000 + n) for n in range(250)]
    adapter, session = adapter_for([put('forceCheckin', {'ids': ','.join(ids[:100])}),
                                    put('forceCheckin', {'ids': ','.join(ids[100:200])}),
                                    put('forceCheckin', {'ids': ','.join(ids[200:])})])
    results = adapter.capabilities['actions'].send_action(adapter.capabilities['actions'].action_catalogue()['wakeup'], {}, ids, concurrency=1)
    assert [r['device_id'] for r in results] == ids and set(r['outcome'] for r in results) == {'sent'}
    session.assert_done()


@pytest.mark.parametrize('params, form', [
    ({'message': 'Please update'}, {'sendPushNotification': 'true', 'pushNotificationMessage': 'Please update'}),
    ({'message': 'Please update', 'message_type': 'email', 'subject': 'Update'},
     {'sendEmail': 'true', 'emailSubject': 'Update', 'emailBody': 'Please update'}),
])
def test_message_names_the_partition_and_the_channel(params, form):
    adapter, session = adapter_for([PARTITIONS, put('message', dict(form, dmPartitionId='23000', deviceIds='1,2'))])
    spec = adapter.capabilities['actions'].action_catalogue()['send_message']
    results = adapter.capabilities['actions'].send_action(spec, adapter.capabilities['actions'].check_action(spec, params), ['1', '2'])
    assert [r['outcome'] for r in results] == ['sent', 'sent']
    session.assert_done()


@pytest.mark.parametrize('failure, outcome, words', [
    (dict(raise_exc=requests.exceptions.ConnectionError('Connection aborted.')), 'unknown', UNKNOWN_ADVICE),
    (dict(status=502, answer={'error': 'Bad Gateway'}), 'unknown', UNKNOWN_ADVICE),
    (dict(answer={'errors': None, 'result': None}), 'unknown', UNKNOWN_ADVICE),
    (dict(answer={'errors': {'globalErrors': [{'code': 'WIPE_LIMIT', 'message': 'wipe limit reached'}]}, 'result': None}),
     'failed', 'wipe limit reached'),
    (dict(status=400, answer={'errors': {'globalErrors': [{'message': 'Devices not found: 2'}]}, 'result': None}),
     'failed', 'Devices not found'),
])
def test_a_failed_call_is_never_sent_again(failure, outcome, words):
    failure = dict(failure)
    # The script holds one request: a second attempt would fail the test.
    adapter, session = adapter_for([put('wipe', {'ids': '1,2'}, failure.pop('answer', None), **failure)])
    results = adapter.capabilities['actions'].send_action(adapter.capabilities['actions'].action_catalogue()['wipe'], {}, ['1', '2'])
    assert [r['outcome'] for r in results] == [outcome, outcome]
    assert words in results[0]['message']
    session.assert_done()
