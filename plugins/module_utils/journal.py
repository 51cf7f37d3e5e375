# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The journal of destructive device commands, on the machine that runs the module (the controller).

A wipe whose reply was lost is ``unknown``: the server may well have it.  Without a memory across runs, a plain
rerun - or a second playbook started at the same time - would send it again.  The journal is that memory:

- one JSON file per server (vendor + URL, and the MaaS360 billing id, which shares one host between customers)
  in a directory of the user's (default ``~/.ansible/fleetops.mdm/journal``, mode 0700; files 0600);
- an entry per device and command, written BEFORE the command is sent (state ``sending``) and AFTER (``sent``,
  ``completed``, ``unknown``, ``failed``, ``not_applicable``);
- a run skips a device whose entry is ``sending``, ``sent``, ``completed`` or ``unknown`` and younger than the
  window (24 hours by default), unless asked to resend;
- checking the entries and writing ``sending`` happen under one exclusive ``fcntl`` lock, so of two runs on one
  controller exactly one claims a device; the lock is never held while a request is in flight;
- every write replaces the file atomically (temporary file, fsync, rename): a reader needs no lock and never sees
  half a file, and check mode reads without creating or locking anything;
- entries older than the window and a week are pruned on every write, and a file keeps at most MAX_ENTRIES.

An entry holds no secret: ids, the command's name, states, times and the vendor's command id.  The URL is kept
without user information, query or fragment.  A file that cannot be read is never overwritten or ignored: the
run fails naming it, since an ignored journal could let a command go out twice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import hashlib
import json
import os
import time
import uuid
from urllib.parse import urlsplit

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not on POSIX controllers
    fcntl = None
    HAS_FCNTL = False

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import result
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.private_file import write_private_atomic

DEFAULT_PATH = '~/.ansible/fleetops.mdm/journal'
DEFAULT_WINDOW_HOURS = 24
MAX_WINDOW_HOURS = 24 * 90
# Entries are kept at least this long (or the window, when longer), so that a run with a short window does not
# prune what a run with the default window still needs.
KEEP_SECONDS = 7 * 24 * 3600
MAX_ENTRIES = 20000
LOCK_TIMEOUT = 60.0
LOCK_POLL = 0.05
FORMAT = 1

# States that stop a new send within the window: the server has (or may have) the command.
BLOCKING_STATES = frozenset(('sending', 'sent', 'completed', 'unknown'))
# States after which the server cannot hold the command: nothing stops a new send (not_sent: the run was
# interrupted before the request).
STATES = BLOCKING_STATES | frozenset(('failed', 'not_applicable', 'not_sent'))
# States that the vendor check runs for before a resend (the reply never said whether the server took it).
UNSURE_STATES = frozenset(('sending', 'unknown'))


class JournalError(MdmError):
    """The journal cannot be used (not readable, not ours, locked too long): nothing was sent."""

    error_type = 'journal_error'


def server_scope(vendor, url, billing_id=None):
    """The server a journal file belongs to, as text without credentials: ``vendor scheme://host[:port]/path``."""
    parts = urlsplit(str(url or '').strip())
    scheme = (parts.scheme or 'https').lower()
    host = (parts.hostname or '').lower()
    port = parts.port
    if port is not None and not ((scheme == 'https' and port == 443) or (scheme == 'http' and port == 80)):
        host = '%s:%d' % (host, port)
    path = parts.path.rstrip('/')
    scope = '%s %s://%s%s' % (vendor, scheme, host, path)
    if vendor == 'maas360' and billing_id:
        scope = '%s billing_id=%s' % (scope, str(billing_id).strip())
    return scope


def _iso(stamp):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(stamp))


def _key(device_id, command):
    return '%s|%s' % (command, device_id)


class Journal:
    """The journal of one server.  ``clock`` is injectable for tests."""

    def __init__(self, vendor, url, billing_id=None, path=None, window_hours=DEFAULT_WINDOW_HOURS, clock=time.time,
                 lock_timeout=LOCK_TIMEOUT):
        if not HAS_FCNTL:
            raise JournalError('the journal needs fcntl file locks (a POSIX controller); set journal: false to go '
                               'without it', operation='open the journal')
        if not isinstance(window_hours, int) or isinstance(window_hours, bool) or not 1 <= window_hours <= MAX_WINDOW_HOURS:
            raise JournalError('journal_window must be 1 to %d hours, not %r (option journal_window)' % (
                MAX_WINDOW_HOURS, window_hours))
        self.vendor = vendor
        self.scope = server_scope(vendor, url, billing_id)
        self.directory = os.path.abspath(os.path.expanduser(path or DEFAULT_PATH))
        digest = hashlib.sha256(self.scope.encode('utf-8')).hexdigest()[:24]
        self.file = os.path.join(self.directory, '%s-%s.json' % (vendor, digest))
        self.lock_file = self.file[:-len('.json')] + '.lock'
        self.window = window_hours * 3600
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.run_id = uuid.uuid4().hex
        self.started = clock()

    # -- reading (no lock, never creates anything) ------------------------------------------------------------
    def _load(self):
        try:
            with open(self.file, 'rb') as handle:
                raw = handle.read()
        except (IOError, OSError) as exc:
            if exc.errno == errno.ENOENT:
                return {}
            raise JournalError('cannot read %s: %s' % (self.file, exc.strerror), operation='read the journal')
        try:
            data = json.loads(raw.decode('utf-8'))
        except ValueError as exc:
            raise JournalError(
                '%s is not a readable journal (%s); it was left as it is. Nothing was sent: without the journal a '
                'command could go out twice. Check the devices it names on the server, then move the file away '
                '(or set journal: false for this run)' % (self.file, exc), operation='read the journal')
        if not isinstance(data, dict) or not isinstance(data.get('entries'), dict):
            raise JournalError('%s is not a journal of fleetops.mdm (no "entries"); it was left as it is and nothing '
                               'was sent; move it away or point journal_path elsewhere' % self.file,
                               operation='read the journal')
        return dict((key, item) for key, item in data['entries'].items() if isinstance(item, dict))

    def _recent(self, item, now):
        return item.get('state') in BLOCKING_STATES and now - float(item.get('started_ts') or 0) < self.window

    def lookup(self, device_ids, command):
        """``{device_id: entry}`` of the devices with a recent command that blocks a new send (read only)."""
        entries = self._load()
        now = self.clock()
        found = {}
        for device_id in device_ids:
            item = entries.get(_key(device_id, command))
            if item is not None and self._recent(item, now):
                found[device_id] = public(item)
        return found

    # -- writing (under the lock) -----------------------------------------------------------------------------
    def _prepare_directory(self):
        try:
            os.makedirs(self.directory, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise JournalError('cannot create %s: %s' % (self.directory, exc.strerror), operation='open the journal')
        info = os.stat(self.directory)
        if info.st_uid != os.getuid():
            raise JournalError('%s belongs to another user: the journal must be private to the user who runs the '
                               'commands (option journal_path)' % self.directory, operation='open the journal')
        if info.st_mode & 0o077:
            # Ours but open to others (an umask, a copied directory): close it.
            os.chmod(self.directory, 0o700)

    def _locked(self):
        self._prepare_directory()
        descriptor = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.time() + self.lock_timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return descriptor
            except (IOError, OSError) as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(descriptor)
                    raise JournalError('cannot lock %s: %s' % (self.lock_file, exc.strerror), operation='lock the journal')
                if time.time() >= deadline:
                    os.close(descriptor)
                    raise JournalError('%s stayed locked by another run for %d s; nothing was sent' % (
                        self.lock_file, self.lock_timeout), operation='lock the journal')
                time.sleep(LOCK_POLL)

    @staticmethod
    def _unlock(descriptor):
        try:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    def _prune(self, entries, now):
        keep = max(self.window, KEEP_SECONDS)
        kept = dict((key, item) for key, item in entries.items()
                    if now - float(item.get('updated_ts') or item.get('started_ts') or 0) < keep)
        if len(kept) > MAX_ENTRIES:
            newest = sorted(kept.items(), key=lambda pair: float(pair[1].get('updated_ts') or 0), reverse=True)
            kept = dict(newest[:MAX_ENTRIES])
        return kept

    def _save(self, entries):
        now = self.clock()
        data = {'format': FORMAT, 'server': self.scope, 'entries': self._prune(entries, now)}
        write_private_atomic(self.file, json.dumps(data, sort_keys=True, separators=(',', ':')))

    def _update(self, change):
        descriptor = self._locked()
        try:
            entries = self._load()
            value = change(entries)
            self._save(entries)
            return value
        finally:
            self._unlock(descriptor)

    def claim(self, device_ids, command, action=None, resend=False):
        """Atomically: the devices another run (or an earlier one) holds a recent command of are returned as
        ``{device_id: entry}`` and left alone; every other device gets a ``sending`` entry of this run.

        With ``resend``, entries written before this run started are overridden; a device another run claimed
        after this one started is still left alone (it is being sent right now)."""
        def change(entries):
            now = self.clock()
            held = {}
            for device_id in device_ids:
                key = _key(device_id, command)
                item = entries.get(key)
                if item is not None and self._recent(item, now) and (
                        not resend or float(item.get('started_ts') or 0) >= self.started):
                    held[device_id] = public(item)
                    continue
                entries[key] = dict(device_id=device_id, command=command, action=action, state='sending',
                                    started=_iso(now), started_ts=now, updated=_iso(now), updated_ts=now,
                                    command_id=None, run=self.run_id)
            return held
        return self._update(change)

    def record(self, results, command):
        """Write the outcome of each per-device result of this run (``sent``, ``unknown``, ...)."""
        def change(entries):
            now = self.clock()
            for item in results:
                key = _key(item['device_id'], command)
                entry = entries.get(key)
                if entry is None or entry.get('run') != self.run_id or item['outcome'] not in STATES:
                    continue
                entry.update(state=item['outcome'], updated=_iso(now), updated_ts=now,
                             command_id=_text(item.get('command_id')) or entry.get('command_id'))
        self._update(change)

    def release(self, device_ids, command):
        """Drop this run's ``sending`` entries of devices it never sent to (it stopped before sending)."""
        def change(entries):
            for device_id in device_ids:
                key = _key(device_id, command)
                entry = entries.get(key)
                if entry is not None and entry.get('run') == self.run_id and entry.get('state') == 'sending':
                    del entries[key]
        self._update(change)

    def settle(self, device_id, command, state, action=None, command_id=None):
        """Record what the vendor's check found for a device with an unsure entry (``sent``, ``completed``)."""
        def change(entries):
            now = self.clock()
            key = _key(device_id, command)
            entry = entries.get(key) or dict(device_id=device_id, command=command, action=action, started=_iso(now),
                                             started_ts=now, run=self.run_id)
            entry.update(state=state, updated=_iso(now), updated_ts=now,
                         command_id=_text(command_id) or entry.get('command_id'))
            entries[key] = entry
        self._update(change)


def _text(value):
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def public(entry):
    """The part of an entry a result shows: when, what, how it ended, the vendor's command id."""
    return dict(command=entry.get('command'), action=entry.get('action'), state=entry.get('state'),
                started=entry.get('started'), updated=entry.get('updated'), command_id=entry.get('command_id'),
                started_ts=entry.get('started_ts'))


# -- what mdm_device_action does with the journal ---------------------------------------------------------------
# Kept here, not in the module, so that the module's own flow stays a few lines longer than without a journal.

def open_journal(params, vendor):
    """The Journal of the server in ``params``, or None when the user turned it off (option ``journal``)."""
    if not params.get('journal'):
        return None
    window = params.get('journal_window')
    if window is None:
        window = DEFAULT_WINDOW_HOURS
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW_HOURS:
        raise InvalidInputError('must be 1 to %d hours, not %r' % (MAX_WINDOW_HOURS, window), option='journal_window')
    return Journal(vendor, params.get('url'), billing_id=params.get('billing_id'), path=params.get('journal_path'),
                   window_hours=window)


def _skipped(device_id, spec, entry, message):
    item = result(device_id, 'skipped', message, command_id=entry.get('command_id'))
    item['journal'] = dict((key, value) for key, value in entry.items() if key != 'started_ts')
    return item


def _held_message(spec, entry, window_hours):
    return ('the journal holds %s of this device, %s at %s%s (an earlier or a concurrent run): not sent again within '
            'journal_window (%d h); verify on the server, and set resend: true to send it anyway' % (
                spec.name, entry.get('state'), entry.get('started'),
                ', command id %s' % entry['command_id'] if entry.get('command_id') else '', window_hours))


def journal_verdicts(journal, actions, spec, ids, resend, check_mode):
    """``{device_id: result}`` for the devices the journal stops (read only: check mode uses it as it is).

    With ``resend``, a device whose entry is unsure (``unknown``, or ``sending`` left by a run that never wrote the
    outcome) is first looked up on the server where the vendor documents a way (``actions.verify_command`` of the vendor's device commands): a
    command the server has is not sent again.  Where the vendor has none, the status prechecks of the command
    (MobileIron Core and Cloud: retired, wiped, or on their way) are what stands between the device and a resend."""
    if journal is None:
        return {}
    verdicts = {}
    window_hours = journal.window // 3600
    for device_id, entry in journal.lookup(ids, spec.vendor_name).items():
        if not resend:
            verdicts[device_id] = _skipped(device_id, spec, entry, _held_message(spec, entry, window_hours))
            continue
        verify = getattr(actions, 'verify_command', None)
        if entry.get('state') not in UNSURE_STATES or verify is None:
            continue
        try:
            found, state, message, command_id = verify(spec, device_id, entry)
        except MdmError as exc:
            verdicts[device_id] = result(device_id, 'failed', 'resend: the check of the server before sending %s again '
                                         'failed, so nothing was sent: %s' % (spec.name, exc))
            continue
        if found:
            if not check_mode:
                journal.settle(device_id, spec.vendor_name, state, action=spec.name, command_id=command_id)
                entry = dict(entry, state=state, command_id=command_id or entry.get('command_id'))
            verdicts[device_id] = _skipped(device_id, spec, entry, 'resend: the server already has %s of this device '
                                           '(%s): it is not sent again' % (spec.name, message))
    return verdicts


def claim_or_skip(journal, spec, pending, resend, verdicts):
    """Claim ``pending`` in the journal; the devices another run holds go to ``verdicts`` as skipped.  Returns the
    devices this run may send to."""
    if journal is None:
        return pending
    held = journal.claim(pending, spec.vendor_name, action=spec.name, resend=bool(resend))
    window_hours = journal.window // 3600
    for device_id, entry in held.items():
        verdicts[device_id] = _skipped(device_id, spec, entry, _held_message(spec, entry, window_hours))
    return [device_id for device_id in pending if device_id not in held]


def send_claimed(journal, spec, pending, send):
    """``send()`` for the claimed devices.

    mdm_device_action's send() raises only when no request went out (a refused login, ...): every other error
    becomes per-device results.  So an error drops this run's claims.  A process killed while sending leaves them
    ``sending``, which a later run treats like ``unknown``."""
    if journal is None:
        return send()
    try:
        return send()
    except Exception:
        journal.release(pending, spec.vendor_name)
        raise


def record_sent(journal, spec, replies):
    """The outcome of each device (``sent``, ``unknown``, ``completed`` after wait, ``not_sent``, ...) written."""
    if journal is not None:
        journal.record(replies, spec.vendor_name)
