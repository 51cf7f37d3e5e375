# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_info end to end, for every vendor, against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import FLAVOURS, SIM_DEVICES, run_playbook

NORMALISED = {'mdm_vendor', 'mdm_device_id', 'mdm_name', 'mdm_platform', 'mdm_os_version', 'mdm_model', 'mdm_manufacturer',
              'mdm_serial', 'mdm_imei', 'mdm_udid', 'mdm_user', 'mdm_user_email', 'mdm_ownership', 'mdm_status',
              'mdm_compliant', 'mdm_last_seen', 'mdm_labels'}
VENDOR_OF = {'manageengine_onprem': 'manageengine'}
ID_FIELD = {'maas360': 'maas360DeviceID', 'manageengine': 'device_id', 'manageengine_onprem': 'device_id',
            'mobileiron_core': 'common.uuid', 'mobileiron_cloud': 'id'}


def sim_ids(sim, flavour):
    vendor = VENDOR_OF.get(flavour, flavour)
    return sorted(str(record[ID_FIELD[flavour]]) for record in sim.devices(vendor))


def sim_labels(sim, flavour):
    """{device id: sorted labels} as the simulator holds them."""
    vendor = VENDOR_OF.get(flavour, flavour)
    return dict((str(item['record'][ID_FIELD[flavour]]), sorted(item['labels'])) for item in sim.device_labels(vendor))


def listed_ids(run):
    assert run.rc == 0, run.output[-3000:]
    return [device['mdm_device_id'] for device in run.result['devices']]


def device_reads(sim, vendor):
    return [entry for entry in sim.log(vendor) if entry['method'] == 'GET']


def writes(sim):
    return [entry for vendor in ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')
            for entry in sim.log(vendor) if entry['method'] not in ('GET', 'HEAD') and 'auth' not in entry['path']
            and 'oauth' not in entry['path']]


@pytest.mark.parametrize('flavour', FLAVOURS)
@pytest.mark.parametrize('check', [False, True], ids=['apply', 'check_mode'])
def test_lists_every_device_exactly_once(sim, tmp_path, flavour, check):
    sim.clear_log()
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour), check=check)
    ids = listed_ids(run)
    assert len(ids) == SIM_DEVICES
    assert len(set(ids)) == SIM_DEVICES
    assert sorted(ids) == sim_ids(sim, flavour)
    for device in run.result['devices']:
        assert set(device) == NORMALISED
        assert device['mdm_vendor'] == VENDOR_OF.get(flavour, flavour)
        assert device['mdm_platform'] in ('android', 'ios', 'macos', 'windows', 'other')
        assert device['mdm_ownership'] in ('company', 'employee', 'unknown')
        assert device['mdm_status'] in ('active', 'pending', 'retired', 'wiped', 'other')
        assert device['mdm_compliant'] in (True, False, None)
    platforms = set(device['mdm_platform'] for device in run.result['devices'])
    assert {'ios', 'android'} <= platforms
    assert writes(sim) == []


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_listing_is_exact_with_20_percent_429_and_503(sim, tmp_path, flavour):
    vendor = VENDOR_OF.get(flavour, flavour)
    sim.set_faults(vendor, rate=0.2, kinds=['429', '503'], methods=['GET'], retry_after=1)
    run = run_playbook(tmp_path, 'list_devices.yml', dict(sim.params(flavour), max_retries=10), extra=dict(page_size=100))
    ids = listed_ids(run)
    assert sorted(ids) == sim_ids(sim, flavour)
    faulted = [entry for entry in sim.log(vendor) if entry.get('fault')]
    assert faulted, 'no fault was injected: the test proves nothing'


@pytest.mark.parametrize('flavour', ['maas360', 'manageengine'])
def test_token_expiring_mid_listing_is_renewed_once(sim, tmp_path, flavour):
    sim.clear_log()
    sim.set_faults(flavour, expire_tokens_after=2)
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour), extra=dict(concurrency=1))
    assert sorted(listed_ids(run)) == sim_ids(sim, flavour)
    log = sim.log(flavour)
    if flavour == 'maas360':
        logins = [entry for entry in log if '/auth-apis/' in entry['path']]
    else:
        logins = [entry for entry in sim.log('zoho_accounts') if 'oauth' in entry['path']]
    assert len(logins) == 2
    assert len([entry for entry in log if entry['status'] == 401]) == 1


@pytest.mark.parametrize('flavour,secret_option', [('maas360', 'password'), ('manageengine', 'refresh_token'),
                                                   ('manageengine_onprem', 'api_key'), ('mobileiron_core', 'password'),
                                                   ('mobileiron_cloud', 'password')])
def test_wrong_credentials_fail_clearly(sim, tmp_path, flavour, secret_option):
    conn = dict(sim.params(flavour))
    conn[secret_option] = 'wrong-' + conn[secret_option][::-1]
    run = run_playbook(tmp_path, 'list_devices.yml', conn)
    assert run.rc != 0
    name = {'maas360': 'IBM MaaS360', 'manageengine': 'ManageEngine MDM', 'manageengine_onprem': 'ManageEngine MDM',
            'mobileiron_core': 'MobileIron Core', 'mobileiron_cloud': 'MobileIron Cloud'}[flavour]
    assert name in run.output
    assert 'authentication_failed' in run.output or 'credentials rejected' in run.output
    assert conn[secret_option] not in run.output


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_untrusted_certificate_is_refused(sim, tmp_path, flavour):
    conn = dict(sim.params(flavour))
    del conn['ca_path']
    run = run_playbook(tmp_path, 'list_devices.yml', conn)
    assert run.rc != 0
    assert 'not signed by a trusted CA' in run.output


def test_validate_certs_false_accepts_the_simulator(sim, tmp_path):
    conn = dict(sim.params('mobileiron_core'), validate_certs=False)
    del conn['ca_path']
    run = run_playbook(tmp_path, 'list_devices.yml', conn)
    assert len(listed_ids(run)) == SIM_DEVICES


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_neutral_filters_are_exact(sim, tmp_path, flavour):
    everything = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour))
    expected = sorted(d['mdm_device_id'] for d in everything.result['devices']
                      if d['mdm_platform'] == 'ios' and d['mdm_ownership'] == 'company')
    assert expected
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour),
                       extra=dict(filters={'platform': 'ios', 'ownership': 'company'}))
    assert sorted(listed_ids(run)) == expected


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_one_device_by_id_and_not_found(sim, tmp_path, flavour):
    wanted = sim_ids(sim, flavour)[17]
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour), extra=dict(device_id=wanted, include_raw=True))
    assert listed_ids(run) == [wanted]
    assert run.result['devices'][0]['mdm_raw']
    missing = {'maas360': 'Androidc0000000000', 'manageengine': '1', 'manageengine_onprem': '1',
               'mobileiron_core': '00000000-0000-4000-8000-000000000000', 'mobileiron_cloud': '1'}[flavour]
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour), extra=dict(device_id=missing))
    assert listed_ids(run) == []


@pytest.mark.parametrize('flavour', ['maas360', 'manageengine', 'mobileiron_core'])
def test_label_filter_fetches_labels_and_is_exact(sim, tmp_path, flavour):
    truth = sim_labels(sim, flavour)
    expected = sorted(device_id for device_id, labels in truth.items() if 'Field Ops' in labels)
    assert expected
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour), extra=dict(filters={'label': 'field*'}))
    assert sorted(listed_ids(run)) == expected
    for device in run.result['devices']:
        assert device['mdm_labels'] == truth[device['mdm_device_id']]


def test_one_device_with_its_labels(sim, tmp_path):
    truth = sim_labels(sim, 'mobileiron_core')
    wanted = next(device_id for device_id, labels in sorted(truth.items()) if len(labels) >= 2)
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params('mobileiron_core'),
                       extra=dict(device_id=wanted, fetch_labels=True))
    assert listed_ids(run) == [wanted]
    assert run.result['devices'][0]['mdm_labels'] == truth[wanted]


@pytest.mark.parametrize('filters,fragment', [
    ({'os': 'ios'}, 'option filters'),
    ({'platform': 'blackberry'}, 'filters.platform'),
])
def test_bad_filters_fail_before_any_request(sim, tmp_path, filters, fragment):
    sim.clear_log()
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params('mobileiron_core'), extra=dict(filters=filters))
    assert run.rc != 0
    assert fragment in run.output
    assert sim.log('mobileiron_core') == []


def test_unknown_vendor_fails_before_any_request(sim, tmp_path):
    sim.clear_log()
    run = run_playbook(tmp_path, 'list_devices.yml', dict(sim.params('mobileiron_core'), vendor='airwatch'))
    assert run.rc != 0
    assert 'vendor' in run.output and 'mobileiron_cloud' in run.output
    assert sim.log('mobileiron_core') == []


@pytest.mark.parametrize('flavour', FLAVOURS)
def test_no_secret_in_output_or_request_log_at_vvvv(sim, tmp_path, flavour):
    sim.clear_log()
    sim.set_faults(VENDOR_OF.get(flavour, flavour), expire_tokens_after=1)
    run = run_playbook(tmp_path, 'list_devices.yml', sim.params(flavour), verbosity=4)
    assert run.rc == 0, run.output[-3000:]
    wrong = dict(sim.params(flavour))
    for option in ('password', 'api_key', 'refresh_token', 'app_access_key', 'client_secret'):
        if option in wrong:
            wrong[option] = wrong[option] + 'x'
    failed = run_playbook(tmp_path, 'list_devices.yml', wrong, verbosity=4)
    assert failed.rc != 0
    secrets = [s for s in list(sim.secrets()) + list(sim.issued_tokens()) if s]
    assert secrets
    log_text = repr(sim.log())
    for secret in secrets:
        assert secret not in run.output, 'a secret leaked into the -vvvv output'
        assert secret not in failed.output, 'a secret leaked into the -vvvv output of a failure'
        assert secret not in log_text, 'a secret leaked into the simulator request log'
