"""ManageEngine MDM device commands: single-device actions, Knox actions, the bulk command endpoint, the recent command
status and removing an action not yet performed.

Sources, all in manageengine-mdm-devices-api.txt: "Perform Action on device" (POST .../devices/{id}/actions/{action_name},
its 18 action names and example body fields, reply 202 Accepted), "Apply Knox actions to the device" (POST
.../devices/{id}/knox_actions/{action_name}, body {"action_name"}, 202), "Execute command for bulk resources" (POST
/api/v1/mdm/actions/{command_name} with devices, groups, command_name; reply success_list / na_list with device_id,
remarks, status "SCHEDULED", total_count, success_count, not_applicable_count), "Get last initiated command status for
device" (GET .../actions/recent_command: status_code 2 "Command Success", command_name "AssetScan"), "Remove action"
(DELETE /devices/{id}/actions/{action_name}, printed without the /api/v1/mdm prefix: both forms are routed here).

UNVERIFIED (not in the reference), each kept in one place below: the command names other than AssetScan, the status
codes other than 2, the error replies, the reply of "Remove action", which devices land in na_list (here: devices
removed from management).
"""

from mdmsim.dialects.base import Part, Response, json_response

BARE_DEVICES_PREFIX = '/devices/'
BULK_PREFIX = '/api/v1/mdm/actions/'

DEVICE_ACTIONS = (
    'scan', 'lock', 'remote_control', 'remote_view', 'remote_alarm', 'complete_wipe', 'corporate_wipe', 'clear_passcode',
    'reset_passcode', 'fetch_location', 'shutdown', 'restart', 'enable_lost_mode', 'disable_lost_mode', 'pause_kiosk',
    're_apply_kiosk', 'remote_debug', 'unlock_user_account',
)
# The body fields of the "Perform Action on device" example.
BODY_FIELDS = frozenset((
    'send_email_to_user', 'lock_message', 'clear_data_for_all_apps', 're_enter_time', 'email_sent_to_user',
    'email_sent_to_admin', 'wipe_but_retain_mdm', 'description', 'wipe_sd_card', 'audit_message', 'ticket_id', 'unlock_pin',
    'inclusion', 'action_name', 'phone_number', 'wipe_lock_pin', 'passcode', 'retry', 'remarks', 'email_address_list',
))
# Never copied into the ledger.
SECRET_BODY_FIELDS = frozenset(('unlock_pin', 'wipe_lock_pin', 'passcode'))
# AssetScan is documented; the other names are UNVERIFIED (the adapter's COMMAND_NAMES carries the same).
COMMAND_NAMES = {
    'scan': 'AssetScan', 'lock': 'DeviceLock', 'remote_control': 'RemoteSession', 'remote_view': 'RemoteSession',
    'remote_alarm': 'RemoteAlarm', 'complete_wipe': 'EraseDevice', 'corporate_wipe': 'CorporateWipe',
    'clear_passcode': 'ClearPasscode', 'reset_passcode': 'ResetPasscode', 'fetch_location': 'GetLocation',
    'shutdown': 'ShutDownDevice', 'restart': 'RestartDevice', 'enable_lost_mode': 'EnableLostMode',
    'disable_lost_mode': 'DisableLostMode', 'pause_kiosk': 'PauseKioskCommand', 're_apply_kiosk': 'ResumeKioskCommand',
    'remote_debug': 'RemoteDebug', 'unlock_user_account': 'UnlockUserAccount',
}
BULK_COMMANDS = {'AssetScan': 'scan'}
# A command reads "Command Success" (status_code 2, reference) from the POLLS_TO_COMPLETE-th status read on; before
# that it is initiated (status_code 1, UNVERIFIED).
POLLS_TO_COMPLETE = 2
STATUS_INITIATED = (1, 'Command Initiated')
STATUS_SUCCESS = (2, 'Command Success')
# Simulator rule (UNVERIFIED): a device removed from management (retired, wiped) lands in na_list of a bulk command.
NA_REMARKS = 'The command is not applicable for this device'


def _error(status, code, description):
    return json_response(status, {'error_code': code, 'error_description': description}, authenticated=True)


class Actions(Part):
    """Handlers of the device-command routes of the ManageEngine dialect."""

    def __init__(self, dialect):
        super().__init__(dialect)
        # {device id: the last command initiated on it}; guarded by the state lock.
        self.commands = {}

    # -- state of the commands, per device (under the state lock) -------------------------------------------------
    def holds_command(self, device_id):
        """True when a command was initiated on the device (its recent_command is then this part's to answer)."""
        with self.state.lock:
            return device_id in self.commands

    def _initiate(self, device_id, action):
        self.commands[device_id] = {'action': action, 'command_name': COMMAND_NAMES[action], 'polls': 0}

    @staticmethod
    def _knox(entry):
        return entry.logical['platform'] == 'android' and str(entry.logical['manufacturer']).lower() == 'samsung'

    def knox_details(self, entry):
        """The details record's knox_details (reference), for Samsung Android devices only."""
        if not self._knox(entry):
            return {}
        return {'knox_details': {'container_state': -1, 'container_remarks': None, 'container_status': 20004,
                                 'container_last_updated_time': -1, 'knox_version': 2}}

    # -- handlers --------------------------------------------------------------------------------------------------
    def device_action(self, request):
        device_id, action, knox = request.params['device_id'], request.params['action'], request.params['knox']
        if action not in DEVICE_ACTIONS:
            return _error(400, 'COM0005', 'Invalid action name: %s' % action)
        body = self.dialect.read_json(request) if request.body else {}
        if not isinstance(body, dict):
            return _error(400, 'COM0005', 'A JSON object is required')
        unknown = sorted(key for key in body if key not in (('action_name',) if knox else BODY_FIELDS))
        if unknown:
            return _error(400, 'COM0005', 'Invalid field: %s' % ', '.join(unknown))
        if body.get('action_name') not in (None, action):
            return _error(400, 'COM0005', 'action_name does not match the path')
        with self.state.lock:
            entry = self.dialect.find(device_id)
            if entry is None:
                return _error(404, 'COM0008', 'Device not found')
            if knox and not self._knox(entry):
                return _error(400, 'COM0014', 'Knox is not available on this device')
            details = {'fields': sorted(key for key in body if key != 'action_name')}
            for key, value in body.items():
                if key not in SECRET_BODY_FIELDS and key != 'action_name':
                    details[key] = value
            self.state.record_action(self.name, ('knox_' if knox else '') + action, device_id,
                                     command_name=COMMAND_NAMES[action], **details)
            self._initiate(device_id, action)
        return Response(202, b'', authenticated=True)

    @staticmethod
    def bulk_not_allowed(_request):
        return _error(405, 'COM0005', 'Method not allowed')

    def bulk_command(self, request):
        command_name = request.params['command_name']
        action = BULK_COMMANDS.get(command_name)
        if action is None:
            return _error(400, 'COM0005', 'Invalid command name: %s' % command_name)
        body = self.dialect.read_json(request)
        if not isinstance(body, dict):
            return _error(400, 'COM0005', 'A JSON object is required')
        devices = body.get('devices') or []
        groups = body.get('groups') or []
        if not isinstance(devices, list) or not isinstance(groups, list) or not (devices or groups):
            return _error(400, 'COM0005', 'devices or groups is required')
        if body.get('command_name') not in (None, command_name):
            return _error(400, 'COM0005', 'command_name does not match the path')
        names = self.dialect.group_names()
        if any(str(group) not in names for group in groups):
            return _error(400, 'COM0005', 'Invalid group id')
        success, not_applicable = [], []
        with self.state.lock:
            targets = [str(device) for device in devices]
            wanted = set(names[str(group)] for group in groups)
            if wanted:
                for entry in self.state.entries(self.name):
                    if wanted & set(entry.logical['labels']):
                        targets.append(str(entry.record['device_id']))
            done = set()
            for device_id in targets:
                if device_id in done:
                    continue
                done.add(device_id)
                entry = self.dialect.find(device_id)
                if entry is None:
                    continue  # UNVERIFIED: an unknown id is in neither list
                if entry.record.get('is_removed'):
                    not_applicable.append({'device_id': entry.record['device_id'], 'remarks': NA_REMARKS, 'status': 'NOT_APPLICABLE'})
                    continue
                self.state.record_action(self.name, action, device_id, command_name=command_name, bulk=True,
                                         via_group=device_id not in [str(device) for device in devices])
                self._initiate(device_id, action)
                success.append({'device_id': entry.record['device_id'], 'remarks': 'Command scheduled', 'status': 'SCHEDULED'})
        return json_response(200, {'success_list': success, 'na_list': not_applicable, 'total_count': len(done),
                                   'success_count': len(success), 'not_applicable_count': len(not_applicable)},
                             authenticated=True)

    def recent_command(self, device_id):
        with self.state.lock:
            if self.dialect.find(device_id) is None:
                return _error(404, 'COM0008', 'Device not found')
            command = self.commands.get(device_id)
            if command is None:
                return _error(404, 'COM0008', 'No command initiated for the device')  # UNVERIFIED
            command['polls'] += 1
            code, description = STATUS_SUCCESS if command['polls'] >= POLLS_TO_COMPLETE else STATUS_INITIATED
            return json_response(200, {'status_description': description, 'status_code': code,
                                       'command_name': command['command_name'], 'kb_url': ''}, authenticated=True)

    def remove_action(self, request):
        device_id, action = request.params['device_id'], request.params['action']
        with self.state.lock:
            if self.dialect.find(device_id) is None:
                return _error(404, 'COM0008', 'Device not found')
            command = self.commands.get(device_id)
            # Pending: initiated and not yet read back as completed.
            if command is None or command['action'] != action or command['polls'] >= POLLS_TO_COMPLETE:
                return _error(404, 'COM0008', 'No pending %s action for the device' % action)  # UNVERIFIED
            del self.commands[device_id]
            self.state.record_action(self.name, 'remove_action', device_id, action_name=action)
        return Response(204, b'', authenticated=True)
