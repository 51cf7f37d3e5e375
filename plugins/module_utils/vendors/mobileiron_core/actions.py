# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Core device commands (mdm_device_action), the ``actions`` capability over a MobileIronCoreSession.

Sources: the vendor reference ``mobileiron-core-v2-devices-api.txt``, sections "Act on a device",
"Wake up a device", "Send message", "Wipe devices", "Lock devices", "Unock devices", "Retire devices",
"Open TeamViewer session" and "Check device compliance"; NOTES.md (at most 512 UUIDs per call, status
values RETIRE_PENDING / WIPED meaning no second command is needed).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import (
    UNKNOWN_ADVICE,
    ActionSpec,
    ParamSpec,
    result,
    unreached,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DeviceActions
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.session import (
    DEVICE_FIELDS,
    DEVICES_PATH,
    MAX_LIMIT,
    uuid_queries,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import COMMAND_SUBJECT
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError

# NOTES.md: at most 512 UUIDs per call, for delete and for action batches alike.
CORE_BATCH = 512
# "Act on a device": note is 1 to 200 characters.  The other calls document no limit.
MAX_NOTE = 200
# "Send message" / "Act on a device": the message modes.
MODES = ('sms', 'pns', 'email')
SUCCESS_SUFFIX = 'successful'  # deviceResults value com.mobileiron.vsp.messages.device.action.successful
# How a reply's "successful" field may be written (a JSON boolean, or its text form).
TRUE_TEXTS = (True, 'true', 'True', 'TRUE')
FALSE_TEXTS = (False, 'false', 'False', 'FALSE')
# "Open TeamViewer session": the path per platform.  The parameter table names the device field deviceUuid, the curl
# samples deviceUUID; the table is followed (one setting to change).
TEAMVIEWER_PATH = '/msa/v2/remote/create_teamviewer_session_%s'
TEAMVIEWER_DEVICE_FIELD = 'deviceUuid'
TEAMVIEWER_FIELDS = ('code', 'state', 'end_customer_link', 'supporter_link', 'valid_until', 'groupid', 'assigned_userid')
# A retire or wipe has nothing left to do on a device already retired or wiped, or on its way there (RETIRE_PENDING
# and WIPE_PENDING normalise to retired / wiped).
DONE = ('retired', 'wiped')


def _note(required=False):
    return ParamSpec(required=required, description='note recorded with the command on the server')


def _catalogue():
    def verb(name, vendor_name, path, action_type, done=(), params=None, extra=None):
        fields = {'note': _note()}
        fields.update(params or {})
        details = {'path': path, 'action_type': action_type}
        details.update(extra or {})
        return ActionSpec(name, vendor_name, neutral=True, params=fields, done_statuses=done, batch=CORE_BATCH,
                          extra=details)

    specs = [
        # "Lock devices", "Unock devices", "Wipe devices", "Retire devices", "Wake up a device": PUT, body deviceUuids/note.
        verb('lock', 'lock', '/api/v2/devices/lock', 'LOCK'),
        verb('unlock', 'unlock', '/api/v2/devices/unlock', 'UNLOCK'),
        verb('wipe', 'wipe', '/api/v2/devices/wipe', 'WIPE', done=DONE),
        verb('retire', 'retire', '/api/v2/devices/retire', 'RETIRE', done=DONE),
        verb('wakeup', 'wakeup', '/api/v2/devices/wakeup', 'WAKEUP_DEVICE'),
        # "Send message": additionalParameters message / mode (pns, sms, email) / subject (with email).
        verb('send_message', 'sendmessage', '/api/v2/devices/sendmessage', 'SEND_MESSAGE', params={
            'message': ParamSpec(required=True, description='message to send', multiline=True),
            'message_type': ParamSpec(choices=MODES, default='pns', description='mode of the message'),
            'subject': ParamSpec(description='subject of an email message'),
        }),
        # "Check device compliance": allDevices=false with deviceUuids, or allDevices=true with {} (every device).
        verb('check_compliance', 'checkcompliance', '/api/v2/devices/checkcompliance', 'CHECK_COMPLIANCE', params={
            'all_devices': ParamSpec(kind='bool', default=False,
                                     description='check every device of the device space in one call (allDevices=true)'),
        }),
    ]
    catalogue = dict((spec.name, spec) for spec in specs)
    # "Open TeamViewer session": one device a call, Android and iOS only; the reply carries the session links.
    catalogue['remote_session'] = ActionSpec('remote_session', 'create_teamviewer_session', neutral=True,
                                             platforms=('android', 'ios'), batch=1, extra={'teamviewer': True})
    # "Act on a device": POST /api/v2/devices/action?actionType=..., with the platforms the reference lists.
    for action_type, platforms in (
            ('ENABLE_VOICE_ROAMING', ('ios',)), ('DISABLE_VOICE_ROAMING', ('ios',)),
            ('ENABLE_DATA_ROAMING', ('ios',)), ('DISABLE_DATA_ROAMING', ('ios',)),
            ('ENABLE_PERSONAL_HOTSPOT', ('ios',)), ('DISABLE_PERSONAL_HOTSPOT', ('ios',)),
            ('SEND_MESSAGE', ('android', 'ios')), ('UPDATE_OS', ('ios',)),
            ('UNLOCK_APP_CONNECT_CONTAINER', ('android',)), ('UNLOCK_DEVICE_ONLY', ('android', 'ios'))):
        params = {'note': ParamSpec(max_length=MAX_NOTE, description='note describing the action (1 to 200 characters)')}
        if action_type == 'SEND_MESSAGE':
            # additionalParameters: message, mode and subject are all required here; app is an optional extra.
            params.update({
                'message': ParamSpec(required=True, description='message to send', multiline=True),
                'message_type': ParamSpec(required=True, choices=MODES, description='mode of the message'),
                'subject': ParamSpec(required=True, description='subject of the message'),
                'app': ParamSpec(description='app named in additionalParameters'),
            })
        catalogue[action_type] = ActionSpec(action_type, action_type, neutral=False, params=params, platforms=platforms,
                                            batch=CORE_BATCH, extra={'path': '/api/v2/devices/action',
                                                                     'action_type': action_type, 'query_type': True})
    return catalogue


class MobileIronCoreActions(DeviceActions):
    """Device commands of MobileIron Core, over a MobileIronCoreSession (call_json, device_space_id, check_device_ids,
    normalise, map_concurrently)."""

    def action_catalogue(self):
        return _catalogue()

    def check_action(self, spec, params):
        clean = super(MobileIronCoreActions, self).check_action(spec, params)
        if spec.name == 'send_message':
            if clean.get('message_type') == 'email' and not clean.get('subject'):
                raise InvalidInputError('an email message needs a subject', option=COMMAND_SUBJECT)
            if clean.get('subject') and clean.get('message_type') != 'email':
                raise InvalidInputError('MobileIron Core takes a subject only with message_type email', option=COMMAND_SUBJECT,
                                        allowed=['message_type: email'])
        return clean

    # -- targets -------------------------------------------------------------------------------------------
    def action_targets(self, spec, devices, concurrency=4):
        """The normalised devices (raw record kept for its exact status), read with as few searches as the 255-character
        query allows (several UUIDs OR'ed in the reference's advanced-search form)."""
        wanted = set(devices)

        def search(query):
            params = {'adminDeviceSpaceId': self.session.device_space_id, 'fields': ','.join(DEVICE_FIELDS), 'query': query,
                      'limit': MAX_LIMIT, 'offset': 0}
            data = self.session.call_json('GET', DEVICES_PATH, 'read the devices to command', params=params)
            return self.session.results_and_total(data, 'read the devices to command')[0]
        found = {}
        for records in self.session.map_concurrently(search, uuid_queries(list(devices)), concurrency):
            for record in records:
                uuid = str(record.get('common.uuid') or '').lower()
                if uuid in wanted:
                    found[uuid] = self.session.normalise(record, include_raw=True)
        return found

    def _remember_targets(self, found):
        lock = self.__dict__.setdefault('_targets_lock', threading.Lock())
        with lock:
            self.__dict__.setdefault('_targets', {}).update(found)

    def precheck_action(self, spec, devices):
        # Kept for send_action: a TeamViewer session's path depends on the device's platform.
        self._remember_targets(devices)
        verdicts = super(MobileIronCoreActions, self).precheck_action(spec, devices)
        for device_id, verdict in verdicts.items():
            raw = (devices[device_id].get('mdm_raw') or {}).get('common.status')
            if verdict['outcome'] == 'skipped' and raw:
                # Name Core's own status: RETIRE_PENDING says more than 'retired'.
                verdict['message'] = 'the device is already %s: %s is not sent again' % (raw, spec.name)
        return verdicts

    # -- sending -------------------------------------------------------------------------------------------
    def send_action(self, spec, params, devices, concurrency=4):
        devices = list(devices)
        if spec.extra.get('teamviewer'):
            return self.send_each(lambda uuid: self._teamviewer(spec, uuid), devices, concurrency)
        if spec.name == 'check_compliance' and params.get('all_devices'):
            return self.send_each(lambda batch: self._batch(spec, params, batch, all_devices=True), [devices], 1)[0]
        return self.send_batches(lambda batch: self._batch(spec, params, batch), devices, CORE_BATCH, concurrency)

    def _request(self, spec, params, uuids, all_devices=False):
        """(method, path, query, body) of one batch."""
        query = {'adminDeviceSpaceId': self.session.device_space_id}
        body = {'deviceUuids': uuids}
        if params.get('note'):
            body['note'] = params['note']
        if spec.extra.get('query_type'):
            query['actionType'] = spec.extra['action_type']
            if 'message' in spec.params:
                extra = {'message': params['message'], 'mode': params['message_type'], 'subject': params['subject']}
                if params.get('app'):
                    extra['app'] = params['app']
                body['additionalParameters'] = extra
            return 'POST', spec.extra['path'], query, body
        if spec.name == 'send_message':
            extra = {'message': params['message'], 'mode': params.get('message_type') or 'pns'}
            if params.get('subject'):
                extra['subject'] = params['subject']
            body['additionalParameters'] = extra
        if spec.name == 'check_compliance':
            query['allDevices'] = 'true' if all_devices else 'false'
            body = {} if all_devices else {'deviceUuids': uuids}
        return 'PUT', spec.extra['path'], query, body

    def _batch(self, spec, params, uuids, all_devices=False):
        method, path, query, body = self._request(spec, params, uuids, all_devices)
        operation = '%s %d device(s)' % (spec.name, len(uuids)) if not all_devices else '%s every device' % spec.name
        try:
            # Never re-sent after a lost reply (safe=False): the transport retries only what the server cannot have seen.
            data = self.session.call_json(method, path, operation, params=query, json_body=body, safe=False)
        except MdmError as exc:
            return [unreached(uuid, exc) for uuid in uuids]
        return read_action_reply(data, uuids, command_id_of(data))

    def _teamviewer(self, spec, uuid):
        targets = self.__dict__.get('_targets') or {}
        device = targets.get(uuid)
        if device is None:
            device = self.session.get_device(uuid)
            if device is None:
                return result(uuid, 'failed', 'no such device')
        platform = device.get('mdm_platform')
        if platform not in spec.platforms:
            return result(uuid, 'not_applicable', 'MobileIron Core opens TeamViewer sessions only for Android and iOS '
                                                  'devices, not %s' % platform)
        form = {'adminDeviceSpaceId': self.session.device_space_id, TEAMVIEWER_DEVICE_FIELD: uuid}
        try:
            # Form-encoded, adminDeviceSpaceId in the body (the reference's samples).
            data = self.session.call_json('POST', TEAMVIEWER_PATH % platform, 'open a TeamViewer session', data=form, safe=False)
        except MdmError as exc:
            return unreached(uuid, exc)
        session = data.get('results') if isinstance(data, dict) else None
        if not isinstance(session, dict) or not session.get('supporter_link'):
            return result(uuid, 'unknown', 'the reply carries no session links; ' + UNKNOWN_ADVICE)
        if session.get('error'):
            return result(uuid, 'failed', 'MobileIron Core refused it: %s' % (session.get('error_description') or session['error']))
        links = dict((key, session.get(key)) for key in TEAMVIEWER_FIELDS)
        # The reference's sample wraps the supporter link in brackets.
        links['supporter_link'] = str(links['supporter_link']).strip().strip('[]')
        return result(uuid, 'completed', 'TeamViewer session %s opened' % session.get('code'), session.get('code'), links)


def command_id_of(data):
    """The resultId of a command reply (check_compliance, send_message), or None."""
    for item in (data.get('results') if isinstance(data, dict) else None) or []:
        if isinstance(item, dict) and item.get('resultId') is not None:
            return str(item['resultId'])
    return None


def read_action_reply(data, uuids, command_id=None):
    """Per-device results of a Core command reply, read by its documented success markers only.

    The reference's replies carry ``successful`` (true / false) and ``deviceResults`` (uuid ->
    ``com.mobileiron.vsp.messages.device.action.successful`` or a failure text).  ``actionType`` is not one of them:
    a recorded reply of a wake-up spells it ``WAKE_UP`` where the reference writes ``WAKEUP_DEVICE`` (the Cortex XSOAR
    MobileIronUEM pack, MobileIronCORE/test_data/action_response.json), so its spelling never decides an outcome.
    A device's own deviceResults value wins; without one, ``successful`` decides (check_compliance lists its devices
    in results[].records and leaves deviceResults empty); a reply with neither marker may have been acted on.
    """
    if not isinstance(data, dict):
        data = {}
    device_results = data.get('deviceResults') if isinstance(data.get('deviceResults'), dict) else {}
    by_uuid = dict((str(key).lower(), value) for key, value in device_results.items())
    recorded = set()
    for item in data.get('results') or []:
        if isinstance(item, dict):
            recorded.update(str(uuid).lower() for uuid in item.get('records') or [] if not isinstance(uuid, dict))
    successful = data.get('successful')
    results = []
    for uuid in uuids:
        status = by_uuid.get(uuid)
        if status is not None:
            if str(status).strip().lower().endswith(SUCCESS_SUFFIX):
                results.append(result(uuid, 'sent', None, command_id))
            else:
                results.append(result(uuid, 'failed', 'MobileIron Core refused it: %s' % status, command_id))
        elif uuid in recorded or successful in TRUE_TEXTS:
            results.append(result(uuid, 'sent', None, command_id))
        elif successful in FALSE_TEXTS:
            results.append(result(uuid, 'failed', 'MobileIron Core reported the call as not successful and gave no '
                                                  'result for this device', command_id))
        else:
            # Neither marker: the server took the request but says nothing we can read; it may have acted.
            results.append(result(uuid, 'unknown', 'the reply has neither "successful" nor a "deviceResults" entry for '
                                                   'this device; ' + UNKNOWN_ADVICE))
    return results
