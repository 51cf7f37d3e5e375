# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fleetops.mdm.device_events: an Event-Driven Ansible source that watches the devices of one MDM server.

It lists the fleet through the collection's client (the same listing as fleetops.mdm.mdm_device_info, every page,
normalised devices) every ``interval`` seconds and puts on the queue one event per change since the previous listing:

  enrolled, removed, status_changed, compliance_changed, labels_changed, stale (not seen for ``stale_days``)

each as ``{"mdm_event": {"type", "vendor", "device_id", "device", "changes", "observed_at", "source"}}``, with the
normalised device (its last known form for ``removed``).  A failed listing is retried with exponential backoff and
reported as an ``error`` event that names the failure and never a secret.  See docs/eda.md.

No vendor documents a change feed that also reports removals and compliance (ManageEngine's ``delta-token`` and
MaaS360's ``lastReportedAfterInEpochms`` tell what changed or reported, not what left), so every poll compares a full
listing with the previous one; the paging engine makes that listing exact, and a listing it reports as not consistent
never turns a missing device into a ``removed`` event.

Arguments:
  vendor, url, username, password, billing_id, app_id, app_version, platform_id, app_access_key, api_key, client_id,
  client_secret, refresh_token, accounts_url, device_space_id, partition_id, validate_certs, ca_path, timeout,
  max_retries: the connection options of the collection's modules, with the same MDM_* environment variables.
  state_file: where the last listing is kept across restarts (written 0600, atomically); none - memory only.
  interval: seconds between polls (default 300, at least 1); jitter: a fraction of it, drawn anew each time (0.1).
  stale_days: a device not seen for this many days gives one ``stale`` event (default 30; 0 - never).
  events: the event types to put on the queue (default all, with ``error``).
  filters: vendor-neutral filters of the devices watched, as mdm_device_info's ``filters``.
  fetch_labels: list labels too, which ``labels_changed`` needs (extra requests per poll; default false).
  fetch_last_seen: fill mdm_last_seen where the listing lacks it (ManageEngine; one request per device).
  initial_events: with no state yet, report every device as ``enrolled`` (and the stale ones as ``stale``) on the
  first poll instead of taking it silently as the baseline (default false).
  backoff_initial, backoff_max: seconds to wait after the first failed poll, doubled each further failure up to
  backoff_max (10 and 900).
  page_size, concurrency: as mdm_device_info's.

Example:
  sources:
    - name: fleet
      fleetops.mdm.device_events:
        state_file: /var/lib/eda/mdm-core.json
        interval: 120
        stale_days: 14
"""

from __future__ import absolute_import, division, print_function

import asyncio
import datetime
import json
import logging
import os
import random
import sys
import time


def _import_client():
    """The collection's client.  ansible-rulebook runs a source by its file path (runpy), so the directory holding
    ``ansible_collections`` is not always on sys.path: it is found from this file's place in the collection."""
    try:
        from ansible_collections.fleetops.mdm.plugins.module_utils import client, errors, options, private_file
    except ImportError:
        # <root>/ansible_collections/fleetops/mdm/extensions/eda/plugins/event_source/device_events.py
        namespace_dir = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *(['..'] * 6)))
        if os.path.basename(namespace_dir) != 'ansible_collections':
            raise
        sys.path.insert(0, os.path.dirname(namespace_dir))
        from ansible_collections.fleetops.mdm.plugins.module_utils import client, errors, options, private_file
    return client, errors, options, private_file


client, errors, options, private_file = _import_client()  # pylint: disable=invalid-name

SOURCE = 'fleetops.mdm.device_events'
EVENT_TYPES = ('enrolled', 'removed', 'status_changed', 'compliance_changed', 'labels_changed', 'stale', 'error')
# The field each change event watches.
WATCHED = (('status_changed', 'mdm_status'), ('compliance_changed', 'mdm_compliant'), ('labels_changed', 'mdm_labels'))
STATE_SCHEMA = 1
SECONDS_PER_DAY = 86400

# name: (default, check) of the source's own arguments; the connection options come from options.CONNECTION_OPTIONS.
DEFAULTS = {
    'state_file': None,
    'interval': 300,
    'jitter': 0.1,
    'stale_days': 30,
    'events': list(EVENT_TYPES),
    'filters': None,
    'fetch_labels': False,
    'fetch_last_seen': False,
    'initial_events': False,
    'backoff_initial': 10,
    'backoff_max': 900,
    'page_size': None,
    'concurrency': 4,
}

logger = logging.getLogger(SOURCE)  # pylint: disable=invalid-name


class ArgumentError(ValueError):
    """A bad argument of the source, found before any request; the message names the argument."""


def _number(args, name, low, high=None, integer=False):
    value = args[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(str(value).strip())
        except ValueError:
            raise ArgumentError('%s must be a number, not %r' % (name, args[name]))
    if integer:
        if value != int(value):
            raise ArgumentError('%s must be a whole number, not %r' % (name, args[name]))
        value = int(value)
    if value < low or (high is not None and value > high):
        raise ArgumentError('%s %r is out of range (allowed: %s to %s)' % (name, args[name], low, 'any' if high is None else high))
    return value


def _boolean(args, name):
    value = args[name]
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'yes', 'on', '1'):
        return True
    if text in ('false', 'no', 'off', '0'):
        return False
    raise ArgumentError('%s must be true or false, not %r' % (name, value))


def check_args(args, environ=None):
    """(connection options, settings) from the source's arguments; ArgumentError (or the client's
    InvalidInputError, which names the option too) for anything wrong, before any request."""
    environ = os.environ if environ is None else environ
    args = dict(args or {})
    known = set(DEFAULTS) | set(options.CONNECTION_OPTIONS)
    unknown = sorted(set(args) - known)
    if unknown:
        raise ArgumentError('unknown argument(s) %s of %s (allowed: %s)' % (', '.join(unknown), SOURCE, ', '.join(sorted(known))))
    connection = {}
    for name, (spec, env) in options.CONNECTION_OPTIONS.items():
        value = args.get(name)
        if value in (None, '') and environ.get(env) not in (None, ''):
            value = environ[env]
        if value is not None and spec.get('type') == 'bool':
            value = _boolean({name: value}, name)
        connection[name] = value
    # Checked here, so that a wrong vendor or a missing credential stops the source before it starts polling.
    connection = client.check_connection_options(connection)
    settings = dict(DEFAULTS)
    settings.update((name, value) for name, value in args.items() if name in DEFAULTS and value is not None)
    settings['interval'] = _number(settings, 'interval', 1)
    settings['jitter'] = _number(settings, 'jitter', 0, 1)
    settings['stale_days'] = _number(settings, 'stale_days', 0)
    settings['backoff_initial'] = _number(settings, 'backoff_initial', 1)
    settings['backoff_max'] = _number(settings, 'backoff_max', settings['backoff_initial'])
    settings['concurrency'] = _number(settings, 'concurrency', 1, 32, integer=True)
    if settings['page_size'] is not None:
        settings['page_size'] = _number(settings, 'page_size', 1, integer=True)
    for name in ('fetch_labels', 'fetch_last_seen', 'initial_events'):
        settings[name] = _boolean(settings, name)
    events = settings['events']
    if isinstance(events, str):
        events = [item.strip() for item in events.split(',') if item.strip()]
    if not isinstance(events, (list, tuple)) or not events or any(event not in EVENT_TYPES for event in events):
        raise ArgumentError('events must be a non-empty list of %s, not %r' % (', '.join(EVENT_TYPES), settings['events']))
    settings['events'] = list(events)
    if settings['filters'] is not None and not isinstance(settings['filters'], dict):
        raise ArgumentError('filters must be a dictionary of vendor-neutral filters (as mdm_device_info takes), not %r'
                            % (settings['filters'],))
    if settings['state_file'] is not None:
        settings['state_file'] = os.path.abspath(os.path.expanduser(str(settings['state_file'])))
        folder = os.path.dirname(settings['state_file'])
        if not os.path.isdir(folder):
            raise ArgumentError('state_file %r: the directory %s does not exist' % (settings['state_file'], folder))
    return connection, settings


def utc_iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def epoch_of(iso):
    """Epoch seconds of a normalised mdm_last_seen (ISO 8601 UTC), None when unknown."""
    if not iso:
        return None
    try:
        when = datetime.datetime.strptime(str(iso), '%Y-%m-%dT%H:%M:%SZ')
    except ValueError:
        return None
    return when.replace(tzinfo=datetime.timezone.utc).timestamp()


class FleetWatcher:
    """The devices of one server as last listed, and the events between two listings.  Blocking (the client is
    synchronous): main() runs poll() in a worker thread."""

    def __init__(self, connection, settings, adapter=None, clock=time.time):
        self.connection = connection
        self.settings = settings
        self.clock = clock
        self.adapter = adapter
        # What the state file must match to be this watcher's: another server or other filters are another fleet.
        self.scope = {'vendor': connection['vendor'], 'url': connection['url'], 'filters': settings['filters'] or {}}
        self.devices = None
        self.stale = set()
        self.load_state()

    # -- state across restarts --------------------------------------------------------------------------------------
    def load_state(self):
        path = self.settings['state_file']
        if not path or not os.path.exists(path):
            return
        try:
            with open(path, encoding='utf-8') as stream:
                state = json.load(stream)
        except (OSError, ValueError) as exc:
            logger.warning('%s: state_file %s is not readable (%s); starting from a new listing', SOURCE, path, exc)
            return
        if not isinstance(state, dict) or state.get('schema') != STATE_SCHEMA or not isinstance(state.get('devices'), dict):
            logger.warning('%s: state_file %s is not a state of this source; starting from a new listing', SOURCE, path)
            return
        if state.get('scope') != self.scope:
            logger.warning('%s: state_file %s holds another server or other filters; starting from a new listing', SOURCE, path)
            return
        self.devices = state['devices']
        self.stale = set(state.get('stale') or ())

    def save_state(self):
        path = self.settings['state_file']
        if not path:
            return
        state = {'schema': STATE_SCHEMA, 'source': SOURCE, 'scope': self.scope, 'saved_at': utc_iso(self.clock()),
                 'devices': self.devices, 'stale': sorted(self.stale)}
        private_file.write_private_atomic(path, json.dumps(state, sort_keys=True, ensure_ascii=False))

    # -- polling ------------------------------------------------------------------------------------------------------
    def list_devices(self):
        if self.adapter is None:
            self.adapter = client.build_adapter(self.connection)
            for warning in self.adapter.transport.warnings:
                logger.warning('%s: %s', SOURCE, warning)
        settings = self.settings
        return self.adapter.list_devices(filters=settings['filters'], page_size=settings['page_size'],
                                         concurrency=settings['concurrency'], labels=settings['fetch_labels'],
                                         last_seen=settings['fetch_last_seen'])

    def poll(self):
        """List the fleet once; returns the events since the previous listing (and keeps this one)."""
        listing = self.list_devices()
        report = getattr(listing, 'report', None)
        consistent = report is None or report.consistent
        if not consistent:
            logger.warning('%s: the listing was not consistent (%s); devices it missed are not reported as removed',
                           SOURCE, report.summary())
        current = dict((str(device['mdm_device_id']), device) for device in listing)
        return self.compare(current, consistent)

    def compare(self, current, consistent=True):
        now = self.clock()
        observed_at = utc_iso(now)
        baseline = self.devices is None
        previous = self.devices or {}
        events = []

        def emit(kind, device, changes=None):
            if kind in self.settings['events']:
                events.append({'mdm_event': {
                    'type': kind, 'vendor': self.connection['vendor'], 'device_id': str(device['mdm_device_id']),
                    'device': device, 'changes': changes or {}, 'observed_at': observed_at, 'source': SOURCE}})

        kept = {}
        for device_id, device in sorted(previous.items()):
            if device_id in current:
                continue
            if consistent:
                self.stale.discard(device_id)
                emit('removed', device)
            else:
                kept[device_id] = device
        stale_after = self.settings['stale_days'] * SECONDS_PER_DAY
        for device_id, device in sorted(current.items()):
            before = previous.get(device_id)
            if before is None:
                if not baseline or self.settings['initial_events']:
                    emit('enrolled', device)
            else:
                for kind, field in WATCHED:
                    if before.get(field) != device.get(field):
                        emit(kind, device, {field: {'before': before.get(field), 'after': device.get(field)}})
            seen = epoch_of(device.get('mdm_last_seen'))
            if stale_after and seen is not None and now - seen > stale_after:
                if device_id not in self.stale:
                    self.stale.add(device_id)
                    if not baseline or self.settings['initial_events']:
                        emit('stale', device, {'days_not_seen': int((now - seen) // SECONDS_PER_DAY)})
            else:
                self.stale.discard(device_id)
        current.update(kept)
        self.devices = current
        return events

    def error_event(self, exc, failures, retry_in):
        message = str(exc) if isinstance(exc, errors.MdmError) else '%s: %s' % (type(exc).__name__, exc)
        secrets = [self.connection.get(name) for name in options.SECRET_OPTIONS]
        return {'mdm_event': {
            'type': 'error', 'vendor': self.connection['vendor'], 'error': errors.redact(message, secrets),
            'error_type': getattr(exc, 'error_type', type(exc).__name__), 'consecutive_failures': failures,
            'retry_in': round(retry_in, 1), 'observed_at': utc_iso(self.clock()), 'source': SOURCE}}

    def close(self):
        if self.adapter is not None:
            self.adapter.transport.close()


def jittered(seconds, jitter, rng=random):
    return max(0.0, seconds * (1 + rng.uniform(-jitter, jitter)))


def backoff(settings, failures, rng=random):
    """Seconds to wait after ``failures`` consecutive failed polls: doubled each time, jittered, at most
    backoff_max."""
    delay = settings['backoff_initial'] * (2 ** min(failures - 1, 30))
    return min(settings['backoff_max'], jittered(delay, settings['jitter'], rng))


# Errors a later poll cannot cure: bad options or an operation the vendor does not offer.
FATAL_ERRORS = (errors.InvalidInputError, errors.NotSupportedError)


async def main(queue, args, watcher=None):
    """The source: poll, put the events on ``queue``, wait, again, until cancelled."""
    if watcher is None:
        connection, settings = check_args(args)
        watcher = FleetWatcher(connection, settings)
    settings = watcher.settings
    loop = asyncio.get_running_loop()
    failures = 0
    try:
        while True:
            try:
                events = await loop.run_in_executor(None, watcher.poll)
            except FATAL_ERRORS:
                raise
            except Exception as exc:  # pylint: disable=broad-except
                # A poll that failed changes nothing: the next one compares with the last good listing.
                failures += 1
                wait = backoff(settings, failures)
                event = watcher.error_event(exc, failures, wait)
                logger.warning('%s: poll failed (%d in a row), next try in %.0f s: %s', SOURCE, failures, wait,
                               event['mdm_event']['error'])
                if 'error' in settings['events']:
                    await queue.put(event)
            else:
                failures = 0
                wait = jittered(settings['interval'], settings['jitter'])
                # Put on the queue first, saved after: a restart in between reports these changes again rather than
                # never.
                for event in events:
                    await queue.put(event)
                await loop.run_in_executor(None, watcher.save_state)
            await asyncio.sleep(wait)
    finally:
        watcher.close()


if __name__ == '__main__':
    # Try it by hand: MDM_* variables set, `python device_events.py [interval]` prints the events.
    class MockQueue:
        async def put(self, event):
            print(json.dumps(event, ensure_ascii=False))

    asyncio.run(main(MockQueue(), {'interval': sys.argv[1] if len(sys.argv) > 1 else 60, 'initial_events': True}))
