# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_label creating missing labels (create=true) and deleting labels (state=deleted), against a scripted HTTP
conversation: the exact requests, check mode, the second run, and what is refused before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, NotSupportedError

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules.test_mdm_label import (
    CORE, ME, ME_HEADERS, Failed, add_call, groups_call, members_call, run_label, uuid,
)

SALES = 9007199254741632
KIOSK = 9007199254741633
LOST = 9007199254741700
DEVICE_A = '9007199254741001'
DEVICE_B = '9007199254741002'


def create_call(name, status=200, reply=None):
    if reply is None:
        reply = {'group_id': LOST, 'name': name, 'group_type': 6} if status == 200 else {
            'error_code': 'COM0005', 'error_description': 'Group name already exists'}
    return Expect('POST', '/api/v1/mdm/groups', query={}, headers=ME_HEADERS, json={'name': name, 'group_type': 6},
                  status=status, reply=reply)


def delete_group_call(group_id):
    return Expect('DELETE', '/api/v1/mdm/groups/%s' % group_id, query={}, headers=ME_HEADERS, body=None, status=204)


# -- create ---------------------------------------------------------------------------------------------------------------
def test_manageengine_creates_a_missing_group_then_adds_the_devices():
    changed, result, diff = run_label(ME, [groups_call(), create_call('Lost'), add_call(LOST, [int(DEVICE_A)])],
                                      labels=['Lost'], devices=[DEVICE_A], create=True)
    assert changed is True and result['requests'] == 2 and result['failures'] == []
    assert result['labels'] == [dict(name='Lost', id=str(LOST), added=[DEVICE_A], removed=[], device_count=1, created=True,
                                     deleted=False)]
    assert diff == {'before': {}, 'after': {'Lost': [DEVICE_A]}}


def test_manageengine_create_in_check_mode_predicts_and_sends_nothing():
    changed, result, diff = run_label(ME, [groups_call()], labels=['Lost', 'Kiosk'], devices=[DEVICE_A], create=True,
                                      check_mode=True)
    assert changed is True and result['requests'] == 0
    assert [(item['name'], item['id'], item['created'], item['added']) for item in result['labels']] == [
        ('Lost', None, True, [DEVICE_A]), ('Kiosk', str(KIOSK), False, [DEVICE_A])]
    assert diff == {'before': {'Kiosk': []}, 'after': {'Lost': [DEVICE_A], 'Kiosk': [DEVICE_A]}}


def test_manageengine_create_of_an_existing_group_without_devices_changes_nothing():
    # The second run of "make sure Kiosk exists": no POST, no change.
    changed, result, diff = run_label(ME, [groups_call()], labels=['Kiosk'], create=True)
    assert changed is False and result['requests'] == 0 and diff is None
    assert result['labels'][0]['created'] is False


def test_manageengine_a_refused_create_fails_the_task_and_tries_no_device_of_that_group():
    with pytest.raises(Failed) as err:
        run_label(ME, [groups_call(), create_call('Lost', status=400)], labels=['Lost'], devices=[DEVICE_A], create=True)
    failed = err.value.args[0]
    assert failed['failures'] == [dict(label='Lost', device_id=None, action='create', reason=failed['failures'][0]['reason'])]
    assert 'Group name already exists' in failed['msg'] and 'could not create label Lost' in failed['msg']
    assert failed['requests'] == 1


def test_manageengine_a_create_reply_without_group_id_is_a_failure():
    with pytest.raises(Failed) as err:
        run_label(ME, [groups_call(), create_call('Lost', reply={'name': 'Lost'})], labels=['Lost'], devices=[DEVICE_A],
                  create=True)
    assert 'group_id' in err.value.args[0]['failures'][0]['reason']


def test_a_missing_label_without_create_still_fails_naming_the_option_that_would_create_it():
    with pytest.raises(InvalidInputError) as err:
        run_label(ME, [groups_call()], labels=['Lost'], devices=[DEVICE_A])
    assert err.value.option == 'labels' and 'create=true' in str(err.value)


# -- delete ---------------------------------------------------------------------------------------------------------------
def test_manageengine_deletes_an_empty_group_and_a_missing_one_is_no_change():
    changed, result, diff = run_label(ME, [groups_call(), delete_group_call(KIOSK)], labels=['Kiosk', 'Gone'], state='deleted')
    assert changed is True and result['requests'] == 1
    assert [(item['name'], item['deleted']) for item in result['labels']] == [('Kiosk', True), ('Gone', False)]
    assert diff == {'before': {'Kiosk': []}, 'after': {}}
    # Second run: Kiosk is gone as well.
    changed, result, diff = run_label(ME, [Expect('GET', '/api/v1/mdm/groups', query={'limit': '200', 'offset': '0'},
                                                  headers=ME_HEADERS, reply={'groups': [], 'metadata': {'total_record_count': 0}})],
                                      labels=['Kiosk', 'Gone'], state='deleted')
    assert changed is False and result['requests'] == 0 and diff is None


def test_manageengine_a_group_holding_devices_is_deleted_only_with_force():
    with pytest.raises(InvalidInputError) as err:
        run_label(ME, [groups_call(), members_call(SALES, [int(DEVICE_A), int(DEVICE_B)])], labels=['Sales'], state='deleted')
    assert err.value.option == 'force' and 'Sales: 2' in str(err.value)
    changed, result, _diff = run_label(ME, [groups_call(), members_call(SALES, [int(DEVICE_A), int(DEVICE_B)]),
                                            delete_group_call(SALES)], labels=['Sales'], state='deleted', force=True)
    assert changed is True and result['requests'] == 1
    assert result['labels'][0]['removed'] == [DEVICE_A, DEVICE_B] and result['labels'][0]['deleted'] is True


def test_manageengine_delete_in_check_mode_sends_nothing():
    changed, result, diff = run_label(ME, [groups_call(), members_call(SALES, [int(DEVICE_A)])], labels=['Sales'],
                                      state='deleted', force=True, check_mode=True)
    assert changed is True and result['requests'] == 0 and diff == {'before': {'Sales': [DEVICE_A]}, 'after': {}}


# -- refused before any request --------------------------------------------------------------------------------------------
@pytest.mark.parametrize('params', [dict(labels=['Lost'], devices=[uuid(1)], create=True), dict(labels=['Sales'], state='deleted')])
def test_mobileiron_core_documents_no_label_create_or_delete(params):
    with pytest.raises(NotSupportedError) as err:
        run_label(CORE, [], **params)
    assert 'not supported by MobileIron Core' in str(err.value) and 'documents no such call' in str(err.value)


@pytest.mark.parametrize('options', [
    dict(vendor='maas360', url='https://services.m3.maas360.com', billing_id='30008180', username='u', password='p',
         app_id='a', app_version='1', app_access_key='k', platform_id='3'),
    dict(vendor='mobileiron_cloud', url='https://cloud.example.com', username='u', password='p'),
])
@pytest.mark.parametrize('params', [dict(labels=['Lost'], create=True), dict(labels=['Sales'], state='deleted')])
def test_maas360_and_cloud_refuse_label_create_and_delete(options, params):
    with pytest.raises(NotSupportedError) as err:
        run_label(options, [], **params)
    assert 'labels or device groups is not supported by' in str(err.value)


@pytest.mark.parametrize('params, option', [
    (dict(labels=['Sales'], devices=[DEVICE_A], state='absent', create=True), 'create'),
    (dict(labels=['Sales'], devices=[DEVICE_A], force=True), 'force'),
    (dict(labels=['Sales'], devices=[DEVICE_A], state='deleted'), 'devices'),
    (dict(labels=['Sales'], state='deleted', purge=True), 'purge'),
    (dict(labels=['Sales'], state='absent'), 'devices'),
])
def test_bad_lifecycle_options_fail_before_any_request(params, option):
    with pytest.raises(InvalidInputError) as err:
        run_label(ME, [], **params)
    assert err.value.option == option
