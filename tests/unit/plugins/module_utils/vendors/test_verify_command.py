# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""verify_command: the look-up on the server before a journaled ``unknown`` command is resent (scripted HTTP)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import ServerError

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_maas360 import OPTIONS, auth
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_maas360_actions import ANDROID, status
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_manageengine_actions import (
    API_KEY,
    ONPREM,
    ids,
)

STARTED = 1.8e9  # the journal entry's started_ts (seconds)


def me_get(device_id, tail, reply, status_code=200, query=None):
    return Expect('GET', '/api/v1/mdm/devices/%s/%s' % (device_id, tail), headers={'Authorization': API_KEY},
                  reply=reply, status=status_code, query=query)


def entry(command_id=None):
    return {'state': 'unknown', 'started_ts': STARTED, 'command_id': command_id}


def history(*commands):
    return {'metadata': {'total_record_count': len(commands)}, 'paging': {}, 'commands': list(commands)}


def test_manageengine_finds_the_wipe_as_the_last_initiated_command():
    device = ids(1)[0]
    adapter, session, _sleeps = build(ONPREM, [
        me_get(device, 'actions/recent_command', {'status_code': 1, 'command_name': 'EraseDevice',
                                                  'status_description': 'Command Initiated'}),
    ])
    spec = adapter.capabilities['actions'].action_catalogue()['wipe']
    found, state, message, _command_id = adapter.capabilities['actions'].verify_command(spec, device, entry())
    session.assert_done()
    assert found and state == 'sent' and 'EraseDevice' in message


def test_manageengine_reads_the_history_since_the_journal_entry():
    device = ids(2)[0]
    old = {'command_name': 'EraseDevice', 'added_time': (STARTED - 3600) * 1000, 'command_status': 2, 'command_id': 7}
    new = {'command_name': 'EraseDevice', 'added_time': (STARTED + 1) * 1000, 'command_status': 2, 'command_id': 8}
    other = {'command_name': 'DeviceLock', 'added_time': (STARTED + 2) * 1000, 'command_status': 2, 'command_id': 9}
    adapter, session, _sleeps = build(ONPREM, [
        me_get(device, 'actions/recent_command', {'status_code': 2, 'command_name': 'DeviceLock'}),
        me_get(device, 'commandhistory', history(old, other, new)),
    ])
    actions = adapter.capabilities['actions']
    found, state, _message, command_id = actions.verify_command(actions.action_catalogue()['wipe'], device, entry())
    session.assert_done()
    assert found and state == 'completed' and command_id == '8'


def test_manageengine_older_wipes_do_not_count_and_a_missing_recent_command_is_no_error():
    device = ids(3)[0]
    old = {'command_name': 'EraseDevice', 'added_time': (STARTED - 3600) * 1000, 'command_status': 2, 'command_id': 7}
    adapter, session, _sleeps = build(ONPREM, [
        me_get(device, 'actions/recent_command', {'error_code': 'COM0008', 'error_description': 'No command'}, 404),
        me_get(device, 'commandhistory', history(old)),
    ])
    actions = adapter.capabilities['actions']
    found, state, message, _command_id = actions.verify_command(actions.action_catalogue()['wipe'], device, entry())
    session.assert_done()
    assert not found and state is None and 'EraseDevice' in message


def test_manageengine_a_failing_lookup_raises():
    device = ids(4)[0]
    adapter, _session, _sleeps = build(ONPREM, [
        me_get(device, 'actions/recent_command', {'error': 'x'}, 500),
        me_get(device, 'actions/recent_command', {'error': 'x'}, 500),
        me_get(device, 'actions/recent_command', {'error': 'x'}, 500),
        me_get(device, 'actions/recent_command', {'error': 'x'}, 500),
        me_get(device, 'actions/recent_command', {'error': 'x'}, 500),
        me_get(device, 'actions/recent_command', {'error': 'x'}, 500),
    ])
    with pytest.raises(ServerError):
        adapter.capabilities['actions'].verify_command(adapter.capabilities['actions'].action_catalogue()['wipe'], device, entry())


def test_maas360_checks_the_action_id_it_has():
    adapter, session, _sleeps = build(OPTIONS, [auth(), status(128294549, 'Pending')])
    spec = adapter.capabilities['actions'].action_catalogue()['wipe']
    found, state, message, command_id = adapter.capabilities['actions'].verify_command(spec, ANDROID, entry('128294549'))
    session.assert_done()
    assert found and state == 'sent' and command_id == '128294549' and 'checkActionStatus' in message


def test_maas360_a_failed_action_may_be_sent_again():
    adapter, session, _sleeps = build(OPTIONS, [auth(), status(5, 'Failed', 'device rejected it')])
    actions = adapter.capabilities['actions']
    found, _state, _message, _command_id = actions.verify_command(actions.action_catalogue()['wipe'], ANDROID, entry('5'))
    session.assert_done()
    assert not found


def test_maas360_without_an_action_id_asks_nothing():
    adapter, session, _sleeps = build(OPTIONS, [])
    actions = adapter.capabilities['actions']
    found, _state, message, _command_id = actions.verify_command(actions.action_catalogue()['wipe'], ANDROID, entry())
    session.assert_done()
    assert not found and 'actionID' in message
