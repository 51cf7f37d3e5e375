# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action on IBM MaaS360 end to end: every documented command once, check mode, wait, skipped devices,
the destructive guard and unknown devices - judged by the simulator's request log and action ledger."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import run_playbook

VENDOR = 'maas360'
# Devices of the shared fleet that the other action tests leave alone (they use the first few and the last 60).
SLICE = slice(200, 700)
MANAGED = {'active': 'Enrolled', 'wiped': 'Device Wiped', 'retired': 'Control Removed'}


def pick(sim, status, count, skip=0):
    found = [record['maas360DeviceID'] for record in sim.devices(VENDOR)[SLICE] if record['maas360ManagedStatus'] == MANAGED[status]]
    assert len(found) >= skip + count, 'the fleet has too few %s devices' % status
    return found[skip:skip + count]


def ledger_since(sim, seq):
    return [item for item in sim.ledger() if item['seq'] > seq and item['vendor'] == VENDOR]


def last_seq(sim):
    ledger = sim.ledger()
    return ledger[-1]['seq'] if ledger else 0


def commands(sim):
    """The device commands in the request log (the log-in and reads excluded)."""
    return [(entry['method'], entry['path'].split('/')[4]) for entry in sim.log(VENDOR)
            if entry['method'] not in ('GET', 'HEAD') and not entry['path'].startswith('/auth-apis/')]


def run_cases(sim, tmp_path, cases, **kwargs):
    conns = {VENDOR: sim.params(VENDOR)}
    for case in cases:
        case.setdefault('vendor', VENDOR)
    run = run_playbook(tmp_path, 'action_cases.yml', conns[VENDOR], extra=dict(conns=conns, cases=cases), **kwargs)
    assert run.rc == 0, run.output[-3000:]
    assert len(run.result) == len(cases)
    return run


@pytest.fixture(scope='module')
def active(sim):
    return pick(sim, 'active', 40)


def test_every_command_once(sim, tmp_path, active):
    ids = iter(active)
    table = [
        # (name, args, ledger verb, outcome)
        ('lock', dict(action='lock'), 'lockDevice', 'sent'),
        ('wipe', dict(action='wipe', params=dict(notifyMe=True, notifyUser=False, notifyOthers=['sec@example.com', 'it@example.com'])),
         'wipeDevice', 'sent'),
        ('selective_wipe', dict(action='selective_wipe'), 'selectiveWipeDevice', 'sent'),
        ('revoke_selective_wipe', dict(vendor_action='revoke_selective_wipe'), 'revokeSelectiveWipe', 'sent'),
        ('cancel_pending_wipe', dict(vendor_action='cancelPendingWipe'), 'cancelPendingWipe', 'sent'),
        ('locate', dict(action='locate'), 'locateDevice', 'completed'),
        ('send_message', dict(action='send_message', subject='IT notice', message='Please restart your phone today.'),
         'sendMessage', 'sent'),
        ('reset_passcode', dict(action='reset_passcode'), 'resetDevicePasscode', 'sent'),
        ('wakeup', dict(action='wakeup'), 'refreshDeviceInformation', 'sent'),
        ('hide', dict(vendor_action='hideDevice'), 'hideDevice', 'sent'),
        ('remove', dict(vendor_action='remove'), 'removeDevice', 'sent'),
    ]
    cases = []
    for name, args, _verb, _outcome in table:
        cases.append(dict(name=name, args=dict(args, devices=[next(ids)])))
    before = last_seq(sim)
    sim.clear_log()
    run = run_cases(sim, tmp_path, cases)
    for (name, _args, verb, outcome), case, reply in zip(table, cases, run.result):
        device_id = case['args']['devices'][0]
        assert not reply.get('failed'), '%s: %s' % (name, reply.get('msg'))
        assert reply['changed'] is True
        assert reply['vendor_action'] == verb and reply['devices'] == [device_id]
        (item,) = reply['results']
        assert (item['device_id'], item['outcome']) == (device_id, outcome), name
        if outcome == 'sent':
            assert item['command_id'], name
    entries = ledger_since(sim, before)
    assert sorted((item['action'], item['device_id']) for item in entries) == sorted(
        (verb, case['args']['devices'][0]) for (_name, _args, verb, _outcome), case in zip(table, cases))
    by_verb = dict((item['action'], item) for item in entries)
    assert (by_verb['wipeDevice']['notifyMe'], by_verb['wipeDevice']['notifyUser'],
            by_verb['wipeDevice']['notifyOthers']) == ('Yes', 'No', 'sec@example.com,it@example.com')
    assert (by_verb['sendMessage']['messageTitle'], by_verb['sendMessage']['message']) == (
        'IT notice', 'Please restart your phone today.')
    # One request per command, no retry, no second copy.
    assert sorted(verb for _method, verb in commands(sim)) == sorted(verb for _name, _args, verb, _outcome in table)
    located = run.result[5]['results'][0]['data']
    assert set(located) == {'latitude', 'longitude', 'locatedTime'}
    assert -90 <= located['latitude'] <= 90 and -180 <= located['longitude'] <= 180
    # The destructive flag follows the catalogue: wipe, selective_wipe and remove.
    assert [reply['destructive'] for reply in run.result] == [
        name in ('wipe', 'selective_wipe', 'remove') for name, _args, _verb, _outcome in table]


def test_check_mode_sends_no_command(sim, tmp_path, active):
    cases = [
        dict(name='lock three', check=True, args=dict(action='lock', devices=active[11:14])),
        dict(name='wipe one', check=True, args=dict(action='wipe', devices=active[14:15], params=dict(notifyUser=True))),
        dict(name='message', check=True, args=dict(action='send_message', subject='s', message='m', devices=active[15:17])),
        dict(name='remove', check=True, args=dict(vendor_action='removeDevice', devices=active[17:18])),
    ]
    before = last_seq(sim)
    sim.clear_log()
    run = run_cases(sim, tmp_path, cases)
    for case, reply in zip(cases, run.result):
        assert not reply.get('failed'), reply.get('msg')
        assert [item['device_id'] for item in reply['results']] == case['args']['devices']
        # A dry run never says "sent": its own outcome and summary key (issue 15).
        assert all(item['outcome'] == 'would_send' and 'check mode' in item['message'] for item in reply['results'])
        assert reply['summary']['sent'] == 0 and reply['summary']['would_send'] == len(case['args']['devices'])
    assert commands(sim) == []
    assert ledger_since(sim, before) == []


def test_wait_follows_each_command_to_completed(sim, tmp_path, active):
    devices = active[18:21]
    before = last_seq(sim)
    sim.clear_log()
    run = run_cases(sim, tmp_path, [dict(name='lock and wait', args=dict(
        action='lock', devices=devices, wait=True, wait_timeout=60, wait_interval=1))])
    reply = run.result[0]
    assert not reply.get('failed'), reply.get('msg')
    assert [(item['device_id'], item['outcome']) for item in reply['results']] == [(d, 'completed') for d in devices]
    assert reply['summary']['completed'] == 3
    polls = [entry for entry in sim.log(VENDOR) if '/checkActionStatus/' in entry['path']]
    # The simulator completes an action on its second poll: two looks per device, no more.
    assert len(polls) == 2 * len(devices)
    assert sorted((item['action'], item['device_id']) for item in ledger_since(sim, before)) == sorted(
        ('lockDevice', d) for d in devices)


def test_wait_on_locate_has_nothing_to_follow(sim, tmp_path, active):
    sim.clear_log()
    run = run_cases(sim, tmp_path, [dict(name='locate', args=dict(action='locate', devices=active[21:22], wait=True,
                                                                  wait_timeout=10, wait_interval=1))])
    reply = run.result[0]
    assert not reply.get('failed'), reply.get('msg')
    assert reply['results'][0]['outcome'] == 'completed' and reply['results'][0]['data']['locatedTime']
    assert [entry for entry in sim.log(VENDOR) if '/checkActionStatus/' in entry['path']] == []


def test_devices_already_wiped_or_retired_are_skipped(sim, tmp_path):
    wiped = pick(sim, 'wiped', 1)
    retired = pick(sim, 'retired', 1)
    cases = [
        dict(name='wipe a wiped device', args=dict(action='wipe', devices=wiped)),
        dict(name='selective wipe of a retired device', args=dict(action='selective_wipe', devices=retired)),
        dict(name='selective wipe of a wiped device', args=dict(action='selective_wipe', devices=wiped)),
    ]
    before = last_seq(sim)
    sim.clear_log()
    run = run_cases(sim, tmp_path, cases)
    for reply in run.result:
        assert not reply.get('failed'), reply.get('msg')
        assert reply['changed'] is False
        assert [item['outcome'] for item in reply['results']] == ['skipped']
        assert 'already' in reply['results'][0]['message']
    assert commands(sim) == []
    assert ledger_since(sim, before) == []


def test_destructive_guard_and_its_raise(sim, tmp_path, active):
    devices = active[22:25]
    before = last_seq(sim)
    sim.clear_log()
    run = run_cases(sim, tmp_path, [
        dict(name='three wipes, one allowed', args=dict(action='wipe', devices=devices)),
        dict(name='three removes, one allowed', args=dict(vendor_action='removeDevice', devices=devices, max_devices=2)),
    ])
    for reply in run.result:
        assert reply.get('failed') and 'max_devices' in reply['msg'], reply
    assert commands(sim) == [] and ledger_since(sim, before) == []
    run = run_cases(sim, tmp_path, [dict(name='three wipes allowed', args=dict(action='wipe', devices=devices, max_devices=3))])
    assert [item['outcome'] for item in run.result[0]['results']] == ['sent'] * 3
    assert sorted(item['device_id'] for item in ledger_since(sim, before) if item['action'] == 'wipeDevice') == sorted(devices)


def test_unknown_devices_fail_one_by_one(sim, tmp_path, active):
    known = active[25]
    missing = 'ApplZZZZNOSUCH01'
    before = last_seq(sim)
    sim.clear_log()
    run = run_cases(sim, tmp_path, [
        dict(name='lock: the server refuses the unknown id', args=dict(action='lock', devices=[known, missing])),
        dict(name='wipe: the unknown id is found missing before anything is sent', args=dict(
            action='wipe', devices=[missing], max_devices=1)),
        dict(name='lock, partial failure accepted', args=dict(action='wakeup', devices=[missing, known], fail_on_partial=False)),
    ])
    lock, wipe, wakeup = run.result
    assert lock.get('failed') and lock['summary'] == dict(lock['summary'], sent=1, failed=1, total=2)
    assert [item['outcome'] for item in lock['results']] == ['sent', 'failed']
    assert 'device' in lock['results'][1]['message'].lower()
    assert wipe.get('failed') and wipe['results'][0]['outcome'] == 'failed' and 'no such device' in wipe['results'][0]['message']
    assert not wakeup.get('failed') and [item['outcome'] for item in wakeup['results']] == ['failed', 'sent']
    assert sorted((item['action'], item['device_id']) for item in ledger_since(sim, before)) == [
        ('lockDevice', known), ('refreshDeviceInformation', known)]
    assert ('POST', 'wipeDevice') not in commands(sim)


def test_selection_by_vendor_filter_and_no_secret_in_verbose_output(sim, tmp_path, active):
    device_id = active[26]
    before = last_seq(sim)
    run = run_cases(sim, tmp_path, [dict(name='lock by filter', args=dict(
        action='lock', vendor_filters={'maas360DeviceId': device_id, 'match': '1'}))], verbosity=3)
    reply = run.result[0]
    assert not reply.get('failed'), reply.get('msg')
    assert reply['devices'] == [device_id]
    assert [(item['action'], item['device_id']) for item in ledger_since(sim, before)] == [('lockDevice', device_id)]
    for secret in sim.secrets():
        assert secret not in run.output
    for token in sim.issued_tokens():
        assert token not in run.output


def test_an_expired_token_is_renewed_and_no_command_is_sent_twice(sim, tmp_path, active):
    devices = active[27:33]
    before = last_seq(sim)
    sim.clear_log()
    # Every token dies after the third authenticated request: the adapter logs in again once on the 401.
    sim.set_faults(VENDOR, rate=0, expire_tokens_after=3)
    run = run_cases(sim, tmp_path, [dict(name='lock six', args=dict(action='lock', devices=devices, concurrency=1))])
    reply = run.result[0]
    assert not reply.get('failed'), reply.get('msg')
    assert [item['outcome'] for item in reply['results']] == ['sent'] * len(devices)
    assert sorted(item['device_id'] for item in ledger_since(sim, before)) == sorted(devices)
    logins = [entry for entry in sim.log(VENDOR) if entry['path'].startswith('/auth-apis/')]
    refused = [entry for entry in sim.log(VENDOR) if entry['status'] == 401]
    assert len(logins) == 2 and len(refused) == 1
