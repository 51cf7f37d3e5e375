# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_info ``gather`` in the adapters: the exact HTTP conversation of each fact call."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    InvalidInputError,
    NotSupportedError,
)

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, build

API_KEY = 'D92D4A7E-0B1C-4E5F-8A9B-API-KEY-VALUE'
ME = dict(vendor='manageengine', url='https://mdm.corp.example:8383', api_key=API_KEY)
CORE = dict(vendor='mobileiron_core', url='https://core.example', username='api', password='Core-Pa55word!')
DEVICE = '9007199254741000'
UUID = '2e33329d-fed5-4f56-a2b7-65caa5ef0cfe'
ME_PATH = '/api/v1/mdm/devices/' + DEVICE


def me_get(tail, reply, query=None, status=200):
    return Expect('GET', ME_PATH + '/' + tail, query=query or {}, headers={'Authorization': API_KEY}, reply=reply, status=status)


def page(commands, next_token=None):
    paging = {}
    if next_token:
        # The reference's own example: the next link names another host and path; only its skip-token counts.
        paging['next'] = 'http://localhost:9020/api/v1/mdm/profiles/scepsettings?skip-token=%s' % next_token
    return {'metadata': {'total_record_count': 5}, 'paging': paging, 'delta-token': 'dt', 'commands': commands}


def test_manageengine_command_history_follows_every_skip_token():
    adapter, session, _sleeps = build(ME, [
        me_get('commandhistory', page([{'command_id': 1}, {'command_id': 2}], 'MjozOjE6MTU0Mjk1NDkxMzkxOA==')),
        me_get('commandhistory', page([{'command_id': 3}, {'command_id': 4}], 'second'),
               query={'skip-token': 'MjozOjE6MTU0Mjk1NDkxMzkxOA=='}),
        me_get('commandhistory', page([{'command_id': 5}]), query={'skip-token': 'second'}),
    ])
    plan = adapter.capabilities['facts'].check_gather(['command_history'])
    facts, warnings = adapter.capabilities['facts'].gather_device_facts([DEVICE], plan, concurrency=1)
    session.assert_done()
    assert warnings == []
    history = facts[DEVICE]['command_history']
    assert [command['command_id'] for command in history['commands']] == [1, 2, 3, 4, 5]
    assert history['metadata'] == {'total_record_count': 5}
    assert history['delta-token'] == 'dt'


def test_manageengine_command_history_stops_on_a_repeated_token():
    adapter, session, _sleeps = build(ME, [
        me_get('commandhistory', page([{'command_id': 1}], 'same')),
        me_get('commandhistory', page([{'command_id': 2}], 'same'), query={'skip-token': 'same'}),
    ])
    facts_of = adapter.capabilities['facts']
    facts, _warnings = facts_of.gather_device_facts([DEVICE], facts_of.check_gather(['command_history']), concurrency=1)
    session.assert_done()
    assert len(facts[DEVICE]['command_history']['commands']) == 2


def test_manageengine_location_request_posts_once_then_polls_the_batch():
    adapter, session, _sleeps = build(ME, [
        Expect('POST', ME_PATH + '/locations_with_address', headers={'Authorization': API_KEY},
               json={'id': int(DEVICE), 'no_of_days': 3, 'from': 1522066653883},
               reply={'export_batch_id': 900234566788909, 'wait': 500, 'status': 'SCHEDULED'}),
        me_get('locations_with_address', {'export_batch_id': 900234566788909, 'wait': 2000, 'status': 'IN_PROGRESS'},
               query={'export_batch_id': '900234566788909'}),
        me_get('locations_with_address', {'locations': [{'latitude': 12.8, 'longitude': 80.0, 'address': 'Chennai'}]},
               query={'export_batch_id': '900234566788909'}),
    ])
    pauses = []
    adapter.capabilities['facts'].fact_sleep = pauses.append
    plan = adapter.capabilities['facts'].check_gather(['location_request'], {'no_of_days': 3, 'from': 1522066653883})
    facts, warnings = adapter.capabilities['facts'].gather_device_facts([DEVICE], plan)
    session.assert_done()
    assert warnings == []
    assert facts[DEVICE]['location_request'] == {'export_batch_id': '900234566788909', 'status': 'COMPLETED',
                                                 'locations': [{'latitude': 12.8, 'longitude': 80.0, 'address': 'Chennai'}]}
    # The server's "wait" (milliseconds) sets each pause.
    assert pauses == [0.5, 2.0]


def test_manageengine_location_request_gives_up_after_wait_timeout():
    pending = {'export_batch_id': 7, 'wait': 1000, 'status': 'SCHEDULED'}
    adapter, session, _sleeps = build(ME, [
        Expect('POST', ME_PATH + '/locations_with_address', reply=pending),
        me_get('locations_with_address', pending, query={'export_batch_id': '7'}),
        me_get('locations_with_address', pending, query={'export_batch_id': '7'}),
    ])
    pauses = []
    adapter.capabilities['facts'].fact_sleep = pauses.append
    facts_of = adapter.capabilities['facts']
    facts, _warnings = facts_of.gather_device_facts([DEVICE], facts_of.check_gather(['location_request'], {'wait_timeout': 2}))
    session.assert_done()
    assert pauses == [1.0, 1.0]
    assert facts[DEVICE]['location_request'] == {'export_batch_id': '7', 'status': 'SCHEDULED', 'locations': None}


def test_manageengine_location_request_is_a_write_skipped_in_check_mode():
    adapter, session, _sleeps = build(ME, [me_get('polltime', {'next_poll_time': 1542869208225})])
    plan = adapter.capabilities['facts'].check_gather(['location_request', 'poll_time'])
    facts, warnings = adapter.capabilities['facts'].gather_device_facts([DEVICE], plan, check_mode=True)
    session.assert_done()
    assert facts[DEVICE] == {'location_request': None, 'poll_time': {'next_poll_time': 1542869208225}}
    assert warnings and 'location_request' in warnings[0]


def test_manageengine_not_found_fact_is_none_and_firmware_password_only_on_request():
    adapter, session, _sleeps = build(ME, [
        me_get('filevault', {'error_code': 'COM0008', 'error_description': 'not found'}, status=404),
        me_get('firmware/password', {'firmware_password': 'SampleFirmwarePassword@123', 'resource_id': 1}),
    ])
    plan = adapter.capabilities['facts'].check_gather(['filevault'], firmware_password=True)
    facts, _warnings = adapter.capabilities['facts'].gather_device_facts([DEVICE], plan, concurrency=1)
    session.assert_done()
    assert facts[DEVICE] == {'filevault': None,
                             'firmware_password': {'firmware_password': 'SampleFirmwarePassword@123', 'resource_id': 1}}


def test_manageengine_every_fact_path():
    paths = {'summary': 'summary', 'certificates': 'certificates', 'restrictions': 'restrictions', 'filevault': 'filevault',
             'firmware': 'firmware', 'locations': 'locations', 'locations_with_address': 'locations_with_address',
             'profiles': 'profiles', 'configuration_profiles': 'configurationprofiles', 'apps': 'apps', 'poll_time': 'polltime',
             'actions': 'actions', 'recent_command': 'actions/recent_command', 'scan_status': 'scan', 'privacy': 'privacy'}
    adapter, session, _sleeps = build(ME, [me_get(tail, {'fact': name}) for name, tail in paths.items()], ordered=False)
    facts, _warnings = adapter.capabilities['facts'].gather_device_facts([DEVICE], adapter.capabilities['facts'].check_gather(sorted(paths)), concurrency=4)
    session.assert_done()
    assert facts[DEVICE] == dict((name, {'fact': name}) for name in paths)


@pytest.mark.parametrize('gather,params,fragment', [
    (['apps', 'count'], None, "'count' is not a fact ManageEngine MDM documents"),
    (['apps'], {'query': 'x'}, "unknown ManageEngine MDM gather parameter 'query'"),
    (['location_request'], {'no_of_days': 'seven'}, 'gather_params.no_of_days'),
    (['location_request'], {'from': 5, 'to': 4}, 'from must not be after to'),
])
def test_manageengine_bad_gather_fails_before_any_request(gather, params, fragment):
    adapter, session, _sleeps = build(ME, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['facts'].check_gather(gather, params)
    assert fragment in str(err.value)
    assert session.calls == []


def test_unknown_fact_names_the_vendors_allowed_values():
    adapter, _session, _sleeps = build(ME, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['facts'].check_gather(['nope'])
    assert err.value.allowed == sorted(adapter.capabilities['facts'].FACTS)
    assert 'command_history' in err.value.allowed and 'location_request' in err.value.allowed


@pytest.mark.parametrize('options', [
    dict(vendor='maas360', url='https://services.m3.maas360.com', billing_id='1', username='u', password='p', app_id='a',
         app_version='1', app_access_key='k', platform_id=3),
    dict(vendor='mobileiron_cloud', url='https://cloud.example', username='u', password='p'),
])
def test_other_vendors_do_not_support_gather(options):
    adapter, session, _sleeps = build(options, [])
    with pytest.raises(NotSupportedError):
        require(adapter, 'facts').check_gather(['summary'])
    assert session.calls == []


# -- MobileIron Core ---------------------------------------------------------------------------------------------------
def core(method, path, query, reply, **kwargs):
    return Expect(method, path, query=query, reply=reply, **kwargs)


def test_core_device_facts_paths():
    adapter, session, _sleeps = build(CORE, [
        core('GET', '/api/v2/devices/%s/details' % UUID, {'adminDeviceSpaceId': '1'}, {'results': [], 'totalCount': 0, 'resultCount': 0}),
        core('GET', '/api/v2/devices/simdetails/%s' % UUID, {'adminDeviceSpaceId': '1'}, {'results': [], 'totalCount': 0, 'resultCount': 0}),
        core('GET', '/api/v2/devices/%s/appcompliance' % UUID, {'adminDeviceSpaceId': '1'}, {'results': {'deviceUuid': UUID}}),
        core('GET', '/api/v2/devices/%s/rulecompliance' % UUID, {'adminDeviceSpaceId': '1'}, {'results': [], 'totalCount': 0}),
    ])
    plan = adapter.capabilities['facts'].check_gather(['details', 'sim_details', 'app_compliance', 'rule_compliance'])
    assert plan.fleet_facts == []
    facts, _warnings = adapter.capabilities['facts'].gather_device_facts([UUID], plan, concurrency=1)
    session.assert_done()
    assert facts[UUID]['app_compliance'] == {'results': {'deviceUuid': UUID}}


def test_core_export_pages_5000_rows_a_post_and_reads_the_csv():
    header = 'common.uuid,user.user_id\n'
    first = header + ''.join('u%d,user%d\n' % (number, number) for number in range(5000))
    second = header + 'u5000,"Doe, Jane"\n'
    base = {'adminDeviceSpaceId': '1', 'fieldGroups': 'BASIC,USER', 'query': '', 'labelId': '12', 'limit': '5000'}
    adapter, session, _sleeps = build(CORE, [
        core('POST', '/api/v2/devices', dict(base, offset='0'), first, content_type='text/csv', headers={'Accept': 'text/csv'}),
        core('POST', '/api/v2/devices', dict(base, offset='5000'), second, content_type='text/csv'),
    ])
    plan = adapter.capabilities['facts'].check_gather(['csv_export'], {'fieldGroups': 'basic,user', 'labelId': 12})
    facts, _warnings = adapter.capabilities['facts'].gather_fleet_facts(plan)
    session.assert_done()
    export = facts['csv_export']
    assert export['columns'] == ['common.uuid', 'user.user_id']
    assert len(export['rows']) == 5001
    assert export['rows'][-1] == {'common.uuid': 'u5000', 'user.user_id': 'Doe, Jane'}


def test_core_activesync_report_count_query_test_and_search_fields():
    csv_body = ('DeviceId,MailboxId,Status,SyncStatus,Retired,LastSyncTime,SentryType\n\n'
                'DeviceID-1,a@example.com,Unregistered,Allowed,false,2015-03-30 03:14:57 GMT,Standalone\n')
    query = '"common.manufacturer" starts with "Appl"'
    adapter, session, _sleeps = build(CORE, [
        core('GET', '/api/v2/devices/search_fields', {'adminDeviceSpaceId': '1'}, [{'name': 'uuid', 'type': 'STRING'}]),
        core('GET', '/api/v2/devices/count', {'adminDeviceSpaceId': '1', 'query': query}, {'totalCount': 117}),
        core('GET', '/api/v2/devices/query_test', {'adminDeviceSpaceId': '1', 'query': query}, {'valid': True, 'token': '', 'position': -1}),
        core('GET', '/api/v2/activesync/devicereport', {'daysIdle': '7', 'state': 'q'}, csv_body, content_type='text/csv'),
    ])
    plan = adapter.capabilities['facts'].check_gather(['search_fields', 'count', 'query_test', 'activesync_report'],
                                                      {'query': query, 'daysIdle': 7, 'state': 'Quarantined'})
    facts, warnings = adapter.capabilities['facts'].gather_fleet_facts(plan, check_mode=True)
    session.assert_done()
    assert warnings == []
    assert facts['count'] == {'totalCount': 117}
    assert facts['search_fields'] == [{'name': 'uuid', 'type': 'STRING'}]
    assert facts['activesync_report']['rows'] == [{'DeviceId': 'DeviceID-1', 'MailboxId': 'a@example.com', 'Status': 'Unregistered',
                                                   'SyncStatus': 'Allowed', 'Retired': 'false',
                                                   'LastSyncTime': '2015-03-30 03:14:57 GMT', 'SentryType': 'Standalone'}]


@pytest.mark.parametrize('params,fragment', [
    ({'query': 'x' * 2001}, 'at most 2000'),
    ({'fieldGroups': []}, 'gather_params.fieldGroups'),
    ({'fieldGroups': ['USER'] * 21}, 'gather_params.fieldGroups'),
    ({'fieldGroups': ['LDAP']}, "unknown field group 'LDAP'"),
    ({'daysIdle': -1}, 'gather_params.daysIdle'),
    ({'state': 'lost'}, 'gather_params.state'),
    ({'labelId': 'sales'}, 'gather_params.labelId'),
    ({'no_of_days': 3}, "unknown MobileIron Core gather parameter 'no_of_days'"),
])
def test_core_bad_gather_params_fail_before_any_request(params, fragment):
    adapter, session, _sleeps = build(CORE, [])
    with pytest.raises(InvalidInputError) as err:
        adapter.capabilities['facts'].check_gather(['count'], params)
    assert fragment in str(err.value)
    assert session.calls == []


def test_core_firmware_password_is_not_supported():
    adapter, session, _sleeps = build(CORE, [])
    with pytest.raises(NotSupportedError):
        adapter.capabilities['facts'].check_gather(['details'], firmware_password=True)
    assert session.calls == []
