# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The journal of destructive commands: claims, windows, outcomes, pruning, locking, unreadable files, modes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import json
import multiprocessing
import os
import stat

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils import journal as journal_module
from ansible_collections.fleetops.mdm.plugins.module_utils.journal import Journal, JournalError, server_scope

URL = 'https://core.example.com:8443/'
HOUR = 3600.0


class Clock:
    def __init__(self, now=1.8e9):
        self.now = now

    def __call__(self):
        return self.now


def make(tmp_path, clock=None, url=URL, window=24, **kwargs):
    return Journal('mobileiron_core', url, path=str(tmp_path / 'journal'), window_hours=window, clock=clock or Clock(),
                   **kwargs)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_claim_holds_the_device_against_every_other_run(tmp_path):
    clock = Clock()
    first, second = make(tmp_path, clock), make(tmp_path, clock)
    assert first.lookup(['u1', 'u2'], 'wipe') == {}
    assert first.claim(['u1', 'u2'], 'wipe', action='wipe') == {}
    held = second.claim(['u1', 'u3'], 'wipe')
    assert list(held) == ['u1'] and held['u1']['state'] == 'sending'
    assert set(second.lookup(['u1', 'u2', 'u3'], 'wipe')) == {'u1', 'u2', 'u3'}
    # Another command of the same device is another key.
    assert second.lookup(['u1'], 'retire') == {}


@pytest.mark.parametrize('outcome, blocks', [
    ('sent', True), ('unknown', True), ('completed', True), ('failed', False), ('not_applicable', False)])
def test_outcomes_that_may_have_reached_the_device_block_a_new_send(tmp_path, outcome, blocks):
    clock = Clock()
    run = make(tmp_path, clock)
    run.claim(['u1'], 'wipe')
    run.record([dict(device_id='u1', outcome=outcome, command_id='42')], 'wipe')
    found = make(tmp_path, clock).lookup(['u1'], 'wipe')
    assert bool(found) is blocks
    if blocks:
        assert found['u1']['state'] == outcome and found['u1']['command_id'] == '42'


def test_the_window_ends_the_block(tmp_path):
    clock = Clock()
    run = make(tmp_path, clock, window=2)
    run.claim(['u1'], 'wipe')
    run.record([dict(device_id='u1', outcome='unknown')], 'wipe')
    clock.now += 2 * HOUR - 1
    assert make(tmp_path, clock, window=2).lookup(['u1'], 'wipe')
    clock.now += 2
    assert make(tmp_path, clock, window=2).lookup(['u1'], 'wipe') == {}
    # A longer window of another run still sees it: the entry is kept a week.
    assert make(tmp_path, clock, window=48).lookup(['u1'], 'wipe')
    assert make(tmp_path, clock, window=2).claim(['u1'], 'wipe') == {}


def test_resend_overrides_earlier_runs_but_not_a_run_sending_now(tmp_path):
    clock = Clock()
    make(tmp_path, clock).claim(['u1'], 'wipe')
    clock.now += 10
    resend = make(tmp_path, clock)
    clock.now += 10
    make(tmp_path, clock).claim(['u2'], 'wipe')  # started after the resending run: in flight right now
    held = resend.claim(['u1', 'u2'], 'wipe', resend=True)
    assert list(held) == ['u2']
    assert make(tmp_path, clock).lookup(['u1'], 'wipe')['u1']['started_ts'] == clock.now


def test_record_and_release_touch_only_this_runs_entries(tmp_path):
    clock = Clock()
    other, run = make(tmp_path, clock), make(tmp_path, clock)
    other.claim(['u1'], 'wipe')
    run.claim(['u2', 'u3'], 'wipe')
    run.record([dict(device_id='u1', outcome='failed'), dict(device_id='u2', outcome='sent')], 'wipe')
    run.release(['u1', 'u2', 'u3'], 'wipe')
    found = make(tmp_path, clock).lookup(['u1', 'u2', 'u3'], 'wipe')
    assert found['u1']['state'] == 'sending'   # the other run's, untouched by record and release
    assert found['u2']['state'] == 'sent'      # sent: never released
    assert 'u3' not in found                   # claimed, never sent: released


def test_old_entries_are_pruned_and_the_file_is_bounded(tmp_path, monkeypatch):
    clock = Clock()
    make(tmp_path, clock).claim(['old'], 'wipe')
    clock.now += journal_module.KEEP_SECONDS + 1
    monkeypatch.setattr(journal_module, 'MAX_ENTRIES', 5)
    run = make(tmp_path, clock)
    for number in range(8):
        clock.now += 1
        run.claim(['d%d' % number], 'wipe')
    with open(run.file) as handle:
        entries = json.load(handle)['entries']
    assert sorted(entries) == ['wipe|d%d' % number for number in range(3, 8)]


def test_an_unreadable_journal_stops_the_run_and_is_left_alone(tmp_path):
    run = make(tmp_path)
    run.claim(['u1'], 'wipe')
    with open(run.file, 'w') as handle:
        handle.write('{"entries": {"wipe|u1": {"sta')
    for call in (lambda: run.lookup(['u1'], 'wipe'), lambda: run.claim(['u2'], 'wipe')):
        with pytest.raises(JournalError) as info:
            call()
        assert run.file in str(info.value) and 'journal: false' in str(info.value)
    with open(run.file) as handle:
        assert handle.read() == '{"entries": {"wipe|u1": {"sta'
    with open(run.file, 'w') as handle:
        handle.write('[1, 2]')
    with pytest.raises(JournalError, match='not a journal'):
        run.lookup(['u1'], 'wipe')


def test_directory_and_files_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        run = make(tmp_path)
        run.claim(['u1'], 'wipe')
    finally:
        os.umask(old)
    assert mode(run.directory) == 0o700
    assert mode(run.file) == 0o600 and mode(run.lock_file) == 0o600
    os.chmod(run.directory, 0o755)
    run.record([dict(device_id='u1', outcome='sent')], 'wipe')
    assert mode(run.directory) == 0o700
    assert sorted(os.listdir(run.directory)) == sorted([os.path.basename(run.file), os.path.basename(run.lock_file)])


def test_reading_creates_nothing(tmp_path):
    run = make(tmp_path)
    assert run.lookup(['u1'], 'wipe') == {}
    assert not os.path.exists(run.directory)


def test_no_credential_of_the_url_reaches_the_file(tmp_path):
    run = make(tmp_path, url='https://admin:s3cr3t-pw@core.example.com/mifs?token=abc#x')
    run.claim(['u1'], 'wipe')
    with open(run.file) as handle:
        text = handle.read()
    assert 's3cr3t-pw' not in text and 'admin' not in text and 'abc' not in text
    assert json.loads(text)['server'] == 'mobileiron_core https://core.example.com/mifs'


def test_server_scope_is_one_per_server():
    assert server_scope('mobileiron_core', 'HTTPS://Core.Example.com:443/') == server_scope(
        'mobileiron_core', 'https://core.example.com')
    assert server_scope('mobileiron_core', 'https://core.example.com:8443') != server_scope(
        'mobileiron_core', 'https://core.example.com')
    assert server_scope('maas360', 'https://services.m3.maas360.com', '1001') != server_scope(
        'maas360', 'https://services.m3.maas360.com', '1002')
    assert server_scope('maas360', 'https://h', '1') != server_scope('mobileiron_cloud', 'https://h', '1')


def test_a_lock_held_too_long_fails_clearly(tmp_path):
    run = make(tmp_path, lock_timeout=0.3)
    run.claim(['u1'], 'wipe')
    descriptor = os.open(run.lock_file, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        with pytest.raises(JournalError, match='stayed locked by another run'):
            run.claim(['u2'], 'wipe')
        # Readers need no lock.
        assert list(run.lookup(['u1'], 'wipe')) == ['u1']
    finally:
        os.close(descriptor)
    assert run.claim(['u2'], 'wipe') == {}


def test_window_out_of_range_is_refused(tmp_path):
    for window in (0, -1, journal_module.MAX_WINDOW_HOURS + 1, True):
        with pytest.raises(JournalError, match='journal_window'):
            make(tmp_path, window=window)


def _claim_in_process(directory, queue):
    run = Journal('maas360', 'https://services.m3.maas360.com', billing_id='30057896', path=directory)
    held = run.claim(['Androidc60775214'], 'wipeDevice')
    queue.put('held' if held else 'claimed')


def test_concurrent_processes_claim_a_device_exactly_once(tmp_path):
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    directory = str(tmp_path / 'journal')
    processes = [context.Process(target=_claim_in_process, args=(directory, queue)) for _number in range(8)]
    for process in processes:
        process.start()
    try:
        answers = sorted(queue.get(timeout=30) for _process in processes)
    finally:
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.terminate()
    assert answers == ['claimed'] + ['held'] * 7
