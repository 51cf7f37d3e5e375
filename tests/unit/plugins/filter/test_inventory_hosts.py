# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fleetops.mdm.device_ids: the device ids of inventory hosts for one bulk command."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetops.mdm.plugins.filter.inventory_hosts import FilterModule, device_ids

HOSTVARS = {
    'a': {'mdm_vendor': 'mobileiron_core', 'mdm_device_id': 'u-1'},
    'b': {'mdm_vendor': 'mobileiron_core', 'mdm_device_id': 'u-2'},
    'c': {'mdm_vendor': 'maas360', 'mdm_device_id': 'Appl1'},
    'web1': {'ansible_host': '10.0.0.1'},
}


def test_ids_in_order_each_once():
    assert device_ids(['b', 'a', 'b'], HOSTVARS) == ['u-2', 'u-1']
    assert FilterModule().filters()['device_ids'] is device_ids


def test_one_vendor_only():
    with pytest.raises(AnsibleFilterError, match='maas360 and mobileiron_core'):
        device_ids(['a', 'c'], HOSTVARS)
    assert device_ids(['a', 'c', 'b'], HOSTVARS, vendor='mobileiron_core') == ['u-1', 'u-2']
    assert device_ids(['a', 'c'], HOSTVARS, vendor='maas360') == ['Appl1']


def test_bad_input_names_what_is_wrong():
    with pytest.raises(AnsibleFilterError, match='web1'):
        device_ids(['a', 'web1'], HOSTVARS)
    with pytest.raises(AnsibleFilterError, match='vendor must be one of maas360, manageengine'):
        device_ids(['a'], HOSTVARS, vendor='airwatch')
    with pytest.raises(AnsibleFilterError, match='list of inventory host names'):
        device_ids('a', HOSTVARS)
    with pytest.raises(AnsibleFilterError, match='hostvars'):
        device_ids(['a'], ['not', 'hostvars'])
