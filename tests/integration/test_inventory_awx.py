# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory the way AWX / Automation Platform take it, on the ansible-core that runs these tests.

The whole suite runs with ansible-core 2.19; `make smoke-2.16` and `make smoke-2.21` run this file with the oldest
and the newest release too, so that the output of `ansible-inventory --list` and `--list --export` is checked on
every core the collection declares it is tested on.

AWX imports an inventory source by running `ansible-inventory --list --export` and reading the JSON into its
in-memory inventory (awx/main/utils/mem_inventory.py, dict_to_mem_data): every top-level key but `_meta` is a group
with `hosts` (names), `children` (group names) and `vars`; `_meta.hostvars` maps a host to a dict of variables that
is stored as it is. A variable printed as {"__ansible_unsafe": "..."} is therefore stored as a dict where a string
belongs, and a host name with one colon is read as "name:port".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess

import pytest

from mdmsim.control import Simulator

from conftest import BIN, FLAVOURS, SIM_DEVICES, ansible_env, assert_no_secrets
from test_device_info import VENDOR_OF, sim_ids
from test_inventory import run_inventory, write_config

TEXT_FIELDS = ('mdm_name', 'mdm_os_version', 'mdm_model', 'mdm_manufacturer', 'mdm_serial', 'mdm_imei', 'mdm_udid',
               'mdm_user', 'mdm_user_email', 'mdm_last_seen')
CHOICES = {'mdm_platform': ('android', 'ios', 'macos', 'windows', 'other'),
           'mdm_ownership': ('company', 'employee', 'unknown'),
           'mdm_status': ('active', 'pending', 'retired', 'wiped', 'other')}
UNSAFE = '__ansible_unsafe'
TEMPLATE_NAME = "{{ lookup('env', 'HOME') }}"


def sanitised(value):
    """The plugin's host-name form of a value (plugins/inventory/devices.py, sanitize_host_name)."""
    return re.sub(r'[^A-Za-z0-9._@-]+', '_', str(value).strip()).strip('_')


def could_be_template(text):
    return '{' in text or '}' in text


def plain_json(value, where):
    """Assert that ``value`` is what AWX can store as a host variable; returns the strings marked unsafe.

    Plain JSON everywhere, except a string that could be a template, which stays marked unsafe."""
    if isinstance(value, dict):
        if UNSAFE in value:
            assert set(value) == {UNSAFE} and isinstance(value[UNSAFE], str), where
            assert could_be_template(value[UNSAFE]), '%s: %r is marked unsafe but could not be a template' % (where, value)
            return [value[UNSAFE]]
        found = []
        for key, item in value.items():
            assert isinstance(key, str), where
            found += plain_json(item, '%s.%s' % (where, key))
        return found
    if isinstance(value, list):
        found = []
        for index, item in enumerate(value):
            found += plain_json(item, '%s[%d]' % (where, index))
        return found
    assert value is None or isinstance(value, (str, bool, int, float)), '%s: %r' % (where, value)
    assert not (isinstance(value, str) and could_be_template(value)), '%s: %r could be a template but is not marked unsafe' % (
        where, value)
    return []


def awx_import(data):
    """Read `ansible-inventory --list --export` JSON as AWX's importer does, strictly: what AWX would only log a
    warning about (and drop) fails here. Returns ({host: variables}, {group: {'hosts', 'children', 'vars'}})."""
    assert isinstance(data, dict)
    data = dict(data)
    meta = data.pop('_meta', {})
    assert isinstance(meta, dict) and isinstance(meta.get('hostvars', {}), dict)
    hosts = {}
    groups = {}
    for name, body in data.items():
        assert isinstance(name, str) and isinstance(body, dict), 'group %r: %r' % (name, type(body))
        group = groups.setdefault(name, {'hosts': set(), 'children': set(), 'vars': {}})
        members = body.get('hosts', [])
        assert isinstance(members, list), 'hosts of group %s' % name
        for host in members:
            assert isinstance(host, str) and host, 'a host of group %s' % name
            # AWX splits "name:port" (one colon) into a host name and a port.
            assert host.count(':') != 1, 'AWX would read %r as host:port' % host
            group['hosts'].add(host)
            hosts.setdefault(host, {})
        variables = body.get('vars', {})
        assert isinstance(variables, dict), 'vars of group %s' % name
        group['vars'].update(variables)
        children = body.get('children', [])
        assert isinstance(children, list), 'children of group %s' % name
        group['children'].update(children)
    for host, variables in meta.get('hostvars', {}).items():
        assert isinstance(variables, dict), 'variables of host %s' % host
        hosts.setdefault(host, {}).update(variables)
    for name, group in groups.items():
        for child in group['children']:
            # "ungrouped" (even when empty and not printed) is AWX's own, like "all".
            assert child in groups or child == 'ungrouped', 'group %s names the child %s, which is not a group' % (name, child)
    return hosts, groups


@pytest.fixture(scope='module')
def small_sim():
    """A fleet of 300 for the tests that template per host (compose, groups, plays): Ansible takes seconds per
    thousand hosts there."""
    with Simulator(devices=300, seed=7) as simulator:
        yield simulator


def no_secrets_of(simulator, text):
    assert not [secret for secret in simulator.secrets() if secret and secret in text]


def listed(proc):
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_awx_import_of_list_export_gets_plain_variables(sim, tmp_path, flavour):
    vendor = VENDOR_OF.get(flavour, flavour)
    config = write_config(tmp_path, flavour, sim.params(flavour))
    proc = run_inventory(config, '--list', '--export')
    hosts, groups = awx_import(listed(proc))
    assert len(hosts) == SIM_DEVICES
    assert sorted(variables['mdm_device_id'] for variables in hosts.values()) == sim_ids(sim, flavour)
    marked = []
    for host, variables in hosts.items():
        marked += plain_json(variables, host)
        # Hosts are named after the device id by default: unique, and unchanged by other devices.
        assert host == sanitised(variables['mdm_device_id'])
        assert variables['ansible_connection'] == 'local'
        assert variables['mdm_vendor'] == vendor
        assert isinstance(variables['mdm_device_id'], str)
        for field, allowed in CHOICES.items():
            assert variables[field] in allowed, (host, field)
        assert variables['mdm_compliant'] in (True, False, None)
        assert isinstance(variables['mdm_labels'], list) and all(isinstance(label, (str, dict)) for label in variables['mdm_labels'])
        for field in TEXT_FIELDS:
            value = variables[field]
            assert value is None or isinstance(value, str) or (isinstance(value, dict) and set(value) == {UNSAFE}), (host, field)
    # The fleet holds device names that look like templates: exactly those stay marked, and nothing else is.
    assert TEMPLATE_NAME in marked
    assert all(could_be_template(text) for text in marked)
    # Groups: the default ones, every host in its vendor group and in exactly one platform group.
    assert groups['mdm_vendor_%s' % vendor]['hosts'] == set(hosts)
    assert 'mdm_vendor_%s' % vendor in groups['all']['children']
    platform_groups = [name for name in groups if name.startswith('mdm_platform_')]
    for host, variables in hosts.items():
        assert [name for name in platform_groups if host in groups[name]['hosts']] == ['mdm_platform_%s' % variables['mdm_platform']]


def test_list_without_export_has_the_same_plain_variables(sim, tmp_path):
    config = write_config(tmp_path, 'maas360', sim.params('maas360'))
    exported, _groups = awx_import(listed(run_inventory(config, '--list', '--export')))
    full = listed(run_inventory(config, '--list'))
    hostvars = full['_meta']['hostvars']
    assert hostvars == exported
    for host, variables in hostvars.items():
        plain_json(variables, host)


def test_compose_overrides_the_connection_and_stays_plain(small_sim, tmp_path):
    config = write_config(tmp_path, 'mobileiron_cloud', small_sim.params('mobileiron_cloud'),
                          compose={'ansible_connection': "'ssh' if mdm_platform == 'windows' else 'local'",
                                   'shouting_name': "mdm_name | upper"})
    hosts, _groups = awx_import(listed(run_inventory(config, '--list', '--export')))
    platforms = set()
    for host, variables in hosts.items():
        plain_json(variables, host)
        platforms.add(variables['mdm_platform'])
        assert variables['ansible_connection'] == ('ssh' if variables['mdm_platform'] == 'windows' else 'local')
    assert 'windows' in platforms and len(platforms) > 1


def test_template_device_names_are_never_evaluated(small_sim, tmp_path):
    """Names like {{ lookup('env', 'HOME') }} stay text in host variables, compose, groups and keyed_groups."""
    flavour = 'mobileiron_cloud'
    config = write_config(tmp_path, flavour, small_sim.params(flavour),
                          compose={'shouting_name': 'mdm_name | upper', 'name_copy': 'mdm_name'},
                          groups={'template_named': "'{' in (mdm_name or '')"},
                          keyed_groups=[{'key': 'mdm_name', 'prefix': 'named', 'separator': '_'}])
    out_file = tmp_path / 'names.json'
    playbook = tmp_path / 'names.yml'
    # One task for the whole inventory (run_once, on the first device host: ansible_connection=local by default) that
    # writes the variables as a play sees them, templated by Ansible.
    fields = ('mdm_device_id', 'mdm_name', 'name_copy', 'shouting_name', 'group_names')
    expressions = ["'%s': ansible_play_hosts | map('extract', hostvars, '%s') | list" % (field, field) for field in fields]
    content = '{{ {%s} | to_json }}' % ', '.join(expressions)
    playbook.write_text(json.dumps([{
        'name': 'Read the device names as a play sees them', 'hosts': 'all', 'gather_facts': False,
        'tasks': [{'name': 'Write the names', 'run_once': True,
                   'ansible.builtin.copy': {'dest': str(out_file), 'mode': '0600', 'content': content}}]}]))
    env = ansible_env({'HOME': str(tmp_path)})
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', config, str(playbook)],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    no_secrets_of(small_sim, proc.stdout + proc.stderr)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    columns = json.loads(out_file.read_text())
    seen = [dict(zip(fields, row)) for row in zip(*(columns[field] for field in fields))]
    assert sorted(variables['mdm_device_id'] for variables in seen) == sim_ids(small_sim, flavour)
    assert str(tmp_path) not in out_file.read_text()
    assert any(could_be_template(variables['mdm_name']) for variables in seen)
    for variables in seen:
        name = variables['mdm_name']
        assert variables['name_copy'] == name
        assert variables['shouting_name'] == name.upper()
        assert ('template_named' in variables['group_names']) == could_be_template(name)
    hosts, groups = awx_import(listed(run_inventory(config, '--list', '--export')))
    assert groups['template_named']['hosts'] == set(host for host, variables in hosts.items()
                                                    if could_be_template(json.dumps(variables['mdm_name'])))
    # keyed_groups: the group of each such name holds exactly the devices of that name, and its name is the
    # sanitised text (e.g. named_____lookup__env____HOME______), never the value of the template.
    template_names = set(variables['mdm_name'] for variables in seen if could_be_template(variables['mdm_name']))
    assert template_names
    for name in template_names:
        members = set(host for host, variables in hosts.items() if variables['mdm_name'] == {UNSAFE: name})
        keyed = [group for group, body in groups.items() if group.startswith('named_') and body['hosts'] == members]
        assert len(keyed) == 1, (name, keyed)
        assert re.sub('[^A-Za-z0-9]', '', keyed[0]) == re.sub('[^A-Za-z0-9]', '', 'named' + name), (name, keyed)


def hosts_by_device(config, env=None):
    """{device id: (host name, device name)} of one ansible-inventory run, and its warnings."""
    proc = run_inventory(config, '--list', '--export', env=env)
    hostvars = listed(proc)['_meta']['hostvars']
    names = dict((variables['mdm_device_id'], (host, json.dumps(variables['mdm_name']))) for host, variables in hostvars.items())
    return names, proc.stderr


def test_host_names_survive_an_enrolment_wave(tmp_path):
    """Two syncs with devices enrolling (some under names already in use) and leaving in between: with the default
    hostnames every existing host keeps its name, so an AWX source with overwrite keeps the host and its history."""
    flavour = 'mobileiron_cloud'
    (tmp_path / 'default').mkdir()
    (tmp_path / 'by_name').mkdir()
    with Simulator(devices=300, seed=21) as fleet:
        default = write_config(tmp_path / 'default', flavour, fleet.params(flavour))
        by_name = write_config(tmp_path / 'by_name', flavour, fleet.params(flavour), hostnames=['name', 'serial', 'id'])
        before, warnings = hosts_by_device(default)
        before_by_name, _warnings = hosts_by_device(by_name)
        assert 'share their' not in warnings
        fleet.add_devices(flavour, 300)
        fleet.remove_devices(flavour, 30)
        after, warnings = hosts_by_device(default)
        after_by_name, warnings_by_name = hosts_by_device(by_name)
    kept = set(before) & set(after)
    assert len(kept) >= 240 and len(after) >= 560
    # The wave collides: new devices carry names that existing devices already had.
    old_names = set(name for _host, name in before.values())
    assert [device for device in set(after) - set(before) if after[device][1] in old_names and after[device][1] != 'null']
    assert dict((device, after[device][0]) for device in kept) == dict((device, before[device][0]) for device in kept)
    assert len(set(host for host, _name in after.values())) == len(after)
    assert 'share their' not in warnings
    # What the default avoids: named after the device name, existing hosts are renamed by the same wave.
    moved = [device for device in kept if before_by_name[device][0] != after_by_name[device][0]]
    assert moved, 'no host was renamed under hostnames [name, ...]: the wave proves nothing'
    assert 'share their name' in warnings_by_name


def test_one_bulk_command_for_an_inventory_group(sim, tmp_path):
    """fleetops.mdm.group_action on a label group: hosts default to ansible_connection=local (no SSH to a device id),
    and the whole group goes to the server in one task, in the vendor's bulk form (MobileIron Core: 512 a request)."""
    flavour = 'mobileiron_core'
    env = sim.env(flavour)
    config = write_config(tmp_path, flavour, {}, fetch_labels=True)
    _hosts, groups = awx_import(listed(run_inventory(config, '--list', '--export', env=env)))
    labels = sorted((len(body['hosts']), name) for name, body in groups.items() if name.startswith('mdm_label_') and body['hosts'])
    size, group = [label for label in labels if label[0] <= 512][-1]
    assert size >= 2
    hostvars = listed(run_inventory(config, '--list', env=env))['_meta']['hostvars']
    wanted = sorted(hostvars[host]['mdm_device_id'] for host in groups[group]['hosts'])
    sim.clear_log()
    start = len(sim.ledger())
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', config, 'fleetops.mdm.group_action',
                           '-e', 'mdm_group=%s' % group, '-e', 'mdm_action=wakeup'],
                          capture_output=True, text=True, env=ansible_env(env), timeout=600, check=False)
    assert_no_secrets(proc.stdout + proc.stderr, 'the output of fleetops.mdm.group_action')
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert 'ok: [' in proc.stdout and 'UNREACHABLE' not in proc.stdout
    ledger = [item for item in sim.ledger()[start:] if item['vendor'] == flavour]
    assert sorted(item['device_id'] for item in ledger) == wanted
    assert set(item['action'] for item in ledger) == {'WAKEUP_DEVICE'}
    writes = [entry for entry in sim.log(flavour) if entry['method'] not in ('GET', 'HEAD')]
    assert len(writes) == 1, writes
    # Without a group the playbook says what it needs, before any request.
    sim.clear_log()
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', config, 'fleetops.mdm.group_action', '-e', 'mdm_action=wakeup'],
                          capture_output=True, text=True, env=ansible_env(env), timeout=600, check=False)
    assert proc.returncode != 0 and 'needs -e mdm_group=' in proc.stdout + proc.stderr
    assert [entry for entry in sim.log(flavour) if entry['method'] not in ('GET', 'HEAD')] == []
