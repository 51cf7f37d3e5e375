# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_account and mdm_account_info end to end against the simulated MaaS360 account provisioning."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import run_playbook

CREATE = '/account-provisioning/account/1.0/createCustomerAccount/'
CHECK = '/account-provisioning/account/1.0/checkAccountNameAvailability/'


def posts(sim, path):
    return [entry for entry in sim.log('maas360') if entry['method'] == 'POST' and entry['path'].startswith(path)]


def writes(sim):
    """Every request that may change something: not GET, and not the availability check (a POST that only reads)."""
    return [(entry['method'], entry['path']) for entry in sim.log('maas360')
            if entry['method'] not in ('GET', 'HEAD') and not entry['path'].startswith(CHECK)
            and not entry['path'].startswith('/auth-apis/')]


def account(sim, name):
    found = [item for item in sim.maas360_accounts() if item['accountName'] == name]
    return found[0] if found else None


def test_check_mode_create_apply_again(sim, tmp_path):
    conn = sim.params('maas360')
    name = 'Fleetops Test Customer A'
    sim.clear_log()
    ledger_start = len(sim.ledger())

    run = run_playbook(tmp_path, 'account_once.yml', conn, check=True, extra=dict(name=name, account_type='Customer'))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True and run.result['account']['created'] is False
    assert run.result['account']['available'] is True
    assert run.result['diff']['after']['name'] == name
    assert writes(sim) == [] and len(posts(sim, CHECK)) == 1
    assert account(sim, name) is None and len(sim.ledger()) == ledger_start

    sim.clear_log()
    run = run_playbook(tmp_path, 'account_once.yml', conn, extra=dict(name=name, account_type='Customer'))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True and run.result['account']['created'] is True
    assert run.result['diff'] == {'before': {}, 'after': {'name': name, 'account_type': 'Customer', 'service': 'MDM',
                                                          'admin_email': 'it-admin@example.com'}}
    assert writes(sim) == [('POST', CREATE + conn['billing_id'])]
    sent = posts(sim, CREATE)[0]
    assert sent['headers'].get('Content-Type', '').startswith('application/x-www-form-urlencoded')
    for field in ('Service=MDM', 'accountType=Customer', 'adminEmailAddress=it-admin%40example.com',
                  'billingId=%s' % conn['billing_id'], 'accountName=Fleetops+Test+Customer+A'):
        assert field in sent['body']
    created = account(sim, name)
    assert created['partnerBillingId'] == conn['billing_id'] and created['accountType'] == 'Customer'
    assert [(item['action'], item['account_name']) for item in sim.ledger()[ledger_start:]] == [('create_customer_account', name)]

    sim.clear_log()
    run = run_playbook(tmp_path, 'account_once.yml', conn, extra=dict(name=name, account_type='Customer'))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is False and run.result['account']['available'] is False
    assert 'diff' not in run.result
    assert any('not available' in warning for warning in run.result.get('warnings', [])), run.result
    assert writes(sim) == []
    assert len(sim.ledger()) == ledger_start + 1


def test_name_taken_by_another_partner_fails_without_a_write(sim, tmp_path):
    conn = sim.params('maas360')
    name = 'Globex Holdings'
    sim.add_maas360_account(name, '39999999')
    sim.clear_log()
    run = run_playbook(tmp_path, 'account_once.yml', conn, extra=dict(name=name, on_taken='fail'))
    assert run.result['failed'] is True
    assert name in run.result['msg'] and 'not available' in run.result['msg'] and 'option name' in run.result['msg']
    assert writes(sim) == []
    assert account(sim, name)['partnerBillingId'] == '39999999'


# Bad input and the other vendors fail before any request: unit tests (tests/unit/plugins/modules/test_bad_inputs.py,
# test_guards_refuse_before_any_request); a name taken by another partner, above, fails end to end without a write.


def test_info_reports_availability_and_never_changes(sim, tmp_path):
    conn = sim.params('maas360')
    sim.add_maas360_account('Initech', '38888888')
    sim.clear_log()
    run = run_playbook(tmp_path, 'account_once.yml', conn, check=True,
                       extra=dict(info_names=['Initech', 'Fleetops Free Name', 'initech']))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is False
    assert [(item['name'], item['available']) for item in run.result['accounts']] == [
        ('Initech', False), ('Fleetops Free Name', True), ('initech', False)]
    assert run.result['accounts'][1]['availability'] == 'Account name is available'
    assert writes(sim) == [] and len(posts(sim, CHECK)) == 3
