"""Each vendor dialect: authentication, paging limits, complete listings, documented quirks."""

import json

import requests

from conftest import DEVICES

AUTH_XML = ('<authRequest><maaS360AdminAuth><billingID>{billing_id}</billingID><platformID>{platform_id}</platformID>'
            '<appID>{app_id}</appID><appVersion>{app_version}</appVersion><appAccessKey>{app_access_key}</appAccessKey>'
            '<userName>{username}</userName><password>{password}</password></maaS360AdminAuth></authRequest>')


def maas_login(sim, **override):
    params = dict(sim.params('maas360'), **override)
    return requests.post('%s/auth-apis/auth/1.0/authenticate/%s' % (params['url'], params['billing_id']), data=AUTH_XML.format(**params),
                         headers={'Content-Type': 'application/xml', 'Accept': 'application/json'}, verify=sim.ca_path, timeout=10)


def maas_token(sim):
    reply = maas_login(sim)
    assert reply.status_code == 200
    return reply.json()['authResponse']['authToken']


def maas_search(sim, token, **query):
    params = sim.params('maas360')
    return requests.get('%s/device-apis/devices/2.0/search/customer/%s' % (params['url'], params['billing_id']), params=query,
                        headers={'Authorization': 'MaaS token="%s"' % token, 'Accept': 'application/json'}, verify=sim.ca_path, timeout=10)


def zoho_token(sim, **override):
    params = dict(sim.params('manageengine'), **override)
    return requests.post(params['accounts_url'] + '/oauth/v2/token', params={
        'refresh_token': params['refresh_token'], 'client_id': params['client_id'], 'client_secret': params['client_secret'],
        'grant_type': 'refresh_token'}, verify=sim.ca_path, timeout=10)


def core_get(sim, path, auth=None, **query):
    params = sim.params('mobileiron_core')
    query.setdefault('adminDeviceSpaceId', 1)
    return requests.get(params['url'] + path, params=query, auth=auth or (params['username'], params['password']),
                        verify=sim.ca_path, timeout=10)


def cloud_get(sim, path, auth=None, **query):
    params = sim.params('mobileiron_cloud')
    return requests.get(params['url'] + path, params=query, auth=auth or (params['username'], params['password']),
                        verify=sim.ca_path, timeout=10)


def test_sim_json_and_vars_describe_every_flavour(sim):
    with open(sim.state_dir + '/sim.json', encoding='utf-8') as handle:
        info = json.load(handle)
    assert info['admin_url'].startswith('http://127.0.0.1:')
    for flavour in ('maas360', 'manageengine', 'manageengine_onprem', 'mobileiron_core', 'mobileiron_cloud', 'zoho_accounts'):
        assert info['vendors'][flavour]['url'].startswith('https://127.0.0.1:')
    with open(sim.vars_path, encoding='utf-8') as handle:
        text = ''.join(line for line in handle if not line.startswith('#'))
    assert json.loads(text)['mdm_sim']['mobileiron_core']['device_space_id'] == 1
    assert sim.params('maas360')['platform_id'] == 3
    assert sim.env('manageengine')['MDM_ACCOUNTS_URL'] == sim.url('zoho_accounts')
    assert all(secret.startswith('sim-') and len(secret) == 28 for secret in sim.secrets())


def test_maas360_auth_good_wrong_and_json_body(sim):
    assert maas_token(sim)
    wrong = maas_login(sim, password='wrong')
    body = wrong.json()['authResponse']
    assert body['errorCode'] != 0 and 'authToken' not in body
    params = sim.params('maas360')
    as_json = {'authRequest': {'maaS360AdminAuth': {'billingID': params['billing_id'], 'platformID': 3, 'appID': params['app_id'],
                                                    'appVersion': params['app_version'], 'appAccessKey': params['app_access_key'],
                                                    'userName': params['username'], 'password': params['password']}}}
    reply = requests.post('%s/auth-apis/auth/1.0/authenticate/%s' % (params['url'], params['billing_id']), json=as_json,
                          verify=sim.ca_path, timeout=10)
    assert reply.status_code == 200 and '<authToken>' in reply.text and '<errorCode>0</errorCode>' in reply.text


def test_maas360_paging_complete_and_quirks(sim):
    token = maas_token(sim)
    assert maas_search(sim, token, pageSize=30).status_code == 400
    assert maas_search(sim, 'not-a-token', pageSize=50).status_code == 401
    ids, page = [], 1
    while True:
        devices = maas_search(sim, token, pageSize=50, pageNumber=page).json()['devices']
        assert devices['count'] == DEVICES
        listed = devices.get('device', [])
        ids += [d['maas360DeviceID'] for d in ([listed] if isinstance(listed, dict) else listed)]
        if page * 50 >= devices['count']:
            break
        page += 1
    assert len(ids) == len(set(ids)) == DEVICES
    one = maas_search(sim, token, pageSize=25, maas360DeviceId=ids[7]).json()['devices']
    assert one['count'] == 1 and isinstance(one['device'], dict) and one['device']['maas360DeviceID'] == ids[7]
    xml = requests.get('%s/device-apis/devices/1.0/search/%s' % (sim.url('maas360'), sim.params('maas360')['billing_id']),
                       params={'pageSize': 25}, headers={'Authorization': 'MaaS token="%s"' % token}, verify=sim.ca_path, timeout=10)
    assert xml.status_code == 200 and xml.text.count('<device>') == 25


def test_manageengine_oauth_listing_details_and_api_key(sim):
    assert zoho_token(sim, client_secret='nope').json() == {'error': 'invalid_client'}
    assert 'error' in zoho_token(sim, refresh_token='nope').json()
    grant = zoho_token(sim).json()
    assert grant['token_type'] == 'Bearer' and grant['expires_in'] == 3600 and grant['access_token'].startswith('1000.')
    url = sim.url('manageengine') + '/api/v1/mdm/devices'
    headers = {'Authorization': 'Zoho-oauthtoken ' + grant['access_token']}
    assert requests.get(url, headers={'Authorization': 'Zoho-oauthtoken bad'}, verify=sim.ca_path, timeout=10).status_code == 401
    ids, offset = [], 0
    while True:
        reply = requests.get(url, params={'limit': 100, 'offset': offset}, headers=headers, verify=sim.ca_path, timeout=10).json()
        assert reply['metadata']['total_record_count'] == DEVICES
        ids += [d['device_id'] for d in reply['devices']]
        if 'next' not in reply['paging']:
            break
        offset += 100
    assert len(set(ids)) == DEVICES
    onprem = {'Authorization': sim.params('manageengine_onprem')['api_key']}
    detail = requests.get('%s/%s' % (url, ids[3]), headers=onprem, verify=sim.ca_path, timeout=10)
    assert detail.status_code == 200 and detail.json()['device_id'] == ids[3] and 'os' in detail.json()
    assert requests.get(url + '/1', headers=onprem, verify=sim.ca_path, timeout=10).status_code == 404


def test_mobileiron_core_auth_space_limits_fields_and_query(sim):
    assert core_get(sim, '/api/v2/ping', auth=('fleetops-api', 'wrong')).status_code == 401
    assert core_get(sim, '/api/v2/devices', fields='common.uuid', query='', adminDeviceSpaceId=9).status_code == 400
    assert core_get(sim, '/api/v2/devices', fields='common.uuid', query='', limit=201).status_code == 400
    assert core_get(sim, '/api/v2/devices', query='').status_code == 400
    bad = core_get(sim, '/api/v2/devices', fields='common.uuid', query='test')
    assert bad.status_code == 400 and 'parse.failure' in bad.text
    ids, offset = [], 0
    while True:
        reply = core_get(sim, '/api/v2/devices', fields='common.uuid,common.platform', query='', limit=200, offset=offset).json()
        assert all(set(result) <= {'common.uuid', 'common.platform'} for result in reply['results'])
        ids += [result['common.uuid'] for result in reply['results']]
        offset += reply['resultCount']
        if not reply['hasMore']:
            break
    assert len(set(ids)) == DEVICES
    ios = core_get(sim, '/api/v2/devices', fields='common.platform', query='"common.platform"="iOS"', limit=200).json()
    count = core_get(sim, '/api/v2/devices/count', query='"common.platform" = "iOS"').json()['totalCount']
    assert ios['totalCount'] == count == sum(1 for d in sim.devices('mobileiron_core') if d['common.platform'] == 'iOS')
    assert core_get(sim, '/api/v2/devices/query_test', query='"common.platform" === ').json()['valid'] is False
    labels = core_get(sim, '/api/v2/labels/label_summary', limit=200).json()['results']
    label = labels[0]
    by_label = core_get(sim, '/api/v2/devices', fields='common.uuid', labelId=label['id'], limit=200).json()
    assert by_label['totalCount'] == label['deviceCount']


def test_mobileiron_cloud_auth_rows_listing_and_fq(sim):
    assert cloud_get(sim, '/api/v1/device', auth=('x', 'y')).status_code == 401
    partition = cloud_get(sim, '/api/v1/tenant/partition/device').json()['result']['searchResults'][0]
    assert partition['defaultPartition'] is True
    too_many = cloud_get(sim, '/api/v1/device', dmPartitionId=partition['id'], rows=501, start=0)
    assert too_many.status_code == 400 and 'must be between 1 and 500' in too_many.text
    ids, start = [], 0
    while True:
        result = cloud_get(sim, '/api/v1/device', dmPartitionId=partition['id'], rows=100, start=start).json()['result']
        ids += [d['id'] for d in result['searchResults']]
        start += 100
        if start >= result['totalCount']:
            break
    assert len(set(ids)) == DEVICES
    ios = cloud_get(sim, '/api/v1/device', rows=500, fq='platformType:IOS AND ownershipType=COMPANY').json()['result']
    expected = [d for d in sim.devices('mobileiron_cloud') if d['platformType'] == 'IOS' and d['ownershipType'] == 'COMPANY']
    assert ios['totalCount'] == len(expected) > 0


def test_mobileiron_cloud_single_device_carries_groups_and_search_does_not(sim):
    listed = cloud_get(sim, '/api/v1/device', rows=5, start=0).json()['result']['searchResults']
    assert all('groups' not in d for d in listed)
    one = cloud_get(sim, '/api/v1/device/%s' % listed[0]['id']).json()['result']
    assert one['id'] == listed[0]['id'] and isinstance(one['groups'], list)
    assert cloud_get(sim, '/api/v1/device/1').status_code == 404


def test_maas360_refused_login_in_each_reply_form(sim):
    try:
        for form, status, words in (('refused_login_200', 200, 'Authentication failed'),
                                    ('refused_login_500', 500, 'Please provide the username used during login.'),
                                    ('refused_login_401', 401, 'Unauthorized')):
            sim.set_reply_form('maas360', form)
            wrong = maas_login(sim, password='wrong')
            assert wrong.status_code == status and words in wrong.text and 'authToken' not in wrong.text
            # The right credentials still get a token in every form.
            assert maas_token(sim)
    finally:
        sim.clear_reply_forms()
    assert maas_login(sim, password='wrong').status_code == 200
