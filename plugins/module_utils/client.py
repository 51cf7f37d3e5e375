# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build a vendor session (the "adapter") from the connection options, after checking them.

Every check here runs before any request is sent, and every message names the
option and what is allowed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.options import (
    CONNECTION_OPTIONS,
    REQUIRED_BY_VENDOR,
    VENDORS,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import Transport
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import compose, declaration


def _env_name(option):
    return CONNECTION_OPTIONS[option][1]


def credentials_in_url(url):
    """The user-information part (``user:password``) of a URL, or None."""
    text = str(url or '').strip()
    scheme_end = text.find('://')
    authority = text[scheme_end + 3 if scheme_end >= 0 else 0:].split('/', 1)[0].split('?', 1)[0].split('#', 1)[0]
    if '@' not in authority:
        return None
    return authority.rsplit('@', 1)[0]


def _checked_url(value, option, vendor):
    """A server URL, checked; a URL holding credentials is refused without echoing them."""
    url = str(value).strip()
    userinfo = credentials_in_url(url)
    if userinfo is not None:
        # Refused, not silently stripped: the credential is in a playbook, an inventory file or an environment
        # variable now, and belongs in a no_log option instead.  The message shows neither part of it.
        raise InvalidInputError(
            '%s must not hold credentials (user:password@host); give them in the credential options of %s instead'
            % (option, vendor_display_name(vendor)), option=option, vendor=vendor, secrets=[userinfo] + userinfo.split(':', 1))
    if not url.startswith(('https://', 'http://')):
        raise InvalidInputError('%s %r must start with https:// (or http://)' % (option, url), option=option, vendor=vendor)
    return url.rstrip('/')


def check_connection_options(options):
    """Validate the connection options; returns a cleaned copy."""
    # An empty value is an unset one: AWX credential injectors render unused fields as empty strings.
    options = dict((name, None if value == '' else value) for name, value in options.items())
    vendor = options.get('vendor')
    if not vendor:
        raise InvalidInputError('no MDM vendor given (set vendor or MDM_VENDOR)', option='vendor', allowed=VENDORS)
    if vendor not in VENDORS:
        raise InvalidInputError('unknown vendor %r' % (vendor,), option='vendor', allowed=VENDORS)
    try:
        return _check_vendor_options(vendor, options)
    except InvalidInputError as exc:
        raise exc.with_vendor(vendor)


def _check_vendor_options(vendor, options):
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
    options['url'] = _checked_url(options['url'], 'url', vendor)
    if options.get('accounts_url'):
        options['accounts_url'] = _checked_url(options['accounts_url'], 'accounts_url', vendor)
    declaration(vendor).session.check_connection_options(options)
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


def build_adapter(options, session=None, login_cache=None, **transport_kwargs):
    """The vendor's session for these connection options, its capabilities composed (nothing is sent yet: auth is
    lazy).  Its ``list_devices()`` is the neutral entry point that lists every device, normalised (the inventory
    plugin, mdm_device_info and the event source use it); every other capability is reached through
    ``vendors.registry.require(adapter, capability)``, which refuses what the vendor cannot do before any request.

    ``login_cache``: the play's login cache (module_utils/login_cache.py), or None to log in by itself."""
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
    if options.get('accounts_url'):
        transport.warn_if_plain_http(options['accounts_url'], 'accounts_url')
    adapter = compose(vendor, options, transport)
    adapter.login_cache = login_cache
    return adapter
