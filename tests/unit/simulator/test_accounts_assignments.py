"""The MaaS360 account-provisioning and ManageEngine device profile / app mixins of the simulator."""

import pytest
import requests

from mdmsim.control import Simulator
from test_vendors import maas_token


@pytest.fixture(scope='module')
def sim():
    """A simulator of its own: these tests write (accounts, assignments, ledger entries) where the shared one must not."""
    simulator = Simulator(devices=20, seed=9)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


ACCOUNTS = '/account-provisioning/account/1.0/'


def maas_post(sim, call, form, token, billing_id=None, accept='application/json', content_type=None):
    params = sim.params('maas360')
    headers = {'Authorization': 'MaaS token="%s"' % token, 'Accept': accept}
    if content_type:
        headers['Content-Type'] = content_type
    return requests.post('%s%s%s/%s' % (params['url'], ACCOUNTS, call, billing_id or params['billing_id']), data=form,
                         headers=headers, verify=sim.ca_path, timeout=10)


def test_maas360_account_availability_creation_and_errors(sim):
    token = maas_token(sim)
    billing = sim.params('maas360')['billing_id']
    form = {'Service': 'MDM', 'billingId': billing, 'accountType': 'Trial', 'accountName': 'Sim Unit Corp',
            'adminEmailAddress': 'admin@example.com'}
    assert maas_post(sim, 'checkAccountNameAvailability', {'accountName': 'Sim Unit Corp'}, 'bad-token').status_code == 401
    assert maas_post(sim, 'checkAccountNameAvailability', {'accountName': 'x'}, token, billing_id='30000000').status_code == 403
    free = maas_post(sim, 'checkAccountNameAvailability', {'accountName': 'Sim Unit Corp'}, token)
    assert free.status_code == 200 and free.json() == {'errorCode': 0, 'errorDesc': 'Account name is available'}
    assert maas_post(sim, 'checkAccountNameAvailability', {}, token).status_code == 400
    assert maas_post(sim, 'createCustomerAccount', dict(form, accountType='Partner'), token).status_code == 400
    assert maas_post(sim, 'createCustomerAccount', dict(form, billingId='1'), token).status_code == 400
    missing = maas_post(sim, 'createCustomerAccount', dict(form, Service=''), token)
    assert missing.status_code == 400 and 'Service' in missing.json()['errorDesc']
    created = maas_post(sim, 'createCustomerAccount', form, token)
    assert created.status_code == 200 and created.json()['errorCode'] == 0
    again = maas_post(sim, 'createCustomerAccount', form, token)
    assert again.status_code == 200 and again.json()['errorCode'] == 1
    taken = maas_post(sim, 'checkAccountNameAvailability', {'accountName': 'sim unit corp'}, token, accept='application/xml')
    assert taken.status_code == 200 and '<errorCode>1</errorCode>' in taken.text
    assert [a['accountName'] for a in sim.maas360_accounts() if a['partnerBillingId'] == billing] == ['Sim Unit Corp']
    created_entries = [item for item in sim.ledger() if item['action'] == 'create_customer_account']
    assert [item['account_name'] for item in created_entries] == ['Sim Unit Corp']
    sim.add_maas360_account('Other Partner Co', '39999999')
    assert maas_post(sim, 'checkAccountNameAvailability', {'accountName': 'Other Partner Co'}, token).json()['errorCode'] == 1


def test_manageengine_device_profiles_and_apps(sim):
    params = sim.params('manageengine_onprem')
    headers = {'Authorization': params['api_key']}
    device = str(sim.devices('manageengine')[5]['device_id'])
    base = '%s/api/v1/mdm/devices/%s' % (params['url'], device)

    def call(method, path, body=None):
        return requests.request(method, base + path, json=body, headers=headers, verify=sim.ca_path, timeout=10)

    profiles = call('GET', '/profiles').json()['profiles']
    assert [(p['profile_id'], p['profile_name']) for p in profiles] == [(12355, 'Corporate Wi-Fi')]
    listed = call('GET', '/apps').json()
    assert [a['app_id'] for a in listed['apps']] == [a['app_id'] for a in listed['installed_apps']] == [9007199254740997]
    assert call('POST', '/profiles', {'profile_ids': [1]}).status_code == 400
    assert call('POST', '/profiles', {'profile_ids': []}).status_code == 400
    assert call('POST', '/profiles', {'profile_ids': [12356]}).status_code == 204
    assert call('DELETE', '/profiles', {'profile_ids': [12355]}).status_code == 204
    assert [p['profile_id'] for p in call('GET', '/profiles').json()['profiles']] == [12356]
    body = {'id': int(device), 'app_details': [{'app_id': 9007199254740999}], 'silent_install': True}
    assert call('POST', '/apps', dict(body, id=1)).status_code == 400
    assert call('POST', '/apps', dict(body, silent_install='yes')).status_code == 400
    assert call('POST', '/apps', body).status_code == 204
    assert call('DELETE', '/apps', {'app_ids': [9007199254740997]}).status_code == 204
    assert [a['app_id'] for a in call('GET', '/apps').json()['apps']] == [9007199254740999]
    expected = {'profiles': ['12356'], 'apps': {'9007199254740999': {'silent_install': True, 'release_label_id': None}}}
    assert sim.manageengine_assignments(device) == expected
    missing = requests.get('%s/api/v1/mdm/devices/1/profiles' % params['url'], headers=headers, verify=sim.ca_path, timeout=10)
    assert missing.status_code == 404
