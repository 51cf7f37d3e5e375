"""MobileIron Core API v2: the fact calls of mobileiron-core-v2-devices-api.txt that the base dialect lacks.

"Get device details", "Get Embedded Identity Document (EID) details", "Get app control compliance information for a
device", "Get device compliance and reason for non compliance", "Get the list of searchable device fields", "Export
devices" (CSV) and "Get Last Sync Time and State of ActiveSync Devices" (CSV).  Reply shapes follow the reference's
samples; values derive from the fleet.  ("Count devices" and "Test an advanced search query" are in
dialect.py.)
"""

import csv
import io
import time

from mdmsim.dialects.base import Part, Response, int_arg, json_response
from mdmsim.fleet import REFERENCE_TIME

SEARCH_FIELDS_PATH = '/api/v2/devices/search_fields'
# The reference's URI line has "V2", its sample "v2": both are answered.
ACTIVESYNC_PATHS = ('/api/v2/activesync/devicereport', '/api/V2/activesync/devicereport')
# The per-device facts: (route path below /api/v2/devices/, fact).
DEVICE_FACTS = (('simdetails/{uuid}', 'simdetails'), ('{uuid}/details', 'details'), ('{uuid}/appcompliance', 'appcompliance'),
                ('{uuid}/rulecompliance', 'rulecompliance'))
EXPORT_MAX_LIMIT = 5000
EXPORT_MAX_OFFSET = 10000000
EXPORT_MAX_QUERY = 2000
FIELD_GROUPS = ('BASIC', 'COMMON', 'ANDROID', 'IOS', 'USER', 'WINDOWS_PHONE')
# UNVERIFIED: which fields each field group exports (the reference names the groups only).  BASIC is taken as the
# device's identity; the others as the fields of that prefix.
BASIC_FIELDS = ('common.uuid', 'common.id', 'common.device_space_name')
GROUP_PREFIX = {'COMMON': 'common.', 'USER': 'user.', 'IOS': 'ios.', 'ANDROID': 'android.', 'WINDOWS_PHONE': 'windows_phone.'}
ACTIVESYNC_COLUMNS = ('DeviceId', 'MailboxId', 'Status', 'SyncStatus', 'Retired', 'LastSyncTime', 'SentryType')
ACTIVESYNC_STATES = {'a': 'Allowed', 'b': 'Blocked', 'w': 'Wiped', 'q': 'Quarantined', 'r': 'retired',
                     'allowed': 'Allowed', 'blocked': 'Blocked', 'wiped': 'Wiped', 'quarantined': 'Quarantined', 'retired': 'retired'}
# Field types as in the reference's search_fields sample (STRING, NUMBER, DATE).
DATE_FIELDS = ('common.registration_date', 'common.creation_date', 'common.last_connected_at', 'common.miclient_last_connected_at')
NUMBER_FIELDS = ('common.id',)


def _csv(columns, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(columns)
    for row in rows:
        writer.writerow(['' if row.get(column) is None else row.get(column) for column in columns])
    return out.getvalue()


class Facts(Part):
    """Handlers of the fact routes of the MobileIron Core dialect (the device space is checked by the route's guard)."""

    def device_fact(self, request):
        """One of DEVICE_FACTS, by the route's fixed ``fact``."""
        entry = self.find_entry(request.params['uuid'])
        if entry is None:
            return json_response(404, self.dialect.messages('com.mobileiron.vsp.messages.http.404', 'Device not found'),
                                 authenticated=True)
        reply = {'details': self.device_details, 'simdetails': self.sim_details, 'appcompliance': self.app_compliance,
                 'rulecompliance': self.rule_compliance}[request.params['fact']](entry)
        return json_response(200, reply, authenticated=True)

    def searchable_fields(self, _request):
        return json_response(200, self.search_fields(), authenticated=True)

    def find_entry(self, uuid):
        for entry in self.state.entries(self.name):
            if entry.record['common.uuid'].lower() == uuid.lower():
                return entry
        return None

    # -- per device ----------------------------------------------------------------------------------------------
    def device_details(self, entry):
        results = [{'name': name, 'value': value} for name, value in sorted(entry.record.items())]
        if entry.logical['platform'] == 'ios':
            results.extend([{'name': 'ios.ProductName', 'value': None}, {'name': 'ios.IsDeviceLocatorServiceEnabled', 'value': False},
                            {'name': 'ios.security_reason_code', 'value': '0x00000008'}])
        return {'results': results, 'totalCount': len(results), 'resultCount': len(results)}

    def sim_details(self, entry):
        # EID details exist for iOS 14 and later devices; the fleet's iOS phones get the reference's two slots.
        logical = entry.logical
        if logical['platform'] != 'ios' or not logical['phone']:
            return {'results': [], 'totalCount': 0, 'resultCount': 0}
        results = [{'eid': 'N/A', 'phoneNumber': 'N/A', 'carrierSettingVersion': 'N/A', 'carrierNetwork': 'N/A',
                    'slot': 'CTSubscriptionSlotOne', 'simLabel': 'N/A'},
                   {'eid': '8904903200500888260004%010d' % logical['index'], 'phoneNumber': logical['phone'],
                    'carrierSettingVersion': '41.7.70', 'carrierNetwork': 'Verizon', 'slot': 'CTSubscriptionSlotTwo',
                    'simLabel': 'Secondary'}]
        return {'results': results, 'totalCount': len(results), 'resultCount': len(results)}

    def app_compliance(self, entry):
        violations = {'Disallowed': [], 'Required': []}
        if not entry.logical['compliant']:
            violations['Disallowed'].append({'type': 'Disallowed', 'appName': 'Sudoku', 'appVersion': '4.6'})
            violations['Required'].append({'type': 'Required', 'appName': 'Evernote', 'appVersion': None})
        return {'results': {'deviceUuid': entry.record['common.uuid'], 'appViolationsByType': violations}}

    def rule_compliance(self, entry):
        results = []
        if not entry.logical['compliant']:
            record = entry.record
            results.append({'id': entry.logical['index'] + 1, 'deviceUuid': record['common.uuid'], 'ruleId': 1, 'complianceAction': 1,
                            'quarantineAction': 0, 'createdAt': entry.logical['last_seen'] * 1000,
                            'userDisplayName': record['user.display_name'], 'userId': record['user.user_id'],
                            'platformName': record['common.platform_name'], 'model': record['common.model'],
                            'actionName': 'Send Alert', 'ruleName': 'Disallowed apps', 'complianceActionNames': ['ALERT']})
        return {'results': results, 'totalCount': len(results), 'resultCount': len(results)}

    # -- fleet ---------------------------------------------------------------------------------------------------------
    def search_fields(self):
        names = set()
        for entry in self.state.entries(self.name):
            names.update(entry.record)
        return [{'name': name, 'type': 'DATE' if name in DATE_FIELDS else 'NUMBER' if name in NUMBER_FIELDS else 'STRING'}
                for name in sorted(names)]

    def export_devices(self, request):
        bad_request = self.dialect.bad_request
        groups = [group for group in (request.arg('fieldGroups') or '').split(',') if group]
        if not groups or len(groups) > 20 or any(len(group) > 20 or group not in FIELD_GROUPS for group in groups):
            return bad_request('fieldGroups is required: 1 to 20 of %s' % ', '.join(FIELD_GROUPS))
        query = request.arg('query')
        label_id = int_arg(request, 'labelId', None)
        if query is None and 'labelId' not in request.query:
            return bad_request('One of query or labelId is required')
        if query is not None and len(query) > EXPORT_MAX_QUERY:
            return bad_request('query must be at most 2000 characters')
        limit = int_arg(request, 'limit', EXPORT_MAX_LIMIT)
        offset = int_arg(request, 'offset', 0)
        if limit is None or not 0 <= limit <= EXPORT_MAX_LIMIT:
            return bad_request('limit must be at least 0 and no more than 5000')
        if offset is None or not 0 <= offset <= EXPORT_MAX_OFFSET:
            return bad_request('offset must be between 0 and 10000000')
        try:
            records = self.dialect.matching(query, label_id)
        except ValueError as exc:  # QueryError
            return self.dialect.parse_failure(exc)
        known = set()
        for record in records:
            known.update(record)
        columns = []
        for group in groups:
            fields = BASIC_FIELDS if group == 'BASIC' else sorted(name for name in known if name.startswith(GROUP_PREFIX[group]))
            columns.extend(field for field in fields if field not in columns)
        body = _csv(columns, records[offset:offset + limit])
        return Response(200, body, content_type='text/csv', authenticated=True,
                        headers=[('Content-Disposition', 'attachment; filename= DeviceSearchResult.csv')])

    def activesync_rows(self):
        rows = []
        for entry in self.state.entries(self.name):
            logical = entry.logical
            if logical['platform'] not in ('ios', 'android'):
                continue
            if logical['status'] == 'wiped':
                sync = 'Wiped'
            elif not logical['compliant']:
                sync = 'Blocked'
            elif logical['index'] % 17 == 0:
                sync = 'Quarantined'
            else:
                sync = 'Allowed'
            rows.append({
                'DeviceId': 'EAS%s' % entry.record['common.uuid'].replace('-', '')[:20].upper(),
                'MailboxId': logical['user']['email'],
                'Status': 'Registered' if logical['status'] == 'active' else 'Unregistered',
                'SyncStatus': sync,
                'Retired': 'true' if logical['status'] == 'retired' else 'false',
                # "yyyy-MM-dd hh:mm:ss z", GMT.
                'LastSyncTime': time.strftime('%Y-%m-%d %H:%M:%S GMT', time.gmtime(logical['last_seen'])),
                'SentryType': 'Integrated' if logical['index'] % 2 == 0 else 'Standalone',
                '_idle_days': (REFERENCE_TIME - logical['last_seen']) // 86400,
            })
        return rows

    def activesync_report(self, request):
        bad_request = self.dialect.bad_request
        days_idle = int_arg(request, 'daysIdle', None)
        if days_idle is None or days_idle < 0:
            return bad_request('daysIdle is required: a number of days, 0 or more')
        state = request.arg('state')
        wanted = None
        if state:
            wanted = ACTIVESYNC_STATES.get(state.lower())
            if wanted is None:
                return bad_request('state must be one of a, b, w, q, r')
        rows = []
        # Idle days count from the fleet's reference time (not the wall clock), so the report is deterministic.
        for row in self.activesync_rows():
            if row['_idle_days'] < days_idle:
                continue
            if wanted == 'retired' and row['Retired'] != 'true':
                continue
            if wanted not in (None, 'retired') and (row['SyncStatus'] != wanted or row['Retired'] == 'true'):
                continue
            rows.append(row)
        return Response(200, _csv(ACTIVESYNC_COLUMNS, rows), content_type='text/csv', authenticated=True)
