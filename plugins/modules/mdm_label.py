#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_label
short_description: Put devices in MDM labels or device groups, take them out, create and delete the labels
version_added: 0.1.0
description:
  - Makes MobileIron Core labels or ManageEngine MDM groups hold the given devices (O(state=present)), not hold them
    (O(state=absent)), or hold exactly them (O(state=present) with O(purge=true)).
  - Reads the current members of each label first and sends only the difference, so a second identical run sends
    no write and reports no change.
  - The labels must exist, unless O(create=true) creates the missing ones (ManageEngine MDM); a name that does not
    exist fails before any write, with the list of known labels.
    A dynamic MobileIron Core label (not C(isStatic)) fails the same way, its members following its criteria.
  - O(state=deleted) deletes the labels (ManageEngine MDM groups); a label that still holds devices is deleted only
    with O(force=true). Deleting a label that does not exist changes nothing.
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
      - Required, except with O(state=present) and O(purge=true), where leaving it out empties the labels, with
        O(create=true), and with O(state=deleted), which takes none.
    type: list
    elements: str
  state:
    description:
      - V(present) - the devices are in every label; V(absent) - they are in none of them.
      - V(deleted) - the labels themselves do not exist (ManageEngine MDM); takes no O(devices). Their devices stay
        enrolled.
    type: str
    choices: [present, absent, deleted]
    default: present
  create:
    description:
      - With O(state=present), create each label that does not exist (an empty ManageEngine MDM device group), then
        put O(devices) in it. O(devices) may then be left out, to only make sure the labels exist.
      - MobileIron Core documents no call that creates a label (its API v2 has only the label summary); with V(true)
        the module fails before any request. MaaS360 and MobileIron Cloud fail the same way.
    type: bool
    default: false
  force:
    description:
      - With O(state=deleted), also delete a label that still holds devices. Without it such a label fails before any
        write, naming the label and how many devices it holds.
    type: bool
    default: false
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
  - "ManageEngine MDM: C(POST /api/v1/mdm/groups) creates a device group (C(name), C(group_type)) and
    C(DELETE /api/v1/mdm/groups/{group_id}) deletes one."
  - "MobileIron Core: creating and deleting labels is not offered: the API v2 documents no such call
    (U(https://help.ivanti.com/mi/help/en_us/CORE/11.x/api2/APIv2/APIv2Labels.htm)); create them in the Admin Portal."
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

- name: Create the Lost group when it is missing and put a device in it (ManageEngine MDM)
  fleetops.mdm.mdm_label:
    labels: [Lost]
    devices: ["9007199254741000"]
    create: true

- name: Delete the Lost group, with the devices it still holds
  fleetops.mdm.mdm_label:
    labels: [Lost]
    state: deleted
    force: true
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
      description: The vendor's id of the label or group (none for a label that check mode would create).
      type: str
      sample: '15'
    created:
      description: The label did not exist and was created (or would be, in check mode).
      type: bool
    deleted:
      description: The label existed and was deleted (or would be, in check mode).
      type: bool
    added:
      description: Devices put in the label.
      type: list
      elements: str
    removed:
      description: Devices taken out of the label (with O(state=deleted), the devices it held).
      type: list
      elements: str
    device_count:
      description: How many devices the label holds afterwards (as wanted; devices in RV(failures) aside).
      type: int
requests:
  description: How many write requests were sent (0 in check mode and when nothing changes), label creations and
    deletions included.
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
      description: The device id (none for a label that could not be created or deleted).
      type: str
    action:
      description: V(add), V(remove), V(create) or V(delete).
      type: str
    reason:
      description: The server's reason.
      type: str
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, PartialFailure, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.session import check_listing
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICES, LABELS
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require


def check_options(params):
    """Everything that can be checked without a request."""
    names = params['labels'] or []
    state = params['state']
    if not names or any(not str(name).strip() for name in names):
        raise InvalidInputError('give one or more label names, none empty', option='labels')
    if params.get('create') and state != 'present':
        raise InvalidInputError('create applies to state=present only', option='create', allowed=[False])
    if params.get('force') and state != 'deleted':
        raise InvalidInputError('force applies to state=deleted only', option='force', allowed=[False])
    if state == 'deleted' and params['devices'] is not None:
        raise InvalidInputError('state=deleted deletes the labels and takes no devices', option='devices')
    if params['devices'] is None and state != 'deleted' and not (state == 'present' and (params['purge'] or params.get('create'))):
        raise InvalidInputError('is required unless state=present with purge=true or create=true, or state=deleted',
                                option='devices')
    if params['purge'] and state != 'present':
        raise InvalidInputError('purge applies to state=present only', option='purge', allowed=[False])
    check_concurrency(params['concurrency'])
    return list(dict.fromkeys(str(name) for name in names))


def plan(current, devices, state, purge):
    """(to add, to remove) for one label holding ``current`` (sets of ids)."""
    if state == 'absent':
        return set(), current & devices
    return devices - current, (current - devices) if purge else set()


def delete_labels(module, lifecycle, names, by_name):
    """state=deleted: delete the labels that exist; one that holds devices only with force (checked before any write)."""
    existing = [name for name in names if name in by_name]
    holding = [(name, by_name[name].get('device_count') or len(by_name[name].get('members') or [])) for name in existing]
    holding = [(name, count) for name, count in holding if count]
    if holding and not module.params.get('force'):
        raise InvalidInputError('%s still hold%s devices (%s); set force=true to delete %s with them' % (
            ', '.join(name for name, _count in holding), 's' if len(holding) == 1 else '',
            ', '.join('%s: %d' % item for item in holding), 'it' if len(holding) == 1 else 'them'),
            option='force', allowed=[True])
    report, before, sent, failures = [], {}, 0, []
    for name in names:
        label = by_name.get(name)
        members = sorted(label.get('members') or []) if label else []
        report.append(dict(name=name, id=label['id'] if label else None, added=[], removed=members, device_count=0,
                           created=False, deleted=label is not None))
        if label is None:
            continue
        before[name] = members
        if not module.check_mode:
            sent += 1
            try:
                lifecycle.delete_label(label)
            except MdmError as exc:
                failures.append(dict(label=name, device_id=None, action='delete', reason=str(exc)))
    return report, before, sent, failures


def run(module, adapter):
    """Put devices in labels or take them out (state, purge) through the vendor's label_writes capability, writing
    only the difference; nothing in check mode."""
    params = module.params
    names = check_options(params)
    state, create = params['state'], params.get('create')
    # The vendor must document the call before anything is read: "not supported" is known without a request.
    lifecycle = require(adapter, 'label_lifecycle') if state == 'deleted' or create else None
    labels_of = require(adapter, 'label_writes')
    with option_names({DEVICES: 'devices'}):
        devices = set(labels_of.check_label_writes(params['devices'] or []))
    wanted = set(names)
    mark = adapter.listing_reports.mark()
    # Purge writes from the member listing: page-number member listings (MaaS360) are read until two passes agree.
    adapter.confirm_listings = bool(params['purge'])
    labels = labels_of.list_labels(with_members=True, concurrency=params['concurrency'], select=lambda name: name in wanted)
    if params['purge']:
        # Purge removes every member not given: it must not act on a member listing that drifted (session.py).
        warning = check_listing(adapter.selection_report(mark), params.get('allow_inconsistent_listing'),
                                'the members to purge from %s' % ', '.join(names), vendor=adapter.name)
        if warning:
            module.warn(warning)
    by_name = dict((label['name'], label) for label in labels)
    if state == 'deleted':
        report, before, sent, failures = delete_labels(module, lifecycle, names, by_name)
        return finish(report, sent, failures, before, {})
    unknown = [name for name in names if name not in by_name]
    if unknown and not create:
        raise InvalidInputError('no such label: %s (create=true creates missing labels where the vendor allows it)' %
                                ', '.join(unknown), option='labels', allowed=sorted(by_name))
    dynamic = [name for name in names if name in by_name and by_name[name].get('writable') is False]
    if dynamic:
        raise InvalidInputError('the members of %s follow the label criteria and cannot be set' % ', '.join(dynamic),
                                option='labels')

    sent, failures = 0, []
    for name in unknown:
        if module.check_mode:
            by_name[name] = {'id': None, 'name': name, 'device_count': 0, 'members': []}
            continue
        sent += 1
        try:
            by_name[name] = lifecycle.create_label(name)
        except MdmError as exc:
            # Nothing can be added to a label that is not there: its devices are not tried.
            failures.append(dict(label=name, device_id=None, action='create', reason=str(exc)))
    created = set(unknown)
    additions, removals, report = {}, {}, []
    before, after = {}, {}
    for name in names:
        if name not in by_name:
            continue
        current = set(by_name[name].get('members') or [])
        add, remove = plan(current, devices, state, params['purge'])
        if add:
            additions[name] = sorted(add)
        if remove:
            removals[name] = sorted(remove)
        final = (current | add) - remove
        report.append(dict(name=name, id=by_name[name]['id'], added=sorted(add), removed=sorted(remove),
                           device_count=len(final), created=name in created, deleted=False))
        if add or remove or name in created:
            if name not in created:
                before[name] = sorted(current)
            after[name] = sorted(final)
    if (additions or removals) and not module.check_mode:
        with option_names({LABELS: 'labels'}):
            more, more_failures = labels_of.change_label_members(by_name, additions, removals, concurrency=params['concurrency'])
        sent += more
        failures.extend(more_failures)
    return finish(report, sent, failures, before, after)


def finish(report, sent, failures, before, after):
    """The result of run(): changed when a label was created or deleted, or a device added or removed."""
    changed = any(item['created'] or item['deleted'] or item['added'] or item['removed'] for item in report)
    result = dict(labels=report, requests=sent, failures=failures)
    if failures:
        first = failures[0]
        if first['device_id'] is None:
            example = 'could not %s label %s: %s' % (first['action'], first['label'], first['reason'])
        else:
            example = '%s %s in label %s: %s' % (first['action'], first['device_id'], first['label'], first['reason'])
        raise PartialFailure('%d change(s) failed, for example %s' % (len(failures), example), sent > 0, result)
    diff = dict(before=before, after=after) if changed else None
    return changed, result, diff


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            labels=dict(type='list', elements='str', required=True),
            devices=dict(type='list', elements='str'),
            state=dict(type='str', choices=['present', 'absent', 'deleted'], default='present'),
            create=dict(type='bool', default=False),
            force=dict(type='bool', default=False),
            purge=dict(type='bool', default=False),
            allow_inconsistent_listing=dict(type='bool', default=False),
            concurrency=dict(type='int', default=4),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
