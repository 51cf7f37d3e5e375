# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host names of the devices inventory plugin: unique, and stable by default while other devices come and go."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random

import pytest
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


@pytest.mark.parametrize('value,expected', [
    (' Mia  iPad ', 'Mia_iPad'),                   # runs of other characters become one _, ends trimmed
    ('jane@example.com', 'jane@example.com'),       # . @ - are kept: an e-mail address stays readable
    ('host-1.corp', 'host-1.corp'),
    ('d:4', 'd_4'),                                 # one colon would be read as host:port by AWX
    ('x/y\\z', 'x_y_z'),
    ("{{ lookup('pipe', 'id') }}", 'lookup_pipe_id'),  # no brace survives: a host name is never a template
    ('{% raw %}', 'raw'),
    ('\u00c4\u00d6', None),                         # nothing left: an empty name
    ('___', None),
    ('  ', None),
    ('', None),
    (None, None),
    (0, '0'),
])
def test_sanitising_keeps_letters_digits_and_dot_underscore_dash_at(value, expected):
    assert plugin.sanitize_host_name(value) == expected


def test_template_like_names_become_plain_host_names():
    fleet = [device('d1', "{{ lookup('env', 'HOME') }}"), device('d2', '{# x #}'), device('d3', 'Mia')]
    names, warnings = names_of(fleet, ['name', 'id'])
    assert names == {'d1': 'lookup_env_HOME', 'd2': 'x', 'd3': 'Mia'}
    assert warnings == []
    assert not any(set('{}%#') & set(name) for name in names.values())


def test_names_that_collide_only_after_sanitising_fall_back_with_a_warning():
    fleet = [device('d1', 'Kiosk 1', 'S1'), device('d2', 'Kiosk/1', 'S2'), device('d3', 'Kiosk 2', 'S3')]
    names, warnings = names_of(fleet, ['name', 'serial', 'id'])
    assert names == {'d1': 'S1', 'd2': 'S2', 'd3': 'Kiosk_2'}
    assert len(warnings) == 1
    assert warnings[0].startswith('2 device(s) share their name with another device')
    assert 'Kiosk_1 -> S1' in warnings[0] and 'Kiosk_1 -> S2' in warnings[0]


def test_empty_and_unusable_names_fall_back_with_their_own_warning():
    fleet = [device('d1', None, 'S1'), device('d2', '   ', 'S2'), device('d3', '\u00c4\u00d6', None), device('d4', 'Tom')]
    names, warnings = names_of(fleet, ['name', 'serial', 'id'])
    assert names == {'d1': 'S1', 'd2': 'S2', 'd3': 'd3', 'd4': 'Tom'}
    assert warnings == ['3 device(s) have no name and were named by the next hostnames preference']


def test_a_name_equal_to_another_hosts_id_never_merges_two_devices():
    # d1 has no name and is named after its id; d2 is called "d1": it must not become the same host.
    fleet = [device('d2', 'd1'), device('d1', None)]
    names, warnings = names_of(fleet, ['name', 'id'])
    assert names == {'d1': 'd1', 'd2': 'd2'}
    assert len(set(names.values())) == 2
    assert any('no name' in warning for warning in warnings)


def test_the_id_is_always_the_last_resort_even_when_not_asked_for():
    fleet = [device('d1', 'kiosk', 'S1'), device('d2', 'kiosk', 'S1'), device('d3', 'kiosk', None)]
    names, warnings = names_of(fleet, ['name', 'serial'])
    assert names == {'d1': 'd1', 'd2': 'd2', 'd3': 'd3'}
    assert warnings[0].startswith('3 device(s) share their name')


def test_other_preferences_name_hosts_by_serial_user_email_udid_imei_user():
    fleet = [dict(mdm_device_id='d1', mdm_serial='C02X', mdm_user_email='jane@example.com', mdm_udid='U-1', mdm_imei='3569',
                  mdm_user='jane')]
    for preference, expected in (('serial', 'C02X'), ('user_email', 'jane@example.com'), ('udid', 'U-1'), ('imei', '3569'),
                                 ('user', 'jane'), ('id', 'd1')):
        assert names_of(fleet, [preference])[0] == {'d1': expected}, preference
    documented = yaml.safe_load(plugin.DOCUMENTATION)['options']['hostnames']['choices']
    assert sorted(documented) == sorted(['name', 'serial', 'id', 'udid', 'imei', 'user_email', 'user'])


def test_names_do_not_depend_on_the_order_the_server_listed_the_devices_in():
    fleet = [device('d%02d' % number, 'kiosk' if number % 3 else 'Mia-%d' % number, 'S%d' % (number % 4)) for number in range(12)]
    expected = names_of(fleet, ['name', 'serial', 'id'])
    for seed in range(5):
        shuffled = list(fleet)
        random.Random(seed).shuffle(shuffled)
        assert names_of(shuffled, ['name', 'serial', 'id']) == expected


def test_the_warning_names_at_most_five_examples():
    fleet = [device('d%d' % number, 'kiosk') for number in range(8)]
    names, warnings = names_of(fleet, ['name', 'id'])
    assert sorted(names.values()) == sorted('d%d' % number for number in range(8))
    assert warnings[0].startswith('8 device(s) share their name') and warnings[0].count('kiosk -> ') == 5


def test_ids_that_collide_after_sanitising_get_a_suffix_and_a_warning():
    # Vendor ids are unique, but two may sanitise alike ("a:1" and "a/1"): the hosts stay two, and the suffixed name
    # (which depends on the other device being listed) is warned about like any other fallback.
    fleet = [device('a:1', 'x'), device('a/1', 'x')]
    names, warnings = names_of(fleet, ['name', 'id'])
    assert names == {'a/1': 'a_1', 'a:1': 'a_1_2'}
    assert len(warnings) == 2
    assert 'share their name' in warnings[0]
    assert warnings[1] == ('2 device(s) share every hostnames preference, the device id included once sanitised, with another '
                           'device and were named after the id with a suffix (e.g. a:1 -> a_1_2)')


def test_the_default_warns_only_of_the_suffix_when_ids_collide_after_sanitising():
    names, warnings = names_of([device('a:1', 'x'), device('a/1', 'y'), device('b', 'z')], DEFAULT)
    assert names == {'a/1': 'a_1', 'a:1': 'a_1_2', 'b': 'b'}
    assert len(warnings) == 1 and warnings[0].startswith('2 device(s) share every hostnames preference')
