# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A PIN given in mdm_device_action ``params`` never shows at -vvvv, also when the task fails validation
(AnsibleModule prints every parameter then), and no command is sent.

These and a wrong type elsewhere run in-process too, in
tests/unit/plugins/modules/test_bad_inputs.py (test_a_pin_in_params_never_shows_when_the_task_fails)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import run_playbook

PIN = '73519246'


@pytest.mark.parametrize('case,args,words', [
    ('an unknown params key', dict(params={'unlock_pin': PIN, 'colour': 'red'}), ['params']),
    ('a credential in the url', dict(url_credentials=True), ['must not hold credentials']),
])
def test_secret_params_never_show_when_the_task_fails(sim, tmp_path, case, args, words):
    device = str(sim.devices('manageengine')[0]['device_id'])
    conn = dict(sim.params('manageengine_onprem'))
    if args.pop('url_credentials', False):
        conn['url'] = conn['url'].replace('https://', 'https://admin:%s@' % PIN)
    extra = dict(action='lock', devices=[device], params={'unlock_pin': PIN, 'message': 'Call the IT desk'})
    extra.update(args)
    before = len(sim.ledger())
    run = run_playbook(tmp_path, 'action_once.yml', conn, extra=extra)
    assert run.rc == 0, run.output[-2000:]
    assert run.result['failed'] is True, case
    for word in words:
        assert word in run.result['msg'], run.result['msg']
    assert PIN not in run.output, case
    with open(str(tmp_path / 'action_once.yml-result.json')) as handle:
        assert PIN not in handle.read()
    assert len(sim.ledger()) == before
