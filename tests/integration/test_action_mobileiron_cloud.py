# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action on MobileIron Cloud, end to end against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import parse_qs

import pytest

from conftest import run_playbook

VENDOR = 'mobileiron_cloud'


# A simulator of its own (conftest.py, sim): these tests retire and wipe devices, which the shared one must not see.
OWN_SIMULATOR = dict(devices=400, seed=23)


@pytest.fixture(scope='module')
def free(sim):
    """Active devices, each handed to one test only."""
    return [str(record['id']) for record in sim.devices(VENDOR) if record['registrationState'] == 'ACTIVE']


def take(free, count=1):
    chosen = free[:count]
    del free[:count]
    return chosen


def writes(sim):
    return [(entry['method'], entry['path']) for entry in sim.log(VENDOR) if entry['method'] not in ('GET', 'HEAD')]


def forms(sim):
    return [dict((key, values[0]) for key, values in parse_qs(entry['body'] or '').items())
            for entry in sim.log(VENDOR) if entry['method'] == 'PUT']


def new_ledger(sim, start):
    return [(item['action'], item['device_id']) for item in sim.ledger()[start:] if item['vendor'] == VENDOR]


def act(sim, tmp_path, check=False, **options):
    sim.clear_log()
    start = len(sim.ledger())
    run = run_playbook(tmp_path, 'action_once.yml', sim.params(VENDOR), extra=options, check=check)
    assert run.result is not None, run.output[-3000:]
    return run.result, start


def state_of(sim, device_id):
    return next(record['registrationState'] for record in sim.devices(VENDOR) if str(record['id']) == device_id)


@pytest.mark.parametrize('action, verb, ledger_action', [
    ('lock', 'lock', 'LOCK'),
    ('unlock', 'unlock', 'UNLOCK'),
    ('wakeup', 'forceCheckin', 'FORCE_CHECKIN'),
])
def test_each_command_once_per_device_in_one_call(sim, free, tmp_path, action, verb, ledger_action):
    ids = take(free, 3)
    result, start = act(sim, tmp_path, action=action, devices=ids)
    assert not result.get('failed') and result['changed'] is True, result
    assert [(item['device_id'], item['outcome']) for item in result['results']] == [(i, 'sent') for i in ids]
    assert writes(sim) == [('PUT', '/api/v1/device/%s' % verb)]
    # NOTES.md: the action calls take the ids only - no partition lookup before them.
    assert forms(sim) == [{'ids': ','.join(ids)}]
    assert [entry['method'] for entry in sim.log(VENDOR)] == ['PUT']
    assert new_ledger(sim, start) == [(ledger_action, i) for i in ids]


def test_lock_with_a_message(sim, free, tmp_path):
    ids = take(free)
    result, start = act(sim, tmp_path, action='lock', devices=ids, message='This phone is lost. Please call +1 555 0100.')
    assert not result.get('failed'), result
    assert forms(sim) == [{'ids': ids[0], 'message': 'This phone is lost. Please call +1 555 0100.'}]
    assert sim.ledger()[start]['message'] == 'This phone is lost. Please call +1 555 0100.'


@pytest.mark.parametrize('message_type, subject, expected', [
    ('pns', None, {'sendPushNotification': 'true', 'pushNotificationMessage': 'Please update'}),
    ('email', 'Update', {'sendEmail': 'true', 'emailSubject': 'Update', 'emailBody': 'Please update'}),
])
def test_send_message_push_and_email(sim, free, tmp_path, message_type, subject, expected):
    ids = take(free, 2)
    options = dict(action='send_message', devices=ids, message='Please update', message_type=message_type)
    if subject:
        options['subject'] = subject
    result, start = act(sim, tmp_path, **options)
    assert not result.get('failed'), result
    assert writes(sim) == [('PUT', '/api/v1/device/message')]
    expected = dict(expected, deviceIds=','.join(ids), dmPartitionId='23000')
    assert forms(sim) == [expected]
    assert new_ledger(sim, start) == [('SEND_MESSAGE', i) for i in ids]
    assert [entry['mode'] for entry in sim.ledger()[start:]] == [message_type] * 2


def test_retire_then_retire_again_is_skipped(sim, free, tmp_path):
    ids = take(free)
    result, start = act(sim, tmp_path, action='retire', devices=ids)
    assert not result.get('failed') and result['results'][0]['outcome'] == 'sent', result
    assert new_ledger(sim, start) == [('RETIRE', ids[0])]
    assert state_of(sim, ids[0]) == 'RETIRE_PENDING'
    result, start = act(sim, tmp_path, action='retire', devices=ids)
    assert not result.get('failed') and result['changed'] is False, result
    assert result['results'][0]['outcome'] == 'skipped'
    assert writes(sim) == [] and new_ledger(sim, start) == []


def test_wipe_once_and_a_retired_device_is_skipped(sim, free, tmp_path):
    ids = take(free)
    retired = next(str(r['id']) for r in sim.devices(VENDOR) if r['registrationState'] == 'RETIRED')
    result, start = act(sim, tmp_path, action='wipe', devices=ids + [retired], max_devices=2)
    assert not result.get('failed'), result
    assert [item['outcome'] for item in result['results']] == ['sent', 'skipped']
    assert writes(sim) == [('PUT', '/api/v1/device/wipe')]
    assert forms(sim) == [{'ids': ids[0]}]
    assert new_ledger(sim, start) == [('WIPE', ids[0])]
    assert state_of(sim, ids[0]) == 'WIPED'


def test_guard_rail_and_check_mode_send_nothing(sim, free, tmp_path):
    ids = take(free, 2)
    result, start = act(sim, tmp_path, action='retire', devices=ids)
    assert result.get('failed') and 'max_devices' in result['msg'], result
    assert writes(sim) == [] and new_ledger(sim, start) == []
    result, start = act(sim, tmp_path, check=True, action='wipe', devices=ids, max_devices=2)
    assert not result.get('failed') and result['changed'] is True, result
    assert [item['outcome'] for item in result['results']] == ['would_send', 'would_send']
    assert writes(sim) == [] and new_ledger(sim, start) == []
    assert [state_of(sim, i) for i in ids] == ['ACTIVE', 'ACTIVE']


# Bad input (an id that is not a number, no SMS, an e-mail without subject, a text unlock does not take, a command
# MobileIron Cloud does not have) fails before any request: unit tests (tests/unit/plugins/modules/test_bad_inputs.py).


def test_batches_of_100_and_an_unknown_device_is_refused(sim, tmp_path):
    ids = [str(record['id']) for record in sim.devices(VENDOR)][:250]
    result, start = act(sim, tmp_path, action='lock', devices=ids)
    assert not result.get('failed'), result
    assert writes(sim) == [('PUT', '/api/v1/device/lock')] * 3
    assert sorted(len(form['ids'].split(',')) for form in forms(sim)) == [50, 100, 100]
    sent = [item['device_id'] for item in result['results'] if item['outcome'] == 'sent']
    assert sorted(new_ledger(sim, start)) == sorted(('LOCK', i) for i in sent)
    assert result['summary']['sent'] == 250

    missing = '99999999'
    result, start = act(sim, tmp_path, action='unlock', devices=[missing])
    assert result.get('failed') and missing in result['msg'], result
    assert writes(sim) == [('PUT', '/api/v1/device/unlock')] and new_ledger(sim, start) == []


def test_a_lost_reply_is_unknown_and_never_sent_again(sim, free, tmp_path):
    ids = take(free, 2)
    sim.set_faults(VENDOR, rate=1.0, kinds=['reset_after'], methods=['PUT'], count=1)
    result, start = act(sim, tmp_path, action='lock', devices=ids)
    assert result.get('failed'), result
    assert [item['outcome'] for item in result['results']] == ['unknown', 'unknown']
    assert writes(sim) == [('PUT', '/api/v1/device/lock')]
    assert new_ledger(sim, start) == [('LOCK', i) for i in ids]


def test_query_selects_with_fq_and_retired_devices_are_skipped(sim, tmp_path):
    retired = sorted(str(r['id']) for r in sim.devices(VENDOR) if r['registrationState'] == 'RETIRED')
    assert retired
    result, start = act(sim, tmp_path, action='retire', query='registrationState=RETIRED', max_devices=len(retired))
    assert not result.get('failed') and result['changed'] is False, result
    assert sorted(result['devices']) == retired
    assert result['summary']['skipped'] == len(retired) == result['summary']['total']
    assert writes(sim) == [] and new_ledger(sim, start) == []
