# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Cloud (Ivanti Neurons for MDM): HTTP Basic auth, device partitions, device search.

Sources: NOTES.md (device search, partitions, limits), the vendor reference
``mobileiron-cloud-users-api.txt`` (reply envelope ``errors`` / ``result``, paging with
``rows`` / ``start``, ``fq=FIELD=value``), Ivanti's public "API Basics" (Basic auth is refused
when admin MFA is on), and the device records, partition list and single-device call
used by the MobileIron UEM integration of Cortex XSOAR (a public client of this API).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICE_ID, LISTING_VENDOR_FILTERS
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.device import (
    bool_or_none,
    make_device,
    platform_of,
    text_or_none,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import VendorSession

DEVICES_PATH = '/api/v1/device'
PARTITIONS_PATH = '/api/v1/tenant/partition/device'

# "Controlling Results": rows above 500 are refused with a 400.
MAX_ROWS = 500

# registrationState values seen in public device records: ACTIVE, RETIRED, RETIRE_PENDING.  The wipe and
# pending states follow the same naming as MobileIron Core (unverified for Cloud: unknown values become 'other').
# A retire or wipe in flight counts as done, so that the command is never sent twice.
STATUS_MAP = {
    'ACTIVE': 'active',
    'PENDING': 'pending',
    'RETIRED': 'retired',
    'RETIRE_PENDING': 'retired',
    'WIPED': 'wiped',
    'WIPE_PENDING': 'wiped',
}

# ownershipType: EMPLOYEE, COMPANY or UNKNOWN (the reference's "Invite User", deviceOwnershipType).
OWNERSHIP_MAP = {'COMPANY': 'company', 'EMPLOYEE': 'employee'}

# Key of the fq built by push_filters(); used in iter_device_records() only when the user gave no fq.
PUSHED_FQ = '_pushed_fq'


class MobileIronCloudSession(VendorSession):
    name = 'mobileiron_cloud'
    max_page_size = MAX_ROWS
    vendor_filters = {
        'fq': None,
    }
    # Basic auth: a 401 means the credentials are wrong (or MFA forbids Basic auth), there is no token to renew.
    renewable_auth = False
    default_headers = {'Accept': 'application/json'}
    query_filter = 'fq'

    def __init__(self, options, transport):
        super(MobileIronCloudSession, self).__init__(options, transport)
        self._partition_lock = threading.Lock()
        configured = options.get('partition_id')
        self._partition_id = str(configured).strip() if configured not in (None, '') else None

    # -- authentication ------------------------------------------------------
    def _login(self):
        return self.basic_auth_headers()

    def call(self, method, path, operation, headers=None, safe=None, **kwargs):
        try:
            return super(MobileIronCloudSession, self).call(method, path, operation, headers=headers, safe=safe, **kwargs)
        except AuthenticationError as exc:
            raise self.basic_auth_refused(exc, 'Check username and password; if multi-factor authentication is on for '
                                               'admin portal sign-in, MobileIron Cloud refuses Basic auth and only '
                                               'token-based authentication works')

    def _result(self, data, operation):
        """The ``result`` of the reply envelope; an error reported inside a 200 is an error."""
        if not isinstance(data, dict):
            raise self.bad_response('the reply is not a JSON object', operation)
        errors = data.get('errors')
        if errors:
            raise self.bad_response('the server reported: %s' % _describe_errors(errors, limit=None), operation)
        return data.get('result')

    # -- partition -------------------------------------------------------------------
    def partition_id(self):
        """The device partition (space) every device call names: the option, else the tenant's default one."""
        with self._partition_lock:
            if self._partition_id is None:
                # Asked once a play, not once a task: the play's login cache shares it.
                self._partition_id = self.cached_setting('default_partition', self._default_partition)
            return self._partition_id

    def _default_partition(self):
        operation = 'find the default device partition'
        result = self._result(self.call_json('GET', PARTITIONS_PATH, operation), operation)
        partitions = result.get('searchResults') if isinstance(result, dict) else None
        if not isinstance(partitions, list):
            raise self.bad_response('the partition list has no "searchResults"', operation)
        for partition in partitions:
            if isinstance(partition, dict) and partition.get('defaultPartition') is True and partition.get('id') is not None:
                return str(partition['id'])
        known = ', '.join('%s (%s)' % (p.get('id'), p.get('name')) for p in partitions if isinstance(p, dict))
        raise InvalidInputError('the tenant reports no default device partition; set partition_id to one of: %s'
                                % (known or 'none listed'), option='partition_id', vendor=self.name, operation=operation,
                                secrets=self.transport.secrets)

    # -- vendor filters ---------------------------------------------------------------
    def validate_vendor_params(self, params, option):
        params = dict(params)
        if 'fq' in params:
            fq = params['fq']
            if not isinstance(fq, str) or not fq.strip():
                raise InvalidInputError('fq must be a filter such as registrationState=ACTIVE', option='%s.fq' % option)
            params['fq'] = fq.strip()
        return params

    def push_filters(self, filters):
        # The documented fq form is one FIELD=value clause, so only a filter that one clause expresses exactly
        # is pushed: status 'active' (only ACTIVE normalises to it).
        if filters.get('status') == ['active']:
            return {PUSHED_FQ: 'registrationState=ACTIVE'}
        return {}

    # -- devices -------------------------------------------------------------------
    def iter_device_records(self, vendor_params, page_size, concurrency):
        partition = self.partition_id()
        user_fq = vendor_params.get('fq')
        fq = user_fq or vendor_params.get(PUSHED_FQ)

        def fetch(start, size):
            params = {'dmPartitionId': partition, 'rows': size, 'start': start}
            if fq:
                params['fq'] = fq
            try:
                data = self.call_json('GET', DEVICES_PATH, 'list devices', params=params)
            except InvalidInputError as exc:
                if not user_fq or exc.status != 400:
                    raise
                raise InvalidInputError('invalid filter (%s)' % exc.message, option=LISTING_VENDOR_FILTERS + '.fq',
                                        vendor=self.name, operation='list devices', status=400, secrets=self.transport.secrets)
            result = self._result(data, 'list devices')
            if not isinstance(result, dict) or not isinstance(result.get('searchResults'), list):
                raise self.bad_response('the reply has no "result.searchResults" list', 'list devices')
            total = result.get('totalCount')
            try:
                total = int(total) if total is not None else None
            except (TypeError, ValueError):
                raise self.bad_response('totalCount %r is not a number' % (total,), 'list devices')
            return [item for item in result['searchResults'] if isinstance(item, dict)], total
        return self.list_pages(fetch, page_size, concurrency, key=self.device_id_of, what='devices')

    def get_device_record(self, device_id):
        # Device ids are numbers (e.g. 1000001); anything else cannot name a device.
        if not device_id.isdigit():
            raise InvalidInputError('%r is not a MobileIron Cloud device id (a number)' % (device_id,), option=DEVICE_ID)
        partition = self.partition_id()
        # GET /api/v1/device/{id}: the single-device call of public clients of this API (not in the reference).
        try:
            data = self.call_json('GET', '%s/%s' % (DEVICES_PATH, device_id), 'get device', params={'dmPartitionId': partition})
        except NotFoundError:
            return None
        if isinstance(data, dict) and data.get('errors') and data.get('result') is None:
            # A missing device may be reported inside the envelope rather than as a 404.
            if _mentions_not_found(data['errors']):
                return None
        result = self._result(data, 'get device')
        if result is None:
            return None
        if not isinstance(result, dict):
            raise self.bad_response('the device reply has no "result" object', 'get device')
        return result

    def label_memberships(self, device_ids, concurrency):
        """Device groups as labels.  Only the single-device reply carries them, so this is one request per device,
        ``concurrency`` at a time (no documented call lists the members of a device group)."""
        def groups_of(device_id):
            record = self.get_device_record(str(device_id)) if str(device_id).isdigit() else None
            groups = record.get('groups') if isinstance(record, dict) else None
            if not isinstance(groups, list):
                return device_id, []
            return device_id, [text_or_none(group.get('name')) for group in groups
                               if isinstance(group, dict) and text_or_none(group.get('name'))]
        return dict(self.map_concurrently(groups_of, device_ids, concurrency))

    def normalise_device_id(self, device_id):
        # Device ids are numbers (JSON numbers in public records): "01000001", 1000001 and "1000001" are one device.
        text = super(MobileIronCloudSession, self).normalise_device_id(device_id)
        return str(int(text)) if text and text.isdigit() else text

    def device_id_problem(self, text, given):
        # Device ids are numbers (e.g. 1000001).
        return None if text.isdigit() else '%r is not a MobileIron Cloud device id (a number, like 1000001)' % (given,)

    def device_id_of(self, raw):
        return self.normalise_device_id(text_or_none(raw.get('id')))

    def normalise(self, raw, include_raw=False):
        status = str(raw.get('registrationState') or '').strip().upper()
        owner = str(raw.get('ownershipType') or '').strip().upper()
        groups = raw.get('groups')
        # Only the single-device reply carries the device groups; a search reply has none.
        labels = [group.get('name') for group in groups if isinstance(group, dict)] if isinstance(groups, list) else []
        return make_device(
            self.name, raw=raw, include_raw=include_raw,
            device_id=self.device_id_of(raw),
            name=text_or_none(raw.get('deviceName')) or raw.get('entityName'),
            platform=platform_of(raw.get('platformType')),
            os_version=raw.get('platformVersion'),
            model=text_or_none(raw.get('deviceModel')) or raw.get('prettyModel'),
            manufacturer=raw.get('manufacturer'),
            serial=raw.get('serialNumber'),
            # Recorded as "35 664808 754860 4": make_device() keeps the digits.
            imei=raw.get('imei'),
            udid=raw.get('udid'),
            user=raw.get('uid'),
            user_email=raw.get('emailAddress'),
            ownership=OWNERSHIP_MAP.get(owner, 'unknown'),
            status=STATUS_MAP.get(status, 'other'),
            compliant=bool_or_none(raw.get('complianceState')),
            last_seen=raw.get('lastCheckin'),
            labels=labels,
        )


def _error_messages(errors):
    if isinstance(errors, dict):
        messages = []
        for key in ('globalErrors', 'fieldErrors'):
            items = errors.get(key)
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, dict):
                        text = ' '.join(str(item[k]) for k in ('code', 'field', 'message') if item.get(k) not in (None, ''))
                        messages.append(text)
                    elif item not in (None, ''):
                        messages.append(str(item))
        return messages or [str(errors)]
    if isinstance(errors, list):
        return [str(item) for item in errors]
    return [str(errors)]


def _describe_errors(errors, limit=500):
    # limit None: an MdmError carries the text; it redacts the whole text, then shortens it (a secret cut before
    # redaction would leak its first half).
    text = '; '.join(_error_messages(errors))
    return text if limit is None else text[:limit]


def _mentions_not_found(errors):
    return any('not found' in message.lower() or 'does not exist' in message.lower() for message in _error_messages(errors))
