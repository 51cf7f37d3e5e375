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
  - A selector never chooses the whole fleet by accident - an empty O(filters) or O(vendor_filters), or a filter
    without a value, is refused; every device only with O(all_devices=true) - and O(max_devices) caps every command
    a selector chose, not only the destructive ones.
  - On SIGINT or SIGTERM (a Ctrl-C, an AWX job cancelled) while sending, the module stops before the next request,
    lets the requests in flight finish, and fails with the per-device results so far (V(not_sent) for the devices it
    did not reach). ansible-playbook does not wait for that result (it passes the signal on to the module and ends
    its worker), so the results of an interrupted run reach O(results_file) only - set it for bulk commands.
  - Destructive commands (O(max_devices)) are written to a journal on the machine that runs the module (for a play
    on C(localhost), the controller) before and after they are sent. A rerun, or another run at the same
    time, skips a device whose same command is in the journal as sent, completed, unknown or still being sent,
    younger than O(journal_window); the device is reported as V(skipped) with the journal entry, until
    O(resend=true). See O(journal_path) for where it lives and what it holds.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
attributes:
  check_mode:
    support: full
    details: Resolves and validates the targets (reads only) and returns the would-be results, with the outcome
      V(would_send) (never V(sent)); sends no write.
  diff_mode:
    support: full
    details: Shows per device the command that is (in check mode, would be) sent, with the device's id, name, user
      and model. In check mode devices given by id are read for it (reads only); otherwise the name, user and model
      are shown where the command read them anyway.
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
      - Text values are case-insensitive shell-style patterns, except C(label), which names one label exactly as
        O(label) does.
      - Must not be empty, and each filter needs a value; an empty O(filters) would choose every device (use
        O(all_devices=true) for that).
    type: dict
  vendor_filters:
    description:
      - Choose the devices with the vendor's own search parameters, as in M(fleetops.mdm.mdm_device_info).
      - Must not be empty, and each parameter needs a value.
    type: dict
  label:
    description:
      - Choose the devices in the label or device group of exactly this name (case and every character count; C(*),
        C(?) and C([) are plain characters). Same as O(filters) C(label).
      - Mutually exclusive with O(label_pattern).
    type: str
  label_pattern:
    description:
      - Choose the devices in every label or device group whose name matches this case-insensitive shell-style
        pattern (C(BYO*) chooses the devices of C(BYOD) and C(byod-2024)).
      - Mutually exclusive with O(label).
    type: str
  query:
    description:
      - Choose the devices with a MobileIron Core C(query) or a MobileIron Cloud C(fq) search expression.
    type: str
  all_devices:
    description:
      - Choose every device of the server; the only way to do so. O(max_devices) still applies (its default for a
        command that is not destructive is 100), so a fleet-wide command gives a O(max_devices) that fits the fleet.
    type: bool
    default: false
  text:
    description:
      - The message of O(action=send_message), or the lock-screen text of a lock where the vendor takes one.
      - Checked before any request against the vendor's documented maximum length (MobileIron Core documents 200
        characters for a C(note); the other vendors document no limit for their texts).
      - Control characters are refused. Newlines and tabs are allowed in the body of O(action=send_message) only;
        every other text (a lock-screen text, a subject, a note) is shown on one line.
      - Named C(text) because C(message) is reserved by Ansible for its own use.
    type: str
    aliases: [msg]
  subject:
    description:
      - The subject or title of a message, where the vendor takes one (required for e-mail on MobileIron Core).
      - One line without control characters.
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
      - Act on devices chosen by a selector (O(filters), O(vendor_filters), O(label), O(label_pattern), O(query),
        O(all_devices)) even when the listing that chose them was not consistent.
      - A listing is not consistent when the server's total changed between pages, a page was short before the end,
        an id came twice, or the count disagreed with the server's total, on every one of the listing's passes
        (devices enrolled or removed while it ran). Such a selection may miss devices or hold devices that are gone.
      - By default the module then fails before sending anything, naming what was inconsistent; with V(true) it
        warns with the numbers and acts on what was listed.
    type: bool
    default: false
  max_devices:
    description:
      - The most devices the command may act on, counted after the ids are normalised and duplicates dropped. When
        the devices given or chosen are more, the module fails before sending anything, naming the count.
      - Default for a destructive command (wipe, selective_wipe, retire, remove, complete_wipe, corporate_wipe) - 1,
        however the devices were given.
      - Default for any other command whose devices a selector chose (O(filters), O(vendor_filters), O(label),
        O(label_pattern), O(query), O(all_devices)) - 100. That is more than a team's devices or a targeted label
        usually hold and far less than a fleet, so a selector that matches much more than intended (a filter
        that did not apply, a label pattern) stops before the first request; raise it for a fleet-wide command.
      - Default for any other command given by O(devices) - no limit (the list is the limit).
    type: int
  results_file:
    description:
      - A file on the host that runs the module (usually the controller) that receives a JSON-lines record of the
        command as it is sent - a C(start) line (with the module's process id), a C(sending) line before each
        request with its device ids, a C(result) line per device, and an C(end) line with the summary and the
        signal that interrupted it, if any. Written with mode 0600, appended to, flushed at every line.
      - The one place the results of a run interrupted by SIGINT or SIGTERM are kept (see the description); a device
        with a C(sending) line and no C(result) line may have received the command.
      - Not written in check mode.
    type: path
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
  journal:
    description:
      - Keep the journal of destructive commands (wipe, selective_wipe, retire, remove, complete_wipe,
        corporate_wipe) and skip the devices it holds a recent command of. With V(false), nothing is read or
        written and a rerun sends again what an earlier run sent (or may have sent).
      - Other commands are never journaled.
      - The environment variable E(MDM_JOURNAL) is read when the option is not given.
    type: bool
    default: true
  journal_path:
    description:
      - The directory of the journal. Default C(~/.ansible/fleetops.mdm/journal) of the user who runs the module.
      - It is created with mode 0700 (an existing directory of the user's that others can read is set to 0700; one
        of another user is refused); its files (one JSON file and one lock file per server) are written 0600.
      - Every run on one machine that should see the others' commands must use the same directory. Runs on
        different machines, or AWX / Automation Controller jobs whose execution environment starts with an empty
        home each time, do not see each other's journal unless the directory is shared, for example a persistent
        volume of the execution environment given here or through E(MDM_JOURNAL_PATH).
      - An entry holds the device id, the command, its state (V(sending), V(sent), V(completed), V(unknown),
        V(failed), V(not_applicable)), when it was started and last updated, the vendor's command id and an id of
        the run; the server is recorded as its URL without user information, query or fragment (and the IBM
        MaaS360 billing id). No credential, token or message text is written.
      - Checking the journal and writing V(sending) for the devices about to be commanded happen under one
        exclusive C(fcntl) lock of the server's file, so that of two runs only one sends to a device. The lock is
        not held while requests are in flight.
      - Entries older than O(journal_window) and seven days are pruned on every write; a file keeps at most
        20,000 entries.
      - A journal file that cannot be read fails the task before anything is sent, naming the file; it is never
        overwritten.
      - The environment variable E(MDM_JOURNAL_PATH) is read when the option is not given.
    type: path
  journal_window:
    description:
      - For how many hours (1 to 2160) a journaled command stops the same command to the same device.
    type: int
    default: 24
  resend:
    description:
      - Send a destructive command even to devices the journal holds a recent one of (the journal is still
        written).
      - Where the journal says V(unknown) (or V(sending), left by a run that ended before writing the outcome),
        the server is asked first wherever the vendor documents a way, and a device whose server already has the
        command is V(skipped). A look-up that fails sends nothing (the device is V(failed)).
      - ManageEngine MDM - the device's last initiated command, then its command history since the journal entry.
      - IBM MaaS360 - C(checkActionStatus) of the actionID, when the lost reply left one. MaaS360 documents no
        look-up of a command without its actionID (C(searchActionHistory) is named, but its request and reply are
        shown in no source we can cite), so without one the device is commanded again.
      - MobileIron Core and Cloud - the device status, read before every wipe and retire (retired, wiped, or on
        their way there, C(RETIRE_PENDING) and C(WIPE_PENDING)).
      - A device another run started sending to after this run started is still skipped.
    type: bool
    default: false
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

- name: Lock every device of the fleet, keeping a record that survives an interrupted run
  fleetops.mdm.mdm_device_action:
    action: lock
    all_devices: true
    max_devices: 5000
    results_file: /var/log/mdm/lock-all.jsonl

- name: Wipe a device again although the journal holds a recent wipe of it (its reply was lost)
  fleetops.mdm.mdm_device_action:
    action: wipe
    devices: ["Androidc60775214"]
    resend: true

- name: A vendor's own action - update iOS on MobileIron Core
  fleetops.mdm.mdm_device_action:
    vendor: mobileiron_core
    vendor_action: UPDATE_OS
    query: '"common.platform" = "iOS"'
    max_devices: 1000
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
          in the state the command leads to, or the journal holds a recent command of it (RV(results[].journal));
          V(unknown) - the request may have reached the server without an answer, or handling it raised an
          unexpected error, verify before sending again; V(would_send) - check
          mode, the command would be sent (a dry run never says V(sent)); V(not_sent) - the task was interrupted
          (SIGINT, SIGTERM) or stopped on an error before the command went to this device.
      type: str
      choices: [sent, completed, failed, not_applicable, skipped, unknown, would_send, not_sent]
    message:
      description: The vendor's message, or why the device was not commanded.
      type: str
    command_id:
      description: The vendor's id of the command or action, where it gives one.
      type: str
    data:
      description: What the command returns beyond its status (a location, remote-session links, ...).
      type: dict
    journal:
      description:
        - The journal entry that made the device V(skipped) (see O(journal_path)).
      type: dict
      returned: when the journal stopped the command
      contains:
        command:
          description: The vendor's name of the command.
          type: str
        action:
          description: The command's name as the user gave it.
          type: str
        state:
          description: How the journaled command ended, or V(sending) while (or if) a run never wrote its outcome.
          type: str
          choices: [sending, sent, completed, unknown]
        started:
          description: When the command was claimed for sending (ISO 8601 UTC).
          type: str
        updated:
          description: When the entry was last written (ISO 8601 UTC).
          type: str
        command_id:
          description: The vendor's id of the command, where it gave one.
          type: str
      sample: {command: wipeDevice, action: wipe, state: unknown, started: '2026-11-30T09:12:04Z',
               updated: '2026-11-30T09:12:05Z', command_id: null}
summary:
  description: How many devices ended with each outcome (V(would_send) in check mode, never V(sent)), and C(total).
  returned: always
  type: dict
  sample: {sent: 2, completed: 0, failed: 0, not_applicable: 1, skipped: 0, unknown: 0, would_send: 0, not_sent: 0,
           total: 3}
'''

from ansible.module_utils.basic import env_fallback

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import (
    DESTRUCTIVE_ACTIONS, NEUTRAL_ACTIONS, OUTCOMES, UNKNOWN_ADVICE, result, summarise,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, redact, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.journal import (
    DEFAULT_WINDOW_HOURS, claim_or_skip, journal_verdicts, open_journal, record_sent, send_claimed,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, PartialFailure, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.send_control import SendControl, WaitInterrupted
from ansible_collections.fleetops.mdm.plugins.module_utils.session import check_listing
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import (
    COMMAND_MESSAGE_TYPE, COMMAND_PARAMS, COMMAND_SUBJECT, DEVICES, LISTING_FILTERS, LISTING_VENDOR_FILTERS)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import VENDORS, require

SELECTORS = ('filters', 'vendor_filters', 'label', 'label_pattern', 'query', 'all_devices')
# Module option -> the parameter key the adapters declare (ActionSpec.params) -> what the user reads in a message.
MESSAGE_OPTIONS = (('text', 'message', 'message'), ('subject', 'subject', 'subject'),
                   ('message_type', 'message_type', 'message type'))
CHANGING = ('sent', 'completed', 'unknown', 'would_send')
# The default max_devices of a command that is not destructive and whose devices a selector chose (DOCUMENTATION says
# why this number).
SELECTOR_MAX_DEVICES = 100


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


def check_command(actions, spec, params):
    """actions.check_action(), with an error about a message option named after the option the user wrote."""
    merged = command_params(spec, params)
    try:
        with option_names({COMMAND_PARAMS: 'params', COMMAND_SUBJECT: 'subject', COMMAND_MESSAGE_TYPE: 'message_type'}):
            return actions.check_action(spec, merged)
    except InvalidInputError as exc:
        for option, key, _words in MESSAGE_OPTIONS:
            if params[option] is not None and exc.option == 'params.%s' % key:
                exc.option = option
                exc.message = exc.message.replace('params.%s' % key, option)
        raise


def given_selectors(params):
    """The selector options given.  An empty filters or vendor_filters beside all_devices=true is no selector (a
    template that yields {} for "everything" says so with all_devices)."""
    given = []
    for name in SELECTORS:
        value = params.get(name)
        if value in (None, False):
            continue
        if name in ('filters', 'vendor_filters') and not value and params['all_devices']:
            continue
        given.append(name)
    return given


def check_options(params):
    """Checks of the module's own options, before the vendor's."""
    selectors = given_selectors(params)
    if params['devices'] is not None and selectors:
        raise InvalidInputError('give either devices or a selector, not both', option='devices',
                                allowed=['devices'] + list(SELECTORS))
    if params['devices'] is None and not selectors:
        raise InvalidInputError('give the devices by id, or choose them with a selector', option='devices',
                                allowed=['devices'] + list(SELECTORS))
    if params['all_devices'] and len(selectors) > 1:
        raise InvalidInputError('all_devices chooses every device: it does not combine with other selectors',
                                option='all_devices')
    # An empty selector chooses every device: the whole fleet only when asked for by name.
    for name in ('filters', 'vendor_filters'):
        if name not in selectors:
            continue
        if not params[name]:
            raise InvalidInputError('is empty and would choose every device; to command every device say '
                                    'all_devices: true', option=name, allowed=['one or more filters', 'all_devices: true'])
        for key, value in params[name].items():
            values = value if isinstance(value, (list, tuple)) else [value]
            if not values or any(item is None or (isinstance(item, str) and not item.strip()) for item in values):
                raise InvalidInputError('has no value: an empty filter would choose devices with any (or no) %s' % key,
                                        option='%s.%s' % (name, key))
    if params['label'] is not None and params.get('label_pattern') is not None:
        raise InvalidInputError('give either label (one label, by its exact name) or label_pattern, not both',
                                option='label_pattern')
    max_devices = params['max_devices']
    if max_devices is not None and max_devices < 1:
        raise InvalidInputError('must be 1 or more, not %s' % max_devices, option='max_devices')
    if params['wait_timeout'] < 1:
        raise InvalidInputError('must be 1 second or more, not %d' % params['wait_timeout'], option='wait_timeout')
    if not 1 <= params['wait_interval'] <= params['wait_timeout']:
        raise InvalidInputError('must be between 1 and wait_timeout (%d), not %d' % (
            params['wait_timeout'], params['wait_interval']), option='wait_interval')
    for name in ('label', 'label_pattern', 'query'):
        if params.get(name) is not None and not params[name].strip():
            raise InvalidInputError('must not be empty', option=name)
    check_concurrency(params['concurrency'])


def literal_pattern(text):
    """A shell-style pattern that matches ``text`` only (the neutral label filter takes patterns)."""
    return ''.join('[%s]' % char if char in '*?[' else char for char in text)


def selection(params, adapter):
    """(filters, vendor_filters, exact label or None) for list_devices from the selector options."""
    filters = dict(params['filters'] or {})
    vendor_filters = dict(params['vendor_filters'] or {})
    # label (and filters.label) names one label exactly; a pattern only through label_pattern.
    exact = params['label']
    if exact is not None and 'label' in filters:
        raise InvalidInputError('label is given both as the option label and in filters', option='filters.label')
    if 'label' in filters:
        if params.get('label_pattern') is not None:
            raise InvalidInputError('label is given both as label_pattern and in filters', option='filters.label')
        exact = filters['label']
        if not isinstance(exact, str):
            raise InvalidInputError('names one label exactly; for several labels or a pattern use label_pattern',
                                    option='filters.label')
    if exact is not None:
        filters['label'] = literal_pattern(exact)
    elif params.get('label_pattern') is not None:
        filters['label'] = params.get('label_pattern')
    if params['query'] is not None:
        # The vendor search parameter that O(query) stands for, as the vendor's session declares it.
        key = adapter.query_filter
        if key is None:
            searchable = [vendor_display_name(name) for name in VENDORS if VENDORS[name].session.query_filter]
            raise InvalidInputError('query is a %s search; for %s choose the devices with filters or vendor_filters' % (
                ' or '.join(searchable), vendor_display_name(adapter.name)), option='query')
        if key in vendor_filters:
            raise InvalidInputError('the search is given both as the option query and in vendor_filters.%s' % key,
                                    option='vendor_filters.%s' % key)
        vendor_filters[key] = params['query']
    return filters, vendor_filters, exact


def normalised_ids(adapter, ids):
    """Each id as the vendor writes it (the adapter's normalise_device_id where it has one), each once, in order:
    what max_devices counts."""
    normalise = getattr(adapter, 'normalise_device_id', None)
    if callable(normalise):
        ids = [normalise(device_id) for device_id in ids]
    return list(dict.fromkeys(ids))


def resolve(module, adapter, spec):
    """(ids in order, {id: normalised device} where the listing already read them)."""
    params = module.params
    if params['devices'] is not None:
        with option_names({DEVICES: 'devices'}):
            ids = normalised_ids(adapter, require(adapter, 'actions').check_device_ids(params['devices']))
        if not ids:
            raise InvalidInputError('give one or more device ids', option='devices')
        return ids, None
    filters, vendor_filters, exact_label = selection(params, adapter)
    # The listing feeds a write: a page-number listing (MaaS360) is read until two passes agree, since one pass cannot
    # see balanced churn (session.py); one more pass is cheap beside a device missed or wrongly acted on.
    adapter.confirm_listings = True
    with option_names({LISTING_FILTERS: 'filters', LISTING_VENDOR_FILTERS: 'vendor_filters'}):
        found = adapter.list_devices(filters=filters, vendor_filters=vendor_filters, concurrency=params['concurrency'])
    # Before any write: a selection from an inconsistent listing may miss devices or hold gone ones (session.py).
    warning = check_listing(getattr(found, 'report', None), params.get('allow_inconsistent_listing'),
                            'the devices to %s' % spec.name, vendor=adapter.name)
    if warning:
        module.warn(warning)
    if exact_label is not None:
        # The listing matches labels case-insensitively: keep the devices in the label of exactly this name.
        found = [device for device in found if exact_label in (device.get('mdm_labels') or [])]
    listed = {}
    for device in found:
        listed.setdefault(normalised_ids(adapter, [device['mdm_device_id']])[0], device)
    ids = list(listed)
    if not ids:
        used = given_selectors(params)
        raise InvalidInputError('the selection matched no device: nothing to %s' % spec.name, option=used[0],
                                allowed=['a selection that matches one or more devices'])
    return ids, listed


def guard(spec, ids, params):
    """max_devices: always for a destructive command (default 1); for any other command chosen by a selector (default
    SELECTOR_MAX_DEVICES); for any command when given."""
    given = params['max_devices']
    if given is not None:
        limit = int(given)
    elif spec.destructive:
        limit = 1
    elif params['devices'] is None:
        limit = SELECTOR_MAX_DEVICES
    else:
        return
    if len(ids) <= limit:
        return
    if spec.destructive:
        why = '%s is destructive and would act on %d devices' % (spec.name, len(ids))
    else:
        why = '%s would act on %d devices chosen by %s' % (spec.name, len(ids), ', '.join(given_selectors(params)) or 'id')
    default = '' if given is not None else ', the default'
    raise InvalidInputError('%s, more than max_devices (%d%s); nothing was sent. Raise max_devices to %d to allow it' % (
        why, limit, default, len(ids)), option='max_devices')


def send(module, adapter, spec, command, pending):
    """{id: result} of sending the command to ``pending``, also when interrupted or when sending raised midway;
    and the name of the signal that stopped it (None).  SIGINT and SIGTERM are handled from the first request to the
    last line of the record."""
    params = module.params
    control = SendControl(params.get('results_file'), command=spec.name)
    actions = require(adapter, 'actions')
    actions.send_control = control
    try:
        with control:
            try:
                replies = actions.send_action(spec, command, pending, concurrency=params['concurrency'])
            except Exception as exc:  # pylint: disable=broad-except
                if not control.started:
                    raise  # nothing was sent: the error is the task's (a refused log-in, ...)
                # A report is never lost: the devices the record holds keep their results, the others are unknown.
                reason = redact('%s: %s' % (type(exc).__name__, exc), adapter.transport.secrets)
                replies = [control.results.get(device_id) or result(
                    device_id, 'unknown', 'sending stopped on an unexpected error (%s); %s' % (reason, UNKNOWN_ADVICE))
                    for device_id in pending]
            got = {}
            for item in replies:
                if isinstance(item, dict) and item.get('device_id') in pending and item.get('outcome') in OUTCOMES:
                    got.setdefault(item['device_id'], item)
            for device_id in pending:
                if device_id not in got:
                    got[device_id] = control.results.get(device_id) or result(
                        device_id, 'unknown', 'the %s adapter returned no usable result for this device; %s' % (
                            adapter.name, UNKNOWN_ADVICE))
            if params['wait'] and not control.signal_name:
                follow(module, adapter, spec, control, [got[device_id] for device_id in pending])
            control.close(summarise([got[device_id] for device_id in pending]))
            return got, control.signal_name
    finally:
        actions.send_control = None
        control.close()


def follow(module, adapter, spec, control, sent):
    """wait: follow the commands to completion where the vendor lets one; a stop signal ends it at once."""
    params = module.params
    control.waiting = True
    try:
        followed = spec.waitable and require(adapter, 'actions').wait_actions(spec, sent, params['wait_timeout'],
                                                                              interval=params['wait_interval'])
    except WaitInterrupted:
        followed = True  # stopped following: the results stay as far as they were followed
    finally:
        control.waiting = False
    if not followed:
        module.warn('%s gives no way to follow %s to completion: the results stay "sent"' % (
            vendor_display_name(adapter.name), spec.name))


def describe(device):
    """What --diff shows of a device beside its id."""
    device = device or {}
    return ', '.join('%s: %s' % (key, device.get('mdm_' + key) or '-') for key in ('name', 'user', 'model'))


def command_diff(spec, results, devices, check_mode):
    """Per device, the command that was (check mode: would be) sent."""
    lines = ['%s %s (%s)\n' % (spec.name, item['device_id'], describe(devices.get(item['device_id'])))
             for item in results if item['outcome'] in CHANGING]
    verb = 'would be sent' if check_mode else 'sent'
    return dict(before='', after=''.join(lines), before_header='no command',
                after_header='%s %s to %d device(s)' % (spec.name, verb, len(lines)))


def run(module, adapter):
    """Send one device command to the devices given or selected, through the vendor's actions capability: every check
    (options, parameters, ids, max_devices, the journal) before the first request; one result per device."""
    params = module.params
    check_options(params)
    actions = require(adapter, 'actions')
    catalogue = actions.action_catalogue()
    spec = find_spec(catalogue, params, adapter.name)
    command = check_command(actions, spec, params)
    ids, listed = resolve(module, adapter, spec)
    guard(spec, ids, params)
    want_diff = bool(getattr(module, '_diff', False))
    destructive = spec.destructive or spec.name in DESTRUCTIVE_ACTIONS
    journal = open_journal(params, adapter.name) if destructive else None

    verdicts = {}
    targets = listed
    # A dry run with --diff reads the devices given by id, to show whom the command would reach.
    if spec.needs_targets or (want_diff and module.check_mode and listed is None):
        targets = listed if listed is not None else actions.action_targets(spec, ids, concurrency=params['concurrency'])
    if spec.needs_targets:
        for device_id in ids:
            if device_id not in targets:
                verdicts[device_id] = result(device_id, 'failed', 'no such device on the server: nothing was sent to it')
        verdicts.update(actions.precheck_action(spec, dict((i, targets[i]) for i in ids if i in targets)))
    # Destructive commands: what the server shows comes first; of the rest, the devices with a recent command in the
    # journal are skipped (read only: check mode too).
    verdicts.update(journal_verdicts(journal, actions, spec, [i for i in ids if i not in verdicts],
                                     params.get('resend'), module.check_mode))
    pending = [device_id for device_id in ids if device_id not in verdicts]

    sent, interrupted = {}, None
    if pending and module.check_mode:
        for device_id in pending:
            sent[device_id] = result(device_id, 'would_send',
                                     'check mode: %s would be sent; nothing was sent' % spec.name)
    elif pending:
        # The journal's "sending" entries are written (under its lock) before any request; another run holding them
        # makes these devices skipped here.
        pending = claim_or_skip(journal, spec, pending, params.get('resend'), verdicts)
        if pending:
            sent, interrupted = send_claimed(journal, spec, pending, lambda: send(module, adapter, spec, command, pending))
            record_sent(journal, spec, [sent[device_id] for device_id in pending])
    results = [verdicts.get(device_id) or sent[device_id] for device_id in ids]
    summary = summarise(results)
    changed = any(item['outcome'] in CHANGING for item in results)
    report = dict(action=spec.name if spec.neutral and spec.name in NEUTRAL_ACTIONS else None,
                  vendor_action=spec.vendor_name, destructive=destructive,
                  devices=ids, results=results, summary=summary)
    diff = command_diff(spec, results, targets or {}, module.check_mode) if want_diff else None
    if diff is not None:
        report['diff'] = diff
    if interrupted:
        raise PartialFailure('%s: interrupted by %s; it stopped sending: %s devices got the command (sent or completed), '
                             '%s may have (unknown), %s did not (not_sent); the results say which' % (
                                 spec.name, interrupted, summary['sent'] + summary['completed'], summary['unknown'],
                                 summary['not_sent']), changed, report)
    bad = [item for item in results if item['outcome'] in ('failed', 'unknown', 'not_sent')]
    if bad and (params['fail_on_partial'] or summary['not_sent']):
        raise PartialFailure('%s: %s of %s devices failed and %s may or may not have received the command; for '
                             'example %s: %s' % (spec.name, summary['failed'] + summary['not_sent'], len(ids),
                                                 summary['unknown'], bad[0]['device_id'], bad[0]['message']),
                             changed, report)
    report.pop('diff', None)
    return changed, report, diff


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            action=dict(type='str', choices=list(NEUTRAL_ACTIONS)),
            vendor_action=dict(type='str'),
            devices=dict(type='list', elements='str'),
            filters=dict(type='dict'),
            vendor_filters=dict(type='dict'),
            label=dict(type='str'),
            label_pattern=dict(type='str'),
            query=dict(type='str'),
            all_devices=dict(type='bool', default=False),
            allow_inconsistent_listing=dict(type='bool', default=False),
            text=dict(type='str', aliases=['msg']),
            subject=dict(type='str'),
            message_type=dict(type='str', choices=['sms', 'pns', 'email']),
            params=dict(type='dict', default={}),
            max_devices=dict(type='int'),
            results_file=dict(type='path'),
            wait=dict(type='bool', default=False),
            wait_timeout=dict(type='int', default=300),
            wait_interval=dict(type='int', default=5),
            fail_on_partial=dict(type='bool', default=True),
            concurrency=dict(type='int', default=4),
            journal=dict(type='bool', default=True, fallback=(env_fallback, ['MDM_JOURNAL'])),
            journal_path=dict(type='path', fallback=(env_fallback, ['MDM_JOURNAL_PATH'])),
            journal_window=dict(type='int', default=DEFAULT_WINDOW_HOURS),
            resend=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('action', 'vendor_action')],
        required_one_of=[('action', 'vendor_action')],
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
