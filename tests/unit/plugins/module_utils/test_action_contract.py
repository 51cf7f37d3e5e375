# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendor-independent part of the device-command contract (module_utils/actions.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils import actions
from ansible_collections.fleetops.mdm.plugins.module_utils.actions import ActionSpec, ParamSpec
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError

MESSAGE = ActionSpec('send_message', 'MESSAGE', params={
    'message': ParamSpec(required=True, max_length=10),
    'message_type': ParamSpec(choices=('sms', 'pns', 'email'), default='pns'),
    'urgent': ParamSpec(kind='bool'),
    'retries': ParamSpec(kind='int'),
    'groups': ParamSpec(kind='list'),
})


def test_destructive_follows_the_name_unless_told():
    assert ActionSpec('wipe').destructive
    assert ActionSpec('corporate_wipe').destructive
    assert not ActionSpec('lock').destructive
    assert ActionSpec('hideDevice', destructive=True).destructive


def test_needs_targets_only_with_platforms_or_end_states():
    assert not ActionSpec('lock').needs_targets
    assert ActionSpec('retire', done_statuses=('retired',)).needs_targets
    assert ActionSpec('remote_session', platforms=('android',)).needs_targets


def test_check_params_fills_defaults_and_converts_kinds():
    clean = actions.check_params(MESSAGE, {'message': 'hi', 'urgent': 'yes', 'retries': '3', 'groups': 'a'})
    assert clean == {'message': 'hi', 'message_type': 'pns', 'urgent': True, 'retries': 3, 'groups': ['a']}


@pytest.mark.parametrize('params, option, words', [
    ({}, 'params.message', 'needs message'),
    ({'message': '   '}, 'params.message', 'needs message'),
    ({'message': 'x' * 11}, 'params.message', 'at most 10'),
    ({'message': 'hi', 'message_type': 'fax'}, 'params.message_type', 'sms, pns, email'),
    ({'message': 'hi', 'urgent': 'perhaps'}, 'params.urgent', 'true, false'),
    ({'message': 'hi', 'retries': 'many'}, 'params.retries', 'not an integer'),
    ({'message': 'hi', 'groups': ['a', '']}, 'params.groups', 'non-empty'),
    ({'message': {'text': 'hi'}}, 'params.message', 'must be text'),
    ({'message': 'hi', 'colour': 'red'}, 'params', 'message, message_type, retries, urgent'),
])
def test_check_params_names_the_option_and_what_is_allowed(params, option, words):
    with pytest.raises(InvalidInputError) as caught:
        actions.check_params(MESSAGE, params)
    assert caught.value.option == option
    assert words in str(caught.value)


def test_a_command_without_parameters_says_so():
    with pytest.raises(InvalidInputError, match='no parameters'):
        actions.check_params(ActionSpec('lock'), {'message': 'x'})


def test_precheck_reports_platform_and_end_state():
    spec = ActionSpec('retire', platforms=('android', 'ios'), done_statuses=('retired', 'wiped'))
    devices = {
        'a': {'mdm_platform': 'android', 'mdm_status': 'active'},
        'b': {'mdm_platform': 'windows', 'mdm_status': 'active'},
        'c': {'mdm_platform': 'ios', 'mdm_status': 'retired'},
    }
    verdicts = actions.default_precheck(spec, devices)
    assert sorted(verdicts) == ['b', 'c']
    assert verdicts['b']['outcome'] == 'not_applicable' and 'windows' in verdicts['b']['message']
    assert verdicts['c']['outcome'] == 'skipped' and 'already retired' in verdicts['c']['message']


def test_summary_counts_every_outcome():
    results = [actions.result('a', 'sent'), actions.result('b', 'sent'), actions.result('c', 'unknown')]
    summary = actions.summarise(results)
    assert summary['sent'] == 2 and summary['unknown'] == 1 and summary['failed'] == 0 and summary['total'] == 3
    with pytest.raises(ValueError):
        actions.result('a', 'maybe')
