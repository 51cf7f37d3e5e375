# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One login per play: the controller's login cache (plugins/plugin_utils/login_action.py, plugins/plugin_utils/login_broker.py,
module_utils/login_cache.py) against the simulator, through real ansible-playbook runs.

Token grants are counted in the simulator's request log (Zoho's token endpoint, MaaS360's authenticate call).
After every play no login broker may be left: each one ends with the ansible-playbook process that started it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import subprocess
import time

import yaml

from conftest import BIN, ansible_env, assert_no_broker_left, brokers, run_playbook
from test_device_info import sim_ids

MAAS360_AUTH = '/auth-apis/auth/1.0/authenticate/'


def zoho_grants(sim):
    return [entry for entry in sim.log('zoho_accounts') if entry['path'] == '/oauth/v2/token']


def maas360_logins(sim):
    return [entry for entry in sim.log('maas360') if entry['path'].startswith(MAAS360_AUTH)]


def write_play(tmp_path, name, tasks):
    """A play on localhost whose tasks get the connection from module_defaults; the outcomes go to out_file."""
    play = [{
        'name': name,
        'hosts': 'localhost',
        'gather_facts': False,
        'module_defaults': {'group/fleetops.mdm.mdm': '{{ conn }}'},
        'tasks': tasks + [{
            'name': 'Write the outcomes for the test',
            'ansible.builtin.copy': {'content': '{{ outcomes | default([]) | to_json }}', 'dest': '{{ out_file }}', 'mode': '0600'},
        }],
    }]
    path = tmp_path / ('%s.yml' % name)
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    return str(path)


def device_task(number, device_id, conn=None):
    """Look one device up and keep whether it worked (failed tasks are kept, not fatal)."""
    args = {'device_id': device_id}
    args.update(conn or {})
    return [
        {'name': 'Look up %d' % number, 'fleetops.mdm.mdm_device_info': args, 'register': 'found', 'ignore_errors': True},
        {'name': 'Keep %d' % number,
         'ansible.builtin.set_fact': {'outcomes': "{{ outcomes | default([]) + [{'failed': found.failed | default(false), "
                                                  "'msg': found.msg | default(''), "
                                                  "'id': (found.devices | default([{}], true) | first).mdm_device_id | default('')}] }}"}},
    ]


def tasks_for(ids):
    tasks = []
    for number, device_id in enumerate(ids):
        tasks += device_task(number, device_id)
    return tasks


def failures(run):
    """The lines of the output that tell what failed (a loop's output is long; its tail shows the items that passed)."""
    return '\n'.join(line[:2000] for line in run.output.splitlines() if line.startswith(('failed:', 'fatal:', '[ERROR]')))


def play(sim, tmp_path, flavour, name, tasks, **kwargs):
    # run_playbook() also checks that no login broker outlived the play.
    return run_playbook(tmp_path, write_play(tmp_path, name, tasks), sim.params(flavour), verbosity=kwargs.pop('verbosity', 1),
                        diff=False, **kwargs)


def test_a_thirty_task_play_mints_one_zoho_token(sim, tmp_path):
    ids = sim_ids(sim, 'manageengine')[:30]
    # As Zoho does: ten access tokens from one refresh token in ten minutes, then "Access Denied".
    sim.limit_token_grants(count=10, window_s=600)
    sim.clear_log()
    run = play(sim, tmp_path, 'manageengine', 'thirty', tasks_for(ids), verbosity=4)
    assert run.rc == 0, run.output[-3000:]
    assert [outcome['id'] for outcome in run.result] == ids
    assert len(zoho_grants(sim)) == 1
    # Every task did reach the server, with the one token.
    assert len([entry for entry in sim.log('manageengine') if entry['status'] == 200]) >= 30


def test_without_the_cache_the_eleventh_task_fails_at_zohos_cap(sim, tmp_path):
    """What the cache prevents: one token per task, and Zoho refusing the eleventh."""
    ids = sim_ids(sim, 'manageengine')[:11]
    sim.limit_token_grants(count=10, window_s=600)
    sim.clear_log()
    run = play(sim, tmp_path, 'manageengine', 'capped', tasks_for(ids), env={'MDM_LOGIN_CACHE': 'false'})
    assert run.rc == 0, run.output[-3000:]
    assert [outcome['failed'] for outcome in run.result] == [False] * 10 + [True]
    assert 'Access Denied' in run.result[10]['msg']
    assert len(zoho_grants(sim)) == 11


def test_without_the_cache_every_task_mints_a_token(sim, tmp_path):
    ids = sim_ids(sim, 'manageengine')[:3]
    sim.clear_log()
    run = play(sim, tmp_path, 'manageengine', 'uncached', tasks_for(ids), env={'MDM_LOGIN_CACHE': 'false'})
    assert run.rc == 0, run.output[-3000:]
    assert len(zoho_grants(sim)) == 3
    sim.clear_log()
    # The module option turns it off as well, for the task that gives it.
    tasks = device_task(0, ids[0]) + device_task(1, ids[1], {'login_cache': False}) + device_task(2, ids[2])
    run = play(sim, tmp_path, 'manageengine', 'option_off', tasks)
    assert run.rc == 0, run.output[-3000:]
    assert len(zoho_grants(sim)) == 2


def test_a_loop_of_200_items_logs_in_to_maas360_once(sim, tmp_path):
    ids = sim_ids(sim, 'maas360')[:200]
    tasks = [{'name': 'Look up each', 'fleetops.mdm.mdm_device_info': {'device_id': '{{ item }}'}, 'loop': ids,
              'register': 'each'},
             {'name': 'Keep them', 'ansible.builtin.set_fact': {'outcomes': "{{ each.results | map(attribute='devices') "
                                                                            "| map('first') | map(attribute='mdm_device_id') | list }}"}}]
    sim.clear_log()
    run = play(sim, tmp_path, 'maas360', 'loop', tasks)
    assert run.rc == 0, failures(run) or run.output[-3000:]
    assert run.result == ids
    assert len(maas360_logins(sim)) == 1


def test_a_role_reuses_the_token(sim, tmp_path):
    device_id = sim_ids(sim, 'manageengine')[-1]
    sim.clear_log()
    extra = {'role_name': 'lost_device', 'mdm_connection': sim.params('manageengine'), 'lost_device_id': device_id}
    run = run_playbook(tmp_path, 'role_once.yml', sim.params('manageengine'), extra=extra, verbosity=1, diff=False)
    assert run.rc == 0 and not run.result['failed'], run.output[-3000:]
    # The role's look-up, lock, lost mode and locate each talked to the server; one token served them all.
    assert len([entry for entry in sim.log('manageengine') if entry['method'] == 'POST']) >= 3
    assert len(zoho_grants(sim)) == 1


def test_a_changed_password_does_not_get_the_old_token(sim, tmp_path):
    ids = sim_ids(sim, 'maas360')[:2]
    sim.clear_log()
    tasks = device_task(0, ids[0]) + device_task(1, ids[1], {'password': 'not-the-password'}) + device_task(2, ids[0])
    run = play(sim, tmp_path, 'maas360', 'password', tasks)
    assert run.rc == 0, run.output[-3000:]
    first, changed, again = run.result
    assert not first['failed'] and not again['failed']
    # The task with another password logged in by itself, and the server refused it: no cached token passed for it.
    assert changed['failed'] and 'authentication' in changed['msg'], changed
    assert len(maas360_logins(sim)) == 2
    assert 'not-the-password' not in run.output


def test_a_token_the_server_expired_is_renewed_once_and_the_cache_updated(sim, tmp_path):
    ids = sim_ids(sim, 'manageengine')[:4]
    expire = {'name': 'The server expires every token early',
              'ansible.builtin.uri': {'url': sim.admin_url + '/tokens/expire?vendor=manageengine', 'method': 'POST'}}
    tasks = device_task(0, ids[0]) + device_task(1, ids[1]) + [expire] + device_task(2, ids[2]) + device_task(3, ids[3])
    sim.clear_log()
    run = play(sim, tmp_path, 'manageengine', 'expired', tasks)
    assert run.rc == 0, run.output[-3000:]
    assert [outcome['id'] for outcome in run.result] == ids
    # One grant at the start, one after the server refused the token; the last task got the renewed one from the cache.
    assert len(zoho_grants(sim)) == 2
    assert len([entry for entry in sim.log('manageengine') if entry['status'] == 401]) == 1


def test_mobileiron_cloud_discovers_its_partition_once(sim, tmp_path):
    ids = sim_ids(sim, 'mobileiron_cloud')[:5]
    sim.clear_log()
    run = play(sim, tmp_path, 'mobileiron_cloud', 'partition', tasks_for(ids))
    assert run.rc == 0, run.output[-3000:]
    assert [outcome['id'] for outcome in run.result] == ids
    assert len([entry for entry in sim.log('mobileiron_cloud') if entry['path'] == '/api/v1/tenant/partition/device']) == 1


def test_no_broker_outlives_a_killed_play(sim, tmp_path):
    """Even an ansible-playbook killed without a chance to clean up (SIGKILL) takes its broker with it."""
    ids = sim_ids(sim, 'manageengine')[:1]
    path = write_play(tmp_path, 'killed', device_task(0, ids[0]) + [{'name': 'Wait', 'ansible.builtin.pause': {'seconds': 60}}])
    vars_file = tmp_path / 'vars.json'
    vars_file.write_text(json.dumps({'conn': sim.params('manageengine'), 'out_file': str(tmp_path / 'out.json')}))
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path, '-e', '@%s' % vars_file],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ansible_env())
    try:
        deadline = time.monotonic() + 60
        while proc.pid not in brokers().values() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert proc.pid in brokers().values(), 'the play started no login broker'
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert_no_broker_left()
