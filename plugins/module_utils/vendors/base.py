# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The abstract vendor adapter and what every adapter shares: lazy, renewable
authentication, paging (concurrent where the vendor's paging allows it),
device normalisation helpers and vendor-neutral device filters."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import abc
import base64
import datetime
import email.utils
import fnmatch
import math
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import UNKNOWN_ADVICE, check_params, default_precheck, result
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    BadResponseError,
    InvalidInputError,
    NotSupportedError,
    basic_credential,
    redact,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.session import Listing, ListingReport, ReportCollector, list_pages

NORMALISED_FIELDS = (
    'mdm_vendor', 'mdm_device_id', 'mdm_name', 'mdm_platform', 'mdm_os_version', 'mdm_model', 'mdm_manufacturer',
    'mdm_serial', 'mdm_imei', 'mdm_udid', 'mdm_user', 'mdm_user_email', 'mdm_ownership', 'mdm_status',
    'mdm_compliant', 'mdm_last_seen', 'mdm_labels',
)
PLATFORMS = ('android', 'ios', 'macos', 'windows', 'other')
OWNERSHIPS = ('company', 'employee', 'unknown')
STATUSES = ('active', 'pending', 'retired', 'wiped', 'other')

# Vendor-neutral filters (option ``filters``): key -> allowed values (None: free text, glob allowed).
NEUTRAL_FILTERS = {
    'platform': PLATFORMS,
    'status': STATUSES,
    'ownership': OWNERSHIPS,
    'compliant': (True, False),
    'name': None,
    'os_version': None,
    'model': None,
    'manufacturer': None,
    'serial': None,
    'imei': None,
    'udid': None,
    'user': None,
    'user_email': None,
    'label': None,
}

# Renew a token this long before the vendor says it expires.
TOKEN_RENEW_MARGIN = 300


def platform_of(value):
    """Map a vendor's platform / OS name to the normalised platform."""
    text = (str(value) if value is not None else '').strip().lower()
    if not text:
        return 'other'
    if 'android' in text:
        return 'android'
    if text in ('ios', 'iphone', 'ipad', 'ipod', 'ipados', 'apple ios') or text.startswith(('ios', 'iphone', 'ipad')):
        return 'ios'
    if 'mac' in text or 'os x' in text or 'osx' in text:
        return 'macos'
    if 'windows' in text or text.startswith('win'):
        return 'windows'
    return 'other'


def iso_from_epoch_ms(value):
    """ISO 8601 UTC from milliseconds since the epoch; None for missing or sentinel (-1, 0) values."""
    try:
        millis = float(value)
    except (TypeError, ValueError):
        return None
    if millis <= 0 or math.isnan(millis) or millis > _MAX_EPOCH_MS:
        return None
    # time.gmtime: several times cheaper than a datetime, and this runs for every listed device.
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(millis // 1000)))


# Epoch numbers below this are seconds, above it milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
_EPOCH_SECONDS_BELOW = 1e11
# datetime's own limit (the year 9999), in milliseconds.
_MAX_EPOCH_MS = 253402300799999
# Every date-time text form of the vendors' replies and recordings: ISO 8601 with "T" or a space, with or without
# seconds and fractions, and a zone as "Z", "+00:00", "+0000", "+00", " UTC" / " GMT", or none (taken as UTC).
# Core "2020-11-09T07:38:22.000Z" (XSOAR MobileIronUEM test_data), MaaS360 "2019-04-23T16:11:23" and
# "2019-05-13 17:45:12.0" (IBM fn_maas360 README: lastReported, locatedTime).
_DATE_TIME = re.compile(
    r'^(?P<date>\d{4}-\d{2}-\d{2})'
    r'(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?)?'
    r'\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$', re.IGNORECASE)


_NUMBER = re.compile(r'^-?\d+(\.\d+)?$')


def iso_timestamp(value):
    """ISO 8601 UTC (``2026-01-01T00:00:00Z``) from any vendor timestamp form, None when unknown.

    Numbers (and texts of digits) are epoch milliseconds or, when too small for that, epoch seconds; 0 and negative
    numbers are the vendors' "never" sentinels.  Texts are read by _DATE_TIME, or as an RFC 2822 date.  What none of
    them reads is unknown (None): mdm_last_seen is documented as ISO 8601, so a text that is not is never passed on.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if number <= 0 or math.isnan(number):
            return None
        return iso_from_epoch_ms(number * 1000 if number < _EPOCH_SECONDS_BELOW else number)
    text = str(value).strip()
    if not text or text in _NO_TEXT:
        return None
    if _NUMBER.match(text):
        return iso_timestamp(float(text))
    match = _DATE_TIME.match(text)
    if match:
        year, month, day = match.group('date').split('-')
        hour, minute, second = match.group('hour') or '00', match.group('minute') or '00', match.group('second') or '00'
        try:
            when = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        except ValueError:
            return None
        zone = (match.group('zone') or 'Z').upper()
        if zone[0] not in '+-':
            # Already UTC: the text's own digits, checked by datetime() above.
            return '%s-%s-%sT%s:%s:%sZ' % (year, month, day, hour, minute, second)
        digits = zone[1:].replace(':', '')
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        when -= offset if zone[0] == '+' else -offset
        return when.strftime('%Y-%m-%dT%H:%M:%SZ') if when.year >= 1000 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc).replace(microsecond=0).isoformat().replace('+00:00', 'Z')


def iso_from_text(value):
    """ISO 8601 UTC from a vendor's date text or number (iso_timestamp()); None when unknown."""
    return iso_timestamp(value)


# A value a server's privacy setting hid: only mask characters ("*****", MobileIron Core's form in the XSOAR
# MobileIronUEM test_data), or a run of three or more of them inside the value ("j***@example.com").  It says
# nothing about the device, so it is unknown (None), never data to match or show.
_MASK = re.compile(r'^[*\u2022\u25cf]+$|[*\u2022\u25cf]{3}')


def is_masked(text):
    return bool(_MASK.search(text))


def imei_text(value):
    """An IMEI (or MEID) as its digits: "35 664808 754860 4" (MobileIron Cloud), 351623070066166 (a JSON number,
    MaaS360 and ManageEngine) and "35-664808-754860-4" are all "356648087548604".  A value that is not digits once
    spaces, dashes, dots and slashes are gone (a hexadecimal MEID) stays as the vendor wrote it; None for no value."""
    text = text_or_none(value)
    if text is None:
        return None
    digits = _IMEI_SEPARATORS.sub('', text)
    return digits if digits.isdigit() else text


_IMEI_SEPARATORS = re.compile(r'[\s./-]')


_NO_TEXT = frozenset(('', '--', 'null', 'None'))


def text_or_none(value):
    if value is None:
        return None
    if value.__class__ is str:  # the common case first: this runs for every field of every device
        text = value.strip()
        return None if text in _NO_TEXT else text
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        # A whole JSON number (an IMEI 351623070066166 read as 3.51623070066166e14): its digits, not "3.5e+14".
        value = int(value)
    text = str(value).strip()
    return None if text in _NO_TEXT else text


def text_filters(params, option):
    """Vendor filters that each take one non-empty text value, stripped; ``option`` names them in errors."""
    clean = {}
    for key, value in params.items():
        if isinstance(value, bool) or value is None or not str(value).strip():
            raise InvalidInputError('filter %r needs a value' % key, option='%s.%s' % (option, key))
        clean[key] = str(value).strip()
    return clean


def bool_or_none(value):
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'yes', '1', 'compliant', 'in compliance', 'ok'):
        return True
    if text in ('false', 'no', '0', 'non-compliant', 'noncompliant', 'out of compliance', 'ooc'):
        return False
    return None


_TEXT_FIELDS = ('mdm_device_id', 'mdm_name', 'mdm_os_version', 'mdm_model', 'mdm_manufacturer', 'mdm_serial', 'mdm_imei',
                'mdm_udid', 'mdm_user', 'mdm_user_email')
_FIELD_OF = dict([(name, name) for name in NORMALISED_FIELDS] + [(name[4:], name) for name in NORMALISED_FIELDS])


def make_device(vendor, raw=None, include_raw=False, **fields):
    """A normalised device: every DESIGN.md field present, unknowns as None, labels a list."""
    device = dict.fromkeys(NORMALISED_FIELDS)
    for key, value in fields.items():
        name = _FIELD_OF.get(key)
        if name is None:
            raise KeyError('not a normalised device field: %s' % key)
        device[name] = value
    device['mdm_vendor'] = vendor
    for name in _TEXT_FIELDS:
        text = text_or_none(device[name])
        device[name] = None if text is not None and ('*' in text or '\u2022' in text or '\u25cf' in text) and is_masked(text) \
            else text
    device['mdm_imei'] = imei_text(device['mdm_imei'])
    device['mdm_last_seen'] = iso_timestamp(device['mdm_last_seen'])
    if device['mdm_platform'] not in PLATFORMS:
        device['mdm_platform'] = 'other'
    if device['mdm_ownership'] not in OWNERSHIPS:
        device['mdm_ownership'] = 'unknown'
    if device['mdm_status'] not in STATUSES:
        device['mdm_status'] = 'other'
    labels = device['mdm_labels']
    device['mdm_labels'] = sorted(set(str(label) for label in labels if label not in (None, ''))) if labels else []
    if include_raw:
        device['mdm_raw'] = raw
    return device


def validate_neutral_filters(filters, option='filters'):
    """Check the vendor-neutral filters; returns them with every value as a list."""
    if not filters:
        return {}
    if not isinstance(filters, dict):
        raise InvalidInputError('must be a dictionary', option=option)
    result = {}
    for key, value in filters.items():
        if key not in NEUTRAL_FILTERS:
            raise InvalidInputError('unknown filter %r' % key, option=option, allowed=sorted(NEUTRAL_FILTERS))
        values = value if isinstance(value, (list, tuple)) else [value]
        allowed = NEUTRAL_FILTERS[key]
        if allowed is not None:
            clean = []
            for item in values:
                if key == 'compliant':
                    item = bool_or_none(item) if not isinstance(item, bool) else item
                elif isinstance(item, str):
                    item = item.lower()
                if item not in allowed:
                    raise InvalidInputError('invalid value %r for filter %r' % (item, key), option='%s.%s' % (option, key),
                                            allowed=allowed)
                clean.append(item)
            values = clean
        else:
            values = [str(item) for item in values]
        if not values:
            raise InvalidInputError('filter %r has no values' % key, option='%s.%s' % (option, key))
        result[key] = values
    return result


def device_matches(device, filters):
    """Does a normalised device pass every neutral filter?  Text filters are case-insensitive globs."""
    for key, wanted in filters.items():
        if key == 'label':
            labels = [label.lower() for label in device.get('mdm_labels') or []]
            if not any(fnmatch.filter(labels, pattern.lower()) for pattern in wanted):
                return False
            continue
        value = device.get('mdm_' + key)
        if NEUTRAL_FILTERS[key] is not None:
            if value not in wanted:
                return False
            continue
        text = '' if value is None else str(value).lower()
        if key == 'imei':
            # An IMEI written with spaces or dashes ("35 664808 754860 4") is the same IMEI as its digits.
            wanted = [_IMEI_SEPARATORS.sub('', pattern) for pattern in wanted]
        if not any(fnmatch.fnmatchcase(text, pattern.lower()) for pattern in wanted):
            return False
    return True


class VendorAdapter(abc.ABC):
    """One vendor's API behind the vendor-neutral calls of the collection."""

    name = None
    # The largest page the vendor's device listing allows.
    max_page_size = 100
    # Vendor-native device search filters (option ``vendor_filters``): name -> allowed values (None: any value).
    vendor_filters = {}
    # Does a 401 mean "log in again" (token auth), or are the credentials wrong (basic auth / API key)?
    renewable_auth = False
    # Headers every request of the vendor carries; a request's own headers and the auth headers win.
    default_headers = {}

    def __init__(self, options, transport):
        self.options = options
        self.transport = transport
        # The play's login cache (module_utils/login_cache.py), when the module runs beside it: set by build_adapter.
        self.login_cache = None
        self._auth_lock = threading.Lock()
        self._auth_headers = None
        self._auth_generation = 0
        self._auth_expires_at = None
        self._auth_cache_id = None
        for option in ('password', 'app_access_key', 'api_key', 'client_secret', 'refresh_token'):
            transport.add_secret(options.get(option))
        if options.get('password'):
            # What an HTTP Basic header carries: a server echoing request headers quotes it so encoded.
            transport.add_secret(basic_credential(options.get('username'), options.get('password')))
        if getattr(transport, 'recorder', None) is not None:
            transport.recorder.note_options(options)

    # -- authentication ------------------------------------------------------
    @abc.abstractmethod
    def _login(self):
        """Authenticate; return (headers to send, seconds the credential lives or None)."""

    def auth_headers(self):
        """Headers that authenticate a request; logs in lazily, renews shortly before expiry."""
        with self._auth_lock:
            expired = self._auth_expires_at is not None and time.time() >= self._auth_expires_at
            if self._auth_headers is None or expired:
                self._renew_locked()
            return self._auth_generation, dict(self._auth_headers)

    def _renew_locked(self, refused=False):
        # Token logins go through the play's login cache: another task of the play may hold a token still good.
        # ``refused``: the server answered 401 to the token we hold, so the cache must not hand it out again.
        lease = None
        if self.login_cache is not None and self.renewable_auth:
            lease = self.login_cache.acquire('auth', self.name, self.options, stale_id=self._auth_cache_id if refused else None)
        if lease is not None and lease.value is not None:
            if self._use_cached_login(lease):
                return
            lease = None
        try:
            known = self.transport.secrets
            headers, lifetime = self._login()
        except BaseException:
            if lease is not None:
                lease.close()
            raise
        self._auth_headers = headers
        self._auth_generation += 1
        if lifetime:
            self._auth_expires_at = time.time() + max(lifetime - TOKEN_RENEW_MARGIN, lifetime / 2.0)
        else:
            self._auth_expires_at = None
        self._auth_cache_id = None
        if lease is not None:
            # The token (and whatever else the login registered as secret) goes to the broker's memory only.
            self._auth_cache_id = lease.store({'headers': headers, 'secrets': sorted(self.transport.secrets - known)},
                                              self._auth_expires_at)

    def _use_cached_login(self, lease):
        value = lease.value
        if not isinstance(value, dict) or not isinstance(value.get('headers'), dict) or lease.expires_at is None:
            return False
        # A cached token is as secret here as one this process minted: out of every message and result.
        for secret in value.get('secrets') or ():
            self.transport.add_secret(secret)
        self._auth_headers = dict((str(name), str(text)) for name, text in value['headers'].items())
        self._auth_generation += 1
        self._auth_expires_at = float(lease.expires_at)
        self._auth_cache_id = lease.id
        return True

    def _renew_after_401(self, generation):
        with self._auth_lock:
            # Another thread may already have logged in again after the same 401.
            if generation == self._auth_generation:
                self._renew_locked(refused=True)

    def cached_setting(self, kind, discover, lifetime=3600):
        """``discover()``'s text, shared through the play's login cache for ``lifetime`` seconds (settings such as
        a default partition, which every task would otherwise ask the server for again)."""
        lease = self.login_cache.acquire(kind, self.name, self.options) if self.login_cache is not None else None
        if lease is not None and isinstance(lease.value, dict) and isinstance(lease.value.get('setting'), str):
            return lease.value['setting']
        try:
            setting = discover()
        except BaseException:
            if lease is not None:
                lease.close()
            raise
        if lease is not None:
            if lease.holds_lease:
                lease.store({'setting': setting}, time.time() + lifetime)
            else:
                lease.close()
        return setting

    def call(self, method, path, operation, headers=None, safe=None, **kwargs):
        """An authenticated request; a 401 on token auth renews the token once and tries again."""
        generation, auth = self.auth_headers()
        try:
            return self.transport.request(method, path, operation, headers=self._headers(headers, auth), safe=safe, **kwargs)
        except AuthenticationError as exc:
            if exc.status != 401 or not self.renewable_auth:
                raise
        # The server refused the request unprocessed (401), so sending it again is harmless.
        self._renew_after_401(generation)
        generation, auth = self.auth_headers()
        return self.transport.request(method, path, operation, headers=self._headers(headers, auth), safe=safe, **kwargs)

    def _headers(self, headers, auth):
        merged = dict(self.default_headers)
        merged.update(headers or {})
        merged.update(auth)
        return merged

    # -- HTTP Basic auth (MobileIron Core and Cloud) -----------------------------
    def basic_auth_headers(self):
        """The Authorization header for username / password.  Nothing is sent: the first request proves them."""
        raw = ('%s:%s' % (self.options.get('username') or '', self.options.get('password') or '')).encode('utf-8')
        value = base64.b64encode(raw).decode('ascii')
        # The header carries the password, merely base64-encoded: never let it reach a message.
        self.transport.add_secret(value)
        return {'Authorization': 'Basic ' + value}, None

    def basic_auth_refused(self, exc, hint):
        """The error for a 401 under Basic auth: the credentials are wrong (there is no token to renew)."""
        if exc.status != 401:
            return exc
        return AuthenticationError('the server rejected the username %r or its password (HTTP Basic auth). %s'
                                   % (self.options.get('username'), hint),
                                   vendor=self.name, operation=exc.operation, status=401, secrets=self.transport.secrets)

    def call_json(self, method, path, operation, **kwargs):
        response = self.call(method, path, operation, **kwargs)
        return self.parse_json(response, operation)

    def parse_json(self, response, operation):
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError as exc:
            from ansible_collections.fleetops.mdm.plugins.module_utils.transport import describe_body
            detail = describe_body(response, secrets=self.transport.secrets) if 'html' in response.content_type else str(exc)
            raise BadResponseError('the reply could not be read: %s' % detail, vendor=self.name, operation=operation,
                                   status=response.status, secrets=self.transport.secrets)

    def bad_response(self, message, operation, response=None):
        return BadResponseError(message, vendor=self.name, operation=operation,
                                status=response.status if response is not None else None, secrets=self.transport.secrets)

    # -- devices -------------------------------------------------------------------
    @abc.abstractmethod
    def iter_device_records(self, vendor_params, page_size, concurrency):
        """Yield the vendor's raw device records, every page."""

    @abc.abstractmethod
    def get_device_record(self, device_id):
        """The vendor's raw record of one device, or None when there is no such device."""

    @abc.abstractmethod
    def normalise(self, raw, include_raw=False):
        """The normalised device (make_device) of a raw record."""

    @abc.abstractmethod
    def device_id_of(self, raw):
        """The vendor-native id of a raw record, in the form normalise_device_id() gives."""

    def normalise_device_id(self, device_id):
        """The one form of a device id that this vendor treats as the same device, or None for no id.

        Ids given by users and ids read from replies pass through here before they are compared, de-duplicated or
        counted (max_devices), so that one device written two ways counts once.  The base strips surrounding space
        and reads a whole number as its digits; vendors add what their ids allow (case of UUIDs, leading zeros of
        numeric ids).  It never raises: an id that cannot be one of the vendor's is returned stripped, for
        check_device_ids() to refuse with the vendor's own message.
        """
        if device_id is None or isinstance(device_id, bool):
            return None
        if isinstance(device_id, float):
            # A whole number read from YAML or JSON; beyond 2**53 a float has already lost digits: keep its text.
            device_id = int(device_id) if device_id.is_integer() and abs(device_id) < 2 ** 53 else repr(device_id)
        text = str(device_id).strip()
        return text or None

    def push_filters(self, filters):
        """Vendor search parameters that narrow the listing for the neutral filters (an optimisation only:
        every neutral filter is checked again on the normalised devices)."""
        return {}

    def check_vendor_filters(self, vendor_filters, option='vendor_filters'):
        """Validate vendor-native filters before any request; returns them as the vendor's parameters."""
        if not vendor_filters:
            return {}
        if not isinstance(vendor_filters, dict):
            raise InvalidInputError('must be a dictionary', option=option)
        if not self.vendor_filters:
            raise NotSupportedError('device search filters (%s)' % option, self.name)
        params = {}
        for key, value in vendor_filters.items():
            if key not in self.vendor_filters:
                raise InvalidInputError('unknown %s filter %r' % (self.name, key), option=option, allowed=sorted(self.vendor_filters))
            allowed = self.vendor_filters[key]
            if isinstance(value, (list, dict)):
                raise InvalidInputError('filter %r takes one value, not %s' % (key, type(value).__name__), option='%s.%s' % (option, key))
            if allowed is not None and str(value) not in [str(a) for a in allowed]:
                raise InvalidInputError('invalid value %r for filter %r' % (value, key), option='%s.%s' % (option, key), allowed=allowed)
            params[key] = value
        return self.validate_vendor_params(params, option)

    def validate_vendor_params(self, params, option):
        """Vendor hook for checks beyond allowed values (e.g. a query's length); may send read requests."""
        return params

    def list_devices(self, filters=None, vendor_filters=None, include_raw=False, page_size=None, concurrency=4, labels=False,
                     last_seen=False):
        """Every device that matches, normalised; each vendor id at most once.

        ``labels``: also fill ``mdm_labels`` from the vendor's labels / groups (label_memberships()), which costs
        extra requests.  A ``label`` filter turns it on, since it cannot be checked otherwise.
        ``last_seen``: also fill ``mdm_last_seen`` where the listing does not carry it (add_last_seen()).
        """
        neutral = validate_neutral_filters(filters)
        params = self.check_vendor_filters(vendor_filters)
        page_size = self.check_page_size(page_size)
        concurrency = check_concurrency(concurrency)
        labels = bool(labels) or 'label' in neutral
        pushed = self.push_filters(neutral)
        for key, value in pushed.items():
            params.setdefault(key, value)
        # Checked while paging: everything but labels, which only exist once every page is in.
        early = dict((key, value) for key, value in neutral.items() if not (labels and key == 'label'))
        mark = self.listing_reports.mark()
        seen = set()
        devices = []
        records = self.iter_device_records(params, page_size, concurrency)
        for raw in records:
            device_id = self.device_id_of(raw)
            # The paging engine lists each id once; a vendor listing outside it must not list one twice either.
            if device_id is None or device_id in seen:
                continue
            seen.add(device_id)
            device = self.normalise(raw, include_raw=include_raw)
            if device_matches(device, early):
                devices.append(device)
        if labels and devices:
            self.add_labels(devices, concurrency)
            if 'label' in neutral:
                devices = [device for device in devices if device_matches(device, {'label': neutral['label']})]
        if last_seen and devices:
            self.add_last_seen(devices, concurrency)
        return Listing(devices, self.selection_report(mark, records))

    def selection_report(self, mark, records=None):
        """The ListingReport of the device listing that ``records`` came from, with every listing run since ``mark``
        (label members) folded in: a selection is as consistent as the least consistent listing it used."""
        reports = self.listing_reports.since(mark)
        main = getattr(records, 'report', None)
        if main is None:
            main = reports[0] if reports else ListingReport('devices')
        for report in reports:
            if report is not main:
                main.include(report)
        return main

    def add_last_seen(self, devices, concurrency):
        """Fill ``mdm_last_seen`` of normalised devices whose listing did not carry it.  Every vendor but ManageEngine
        lists it with the device, so this costs nothing there."""
        return 0

    def add_labels(self, devices, concurrency):
        """Merge the vendor's label / group memberships into ``mdm_labels`` of normalised devices."""
        memberships = self.label_memberships([device['mdm_device_id'] for device in devices], concurrency)
        for device in devices:
            extra = memberships.get(device['mdm_device_id'])
            if extra:
                device['mdm_labels'] = sorted(set(device['mdm_labels'] or []) | set(str(label) for label in extra))

    def label_memberships(self, device_ids, concurrency):
        """``{device id: [label names]}`` for (at least) the given devices, from the vendor's labels or groups."""
        memberships = {}
        for label in self.list_labels(with_members=True, concurrency=concurrency):
            for device_id in label['members']:
                memberships.setdefault(device_id, []).append(label['name'])
        return memberships

    # -- labels / device groups ----------------------------------------------------
    def list_labels(self, with_members=False, concurrency=4, select=None):
        """Every label (or device group): ``[{'id', 'name', 'device_count', 'members'}]``.

        ``members`` (vendor device ids) is there only ``with_members``, and then only for the labels that
        ``select(name)`` accepts (every label when ``select`` is None); a label the vendor reports as empty is
        not asked for its members.  ``device_count`` is None when the vendor does not tell it.  An optional
        ``writable: False`` marks a label whose members the vendor sets itself (a dynamic label).
        """
        raise NotSupportedError('listing labels or device groups', self.name)

    def check_label_writes(self, devices, option='devices'):
        """Fail before any request when the vendor cannot change label membership, or a device id cannot be one
        of this vendor's; returns the ids as the vendor writes them."""
        raise NotSupportedError('changing the devices of a label or device group', self.name)

    def change_label_members(self, labels, additions, removals, concurrency=4):
        """Add and remove devices: ``additions`` / ``removals`` map a label name to device ids, ``labels`` maps a
        label name to its list_labels() record.  Returns ``(requests sent, failures)``, each failure a dict with
        ``label``, ``device_id``, ``action`` (add, remove) and ``reason``; a failed request does not stop the others."""
        raise NotSupportedError('changing the devices of a label or device group', self.name)

    def check_label_lifecycle(self, action):
        """Fail before any request when the vendor documents no call that creates (``action`` 'create') or deletes
        ('delete') a label or device group."""
        raise NotSupportedError('%s labels or device groups' % ('creating' if action == 'create' else 'deleting'), self.name)

    def create_label(self, name):
        """Create an empty label; returns its list_labels() record with empty ``members``."""
        raise NotSupportedError('creating labels or device groups', self.name)

    def delete_label(self, label):
        """Delete a label (its list_labels() record); its devices stay enrolled."""
        raise NotSupportedError('deleting labels or device groups', self.name)

    # -- a device's own record (mdm_device) -------------------------------------------
    def check_device_updates(self, devices, details, option='details'):
        """Fail before any request when the vendor cannot update device details, or ``details`` holds a field the
        vendor's update call does not take; returns ``(device ids, details)`` as the vendor writes them."""
        raise NotSupportedError('updating device details', self.name)

    def device_details(self, device_id, fields):
        """``{field: current value}`` of one device for the given update fields, or None when there is no such device."""
        raise NotSupportedError('updating device details', self.name)

    def update_device_details(self, device_id, changes):
        """Send ``changes`` (only the fields that differ) for one device; raises MdmError when the server refuses."""
        raise NotSupportedError('updating device details', self.name)

    def check_device_deletes(self, devices, option='devices'):
        """Fail before any request when the vendor cannot delete devices, or a device id cannot be one of this
        vendor's; returns the ids as the vendor writes them."""
        raise NotSupportedError('deleting devices', self.name)

    def device_statuses(self, devices):
        """``{device id: the vendor's status}`` of the given devices; a device that does not exist is left out."""
        raise NotSupportedError('deleting devices', self.name)

    def delete_devices(self, devices):
        """Delete devices the vendor allows to be deleted.  Returns ``(requests sent, deleted ids, failures)``, each
        failure a dict with ``device_id`` and ``reason``; a failed request does not stop the others."""
        raise NotSupportedError('deleting devices', self.name)

    # -- device and fleet facts (mdm_device_info option gather; vendors/facts.py and the vendors' *_facts.py) --------
    def check_gather(self, gather, params=None, firmware_password=False, option='gather'):
        """The checked gather plan (vendors/facts.GatherPlan); InvalidInputError / NotSupportedError before any request."""
        raise NotSupportedError('gathering device facts (option %s)' % option, self.name)

    # -- device commands (mdm_device_action; the contract is in module_utils/actions.py) --------
    def action_catalogue(self):
        """``{name: ActionSpec}`` of every device command this vendor documents (neutral and own names)."""
        raise NotSupportedError('device commands', self.name)

    def check_action(self, spec, params, option='params'):
        """The command's parameters as the vendor sends them; InvalidInputError before any request otherwise.
        Adapters override it for rules across parameters (an e-mail message needs a subject, ...)."""
        return check_params(spec, params, option=option)

    def check_device_ids(self, devices, option='devices'):
        """The ids as the vendor writes them (normalise_device_id()), each once and in order; InvalidInputError for an
        id that cannot be one of this vendor's."""
        ids = []
        for device in devices or []:
            text = self.normalise_device_id(device)
            if not text:
                raise InvalidInputError('a device id must not be empty', option=option)
            ids.append(text)
        return list(dict.fromkeys(ids))

    def action_targets(self, spec, devices, concurrency=4):
        """``{id: normalised device}`` of the given ids that exist (for platform and status checks)."""
        found = self.map_concurrently(self.get_device, devices, concurrency)
        return dict((device_id, device) for device_id, device in zip(devices, found) if device is not None)

    def precheck_action(self, spec, devices):
        """``{id: result}`` for the devices of ``action_targets()`` that must not be commanded."""
        return default_precheck(spec, devices)

    def send_action(self, spec, params, devices, concurrency=4):
        """Send the command; one result (actions.result()) per id, in order.  Never raises for a failed batch or
        device; a request that may have reached the server unanswered is ``unknown`` and never sent again."""
        raise NotSupportedError('device commands', self.name)

    def wait_actions(self, spec, results, timeout, interval=5.0):
        """Follow ``sent`` results to ``completed`` / ``failed`` in place, until ``timeout`` seconds passed.
        Returns False when the vendor gives no way to follow this command (results stay ``sent``)."""
        return False

    # Set by mdm_device_action while a command is sent (module_utils/send_control.SendControl): asked before each
    # request, told each result.
    send_control = None

    def send_each(self, send, items, concurrency):
        """``map_concurrently(send, items)`` for the requests of a device command; an item is one device id (``send``
        returns its result) or a list of ids (``send`` returns their results, in order).

        An exception while sending one item becomes ``unknown`` for its devices, with the reason: the request may have
        gone out, and the other devices keep their results.  Once send_control is asked to stop (SIGINT, SIGTERM), no
        further request starts; the devices not sent to are ``not_sent``."""
        control = self.send_control

        def guarded(item):
            ids = list(item) if isinstance(item, (list, tuple)) else [item]
            if control is not None and not control.starting(ids):
                got = control.not_sent(ids)
            else:
                try:
                    got = send(item)
                    got = list(got) if isinstance(item, (list, tuple)) else [got]
                except Exception as exc:  # pylint: disable=broad-except
                    reason = redact('%s: %s' % (type(exc).__name__, exc), self.transport.secrets)
                    got = [result(device_id, 'unknown', 'unexpected error while sending: %s; %s' % (reason, UNKNOWN_ADVICE))
                           for device_id in ids]
            if control is not None:
                control.finished(got)
            return got if isinstance(item, (list, tuple)) else got[0]
        return self.map_concurrently(guarded, items, concurrency)

    @staticmethod
    def map_concurrently(function, items, concurrency):
        """``[function(item) for item in items]``, ``concurrency`` at a time, in order."""
        items = list(items)
        workers = max(1, min(concurrency, len(items)))
        if workers == 1:
            return [function(item) for item in items]
        with ThreadPoolExecutor(max_workers=workers) as executor:
            return list(executor.map(function, items))

    def get_device(self, device_id, include_raw=False):
        device_id = self.normalise_device_id(device_id)
        if not device_id:
            raise InvalidInputError('a device id must not be empty', option='device_id')
        raw = self.get_device_record(device_id)
        if raw is None:
            return None
        return self.normalise(raw, include_raw=include_raw)

    def check_page_size(self, page_size):
        if page_size is None:
            return self.max_page_size
        if not isinstance(page_size, int) or page_size < 1 or page_size > self.max_page_size:
            raise InvalidInputError('page size %r is out of range for %s' % (page_size, self.name), option='page_size',
                                    allowed=['1 to %d' % self.max_page_size])
        return page_size

    # -- paging (module_utils/session.py) ------------------------------------------
    @property
    def listing_reports(self):
        """The ListingReport of every listing this adapter ran (session.ReportCollector)."""
        collector = self.__dict__.get('_listing_reports')
        if collector is None:
            collector = self.__dict__.setdefault('_listing_reports', ReportCollector())
        return collector

    def list_pages(self, fetch, page_size, concurrency, key, what, page_numbers=False):
        """Every item of a paged listing through the one paging engine (session.list_pages); its report is kept in
        listing_reports.  ``fetch(start, size)`` returns a session.Page or ``(items, total)``."""
        listing = list_pages(fetch, key, page_size, concurrency=concurrency, what=what, page_numbers=page_numbers)
        self.listing_reports.add(listing.report)
        return listing

    @staticmethod
    def fetch_index_pages(fetch, page_size, concurrency):
        """Items of a listing addressed by index, ``fetch(start) -> (items, total)``, through the paging engine; the
        items are their own ids (use list_pages() for records, which keeps the report)."""
        return list_pages(lambda start, _size: fetch(start), None, page_size, concurrency=concurrency)


def check_concurrency(concurrency):
    if concurrency is None:
        return 4
    if not isinstance(concurrency, int) or concurrency < 1 or concurrency > 32:
        raise InvalidInputError('concurrency %r is out of range' % (concurrency,), option='concurrency', allowed=['1 to 32'])
    return concurrency
