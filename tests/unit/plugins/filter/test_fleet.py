# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet filters behind the fleet_report and label_sync roles."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
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
    assert summary['compliance'] == [['compliant', 2], ['non-compliant', 1], ['unknown', 1]]
    assert summary['ownership'] == [['company', 3], ['employee', 1]]
    assert dict(summary['last_seen']) == {'< 1 day': 1, '1-7 days': 0, '7-30 days': 1, '30-90 days': 0, '> 90 days': 1,
                                          'never': 1}
    assert summary['stale'] == 1 and summary['stale_after_days'] == 90
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
