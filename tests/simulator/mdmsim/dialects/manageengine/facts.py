"""ManageEngine MDM: the per-device fact calls of manageengine-mdm-devices-api.txt.

Every reply has the shape of the reference's example for its call, with values derived from the fleet (so two runs
agree).  Sections: "Get device Summary" is in dialect.py; here "Get Device Certificates", "Get device
restrictions", "Get FileVault details", "Get firmware details", "Get firmware password", "Get device location",
"Get device location with address", "Device Location Request", "Get Device Configuration Profiles", "Next poll time
for the device", "Get device applicable actions", "Get last
initiated command status for device", "Get Scan Status", "Get Device Privacy", "Get command history for device".
("Get device profiles" and "Get device app list" are answered by the assignments part, which keeps what a device has.)
"""

import base64
import hashlib
import itertools

from mdmsim.dialects.base import Part, json_response
from mdmsim.fleet import REFERENCE_TIME

DEVICES_PATH = '/api/v1/mdm/devices'
# Command history pages: the reference shows paging.next with a skip-token but no page size.  UNVERIFIED: 50 a page
# (the device list's default), the skip-token encoding (base64 of the next offset here; opaque to clients).
HISTORY_PAGE = 50
HISTORY_COMMANDS = ('AssetScan', 'InstallProfile', 'InstallApplication', 'DeviceLock', 'RestartDevice', 'RemoveProfile')
# Location request batches: the POST reply's "wait" (500 ms in the reference).  UNVERIFIED: the GET of a batch while
# it is pending ({"export_batch_id", "wait", "status": "IN_PROGRESS"}, the POST reply's shape) and the batch query
# parameter name export_batch_id.  A batch is ready on its second read, so a client must poll.
LOCATION_WAIT_MS = 500
READS_BEFORE_READY = 1
CERT_ISSUER = 'CN=ManageEngineCA, O=Zoho Corporation, OU=ManageEngine, ST=CA, C=US'
_batch_ids = itertools.count(900234566788909)


def _number(*parts):
    """A stable number from the parts (for fleet-derived values)."""
    return int(hashlib.sha256(':'.join(str(part) for part in parts).encode()).hexdigest()[:12], 16)


# The fact routes ('GET /api/v1/mdm/devices/{device_id}/<path>') and the method answering each.
FACTS = {
    'certificates': 'fact_certificates', 'restrictions': 'fact_restrictions', 'filevault': 'fact_filevault',
    'firmware': 'fact_firmware', 'firmware/password': 'fact_firmware_password', 'locations': 'fact_locations',
    'configurationprofiles': 'fact_configuration_profiles', 'polltime': 'fact_polltime', 'actions': 'fact_actions',
    'actions/recent_command': 'fact_recent_command', 'scan': 'fact_scan', 'privacy': 'fact_privacy',
}


class Facts(Part):
    """Handlers of the per-device fact routes of the ManageEngine dialect."""

    def __init__(self, dialect):
        super().__init__(dialect)
        # Location requests: {batch id: {'device_id', 'reads'}}; guarded by the state lock.
        self.batches = {}

    def device_fact(self, request):
        """One of FACTS, by the route's fixed ``fact``."""
        entry = self.dialect.find(request.params['device_id'])
        if entry is None:
            return self.fact_not_found()
        return json_response(200, getattr(self, FACTS[request.params['fact']])(entry), authenticated=True)

    @staticmethod
    def fact_not_found():
        # Unverified error body (as the dialect's other 404s).
        return json_response(404, {'error_code': 'COM0008', 'error_description': 'Device not found'}, authenticated=True)

    # -- simple facts ------------------------------------------------------------------------------------------------
    @staticmethod
    def _resource(entry):
        return entry.record['device_id']

    def fact_certificates(self, entry):
        def cert(name, serial):
            return {'signaturealgorithmoid': '1.2.840.113549.1.1.11', 'certificatename': name,
                    'certificatesubjectname': 'CN=%s, O=Example Corp' % name, 'serialnumber': serial,
                    'certificateexpiry': (REFERENCE_TIME + 365 * 86400) * 1000, 'isidentity': name.endswith('Identity'),
                    'certificateissuername': CERT_ISSUER, 'signaturealgorithmname': 'SHA256withRSA'}
        number = _number('cert', self._resource(entry))
        return {'certificates': {'unmanagedcertificates': [cert('ManageEngineCA', number)],
                                 'managedcertificates': [cert('%s Identity' % entry.logical['user']['username'], number + 1)]}}

    def fact_restrictions(self, entry):
        # A part of the reference's keys, with its value conventions (0 / 1, -1 for "not set").
        company = entry.logical['ownership'] == 'company'
        return {'allow_inapp_purchase': 0 if company else 1, 'allow_app_removal': 1, 'allow_camera_in_keyguard': 0,
                'allow_cloud_backup': 0 if company else 1, 'camera': 1, 'bluetooth': 0, 'usb': 0 if company else 1,
                'allow_airdrop': 0, 'apps_rating_value': '--', 'movies_rating_value': '--', 'tv_shows_rating_value': '--',
                'knox_restricions': {'allow_camera': 1, 'allow_usb': -1, 'allow_wifi': -1, 'allow_factory_reset': -1,
                                     'resource_id': self._resource(entry), 'scope': 1}}

    def fact_filevault(self, entry):
        mac = entry.logical['platform'] == 'macos'
        return {'filevault': {'filevault_status': 10 if mac else 0, 'is_institution_recovery_key': mac,
                              'is_personal_recovery_key': mac, 'resource_id': self._resource(entry),
                              'is_encryption_enabled': mac}}

    def fact_firmware(self, entry):
        mac = entry.logical['platform'] == 'macos'
        return {'is_firmware_change_pending': False, 'is_roms_allowed': False, 'is_firmware_password_exists': mac,
                'firmware_mode': 1, 'managed_password_id': _number('fwid', self._resource(entry)) % 100000 if mac else -1}

    def firmware_password(self, entry):
        """A distinctive value per device (tests look for it in outputs where it must not be)."""
        return 'sim-fw-' + hashlib.sha256(('%s:firmware:%s' % (self.state.seed, self._resource(entry))).encode()).hexdigest()[:20]

    def fact_firmware_password(self, entry):
        return {'firmware_password': self.firmware_password(entry), 'resource_id': self._resource(entry)}

    def _locations(self, entry, with_address):
        index = entry.logical['index']
        located = (entry.logical['last_seen'] - 600) * 1000
        item = {'added_time': located + 232177, 'latitude': round(12.8 + (index % 97) / 1000.0, 4),
                'longitude': round(80.0 + (index % 89) / 1000.0, 4), 'located_time': located}
        if with_address:
            item['address'] = 'Building %d, Example Park, Chennai' % (index % 40 + 1)
        return {'locations': [item]}

    def fact_locations(self, entry):
        return self._locations(entry, False)

    def fact_configuration_profiles(self, entry):
        def payload(identifier):
            return {'payload_uuid': 'unknown-uuid', 'payload_identifier': identifier, 'payload_description': 'No description available',
                    'payload_organization': 'Example Corp', 'payload_type': 'com.apple.defaults.managed', 'payload_version': 1,
                    'payload_display_name': 'iOS Configuration Payload'}
        profile = payload('com.example.mdm.%d' % entry.logical['index'])
        profile.update({'payload_has_rem_password': False, 'payload_is_encrypted': False, 'payload_unremovable': False,
                        'payloadcontent': [payload('com.example.mdm.%d.wifi' % entry.logical['index'])]})
        return {'configuration_profiles': [profile]}

    def fact_polltime(self, entry):
        return {'next_poll_time': (entry.logical['last_seen'] + 3600) * 1000}

    def fact_actions(self, entry):
        names = ('Lock', 'Restart', 'Scan', 'Remote Alarm', 'Locate')
        return {'knox_actions': [] if entry.logical['platform'] != 'android' else [
            {'is_enabled': True, 'localized_name': 'Create container', 'name': 'create_container', 'localized_action_info': '--',
             'action_info': '--'}],
            'actions': [{'is_enabled': True, 'localized_name': name, 'name': name.lower().replace(' ', '_'),
                         'localized_action_info': '--', 'status_code': 2, 'action_info': '--',
                         'localized_status_description': 'Command Success', 'status_description': 'Command Success'}
                        for name in names]}

    def fact_recent_command(self, entry):
        return {'status_description': 'Command Success', 'status_code': 2, 'command_name': 'AssetScan',
                'kb_url': 'https://example.com/kb'}

    def fact_scan(self, entry):
        return {'status_description': 'Command Success', 'status_code': 2, 'kb_url': 'https://example.com/kb'}

    def fact_privacy(self, entry):
        personal = entry.logical['ownership'] == 'employee'
        return {'fetch_location': 2 if personal else 0, 'view_privacy_settings': True, 'disable_wipe': 0,
                'fetch_device_name': 0, 'fetch_installed_app': 1 if personal else 0, 'disable_bug_report': 2,
                'applicable_for': [1, 2], 'disable_remote_control': 1, 'fetch_phone_number': 2 if personal else 0}

    # -- command history (paged) -------------------------------------------------------------------------------------
    def history_count(self, entry):
        """How many commands a device has: 0 to 129, so some devices need three pages."""
        return _number('history', self._resource(entry)) % 130

    def command_history(self, request):
        entry = self.dialect.find(request.params['device_id'])
        if entry is None:
            return self.fact_not_found()
        token = request.arg('skip-token')
        offset = 0
        if token:
            try:
                offset = int(base64.urlsafe_b64decode(token.encode()).decode())
            except (ValueError, UnicodeDecodeError):
                return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid skip-token'}, authenticated=True)
        device_id = self._resource(entry)
        total = self.history_count(entry)
        start = entry.logical['enrolled'] * 1000
        commands = []
        for number in range(offset, min(offset + HISTORY_PAGE, total)):
            name = HISTORY_COMMANDS[number % len(HISTORY_COMMANDS)]
            command_id = 9007199254741304 + number
            added = start + number * 3600000
            commands.append({
                'command_status': 2, 'managed_status': 2, 'command_id': command_id, 'command_name': name, 'added_time': added,
                'device_id': device_id, 'added_by': 9007199254740996, 'command_history_id': device_id * 1000 + number,
                'added_by_name': 'admin', 'remarks_args': None, 'remarks': '--',
                'command_life': [{'updated_time': added + 60000, 'status_description': 'Command Success', 'command_id': command_id,
                                  'status_code': 2, 'added_by': 9007199254740996, 'command_name': name, 'added_by_name': 'admin',
                                  'remarks': '--'}]})
        base = 'https://%s%s/%s/commandhistory' % (request.header('Host', '127.0.0.1'), DEVICES_PATH, device_id)
        paging = {}
        if offset + HISTORY_PAGE < total:
            paging['next'] = '%s?skip-token=%s' % (base, base64.urlsafe_b64encode(str(offset + HISTORY_PAGE).encode()).decode())
        if offset > 0:
            paging['previous'] = '%s?skip-token=%s' % (base, base64.urlsafe_b64encode(str(max(0, offset - HISTORY_PAGE)).encode()).decode())
        return json_response(200, {'metadata': {'total_record_count': total}, 'paging': paging,
                                   'delta-token': base64.urlsafe_b64encode(('%s:%d' % (device_id, total)).encode()).decode(),
                                   'commands': commands}, authenticated=True)

    # -- location with address: an asynchronous request ---------------------------------------------------------------
    def location_request(self, request):
        entry = self.dialect.find(request.params['device_id'])
        if entry is None:
            return self.fact_not_found()
        body = self.dialect.read_json(request)
        if not isinstance(body, dict):
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'A JSON object is required'}, authenticated=True)
        days = body.get('no_of_days', 7)
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid no_of_days'}, authenticated=True)
        with self.state.lock:
            batch = next(_batch_ids)
            self.batches[str(batch)] = {'device_id': str(self._resource(entry)), 'reads': 0}
            self.state.record_action(self.name, 'location_request', str(self._resource(entry)), export_batch_id=batch,
                                     no_of_days=days)
        return json_response(200, {'export_batch_id': batch, 'wait': LOCATION_WAIT_MS, 'status': 'SCHEDULED'}, authenticated=True)

    def locations_with_address(self, request):
        entry = self.dialect.find(request.params['device_id'])
        if entry is None:
            return self.fact_not_found()
        batch_id = request.arg('export_batch_id')
        if batch_id is None:
            return json_response(200, self._locations(entry, True), authenticated=True)
        with self.state.lock:
            batch = self.batches.get(batch_id)
            if batch is None or batch['device_id'] != str(self._resource(entry)):
                return json_response(404, {'error_code': 'COM0008', 'error_description': 'Batch not found'}, authenticated=True)
            batch['reads'] += 1
            ready = batch['reads'] > READS_BEFORE_READY
        if not ready:
            return json_response(200, {'export_batch_id': int(batch_id), 'wait': LOCATION_WAIT_MS, 'status': 'IN_PROGRESS'},
                                 authenticated=True)
        return json_response(200, self._locations(entry, True), authenticated=True)
