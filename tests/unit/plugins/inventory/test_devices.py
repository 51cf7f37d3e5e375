# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host names of the devices inventory plugin: unique, and stable by default while other devices come and go."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

from ansible_collections.fleetops.mdm.plugins.inventory import devices as plugin

DEFAULT = yaml.safe_load(plugin.DOCUMENTATION)['options']['hostnames']['default']


def device(device_id, name, serial=None):
    return dict(mdm_device_id=device_id, mdm_name=name, mdm_serial=serial)


def names_of(devices, preferences):
    names, warnings = plugin.assign_host_names(devices, preferences)
    return dict((item['mdm_device_id'], name) for item, name in zip(devices, names)), warnings


def test_default_names_hosts_after_the_device_id():
    assert DEFAULT == ['id']
    fleet = [device('d1', 'kiosk'), device('d2', 'kiosk'), device('d3', None), device('d:4', 'Mia')]
    names, warnings = names_of(fleet, DEFAULT)
    assert names == {'d1': 'd1', 'd2': 'd2', 'd3': 'd3', 'd:4': 'd_4'}  # no ':' - AWX would read host:port
    assert warnings == []


def test_default_names_do_not_move_when_devices_enrol_or_leave():
    before = [device('d1', 'kiosk', 'S1'), device('d2', 'Mia', 'S2'), device('d3', 'Tom', 'S3')]
    wave = before[1:] + [device('d4', 'kiosk', 'S4'), device('d5', 'Tom', 'S5')]
    first, _warnings = names_of(before, DEFAULT)
    second, _warnings = names_of(wave, DEFAULT)
    assert all(second[key] == first[key] for key in ('d2', 'd3'))
    # The readable preference, for contrast: d3 was "Tom" and becomes its serial once d5 enrols as "Tom" too.
    first, _warnings = names_of(before, ['name', 'serial', 'id'])
    second, warnings = names_of(wave, ['name', 'serial', 'id'])
    assert first['d3'] == 'Tom' and second['d3'] == 'S3'
    assert 'share their name' in warnings[0] and 'hostnames [id]' in warnings[0]
