#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_device
short_description: Set the details, profiles and apps of MDM devices, or delete retired devices
version_added: 0.1.0
description:
  - With O(state=present) and O(details), makes the details of ManageEngine MDM devices (asset tag, name,
    description, purchase and warranty data, ...) hold the given values. It reads each device first and sends only
    the fields that differ, so fields not given never change and a second identical run sends no write.
  - With O(state=present) and O(profiles) or O(apps), associates profiles and apps with ManageEngine MDM devices or
    dissociates them. It reads the profiles and apps of each device first and sends only the difference, so a second
    identical run sends no write.
  - With O(state=absent), deletes MobileIron Core devices. Only retired devices can be deleted, so the status of every
    device is read first, and a device that is not retired fails the task before any write. A device that no
    longer exists is skipped.
  - Every other vendor and state fails with a clear message before any request.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
attributes:
  check_mode:
    support: full
    details: Reads the devices and reports what would change; sends no write.
  diff_mode:
    support: full
    details: >-
      The given detail fields of each device before and after, the profile and app ids of each changed device before
      and after, or the devices that exist before and after.
options:
  devices:
    description:
      - Vendor-native ids of the devices (ManageEngine C(device_id), MobileIron Core device UUID).
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) - the devices hold O(details), O(profiles) and O(apps) (ManageEngine MDM).
      - V(absent) - the devices are deleted (MobileIron Core, retired devices only).
    type: str
    choices: [present, absent]
    default: present
  details:
    description:
      - ManageEngine MDM device details to set with O(state=present); required then (with one or more keys) unless
        O(profiles) or O(apps) is given.
      - "Keys are the fields of the vendor's device update call: V(asset_owner), V(asset_tag), V(apn_username),
        V(description), V(name), V(office), V(purchase_date), V(purchase_order_number), V(purchase_price),
        V(purchase_type), V(warranty_expiration_date), V(warranty_number), V(warranty_type). Any other key fails
        before any request."
      - Dates are milliseconds since the epoch, as the vendor writes them. The vendor reverts a field to its default
        when given an empty string or V(-1).
    type: dict
  profiles:
    description:
      - ManageEngine MDM profiles that must (or must not) be associated with each device, with O(state=present).
      - Profiles not listed are left as they are.
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - The C(profile_id) of the profile. Needed to associate a profile, since ManageEngine MDM documents no list
            of profiles outside a device to look a name up in.
          - Exactly one of O(profiles[].id) and O(profiles[].name) is required.
        type: str
      name:
        description:
          - The C(profile_name), looked up among the profiles of the device. A name the device does not have fails
            with V(present) and needs no change with V(absent); a name two profiles of the device share fails.
        type: str
      state:
        description:
          - V(present) - associated with the device; V(absent) - not associated.
        type: str
        choices: [present, absent]
        default: present
  apps:
    description:
      - ManageEngine MDM apps that must (or must not) be associated with each device, with O(state=present).
      - Apps not listed are left as they are.
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - The C(app_id) of the app. Needed to associate an app (no list of apps outside a device is documented).
          - Exactly one of O(apps[].id) and O(apps[].name) is required.
        type: str
      name:
        description:
          - The C(app_name), looked up among the apps of the device, as for O(profiles[].name).
        type: str
      state:
        description:
          - V(present) - associated with the device; V(absent) - dissociated from it.
        type: str
        choices: [present, absent]
        default: present
      release_label_id:
        description:
          - The C(release_label_id) of the app version to distribute; the server's default when not given.
          - Only with V(present), and only used when the app is associated by this task.
        type: str
      silent_install:
        description:
          - C(silent_install) of the association request (install without asking the user, where the platform allows it).
          - Not sent when not given, so the server's default applies. Only with V(present).
        type: bool
      notify_user_via_email:
        description:
          - C(notify_user_via_email) of the association request. Not sent when not given. Only with V(present).
        type: bool
      invite_user:
        description:
          - C(invite_user) of the association request, as the vendor names it. Not sent when not given. Only with
            V(present).
        type: bool
      do_not_uninstall:
        description:
          - C(do_not_uninstall) of the association request, as the vendor names it. Not sent when not given. Only with
            V(present).
        type: bool
notes:
  - "ManageEngine MDM: C(GET /api/v1/mdm/devices/{device_id}) reads each device,
    C(PUT /api/v1/mdm/devices/{device_id}) sends only the fields that differ."
  - "MobileIron Core: a device search reads C(common.status) (as many UUIDs a search as its 255-character query
    holds), then C(DELETE /api/v2/devices) deletes at most 512 UUIDs a call. Core deletes only retired iOS, OS X,
    Win8 and Android devices that were not modified in the last day: a device it does not delete is reported in
    RV(failures) and fails the task."
  - "ManageEngine MDM profiles and apps: C(GET /api/v1/mdm/devices/{device_id}/profiles) and
    C(GET /api/v1/mdm/devices/{device_id}/apps) read what each device has (the C(apps) list of the reply; which of its
    two lists holds the associated apps is not stated by the reference), then C(DELETE) and C(POST) on the same paths
    dissociate and associate only the difference - one request per device and kind, and one per set of install options
    for apps. The install options of an app already associated are not compared or changed. On ManageEngine MDM
    cloud the reads need the OAuth scope C(MDMOnDemand.MDMInventory.READ), the writes
    C(MDMOnDemand.MDMDeviceMgmt.CREATE) and C(MDMOnDemand.MDMDeviceMgmt.DELETE)."
  - A write is never sent twice after a lost reply.
'''

EXAMPLES = r'''
- name: Set the asset tag and office of a ManageEngine device
  fleetops.mdm.mdm_device:
    vendor: manageengine
    url: https://mdm.example.com:8383
    api_key: "{{ vault_me_api_key }}"
    devices: ["9007199254741000"]
    details:
      asset_tag: IT-0042
      office: North Plaza

- name: Install the VPN profile and the company portal silently, take the old mail app off
  fleetops.mdm.mdm_device:
    vendor: manageengine
    url: https://mdm.example.com:8383
    api_key: "{{ vault_me_api_key }}"
    devices: ["9007199254741000", "9007199254741001"]
    profiles:
      - id: "12354"
    apps:
      - id: "9007199254740996"
        silent_install: true
        notify_user_via_email: false
      - name: Legacy Mail
        state: absent

- name: Delete retired MobileIron Core devices
  fleetops.mdm.mdm_device:
    vendor: mobileiron_core
    url: https://core.example.com
    username: api-admin
    password: "{{ vault_core_password }}"
    devices:
      - a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9
    state: absent
'''

RETURN = r'''
devices:
  description: What changed (or would change, in check mode) for each device.
  returned: always
  type: list
  elements: dict
  contains:
    device_id:
      description: The device id.
      type: str
    changed:
      description: Whether the device was (or would be) changed.
      type: bool
    fields:
      description: The detail fields sent (ManageEngine MDM); empty when deleting or when no O(details) are given.
      type: list
      elements: str
    status:
      description: The device status before the run (MobileIron Core C(common.status)); null when it does not exist.
      type: str
      sample: RETIRED
    profiles_added:
      description: Ids of the profiles associated (or that would be, in check mode).
      type: list
      elements: str
      returned: when O(profiles) or O(apps) is given
    profiles_removed:
      description: Ids of the profiles dissociated (or that would be, in check mode).
      type: list
      elements: str
      returned: when O(profiles) or O(apps) is given
    apps_added:
      description: Ids of the apps associated (or that would be, in check mode).
      type: list
      elements: str
      returned: when O(profiles) or O(apps) is given
    apps_removed:
      description: Ids of the apps dissociated (or that would be, in check mode).
      type: list
      elements: str
      returned: when O(profiles) or O(apps) is given
requests:
  description: How many write requests were sent (0 in check mode and when nothing changes).
  returned: always
  type: int
  sample: 1
failures:
  description: Devices that do not exist or that the server did not change, with the reason; the task fails when there is any.
  returned: always
  type: list
  elements: dict
  contains:
    device_id:
      description: The device id.
      type: str
    reason:
      description: Why the device was not changed.
      type: str
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, PartialFailure, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICE_FIELDS, DEVICES
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require
from ansible_collections.fleetops.mdm.plugins.module_utils.device_assignments import (
    merge_assignments,
    plan_assignments,
    send_assignments,
)


def check_options(params):
    """Everything that can be checked without a request or an adapter."""
    devices = params['devices'] or []
    if not devices or any(not str(device).strip() for device in devices):
        raise InvalidInputError('give one or more device ids, none empty', option='devices')
    return list(dict.fromkeys(str(device).strip() for device in devices))


def same(current, wanted):
    """Is a current detail value the wanted one?  Numbers may come back as numbers for text given, and null is empty."""
    if current in (None, '') and wanted in (None, ''):
        return True
    if isinstance(current, bool) or isinstance(wanted, bool):
        return current == wanted
    return current == wanted or str(current) == str(wanted)


# The neutral field keys the capabilities' errors name -> this module's options.
OPTION_NAMES = {DEVICES: 'devices', DEVICE_FIELDS: 'details'}


def update(module, adapter, devices):
    updates = require(adapter, 'device_updates')
    with option_names(OPTION_NAMES):
        devices, details = updates.check_device_updates(devices, module.params['details'])
    report, failures, plans = [], [], []
    before, after = {}, {}
    for device_id in devices:
        current = updates.device_details(device_id, sorted(details))
        if current is None:
            failures.append(dict(device_id=device_id, reason='no such device'))
            report.append(dict(device_id=device_id, changed=False, fields=[], status=None))
            continue
        changes = dict((field, value) for field, value in details.items() if not same(current[field], value))
        report.append(dict(device_id=device_id, changed=bool(changes), fields=sorted(changes), status=None))
        if changes:
            plans.append((device_id, changes))
            before[device_id] = dict((field, current[field]) for field in sorted(changes))
            after[device_id] = dict((field, changes[field]) for field in sorted(changes))
    sent = 0
    if plans and not module.check_mode:
        for device_id, changes in plans:
            sent += 1
            try:
                updates.update_device_details(device_id, changes)
            except MdmError as exc:
                failures.append(dict(device_id=device_id, reason=str(exc)))
                for item in report:
                    if item['device_id'] == device_id:
                        item['changed'] = False
    return report, sent, failures, (before, after) if plans else None


def delete(module, adapter, devices):
    # The vendor check first: a vendor that cannot delete says so whatever else is wrong.
    deletes = require(adapter, 'device_deletes')
    with option_names(OPTION_NAMES):
        devices = deletes.check_device_deletes(devices)
    if module.params['details'] is not None:
        raise InvalidInputError('applies to state=present only', option='details')
    statuses = deletes.device_statuses(devices)
    refused = [device_id for device_id in devices if device_id in statuses and not deletes.deletable(statuses[device_id])]
    if refused:
        raise InvalidInputError('only retired devices can be deleted; not retired: %s' % ', '.join(
            '%s (%s)' % (device_id, statuses[device_id] or 'no status') for device_id in refused), option='devices')
    doomed = [device_id for device_id in devices if device_id in statuses]
    report = [dict(device_id=device_id, changed=device_id in statuses, fields=[], status=statuses.get(device_id))
              for device_id in devices]
    sent, failures = 0, []
    if doomed and not module.check_mode:
        sent, deleted, failures = deletes.delete_devices(doomed)
        for item in report:
            item['changed'] = item['device_id'] in deleted
    diff = (dict((d, statuses[d]) for d in doomed), {}) if doomed else None
    return report, sent, failures, diff


def run(module, adapter):
    """Set device details, associate / dissociate profiles and apps (state=present), or delete retired devices
    (state=absent), through the vendor's device_updates, assignments and device_deletes capabilities; only what
    differs is sent, nothing in check mode."""
    devices = check_options(module.params)
    params = module.params
    assignments = bool(params.get('profiles') or params.get('apps'))
    if params['state'] == 'present':
        plans = None
        if assignments:
            assigner, ids, plans, missing = plan_assignments(module.params, adapter, devices)
        if params['details'] is not None or not assignments:
            report, sent, failures, diff = update(module, adapter, devices)
        else:
            report, sent, failures, diff = [], 0, [], None
        if assignments:
            done = {}
            if not module.check_mode:
                more, write_failures, done = send_assignments(assigner, plans)
                sent += more
                failures.extend(write_failures)
            missing_failures, diff = merge_assignments(report, ids, plans, missing, done, module.check_mode, diff)
            known = set(item['device_id'] for item in failures)
            failures.extend(item for item in missing_failures if item['device_id'] not in known)
    else:
        for kind in ('profiles', 'apps'):
            if params.get(kind):
                raise InvalidInputError('applies to state=present only', option=kind)
        report, sent, failures, diff = delete(module, adapter, devices)
    changed = any(item['changed'] for item in report)
    result = dict(devices=report, requests=sent, failures=failures)
    if failures:
        raise PartialFailure('%d device(s) failed, for example %s: %s' % (
            len(failures), failures[0]['device_id'], failures[0]['reason']), sent > 0, result)
    if diff is not None:
        diff = dict(before=diff[0], after=diff[1])
    return changed, result, diff


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            devices=dict(type='list', elements='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            details=dict(type='dict'),
            profiles=dict(type='list', elements='dict', options=dict(
                id=dict(type='str'),
                name=dict(type='str'),
                state=dict(type='str', choices=['present', 'absent'], default='present'),
            ), mutually_exclusive=[['id', 'name']], required_one_of=[['id', 'name']]),
            apps=dict(type='list', elements='dict', options=dict(
                id=dict(type='str'),
                name=dict(type='str'),
                state=dict(type='str', choices=['present', 'absent'], default='present'),
                release_label_id=dict(type='str'),
                silent_install=dict(type='bool'),
                notify_user_via_email=dict(type='bool'),
                invite_user=dict(type='bool'),
                do_not_uninstall=dict(type='bool'),
            ), mutually_exclusive=[['id', 'name']], required_one_of=[['id', 'name']]),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
