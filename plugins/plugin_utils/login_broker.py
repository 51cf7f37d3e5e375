# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The login broker: one small process per ``ansible-playbook`` run that keeps tokens and discovered settings in
memory (never on disk) so that the tasks, loops and roles of a play log in once (module_utils/login_cache.py tells
the protocol).

Why a process: each task runs in a worker process forked from ``ansible-playbook`` and its module in a further
child, so nothing a task keeps in memory survives to the next task (the same reason ansible-core runs persistent
network connections in ``ansible-connection``).  The action plugin (plugins/plugin_utils/login_action.py) calls
``ensure_broker()``; the broker listens on a Unix socket inside ansible's private per-run temporary directory
(created 0700 by ``ansible-playbook``, removed when it exits) and ends when that process ends, when its socket
is removed, or after ``idle`` seconds without a request.

This file runs as a script (``python login_broker.py --socket S --parent PID``) and so imports the standard
library only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import fcntl
import json
import os
import select
import signal
import socket
import stat
import struct
import subprocess
import sys
import threading
import time

PROTOCOL = 1
SOCKET_NAME = 'fleetops-mdm-login.sock'
LOCK_NAME = 'fleetops-mdm-login.lock'
# Beyond this a Unix socket path does not fit sockaddr_un (108 bytes on Linux, 104 on macOS and the BSDs).
MAX_SOCKET_PATH = 100
# A client waits this long for another client's login before it is told to log in by itself.
LEASE_WAIT = 120.0
IDLE_TIMEOUT = 900
START_TIMEOUT = 10.0
MAX_ENTRIES = 256
MAX_LINE = 1024 * 1024
# What tests and operators look for in the process list.
PROCESS_MARK = 'fleetops-mdm-login-broker'


# -- the controller's side: find or start the broker ----------------------------------------------------------------
def socket_path(run_dir):
    return os.path.join(run_dir, SOCKET_NAME)


def ping(path, timeout=5.0):
    """'alive' when a broker answers on ``path``, 'dead' when nothing listens there, 'unknown' when something is
    there but did not answer in time (a busy machine): that one is left alone, never replaced."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
        line = sock.makefile('rb').readline(MAX_LINE)
        return 'alive' if json.loads(line.decode('utf-8')).get('protocol') == PROTOCOL else 'unknown'
    except (FileNotFoundError, ConnectionRefusedError):
        return 'dead'
    except (OSError, ValueError, AttributeError):
        return 'unknown'
    finally:
        sock.close()


def ensure_broker(run_dir, parent_pid, idle=IDLE_TIMEOUT):
    """The socket path of this run's broker, started if none answers; None when it cannot be used here.

    ``run_dir`` must be a directory only this user can enter (ansible's per-run local temporary directory),
    ``parent_pid`` the ``ansible-playbook`` process whose end ends the broker."""
    path = socket_path(run_dir)
    if len(path) > MAX_SOCKET_PATH:
        return None
    try:
        info = os.lstat(run_dir)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    # 'unknown' may be a broker too busy to answer: the module finds out (and logs in by itself if it must).
    if ping(path) != 'dead':
        return path
    # Several forks may start their first task at once: one of them starts the broker, the others find it.
    with open(os.path.join(run_dir, LOCK_NAME), 'a') as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if ping(path) != 'dead':
            return path
        if os.path.lexists(path):
            os.unlink(path)
        return _start(path, parent_pid, idle)


def _start(path, parent_pid, idle):
    cmd = [sys.executable, os.path.abspath(__file__), '--socket', path, '--parent', str(parent_pid), '--idle', str(int(idle)),
           '--mark', PROCESS_MARK]
    env = dict((name, value) for name, value in os.environ.items() if name in ('PATH', 'LANG', 'LC_ALL', 'TMPDIR'))
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                            close_fds=True, start_new_session=True, cwd='/', env=env)
    ready = select.select([proc.stdout], [], [], START_TIMEOUT)[0]
    line = proc.stdout.readline() if ready else b''
    proc.stdout.close()
    if line.strip() == b'ready':
        return path
    # It did not come up: leave nothing behind.
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    return None


# -- the broker --------------------------------------------------------------------------------------------------
class Broker(object):
    """Entries by key, each with an id, its value and when it stops being handed out; one lease per key."""

    def __init__(self):
        self.salt = os.urandom(32).hex()
        self.entries = {}
        self.leases = set()
        self.cond = threading.Condition()
        self.next_id = 1
        self.active = 0
        self.last_activity = time.monotonic()

    def _fresh(self, key):
        entry = self.entries.get(key)
        if entry is not None and entry['expires_at'] is not None and time.time() >= entry['expires_at']:
            del self.entries[key]
            entry = None
        return entry

    def acquire(self, key, stale):
        """('value', entry) | ('lease', None) | ('busy', None)."""
        deadline = time.monotonic() + LEASE_WAIT
        with self.cond:
            while True:
                entry = self._fresh(key)
                if entry is not None and (stale is None or entry['id'] != stale):
                    return 'value', entry
                if key not in self.leases:
                    if entry is not None:
                        # The server refused this entry (a 401): it must not be handed out again.
                        del self.entries[key]
                    self.leases.add(key)
                    return 'lease', None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return 'busy', None
                self.cond.wait(remaining)

    def store(self, key, value, expires_at):
        with self.cond:
            if len(self.entries) >= MAX_ENTRIES and key not in self.entries:
                oldest = min(self.entries, key=lambda name: self.entries[name]['id'])
                del self.entries[oldest]
            entry = {'id': self.next_id, 'value': value, 'expires_at': expires_at}
            self.next_id += 1
            self.entries[key] = entry
            return entry['id']

    def release(self, key):
        with self.cond:
            self.leases.discard(key)
            self.cond.notify_all()

    def handle(self, conn):
        with self.cond:
            self.active += 1
        try:
            if not _same_user(conn):
                return
            conn.settimeout(LEASE_WAIT + 30)
            reader = conn.makefile('rb')
            _send(conn, {'protocol': PROTOCOL, 'salt': self.salt})
            request = _read(reader)
            if request is None or request.get('op') != 'acquire' or not isinstance(request.get('key'), str):
                return
            key = request['key']
            outcome, entry = self.acquire(key, request.get('stale'))
            if outcome == 'value':
                _send(conn, {'value': entry['value'], 'id': entry['id'], 'expires_at': entry['expires_at']})
                return
            if outcome == 'busy':
                _send(conn, {'busy': True})
                return
            try:
                _send(conn, {'lease': True})
                stored = _read(reader)
                if stored is not None and stored.get('op') == 'store' and 'value' in stored:
                    expires_at = stored.get('expires_at')
                    expires_at = float(expires_at) if isinstance(expires_at, (int, float)) else None
                    _send(conn, {'id': self.store(key, stored['value'], expires_at)})
            finally:
                self.release(key)
        except (OSError, ValueError):
            pass
        finally:
            conn.close()
            with self.cond:
                self.active -= 1
                self.last_activity = time.monotonic()


def _same_user(conn):
    """Only the user who runs the play may talk to its broker (the directory already keeps others out)."""
    peercred = getattr(socket, 'SO_PEERCRED', None)
    if peercred is None:
        return True
    _pid, uid, _gid = struct.unpack('3i', conn.getsockopt(socket.SOL_SOCKET, peercred, struct.calcsize('3i')))
    return uid == os.getuid()


def _send(conn, document):
    conn.sendall(json.dumps(document).encode('utf-8') + b'\n')


def _read(reader):
    line = reader.readline(MAX_LINE)
    if not line.endswith(b'\n'):
        return None
    document = json.loads(line.decode('utf-8'))
    return document if isinstance(document, dict) else None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve(path, parent_pid, idle, ready_fd=None):
    """Listen on ``path`` until ``parent_pid`` ends, the socket goes, or ``idle`` seconds pass without a client."""
    broker = Broker()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        server.bind(path)
    finally:
        os.umask(old_umask)
    server.listen(64)
    bound = os.stat(path).st_ino
    watch = [server]
    pidfd = None
    if hasattr(os, 'pidfd_open'):
        try:
            # Readable the moment the ansible-playbook process ends (Linux 5.3+); elsewhere the loop polls.
            pidfd = os.pidfd_open(parent_pid)
            watch.append(pidfd)
        except OSError:
            pidfd = None
    if ready_fd is not None:
        os.write(ready_fd, b'ready\n')
        os.close(ready_fd)
    try:
        while _alive(parent_pid):
            readable = select.select(watch, [], [], 0.5)[0]
            if pidfd is not None and pidfd in readable:
                break
            if server in readable:
                conn, _address = server.accept()
                thread = threading.Thread(target=broker.handle, args=(conn,))
                thread.daemon = True
                thread.start()
            try:
                if os.stat(path).st_ino != bound:
                    break
            except OSError:
                # ansible-playbook removed its temporary directory: the run is over.
                break
            with broker.cond:
                if broker.active == 0 and time.monotonic() - broker.last_activity > idle:
                    break
    finally:
        server.close()
        try:
            if os.stat(path).st_ino == bound:
                os.unlink(path)
        except OSError:
            pass


def main(argv=None):
    parser = argparse.ArgumentParser(description='fleetops.mdm login broker (started by the collection\'s action plugin)')
    parser.add_argument('--socket', required=True)
    parser.add_argument('--parent', required=True, type=int)
    parser.add_argument('--idle', type=int, default=IDLE_TIMEOUT)
    parser.add_argument('--mark', default=PROCESS_MARK)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    stdout = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    os.close(devnull)
    serve(args.socket, args.parent, args.idle, ready_fd=stdout)
    # Daemon threads may still hold a waiting client: end without waiting for them.
    os._exit(0)


if __name__ == '__main__':
    main()
