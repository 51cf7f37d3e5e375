# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bad-input catalogue beyond mdm_device_action (test_action_guards.py), end to end: one case or two of every
module through ansible-playbook, the inventory plugin through ansible-inventory, and the roles. Each case fails with
a message naming the option (and what is allowed where there is a list), and the simulator sees no write request.

The whole catalogue of the modules (more than 75 cases, with the connection options) runs in-process as unit tests
(tests/unit/plugins/modules/test_bad_inputs.py), each one also proving that no request at all was attempted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from conftest import HERE, run_playbook
from test_action_guards import writes
from test_inventory import run_inventory

VENDORS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')
URL_SECRET = 'Url-Pa55word-7c1e'
MODULES = set(os.path.splitext(name)[0] for name in os.listdir(os.path.join(HERE, '..', '..', 'plugins', 'modules'))
              if name.startswith('mdm_') and name.endswith('.py'))


def module_cases(sim):
    me_id = str(sim.devices('manageengine')[0]['device_id'])
    table = [
        # (name, module, vendor, args, words the message must hold)
        # Credentials in a URL are refused naming the option and the vendor, never echoed (URL_SECRET is checked below).
        ('url holding credentials', 'mdm_device_info', 'mobileiron_core', dict(url='https://admin:%s@127.0.0.1:9' % URL_SECRET),
         ['url', 'must not hold credentials', 'MobileIron Core']),
        ('unknown fact to gather', 'mdm_device_info', 'manageengine', dict(device_id=me_id, gather=['horoscope']), ['gather']),
        ('purge with state absent', 'mdm_label', 'manageengine', dict(labels=['Kiosk'], devices=[me_id], state='absent', purge=True),
         ['purge']),
        ('ManageEngine API key and OAuth both', 'mdm_label_info', 'manageengine', dict(api_key='an-api-key-1234'),
         ['api_key', 'ManageEngine MDM', 'only one']),
        ('unknown device detail', 'mdm_device', 'manageengine', dict(devices=[me_id], details={'colour': 'red'}), ['details', 'asset_tag']),
        ('unknown device ownership', 'mdm_user', 'mobileiron_cloud', dict(uid='new.hire@example.com', device_ownership='rented'),
         ['device_ownership', 'employee']),
        ('user page size above 500', 'mdm_user_info', 'mobileiron_cloud', dict(page_size=501), ['page_size']),
        ('unknown account type', 'mdm_account', 'maas360', dict(name='Acme', account_type='Gold', admin_email='a@acme.example'),
         ['account_type', 'Trial']),
        ('accounts on MobileIron Core', 'mdm_account_info', 'mobileiron_core', dict(names=['Acme']), ['mobileiron core']),
        ('unknown registration mode', 'mdm_registration_policy', 'mobileiron_cloud', dict(mode='face'), ['mode', 'pin']),
    ]
    return [dict(name=name, module=module, vendor=vendor, args=args, words=words) for name, module, vendor, args, words in table]


def inventory_cases():
    return [
        # Unknown vendors and filters: test_inventory.py, test_bad_config_names_the_option_before_any_device_request.
        ('inventory: page size out of range', dict(page_size=0), ['page_size']),
        ('inventory: url holding credentials', dict(url='https://admin:%s@127.0.0.1:9' % URL_SECRET), ['url', 'must not hold credentials']),
    ]


def role_cases():
    return [
        ('fleet_report: unknown format', 'fleet_report', dict(fleet_report_formats=['pdf']), ['fleet_report_formats', 'html']),
        ('fleet_report: unknown source', 'fleet_report', dict(fleet_report_source='ldap'), ['fleet_report_source', 'inventory']),
        ('label_sync: rules not a list', 'label_sync', dict(label_sync_rules='Kiosk'), ['label_sync_rules']),
    ]


def missing(msg, words):
    return [word for word in words if word.lower() not in (msg or '').lower()]


def test_every_bad_input_fails_clearly_without_a_write(sim, tmp_path):
    table = module_cases(sim)
    # Every module once at least, the device commands in test_action_guards.py.
    assert set(case['module'] for case in table) == MODULES - {'mdm_device_action'}
    conns = dict((vendor, sim.params(vendor)) for vendor in VENDORS)
    sim.clear_log()
    ledger_before = len(sim.ledger())
    problems = []

    run = run_playbook(tmp_path, 'catalogue.yml', conns['mobileiron_core'], extra=dict(
        conns=conns, cases=[dict(name=c['name'], module=c['module'], vendor=c['vendor'], args=c['args']) for c in table]))
    assert run.rc == 0, run.output[-3000:]
    assert URL_SECRET not in run.output
    assert len(run.result) == len(table), run.result
    for case, outcome in zip(table, run.result):
        if not outcome['failed']:
            problems.append('%s: did not fail' % case['name'])
        elif missing(outcome['msg'], case['words']):
            problems.append('%s: message lacks %s: %s' % (case['name'], missing(outcome['msg'], case['words']), outcome['msg']))

    for name, options, words in inventory_cases():
        config = tmp_path / ('bad%d.mdm.yml' % len(problems))
        config.write_text(yaml.safe_dump(dict(sim.params('mobileiron_core'), plugin='fleetops.mdm.devices', **options)))
        proc = run_inventory(str(config), '--list', env={'ANSIBLE_INVENTORY_UNPARSED_FAILED': '1'})
        output = proc.stdout + proc.stderr
        assert URL_SECRET not in output
        if proc.returncode == 0:
            problems.append('%s: did not fail' % name)
        elif missing(output, words):
            problems.append('%s: message lacks %s: %s' % (name, missing(output, words), output[-500:]))

    for name, role, variables, words in role_cases():
        extra = dict(variables, role_name=role, mdm_connection=conns['mobileiron_core'])
        outcome = run_playbook(tmp_path, 'role_once.yml', conns['mobileiron_core'], extra=extra)
        result = outcome.result or {}
        if not result.get('failed'):
            problems.append('%s: did not fail' % name)
        elif missing(result.get('msg'), words):
            problems.append('%s: message lacks %s: %s' % (name, missing(result.get('msg'), words), result.get('msg')))

    assert not problems, '\n'.join(problems)
    assert writes(sim) == []
    assert len(sim.ledger()) == ledger_before
