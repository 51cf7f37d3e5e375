#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_device
short_description: Set the details of MDM devices, or delete retired devices
version_added: 0.1.0
description:
  - With O(state=present) and O(details), makes the details of ManageEngine MDM devices (asset tag, name,
    description, purchase and warranty data, ...) hold the given values. It reads each device first and sends only
    the fields that differ, so fields not given never change and a second identical run sends no write.
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
    details: The given detail fields of each device before and after, or the devices that exist before and after.
options:
  devices:
    description:
      - Vendor-native ids of the devices (ManageEngine C(device_id), MobileIron Core device UUID).
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) - the devices hold O(details) (ManageEngine MDM).
      - V(absent) - the devices are deleted (MobileIron Core, retired devices only).
    type: str
    choices: [present, absent]
    default: present
  details:
    description:
      - ManageEngine MDM device details to set with O(state=present); required then, with one or more keys.
      - "Keys are the fields of the vendor's device update call: V(asset_owner), V(asset_tag), V(apn_username),
        V(description), V(name), V(office), V(purchase_date), V(purchase_order_number), V(purchase_price),
        V(purchase_type), V(warranty_expiration_date), V(warranty_number), V(warranty_type). Any other key fails
        before any request."
      - Dates are milliseconds since the epoch, as the vendor writes them. The vendor reverts a field to its default
        when given an empty string or V(-1).
    type: dict
notes:
  - "ManageEngine MDM: C(GET /api/v1/mdm/devices/{device_id}) reads each device,
    C(PUT /api/v1/mdm/devices/{device_id}) sends only the fields that differ."
  - "MobileIron Core: a device search reads C(common.status) (as many UUIDs a search as its 255-character query
    holds), then C(DELETE /api/v2/devices) deletes at most 512 UUIDs a call. Core deletes only retired iOS, OS X,
    Win8 and Android devices that were not modified in the last day: a device it does not delete is reported in
    RV(failures) and fails the task."
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
      description: The detail fields sent (ManageEngine MDM); empty when deleting.
      type: list
      elements: str
    status:
      description: The device status before the run (MobileIron Core C(common.status)); null when it does not exist.
      type: str
      sample: RETIRED
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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure, run_module

RETIRED = 'RETIRED'


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


def update(module, adapter, devices):
    devices, details = adapter.check_device_updates(devices, module.params['details'], option='details')
    report, failures, plans = [], [], []
    before, after = {}, {}
    for device_id in devices:
        current = adapter.device_details(device_id, sorted(details))
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
                adapter.update_device_details(device_id, changes)
            except MdmError as exc:
                failures.append(dict(device_id=device_id, reason=str(exc)))
                for item in report:
                    if item['device_id'] == device_id:
                        item['changed'] = False
    return report, sent, failures, (before, after) if plans else None


def delete(module, adapter, devices):
    # The vendor check first: a vendor that cannot delete says so whatever else is wrong.
    devices = adapter.check_device_deletes(devices, option='devices')
    if module.params['details'] is not None:
        raise InvalidInputError('applies to state=present only', option='details')
    statuses = adapter.device_statuses(devices)
    refused = [device_id for device_id in devices if device_id in statuses and statuses[device_id] != RETIRED]
    if refused:
        raise InvalidInputError('only retired devices can be deleted; not retired: %s' % ', '.join(
            '%s (%s)' % (device_id, statuses[device_id] or 'no status') for device_id in refused), option='devices')
    doomed = [device_id for device_id in devices if device_id in statuses]
    report = [dict(device_id=device_id, changed=device_id in statuses, fields=[], status=statuses.get(device_id))
              for device_id in devices]
    sent, failures = 0, []
    if doomed and not module.check_mode:
        sent, deleted, failures = adapter.delete_devices(doomed)
        for item in report:
            item['changed'] = item['device_id'] in deleted
    diff = (dict((d, statuses[d]) for d in doomed), {}) if doomed else None
    return report, sent, failures, diff


def run(module, adapter):
    devices = check_options(module.params)
    if module.params['state'] == 'present':
        report, sent, failures, diff = update(module, adapter, devices)
    else:
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
    module = AnsibleModule(
        argument_spec=module_argument_spec(
            devices=dict(type='list', elements='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            details=dict(type='dict'),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
