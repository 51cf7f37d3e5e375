"""IBM MaaS360 device actions (v1), a part of the MaaS360 dialect: one device per form-encoded POST, and checkActionStatus.

Sources: NOTES.md "Device actions (v1)" (path, verbs, deviceId, wipe notify fields, sendMessage fields, the reply
actionResponse {maas360DeviceID, actionStatus 0 ok / 1 error, description, actionID}, locate's latitude / longitude /
locatedTime, no bulk form, checkActionStatus follows an accepted action) and IBM's fn_maas360 sample replies
(the description text of an accepted action, the locatedTime format).
"""

import hashlib
import itertools
from xml.sax.saxutils import escape

from mdmsim.dialects.base import Part, Response, json_response

ACTION_PREFIX = '/device-apis/devices/1.0/'
# NOTES.md verbs -> the form fields each takes beyond deviceId.
ACTION_VERBS = {
    'lockDevice': (),
    'wipeDevice': ('notifyMe', 'notifyUser', 'notifyOthers'),
    'selectiveWipeDevice': (),
    'revokeSelectiveWipe': (),
    'cancelPendingWipe': (),
    'locateDevice': (),
    'sendMessage': ('messageTitle', 'message'),
    'resetDevicePasscode': (),
    'refreshDeviceInformation': (),
    'hideDevice': (),
    'removeDevice': (),
}
REQUIRED_FIELDS = {'sendMessage': ('messageTitle', 'message')}
# fn_maas360: notify flags are "Yes" / "No" (its README: "`yes` value enables this flag").
YES_NO_FIELDS = ('notifyMe', 'notifyUser')
CHECK_STATUS_VERB = 'checkActionStatus'
# Unverified (no source shows checkActionStatus's request or reply): GET with actionID; reply actionStatusResponse
# with the status as text.  An action is Pending for this many polls, then Completed.
POLLS_UNTIL_DONE = 2
ACCEPTED = 'The action was executed successfully on the device.'  # fn_maas360 sample replies
# Unverified: how MaaS360 refuses an unknown device; answered as an error actionResponse (actionStatus 1).
UNKNOWN_DEVICE = 'Invalid device ID or the device does not exist in this account'
FIRST_ACTION_ID = 128294549  # the shape of fn_maas360's sample actionID


class Actions(Part):
    """Handlers of the v1 device actions (the dialect's routes: POST ACTION_PREFIX<verb>/{billingID}, GET
    ACTION_PREFIX checkActionStatus/{billingID})."""

    def __init__(self, dialect):
        super().__init__(dialect)
        self.action_ids = itertools.count(FIRST_ACTION_ID)
        self.actions = {}

    def device_action(self, request):
        verb = request.params['verb']
        error = self.dialect.error
        if 'x-www-form-urlencoded' not in request.header('Content-Type'):
            return error(request, 415, 'Content-Type must be application/x-www-form-urlencoded', True)
        form = dict((key, values[-1]) for key, values in request.form().items())
        device_id = form.get('deviceId', '').strip()
        if not device_id:
            return error(request, 400, 'deviceId is required', True)
        unknown = sorted(set(form) - set(ACTION_VERBS[verb]) - {'deviceId'})
        if unknown:
            return error(request, 400, 'Unknown parameter(s) for %s: %s' % (verb, ', '.join(unknown)), True)
        for field in REQUIRED_FIELDS.get(verb, ()):
            if not form.get(field, '').strip():
                return error(request, 400, '%s is required' % field, True)
        for field in YES_NO_FIELDS:
            if field in form and form[field] not in ('Yes', 'No', 'yes', 'no'):
                return error(request, 400, 'Invalid %s: allowed values are Yes, No' % field, True)
        entry = next((item for item in self.state.entries(self.name) if item.record['maas360DeviceID'] == device_id), None)
        if entry is None:
            return self.action_reply(request, {'maas360DeviceID': device_id, 'actionStatus': 1, 'description': UNKNOWN_DEVICE})
        details = dict((key, value) for key, value in form.items() if key != 'deviceId')
        if verb == 'locateDevice':
            position = self.position_of(entry)
            self.state.record_action(self.name, verb, device_id, **details)
            reply = dict({'maas360DeviceID': device_id, 'actionStatus': 0, 'description': ACCEPTED}, **position)
            return self.action_reply(request, reply)
        with self.state.lock:
            action_id = next(self.action_ids)
            self.actions[str(action_id)] = {'device_id': device_id, 'verb': verb, 'polls': 0}
            self.state.record_action(self.name, verb, device_id, action_id=str(action_id), **details)
        return self.action_reply(request, {'maas360DeviceID': device_id, 'actionStatus': 0, 'description': ACCEPTED,
                                           'actionID': action_id})

    @staticmethod
    def position_of(entry):
        """A stable position per device (NOTES.md: latitude, longitude, locatedTime)."""
        digest = hashlib.sha256(entry.record['maas360DeviceID'].encode('utf-8')).digest()
        latitude = round(-60 + digest[0] * 120 / 255.0 + digest[1] / 25500.0, 6)
        longitude = round(-180 + digest[2] * 360 / 255.0 + digest[3] / 25500.0, 6)
        # fn_maas360 sample: "locatedTime": "2019-05-13 17:45:12.0"
        located = entry.record['lastReported'].replace('T', ' ') + '.0'
        return {'latitude': latitude, 'longitude': longitude, 'locatedTime': located}

    def check_action_status(self, request):
        error = self.dialect.error
        action_id = (request.arg('actionID') or '').strip()
        if not action_id:
            return error(request, 400, 'actionID is required', True)
        with self.state.lock:
            action = self.actions.get(action_id)
            if action is None:
                return error(request, 404, 'Action not found', True)
            action['polls'] += 1
            done = action['polls'] >= POLLS_UNTIL_DONE
        reply = {'actionID': int(action_id), 'maas360DeviceID': action['device_id'],
                 'actionStatus': 'Completed' if done else 'Pending',
                 'description': 'The action was completed on the device.' if done else 'The action is pending on the device.'}
        return self.action_reply(request, reply, envelope='actionStatusResponse')

    def action_reply(self, request, fields, envelope='actionResponse'):
        if request.wants_json():
            return json_response(200, {envelope: fields}, authenticated=True)
        inner = ''.join('<%s>%s</%s>' % (key, escape(str(value)), key) for key, value in fields.items())
        return Response(200, '<?xml version="1.0" encoding="UTF-8"?><%s>%s</%s>' % (envelope, inner, envelope),
                        content_type='application/xml;charset=UTF-8', authenticated=True)
