# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.device import (
    device_matches,
    iso_from_epoch_ms,
    iso_from_text,
    make_device,
    platform_of,
    validate_neutral_filters,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.session import list_pages
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import VendorSession


def fake_pages(total, page_size, grow_after=None, grown_total=None):
    """fetch(start) over a list of ints; optionally the total grows after a number of calls."""
    calls = []
    lock = threading.Lock()
    state = {'total': total}

    def fetch(start):
        with lock:
            calls.append(start)
            if grow_after is not None and len(calls) > grow_after:
                state['total'] = grown_total
            current = state['total']
        return list(range(start, min(start + page_size, current))), current
    return fetch, calls


def index_pages(fetch, page_size, concurrency):
    """A listing addressed by index whose items are their own ids, ``fetch(start) -> (items, total)``, through the
    one paging engine."""
    return list_pages(lambda start, _size: fetch(start), None, page_size, concurrency=concurrency)


@pytest.mark.parametrize('total,page_size,concurrency', [(0, 10, 4), (5, 10, 4), (10, 10, 4), (11, 10, 1), (1234, 200, 4), (1000, 100, 8)])
def test_index_pages_are_complete_and_ordered(total, page_size, concurrency):
    fetch, calls = fake_pages(total, page_size)
    items = list(index_pages(fetch, page_size, concurrency))
    assert items == list(range(total))
    # Pages after the first overlap the previous one by a row (session.py): ceil((n - 1) / (P - 1)) requests.
    expected_requests = max(1, -(-(total - 1) // (page_size - 1)))
    assert len(calls) == expected_requests


def test_index_pages_follow_a_growing_total():
    fetch, _calls = fake_pages(25, 10, grow_after=1, grown_total=37)
    items = list(index_pages(fetch, 10, 2))
    assert items == list(range(37))


def test_index_pages_without_total_stop_on_short_page():
    def fetch(start):
        return list(range(start, min(start + 10, 23))), None
    assert list(index_pages(fetch, 10, 4)) == list(range(23))


@pytest.mark.parametrize('value,platform', [('iOS', 'ios'), ('Android', 'android'), ('Mac OS X', 'macos'), ('macOS', 'macos'),
                                            ('Windows Phone', 'windows'), ('WINDOWS', 'windows'), ('iPadOS', 'ios'),
                                            ('Symbian', 'other'), (None, 'other')])
def test_platform_of(value, platform):
    assert platform_of(value) == platform


def test_dates():
    assert iso_from_epoch_ms(1530057600000) == '2018-06-27T00:00:00Z'
    assert iso_from_epoch_ms(-1) is None
    assert iso_from_text('2026-11-20T08:15:00.123+01:00') == '2026-11-20T07:15:00Z'
    assert iso_from_text('2026-11-20 08:15:00') == '2026-11-20T08:15:00Z'
    assert iso_from_text('1530057600000') == '2018-06-27T00:00:00Z'


def test_make_device_fills_every_field():
    device = make_device('manageengine', raw={'a': 1}, device_id=9007199254741001, imei=357327071694307.0, platform='ios',
                         labels=['b', 'a', 'a', None])
    assert device['mdm_device_id'] == '9007199254741001'
    assert device['mdm_imei'] == '357327071694307'
    assert device['mdm_ownership'] == 'unknown'
    assert device['mdm_status'] == 'other'
    assert device['mdm_labels'] == ['a', 'b']
    assert 'mdm_raw' not in device
    assert make_device('maas360', raw={'a': 1}, include_raw=True)['mdm_raw'] == {'a': 1}


def test_neutral_filters_validation():
    assert validate_neutral_filters({'platform': 'iOS', 'compliant': 'false'}) == {'platform': ['ios'], 'compliant': [False]}
    with pytest.raises(InvalidInputError) as err:
        validate_neutral_filters({'os': 'ios'})
    assert 'option filters' in str(err.value) and 'platform' in str(err.value)
    with pytest.raises(InvalidInputError) as err:
        validate_neutral_filters({'platform': 'blackberry'})
    assert 'filters.platform' in str(err.value) and 'android, ios' in str(err.value)


def test_device_matches():
    device = make_device('maas360', name='Alice iPhone', platform='ios', compliant=False, labels=['Sales', 'VIP'])
    assert device_matches(device, validate_neutral_filters({'name': 'alice*', 'platform': ['ios', 'android']}))
    assert device_matches(device, validate_neutral_filters({'label': 'vip', 'compliant': False}))
    assert not device_matches(device, validate_neutral_filters({'compliant': True}))
    assert not device_matches(device, validate_neutral_filters({'label': 'finance'}))


class FakeTransport:
    def add_secret(self, value):
        pass


class LabelledAdapter(VendorSession):
    """Three devices; the vendor reports labels only through label_memberships()."""

    name = 'mobileiron_core'
    max_page_size = 10

    def __init__(self):
        super(LabelledAdapter, self).__init__({}, FakeTransport())
        self.membership_calls = 0

    def _login(self):
        return {}, None

    def iter_device_records(self, vendor_params, page_size, concurrency):
        return iter([{'id': 'a', 'platform': 'iOS'}, {'id': 'b', 'platform': 'Android'}, {'id': 'c', 'platform': 'iOS'}])

    def get_device_record(self, device_id):
        return None

    def device_id_of(self, raw):
        return raw['id']

    def normalise(self, raw, include_raw=False):
        return make_device(self.name, raw=raw, device_id=raw['id'], platform=platform_of(raw['platform']),
                           labels=['built-in'] if raw['id'] == 'c' else [])

    def label_memberships(self, device_ids, concurrency):
        self.membership_calls += 1
        return {'a': ['Sales', 'EMEA'], 'c': ['Sales'], 'gone': ['Sales']}


def test_labels_are_fetched_only_when_asked_and_merged():
    adapter = LabelledAdapter()
    plain = adapter.list_devices()
    assert adapter.membership_calls == 0
    assert [device['mdm_labels'] for device in plain] == [[], [], ['built-in']]
    labelled = adapter.list_devices(labels=True)
    assert adapter.membership_calls == 1
    assert [device['mdm_labels'] for device in labelled] == [['EMEA', 'Sales'], [], ['Sales', 'built-in']]


def test_a_label_filter_fetches_labels_and_applies_after_them():
    adapter = LabelledAdapter()
    found = adapter.list_devices(filters={'label': 'sal*', 'platform': 'ios'})
    assert adapter.membership_calls == 1
    assert [device['mdm_device_id'] for device in found] == ['a', 'c']


def test_labels_unsupported_by_default():
    class NoLabels(LabelledAdapter):
        label_memberships = VendorSession.label_memberships

    with pytest.raises(Exception) as caught:
        NoLabels().list_devices(labels=True)
    assert 'not supported' in str(caught.value)
