# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue every module's main() shares: build the adapter, run, turn typed
errors into fail_json once, and keep tokens the server issued out of the output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import MdmError, redact
from ansible_collections.fleetops.mdm.plugins.module_utils.options import connection_params
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


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
    try:
        adapter = build_adapter(connection_params(module.params))
        changed, result, diff = run(module, adapter)
    except PartialFailure as exc:
        _hide_secrets(module, adapter)
        module.fail_json(msg=exc.msg, changed=exc.changed, **exc.result)
    except MdmError as exc:
        _hide_secrets(module, adapter)
        module.fail_json(**exc.to_dict())
    except Exception as exc:  # pylint: disable=broad-except
        # Anything unexpected is still scrubbed: its text may quote a reply or a header.
        _hide_secrets(module, adapter)
        secrets = adapter.transport.secrets if adapter is not None else ()
        module.fail_json(msg='unexpected error: %s' % redact(exc, secrets), exception=redact(traceback.format_exc(), secrets))
    finally:
        if adapter is not None:
            adapter.transport.close()
    _hide_secrets(module, adapter)
    if diff is not None and module._diff:
        result['diff'] = diff
    module.exit_json(changed=changed, **result)


def _hide_secrets(module, adapter):
    # Tokens the server issued are secrets AnsibleModule cannot know of: add them to its no_log values.
    if adapter is not None:
        module.no_log_values.update(adapter.transport.secrets)
