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
import tarfile

import ansible_runner
import jinja2
import jinja2.sandbox
import yaml

from ansible_collections.fleetops.mdm.plugins.module_utils.options import CONNECTION_OPTIONS, SECRET_OPTIONS, VENDORS

from conftest import BIN, ansible_env
from test_device_info import sim_ids
from test_inventory_awx import awx_import, plain_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWX = os.path.join(ROOT, 'extensions', 'awx')
# What the injectors render when a field is left empty: the option's own default, or nothing (= unset).
EMPTY_INJECTED = {'MDM_PLATFORM_ID': '3', 'MDM_DEVICE_SPACE_ID': '1', 'MDM_VALIDATE_CERTS': 'true', 'MDM_TIMEOUT': '30',
                  'MDM_MAX_RETRIES': '5'}
CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n'


def credential_type():
    with open(os.path.join(AWX, 'credential_type.yml')) as handle:
        return yaml.safe_load(handle)


def inject(inputs, private_dir, undefined=jinja2.Undefined):
    """The environment AWX gives a job with a credential of this type, rendered as AWX renders it
    (awx/main/models/credential.py, CredentialType.inject_credential): a field left empty is not defined, a boolean
    field missing from the credential is false, every file template is written to a file of its own (mode 0600)
    whose path is tower.filename.<name>, then every env template is rendered."""
    spec = credential_type()
    namespace = dict((name, value) for name, value in inputs.items() if isinstance(value, bool) or len(value))
    for field in spec['inputs']['fields']:
        if field['type'] == 'boolean' and field['id'] not in inputs:
            namespace[field['id']] = False
    environment = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=undefined)
    filenames = {}
    os.makedirs(str(private_dir), exist_ok=True)
    for label, template in spec['injectors'].get('file', {}).items():
        path = os.path.join(str(private_dir), 'env-%s' % label.replace('.', '-'))
        with open(path, 'w') as handle:
            handle.write(environment.from_string(template).render(**namespace))
        os.chmod(path, 0o600)
        filenames[label.split('.', 1)[1]] = path
    namespace['tower'] = {'filename': filenames}
    return dict((name, environment.from_string(template).render(**namespace))
                for name, template in spec['injectors']['env'].items())


def test_credential_type_injects_every_connection_option(tmp_path):
    spec = credential_type()
    fields = dict((field['id'], field) for field in spec['inputs']['fields'])
    # Every option of the connection table has its environment variable injected, and nothing else is.
    assert set(spec['injectors']['env']) == set(env for _spec, env in CONNECTION_OPTIONS.values())
    for field in fields.values():
        assert field['type'] in ('string', 'boolean') and field['label'] and field['help_text'], field['id']
    assert set(name for name, field in fields.items() if field.get('secret')) == set(SECRET_OPTIONS)
    assert fields['vendor']['choices'] == list(VENDORS)
    assert spec['inputs']['required'] == ['vendor', 'url']
    assert fields['ca_cert'].get('multiline') is True

    # Every field filled in: each option's variable carries its field, the CA certificate arrives as a file.
    inputs = dict((name, 'value-of-%s' % name) for name, field in fields.items() if field['type'] == 'string')
    inputs.update(vendor='mobileiron_core', timeout='45', max_retries='2', ca_cert=CA_PEM, skip_certificate_check=True)
    env = inject(inputs, tmp_path / 'full', undefined=jinja2.StrictUndefined)
    for option, (_spec, name) in CONNECTION_OPTIONS.items():
        if option in ('validate_certs', 'ca_path'):
            continue
        assert env[name] == inputs[option], name
    assert env['MDM_VALIDATE_CERTS'] == 'false'
    with open(env['MDM_CA_PATH']) as handle:
        assert handle.read() == CA_PEM
    assert os.stat(env['MDM_CA_PATH']).st_mode & 0o777 == 0o600

    # Only what is required: the collection's defaults, certificates verified, no CA file.
    env = inject(dict(vendor='maas360', url='https://services.m3.maas360.com'), tmp_path / 'bare')
    for option, (option_spec, name) in CONNECTION_OPTIONS.items():
        expected = EMPTY_INJECTED.get(name, '')
        assert env[name] == {'vendor': 'maas360', 'url': 'https://services.m3.maas360.com'}.get(option, expected), name
        if 'default' in option_spec:
            assert env[name] == str(option_spec['default']).lower(), name
    # A path in the image is used when no certificate is pasted; a pasted one wins.
    env = inject(dict(vendor='maas360', url='https://x', ca_path='/etc/pki/mdm-ca.pem'), tmp_path / 'path')
    assert env['MDM_CA_PATH'] == '/etc/pki/mdm-ca.pem' and env['MDM_VALIDATE_CERTS'] == 'true'
    env = inject(dict(vendor='maas360', url='https://x', ca_path='/etc/pki/mdm-ca.pem', ca_cert=CA_PEM), tmp_path / 'both')
    assert env['MDM_CA_PATH'].startswith(str(tmp_path / 'both'))

    # docs/awx.md shows the same inputs and injectors.
    with open(os.path.join(ROOT, 'docs', 'awx.md')) as handle:
        blocks = [yaml.safe_load(block) for block in re.findall(r'```yaml\n(.*?)```', handle.read(), re.S)]
    assert spec['inputs'] in blocks and spec['injectors'] in blocks


def test_ansible_builder_creates_the_build_context(tmp_path):
    """The one execution environment definition, at the path the README names, is accepted by ansible-builder and
    installs the collection tarball, whose meta/execution-environment.yml brings its Python and system packages."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        assert 'extensions/awx/execution-environment.yml' in handle.read()
    definitions = [path for path in glob.glob(os.path.join(ROOT, '**', 'execution-environment.y*ml'), recursive=True)
                   if '/.' not in path[len(ROOT):] and not path[len(ROOT):].startswith(('/tests/output', '/collections'))]
    expected = ['extensions/awx/execution-environment.yml', 'meta/execution-environment.yml']
    assert sorted(os.path.relpath(path, ROOT) for path in definitions) == expected
    with open(os.path.join(ROOT, 'meta', 'execution-environment.yml')) as handle:
        # The collection's dependency declaration that ansible-builder reads from installed collections, not a definition.
        assert set(yaml.safe_load(handle)) == {'version', 'dependencies'}
    dist = glob.glob(os.path.join(ROOT, '.build', 'dist', 'fleetops-mdm-*.tar.gz'))
    assert len(dist) == 1, 'make collection builds the tarball the execution environment installs'
    context = tmp_path / 'context'
    proc = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'create', '-f', os.path.join(AWX, 'execution-environment.yml'),
                           '-c', str(context), '--output-filename', 'Containerfile'],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (context / 'Containerfile').read_text()
    assert 'ansible-galaxy collection install' in containerfile
    assert 'introspect' in containerfile  # the build collects the collections' Python and system requirements
    assert (context / '_build' / 'fleetops-collection' / os.path.basename(dist[0])).exists()
    requirements = yaml.safe_load((context / '_build' / 'requirements.yml').read_text())
    assert requirements['collections'][0]['name'].endswith('/fleetops-mdm.tar.gz')
    definition = yaml.safe_load(open(os.path.join(AWX, 'execution-environment.yml')))
    assert definition['dependencies']['ansible_core']['package_pip'] == 'ansible-core==2.21.5'

    # What the build's introspection (the script ansible-builder runs in the image) finds in the collection as
    # installed from the tarball: its Python and system packages.
    import ansible_builder
    script = os.path.join(os.path.dirname(ansible_builder.__file__), '_target_scripts', 'introspect.py')
    collections = os.path.join(ROOT, '.build', 'collections')
    proc = subprocess.run([sys.executable, script, 'introspect', collections], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = yaml.safe_load(proc.stdout.split('---', 1)[-1])
    assert [line.split()[0] for line in found['python']] == ['requests>=2.25.0', 'xmltodict>=0.12.0']
    assert found['system'][0].startswith('ca-certificates')

    # The tarball leaves out benchmarks and test-only content (the simulator, integration tests, molecule scenarios).
    with tarfile.open(dist[0]) as tarball:
        names = tarball.getnames()
    assert 'meta/execution-environment.yml' in names and 'requirements.txt' in names and 'bindep.txt' in names
    assert 'playbooks/group_action.yml' in names and 'plugins/plugin_utils/unsafe.py' in names
    for prefix in ('benchmarks', 'tests/simulator', 'tests/integration', 'extensions/molecule'):
        assert not [name for name in names if name == prefix or name.startswith(prefix + '/')], prefix


def test_fleet_report_job_through_ansible_runner(sim, tmp_path, monkeypatch):
    inputs = dict((name, str(value)) for name, value in sim.params('maas360').items() if name in CONNECTION_OPTIONS)
    # The simulator's private CA pasted into the credential, as an admin would: AWX writes it to a file for ca_path.
    with open(inputs.pop('ca_path')) as handle:
        inputs['ca_cert'] = handle.read()
    env = inject(inputs, tmp_path / 'awx-env')
    assert env['MDM_VENDOR'] == 'maas360' and env['MDM_API_KEY'] == ''  # unset fields inject empty variables
    assert env['MDM_CA_PATH'].startswith(str(tmp_path / 'awx-env')) and env['MDM_VALIDATE_CERTS'] == 'true'
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
    # What AWX imports: plain variables (only template-like strings marked), hosts named after the device id.
    hosts, _groups = awx_import(inventory)
    for host, variables in hosts.items():
        plain_json(variables, host)
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
    # Device names that look like templates reached the report from the inventory as text, never evaluated.
    assert "{{ lookup('env', 'HOME') }}" in [device['mdm_name'] for device in report['devices']]
    assert [entry for entry in sim.log('maas360') if entry['method'] not in ('GET', 'HEAD')
            and '/auth-apis/' not in entry['path']] == []
    # No secret in the job output or its events, as AWX would show and store them.
    events = ''.join(json.dumps(event) for event in result.events)
    for secret in sim.secrets():
        assert secret not in stdout and secret not in events
