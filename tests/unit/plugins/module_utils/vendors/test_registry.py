# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The registry walked against what users read: every capability the README support matrix claims for a vendor is
declared and implemented, every one it denies is refused by the module that offers it before any request, and the
roles' vendor lists agree with the registry and the vendors' command catalogues."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import ActionSpec
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import NotSupportedError, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors import registry
from ansible_collections.fleetops.mdm.plugins.modules import (
    mdm_account,
    mdm_account_info,
    mdm_device,
    mdm_device_action,
    mdm_device_info,
    mdm_label,
    mdm_label_info,
    mdm_registration_policy,
    mdm_user,
    mdm_user_info,
)

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import build
from ansible_collections.fleetops.mdm.tests.unit.plugins.modules.fakes import FakeModule

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..'))
# The README's column order.
COLUMNS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')
OPTIONS = {
    'maas360': dict(vendor='maas360', url='https://services.m3.maas360.example', billing_id='1000', username='u',
                    password='p-secret', app_id='a', app_version='1', app_access_key='k-secret', platform_id='3'),
    'manageengine': dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key='k-secret'),
    'mobileiron_core': dict(vendor='mobileiron_core', url='https://core.example.com', username='u', password='p-secret'),
    'mobileiron_cloud': dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.example', username='u',
                             password='p-secret'),
}


def support_matrix():
    """{feature text: {vendor: the README cell}} of the README support matrix."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        lines = handle.read().split('\n')
    start = lines.index('| feature | MaaS360 | ManageEngine | MobileIron Core | MobileIron Cloud |')
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith('|'):
            break
        cells = [cell.strip() for cell in line.strip().strip('|').split(' | ')]
        assert len(cells) == 1 + len(COLUMNS), line
        rows[cells[0]] = dict(zip(COLUMNS, cells[1:]))
    return rows


def claimed(cell):
    assert cell[:1] in ('✅', '➖', '🕒'), cell
    return cell.startswith('✅')


def test_the_registry_knows_every_vendor_of_the_readme_and_nothing_else():
    assert sorted(registry.VENDORS) == sorted(COLUMNS)
    for name, declaration in registry.VENDORS.items():
        assert declaration.name == name
        assert set(declaration.capabilities) | set(declaration.session_capabilities) <= set(registry.CAPABILITIES)


def test_every_capability_is_documented_by_a_row_of_the_support_matrix():
    rows = support_matrix()
    for capability, spec in registry.CAPABILITIES.items():
        assert spec.matrix_rows, capability
        for row in spec.matrix_rows:
            assert row in rows, 'README has no support matrix row %r (capability %s)' % (row, capability)


@pytest.mark.parametrize('capability', sorted(registry.CAPABILITIES))
def test_the_support_matrix_says_what_the_registry_declares(capability):
    rows = support_matrix()
    for row in registry.CAPABILITIES[capability].matrix_rows:
        for vendor in COLUMNS:
            assert claimed(rows[row][vendor]) == registry.supports(vendor, capability), (
                'README row %r says %s for %s, the registry %s' % (row, rows[row][vendor][:1], vendor,
                                                                   registry.supports(vendor, capability)))


@pytest.mark.parametrize('vendor', COLUMNS)
def test_every_declared_capability_is_composed_and_implemented_without_a_request(vendor):
    adapter, session, _sleeps = build(OPTIONS[vendor], [])
    for capability, spec in registry.CAPABILITIES.items():
        if not registry.supports(vendor, capability):
            continue
        provider = registry.require(adapter, capability)
        # Composition: a capability class is handed the session, it is not the session with more methods mixed in.
        if capability not in registry.VENDORS[vendor].session_capabilities:
            assert provider is not adapter and provider.session is adapter, capability
        for call in spec.calls:
            assert callable(getattr(provider, call, None)), '%s of %s has no %s' % (capability, vendor, call)
    catalogue = registry.require(adapter, 'actions').action_catalogue()
    assert catalogue and all(isinstance(spec, ActionSpec) for spec in catalogue.values())
    if registry.supports(vendor, 'facts'):
        assert registry.require(adapter, 'facts').FACTS
    assert session.calls == []


# capability -> what a user asks of the module that needs it; each is refused before any request where denied.
REFUSED_BY = {
    'labels': [(mdm_label_info, dict())],
    'label_writes': [(mdm_label, dict(labels=['Kiosk'], devices=['1']))],
    'label_lifecycle': [(mdm_label, dict(labels=['Lost'], create=True)), (mdm_label, dict(labels=['Sales'], state='deleted'))],
    'facts': [(mdm_device_info, dict(gather=['summary']))],
    'device_updates': [(mdm_device, dict(devices=['1'], state='present', details={'asset_tag': 'A1'}))],
    'device_deletes': [(mdm_device, dict(devices=['1'], state='absent'))],
    'assignments': [(mdm_device, dict(devices=['1'], state='present', profiles=[{'id': '5'}]))],
    'users': [(mdm_user, dict(uid='jane', state='present'))],
    'user_search': [(mdm_user_info, dict())],
    'registration_policy': [(mdm_registration_policy, dict(mode='pin'))],
    'accounts': [(mdm_account, dict(name='Acme', account_type='Trial', admin_email='it@acme.example', service='MDM')),
                 (mdm_account_info, dict(names=['Acme']))],
}


def denied():
    return [(vendor, capability) for capability in sorted(registry.CAPABILITIES) for vendor in COLUMNS
            if not registry.supports(vendor, capability)]


def test_every_capability_a_vendor_may_lack_has_a_refusal_case():
    assert set(capability for _vendor, capability in denied()) <= set(REFUSED_BY)
    # Every vendor lists and commands devices: no module has to refuse them.
    assert all(registry.supports(vendor, 'devices') and registry.supports(vendor, 'actions') for vendor in COLUMNS)


@pytest.mark.parametrize('vendor, capability', denied())
def test_every_denied_capability_is_refused_before_any_request(vendor, capability):
    for module_code, params in REFUSED_BY[capability]:
        adapter, session, _sleeps = build(OPTIONS[vendor], [])
        with pytest.raises(NotSupportedError) as info:
            module_code.run(FakeModule.of(module_code, check_mode=True, **params), adapter)
        text = str(info.value)
        assert registry.CAPABILITIES[capability].operation in text
        assert text.endswith(' is not supported by %s' % vendor_display_name(vendor))
        assert session.calls == [], module_code.__name__


def test_query_names_the_vendors_whose_session_declares_a_search_query():
    adapter, session, _sleeps = build(OPTIONS['maas360'], [])
    with pytest.raises(Exception) as info:
        mdm_device_action.run(FakeModule.of(mdm_device_action, action='lock', query='x', journal=False), adapter)
    searchable = [vendor for vendor in COLUMNS if registry.VENDORS[vendor].session.query_filter]
    assert searchable == ['mobileiron_core', 'mobileiron_cloud']
    assert info.value.option == 'query' and 'MobileIron Core or MobileIron Cloud' in str(info.value)
    assert session.calls == []


# -- the roles' vendor lists -----------------------------------------------------------------------------------
def role_vars(role):
    with open(os.path.join(ROOT, 'roles', role, 'vars', 'main.yml')) as handle:
        return yaml.safe_load(handle)


def catalogues():
    return dict((vendor, registry.require(build(OPTIONS[vendor], [])[0], 'actions').action_catalogue()) for vendor in COLUMNS)


def with_command(name, where=lambda spec: True):
    return sorted(vendor for vendor, catalogue in catalogues().items() if name in catalogue and where(catalogue[name]))


def test_role_vendor_lists_agree_with_the_registry_and_the_catalogues():
    compliance, lost, offboard, onboard = (role_vars(role) for role in ('compliance_sweep', 'lost_device', 'offboard_user',
                                                                        'onboard_user'))
    every = catalogues()
    label_writers = registry.vendors_with('label_writes')
    assert sorted(compliance['compliance_sweep_label_vendors']) == label_writers
    assert sorted(lost['lost_device_label_vendors']) == label_writers
    assert sorted(offboard['offboard_user_label_vendors']) == label_writers
    assert sorted(offboard['offboard_user_account_vendors']) == registry.vendors_with('users')
    assert sorted(onboard['onboard_user_vendors']) == registry.vendors_with('users')
    assert compliance['compliance_sweep_check_actions'] == dict(
        (vendor, 'check_compliance' if 'check_compliance' in every[vendor] else 'wakeup') for vendor in COLUMNS)
    assert sorted(compliance['compliance_sweep_message_vendors']) == with_command('send_message')
    assert sorted(compliance['compliance_sweep_subject_vendors']) == with_command(
        'send_message', lambda spec: 'subject' in spec.params and spec.params['subject'].required)
    assert sorted(lost['lost_device_message_vendors']) == with_command('lock', lambda spec: 'message' in spec.params)
    assert sorted(lost['lost_device_note_vendors']) == with_command('lock', lambda spec: 'note' in spec.params)
    assert sorted(lost['lost_device_lost_mode_vendors']) == with_command('enable_lost_mode')
    assert sorted(lost['lost_device_locate_vendors']) == with_command('locate')
    assert offboard['offboard_user_selective_actions'] == dict(
        (vendor, 'selective_wipe' if 'selective_wipe' in every[vendor] else 'retire') for vendor in COLUMNS)


# -- the connection side follows the registry --------------------------------------------------------------------
def test_connection_options_name_the_vendors_of_the_registry():
    from ansible_collections.fleetops.mdm.plugins.doc_fragments.connection import ModuleDocFragment
    from ansible_collections.fleetops.mdm.plugins.module_utils import errors, options

    assert options.VENDORS == tuple(registry.VENDORS)
    assert sorted(options.REQUIRED_BY_VENDOR) == sorted(registry.VENDORS)
    assert options.CONNECTION_OPTIONS['vendor'][0]['choices'] == list(registry.VENDORS)
    for name, declaration in registry.VENDORS.items():
        # Read from the declaration: a fifth vendor adds nothing to options.py or errors.py.
        assert options.REQUIRED_BY_VENDOR[name] == list(declaration.required_options)
        assert errors.vendor_display_name(name) == declaration.display_name
        for alternative in declaration.required_options:
            assert set(alternative) <= set(options.CONNECTION_OPTIONS), (name, alternative)
    assert not hasattr(errors, 'VENDOR_NAMES')
    for fragment in (ModuleDocFragment.DOCUMENTATION, ModuleDocFragment.PLUGINS):
        assert yaml.safe_load(fragment)['options']['vendor']['choices'] == list(registry.VENDORS)


def test_display_names_and_required_options_users_know():
    from ansible_collections.fleetops.mdm.plugins.module_utils import options

    assert dict((name, vendor_display_name(name)) for name in registry.VENDORS) == {
        'maas360': 'IBM MaaS360', 'manageengine': 'ManageEngine MDM', 'mobileiron_core': 'MobileIron Core',
        'mobileiron_cloud': 'MobileIron Cloud'}
    assert vendor_display_name('acme') == 'acme' and vendor_display_name(None) == 'MDM'
    assert options.REQUIRED_BY_VENDOR['manageengine'] == [
        ('url', 'client_id', 'client_secret', 'refresh_token', 'accounts_url'), ('url', 'api_key')]
