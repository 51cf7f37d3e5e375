# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action run() with the journal of destructive commands: reruns, resends, check mode, failures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import result
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import AuthenticationError, ServerError
from ansible_collections.fleetops.mdm.plugins.module_utils.journal import Journal
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_action

from test_mdm_device_action import FakeModule, Recorder, sends

URL = 'https://core.example.com'


class Verifying(Recorder):
    """A recorder whose vendor documents a look-up of a command on the server."""

    def __init__(self, found=None, error=None, **kwargs):
        super(Verifying, self).__init__(**kwargs)
        self.found = found
        self.error = error

    def verify_command(self, spec, device_id, entry):
        self.calls.append(('verify_command', spec.name, device_id, entry['state']))
        if self.error is not None:
            raise self.error
        if self.found:
            return True, 'sent', 'pending on the server', 'srv-1'
        return False, None, 'not on the server', None


def run(tmp_path, adapter=None, check_mode=False, **params):
    adapter = adapter or Recorder()
    options = dict(journal=True, journal_path=str(tmp_path / 'journal'), url=URL, billing_id=None,
                   fail_on_partial=False)
    options.update(params)
    changed, report, _diff = mdm_device_action.run(FakeModule(check_mode=check_mode, **options), adapter)
    return changed, report, adapter


def lost_reply(device_id):
    return result(device_id, 'unknown', 'connection reset; verify before sending again')


def test_a_rerun_skips_what_a_lost_reply_left_unknown(tmp_path):
    _changed, first, _adapter = run(tmp_path, Recorder(replies={'d1': lost_reply('d1')}), action='wipe',
                                    devices=['d1', 'd2'], max_devices=2)
    assert [item['outcome'] for item in first['results']] == ['unknown', 'sent']
    changed, report, adapter = run(tmp_path, action='wipe', devices=['d1', 'd2'], max_devices=2)
    assert not sends(adapter)
    assert not changed
    assert [item['outcome'] for item in report['results']] == ['skipped', 'skipped']
    held = report['results'][0]
    assert held['journal']['state'] == 'unknown' and held['journal']['started']
    assert 'resend' in held['message'] and 'unknown' in held['message']
    assert report['results'][1]['command_id'] == 'c-d2' and report['results'][1]['journal']['state'] == 'sent'
    # What the server shows comes first: the device status is read before the journal is.
    assert [call for call in adapter.calls if call[0] == 'action_targets'] == [('action_targets', ['d1', 'd2'])]


def test_the_server_status_wins_over_the_journal(tmp_path):
    earlier = Journal('mobileiron_core', URL, path=str(tmp_path / 'journal'))
    earlier.claim(['d3'], 'wipe', action='wipe')
    earlier.record([result('d3', 'unknown')], 'wipe')
    _changed, report, _adapter = run(tmp_path, action='wipe', devices=['d3'])
    assert report['results'][0]['outcome'] == 'skipped' and 'already wiped' in report['results'][0]['message']
    assert 'journal' not in report['results'][0]


def test_resend_sends_once_where_the_vendor_has_no_lookup(tmp_path):
    run(tmp_path, Recorder(replies={'d1': lost_reply('d1')}), action='wipe', devices=['d1'])
    _changed, report, adapter = run(tmp_path, action='wipe', devices=['d1'], resend=True)
    assert sends(adapter) == [('send_action', 'wipe', {}, ['d1'])]
    assert report['results'][0]['outcome'] == 'sent'
    _changed, report, adapter = run(tmp_path, action='wipe', devices=['d1'])
    assert not sends(adapter) and report['results'][0]['journal']['state'] == 'sent'


def test_resend_asks_the_server_first_and_does_not_resend_what_it_has(tmp_path):
    run(tmp_path, Recorder(replies={'d1': lost_reply('d1')}), action='wipe', devices=['d1'])
    _changed, report, adapter = run(tmp_path, Verifying(found=True), action='wipe', devices=['d1'], resend=True)
    assert ('verify_command', 'wipe', 'd1', 'unknown') in adapter.calls
    assert not sends(adapter)
    item = report['results'][0]
    assert item['outcome'] == 'skipped' and 'already has' in item['message']
    assert item['journal']['state'] == 'sent' and item['journal']['command_id'] == 'srv-1'


def test_resend_sends_when_the_server_has_no_such_command(tmp_path):
    run(tmp_path, Recorder(replies={'d1': lost_reply('d1')}), action='wipe', devices=['d1'])
    _changed, report, adapter = run(tmp_path, Verifying(found=False), action='wipe', devices=['d1'], resend=True)
    assert sends(adapter) == [('send_action', 'wipe', {}, ['d1'])]
    assert report['results'][0]['outcome'] == 'sent'


def test_a_failed_lookup_before_a_resend_sends_nothing(tmp_path):
    run(tmp_path, Recorder(replies={'d1': lost_reply('d1')}), action='wipe', devices=['d1'])
    adapter = Verifying(error=ServerError('boom', vendor='mobileiron_core', status=500))
    _changed, report, adapter = run(tmp_path, adapter, action='wipe', devices=['d1'], resend=True)
    assert not sends(adapter)
    assert report['results'][0]['outcome'] == 'failed' and 'nothing was sent' in report['results'][0]['message']


def test_resend_of_a_sent_command_does_not_ask_and_sends(tmp_path):
    run(tmp_path, action='wipe', devices=['d1'])
    _changed, _report, adapter = run(tmp_path, Verifying(found=True), action='wipe', devices=['d1'], resend=True)
    assert not [call for call in adapter.calls if call[0] == 'verify_command']
    assert len(sends(adapter)) == 1


def test_check_mode_reads_the_journal_and_writes_nothing(tmp_path):
    _changed, report, adapter = run(tmp_path, check_mode=True, action='wipe', devices=['d1'])
    assert not sends(adapter) and report['results'][0]['outcome'] != 'skipped'
    assert not os.path.exists(str(tmp_path / 'journal'))
    run(tmp_path, Recorder(replies={'d1': lost_reply('d1')}), action='wipe', devices=['d1'])
    files = sorted(os.listdir(str(tmp_path / 'journal')))
    before = dict((name, os.stat(str(tmp_path / 'journal' / name)).st_mtime_ns) for name in files)
    _changed, report, adapter = run(tmp_path, Verifying(found=True), check_mode=True, action='wipe', devices=['d1'],
                                    resend=True)
    assert report['results'][0]['outcome'] == 'skipped'
    after = dict((name, os.stat(str(tmp_path / 'journal' / name)).st_mtime_ns) for name in files)
    assert sorted(os.listdir(str(tmp_path / 'journal'))) == files and after == before
    _changed, report, _adapter = run(tmp_path, check_mode=True, action='wipe', devices=['d1'])
    assert report['results'][0]['outcome'] == 'skipped'


def test_non_destructive_commands_are_not_journaled(tmp_path):
    run(tmp_path, action='lock', devices=['d1'])
    _changed, report, adapter = run(tmp_path, action='lock', devices=['d1'])
    assert len(sends(adapter)) == 1 and report['results'][0]['outcome'] == 'sent'
    assert not os.path.exists(str(tmp_path / 'journal'))


def test_journal_off_sends_again(tmp_path):
    run(tmp_path, action='wipe', devices=['d1'])
    _changed, _report, adapter = run(tmp_path, action='wipe', devices=['d1'], journal=False)
    assert len(sends(adapter)) == 1


def test_a_login_refused_before_any_send_leaves_no_claim(tmp_path):
    class Refused(Recorder):
        def send_action(self, spec, params, devices, concurrency=4):
            raise AuthenticationError('bad credentials', vendor='maas360')
    with pytest.raises(AuthenticationError):
        run(tmp_path, Refused(), action='wipe', devices=['d1'])
    _changed, report, adapter = run(tmp_path, action='wipe', devices=['d1'])
    assert len(sends(adapter)) == 1 and report['results'][0]['outcome'] == 'sent'


def test_an_unexpected_error_after_the_request_went_out_is_journaled_unknown(tmp_path):
    class Broken(Recorder):
        send_control = None

        class transport:  # what the module reads to redact an error's text
            secrets = ()

        def send_action(self, spec, params, devices, concurrency=4):
            assert self.send_control.starting(list(devices))
            raise RuntimeError('adapter bug after the request went out')
    _changed, report, _adapter = run(tmp_path, Broken(), action='wipe', devices=['d1'])
    assert report['results'][0]['outcome'] == 'unknown'
    _changed, report, adapter = run(tmp_path, action='wipe', devices=['d1'], fail_on_partial=True)
    assert not sends(adapter)
    assert report['results'][0]['journal']['state'] == 'unknown'


def test_a_run_killed_while_sending_leaves_its_claim(tmp_path):
    earlier = Journal('mobileiron_core', URL, path=str(tmp_path / 'journal'))
    earlier.claim(['d1'], 'wipe', action='wipe')  # ... and the process never wrote the outcome
    _changed, report, adapter = run(tmp_path, action='wipe', devices=['d1'])
    assert not sends(adapter)
    assert report['results'][0]['outcome'] == 'skipped' and report['results'][0]['journal']['state'] == 'sending'


def test_devices_not_reached_before_an_interruption_are_not_held(tmp_path):
    with pytest.raises(PartialFailure):
        run(tmp_path, Recorder(replies={'d1': result('d1', 'not_sent', 'interrupted (SIGTERM) before the request')}),
            action='wipe', devices=['d1'])
    _changed, report, adapter = run(tmp_path, action='wipe', devices=['d1'])
    assert len(sends(adapter)) == 1 and report['results'][0]['outcome'] == 'sent'


def test_bad_window_is_refused_before_any_request(tmp_path):
    from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
    with pytest.raises(InvalidInputError, match='journal_window'):
        run(tmp_path, action='wipe', devices=['d1'], journal_window=0)


def test_waiting_records_the_final_outcome(tmp_path):
    class Following(Recorder):
        def action_catalogue(self):
            catalogue = super(Following, self).action_catalogue()
            catalogue['wipe'].waitable = True
            return catalogue
    run(tmp_path, Following(), action='wipe', devices=['d1'], wait=True)
    _changed, report, _adapter = run(tmp_path, action='wipe', devices=['d1'])
    assert report['results'][0]['journal']['state'] == 'completed'


def test_partial_failure_report_keeps_the_journal_entries(tmp_path):
    run(tmp_path, Recorder(replies={'d1': lost_reply('d1')}), action='wipe', devices=['d1'])
    with pytest.raises(PartialFailure):
        run(tmp_path, Recorder(replies={'d2': result('d2', 'failed', 'refused')}), action='wipe', devices=['d1', 'd2'],
            max_devices=2, fail_on_partial=True)
    _changed, report, adapter = run(tmp_path, action='wipe', devices=['d1', 'd2'], max_devices=2)
    assert sends(adapter) == [('send_action', 'wipe', {}, ['d2'])]
    assert report['results'][0]['outcome'] == 'skipped'
