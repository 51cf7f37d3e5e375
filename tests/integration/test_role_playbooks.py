# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The offboard_user, lost_device, onboard_user and compliance_sweep roles through their playbooks
(ansible-playbook fleetops.mdm.<name>), checked against the simulator's own records and action ledger."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json

from test_label import writes
from test_roles import run_collection_playbook

# ManageEngine "owned_by": 1 company, 2 personal (the normalised mdm_ownership company / employee).
ME_COMPANY, ME_EMPLOYEE = 1, 2


def me_user_devices(sim):
    """ManageEngine devices by user name: (device_id, owned_by) of the devices still managed."""
    users = collections.defaultdict(list)
    removed = set()
    for record in sim.devices('manageengine'):
        name = (record.get('user') or {}).get('user_name')
        users[name].append((str(record['device_id']), record['owned_by']))
        if record.get('is_removed'):
            removed.add(name)
    return users, removed


def pick_leaver(sim, most=5):
    """A user with company-owned and employee-owned devices, at most `most` in all, none removed yet."""
    users, removed = me_user_devices(sim)
    for name, devices in sorted(users.items()):
        owners = [owner for _id, owner in devices]
        if name and name not in removed and ME_COMPANY in owners and ME_EMPLOYEE in owners and len(devices) <= most \
                and set(owners) <= {ME_COMPANY, ME_EMPLOYEE}:
            return name, devices
    raise AssertionError('no user with company and personal devices in the simulated fleet')


def shown(device_id, name, user, model):
    """A device as the roles' summaries show it (the device_identity filter), as the default callback prints it."""
    identity = '%s (%s; user %s; model %s)' % (device_id, name or 'no name', user or 'unknown', model or 'unknown')
    return json.dumps(identity, ensure_ascii=False)[1:-1]


def me_shown(record):
    return shown(record['device_id'], record['device_name'], (record.get('user') or {}).get('user_name'),
                 record.get('model') or record.get('model_name'))


def ledger_since(sim, seq):
    return [entry for entry in sim.ledger() if entry['seq'] > seq]


def last_seq(sim):
    return max([entry['seq'] for entry in sim.ledger()] or [0])


def test_offboard_user_wipes_company_devices_and_selectively_wipes_personal_ones_only(sim, tmp_path):
    name, devices = pick_leaver(sim)
    company = sorted(device_id for device_id, owner in devices if owner == ME_COMPANY)
    employee = sorted(device_id for device_id, owner in devices if owner == ME_EMPLOYEE)
    conn = sim.params('manageengine')
    start = last_seq(sim)

    check = run_collection_playbook(tmp_path, 'offboard_user', dict(mdm_connection=conn, offboard_user_user=name), check=True)
    assert check.rc == 0, check.output[-3000:]
    assert ledger_since(sim, start) == []
    # A dry run says what it would do, never "sent".
    assert 'would wipe (check mode: nothing was sent)' in check.stdout and ': sent' not in check.stdout, check.stdout[-3000:]
    # Each device by name, user and model beside its id: the reviewer knows which phone is about to be wiped.
    records = dict((str(record['device_id']), record) for record in sim.devices('manageengine'))
    for device_id, _owner in devices:
        assert me_shown(records[device_id]) in check.stdout, (me_shown(records[device_id]), check.stdout[-3000:])

    run = run_collection_playbook(tmp_path, 'offboard_user', dict(mdm_connection=conn, offboard_user_user=name))
    assert run.rc == 0, run.output[-3000:]
    entries = [entry for entry in ledger_since(sim, start) if entry['vendor'] == 'manageengine']
    wiped = sorted(entry['device_id'] for entry in entries if entry['action'] == 'complete_wipe')
    selective = sorted(entry['device_id'] for entry in entries if entry['action'] == 'corporate_wipe')
    assert wiped == company and selective == employee, (wiped, selective, company, employee)
    # Beyond the two commands only group removals, and only of the user's devices.
    others = [entry for entry in entries if entry['action'] not in ('complete_wipe', 'corporate_wipe')]
    assert all(entry['action'] == 'remove_group_member' for entry in others), others
    assert set(entry['device_id'] for entry in others) <= set(company + employee)
    assert 'account left as it is: manageengine' in run.stdout


def test_offboard_user_refuses_more_devices_than_its_limit_before_any_write(sim, tmp_path):
    name, devices = pick_leaver(sim)
    conn = sim.params('manageengine')
    sim.clear_log()
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'offboard_user', dict(mdm_connection=conn, offboard_user_user=name,
                                                                  offboard_user_max_devices=len(devices) - 1))
    assert run.rc != 0
    assert 'more than offboard_user_max_devices (%d); nothing was sent' % (len(devices) - 1) in run.stdout, run.output[-3000:]
    assert writes(sim, 'manageengine') == [] and ledger_since(sim, start) == []


def test_offboard_user_disables_the_mobileiron_cloud_account(sim, tmp_path):
    conn = sim.params('mobileiron_cloud')
    by_user = collections.defaultdict(list)
    for record in sim.devices('mobileiron_cloud'):
        by_user[record['uid']].append(record)
    name = next(uid for uid, records in sorted(by_user.items())
                if len(records) <= 5 and all(r['registrationState'] == 'ACTIVE' for r in records)
                and set(r['ownershipType'] for r in records) == {'COMPANY', 'EMPLOYEE'})
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'offboard_user', dict(mdm_connection=conn, offboard_user_user=name))
    assert run.rc == 0, run.output[-3000:]
    entries = [entry for entry in ledger_since(sim, start) if entry['vendor'] == 'mobileiron_cloud']
    commands = sorted((entry['action'], str(entry['device_id'])) for entry in entries if entry['action'] in ('WIPE', 'RETIRE'))
    expected = sorted(('WIPE' if r['ownershipType'] == 'COMPANY' else 'RETIRE', str(r['id'])) for r in by_user[name])
    assert commands == expected
    account = next(user['record'] for user in sim.users('mobileiron_cloud') if user['record']['uid'] == name)
    assert account['enabled'] is False
    # A second run sends no command: the devices are wiped or retired, the account is disabled.
    start = last_seq(sim)
    again = run_collection_playbook(tmp_path, 'offboard_user', dict(mdm_connection=conn, offboard_user_user=name))
    assert again.rc == 0 and 'changed=0' in again.stdout, again.output[-3000:]
    assert ledger_since(sim, start) == []


def test_lost_device_by_serial_locks_and_locates_on_maas360(sim, tmp_path):
    record = next(r for r in sim.devices('maas360') if r.get('platformSerialNumber') or r.get('serialNumber'))
    serial = record.get('platformSerialNumber') or record.get('serialNumber')
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'lost_device', dict(mdm_connection=sim.params('maas360'), lost_device_serial=serial))
    assert run.rc == 0, run.output[-3000:]
    entries = ledger_since(sim, start)
    assert sorted(entry['action'] for entry in entries) == ['locateDevice', 'lockDevice']
    assert set(entry['device_id'] for entry in entries) == {record['maas360DeviceID']}
    assert "'latitude':" in run.stdout


def test_lost_device_in_check_mode_says_would_lock_and_sends_nothing(sim, tmp_path):
    record = next(r for r in sim.devices('maas360') if r.get('platformSerialNumber') or r.get('serialNumber'))
    serial = record.get('platformSerialNumber') or record.get('serialNumber')
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'lost_device', dict(mdm_connection=sim.params('maas360'), lost_device_serial=serial),
                                  check=True)
    assert run.rc == 0, run.output[-3000:]
    assert ledger_since(sim, start) == []
    assert 'would lock' in run.stdout and 'would locate' in run.stdout and 'lock sent' not in run.stdout, run.stdout[-3000:]
    identity = shown(record['maas360DeviceID'], record.get('deviceName'), record.get('username'),
                     record.get('model') or record.get('modelId'))
    assert identity in run.stdout, (identity, run.stdout[-3000:])


def test_lost_device_refuses_an_unknown_device(sim, tmp_path):
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'lost_device', dict(mdm_connection=sim.params('manageengine'),
                                                                lost_device_imei='999999999999999'))
    assert run.rc != 0 and '0 devices match' in run.stdout
    assert ledger_since(sim, start) == []


def test_onboard_user_creates_invites_and_returns_an_enrollment_url_once(sim, tmp_path):
    conn = sim.params('mobileiron_cloud')
    uid = 'url.starter@example.com'
    variables = dict(mdm_connection=conn, onboard_user_uid=uid, onboard_user_first_name='Url',
                     onboard_user_device_ownership='employee')
    start = last_seq(sim)
    run = run_collection_playbook(tmp_path, 'onboard_user', variables)
    assert run.rc == 0 and 'enrollment URL in onboard_user_enrollment_url' in run.stdout, run.output[-3000:]
    account = next(user['record'] for user in sim.users('mobileiron_cloud') if user['record']['uid'] == uid)
    assert account['firstName'] == 'Url' and account['inviteState'] == 'Pending'
    entries = [entry for entry in ledger_since(sim, start) if entry.get('account_id') == account['id']]
    assert [entry['action'] for entry in entries if entry['action'] != 'update_user'] == \
        ['create_user', 'invite_user', 'enrollment_url']
    assert [entry['ownership'] for entry in entries if entry['action'] == 'invite_user'] == ['EMPLOYEE']
    # The second run finds the user invited: no write, no new URL.
    start = last_seq(sim)
    again = run_collection_playbook(tmp_path, 'onboard_user', variables)
    assert again.rc == 0 and 'changed=0' in again.stdout, again.output[-3000:]
    assert ledger_since(sim, start) == []


def test_onboard_user_fails_before_any_request_on_other_vendors(sim, tmp_path):
    sim.clear_log()
    run = run_collection_playbook(tmp_path, 'onboard_user', dict(mdm_connection=sim.params('mobileiron_core'),
                                                                 onboard_user_uid='someone@example.com'))
    assert run.rc != 0 and 'documents no user write' in run.stdout
    assert sim.log('mobileiron_core') == []
