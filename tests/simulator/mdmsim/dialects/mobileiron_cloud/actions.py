"""MobileIron Cloud device commands (a part of the MobileIron Cloud dialect).

Sources: NOTES.md ("Actions: PUT /api/v1/device/{lock|unlock|wipe|retire|forceCheckin} with form ids=...; messages
PUT /api/v1/device/message. Success is {"errors": null, "result": 1}"; Ivanti recommends at most 100 ids per call,
200 is the hard maximum), the reference's error envelope (globalErrors), and the MobileIron UEM integration of
Cortex XSOAR (a public client) for the message fields: dmPartitionId, deviceIds, sendPushNotification,
pushNotificationMessage, sendEmail, emailSubject, emailBody.

UNVERIFIED: how a call naming an unknown device is refused (here: a 400 with the error envelope naming the ids, and
nothing applied), the ``message`` field of a lock, and the status a retire leaves (RETIRE_PENDING, the Core naming).
"""

from mdmsim.dialects.base import Part, json_response

ACTION_VERBS = {'lock': 'LOCK', 'unlock': 'UNLOCK', 'wipe': 'WIPE', 'retire': 'RETIRE', 'forceCheckin': 'FORCE_CHECKIN'}
# PUT /api/v1/device/<verb>: the device commands and the message.
ACTION_PATH_VERBS = tuple(ACTION_VERBS) + ('message',)
MAX_IDS = 200  # NOTES.md: the hard maximum
NEW_STATE = {'RETIRE': 'RETIRE_PENDING', 'WIPE': 'WIPED'}
TRUE = ('true', '1', 'yes')


def _envelope_error(code, message):
    return {'errors': {'globalErrors': [{'code': code, 'message': message}], 'fieldErrors': None}, 'result': None}


class Actions(Part):
    """Handler of the routes PUT /api/v1/device/<verb> and PUT /api/v1/device/message."""

    def handle(self, request):
        verb = request.params['verb']
        form = request.form()

        def first(name):
            values = form.get(name)
            return values[0] if values else None

        partition = first('dmPartitionId')
        if partition is not None and partition != '23000':
            return json_response(400, _envelope_error('INVALID_PARAMETER', 'Unknown dmPartitionId %s' % partition),
                                 authenticated=True)
        if verb == 'message':
            ids_text = first('deviceIds')
        else:
            ids_text = first('ids')
        ids = [item.strip() for item in (ids_text or '').split(',') if item.strip()]
        if not ids:
            return json_response(400, _envelope_error('INVALID_PARAMETER', 'ids is required'), authenticated=True)
        if len(ids) > MAX_IDS:
            return json_response(400, _envelope_error('INVALID_PARAMETER', 'at most %d ids per call' % MAX_IDS),
                                 authenticated=True)
        details = {}
        if verb == 'message':
            push = str(first('sendPushNotification') or '').lower() in TRUE
            email = str(first('sendEmail') or '').lower() in TRUE
            if not push and not email:
                return json_response(400, _envelope_error('INVALID_PARAMETER', 'sendPushNotification or sendEmail is required'),
                                     authenticated=True)
            if push and not first('pushNotificationMessage'):
                return json_response(400, _envelope_error('INVALID_PARAMETER', 'pushNotificationMessage is required'),
                                     authenticated=True)
            if email and not (first('emailSubject') and first('emailBody')):
                return json_response(400, _envelope_error('INVALID_PARAMETER', 'emailSubject and emailBody are required'),
                                     authenticated=True)
            action = 'SEND_MESSAGE'
            details = {'mode': 'email' if email else 'pns',
                       'message': first('emailBody') if email else first('pushNotificationMessage'),
                       'subject': first('emailSubject')}
        else:
            action = ACTION_VERBS[verb]
            if first('message') is not None:
                details['message'] = first('message')
        if self.state.reply_form(self.name) == 'result_zero':
            # Reply form 'result_zero': the call is taken but not carried out, answered {"errors": null, "result": 0}
            # (the Cortex XSOAR MobileIronCLOUD integration's tests; it reads any result but 1 as a failed action).
            return json_response(200, {'errors': None, 'result': 0}, authenticated=True)
        with self.state.lock:
            entries = dict((str(entry.record['id']), entry) for entry in self.state.entries(self.name))
            missing = [device_id for device_id in ids if device_id not in entries]
            if missing:
                return json_response(400, _envelope_error('DEVICE_NOT_FOUND', 'Devices not found: %s' % ', '.join(missing)),
                                     authenticated=True)
            for device_id in ids:
                record = entries[device_id].record
                if action in NEW_STATE:
                    record['registrationState'] = NEW_STATE[action]
                self.state.record_action(self.name, action, device_id, **details)
        return json_response(200, {'errors': None, 'result': 1}, authenticated=True)
