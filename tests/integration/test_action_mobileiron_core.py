# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action on MobileIron Core, end to end against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from conftest import run_playbook

VENDOR = 'mobileiron_core'
ACTION_TYPES = {
    'ENABLE_VOICE_ROAMING': 'iOS', 'DISABLE_VOICE_ROAMING': 'iOS', 'ENABLE_DATA_ROAMING': 'iOS',
    'DISABLE_DATA_ROAMING': 'iOS', 'ENABLE_PERSONAL_HOTSPOT': 'iOS', 'DISABLE_PERSONAL_HOTSPOT': 'iOS',
    'SEND_MESSAGE': 'Android', 'UPDATE_OS': 'iOS', 'UNLOCK_APP_CONNECT_CONTAINER': 'Android',
    'UNLOCK_DEVICE_ONLY': 'Android',
}


# A simulator of its own (conftest.py, sim): these tests retire and wipe devices, which the shared one must not see.
OWN_SIMULATOR = dict(devices=1100, seed=21)


class Picker:
    """Hands out active devices of a platform, each once, so that no test sees another's commands."""

    def __init__(self, sim):
        self.free = [record for record in sim.devices(VENDOR) if record['common.status'] == 'ACTIVE']

    def take(self, platform, count=1):
        chosen = [record for record in self.free if record['common.platform'] == platform][:count]
        assert len(chosen) == count, 'not enough active %s devices' % platform
        for record in chosen:
            self.free.remove(record)
        return [record['common.uuid'] for record in chosen]


@pytest.fixture(scope='module')
def picker(sim):
    return Picker(sim)


def writes(sim):
    return [(entry['method'], entry['path']) for entry in sim.log(VENDOR) if entry['method'] not in ('GET', 'HEAD')]


def new_ledger(sim, start):
    return [(item['action'], item['device_id']) for item in sim.ledger()[start:] if item['vendor'] == VENDOR]


def act(sim, tmp_path, check=False, **options):
    sim.clear_log()
    start = len(sim.ledger())
    run = run_playbook(tmp_path, 'action_once.yml', sim.params(VENDOR), extra=options, check=check)
    assert run.result is not None, run.output[-3000:]
    return run.result, start


def status_of(sim, uuid):
    return next(record['common.status'] for record in sim.devices(VENDOR) if record['common.uuid'] == uuid)


@pytest.mark.parametrize('action, verb, ledger_action, extra', [
    ('lock', 'lock', 'LOCK', {}),
    ('unlock', 'unlock', 'UNLOCK', {'params': {'note': 'Virus scan successful.'}}),
    ('wakeup', 'wakeup', 'WAKEUP_DEVICE', {}),
    ('send_message', 'sendmessage', 'SEND_MESSAGE', {'message': 'Data roaming is expensive.', 'message_type': 'sms'}),
    ('send_message', 'sendmessage', 'SEND_MESSAGE', {'message': 'Data roaming is expensive.', 'message_type': 'email',
                                                     'subject': 'About data roaming'}),
    ('check_compliance', 'checkcompliance', 'CHECK_COMPLIANCE', {}),
])
def test_each_neutral_command_once_per_device(sim, picker, tmp_path, action, verb, ledger_action, extra):
    uuids = picker.take('Android') + picker.take('iOS')
    result, start = act(sim, tmp_path, action=action, devices=uuids, **extra)
    assert not result.get('failed'), result
    assert result['changed'] is True and result['action'] == action
    assert [(item['device_id'], item['outcome']) for item in result['results']] == [(uuid, 'sent') for uuid in uuids]
    # One call for both devices, and exactly one command per device.
    assert writes(sim) == [('PUT', '/api/v2/devices/%s' % verb)]
    assert new_ledger(sim, start) == [(ledger_action, uuid) for uuid in uuids]
    if action == 'send_message':
        entries = sim.ledger()[start:]
        assert [entry['mode'] for entry in entries] == [extra['message_type']] * 2
        assert entries[0]['subject'] == extra.get('subject')


def test_check_compliance_of_every_device_is_one_call(sim, picker, tmp_path):
    uuids = picker.take('Android')
    result, start = act(sim, tmp_path, action='check_compliance', devices=uuids, params={'all_devices': True})
    assert not result.get('failed'), result
    assert writes(sim) == [('PUT', '/api/v2/devices/checkcompliance')]
    assert sim.log(VENDOR)[-1]['query']['allDevices'] == ['true']
    assert result['results'][0]['outcome'] == 'sent'
    ledger = new_ledger(sim, start)
    assert len(ledger) == len(sim.devices(VENDOR)) and len(set(ledger)) == len(ledger)


@pytest.mark.parametrize('action_type', sorted(ACTION_TYPES))
def test_each_action_type_once_and_other_platforms_not_applicable(sim, picker, tmp_path, action_type):
    platform = ACTION_TYPES[action_type]
    other = 'Android' if platform == 'iOS' else 'iOS'
    applicable = picker.take(platform)
    uuids = applicable + picker.take(other)
    extra = {'params': {'note': 'Turning off voice roaming.'}}
    if action_type == 'SEND_MESSAGE':
        extra.update(message='Your device is in policy violation', message_type='pns', subject='Important news')
    result, start = act(sim, tmp_path, vendor_action=action_type, devices=uuids, **extra)
    assert not result.get('failed'), result
    assert result['vendor_action'] == action_type and result['action'] is None
    outcomes = dict((item['device_id'], item['outcome']) for item in result['results'])
    # SEND_MESSAGE and UNLOCK_DEVICE_ONLY apply to both platforms; the rest to one.
    both = action_type in ('SEND_MESSAGE', 'UNLOCK_DEVICE_ONLY')
    assert outcomes == dict((uuid, 'sent' if both or uuid in applicable else 'not_applicable') for uuid in uuids)
    assert writes(sim) == [('POST', '/api/v2/devices/action')]
    assert sim.log(VENDOR)[-1]['query']['actionType'] == [action_type]
    sent = [uuid for uuid in uuids if outcomes[uuid] == 'sent']
    assert new_ledger(sim, start) == [(action_type, uuid) for uuid in sent]


def test_remote_session_returns_the_links_android_and_ios(sim, picker, tmp_path):
    android, ios = picker.take('Android')[0], picker.take('iOS')[0]
    windows = picker.take('Windows')[0]
    result, start = act(sim, tmp_path, action='remote_session', devices=[android, ios, windows], fail_on_partial=False)
    assert not result.get('failed'), result
    by_id = dict((item['device_id'], item) for item in result['results'])
    for uuid in (android, ios):
        assert by_id[uuid]['outcome'] == 'completed'
        assert by_id[uuid]['data']['supporter_link'].startswith('https://get.teamviewer.com/')
        assert by_id[uuid]['data']['end_customer_link'].startswith('https://get.teamviewer.com/')
        assert by_id[uuid]['command_id'] == by_id[uuid]['data']['code']
    assert by_id[windows]['outcome'] == 'not_applicable'
    assert sorted(writes(sim)) == [('POST', '/msa/v2/remote/create_teamviewer_session_android'),
                                   ('POST', '/msa/v2/remote/create_teamviewer_session_ios')]
    assert new_ledger(sim, start) in ([('TEAMVIEWER_SESSION', android), ('TEAMVIEWER_SESSION', ios)],
                                      [('TEAMVIEWER_SESSION', ios), ('TEAMVIEWER_SESSION', android)])


def test_retire_then_retire_again_is_skipped(sim, picker, tmp_path):
    uuid = picker.take('Android')[0]
    result, start = act(sim, tmp_path, action='retire', devices=[uuid], params={'note': 'New phone issued.'})
    assert not result.get('failed') and result['changed'] is True, result
    assert result['results'][0]['outcome'] == 'sent'
    assert new_ledger(sim, start) == [('RETIRE', uuid)]
    assert status_of(sim, uuid) == 'RETIRE_PENDING'

    result, start = act(sim, tmp_path, action='retire', devices=[uuid])
    assert not result.get('failed') and result['changed'] is False, result
    assert result['results'][0]['outcome'] == 'skipped'
    assert 'RETIRE_PENDING' in result['results'][0]['message']
    assert writes(sim) == [] and new_ledger(sim, start) == []
    # A wipe has nothing left to do either.
    result, start = act(sim, tmp_path, action='wipe', devices=[uuid])
    assert result['results'][0]['outcome'] == 'skipped' and writes(sim) == []


def test_wipe_once_and_devices_already_retired_or_wiped_are_skipped(sim, picker, tmp_path):
    uuid = picker.take('iOS')[0]
    retired = next(record['common.uuid'] for record in sim.devices(VENDOR) if record['common.status'] == 'RETIRED')
    result, start = act(sim, tmp_path, action='wipe', devices=[uuid, retired], max_devices=2)
    assert not result.get('failed'), result
    assert [item['outcome'] for item in result['results']] == ['sent', 'skipped']
    assert writes(sim) == [('PUT', '/api/v2/devices/wipe')]
    assert new_ledger(sim, start) == [('WIPE', uuid)]
    assert status_of(sim, uuid) == 'WIPED'


def test_guard_rail_stops_a_wipe_of_more_devices_than_max_devices(sim, picker, tmp_path):
    uuids = picker.take('Android', 2)
    result, start = act(sim, tmp_path, action='wipe', devices=uuids)
    assert result.get('failed') and 'max_devices' in result['msg'], result
    assert writes(sim) == [] and new_ledger(sim, start) == []


def test_check_mode_sends_no_write(sim, picker, tmp_path):
    uuids = picker.take('Android', 2)
    result, start = act(sim, tmp_path, check=True, action='lock', devices=uuids)
    assert not result.get('failed') and result['changed'] is True, result
    assert [item['outcome'] for item in result['results']] == ['would_send', 'would_send']
    assert writes(sim) == [] and new_ledger(sim, start) == []
    result, start = act(sim, tmp_path, check=True, action='retire', vendor_filters={'query': '"common.uuid"="%s"' % uuids[0]})
    assert not result.get('failed') and result['devices'] == [uuids[0]], result
    assert writes(sim) == [] and new_ledger(sim, start) == []


# Bad input (a malformed UUID, an e-mail without subject, a note over 200 characters) fails before any request: unit
# tests (tests/unit/plugins/modules/test_bad_inputs.py).


def test_unknown_device_fails_with_the_vendor_message(sim, picker, tmp_path):
    known = picker.take('Android')[0]
    missing = 'a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9'
    result, start = act(sim, tmp_path, action='lock', devices=[known, missing], fail_on_partial=False)
    assert not result.get('failed'), result
    assert [item['outcome'] for item in result['results']] == ['sent', 'failed']
    assert 'Device not found' in result['results'][1]['message']
    assert new_ledger(sim, start) == [('LOCK', known)]
    result, _start = act(sim, tmp_path, action='lock', devices=[missing])
    assert result.get('failed') and 'Device not found' in result['msg']


def test_more_than_512_devices_go_in_batches(sim, tmp_path):
    uuids = [record['common.uuid'] for record in sim.devices(VENDOR)][:700]
    result, start = act(sim, tmp_path, action='wakeup', devices=uuids)
    assert not result.get('failed'), result
    assert writes(sim) == [('PUT', '/api/v2/devices/wakeup')] * 2
    sizes = sorted(len(json.loads(entry['body'])['deviceUuids']) for entry in sim.log(VENDOR))
    assert sizes == [188, 512]
    sent = [item['device_id'] for item in result['results'] if item['outcome'] == 'sent']
    # The two batches run concurrently: the ledger holds each sent device once, in either order.
    assert sorted(new_ledger(sim, start)) == sorted(('WAKEUP_DEVICE', uuid) for uuid in sent)
    assert result['summary']['sent'] == 700


def test_a_lost_reply_is_unknown_and_never_sent_again(sim, picker, tmp_path):
    uuids = picker.take('iOS', 2)
    sim.set_faults(VENDOR, rate=1.0, kinds=['reset_after'], methods=['PUT'], count=1)
    result, start = act(sim, tmp_path, action='lock', devices=uuids)
    assert result.get('failed'), result
    assert [item['outcome'] for item in result['results']] == ['unknown', 'unknown']
    assert 'verify' in result['results'][0]['message']
    # The server carried it out once; the module did not send it again.
    assert writes(sim) == [('PUT', '/api/v2/devices/lock')]
    assert new_ledger(sim, start) == [('LOCK', uuid) for uuid in uuids]


def test_query_selects_devices_and_retired_ones_are_skipped(sim, tmp_path):
    retired = sorted(r['common.uuid'] for r in sim.devices(VENDOR) if r['common.status'] == 'RETIRED')
    assert retired
    result, start = act(sim, tmp_path, action='wipe', query='"common.status"="RETIRED"', max_devices=len(retired))
    assert not result.get('failed') and result['changed'] is False, result
    assert sorted(result['devices']) == retired
    assert result['summary']['skipped'] == len(retired) == result['summary']['total']
    assert writes(sim) == [] and new_ledger(sim, start) == []
