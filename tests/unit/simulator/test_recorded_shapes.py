"""Simulator records shaped like public recordings of real servers (NOTES.md "What real servers send")."""

import requests

from test_vendors import cloud_get, core_get, maas_search, maas_token

CORE_FIELDS = 'common.uuid,common.SerialNumber,common.imsi,user.user_id,user.email_address,user.display_name,common.model'


def test_core_serves_common_serial_number_when_asked(sim):
    reply = core_get(sim, '/api/v2/devices', fields=CORE_FIELDS, query='', limit=5, offset=0)
    assert reply.status_code == 200
    results = reply.json()['results']
    assert len(results) == 5 and all(result['common.SerialNumber'] for result in results)


def test_core_privacy_setting_masks_user_fields_only(sim):
    sim.set_privacy('mobileiron_core', mask_user_fields=True)
    try:
        masked = core_get(sim, '/api/v2/devices', fields=CORE_FIELDS, query='', limit=5, offset=0).json()['results']
    finally:
        sim.set_privacy('mobileiron_core', mask_user_fields=False)
    plain = core_get(sim, '/api/v2/devices', fields=CORE_FIELDS, query='', limit=5, offset=0).json()['results']
    for hidden, shown in zip(masked, plain):
        assert hidden['user.user_id'] == hidden['user.email_address'] == hidden['user.display_name'] == '*****'
        assert shown['user.user_id'] != '*****'
        assert hidden['common.uuid'] == shown['common.uuid'] and hidden['common.SerialNumber'] == shown['common.SerialNumber']


def test_cloud_writes_imeis_in_groups(sim):
    results = cloud_get(sim, '/api/v1/device', rows=500, start=0).json()['result']['searchResults']
    imeis = [result['imei'] for result in results if result['imei']]
    assert imeis and all(len(imei.split(' ')) == 4 and imei.replace(' ', '').isdigit() for imei in imeis)


def test_maas360_some_records_have_os_name_only_and_numeric_imeis(sim):
    devices = maas_search(sim, maas_token(sim), pageSize=250, pageNumber=1).json()['devices']['device']
    name_only = [device for device in devices if 'osVersion' not in device]
    assert name_only and all('(' in device['osName'] for device in name_only)
    assert any(isinstance(device['imeiEsn'], int) for device in devices)


def test_manageengine_list_has_no_last_contact_and_the_summary_has_it(sim):
    params = sim.params('manageengine_onprem')
    headers = {'Authorization': params['api_key']}
    listed = requests.get(params['url'] + '/api/v1/mdm/devices', params={'limit': 5, 'offset': 0}, headers=headers,
                          verify=sim.ca_path, timeout=10).json()['devices']
    assert listed and all('last_contact_time' not in device for device in listed)
    summary = requests.get('%s/api/v1/mdm/devices/%s/summary' % (params['url'], listed[0]['device_id']), headers=headers,
                           verify=sim.ca_path, timeout=10).json()
    assert summary['last_contact_time'] > 1700000000000
