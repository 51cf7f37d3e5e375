# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build a vendor adapter from the connection options, after checking them.

Every check here runs before any request is sent, and every message names the
option and what is allowed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import (
    CONNECTION_OPTIONS,
    REQUIRED_BY_VENDOR,
    VENDORS,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import Transport
# Static imports: AnsiballZ ships only the module_utils a module imports by name.
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360 import MaaS360Adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine import ManageEngineAdapter
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_cloud import MobileIronCloudAdapter
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core import MobileIronCoreAdapter

ADAPTERS = {
    'maas360': MaaS360Adapter,
    'manageengine': ManageEngineAdapter,
    'mobileiron_core': MobileIronCoreAdapter,
    'mobileiron_cloud': MobileIronCloudAdapter,
}


def _env_name(option):
    return CONNECTION_OPTIONS[option][1]


def check_connection_options(options):
    """Validate the connection options; returns a cleaned copy."""
    # An empty value is an unset one: AWX credential injectors render unused fields as empty strings.
    options = dict((name, None if value == '' else value) for name, value in options.items())
    vendor = options.get('vendor')
    if not vendor:
        raise InvalidInputError('no MDM vendor given (set vendor or MDM_VENDOR)', option='vendor', allowed=VENDORS)
    if vendor not in VENDORS:
        raise InvalidInputError('unknown vendor %r' % (vendor,), option='vendor', allowed=VENDORS)
    alternatives = REQUIRED_BY_VENDOR[vendor]
    missing_per_set = [[name for name in required if options.get(name) in (None, '')] for required in alternatives]
    if all(missing_per_set):
        missing = min(missing_per_set, key=len)
        if len(alternatives) > 1:
            sets = ' or '.join('(%s)' % ', '.join(required) for required in alternatives)
            message = '%s needs %s; missing: %s' % (vendor, sets, ', '.join(missing))
        else:
            message = '%s needs %s' % (vendor, ', '.join(missing))
        raise InvalidInputError('%s (or the env vars %s)' % (message, ', '.join(_env_name(name) for name in missing)),
                                option=missing[0])
    url = str(options['url']).strip()
    if not url.startswith(('https://', 'http://')):
        raise InvalidInputError('url %r must start with https:// (or http://)' % url, option='url')
    options['url'] = url.rstrip('/')
    if options.get('accounts_url'):
        accounts_url = str(options['accounts_url']).strip()
        if not accounts_url.startswith(('https://', 'http://')):
            raise InvalidInputError('accounts_url %r must start with https://' % accounts_url, option='accounts_url')
        options['accounts_url'] = accounts_url.rstrip('/')
    for name, low, high in (('timeout', 1, 3600), ('max_retries', 0, 20), ('device_space_id', 1, None)):
        value = options.get(name)
        if value is None:
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise InvalidInputError('%s must be an integer, not %r' % (name, value), option=name)
        if value < low or (high is not None and value > high):
            raise InvalidInputError('%s %d is out of range' % (name, value), option=name,
                                    allowed=['%d to %s' % (low, high if high is not None else 'any')])
        options[name] = value
    ca_path = options.get('ca_path')
    if ca_path:
        ca_path = options['ca_path'] = os.path.expanduser(str(ca_path))
    if ca_path and not os.path.exists(ca_path):
        raise InvalidInputError('ca_path %r does not exist' % ca_path, option='ca_path')
    return options


def build_adapter(options, session=None, **transport_kwargs):
    """The vendor adapter for these connection options (nothing is sent yet: auth is lazy)."""
    options = check_connection_options(options)
    vendor = options['vendor']
    defaults = dict((name, spec.get('default')) for name, (spec, _env) in CONNECTION_OPTIONS.items())
    for name, value in defaults.items():
        if options.get(name) is None:
            options[name] = value
    transport = Transport(
        vendor,
        options['url'],
        validate_certs=options['validate_certs'] if options.get('validate_certs') is not None else True,
        ca_path=options.get('ca_path'),
        timeout=options['timeout'],
        max_retries=options['max_retries'],
        session=session,
        **transport_kwargs
    )
    return ADAPTERS[vendor](options, transport)
