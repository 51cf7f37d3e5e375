# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Core (Ivanti EPMM) through its API v2: HTTP Basic auth, device search.

Sources: the vendor reference ``mobileiron-core-v2-devices-api.txt`` ("Search for
devices", "Test an advanced search query"), NOTES.md, and Ivanti's public V2 API guide
("Valid fields Parameter Values", "Query Operators and Search Fields", "Get V2 API
status", "Label Management").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICE_ID
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    InvalidInputError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.session import Page
from ansible_collections.fleetops.mdm.plugins.module_utils.device import (
    bool_or_none,
    make_device,
    platform_of,
    text_or_none,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import VendorSession

DEVICES_PATH = '/api/v2/devices'
QUERY_TEST_PATH = '/api/v2/devices/query_test'
PING_PATH = '/api/v2/ping'
# NOTES.md: delete takes at most 512 UUIDs per call, and action batches are kept to 512 too.
MAX_ACTION_UUIDS = 512
# The common.status of a device "Delete devices" accepts (the reply of a delete lists only retired devices).
RETIRED = 'RETIRED'

# "Search for devices": limit at most 200, query at most 255 characters, 1 to 512 fields of at most 320 characters each.
MAX_LIMIT = 200
MAX_QUERY_LENGTH = 255
MAX_FIELDS = 512
MAX_FIELD_LENGTH = 320

# What normalise() reads, from Ivanti's "Valid fields Parameter Values" list, and common.SerialNumber, which that list
# lacks but public clients ask for and real servers answer (NOTES.md "What real servers send"; the XSOAR MobileIronUEM
# integration's STANDARD_DEVICE_FIELDS).  There is no label field: labels are not part of a device search.
DEVICE_FIELDS = (
    'common.uuid',
    'common.platform',
    'common.os_version',
    'common.model',
    'common.manufacturer',
    'common.SerialNumber',
    'common.imei',
    'common.owner',
    'common.status',
    'common.compliant',
    'common.last_connected_at',
    'user.user_id',
    'user.email_address',
    'ios.DeviceName',
    'ios.iPhone UDID',
)

# common.status values: the reference (ACTIVE, PENDING, RETIRED), NOTES.md (RETIRE_PENDING, WIPED) and
# Ivanti's reporting-database enumeration of MI_DEVICE.status (the rest).
# A retire or wipe in flight (RETIRE_PENDING, WIPE_PENDING) is already on its way out of management: it counts
# as retired / wiped, so that a retire or wipe is never sent twice.  'pending' is a device not yet fully
# registered (enrolment or verification in progress).  BLOCKED, LOST, INFECTED, EXPIRED, UNKNOWN: 'other'.
STATUS_MAP = {
    'ACTIVE': 'active',
    'PENDING': 'pending',
    'VERIFICATION_PENDING': 'pending',
    'VERIFIED': 'pending',
    'IENROLL_VERIFIED': 'pending',
    'IENROLL_INPROGRESS': 'pending',
    'IENROLL_COMPLETE': 'pending',
    'RETIRED': 'retired',
    'RETIRE_PENDING': 'retired',
    'WIPED': 'wiped',
    'WIPE_PENDING': 'wiped',
}

OWNERSHIP_MAP = {'COMPANY': 'company', 'EMPLOYEE': 'employee'}

# Neutral platforms pushed into the query: only those whose Core value is certain ("Android" in the reference,
# "iOS" in Ivanti's MI_DEVICE.platform enumeration).  macOS and Windows have had several names across releases;
# pushing one of them could hide devices, so the base filters those after normalisation instead.
PLATFORM_QUERY_VALUES = {'android': ('Android',), 'ios': ('iOS',)}

UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')

# Key of the query built by push_filters(); merged with the user's query in iter_device_records().
PUSHED_QUERY = '_pushed_query'


def _or_clause(field, values):
    """``("field"="a" OR "field"="b")`` with the quoting of the reference's advanced-search example."""
    terms = ['"%s"="%s"' % (field, value) for value in values]
    return terms[0] if len(terms) == 1 else '(%s)' % ' OR '.join(terms)


def query_text(query, limit, where, option):
    """A search expression (None is the empty one, every device) of at most ``limit`` characters, the limit of the call
    named by ``where``; InvalidInputError naming ``option`` otherwise."""
    if query is None:
        query = ''
    if not isinstance(query, str):
        raise InvalidInputError('the query must be text', option=option)
    if len(query) > limit:
        raise InvalidInputError('the query is %d characters long; MobileIron Core accepts at most %d %s'
                                % (len(query), limit, where), option=option)
    return query


def uuid_queries(uuids):
    """``"common.uuid"="a" OR "common.uuid"="b" ...``, each at most MAX_QUERY_LENGTH characters."""
    queries, terms = [], []
    for uuid in uuids:
        term = '"common.uuid"="%s"' % uuid
        if terms and len(' OR '.join(terms + [term])) > MAX_QUERY_LENGTH:
            queries.append(' OR '.join(terms))
            terms = []
        terms.append(term)
    if terms:
        queries.append(' OR '.join(terms))
    return queries


class MobileIronCoreSession(VendorSession):
    name = 'mobileiron_core'
    max_page_size = MAX_LIMIT
    vendor_filters = {
        'query': None,
        'labelId': None,
        'fields': None,
    }
    # Basic auth: a 401 means the username or password is wrong, there is no token to renew.
    renewable_auth = False
    default_headers = {'Accept': 'application/json'}
    query_filter = 'query'

    @property
    def device_space_id(self):
        """The adminDeviceSpaceId every call carries (option device_space_id, default 1)."""
        return int(self.options.get('device_space_id') or 1)

    # -- authentication ------------------------------------------------------
    def _login(self):
        return self.basic_auth_headers()

    def call(self, method, path, operation, headers=None, safe=None, **kwargs):
        try:
            return super(MobileIronCoreSession, self).call(method, path, operation, headers=headers, safe=safe, **kwargs)
        except AuthenticationError as exc:
            raise self.basic_auth_refused(exc, 'Check username and password, and that this admin holds the API role in '
                                               'the device space')

    # -- helpers for later work ---------------------------------------------------
    def ping(self):
        """Version information ("Get V2 API status"); proves that the URL and the credentials work."""
        data = self.call_json('GET', PING_PATH, 'ping')
        results = data.get('results') if isinstance(data, dict) else None
        if not isinstance(results, dict):
            raise self.bad_response('the ping reply has no "results" object', 'ping')
        return results

    # -- vendor filters ---------------------------------------------------------------
    def validate_vendor_params(self, params, option):
        params = dict(params)
        if 'labelId' in params:
            try:
                params['labelId'] = int(params['labelId'])
            except (TypeError, ValueError):
                raise InvalidInputError('labelId must be a label id (an integer), not %r' % (params['labelId'],),
                                        option='%s.labelId' % option)
        if 'fields' in params:
            params['fields'] = self._extra_fields(params['fields'], '%s.fields' % option)
        if 'query' in params:
            query = params['query'] = query_text(params['query'], MAX_QUERY_LENGTH, 'in a device search', '%s.query' % option)
            self._check_query(query, 'labelId' in params, '%s.query' % option)
        return params

    def _extra_fields(self, value, option):
        names = [name.strip() for name in str(value).split(',') if name.strip()] if value is not None else []
        if not names:
            raise InvalidInputError('give one or more comma-separated field names', option=option)
        for name in names:
            if len(name) > MAX_FIELD_LENGTH:
                raise InvalidInputError('field name %r is longer than %d characters' % (name[:40] + '...', MAX_FIELD_LENGTH),
                                        option=option)
        extra = [name for name in dict.fromkeys(names) if name not in DEVICE_FIELDS]
        if len(DEVICE_FIELDS) + len(extra) > MAX_FIELDS:
            room = MAX_FIELDS - len(DEVICE_FIELDS)
            raise InvalidInputError('a device search returns at most %d fields, and %d are needed for the normalised device: '
                                    'give at most %d extra fields' % (MAX_FIELDS, len(DEVICE_FIELDS), room), option=option)
        return extra

    def _check_query(self, query, with_label, option):
        """Ask the server whether the query parses before listing anything."""
        if query == '':
            return
        data = self.call_json('GET', QUERY_TEST_PATH, 'validate the device query',
                              params={'adminDeviceSpaceId': self.device_space_id, 'query': query})
        if not isinstance(data, dict) or 'valid' not in data:
            raise self.bad_response('the query_test reply has no "valid" field', 'validate the device query')
        valid = bool_or_none(data.get('valid'))
        if with_label:
            # "Supported queries": a simple query with a label works, an advanced query with a label silently
            # returns no devices.  query_test accepts exactly the advanced ones.
            if valid:
                raise InvalidInputError('an advanced query cannot be combined with labelId: MobileIron Core then returns '
                                        'no devices. Drop labelId, or use a simple search text', option=option)
            return
        if not valid:
            token = data.get('token')
            position = data.get('position')
            where = ''
            if token not in (None, ''):
                where = ': unexpected %r' % (token,)
                if position not in (None, -1):
                    where += ' at position %s' % (position,)
            raise InvalidInputError('the query does not parse%s' % where, option=option,
                                    vendor=self.name, operation='validate the device query', secrets=self.transport.secrets)

    def push_filters(self, filters):
        clauses = []
        platforms = filters.get('platform')
        if platforms and all(p in PLATFORM_QUERY_VALUES for p in platforms):
            clauses.append(_or_clause('common.platform', [v for p in platforms for v in PLATFORM_QUERY_VALUES[p]]))
        statuses = filters.get('status')
        # 'other' is everything unlisted, which no equality can express.
        if statuses and 'other' not in statuses:
            values = [value for value, status in sorted(STATUS_MAP.items()) if status in statuses]
            clauses.append(_or_clause('common.status', values))
        if not clauses:
            return {}
        return {PUSHED_QUERY: ' AND '.join(clauses)}

    def _search_params(self, vendor_params):
        params = {'adminDeviceSpaceId': self.device_space_id}
        fields = list(DEVICE_FIELDS) + list(vendor_params.get('fields') or [])
        params['fields'] = ','.join(fields)
        query = vendor_params.get('query')
        label_id = vendor_params.get('labelId')
        pushed = vendor_params.get(PUSHED_QUERY)
        # A pushed query is advanced, and an advanced query with a label returns nothing: never mix them.
        if pushed and label_id is None:
            combined = '(%s) AND %s' % (query, pushed) if query else pushed
            # Too long for the server: list more and let the base filter.
            if len(combined) <= MAX_QUERY_LENGTH:
                query = combined
        if label_id is not None:
            params['labelId'] = label_id
        # One of query or labelId is required; an empty query returns every device.
        if query is not None or label_id is None:
            params['query'] = query or ''
        return params

    # -- devices -------------------------------------------------------------------
    def results_and_total(self, data, operation):
        """``(results, totalCount)`` of a device search reply; BadResponseError when it has no results list."""
        if not isinstance(data, dict) or not isinstance(data.get('results'), list):
            raise self.bad_response('the reply has no "results" list', operation)
        total = data.get('totalCount')
        try:
            total = int(total) if total is not None else None
        except (TypeError, ValueError):
            raise self.bad_response('totalCount %r is not a number' % (total,), operation)
        return [item for item in data['results'] if isinstance(item, dict)], total

    def page_of(self, data, operation):
        """A search reply as a session.Page: ``results``, ``totalCount`` and the reference's ``hasMore``."""
        items, total = self.results_and_total(data, operation)
        has_more = data.get('hasMore')
        return Page(items, total, has_more=has_more if isinstance(has_more, bool) else None)

    def iter_device_records(self, vendor_params, page_size, concurrency):
        base = self._search_params(vendor_params)

        def fetch(offset, size):
            params = dict(base, limit=size, offset=offset)
            data = self.call_json('GET', DEVICES_PATH, 'list devices', params=params)
            return self.page_of(data, 'list devices')
        return self.list_pages(fetch, page_size, concurrency, key=self.device_id_of, what='devices')

    def get_device_record(self, device_id):
        problem = self.device_id_problem(device_id, device_id)
        if problem:
            raise InvalidInputError(problem, option=DEVICE_ID)
        params = {
            'adminDeviceSpaceId': self.device_space_id,
            'fields': ','.join(DEVICE_FIELDS),
            # The reference's own advanced-search example: one device by UUID.
            'query': '"common.uuid"="%s"' % device_id,
            'limit': 1,
            'offset': 0,
        }
        data = self.call_json('GET', DEVICES_PATH, 'get device', params=params)
        records, _total = self.results_and_total(data, 'get device')
        for record in records:
            if str(record.get('common.uuid') or '').lower() == device_id.lower():
                return record
        return None

    # -- label writes ------------------------------------------------------------------

    # -- device deletion -------------------------------------------------------------------

    def device_id_problem(self, text, given):
        # Device ids are UUIDs, which Core writes in lower case (normalise_device_id).
        if UUID_RE.match(text):
            return None
        return '%r is not a MobileIron Core device UUID (like a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9)' % (given,)

    def normalise_device_id(self, device_id):
        # Core reports device UUIDs in lower case (reference examples); a UUID is hexadecimal, so an upper-case
        # UUID names the same device.
        text = super(MobileIronCoreSession, self).normalise_device_id(device_id)
        return text.lower() if text and UUID_RE.match(text) else text

    def device_id_of(self, raw):
        return self.normalise_device_id(text_or_none(raw.get('common.uuid')))

    def normalise(self, raw, include_raw=False):
        status = str(raw.get('common.status') or '').strip().upper()
        owner = str(raw.get('common.owner') or '').strip().upper()
        return make_device(
            self.name, raw=raw, include_raw=include_raw,
            device_id=self.device_id_of(raw),
            name=raw.get('ios.DeviceName'),
            platform=platform_of(raw.get('common.platform')),
            os_version=raw.get('common.os_version'),
            model=raw.get('common.model'),
            manufacturer=raw.get('common.manufacturer'),
            serial=raw.get('common.SerialNumber'),
            # A user field the server's privacy setting hides comes as "*****": make_device() reads it as unknown.
            imei=raw.get('common.imei'),
            udid=raw.get('ios.iPhone UDID'),
            user=raw.get('user.user_id'),
            user_email=raw.get('user.email_address'),
            ownership=OWNERSHIP_MAP.get(owner, 'unknown'),
            status=STATUS_MAP.get(status, 'other'),
            compliant=bool_or_none(raw.get('common.compliant')),
            # "2020-11-09T07:38:22.000Z" in recorded replies; make_device() reads every timestamp form.
            last_seen=raw.get('common.last_connected_at'),
            labels=[],
        )
