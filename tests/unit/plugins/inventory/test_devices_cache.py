# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory cache holds a company's device list: its files are 0600 whatever the umask."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest

from ansible.plugins.cache import CachePluginAdjudicator

from ansible_collections.fleetops.mdm.plugins.inventory.devices import InventoryModule


@pytest.mark.parametrize('umask', [0o022, 0o000])
@pytest.mark.parametrize('how', ['update_cache_if_changed', 'set_cache_plugin'])
def test_cache_files_are_private_whatever_the_umask(tmp_path, umask, how):
    plugin = InventoryModule()
    plugin._cache = CachePluginAdjudicator('jsonfile', _uri=str(tmp_path), _prefix='fleetops_mdm_', _timeout=3600)
    devices = {'schema': 1, 'devices': [{'mdm_device_id': '1', 'mdm_serial': 'C02XYZ'}]}
    # A file written before (as ansible writes it: 0644) is tightened too.
    plugin._cache._plugin.set('devices_old', {'schema': 1, 'devices': []})
    plugin._cache['devices_old'] = {'schema': 1, 'devices': []}
    plugin._cache['devices_abc'] = devices
    old = os.umask(umask)
    try:
        getattr(plugin, how)()
    finally:
        os.umask(old)
    files = list(tmp_path.iterdir())
    assert len(files) == 2
    assert any('C02XYZ' in path.read_text() for path in files)
    for path in files:
        assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600, path.name


def test_a_memory_cache_needs_no_files():
    plugin = InventoryModule()
    plugin._cache = CachePluginAdjudicator('memory')
    plugin._cache['k'] = {'devices': []}
    plugin.update_cache_if_changed()
