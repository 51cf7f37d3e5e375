# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM MaaS360: token authentication (auth v1) and the v2 device search.

Sources: the vendor reference ``maas360-web-services-getting-started.txt`` (the XML
``authRequest``, ``Authorization: MaaS token="..."``, tokens valid for 60 minutes),
NOTES.md (reply fields of the authentication, ``Accept: application/json``, the v2
search, its paging and filters, one device returned as an object), and the device
records of public clients of this API: IBM's ``fn_maas360`` (resilient-community-apps,
sample search output), Milhound/maas360api (``devices/search.go``, ``auth/auth.go``) and
MichaelAlestock/MaaS360PS (``Get-MaaS360Device.ps1``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from urllib.parse import quote
from xml.parsers.expat import ExpatError
from xml.sax.saxutils import escape

try:
    import xmltodict
    HAS_XMLTODICT = True
except ImportError:  # pragma: no cover - exercised by the sanity import test
    HAS_XMLTODICT = False

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import LISTING_PAGE_SIZE, LISTING_VENDOR_FILTERS
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    InvalidInputError,
    MdmError,
    ServerError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.session import Page
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import describe_body
from ansible_collections.fleetops.mdm.plugins.module_utils.device import (
    bool_or_none,
    iso_timestamp,
    make_device,
    platform_of,
    text_filters,
    text_or_none,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import VendorSession

AUTH_PATH = '/auth-apis/auth/1.0/authenticate/%s'
SEARCH_PATH = '/device-apis/devices/2.0/search/customer/%s'
# NOTES.md: the groups of the account, and the devices of one device group.  The group fields (groupID,
# groupName, groupType with 2 for a device group) and the deviceGroupId parameter follow IBM's public
# MaaS360 API reference ("Get User & Device Groups", "Search Devices by Device Group"); unverified here.
GROUPS_PATH = '/group-apis/group/1.0/groups/customer/%s'

# The version number in an osName: digits and dots, not part of a word ("Windows 10", "Android 12").
OS_VERSION_IN_NAME = re.compile(r'(?<![\w.])\d+(?:\.\d+)*(?![\w])')
# A MaaS360 device id is the platform's prefix and an identifier, letters and digits only: "ApplD8DTH6RCIH86"
# (fn_maas360 docs), "Androidc60775214".  Anything else (a UUID, a numeric id of another vendor, a name) is refused
# before any request.  Unverified beyond the public examples: one pattern to change.
DEVICE_ID_PATTERN = re.compile(r'^[A-Za-z][A-Za-z0-9]{3,63}$')
# NOTES.md: pageSize must be one of these; pageNumber counts from 1.
PAGE_SIZES = (25, 50, 100, 200, 250)
# Getting started: "authentication token is valid for 60 mins"; the base renews it shortly before.
TOKEN_LIFETIME = 3600
# IBM support, "How to test the Authentication API from the Web Services API documentation in the MaaS360 portal":
# a login with another administrator's credentials "would return a prompt 'Please provide the username used during
# login.' and it would fail with error with Response Code 500".  That 500 is a refused login, not a server fault.
REFUSED_LOGIN_STATUS = 500
REFUSED_LOGIN_TEXT = 'provide the username'

# Only where the platformName filter selects the same devices (or more) as the normalised platform: 'windows'
# would miss "Windows Mobile" / "Windows Phone 7" and 'other' would miss "BlackBerry" / "Symbian" (the platform
# names of IBM's fn_maas360 search function), so those are filtered here only.
PUSHED_PLATFORMS = {'android': 'Android', 'ios': 'iOS', 'macos': 'Mac'}

# maas360ManagedStatus values: IBM's "fiberlink.maas360.device.managed.status" attribute (Enrolled, Not Enrolled,
# User Removed Control, Control Removed, Pending Control Removal) and public clients (Activated, Inactive,
# "Pending Control Removed").  A removal in flight counts as done, so that it is never requested twice.
MANAGED_STATUS = {
    'enrolled': 'active',
    'activated': 'active',
    'not enrolled': 'pending',
    'control removed': 'retired',
    'user removed control': 'retired',
    'pending control removal': 'retired',
    'pending control removed': 'retired',
}


class MaaS360Session(VendorSession):
    name = 'maas360'
    max_page_size = max(PAGE_SIZES)
    # NOTES.md, device search v2 filters.  Public clients note that without deviceStatus the search lists Active
    # devices only (unverified): pass deviceStatus: Inactive to see the others.
    vendor_filters = {
        'partialDeviceName': None,
        'partialUsername': None,
        'email': None,
        'udid': None,
        'imeiMeid': None,
        'wifiMacAddress': None,
        'maas360DeviceId': None,
        'deviceStatus': ('Active', 'Inactive'),
        'platformName': None,
        'maas360ManagedStatus': None,
        'plcCompliance': ('OOC', 'ALL'),
        'ruleCompliance': ('OOC', 'ALL'),
        'appCompliance': ('OOC', 'ALL'),
        'pswdCompliance': ('OOC', 'ALL'),
        'match': ('0', '1'),
        'sortAttribute': ('lastReported', 'installedDate'),
        'sortOrder': ('asc', 'dsc'),
        'lastReportedAfterInEpochms': None,
    }
    renewable_auth = True
    # Without it the replies may be XML (NOTES.md); read_reply() copes with both.
    default_headers = {'Accept': 'application/json'}

    def __init__(self, options, transport):
        super(MaaS360Session, self).__init__(options, transport)
        self.billing_id = str(options.get('billing_id') or '').strip()
        self.billing_path = quote(self.billing_id, safe='')

    # -- authentication ------------------------------------------------------
    def auth_request_body(self):
        """The XML authRequest of the getting-started guide, every value escaped."""
        fields = (
            ('billingID', self.billing_id),
            ('platformID', self.options.get('platform_id')),
            ('appID', self.options.get('app_id')),
            ('appVersion', self.options.get('app_version')),
            ('appAccessKey', self.options.get('app_access_key')),
            ('userName', self.options.get('username')),
            ('password', self.options.get('password')),
        )
        inner = ''.join('<%s>%s</%s>' % (tag, escape(str(value if value is not None else '').strip()), tag) for tag, value in fields)
        return '<authRequest><maaS360AdminAuth>%s</maaS360AdminAuth></authRequest>' % inner

    def _login(self):
        operation = 'log in'
        try:
            # Asking for a token changes nothing on the server: safe to send again after a 502-504 or a dropped reply.
            # A refused login is never sent again: repeating it only counts against the account's lock-out.
            response = self.transport.request(
                'POST', AUTH_PATH % self.billing_path, operation,
                headers={'Content-Type': 'application/xml', 'Accept': 'application/json'},
                data=self.auth_request_body().encode('utf-8'), safe=True)
        except (AuthenticationError, InvalidInputError) as exc:
            # 401 / 403, or another 4xx: the server refused these credentials or this app.
            raise self._login_refused(exc.message, exc.status)
        except ServerError as exc:
            if exc.status == REFUSED_LOGIN_STATUS and REFUSED_LOGIN_TEXT in (exc.message or '').lower():
                raise self._login_refused(exc.message, exc.status)
            raise
        data = self.read_reply(response, operation)
        node = data.get('authResponse') if isinstance(data, dict) and isinstance(data.get('authResponse'), dict) else data
        if not isinstance(node, dict):
            raise self.bad_response('the authentication reply has no "authResponse"', operation, response)
        code = text_or_none(node.get('errorCode'))
        token = text_or_none(node.get('authToken'))
        if (code is not None and code != '0') or not token:
            reason = text_or_none(node.get('errorDesc')) or ('no authToken in the reply' if code in (None, '0') else 'no reason given')
            if code not in (None, '0'):
                reason = '%s (errorCode %s)' % (reason, code)
            raise self._login_refused(reason, response.status)
        self.transport.add_secret(token)
        return {'Authorization': 'MaaS token="%s"' % token}, TOKEN_LIFETIME

    def _login_refused(self, reason, status):
        """Every form of a refused login (HTTP 200 with a non-zero errorCode, 401 / 4xx, IBM's HTTP 500 asking for the
        user name) is one authentication failure naming what to check."""
        return AuthenticationError(
            'authentication of user %r for billing id %s failed: %s. Check username, password, app_id, app_version, '
            'platform_id and app_access_key' % (self.options.get('username'), self.billing_id, reason),
            vendor=self.name, operation='log in', status=status, secrets=self.transport.secrets)

    # -- replies ---------------------------------------------------------------
    def read_reply(self, response, operation):
        """A JSON or XML reply as Python data (XML through xmltodict, namespace prefixes dropped)."""
        text = response.text.lstrip()
        ctype = response.content_type
        if not text:
            return {}
        if 'html' in ctype or text[:15].lower().startswith(('<!doctype html', '<html')):
            raise self.bad_response('the reply could not be read: %s' % describe_body(response, secrets=self.transport.secrets), operation, response)
        if 'json' in ctype or text[:1] in '{[':
            return self.parse_json(response, operation)
        if 'xml' in ctype or text[:1] == '<':
            if not HAS_XMLTODICT:
                raise MdmError('the Python library "xmltodict" is required to read the XML replies of IBM MaaS360 '
                               '(pip install xmltodict)', vendor=self.name, operation=operation)
            try:
                return _strip_prefixes(xmltodict.parse(response.content, disable_entities=True))
            except (ExpatError, ValueError) as exc:
                raise self.bad_response('the XML reply could not be read: %s' % exc, operation, response)
            except RecursionError:
                raise self.bad_response('the XML reply is nested too deeply to be read', operation, response)
        raise self.bad_response('the reply is neither JSON nor XML: %s' % describe_body(response, secrets=self.transport.secrets), operation, response)

    # -- vendor filters ---------------------------------------------------------
    def validate_vendor_params(self, params, option):
        clean = text_filters(params, option)
        after = clean.get('lastReportedAfterInEpochms')
        if after is not None and not after.isdigit():
            raise InvalidInputError('lastReportedAfterInEpochms must be milliseconds since the epoch, not %r' % after,
                                    option='%s.lastReportedAfterInEpochms' % option)
        return clean

    def push_filters(self, filters):
        platforms = filters.get('platform') or []
        if len(platforms) == 1 and platforms[0] in PUSHED_PLATFORMS:
            return {'platformName': PUSHED_PLATFORMS[platforms[0]]}
        return {}

    def check_page_size(self, page_size):
        """A page size the device search takes (one of PAGE_SIZES); the largest when not given."""
        if page_size is None:
            return self.max_page_size
        if isinstance(page_size, bool) or page_size not in PAGE_SIZES:
            raise InvalidInputError('page size %r is not one MaaS360 accepts' % (page_size,), option=LISTING_PAGE_SIZE, allowed=PAGE_SIZES)
        return page_size

    # -- devices -------------------------------------------------------------------
    def search(self, params, operation, user_filters=False, path=SEARCH_PATH):
        """One page of the v2 device search: (records, total count or None)."""
        page = self.search_page(params, operation, user_filters=user_filters, path=path)
        return page.items, page.total

    def search_page(self, params, operation, user_filters=False, path=SEARCH_PATH):
        """One page of the v2 device search as a session.Page, with the ``pageSize`` the server echoes (it may answer
        fewer rows than asked: NOTES.md, "What real servers send")."""
        try:
            response = self.call('GET', path % self.billing_path, operation, params=params)
        except InvalidInputError as exc:
            if not user_filters or exc.status != 400:
                raise
            raise InvalidInputError('the server rejected the search filters: %s' % exc.message, option=LISTING_VENDOR_FILTERS,
                                    vendor=self.name, operation=operation, status=400, secrets=self.transport.secrets)
        data = self.read_reply(response, operation)
        if not isinstance(data, dict) or 'devices' not in data:
            raise self.bad_response('the reply has no "devices" element', operation, response)
        devices = data['devices']
        if devices in (None, '', {}):
            return Page([], 0)
        if not isinstance(devices, dict):
            raise self.bad_response('"devices" is not an object', operation, response)
        listed = devices.get('device')
        if listed in (None, '', []):
            records = []
        elif isinstance(listed, dict):
            # Exactly one device on the page comes as an object, not as a list of one (NOTES.md).
            records = [listed]
        elif isinstance(listed, list):
            records = [record for record in listed if isinstance(record, dict)]
        else:
            raise self.bad_response('"devices.device" is neither a list nor an object', operation, response)
        total = devices.get('count')
        try:
            total = int(total) if total not in (None, '') else None
        except (TypeError, ValueError):
            raise self.bad_response('"devices.count" %r is not a number' % (total,), operation, response)
        echoed = str(devices.get('pageSize') or '')
        return Page(records, total, page_size=int(echoed) if echoed.isdigit() else None)

    def iter_device_records(self, vendor_params, page_size, concurrency):
        base = dict(vendor_params)
        user_filters = bool(base)

        def fetch(start, size):
            params = dict(base, pageSize=self.page_size_to_send(size, page_size), pageNumber=start // size + 1)
            return self.search_page(params, 'list devices', user_filters=user_filters)
        return self.list_pages(fetch, page_size, concurrency, key=self.device_id_of, what='devices', page_numbers=True)

    @staticmethod
    def page_size_to_send(size, asked):
        """Page numbers count pages of the server's real size: ask for that size when MaaS360 takes it (PAGE_SIZES),
        else ask as before and let the server cap it the same way again."""
        return size if size in PAGE_SIZES else asked

    def get_device_record(self, device_id):
        # match=1: maas360DeviceId is compared exactly, not as a prefix (NOTES.md).
        params = {'maas360DeviceId': device_id, 'match': 1, 'pageSize': PAGE_SIZES[0], 'pageNumber': 1}
        records, _total = self.search(params, 'get device')
        for record in records:
            if self.device_id_of(record) == device_id:
                return record
        return None

    # normalise_device_id: the base's (surrounding space only).  maas360DeviceID values mix upper and lower case
    # (ApplF17KLK9FF4K0, Androidc1234567890 in public records) and no document says the server folds case, so case
    # is kept.

    def device_id_problem(self, text, given):
        # maas360DeviceIDs are letters and digits.
        if not text:
            return 'a device id must not be empty'
        if not DEVICE_ID_PATTERN.match(text):
            return '%r is not a MaaS360 device id (maas360DeviceID: letters and digits, e.g. ApplD8DTH6RCIH86)' % text
        return None

    def device_id_of(self, raw):
        return self.normalise_device_id(text_or_none(raw.get('maas360DeviceID')))

    def normalise(self, raw, include_raw=False):
        # lastReported has no zone ("2019-04-23T16:11:23" in IBM's fn_maas360 README): the epoch form first.
        last_seen = iso_timestamp(raw.get('lastReportedInEpochms')) or iso_timestamp(raw.get('lastReported'))
        # A search record carries no device group membership (groups have their own API): no labels here.
        return make_device(
            self.name, raw=raw, include_raw=include_raw,
            device_id=self.device_id_of(raw),
            name=raw.get('deviceName'),
            platform=platform_of(text_or_none(raw.get('platformName')) or raw.get('osName')),
            os_version=text_or_none(raw.get('osVersion')) or os_version_of(raw.get('osName')),
            model=text_or_none(raw.get('model')) or raw.get('modelId'),
            manufacturer=raw.get('manufacturer'),
            # platformSerialNumber: the serial number field of Milhound/maas360api and MaaS360PS.
            serial=raw.get('platformSerialNumber'),
            # A JSON number in recorded replies (351623070066166): kept as its exact digits.
            imei=raw.get('imeiEsn'),
            udid=raw.get('udid'),
            user=raw.get('username'),
            user_email=raw.get('emailAddress'),
            ownership=ownership_of(raw.get('ownership')),
            status=status_of(raw),
            compliant=compliance_of(raw),
            last_seen=last_seen,
            labels=[],
        )


def os_version_of(os_name):
    """The version in an osName ("Android 6.0.1 (MMB29M)", "iOS 17.6.1", "Mac OS X 10.15.7"): v1 search records carry
    osName and no osVersion (NOTES.md "What real servers send"); the first number with dots after the OS name."""
    text = text_or_none(os_name)
    if text is None:
        return None
    match = OS_VERSION_IN_NAME.search(text.split('(')[0])
    return match.group(0) if match else None


def ownership_of(value):
    """"Corporate Owned" / "Employee Owned" / "Not Defined" (public records) to the normalised ownership."""
    text = (text_or_none(value) or '').lower()
    if text.startswith('corporate'):
        return 'company'
    if text.startswith(('employee', 'personal')):
        return 'employee'
    return 'unknown'


def status_of(raw):
    """The normalised status of a device record (maas360ManagedStatus, else deviceStatus)."""
    managed = (text_or_none(raw.get('maas360ManagedStatus')) or '').lower()
    # Wipe wording in the managed status is unverified: a selective wipe removes the corporate data (what the
    # other vendors call retire), any other wipe erases the device.
    if 'selective wipe' in managed:
        return 'retired'
    if 'wipe' in managed:
        return 'wiped'
    if managed in MANAGED_STATUS:
        return MANAGED_STATUS[managed]
    if not managed and (text_or_none(raw.get('deviceStatus')) or '').lower() == 'active':
        return 'active'
    return 'other'


def _compliance_value(value):
    text = (text_or_none(value) or '').lower()
    if text in ('not compliant', 'not in compliance'):
        return False
    return bool_or_none(text)


def compliance_of(raw):
    """Out of compliance when the policy or the compliance rules say so ("OOC" in the search filters)."""
    values = [_compliance_value(raw.get(field)) for field in ('policyComplianceState', 'ruleComplianceState')]
    if False in values:
        return False
    if True in values:
        return True
    return None


def _strip_prefixes(data):
    """xmltodict output without namespace prefixes (ns2:devices -> devices) and xmlns attributes."""
    if isinstance(data, list):
        return [_strip_prefixes(item) for item in data]
    if isinstance(data, dict):
        clean = {}
        for key, value in data.items():
            if key.startswith('@xmlns'):
                continue
            local = key.split(':')[-1]
            clean['@' + local.lstrip('@') if key.startswith('@') else local] = _strip_prefixes(value)
        return clean
    return data
