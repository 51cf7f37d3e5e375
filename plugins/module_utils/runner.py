# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue every module's main() shares: build the adapter, run, turn typed
errors into fail_json once, and keep tokens the server issued out of the output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import re
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.validation import check_type_dict

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter, credentials_in_url
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError, redact, secret_forms, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.login_cache import LoginCache
from ansible_collections.fleetops.mdm.plugins.module_utils.options import connection_params
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


# Keys of free-form dict options (mdm_device_action ``params``) whose values are secrets: ManageEngine's
# unlock_pin, wipe_lock_pin and passcode (manageengine-mdm-devices-api.txt), and any key named like a secret.
SECRET_PARAM_KEY = re.compile(r'(?i)(^|_)(pin|passcode|password|passwd|secret|token|api_?key|access_?key)($|_)')
FREE_FORM_OPTIONS = ('params',)
URL_OPTIONS = ('url', 'accounts_url')


def secret_values_of(params):
    """Secrets hidden where an argument spec cannot mark them no_log: free-form dict keys and URL credentials."""
    found = set()
    for option in FREE_FORM_OPTIONS:
        value = params.get(option)
        if isinstance(value, str):
            try:
                value = check_type_dict(value)
            except Exception:  # pylint: disable=broad-except
                # Unreadable, but it may hold "unlock_pin=..." all the same: hide the whole text.
                if SECRET_PARAM_KEY.search(value):
                    found.add(value)
                continue
        if isinstance(value, dict):
            for key, item in value.items():
                if SECRET_PARAM_KEY.search(str(key)) and item not in (None, '') and not isinstance(item, bool):
                    found.add(str(item))
    for option in URL_OPTIONS:
        userinfo = credentials_in_url(params.get(option))
        if userinfo:
            found.add(userinfo)
            found.update(part for part in userinfo.split(':', 1) if part)
    return found


class MdmModule(AnsibleModule):
    """AnsibleModule that knows the secrets its argument spec cannot mark no_log BEFORE it validates anything.

    AnsibleModule validates in its constructor and fails there (printing every parameter at -vvv) when a value
    is wrong; a PIN in ``params`` or a password in ``url`` must already be a no_log value by then.
    """

    def _load_params(self):
        super(MdmModule, self)._load_params()
        for value in secret_values_of(self.params or {}):
            self.no_log_values.update(secret_forms(value))


@contextlib.contextmanager
def option_names(names):
    """Around a capability's check: an InvalidInputError naming a neutral field key (capabilities.DEVICES, ...)
    names the module's option instead (``names``: key -> option), so the user reads the option they wrote."""
    try:
        yield
    except InvalidInputError as exc:
        raise exc.with_option_names(names)


class PartialFailure(Exception):
    """Part of the work failed: the task fails, and its result still tells what was done and what failed."""

    def __init__(self, msg, changed, result):
        super(PartialFailure, self).__init__(msg)
        self.msg = msg
        self.changed = changed
        self.result = result


def run_module(module, run):
    """Call ``run(module, adapter) -> (changed, result, diff)`` and exit the module with its outcome.

    ``run`` raises a typed error when nothing could be done, PartialFailure when some of it failed.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
    adapter = None
    # Values from environment fallbacks arrive after _load_params(): hide URL credentials from there too.
    for value in secret_values_of(module.params):
        module.no_log_values.update(secret_forms(value))
    try:
        login_cache = LoginCache.from_environment() if module.params.get('login_cache', True) else None
        adapter = build_adapter(connection_params(module.params), login_cache=login_cache)
        for warning in adapter.transport.warnings:
            module.warn(warning)
        changed, result, diff = run(module, adapter)
    except PartialFailure as exc:
        _hide_secrets(module, adapter)
        module.fail_json(msg=with_vendor_prefix(exc.msg, module.params.get('vendor')), changed=exc.changed, **exc.result)
    except MdmError as exc:
        _hide_secrets(module, adapter)
        # Errors raised by module code (option checks) do not know the vendor; every message names it.
        module.fail_json(**exc.with_vendor(module.params.get('vendor')).to_dict())
    except Exception as exc:  # pylint: disable=broad-except
        # Anything unexpected is still scrubbed: its text may quote a reply or a header.
        _hide_secrets(module, adapter)
        secrets = adapter.transport.secrets if adapter is not None else ()
        module.fail_json(msg=with_vendor_prefix('unexpected error: %s' % redact(exc, secrets), module.params.get('vendor')),
                         exception=redact(traceback.format_exc(), secrets))
    finally:
        if adapter is not None:
            adapter.transport.close()
    _hide_secrets(module, adapter)
    if diff is not None and module._diff:
        result['diff'] = diff
    module.exit_json(changed=changed, **result)


def with_vendor_prefix(message, vendor):
    """The message in the one prefix form of MdmError: "<vendor>: <what>"."""
    prefix = vendor_display_name(vendor) if vendor else 'MDM'
    return message if message.startswith(prefix + ': ') else '%s: %s' % (prefix, message)


def _hide_secrets(module, adapter):
    # Tokens the server issued are secrets AnsibleModule cannot know of: add them (in every encoding a reply or a
    # message may quote them in) to its no_log values.
    if adapter is not None:
        for secret in adapter.transport.secrets:
            module.no_log_values.update(secret_forms(secret))
