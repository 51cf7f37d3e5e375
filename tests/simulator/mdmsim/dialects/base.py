"""What every dialect shares: the request and response objects, the route table, and the Dialect a vendor package
subclasses (one route table, its error shapes, its configuration and connection parameters)."""

import base64
import binascii
import hashlib
import json
import re
from urllib.parse import parse_qs

ANY_METHOD = '*'
_PLACEHOLDER = re.compile(r'\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<kind>path))?\}')


class Request:
    """A parsed HTTP request as a dialect sees it."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        # The path parameters of the route that matched (its {placeholders} and its fixed values).
        self.params = {}

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


def seed_digest(seed):
    """A digest of the run seed, from which dialects derive their non-secret identifiers (billing id, client id)."""
    return hashlib.sha256(('ids:%s' % seed).encode()).hexdigest()


class Route:
    """One entry of a dialect's route table: method and path template -> handler.

    ``template`` is a literal path with placeholders: ``{name}`` matches one path segment, ``{name:path}`` the rest of
    the path (slashes included, possibly empty).  ``handler`` and ``guard`` name methods of the dialect, dotted for a
    part of it ('actions.device_action').  The guard runs first and refuses with a response, or returns None.  Extra
    keyword arguments are fixed parameters the handler reads from ``request.params`` beside the placeholders.
    """

    def __init__(self, method, template, handler, guard=None, **fixed):
        self.method = method
        self.template = template
        self.handler = handler
        self.guard = guard
        self.fixed = fixed
        pattern, position = [], 0
        for match in _PLACEHOLDER.finditer(template):
            pattern.append(re.escape(template[position:match.start()]))
            pattern.append('(?P<%s>%s)' % (match.group('name'), '.*' if match.group('kind') == 'path' else '[^/]+'))
            position = match.end()
        pattern.append(re.escape(template[position:]))
        self.pattern = re.compile(''.join(pattern))

    def sample_path(self):
        """A concrete path this route matches (each placeholder filled with a value no literal segment has)."""
        return _PLACEHOLDER.sub(lambda match: 'sample-%s' % match.group('name'), self.template)

    def match(self, method, path):
        """The request parameters when this route answers ``method path``, else None."""
        if self.method not in (ANY_METHOD, method):
            return None
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        return dict(found.groupdict(), **self.fixed)

    def __repr__(self):
        return 'Route(%s %s -> %s)' % (self.method, self.template, self.handler)


class RouteTable:
    """The routes of one dialect, tried in order; the first that matches answers."""

    def __init__(self, *routes):
        self.routes = tuple(routes)

    def __iter__(self):
        return iter(self.routes)

    def __len__(self):
        return len(self.routes)

    def match(self, method, path):
        """(route, params) of the first route that matches, or None."""
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None


def resolve(owner, dotted):
    """The attribute ``dotted`` ('users.get_accounts') of ``owner``."""
    value = owner
    for part in dotted.split('.'):
        value = getattr(value, part)
    return value


class Part:
    """A part of a dialect (actions, users, facts ...): handed the dialect, not mixed into it."""

    def __init__(self, dialect):
        self.dialect = dialect
        self.state = dialect.state
        self.name = dialect.name
        self.config = dialect.config


class Dialect:
    """A vendor API served by one HTTPS server of the simulator.

    A vendor package subclasses it and sets, beside ``name``: ``routes`` (its one RouteTable), ``error_body()`` (its
    error shape for the 'error_body' fault), ``configure()`` (its credentials), ``flavours()`` (the connection
    parameters of the modules), and where they apply the class attributes below.  The server, the state and the
    admin API learn everything vendor-specific from these, through the registry (mdmsim.dialects.REGISTRY).
    """

    name = ''
    routes = RouteTable()
    # The parts of the dialect, each handed the dialect: (attribute, Part subclass); routes name their handlers.
    parts = ()
    # Device records of this vendor are kept in the fleet (False for a server without devices, such as an OAuth server).
    has_fleet = True
    # The key of the logical device's 'ids' (fleet.Fleet.new_device) that holds this vendor's device id (device_id()).
    device_id_key = None
    # The vendor whose tokens this server issues and checks (the token store and token expiry are keyed by it).
    token_vendor = None
    # Seconds a token this server issues lives (None: the server issues no tokens).
    token_ttl = None
    # Path prefixes of login / token requests: never faulted while a fault spec has skip_auth on.
    login_prefixes = ()
    # Reply forms a run can switch on (admin PUT /reply_form): answers real servers give where they differ from the
    # references' examples.  Each dialect cites its source where it honours one.
    reply_forms = ()
    # Field names whose values are credentials wherever they appear (query strings, form bodies, JSON, XML).
    secret_fields = ()
    # Authorization header schemes of this vendor, and how the request log shows them: (lower-case prefix, shown).
    authorization_schemes = ()
    # Routes match the path without its trailing slash, unless a vendor's paths end in a value that may hold one.
    strip_trailing_slash = True

    def __init__(self, state, config):
        self.state = state
        self.config = config
        for attribute, part in self.parts:
            setattr(self, attribute, part(self))
        self.handlers = []
        for route in self.routes:
            self.handlers.append((resolve(self, route.guard) if route.guard else None, resolve(self, route.handler)))

    @classmethod
    def vendor(cls):
        """The vendor this server belongs to (its own name unless it serves another's tokens)."""
        return cls.token_vendor or cls.name

    @classmethod
    def configure(cls, state):  # pylint: disable=unused-argument
        """This server's configuration: the credentials it accepts, derived from the run seed (state.secret())."""
        return {}

    def flavours(self, url_of, ca_path):  # pylint: disable=unused-argument
        """{flavour: connection parameters of the modules} for this server; ``url_of(name)`` is a server's URL."""
        return {}

    def device_id(self, logical):
        """This vendor's id of a logical device: the fleet's id for it (a new vendor may derive one from
        logical['index'] instead, deterministic as everything in the fleet)."""
        return logical['ids'][self.device_id_key]

    def render(self, logical):
        """The vendor's record for one logical device."""
        raise NotImplementedError

    def public_record(self, record):
        """The record as the admin API shows it (a copy, without simulator-internal keys)."""
        return dict(record)

    def admin_users(self):
        """Control API: the user accounts as the vendor's API shows them (dialects with a user store)."""
        raise ValueError('vendor %s keeps no user accounts' % self.name)

    def admin_routes(self):
        """Routes this dialect adds to the admin API: {(method, path): handler(vendor, query, body)}."""
        return {}

    def is_auth_request(self, request):
        """True for the login / token endpoints (never faulted while skip_auth is on)."""
        return request.path.startswith(self.login_prefixes) if self.login_prefixes else False

    def error_body(self, request):
        """The 'error_body' fault: HTTP 200 whose body is the vendor's error shape instead of a result."""
        raise NotImplementedError

    # -- dispatch ---------------------------------------------------------------------------------------------------
    def handle(self, request):
        """Admit the request, find its route, run the route's guard and handler."""
        refused = self.admit(request)
        if refused is not None:
            return refused
        path = request.path.rstrip('/') if self.strip_trailing_slash else request.path
        for route, (guard, handler) in zip(self.routes, self.handlers):
            params = route.match(request.method, path)
            if params is None:
                continue
            request.params = params
            refused = guard(request) if guard is not None else None
            return refused if refused is not None else handler(request)
        return self.unmatched(request)

    def admit(self, request):  # pylint: disable=unused-argument
        """A refusal of any request before routing (an API that authenticates every call), or None."""
        return None

    def unmatched(self, request):
        """The reply when no route matches."""
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
