"""What every dialect shares: the request and response objects and a few helpers."""

import base64
import binascii
import json
from urllib.parse import parse_qs


class Request:
    """A parsed HTTP request as a dialect sees it."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name, default=''):
        return self.headers.get(name, default) or default

    def form(self):
        """Query string and form-encoded body together (body wins)."""
        merged = dict(self.query)
        if 'x-www-form-urlencoded' in self.header('Content-Type'):
            merged.update(parse_qs(self.body.decode('utf-8', 'replace'), keep_blank_values=True))
        return merged

    def wants_json(self):
        return 'json' in self.header('Accept').lower()

    def basic_auth(self):
        """(username, password) from an HTTP Basic Authorization header, or None."""
        value = self.header('Authorization')
        if not value.lower().startswith('basic '):
            return None
        try:
            decoded = base64.b64decode(value[6:].strip(), validate=True).decode('utf-8')
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, sep, password = decoded.partition(':')
        return (username, password) if sep else None


class Response:
    """What a dialect returns; authenticated=True marks a request that passed token/credential checks."""

    def __init__(self, status, body=b'', content_type='application/json;charset=UTF-8', headers=None, authenticated=False):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode('utf-8')
        self.headers = [('Content-Type', content_type)] + list(headers or [])
        self.authenticated = authenticated


def json_response(status, payload, **kwargs):
    return Response(status, json.dumps(payload, ensure_ascii=False), **kwargs)


def int_arg(request, name, default):
    """An integer query parameter; None when present but not an integer."""
    raw = request.arg(name)
    if raw is None or raw == '':
        return default
    try:
        return int(raw)
    except ValueError:
        return None


class Dialect:
    """A vendor API. Subclasses set name and implement is_auth_request() and handle()."""

    name = ''

    def __init__(self, state, config):
        self.state = state
        self.config = config

    def render(self, logical):
        """The vendor's record for one logical device."""
        raise NotImplementedError

    def public_record(self, record):
        """The record as the admin API shows it (a copy, without simulator-internal keys)."""
        return dict(record)

    def is_auth_request(self, request):  # pylint: disable=unused-argument
        """True for the login / token endpoints (never faulted while skip_auth is on)."""
        return False

    def handle(self, request):
        raise NotImplementedError

    def set_labels(self, entry, labels):
        """Change the labels / groups of one device of this vendor only.

        The logical device is shared by every vendor's fleet: it is copied before the change, so that a write to
        one vendor never shows through another vendor's API.  Call with the state lock held.
        """
        entry.logical = dict(entry.logical, labels=sorted(set(labels)))

    def read_json(self, request):
        """The JSON body of a request, or None when it is not JSON."""
        try:
            return json.loads(request.body.decode('utf-8')) if request.body else None
        except (UnicodeDecodeError, ValueError):
            return None
