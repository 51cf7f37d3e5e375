# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils import runner
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

OPTIONS = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password='Corr3ct-Horse!')


def outcome_of(run, diff=False):
    module = fakes.FakeModule(OPTIONS, diff=diff)
    with pytest.raises(fakes.ModuleExit):
        runner.run_module(module, run)
    return module


def test_result_and_diff_only_in_diff_mode():
    def run(module, adapter):
        return True, dict(devices=['a']), dict(before={}, after={'x': 1})
    assert outcome_of(run).outcome == dict(changed=True, devices=['a'])
    assert outcome_of(run, diff=True).outcome == dict(changed=True, devices=['a'], diff=dict(before={}, after={'x': 1}))


def test_partial_failure_fails_with_the_whole_result_and_hides_the_secrets():
    def run(module, adapter):
        raise runner.PartialFailure('1 device failed', True, dict(requests=2, failures=[{'device_id': 'b'}]))
    module = outcome_of(run)
    # Every message names the vendor, in the one prefix form of MdmError.
    assert module.outcome == dict(failed=True, msg='MobileIron Core: 1 device failed', changed=True, requests=2, failures=[{'device_id': 'b'}])
    assert 'Corr3ct-Horse!' in module.no_log_values


def test_typed_error_fails_naming_the_option():
    def run(module, adapter):
        raise InvalidInputError('bad', option='devices')
    module = outcome_of(run)
    assert module.outcome['failed'] is True and 'devices' in module.outcome['msg']
