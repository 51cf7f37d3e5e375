# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action on ManageEngine MDM (cloud OAuth and on-premises API key) end to end against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import run_playbook
from mdmsim.dialects.manageengine.dialect import _group_id

FLAVOURS = ('manageengine', 'manageengine_onprem')
VENDOR = 'manageengine'
# The argument list of "Perform Action on device" (and of "Apply Knox actions to the device") in the reference.
ACTIONS = (
    'scan', 'lock', 'remote_control', 'remote_view', 'remote_alarm', 'complete_wipe', 'corporate_wipe', 'clear_passcode',
    'reset_passcode', 'fetch_location', 'shutdown', 'restart', 'enable_lost_mode', 'disable_lost_mode', 'pause_kiosk',
    're_apply_kiosk', 'remote_debug', 'unlock_user_account',
)
DESTRUCTIVE = ('complete_wipe', 'corporate_wipe')
NEUTRAL = {
    'wakeup': 'scan', 'lock': 'lock', 'wipe': 'complete_wipe', 'selective_wipe': 'corporate_wipe', 'locate': 'fetch_location',
    'restart': 'restart', 'shutdown': 'shutdown', 'clear_passcode': 'clear_passcode', 'reset_passcode': 'reset_passcode',
    'enable_lost_mode': 'enable_lost_mode', 'disable_lost_mode': 'disable_lost_mode', 'remote_session': 'remote_control',
}


def fleet(sim):
    return sim.devices(VENDOR)


def pick(sim, count=1, skip=0, **wanted):
    """Device ids (text) of records matching ``wanted`` (record key -> value or predicate)."""
    found = []
    for record in fleet(sim):
        if all(value(record.get(key)) if callable(value) else record.get(key) == value for key, value in wanted.items()):
            found.append(str(record['device_id']))
    assert len(found) >= skip + count, 'the simulated fleet has too few devices like %r' % (wanted,)
    return found[skip:skip + count]


def active(sim, count=1, skip=0):
    return pick(sim, count, skip, managed_status=2, is_removed=False)


def samsung(sim, count=1, skip=0):
    return pick(sim, count, skip, managed_status=2, is_removed=False, platform_type='android',
                product_name=lambda value: str(value).lower() == 'samsung')


def writes(sim):
    return [(entry['method'], entry['path']) for entry in sim.log(VENDOR) if entry['method'] not in ('GET', 'HEAD')]


def commanded(sim, start):
    return [(item['action'], item['device_id']) for item in sim.ledger()[start:] if item['vendor'] == VENDOR]


def run_each(sim, tmp_path, flavour, commands, **kwargs):
    run = run_playbook(tmp_path, 'action_each.yml', sim.params(flavour), extra=dict(commands=commands), **kwargs)
    assert run.rc == 0 and isinstance(run.result, list), run.output[-3000:]
    return run, run.result


def run_once(sim, tmp_path, flavour, **options):
    # action_each.yml with one command (action_once.yml passes "query", which Jinja always defines as a function).
    verbosity = options.pop('verbosity', 0)
    run, results = run_each(sim, tmp_path, flavour, [options], verbosity=verbosity)
    assert len(results) == 1
    return run, results[0]


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_every_action_and_its_knox_form_once(sim, tmp_path, flavour):
    skip = FLAVOURS.index(flavour)
    device, knox = active(sim, skip=skip)[0], samsung(sim, skip=skip)[0]
    commands = [dict(vendor_action=name, devices=[device], max_devices=1) for name in ACTIONS]
    commands += [dict(vendor_action='knox_' + name, devices=[knox]) for name in ACTIONS]
    start = len(sim.ledger())
    sim.clear_log()
    _run, results = run_each(sim, tmp_path, flavour, commands)
    for command, item in zip(commands, results):
        assert not item.get('failed') and item['changed'] is True, (command, item)
        assert [r['outcome'] for r in item['results']] == ['sent'], (command, item['results'])
        assert item['devices'] == command['devices']
    expected = [(name, device) for name in ACTIONS] + [('knox_' + name, knox) for name in ACTIONS]
    assert commanded(sim, start) == expected
    # scan goes through the bulk endpoint (its documented command name AssetScan); the rest one request per device.
    posts = writes(sim)
    assert ('POST', '/api/v1/mdm/actions/AssetScan') in posts
    assert ('POST', '/api/v1/mdm/devices/%s/actions/lock' % device) in posts
    assert ('POST', '/api/v1/mdm/devices/%s/knox_actions/complete_wipe' % knox) in posts
    assert len(posts) == len(expected)


def test_neutral_names_send_the_mapped_commands(sim, tmp_path):
    device = active(sim, skip=2)[0]
    commands = [dict(action=name, devices=[device]) for name in NEUTRAL]
    start = len(sim.ledger())
    _run, results = run_each(sim, tmp_path, 'manageengine', commands)
    for command, item in zip(commands, results):
        assert not item.get('failed'), (command, item)
        assert item['action'] == command['action'] and item['vendor_action'] == NEUTRAL[command['action']]
    assert commanded(sim, start) == [(NEUTRAL[name], device) for name in NEUTRAL]


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_check_mode_sends_no_write(sim, tmp_path, flavour):
    devices = active(sim, 2, skip=3)
    knox = samsung(sim, skip=3)[0]
    commands = [dict(action='lock', devices=devices[:1], message='Call IT'), dict(action='wipe', devices=devices[:1]),
                dict(action='wakeup', devices=devices, params={'groups': [str(_group_id('Kiosk'))]}),
                dict(vendor_action='knox_lock', devices=[knox]),
                dict(vendor_action='remove_action', devices=devices[:1], params={'action_name': 'lock'})]
    start = len(sim.ledger())
    sim.clear_log()
    _run, results = run_each(sim, tmp_path, flavour, commands, check=True)
    for command, item in zip(commands, results):
        assert not item.get('failed') and item['changed'] is True, (command, item)
        assert all(r['outcome'] == 'would_send' and 'check mode' in r['message'] for r in item['results'])
        assert item['summary']['sent'] == 0
    assert writes(sim) == []
    assert commanded(sim, start) == []


def test_guard_rails_fail_before_any_request(sim, tmp_path):
    devices = active(sim, 2, skip=5)
    cases = [
        (dict(action='wipe', devices=devices), 'max_devices'),
        (dict(vendor_action='corporate_wipe', devices=devices, max_devices=1), 'max_devices'),
        (dict(action='lock', devices=['12ab']), 'not a ManageEngine MDM device id'),
        (dict(action='restart', devices=devices[:1], message='hello'), 'restart takes no message'),
        (dict(action='lock', devices=devices[:1], params={'wipe_sd_card': True}), 'wipe_sd_card'),
        (dict(action='send_message', devices=devices[:1]), 'has no send_message command'),
        (dict(vendor_action='remove_action', devices=devices[:1], params={'action_name': 'explode'}), 'params.action_name'),
        (dict(action='wakeup', devices=devices[:1], params={'groups': ['Sales']}), 'params.groups'),
    ]
    for options, text in cases:
        sim.clear_log()
        _run, result = run_once(sim, tmp_path, 'manageengine_onprem', **options)
        assert result.get('failed') is True and text in result['msg'], (options, result)
        assert writes(sim) == [], options
    # Raised to the count, the same wipe goes through.
    start = len(sim.ledger())
    _run, result = run_once(sim, tmp_path, 'manageengine_onprem', action='wipe', devices=devices, max_devices=2)
    assert not result.get('failed') and result['summary']['sent'] == 2, result
    assert sorted(commanded(sim, start)) == sorted([('complete_wipe', devices[0]), ('complete_wipe', devices[1])])


def test_skipped_not_applicable_and_unknown_devices(sim, tmp_path):
    device = active(sim, skip=7)[0]
    removed = pick(sim, 1, is_removed=True)[0]
    ios = pick(sim, 1, managed_status=2, platform_type='ios')[0]
    other_android = pick(sim, 1, managed_status=2, platform_type='android',
                         product_name=lambda value: str(value).lower() != 'samsung')[0]
    commands = [
        dict(action='wipe', devices=[removed]),
        dict(vendor_action='knox_lock', devices=[ios, other_android]),
        dict(action='wakeup', devices=[device, removed]),
        dict(action='lock', devices=[device, '9007199254740001'], fail_on_partial=False),
    ]
    start = len(sim.ledger())
    _run, results = run_each(sim, tmp_path, 'manageengine', commands)
    wipe, knox, scan, lock = results
    assert [r['outcome'] for r in wipe['results']] == ['skipped'] and wipe['changed'] is False, wipe
    assert [r['outcome'] for r in knox['results']] == ['not_applicable', 'not_applicable'], knox
    assert 'knox_details' in knox['results'][1]['message']
    # The bulk reply's na_list: the removed device is not applicable; the other one is scheduled.
    assert [(r['device_id'], r['outcome']) for r in scan['results']] == [(device, 'sent'), (removed, 'not_applicable')], scan
    assert not lock.get('failed')
    assert [r['outcome'] for r in lock['results']] == ['sent', 'failed'] and lock['summary']['failed'] == 1, lock
    assert commanded(sim, start) == [('scan', device), ('lock', device)]


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_wait_follows_commands_to_completion(sim, tmp_path, flavour):
    devices = active(sim, 2, skip=9 + 2 * FLAVOURS.index(flavour))
    commands = [dict(action='lock', devices=devices[:1], wait=True, wait_interval=1),
                dict(action='wakeup', devices=devices, wait=True, wait_interval=1)]
    _run, results = run_each(sim, tmp_path, flavour, commands)
    lock, scan = results
    assert [r['outcome'] for r in lock['results']] == ['completed'], lock
    assert lock['results'][0]['data']['status_code'] == 2 and lock['results'][0]['message'] == 'Command Success'
    assert [r['outcome'] for r in scan['results']] == ['completed', 'completed'], scan
    assert scan['summary']['completed'] == 2
    polled = [entry for entry in sim.log(VENDOR) if entry['path'].endswith('/actions/recent_command')]
    assert polled


def test_remove_action_removes_a_pending_command_once(sim, tmp_path):
    device = active(sim, skip=14)[0]
    commands = [dict(action='lock', devices=[device]),
                dict(vendor_action='remove_action', devices=[device], params={'action_name': 'lock'}),
                dict(vendor_action='remove_action', devices=[device], params={'action_name': 'lock'}, fail_on_partial=False)]
    start = len(sim.ledger())
    _run, results = run_each(sim, tmp_path, 'manageengine_onprem', commands)
    lock, removed, again = results
    assert [r['outcome'] for r in lock['results']] == ['sent']
    assert [r['outcome'] for r in removed['results']] == ['completed'] and removed['changed'] is True, removed
    assert [r['outcome'] for r in again['results']] == ['failed'] and 'No pending lock' in again['results'][0]['message']
    assert commanded(sim, start) == [('lock', device), ('remove_action', device)]
    deletes = [path for method, path in writes(sim) if method == 'DELETE']
    assert deletes[-2:] == ['/api/v1/mdm/devices/%s/actions/lock' % device] * 2


def test_bulk_scan_of_a_group_commands_its_members(sim, tmp_path):
    device = active(sim, skip=15)[0]
    members = sorted(str(item['record']['device_id']) for item in sim.device_labels(VENDOR) if 'Kiosk' in item['labels'])
    assert members
    start = len(sim.ledger())
    _run, result = run_once(sim, tmp_path, 'manageengine', action='wakeup', devices=[device],
                            params={'groups': [str(_group_id('Kiosk'))]})
    assert not result.get('failed') and result['devices'] == [device], result
    first = result['results'][0]
    assert first['outcome'] == 'sent'
    via = dict((item['device_id'], item['outcome']) for item in first['data']['via_groups'])
    assert sorted(via) == sorted(set(members) - set([device]))
    entries = [item for item in sim.ledger()[start:] if item['vendor'] == VENDOR]
    assert all(item['action'] == 'scan' and item['command_name'] == 'AssetScan' for item in entries)
    sent = sorted(item['device_id'] for item in entries)
    # Every device once: the one named, and the group's members the server did not find removed.
    assert len(sent) == len(set(sent))
    assert sent == sorted(set([device]) | set(d for d, outcome in via.items() if outcome == 'sent'))


def test_pins_never_reach_the_output_or_the_server_log(sim, tmp_path):
    device = active(sim, skip=16)[0]
    pin = '048213'
    sim.clear_log()
    run = run_playbook(tmp_path, 'action_direct.yml', sim.params('manageengine'), verbosity=3,
                       extra=dict(action='lock', devices=[device], message='Return to IT',
                                  params={'unlock_pin': pin, 'phone_number': '+1 555 0100'}))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['results'][0]['outcome'] == 'sent'
    # The module's whole result (its invocation too) at -vvv: the pin is masked.
    assert pin not in run.output and 'unlock_pin' in run.output
    posted = [entry for entry in sim.log(VENDOR) if entry['method'] == 'POST']
    assert len(posted) == 1 and pin not in (posted[0]['body'] or '') and 'Return to IT' in posted[0]['body']
    item = [entry for entry in sim.ledger() if entry['vendor'] == VENDOR][-1]
    assert item['action'] == 'lock' and item['lock_message'] == 'Return to IT' and pin not in str(item)


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_lost_reply_is_unknown_and_never_sent_again(sim, tmp_path, flavour):
    device = active(sim, skip=17 + FLAVOURS.index(flavour))[0]
    # The server applies the lock, then the connection drops before the reply.
    sim.set_faults(VENDOR, rate=1, kinds=['reset_after'], methods=['POST'], path_regex='/actions/lock$', count=1)
    start = len(sim.ledger())
    sim.clear_log()
    _run, result = run_once(sim, tmp_path, flavour, action='lock', devices=[device], fail_on_partial=False)
    assert not result.get('failed') and result['changed'] is True, result
    [item] = result['results']
    assert item['outcome'] == 'unknown' and 'was not sent again' in item['message'], item
    assert commanded(sim, start) == [('lock', device)]
    assert writes(sim) == [('POST', '/api/v1/mdm/devices/%s/actions/lock' % device)]


def test_knox_on_devices_chosen_by_a_selector(sim, tmp_path):
    knox = samsung(sim, skip=4)[0]
    other = pick(sim, 1, managed_status=2, is_removed=False, platform_type='android',
                 product_name=lambda value: str(value).lower() != 'samsung')[0]
    serials = dict((str(record['device_id']), record['serial_number']) for record in fleet(sim))
    start = len(sim.ledger())
    _run, result = run_once(sim, tmp_path, 'manageengine_onprem', vendor_action='knox_lock',
                            filters={'serial': [serials[knox], serials[other]]})
    assert not result.get('failed'), result
    outcomes = dict((item['device_id'], item['outcome']) for item in result['results'])
    assert outcomes == {knox: 'sent', other: 'not_applicable'}
    assert commanded(sim, start) == [('knox_lock', knox)]
