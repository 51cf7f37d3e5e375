# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Device commands (``mdm_device_action``): how a vendor describes a command it documents,
what a per-device result looks like, and the checks every vendor shares.

The contract between the module and a vendor's ``actions`` capability (the DeviceActions of vendors/capabilities.py,
handed the vendor's session; ``actions`` below is ``vendors.registry.require(adapter, 'actions')``):

1. ``actions.action_catalogue()`` -> ``{name: ActionSpec}``: every command the vendor
   documents, under the vendor-neutral names it maps (module option ``action``) and under
   its own names (option ``vendor_action``).
2. ``actions.check_action(spec, params)`` -> the parameters as the vendor sends them, or
   InvalidInputError naming ``params.<key>`` (or the top-level option) and what is allowed.
3. ``actions.check_device_ids(ids)`` -> the ids as the vendor writes them, or
   InvalidInputError for a malformed id.  No request is sent by steps 1-3.
4. ``actions.action_targets(spec, ids)`` -> ``{id: normalised device}`` for the ids that
   exist, read only when ``spec.needs_targets`` (a platform restriction or statuses that
   mean "already done"); ``actions.precheck_action(spec, devices)`` -> ``{id: result}`` for
   the devices that must not be commanded (not_applicable, skipped).
5. ``actions.send_action(spec, params, ids, concurrency)`` -> one result per id, in order.
   It never raises for a failed batch or device: a refused request is ``failed``; a
   request that may have reached the server without an answer (TransportError with
   ``maybe_sent``) is ``unknown``, with advice to verify, and is never sent again.
6. ``actions.wait_actions(spec, results, timeout, interval)`` follows ``sent`` results to
   ``completed`` / ``failed`` where the vendor lets one, until ``timeout`` seconds passed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import BadResponseError, InvalidInputError, ServerError, TransportError

# would_send: check mode (nothing is sent in a dry run, so it never says "sent"); not_sent: the task was interrupted
# (SIGINT, SIGTERM) before the command went to the device.
OUTCOMES = ('sent', 'completed', 'failed', 'not_applicable', 'skipped', 'unknown', 'would_send', 'not_sent')

# Vendor-neutral command names (DESIGN.md, module list).
NEUTRAL_ACTIONS = (
    'lock', 'unlock', 'wipe', 'selective_wipe', 'retire', 'wakeup', 'send_message', 'locate', 'restart', 'shutdown',
    'clear_passcode', 'reset_passcode', 'enable_lost_mode', 'disable_lost_mode', 'check_compliance', 'remote_session',
)

# Commands that destroy data or end management: guarded by max_devices (issue text and DESIGN.md).
DESTRUCTIVE_ACTIONS = frozenset(('wipe', 'selective_wipe', 'retire', 'remove', 'complete_wipe', 'corporate_wipe'))

UNKNOWN_ADVICE = ('the request may have reached the server but no answer came back: it was not sent again; verify on '
                  'the server whether the command was received before sending it again')


# Control characters no text sent to a device may hold (C0 but tab and newline, DEL, C1): they are invisible on a lock
# screen or in a notification, and some transports (SMS, push) drop or mangle them.
_CONTROL = re.compile('[\x00-\x08\x0b-\x1f\x7f-\x9f]')
_LINE_BREAK = re.compile('[\t\n]')


class ParamSpec:
    """One parameter of a command: ``kind`` is str, int, bool or list (of str).

    ``multiline``: the text may hold newlines and tabs (a message body); every other text is one line, since it is
    shown on one line (a lock screen, a subject, a note in the server's command list).
    """

    __slots__ = ('kind', 'required', 'choices', 'max_length', 'default', 'description', 'multiline')

    def __init__(self, kind='str', required=False, choices=None, max_length=None, default=None, description=None,
                 multiline=False):
        self.kind = kind
        self.required = required
        self.choices = tuple(choices) if choices is not None else None
        self.max_length = max_length
        self.default = default
        self.description = description
        self.multiline = multiline


class ActionSpec:
    """A command one vendor documents.

    ``name``: what the user writes (a neutral name, or the vendor's own for ``vendor_action``);
    ``vendor_name``: the vendor's verb, action name or actionType; ``neutral``: listed under ``action``
    (else only under ``vendor_action``); ``destructive``: guarded by max_devices; ``params``:
    ``{key: ParamSpec}``; ``platforms``: normalised platforms it applies to (None: all); ``done_statuses``:
    normalised ``mdm_status`` values meaning the command's end state is already reached (skipped);
    ``batch``: most ids one request carries (1: one request per device); ``waitable``: the vendor lets one
    follow the command to completion; ``extra``: vendor-private data for the adapter.
    """

    __slots__ = ('name', 'vendor_name', 'neutral', 'destructive', 'params', 'platforms', 'done_statuses', 'batch',
                 'waitable', 'extra')

    def __init__(self, name, vendor_name=None, neutral=True, destructive=None, params=None, platforms=None,
                 done_statuses=(), batch=1, waitable=False, extra=None):
        self.name = name
        self.vendor_name = vendor_name or name
        self.neutral = neutral
        self.destructive = (name in DESTRUCTIVE_ACTIONS) if destructive is None else destructive
        self.params = dict(params or {})
        self.platforms = frozenset(platforms) if platforms is not None else None
        self.done_statuses = frozenset(done_statuses)
        self.batch = batch
        self.waitable = waitable
        self.extra = dict(extra or {})

    @property
    def needs_targets(self):
        """Must the devices be read before sending (a platform restriction, or statuses that mean "already done")?"""
        return self.platforms is not None or bool(self.done_statuses)


def result(device_id, outcome, message=None, command_id=None, data=None):
    """One per-device result of mdm_device_action."""
    if outcome not in OUTCOMES:
        raise ValueError('not an outcome: %r' % (outcome,))
    return {'device_id': device_id, 'outcome': outcome, 'message': message, 'command_id': command_id, 'data': data}


def summarise(results):
    """``{outcome: count}`` for every outcome (zeros included) plus ``total``."""
    summary = dict.fromkeys(OUTCOMES, 0)
    for item in results:
        summary[item['outcome']] += 1
    summary['total'] = len(results)
    return summary


def check_params(spec, params, option='params'):
    """Check ``params`` against ``spec.params``: unknown keys, required keys, kinds, choices, lengths.

    Returns a new dict with defaults filled in and values of the declared kind.
    """
    params = dict(params or {})
    clean = {}
    unknown = sorted(key for key in params if key not in spec.params)
    if unknown:
        raise InvalidInputError('%s does not take %s' % (spec.name, ', '.join(unknown)), option=option,
                                allowed=sorted(spec.params) or ['no parameters'])
    for key, param in spec.params.items():
        value = params.get(key)
        name = '%s.%s' % (option, key)
        if value is None or (isinstance(value, str) and not value.strip() and param.kind == 'str'):
            if param.required:
                raise InvalidInputError('%s needs %s' % (spec.name, key), option=name)
            if param.default is not None:
                clean[key] = param.default
            continue
        if param.kind == 'bool':
            if not isinstance(value, bool):
                text = str(value).strip().lower()
                if text not in ('true', 'false', 'yes', 'no', '1', '0'):
                    raise InvalidInputError('%r is not a boolean' % (value,), option=name, allowed=['true', 'false'])
                value = text in ('true', 'yes', '1')
        elif param.kind == 'int':
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InvalidInputError('%r is not an integer' % (value,), option=name)
        elif param.kind == 'list':
            value = [str(item).strip() for item in (value if isinstance(value, (list, tuple)) else [value])]
            if not value or not all(value):
                raise InvalidInputError('needs one or more non-empty values', option=name)
        else:
            if isinstance(value, (dict, list, tuple)):
                raise InvalidInputError('must be text', option=name)
            value = str(value)
        if param.choices is not None:
            for item in (value if isinstance(value, list) else [value]):
                if item not in param.choices:
                    raise InvalidInputError('invalid value %r' % (item,), option=name, allowed=param.choices)
        if param.kind == 'str':
            check_text(value, name, multiline=param.multiline)
        if param.max_length is not None and param.kind == 'str' and len(value) > param.max_length:
            raise InvalidInputError('is %d characters long, %s takes at most %d' % (len(value), spec.name, param.max_length),
                                    option=name)
        clean[key] = value
    return clean


def check_text(value, option, multiline=False):
    """InvalidInputError naming ``option`` for a control character (and, unless ``multiline``, a tab or newline).

    The character is named by its code point, never echoed: the text may be a PIN or a passcode."""
    found = _CONTROL.search(value) or (None if multiline else _LINE_BREAK.search(value))
    if found is not None:
        allowed = 'printable text, newlines and tabs' if multiline else 'printable text on one line'
        raise InvalidInputError('holds the control character U+%04X at position %d' % (ord(found.group()), found.start() + 1),
                                option=option, allowed=[allowed])


def default_precheck(spec, devices):
    """``{id: result}`` for devices the command does not apply to (platform) or whose end state is reached (status)."""
    verdicts = {}
    for device_id, device in devices.items():
        if spec.platforms is not None and device.get('mdm_platform') not in spec.platforms:
            verdicts[device_id] = result(device_id, 'not_applicable', 'the vendor has %s only for %s devices, not %s' % (
                spec.name, ', '.join(sorted(spec.platforms)), device.get('mdm_platform')))
        elif device.get('mdm_status') in spec.done_statuses:
            verdicts[device_id] = result(device_id, 'skipped', 'the device is already %s: %s is not sent again' % (
                device.get('mdm_status'), spec.name))
    return verdicts


# A 502 / 504 from a gateway in front of the server: the server may have carried the command out behind it.
GATEWAY_STATUSES = (502, 504)


def unreached(device_id, exc, gateway_unknown=True):
    """The result of a command request that raised: unknown when the server may have acted on it (no reply, a
    gateway's 502 / 504, a reply that cannot be read), else failed.

    ``gateway_unknown=False`` reads a 502 / 504 as failed: ManageEngine's command calls keep that reading (the fault
    matrix in docs/reliability.md records it), the other vendors' the default."""
    if isinstance(exc, TransportError) and exc.maybe_sent:
        return result(device_id, 'unknown', '%s; %s' % (exc, UNKNOWN_ADVICE))
    if gateway_unknown and isinstance(exc, ServerError) and exc.status in GATEWAY_STATUSES:
        return result(device_id, 'unknown', '%s; %s' % (exc, UNKNOWN_ADVICE))
    if isinstance(exc, BadResponseError):
        return result(device_id, 'unknown', '%s; %s' % (exc, UNKNOWN_ADVICE))
    return result(device_id, 'failed', str(exc))
