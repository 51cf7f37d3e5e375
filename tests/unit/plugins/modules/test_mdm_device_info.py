# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_info
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes


FakeModule = fakes.FakeModule.for_module(mdm_device_info)


class FakeAdapter:
    def __init__(self):
        self.calls = []

    def list_devices(self, **kwargs):
        self.calls.append(('list', kwargs))
        return [{'mdm_device_id': '1'}, {'mdm_device_id': '2'}]

    def get_device(self, device_id, include_raw=False):
        self.calls.append(('get', device_id, include_raw))
        return {'mdm_device_id': device_id} if device_id == '1' else None

    def add_labels(self, devices, concurrency):
        self.calls.append(('labels', [d['mdm_device_id'] for d in devices], concurrency))


def test_list_passes_every_option_and_never_changes():
    adapter = FakeAdapter()
    module = FakeModule(filters={'platform': 'ios'}, vendor_filters={'fq': 'x'}, include_raw=True, page_size=50, concurrency=2,
                        fetch_labels=True)
    changed, result, diff = mdm_device_info.run(module, adapter)
    assert changed is False and diff is None
    assert result == {'devices': [{'mdm_device_id': '1'}, {'mdm_device_id': '2'}]}
    assert adapter.calls == [('list', dict(filters={'platform': 'ios'}, vendor_filters={'fq': 'x'}, include_raw=True,
                                           page_size=50, concurrency=2, labels=True))]


def test_one_device_and_not_found_is_an_empty_list():
    adapter = FakeAdapter()
    assert mdm_device_info.run(FakeModule(device_id='1'), adapter)[1] == {'devices': [{'mdm_device_id': '1'}]}
    assert mdm_device_info.run(FakeModule(device_id='9', include_raw=True), adapter)[1] == {'devices': []}
    assert adapter.calls == [('get', '1', False), ('get', '9', True)]


def test_one_device_gets_its_labels_when_asked():
    adapter = FakeAdapter()
    mdm_device_info.run(FakeModule(device_id='1', fetch_labels=True, concurrency=3), adapter)
    mdm_device_info.run(FakeModule(device_id='9', fetch_labels=True), adapter)
    assert adapter.calls == [('get', '1', False), ('labels', ['1'], 3), ('get', '9', False)]


class LastSeenAdapter(FakeAdapter):
    def add_last_seen(self, devices, concurrency):
        self.calls.append(('last_seen', [d['mdm_device_id'] for d in devices], concurrency))


def test_fetch_last_seen_is_passed_to_the_listing_and_to_one_device():
    adapter = LastSeenAdapter()
    mdm_device_info.run(FakeModule(fetch_last_seen=True, concurrency=2), adapter)
    mdm_device_info.run(FakeModule(device_id='1', fetch_last_seen=True, concurrency=3), adapter)
    assert adapter.calls == [('list', dict(filters=None, vendor_filters=None, include_raw=False, page_size=None, concurrency=2,
                                           labels=False, last_seen=True)),
                             ('get', '1', False), ('last_seen', ['1'], 3)]
