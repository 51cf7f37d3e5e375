"""MobileIron Core device commands (a part of the MobileIron Core dialect).

Sources: mobileiron-core-v2-devices-api.txt, sections "Act on a device" (POST /api/v2/devices/action?actionType=...,
body deviceUuids / note / additionalParameters, reply actionType / deviceResults / successful), "Wake up a device",
"Send message", "Wipe devices", "Lock devices", "Unock devices", "Retire devices" (PUT /api/v2/devices/<verb>, body
deviceUuids / note), "Check device compliance" (PUT .../checkcompliance?allDevices=true|false), "Open TeamViewer
session" (POST /msa/v2/remote/create_teamviewer_session_android|ios, form adminDeviceSpaceId / deviceUuid);
NOTES.md (at most 512 UUIDs per call; status values RETIRE_PENDING, WIPED).

UNVERIFIED (the reference shows successful replies only): the failure strings of deviceResults ("Device not found"
as in the label calls, the platform refusal), the 400 replies for a missing or too long deviceUuids list,
and what a TeamViewer session for an unknown device returns.
"""

import hashlib

from mdmsim.dialects.base import Part, json_response

TEAMVIEWER_PREFIX = '/msa/v2/remote/'
SUCCESS = 'com.mobileiron.vsp.messages.device.action.successful'
MAX_UUIDS = 512  # NOTES.md
MAX_NOTE = 200   # "Act on a device": note 1 to 200 characters
MODES = ('sms', 'pns', 'email')
# PUT /api/v2/devices/<verb>: the actionType each reply names.
VERBS = {'lock': 'LOCK', 'unlock': 'UNLOCK', 'wipe': 'WIPE', 'retire': 'RETIRE', 'wakeup': 'WAKEUP_DEVICE',
         'sendmessage': 'SEND_MESSAGE', 'checkcompliance': 'CHECK_COMPLIANCE'}
# "Act on a device": each actionType and the platforms the reference lists for it.
ACTION_TYPES = {
    'ENABLE_VOICE_ROAMING': ('iOS',), 'DISABLE_VOICE_ROAMING': ('iOS',),
    'ENABLE_DATA_ROAMING': ('iOS',), 'DISABLE_DATA_ROAMING': ('iOS',),
    'ENABLE_PERSONAL_HOTSPOT': ('iOS',), 'DISABLE_PERSONAL_HOTSPOT': ('iOS',),
    'SEND_MESSAGE': ('Android', 'iOS'), 'UPDATE_OS': ('iOS',),
    'UNLOCK_APP_CONNECT_CONTAINER': ('Android',), 'UNLOCK_DEVICE_ONLY': ('Android', 'iOS'),
}
# Status after an accepted command: a retire waits for the device (RETIRE_PENDING, NOTES.md), a wipe is WIPED.
NEW_STATUS = {'RETIRE': 'RETIRE_PENDING', 'WIPE': 'WIPED'}
# Reply form 'recorded_action_type': the actionType a real server wrote in a recorded reply, where it differs from the
# reference (the Cortex XSOAR MobileIronUEM pack, MobileIronCORE/test_data/action_response.json: a wake-up answered
# "WAKE_UP", not the reference's "WAKEUP_DEVICE"; deviceResults and successful as documented).
RECORDED_ACTION_TYPES = {'WAKEUP_DEVICE': 'WAKE_UP'}


class Actions(Part):
    """Handlers of the device-command routes of MobileIron Core."""

    # -- helpers ---------------------------------------------------------------------------------------------
    def _uuids(self, body):
        bad_request = self.dialect.bad_request
        uuids = body.get('deviceUuids') if isinstance(body, dict) else None
        if isinstance(uuids, str):
            uuids = [uuid for uuid in uuids.split(',') if uuid]  # reference: "Use commas to separate multiple values"
        if not isinstance(uuids, list) or not uuids:
            return None, bad_request('deviceUuids is required')
        if len(uuids) > MAX_UUIDS:
            return None, bad_request('at most %d deviceUuids per call' % MAX_UUIDS)
        return [str(uuid) for uuid in uuids], None

    def _apply(self, action_type, uuids, platforms=None, details=None):
        """deviceResults for each uuid; ledger entry and status change for each accepted device."""
        results = {}
        with self.state.lock:
            entries = dict((entry.record['common.uuid'].lower(), entry) for entry in self.state.entries(self.name))
            for uuid in uuids:
                entry = entries.get(uuid.lower())
                if entry is None:
                    results[uuid] = 'Device not found'
                    continue
                record = entry.record
                if platforms is not None and record['common.platform'] not in platforms:
                    results[uuid] = 'Action %s is not supported on %s devices' % (action_type, record['common.platform'])
                    continue
                if action_type in NEW_STATUS:
                    record['common.status'] = NEW_STATUS[action_type]
                    record['common.mdm_managed'] = False
                self.state.record_action(self.name, action_type, record['common.uuid'], **(details or {}))
                results[uuid] = SUCCESS
        return results

    def _reply(self, action_type, results, records=None):
        if self.state.reply_form(self.name) == 'recorded_action_type':
            action_type = RECORDED_ACTION_TYPES.get(action_type, action_type)
        reply = {'actionType': action_type, 'deviceResults': results,
                 'successful': all(value == SUCCESS for value in results.values())}
        if records is not None:
            accepted = [uuid for uuid, value in results.items() if value == SUCCESS] if records is True else records
            # resultId: the reference shows "114"; what it numbers is not documented.
            reply['results'] = [{'resultId': str(self.state.ledger_seq), 'resultMessage': None, 'records': accepted}]
            reply['resultCount'] = len(accepted)
        return json_response(200, reply, authenticated=True)

    # -- endpoints ---------------------------------------------------------------------------------------------
    def act_on_devices(self, request):
        """"Act on a device": POST /api/v2/devices/action?actionType=..."""
        bad_request = self.dialect.bad_request
        action_type = request.arg('actionType')
        if action_type not in ACTION_TYPES:
            return bad_request('Invalid actionType %s' % action_type)
        body = self.dialect.read_json(request)
        uuids, error = self._uuids(body)
        if error:
            return error
        note = body.get('note')
        if note is not None and not 1 <= len(str(note)) <= MAX_NOTE:
            return bad_request('note must be 1 to %d characters' % MAX_NOTE)
        details = {'note': note}
        if action_type == 'SEND_MESSAGE':
            extra = body.get('additionalParameters')
            if not isinstance(extra, dict) or not all(extra.get(key) for key in ('message', 'mode', 'subject')):
                return bad_request('additionalParameters needs message, mode and subject')
            if extra['mode'] not in MODES:
                return bad_request('Invalid mode %s' % extra['mode'])
            details.update(mode=extra['mode'], message=extra['message'], subject=extra['subject'])
        return self._reply(action_type, self._apply(action_type, uuids, ACTION_TYPES[action_type], details))

    def device_verb(self, request):
        verb = request.params['verb']
        bad_request = self.dialect.bad_request
        action_type = VERBS[verb]
        body = self.dialect.read_json(request)
        if verb == 'checkcompliance':
            all_devices = request.arg('allDevices')
            if all_devices not in ('true', 'false'):
                return bad_request('allDevices is required: true or false')
            if all_devices == 'true':
                if body != {}:
                    return bad_request('with allDevices=true the body must be {}')
                uuids = [entry.record['common.uuid'] for entry in self.state.entries(self.name)]
                self._apply(action_type, uuids, details={'all_devices': True})
                # Reference sample: records list the devices, deviceResults is empty.
                return self._reply(action_type, {}, records=uuids)
            uuids, error = self._uuids(body)
            if error:
                return error
            results = self._apply(action_type, uuids, details={'all_devices': False})
            accepted = [uuid for uuid, value in results.items() if value == SUCCESS]
            failures = dict((uuid, value) for uuid, value in results.items() if value != SUCCESS)
            reply = self._reply(action_type, failures, records=accepted)
            return reply
        uuids, error = self._uuids(body)
        if error:
            return error
        details = {'note': body.get('note')}
        if verb == 'sendmessage':
            extra = body.get('additionalParameters')
            if not isinstance(extra, dict) or not extra.get('message') or extra.get('mode') not in MODES:
                return bad_request('additionalParameters needs message and a mode of sms, pns or email')
            details.update(mode=extra['mode'], message=extra['message'], subject=extra.get('subject'))
        results = self._apply(action_type, uuids, details=details)
        return self._reply(action_type, results, records=True if verb == 'sendmessage' else None)

    def teamviewer(self, request):
        """"Open TeamViewer session": one device, form-encoded, adminDeviceSpaceId in the body."""
        kind = request.path.rstrip('/').rsplit('/', 1)[1]
        bad_request, messages = self.dialect.bad_request, self.dialect.messages
        platforms = {'create_teamviewer_session_android': 'Android', 'create_teamviewer_session_ios': 'iOS'}
        if request.method != 'POST' or kind not in platforms:
            return json_response(404, messages('com.mobileiron.vsp.messages.http.404', 'Not found'), authenticated=True)
        form = request.form()
        space = (form.get('adminDeviceSpaceId') or [None])[0]
        # The parameter table says deviceUuid, the curl samples deviceUUID: both are read.
        uuid = (form.get('deviceUuid') or form.get('deviceUUID') or [None])[0]
        if space != '1':
            return json_response(400, messages('com.mobileiron.vsp.messages.deviceSpace.invalid',
                                               'Missing or invalid adminDeviceSpaceId'), authenticated=True)
        if not uuid:
            return bad_request('deviceUuid is required')
        with self.state.lock:
            entry = next((e for e in self.state.entries(self.name) if e.record['common.uuid'].lower() == uuid.lower()), None)
            if entry is None:
                return json_response(404, messages('com.mobileiron.vsp.messages.device.not.found', 'Device not found'),
                                     authenticated=True)
            if entry.record['common.platform'] != platforms[kind]:
                return bad_request('Device %s is not an %s device' % (uuid, platforms[kind]))
            digest = hashlib.sha256(('%s:%s' % (uuid, self.state.ledger_seq)).encode()).hexdigest()
            code = 's%s-%s-%s' % (int(digest[:6], 16) % 100, int(digest[6:12], 16) % 1000, int(digest[12:18], 16) % 1000)
            session = code.replace('-', '')
            self.state.record_action(self.name, 'TEAMVIEWER_SESSION', entry.record['common.uuid'], platform=platforms[kind],
                                     code=code)
        return json_response(200, {'results': {
            'httpStatus': 'OK', 'error': None, 'error_description': None, 'error_code': None, 'error_signature': None,
            'code': code, 'state': 'Open', 'groupid': 'g86972161', 'end_customer': None, 'description': None,
            'assigned_userid': 'u75347768', 'end_customer_link': 'https://get.teamviewer.com/%s' % session,
            # The reference sample wraps the supporter link in brackets.
            'supporter_link': '[https://get.teamviewer.com/%s-%s]' % (session, digest[18:30]),
            'valid_until': '2030-01-01T00:00:00Z'},
            'messages': [{'type': 'Info', 'messageKey': 'com.mobileiron.vsp.messages.teamviewer.create.session',
                          'localizedMessage': 'Created TeamViewer session code'}]}, authenticated=True)
