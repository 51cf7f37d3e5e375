# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The login broker and its client: a real broker process per test, stopped by the test (also on failure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.login_cache import BROKER_ENV, LoginCache, entry_key
from ansible_collections.fleetops.mdm.plugins.plugin_utils.login_broker import PROCESS_MARK, ensure_broker, ping
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import build
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_manageengine import (
    CLIENT_SECRET,
    CLOUD,
    TOKEN,
    TOKEN2,
    device_ids,
    ids,
    listing,
    page,
    token_grant,
    with_reply,
)

OPTIONS = dict(CLOUD, timeout=30, max_retries=5)


def broker_pids(socket_path):
    found = []
    for pid in os.listdir('/proc'):
        if pid.isdigit():
            try:
                with open('/proc/%s/cmdline' % pid, 'rb') as handle:
                    args = handle.read().decode('utf-8', 'replace').split('\0')
            except OSError:
                continue
            if PROCESS_MARK in args and socket_path in args:
                found.append(int(pid))
    return found


def wait_gone(socket_path, seconds=5.0):
    deadline = time.monotonic() + seconds
    while broker_pids(socket_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not broker_pids(socket_path)


@pytest.fixture
def run_dir():
    # Short and private, like ansible's per-run local temporary directory (a socket path must stay short).
    path = tempfile.mkdtemp(prefix='mdmlc-')
    os.chmod(path, 0o700)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def broker(run_dir):
    path = ensure_broker(run_dir, os.getpid(), idle=60)
    assert path is not None and broker_pids(path)
    try:
        yield path
    finally:
        if os.path.exists(path):
            os.unlink(path)
        if not wait_gone(path):
            for pid in broker_pids(path):
                os.kill(pid, signal.SIGKILL)
            raise AssertionError('the broker did not end when its socket was removed')


def test_the_second_task_gets_what_the_first_stored(broker):
    cache = LoginCache(broker)
    first = cache.acquire('auth', 'manageengine', OPTIONS)
    assert first.holds_lease and first.value is None
    expires_at = time.time() + 600
    entry_id = first.store({'headers': {'Authorization': 'Zoho-oauthtoken ' + TOKEN}, 'secrets': [TOKEN]}, expires_at)
    assert entry_id
    second = cache.acquire('auth', 'manageengine', OPTIONS)
    assert not second.holds_lease
    assert second.value == {'headers': {'Authorization': 'Zoho-oauthtoken ' + TOKEN}, 'secrets': [TOKEN]}
    assert (second.id, second.expires_at) == (entry_id, expires_at)
    # The timeout and retry count do not decide the login: the same entry.
    assert cache.acquire('auth', 'manageengine', dict(OPTIONS, timeout=5)).id == entry_id


def test_other_credentials_or_kind_name_another_entry(broker):
    cache = LoginCache(broker)
    cache.acquire('auth', 'manageengine', OPTIONS).store({'setting': 'x'}, time.time() + 600)
    for kind, options in (('auth', dict(OPTIONS, client_secret='another-secret')), ('auth', dict(OPTIONS, url='https://other.example')),
                          ('default_partition', OPTIONS)):
        lease = cache.acquire(kind, 'manageengine', options)
        assert lease.holds_lease and lease.value is None, (kind, options)
        lease.close()
    # The key is a keyed hash: no credential in it, and another salt gives another key.
    key = entry_key('salt-a', 'auth', 'manageengine', OPTIONS)
    assert CLIENT_SECRET not in key and len(key) == 64
    assert key != entry_key('salt-b', 'auth', 'manageengine', OPTIONS)


def test_concurrent_tasks_wait_for_the_one_login(broker):
    cache = LoginCache(broker)
    holder = cache.acquire('auth', 'maas360', OPTIONS)
    assert holder.holds_lease
    got = []
    waiter = threading.Thread(target=lambda: got.append(cache.acquire('auth', 'maas360', OPTIONS)))
    waiter.start()
    time.sleep(0.3)
    assert not got, 'a second task must wait for the login in flight, not log in too'
    holder.store({'headers': {'Authorization': 'MaaS token="t"'}, 'secrets': ['t']}, time.time() + 600)
    waiter.join(10)
    assert got and not got[0].holds_lease and got[0].value['secrets'] == ['t']


def test_a_failed_login_gives_the_lease_back(broker):
    cache = LoginCache(broker)
    cache.acquire('auth', 'maas360', OPTIONS).close()
    started = time.monotonic()
    lease = cache.acquire('auth', 'maas360', OPTIONS)
    assert lease.holds_lease and time.monotonic() - started < 2
    lease.close()


def test_a_refused_entry_is_renewed_once(broker):
    cache = LoginCache(broker)
    old = cache.acquire('auth', 'manageengine', OPTIONS).store({'headers': {'A': '1'}}, time.time() + 600)
    renewal = cache.acquire('auth', 'manageengine', OPTIONS, stale_id=old)
    assert renewal.holds_lease
    new = renewal.store({'headers': {'A': '2'}}, time.time() + 600)
    assert new != old
    # A task that was refused the old entry too gets the renewed one, not a lease to log in again.
    late = cache.acquire('auth', 'manageengine', OPTIONS, stale_id=old)
    assert (late.holds_lease, late.id, late.value) == (False, new, {'headers': {'A': '2'}})


def test_an_expired_entry_is_not_handed_out(broker):
    cache = LoginCache(broker)
    cache.acquire('auth', 'manageengine', OPTIONS).store({'headers': {'A': '1'}}, time.time() - 1)
    lease = cache.acquire('auth', 'manageengine', OPTIONS)
    assert lease.holds_lease and lease.value is None
    lease.close()


def test_the_module_finds_the_broker_only_in_a_private_place(broker, run_dir, tmp_path):
    assert isinstance(LoginCache.from_environment({BROKER_ENV: broker}), LoginCache)
    assert LoginCache.from_environment({}) is None
    assert LoginCache.from_environment({BROKER_ENV: 'relative.sock'}) is None
    assert LoginCache.from_environment({BROKER_ENV: os.path.join(run_dir, 'missing.sock')}) is None
    regular = os.path.join(run_dir, 'file')
    open(regular, 'w').close()
    assert LoginCache.from_environment({BROKER_ENV: regular}) is None
    os.chmod(run_dir, 0o755)
    try:
        assert LoginCache.from_environment({BROKER_ENV: broker}) is None
    finally:
        os.chmod(run_dir, 0o700)


def test_no_broker_means_log_in_as_before(run_dir):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path = os.path.join(run_dir, 'silent.sock')
    listener.bind(path)
    try:
        # Nobody listens / something that is not a broker: no cache, no exception.
        assert LoginCache(os.path.join(run_dir, 'none.sock')).acquire('auth', 'maas360', OPTIONS) is None
        listener.listen(1)
        threading.Thread(target=lambda: listener.accept()[0].sendall(b'{"hello": 1}\n')).start()
        assert LoginCache(path).acquire('auth', 'maas360', OPTIONS) is None
    finally:
        listener.close()


def test_no_broker_in_a_directory_others_may_enter(run_dir):
    os.chmod(run_dir, 0o755)
    assert ensure_broker(run_dir, os.getpid(), idle=60) is None
    assert not os.path.exists(os.path.join(run_dir, 'fleetops-mdm-login.sock'))


def test_the_broker_ends_with_the_process_of_the_play(run_dir):
    play = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    try:
        path = ensure_broker(run_dir, play.pid, idle=60)
        assert path and broker_pids(path)
        # A second task of the same play finds the running broker instead of starting another one.
        assert ensure_broker(run_dir, play.pid, idle=60) == path and len(broker_pids(path)) == 1
    finally:
        play.kill()
        play.wait()
    assert wait_gone(path), 'the broker outlived the process of its play'
    assert not os.path.exists(path)


def test_the_broker_ends_when_idle(run_dir):
    path = ensure_broker(run_dir, os.getpid(), idle=1)
    assert path
    assert wait_gone(path, seconds=5), 'the broker did not end after its idle timeout'


def test_tasks_of_a_play_mint_one_zoho_token(broker):
    cache = LoginCache(broker)
    first, session1, _sleeps = build(CLOUD, [token_grant(), listing(0, page([1], 1))], login_cache=cache)
    assert device_ids(first.list_devices(concurrency=1)) == ids([1])
    session1.assert_done()
    # The next task: the cached token, no grant; and the token is a secret of this task's transport too.
    second, session2, _sleeps = build(CLOUD, [listing(0, page([2], 1))], login_cache=cache)
    assert device_ids(second.list_devices(concurrency=1)) == ids([2])
    session2.assert_done()
    assert TOKEN in second.transport.secrets
    # The server expires the token early: one renewal, stored for the tasks after.
    refused = with_reply(listing(0, {'error_code': 'COM0013', 'error_description': 'Invalid OAuth token'}), status=401)
    third, session3, _sleeps = build(CLOUD, [refused, token_grant(TOKEN2), listing(0, page([3], 1), token=TOKEN2)], login_cache=cache)
    assert device_ids(third.list_devices(concurrency=1)) == ids([3])
    session3.assert_done()
    fourth, session4, _sleeps = build(CLOUD, [listing(0, page([4], 1), token=TOKEN2)], login_cache=cache)
    assert device_ids(fourth.list_devices(concurrency=1)) == ids([4])
    session4.assert_done()
    # Other credentials never get that token.
    other = dict(CLOUD, client_secret='an0ther-client-secret')
    query = {'refresh_token': CLOUD['refresh_token'], 'client_id': CLOUD['client_id'], 'client_secret': 'an0ther-client-secret',
             'grant_type': 'refresh_token'}
    grant = token_grant(TOKEN)
    grant.query = query
    fifth, session5, _sleeps = build(other, [grant, listing(0, page([5], 1))], login_cache=cache)
    assert device_ids(fifth.list_devices(concurrency=1)) == ids([5])
    session5.assert_done()


def test_a_stale_socket_is_replaced_and_a_live_one_kept(run_dir):
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(os.path.join(run_dir, 'fleetops-mdm-login.sock'))
    stale.close()
    assert ping(os.path.join(run_dir, 'fleetops-mdm-login.sock')) == 'dead'
    path = ensure_broker(run_dir, os.getpid(), idle=60)
    try:
        assert path and ping(path) == 'alive' and len(broker_pids(path)) == 1
        # Something that listens but does not answer (a broker too busy, say) is never replaced.
        assert ping(path, timeout=0.001) in ('alive', 'unknown')
    finally:
        os.unlink(path)
        assert wait_gone(path)
