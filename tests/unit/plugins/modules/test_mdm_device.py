# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device run() against adapters that talk to a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest
import requests

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, NotSupportedError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password='Corr3ct-Horse!')
CORE_HEADERS = {'Authorization': 'Basic ' + base64.b64encode(b'apiadmin:Corr3ct-Horse!').decode(), 'Accept': 'application/json'}
API_KEY = 'D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE'
ME = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key=API_KEY)
ME_HEADERS = {'Authorization': API_KEY, 'Accept': 'application/json'}
MAAS = dict(vendor='maas360', url='https://services.m3.maas360.com', username='admin', password='pw', billing_id='30012345',
            app_id='com.example.app', app_version='1.0', platform_id='3', app_access_key='KEY-123')
CLOUD = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='admin', password='pw')

DEVICE = '9007199254741000'
OTHER = '9007199254741001'


Failed = fakes.ModuleFailed


FakeModule = fakes.FakeModule.for_module(mdm_device)


def run_device(options, script, **params):
    adapter, session, _sleeps = build(options, script)
    check_mode = params.pop('check_mode', False)
    try:
        return mdm_device.run(FakeModule(check_mode=check_mode, **params), adapter)
    except PartialFailure as exc:
        # What run_module() hands to fail_json.
        raise Failed(dict(exc.result, msg=exc.msg, changed=exc.changed))
    finally:
        session.assert_done()


# -- ManageEngine MDM: device details -------------------------------------------------------------------------------------
def details(device_id=DEVICE, **fields):
    record = {'device_name': 'admin_SM-G935F', 'asset_tag': 'TestDevice', 'description': 'Belong to Zoho Corp',
              'office': 'North Plaza,CA', 'purchase_price': 65000, 'warranty_type': 'WithService', 'apn_password': None}
    record.update(fields)
    return Expect('GET', '/api/v1/mdm/devices/%s' % device_id, query={}, headers=ME_HEADERS, reply=record)


def put(body, device_id=DEVICE, status=200):
    return Expect('PUT', '/api/v1/mdm/devices/%s' % device_id, query={}, headers=ME_HEADERS, json=body,
                  reply={'asset_tag': body.get('asset_tag', 'TestDevice')} if status == 200 else
                  {'error_code': 'COM0005', 'error_description': 'Invalid input'}, status=status)


def test_me_sends_only_the_given_fields_that_differ():
    changed, result, diff = run_device(ME, [details(), put({'asset_tag': 'IT-0042'})], devices=[DEVICE],
                                       details={'asset_tag': 'IT-0042', 'office': 'North Plaza,CA', 'purchase_price': '65000'})
    assert changed is True and result['requests'] == 1 and result['failures'] == []
    assert result['devices'] == [dict(device_id=DEVICE, changed=True, fields=['asset_tag'], status=None)]
    assert diff == {'before': {DEVICE: {'asset_tag': 'TestDevice'}}, 'after': {DEVICE: {'asset_tag': 'IT-0042'}}}


def test_me_name_is_compared_with_the_device_name():
    changed, result, _diff = run_device(ME, [details(), put({'name': 'Kiosk 7'})], devices=[DEVICE], details={'name': 'Kiosk 7'})
    assert changed is True and result['devices'][0]['fields'] == ['name']
    changed, result, _diff = run_device(ME, [details()], devices=[DEVICE], details={'name': 'admin_SM-G935F'})
    assert changed is False and result['requests'] == 0


def test_me_second_identical_run_sends_no_write():
    changed, result, diff = run_device(ME, [details(asset_tag='IT-0042'), details(OTHER, asset_tag='IT-0042')],
                                       devices=[DEVICE, OTHER], details={'asset_tag': 'IT-0042'})
    assert changed is False and result['requests'] == 0 and diff is None


def test_me_empty_given_matches_null_current():
    changed, _result, _diff = run_device(ME, [details(asset_tag=None)], devices=[DEVICE], details={'asset_tag': ''})
    assert changed is False


def test_me_check_mode_reads_and_never_writes():
    changed, result, diff = run_device(ME, [details(), details(OTHER, office='Elsewhere')], devices=[DEVICE, OTHER],
                                       details={'office': 'Elsewhere'}, check_mode=True)
    assert changed is True and result['requests'] == 0
    assert [item['changed'] for item in result['devices']] == [True, False]
    assert diff == {'before': {DEVICE: {'office': 'North Plaza,CA'}}, 'after': {DEVICE: {'office': 'Elsewhere'}}}


@pytest.mark.parametrize('bad', [{'asset_tag': 'x', 'serial_number': 'y'}, {'apn_password': 'secret'}, {}])
def test_me_bad_detail_key_fails_before_any_request(bad):
    with pytest.raises(InvalidInputError) as err:
        run_device(ME, [], devices=[DEVICE], details=bad)
    assert 'option details' in str(err.value) and 'asset_tag' in str(err.value)


def test_me_present_needs_details_and_numeric_ids():
    with pytest.raises(InvalidInputError) as err:
        run_device(ME, [], devices=[DEVICE])
    assert 'option details' in str(err.value)
    with pytest.raises(InvalidInputError) as err:
        run_device(ME, [], devices=['abc'], details={'asset_tag': 'x'})
    assert 'option devices' in str(err.value)


def test_me_missing_device_is_reported_and_fails_the_task_others_still_written():
    missing = Expect('GET', '/api/v1/mdm/devices/%s' % OTHER, query={}, headers=ME_HEADERS, status=404,
                     reply={'error_code': 'COM0008', 'error_description': 'Device not found'})
    with pytest.raises(Failed) as err:
        run_device(ME, [details(), missing, put({'asset_tag': 'IT-1'})], devices=[DEVICE, OTHER], details={'asset_tag': 'IT-1'})
    outcome = err.value.args[0]
    assert outcome['failures'] == [dict(device_id=OTHER, reason='no such device')]
    assert outcome['changed'] is True and outcome['requests'] == 1 and OTHER in outcome['msg']


def test_me_refused_write_fails_the_task_with_the_reason():
    with pytest.raises(Failed) as err:
        run_device(ME, [details(), put({'asset_tag': 'IT-1'}, status=400)], devices=[DEVICE], details={'asset_tag': 'IT-1'})
    outcome = err.value.args[0]
    assert [item['device_id'] for item in outcome['failures']] == [DEVICE]
    assert outcome['devices'][0]['changed'] is False


# -- MobileIron Core: delete retired devices ------------------------------------------------------------------------------
def uuid(number):
    return '%08x-0000-4000-8000-%012x' % (number, number)


def status_search(numbers, statuses):
    query = ' OR '.join('"common.uuid"="%s"' % uuid(n) for n in numbers)
    rows = [{'common.uuid': uuid(n), 'common.status': statuses[n]} for n in numbers if n in statuses]
    return Expect('GET', '/api/v2/devices', headers=CORE_HEADERS,
                  query={'adminDeviceSpaceId': '1', 'fields': 'common.uuid,common.status', 'query': query, 'limit': '200',
                         'offset': '0'},
                  reply={'results': rows, 'totalCount': len(rows), 'resultCount': len(rows), 'hasMore': False})


def delete_call(numbers, deleted=None):
    deleted = numbers if deleted is None else deleted
    return Expect('DELETE', '/api/v2/devices', query={'adminDeviceSpaceId': '1'}, headers=CORE_HEADERS,
                  json={'deviceUuids': [uuid(n) for n in numbers]}, reply=[uuid(n) for n in deleted])


def test_core_deletes_retired_devices_and_skips_gone_ones():
    changed, result, diff = run_device(CORE, [status_search([1, 2, 3], {1: 'RETIRED', 3: 'RETIRED'}), delete_call([1, 3])],
                                       devices=[uuid(1), uuid(2).upper(), uuid(3)], state='absent')
    assert changed is True and result['requests'] == 1 and result['failures'] == []
    assert [(item['device_id'], item['changed'], item['status']) for item in result['devices']] == [
        (uuid(1), True, 'RETIRED'), (uuid(2), False, None), (uuid(3), True, 'RETIRED')]
    assert diff == {'before': {uuid(1): 'RETIRED', uuid(3): 'RETIRED'}, 'after': {}}


def test_core_second_run_is_no_change():
    changed, result, diff = run_device(CORE, [status_search([1], {})], devices=[uuid(1)], state='absent')
    assert changed is False and result['requests'] == 0 and diff is None


def test_core_check_mode_sends_no_write():
    changed, result, _diff = run_device(CORE, [status_search([1], {1: 'RETIRED'})], devices=[uuid(1)], state='absent',
                                        check_mode=True)
    assert changed is True and result['requests'] == 0


def test_core_not_retired_refused_before_any_write():
    with pytest.raises(InvalidInputError) as err:
        run_device(CORE, [status_search([1, 2, 3], {1: 'RETIRED', 2: 'ACTIVE', 3: 'RETIRE_PENDING'})],
                   devices=[uuid(1), uuid(2), uuid(3)], state='absent')
    message = str(err.value)
    assert 'option devices' in message and uuid(2) in message and uuid(3) in message and uuid(1) not in message


def test_core_partial_delete_is_reported_per_device_and_fails():
    with pytest.raises(Failed) as err:
        run_device(CORE, [status_search([1, 2], {1: 'RETIRED', 2: 'RETIRED'}), delete_call([1, 2], deleted=[1])],
                   devices=[uuid(1), uuid(2)], state='absent')
    outcome = err.value.args[0]
    assert [item['device_id'] for item in outcome['failures']] == [uuid(2)]
    assert 'retired' in outcome['failures'][0]['reason'] and outcome['changed'] is True
    assert [item['changed'] for item in outcome['devices']] == [True, False]


def test_core_batches_at_most_512_uuids_a_call_and_packs_status_searches():
    numbers = list(range(1, 1100))
    statuses = dict((n, 'RETIRED') for n in numbers)
    # Four UUIDs fit in one 255-character query.
    searches = [status_search(numbers[i:i + 4], statuses) for i in range(0, len(numbers), 4)]
    deletes = [delete_call(numbers[i:i + 512]) for i in range(0, len(numbers), 512)]
    changed, result, _diff = run_device(CORE, searches + deletes, devices=[uuid(n) for n in numbers], state='absent')
    assert changed is True and result['requests'] == 3 and len(deletes) == 3
    assert all(len(expect.query['query']) <= 255 for expect in searches)


def test_core_bad_uuid_and_details_fail_before_any_request():
    with pytest.raises(InvalidInputError) as err:
        run_device(CORE, [], devices=['not-a-uuid'], state='absent')
    assert 'option devices' in str(err.value)
    with pytest.raises(InvalidInputError) as err:
        run_device(CORE, [], devices=[uuid(1)], state='absent', details={'asset_tag': 'x'})
    assert 'option details' in str(err.value)


# -- everything else is not supported, before any request -------------------------------------------------------------------
@pytest.mark.parametrize('options,state', [(CORE, 'present'), (ME, 'absent'), (MAAS, 'present'), (MAAS, 'absent'),
                                           (CLOUD, 'present'), (CLOUD, 'absent')])
def test_other_vendor_state_combinations_are_not_supported(options, state):
    with pytest.raises(NotSupportedError) as err:
        run_device(options, [], devices=['1'], state=state, details={'asset_tag': 'x'} if state == 'present' else None)
    assert 'not supported by' in str(err.value)


# -- a write is never re-sent after a lost reply ----------------------------------------------------------------------------
def test_lost_replies_are_not_re_sent_and_fail_the_task():
    lost = requests.exceptions.ReadTimeout('read timed out')
    me_put = put({'asset_tag': 'IT-1'})
    me_put.raise_exc = lost
    with pytest.raises(Failed) as err:
        run_device(ME, [details(), me_put], devices=[DEVICE], details={'asset_tag': 'IT-1'})
    assert [item['device_id'] for item in err.value.args[0]['failures']] == [DEVICE]
    core_delete = delete_call([1])
    core_delete.raise_exc = lost
    with pytest.raises(Failed) as err:
        run_device(CORE, [status_search([1], {1: 'RETIRED'}), core_delete], devices=[uuid(1)], state='absent')
    assert err.value.args[0]['requests'] == 1 and err.value.args[0]['failures'][0]['device_id'] == uuid(1)
