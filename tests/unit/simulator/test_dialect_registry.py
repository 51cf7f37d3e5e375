"""The dialect registry: every vendor is one package with one route table, and the server and state name no vendor.

No simulator is started: the dialects are built over a small state, as the server builds them.
"""

import ast
import importlib
import os

import pytest

from conftest import SIMULATOR_ROOT
from mdmsim.dialects import REGISTRY, VENDOR_PACKAGES
from mdmsim.dialects.base import ANY_METHOD, Dialect, Request, Route, RouteTable, resolve
from mdmsim.state import SimState

DIALECTS_DIR = os.path.join(SIMULATOR_ROOT, 'mdmsim', 'dialects')
# A method no route of any dialect names: what an any-method route is probed with.
UNROUTED_METHOD = 'OPTIONS'
# Words that name a vendor, beyond the registry's own server and flavour names.
VENDOR_WORDS = ('maas', 'zoho', 'manageengine', 'mobileiron', 'ivanti', 'ibm')


def build(cls):
    state = SimState(3, 1)
    return cls(state, cls.configure(state))


@pytest.fixture(scope='module')
def dialects():
    return [build(cls) for cls in REGISTRY]


def vendor_names(dialects):
    names = set(VENDOR_WORDS) | set(VENDOR_PACKAGES)
    for dialect in dialects:
        names.add(dialect.name)
        names.update(dialect.flavours(lambda name: 'https://127.0.0.1:1', '/ca.pem'))
    return names


def test_every_vendor_is_one_package_in_the_registry():
    packages = sorted(entry for entry in os.listdir(DIALECTS_DIR)
                      if os.path.isfile(os.path.join(DIALECTS_DIR, entry, '__init__.py')))
    assert packages == sorted(VENDOR_PACKAGES)
    # Beside the packages only what every dialect shares: no flat vendor module is left behind.
    modules = sorted(entry for entry in os.listdir(DIALECTS_DIR) if entry.endswith('.py'))
    assert modules == ['__init__.py', 'base.py']
    assert len(set(cls.name for cls in REGISTRY)) == len(REGISTRY)
    for package in VENDOR_PACKAGES:
        # Each package's servers live in that package: a vendor's code is in one place.
        servers = importlib.import_module('mdmsim.dialects.%s' % package).SERVERS
        assert servers and all(cls.__module__.startswith('mdmsim.dialects.%s.' % package) for cls in servers)


@pytest.mark.parametrize('cls', REGISTRY, ids=lambda cls: cls.name)
def test_every_dialect_has_a_route_table_whose_handlers_exist(cls):
    assert isinstance(cls.routes, RouteTable) and len(cls.routes) > 0
    dialect = build(cls)
    for route in cls.routes:
        assert route.method in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', ANY_METHOD), route
        assert route.template.startswith('/'), route
        assert callable(resolve(dialect, route.handler)), route
        if route.guard:
            assert callable(resolve(dialect, route.guard)), route
    # What every dialect must say for itself: its error shape and its reply when no route matches.
    for method in ('error_body', 'unmatched'):
        assert getattr(cls, method) is not getattr(Dialect, method), '%s lacks %s()' % (cls.name, method)


@pytest.mark.parametrize('cls', REGISTRY, ids=lambda cls: cls.name)
def test_no_two_routes_collide(cls):
    """Each route answers its own sample path: no route before it (same method, or any method) takes the path."""
    routes = list(cls.routes)
    seen = set()
    for route in routes:
        assert (route.method, route.template) not in seen, 'duplicate route %r' % route
        seen.add((route.method, route.template))
        method = UNROUTED_METHOD if route.method == ANY_METHOD else route.method
        path = route.sample_path()
        first = next(other for other in routes if other.match(method, path) is not None)
        assert first is route, '%r is shadowed by %r for %s %s' % (route, first, method, path)


def test_the_collision_check_catches_a_shadowed_route():
    table = [Route('GET', '/api/devices/{device_id}', 'device'), Route('GET', '/api/devices/count', 'count'),
             Route(ANY_METHOD, '/api/users/{rest:path}', 'anything'), Route('POST', '/api/users/{user_id}/invite', 'invite')]
    shadowed = [route for route in table
                if next(other for other in table
                        if other.match(route.method, route.sample_path()) is not None) is not route]
    assert [route.handler for route in shadowed] == ['count', 'invite']


def test_routes_match_templates_exactly():
    route = Route('POST', '/device-apis/devices/1.0/lockDevice/{billing_id:path}', 'lock', verb='lockDevice')
    assert route.match('POST', '/device-apis/devices/1.0/lockDevice/30001') == {'billing_id': '30001', 'verb': 'lockDevice'}
    assert route.match('POST', '/device-apis/devices/1.0/lockDevice/a/b') == {'billing_id': 'a/b', 'verb': 'lockDevice'}
    assert route.match('POST', '/device-apis/devices/1.0/lockDeviceX/30001') is None
    assert route.match('GET', '/device-apis/devices/1.0/lockDevice/30001') is None
    segment = Route('GET', '/api/v1/mdm/devices/{device_id}/summary', 'summary')
    assert segment.match('GET', '/api/v1/mdm/devices/15/summary') == {'device_id': '15'}
    assert segment.match('GET', '/api/v1/mdm/devices/15/16/summary') is None


@pytest.mark.parametrize('cls', REGISTRY, ids=lambda cls: cls.name)
def test_a_request_no_route_takes_gets_the_dialects_own_reply(cls):
    dialect = build(cls)
    request = Request(UNROUTED_METHOD, '/no/such/path', {}, {}, b'')
    response = dialect.handle(request)
    assert 400 <= response.status < 500
    assert dialect.error_body(Request('GET', '/no/such/path', {}, {}, b'')).status == 200


def code_names(path):
    """Identifiers and string constants of a module's code (docstrings and comments left out), lower-cased."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, 'body', [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.add(node.value.lower())
        elif isinstance(node, ast.Name):
            found.add(node.id.lower())
        elif isinstance(node, ast.Attribute):
            found.add(node.attr.lower())
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found.add(node.name.lower())
        elif isinstance(node, ast.alias):
            found.add(node.name.lower())
    return found


@pytest.mark.parametrize('cls', [cls for cls in REGISTRY if cls.has_fleet], ids=lambda cls: cls.name)
def test_every_fleet_dialect_renders_the_device_id_it_declares(cls):
    dialect = build(cls)
    ids = [dialect.device_id(logical) for logical in dialect.state.fleet.devices]
    assert len(set(ids)) == len(ids)
    assert all(dialect.device_id(logical) in dialect.render(logical).values() for logical in dialect.state.fleet.devices)


@pytest.mark.parametrize('module', ['server.py', 'state.py', 'device_control.py', os.path.join('dialects', 'base.py')])
def test_server_and_state_name_no_vendor(module, dialects):
    names = vendor_names(dialects)
    hits = sorted(value for value in code_names(os.path.join(SIMULATOR_ROOT, 'mdmsim', module))
                  if any(name in value for name in names))
    assert hits == [], '%s names vendors in its code: %s' % (module, hits)


def test_the_vendor_name_check_sees_code_but_not_docstrings(tmp_path, dialects):
    names = vendor_names(dialects)
    module = tmp_path / 'dispatch.py'
    module.write_text('"""Serves maas360 and zoho_accounts."""\n\n'
                      'def route(vendor):\n'
                      '    """Docstring naming manageengine."""\n'
                      '    # a comment naming mobileiron_core\n'
                      "    if vendor == 'mobileiron_cloud':\n"
                      '        return 1\n'
                      '    return 0\n', encoding='utf-8')
    assert [value for value in code_names(str(module)) if any(name in value for name in names)] == ['mobileiron_cloud']
