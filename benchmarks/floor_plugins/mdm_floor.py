# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Ansible floor for benchmarks/inventory.py: the same hosts, variables and
groups as fleetops.mdm.devices, built by the same code, but from devices read
from a local JSON file instead of the MDM server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: mdm_floor
short_description: Benchmark floor for fleetops.mdm.devices
description: Adds the devices of a JSON file exactly as fleetops.mdm.devices would, without any network I/O.
extends_documentation_fragment:
  - ansible.builtin.constructed
options:
  plugin:
    description: mdm_floor
    required: true
  devices_file:
    description: JSON list of normalised devices.
    type: path
    required: true
  hostnames:
    description: As in fleetops.mdm.devices.
    type: list
    elements: str
    default: [id]
  default_groups:
    description: As in fleetops.mdm.devices.
    type: list
    elements: str
    default: [vendor, platform, status, ownership, compliance, label]
'''

import json

from ansible_collections.fleetops.mdm.plugins.inventory.devices import InventoryModule as DevicesInventory


class InventoryModule(DevicesInventory):

    NAME = 'mdm_floor'

    def verify_file(self, path):
        return path.endswith('floor.yml')

    def parse(self, inventory, loader, path, cache=True):
        # Skip DevicesInventory.parse (the network); keep its population code.
        super(DevicesInventory, self).parse(inventory, loader, path, cache=cache)  # pylint: disable=bad-super-call
        self._read_config_data(path)
        with open(self.get_option('devices_file')) as handle:
            devices = json.load(handle)
        self._populate(devices)
