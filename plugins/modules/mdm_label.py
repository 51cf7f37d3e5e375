#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_label
short_description: Put devices in MDM labels or device groups, or take them out
version_added: 0.1.0
description:
  - Makes MobileIron Core labels or ManageEngine MDM groups hold the given devices (O(state=present)), not hold them
    (O(state=absent)), or hold exactly them (O(state=present) with O(purge=true)).
  - Reads the current members of each label first and sends only the difference, so a second identical run sends
    no write and reports no change.
  - The labels must exist; a name that does not fails before any write, with the list of known labels.
    A dynamic MobileIron Core label (not C(isStatic)) fails the same way, its members following its criteria.
  - IBM MaaS360 and MobileIron Cloud document no call that changes the devices of a device group; the module fails
    with a clear message before any request.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
attributes:
  check_mode:
    support: full
    details: Reads the current members and reports what would change; sends no write.
  diff_mode:
    support: full
    details: The members of each label before and after.
options:
  labels:
    description:
      - Names of the labels (MobileIron Core) or groups (ManageEngine MDM) to change, compared exactly.
    type: list
    elements: str
    required: true
  devices:
    description:
      - Vendor-native ids of the devices (MobileIron Core device UUID, ManageEngine C(device_id)).
      - Required, except with O(state=present) and O(purge=true), where leaving it out empties the labels.
    type: list
    elements: str
  state:
    description:
      - V(present) - the devices are in every label; V(absent) - they are in none of them.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), also take out of each label every device that is not in O(devices).
    type: bool
    default: false
  allow_inconsistent_listing:
    description:
      - With O(purge=true), remove devices even when the listing of a label's members was not consistent (the
        server's total changed between pages, a page was short before the end, an id came twice, or the count
        disagreed with the server's total, on every pass).
      - By default the module then fails before any write, naming what was inconsistent; with V(true) it warns with
        the numbers and goes on.
    type: bool
    default: false
  concurrency:
    description:
      - How many labels are read at once (1 to 32).
    type: int
    default: 4
notes:
  - "MobileIron Core: C(PUT /api/v2/devices/labels/{labels}/add) and C(/remove) with at most 512 device UUIDs a call;
    labels that need the same devices share one call."
  - "ManageEngine MDM: C(POST /api/v1/mdm/groups/{group_id}/members) adds devices (at most 512 a call, a limit of ours);
    C(DELETE /api/v1/mdm/groups/{group_id}/members/{device_id}) removes one device a call."
  - A device the server refuses is reported in RV(failures) and fails the task; the other devices are still changed.
'''

EXAMPLES = r'''
- name: Put two devices in the Kiosk and EMEA labels
  fleetops.mdm.mdm_label:
    vendor: mobileiron_core
    url: https://core.example.com
    username: api-admin
    password: "{{ vault_core_password }}"
    labels: [Kiosk, EMEA]
    devices:
      - a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9
      - 0c1f2e6a-3b7d-4c55-9e0b-6d2f7a8b9c10

- name: The Pilot Ring group holds exactly these devices
  fleetops.mdm.mdm_label:
    labels: [Pilot Ring]
    devices: "{{ pilot_device_ids }}"
    purge: true

- name: Take a device out of a group
  fleetops.mdm.mdm_label:
    labels: [BYOD]
    devices: ["9007199254741000"]
    state: absent
'''

RETURN = r'''
labels:
  description: What changed (or would change, in check mode) in each label.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The label name.
      type: str
      sample: Kiosk
    id:
      description: The vendor's id of the label or group.
      type: str
      sample: '15'
    added:
      description: Devices put in the label.
      type: list
      elements: str
    removed:
      description: Devices taken out of the label.
      type: list
      elements: str
    device_count:
      description: How many devices the label holds afterwards (as wanted; devices in RV(failures) aside).
      type: int
requests:
  description: How many write requests were sent (0 in check mode and when nothing changes).
  returned: always
  type: int
  sample: 1
failures:
  description: Devices the server did not add or remove, with its reason; the task fails when there is any.
  returned: always
  type: list
  elements: dict
  contains:
    label:
      description: The label name.
      type: str
    device_id:
      description: The device id.
      type: str
    action:
      description: V(add) or V(remove).
      type: str
    reason:
      description: The server's reason.
      type: str
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, PartialFailure, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.session import check_listing
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency


def check_options(params):
    """Everything that can be checked without a request."""
    names = params['labels'] or []
    if not names or any(not str(name).strip() for name in names):
        raise InvalidInputError('give one or more label names, none empty', option='labels')
    if params['devices'] is None and not (params['state'] == 'present' and params['purge']):
        raise InvalidInputError('is required unless state=present and purge=true', option='devices')
    if params['purge'] and params['state'] != 'present':
        raise InvalidInputError('purge applies to state=present only', option='purge', allowed=[False])
    check_concurrency(params['concurrency'])
    return list(dict.fromkeys(str(name) for name in names))


def plan(current, devices, state, purge):
    """(to add, to remove) for one label holding ``current`` (sets of ids)."""
    if state == 'absent':
        return set(), current & devices
    return devices - current, (current - devices) if purge else set()


def run(module, adapter):
    params = module.params
    names = check_options(params)
    devices = set(adapter.check_label_writes(params['devices'] or [], option='devices'))
    wanted = set(names)
    mark = adapter.listing_reports.mark()
    labels = adapter.list_labels(with_members=True, concurrency=params['concurrency'], select=lambda name: name in wanted)
    if params['purge']:
        # Purge removes every member not given: it must not act on a member listing that drifted (session.py).
        warning = check_listing(adapter.selection_report(mark), params.get('allow_inconsistent_listing'),
                                'the members to purge from %s' % ', '.join(names), vendor=adapter.name)
        if warning:
            module.warn(warning)
    by_name = dict((label['name'], label) for label in labels)
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise InvalidInputError('no such label: %s' % ', '.join(unknown), option='labels', allowed=sorted(by_name))
    dynamic = [name for name in names if by_name[name].get('writable') is False]
    if dynamic:
        raise InvalidInputError('the members of %s follow the label criteria and cannot be set' % ', '.join(dynamic),
                                option='labels')

    additions, removals, report = {}, {}, []
    before, after = {}, {}
    for name in names:
        current = set(by_name[name].get('members') or [])
        add, remove = plan(current, devices, params['state'], params['purge'])
        if add:
            additions[name] = sorted(add)
        if remove:
            removals[name] = sorted(remove)
        final = (current | add) - remove
        report.append(dict(name=name, id=by_name[name]['id'], added=sorted(add), removed=sorted(remove),
                           device_count=len(final)))
        if add or remove:
            before[name] = sorted(current)
            after[name] = sorted(final)
    changed = bool(additions or removals)
    sent, failures = 0, []
    if changed and not module.check_mode:
        sent, failures = adapter.change_label_members(by_name, additions, removals, concurrency=params['concurrency'])
    result = dict(labels=report, requests=sent, failures=failures)
    if failures:
        raise PartialFailure('%d device change(s) failed, for example %s %s in label %s: %s' % (
            len(failures), failures[0]['action'], failures[0]['device_id'], failures[0]['label'], failures[0]['reason']),
            sent > 0, result)
    diff = dict(before=before, after=after) if changed else None
    return changed, result, diff


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            labels=dict(type='list', elements='str', required=True),
            devices=dict(type='list', elements='str'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            purge=dict(type='bool', default=False),
            allow_inconsistent_listing=dict(type='bool', default=False),
            concurrency=dict(type='int', default=4),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
