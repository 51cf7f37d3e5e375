# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendor session every vendor package builds on: lazy, renewable authentication, authenticated calls, the
device listing through the one paging engine (module_utils/session.py) with the neutral filters of
module_utils/device.py, and the label memberships that listing can add.  A vendor's capabilities (commands, facts,
users, ...) are separate classes handed the session (vendors/capabilities.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import abc
import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    BadResponseError,
    InvalidInputError,
    NotSupportedError,
    basic_credential,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.device import device_matches, validate_neutral_filters
from ansible_collections.fleetops.mdm.plugins.module_utils.session import (
    Listing,
    ListingReport,
    ReportCollector,
    fold_reports,
    list_pages,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import (
    CONCURRENCY, DEVICE_ID, DEVICES, LISTING_FILTERS, LISTING_PAGE_SIZE, LISTING_VENDOR_FILTERS, require)

# Renew a token this long before the vendor says it expires.
TOKEN_RENEW_MARGIN = 300


class VendorSession(abc.ABC):
    """One vendor's connection: authentication, calls and the device listing behind the vendor-neutral calls."""

    name = None
    # The largest page the vendor's device listing allows.
    max_page_size = 100
    # Vendor-native device search filters (option ``vendor_filters``): name -> allowed values (None: any value).
    vendor_filters = {}
    # Does a 401 mean "log in again" (token auth), or are the credentials wrong (basic auth / API key)?
    renewable_auth = False
    # Headers every request of the vendor carries; a request's own headers and the auth headers win.
    default_headers = {}
    # The vendor filter that takes a free search query (mdm_device_action option query), None where there is none.
    query_filter = None
    # {capability name: the object providing it}, set when the vendor's declaration composes the session
    # (capabilities.VendorDeclaration.compose); ask vendors/registry.require() for one.
    capabilities = {}
    # {capability: why the vendor has it not} (capabilities.VendorDeclaration), worded into the registry's refusal.
    refusals = {}

    @classmethod
    def check_connection_options(cls, options):
        """Refuse a combination of connection options the vendor cannot use (client.check_connection_options() calls
        it, before any request, after the required options of the vendor's declaration are there).  Most vendors have
        none."""

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
        """call(), then the reply read as JSON (parse_json())."""
        response = self.call(method, path, operation, **kwargs)
        return self.parse_json(response, operation)

    def parse_json(self, response, operation):
        """A reply's JSON body ({} for an empty one); BadResponseError naming ``operation`` when it is not JSON."""
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
        """The BadResponseError for a reply that is not what the vendor documents (to raise)."""
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

    def check_device_ids(self, devices):
        """The ids as the vendor writes them (normalise_device_id()), each once and in order; InvalidInputError with
        the neutral key DEVICES for an id that cannot be one of this vendor's (vendors whose ids have a form check it)."""
        ids = []
        for device in devices or []:
            text = self.normalise_device_id(device) or ''
            problem = self.device_id_problem(text, device)
            if problem:
                raise InvalidInputError(problem, option=DEVICES)
            ids.append(text)
        return list(dict.fromkeys(ids))

    def device_id_problem(self, text, given):
        """Why ``text`` (``given``, normalised) cannot be one of this vendor's device ids; None when it can.  Vendors
        whose ids have a form say so here; every check of a device id before a request asks this."""
        return None if text else 'a device id must not be empty'

    def push_filters(self, filters):
        """Vendor search parameters that narrow the listing for the neutral filters (an optimisation only:
        every neutral filter is checked again on the normalised devices)."""
        return {}

    def check_vendor_filters(self, vendor_filters, option=LISTING_VENDOR_FILTERS):
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
        neutral = validate_neutral_filters(filters, option=LISTING_FILTERS)
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
        report = fold_reports(self.listing_reports.since(mark), getattr(records, 'report', None))
        return report if report is not None else ListingReport('devices')

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
        """``{device id: [label names]}`` for (at least) the given devices, from the vendor's labels or groups (its
        ``labels`` capability; a vendor without one overrides this or is refused)."""
        memberships = {}
        for label in require(self, 'labels').list_labels(with_members=True, concurrency=concurrency):
            for device_id in label['members']:
                memberships.setdefault(device_id, []).append(label['name'])
        return memberships

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
        """One device by id, normalised; None when there is no such device."""
        device_id = self.normalise_device_id(device_id)
        if not device_id:
            raise InvalidInputError('a device id must not be empty', option=DEVICE_ID)
        raw = self.get_device_record(device_id)
        if raw is None:
            return None
        return self.normalise(raw, include_raw=include_raw)

    def check_page_size(self, page_size):
        """The page size of the device listing: ``max_page_size`` when not given; InvalidInputError when out of
        range."""
        if page_size is None:
            return self.max_page_size
        if not isinstance(page_size, int) or page_size < 1 or page_size > self.max_page_size:
            raise InvalidInputError('page size %r is out of range for %s' % (page_size, self.name), option=LISTING_PAGE_SIZE,
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

    # Read page-number listings until two passes agree (session.list_pages ``confirm``): the modules whose listing
    # feeds a write set it, mdm_device_info and the inventory from their confirm_listing option.
    confirm_listings = False

    def list_pages(self, fetch, page_size, concurrency, key, what, page_numbers=False):
        """Every item of a paged listing through the one paging engine (session.list_pages); its report is kept in
        listing_reports.  ``fetch(start, size)`` returns a session.Page or ``(items, total)``."""
        listing = list_pages(fetch, key, page_size, concurrency=concurrency, what=what, page_numbers=page_numbers,
                             confirm=getattr(self, 'confirm_listings', False))
        self.listing_reports.add(listing.report)
        return listing


def check_concurrency(concurrency):
    """The number of requests sent at once (default 4); InvalidInputError outside 1 to 32."""
    if concurrency is None:
        return 4
    if not isinstance(concurrency, int) or concurrency < 1 or concurrency > 32:
        raise InvalidInputError('concurrency %r is out of range' % (concurrency,), option=CONCURRENCY, allowed=['1 to 32'])
    return concurrency
