# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible_collections.fleetops.mdm.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.fleetops.mdm.plugins.module_utils import options as opts
from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter, check_connection_options
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError, NotSupportedError, redact
from ansible_collections.fleetops.mdm.plugins.module_utils.version import COLLECTION_VERSION

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import ScriptedSession

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


def test_redact_known_secrets_and_credential_patterns():
    text = 'password=hunter22 Authorization: Basic dXNlcjpwYXNz <password>x1y2</password> MaaS token="tok-1" key S3cr3tValue'
    out = redact(text, ['S3cr3tValue'])
    for leaked in ('hunter22', 'dXNlcjpwYXNz', 'x1y2', 'tok-1', 'S3cr3tValue'):
        assert leaked not in out


def test_error_message_names_vendor_operation_status():
    err = MdmError('boom', vendor='maas360', operation='list devices', status=503)
    assert str(err) == 'IBM MaaS360: list devices failed (HTTP 503): boom'
    assert err.to_dict()['http_status'] == 503
    assert str(NotSupportedError('wipe', 'mobileiron_cloud')).endswith('wipe is not supported by MobileIron Cloud')


def test_invalid_input_names_option_and_allowed():
    err = InvalidInputError('unknown vendor', option='vendor', allowed=['a', 'b'])
    assert str(err) == 'MDM: unknown vendor (option vendor; allowed: a, b)'


def _fragment(name):
    return yaml.safe_load(getattr(ModuleDocFragment, name))['options']


def test_doc_fragment_matches_the_option_table():
    for form in ('DOCUMENTATION', 'PLUGINS'):
        documented = _fragment(form)
        # The module form has the module-only options too (login_cache); the inventory plugin has none of them.
        table = dict(opts.CONNECTION_OPTIONS, **(opts.MODULE_OPTIONS if form == 'DOCUMENTATION' else {}))
        assert sorted(documented) == sorted(table), form
        for name, (spec, env) in table.items():
            doc = documented[name]
            if form == 'PLUGINS' and name == 'ca_path':
                # The plugin form types it str: the config system would turn an empty path into the cwd.
                assert doc['type'] == 'str'
            else:
                assert doc['type'] == spec['type'], (form, name)
            assert doc.get('default') == spec.get('default'), (form, name)
            assert doc.get('choices') == spec.get('choices'), (form, name)
            if form == 'PLUGINS':
                assert doc['env'] == [{'name': env}], name
            else:
                assert 'E(%s)' % env in ' '.join(doc['description']), name


def test_argument_spec_has_env_fallbacks_and_no_log_secrets():
    spec = opts.connection_argument_spec()
    for name, (_spec, env) in opts.CONNECTION_OPTIONS.items():
        assert spec[name]['fallback'][1] == [env]
    module_spec = opts.module_argument_spec()
    for name, (_spec, env) in opts.MODULE_OPTIONS.items():
        assert module_spec[name]['fallback'][1] == [env] and name not in spec
    for name in ('password', 'app_access_key', 'api_key', 'client_secret', 'refresh_token'):
        assert spec[name]['no_log'] is True
    assert set(opts.SECRET_OPTIONS) == {'password', 'app_access_key', 'api_key', 'client_secret', 'refresh_token'}


def test_every_module_is_in_the_action_group():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        runtime = yaml.safe_load(handle)
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                     if name.endswith('.py') and not name.startswith('_'))
    assert modules
    assert sorted(runtime['action_groups']['mdm']) == modules
    # Each of them runs through an action plugin of its name that gives it the play's login cache.
    actions = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'action')) if name.endswith('.py'))
    assert actions == modules
    for name in actions:
        with open(os.path.join(ROOT, 'plugins', 'action', name + '.py')) as handle:
            assert 'class ActionModule(LoginCacheAction)' in handle.read(), name


def test_version_matches_galaxy():
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        assert yaml.safe_load(handle)['version'] == COLLECTION_VERSION


CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username='u', password='p')


@pytest.mark.parametrize('options,option,fragment', [
    ({}, 'vendor', 'allowed: maas360, manageengine, mobileiron_core, mobileiron_cloud'),
    (dict(CORE, vendor='airwatch'), 'vendor', "unknown vendor 'airwatch'"),
    (dict(CORE, url=None), 'url', 'MDM_URL'),
    (dict(CORE, password=''), 'password', 'MDM_PASSWORD'),
    (dict(CORE, url='core.example.com'), 'url', 'must start with https://'),
    (dict(CORE, timeout=0), 'timeout', 'out of range'),
    (dict(CORE, max_retries='many'), 'max_retries', 'must be an integer'),
    (dict(CORE, ca_path='/nonexistent/ca.pem'), 'ca_path', 'does not exist'),
    (dict(vendor='manageengine', url='https://mdm.example.com', client_id='c'), 'api_key', 'or'),
    (dict(vendor='maas360', url='https://m3', username='u', password='p'), 'billing_id', 'MDM_BILLING_ID'),
])
def test_connection_option_errors_name_the_option(options, option, fragment):
    with pytest.raises(InvalidInputError) as err:
        check_connection_options(options)
    assert err.value.option == option
    assert fragment in str(err.value)


def test_manageengine_either_auth_mode_is_enough():
    check_connection_options(dict(vendor='manageengine', url='https://m', api_key='k'))
    check_connection_options(dict(vendor='manageengine', url='https://m', client_id='c', client_secret='s', refresh_token='r',
                                  accounts_url='https://accounts.zoho.com'))


def test_build_adapter_sends_nothing_and_registers_secrets():
    session = ScriptedSession([])
    adapter = build_adapter(dict(CORE, password='Sup3r-secret'), session=session)
    assert adapter.name == 'mobileiron_core'
    assert 'Sup3r-secret' in adapter.transport.secrets
    assert session.calls == []
