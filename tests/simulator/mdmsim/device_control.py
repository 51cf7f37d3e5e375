"""Admin control of one device's own state: what changes on a real server without any API call of ours.

A device falls out of compliance (or back in), is retired or wiped at the console, checks in (or stops checking in).
Watchers of the fleet (the Event-Driven Ansible source extensions/eda/plugins/event_source/device_events.py) are
tested against such changes, made here through the admin API (PUT /device).

The change is made to the logical device (a copy of it: the logical device is shared by every vendor's fleet, and a
change to one vendor's device must not show through another vendor's API), and the vendor's record takes exactly the
fields that render differently: what API calls changed in the record before (a device name, a registration state
after a retire) stays as it is.
"""

import json

from mdmsim.fleet import STATUS_WEIGHTS

STATUSES = tuple(name for name, _weight in STATUS_WEIGHTS)


def _checked_changes(body):
    changes = {}
    unknown = set(body) - {'compliant', 'status', 'last_seen', 'labels'}
    if unknown:
        raise ValueError('unknown device fields: %s; allowed: compliant, status, last_seen, labels' % ', '.join(sorted(unknown)))
    if 'compliant' in body:
        if not isinstance(body['compliant'], bool):
            raise ValueError('compliant must be true or false')
        changes['compliant'] = body['compliant']
    if 'status' in body:
        if body['status'] not in STATUSES:
            raise ValueError('status must be one of %s' % ', '.join(STATUSES))
        changes['status'] = body['status']
    if 'last_seen' in body:
        # Epoch seconds, as fleet.Fleet keeps every time.
        if isinstance(body['last_seen'], bool) or not isinstance(body['last_seen'], int) or body['last_seen'] < 0:
            raise ValueError('last_seen must be epoch seconds (an integer)')
        changes['last_seen'] = body['last_seen']
    if 'labels' in body:
        # Label membership changed at the console (or by a dynamic label's rule).
        if not isinstance(body['labels'], list) or not all(isinstance(label, str) and label for label in body['labels']):
            raise ValueError('labels must be a list of label names')
        changes['labels'] = sorted(set(body['labels']))
    if not changes:
        raise ValueError('nothing to change; give compliant, status, last_seen or labels')
    return changes


def _apply_difference(record, before, after):
    """Set in ``record`` the fields whose rendering differs between ``before`` and ``after`` (nested dicts field by
    field)."""
    for key, value in after.items():
        if key in before and before[key] == value:
            continue
        old = before.get(key)
        if isinstance(value, dict) and isinstance(old, dict) and isinstance(record.get(key), dict):
            nested = dict(record[key])
            _apply_difference(nested, old, value)
            record[key] = nested
        else:
            record[key] = value


def update_device(state, dialect, vendor, device_id, body):
    """Change one device of one vendor; returns its record as the admin API shows it.  LookupError when unknown."""
    changes = _checked_changes(body)
    with state.lock:
        for entry in state.fleets.get(vendor, ()):
            if str(dialect.device_id(entry.logical)) == str(device_id):
                before = dialect.render(entry.logical)
                if 'labels' in changes:
                    dialect.set_labels(entry, changes['labels'])
                entry.logical = dict(entry.logical, **changes)
                _apply_difference(entry.record, before, dialect.render(entry.logical))
                return dialect.public_record(entry.record)
    raise LookupError('no %s device %s' % (vendor, device_id))


def admin_routes(simulation):
    """The admin routes of this module, for server.Simulation."""

    def put_device(_vendor, _query, body):
        spec = json.loads(body or b'{}')
        vendor = spec.pop('vendor', None)
        device_id = spec.pop('device_id', None)
        dialect = simulation.dialect(vendor)  # ValueError naming the vendors with a fleet
        if device_id in (None, ''):
            raise ValueError('device_id is required')
        try:
            return 200, update_device(simulation.state, dialect, vendor, device_id, spec)
        except LookupError as exc:
            return 404, {'error': str(exc)}

    return {('PUT', '/device'): put_device}
