# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine MDM device commands (mdm_device_action), cloud (OAuth) and on-premises (API key) alike.

Sources, all in ``manageengine-mdm-devices-api.txt`` unless said otherwise:

- "Perform Action on device": ``POST /api/v1/mdm/devices/{device_id}/actions/{action_name}``, the 18 action names
  of its argument list, the JSON body fields of its example, reply ``202 Accepted`` (no body documented).
- "Apply Knox actions to the device": ``POST /api/v1/mdm/devices/{device_id}/knox_actions/{action_name}``, the same
  argument list, body ``{"action_name": ...}``, reply 202.
- "Execute command for bulk resources": ``POST /api/v1/mdm/actions/{command_name}`` with ``devices`` (numbers),
  ``groups`` (ids as text) and ``command_name``; reply ``success_list`` / ``na_list`` (device_id, remarks, status)
  and counts.  The only command name the reference shows is ``AssetScan`` (the scan action's command, also in
  "Get command history"), so only scan is sent in bulk; every other command goes one request per device.
- "Get last initiated command status for device": ``GET /api/v1/mdm/devices/{device_id}/actions/recent_command``
  (status_code, status_description, command_name): followed by wait_actions.
- "Remove action": remove an action not yet performed on the device (``DELETE .../devices/{device_id}/actions/
  {action_name}``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import (
    ActionSpec,
    ParamSpec,
    check_params,
    default_precheck,
    result,
    unreached,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DeviceActions
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.facts import ManageEngineFacts
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import COMMAND_PARAMS
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    InvalidInputError,
    MdmError,
    NotFoundError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.device import text_or_none

DEVICE_ACTION_PATH = '/api/v1/mdm/devices/%s/actions/%s'
KNOX_ACTION_PATH = '/api/v1/mdm/devices/%s/knox_actions/%s'
BULK_ACTION_PATH = '/api/v1/mdm/actions/%s'
RECENT_COMMAND_PATH = '/api/v1/mdm/devices/%s/actions/recent_command'
# "Remove action": the reference prints ``/devices/{device_id}/actions/{action_name}`` without the /api/v1/mdm prefix
# that every other call of the reference carries (its curl example too).  We send the DELETE to the resource the
# POST of "Perform Action on device" addresses.  UNVERIFIED: the one value to change if a server wants the bare path.
REMOVE_ACTION_PATH = '/api/v1/mdm/devices/%s/actions/%s'

# The reference documents no maximum number of devices per bulk call.  UNVERIFIED: 100 ids a call is our choice (the
# same order as the other vendors' documented limits); the one value to change.
BULK_MAX = 100

# Device and group ids are numbers (9007199254741000 in the reference), kept as text (64-bit, never through float).
NUMBER = re.compile(r'^[0-9]+$')

# The argument list of "Perform Action on device" (and, identically, of "Apply Knox actions to the device").
DEVICE_ACTIONS = (
    'scan', 'lock', 'remote_control', 'remote_view', 'remote_alarm', 'complete_wipe', 'corporate_wipe', 'clear_passcode',
    'reset_passcode', 'fetch_location', 'shutdown', 'restart', 'enable_lost_mode', 'disable_lost_mode', 'pause_kiosk',
    're_apply_kiosk', 'remote_debug', 'unlock_user_account',
)

# DESIGN.md's neutral verbs the reference has: neutral name -> ManageEngine action name.
NEUTRAL = {
    'wakeup': 'scan',
    'lock': 'lock',
    'wipe': 'complete_wipe',
    'selective_wipe': 'corporate_wipe',
    'locate': 'fetch_location',
    'restart': 'restart',
    'shutdown': 'shutdown',
    'clear_passcode': 'clear_passcode',
    'reset_passcode': 'reset_passcode',
    'enable_lost_mode': 'enable_lost_mode',
    'disable_lost_mode': 'disable_lost_mode',
    'remote_session': 'remote_control',
}

# The command name under which the server files each action (recent_command, command history, bulk endpoint).
# Documented: AssetScan for scan ("Execute command for bulk resources", "Get command history").  UNVERIFIED: the
# others, which the reference never shows; wait_actions only matches a recent command by these names.
COMMAND_NAMES = {
    'scan': 'AssetScan',
    'lock': 'DeviceLock',
    'remote_control': 'RemoteSession',
    'remote_view': 'RemoteSession',
    'remote_alarm': 'RemoteAlarm',
    'complete_wipe': 'EraseDevice',
    'corporate_wipe': 'CorporateWipe',
    'clear_passcode': 'ClearPasscode',
    'reset_passcode': 'ResetPasscode',
    'fetch_location': 'GetLocation',
    'shutdown': 'ShutDownDevice',
    'restart': 'RestartDevice',
    'enable_lost_mode': 'EnableLostMode',
    'disable_lost_mode': 'DisableLostMode',
    'pause_kiosk': 'PauseKioskCommand',
    're_apply_kiosk': 'ResumeKioskCommand',
    'remote_debug': 'RemoteDebug',
    'unlock_user_account': 'UnlockUserAccount',
}
# Commands the bulk endpoint takes: only the one whose command name the reference documents.
BULK_ACTIONS = frozenset(('scan',))

# recent_command status_code: 2 = "Command Success" (reference).  UNVERIFIED: 0 = failed; every other code means the
# command has not finished yet.
STATUS_SUCCESS = 2
STATUS_FAILED = frozenset((0,))
# Seconds the server's clock may be behind ours when a command history is matched against the journal's time.
CLOCK_SKEW = 300


def _text(description):
    return ParamSpec('str', description=description)


def _flag(description):
    return ParamSpec('bool', description=description)


# Fields of the request body example of "Perform Action on device".  The reference gives one example body for every
# action and does not say which field belongs to which action: the split below follows the field names and is
# UNVERIFIED.  Option keys are the wire names, except the module's ``message`` (sent as lock_message).
COMMON_PARAMS = {
    'description': _text('description of the action'),
    'audit_message': _text('audit message recorded with the action'),
    'ticket_id': _text('help desk ticket id recorded with the action'),
    'remarks': _text('remarks recorded with the action'),
    'send_email_to_user': _flag('e-mail the device user about the action'),
    'email_address_list': _text('further e-mail addresses to notify'),
}
# Texts: the reference documents no length limit for lock_message, phone_number, audit_message or remarks, so none is
# enforced; every text is one line without control characters (actions.check_text).
LOCK_PARAMS = {
    'message': ParamSpec('str', description='message shown on the locked screen (sent as lock_message)'),
    'phone_number': _text('phone number shown on the locked screen'),
    'unlock_pin': ParamSpec('str', description='PIN that unlocks the device (secret; sent as text so a leading zero stays)'),
}
WIPE_PARAMS = {
    'wipe_sd_card': _flag('also wipe the SD card'),
    'wipe_but_retain_mdm': _flag('wipe but keep the device enrolled'),
    'wipe_lock_pin': ParamSpec('str', description='PIN that protects the wipe (secret; sent as text)'),
}
CORPORATE_WIPE_PARAMS = {
    'clear_data_for_all_apps': _flag('clear the data of every managed app'),
}
PASSCODE_PARAMS = {
    'passcode': ParamSpec('str', description='the new passcode (secret; sent as text)'),
}
EXTRA_PARAMS = {
    'lock': LOCK_PARAMS,
    'enable_lost_mode': LOCK_PARAMS,
    'complete_wipe': WIPE_PARAMS,
    'corporate_wipe': CORPORATE_WIPE_PARAMS,
    'reset_passcode': PASSCODE_PARAMS,
}
# Option keys whose values are secrets: registered with the transport so no error or log shows them.
SECRET_PARAMS = ('unlock_pin', 'wipe_lock_pin', 'passcode')
WIRE_NAMES = {'message': 'lock_message'}
# A device already wiped or removed from management gets no second wipe (normalised mdm_status).
WIPED = ('wiped', 'retired')
# Knox is Samsung's container and management layer: Knox actions apply to Android devices only, and the devices
# detail record of the reference carries "knox_details" on such a device.
KNOX_PLATFORMS = ('android',)


def _catalogue():
    catalogue = {}
    neutral_of = dict((vendor, neutral) for neutral, vendor in NEUTRAL.items())
    for action in DEVICE_ACTIONS:
        params = dict(COMMON_PARAMS)
        params.update(EXTRA_PARAMS.get(action, {}))
        bulk = action in BULK_ACTIONS
        if bulk:
            params['groups'] = ParamSpec('list', description='ids of device groups to command as well (bulk endpoint)')
        name = neutral_of.get(action, action)
        catalogue[name] = ActionSpec(
            name, vendor_name=action, neutral=action in neutral_of,
            destructive=action in ('complete_wipe', 'corporate_wipe'), params=params,
            done_statuses=WIPED if action in ('complete_wipe', 'corporate_wipe') else (),
            batch=BULK_MAX if bulk else 1, waitable=True,
            extra={'kind': 'bulk' if bulk else 'device', 'action': action, 'command_name': COMMAND_NAMES[action]})
        # The Knox form of the same action: {"action_name": ...} is its whole documented body.
        knox = 'knox_' + action
        catalogue[knox] = ActionSpec(
            knox, neutral=False, destructive=action in ('complete_wipe', 'corporate_wipe'),
            platforms=KNOX_PLATFORMS, done_statuses=WIPED if action in ('complete_wipe', 'corporate_wipe') else (),
            extra={'kind': 'knox', 'action': action})
    catalogue['remove_action'] = ActionSpec(
        'remove_action', neutral=False, destructive=False,
        params={'action_name': ParamSpec('str', required=True, choices=DEVICE_ACTIONS,
                                         description='the pending action to remove from the device')},
        extra={'kind': 'remove'})
    return catalogue


class ManageEngineActions(DeviceActions):
    """Device commands of ManageEngine MDM, over a ManageEngineSession (call, call_json, map_concurrently)."""

    def action_catalogue(self):
        return _catalogue()

    def check_action(self, spec, params):
        clean = check_params(spec, params, option=COMMAND_PARAMS)
        for key in SECRET_PARAMS:
            if clean.get(key):
                self.session.transport.add_secret(clean[key])
        for value in clean.get('groups') or []:
            if not NUMBER.match(value):
                raise InvalidInputError('%r is not a ManageEngine MDM group id (a number)' % (value,), option='%s.groups' % COMMAND_PARAMS)
        return clean

    def action_targets(self, spec, devices, concurrency=4):
        # The raw record too: Knox actions look at its knox_details.
        def fetch(device_id):
            return self.session.get_device(device_id, include_raw=spec.extra.get('kind') == 'knox')
        found = self.session.map_concurrently(fetch, devices, concurrency)
        return dict((device_id, device) for device_id, device in zip(devices, found) if device is not None)

    def precheck_action(self, spec, devices):
        verdicts = default_precheck(spec, devices)
        if spec.extra.get('kind') != 'knox':
            return verdicts
        # Knox: the details record must carry knox_details.  Devices chosen by a selector come from the device list,
        # whose records lack it: their details are read here (reads only, nothing is sent).
        left = [device_id for device_id in devices if device_id not in verdicts]
        missing = [device_id for device_id in left if not isinstance(devices[device_id].get('mdm_raw'), dict)]
        details = dict(zip(missing, self.session.map_concurrently(self.session.get_device_record, missing, 4)))
        for device_id in left:
            raw = devices[device_id].get('mdm_raw') if device_id not in details else details[device_id]
            if not isinstance(raw, dict) or not isinstance(raw.get('knox_details'), dict):
                verdicts[device_id] = result(device_id, 'not_applicable',
                                             'the device record has no knox_details: %s needs a Samsung Knox device' % spec.name)
        return verdicts

    # -- sending ---------------------------------------------------------------------------
    def send_action(self, spec, params, devices, concurrency=4):
        kind = spec.extra.get('kind')
        if kind == 'bulk':
            return self._send_bulk(spec, params, list(devices))
        if kind == 'remove':
            return self.send_each(lambda device_id: self._remove_one(params['action_name'], device_id), devices, concurrency)
        return self.send_each(lambda device_id: self._send_one(spec, params, device_id), devices, concurrency)

    @staticmethod
    def _body(spec, params):
        body = {}
        for key, value in params.items():
            if key == 'groups':
                continue
            body[WIRE_NAMES.get(key, key)] = value
        body['action_name'] = spec.extra['action']
        return body

    def _send_one(self, spec, params, device_id):
        action = spec.extra['action']
        if spec.extra.get('kind') == 'knox':
            path, body = KNOX_ACTION_PATH % (device_id, action), {'action_name': action}
        else:
            path, body = DEVICE_ACTION_PATH % (device_id, action), self._body(spec, params)
        operation = '%s on device %s' % (spec.name, device_id)
        try:
            # Never re-sent once it may have reached the server (safe=False; transport.py).
            self.session.call('POST', path, operation, json_body=body, safe=False)
        except NotFoundError as exc:
            return result(device_id, 'failed', 'no such device (or the server has no %s for it): %s' % (action, exc))
        except MdmError as exc:
            # Unknown when the request may have reached the server, or when its reply is unreadable (too large, say).
            return unreached(device_id, exc, gateway_unknown=False)
        return result(device_id, 'sent', 'accepted by the server (202): %s' % action,
                      data={'action_name': action, 'command_name': spec.extra.get('command_name')})

    def _remove_one(self, action, device_id):
        operation = 'remove the pending %s of device %s' % (action, device_id)
        try:
            self.session.call('DELETE', REMOVE_ACTION_PATH % (device_id, action), operation, safe=False)
        except MdmError as exc:
            return unreached(device_id, exc, gateway_unknown=False)
        return result(device_id, 'completed', 'the pending %s was removed' % action, data={'action_name': action})

    def _send_bulk(self, spec, params, devices):
        """``POST /api/v1/mdm/actions/{command_name}``, BULK_MAX ids a call; groups go with the first call only.
        One result per given id, in order (the module's contract).  Devices the server commanded through the groups
        beyond the given ids are reported in the first result's ``data.via_groups`` (device_id, outcome, message)."""
        command = spec.extra['command_name']
        groups = list(params.get('groups') or [])
        unsent_groups = [groups]

        # One call at a time, in order: the groups go with the first call, and with no other.
        def send(batch):
            return self._bulk_batch(spec, command, unsent_groups.pop() if unsent_groups else [], batch, devices)
        return self.send_batches(send, devices, BULK_MAX, 1)

    def _bulk_batch(self, spec, command, groups, batch, devices):
        """One call of _send_bulk: the results of ``batch``, in order; ``groups`` only with the first call."""
        # Device ids as JSON numbers with every digit (64-bit: never through float); group ids as text (reference).
        body = {'command_name': command, 'devices': [int(device_id) for device_id in batch]}
        if groups:
            body['groups'] = groups
        operation = '%s (%s) on %d device(s)' % (spec.name, command, len(batch))
        try:
            data = self.session.call_json('POST', BULK_ACTION_PATH % command, operation, json_body=body, safe=False)
            verdicts = self._bulk_verdicts(data, spec, operation)
        except MdmError as exc:
            # A reply that cannot be read after a 2xx is unknown too: the command may well be scheduled.
            return [unreached(device_id, exc, gateway_unknown=False) for device_id in batch]
        results = [verdicts.pop(device_id, None) or result(
            device_id, 'failed', 'the server named the device in neither success_list nor na_list (no such device?)')
            for device_id in batch]
        if groups:
            extra = [dict(device_id=device_id, outcome=verdict['outcome'], message=verdict['message'])
                     for device_id, verdict in verdicts.items() if device_id not in devices]
            results[0]['data'] = dict(results[0]['data'] or {}, groups=groups, via_groups=extra)
        return results

    def _bulk_verdicts(self, data, spec, operation):
        if not isinstance(data, dict):
            raise self.session.bad_response('the bulk command reply is not a JSON object', operation)
        verdicts = {}
        for key, outcome in (('success_list', 'sent'), ('na_list', 'not_applicable')):
            items = data.get(key) or []
            if not isinstance(items, list):
                continue
            for item in items:
                if not isinstance(item, dict) or item.get('device_id') is None:
                    continue
                device_id = str(item['device_id'])
                remarks = text_or_none(item.get('remarks'))
                status = text_or_none(item.get('status'))
                message = remarks or ('accepted by the server: %s' % (status or 'scheduled') if outcome == 'sent' else 'not applicable')
                verdicts[device_id] = result(device_id, outcome, message,
                                             data={'status': status, 'command_name': spec.extra['command_name'],
                                                   'action_name': spec.extra['action']})
        return verdicts

    # -- before a resend (the journal) -----------------------------------------------------
    def verify_command(self, spec, device_id, entry):
        """Does the server already have ``spec`` for the device, sent at or after the journal ``entry``?

        Returns (found, state, message, command_id).  Reads "Get last initiated command status for device" and,
        when it names another command, "Get command history for device" (commands added since the entry was
        written, less CLOCK_SKEW).  Matched by the command name the server files the action under (COMMAND_NAMES,
        unverified beyond AssetScan)."""
        command = COMMAND_NAMES.get(spec.extra.get('action'))
        if command is None:
            return False, None, 'no command name to look for', None
        try:
            recent = self.session.call_json('GET', RECENT_COMMAND_PATH % device_id, 'get the recent command of device %s' % device_id)
        except NotFoundError:
            recent = None
        if isinstance(recent, dict) and text_or_none(recent.get('command_name')) == command:
            done = recent.get('status_code') == STATUS_SUCCESS
            return True, 'completed' if done else 'sent', 'its last initiated command is %s, %s' % (
                command, text_or_none(recent.get('status_description')) or 'status %s' % recent.get('status_code')), None
        since_ms = (float(entry.get('started_ts') or 0) - CLOCK_SKEW) * 1000
        # The command history is a device fact of ManageEngine: read it through that capability, over the same session.
        history = ManageEngineFacts(self.session).command_history(device_id)
        for item in history.get('commands') or []:
            if not isinstance(item, dict) or text_or_none(item.get('command_name')) != command:
                continue
            try:
                added = float(item.get('added_time'))
            except (TypeError, ValueError):
                continue
            if added >= since_ms:
                done = item.get('command_status') == STATUS_SUCCESS
                return True, 'completed' if done else 'sent', 'its command history holds %s (command id %s)' % (
                    command, item.get('command_id')), text_or_none(item.get('command_id'))
        return False, None, 'neither its last command nor its command history shows %s' % command, None

    # -- following -------------------------------------------------------------------------
    def wait_actions(self, spec, results, timeout, interval=5.0):
        """Poll "Get last initiated command status for device" for every ``sent`` result until its status is final.
        A recent command of another name (a newer command was initiated) leaves the result ``sent``."""
        if not spec.waitable or spec.extra.get('kind') not in ('device', 'bulk'):
            return False
        command = spec.extra['command_name']
        deadline = time.time() + max(0.0, float(timeout))
        while True:
            pending = [item for item in results if item['outcome'] == 'sent']
            for item in pending:
                self._poll(item, command)
            pending = [item for item in results if item['outcome'] == 'sent']
            if not pending:
                return True
            if time.time() + interval > deadline:
                for item in pending:
                    item['message'] = 'still not completed after %ss: %s' % (timeout, item['message'])
                return True
            time.sleep(interval)

    def _poll(self, item, command):
        device_id = item['device_id']
        try:
            data = self.session.call_json('GET', RECENT_COMMAND_PATH % device_id, 'get the recent command of device %s' % device_id)
        except MdmError as exc:
            item['message'] = 'could not read the command status: %s' % exc
            return
        if not isinstance(data, dict):
            return
        name = text_or_none(data.get('command_name'))
        if name is not None and name != command:
            item['message'] = 'the recent command of the device is %s, not %s' % (name, command)
            return
        try:
            code = int(data.get('status_code'))
        except (TypeError, ValueError):
            return
        description = text_or_none(data.get('status_description'))
        item['data'] = dict(item['data'] or {}, status_code=code, status_description=description)
        if code == STATUS_SUCCESS:
            item['outcome'] = 'completed'
            item['message'] = description or 'Command Success'
        elif code in STATUS_FAILED:
            item['outcome'] = 'failed'
            item['message'] = description or 'the command failed on the device'
        else:
            item['message'] = description or 'in progress (status %s)' % code
