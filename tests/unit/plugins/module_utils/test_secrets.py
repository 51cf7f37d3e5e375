# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets never leave the client: redaction of every encoding before shortening, URL credentials
refused, secret ``params`` keys hidden before validation, ambiguous ManageEngine credentials refused,
one message prefix naming the vendor, warnings for plain http and unchecked certificates."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils import runner
from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter, check_connection_options
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    REDACTED,
    InvalidInputError,
    MdmError,
    ServerError,
    redact,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import Transport

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, ScriptedSession
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

USER = 'api-admin'
# Characters that each encoding spells differently: quote, apostrophe, slash, plus, space, non-ASCII.
PASSWORD = 'Pa"ss\'w/rd+ 9\u00e9x'
BASIC = base64.b64encode(('%s:%s' % (USER, PASSWORD)).encode('utf-8')).decode('ascii')
CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username=USER, password=PASSWORD)


def fragments(secret, size=6):
    """Every piece of ``size`` characters of a secret: none may show, not even a prefix."""
    return set(secret[i:i + size] for i in range(0, len(secret) - size + 1))


def assert_hidden(text, secret):
    for piece in fragments(secret):
        assert piece not in text, 'a piece %r of a secret shows in %r' % (piece, text)


# -- redaction ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('spelling', [
    PASSWORD,
    repr(PASSWORD)[1:-1],
    json.dumps(PASSWORD)[1:-1],
    json.dumps(PASSWORD, ensure_ascii=False)[1:-1],
    quote(PASSWORD, safe=''),
    quote_plus(PASSWORD),
    base64.b64encode(PASSWORD.encode('utf-8')).decode('ascii'),
], ids=['raw', 'repr', 'json', 'json-unicode', 'url-quoted', 'form-quoted', 'base64'])
def test_every_encoding_of_a_secret_is_redacted(spelling):
    out = redact('the server said: [%s] end' % spelling, [PASSWORD])
    assert spelling not in out
    assert out == 'the server said: [%s] end' % REDACTED


def test_base64_of_user_and_password_is_a_secret_of_every_adapter():
    adapter = build_adapter(dict(CORE), session=ScriptedSession([]))
    assert BASIC in adapter.transport.secrets
    assert_hidden(adapter.transport.scrub('echo: %s' % BASIC), BASIC)


@pytest.mark.parametrize('text', [
    '{"Authorization": "Basic %s", "Accept": "application/json"}' % 'c29tZW9uZTpzb21ldGhpbmc=',
    "{'Authorization': 'Basic %s', 'Accept': 'application/json'}" % 'c29tZW9uZTpzb21ldGhpbmc=',
    '{"headers": "{\\"Authorization\\": \\"Basic %s\\"}"}' % 'c29tZW9uZTpzb21ldGhpbmc=',
    'Authorization: Basic %s\r\nAccept: */*' % 'c29tZW9uZTpzb21ldGhpbmc=',
    '"authorization":"MaaS token=\\"c29tZW9uZTpzb21ldGhpbmc=\\""',
    'Proxy-Authorization: Basic c29tZW9uZTpzb21ldGhpbmc=',
], ids=['json', 'python-repr', 'json-in-json', 'raw-header', 'maas-token-escaped', 'proxy'])
def test_quoted_header_forms_are_redacted_without_knowing_the_secret(text):
    out = redact(text)
    assert_hidden(out, 'c29tZW9uZTpzb21ldGhpbmc=')
    assert REDACTED in out


def test_a_500_echoing_the_request_headers_leaks_no_part_of_the_credential():
    # The credential sits where a 300-character cut falls: cut first, and its first half would no longer match.
    lead = 'Internal error while handling request with headers {"User-Agent": "'
    padding = 300 - len(BASIC) // 2 - len(lead) - len('", "Authorization": "Basic ')
    headers = {'User-Agent': 'x' * padding, 'Authorization': 'Basic ' + BASIC}
    message = 'Internal error while handling request with headers %s' % json.dumps(headers)
    assert message.index(BASIC) < 300 < message.index(BASIC) + len(BASIC)
    body = {'message': message}
    session = ScriptedSession([Expect('GET', '/api/v2/devices', status=500, reply=body)])
    transport = Transport('mobileiron_core', 'https://core.example.com', session=session, max_retries=0)
    transport.add_secret(BASIC)
    with pytest.raises(ServerError) as err:
        transport.request('GET', '/api/v2/devices', 'list devices')
    assert_hidden(str(err.value), BASIC)
    assert 'Internal error' in str(err.value)


def test_a_long_message_is_redacted_whole_before_it_is_shortened():
    secret = 'zz-Secret-Value-0123456789'
    message = 'a' * (MdmError.max_message - 10) + secret
    err = MdmError(message, vendor='maas360', secrets=[secret])
    assert_hidden(str(err), secret)


# -- URL credentials ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('option,options', [
    ('url', dict(CORE, url='https://admin:Hunter2-url@core.example.com')),
    ('url', dict(CORE, url='admin:Hunter2-url@core.example.com')),
    ('accounts_url', dict(vendor='manageengine', url='https://mdm.manageengine.com', client_id='c', client_secret='s-secret',
                          refresh_token='r-token', accounts_url='https://admin:Hunter2-url@accounts.zoho.com')),
])
def test_a_url_holding_credentials_is_refused_without_echoing_them(option, options):
    session = ScriptedSession([])
    with pytest.raises(InvalidInputError) as err:
        build_adapter(options, session=session)
    assert err.value.option == option
    assert 'must not hold credentials' in str(err.value)
    assert 'Hunter2-url' not in str(err.value) and 'admin' not in str(err.value)
    assert session.calls == []


def test_url_credentials_and_secret_params_are_no_log_values_of_the_runner():
    found = runner.secret_values_of(dict(url='https://admin:Hunter2-url@h', params={'unlock_pin': '4711', 'message': 'hi'}))
    assert {'Hunter2-url', '4711'} <= found
    assert 'hi' not in found
    assert '0815' in runner.secret_values_of(dict(params='wipe_lock_pin=0815 message=x'))


def _run_module_main(argument_spec, args, capsys):
    """Build an MdmModule from raw arguments the way AnsiballZ does; returns its JSON output."""
    with fakes.module_args(args):
        with pytest.raises(SystemExit):
            runner.MdmModule(argument_spec=argument_spec, supports_check_mode=True)
    return capsys.readouterr().out


def test_a_pin_in_params_never_shows_when_validation_fails(capsys):
    spec = module_argument_spec(params=dict(type='dict', default={}), max_devices=dict(type='int', default=1))
    args = dict(CORE, params={'unlock_pin': '480913', 'message': 'call IT'}, max_devices='many')
    out = _run_module_main(spec, args, capsys)
    result = json.loads(out)
    assert result['failed'] is True and 'max_devices' in result['msg']
    assert '480913' not in out
    # Only the secret keys are hidden: where ansible-core echoes the arguments of a task that failed validation (up to
    # 2.19), the other params are there; 2.20+ echoes no arguments at all then.
    if 'invocation' in result:
        assert 'call IT' in out


def test_a_url_password_never_shows_when_validation_fails(capsys):
    spec = module_argument_spec(max_devices=dict(type='int', default=1))
    out = _run_module_main(spec, dict(CORE, url='https://admin:Hunter2-url@core.example.com', max_devices='many'), capsys)
    assert json.loads(out)['failed'] is True
    assert 'Hunter2-url' not in out


# -- ambiguous ManageEngine credentials -----------------------------------------------------------------------------

def test_manageengine_api_key_and_oauth_together_are_refused():
    options = dict(vendor='manageengine', url='https://mdm.example.com', api_key='k-123456', client_id='c', client_secret='s-secret',
                   refresh_token='r-token', accounts_url='https://accounts.zoho.com')
    with pytest.raises(InvalidInputError) as err:
        check_connection_options(options)
    assert err.value.option == 'api_key'
    assert str(err.value).startswith('ManageEngine MDM: both api_key')
    for secret in ('k-123456', 's-secret', 'r-token'):
        assert secret not in str(err.value)
    # A single OAuth setting beside the key is just as ambiguous.
    with pytest.raises(InvalidInputError):
        check_connection_options(dict(vendor='manageengine', url='https://m', api_key='k-123456', client_id='c'))


# -- one prefix form, naming the vendor -----------------------------------------------------------------------------

def _outcome(run, **params):
    module = fakes.FakeModule(dict(CORE, **params))
    with pytest.raises(fakes.ModuleExit):
        runner.run_module(module, run)
    return module


def test_option_errors_raised_by_module_code_name_the_vendor():
    def run(module, adapter):
        raise InvalidInputError('must be 1 or more, not 0', option='max_devices')
    assert _outcome(run).outcome['msg'] == 'MobileIron Core: must be 1 or more, not 0 (option max_devices)'


def test_partial_failures_and_unexpected_errors_name_the_vendor():
    def partial(module, adapter):
        raise runner.PartialFailure('lock: 1 of 2 devices failed', True, {})

    def crash(module, adapter):
        raise KeyError('boom')
    assert _outcome(partial).outcome['msg'] == 'MobileIron Core: lock: 1 of 2 devices failed'
    assert _outcome(crash).outcome['msg'].startswith('MobileIron Core: unexpected error: ')


def test_connection_option_errors_name_the_vendor():
    with pytest.raises(InvalidInputError) as err:
        check_connection_options(dict(CORE, timeout=0))
    assert str(err.value).startswith('MobileIron Core: timeout 0 is out of range')


# -- warnings -------------------------------------------------------------------------------------------------------

def test_plain_http_and_unchecked_certificates_are_warned_about():
    def run(module, adapter):
        return False, {}, None
    module = _outcome(run, url='http://core.example.com')
    assert len(module.warnings) == 1 and 'http://' in module.warnings[0] and 'unencrypted' in module.warnings[0]
    module = _outcome(run, validate_certs=False)
    assert len(module.warnings) == 1 and 'validate_certs is false' in module.warnings[0]
    assert _outcome(run).warnings == []
    transport = build_adapter(dict(vendor='manageengine', url='https://mdm.example.com', client_id='c', client_secret='s-secret',
                                   refresh_token='r-token', accounts_url='http://accounts.zoho.com'),
                              session=ScriptedSession([])).transport
    assert [w for w in transport.warnings if 'accounts_url uses http://' in w]


def test_warnings_never_show_url_credentials():
    transport = Transport('maas360', 'http://services.m3.maas360.com', session=ScriptedSession([]))
    transport.warn_if_plain_http('http://u:Hunter2-url@accounts.zoho.com', 'accounts_url')
    assert 'Hunter2-url' not in ' '.join(transport.warnings)
