# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bad-input catalogue beyond mdm_device_action (test_action_guards.py): every module, the connection options,
the inventory plugin and the roles. Each case fails with a message naming the option (and what is allowed where
there is a list), and the simulator sees no write request; together with the device-command cases these are more
than 60."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

from conftest import run_playbook
from test_action_guards import cases as action_cases, writes
from test_inventory import run_inventory

VENDORS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')
URL_SECRET = 'Url-Pa55word-7c1e'


def module_cases(sim):
    core_id = str(sim.devices('mobileiron_core')[0]['common.uuid'])
    me_id = str(sim.devices('manageengine')[0]['device_id'])
    table = [
        # (name, module, vendor, args, words the message must hold)
        ('unknown vendor', 'mdm_device_info', 'mobileiron_core', dict(vendor='airwatch'), ['vendor', 'maas360']),
        ('url without a scheme', 'mdm_device_info', 'mobileiron_core', dict(url='core.example.com'), ['url', 'https://']),
        ('timeout of zero', 'mdm_device_info', 'mobileiron_core', dict(timeout=0), ['timeout']),
        ('max_retries out of range', 'mdm_device_info', 'mobileiron_cloud', dict(max_retries=99), ['max_retries']),
        ('missing password', 'mdm_device_info', 'mobileiron_core', dict(password=''), ['password']),
        ('MaaS360 without app_access_key', 'mdm_device_info', 'maas360', dict(app_access_key=''), ['app_access_key']),
        ('unknown neutral filter', 'mdm_device_info', 'manageengine', dict(filters={'colour': 'red'}), ['filters', 'platform']),
        ('invalid ownership value', 'mdm_device_info', 'maas360', dict(filters={'ownership': 'rented'}), ['filters.ownership', 'company']),
        ('MaaS360 page size not in its list', 'mdm_device_info', 'maas360', dict(page_size=30), ['page_size', '250']),
        ('MobileIron Cloud page size above 500', 'mdm_device_info', 'mobileiron_cloud', dict(page_size=501), ['page_size']),
        ('unknown ManageEngine vendor filter', 'mdm_device_info', 'manageengine', dict(vendor_filters={'colour': 'red'}), ['vendor_filters', 'owned_by']),
        ('searchkey without searchfield', 'mdm_device_info', 'manageengine', dict(vendor_filters={'searchkey': 'x'}), ['searchfield']),
        ('unknown fact to gather', 'mdm_device_info', 'manageengine', dict(device_id=me_id, gather=['horoscope']), ['gather']),
        ('concurrency of zero', 'mdm_device_info', 'mobileiron_core', dict(concurrency=0), ['concurrency']),
        ('no label names', 'mdm_label', 'mobileiron_core', dict(labels=[], devices=[core_id]), ['labels']),
        ('purge with state absent', 'mdm_label', 'manageengine', dict(labels=['Kiosk'], devices=[me_id], state='absent', purge=True), ['purge']),
        ('devices missing for state absent', 'mdm_label', 'mobileiron_core', dict(labels=['Kiosk'], state='absent'), ['devices']),
        ('unknown label', 'mdm_label', 'mobileiron_core', dict(labels=['No Such Label 0xbeef'], devices=[core_id]), ['labels', 'Kiosk']),
        ('labels on MaaS360', 'mdm_label', 'maas360', dict(labels=['Sales'], devices=['x']), ['maas360']),
        ('label_info concurrency too high', 'mdm_label_info', 'manageengine', dict(concurrency=100), ['concurrency']),
        ('unknown device detail', 'mdm_device', 'manageengine', dict(devices=[me_id], details={'colour': 'red'}), ['details', 'asset_tag']),
        ('device details on MobileIron Cloud', 'mdm_device', 'mobileiron_cloud', dict(devices=['1'], details={'asset_tag': 'x'}), ['mobileiron']),
        ('malformed Core UUID to delete', 'mdm_device', 'mobileiron_core', dict(devices=['not-a-uuid'], state='absent'), ['devices']),
        ('empty user id', 'mdm_user', 'mobileiron_cloud', dict(uid=' '), ['uid']),
        ('unknown device ownership', 'mdm_user', 'mobileiron_cloud', dict(uid='new.hire@example.com', device_ownership='rented'),
         ['device_ownership', 'employee']),
        ('update_password always without a password', 'mdm_user', 'mobileiron_cloud',
         dict(uid='new.hire@example.com', update_password='always'), ['user_password']),
        ('users on MobileIron Core', 'mdm_user', 'mobileiron_core', dict(uid='someone'), ['mobileiron core']),
        ('user page size above 500', 'mdm_user_info', 'mobileiron_cloud', dict(page_size=501), ['page_size']),
        ('accounts on MobileIron Core', 'mdm_account', 'mobileiron_core',
         dict(name='Acme', account_type='Trial', admin_email='a@acme.example'), ['mobileiron core']),
        ('unknown account type', 'mdm_account', 'maas360', dict(name='Acme', account_type='Gold', admin_email='a@acme.example'), ['account_type', 'Trial']),
        ('admin e-mail without @', 'mdm_account', 'maas360', dict(name='Acme', account_type='Trial', admin_email='nobody'), ['admin_email']),
        ('no account names', 'mdm_account_info', 'maas360', dict(names=[]), ['names']),
        ('unknown registration mode', 'mdm_registration_policy', 'mobileiron_cloud', dict(mode='face'), ['mode', 'pin']),
        # Credentials in a URL are refused naming the option and the vendor, never echoed (URL_SECRET is checked below).
        ('url holding credentials', 'mdm_device_info', 'mobileiron_core', dict(url='https://admin:%s@127.0.0.1:9' % URL_SECRET),
         ['url', 'must not hold credentials', 'MobileIron Core']),
        ('accounts_url holding credentials', 'mdm_device_info', 'manageengine',
         dict(accounts_url='https://zoho:%s@127.0.0.1:9' % URL_SECRET), ['accounts_url', 'must not hold credentials']),
        ('ManageEngine API key and OAuth both', 'mdm_label_info', 'manageengine', dict(api_key='an-api-key-1234'),
         ['api_key', 'ManageEngine MDM', 'only one']),
    ]
    return [dict(name=name, module=module, vendor=vendor, args=args, words=words) for name, module, vendor, args, words in table]


def inventory_cases():
    return [
        ('inventory: unknown vendor', dict(vendor='airwatch'), ['vendor', 'maas360']),
        ('inventory: unknown neutral filter', dict(filters={'colour': 'red'}), ['filters', 'platform']),
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
    total = len(table) + len(inventory_cases()) + len(role_cases()) + len(action_cases(sim))
    assert total >= 60, total
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
