# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_account and mdm_account_info run() against a MaaS360 adapter that talks to a scripted HTTP conversation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    BadResponseError,
    InvalidInputError,
    MdmError,
    NotSupportedError,
    TransportError,
)
from ansible_collections.fleetops.mdm.plugins.modules import mdm_account, mdm_account_info
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules import fakes

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.vendors.test_maas360 import BILLING, OPTIONS, TOKEN, auth

CHECK_PATH = '/account-provisioning/account/1.0/checkAccountNameAvailability/' + BILLING
CREATE_PATH = '/account-provisioning/account/1.0/createCustomerAccount/' + BILLING
HEADERS = {'Authorization': 'MaaS token="%s"' % TOKEN, 'Accept': 'application/json',
           'Content-Type': 'application/x-www-form-urlencoded'}
FORM = {'Service': 'MDM', 'billingId': BILLING, 'accountType': 'Trial', 'accountName': 'Example Corp',
        'adminEmailAddress': 'it-admin@example.com'}


FakeModule = fakes.FakeModule.for_module(mdm_account, name='Example Corp', account_type='Trial', admin_email='it-admin@example.com')


def check(reply, name='Example Corp', **kwargs):
    return Expect('POST', CHECK_PATH, query={}, headers=HEADERS, form={'accountName': name}, reply=reply, **kwargs)


def create(reply, form=None, **kwargs):
    return Expect('POST', CREATE_PATH, query={}, headers=HEADERS, form=form or FORM, reply=reply, **kwargs)


AVAILABLE = {'errorCode': 0, 'errorDesc': 'Account name is available'}
TAKEN = {'errorCode': 1, 'errorDesc': 'Account name is not available'}


def run(module_cls, script, options=None, **params):
    adapter, session, _sleeps = build(options or OPTIONS, script)
    module = FakeModule(**params)
    try:
        return module_cls.run(module, adapter) + (module,)
    finally:
        session.assert_done()


def test_a_free_name_is_checked_then_created_form_encoded():
    changed, result, diff, module = run(mdm_account, [auth(), check(AVAILABLE), create({'errorCode': 0, 'errorDesc': 'ok',
                                                                                        'customerBillingId': '30099999'})])
    assert changed is True and module.warnings == []
    assert result['account'] == dict(name='Example Corp', account_type='Trial', service='MDM', admin_email='it-admin@example.com',
                                     available=True, availability='Account name is available', created=True,
                                     reply={'customerBillingId': '30099999'})
    assert diff == {'before': {}, 'after': dict(name='Example Corp', account_type='Trial', service='MDM',
                                                admin_email='it-admin@example.com')}


def test_check_mode_sends_the_availability_check_only():
    changed, result, _diff, _module = run(mdm_account, [auth(), check(AVAILABLE)], check_mode=True)
    assert changed is True and result['account']['created'] is False


def test_a_taken_name_is_not_created_again_and_says_why():
    changed, result, diff, module = run(mdm_account, [auth(), check(TAKEN)])
    assert changed is False and diff is None
    assert result['account']['available'] is False and result['account']['created'] is False
    assert len(module.warnings) == 1 and 'on_taken=fail' in module.warnings[0]


def test_a_taken_name_fails_with_on_taken_fail():
    with pytest.raises(InvalidInputError) as caught:
        run(mdm_account, [auth(), check(TAKEN)], on_taken='fail')
    assert 'option name' in str(caught.value) and 'Account name is not available' in str(caught.value)


def test_xml_replies_wrapped_in_an_element_are_read():
    xml = '<?xml version="1.0"?><response><errorCode>0</errorCode><errorDesc>Account name is available</errorDesc></response>'
    _changed, result, _diff, _module = run(mdm_account, [auth(), check(xml, content_type='application/xml')], check_mode=True)
    assert result['account']['available'] is True


def test_a_refused_creation_is_an_error_with_the_servers_reason():
    with pytest.raises(MdmError) as caught:
        run(mdm_account, [auth(), check(AVAILABLE), create({'errorCode': 7, 'errorDesc': 'Partner is not allowed to create trials'})])
    assert 'Partner is not allowed to create trials (errorCode 7)' in str(caught.value)


def test_a_reply_without_error_code_is_a_bad_response():
    with pytest.raises(BadResponseError):
        run(mdm_account, [auth(), check({'something': 'else', 'more': 1})])


def test_the_creation_is_never_sent_twice_after_a_lost_reply():
    lost = requests.exceptions.ReadTimeout('read timed out')
    with pytest.raises(TransportError):
        run(mdm_account, [auth(), check(AVAILABLE), create(None, raise_exc=lost)])


def test_the_availability_check_is_repeated_after_a_503():
    _changed, result, _diff, _module = run(mdm_account, [auth(), check({'error': 'busy'}, status=503), check(AVAILABLE)],
                                           check_mode=True)
    assert result['account']['available'] is True


@pytest.mark.parametrize('params, option', [
    (dict(name='  '), 'option name'),
    (dict(admin_email='it-admin'), 'option admin_email'),
    (dict(account_type='Partner'), 'option account_type'),
    (dict(service=' '), 'option service'),
])
def test_bad_input_fails_before_any_request(params, option):
    with pytest.raises(InvalidInputError) as caught:
        run(mdm_account, [], **params)
    assert option in str(caught.value)


@pytest.mark.parametrize('options', [
    dict(vendor='manageengine', url='https://mdm.example.com', api_key='KEY-1234'),
    dict(vendor='mobileiron_core', url='https://core.example.com', username='a', password='b'),
    dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='a', password='b'),
])
def test_other_vendors_are_not_supported(options):
    for module_cls in (mdm_account, mdm_account_info):
        with pytest.raises(NotSupportedError):
            run(module_cls, [], options=options, names=['x'])


def test_info_checks_each_name_once_and_never_changes():
    changed, result, diff, _module = run(mdm_account_info, [auth(), check(TAKEN, name='Initech'), check(AVAILABLE, name='Free')],
                                         names=['Initech', 'Free', 'Initech'])
    assert changed is False and diff is None
    assert result == {'accounts': [dict(name='Initech', available=False, availability='Account name is not available'),
                                   dict(name='Free', available=True, availability='Account name is available')]}


def test_info_refuses_an_empty_name_before_any_request():
    with pytest.raises(InvalidInputError) as caught:
        run(mdm_account_info, [], names=['ok', ''])
    assert 'option names' in str(caught.value)
