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

import re

VENDOR_NAMES = {
    'maas360': 'IBM MaaS360',
    'manageengine': 'ManageEngine MDM',
    'mobileiron_core': 'MobileIron Core',
    'mobileiron_cloud': 'MobileIron Cloud',
}

REDACTED = '********'
_MIN_SECRET_LEN = 4
# Credentials can also hide in text we did not build ourselves (a proxy echoing a
# request line, a vendor error quoting the query string).
_SECRET_PATTERNS = (
    re.compile(r'(?i)(authorization\s*[:=]\s*)([^\r\n,;]+)'),
    re.compile(r'(?i)((?:password|passwd|secret|token|access_?key|api_?key|refresh_token|client_secret)'
               r'["\']?\s*[:=]\s*["\']?)([^"\'&\s<,;}]+)'),
    re.compile(r'(?i)(<(?:password|appAccessKey|authToken)>)([^<]*)'),
    re.compile(r'(?i)(MaaS token=")([^"]*)'),
)


def redact(text, secrets=()):
    """Return text with every known secret and every credential-looking value masked."""
    if text is None:
        return None
    text = str(text)
    for secret in sorted((s for s in secrets if s and len(str(s)) >= _MIN_SECRET_LEN), key=len, reverse=True):
        text = text.replace(str(secret), REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def vendor_display_name(vendor):
    return VENDOR_NAMES.get(vendor, vendor or 'MDM')


class MdmError(Exception):
    """Base of every error the client raises."""

    error_type = 'mdm_error'

    def __init__(self, message, vendor=None, operation=None, status=None, secrets=()):
        self.message = redact(message, secrets)
        self.vendor = vendor
        self.operation = operation
        self.status = status
        super(MdmError, self).__init__(str(self))

    def __str__(self):
        where = vendor_display_name(self.vendor) if self.vendor else 'MDM'
        if self.operation:
            where = '%s: %s failed' % (where, self.operation)
        if self.status is not None:
            where = '%s (HTTP %s)' % (where, self.status)
        return '%s: %s' % (where, self.message)

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
