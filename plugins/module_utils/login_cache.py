# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module's side of the controller's login cache ("one login per play").

Every task runs its module in a fresh process, so a token minted by one task is gone by the next, and Zoho
blocks a refresh token after ten access tokens in ten minutes (vendor NOTES).  The collection's action plugin
(plugins/plugin_utils/login_action.py) starts one small broker process per ``ansible-playbook`` run
(plugins/plugin_utils/login_broker.py) that keeps tokens and discovered settings in memory, never on disk, and
hands the module the path of its Unix socket in the environment variable below.  A module that runs where that
socket is not (another host, another user, the cache turned off) finds no broker and logs in as before: the cache
only ever saves logins, it never decides whether a task works.

Protocol (one JSON document a line, one connection per look-up): the broker greets with a random salt; the
client names an entry by an HMAC of the salt over the vendor, the kind of entry and every connection option that
decides the login, so no credential is ever sent and a changed password names another entry.  ``acquire``
answers the entry, or a lease: the one client holding a key's lease logs in and stores the result on the same
connection, while others asking for that key wait for it (forks and loops mint one token, not one each).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
import json
import os
import socket
import stat

BROKER_ENV = 'FLEETOPS_MDM_LOGIN_BROKER'
PROTOCOL = 1
CONNECT_TIMEOUT = 10.0
# The broker makes a client wait at most this long for another client's login (LEASE_WAIT there), then says busy.
REPLY_TIMEOUT = 150.0
MAX_LINE = 1024 * 1024
# Options that do not decide what a login yields.
NOT_IN_KEY = ('timeout', 'max_retries')


class LoginCache(object):
    """Client of the login broker whose socket is ``path``.  Every failure means "no cache": callers log in."""

    def __init__(self, path):
        self.path = path

    @classmethod
    def from_environment(cls, environ=None):
        """The cache the action plugin pointed this module at, or None when there is none usable here."""
        path = (environ if environ is not None else os.environ).get(BROKER_ENV)
        if not path or not os.path.isabs(path):
            return None
        try:
            directory = os.lstat(os.path.dirname(path))
            sock = os.lstat(path)
        except OSError:
            return None
        uid = os.getuid()
        # Only a socket of ours, in a directory of ours that nobody else may enter: another user could otherwise
        # stand in for the broker and collect what the module stores.
        if not stat.S_ISSOCK(sock.st_mode) or sock.st_uid != uid:
            return None
        if not stat.S_ISDIR(directory.st_mode) or directory.st_uid != uid or directory.st_mode & 0o077:
            return None
        return cls(path)

    def acquire(self, kind, vendor, options, stale_id=None):
        """The entry of ``kind`` for these connection options, as a Lease; None when the broker cannot be used.

        ``stale_id``: the id of an entry the server refused (a 401): the broker then answers a newer entry if
        another task already renewed it, else grants the lease to renew it."""
        sock = None
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(CONNECT_TIMEOUT)
            sock.connect(self.path)
            reader = sock.makefile('rb')
            hello = _read(reader)
            if hello.get('protocol') != PROTOCOL or not hello.get('salt'):
                raise ValueError('not a login broker')
            key = entry_key(hello['salt'], kind, vendor, options)
            sock.settimeout(REPLY_TIMEOUT)
            _send(sock, {'op': 'acquire', 'key': key, 'stale': stale_id})
            reply = _read(reader)
        except (OSError, ValueError, TypeError):
            if sock is not None:
                sock.close()
            return None
        if reply.get('lease'):
            return Lease(sock, reader, None, None)
        if 'value' in reply:
            sock.close()
            return Lease(None, None, reply['value'], reply.get('id'), reply.get('expires_at'))
        # busy (another task's login took too long) or an answer we do not know: log in without the cache.
        sock.close()
        return None


class Lease(object):
    """What the broker answered: a cached ``value`` (with its ``id`` and ``expires_at``), or the duty to log in and
    ``store()`` the outcome (``value`` None).  ``close()`` gives an unused duty back."""

    def __init__(self, sock, reader, value, entry_id, expires_at=None):
        self._sock = sock
        self._reader = reader
        self.value = value
        self.id = entry_id
        self.expires_at = expires_at

    @property
    def holds_lease(self):
        """Does this process hold the lease (so that it logs in and stores what it got)?"""
        return self._sock is not None

    def store(self, value, expires_at):
        """Hand the broker what the login yielded; returns the entry id (None when the broker did not take it)."""
        if self._sock is None:
            return None
        try:
            _send(self._sock, {'op': 'store', 'value': value, 'expires_at': expires_at})
            self.id = _read(self._reader).get('id')
        except (OSError, ValueError, TypeError):
            self.id = None
        self.close()
        return self.id

    def close(self):
        """Give the lease back without storing anything (the login failed or was not needed)."""
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None


def entry_key(salt, kind, vendor, options):
    """HMAC of the broker's salt over what decides the entry: never a credential in clear, and a changed
    password, URL or client secret names another entry."""
    material = [kind, vendor] + [[name, _text(options[name])] for name in sorted(options) if name not in NOT_IN_KEY]
    return hmac.new(str(salt).encode('ascii'), json.dumps(material, sort_keys=True).encode('utf-8'), hashlib.sha256).hexdigest()


def _text(value):
    return None if value is None else str(value)


def _send(sock, document):
    sock.sendall(json.dumps(document).encode('utf-8') + b'\n')


def _read(reader):
    line = reader.readline(MAX_LINE)
    if not line.endswith(b'\n'):
        raise ValueError('the login broker closed the connection')
    document = json.loads(line.decode('utf-8'))
    if not isinstance(document, dict):
        raise ValueError('not a login broker reply')
    return document
