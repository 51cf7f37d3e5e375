# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP stack of the collection: a requests.Session with pooling, TLS
settings, timeouts and bounded, jittered retries.

Retry policy (why each case is safe):
- the connection could not be opened (refused, connect timeout): the server never
  saw the request, so any request may be sent again;
- 429 Too Many Requests: the server refused to process it; honour Retry-After;
- 502 / 503 / 504 and a connection dropped after sending: retried only for
  requests marked ``safe`` (reads and writes the vendor documents as idempotent).
  A device command is never blindly re-sent: the caller gets a TransportError
  with ``maybe_sent=True`` and decides.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import json
import random
import threading
import time

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the sanity import test
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    BadResponseError,
    InvalidInputError,
    MdmError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TLSError,
    TransportError,
    redact,
    shorten,
    vendor_display_name,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.version import COLLECTION_VERSION

USER_AGENT = 'fleetops.mdm/%s (Ansible collection; +https://github.com/fleetops/fleetops.mdm)' % COLLECTION_VERSION

SAFE_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS'))
RETRY_STATUSES = frozenset((502, 503, 504))
# Never wait longer than this for one Retry-After; a server asking for more is
# reported as rate limited instead of hanging a playbook.
MAX_RETRY_AFTER = 120.0


class Response:
    """What the adapters see of a reply: status, headers and body."""

    def __init__(self, status, headers, content, url=''):
        self.status = status
        self.headers = headers
        self.content = content
        self.url = url

    @property
    def text(self):
        return self.content.decode('utf-8', errors='replace') if self.content else ''

    @property
    def content_type(self):
        return (self.headers.get('Content-Type') or '').split(';')[0].strip().lower()

    def json(self):
        try:
            return json.loads(self.text)
        except ValueError as exc:
            raise ValueError('body is not valid JSON (%s)' % exc)


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def describe_body(response, limit=300, secrets=()):
    """A short, human description of an error body: the vendor's message where we can find it.

    The text is redacted whole (every secret in ``secrets`` and every credential-looking value)
    BEFORE it is shortened: a secret cut in two is no longer recognised, and its first half leaks.
    """
    ctype = response.content_type
    text = response.text.strip()
    if not text:
        return 'empty reply'
    if 'html' in ctype or text[:15].lower().startswith(('<!doctype html', '<html')):
        return 'an HTML page instead of an API reply (a proxy or load balancer answered?)'
    if 'json' in ctype or text[:1] in '{[':
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return 'malformed JSON: %s' % shorten(redact(text, secrets), limit)
        found = _find_message(data)
        if found:
            return shorten(redact(found, secrets), limit)
    return shorten(redact(text, secrets), limit)


_MESSAGE_KEYS = ('errorDesc', 'error_description', 'message', 'messages', 'error', 'errors', 'errorMessage', 'description',
                 'error_code', 'errorCode')


def _find_message(data, depth=0):
    if depth > 3:
        return None
    if isinstance(data, dict):
        for key in _MESSAGE_KEYS:
            if data.get(key) not in (None, '', [], {}):
                value = data[key]
                if isinstance(value, (dict, list)):
                    nested = _find_message(value, depth + 1)
                    if nested:
                        return nested
                    return json.dumps(value)
                return str(value)
        for value in data.values():
            if isinstance(value, (dict, list)):
                nested = _find_message(value, depth + 1)
                if nested:
                    return nested
    elif isinstance(data, list):
        parts = [p for p in (_find_message(item, depth + 1) if isinstance(item, (dict, list)) else str(item) for item in data[:5]) if p]
        return '; '.join(parts) if parts else None
    return None


class Stats:
    """Request counters; shared by the threads of one client."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self.by_operation = {}

    def count(self, operation, retry=False):
        with self._lock:
            self.requests += 1
            if retry:
                self.retries += 1
            self.by_operation[operation] = self.by_operation.get(operation, 0) + 1

    def as_dict(self):
        with self._lock:
            return dict(requests=self.requests, retries=self.retries, by_operation=dict(self.by_operation))


class Transport:
    """One requests.Session per client, shared by its threads."""

    def __init__(self, vendor, base_url, validate_certs=True, ca_path=None, timeout=30, max_retries=5,
                 session=None, sleep=time.sleep, rand=random.random, backoff=0.5, backoff_max=30.0, pool_size=16):
        if not HAS_REQUESTS and session is None:
            raise MdmError('the Python library "requests" is required', vendor=vendor)
        self.vendor = vendor
        self.base_url = base_url.rstrip('/')
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.backoff = backoff
        self.backoff_max = backoff_max
        self._sleep = sleep
        self._rand = rand
        self._secrets = set()
        self._secrets_lock = threading.Lock()
        self.stats = Stats()
        if validate_certs:
            self.verify = ca_path or True
        else:
            self.verify = False
        # Said once per client, shown by the caller (module warnings, the inventory's display): the client never
        # imports AnsibleModule.
        self.warnings = []
        self.warn_if_plain_http(self.base_url, 'url')
        if not validate_certs and self.base_url.lower().startswith('https://'):
            self.warnings.append(
                '%s: validate_certs is false: the server certificate is not checked, so anyone on the network path can '
                'pose as %s and receive the credentials; set ca_path to a private CA instead'
                % (vendor_display_name(vendor), _host_of(self.base_url)))
        if session is None:
            session = requests.Session()
            # urllib3 retries nothing by itself (max_retries=0): every retry decision is ours.
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
            session.mount('https://', adapter)
            session.mount('http://', adapter)
            # The standard proxy and CA-bundle variables apply (trust_env); ~/.netrc never does: every request
            # carries an explicit auth (keep_headers()) so requests does not replace our Authorization header.
            session.trust_env = True
        session.headers['User-Agent'] = USER_AGENT
        self.session = session

    def warn_if_plain_http(self, url, option):
        """Warn about an http:// URL: credentials and device data would cross the network in clear text."""
        if str(url).lower().startswith('http://'):
            self.warnings.append(
                '%s: %s uses http://: credentials, tokens and device data are sent unencrypted to %s; use https://'
                % (vendor_display_name(self.vendor), option, _host_of(url)))

    # -- secrets ---------------------------------------------------------
    def add_secret(self, value):
        """Register a value that must never appear in a message (passwords, keys, tokens)."""
        if value:
            with self._secrets_lock:
                self._secrets.add(str(value))

    @property
    def secrets(self):
        with self._secrets_lock:
            return frozenset(self._secrets)

    def scrub(self, text):
        return redact(text, self.secrets)

    # -- requests ----------------------------------------------------------
    def url_for(self, path):
        if path.startswith(('https://', 'http://')):
            return path
        return self.base_url + '/' + path.lstrip('/')

    def request(self, method, path, operation, params=None, headers=None, data=None, json_body=None, auth=None,
                safe=None, ok=(200, 201, 202, 204)):
        """Send one logical request (with its retries) and return a Response with an ok status.

        ``safe``: may this request be repeated when the server may have seen it?
        Defaults to True for GET/HEAD/OPTIONS and False otherwise.
        """
        method = method.upper()
        if safe is None:
            safe = method in SAFE_METHODS
        url = self.url_for(path)
        attempt = 0
        while True:
            retrying = attempt > 0
            self.stats.count(operation, retry=retrying)
            try:
                raw = self.session.request(method, url, params=params, headers=headers, data=data, json=json_body,
                                           auth=auth if auth is not None else keep_headers,
                                           timeout=self.timeout, verify=self.verify, allow_redirects=False)
            except requests.exceptions.SSLError as exc:
                raise TLSError('TLS failure talking to %s: %s' % (self.base_url, _tls_reason(exc)),
                               vendor=self.vendor, operation=operation, secrets=self.secrets)
            except requests.exceptions.ConnectTimeout:
                # A connect timeout means the request never left this host.
                attempt = self._retry_or_raise(attempt, operation, TransportError(
                    'could not connect to %s within %ss' % (self.base_url, self.timeout),
                    vendor=self.vendor, operation=operation, maybe_sent=False))
                continue
            except requests.exceptions.ConnectionError as exc:
                never_sent = _never_sent(exc)
                error = TransportError(
                    ('could not connect to %s: %s' if never_sent else 'connection to %s lost: %s') % (self.base_url, _short(exc)),
                    vendor=self.vendor, operation=operation, maybe_sent=not never_sent, secrets=self.secrets)
                if never_sent or safe:
                    attempt = self._retry_or_raise(attempt, operation, error)
                    continue
                raise error
            except requests.exceptions.Timeout:
                error = TransportError('no reply from %s within %ss' % (self.base_url, self.timeout),
                                       vendor=self.vendor, operation=operation, maybe_sent=True)
                if safe:
                    attempt = self._retry_or_raise(attempt, operation, error)
                    continue
                raise error
            except requests.exceptions.RequestException as exc:
                raise TransportError('request failed: %s' % _short(exc), vendor=self.vendor, operation=operation,
                                     maybe_sent=True, secrets=self.secrets)

            response = Response(raw.status_code, raw.headers, raw.content, raw.url)
            status = response.status
            if status in ok:
                return response
            if status == 429:
                wait = parse_retry_after(response.headers.get('Retry-After'))
                error = RateLimitedError('rate limited by the server (%s)' % describe_body(response, secrets=self.secrets), vendor=self.vendor,
                                         operation=operation, status=status, secrets=self.secrets)
                if wait is not None and wait > MAX_RETRY_AFTER:
                    raise error
                attempt = self._retry_or_raise(attempt, operation, error, wait=wait)
                continue
            if status in RETRY_STATUSES and safe:
                error = ServerError(describe_body(response, secrets=self.secrets), vendor=self.vendor, operation=operation, status=status,
                                    secrets=self.secrets)
                attempt = self._retry_or_raise(attempt, operation, error, wait=parse_retry_after(response.headers.get('Retry-After')))
                continue
            raise self.error_for(response, operation)

    def error_for(self, response, operation):
        status = response.status
        message = describe_body(response, secrets=self.secrets)
        kwargs = dict(vendor=self.vendor, operation=operation, status=status, secrets=self.secrets)
        if status in (401, 403):
            return AuthenticationError(
                ('credentials rejected: %s' if status == 401 else 'permission denied: %s') % message, **kwargs)
        if status == 404:
            return NotFoundError(message, **kwargs)
        if status == 429:
            return RateLimitedError(message, **kwargs)
        if 400 <= status < 500:
            return InvalidInputError('the server rejected the request: %s' % message, **kwargs)
        if status >= 500:
            return ServerError(message, **kwargs)
        return BadResponseError('unexpected HTTP status: %s' % message, **kwargs)

    def _retry_or_raise(self, attempt, operation, error, wait=None):
        if attempt >= self.max_retries:
            raise error
        if wait is None:
            # Full jitter: spread retries of concurrent workers apart.
            wait = min(self.backoff_max, self.backoff * (2 ** attempt)) * (0.5 + self._rand() / 2)
        self._sleep(wait)
        return attempt + 1

    def close(self):
        self.session.close()


def _host_of(url):
    """host[:port] of a URL, never its user information."""
    authority = str(url).split('://', 1)[-1].split('/', 1)[0]
    return authority.rsplit('@', 1)[-1]


def keep_headers(prepared):
    """A requests auth hook that changes nothing: with an explicit auth, requests never reads ~/.netrc."""
    return prepared


def _short(exc):
    text = str(exc)
    return text if len(text) < 300 else text[:300] + '...'


def _never_sent(exc):
    """True when a ConnectionError happened before the request reached the server."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, 'reason', reason)
    name = type(reason).__name__
    if name in ('NewConnectionError', 'ConnectTimeoutError', 'NameResolutionError'):
        return True
    text = str(exc)
    return 'Connection refused' in text or 'Failed to establish a new connection' in text


def _tls_reason(exc):
    text = str(exc)
    lowered = text.lower()
    if 'certificate has expired' in lowered or 'certificate expired' in lowered:
        return 'the server certificate has expired'
    if "hostname mismatch" in lowered or "doesn't match" in lowered or 'not valid for' in lowered:
        return 'the server certificate does not match the host name'
    if 'self signed' in lowered or 'self-signed' in lowered or 'unable to get local issuer' in lowered or 'unknown ca' in lowered:
        return 'the server certificate is not signed by a trusted CA (set ca_path to your private CA, or validate_certs: false)'
    if 'certificate verify failed' in lowered:
        return 'certificate verification failed: %s' % _short(exc)
    return _short(exc)
