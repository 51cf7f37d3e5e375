"""Fault injection, token expiry, log redaction, fleet churn, process control and the CLI."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests

from conftest import DEVICES, SIMULATOR_ROOT
from test_vendors import cloud_get, core_get, maas_login, maas_search, maas_token, zoho_token
from mdmsim.control import Simulator
from mdmsim.fleet import Fleet


def test_rate_one_faults_every_read_and_spares_auth(sim):
    sim.set_faults('maas360', rate=1.0, kinds=['503'], methods=['GET'])
    token = maas_token(sim)  # auth endpoints are not faulted by default
    sim.clear_log()
    statuses = [maas_search(sim, token, pageSize=25).status_code for _unused in range(5)]
    assert statuses == [503] * 5
    assert [entry['fault'] for entry in sim.log('maas360')] == ['503'] * 5


def test_count_limits_faults_and_429_carries_retry_after(sim):
    sim.set_faults('mobileiron_core', rate=1.0, kinds=['429'], count=2, retry_after=3)
    replies = [core_get(sim, '/api/v2/ping') for _unused in range(4)]
    assert [reply.status_code for reply in replies] == [429, 429, 200, 200]
    assert replies[0].headers['Retry-After'] == '3'
    sim.set_faults('mobileiron_core', rate=1.0, kinds=['429'], retry_after=None)
    assert 'Retry-After' not in core_get(sim, '/api/v2/ping').headers


@pytest.mark.parametrize('kind', ['reset', 'reset_after'])
def test_dropped_connections(sim, kind):
    sim.set_faults('mobileiron_cloud', rate=1.0, kinds=[kind])
    with pytest.raises(requests.exceptions.ConnectionError):
        cloud_get(sim, '/api/v1/device', rows=10)
    assert sim.log('mobileiron_cloud')[-1]['fault'] == kind


def test_malformed_and_html(sim):
    sim.set_faults('mobileiron_cloud', rate=1.0, kinds=['malformed'])
    reply = cloud_get(sim, '/api/v1/device', rows=10)
    assert reply.status_code == 200
    with pytest.raises(ValueError):
        json.loads(reply.text)
    sim.set_faults('mobileiron_cloud', rate=1.0, kinds=['html'])
    reply = cloud_get(sim, '/api/v1/device', rows=10)
    assert reply.status_code == 502 and '<html>' in reply.text


def test_expired_tokens_get_401(sim):
    token = maas_token(sim)
    assert maas_search(sim, token, pageSize=25).status_code == 200
    assert sim.expire_tokens('maas360') >= 1
    assert maas_search(sim, token, pageSize=25).status_code == 401
    access = zoho_token(sim).json()['access_token']
    sim.set_faults('manageengine', expire_tokens_after=2)
    url = sim.url('manageengine') + '/api/v1/mdm/devices'
    headers = {'Authorization': 'Zoho-oauthtoken ' + access}
    codes = [requests.get(url, headers=headers, verify=sim.ca_path, timeout=10).status_code for _unused in range(3)]
    assert codes == [200, 200, 401]


def test_zoho_refuses_grants_past_its_cap_until_lifted(sim):
    sim.limit_token_grants(count=3, window_s=600)
    replies = [zoho_token(sim).json() for _unused in range(4)]
    assert [bool(reply.get('access_token')) for reply in replies] == [True, True, True, False]
    assert replies[3] == {'error': 'Access Denied'}
    sim.clear_faults()
    assert zoho_token(sim).json().get('access_token')
    sim.limit_token_grants(count=1, window_s=0.2)
    assert zoho_token(sim).json().get('access_token')
    assert zoho_token(sim).json() == {'error': 'Access Denied'}
    time.sleep(0.3)
    assert zoho_token(sim).json().get('access_token')


def test_short_token_ttl_expires():
    with Simulator(devices=5, seed=2, token_ttl=1) as short:
        token = maas_token(short)
        assert maas_search(short, token, pageSize=25).status_code == 200
        time.sleep(1.2)
        assert maas_search(short, token, pageSize=25).status_code == 401


def test_log_never_holds_a_secret_or_token(sim):
    maas_token(sim)
    maas_login(sim, password='wrong')
    zoho_token(sim)
    zoho_token(sim, client_secret='nope')
    core_get(sim, '/api/v2/ping')
    cloud_get(sim, '/api/v1/device', rows=1)
    requests.get(sim.url('manageengine') + '/api/v1/mdm/devices', headers={'Authorization': sim.params('manageengine_onprem')['api_key']},
                 verify=sim.ca_path, timeout=10)
    text = json.dumps(sim.log())
    secrets = sim.secrets()
    tokens = sim.issued_tokens()
    assert len(secrets) == 7 and tokens
    assert [value for value in secrets + tokens if value in text] == []
    assert 'Basic <redacted>' in text and '<password><redacted></password>' in text


def test_fleet_is_deterministic_and_varied():
    # No wall-clock assertion here: timings belong in benchmarks/, not in unit tests on shared machines.
    big = Fleet(10000, 4)
    again = Fleet(10000, 4)
    assert [d['name'] for d in big.devices] == [d['name'] for d in again.devices]
    platforms = {d['platform'] for d in big.devices}
    assert platforms == {'ios', 'android', 'windows', 'macos', 'other'}
    names = [d['name'] for d in big.devices]
    assert len(names) != len(set(names)) and any('{{' in name for name in names)
    assert len({d['ids']['maas360'] for d in big.devices}) == 10000
    assert len({d['user']['email'] for d in big.devices}) <= 10000 // 3


def test_fleet_churn(sim):
    before = {d['id'] for d in sim.devices('mobileiron_cloud')}
    assert sim.add_devices('mobileiron_cloud', 10) == DEVICES + 10
    assert sim.remove_devices('mobileiron_cloud', 4) == DEVICES + 6
    after = {d['id'] for d in sim.devices('mobileiron_cloud')}
    assert len(after - before) >= 6
    sim.remove_devices('mobileiron_cloud', 6)
    sim.add_devices('mobileiron_cloud', 0)
    assert sim.ledger() == []


def test_stop_leaves_no_process_behind():
    simulator = Simulator(devices=3, seed=9).start()
    pid = simulator.pid
    state_dir = simulator.state_dir
    simulator.stop()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    assert not os.path.exists(state_dir)


def test_run_command_passes_env_and_exit_code(tmp_path):
    env = dict(os.environ, PYTHONPATH=SIMULATOR_ROOT)
    check = ('import json, os, sys; info = json.load(open(os.path.join(os.environ["MDM_SIM_STATE"], "sim.json")));'
             'sys.exit(7 if os.path.exists(os.environ["MDM_SIM_VARS"]) and info["vendors"]["maas360"] else 1)')
    proc = subprocess.run([sys.executable, '-m', 'mdmsim', 'run', '--devices', '4', '--seed', '2', '--state-dir', str(tmp_path),
                           '--', sys.executable, '-c', check], env=env, timeout=60, check=False, capture_output=True, text=True)
    assert proc.returncode == 7, proc.stderr
    assert not (tmp_path / 'sim.json').exists()
