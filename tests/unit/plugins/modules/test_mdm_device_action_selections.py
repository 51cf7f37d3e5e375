# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action: what a selection may choose (empty selectors, exact labels, max_devices on every selector-chosen
command), dry runs that never say "sent", --diff, texts sent to devices, and reports that survive an exception or
a SIGINT / SIGTERM in the middle of a bulk command."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import time

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import ActionSpec, ParamSpec, check_params, result
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.module_utils.device import device_matches, validate_neutral_filters
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import VendorSession
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DeviceActions
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_action

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import build
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_maas360 import OPTIONS, auth
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_maas360_actions import action
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules.test_mdm_device_action import (
    DEVICES,
    FakeModule,
    Recorder,
    run,
    sends,
)


class Fleet(Recorder):
    """A Recorder with ``count`` more devices (a fleet bigger than the selector default), labels BYOD and byod; it
    sends through DeviceActions.send_each as every vendor's device commands do."""

    send_control = None
    send_each = DeviceActions.send_each
    map_concurrently = staticmethod(VendorSession.map_concurrently)
    transport = type('Transport', (), {'secrets': ('s3cret-token',)})()

    def __init__(self, count=150, normalise=None, **kwargs):
        super(Fleet, self).__init__(**kwargs)
        self.fleet = [dict(d) for d in DEVICES] + [
            dict(mdm_device_id='d%d' % n, mdm_platform='android', mdm_status='active', mdm_user='u%d' % n,
                 mdm_name='phone %d' % n, mdm_model='Pixel 8', mdm_labels=['BYOD'] if n % 2 else ['byod'])
            for n in range(10, 10 + count)]
        if normalise is not None:
            self.normalise_device_id = normalise

    def list_devices(self, filters=None, vendor_filters=None, concurrency=4, **_kwargs):
        self.calls.append(('list_devices', filters, vendor_filters))
        neutral = validate_neutral_filters(filters)
        return [dict(d) for d in self.fleet if device_matches(d, neutral)]

    def action_targets(self, spec, devices, concurrency=4):
        self.calls.append(('action_targets', list(devices)))
        return dict((d['mdm_device_id'], d) for d in self.fleet if d['mdm_device_id'] in devices)


# -- empty selectors ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize('params, option', [
    (dict(action='lock', filters={}), 'filters'),
    (dict(action='clear_passcode', vendor_filters={}), 'vendor_filters'),
    (dict(action='lock', filters={'user': ''}), 'filters.user'),
    (dict(action='lock', filters={'user': []}), 'filters.user'),
    (dict(action='lock', vendor_filters={'query': '  '}), 'vendor_filters.query'),
    (dict(action='lock', query=''), 'query'),
    (dict(action='lock', label='Kiosk', label_pattern='K*'), 'label_pattern'),
    (dict(action='lock', label_pattern=' '), 'label_pattern'),
    (dict(action='lock', filters={'label': 'Kiosk'}, label_pattern='K*'), 'filters.label'),
])
def test_an_empty_selector_never_chooses_the_fleet(params, option):
    adapter = Fleet()
    with pytest.raises(InvalidInputError) as info:
        run(adapter, **params)
    assert info.value.option == option, str(info.value)
    assert not sends(adapter) and not [call for call in adapter.calls if call[0] == 'list_devices']


def test_the_whole_fleet_only_by_all_devices_and_an_explicit_max_devices():
    adapter = Fleet(count=150)
    with pytest.raises(InvalidInputError) as info:
        run(adapter, action='lock', all_devices=True)
    assert info.value.option == 'max_devices' and '153 devices' in str(info.value) and '100, the default' in str(info.value)
    assert not sends(adapter)
    # A template that yields {} beside all_devices: true is the whole fleet, said so.
    _changed, report, adapter = run(Fleet(count=150), action='lock', all_devices=True, filters={}, max_devices=200)
    assert report['summary']['sent'] == 153 and len(sends(adapter)[0][3]) == 153


# -- label: one label by its exact name --------------------------------------------------------------------------
@pytest.mark.parametrize('label', ['BYO?', '*', 'BYO[D]', 'byod*'])
def test_label_is_never_a_pattern(label):
    adapter = Fleet(count=4)
    with pytest.raises(InvalidInputError) as info:
        run(adapter, action='lock', label=label)
    assert info.value.option == 'label' and 'matched no device' in str(info.value)
    assert not sends(adapter)


def test_label_matches_its_exact_name_and_case_and_filters_label_too():
    _changed, report, _adapter = run(Fleet(count=4), action='lock', label='BYOD')
    assert report['devices'] == ['d11', 'd13']
    _changed, report, _adapter = run(Fleet(count=4), action='lock', filters={'label': 'byod'})
    assert report['devices'] == ['d10', 'd12']


def test_label_pattern_is_the_documented_pattern():
    _changed, report, _adapter = run(Fleet(count=4), action='lock', label_pattern='BYO?')
    assert report['devices'] == ['d10', 'd11', 'd12', 'd13']


# -- max_devices on every selector-chosen command ------------------------------------------------------------------
@pytest.mark.parametrize('action', ['lock', 'send_message'])
def test_a_non_destructive_command_chosen_by_a_selector_is_capped(action):
    adapter = Fleet(count=120)
    extra = dict(text='hi') if action == 'send_message' else {}
    with pytest.raises(InvalidInputError) as info:
        run(adapter, action=action, filters={'platform': 'android'}, **extra)
    assert info.value.option == 'max_devices' and '121 devices chosen by filters' in str(info.value)
    assert not sends(adapter)
    _changed, report, adapter = run(Fleet(count=120), action=action, filters={'platform': 'android'}, max_devices=121,
                                    **extra)
    assert report['summary']['sent'] == 121


def test_ids_given_are_their_own_limit_unless_max_devices_is_given():
    ids = ['d%d' % n for n in range(10, 130)]
    _changed, report, _adapter = run(Fleet(count=120), action='lock', devices=ids)
    assert report['summary']['sent'] == 120
    adapter = Fleet(count=120)
    with pytest.raises(InvalidInputError) as info:
        run(adapter, action='lock', devices=ids, max_devices=50)
    assert info.value.option == 'max_devices' and not sends(adapter)


def test_max_devices_counts_after_id_normalisation():
    # Two spellings of one device are one device: a destructive command on it passes max_devices=1 and is sent once.
    adapter = Fleet(count=2, normalise=lambda value: 'd%d' % int(value.strip()[1:]))
    _changed, report, adapter = run(adapter, action='wipe', devices=['d010', 'd10 '])
    assert report['devices'] == ['d10'] and sends(adapter)[0][3] == ['d10']


# -- check mode and --diff -----------------------------------------------------------------------------------------
def test_check_mode_says_would_send_and_diff_shows_each_device():
    module = FakeModule(check_mode=True, action='lock', filters={'user': 'u2?'}, max_devices=20)
    module._diff = True
    adapter = Fleet(count=12)
    changed, report, diff = mdm_device_action.run(module, adapter)
    assert changed and not sends(adapter)
    assert set(item['outcome'] for item in report['results']) == {'would_send'}
    assert report['summary']['would_send'] == 2 and report['summary']['sent'] == 0
    assert diff['after'].splitlines() == ['lock d20 (name: phone 20, user: u20, model: Pixel 8)',
                                          'lock d21 (name: phone 21, user: u21, model: Pixel 8)']
    assert 'would be sent to 2 device(s)' in diff['after_header']


def test_diff_reads_the_devices_given_by_id():
    module = FakeModule(check_mode=True, action='wipe', devices=['d3', 'd10'], max_devices=2)
    module._diff = True
    adapter = Fleet(count=2)
    _changed, report, diff = mdm_device_action.run(module, adapter)
    assert ('action_targets', ['d3', 'd10']) in adapter.calls
    assert [item['outcome'] for item in report['results']] == ['skipped', 'would_send']
    assert diff['after'] == 'wipe d10 (name: phone 10, user: u10, model: Pixel 8)\n'


# -- texts sent to devices -----------------------------------------------------------------------------------------
@pytest.mark.parametrize('params, option', [
    (dict(action='lock', text='call\x07IT'), 'text'),
    (dict(action='lock', text='line one\nline two'), 'text'),
    (dict(action='lock', text='tab\there'), 'text'),
    (dict(action='lock', params={'message': 'a\rb'}), 'params.message'),
    (dict(action='send_message', text='ok', subject='sub\nject'), 'subject'),
    (dict(action='send_message', text='nul\x00byte'), 'text'),
    (dict(action='send_message', text='esc\x1b[2J'), 'text'),
    (dict(action='send_message', text='c1\x85'), 'text'),
])
def test_control_characters_are_refused_before_any_request(params, option):
    adapter = Recorder()
    with pytest.raises(InvalidInputError) as info:
        run(adapter, devices=['d1'], **params)
    assert info.value.option == option, str(info.value)
    assert 'U+' in str(info.value)
    assert not sends(adapter)


def test_a_message_body_may_hold_newlines_and_tabs():
    _changed, _report, adapter = run(action='send_message', devices=['d1'], text='Dear user,\n\tplease call IT.')
    assert sends(adapter)[0][2]['message'] == 'Dear user,\n\tplease call IT.'


def test_a_secret_text_is_never_echoed_in_the_error():
    spec = ActionSpec('lock', params={'unlock_pin': ParamSpec()})
    with pytest.raises(InvalidInputError) as info:
        check_params(spec, {'unlock_pin': '12\x0034'})
    assert '12' not in str(info.value) and 'U+0000' in str(info.value)


# -- an exception for one device, SIGINT / SIGTERM midway ---------------------------------------------------------
def test_an_exception_for_one_device_is_that_devices_unknown_and_the_others_keep_their_results():
    ids = ['Androidc60775214', 'ApplD8DTH6RCIH86', 'ApplD8DTH6RCIH87']
    script = [auth(), action('lockDevice', ids[0]), action('lockDevice', ids[1], raise_exc=ValueError('garbled frame')),
              action('lockDevice', ids[2])]
    adapter, session, _sleeps = build(OPTIONS, script)
    spec = adapter.capabilities['actions'].action_catalogue()['lock']
    results = adapter.capabilities['actions'].send_action(spec, {}, ids, concurrency=1)
    assert [item['outcome'] for item in results] == ['sent', 'unknown', 'sent']
    assert 'garbled frame' in results[1]['message'] and 'verify' in results[1]['message']
    assert len(session.calls) == 4


class Raising(Fleet):
    """Sends through send_each like every adapter, and raises outside it after the first batch."""

    def send_action(self, spec, params, devices, concurrency=4):
        self.calls.append(('send_action', spec.name, params, list(devices)))
        self.send_each(lambda d: result(d, 'sent', 'accepted'), devices[:2], 1)
        raise KeyError('reply without s3cret-token field')


def test_an_exception_that_ends_sending_keeps_the_results_so_far():
    with pytest.raises(PartialFailure) as info:
        run(Raising(count=3), action='lock', devices=['d1', 'd2', 'd10', 'd11'])
    outcomes = [(item['device_id'], item['outcome']) for item in info.value.result['results']]
    assert outcomes == [('d1', 'sent'), ('d2', 'sent'), ('d10', 'unknown'), ('d11', 'unknown')]
    assert 'KeyError' in info.value.result['results'][2]['message']
    assert 's3cret-token' not in json.dumps(info.value.result)


class Signalling(Fleet):
    """A bulk command that receives ``signum`` (as the module does from ansible-playbook) while sending device 3."""

    def __init__(self, signum, **kwargs):
        super(Signalling, self).__init__(**kwargs)
        self.signum = signum
        self.commanded = []

    def send_action(self, spec, params, devices, concurrency=4):
        def one(device_id):
            self.commanded.append(device_id)
            if len(self.commanded) == 3:
                os.kill(os.getpid(), self.signum)
            return result(device_id, 'sent', 'accepted')
        return self.send_each(one, devices, 1)


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_sending_and_the_results_so_far_are_returned_and_written(tmp_path, signum):
    previous = signal.getsignal(signum)
    adapter = Signalling(signum, count=10)
    path = str(tmp_path / 'results.jsonl')
    ids = ['d%d' % n for n in range(10, 20)]
    with pytest.raises(PartialFailure) as info:
        run(adapter, action='lock', devices=ids, results_file=path)
    assert signal.getsignal(signum) == previous
    name = signal.Signals(signum).name
    assert 'interrupted by %s' % name in info.value.msg
    outcomes = dict((item['device_id'], item['outcome']) for item in info.value.result['results'])
    assert adapter.commanded == ids[:3]
    assert outcomes == dict([(i, 'sent') for i in ids[:3]] + [(i, 'not_sent') for i in ids[3:]])
    assert info.value.result['summary']['not_sent'] == 7
    with open(path) as handle:
        lines = [json.loads(line) for line in handle]
    assert oct(os.stat(path).st_mode & 0o777) == '0o600'
    assert lines[0]['event'] == 'start' and lines[0]['pid'] == os.getpid()
    assert [line['devices'] for line in lines if line['event'] == 'sending'] == [[i] for i in ids[:3]]
    written = dict((line['device_id'], line['outcome']) for line in lines if line['event'] == 'result')
    assert written == outcomes
    assert lines[-1]['event'] == 'end' and lines[-1]['interrupted'] == name and lines[-1]['summary']['sent'] == 3


class SignalWhileWaiting(Fleet):
    """Every command is sent; ``signum`` arrives while the module follows them (wait), which would take 30 s."""

    def __init__(self, signum, **kwargs):
        super(SignalWhileWaiting, self).__init__(**kwargs)
        self.signum = signum
        self.polls = 0

    def send_action(self, spec, params, devices, concurrency=4):
        return self.send_each(lambda device_id: result(device_id, 'sent', 'accepted'), devices, 1)

    def wait_actions(self, spec, results, timeout, interval=5.0):
        results[0]['outcome'] = 'completed'
        os.kill(os.getpid(), self.signum)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.polls += 1
            time.sleep(0.01)
        raise AssertionError('the wait was not ended by the signal')


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_following_the_commands_ends_the_wait_and_keeps_the_results(tmp_path, signum):
    adapter = SignalWhileWaiting(signum, count=10)
    started = time.monotonic()
    with pytest.raises(PartialFailure) as info:
        run(adapter, action='remote_session', devices=['d1', 'd10'], wait=True, wait_interval=1, wait_timeout=60,
            results_file=str(tmp_path / 'r.jsonl'))
    assert time.monotonic() - started < 10
    assert 'interrupted by %s' % signal.Signals(signum).name in info.value.msg
    outcomes = [item['outcome'] for item in info.value.result['results']]
    # Both were sent; the first was followed to completion before the signal, the second stays sent.
    assert outcomes == ['completed', 'sent'] and adapter.polls < 1000
