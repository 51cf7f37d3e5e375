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
import socket
import threading
import time

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
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
from ansible_collections.fleetops.mdm.plugins.module_utils.recorder import RecorderError, recorder_from_env
from ansible_collections.fleetops.mdm.plugins.module_utils.version import COLLECTION_VERSION

USER_AGENT = 'fleetops.mdm/%s (Ansible collection; +https://github.com/fleetops/fleetops.mdm)' % COLLECTION_VERSION

SAFE_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS'))
RETRY_STATUSES = frozenset((502, 503, 504))
# Never wait longer than this for one Retry-After; a server asking for more is
# reported as rate limited instead of hanging a playbook.
MAX_RETRY_AFTER = 120.0
# The largest reply read (after content decoding, so a compressed bomb is stopped too).  The largest documented
# replies are pages of at most 500 device records (MobileIron Cloud ``rows``) and Core's CSV export, a few MB for
# tens of thousands of devices; a reply beyond this is a fault, and reading it whole would exhaust the controller.
MAX_REPLY_BYTES = 32 * 1024 * 1024
READ_CHUNK = 64 * 1024


class Response:
    """What the adapters see of a reply: status, headers and body."""

    def __init__(self, status, headers, content, url=''):
        self.status = status
        self.headers = headers
        self.content = content
        self.url = url

    @property
    def text(self):
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.content.decode('utf-8', errors='replace') if self.content else ''

    @property
    def content_type(self):
        """The media type of the body, lower case, without parameters."""
        return (self.headers.get('Content-Type') or '').split(';')[0].strip().lower()

    def json(self):
        """The body read as JSON; ValueError when it is not JSON (or nested too deep to read)."""
        try:
            return json.loads(self.text)
        except ValueError as exc:
            raise ValueError('body is not valid JSON (%s)' % exc)
        except RecursionError:
            # Python's JSON reader recurses once per level: a hostile reply nested thousands of levels deep would
            # otherwise end the task with a bare "maximum recursion depth exceeded".
            raise ValueError('body is JSON nested too deeply to be read (more levels than this Python allows)')


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
        """Count one request of ``operation`` (``retry``: it repeats an earlier one)."""
        with self._lock:
            self.requests += 1
            if retry:
                self.retries += 1
            self.by_operation[operation] = self.by_operation.get(operation, 0) + 1

    def as_dict(self):
        """The counts as the modules report them."""
        with self._lock:
            return dict(requests=self.requests, retries=self.retries, by_operation=dict(self.by_operation))


class Transport:
    """One requests.Session per client, shared by its threads."""

    def __init__(self, vendor, base_url, validate_certs=True, ca_path=None, timeout=30, max_retries=5,
                 session=None, sleep=time.sleep, rand=random.random, backoff=0.5, backoff_max=30.0, pool_size=16,
                 max_reply_bytes=MAX_REPLY_BYTES):
        if not HAS_REQUESTS and session is None:
            raise MdmError('the Python library "requests" is required', vendor=vendor)
        self.vendor = vendor
        self.base_url = base_url.rstrip('/')
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.max_reply_bytes = int(max_reply_bytes)
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
            adapter = DeadlineAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
            session.mount('https://', adapter)
            session.mount('http://', adapter)
            # The standard proxy and CA-bundle variables apply (trust_env); ~/.netrc never does: every request
            # carries an explicit auth (keep_headers()) so requests does not replace our Authorization header.
            session.trust_env = True
        session.headers['User-Agent'] = USER_AGENT
        self.session = session
        # Opt-in recording of every exchange, secrets removed and personal data pseudonymised (docs/recording.md).
        try:
            self.recorder = recorder_from_env(vendor, self.base_url)
        except RecorderError as exc:
            raise MdmError(str(exc), vendor=vendor)

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
        """Every secret known so far (credentials, tokens): never in a message, log or result."""
        with self._secrets_lock:
            return frozenset(self._secrets)

    def scrub(self, text):
        """``text`` with every known secret redacted."""
        return redact(text, self.secrets)

    # -- requests ----------------------------------------------------------
    def url_for(self, path):
        """The absolute URL of a path on the server (a path that is already a URL is kept)."""
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
            # The whole exchange (connect, send, headers, body) must end within ``timeout``: requests' own timeout
            # bounds each socket read only, so a server dripping a byte a second would never time out.
            watch = _Deadline(self.timeout)
            _current.watch = watch
            try:
                raw = self.session.request(method, url, params=params, headers=headers, data=data, json=json_body,
                                           auth=auth if auth is not None else keep_headers,
                                           timeout=self.timeout, verify=self.verify, allow_redirects=False, stream=True)
                try:
                    content = self._read_body(raw, operation)
                finally:
                    close = getattr(raw, 'close', None)
                    if close is not None:
                        close()
            except MdmError:
                raise
            except (requests.exceptions.RequestException, ValueError) as exc:
                # The watchdog's shut-down socket can also surface from urllib3 as a ValueError ("Read on closed or
                # unwrapped SSL socket") while a body is streamed in; any other ValueError is no wire failure.
                if isinstance(exc, ValueError) and not watch.expired:
                    raise
                error, retry = self._failure(exc, url, operation, safe, watch.expired)
                if retry:
                    attempt = self._retry_or_raise(attempt, operation, error)
                    continue
                raise error
            finally:
                watch.cancel()
                _current.watch = None

            response = Response(raw.status_code, raw.headers, content, raw.url)
            if self.recorder is not None:
                self.recorder.record(method, url, params, headers, data, json_body, operation, attempt, response, self.secrets)
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

    def _read_body(self, raw, operation):
        """The reply body, read in chunks and refused beyond max_reply_bytes (never held whole when too big)."""
        limit = self.max_reply_bytes
        declared = _content_length(raw.headers)
        if declared is not None and declared > limit:
            raise self._too_big(raw, operation, 'announces %d bytes' % declared)
        iter_content = getattr(raw, 'iter_content', None)
        if iter_content is None or getattr(raw, 'raw', None) is None:
            # A stand-in (tests) or a reply that was read already.
            content = raw.content or b''
            if len(content) > limit:
                raise self._too_big(raw, operation, 'has %d bytes' % len(content))
            return content
        chunks = []
        size = 0
        for chunk in iter_content(READ_CHUNK):
            size += len(chunk)
            if size > limit:
                raise self._too_big(raw, operation, 'goes on past that')
            chunks.append(chunk)
        return b''.join(chunks)

    def _too_big(self, raw, operation, how):
        return BadResponseError(
            'the reply %s: more than the %s one reply may have (a misbehaving server or proxy?); nothing of it '
            'was used' % (how, _size_text(self.max_reply_bytes)),
            vendor=self.vendor, operation=operation, status=raw.status_code)

    def _failure(self, exc, url, operation, safe, deadline_passed):
        """The error for a failure on the wire, its cause first, and whether the request may be sent again."""
        where = _origin(url)
        kwargs = dict(vendor=self.vendor, operation=operation, secrets=self.secrets)
        cause = connection_cause(exc)
        if deadline_passed:
            # Our watchdog cut the connection: the server may have acted, as after any timeout.
            return TransportError('timeout: no complete reply from %s within %ss (timeout bounds the whole request, '
                                  'the server kept sending slowly or not at all)' % (where, self.timeout),
                                  maybe_sent=True, **kwargs), safe
        if cause == 'tls':
            return TLSError('TLS failure talking to %s: %s' % (where, _tls_reason(exc, self.secrets)), **kwargs), False
        if cause == 'dns':
            # Not retried: a name that does not resolve now will not resolve in a few seconds either (a retry loop
            # used to spend ~20 s on it).
            return TransportError('could not connect to %s: DNS: the host name %s does not resolve (check url and the '
                                  'DNS settings of the controller)' % (where, _hostname(url)), maybe_sent=False, **kwargs), False
        if cause == 'proxy':
            return TransportError('could not connect to %s: proxy: the HTTP(S) proxy failed or refused the connection '
                                  '(check HTTPS_PROXY / NO_PROXY): %s' % (where, _detail(exc, self.secrets)),
                                  maybe_sent=False, **kwargs), True
        if isinstance(exc, requests.exceptions.ConnectTimeout) or cause == 'connect-timeout':
            # A connect timeout means the request never left this host.
            return TransportError('could not connect to %s: timeout: no connection within %ss'
                                  % (where, self.timeout), maybe_sent=False, **kwargs), True
        if cause == 'refused':
            return TransportError('could not connect to %s: connection refused (nothing accepts connections on that '
                                  'port)' % where, maybe_sent=False, **kwargs), True
        if isinstance(exc, requests.exceptions.Timeout) or cause == 'timeout':
            return TransportError('timeout: no reply from %s within %ss' % (where, self.timeout),
                                  maybe_sent=True, **kwargs), safe
        if isinstance(exc, requests.exceptions.ConnectionError) and _never_sent(exc):
            return TransportError('could not connect to %s: %s' % (where, _detail(exc, self.secrets)),
                                  maybe_sent=False, **kwargs), True
        if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            return TransportError('connection to %s lost: %s' % (where, _detail(exc, self.secrets)),
                                  maybe_sent=True, **kwargs), safe
        return TransportError('request to %s failed: %s' % (where, _detail(exc, self.secrets)), maybe_sent=True, **kwargs), False

    def error_for(self, response, operation):
        """The typed MdmError for an error reply (401 / 403, 404, 429, 5xx, other), its body quoted without secrets."""
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
        """Close the pooled connections."""
        self.session.close()


def _host_of(url):
    """host[:port] of a URL, never its user information."""
    authority = str(url).split('://', 1)[-1].split('/', 1)[0]
    return authority.rsplit('@', 1)[-1]


def keep_headers(prepared):
    """A requests auth hook that changes nothing: with an explicit auth, requests never reads ~/.netrc."""
    return prepared


def _detail(exc, secrets=()):
    """The innermost reason of a requests / urllib3 failure, redacted whole and then shortened."""
    chain = _exception_chain(exc)
    innermost = chain[-1] if chain else exc
    text = str(innermost) or type(innermost).__name__
    # urllib3 prefixes reasons with an object repr ("<urllib3.connection.HTTPSConnection object at 0x...>: ...").
    if text.startswith('<') and '>: ' in text:
        text = text.split('>: ', 1)[1]
    return shorten(redact(text, secrets), 200)


def _exception_chain(exc, limit=12):
    """exc and the exceptions it wraps (args[0], .reason, __cause__, __context__), outermost first."""
    chain = []
    seen = set()
    todo = [exc]
    while todo and len(chain) < limit:
        current = todo.pop(0)
        if current is None or id(current) in seen or not isinstance(current, BaseException):
            continue
        seen.add(id(current))
        chain.append(current)
        todo.append(getattr(current, 'reason', None))
        if current.args and isinstance(current.args[0], BaseException):
            todo.append(current.args[0])
        todo.append(current.__cause__)
        todo.append(current.__context__)
    return chain


_DNS_WORDS = ('name or service not known', 'nodename nor servname', 'temporary failure in name resolution',
              'getaddrinfo failed', 'no address associated with hostname', 'failed to resolve', 'name resolution')


def connection_cause(exc):
    """What went wrong on the wire: dns, refused, tls, proxy, connect-timeout, timeout, reset or other."""
    chain = _exception_chain(exc)
    names = set(type(item).__name__ for item in chain)
    text = ' '.join(str(item) for item in chain).lower()
    if HAS_REQUESTS and any(isinstance(item, requests.exceptions.ProxyError) for item in chain):
        return 'proxy'
    if 'NameResolutionError' in names or any(isinstance(item, socket.gaierror) for item in chain) or \
            any(word in text for word in _DNS_WORDS):
        return 'dns'
    if any(isinstance(item, ConnectionRefusedError) for item in chain) or 'connection refused' in text:
        return 'refused'
    if HAS_REQUESTS and any(isinstance(item, requests.exceptions.SSLError) for item in chain) or 'SSLError' in names:
        return 'tls'
    if 'ConnectTimeoutError' in names:
        return 'connect-timeout'
    if 'ReadTimeoutError' in names or any(isinstance(item, socket.timeout) for item in chain):
        return 'timeout'
    if any(isinstance(item, ConnectionResetError) for item in chain) or 'RemoteDisconnected' in names:
        return 'reset'
    return 'other'


def _origin(url):
    """scheme://host[:port] of a URL, never its user information, path or query."""
    text = str(url)
    scheme, _sep, rest = text.partition('://')
    authority = rest.split('/', 1)[0].split('?', 1)[0].rsplit('@', 1)[-1]
    return '%s://%s' % (scheme, authority)


def _hostname(url):
    authority = _origin(url).split('://', 1)[-1]
    if authority.startswith('['):
        return authority.split(']', 1)[0] + ']'
    return authority.rsplit(':', 1)[0] if authority.count(':') == 1 else authority


def _size_text(size):
    megabyte = 1024 * 1024
    return '%d MB' % (size // megabyte) if size >= megabyte and size % megabyte == 0 else '%d bytes' % size


def _content_length(headers):
    try:
        value = headers.get('Content-Length')
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class _Deadline:
    """A watchdog for one request: when ``seconds`` have passed, it shuts the request's socket down.

    A blocked read then returns at once and requests raises; the transport sees ``expired`` and reports a timeout.
    The pool hands the connection over (attach) before anything is sent; while it is still connecting (no socket
    yet), the watchdog looks again shortly, and the connect timeout bounds that wait.
    """

    RECHECK = 0.1

    def __init__(self, seconds):
        self.expired = False
        self._cancelled = False
        self._conn = None
        self._lock = threading.Lock()
        self._timer = None
        self._arm(max(0.0, float(seconds)))

    def _arm(self, seconds):
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, conn):
        with self._lock:
            self._conn = conn

    def _fire(self):
        with self._lock:
            if self._cancelled:
                return
            self.expired = True
            sock = getattr(self._conn, 'sock', None) if self._conn is not None else None
            if sock is None:
                self._arm(self.RECHECK)
                return
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self):
        with self._lock:
            self._cancelled = True
            self._conn = None
            if self._timer is not None:
                self._timer.cancel()


# The deadline of the request the current thread is sending (each worker thread sends its own requests).
_current = threading.local()


class _WatchedPool:
    """Connection pools that hand each connection to the current request's deadline before using it."""

    def _make_request(self, conn, *args, **kwargs):
        watch = getattr(_current, 'watch', None)
        if watch is not None:
            watch.attach(conn)
        return super(_WatchedPool, self)._make_request(conn, *args, **kwargs)


if HAS_REQUESTS:
    class _WatchedHTTPConnectionPool(_WatchedPool, HTTPConnectionPool):
        pass

    class _WatchedHTTPSConnectionPool(_WatchedPool, HTTPSConnectionPool):
        pass

    class DeadlineAdapter(HTTPAdapter):
        """requests' HTTPAdapter whose pools report their connections to the request deadline."""

        def init_poolmanager(self, *args, **kwargs):
            super(DeadlineAdapter, self).init_poolmanager(*args, **kwargs)
            _watch_pools(self.poolmanager)

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            manager = super(DeadlineAdapter, self).proxy_manager_for(proxy, **proxy_kwargs)
            if not str(proxy).lower().startswith('socks'):  # SOCKS managers bring their own pool classes
                _watch_pools(manager)
            return manager


def _watch_pools(manager):
    classes = dict(manager.pool_classes_by_scheme)
    classes.update(http=_WatchedHTTPConnectionPool, https=_WatchedHTTPSConnectionPool)
    manager.pool_classes_by_scheme = classes


def _never_sent(exc):
    """True when a ConnectionError happened before the request reached the server."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, 'reason', reason)
    name = type(reason).__name__
    if name in ('NewConnectionError', 'ConnectTimeoutError', 'NameResolutionError'):
        return True
    text = str(exc)
    return 'Connection refused' in text or 'Failed to establish a new connection' in text


def _tls_reason(exc, secrets=()):
    text = str(exc)
    lowered = text.lower()
    if 'certificate has expired' in lowered or 'certificate expired' in lowered:
        return 'the server certificate has expired'
    if "hostname mismatch" in lowered or "doesn't match" in lowered or 'not valid for' in lowered:
        return 'the server certificate does not match the host name'
    if 'self signed' in lowered or 'self-signed' in lowered or 'unable to get local issuer' in lowered or 'unknown ca' in lowered:
        return 'the server certificate is not signed by a trusted CA (set ca_path to your private CA, or validate_certs: false)'
    if 'certificate verify failed' in lowered:
        return 'certificate verification failed: %s' % _detail(exc, secrets)
    return _detail(exc, secrets)
