# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Core API v2: every per-device and fleet fact of the reference (mdm_device_info option ``gather``).

Source: ``mobileiron-core-v2-devices-api.txt``: "Get device details", "Get Embedded Identity Document (EID)
details", "Get app control compliance information for a device", "Get device compliance and reason for non
compliance", "Get the list of searchable device fields", "Count devices", "Test an advanced search query",
"Export devices" and "Get Last Sync Time and State of ActiveSync Devices".  JSON replies are returned as the
reference shows them; the two CSV replies as ``{"columns": [...], "rows": [{column: value}]}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import re

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICE_ID
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.facts import DEVICE, FLEET, Fact, DeviceFacts, int_param
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.session import query_text

DEVICES_PATH = '/api/v2/devices'
# fact -> (path with {uuid}); all take adminDeviceSpaceId.
DEVICE_FACT_PATHS = {
    'details': DEVICES_PATH + '/{uuid}/details',
    'sim_details': DEVICES_PATH + '/simdetails/{uuid}',
    'app_compliance': DEVICES_PATH + '/{uuid}/appcompliance',
    'rule_compliance': DEVICES_PATH + '/{uuid}/rulecompliance',
}
SEARCH_FIELDS_PATH = DEVICES_PATH + '/search_fields'
COUNT_PATH = DEVICES_PATH + '/count'
QUERY_TEST_PATH = DEVICES_PATH + '/query_test'
# The reference writes "api/V2/activesync/devicereport" in the URI line and "/api/v2/activesync/devicereport/" in
# its sample request; the lower-case form of every other call is used.  It lists no adminDeviceSpaceId parameter.
ACTIVESYNC_PATH = '/api/v2/activesync/devicereport'

# Count, query test and export take a query of at most 2000 characters.
MAX_QUERY_LENGTH = 2000
# Export: limit 0 to 5000 (default 5000), offset at most 10,000,000; fieldGroups 1 to 20 names of at most 20
# characters from this list.
EXPORT_LIMIT = 5000
MAX_EXPORT_OFFSET = 10000000
FIELD_GROUPS = ('BASIC', 'COMMON', 'ANDROID', 'IOS', 'USER', 'WINDOWS_PHONE')
MAX_FIELD_GROUPS = 20
# The reference's sample request.
DEFAULT_FIELD_GROUPS = ('USER', 'COMMON', 'ANDROID', 'IOS', 'WINDOWS_PHONE')
# ActiveSync report "state": a, b, w, q, r, or the whole word.
ACTIVESYNC_STATES = {'a': 'a', 'b': 'b', 'w': 'w', 'q': 'q', 'r': 'r', 'allowed': 'a', 'blocked': 'b', 'wiped': 'w',
                     'quarantined': 'q', 'retired': 'r'}

UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


class MobileIronCoreFacts(DeviceFacts):
    """Device and fleet facts of MobileIron Core, over a MobileIronCoreSession."""

    FACTS = dict([(name, Fact(DEVICE)) for name in DEVICE_FACT_PATHS] + [
        ('search_fields', Fact(FLEET)),
        ('count', Fact(FLEET)),
        ('query_test', Fact(FLEET)),
        # A POST, but a read: the reference's role for it is "View dashboard, device page, device details".
        ('csv_export', Fact(FLEET)),
        ('activesync_report', Fact(FLEET)),
    ])
    GATHER_PARAMS = {
        'query': 'count, query_test, csv_export: the search expression (at most 2000 characters; empty: every device)',
        'labelId': 'csv_export: a label id',
        'fieldGroups': 'csv_export: field groups (%s)' % ', '.join(FIELD_GROUPS),
        'daysIdle': 'activesync_report: minimum days idle (default 0: any)',
        'state': 'activesync_report: a, b, w, q, r or allowed, blocked, wiped, quarantined, retired',
    }

    def check_gather_params(self, params, names, option):
        params = super(MobileIronCoreFacts, self).check_gather_params(params, names, option)
        query = query_text(params.get('query', ''), MAX_QUERY_LENGTH, 'here', '%s.query' % option)
        groups = params.get('fieldGroups', list(DEFAULT_FIELD_GROUPS))
        if isinstance(groups, str):
            groups = [group.strip() for group in groups.split(',') if group.strip()]
        if not isinstance(groups, list) or not groups or len(groups) > MAX_FIELD_GROUPS:
            raise InvalidInputError('give 1 to %d field groups' % MAX_FIELD_GROUPS, option='%s.fieldGroups' % option,
                                    allowed=FIELD_GROUPS)
        groups = [str(group).strip().upper() for group in groups]
        for group in groups:
            if group not in FIELD_GROUPS:
                raise InvalidInputError('unknown field group %r' % group, option='%s.fieldGroups' % option, allowed=FIELD_GROUPS)
        state = params.get('state')
        if state is not None:
            key = str(state).strip().lower()
            if key not in ACTIVESYNC_STATES:
                raise InvalidInputError('unknown ActiveSync state %r' % (state,), option='%s.state' % option,
                                        allowed=sorted(ACTIVESYNC_STATES))
            state = ACTIVESYNC_STATES[key]
        return {
            'query': query,
            'labelId': int_param(params, 'labelId', option),
            'fieldGroups': groups,
            'daysIdle': int_param(params, 'daysIdle', option, minimum=0, default=0),
            'state': state,
        }

    def fetch_device_fact(self, device_id, name, params):
        if not UUID_RE.match(str(device_id)):
            raise InvalidInputError('%r is not a MobileIron Core device UUID' % (device_id,), option=DEVICE_ID)
        operation = 'read %s of device %s' % (name, device_id)
        data = self.session.call_json('GET', DEVICE_FACT_PATHS[name].format(uuid=device_id), operation,
                                      params={'adminDeviceSpaceId': self.session.device_space_id})
        if not isinstance(data, dict):
            raise self.session.bad_response('the reply is not a JSON object', operation)
        return data

    def fetch_fleet_fact(self, name, params):
        space = {'adminDeviceSpaceId': self.session.device_space_id}
        if name == 'search_fields':
            data = self.session.call_json('GET', SEARCH_FIELDS_PATH, 'list the searchable device fields', params=space)
            if not isinstance(data, list):
                raise self.session.bad_response('the reply is not a list of fields', 'list the searchable device fields')
            return data
        if name in ('count', 'query_test'):
            operation = 'count devices' if name == 'count' else 'test the device query'
            data = self.session.call_json('GET', COUNT_PATH if name == 'count' else QUERY_TEST_PATH, operation,
                                          params=dict(space, query=params['query']))
            if not isinstance(data, dict):
                raise self.session.bad_response('the reply is not a JSON object', operation)
            return data
        if name == 'csv_export':
            return self.export_devices(params)
        return self.activesync_report(params)

    def export_devices(self, params):
        """Every device of the search as CSV rows, 5000 a request."""
        operation = 'export devices'
        base = {'adminDeviceSpaceId': self.session.device_space_id, 'fieldGroups': ','.join(params['fieldGroups']),
                'query': params['query'], 'limit': EXPORT_LIMIT}
        if params.get('labelId') is not None:
            base['labelId'] = params['labelId']
        columns, rows, offset = None, [], 0
        while offset <= MAX_EXPORT_OFFSET:
            # The export changes nothing on the server: repeating it after a lost reply is harmless (safe=True).
            response = self.session.call('POST', DEVICES_PATH, operation, params=dict(base, offset=offset),
                                         headers={'Accept': 'text/csv'}, safe=True)
            page_columns, page_rows = _read_csv(response.text)
            columns = columns or page_columns
            rows.extend(page_rows)
            if len(page_rows) < EXPORT_LIMIT:
                break
            offset += EXPORT_LIMIT
        return {'columns': columns or [], 'rows': rows}

    def activesync_report(self, params):
        """The ActiveSync device report (CSV) as columns and rows."""
        query = {'daysIdle': params['daysIdle']}
        if params.get('state'):
            query['state'] = params['state']
        response = self.session.call('GET', ACTIVESYNC_PATH, 'read the ActiveSync device report', params=query,
                                     headers={'Accept': 'text/csv'})
        columns, rows = _read_csv(response.text)
        return {'columns': columns, 'rows': rows}


def _read_csv(text):
    """(header columns, rows as dicts) of a CSV body; blank lines are skipped."""
    lines = [line for line in (text or '').splitlines() if line.strip()]
    if not lines:
        return [], []
    reader = csv.reader(io.StringIO('\n'.join(lines)))
    columns = [column.strip() for column in next(reader)]
    rows = [dict(zip(columns, values)) for values in reader]
    return columns, rows
