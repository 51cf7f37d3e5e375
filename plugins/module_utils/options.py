# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of connection options.

It feeds the module argument spec (with env fallbacks), the inventory plugin's
options (read through the doc fragment, whose ``env:`` entries a unit test
checks against this table) and the client's validation.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import VENDORS as DECLARATIONS

# The vendor names, in the registry's order (a vendor is one line there; the doc fragment's static choices are
# checked against it by tests/unit/plugins/module_utils/vendors/test_registry.py).
VENDORS = tuple(DECLARATIONS)

# name: (argument spec without fallback, environment variable)
CONNECTION_OPTIONS = {
    'vendor': (dict(type='str', choices=list(VENDORS)), 'MDM_VENDOR'),
    'url': (dict(type='str'), 'MDM_URL'),
    'username': (dict(type='str'), 'MDM_USERNAME'),
    'password': (dict(type='str', no_log=True), 'MDM_PASSWORD'),
    'billing_id': (dict(type='str'), 'MDM_BILLING_ID'),
    'app_id': (dict(type='str'), 'MDM_APP_ID'),
    'app_version': (dict(type='str'), 'MDM_APP_VERSION'),
    'platform_id': (dict(type='str', default='3'), 'MDM_PLATFORM_ID'),
    'app_access_key': (dict(type='str', no_log=True), 'MDM_APP_ACCESS_KEY'),
    'api_key': (dict(type='str', no_log=True), 'MDM_API_KEY'),
    'client_id': (dict(type='str'), 'MDM_CLIENT_ID'),
    'client_secret': (dict(type='str', no_log=True), 'MDM_CLIENT_SECRET'),
    'refresh_token': (dict(type='str', no_log=True), 'MDM_REFRESH_TOKEN'),
    'accounts_url': (dict(type='str'), 'MDM_ACCOUNTS_URL'),
    'device_space_id': (dict(type='int', default=1), 'MDM_DEVICE_SPACE_ID'),
    'partition_id': (dict(type='str'), 'MDM_PARTITION_ID'),
    'validate_certs': (dict(type='bool', default=True), 'MDM_VALIDATE_CERTS'),
    'ca_path': (dict(type='path'), 'MDM_CA_PATH'),
    'timeout': (dict(type='int', default=30), 'MDM_TIMEOUT'),
    'max_retries': (dict(type='int', default=5), 'MDM_MAX_RETRIES'),
}

# Options of the modules only (the inventory plugin runs once, in ansible's own process, and has no play to share).
# login_cache: the play's login cache (plugins/plugin_utils/login_action.py, module_utils/login_cache.py).
MODULE_OPTIONS = {
    'login_cache': (dict(type='bool', default=True), 'MDM_LOGIN_CACHE'),
}

SECRET_OPTIONS = tuple(name for name, (spec, _env) in CONNECTION_OPTIONS.items() if spec.get('no_log'))

# What each vendor needs, as alternatives: every option of one set must be given (from its declaration).
REQUIRED_BY_VENDOR = dict((name, list(declaration.required_options)) for name, declaration in DECLARATIONS.items())


def connection_argument_spec():
    """The argument spec of the connection options, each with its env fallback."""
    spec = {}
    for name, (option, env) in CONNECTION_OPTIONS.items():
        option = dict(option)
        option['fallback'] = (env_fallback, [env])
        spec[name] = option
    return spec


def module_argument_spec(**extra):
    """The argument spec of a module: the connection options (with their env fallbacks) and the module's own
    ``options``."""
    spec = connection_argument_spec()
    for name, (option, env) in MODULE_OPTIONS.items():
        option = dict(option)
        option['fallback'] = (env_fallback, [env])
        spec[name] = option
    spec.update(extra)
    return spec


def connection_params(params):
    """The connection options out of a module's (or plugin's) parameters."""
    return dict((name, params.get(name)) for name in CONNECTION_OPTIONS)
