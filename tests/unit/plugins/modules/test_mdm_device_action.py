# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action run(): selection, guard rails, prechecks, check mode and results, against a recording adapter."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import ActionSpec, ParamSpec, check_params, default_precheck, result
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.module_utils.device import device_matches, validate_neutral_filters
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import COMMAND_PARAMS
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_action
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

DEVICES = [
    dict(mdm_device_id='d1', mdm_platform='ios', mdm_status='active', mdm_user='ann', mdm_labels=['Kiosk']),
    dict(mdm_device_id='d2', mdm_platform='android', mdm_status='active', mdm_user='bob', mdm_labels=[]),
    dict(mdm_device_id='d3', mdm_platform='windows', mdm_status='wiped', mdm_user='ann', mdm_labels=['Kiosk']),
]


class Recorder:
    """The session and device-command contracts with an in-memory fleet; every call is recorded."""
    name = 'mobileiron_core'
    query_filter = 'query'

    @property
    def capabilities(self):
        """One object plays the session and its device commands (vendors/registry.require finds it here)."""
        return {'devices': self, 'actions': self}

    @property
    def session(self):
        return self

    def __init__(self, replies=None, followed=True):
        self.calls = []
        self.replies = replies or {}
        self.followed = followed

    def action_catalogue(self):
        return {
            'lock': ActionSpec('lock', 'lock', params={'message': ParamSpec(max_length=20)}, batch=512),
            'wipe': ActionSpec('wipe', 'wipe', done_statuses=('wiped',), batch=512),
            'send_message': ActionSpec('send_message', 'sendMessage', params={
                'message': ParamSpec(required=True, max_length=40, multiline=True), 'subject': ParamSpec(),
                'message_type': ParamSpec(choices=('sms', 'pns', 'email'), default='pns')}),
            'remote_session': ActionSpec('remote_session', platforms=('ios', 'android'), waitable=True),
            'UPDATE_OS': ActionSpec('UPDATE_OS', neutral=False, platforms=('ios',)),
        }

    def check_action(self, spec, params):
        self.calls.append(('check_action', spec.name))
        return check_params(spec, params, option=COMMAND_PARAMS)

    def check_device_ids(self, devices):
        for device in devices:
            if not device.startswith('d'):
                raise InvalidInputError('%r is not a device id' % device, option='devices')
        return list(devices)

    def list_devices(self, filters=None, vendor_filters=None, concurrency=4, **_kwargs):
        self.calls.append(('list_devices', filters, vendor_filters))
        neutral = validate_neutral_filters(filters)
        return [dict(d) for d in DEVICES if device_matches(d, neutral)]

    def action_targets(self, spec, devices, concurrency=4):
        self.calls.append(('action_targets', list(devices)))
        return dict((d['mdm_device_id'], d) for d in DEVICES if d['mdm_device_id'] in devices)

    def precheck_action(self, spec, devices):
        return default_precheck(spec, devices)

    def send_action(self, spec, params, devices, concurrency=4):
        self.calls.append(('send_action', spec.name, params, list(devices)))
        return [self.replies.get(d) or result(d, 'sent', 'accepted', command_id='c-' + d) for d in devices]

    def wait_actions(self, spec, results, timeout, interval=5.0):
        self.calls.append(('wait_actions', timeout, interval))
        for item in results:
            if item['outcome'] == 'sent':
                item['outcome'] = 'completed'
        return self.followed


# The journal is the subject of test_mdm_device_action_journal.py: off here.
FakeModule = fakes.FakeModule.for_module(mdm_device_action, journal=False)


def run(adapter=None, check_mode=False, **params):
    adapter = adapter or Recorder()
    changed, report, _diff = mdm_device_action.run(FakeModule(check_mode=check_mode, **params), adapter)
    return changed, report, adapter


def sends(adapter):
    return [call for call in adapter.calls if call[0] == 'send_action']


def test_lock_by_ids_sends_once_in_order_and_reads_nothing():
    changed, report, adapter = run(action='lock', devices=['d2', 'd1', 'd2'], text='call IT')
    assert changed
    assert report['devices'] == ['d2', 'd1']
    assert [item['outcome'] for item in report['results']] == ['sent', 'sent']
    assert sends(adapter) == [('send_action', 'lock', {'message': 'call IT'}, ['d2', 'd1'])]
    assert not [call for call in adapter.calls if call[0] in ('list_devices', 'action_targets')]
    assert report['summary']['sent'] == 2 and report['summary']['total'] == 2
    assert report['action'] == 'lock' and report['destructive'] is False


def test_selector_resolves_ids_and_reuses_the_listing_for_prechecks():
    _changed, report, adapter = run(action='wipe', label='Kiosk', max_devices=2)
    assert report['devices'] == ['d1', 'd3']
    assert [item['outcome'] for item in report['results']] == ['sent', 'skipped']
    assert sends(adapter)[0][3] == ['d1']
    assert not [call for call in adapter.calls if call[0] == 'action_targets']


def test_destructive_guard_counts_resolved_devices_and_sends_nothing():
    with pytest.raises(InvalidInputError) as info:
        run(action='wipe', filters={'user': 'ann'})
    assert info.value.option == 'max_devices'
    assert '2 devices' in str(info.value)


def test_destructive_guard_with_ids():
    adapter = Recorder()
    with pytest.raises(InvalidInputError):
        run(adapter, action='wipe', devices=['d1', 'd2'])
    assert not sends(adapter)


def test_not_applicable_and_missing_devices_are_not_sent():
    adapter = Recorder()
    with pytest.raises(PartialFailure) as info:
        run(adapter, vendor_action='UPDATE_OS', devices=['d1', 'd2', 'd9'])
    outcomes = dict((item['device_id'], item['outcome']) for item in info.value.result['results'])
    assert outcomes == {'d1': 'sent', 'd2': 'not_applicable', 'd9': 'failed'}
    assert sends(adapter)[0][3] == ['d1']
    assert info.value.changed is True


def test_fail_on_partial_false_returns_the_failures():
    adapter = Recorder(replies={'d2': result('d2', 'unknown', 'no answer')})
    changed, report, _adapter = run(adapter, action='lock', devices=['d1', 'd2'], fail_on_partial=False)
    assert changed and report['summary']['unknown'] == 1


def test_unknown_fails_the_task_by_default():
    adapter = Recorder(replies={'d2': result('d2', 'unknown', 'no answer')})
    with pytest.raises(PartialFailure) as info:
        run(adapter, action='lock', devices=['d1', 'd2'])
    assert 'd2' in info.value.msg


def test_check_mode_validates_and_sends_nothing():
    changed, report, adapter = run(check_mode=True, action='wipe', devices=['d3', 'd1'], max_devices=5)
    assert changed
    # A dry run never says "sent" (issue 15): its own outcome and summary key.
    assert [item['outcome'] for item in report['results']] == ['skipped', 'would_send']
    assert 'check mode' in report['results'][1]['message']
    assert report['summary']['would_send'] == 1 and report['summary']['sent'] == 0
    assert not sends(adapter)


def test_wait_follows_when_the_vendor_can_and_warns_otherwise():
    changed, report, adapter = run(action='remote_session', devices=['d1'], wait=True, wait_timeout=30, wait_interval=2)
    assert report['results'][0]['outcome'] == 'completed' and ('wait_actions', 30, 2) in adapter.calls
    module = FakeModule(action='lock', devices=['d1'], wait=True)
    mdm_device_action.run(module, Recorder())
    assert module.warnings and 'no way to follow' in module.warnings[0]


@pytest.mark.parametrize('params, option', [
    (dict(action='locate', devices=['d1']), 'action'),
    (dict(vendor_action='FLY', devices=['d1']), 'vendor_action'),
    (dict(vendor_action='  ', devices=['d1']), 'vendor_action'),
    (dict(action='lock', devices=['x1']), 'devices'),
    (dict(action='lock', devices=[]), 'devices'),
    (dict(action='lock'), 'devices'),
    (dict(action='lock', devices=['d1'], label='Kiosk'), 'devices'),
    (dict(action='lock', all_devices=True, label='Kiosk'), 'all_devices'),
    (dict(action='lock', label='Nobody'), 'label'),
    (dict(action='lock', label='  '), 'label'),
    (dict(action='lock', devices=['d1'], text='x' * 21), 'text'),
    (dict(action='lock', devices=['d1'], params={'message': 'x' * 21}), 'params.message'),
    (dict(action='lock', devices=['d1'], subject='hi'), 'subject'),
    (dict(action='lock', devices=['d1'], params={'colour': 'red'}), 'params'),
    (dict(action='lock', devices=['d1'], text='a', params={'message': 'b'}), 'params.message'),
    (dict(action='send_message', devices=['d1']), 'params.message'),
    (dict(action='lock', devices=['d1'], max_devices=0), 'max_devices'),
    (dict(action='lock', devices=['d1'], wait_timeout=0), 'wait_timeout'),
    (dict(action='lock', devices=['d1'], wait_interval=400), 'wait_interval'),
    (dict(action='lock', devices=['d1'], concurrency=0), 'concurrency'),
    (dict(action='lock', filters={'colour': 'red'}), 'filters'),
    (dict(action='lock', filters={'label': 'Kiosk'}, label='Kiosk'), 'filters.label'),
])
def test_bad_input_fails_before_any_write(params, option):
    adapter = Recorder()
    with pytest.raises(InvalidInputError) as info:
        run(adapter, **params)
    assert info.value.option == option, str(info.value)
    assert not sends(adapter)


def test_query_is_mobileiron_only():
    adapter = Recorder()
    adapter.name = 'maas360'
    adapter.query_filter = None
    with pytest.raises(InvalidInputError) as info:
        run(adapter, action='lock', query='x')
    assert info.value.option == 'query'
    adapter = Recorder()
    run(adapter, action='lock', query='"common.platform" = "iOS"')
    assert adapter.calls[1] == ('list_devices', {}, {'query': '"common.platform" = "iOS"'})
