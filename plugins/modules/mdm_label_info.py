#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_label_info
short_description: List the labels or device groups of an MDM server
version_added: 0.1.0
description:
  - Lists MobileIron Core labels, ManageEngine MDM groups or IBM MaaS360 device groups, every page of them, with their id,
    name and device count, and on request the ids of their member devices.
  - MobileIron Cloud documents no call that lists device groups or their members; the module fails with a clear message
    before any request.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
  - fleetops.mdm.attributes.INFO_MODULE
options:
  name:
    description:
      - Only the labels with this name, compared without regard to case; shell-style patterns such as V(Sales*) are allowed.
    type: str
  members:
    description:
      - Add the vendor-native ids of the member devices of each label as RV(labels[].members).
      - This costs requests beyond the label list - one per 200 members of each non-empty label (MobileIron Core,
        ManageEngine) or one per 250 members of each group (MaaS360).
    type: bool
    default: false
  concurrency:
    description:
      - How many labels are read at once (1 to 32).
    type: int
    default: 4
notes:
  - "Support: MobileIron Core (label_summary, then a device search by label), ManageEngine MDM (group list and group members),
    IBM MaaS360 (device groups and the search by device group; without O(members) one request per group tells its count),
    MobileIron Cloud not supported."
'''

EXAMPLES = r'''
- name: Every label with its device count
  fleetops.mdm.mdm_label_info:
    vendor: mobileiron_core
    url: https://core.example.com
    username: api-admin
    password: "{{ vault_core_password }}"
  register: labels

- name: The members of the Sales groups
  fleetops.mdm.mdm_label_info:
    name: "Sales*"
    members: true
  register: sales
'''

RETURN = r'''
labels:
  description: The labels or device groups found, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The vendor's id of the label or group, as a string.
      type: str
      sample: '10'
    name:
      description: The name of the label or group.
      type: str
      sample: Sales
    device_count:
      description:
        - How many devices the label holds; null when the vendor does not tell it (a ManageEngine group list without
          member counts, read without O(members)).
      type: int
      sample: 42
    members:
      description: The vendor-native ids of the member devices, sorted.
      type: list
      elements: str
      returned: when O(members=true)
'''

import fnmatch


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require


def name_matcher(pattern):
    """A case-insensitive exact-or-glob test of label names; None matches every name."""
    if pattern is None:
        return None
    if not str(pattern).strip():
        raise InvalidInputError('must not be empty', option='name')
    wanted = str(pattern).lower()
    return lambda name: fnmatch.fnmatchcase(str(name).lower(), wanted)


def run(module, adapter):
    """List the labels; an _info module never changes anything."""
    params = module.params
    concurrency = check_concurrency(params['concurrency'])
    matches = name_matcher(params['name'])
    found = require(adapter, 'labels').list_labels(with_members=params['members'], concurrency=concurrency, select=matches)
    labels = []
    for label in found:
        if matches is not None and not matches(label['name']):
            continue
        item = dict(id=label['id'], name=label['name'], device_count=label.get('device_count'))
        if params['members']:
            item['members'] = sorted(label.get('members') or [])
        labels.append(item)
    labels.sort(key=lambda item: (item['name'].lower(), item['id']))
    return False, dict(labels=labels), None


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            name=dict(type='str'),
            members=dict(type='bool', default=False),
            concurrency=dict(type='int', default=4),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
