# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_label and mdm_label_info run() against adapters that talk to a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, NotSupportedError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import PartialFailure
from ansible_collections.fleetops.mdm.plugins.modules import mdm_label, mdm_label_info
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

CORE = dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin', password='Corr3ct-Horse!')
CORE_HEADERS = {'Authorization': 'Basic ' + base64.b64encode(b'apiadmin:Corr3ct-Horse!').decode(), 'Accept': 'application/json'}
API_KEY = 'D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE'
ME = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key=API_KEY)
ME_HEADERS = {'Authorization': API_KEY, 'Accept': 'application/json'}
LABELS = [{'id': 10, 'name': 'Sales', 'deviceCount': 2}, {'id': 11, 'name': 'Kiosk', 'deviceCount': 0},
          {'id': 12, 'name': 'EMEA', 'deviceCount': 1}]


Failed = fakes.ModuleFailed


# One request at a time: the scripted conversation is in order.
FakeModule = fakes.FakeModule.for_module(mdm_label, concurrency=1)
LabelInfoModule = fakes.FakeModule.for_module(mdm_label_info, concurrency=1)


def uuid(number):
    return '%08x-0000-4000-8000-%012x' % (number, number)


def summary(labels=None):
    labels = LABELS if labels is None else labels
    return Expect('GET', '/api/v2/labels/label_summary', query={'adminDeviceSpaceId': '1', 'limit': '200', 'offset': '0'},
                  headers=CORE_HEADERS, reply={'results': labels, 'totalCount': len(labels), 'resultCount': len(labels)})


def label_devices(label_id, numbers):
    rows = [{'common.uuid': uuid(n)} for n in numbers]
    return Expect('GET', '/api/v2/devices', query={'adminDeviceSpaceId': '1', 'labelId': str(label_id), 'fields': 'common.uuid',
                                                   'limit': '200', 'offset': '0'},
                  headers=CORE_HEADERS, reply={'results': rows, 'totalCount': len(rows), 'resultCount': len(rows)})


def label_put(names, action, numbers, reply=None):
    uuids = [uuid(n) for n in numbers]
    if reply is None:
        reply = {'results': [{'resultId': '114', 'resultMessage': None, 'records': [
            {'uuid': None, 'id': None, 'principal': None, 'deviceSpaceId': 1, 'deviceSpacePath': '/1/', 'label': name,
             'device': [{'uuid': u} for u in uuids]} for name in names.split(',')]}],
            'resultCount': len(uuids), 'deviceResults': {}, 'successful': True,
            'actionType': 'APPLY_LABEL_TO_DEVICES' if action == 'add' else 'REMOVE_LABEL_FROM_DEVICES'}
    return Expect('PUT', '/api/v2/devices/labels/%s/%s' % (names, action), query={'adminDeviceSpaceId': '1'},
                  headers=CORE_HEADERS, json={'deviceUuids': uuids}, reply=reply)


def run_label(options, script, **params):
    adapter, session, _sleeps = build(options, script)
    check_mode = params.pop('check_mode', False)
    try:
        outcome = mdm_label.run(FakeModule(check_mode=check_mode, **params), adapter)
    except PartialFailure as exc:
        # What run_module() hands to fail_json.
        raise Failed(dict(exc.result, msg=exc.msg, changed=exc.changed))
    session.assert_done()
    return outcome


# -- MobileIron Core ---------------------------------------------------------------------------------------------------
def test_core_adds_only_missing_devices_to_labels_sharing_one_call():
    changed, result, diff = run_label(CORE, [
        summary(), label_devices(10, [1, 2]), label_devices(12, [1]),
        # Sales lacks 3, EMEA lacks 2 and 3: different sets, so two calls.
        label_put('EMEA', 'add', [2, 3]), label_put('Sales', 'add', [3]),
    ], labels=['Sales', 'EMEA'], devices=[uuid(1), uuid(2), uuid(3)])
    assert changed is True and result['requests'] == 2 and result['failures'] == []
    assert [(item['name'], item['added'], item['removed'], item['device_count']) for item in result['labels']] == [
        ('Sales', [uuid(3)], [], 3), ('EMEA', [uuid(2), uuid(3)], [], 3)]
    assert diff == {'before': {'Sales': [uuid(1), uuid(2)], 'EMEA': [uuid(1)]},
                    'after': {'Sales': [uuid(1), uuid(2), uuid(3)], 'EMEA': [uuid(1), uuid(2), uuid(3)]}}


def test_core_labels_needing_the_same_devices_share_a_call_with_the_names_quoted():
    labels = [{'id': 20, 'name': 'Field Ops', 'deviceCount': 0}, {'id': 21, 'name': 'Kiosk', 'deviceCount': 0}]
    changed, result, _diff = run_label(CORE, [summary(labels), label_put('Field%20Ops,Kiosk', 'add', [5])],
                                       labels=['Kiosk', 'Field Ops'], devices=[uuid(5)])
    assert changed is True and result['requests'] == 1


def test_core_second_identical_run_sends_no_write():
    changed, result, diff = run_label(CORE, [summary(), label_devices(10, [1, 2])], labels=['Sales'], devices=[uuid(1), uuid(2)])
    assert changed is False and result['requests'] == 0 and diff is None
    changed, result, _diff = run_label(CORE, [summary(), label_devices(10, [1, 2])], labels=['Sales'], devices=[uuid(3)],
                                       state='absent')
    assert changed is False and result['requests'] == 0


def test_core_upper_case_uuids_name_the_same_devices():
    changed, result, _diff = run_label(CORE, [summary(), label_devices(10, [1, 2])], labels=['Sales'],
                                       devices=[uuid(1).upper(), uuid(2).upper()])
    assert changed is False and result['requests'] == 0


def test_core_check_mode_predicts_and_sends_no_write():
    changed, result, diff = run_label(CORE, [summary(), label_devices(10, [1, 2])], labels=['Sales'], devices=[uuid(3)],
                                      purge=True, check_mode=True)
    assert changed is True and result['requests'] == 0
    assert result['labels'][0]['added'] == [uuid(3)] and result['labels'][0]['removed'] == [uuid(1), uuid(2)]
    assert diff == {'before': {'Sales': [uuid(1), uuid(2)]}, 'after': {'Sales': [uuid(3)]}}


def test_core_purge_removes_the_others_and_absent_removes_the_given():
    changed, result, _diff = run_label(CORE, [
        summary(), label_devices(10, [1, 2]), label_put('Sales', 'add', [3]), label_put('Sales', 'remove', [1]),
    ], labels=['Sales'], devices=[uuid(2), uuid(3)], purge=True)
    assert changed is True and result['labels'][0]['device_count'] == 2
    changed, result, _diff = run_label(CORE, [summary(), label_devices(10, [1, 2]), label_put('Sales', 'remove', [2])],
                                       labels=['Sales'], devices=[uuid(2), uuid(9)], state='absent')
    assert changed is True and result['labels'][0]['removed'] == [uuid(2)]


def test_core_purge_without_devices_empties_the_label():
    changed, result, _diff = run_label(CORE, [summary(), label_devices(10, [1, 2]), label_put('Sales', 'remove', [1, 2])],
                                       labels=['Sales'], purge=True)
    assert changed is True and result['labels'][0]['device_count'] == 0


def test_core_batches_at_most_512_uuids_a_call():
    numbers = list(range(1, 1100))
    script = [summary([{'id': 11, 'name': 'Kiosk', 'deviceCount': 0}]),
              label_put('Kiosk', 'add', numbers[:512]), label_put('Kiosk', 'add', numbers[512:1024]),
              label_put('Kiosk', 'add', numbers[1024:])]
    changed, result, _diff = run_label(CORE, script, labels=['Kiosk'], devices=[uuid(n) for n in numbers])
    assert changed is True and result['requests'] == 3 and len(result['labels'][0]['added']) == 1099


def test_core_unknown_label_fails_before_any_write_naming_the_option_and_the_known_labels():
    with pytest.raises(InvalidInputError) as err:
        run_label(CORE, [summary(), label_devices(10, [1, 2])], labels=['Sales', 'Nope'], devices=[uuid(1)])
    assert err.value.option == 'labels' and 'Nope' in str(err.value)
    assert err.value.allowed == ['EMEA', 'Kiosk', 'Sales']


def test_core_per_device_failures_are_reported_and_fail_the_task():
    reply = {'results': [{'resultId': '115', 'resultMessage': None, 'records': [
        {'label': 'Kiosk', 'device': [{'uuid': uuid(1)}]}]}], 'resultCount': 1, 'actionType': 'APPLY_LABEL_TO_DEVICES',
        'deviceResults': {uuid(2): 'Device not found'}, 'successful': False}
    with pytest.raises(Failed) as err:
        run_label(CORE, [summary([{'id': 11, 'name': 'Kiosk', 'deviceCount': 0}]), label_put('Kiosk', 'add', [1, 2], reply=reply)],
                  labels=['Kiosk'], devices=[uuid(1), uuid(2)])
    failed = err.value.args[0]
    assert failed['failures'] == [dict(label='Kiosk', device_id=uuid(2), action='add', reason='Device not found')]
    assert failed['changed'] is True and failed['requests'] == 1 and 'Device not found' in failed['msg']


def test_core_refuses_what_is_not_a_uuid_before_any_request():
    with pytest.raises(InvalidInputError) as err:
        run_label(CORE, [], labels=['Sales'], devices=['not-a-uuid'])
    assert err.value.option == 'devices'


@pytest.mark.parametrize('params, option', [
    (dict(labels=[], devices=['x']), 'labels'),
    (dict(labels=['Sales']), 'devices'),
    (dict(labels=['Sales'], devices=['x'], state='absent', purge=True), 'purge'),
    (dict(labels=['Sales'], devices=['x'], concurrency=0), 'concurrency'),
])
def test_bad_options_fail_before_any_request(params, option):
    with pytest.raises(InvalidInputError) as err:
        run_label(CORE, [], **params)
    assert err.value.option == option


@pytest.mark.parametrize('options', [
    dict(vendor='maas360', url='https://services.m3.maas360.com', billing_id='30008180', username='u', password='p',
         app_id='a', app_version='1', app_access_key='k', platform_id='3'),
    dict(vendor='mobileiron_cloud', url='https://cloud.example.com', username='u', password='p'),
])
def test_maas360_and_cloud_refuse_label_writes_before_any_request(options):
    with pytest.raises(NotSupportedError) as err:
        run_label(options, [], labels=['Sales'], devices=['1'])
    assert 'is not supported by' in str(err.value)


# -- ManageEngine -------------------------------------------------------------------------------------------------------
GROUPS = {'groups': [{'group_id': 9007199254741632, 'name': 'Sales', 'group_type': 1, 'member_count': 2},
                     {'group_id': 9007199254741633, 'name': 'Kiosk', 'group_type': 1, 'member_count': 0}],
          'metadata': {'total_record_count': 2}}


def groups_call():
    return Expect('GET', '/api/v1/mdm/groups', query={'limit': '200', 'offset': '0'}, headers=ME_HEADERS, reply=GROUPS)


def members_call(group_id, members):
    return Expect('GET', '/api/v1/mdm/groups/%s/members' % group_id, query={'limit': '200', 'offset': '0'}, headers=ME_HEADERS,
                  reply={'member_ids': members, 'metadata': {'total_record_count': len(members)}})


def add_call(group_id, members, status=204):
    return Expect('POST', '/api/v1/mdm/groups/%s/members' % group_id, query={}, headers=ME_HEADERS,
                  json={'member_ids': members}, status=status,
                  reply=None if status == 204 else {'error_code': 'COM0005', 'error_description': 'Invalid member_ids'})


def delete_call(group_id, member):
    return Expect('DELETE', '/api/v1/mdm/groups/%s/members/%s' % (group_id, member), query={}, headers=ME_HEADERS, body=None,
                  status=204)


def test_manageengine_adds_and_purges_with_exact_requests():
    changed, result, _diff = run_label(ME, [
        groups_call(), members_call(9007199254741632, [9007199254741001, 9007199254741002]),
        add_call(9007199254741632, [9007199254741003]), delete_call(9007199254741632, 9007199254741001),
    ], labels=['Sales'], devices=['9007199254741002', '9007199254741003'], purge=True)
    assert changed is True and result['requests'] == 2 and result['labels'][0]['device_count'] == 2


def test_manageengine_second_run_and_check_mode_send_no_write():
    changed, result, _diff = run_label(ME, [groups_call(), members_call(9007199254741632, [9007199254741001])],
                                       labels=['Sales'], devices=['9007199254741001'])
    assert changed is False and result['requests'] == 0
    # Kiosk is empty (member_count 0): its members are not asked for.
    changed, result, _diff = run_label(ME, [groups_call()], labels=['Kiosk'], devices=['9007199254741001'], check_mode=True)
    assert changed is True and result['requests'] == 0 and result['labels'][0]['added'] == ['9007199254741001']


def test_manageengine_batches_member_ids_and_reports_a_refused_call():
    members = [9007199254741000 + n for n in range(600)]
    with pytest.raises(Failed) as err:
        run_label(ME, [groups_call(), add_call(9007199254741633, members[:512]), add_call(9007199254741633, members[512:], status=400)],
                  labels=['Kiosk'], devices=[str(m) for m in members])
    failed = err.value.args[0]
    assert failed['requests'] == 2 and len(failed['failures']) == 88
    assert 'Invalid member_ids' in failed['failures'][0]['reason']


def test_manageengine_refuses_ids_that_are_not_numbers():
    with pytest.raises(InvalidInputError) as err:
        run_label(ME, [], labels=['Sales'], devices=['abc'])
    assert err.value.option == 'devices'


# -- mdm_label_info ---------------------------------------------------------------------------------------------------------
def test_label_info_counts_without_members_and_glob_filter():
    adapter, session, _sleeps = build(CORE, [summary()])
    changed, result, diff = mdm_label_info.run(LabelInfoModule(name='s*'), adapter)
    session.assert_done()
    assert changed is False and diff is None
    assert result == {'labels': [{'id': '10', 'name': 'Sales', 'device_count': 2}]}


def test_label_info_members_only_of_the_matching_labels():
    adapter, session, _sleeps = build(CORE, [summary(), label_devices(12, [4])])
    _changed, result, _diff = mdm_label_info.run(LabelInfoModule(name='EMEA', members=True), adapter)
    session.assert_done()
    assert result == {'labels': [{'id': '12', 'name': 'EMEA', 'device_count': 1, 'members': [uuid(4)]}]}


def test_label_info_is_not_supported_by_mobileiron_cloud():
    adapter, _session, _sleeps = build(dict(vendor='mobileiron_cloud', url='https://cloud.example.com', username='u', password='p'), [])
    with pytest.raises(NotSupportedError) as err:
        mdm_label_info.run(LabelInfoModule(), adapter)
    assert 'MobileIron Cloud' in str(err.value)


def test_core_dynamic_label_fails_before_any_write():
    labels = [{'id': 30, 'name': 'iOS devices', 'deviceCount': 0, 'isStatic': False, 'criteria': '"common.platform"="iOS"'}]
    with pytest.raises(InvalidInputError) as err:
        run_label(CORE, [summary(labels)], labels=['iOS devices'], devices=[uuid(1)])
    assert err.value.option == 'labels' and 'criteria' in str(err.value)
