# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Replies in the forms real servers write them (the simulator's reply forms), read right by whole playbook runs:
a Core wake-up answered with the recorded actionType WAKE_UP is sent, a Cloud result 0 is a failure, and every form
of a refused MaaS360 login is one clear authentication failure, never retried."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import run_playbook

HINT = 'Check username, password, app_id, app_version, platform_id and app_access_key'


# A small simulator of its own (conftest.py, sim): its reply forms must not reach the other tests.
OWN_SIMULATOR = dict(devices=60, seed=33)


@pytest.fixture(autouse=True)
def reference_forms(sim):
    sim.clear_reply_forms()
    yield
    sim.clear_reply_forms()


def act(sim, tmp_path, vendor, conn=None, **options):
    sim.clear_log()
    start = len(sim.ledger())
    run = run_playbook(tmp_path, 'action_once.yml', conn or sim.params(vendor), extra=options)
    assert run.result is not None, run.output[-3000:]
    return run.result, [(item['action'], item['device_id']) for item in sim.ledger()[start:] if item['vendor'] == vendor]


def active(sim, vendor, status_field, status, id_field):
    return next(str(record[id_field]) for record in sim.devices(vendor) if record[status_field] == status)


def test_core_wake_up_answered_with_the_recorded_action_type_is_sent(sim, tmp_path):
    sim.set_reply_form('mobileiron_core', 'recorded_action_type')
    uuid = active(sim, 'mobileiron_core', 'common.status', 'ACTIVE', 'common.uuid')
    result, ledger = act(sim, tmp_path, 'mobileiron_core', action='wakeup', devices=[uuid])
    assert not result.get('failed'), result
    assert [(item['device_id'], item['outcome']) for item in result['results']] == [(uuid, 'sent')]
    assert ledger == [('WAKEUP_DEVICE', uuid)]


def test_cloud_result_zero_is_a_failure_not_unknown(sim, tmp_path):
    sim.set_reply_form('mobileiron_cloud', 'result_zero')
    device_id = active(sim, 'mobileiron_cloud', 'registrationState', 'ACTIVE', 'id')
    result, ledger = act(sim, tmp_path, 'mobileiron_cloud', action='lock', devices=[device_id])
    assert result.get('failed'), result
    assert [(item['device_id'], item['outcome']) for item in result['results']] == [(device_id, 'failed')]
    assert 'result 0' in result['results'][0]['message']
    # The server carried nothing out, and the command was sent once.
    assert ledger == []
    assert [entry['path'] for entry in sim.log('mobileiron_cloud') if entry['method'] == 'PUT'] == ['/api/v1/device/lock']


@pytest.mark.parametrize('form, status', [('refused_login_200', 200), ('refused_login_500', 500), ('refused_login_401', 401)])
def test_every_form_of_a_refused_maas360_login_is_a_clear_auth_failure_sent_once(sim, tmp_path, form, status):
    sim.set_reply_form('maas360', form)
    conn = dict(sim.params('maas360'), password='not-the-password')
    result, ledger = act(sim, tmp_path, 'maas360', conn=conn, action='lock', devices=['Androidc00000001'])
    assert result.get('failed'), result
    assert result['error_type'] == 'authentication_failed' and result['http_status'] == status, result
    assert HINT in result['msg'] and 'not-the-password' not in result['msg']
    log = sim.log('maas360')
    # One login, not retried; nothing after it.
    assert [(entry['path'].split('/')[1], entry['status']) for entry in log] == [('auth-apis', status)]
    assert ledger == []
