# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalogue of bad inputs, module by module: each case fails with a message naming the option (and what is
allowed where there is a list) before any request is sent.

Each case runs the module's real main() in-process (fakes.run_main): ansible-core's argument-spec checks, the
connection checks of runner/client, the vendor's own checks and the module's run() all take part; the adapter talks
to a session that answers nothing, so "no request" means not even a read. The cases that can only be decided after
reading the server (an empty selection, an unknown label, a selection larger than max_devices, a device that is not
retired) run end to end against the simulator in tests/integration/test_action_guards.py and test_catalogue.py,
which also keep one case per module through ansible-playbook."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.tests.unit.plugins.modules.fakes import all_modules

MODULES = all_modules()
mdm_device_action = MODULES['mdm_device_action']

# Connection options of each vendor as a task gives them; no server answers (the session answers nothing).
CONNS = {
    'maas360': dict(vendor='maas360', url='https://services.m3.maas360.com', username='apiadmin', password='Maas-Pa55word',
                    billing_id='30008180', app_id='com.example.mdm', app_version='1.0', platform_id='3',
                    app_access_key='Maas-Access-Key-1'),
    'manageengine': dict(vendor='manageengine', url='https://mdm.manageengine.com', client_id='1000.CLIENT',
                         client_secret='Zoho-Client-Secret', refresh_token='1000.refresh.token',
                         accounts_url='https://accounts.zoho.com'),
    'mobileiron_core': dict(vendor='mobileiron_core', url='https://core.example.com', username='apiadmin',
                            password='Core-Pa55word'),
    'mobileiron_cloud': dict(vendor='mobileiron_cloud', url='https://na1.mobileiron.com', username='admin@example.com',
                             password='Cloud-Pa55word'),
}
URL_SECRET = 'Url-Pa55word-7c1e'
PIN = '73519246'


def core_ids(count):
    return ['%08x-0000-4000-8000-%012x' % (number, number) for number in range(1, count + 1)]


CORE = core_ids(3)
CLOUD = ['1000001', '1000002', '1000003']
ME = ['1001', '1002', '1003']
MAAS = ['Appl4711ABCD', 'Andr4712ABCD', 'Appl4713ABCD']

# (name, module, vendor, args, words the message must hold)
ACTION_CASES = [
    ('unknown neutral action', 'mobileiron_core', dict(action='fly', devices=CORE[:1]), ['action', 'lock']),
    ('action of another vendor (MaaS360 has no remote_session)', 'maas360', dict(action='remote_session', devices=MAAS[:1]),
     ['action', 'allowed']),
    ('MobileIron Cloud has no locate', 'mobileiron_cloud', dict(action='locate', devices=CLOUD[:1]), ['action', 'allowed']),
    ('vendor action of another vendor', 'mobileiron_core', dict(vendor_action='lockDevice', devices=CORE[:1]),
     ['vendor_action', 'allowed']),
    ('ManageEngine verb on MobileIron Cloud', 'mobileiron_cloud', dict(vendor_action='remote_alarm', devices=CLOUD[:1]),
     ['vendor_action']),
    ('both action and vendor_action', 'manageengine', dict(action='lock', vendor_action='lock', devices=ME[:1]),
     ['action', 'vendor_action']),
    ('neither action nor vendor_action', 'manageengine', dict(devices=ME[:1]), ['action', 'vendor_action']),
    ('no selection at all', 'mobileiron_core', dict(action='lock'), ['devices']),
    ('empty device list', 'mobileiron_core', dict(action='lock', devices=[]), ['devices']),
    ('ids and a selector', 'manageengine', dict(action='lock', devices=ME[:1], label='Kiosk'), ['devices']),
    ('malformed MobileIron Core UUID', 'mobileiron_core', dict(action='lock', devices=['not-a-uuid']), ['devices']),
    ('malformed ManageEngine id', 'manageengine', dict(action='lock', devices=['12ab']), ['devices']),
    ('malformed MobileIron Cloud id', 'mobileiron_cloud', dict(action='lock', devices=['cloud-device']), ['devices']),
    ('malformed MaaS360 id', 'maas360', dict(action='lock', devices=['bad id/../x']), ['devices']),
    ('too many devices for a wipe (Core)', 'mobileiron_core', dict(action='wipe', devices=CORE[:2]), ['max_devices', '2 devices']),
    ('too many devices for a retire (Cloud)', 'mobileiron_cloud', dict(action='retire', devices=CLOUD[:3], max_devices=2),
     ['max_devices', '3 devices']),
    ('too many devices for a wipe (ManageEngine)', 'manageengine', dict(action='wipe', devices=ME[:2]), ['max_devices', '2 devices']),
    ('too many devices for a selective wipe (MaaS360)', 'maas360', dict(action='selective_wipe', devices=MAAS[:2]), ['max_devices']),
    ('e-mail without subject', 'mobileiron_core', dict(action='send_message', message_type='email', text='Hi', devices=CORE[:1]),
     ['subject']),
    ('message without text', 'mobileiron_core', dict(action='send_message', message_type='pns', devices=CORE[:1]), ['message']),
    # MobileIron Core documents a note of 1 to 200 characters; no vendor documents a limit on the message text.
    ('note too long for MobileIron Core', 'mobileiron_core', dict(vendor_action='UPDATE_OS', params={'note': 'x' * 201}, devices=CORE[:1]),
     ['params.note', '200']),
    ('unknown message_type', 'mobileiron_core', dict(action='send_message', message_type='fax', text='Hi', devices=CORE[:1]),
     ['message_type', 'sms']),
    ('subject for a command that takes none', 'mobileiron_cloud', dict(action='unlock', subject='x', devices=CLOUD[:1]), ['subject']),
    ('unknown command parameter', 'mobileiron_core', dict(action='lock', params={'colour': 'red'}, devices=CORE[:1]), ['params']),
    ('query on a vendor without one', 'maas360', dict(action='lock', query='x'), ['query']),
    ('max_devices of zero', 'mobileiron_core', dict(action='lock', devices=CORE[:1], max_devices=0), ['max_devices']),
    ('wait_interval longer than wait_timeout', 'manageengine',
     dict(action='lock', devices=ME[:1], wait=True, wait_timeout=5, wait_interval=10), ['wait_interval']),
    ('concurrency out of range', 'maas360', dict(action='lock', devices=MAAS[:1], concurrency=500), ['concurrency']),
    ('unknown neutral filter', 'mobileiron_core', dict(action='lock', filters={'colour': 'red'}), ['filters', 'platform']),
    ('invalid platform value', 'manageengine', dict(action='lock', filters={'platform': 'symbian'}), ['filters.platform', 'android']),
    ('unknown vendor filter', 'mobileiron_cloud', dict(action='lock', vendor_filters={'nope': 1}), ['vendor_filters', 'fq']),
    ('Core query longer than 255 characters', 'mobileiron_core', dict(action='lock', query='"common.model" = "%s"' % ('x' * 300)),
     ['query', '255']),
    # A selection never reaches the whole fleet by accident: empty selectors, labels as patterns, no cap.
    ('empty filters', 'mobileiron_core', dict(action='lock', filters={}), ['filters', 'all_devices']),
    ('empty vendor_filters', 'manageengine', dict(action='lock', vendor_filters={}), ['vendor_filters', 'all_devices']),
    ('a filter without a value', 'maas360', dict(action='lock', filters={'user': ''}), ['filters.user']),
    ('label and label_pattern', 'manageengine', dict(action='lock', label='Kiosk', label_pattern='K*'), ['label_pattern']),
    # Texts sent to devices: no control characters; newlines only in a message body.
    ('control character in a lock-screen text', 'mobileiron_cloud', dict(action='lock', text='call\u0007IT', devices=CLOUD[:1]),
     ['text', 'U+0007']),
    ('newline in a message subject', 'maas360', dict(action='send_message', text='Hi', subject='two\nlines', devices=MAAS[:1]),
     ['subject', 'one line']),
    ('escape sequence in a ManageEngine lock message', 'manageengine', dict(action='lock', text='x\u001b[2J', devices=ME[:1]),
     ['text', 'U+001B']),
    ('newline in a MobileIron Core note', 'mobileiron_core', dict(vendor_action='UPDATE_OS', params={'note': 'a\nb'}, devices=CORE[:1]),
     ['params.note', 'U+000A']),
    # Each vendor's own limits, as its end-to-end file checked them before (test_action_mobileiron_*.py).
    ('MobileIron Cloud id that is not a number', 'mobileiron_cloud', dict(action='lock', devices=['abc']), ['option devices']),
    ('MobileIron Cloud sends no SMS', 'mobileiron_cloud', dict(action='send_message', devices=['1'], text='hi', message_type='sms'),
     ['option message_type']),
    ('MobileIron Cloud e-mail without subject', 'mobileiron_cloud',
     dict(action='send_message', devices=['1'], text='hi', message_type='email'), ['option subject']),
    ('MobileIron Cloud unlock takes no text', 'mobileiron_cloud', dict(action='unlock', devices=['1'], text='hi'), ['option text']),
    ('MobileIron Cloud has no remote_session', 'mobileiron_cloud', dict(action='remote_session', devices=['1']), ['option action']),
    ('MobileIron Core e-mail without subject', 'mobileiron_core',
     dict(action='send_message', devices=CORE[:1], text='hello', message_type='email'), ['subject']),
    ('MobileIron Core note too long for a vendor action', 'mobileiron_core',
     dict(vendor_action='ENABLE_DATA_ROAMING', devices=CORE[:1], params={'note': 'x' * 201}), ['params.note']),
]

MODULE_CASES = [
    ('unknown vendor', 'mdm_device_info', 'mobileiron_core', dict(vendor='airwatch'), ['vendor', 'maas360']),
    ('url without a scheme', 'mdm_device_info', 'mobileiron_core', dict(url='core.example.com'), ['url', 'https://']),
    ('timeout of zero', 'mdm_device_info', 'mobileiron_core', dict(timeout=0), ['timeout']),
    ('max_retries out of range', 'mdm_device_info', 'mobileiron_cloud', dict(max_retries=99), ['max_retries']),
    ('missing password', 'mdm_device_info', 'mobileiron_core', dict(password=''), ['password']),
    ('MaaS360 without app_access_key', 'mdm_device_info', 'maas360', dict(app_access_key=''), ['app_access_key']),
    ('unknown neutral filter', 'mdm_device_info', 'manageengine', dict(filters={'colour': 'red'}), ['filters', 'platform']),
    ('invalid ownership value', 'mdm_device_info', 'maas360', dict(filters={'ownership': 'rented'}), ['filters.ownership', 'company']),
    ('MaaS360 page size not in its list', 'mdm_device_info', 'maas360', dict(page_size=30), ['page_size', '250']),
    ('MobileIron Cloud page size above 500', 'mdm_device_info', 'mobileiron_cloud', dict(page_size=501), ['page_size']),
    ('unknown ManageEngine vendor filter', 'mdm_device_info', 'manageengine', dict(vendor_filters={'colour': 'red'}),
     ['vendor_filters', 'owned_by']),
    ('searchkey without searchfield', 'mdm_device_info', 'manageengine', dict(vendor_filters={'searchkey': 'x'}), ['searchfield']),
    ('unknown fact to gather', 'mdm_device_info', 'manageengine', dict(device_id=ME[0], gather=['horoscope']), ['gather']),
    ('concurrency of zero', 'mdm_device_info', 'mobileiron_core', dict(concurrency=0), ['concurrency']),
    ('no label names', 'mdm_label', 'mobileiron_core', dict(labels=[], devices=CORE[:1]), ['labels']),
    ('purge with state absent', 'mdm_label', 'manageengine', dict(labels=['Kiosk'], devices=ME[:1], state='absent', purge=True),
     ['purge']),
    ('devices missing for state absent', 'mdm_label', 'mobileiron_core', dict(labels=['Kiosk'], state='absent'), ['devices']),
    ('labels on MaaS360', 'mdm_label', 'maas360', dict(labels=['Sales'], devices=['x']), ['not supported by IBM MaaS360']),
    ('label_info concurrency too high', 'mdm_label_info', 'manageengine', dict(concurrency=100), ['concurrency']),
    ('unknown device detail', 'mdm_device', 'manageengine', dict(devices=ME[:1], details={'colour': 'red'}), ['details', 'asset_tag']),
    ('device details on MobileIron Cloud', 'mdm_device', 'mobileiron_cloud', dict(devices=['1'], details={'asset_tag': 'x'}),
     ['mobileiron']),
    ('malformed Core UUID to delete', 'mdm_device', 'mobileiron_core', dict(devices=['not-a-uuid'], state='absent'), ['devices']),
    ('empty user id', 'mdm_user', 'mobileiron_cloud', dict(uid=' '), ['uid']),
    ('unknown device ownership', 'mdm_user', 'mobileiron_cloud', dict(uid='new.hire@example.com', device_ownership='rented'),
     ['device_ownership', 'employee']),
    ('update_password always without a password', 'mdm_user', 'mobileiron_cloud',
     dict(uid='new.hire@example.com', update_password='always'), ['user_password', 'always needs a password']),
    ('users on MobileIron Core', 'mdm_user', 'mobileiron_core', dict(uid='someone'), ['mobileiron core']),
    ('user page size above 500', 'mdm_user_info', 'mobileiron_cloud', dict(page_size=501), ['page_size']),
    ('accounts on MobileIron Core', 'mdm_account', 'mobileiron_core',
     dict(name='Acme', account_type='Trial', admin_email='a@acme.example'), ['mobileiron core']),
    ('unknown account type', 'mdm_account', 'maas360', dict(name='Acme', account_type='Gold', admin_email='a@acme.example'),
     ['account_type', 'Trial']),
    ('admin e-mail without @', 'mdm_account', 'maas360', dict(name='Acme', account_type='Trial', admin_email='nobody'), ['admin_email']),
    ('no account names', 'mdm_account_info', 'maas360', dict(names=[]), ['names']),
    ('unknown registration mode', 'mdm_registration_policy', 'mobileiron_cloud', dict(mode='face'), ['mode', 'pin']),
    # Credentials in a URL are refused naming the option and the vendor, never echoed.
    ('url holding credentials', 'mdm_device_info', 'mobileiron_core', dict(url='https://admin:%s@127.0.0.1:9' % URL_SECRET),
     ['url', 'must not hold credentials', 'MobileIron Core']),
    ('accounts_url holding credentials', 'mdm_device_info', 'manageengine',
     dict(accounts_url='https://zoho:%s@127.0.0.1:9' % URL_SECRET), ['accounts_url', 'must not hold credentials']),
    ('ManageEngine API key and OAuth both', 'mdm_label_info', 'manageengine', dict(api_key='an-api-key-1234'),
     ['api_key', 'ManageEngine MDM', 'only one']),
]

CASES = [(name, 'mdm_device_action', vendor, args, words) for name, vendor, args, words in ACTION_CASES] + MODULE_CASES


def missing(msg, words):
    return [word for word in words if word.lower() not in (msg or '').lower()]


def test_the_catalogue_covers_every_module():
    assert len(CASES) >= 75
    assert set(module for _name, module, _vendor, _args, _words in CASES) == set(MODULES)
    assert len(set((name, module) for name, module, _vendor, _args, _words in CASES)) == len(CASES)


@pytest.mark.parametrize('name,module,vendor,args,words', CASES, ids=['%s: %s' % (case[1], case[0]) for case in CASES])
def test_bad_input_fails_clearly_before_any_request(module_main, name, module, vendor, args, words):
    run = module_main(MODULES[module], dict(CONNS[vendor], **args))
    assert run.failed, '%s did not fail: %s' % (name, run.result)
    assert not missing(run.msg, words), 'message lacks %s: %s' % (missing(run.msg, words), run.msg)
    assert run.requests == [], 'a request was attempted: %s' % [call['url'] for call in run.requests]
    assert URL_SECRET not in run.output


@pytest.mark.parametrize('case,args,words', [
    ('a wrong type elsewhere', dict(max_devices='many'), ['max_devices']),
    ('an unknown params key', dict(params={'unlock_pin': PIN, 'colour': 'red'}), ['params']),
    ('a credential in the url', dict(url='https://admin:%s@mdm.corp.example:8383' % PIN), ['must not hold credentials']),
])
def test_a_pin_in_params_never_shows_when_the_task_fails(module_main, case, args, words):
    """A PIN in mdm_device_action ``params`` never shows in the task result, also when the task fails validation
    (ansible-core then echoes the parameters), and nothing is sent."""
    conn = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key='D92D4A7E-0B1C-4E5F-8A9B-API-KEY')
    task = dict(conn, action='lock', devices=ME[:1], params={'unlock_pin': PIN, 'message': 'Call the IT desk'})
    task.update(args)
    run = module_main(mdm_device_action, task)
    assert run.failed is True, case
    for word in words:
        assert word in run.msg, run.msg
    assert PIN not in run.output, case
    assert run.requests == []


ACCOUNT = dict(account_type='Trial', admin_email='it-admin@example.com')
# Guards of the declarative modules, with the exact words (and error_type) their end-to-end tests checked.
# (module, vendor, args, words, error_type or None)
GUARDS = [
    ('mdm_account', 'maas360', dict(ACCOUNT, name='X Corp', admin_email='not-an-email'), ['option admin_email'], None),
    ('mdm_account', 'maas360', dict(ACCOUNT, name='   '), ['option name'], None),
    ('mdm_account', 'manageengine', dict(ACCOUNT, name='X Corp'), ['not supported by'], 'not_supported'),
    ('mdm_account', 'mobileiron_core', dict(ACCOUNT, name='X Corp'), ['not supported by'], 'not_supported'),
    ('mdm_account', 'mobileiron_cloud', dict(ACCOUNT, name='X Corp'), ['not supported by'], 'not_supported'),
    ('mdm_account_info', 'manageengine', dict(names=['X Corp']), ['not supported by'], 'not_supported'),
    ('mdm_account_info', 'mobileiron_core', dict(names=['X Corp']), ['not supported by'], 'not_supported'),
    ('mdm_account_info', 'mobileiron_cloud', dict(names=['X Corp']), ['not supported by'], 'not_supported'),
    ('mdm_user', 'mobileiron_cloud', dict(uid='x@example.com', source='ldap'), ['option source'], None),
    ('mdm_user', 'mobileiron_cloud', dict(uid='x@example.com', state='absent', invite=True), ['state=present only'], None),
    ('mdm_user', 'mobileiron_cloud', dict(uid='x@example.com', update_password='always'), ['option user_password'], None),
    ('mdm_user', 'mobileiron_core', dict(uid='a@b.c'), ['not supported by MobileIron Core'], 'not_supported'),
    ('mdm_user_info', 'manageengine', dict(), ['not supported by ManageEngine MDM'], 'not_supported'),
    ('mdm_device', 'manageengine', dict(devices=ME[:1], apps=[{'id': 'abc'}]), ['apps[0].id'], None),
    ('mdm_device', 'manageengine', dict(devices=ME[:1], apps=[{'id': '9007199254740997', 'state': 'absent', 'silent_install': True}]),
     ['state=present only'], None),
    ('mdm_device', 'maas360', dict(devices=['a2e13f1d'], profiles=[{'id': '12356'}]), [], 'not_supported'),
    ('mdm_device', 'mobileiron_core', dict(devices=['a57dcd91-f9a4-428e-bd47-3dd96bb7e1f9'], profiles=[{'id': '12356'}]), [],
     'not_supported'),
    ('mdm_device', 'mobileiron_cloud', dict(devices=['42'], profiles=[{'id': '12356'}]), [], 'not_supported'),
]


@pytest.mark.parametrize('module,vendor,args,words,error_type', GUARDS,
                         ids=['%s-%s-%s' % (case[0], case[1], '-'.join(sorted(case[2]))) for case in GUARDS])
def test_guards_refuse_before_any_request(module_main, module, vendor, args, words, error_type):
    run = module_main(MODULES[module], dict(CONNS[vendor], **args))
    assert run.failed, run.result
    assert not missing(run.msg, words), run.msg
    if error_type:
        assert run.result['error_type'] == error_type
    assert run.requests == []
