# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors of the MDM client.

Every error names the vendor, the operation and (where there was one) the HTTP
status.  Messages are scrubbed of every secret the client knows before they are
stored, so printing an error can never leak a password or a token.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import re

try:
    from urllib.parse import quote, quote_plus
except ImportError:  # pragma: no cover - Python 2 is not supported, the import test still parses this
    from urllib import quote, quote_plus

REDACTED = '********'
_MIN_SECRET_LEN = 4
# Credentials can also hide in text we did not build ourselves (a proxy echoing a
# request line or the request headers, a vendor error quoting the query string).
# Header forms: ``Authorization: x``, ``"Authorization": "x"`` (JSON), ``'Authorization': 'x'``
# (a Python dict's repr), with or without escaped quotes inside the value.
_SECRET_PATTERNS = (
    re.compile(r'(?i)(MaaS token=\\*")([^"\\]*)'),
    re.compile(r'(?i)((?:proxy-)?authorization\\*["\']?\s*[:=]\s*\\*["\']?)((?:[^"\'\\\r\n,;}]|\\(?!["\']))+)'),
    re.compile(r'(?i)((?:password|passwd|secret|token|access_?key|api_?key|refresh_token|client_secret)'
               r'\\?["\']?\s*[:=]\s*\\?["\']?)([^"\'\\&\s<,;}]+)'),
    re.compile(r'(?i)(<(?:password|appAccessKey|authToken|refreshToken)>)([^<]*)'),
    re.compile(r'(?i)(Zoho-oauthtoken\s+)([^\s"\'\\,;]+)'),
    # Credentials inside a URL: scheme://user:password@host
    re.compile(r'(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@"\']*:)([^@/\s"\']+)(?=@)'),
)


def secret_forms(secret):
    """Every spelling of a secret that a message may carry.

    A server or a library quotes what it received in its own encoding: raw, as a Python
    repr, JSON-escaped, URL-quoted (form bodies and query strings, ``+`` or ``%20`` for a
    space) and base64 (an HTTP Basic header carries ``user:password`` so encoded; the
    user-and-password form is registered by the adapter, which knows the user).
    """
    secret = str(secret)
    forms = set([secret])
    forms.add(repr(secret)[1:-1])
    forms.add(json.dumps(secret)[1:-1])
    forms.add(json.dumps(secret, ensure_ascii=False)[1:-1])
    for quote_fn in (quote, quote_plus):
        forms.add(quote_fn(secret, safe=''))
        forms.add(quote_fn(secret))
    forms.add(base64.b64encode(secret.encode('utf-8')).decode('ascii'))
    return [form for form in forms if len(form) >= _MIN_SECRET_LEN]


def basic_credential(username, password):
    """The base64 ``user:password`` of an HTTP Basic header (a secret in its own right)."""
    return base64.b64encode(('%s:%s' % (username or '', password or '')).encode('utf-8')).decode('ascii')


def redact(text, secrets=()):
    """Return text with every known secret (in every encoding) and every credential-looking value masked.

    Always redact the WHOLE text and shorten it afterwards: a secret cut in two by a
    shortening is no longer found, and its first half leaks.
    """
    if text is None:
        return None
    text = str(text)
    forms = set()
    for secret in secrets:
        if secret and len(str(secret)) >= _MIN_SECRET_LEN:
            forms.update(secret_forms(secret))
    for form in sorted(forms, key=len, reverse=True):
        if form in text:
            text = text.replace(form, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def shorten(text, limit=300):
    """The first ``limit`` characters of an already redacted text, marked when cut."""
    text = '' if text is None else str(text)
    return text if len(text) <= limit else text[:limit] + '...'


def vendor_display_name(vendor):
    """The name users know a vendor by (``IBM MaaS360`` for ``maas360``, its declaration's display_name); the text
    itself for an unknown one."""
    # Imported here, not at the top: the vendor packages the registry imports import this module.
    from ansible_collections.fleetops.mdm.plugins.module_utils.vendors import registry

    declaration = getattr(registry, 'VENDORS', {}).get(vendor)  # VENDORS is missing while the registry is imported
    return declaration.display_name if declaration is not None else (vendor or 'MDM')


class MdmError(Exception):
    """Base of every error the client raises."""

    error_type = 'mdm_error'

    # A safety net for texts quoted from a server: long enough for any message we build ourselves.
    max_message = 4000

    def __init__(self, message, vendor=None, operation=None, status=None, secrets=()):
        # Redact the whole text first, then shorten (see redact()).
        self.message = shorten(redact(message, secrets), self.max_message)
        self.vendor = vendor
        self.operation = operation
        self.status = status
        super(MdmError, self).__init__(str(self))

    def __str__(self):
        # One prefix form for every message: "<vendor>: [<operation> failed [(HTTP n)]: ]<what>".  The vendor is
        # unknown only when the vendor option itself is missing or wrong; the runner and the inventory plugin fill
        # it in (with_vendor) for errors raised where it was not at hand.
        where = vendor_display_name(self.vendor) if self.vendor else 'MDM'
        if self.operation:
            where = '%s: %s failed' % (where, self.operation)
        if self.status is not None:
            where = '%s (HTTP %s)' % (where, self.status)
        return '%s: %s' % (where, self.message)

    def with_vendor(self, vendor):
        """Name the vendor when the code that raised the error did not; returns self."""
        if not self.vendor and vendor:
            self.vendor = vendor
            self.args = (str(self),)
        return self

    def to_dict(self):
        """Keyword arguments for fail_json / a per-item error record."""
        return dict(
            msg=str(self),
            error_type=self.error_type,
            vendor=self.vendor,
            operation=self.operation,
            http_status=self.status,
        )


class InvalidInputError(MdmError):
    """Bad options, found before any request is sent, or a request the server rejected as invalid."""

    error_type = 'invalid_input'

    def __init__(self, message, option=None, allowed=None, **kwargs):
        self.option = option
        self.allowed = list(allowed) if allowed is not None else None
        if option and allowed is not None:
            message = '%s (option %s; allowed: %s)' % (message, option, ', '.join(str(a) for a in self.allowed))
        elif option:
            message = '%s (option %s)' % (message, option)
        super(InvalidInputError, self).__init__(message, **kwargs)

    def with_option_names(self, names):
        """Name the module's option where a capability named a neutral field key (``devices``, ``device_fields.x``):
        ``names`` maps a key to the option; the message's "(option ...)" follows.  Returns self."""
        head, dot, rest = (self.option or '').partition('.')
        if head in names:
            option = names[head] + dot + rest
            marker = '(option %s' % self.option
            at = self.message.rfind(marker)
            if at >= 0:
                self.message = '%s(option %s%s' % (self.message[:at], option, self.message[at + len(marker):])
            self.option = option
            self.args = (str(self),)
        return self


class AuthenticationError(MdmError):
    error_type = 'authentication_failed'


class NotFoundError(MdmError):
    error_type = 'not_found'


class NotSupportedError(MdmError):
    error_type = 'not_supported'

    def __init__(self, what, vendor, **kwargs):
        super(NotSupportedError, self).__init__(
            '%s is not supported by %s' % (what, vendor_display_name(vendor)), vendor=vendor, **kwargs)


class RateLimitedError(MdmError):
    error_type = 'rate_limited'


class ServerError(MdmError):
    error_type = 'server_error'


class BadResponseError(MdmError):
    """The server answered, but not with something we can use (malformed body, HTML from a proxy, an error inside a 200)."""

    error_type = 'bad_response'


class TransportError(MdmError):
    """The request failed on the wire (TLS, timeout, connection refused or reset)."""

    error_type = 'transport_error'

    def __init__(self, message, maybe_sent=False, **kwargs):
        # maybe_sent: the server may have received (and acted on) the request.
        self.maybe_sent = maybe_sent
        super(TransportError, self).__init__(message, **kwargs)


class TLSError(TransportError):
    error_type = 'tls_error'
