# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_info ``gather``: every documented fact of ManageEngine MDM and MobileIron Core, against the simulator.

The key sets asserted here are those of the vendor references' examples (manageengine-mdm-devices-api.txt,
mobileiron-core-v2-devices-api.txt).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

import pytest

from conftest import SIM_DEVICES, run_playbook
from mdmsim.dialects.manageengine.facts import HISTORY_PAGE, _number

SEED = 7
ME_FLAVOURS = ('manageengine', 'manageengine_onprem')

# fact -> keys of the reference's example reply that the fact must carry.
ME_SHAPES = {
    'summary': {'device_id', 'device_name', 'platform_type', 'last_contact_time', 'agent_version', 'profile_count', 'app_count',
                'doc_count', 'group_count', 'group'},
    'certificates': {'certificates'},
    'restrictions': {'knox_restricions', 'allow_app_removal', 'camera'},
    'filevault': {'filevault'},
    'firmware': {'is_firmware_change_pending', 'is_roms_allowed', 'is_firmware_password_exists', 'firmware_mode',
                 'managed_password_id'},
    'locations': {'locations'},
    'locations_with_address': {'locations'},
    'profiles': {'profiles'},
    'configuration_profiles': {'configuration_profiles'},
    'apps': {'installed_apps', 'release_label_details', 'apps'},
    'poll_time': {'next_poll_time'},
    'actions': {'knox_actions', 'actions'},
    'recent_command': {'status_description', 'status_code', 'command_name', 'kb_url'},
    'scan_status': {'status_description', 'status_code', 'kb_url'},
    'privacy': {'fetch_location', 'view_privacy_settings', 'disable_wipe', 'fetch_device_name', 'fetch_installed_app',
                'disable_bug_report', 'applicable_for', 'disable_remote_control', 'fetch_phone_number'},
    'command_history': {'metadata', 'commands'},
}
CERT_KEYS = {'signaturealgorithmoid', 'certificatename', 'certificatesubjectname', 'serialnumber', 'certificateexpiry', 'isidentity',
             'certificateissuername', 'signaturealgorithmname'}
FILEVAULT_KEYS = {'filevault_status', 'is_institution_recovery_key', 'is_personal_recovery_key', 'resource_id', 'is_encryption_enabled'}
LOCATION_KEYS = {'added_time', 'latitude', 'longitude', 'located_time'}
PROFILE_KEYS = {'profile_id', 'profile_name', 'status', 'remarks', 'localized_remarks', 'profile_description', 'applied_time',
                'group_count', 'device_count', 'created_user', 'created_time', 'last_modified_user', 'last_modified_time', 'platform_type'}
PAYLOAD_KEYS = {'payload_uuid', 'payload_identifier', 'payload_description', 'payload_organization', 'payload_type', 'payload_version',
                'payload_display_name'}
APP_KEYS = {'app_version', 'app_version_code', 'platform_type', 'identifier', 'app_name', 'app_id', 'added_time', 'modified_time',
            'platform', 'icon'}
INSTALLED_APP_KEYS = {'release_label_details', 'app_version', 'platform_type', 'identifier', 'app_name', 'app_id', 'app_version_code'}
ACTION_KEYS = {'is_enabled', 'localized_name', 'name', 'localized_action_info', 'status_code', 'action_info',
               'localized_status_description', 'status_description'}
COMMAND_KEYS = {'command_status', 'managed_status', 'command_id', 'command_name', 'added_time', 'device_id', 'added_by',
                'command_history_id', 'added_by_name', 'command_life', 'remarks_args', 'remarks'}

CORE_DEVICE_FACTS = ('details', 'sim_details', 'app_compliance', 'rule_compliance')
CORE_FLEET_FACTS = ('search_fields', 'count', 'query_test', 'csv_export', 'activesync_report')
SIM_KEYS = {'eid', 'phoneNumber', 'carrierSettingVersion', 'carrierNetwork', 'slot', 'simLabel'}
RULE_KEYS = {'id', 'deviceUuid', 'ruleId', 'complianceAction', 'quarantineAction', 'createdAt', 'userDisplayName', 'userId',
             'platformName', 'model', 'actionName', 'ruleName', 'complianceActionNames'}
ACTIVESYNC_COLUMNS = ['DeviceId', 'MailboxId', 'Status', 'SyncStatus', 'Retired', 'LastSyncTime', 'SentryType']


def writes(sim, vendor):
    return [entry for entry in sim.log(vendor) if entry['method'] not in ('GET', 'HEAD') and 'oauth' not in entry['path']]


def me_ids(sim):
    return [str(record['device_id']) for record in sim.devices('manageengine')]


def history_count(device_id):
    return _number('history', int(device_id)) % 130


def firmware_password(device_id):
    return 'sim-fw-' + hashlib.sha256(('%s:firmware:%s' % (SEED, device_id)).encode()).hexdigest()[:20]


def ok(run):
    assert run.rc == 0, run.output[-3000:]
    return run.result


# -- ManageEngine -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('flavour', ME_FLAVOURS)
@pytest.mark.parametrize('check', [False, True], ids=['apply', 'check_mode'])
def test_manageengine_every_fact_has_the_documented_shape(sim, tmp_path, flavour, check):
    device_id = me_ids(sim)[3]
    ledger = len(sim.ledger())
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_facts.yml', sim.params(flavour), check=check,
                       extra=dict(device_id=device_id, gather=sorted(ME_SHAPES)))
    result = ok(run)
    assert [device['mdm_device_id'] for device in result['devices']] == [device_id]
    facts = result['devices'][0]['mdm_facts']
    assert set(facts) == set(ME_SHAPES)
    for name, keys in ME_SHAPES.items():
        assert isinstance(facts[name], dict), name
        assert keys <= set(facts[name]), (name, sorted(facts[name]))
    assert str(facts['summary']['device_id']) == device_id
    certificates = facts['certificates']['certificates']
    for kind in ('managedcertificates', 'unmanagedcertificates'):
        assert certificates[kind] and all(set(cert) == CERT_KEYS for cert in certificates[kind])
    assert set(facts['filevault']['filevault']) == FILEVAULT_KEYS
    assert facts['locations']['locations'] and all(set(item) == LOCATION_KEYS for item in facts['locations']['locations'])
    assert all(set(item) == LOCATION_KEYS | {'address'} for item in facts['locations_with_address']['locations'])
    assert all(set(item) == PROFILE_KEYS for item in facts['profiles']['profiles'])
    for profile in facts['configuration_profiles']['configuration_profiles']:
        assert PAYLOAD_KEYS <= set(profile) and all(set(item) == PAYLOAD_KEYS for item in profile['payloadcontent'])
    assert facts['apps']['apps'] and all(set(app) == APP_KEYS for app in facts['apps']['apps'])
    assert all(set(app) == INSTALLED_APP_KEYS for app in facts['apps']['installed_apps'])
    assert all(set(action) == ACTION_KEYS for action in facts['actions']['actions'])
    assert all(set(command) == COMMAND_KEYS for command in facts['command_history']['commands'])
    assert 'firmware_password' not in facts
    # Read-only: not one write request, nothing in the action ledger, no firmware password asked for.
    assert writes(sim, 'manageengine') == []
    assert len(sim.ledger()) == ledger
    assert not [entry for entry in sim.log('manageengine') if entry['path'].endswith('/firmware/password')]
    assert firmware_password(device_id) not in run.output


def test_manageengine_command_history_every_page(sim, tmp_path):
    ids = me_ids(sim)
    long_one = next(device_id for device_id in ids if history_count(device_id) > 2 * HISTORY_PAGE)
    empty_one = next(device_id for device_id in ids if history_count(device_id) == 0)
    for device_id in (long_one, empty_one):
        sim.clear_log()
        result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'),
                                 extra=dict(device_id=device_id, gather=['command_history'])))
        history = result['devices'][0]['mdm_facts']['command_history']
        total = history_count(device_id)
        assert history['metadata'] == {'total_record_count': total}
        assert len(history['commands']) == total
        assert len(set(command['command_history_id'] for command in history['commands'])) == total
        reads = [entry for entry in sim.log('manageengine') if entry['path'].endswith('/commandhistory')]
        pages = max(1, -(-total // HISTORY_PAGE))
        assert len(reads) == pages
        assert [bool(entry['query'].get('skip-token')) for entry in reads] == [False] + [True] * (pages - 1)


def test_manageengine_location_request_choreography(sim, tmp_path):
    device_id = me_ids(sim)[5]
    ledger = len(sim.ledger())
    sim.clear_log()
    result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'),
                             extra=dict(device_id=device_id, gather=['location_request'], gather_params={'no_of_days': 3})))
    fact = result['devices'][0]['mdm_facts']['location_request']
    assert fact['status'] == 'COMPLETED'
    assert fact['locations'] and all(set(item) == LOCATION_KEYS | {'address'} for item in fact['locations'])
    calls = [(entry['method'], entry['query'].get('export_batch_id')) for entry in sim.log('manageengine')
             if entry['path'].endswith('/locations_with_address')]
    batch = fact['export_batch_id']
    # One POST (never re-sent), then reads of that batch until it is ready: the first is still in progress.
    assert calls == [('POST', None), ('GET', [batch]), ('GET', [batch])]
    post = [entry for entry in sim.log('manageengine') if entry['method'] == 'POST' and 'locations' in entry['path']][0]
    assert '"no_of_days": 3' in post['body']
    new = sim.ledger()[ledger:]
    assert [(item['action'], item['device_id']) for item in new] == [('location_request', device_id)]


def test_manageengine_location_request_is_not_sent_in_check_mode(sim, tmp_path):
    device_id = me_ids(sim)[5]
    ledger = len(sim.ledger())
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'), check=True,
                       extra=dict(device_id=device_id, gather=['location_request', 'poll_time']))
    result = ok(run)
    facts = result['devices'][0]['mdm_facts']
    assert facts['location_request'] is None
    assert set(facts['poll_time']) == {'next_poll_time'}
    assert 'location_request not requested' in run.output
    assert writes(sim, 'manageengine') == []
    assert len(sim.ledger()) == ledger


def test_manageengine_firmware_password_only_when_asked_and_only_under_no_log(sim, tmp_path):
    device_id = me_ids(sim)[7]
    password = firmware_password(device_id)
    sim.clear_log()
    refused = run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'),
                           extra=dict(device_id=device_id, gather=['firmware'], gather_firmware_password=True))
    assert refused.rc != 0
    assert 'set no_log: true on the task' in refused.output
    assert sim.log('manageengine') == [] and sim.log('zoho_accounts') == []
    run = run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'), verbosity=4,
                       extra=dict(device_id=device_id, gather=['firmware'], gather_firmware_password=True, hide=True))
    assert run.rc == 0, run.output[-3000:]
    facts = run.result['devices'][0]['mdm_facts']
    assert facts['firmware_password'] == {'firmware_password': password, 'resource_id': int(device_id)}
    assert 'firmware_password' not in facts['firmware']
    # Only there: once in the whole result, nowhere in the -vvvv output, nowhere in the simulator's log.
    assert json.dumps(run.result).count(password) == 1
    assert password not in run.output
    assert password not in repr(sim.log())


def test_manageengine_gathers_for_many_devices_with_bounded_concurrency(sim, tmp_path):
    result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'),
                             extra=dict(filters={'platform': 'windows'}, gather=['poll_time', 'scan_status'], concurrency=8)))
    devices = result['devices']
    assert len(devices) > 20
    for device in devices:
        assert set(device['mdm_facts']) == {'poll_time', 'scan_status'}
        assert set(device['mdm_facts']['poll_time']) == {'next_poll_time'}
    assert 'facts' not in result


# -- MobileIron Core --------------------------------------------------------------------------------------------------
def core_device(sim):
    """A non-compliant iOS phone: every per-device fact then has content."""
    for record in sim.devices('mobileiron_core'):
        if record['common.platform'] == 'iOS' and record['common.current_phone_number'] and not record['common.compliant']:
            return record
    raise AssertionError('the fleet has no non-compliant iOS phone')


@pytest.mark.parametrize('check', [False, True], ids=['apply', 'check_mode'])
def test_core_device_facts_have_the_documented_shape(sim, tmp_path, check):
    record = core_device(sim)
    uuid = record['common.uuid']
    ledger = len(sim.ledger())
    sim.clear_log()
    result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('mobileiron_core'), check=check,
                             extra=dict(device_id=uuid, gather=list(CORE_DEVICE_FACTS))))
    facts = result['devices'][0]['mdm_facts']
    assert set(facts) == set(CORE_DEVICE_FACTS)
    details = facts['details']
    assert set(details) == {'results', 'totalCount', 'resultCount'}
    assert all(set(item) == {'name', 'value'} for item in details['results'])
    assert {'name': 'common.uuid', 'value': uuid} in details['results']
    assert details['totalCount'] == details['resultCount'] == len(details['results'])
    sims = facts['sim_details']
    assert set(sims) == {'results', 'totalCount', 'resultCount'} and sims['totalCount'] == 2
    assert all(set(item) == SIM_KEYS for item in sims['results'])
    assert record['common.current_phone_number'] in [item['phoneNumber'] for item in sims['results']]
    apps = facts['app_compliance']['results']
    assert apps['deviceUuid'] == uuid and set(apps['appViolationsByType']) == {'Disallowed', 'Required'}
    assert all(set(item) == {'type', 'appName', 'appVersion'} for items in apps['appViolationsByType'].values() for item in items)
    rules = facts['rule_compliance']
    assert set(rules) == {'results', 'totalCount', 'resultCount'} and rules['results']
    assert all(set(item) == RULE_KEYS and item['deviceUuid'] == uuid for item in rules['results'])
    assert 'facts' not in result
    assert writes(sim, 'mobileiron_core') == []
    assert len(sim.ledger()) == ledger


@pytest.mark.parametrize('check', [False, True], ids=['apply', 'check_mode'])
def test_core_fleet_facts(sim, tmp_path, check):
    records = sim.devices('mobileiron_core')
    ledger = len(sim.ledger())
    sim.clear_log()
    query = '"common.manufacturer" starts with "Appl"'
    result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('mobileiron_core'), check=check,
                             extra=dict(device_id=records[0]['common.uuid'], gather=list(CORE_FLEET_FACTS),
                                        gather_params={'query': query, 'fieldGroups': ['BASIC', 'USER'], 'daysIdle': 30, 'state': 'allowed'})))
    facts = result['facts']
    assert set(facts) == set(CORE_FLEET_FACTS)
    assert 'mdm_facts' not in result['devices'][0]
    fields = facts['search_fields']
    assert fields and all(set(item) == {'name', 'type'} and item['type'] in ('STRING', 'NUMBER', 'DATE') for item in fields)
    assert {'name': 'common.uuid', 'type': 'STRING'} in fields
    apple = [rec for rec in records if rec['common.manufacturer'].lower().startswith('appl')]
    assert facts['count'] == {'totalCount': len(apple)}
    assert facts['query_test'] == {'valid': True, 'token': '', 'position': -1}
    export = facts['csv_export']
    assert export['columns'][:3] == ['common.uuid', 'common.id', 'common.device_space_name']
    assert {'user.user_id', 'user.email_address'} <= set(export['columns'])
    assert sorted(row['common.uuid'] for row in export['rows']) == sorted(rec['common.uuid'] for rec in apple)
    report = facts['activesync_report']
    assert report['columns'] == ACTIVESYNC_COLUMNS
    assert report['rows'] and all(row['SyncStatus'] == 'Allowed' and row['Retired'] == 'false' for row in report['rows'])
    assert all(row['LastSyncTime'].endswith(' GMT') for row in report['rows'])
    # The only non-GET request is the export, a documented read (role "View dashboard, device page, device details").
    assert [(entry['method'], entry['path']) for entry in writes(sim, 'mobileiron_core')] == [('POST', '/api/v2/devices')]
    assert len(sim.ledger()) == ledger


def test_core_export_of_every_device_and_invalid_query_test(sim, tmp_path):
    uuid = sim.devices('mobileiron_core')[0]['common.uuid']
    result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('mobileiron_core'),
                             extra=dict(device_id=uuid, gather=['query_test'],
                                        gather_params={'query': 'manufacturer contains "Apple" AND'})))
    test = result['facts']['query_test']
    assert test['valid'] is False and test['position'] >= 0 and test['token']
    sim.clear_log()
    result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('mobileiron_core'),
                             extra=dict(device_id=uuid, gather=['csv_export', 'count'])))
    export = result['facts']['csv_export']
    assert result['facts']['count'] == {'totalCount': SIM_DEVICES}
    assert len(export['rows']) == SIM_DEVICES
    assert sorted(row['common.uuid'] for row in export['rows']) == sorted(rec['common.uuid'] for rec in sim.devices('mobileiron_core'))
    exports = [entry for entry in sim.log('mobileiron_core') if entry['method'] == 'POST']
    assert [entry['query']['fieldGroups'] for entry in exports] == [['USER,COMMON,ANDROID,IOS,WINDOWS_PHONE']]


# -- validation ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('flavour,gather,fragment', [
    ('manageengine', ['apps', 'details'], "'details' is not a fact ManageEngine MDM documents"),
    ('mobileiron_core', ['apps'], "'apps' is not a fact MobileIron Core documents"),
])
def test_unknown_fact_fails_before_any_request_naming_the_allowed(sim, tmp_path, flavour, gather, fragment):
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_facts.yml', sim.params(flavour), extra=dict(gather=gather))
    assert run.rc != 0
    assert fragment in run.output
    assert 'allowed:' in run.output
    assert ('command_history' in run.output) == (flavour == 'manageengine')
    assert ('activesync_report' in run.output) == (flavour == 'mobileiron_core')
    assert sim.log('manageengine') == [] and sim.log('mobileiron_core') == []


@pytest.mark.parametrize('flavour', ['maas360', 'mobileiron_cloud'])
def test_gather_is_not_supported_by_other_vendors(sim, tmp_path, flavour):
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_facts.yml', sim.params(flavour), extra=dict(gather=['summary']))
    assert run.rc != 0
    assert 'is not supported by' in run.output
    assert sim.log(flavour) == []


@pytest.mark.parametrize('flavour,extra,fragment', [
    ('manageengine', dict(gather=['apps'], gather_params={'fieldGroups': 'USER'}), "unknown ManageEngine MDM gather parameter"),
    ('manageengine', dict(gather=['location_request'], gather_params={'no_of_days': 0}), 'gather_params.no_of_days'),
    ('mobileiron_core', dict(gather=['csv_export'], gather_params={'fieldGroups': ['USER', 'CONTACTS']}), 'gather_params.fieldGroups'),
    ('mobileiron_core', dict(gather=['count'], gather_params={'query': 'x' * 2001}), 'at most 2000'),
    ('mobileiron_core', dict(gather=['activesync_report'], gather_params={'state': 'lost'}), 'gather_params.state'),
    ('mobileiron_core', dict(gather=['details'], gather_firmware_password=True), 'firmware password'),
])
def test_bad_gather_params_fail_before_any_request(sim, tmp_path, flavour, extra, fragment):
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_facts.yml', sim.params(flavour), extra=extra)
    assert run.rc != 0
    assert fragment in run.output
    assert sim.log(flavour) == []


def test_without_gather_the_result_is_unchanged(sim, tmp_path):
    result = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('mobileiron_core')))
    assert len(result['devices']) == SIM_DEVICES
    assert 'facts' not in result
    assert all('mdm_facts' not in device for device in result['devices'])


# -- faults -----------------------------------------------------------------------------------------------------------
def test_gathering_is_exact_with_20_percent_429_and_503(sim, tmp_path):
    device_id = next(device_id for device_id in me_ids(sim) if history_count(device_id) > 2 * HISTORY_PAGE)
    extra = dict(device_id=device_id, gather=['command_history', 'apps', 'privacy'])
    clean = ok(run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'), extra=extra))
    sim.set_faults('manageengine', rate=0.2, kinds=['429', '503'], methods=['GET'], retry_after=1)
    sim.clear_log()
    faulted = ok(run_playbook(tmp_path, 'device_facts.yml', dict(sim.params('manageengine'), max_retries=10), extra=extra))
    assert [entry for entry in sim.log('manageengine') if entry.get('fault')], 'no fault was injected: the test proves nothing'
    assert faulted['devices'] == clean['devices']


def test_a_location_request_that_may_have_arrived_is_never_sent_again(sim, tmp_path):
    device_id = me_ids(sim)[9]
    sim.set_faults('manageengine', rate=1, kinds=['503'], methods=['POST'], count=1)
    sim.clear_log()
    run = run_playbook(tmp_path, 'device_facts.yml', sim.params('manageengine'),
                       extra=dict(device_id=device_id, gather=['location_request']))
    assert run.rc != 0
    assert 'request the location of device %s' % device_id in run.output
    posts = [entry for entry in sim.log('manageengine') if entry['method'] == 'POST']
    assert len(posts) == 1
