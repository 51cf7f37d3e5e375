# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_info run() with gather, against a fake adapter."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.facts import GatherPlan
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_info
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes


FakeModule = fakes.FakeModule.for_module(mdm_device_info)


class FakeAdapter:
    """A session whose device facts capability is itself."""
    name = 'manageengine'

    def __init__(self, device_facts=(), fleet_facts=()):
        self.capabilities = {'devices': self, 'facts': self}
        self.calls = []
        self.device_facts = list(device_facts)
        self.fleet_facts = list(fleet_facts)

    def check_gather(self, gather, params=None, firmware_password=False):
        self.calls.append(('check', gather, params, firmware_password))
        return GatherPlan(self.device_facts, self.fleet_facts, params or {}, firmware_password)

    def list_devices(self, **kwargs):
        self.calls.append(('list',))
        return [{'mdm_device_id': '1'}, {'mdm_device_id': '2'}]

    def gather_device_facts(self, device_ids, plan, concurrency=4, check_mode=False):
        self.calls.append(('device_facts', device_ids, concurrency, check_mode))
        return dict((device_id, dict((name, device_id + name) for name in plan.device_facts)) for device_id in device_ids), ['w1']

    def gather_fleet_facts(self, plan, check_mode=False):
        self.calls.append(('fleet_facts', check_mode))
        return dict((name, {'n': name}) for name in plan.fleet_facts), ['w2']


def test_device_and_fleet_facts_land_where_documented():
    adapter = FakeAdapter(device_facts=['apps'], fleet_facts=['count'])
    module = FakeModule(gather=['apps', 'count'], concurrency=6, check_mode=True)
    changed, result, diff = mdm_device_info.run(module, adapter)
    assert changed is False and diff is None
    assert result == {'devices': [{'mdm_device_id': '1', 'mdm_facts': {'apps': '1apps'}},
                                  {'mdm_device_id': '2', 'mdm_facts': {'apps': '2apps'}}],
                      'facts': {'count': {'n': 'count'}}}
    # Checked before the listing; check mode reaches the adapter; warnings reach the user.
    assert adapter.calls == [('check', ['apps', 'count'], None, False), ('list',), ('device_facts', ['1', '2'], 6, True),
                             ('fleet_facts', True)]
    assert module.warnings == ['w1', 'w2']


def test_only_fleet_facts_add_no_mdm_facts():
    adapter = FakeAdapter(fleet_facts=['count'])
    result = mdm_device_info.run(FakeModule(gather=['count']), adapter)[1]
    assert result['devices'] == [{'mdm_device_id': '1'}, {'mdm_device_id': '2'}]
    assert result['facts'] == {'count': {'n': 'count'}}


def test_firmware_password_needs_no_log_before_any_listing():
    adapter = FakeAdapter(device_facts=['firmware'])
    with pytest.raises(InvalidInputError) as err:
        mdm_device_info.run(FakeModule(gather=['firmware'], gather_firmware_password=True), adapter)
    assert 'no_log' in str(err.value) and err.value.option == 'gather_firmware_password'
    assert [call[0] for call in adapter.calls] == ['check']
    result = mdm_device_info.run(FakeModule(no_log=True, gather=['firmware'], gather_firmware_password=True), adapter)[1]
    assert [device['mdm_facts'] for device in result['devices']] == [{'firmware': '1firmware'}, {'firmware': '2firmware'}]


def test_without_gather_nothing_more_is_asked():
    adapter = FakeAdapter()
    result = mdm_device_info.run(FakeModule(), adapter)[1]
    assert result == {'devices': [{'mdm_device_id': '1'}, {'mdm_device_id': '2'}]}
    assert adapter.calls == [('list',)]
