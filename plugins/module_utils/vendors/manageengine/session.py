# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine MDM, cloud (Zoho OAuth access tokens) and on-premises (API key): device listing.

Sources: the vendor reference ``manageengine-mdm-devices-api.txt`` (device list, details and
summary records, filter values, ``Authorization: Zoho-oauthtoken``), NOTES.md (token renewal,
on-premises API key, limit / offset / metadata / paging), manageengine.com "Retrieve a list of
managed devices" (limit, offset zero-based, searchkey + searchfield, search, ``Accept:
application/json``), its "Pagination" page (50 by default, example ``limit=200``) and its
"Devices" attribute list (owned_by: corporate or personally-owned; is_removed: deprecated,
removed from management).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICE_ID as DEVICE_ID_KEY
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    ServerError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.session import Page
from ansible_collections.fleetops.mdm.plugins.module_utils.device import (
    bool_or_none,
    iso_timestamp,
    make_device,
    platform_of,
    text_filters,
    text_or_none,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import VendorSession

DEVICES_PATH = '/api/v1/mdm/devices'
# NOTES.md: GET /api/v1/mdm/groups; manageengine.com "Get Group list" (groups: group_id, name, group_type) and
# "Get the member list of the group" (GET /api/v1/mdm/groups/{group_id}/members, limit / offset).  The member
# list is read as member_ids (the field of the members call) or as member records with a device_id.
GROUPS_PATH = '/api/v1/mdm/groups'
TOKEN_PATH = '/oauth/v2/token'

# No maximum for "limit" is documented; the vendor's own pagination example asks for limit=200.
# UNVERIFIED: lower this one value if a server refuses 200.
MAX_LIMIT = 200
# Zoho access tokens last an hour (NOTES.md); used when a reply carries no expires_in.
DEFAULT_TOKEN_LIFETIME = 3600

# The reference lists the values of the ownership, device type and platform filters but not the names of their
# query parameters.  UNVERIFIED wire names, the one place to change them (the option keys users write stay).
WIRE_NAMES = {'owned_by': 'owned_by', 'device_type': 'device_type', 'platform': 'platform'}
OWNERSHIP_FILTER = ('Corporate', 'Personal')
DEVICE_TYPE_FILTER = ('smartphone', 'Tablet', 'Laptop', 'Desktop', 'Tv')
PLATFORM_FILTER = ('iOS', 'Android', 'Windows')

PUSHED_PLATFORMS = {'ios': 'iOS', 'android': 'Android', 'windows': 'Windows'}
PUSHED_OWNERSHIP = {'company': 'Corporate', 'employee': 'Personal'}

# owned_by: "corporate or personally-owned"; the reference shows 2 on a user's device.  1 = corporate and
# 2 = personal is UNVERIFIED.
OWNED_BY = {'1': 'company', '2': 'employee', 'corporate': 'company', 'personal': 'employee'}
# managed_status: the reference shows 2 on a managed device; the other codes are UNVERIFIED.
MANAGED_STATUS = {'2': 'active', '1': 'pending', '4': 'retired', '7': 'wiped'}

DEVICE_ID = re.compile(r'^[0-9]+$')


def next_link(data):
    """ManageEngine's own end marker: a ``paging.next`` link while more follows (NOTES.md).  None when the reply
    carries no ``paging`` object, so that only the total decides."""
    paging = data.get('paging') if isinstance(data, dict) else None
    if not isinstance(paging, dict):
        return None
    return bool(paging.get('next'))


def member_id(item):
    """A group member's device id, as a string (items are ids, or objects carrying one)."""
    if isinstance(item, dict):
        item = item.get('device_id', item.get('resource_id'))
    if item is None or isinstance(item, bool):
        return None
    return str(item)


# The Zoho OAuth settings of the cloud edition (on-premises takes api_key instead).
OAUTH_OPTIONS = ('client_id', 'client_secret', 'refresh_token', 'accounts_url')


class ManageEngineSession(VendorSession):
    name = 'manageengine'
    max_page_size = MAX_LIMIT
    # manageengine.com lists "Accept: application/json" as a mandatory request header.
    default_headers = {'Accept': 'application/json'}
    # Option keys of vendor_filters; iter_device_records() sends them under WIRE_NAMES.
    vendor_filters = {
        'owned_by': OWNERSHIP_FILTER,
        'device_type': DEVICE_TYPE_FILTER,
        'platform': PLATFORM_FILTER,
        'search': None,
        'searchkey': None,
        'searchfield': None,
    }

    @classmethod
    def check_connection_options(cls, options):
        # On-premises authenticates with an API key, the cloud with Zoho OAuth.  Given both (say MDM_API_KEY in the
        # environment and OAuth settings in the task), either guess could send a credential to a server it does not
        # belong to, so the mix is refused and the message says how to choose.
        oauth = [name for name in OAUTH_OPTIONS if options.get(name) not in (None, '')]
        if options.get('api_key') not in (None, '') and oauth:
            raise InvalidInputError(
                'both api_key (on-premises) and OAuth settings (cloud: %s) are set; give only one of the two (check the '
                'MDM_API_KEY and MDM_CLIENT_ID, MDM_CLIENT_SECRET, MDM_REFRESH_TOKEN, MDM_ACCOUNTS_URL variables too)'
                % ', '.join(oauth), option='api_key', vendor=cls.name)

    def __init__(self, options, transport):
        super(ManageEngineSession, self).__init__(options, transport)
        self.cloud = all(options.get(name) not in (None, '') for name in OAUTH_OPTIONS)
        # Cloud access tokens expire and are renewed once on a 401; an on-premises key that gets a 401 is wrong.
        self.renewable_auth = self.cloud

    def raise_error_body(self, response, operation):
        # The reference documents no error body.  UNVERIFIED: Zoho APIs answer {"error_code", "error_description"}
        # (also with a 2xx status behind some proxies); a write must not be taken as done then.
        """Raise the MdmError a reply carries in its body (a Zoho ``error_code``), also under a 2xx status; nothing
        otherwise."""
        try:
            data = json.loads(response.text) if response.content else None
        except (ValueError, RecursionError):
            return
        if isinstance(data, dict) and data.get('error_code') not in (None, 0, '0', ''):
            raise ServerError('the server reported an error: %s (error_code %s)' % (
                text_or_none(data.get('error_description')) or 'no description', data.get('error_code')),
                vendor=self.name, operation=operation, status=response.status, secrets=self.transport.secrets)

    # -- authentication ------------------------------------------------------
    def _login(self):
        if not self.cloud:
            key = str(self.options.get('api_key') or '').strip()
            if not key:
                raise InvalidInputError('ManageEngine MDM needs api_key (on-premises) or client_id, client_secret, '
                                        'refresh_token and accounts_url (cloud)', option='api_key')
            self.transport.add_secret(key)
            return {'Authorization': key}, None
        return self._access_token()

    def _access_token(self):
        operation = 'obtain an access token'
        accounts_url = str(self.options['accounts_url']).rstrip('/')
        params = {
            'refresh_token': self.options['refresh_token'],
            'client_id': self.options['client_id'],
            'client_secret': self.options['client_secret'],
            'grant_type': 'refresh_token',
        }
        hint = ('check client_id, client_secret and refresh_token, and that accounts_url (%s) is the Zoho accounts server '
                'of the data centre of url' % accounts_url)
        try:
            # Repeating a refresh after a 5xx or a lost reply is harmless, and the transport does it at most
            # max_retries times; a lost reply may have minted a token we never saw, which counts against Zoho's cap on
            # tokens per refresh token, but that costs far less than failing the run.  The base class reuses each
            # token until shortly before it expires, so a run mints one token an hour.
            response = self.transport.request('POST', accounts_url + TOKEN_PATH, operation, params=params,
                                              headers={'Accept': 'application/json'}, safe=True)
        except (AuthenticationError, InvalidInputError) as exc:
            raise AuthenticationError('Zoho accounts refused the refresh token grant (%s); %s' % (exc.message, hint),
                                      vendor=self.name, operation=operation, status=exc.status, secrets=self.transport.secrets)
        data = self.parse_json(response, operation)
        if not isinstance(data, dict):
            raise self.bad_response('the token reply is not a JSON object', operation, response)
        token = text_or_none(data.get('access_token'))
        if data.get('error') or not token:
            # Zoho answers a refused grant with HTTP 200 and {"error": "..."}.
            raise AuthenticationError('Zoho accounts refused the refresh token grant: %s; %s'
                                      % (text_or_none(data.get('error')) or 'no access_token in the reply', hint),
                                      vendor=self.name, operation=operation, status=response.status, secrets=self.transport.secrets)
        self.transport.add_secret(token)
        try:
            lifetime = int(data.get('expires_in') or DEFAULT_TOKEN_LIFETIME)
        except (TypeError, ValueError):
            lifetime = DEFAULT_TOKEN_LIFETIME
        return {'Authorization': 'Zoho-oauthtoken %s' % token}, max(lifetime, 1)

    def call(self, method, path, operation, headers=None, safe=None, **kwargs):
        """An authenticated request; a write whose 2xx reply carries an error object fails instead of passing."""
        try:
            response = super(ManageEngineSession, self).call(method, path, operation, headers=headers, safe=safe, **kwargs)
        except AuthenticationError as exc:
            if exc.status != 401 or self.cloud:
                raise
            raise AuthenticationError('the server rejected the API key (option api_key); keys are generated under Admin > '
                                      'API Key Generation and expire after six months', vendor=self.name,
                                      operation=exc.operation, status=401, secrets=self.transport.secrets)
        if method.upper() not in ('GET', 'HEAD'):
            self.raise_error_body(response, operation)
        return response

    # -- vendor filters ---------------------------------------------------------
    def validate_vendor_params(self, params, option):
        clean = text_filters(params, option)
        if ('searchkey' in clean) != ('searchfield' in clean):
            missing = 'searchfield' if 'searchkey' in clean else 'searchkey'
            raise InvalidInputError('searchkey and searchfield go together (e.g. searchfield: name, email or udid)',
                                    option='%s.%s' % (option, missing))
        return clean

    def push_filters(self, filters):
        pushed = {}
        platforms = filters.get('platform') or []
        if len(platforms) == 1 and platforms[0] in PUSHED_PLATFORMS:
            pushed['platform'] = PUSHED_PLATFORMS[platforms[0]]
        ownership = filters.get('ownership') or []
        if len(ownership) == 1 and ownership[0] in PUSHED_OWNERSHIP:
            pushed['owned_by'] = PUSHED_OWNERSHIP[ownership[0]]
        return pushed

    # -- devices -------------------------------------------------------------------
    def iter_device_records(self, vendor_params, page_size, concurrency):
        base = dict((WIRE_NAMES.get(key, key), value) for key, value in vendor_params.items())

        def fetch(start, size):
            params = dict(base, limit=size, offset=start)
            data = self.call_json('GET', DEVICES_PATH, 'list devices', params=params)
            if not isinstance(data, dict):
                raise self.bad_response('the reply is not a JSON object', 'list devices')
            metadata = data.get('metadata') if isinstance(data.get('metadata'), dict) else {}
            total = metadata.get('total_record_count')
            try:
                total = int(total) if total is not None else None
            except (TypeError, ValueError):
                raise self.bad_response('metadata.total_record_count %r is not a number' % (total,), 'list devices')
            devices = data.get('devices')
            if devices is None and total is not None:
                devices = []
            if not isinstance(devices, list):
                raise self.bad_response('the reply has no "devices" list', 'list devices')
            return Page([device for device in devices if isinstance(device, dict)], total, has_more=next_link(data))
        return self.list_pages(fetch, page_size, concurrency, key=self.device_id_of, what='devices')

    def paged(self, path, key, operation, page_size, concurrency, id_of=None):
        """Every item of a limit / offset list whose items are under ``key``, each ``id_of(item)`` once."""
        def fetch(start, size):
            data = self.call_json('GET', path, operation, params={'limit': size, 'offset': start})
            if not isinstance(data, dict):
                raise self.bad_response('the reply is not a JSON object', operation)
            metadata = data.get('metadata') if isinstance(data.get('metadata'), dict) else {}
            total = metadata.get('total_record_count')
            try:
                total = int(total) if total is not None else None
            except (TypeError, ValueError):
                raise self.bad_response('metadata.total_record_count %r is not a number' % (total,), operation)
            items = data.get(key)
            if items is None:
                items = []
            if not isinstance(items, list):
                raise self.bad_response('the reply has no "%s" list' % key, operation)
            return Page(items, total, has_more=next_link(data))
        return self.list_pages(fetch, page_size, concurrency, key=id_of or member_id, what=operation)

    # -- group membership writes ----------------------------------------------------------

    # -- device details writes -----------------------------------------------------------------

    def get_device_record(self, device_id):
        # Ids are 64-bit numbers (9007199254741000): kept as the text given, never through float.
        problem = self.device_id_problem(device_id, device_id)
        if problem:
            raise InvalidInputError(problem, option=DEVICE_ID_KEY)
        try:
            data = self.call_json('GET', '%s/%s' % (DEVICES_PATH, device_id), 'get device')
        except NotFoundError:
            return None
        if not isinstance(data, dict):
            raise self.bad_response('the device reply is not a JSON object', 'get device')
        # The details record of the reference carries no device_id: remember the one asked for.
        data.setdefault('device_id', device_id)
        return data

    def device_id_problem(self, text, given):
        # Device ids are numbers.
        return None if DEVICE_ID.match(text) else '%r is not a ManageEngine MDM device id (a number)' % (given,)

    def normalise_device_id(self, device_id):
        # Device ids are 64-bit numbers (JSON numbers in the reference): "0123", 123 and "123" are one device.
        # int() of the digits keeps every digit (never through float).
        text = super(ManageEngineSession, self).normalise_device_id(device_id)
        return str(int(text)) if text and DEVICE_ID.match(text) else text

    def device_id_of(self, raw):
        return self.normalise_device_id(text_or_none(raw.get('device_id')))

    def add_last_seen(self, devices, concurrency):
        """``last_contact_time`` of each device from its summary (``GET /api/v1/mdm/devices/{id}/summary``, the only call
        of the reference that carries it): one request per device without it, ``concurrency`` at a time.  Returns the
        number of requests.  A device gone since the listing keeps None."""
        missing = [device for device in devices if device.get('mdm_last_seen') is None and device.get('mdm_device_id')]

        def last_contact(device):
            operation = 'read the last contact time of device %s' % device['mdm_device_id']
            try:
                data = self.call_json('GET', '%s/%s/summary' % (DEVICES_PATH, device['mdm_device_id']), operation)
            except NotFoundError:
                return None
            if not isinstance(data, dict):
                raise self.bad_response('the device summary is not a JSON object', operation)
            return data.get('last_contact_time')

        for device, value in zip(missing, self.map_concurrently(last_contact, missing, concurrency)):
            device['mdm_last_seen'] = iso_timestamp(value)
        return len(missing)

    def normalise(self, raw, include_raw=False):
        os_info = raw.get('os') if isinstance(raw.get('os'), dict) else {}
        user = raw.get('user') if isinstance(raw.get('user'), dict) else {}
        platform = text_or_none(raw.get('platform_type')) or text_or_none(os_info.get('platform_type')) or raw.get('os_name')
        last_contact = raw.get('last_contact_time')
        return make_device(
            self.name, raw=raw, include_raw=include_raw,
            device_id=self.device_id_of(raw),
            name=raw.get('device_name'),
            platform=platform_of(platform),
            os_version=text_or_none(raw.get('os_version')) or os_info.get('os_version'),
            model=text_or_none(raw.get('model')) or raw.get('model_name'),
            manufacturer=raw.get('product_name'),
            serial=text_or_none(raw.get('serial_number')) or os_info.get('serial_number'),
            imei=_imei(raw),
            udid=raw.get('udid'),
            user=user.get('user_name'),
            user_email=user.get('user_email'),
            ownership=OWNED_BY.get((text_or_none(raw.get('owned_by')) or '').lower(), 'unknown'),
            status=status_of(raw),
            # The reference exposes no overall compliance (security.passcode_complaint covers the passcode only).
            compliant=None,
            # last_contact_time: the device summary of the reference (epoch ms; -1 when never).  The device list carries
            # none: list_devices(last_seen=True) reads it from each device's summary (add_last_seen()).
            last_seen=last_contact,
            labels=_group_names(raw),
        )


def status_of(raw):
    """The normalised status of a device record (managed_status, else is_removed)."""
    code = text_or_none(raw.get('managed_status'))
    if code in MANAGED_STATUS:
        return MANAGED_STATUS[code]
    removed = bool_or_none(raw.get('is_removed'))
    if removed:
        return 'retired'
    # A listed device that is not removed from management is managed (list records carry no managed_status).
    if removed is False and code is None:
        return 'active'
    return 'other'


def _imei(raw):
    """The record's imei (a JSON number in the reference), else the first SIM's (device details carry "sims")."""
    imei = raw.get('imei')
    if isinstance(imei, list):
        imei = imei[0] if imei else None
    if text_or_none(imei):
        return imei
    sims = raw.get('sims')
    if isinstance(sims, list):
        for sim in sims:
            if isinstance(sim, dict) and text_or_none(sim.get('imei')):
                return sim['imei']
    return None


def _group_names(raw):
    """Group names where the record carries them (the device summary's "group" list); summary.group_count is only a count."""
    for key in ('group', 'groups'):
        groups = raw.get(key)
        if isinstance(groups, list):
            return [group.get('group_name') for group in groups if isinstance(group, dict)]
    return []
