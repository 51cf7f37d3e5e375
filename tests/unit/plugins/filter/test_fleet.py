# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet filters behind the fleet_report and label_sync roles."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetops.mdm.plugins.filter import fleet

SVG = '{http://www.w3.org/2000/svg}'


def device(device_id, **fields):
    item = dict(mdm_vendor='mobileiron_core', mdm_device_id=device_id, mdm_platform='ios', mdm_os_version='18.1',
                mdm_ownership='company', mdm_status='active', mdm_compliant=True, mdm_last_seen='2025-12-31T12:00:00Z',
                mdm_labels=[])
    item.update(fields)
    return item


FLEET = [
    device('a'),
    device('b', mdm_platform='android', mdm_os_version='14', mdm_ownership='employee', mdm_compliant=False,
           mdm_last_seen='2025-12-20T00:00:00Z'),
    device('c', mdm_platform='android', mdm_os_version='14.1', mdm_compliant=None, mdm_last_seen='2025-08-01T00:00:00Z',
           mdm_status='retired'),
    device('d', mdm_platform='windows', mdm_os_version='10.0.26100', mdm_last_seen=None, mdm_name='=cmd|calc'),
]


def test_fleet_devices_keeps_the_normalised_fields_of_devices_only():
    hostvars = {'host-b': dict(FLEET[1], ansible_host='x', group_names=['g']), 'localhost': {'ansible_connection': 'local'},
                'host-a': dict(FLEET[0], mdm_labels=None)}
    devices = fleet.fleet_devices(hostvars)
    assert [item['mdm_device_id'] for item in devices] == ['a', 'b']
    assert set(devices[0]) == set(fleet.NORMALISED_FIELDS) and devices[0]['mdm_labels'] == []


def test_match_devices_uses_the_neutral_filters_of_mdm_device_info():
    assert [d['mdm_device_id'] for d in fleet.match_devices(FLEET, {'platform': 'android', 'os_version': '14*'})] == ['b', 'c']
    assert [d['mdm_device_id'] for d in fleet.match_devices(FLEET, {'compliant': False})] == ['b']
    assert [d['mdm_device_id'] for d in fleet.match_devices(FLEET, {'ownership': ['employee', 'unknown']})] == ['b']
    assert len(fleet.match_devices(FLEET, {})) == 4
    with pytest.raises(AnsibleFilterError, match='unknown filter'):
        fleet.match_devices(FLEET, {'colour': 'red'})
    with pytest.raises(AnsibleFilterError, match='platform'):
        fleet.match_devices(FLEET, {'platform': 'symbian'})


def test_fleet_summary_counts_every_chart():
    summary = fleet.fleet_summary(FLEET, as_of='2026-01-01T00:00:00Z')
    assert summary['total'] == 4
    assert summary['platforms'] == [['android', 2], ['ios', 1], ['windows', 1]]
    assert summary['os_versions'] == [['android 14', 2], ['ios 18', 1], ['windows 10.0.26100', 1]]
    # c is retired: out of service, outside the compliance figures (it was counted as unknown before).
    assert summary['compliance'] == [['compliant', 2], ['non-compliant', 1]]
    assert summary['in_service'] == 3 and summary['out_of_service'] == 1
    assert summary['ownership'] == [['company', 3], ['employee', 1]]
    assert dict(summary['last_seen']) == {'< 1 day': 1, '1-7 days': 0, '7-30 days': 1, '30-90 days': 0, '> 90 days': 1,
                                          'never': 1}
    # c, the one device seen more than 90 days ago, is retired: no device in service is stale.
    assert summary['stale'] == 0 and summary['stale_after_days'] == 90
    stale_in_service = [dict(FLEET[2], mdm_status='active')] + FLEET[:2]
    assert fleet.fleet_summary(stale_in_service, as_of='2026-01-01T00:00:00Z')['stale'] == 1
    assert fleet.fleet_summary(FLEET, as_of='2026-01-01', age_days=[30])['last_seen'] == [
        ['< 30 days', 2], ['> 30 days', 1], ['never', 1]]
    with pytest.raises(AnsibleFilterError, match='as_of'):
        fleet.fleet_summary(FLEET, as_of='yesterday')


def test_fleet_summary_folds_rare_os_versions():
    devices = [device(str(i), mdm_os_version='%d.0' % i) for i in range(20)]
    versions = fleet.fleet_summary(devices, as_of='2026-01-01', top_os=5)['os_versions']
    assert len(versions) == 5 and versions[-1] == ['other versions', 16]


def test_bar_chart_draws_one_bar_per_value_and_escapes_labels():
    svg = fleet.svg_bar_chart([['<script>', 3], ['ios 18', 1], ['none', 0]], 'OS & versions')
    root = ET.fromstring(svg)
    bars = root.findall('.//%sg/%srect' % (SVG, SVG))
    assert [item.get('class') for item in bars] == ['bar'] * 3
    assert [int(item.get('width')) for item in bars][2] == 0 and int(bars[0].get('width')) > int(bars[1].get('width'))
    assert '<script>' not in svg and '&lt;script&gt;' in svg and root.get('aria-label') == 'OS & versions'


def test_donut_chart_slices_add_up_to_the_circle():
    svg = fleet.svg_donut_chart({'compliant': 3, 'non-compliant': 1, 'unknown': 0}, 'Compliance')
    root = ET.fromstring(svg)
    slices = root.findall('%scircle' % SVG)
    assert len(slices) == 2 and slices[0].get('stroke') == fleet.MEANING_COLOURS['compliant']
    lengths = [float(item.get('stroke-dasharray').split()[0]) for item in slices]
    circumference = sum(float(x) for x in slices[0].get('stroke-dasharray').split())
    assert abs(sum(lengths) - circumference) < 0.05 and abs(lengths[0] - 3 * lengths[1]) < 0.05
    assert 'no devices' in fleet.svg_donut_chart([], 'Empty')
    with pytest.raises(AnsibleFilterError):
        fleet.svg_bar_chart([['x', 'many']], 'Bad')


def test_devices_csv_quotes_formulas_and_joins_labels():
    text = fleet.devices_csv([dict(FLEET[3], mdm_labels=['Sales', 'EMEA'])])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(fleet.NORMALISED_FIELDS)
    row = dict(zip(rows[0], rows[1]))
    assert row['mdm_name'] == "'=cmd|calc" and row['mdm_labels'] == 'Sales;EMEA'
    assert row['mdm_compliant'] == 'true' and row['mdm_last_seen'] == ''
    assert fleet.devices_csv([FLEET[0]], fields=['mdm_device_id']) == 'mdm_device_id\na\n'


def test_fleet_summary_counts_retired_and_wiped_devices_out_of_the_compliance_figures():
    devices = [device('a', mdm_status='retired'), device('b', mdm_status='wiped', mdm_compliant=False),
               device('c', mdm_compliant=False), device('d', mdm_compliant=None, mdm_status='pending')]
    summary = fleet.fleet_summary(devices, as_of='2026-01-01T00:00:00Z')
    assert summary['compliance'] == [['non-compliant', 1], ['unknown', 1]]
    assert (summary['in_service'], summary['out_of_service'], summary['total']) == (2, 2, 4)
    assert summary['status'] == [['active', 1], ['pending', 1], ['retired', 1], ['wiped', 1]]


def test_fleet_summary_as_of_defaults_to_now():
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    as_of = fleet.fleet_summary([], as_of='')['as_of']
    after = datetime.datetime.now(datetime.timezone.utc)
    when = datetime.datetime.fromisoformat(as_of.replace('Z', '+00:00'))
    assert as_of.endswith('Z') and before <= when <= after
    # A device seen a minute ago is seen "< 1 day" ago, whatever the time of day (the start of the day made it "future").
    seen = (after - datetime.timedelta(minutes=1)).isoformat().replace('+00:00', 'Z')
    assert dict(fleet.fleet_summary([device('a', mdm_last_seen=seen)])['last_seen'])['< 1 day'] == 1


VIEW_FLEET = [
    device('a', mdm_name='Anna', mdm_labels=['Sales', 'EMEA'], mdm_last_seen='2025-12-31T20:00:00Z'),
    device('b', mdm_labels=['Sales'], mdm_compliant=False, mdm_last_seen='2025-09-01T00:00:00Z', mdm_os_version='17.7'),
    device('c', mdm_labels=['Sales'], mdm_status='retired', mdm_compliant=False, mdm_last_seen='2025-01-01T00:00:00Z'),
    device('d', mdm_platform='android', mdm_os_version='14', mdm_last_seen='2025-06-01T00:00:00Z', mdm_compliant=None),
    device('e', mdm_platform='android', mdm_os_version='9', mdm_last_seen=None, mdm_compliant=False),
    device('f', mdm_os_version='18.10', mdm_status='wiped', mdm_last_seen=None),
]


def ids(devices):
    return [item['mdm_device_id'] for item in devices]


def test_fleet_views_list_stale_non_compliant_and_out_of_service_devices():
    views = fleet.fleet_views(VIEW_FLEET, as_of='2026-01-01T00:00:00Z')
    # Oldest first; retired c is older still, but out of service; e was never seen (unknown, not stale).
    assert ids(views['stale']) == ['d', 'b'] and [item['age_days'] for item in views['stale']] == [214, 122]
    assert ids(views['non_compliant']) == ['b', 'e']
    assert ids(views['out_of_service']) == ['c', 'f'] and views['stale_after_days'] == 90
    assert views['stale'][0]['mdm_platform'] == 'android'  # the whole device, for the identity columns
    assert fleet.fleet_views(VIEW_FLEET, as_of='2026-01-01T00:00:00Z', age_days=[365])['stale'] == []


def test_fleet_views_per_label_and_per_os_version():
    views = fleet.fleet_views(VIEW_FLEET, as_of='2026-01-01T00:00:00Z')
    assert views['labels'] == [
        dict(label='EMEA', devices=1, compliant=1, non_compliant=0, unknown=0, stale=0, out_of_service=0),
        dict(label='Sales', devices=3, compliant=1, non_compliant=1, unknown=0, stale=1, out_of_service=1)]
    rows = [(row['platform'], row['os_version'], row['devices'], row['newest'], row['platform_share'], row['stale'],
             row['non_compliant']) for row in views['os_versions']]
    # In platform order, newest first by number (14 after 9; 18.10 of the wiped f does not count), in service only.
    assert rows == [('android', '14', 1, True, 50, 1, 0), ('android', '9', 1, False, 50, 0, 1),
                    ('ios', '18.1', 1, True, 50, 0, 0), ('ios', '17.7', 1, False, 50, 1, 1)]


def test_fleet_changes_since_the_previous_report():
    previous = {'summary': {'as_of': '2025-12-01T00:00:00Z'},
                'devices': [device('a', mdm_compliant=True), device('b', mdm_compliant=None), device('gone'),
                            device('e', mdm_compliant=False), dict(device('x'), mdm_vendor='maas360')]}
    changes = fleet.fleet_changes(VIEW_FLEET, previous)
    assert changes['previous_as_of'] == '2025-12-01T00:00:00Z' and changes['previous_total'] == 5
    assert ids(changes['new']) == ['c', 'd', 'f']
    # The same id of another vendor is another device.
    assert sorted(ids(changes['removed'])) == ['gone', 'x']
    # b was unknown and is non-compliant now; e was non-compliant already; c is newly non-compliant but new (and retired).
    assert ids(changes['newly_non_compliant']) == ['b']
    assert ids(fleet.fleet_changes(VIEW_FLEET, previous['devices'])['new']) == ['c', 'd', 'f']
    with pytest.raises(AnsibleFilterError, match='fleet-report.json'):
        fleet.fleet_changes(VIEW_FLEET, {'title': 'no devices'})


def test_device_identity_shows_name_user_and_model_beside_the_id():
    assert fleet.device_identity(device('6150003', mdm_name="Anna's iPhone", mdm_user='anna.smith0', mdm_model='iPhone14,5')) \
        == "6150003 (Anna's iPhone; user anna.smith0; model iPhone14,5)"
    assert fleet.device_identity({'device_id': 7, 'name': '', 'user': None, 'model': 'TC52'}) \
        == '7 (no name; user unknown; model TC52)'
    with pytest.raises(AnsibleFilterError, match='an id'):
        fleet.device_identity({'mdm_name': 'x'})
