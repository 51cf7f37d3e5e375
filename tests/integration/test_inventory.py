# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleetops.mdm.devices inventory plugin end to end, for every vendor, against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import threading
import time

import pytest
import yaml

from conftest import BIN, FLAVOURS, SIM_DEVICES, ansible_env, assert_no_secrets
from test_device_info import VENDOR_OF, sim_ids, sim_labels

LISTING_PATHS = ('/device-apis/devices/', '/api/v1/mdm/devices', '/api/v2/devices', '/api/v1/device')


def unwrap(value):
    """ansible-inventory marks plugin strings unsafe; the JSON shows them as {"__ansible_unsafe": ...}."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((k, unwrap(v)) for k, v in value.items())
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def write_config(tmp_path, flavour, conn, **options):
    config = dict(plugin='fleetops.mdm.devices')
    config.update(conn)
    config.update(options)
    path = tmp_path / ('%s.mdm.yml' % flavour)
    path.write_text(yaml.safe_dump(config))
    return str(path)


def run_inventory(config_path, *args, env=None, timeout=600):
    """ansible-inventory at -vvvv, its whole output audited for secrets.

    The inventory goes to a file (--output) and comes back as ``stdout``; the verbose text ansible-inventory prints
    on its own stdout is appended to ``stderr``."""
    args = list(args or ['--list'])
    out_file = config_path + '.out.json'
    if os.path.exists(out_file):
        os.unlink(out_file)
    cmd = [os.path.join(BIN, 'ansible-inventory'), '-vvvv', '-i', config_path] + args
    if '--list' in args or '--host' in args:
        cmd += ['--output', out_file]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ansible_env(env), timeout=timeout, check=False)
    assert_no_secrets(proc.stdout + proc.stderr, 'the output of ansible-inventory')
    inventory = ''
    if os.path.exists(out_file):
        with open(out_file) as handle:
            inventory = handle.read()
        os.unlink(out_file)
        assert_no_secrets(inventory, 'the inventory ansible-inventory wrote')
        return subprocess.CompletedProcess(cmd, proc.returncode, inventory, proc.stderr + proc.stdout)
    return proc


def inventory_of(proc):
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return unwrap(json.loads(proc.stdout))


def listing_requests(sim, vendor):
    # MobileIron Core's /api/v2/devices/query_test only parses a query: it lists nothing.
    return [entry for entry in sim.log(vendor) if entry['method'] == 'GET' and entry['path'].startswith(LISTING_PATHS)
            and not entry['path'].endswith('/query_test')]


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_every_device_is_one_host_with_variables_and_groups(sim, tmp_path, flavour):
    config = write_config(tmp_path, flavour, sim.params(flavour), fetch_labels=True)
    proc = run_inventory(config)
    inventory = inventory_of(proc)
    hostvars = inventory['_meta']['hostvars']
    assert len(hostvars) == SIM_DEVICES
    ids = [variables['mdm_device_id'] for variables in hostvars.values()]
    assert sorted(ids) == sim_ids(sim, flavour)
    for variables in hostvars.values():
        assert variables['mdm_vendor'] == VENDOR_OF.get(flavour, flavour)
        assert 'mdm_raw' not in variables
        assert isinstance(variables['mdm_labels'], list)
    vendor = VENDOR_OF.get(flavour, flavour)
    assert len(inventory['mdm_vendor_%s' % vendor]['hosts']) == SIM_DEVICES
    platform_hosts = [h for group, body in inventory.items() if group.startswith('mdm_platform_') for h in body.get('hosts', [])]
    assert sorted(platform_hosts) == sorted(hostvars)
    for prefix in ('mdm_status_', 'mdm_ownership_', 'mdm_compliance_'):
        assert any(group.startswith(prefix) for group in inventory), prefix
    # Every device carries exactly the labels / groups the server has it in, and sits in their groups.
    truth = sim_labels(sim, flavour)
    for host, variables in hostvars.items():
        assert variables['mdm_labels'] == truth[variables['mdm_device_id']], host
        for label in variables['mdm_labels']:
            assert host in inventory['mdm_label_%s' % re.sub('[^a-z0-9_]', '_', label.lower())]['hosts']
    assert any(truth.values()), 'no device has a label: the test proves nothing'
    # Shared device names exist in the fleet, but hosts are named after the device id by default: no fallback, no
    # warning on every sync (test_inventory_awx.py checks the warning where hostnames puts the name first).
    assert sorted(hostvars) == sorted(re.sub(r'[^A-Za-z0-9._@-]+', '_', i).strip('_') for i in ids)
    assert 'share their name' not in proc.stderr


def test_default_groups_switch_off_and_constructed_features(sim, tmp_path):
    config = write_config(tmp_path, 'mobileiron_core', sim.params('mobileiron_core'), default_groups=['platform'],
                          compose={'device_os': 'mdm_platform ~ "-" ~ (mdm_os_version or "")'},
                          groups={'company_ios': "mdm_platform == 'ios' and mdm_ownership == 'company'"},
                          keyed_groups=[{'key': 'mdm_manufacturer', 'prefix': 'maker'}],
                          platforms=['ios', 'android'], include_raw=True)
    inventory = inventory_of(run_inventory(config))
    hostvars = inventory['_meta']['hostvars']
    assert not any(group.startswith(('mdm_status_', 'mdm_vendor_', 'mdm_label_')) for group in inventory)
    assert set(variables['mdm_platform'] for variables in hostvars.values()) == {'ios', 'android'}
    for host, variables in hostvars.items():
        assert variables['device_os'].startswith(variables['mdm_platform'] + '-')
        assert variables['mdm_raw']
    company_ios = set(inventory['company_ios']['hosts'])
    assert company_ios == set(h for h, v in hostvars.items() if v['mdm_platform'] == 'ios' and v['mdm_ownership'] == 'company')
    assert any(group.startswith('maker_') for group in inventory)


@pytest.mark.parametrize('flavour', ['maas360', 'mobileiron_cloud'])
def test_cache_second_run_lists_nothing(sim, tmp_path, flavour):
    cache_dir = tmp_path / 'cache'
    config = write_config(tmp_path, flavour, sim.params(flavour), cache=True, cache_plugin='ansible.builtin.jsonfile',
                          cache_connection=str(cache_dir), cache_timeout=3600)
    sim.clear_log()
    first = inventory_of(run_inventory(config))
    vendor = VENDOR_OF.get(flavour, flavour)
    assert listing_requests(sim, vendor)
    sim.clear_log()
    second = inventory_of(run_inventory(config))
    assert listing_requests(sim, vendor) == []
    assert sim.log(vendor) == []
    assert second == first
    cached = ''.join(path.read_text() for path in cache_dir.iterdir())
    assert cached
    for secret in list(sim.secrets()) + list(sim.issued_tokens()):
        assert secret not in cached


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_host_set_is_exact_with_20_percent_429_and_503(sim, tmp_path, flavour):
    vendor = VENDOR_OF.get(flavour, flavour)
    sim.set_faults(vendor, rate=0.2, kinds=['429', '503'], methods=['GET'], retry_after=1)
    # Pages of 100: a dozen or more listing requests, so that faults land on several of them.
    config = write_config(tmp_path, flavour, dict(sim.params(flavour), max_retries=10), page_size=100)
    inventory = inventory_of(run_inventory(config))
    ids = [variables['mdm_device_id'] for variables in inventory['_meta']['hostvars'].values()]
    assert sorted(ids) == sim_ids(sim, flavour)
    assert [entry for entry in sim.log(vendor) if entry.get('fault')]


@pytest.mark.parametrize('flavour', ['mobileiron_core', 'mobileiron_cloud', 'maas360', 'manageengine'])
def test_devices_added_and_removed_while_listing(tmp_path, flavour):
    """A fleet that changes under the listing gives no duplicate host and no crash."""
    from mdmsim.control import Simulator
    with Simulator(devices=2000, seed=11, latency_ms=40) as moving:
        before = set(sim_ids(moving, flavour))
        config = write_config(tmp_path, flavour, dict(moving.params(flavour), concurrency=1))

        def churn():
            time.sleep(0.3)
            moving.add_devices(flavour, 150)
            moving.remove_devices(flavour, 60)

        thread = threading.Thread(target=churn)
        thread.start()
        inventory = inventory_of(run_inventory(config))
        thread.join()
        ids = [variables['mdm_device_id'] for variables in inventory['_meta']['hostvars'].values()]
        assert len(ids) == len(set(ids))
        after = set(sim_ids(moving, flavour))
        assert set(ids) <= before | after
        assert after - before, 'no device was added: the test proves nothing'


@pytest.mark.parametrize('options,fragment', [
    # ansible-core itself checks `choices`, with a message naming the option and the valid values.
    (dict(vendor='airwatch'), "'vendor'"),
    (dict(password=None), 'option password'),
    (dict(filters={'colour': 'red'}), 'option filters'),
    (dict(platforms=['blackberry']), 'platforms'),
    (dict(vendor_filters={'nonsense': 1}), 'option vendor_filters'),
    (dict(vendor_filters={'query': 'x' * 256}), 'vendor_filters.query'),
    (dict(vendor_filters={'query': '"common.platform" === '}), 'vendor_filters.query'),
])
def test_bad_config_names_the_option_before_any_device_request(sim, tmp_path, options, fragment):
    conn = dict(sim.params('mobileiron_core'))
    for key, value in options.items():
        if value is None:
            conn.pop(key, None)
        else:
            conn[key] = value
    config = write_config(tmp_path, 'mobileiron_core', conn)
    sim.clear_log()
    proc = run_inventory(config, '--list', env={'ANSIBLE_INVENTORY_UNPARSED_FAILED': '1'})
    assert proc.returncode != 0
    assert fragment in proc.stderr, proc.stderr[-2000:]
    if 'vendor' in options:
        assert 'mobileiron_cloud' in proc.stderr, proc.stderr[-2000:]
    assert listing_requests(sim, 'mobileiron_core') == []


def test_inventory_reads_credentials_from_the_environment(sim, tmp_path):
    config = tmp_path / 'env.mdm.yml'
    config.write_text('plugin: fleetops.mdm.devices\n')
    proc = run_inventory(str(config), env=sim.env('mobileiron_cloud'))
    assert len(inventory_of(proc)['_meta']['hostvars']) == SIM_DEVICES
