# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX pieces: the credential type, the execution environment definition, and a job run the way AWX runs one.

AWX runs a job template with ansible-runner: the credential type's injectors become environment variables, the
inventory source is the fleetops.mdm.devices plugin reading the same variables, and the playbook comes from the
project. The test does the same against the simulator, with nothing but those variables carrying the connection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import re
import subprocess
import sys

import ansible_runner
import jinja2
import jinja2.sandbox
import yaml

from conftest import BIN, ansible_env
from test_device_info import sim_ids

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWX = os.path.join(ROOT, 'extensions', 'awx')
CONNECTION_OPTIONS = ('vendor', 'url', 'username', 'password', 'billing_id', 'app_id', 'app_version', 'platform_id',
                      'app_access_key', 'api_key', 'client_id', 'client_secret', 'refresh_token', 'accounts_url',
                      'device_space_id', 'partition_id', 'ca_path')
SECRET_FIELDS = {'password', 'app_access_key', 'api_key', 'client_secret', 'refresh_token'}


def credential_type():
    with open(os.path.join(AWX, 'credential_type.yml')) as handle:
        return yaml.safe_load(handle)


def inject(inputs):
    """The environment AWX gives a job with a credential of this type: each injector rendered with the inputs."""
    environment = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return dict((name, environment.from_string(template).render(**inputs))
                for name, template in credential_type()['injectors']['env'].items())


def test_credential_type_covers_every_connection_option_and_hides_secrets():
    spec = credential_type()
    fields = dict((field['id'], field) for field in spec['inputs']['fields'])
    assert set(fields) == set(CONNECTION_OPTIONS)
    assert set(name for name, field in fields.items() if field.get('secret')) == SECRET_FIELDS
    assert fields['vendor']['choices'] == ['maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud']
    assert spec['inputs']['required'] == ['vendor', 'url']
    assert set(spec['injectors']['env']) == set('MDM_' + name.upper() for name in CONNECTION_OPTIONS)
    # docs/awx.md shows the same inputs and injectors.
    with open(os.path.join(ROOT, 'docs', 'awx.md')) as handle:
        blocks = [yaml.safe_load(block) for block in re.findall(r'```yaml\n(.*?)```', handle.read(), re.S)]
    assert spec['inputs'] in blocks and spec['injectors'] in blocks


def test_ansible_builder_creates_the_build_context(tmp_path):
    dist = glob.glob(os.path.join(ROOT, '.build', 'dist', 'fleetops-mdm-*.tar.gz'))
    assert len(dist) == 1, 'make collection builds the tarball the execution environment installs'
    context = tmp_path / 'context'
    proc = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'create', '-f', os.path.join(AWX, 'execution-environment.yml'),
                           '-c', str(context), '--output-filename', 'Containerfile'],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (context / 'Containerfile').read_text()
    assert 'ansible-galaxy collection install' in containerfile
    assert (context / '_build' / 'fleetops-collection' / os.path.basename(dist[0])).exists()
    requirements = yaml.safe_load((context / '_build' / 'requirements.yml').read_text())
    assert requirements['collections'][0]['name'].endswith('/fleetops-mdm.tar.gz')


def test_fleet_report_job_through_ansible_runner(sim, tmp_path, monkeypatch):
    inputs = dict((name, str(value)) for name, value in sim.params('maas360').items() if name in CONNECTION_OPTIONS)
    env = inject(inputs)
    assert env['MDM_VENDOR'] == 'maas360' and env['MDM_API_KEY'] == ''  # unset fields inject empty variables
    for name in list(os.environ):
        if name.startswith('MDM_'):
            monkeypatch.delenv(name)
    for name, value in ansible_env().items():
        if name.startswith('ANSIBLE_'):
            monkeypatch.setenv(name, value)

    private = tmp_path / 'job'
    (private / 'project').mkdir(parents=True)
    (private / 'inventory').mkdir()
    # The project's playbook: the collection's own playbook; the inventory source: the plugin, no settings at all.
    (private / 'project' / 'fleet_report.yml').write_text(
        '---\n- name: Fleet report\n  ansible.builtin.import_playbook: fleetops.mdm.fleet_report\n')
    (private / 'inventory' / 'fleet.mdm.yml').write_text('---\nplugin: fleetops.mdm.devices\n')
    dest = tmp_path / 'report'

    inventory, error = ansible_runner.get_inventory(action='list', inventories=[str(private / 'inventory' / 'fleet.mdm.yml')],
                                                    envvars=env, response_format='json', quiet=True)
    assert not error.strip() or 'WARNING' in error, error
    hostvars = inventory['_meta']['hostvars']
    assert len(hostvars) == len(sim_ids(sim, 'maas360'))

    sim.clear_log()
    result = ansible_runner.run(private_data_dir=str(private), playbook='fleet_report.yml',
                                inventory=str(private / 'inventory' / 'fleet.mdm.yml'), envvars=env, quiet=True,
                                extravars=dict(fleet_report_source='inventory', fleet_report_dest=str(dest),
                                               fleet_report_as_of='2026-01-01', ansible_python_interpreter=sys.executable))
    stdout = result.stdout.read()
    assert result.status == 'successful' and result.rc == 0, stdout[-3000:]
    report = json.loads((dest / 'fleet-report.json').read_text())
    assert sorted(device['mdm_device_id'] for device in report['devices']) == sim_ids(sim, 'maas360')
    assert (dest / 'fleet-report.html').read_text().count('class="chart chart-') == 6
    assert [entry for entry in sim.log('maas360') if entry['method'] not in ('GET', 'HEAD')
            and '/auth-apis/' not in entry['path']] == []
    # No secret in the job output or its events, as AWX would show and store them.
    events = ''.join(json.dumps(event) for event in result.events)
    for secret in sim.secrets():
        assert secret not in stdout and secret not in events
