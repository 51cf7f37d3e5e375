# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM MaaS360 device commands (mdm_device_action): the v1 device actions, one device per request.

Sources: NOTES.md "Device actions (v1)": form-encoded ``POST /device-apis/devices/1.0/<verb>/{billingID}`` with
``deviceId``; the verbs; ``wipeDevice`` adds ``notifyMe``, ``notifyUser``, ``notifyOthers``; ``sendMessage`` takes
``messageTitle`` and ``message``; the reply ``actionResponse`` {maas360DeviceID, actionStatus (0 ok, 1 error),
description, actionID}; ``locateDevice`` replies with latitude, longitude, locatedTime; an accepted action has not
yet run on the device and ``checkActionStatus`` follows it; there is no bulk form.  IBM's fn_maas360
(resilient-community-apps, README and lib/maas360_common.py) shows the same form fields, the notify flags written
``Yes`` / ``No`` with other recipients as a comma-separated list, and sample replies of lockDevice, wipeDevice
and locateDevice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import UNKNOWN_ADVICE, ActionSpec, ParamSpec, result
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DeviceActions
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    InvalidInputError,
    MdmError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)

ACTION_PATH = '/device-apis/devices/1.0/%s/%s'
# NOTES.md names checkActionStatus as the way to follow an accepted action, but none of our sources shows its
# request or reply.  Unverified, each one setting to change: a GET of the same v1 device path with the ``actionID``
# the action reply carried; the reply ``actionStatusResponse`` (or ``actionResponse``) with ``actionStatus`` as
# text; the status words below.
CHECK_STATUS_VERB = 'checkActionStatus'
CHECK_STATUS_PARAM = 'actionID'
CHECK_STATUS_ENVELOPES = ('actionStatusResponse', 'actionResponse')
PENDING_STATUSES = frozenset(('pending', 'queued', 'sent', 'notified', 'in progress', 'inprogress', 'scheduled'))
DONE_STATUSES = frozenset(('completed', 'complete', 'executed', 'success', 'successful', 'succeeded', 'done'))
FAILED_STATUSES = frozenset(('failed', 'failure', 'error', 'cancelled', 'canceled', 'expired', 'rejected'))
# A 5xx to a command may come after the server (or the server behind a gateway) took it: treat as unknown.
MAYBE_PROCESSED_STATUSES = frozenset((500, 502, 504))
WAIT_CONCURRENCY = 4

_NOTIFY_HELP = 'Yes / No in the form (fn_maas360)'


def _catalogue():
    """Every v1 device action of NOTES.md; ``extra['form']`` maps a parameter key to its form field."""
    wipe_params = {
        'notifyMe': ParamSpec(kind='bool', description='notify the administrator (%s)' % _NOTIFY_HELP),
        'notifyUser': ParamSpec(kind='bool', description='notify the device user (%s)' % _NOTIFY_HELP),
        'notifyOthers': ParamSpec(kind='list', description='other e-mail addresses to notify (comma-separated in the form)'),
    }
    # Texts: NOTES.md and the references document no length limit for messageTitle and message, so none is enforced;
    # control characters are refused (actions.check_text), newlines and tabs only in the message body.
    message_params = {
        'subject': ParamSpec(required=True, description='messageTitle'),
        'message': ParamSpec(required=True, description='message', multiline=True),
    }
    specs = (
        ActionSpec('lock', 'lockDevice', waitable=True),
        ActionSpec('wipe', 'wipeDevice', params=wipe_params, done_statuses=('wiped',), waitable=True,
                   extra={'form': {'notifyMe': 'notifyMe', 'notifyUser': 'notifyUser', 'notifyOthers': 'notifyOthers'}}),
        # A selective wipe removes the corporate data: the adapter reads it as "retired" (maas360.status_of).
        ActionSpec('selective_wipe', 'selectiveWipeDevice', done_statuses=('retired', 'wiped'), waitable=True),
        ActionSpec('revoke_selective_wipe', 'revokeSelectiveWipe', neutral=False, waitable=True),
        ActionSpec('cancel_pending_wipe', 'cancelPendingWipe', neutral=False, waitable=True),
        # locateDevice answers with the position itself (fn_maas360 sample reply): completed, nothing to follow.
        ActionSpec('locate', 'locateDevice', extra={'locate': True}),
        ActionSpec('send_message', 'sendMessage', params=message_params, waitable=True,
                   extra={'form': {'subject': 'messageTitle', 'message': 'message'}}),
        ActionSpec('reset_passcode', 'resetDevicePasscode', waitable=True),
        ActionSpec('wakeup', 'refreshDeviceInformation', waitable=True),
        ActionSpec('hide', 'hideDevice', neutral=False, waitable=True),
        ActionSpec('remove', 'removeDevice', neutral=False, waitable=True),
    )
    return dict((spec.name, spec) for spec in specs)


def _form_value(value):
    if isinstance(value, bool):
        return 'Yes' if value else 'No'
    if isinstance(value, list):
        return ','.join(value)
    return value


def _status_code(value):
    """actionStatus of a command reply as an int (0 ok, 1 error), None when missing or not a number."""
    if isinstance(value, bool) or value in (None, ''):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _text(value):
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class MaaS360Actions(DeviceActions):
    """Device commands of IBM MaaS360, over a MaaS360Session."""

    # Injectable for tests: the clock and the pause of wait_actions().
    action_clock = staticmethod(time.monotonic)
    action_sleep = staticmethod(time.sleep)

    def action_catalogue(self):
        return _catalogue()

    def action_form(self, spec, params, device_id):
        """The form of one device command: deviceId and the parameters under the names the command's spec gives."""
        form = {'deviceId': device_id}
        names = spec.extra.get('form', {})
        for key, value in (params or {}).items():
            if value is None:
                continue
            form[names.get(key, key)] = _form_value(value)
        return form

    # -- sending -------------------------------------------------------------------------------------
    def send_action(self, spec, params, devices, concurrency=4):
        devices = list(devices)
        if not devices:
            return []
        # Log in before the first command: wrong credentials fail the task once, not once per device.
        self.session.auth_headers()

        def send(device_id):
            return self.send_one_action(spec, params, device_id)
        return self.send_each(send, devices, concurrency)

    def send_one_action(self, spec, params, device_id):
        """POST one command for one device (never re-sent after it may have arrived); its result."""
        operation = '%s device %s' % (spec.vendor_name, device_id)
        path = ACTION_PATH % (spec.vendor_name, self.session.billing_path)
        try:
            # Never repeated by the transport after it may have reached the server (safe=False).
            response = self.session.call('POST', path, operation, data=self.action_form(spec, params, device_id), safe=False)
            data = self.session.read_reply(response, operation)
        except TransportError as exc:
            if exc.maybe_sent:
                return result(device_id, 'unknown', '%s %s' % (exc.message, UNKNOWN_ADVICE))
            return result(device_id, 'failed', exc.message)
        except ServerError as exc:
            if exc.status in MAYBE_PROCESSED_STATUSES:
                return result(device_id, 'unknown', 'HTTP %s: %s; %s' % (exc.status, exc.message, UNKNOWN_ADVICE))
            return result(device_id, 'failed', 'HTTP %s: %s' % (exc.status, exc.message))
        except (AuthenticationError, NotFoundError, InvalidInputError, RateLimitedError) as exc:
            # Refused before any processing (4xx; a 429 whose wait is too long or that outlasted the retries).
            return result(device_id, 'failed', str(exc))
        except MdmError as exc:
            # The server answered, but with nothing we can read (BadResponseError): it may have acted on it.
            return result(device_id, 'unknown', '%s; %s' % (exc.message, UNKNOWN_ADVICE))
        return self.action_outcome(spec, device_id, data)

    def action_outcome(self, spec, device_id, data):
        """The result of one device from a command reply (``actionResponse``: actionStatus, description, actionID)."""
        node = data.get('actionResponse') if isinstance(data, dict) else None
        if not isinstance(node, dict):
            return result(device_id, 'unknown', 'the reply has no "actionResponse"; %s' % UNKNOWN_ADVICE)
        code = _status_code(node.get('actionStatus'))
        description = _text(node.get('description'))
        action_id = _text(node.get('actionID'))
        if code == 1:
            return result(device_id, 'failed', description or 'MaaS360 refused %s (actionStatus 1)' % spec.vendor_name,
                          command_id=action_id)
        if code != 0:
            return result(device_id, 'unknown', 'the reply carries no known actionStatus (%r); %s' % (
                node.get('actionStatus'), UNKNOWN_ADVICE), command_id=action_id)
        if spec.extra.get('locate'):
            position = dict((key, node.get(key)) for key in ('latitude', 'longitude', 'locatedTime'))
            if position['latitude'] not in (None, '') and position['longitude'] not in (None, ''):
                return result(device_id, 'completed', description, command_id=action_id, data=position)
            return result(device_id, 'sent', description or 'no position known yet', command_id=action_id)
        return result(device_id, 'sent', description, command_id=action_id)

    # -- before a resend (the journal) -----------------------------------------------------------------
    def verify_command(self, spec, device_id, entry):
        """Does the server already have the command of the journal ``entry``?  (found, state, message, command_id)

        Only checkActionStatus can tell, and only with the actionID a reply carried.  A lost reply leaves none, and
        searchActionHistory, which NOTES.md names, is shown (request and reply) in none of our sources: then the
        answer is "not found" and the wipe status precheck of the command is the only check before a resend."""
        action_id = _text(entry.get('command_id'))
        if action_id is None:
            return False, None, 'no actionID to check', None
        try:
            outcome, description = self.action_status(action_id)
        except NotFoundError:
            return False, None, 'checkActionStatus does not know the action %s' % action_id, None
        if outcome == 'failed':
            return False, None, description, None
        return True, outcome or 'sent', 'checkActionStatus of action %s: %s' % (
            action_id, description or outcome or 'pending'), action_id

    # -- following -----------------------------------------------------------------------------------
    def action_status(self, action_id):
        """(outcome or None while pending, description) of one accepted action, from checkActionStatus."""
        operation = '%s %s' % (CHECK_STATUS_VERB, action_id)
        response = self.session.call('GET', ACTION_PATH % (CHECK_STATUS_VERB, self.session.billing_path), operation,
                                     params={CHECK_STATUS_PARAM: action_id})
        data = self.session.read_reply(response, operation)
        node = None
        for envelope in CHECK_STATUS_ENVELOPES:
            if isinstance(data, dict) and isinstance(data.get(envelope), dict):
                node = data[envelope]
                break
        if node is None:
            raise self.session.bad_response('the reply has no "%s"' % CHECK_STATUS_ENVELOPES[0], operation, response)
        status = (_text(node.get('actionStatus')) or _text(node.get('status')) or '').lower()
        description = _text(node.get('description'))
        if status in DONE_STATUSES:
            return 'completed', description
        if status in FAILED_STATUSES:
            return 'failed', description or 'the action %s' % status
        if status in PENDING_STATUSES:
            return None, description
        raise self.session.bad_response('unknown action status %r' % status, operation, response)

    def wait_actions(self, spec, results, timeout, interval=5.0):
        if not spec.waitable:
            return False
        pending = [item for item in results if item['outcome'] == 'sent' and item.get('command_id')]
        for item in results:
            if item['outcome'] == 'sent' and not item.get('command_id'):
                item['message'] = 'the reply carried no actionID to follow; %s' % (item['message'] or 'sent')
        deadline = self.action_clock() + max(0.0, float(timeout))
        last_error = {}
        while pending:
            verdicts = self.session.map_concurrently(self._poll_action, pending, WAIT_CONCURRENCY)
            still = []
            for item, (outcome, message, error) in zip(pending, verdicts):
                if error is not None:
                    last_error[item['device_id']] = error
                    if error.status in (400, 404):
                        item['message'] = 'the action could not be followed: %s' % error.message
                        continue
                    still.append(item)
                elif outcome is None:
                    still.append(item)
                    if message:
                        item['message'] = message
                else:
                    item['outcome'] = outcome
                    item['message'] = message
            pending = still
            remaining = deadline - self.action_clock()
            if not pending or remaining <= 0:
                break
            self.action_sleep(min(float(interval), remaining))
        for item in pending:
            error = last_error.get(item['device_id'])
            item['message'] = 'not finished after %s s (the action is still pending on the server)%s' % (
                timeout, '; last check failed: %s' % error.message if error is not None else '')
        return True

    def _poll_action(self, item):
        try:
            outcome, message = self.action_status(item['command_id'])
            return outcome, message, None
        except MdmError as exc:
            return None, None, exc
