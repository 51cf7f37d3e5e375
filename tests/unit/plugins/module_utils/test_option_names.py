# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Capabilities name neutral field keys in their errors; the modules name their own options (runner.option_names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import option_names
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import (
    ACCOUNT_ADMIN_EMAIL, ACCOUNT_NAME, ACCOUNT_SERVICE, ACCOUNT_TYPE, DEVICE_FIELDS, DEVICE_ID, DEVICES, FACT_PARAMS, FACTS,
    LISTING_FILTERS, LISTING_PAGE_SIZE, LISTING_VENDOR_FILTERS, USER_PAGE_SIZE, USER_SOURCE)
from ansible_collections.fleetops.mdm.plugins.modules import mdm_account, mdm_account_info, mdm_device, mdm_device_info, mdm_user, mdm_user_info

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import build
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules.fakes import FakeModule

CLOUD = dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.example', username='admin', password='p-secret')
MAAS = dict(vendor='maas360', url='https://services.m3.maas360.example', billing_id='1000', username='u', password='p-secret',
            app_id='a', app_version='1', app_access_key='k-secret', platform_id='3')
ME = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key='D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE')


def test_a_neutral_key_and_its_sub_key_become_the_option_in_the_error_and_its_message():
    with pytest.raises(InvalidInputError) as info:
        with option_names({DEVICE_FIELDS: 'details'}):
            raise InvalidInputError('office takes a single value, not list', option=DEVICE_FIELDS + '.office')
    assert info.value.option == 'details.office'
    assert info.value.message == 'office takes a single value, not list (option details.office)'
    assert str(info.value) == 'MDM: office takes a single value, not list (option details.office)'
    with pytest.raises(InvalidInputError) as info:
        with option_names({DEVICE_FIELDS: 'details'}):
            raise InvalidInputError('serial_number cannot be set', option=DEVICE_FIELDS, allowed=['asset_tag', 'office'])
    assert info.value.message == 'serial_number cannot be set (option details; allowed: asset_tag, office)'


def test_keys_the_module_does_not_map_and_other_errors_pass_unchanged():
    with pytest.raises(InvalidInputError) as info:
        with option_names({DEVICE_FIELDS: 'details'}):
            raise InvalidInputError('device_fields_extra is wrong', option='device_fields_extra')
    assert info.value.option == 'device_fields_extra' and info.value.message == 'device_fields_extra is wrong (option device_fields_extra)'
    with pytest.raises(KeyError):
        with option_names({DEVICES: 'devices'}):
            raise KeyError('x')


@pytest.mark.parametrize('details, key, message', [
    ({'office': ['a']}, 'office', 'office takes a single value, not list (option %s.office)'),
    ({'serial_number': 'x'}, None, 'serial_number cannot be set with the ManageEngine MDM device update (option %s; allowed: '),
])
def test_the_capability_names_the_neutral_key_and_mdm_device_its_details_option(details, key, message):
    adapter, session, _sleeps = build(ME, [])
    with pytest.raises(InvalidInputError) as info:
        adapter.capabilities['device_updates'].check_device_updates(['1'], details)
    assert info.value.option == DEVICE_FIELDS + ('.' + key if key else '')
    assert (message % DEVICE_FIELDS) in info.value.message
    with pytest.raises(InvalidInputError) as info:
        mdm_device.run(FakeModule.of(mdm_device, devices=['1'], details=details), adapter)
    assert info.value.option == 'details' + ('.' + key if key else '')
    assert (message % 'details') in str(info.value) and DEVICE_FIELDS not in str(info.value)
    assert session.calls == []


@pytest.mark.parametrize('options, page_size, message', [
    (CLOUD, 501, 'out of range (option %s; allowed: 1 to 500)'),
    (MAAS, 30, 'not a page size IBM MaaS360 accepts (option %s; allowed: '),
], ids=['mobileiron_cloud', 'maas360'])
def test_the_user_page_size_is_the_neutral_key_and_mdm_user_info_its_page_size_option(options, page_size, message):
    adapter, session, _sleeps = build(options, [])
    with pytest.raises(InvalidInputError) as info:
        adapter.capabilities['user_search'].check_user_page_size(page_size)
    assert info.value.option == USER_PAGE_SIZE and (message % USER_PAGE_SIZE) in info.value.message
    with pytest.raises(InvalidInputError) as info:
        mdm_user_info.run(FakeModule.of(mdm_user_info, page_size=page_size), adapter)
    assert info.value.option == 'page_size' and (message % 'page_size') in info.value.message
    assert session.calls == []


def test_the_user_source_is_the_neutral_key_and_mdm_user_its_source_option():
    adapter, session, _sleeps = build(CLOUD, [])
    with pytest.raises(InvalidInputError) as info:
        adapter.capabilities['users'].check_create('ldap', False, False)
    assert info.value.option == USER_SOURCE
    with pytest.raises(InvalidInputError) as info:
        mdm_user.run(FakeModule.of(mdm_user, uid='jane', source='ldap', state='present'), adapter)
    assert info.value.option == 'source'
    assert info.value.message.endswith('give user_password, or ldap_import to import the user from the directory (option source)')
    assert session.calls == []


@pytest.mark.parametrize('params, key, option, message', [
    (dict(name='  '), ACCOUNT_NAME, 'name', 'an account name must not be empty (option name)'),
    (dict(account_type='Gold'), ACCOUNT_TYPE, 'account_type', "unknown account type 'Gold' (option account_type; allowed: Trial, Customer)"),
    (dict(admin_email='nobody'), ACCOUNT_ADMIN_EMAIL, 'admin_email', "'nobody' is not an e-mail address (option admin_email)"),
    (dict(service=' '), ACCOUNT_SERVICE, 'service', 'a service must not be empty (the reference uses MDM) (option service)'),
])
def test_the_account_form_names_neutral_keys_and_mdm_account_its_options(params, key, option, message):
    wanted = dict(dict(name='Example Corp', account_type='Trial', admin_email='it-admin@example.com', service='MDM'), **params)
    adapter, session, _sleeps = build(MAAS, [])
    with pytest.raises(InvalidInputError) as info:
        adapter.capabilities['accounts'].customer_account_form(wanted['name'], wanted['account_type'], wanted['admin_email'],
                                                               wanted['service'])
    assert info.value.option == key
    with pytest.raises(InvalidInputError) as info:
        mdm_account.run(FakeModule.of(mdm_account, **wanted), adapter)
    assert info.value.option == option and info.value.message == message
    assert session.calls == []


def test_mdm_account_info_names_its_names_option_for_an_empty_account_name():
    adapter, session, _sleeps = build(MAAS, [])
    with pytest.raises(InvalidInputError) as info:
        mdm_account_info.run(FakeModule.of(mdm_account_info, names=['Example Corp', ' ']), adapter)
    assert info.value.option == 'names' and info.value.message == 'an account name must not be empty (option names)'
    assert session.calls == []


def test_a_module_maps_every_neutral_key_its_calls_may_raise():
    # The keys of mdm_device_info's calls (get_device, list_devices, check_gather) each become its own option.
    assert set(mdm_device_info.OPTION_NAMES) == {DEVICE_ID, FACTS, FACT_PARAMS, LISTING_FILTERS, LISTING_VENDOR_FILTERS,
                                                 LISTING_PAGE_SIZE}
    adapter, session, _sleeps = build(ME, [])
    with pytest.raises(InvalidInputError) as info:
        mdm_device_info.run(FakeModule.of(mdm_device_info, device_id='../groups'), adapter)
    assert info.value.option == 'device_id'
    assert info.value.message == "'../groups' is not a ManageEngine MDM device id (a number) (option device_id)"
    assert session.calls == []
