#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_device_action
short_description: Send a command (lock, wipe, retire, message, ...) to many MDM devices at once, with guard rails
version_added: 0.1.0
description:
  - Sends one device command to the devices given by id or chosen by a selector, with each vendor's documented
    bulk form and its documented maximum per call, or one request per device with bounded concurrency where the
    vendor has no bulk form (IBM MaaS360).
  - Everything that can be checked without the server is checked before any request - the action exists for
    this vendor, its parameters, the device ids, the guard on destructive actions - and fails naming the option
    and what is allowed.
  - A device the command does not apply to (its platform) is reported as V(not_applicable); a device already in
    the state the command leads to (retired, wiped) is reported as V(skipped); neither is commanded.
  - A command is sent at most once per device. It is sent again only when the first attempt provably never
    reached the server; when a request may have reached the server without an answer, the device is reported
    as V(unknown) with advice to verify, never commanded a second time.
  - Device commands are imperative; the module reports C(changed) whenever a command was (or, in check mode,
    would be) sent.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
attributes:
  check_mode:
    support: full
    details: Resolves and validates the targets (reads only) and returns the would-be results; sends no write.
  diff_mode:
    support: none
options:
  action:
    description:
      - The vendor-neutral command. Not every vendor has every command; one the vendor does not have fails before
        any request, with the list of what it has.
      - Mutually exclusive with O(vendor_action).
    type: str
    choices: [lock, unlock, wipe, selective_wipe, retire, wakeup, send_message, locate, restart, shutdown,
              clear_passcode, reset_passcode, enable_lost_mode, disable_lost_mode, check_compliance, remote_session]
  vendor_action:
    description:
      - Any other documented command of the vendor, by the vendor's own name (for example MobileIron Core
        C(UPDATE_OS), ManageEngine C(remote_alarm), IBM MaaS360 C(hideDevice) or C(hide)).
      - Mutually exclusive with O(action).
    type: str
  devices:
    description:
      - Vendor-native ids of the devices (MaaS360 C(maas360DeviceID), ManageEngine C(device_id), MobileIron Core
        device UUID, MobileIron Cloud device id). Duplicates are sent once.
      - Mutually exclusive with the selectors O(filters), O(vendor_filters), O(label), O(query) and O(all_devices).
    type: list
    elements: str
  filters:
    description:
      - Choose the devices by normalised fields, as in M(fleetops.mdm.mdm_device_info) (C(platform), C(ownership),
        C(status), C(compliant), C(name), C(user), C(label), ...). The matching devices are resolved to ids before
        anything is sent and returned in RV(devices).
    type: dict
  vendor_filters:
    description:
      - Choose the devices with the vendor's own search parameters, as in M(fleetops.mdm.mdm_device_info).
    type: dict
  label:
    description:
      - Choose the devices in this label or device group (same as O(filters) C(label)).
    type: str
  query:
    description:
      - Choose the devices with a MobileIron Core C(query) or a MobileIron Cloud C(fq) search expression.
    type: str
  all_devices:
    description:
      - Choose every device of the server. Destructive actions still obey O(max_devices).
    type: bool
    default: false
  text:
    description:
      - The message of O(action=send_message), or the lock-screen text of a lock where the vendor takes one.
      - Checked against the vendor's documented maximum length before any request.
      - Named C(text) because C(message) is reserved by Ansible for its own use.
    type: str
    aliases: [msg]
  subject:
    description:
      - The subject or title of a message, where the vendor takes one (required for e-mail on MobileIron Core).
    type: str
  message_type:
    description:
      - How a message travels, where the vendor lets one choose (MobileIron Core C(sms), C(pns), C(email)).
    type: str
    choices: [sms, pns, email]
  params:
    description:
      - Any other documented parameter of the command, by the name the vendor's reference gives it (see the notes of
        each vendor). Unknown names fail before any request, with the list of names the command takes.
    type: dict
    default: {}
  allow_inconsistent_listing:
    description:
      - Act on devices chosen by a selector (O(filters), O(vendor_filters), O(label), O(query), O(all_devices)) even
        when the listing that chose them was not consistent.
      - A listing is not consistent when the server's total changed between pages, a page was short before the end,
        an id came twice, or the count disagreed with the server's total, on every one of the listing's passes
        (devices enrolled or removed while it ran). Such a selection may miss devices or hold devices that are gone.
      - By default the module then fails before sending anything, naming what was inconsistent; with V(true) it
        warns with the numbers and acts on what was listed.
    type: bool
    default: false
  max_devices:
    description:
      - The most devices a destructive command (wipe, selective_wipe, retire, remove, complete_wipe,
        corporate_wipe) may act on. When the devices given or chosen are more, the module fails before sending
        anything, naming the count.
    type: int
    default: 1
  wait:
    description:
      - Follow the commands to completion where the vendor lets one (ManageEngine command history, IBM MaaS360
        C(checkActionStatus)), until O(wait_timeout).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to follow the commands with O(wait=true); the commands not done by then stay V(sent).
    type: int
    default: 300
  wait_interval:
    description:
      - Seconds between two looks at the commands' state with O(wait=true).
    type: int
    default: 5
  fail_on_partial:
    description:
      - Fail the task when any device is V(failed) or V(unknown). With V(false), the task succeeds and the results
        tell which devices failed.
    type: bool
    default: true
  concurrency:
    description:
      - How many requests are in flight at once (1 to 32).
    type: int
    default: 4
notes:
  - "MobileIron Core: C(PUT /api/v2/devices/{action}) and C(PUT /api/v2/devices/action) with at most 512 device
    UUIDs a call."
  - "MobileIron Cloud: C(PUT /api/v1/device/{action}) with at most 100 device ids a call (Ivanti's recommendation)."
  - "ManageEngine MDM: the bulk command C(POST /api/v1/mdm/actions/{command}) and the single-device
    C(POST /api/v1/mdm/devices/{id}/actions/{action})."
  - "IBM MaaS360: C(POST /device-apis/devices/1.0/{verb}/{billingID}), one device a request (no bulk form)."
seealso:
  - module: fleetops.mdm.mdm_device_info
'''

EXAMPLES = r'''
- name: Lock a lost phone with a message on its lock screen
  fleetops.mdm.mdm_device_action:
    vendor: mobileiron_cloud
    url: https://na1.mobileiron.com
    username: api-admin
    password: "{{ vault_cloud_password }}"
    action: lock
    devices: ["1001234"]
    text: This phone is lost. Please call +1 555 0100.

- name: Wipe the company-owned devices of a leaver (at most 3)
  fleetops.mdm.mdm_device_action:
    action: wipe
    filters:
      user: jdoe
      ownership: company
    max_devices: 3

- name: Ask every Android device in the Kiosk label to check in, and follow the commands
  fleetops.mdm.mdm_device_action:
    vendor: manageengine
    action: wakeup
    label: Kiosk
    filters:
      platform: android
    wait: true

- name: A vendor's own action - update iOS on MobileIron Core
  fleetops.mdm.mdm_device_action:
    vendor: mobileiron_core
    vendor_action: UPDATE_OS
    query: '"common.platform" = "iOS"'
  register: update
'''

RETURN = r'''
action:
  description: The command's vendor-neutral name, or null for a command of the vendor's own.
  returned: always
  type: str
  sample: lock
vendor_action:
  description: The vendor's own name of the command.
  returned: always
  type: str
  sample: lockDevice
destructive:
  description: Whether the command is destructive (guarded by O(max_devices)).
  returned: always
  type: bool
devices:
  description: The ids of the devices given or chosen, in order, each once.
  returned: always
  type: list
  elements: str
results:
  description: One entry per device of RV(devices), in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    device_id:
      description: The device id.
      type: str
    outcome:
      description:
        - V(sent) - the server accepted the command (in check mode - it would be sent);
          V(completed) - the command ran on the device; V(failed) - the server refused it, or the device does not
          exist; V(not_applicable) - the command does not apply to the device; V(skipped) - the device is already
          in the state the command leads to; V(unknown) - the request may have reached the server without an
          answer, verify before sending again.
      type: str
      choices: [sent, completed, failed, not_applicable, skipped, unknown]
    message:
      description: The vendor's message, or why the device was not commanded.
      type: str
    command_id:
      description: The vendor's id of the command or action, where it gives one.
      type: str
    data:
      description: What the command returns beyond its status (a location, remote-session links, ...).
      type: dict
summary:
  description: How many devices ended with each outcome, and C(total).
  returned: always
  type: dict
  sample: {sent: 2, completed: 0, failed: 0, not_applicable: 1, skipped: 0, unknown: 0, total: 3}
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.actions import (
    DESTRUCTIVE_ACTIONS, NEUTRAL_ACTIONS, OUTCOMES, result, summarise,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, PartialFailure, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.session import check_listing
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency

SELECTORS = ('filters', 'vendor_filters', 'label', 'query', 'all_devices')
# Module option -> the parameter key the adapters declare (ActionSpec.params) -> what the user reads in a message.
MESSAGE_OPTIONS = (('text', 'message', 'message'), ('subject', 'subject', 'subject'),
                   ('message_type', 'message_type', 'message type'))
# The vendor search parameter that O(query) stands for.
QUERY_FILTER = {'mobileiron_core': 'query', 'mobileiron_cloud': 'fq'}
CHANGING = ('sent', 'completed', 'unknown')


def find_spec(catalogue, params, vendor):
    """The ActionSpec the user asked for; InvalidInputError naming the option and what this vendor has."""
    name = params['action']
    if name is not None:
        spec = catalogue.get(name)
        if spec is None or not spec.neutral:
            allowed = sorted(key for key, item in catalogue.items() if item.neutral)
            raise InvalidInputError('%s has no %s command' % (vendor_display_name(vendor), name), option='action',
                                    allowed=allowed)
        return spec
    name = params['vendor_action'].strip() if params['vendor_action'] else ''
    if not name:
        raise InvalidInputError('must not be empty', option='vendor_action')
    spec = catalogue.get(name)
    if spec is None:
        matches = [item for item in catalogue.values() if item.vendor_name == name]
        spec = matches[0] if matches else None
    if spec is None:
        allowed = sorted(set(key for key in catalogue) | set(item.vendor_name for item in catalogue.values()))
        raise InvalidInputError('%s documents no command %r' % (vendor_display_name(vendor), name),
                                option='vendor_action', allowed=allowed)
    return spec


def command_params(spec, params):
    """``params`` with the message options merged in; a message option the command does not take is an error."""
    merged = dict(params['params'] or {})
    for option, key, words in MESSAGE_OPTIONS:
        value = params[option]
        if value is None:
            continue
        if key not in spec.params:
            raise InvalidInputError('%s takes no %s' % (spec.name, words), option=option,
                                    allowed=[o for o, k, _w in MESSAGE_OPTIONS if k in spec.params] or ['none of them'])
        if key in merged:
            raise InvalidInputError('the %s is given both as the option %s and as params.%s' % (words, option, key),
                                    option='params.%s' % key)
        merged[key] = value
    return merged


def check_command(adapter, spec, params):
    """adapter.check_action(), with an error about a message option named after the option the user wrote."""
    merged = command_params(spec, params)
    try:
        return adapter.check_action(spec, merged, option='params')
    except InvalidInputError as exc:
        for option, key, _words in MESSAGE_OPTIONS:
            if params[option] is not None and exc.option == 'params.%s' % key:
                exc.option = option
                exc.message = exc.message.replace('params.%s' % key, option)
        raise


def check_options(params):
    """Checks of the module's own options, before the vendor's."""
    selectors = [name for name in SELECTORS if params[name] not in (None, False)]
    if params['devices'] is not None and selectors:
        raise InvalidInputError('give either devices or a selector, not both', option='devices',
                                allowed=['devices'] + list(SELECTORS))
    if params['devices'] is None and not selectors:
        raise InvalidInputError('give the devices by id, or choose them with a selector', option='devices',
                                allowed=['devices'] + list(SELECTORS))
    if params['all_devices'] and len(selectors) > 1:
        raise InvalidInputError('all_devices chooses every device: it does not combine with other selectors',
                                option='all_devices')
    if params['max_devices'] < 1:
        raise InvalidInputError('must be 1 or more, not %d' % params['max_devices'], option='max_devices')
    if params['wait_timeout'] < 1:
        raise InvalidInputError('must be 1 second or more, not %d' % params['wait_timeout'], option='wait_timeout')
    if not 1 <= params['wait_interval'] <= params['wait_timeout']:
        raise InvalidInputError('must be between 1 and wait_timeout (%d), not %d' % (
            params['wait_timeout'], params['wait_interval']), option='wait_interval')
    for name in ('label', 'query'):
        if params[name] is not None and not params[name].strip():
            raise InvalidInputError('must not be empty', option=name)
    check_concurrency(params['concurrency'])


def selection(params, vendor):
    """(filters, vendor_filters) for list_devices from the selector options."""
    filters = dict(params['filters'] or {})
    vendor_filters = dict(params['vendor_filters'] or {})
    if params['label'] is not None:
        if 'label' in filters:
            raise InvalidInputError('label is given both as the option label and in filters', option='filters.label')
        filters['label'] = params['label']
    if params['query'] is not None:
        key = QUERY_FILTER.get(vendor)
        if key is None:
            raise InvalidInputError('query is a MobileIron Core or MobileIron Cloud search; for %s choose the devices '
                                    'with filters or vendor_filters' % vendor_display_name(vendor), option='query')
        if key in vendor_filters:
            raise InvalidInputError('the search is given both as the option query and in vendor_filters.%s' % key,
                                    option='vendor_filters.%s' % key)
        vendor_filters[key] = params['query']
    return filters, vendor_filters


def resolve(module, adapter, spec):
    """(ids in order, {id: normalised device} where the listing already read them)."""
    params = module.params
    if params['devices'] is not None:
        ids = adapter.check_device_ids(params['devices'], option='devices')
        ids = list(dict.fromkeys(ids))
        if not ids:
            raise InvalidInputError('give one or more device ids', option='devices')
        return ids, None
    filters, vendor_filters = selection(params, adapter.name)
    found = adapter.list_devices(filters=filters, vendor_filters=vendor_filters, concurrency=params['concurrency'])
    # Before any write: a selection from an inconsistent listing may miss devices or hold gone ones (session.py).
    warning = check_listing(getattr(found, 'report', None), params.get('allow_inconsistent_listing'),
                            'the devices to %s' % spec.name, vendor=adapter.name)
    if warning:
        module.warn(warning)
    ids = list(dict.fromkeys(device['mdm_device_id'] for device in found))
    if not ids:
        used = [name for name in SELECTORS if params[name] not in (None, False)]
        raise InvalidInputError('the selection matched no device: nothing to %s' % spec.name, option=used[0],
                                allowed=['a selection that matches one or more devices'])
    return ids, dict((device['mdm_device_id'], device) for device in found)


def guard(spec, ids, max_devices):
    if spec.destructive and len(ids) > max_devices:
        raise InvalidInputError(
            '%s is destructive and would act on %d devices, more than max_devices (%d); nothing was sent. Raise '
            'max_devices to %d to allow it' % (spec.name, len(ids), max_devices, len(ids)), option='max_devices')


def run(module, adapter):
    params = module.params
    check_options(params)
    catalogue = adapter.action_catalogue()
    spec = find_spec(catalogue, params, adapter.name)
    command = check_command(adapter, spec, params)
    ids, listed = resolve(module, adapter, spec)
    guard(spec, ids, params['max_devices'])

    verdicts = {}
    if spec.needs_targets:
        targets = listed if listed is not None else adapter.action_targets(spec, ids, concurrency=params['concurrency'])
        for device_id in ids:
            if device_id not in targets:
                verdicts[device_id] = result(device_id, 'failed', 'no such device on the server: nothing was sent to it')
        verdicts.update(adapter.precheck_action(spec, dict((i, targets[i]) for i in ids if i in targets)))
    pending = [device_id for device_id in ids if device_id not in verdicts]

    sent = {}
    if pending and module.check_mode:
        for device_id in pending:
            sent[device_id] = result(device_id, 'sent', 'check mode: %s would be sent; nothing was sent' % spec.name)
    elif pending:
        replies = adapter.send_action(spec, command, pending, concurrency=params['concurrency'])
        if len(replies) != len(pending):
            raise RuntimeError('the %s adapter returned %d results for %d devices' % (adapter.name, len(replies), len(pending)))
        if params['wait']:
            followed = spec.waitable and adapter.wait_actions(spec, replies, params['wait_timeout'],
                                                              interval=params['wait_interval'])
            if not followed:
                module.warn('%s gives no way to follow %s to completion: the results stay "sent"' % (
                    vendor_display_name(adapter.name), spec.name))
        for item in replies:
            sent[item['device_id']] = item
    results = [verdicts.get(device_id) or sent[device_id] for device_id in ids]
    for item in results:
        if item['outcome'] not in OUTCOMES:
            raise RuntimeError('the %s adapter returned the outcome %r' % (adapter.name, item['outcome']))
    summary = summarise(results)
    changed = any(item['outcome'] in CHANGING for item in results)
    report = dict(action=spec.name if spec.neutral and spec.name in NEUTRAL_ACTIONS else None,
                  vendor_action=spec.vendor_name, destructive=spec.destructive or spec.name in DESTRUCTIVE_ACTIONS,
                  devices=ids, results=results, summary=summary)
    bad = [item for item in results if item['outcome'] in ('failed', 'unknown')]
    if bad and params['fail_on_partial']:
        raise PartialFailure('%s: %s of %s devices failed and %s may or may not have received the command; for '
                             'example %s: %s' % (spec.name, summary['failed'], len(ids), summary['unknown'],
                                                 bad[0]['device_id'], bad[0]['message']), changed, report)
    return changed, report, None


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            action=dict(type='str', choices=list(NEUTRAL_ACTIONS)),
            vendor_action=dict(type='str'),
            devices=dict(type='list', elements='str'),
            filters=dict(type='dict'),
            vendor_filters=dict(type='dict'),
            label=dict(type='str'),
            query=dict(type='str'),
            all_devices=dict(type='bool', default=False),
            allow_inconsistent_listing=dict(type='bool', default=False),
            text=dict(type='str', aliases=['msg']),
            subject=dict(type='str'),
            message_type=dict(type='str', choices=['sms', 'pns', 'email']),
            params=dict(type='dict', default={}),
            max_devices=dict(type='int', default=1),
            wait=dict(type='bool', default=False),
            wait_timeout=dict(type='int', default=300),
            wait_interval=dict(type='int', default=5),
            fail_on_partial=dict(type='bool', default=True),
            concurrency=dict(type='int', default=4),
        ),
        mutually_exclusive=[('action', 'vendor_action')],
        required_one_of=[('action', 'vendor_action')],
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
