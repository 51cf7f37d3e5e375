"""The HTTPS servers (one per dialect), the plain-HTTP admin server, and `serve` which runs them all.

Nothing here names a vendor: the servers, their credentials and connection parameters, the admin routes a vendor adds
and the error-body fault all come from the dialect registry (mdmsim.dialects.REGISTRY).
"""

import json
import os
import signal
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import trustme

from mdmsim import device_control
from mdmsim.dialects import REGISTRY
from mdmsim.dialects.base import Request, Response, json_response
from mdmsim.state import DRIP_INTERVAL, DRIP_MAX_BYTES, HUGE_BYTES, LISTING_TARGETS, REDACTED, Entry, SimState, listing_key

HOST = '127.0.0.1'
LOGGED_HEADERS = ('Content-Type', 'Accept', 'User-Agent', 'Authorization')
MAX_LOGGED_BODY = 65536
HTML_ERROR = ('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>'
              '<hr><center>nginx</center></body></html>')
REASONS = {'500': 'Internal Server Error', '502': 'Bad Gateway', '503': 'Service Unavailable', '504': 'Gateway Timeout'}


# The standard HTTP schemes, then each dialect's own: (lower-case prefix, as the request log shows it).
AUTHORIZATION_SCHEMES = (('basic ', 'Basic <redacted>'), ('bearer ', 'Bearer <redacted>')) + tuple(
    scheme for dialect in REGISTRY for scheme in dialect.authorization_schemes)


def redact_authorization(value):
    if not value:
        return value
    for scheme, shown in AUTHORIZATION_SCHEMES:
        if value.lower().startswith(scheme):
            return shown
    return REDACTED


class QuietHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 60

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """The request log is the simulator's own; nothing goes to stderr."""

    def read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length > 0 else b''

    def send(self, status, body, headers):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)


class VendorHandler(QuietHandler):
    """Runs one request through fault injection, the vendor dialect and the request log."""

    def do_GET(self):  # pylint: disable=invalid-name
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def dispatch(self):
        state = self.server.state
        dialect = self.server.dialect
        parts = urlsplit(self.path)
        request = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True), self.headers, self.read_body())
        kind, latency, retry_after = state.pick_fault(dialect.name, self.command, parts.path, dialect.is_auth_request(request))
        delay = (state.latency_ms + latency) / 1000.0
        if delay > 0:
            time.sleep(delay)
        entry = self.log_entry(request, kind)
        if kind == 'reset':
            self.drop(entry)
            return
        if kind in REASONS or kind in ('429', 'html'):
            response = self.fault_response(kind, retry_after)
        elif kind == 'error_body':
            response = dialect.error_body(request)
        else:
            try:
                response = dialect.handle(request)
            except Exception:  # pylint: disable=broad-exception-caught
                # A simulator bug must show as a 500 in the log, not as a silent hang of the client.
                response = json_response(500, {'error': 'simulator internal error'})
            if response.authenticated:
                state.note_authenticated(dialect.name)
            if kind == 'malformed':
                response = Response(200, response.body[:max(1, len(response.body) // 2)], response.headers[0][1])
        if kind == 'reset_after':
            self.drop(entry)
            return
        entry['status'] = response.status
        state.append_log(entry)
        if kind == 'drip':
            self.send_dripping(response.status, response.body, response.headers)
            return
        if kind == 'huge':
            self.send_huge()
            return
        self.send(response.status, response.body, response.headers)

    def send_dripping(self, status, body, headers):
        """The real reply, its body a byte every DRIP_INTERVAL seconds (bounded), until the client gives up."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        try:
            self.wfile.flush()
            for index in range(min(len(body), DRIP_MAX_BYTES)):
                self.wfile.write(body[index:index + 1])
                self.wfile.flush()
                time.sleep(DRIP_INTERVAL)
            self.wfile.write(body[DRIP_MAX_BYTES:])
        except OSError:
            self.close_connection = True

    def send_huge(self):
        """200 with a chunked JSON body of HUGE_BYTES (no Content-Length: the client must count)."""
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Transfer-Encoding', 'chunked')
        self.end_headers()
        chunk = b' ' * (1024 * 1024)
        try:
            self._write_chunk(b'{"padding": "')
            for _chunk_number in range(HUGE_BYTES // len(chunk)):
                self._write_chunk(chunk)
            self._write_chunk(b'"}')
            self.wfile.write(b'0\r\n\r\n')
        except OSError:
            pass
        self.close_connection = True

    def _write_chunk(self, data):
        self.wfile.write(b'%x\r\n%s\r\n' % (len(data), data))

    def drop(self, entry):
        """Close the connection without any reply."""
        entry['status'] = None
        self.server.state.append_log(entry)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    @staticmethod
    def fault_response(kind, retry_after):
        if kind == '429':
            headers = [] if retry_after is None else [('Retry-After', str(retry_after))]
            return json_response(429, {'error': 'Too Many Requests'}, headers=headers)
        if kind == 'html':
            return Response(502, HTML_ERROR, content_type='text/html')
        return json_response(int(kind), {'error': REASONS[kind]})

    def log_entry(self, request, fault):
        state = self.server.state
        headers = {name: request.headers.get(name) for name in LOGGED_HEADERS if request.headers.get(name) is not None}
        if 'Authorization' in headers:
            headers['Authorization'] = redact_authorization(headers['Authorization'])
        query = {key: [REDACTED if key in state.secret_fields else state.redact_text(value) for value in values]
                 for key, values in request.query.items()}
        body = request.body[:MAX_LOGGED_BODY].decode('utf-8', 'replace')
        return {'seq': None, 'ts': time.time(), 'vendor': self.server.dialect.name, 'method': request.method,
                'path': state.redact_text(request.path), 'query': query, 'headers': headers,
                'body': state.redact_text(body) if body else None, 'status': None, 'fault': fault}


class TLSServer(ThreadingHTTPServer):
    """TLS is negotiated in the request thread, so a slow handshake never blocks the accept loop."""

    daemon_threads = True

    def __init__(self, context, dialect, state):
        super().__init__((HOST, 0), VendorHandler)
        self.context = context
        self.dialect = dialect
        self.state = state

    def finish_request(self, request, client_address):
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            try:
                tls.close()
            except OSError:
                pass


class AdminHandler(QuietHandler):
    """Control API (plain HTTP, JSON) used by mdmsim.control.Simulator."""

    def do_GET(self):  # pylint: disable=invalid-name
        self.route()

    do_POST = do_PUT = do_DELETE = do_GET

    def reply(self, status, payload):
        self.send(status, json.dumps(payload, ensure_ascii=False).encode('utf-8'), [('Content-Type', 'application/json')])

    def route(self):
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        vendor = self.server.aliases.get(query.get('vendor'), query.get('vendor'))
        body = self.read_body()
        key = (self.command, parts.path.rstrip('/'))
        try:
            status, payload = self.server.routes[key](vendor, query, body) if key in self.server.routes else (404, {'error': 'no route'})
        except (KeyError, ValueError, TypeError) as exc:
            status, payload = 400, {'error': str(exc)}
        self.reply(status, payload)


class Simulation:
    """Owns the state, the servers and the files describing them."""

    def __init__(self, state_dir, devices, seed, latency_ms=0, token_ttl=None):
        self.state_dir = os.path.abspath(state_dir)
        self.state = SimState(devices, seed, latency_ms, token_ttl)
        self.ca = trustme.CA()
        cert = self.ca.issue_cert(HOST, 'localhost')
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(self.context)
        self.ca_path = os.path.join(self.state_dir, 'ca.pem')
        self.ca.cert_pem.write_to_path(self.ca_path)
        self.dialects = {}
        for cls in REGISTRY:
            self.dialects[cls.name] = cls(self.state, cls.configure(self.state))
            self.state.register(cls.vendor(), token_ttl=cls.token_ttl, reply_forms=cls.reply_forms, secret_fields=cls.secret_fields)
        # The vendors with a fleet, and each flavour of connection parameters -> the server that answers it.
        self.device_vendors = tuple(name for name, dialect in self.dialects.items() if dialect.has_fleet)
        for vendor in self.device_vendors:
            render = self.dialects[vendor].render
            self.state.fleets[vendor] = [Entry(device, render(device)) for device in self.state.fleet.devices]
        self.servers = {name: TLSServer(self.context, dialect, self.state) for name, dialect in self.dialects.items()}
        self.aliases = dict((flavour, name) for name, dialect in self.dialects.items()
                            for flavour in dialect.flavours(self.url, self.ca_path) if flavour != name)
        self.admin = ThreadingHTTPServer((HOST, 0), AdminHandler)
        self.admin.daemon_threads = True
        self.admin.aliases = self.aliases
        self.admin.routes = self.admin_routes()
        for dialect in self.dialects.values():
            self.admin.routes.update(dialect.admin_routes())
        self.admin.routes.update(device_control.admin_routes(self))
        self.threads = []

    def url(self, name):
        return 'https://%s:%d' % (HOST, self.servers[name].server_address[1])

    def params(self):
        """Connection options for the Ansible modules, per flavour."""
        params = {}
        for dialect in self.dialects.values():
            params.update(dialect.flavours(self.url, self.ca_path))
        return params

    def dialect(self, vendor):
        if vendor not in self.device_vendors:
            raise ValueError('vendor must be one of %s' % ', '.join(self.device_vendors))
        return self.dialects[vendor]

    def admin_routes(self):
        state = self.state

        def get_log(vendor, _query, _body):
            with state.lock:
                return 200, [dict(entry) for entry in state.log if vendor in (None, entry['vendor'])]

        def clear_log(_vendor, _query, _body):
            with state.lock:
                state.log.clear()
            return 200, {'cleared': True}

        def ledger(_vendor, _query, _body):
            with state.lock:
                return 200, list(state.ledger)

        def devices(vendor, _query, _body):
            dialect = self.dialect(vendor)
            return 200, [dialect.public_record(entry.record) for entry in state.entries(vendor)]

        def labels(vendor, _query, _body):
            # The labels / groups each device is in (what a label-aware listing must report), beside its record.
            dialect = self.dialect(vendor)
            return 200, [{'record': dialect.public_record(entry.record), 'labels': list(entry.logical['labels'])}
                         for entry in state.entries(vendor)]

        def users(vendor, _query, _body):
            # User accounts as the vendor's API shows them (dialects with a user store only).
            return 200, self.dialect(vendor).admin_users()

        def put_faults(_vendor, _query, body):
            spec = json.loads(body or b'{}')
            vendor = spec.pop('vendor')
            vendor = self.aliases.get(vendor, vendor)
            if vendor not in self.dialects:
                raise ValueError('unknown vendor %s' % vendor)
            state.set_faults(vendor, spec)
            return 200, {'vendor': vendor, 'faults': spec}

        def put_listing_faults(_vendor, _query, body):
            spec = json.loads(body or b'{}')
            vendor = spec.pop('vendor')
            vendor = self.aliases.get(vendor, vendor)
            self.dialect(vendor)
            seed = spec.pop('seed', None)
            target = spec.pop('target', None) or 'devices'
            if target not in LISTING_TARGETS:
                raise ValueError('unknown listing target %s (devices, users)' % target)
            state.set_listing_faults(listing_key(vendor, target), spec, seed=seed)
            return 200, {'vendor': vendor, 'target': target, 'listing_faults': spec}

        def get_listing_faults(vendor, query, _body):
            self.dialect(vendor)
            target = query.get('target') or 'devices'
            if target not in LISTING_TARGETS:
                raise ValueError('unknown listing target %s (devices, users)' % target)
            return 200, state.listing_fault_status(listing_key(vendor, target))

        def put_privacy(_vendor, _query, body):
            spec = json.loads(body or b'{}')
            vendor = spec.pop('vendor')
            self.dialect(vendor)
            unknown = set(spec) - {'mask_user_fields'}
            if unknown:
                raise ValueError('unknown privacy settings: %s' % ', '.join(sorted(unknown)))
            with state.lock:
                state.privacy[vendor] = dict(spec)
            return 200, {'vendor': vendor, 'privacy': spec}

        def clear_faults(_vendor, _query, _body):
            state.clear_faults()
            return 200, {'cleared': True}

        def put_reply_form(_vendor, _query, body):
            spec = json.loads(body or b'{}')
            vendor = self.aliases.get(spec.get('vendor'), spec.get('vendor'))
            state.set_reply_form(vendor, spec.get('form'))
            return 200, {'vendor': vendor, 'form': spec.get('form')}

        def clear_reply_forms(_vendor, _query, _body):
            with state.lock:
                state.reply_forms.clear()
            return 200, {'cleared': True}

        def expire(vendor, _query, _body):
            # A token server's tokens are its vendor's.
            vendor = self.dialects[vendor].vendor() if vendor in self.dialects else vendor
            return 200, {'expired': state.expire_tokens(vendor)}

        def token_limit(_vendor, _query, body):
            spec = json.loads(body or b'{}')
            state.set_grant_limit(spec.get('count'), spec.get('window_s', 600))
            return 200, {'limit': spec}

        def tokens(_vendor, _query, _body):
            with state.lock:
                return 200, list(state.issued)

        def fleet_add(vendor, query, _body):
            state.add_devices(vendor, self.dialect(vendor).render, int(query['n']))
            return 200, {'count': len(state.entries(vendor))}

        def fleet_remove(vendor, query, _body):
            self.dialect(vendor)
            state.remove_devices(vendor, int(query['n']))
            return 200, {'count': len(state.entries(vendor))}

        return {('GET', '/log'): get_log, ('DELETE', '/log'): clear_log, ('GET', '/ledger'): ledger,
                ('GET', '/devices'): devices, ('GET', '/labels'): labels, ('PUT', '/faults'): put_faults, ('DELETE', '/faults'): clear_faults,
                ('PUT', '/reply_form'): put_reply_form, ('DELETE', '/reply_form'): clear_reply_forms,
                ('PUT', '/privacy'): put_privacy,
                ('POST', '/tokens/expire'): expire, ('GET', '/tokens'): tokens, ('PUT', '/tokens/limit'): token_limit,
                ('POST', '/fleet/add'): fleet_add, ('POST', '/fleet/remove'): fleet_remove, ('GET', '/users'): users,
                ('PUT', '/listing-faults'): put_listing_faults, ('GET', '/listing-faults'): get_listing_faults}

    def describe(self):
        params = self.params()
        vendors = {name: {'url': self.url(name), 'params': params.get(name, {'url': self.url(name)})} for name in self.servers}
        vendors.update((flavour, {'url': self.url(name), 'params': params[flavour]}) for flavour, name in self.aliases.items())
        return {'pid': os.getpid(), 'admin_url': 'http://%s:%d' % (HOST, self.admin.server_address[1]), 'ca_path': self.ca_path,
                'vendors': vendors}

    def write_files(self):
        info = self.describe()
        write_atomic(os.path.join(self.state_dir, 'vars.yml'),
                     '# JSON is valid YAML: ansible-playbook -e @vars.yml\n' + json.dumps({'mdm_sim': self.params()}, indent=2) + '\n')
        write_atomic(os.path.join(self.state_dir, 'sim.json'), json.dumps(info, indent=2) + '\n')

    def start(self):
        for server in list(self.servers.values()) + [self.admin]:
            thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True)
            thread.start()
            self.threads.append(thread)
        self.write_files()

    def stop(self):
        for server in list(self.servers.values()) + [self.admin]:
            server.shutdown()
            server.server_close()
        try:
            os.unlink(os.path.join(self.state_dir, 'sim.json'))
        except OSError:
            pass


def write_atomic(path, text):
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'w', encoding='utf-8') as handle:
        handle.write(text)
    os.replace(tmp, path)


def serve(state_dir, devices, seed, latency_ms=0, token_ttl=None):
    """Run until SIGTERM or SIGINT."""
    os.makedirs(state_dir, exist_ok=True)
    stopping = threading.Event()

    def on_signal(_signum, _frame):
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    simulation = Simulation(state_dir, devices, seed, latency_ms, token_ttl)
    simulation.start()
    while not stopping.wait(0.5):
        pass
    simulation.stop()
    return 0
