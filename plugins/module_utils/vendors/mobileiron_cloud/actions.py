# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Cloud device commands (mdm_device_action), the ``actions`` capability over a MobileIronCloudSession.

Sources: NOTES.md ("Actions: PUT /api/v1/device/{lock|unlock|wipe|retire|forceCheckin} with form ids=...;
messages PUT /api/v1/device/message. Success is {"errors": null, "result": 1}"; Ivanti recommends at most
100 ids per call, 200 is the hard maximum; the tenant's wipe limit), the reference's reply envelope
(``errors`` / ``result``), and the message fields of the MobileIron UEM integration of Cortex XSOAR (a public
client of this API): dmPartitionId, deviceIds, sendPushNotification, pushNotificationMessage, sendEmail,
emailSubject, emailBody.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import (
    UNKNOWN_ADVICE,
    ActionSpec,
    ParamSpec,
    result,
    unreached,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DeviceActions
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import COMMAND_MESSAGE_TYPE, COMMAND_SUBJECT
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError

ACTION_PATH = '/api/v1/device/%s'
# NOTES.md: Ivanti recommends at most 100 ids per call (200 is the hard maximum).
CLOUD_BATCH = 100
# UNVERIFIED: the form field that carries the text shown with a lock (NOTES.md names only ids); one setting to change.
LOCK_MESSAGE_FIELD = 'message'
# The message call sends a push notification or an e-mail (XSOAR client); there is no SMS.
MODES = ('pns', 'email')
DONE = ('retired', 'wiped')
# The action reply's "result": 1 is done (NOTES.md: success is {"errors": null, "result": 1}); 0 is not done, a failure
# (the Cortex XSOAR MobileIronCLOUD integration treats any result other than 1 as a failed action, and its tests answer
# {"errors": null, "result": 0} for one).  Any other value is not documented: the outcome is unknown.
RESULT_OUTCOMES = {1: 'sent', 0: 'failed'}


def _catalogue():
    def verb(name, vendor_name, done=(), params=None):
        return ActionSpec(name, vendor_name, neutral=True, params=params, done_statuses=done, batch=CLOUD_BATCH,
                          extra={'path': ACTION_PATH % vendor_name})

    specs = [
        # Texts: NOTES.md and the reference document no length limit for the lock message, the push text or the e-mail
        # subject and body, so none is enforced; control characters are refused (actions.check_text), newlines and tabs only
        # in the message body.
        verb('lock', 'lock', params={'message': ParamSpec(description='text shown on the locked device')}),
        verb('unlock', 'unlock'),
        verb('wipe', 'wipe', done=DONE),
        verb('retire', 'retire', done=DONE),
        verb('wakeup', 'forceCheckin'),
        verb('send_message', 'message', params={
            'message': ParamSpec(required=True, description='push notification text or e-mail body', multiline=True),
            'message_type': ParamSpec(choices=MODES, default='pns', description='push notification or e-mail'),
            'subject': ParamSpec(description='subject of an e-mail'),
        }),
    ]
    return dict((spec.name, spec) for spec in specs)


class MobileIronCloudActions(DeviceActions):
    """Device commands of MobileIron Cloud, over a MobileIronCloudSession (call_json, partition_id)."""

    def action_catalogue(self):
        return _catalogue()

    def check_action(self, spec, params):
        if spec.name == 'send_message' and (params or {}).get('message_type') == 'sms':
            raise InvalidInputError('MobileIron Cloud sends messages as push notifications or e-mails, not SMS',
                                    option=COMMAND_MESSAGE_TYPE, allowed=MODES)
        clean = super(MobileIronCloudActions, self).check_action(spec, params)
        if spec.name == 'send_message':
            if clean.get('message_type') == 'email' and not clean.get('subject'):
                raise InvalidInputError('an e-mail needs a subject', option=COMMAND_SUBJECT)
            if clean.get('subject') and clean.get('message_type') != 'email':
                raise InvalidInputError('MobileIron Cloud takes a subject only with message_type email', option=COMMAND_SUBJECT,
                                        allowed=['message_type: email'])
        return clean

    def send_action(self, spec, params, devices, concurrency=4):
        devices = list(devices)
        # The message call names the partition (XSOAR client); the action calls take ids only (NOTES.md), and name the
        # partition only when one is configured - no lookup request for them.
        partition = self.session.partition_id() if spec.name == 'send_message' else self.session.options.get('partition_id')
        return self.send_batches(lambda batch: self._cloud_batch(spec, params, batch, partition), devices, CLOUD_BATCH,
                                 concurrency)

    def _cloud_form(self, spec, params, ids, partition):
        if spec.name == 'send_message':
            form = {'dmPartitionId': partition, 'deviceIds': ','.join(ids)}
            if params.get('message_type') == 'email':
                form.update(sendEmail='true', emailSubject=params['subject'], emailBody=params['message'])
            else:
                form.update(sendPushNotification='true', pushNotificationMessage=params['message'])
            return form
        form = {'ids': ','.join(ids)}
        if partition not in (None, ''):
            form['dmPartitionId'] = str(partition).strip()
        if params.get('message'):
            form[LOCK_MESSAGE_FIELD] = params['message']
        return form

    def _cloud_batch(self, spec, params, ids, partition):
        operation = '%s %d device(s)' % (spec.name, len(ids))
        try:
            # Never re-sent after a lost reply (safe=False).
            data = self.session.call_json('PUT', spec.extra['path'], operation, data=self._cloud_form(spec, params, ids, partition),
                                          safe=False)
        except MdmError as exc:
            return [unreached(device_id, exc) for device_id in ids]
        if not isinstance(data, dict) or 'result' not in data:
            return [result(device_id, 'unknown', 'the reply has no "result"; ' + UNKNOWN_ADVICE) for device_id in ids]
        if data.get('errors'):
            from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_cloud.session import _describe_errors
            reason = 'MobileIron Cloud refused the call: %s' % _describe_errors(data['errors'])
            return [result(device_id, 'failed', reason) for device_id in ids]
        outcome = RESULT_OUTCOMES.get(_result_code(data.get('result')))
        if outcome == 'sent':
            return [result(device_id, 'sent') for device_id in ids]
        if outcome == 'failed':
            reason = 'MobileIron Cloud answered result 0: the command was not carried out'
            return [result(device_id, 'failed', reason) for device_id in ids]
        return [result(device_id, 'unknown', 'the reply reports result %r, neither 1 (done) nor 0 (not done); %s'
                       % (data.get('result'), UNKNOWN_ADVICE)) for device_id in ids]


def _result_code(value):
    """The reply's result as an int (1, 0), whether written as a number or as text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
