# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The "inconsistent listing blocks writes" guard: mdm_device_action with a selector and mdm_label with purge fail
before any write on a listing that drifted on every pass, unless allow_inconsistent_listing is set; mdm_device_info
returns the listing report and warns."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import ActionSpec, default_precheck, result
from ansible_collections.fleetops.mdm.plugins.module_utils.session import InconsistentListingError, Page, list_pages
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import VendorSession
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_action, mdm_device_info, mdm_label


def drifting_fetch(rows, grow_every_request=True):
    """A listing whose total grows on every request: drift on every pass."""
    ids = ['d%d' % n for n in range(1, rows + 1)]

    def fetch(start, size):
        if grow_every_request:
            ids.append('d%d' % (len(ids) + 1))
        return Page([{'id': item} for item in ids[start:start + size]], len(ids))
    return fetch


def steady_fetch(rows):
    ids = ['d%d' % n for n in range(1, rows + 1)]
    return lambda start, size: Page([{'id': item} for item in ids[start:start + size]], len(ids))


class Fleet:
    """Just enough of an adapter: the real paging engine and report collection of VendorSession over a scripted
    listing, and a recorder of writes."""
    name = 'mobileiron_core'
    # Paged by index (MobileIron Core) unless a test pages by number as MaaS360 does.
    page_numbers = False
    listing_reports = VendorSession.listing_reports
    list_pages = VendorSession.list_pages
    selection_report = VendorSession.selection_report

    @property
    def capabilities(self):
        """The session plays every capability these modules ask the registry for."""
        return dict.fromkeys(('devices', 'actions', 'labels', 'label_writes'), self)

    def __init__(self, fetch):
        self.fetch = fetch
        self.writes = []

    # mdm_device_action / mdm_device_info
    def list_devices(self, concurrency=4, **_kwargs):
        mark = self.listing_reports.mark()
        records = self.list_pages(self.fetch, 10, concurrency, key=lambda raw: raw['id'], what='devices',
                                  page_numbers=self.page_numbers)
        devices = [dict(mdm_device_id=raw['id'], mdm_platform='ios', mdm_status='active', mdm_labels=[]) for raw in records]
        from ansible_collections.fleetops.mdm.plugins.module_utils.session import Listing
        return Listing(devices, self.selection_report(mark, records))

    def action_catalogue(self):
        return {'lock': ActionSpec('lock', 'lock', batch=512)}

    def check_action(self, spec, params):
        return {}

    def precheck_action(self, spec, devices):
        return default_precheck(spec, devices)

    def send_action(self, spec, params, devices, concurrency=4):
        self.writes.append(('send_action', list(devices)))
        return [result(device, 'sent', 'accepted') for device in devices]

    # mdm_label
    def check_label_writes(self, devices):
        return list(devices)

    def list_labels(self, with_members=False, concurrency=4, select=None):
        members = self.list_pages(self.fetch, 10, 1, key=lambda raw: raw['id'], what='members of label Kiosk',
                                  page_numbers=self.page_numbers)
        return [{'id': '7', 'name': 'Kiosk', 'device_count': len(members), 'members': [raw['id'] for raw in members]}]

    def change_label_members(self, labels, additions, removals, concurrency=4):
        self.writes.append(('change_label_members', additions, removals))
        return 1, []


class Module:
    def __init__(self, check_mode=False, **params):
        self.params = params
        self.check_mode = check_mode
        self.no_log = False
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


ACTION = dict(action='lock', vendor_action=None, devices=None, filters=None, vendor_filters=None, label=None, query=None,
              all_devices=True, text=None, subject=None, message_type=None, params={}, max_devices=None, wait=False,
              wait_timeout=300, wait_interval=5, fail_on_partial=True, concurrency=4)


def test_a_selection_from_an_inconsistent_listing_sends_nothing_and_names_the_drift():
    fleet = Fleet(drifting_fetch(35))
    with pytest.raises(InconsistentListingError) as info:
        mdm_device_action.run(Module(**ACTION), fleet)
    assert fleet.writes == []
    text = str(info.value)
    assert 'allow_inconsistent_listing' in text and 'total_changed' in text and 'Nothing was written' in text
    failure = info.value.to_dict()
    assert failure['error_type'] == 'inconsistent_listing'
    assert failure['listing']['consistent'] is False and failure['listing']['passes'] == 3


def test_allow_inconsistent_listing_acts_and_warns_with_the_numbers():
    fleet = Fleet(drifting_fetch(35))
    module = Module(allow_inconsistent_listing=True, **ACTION)
    changed, report, _diff = mdm_device_action.run(module, fleet)
    assert changed and len(fleet.writes) == 1
    assert any('not consistent' in warning and 'listed' in warning for warning in module.warnings)


def test_a_consistent_selection_acts_without_warning():
    fleet = Fleet(steady_fetch(35))
    module = Module(**ACTION)
    mdm_device_action.run(module, fleet)
    assert fleet.writes == [('send_action', ['d%d' % n for n in range(1, 36)])]
    assert module.warnings == []


def balanced_churn_fetch(rows, churn_requests):
    """A listing paged by number (MaaS360) where, before each request numbered in ``churn_requests``, the first device
    is removed and one enrolled: the total and the count never change and no id comes twice, so no pass sees drift,
    while the rows after the cursor shift back by one (a device slips onto a page already read).  The removed ids are
    kept in ``fetch.removed``."""
    ids = ['d%d' % n for n in range(1, rows + 1)]
    state = {'requests': 0, 'next': rows + 1}

    def fetch(start, size):
        state['requests'] += 1
        if state['requests'] in churn_requests:
            fetch.removed.append(ids.pop(0))
            ids.append('d%d' % state['next'])
            state['next'] += 1
        return Page([{'id': item} for item in ids[start:start + size]], len(ids))
    fetch.removed = []
    return fetch


def page_number_fleet(fetch):
    fleet = Fleet(fetch)
    fleet.page_numbers = True
    return fleet


def test_a_selection_over_page_numbers_with_churn_on_every_pass_sends_nothing():
    """Balanced churn during every pass of a page-number listing: each pass is drift-free, yet no two passes list the
    same devices, so the selection is not confirmed and nothing is written (one pass alone lost a device silently)."""
    fleet = page_number_fleet(balanced_churn_fetch(35, churn_requests=range(2, 100)))
    # One page at a time: with concurrent pages the order of the requests (and so where the churn lands) is up to the
    # threads, and a pass may then see a repeated id instead, which is drift of another kind.
    one_at_a_time = dict(ACTION)
    one_at_a_time['concurrency'] = 1
    with pytest.raises(InconsistentListingError) as info:
        mdm_device_action.run(Module(**one_at_a_time), fleet)
    assert fleet.writes == []
    failure = info.value.to_dict()
    assert failure['listing']['confirmed'] is False and failure['listing']['passes'] == 3
    assert 'passes_differ' in str(info.value)


def test_a_selection_over_page_numbers_with_churn_in_one_pass_acts_on_every_device_present_all_along():
    fetch = balanced_churn_fetch(35, churn_requests=(2,))
    fleet = page_number_fleet(fetch)
    module = Module(**ACTION)
    mdm_device_action.run(module, fleet)
    sent = fleet.writes[0][1]
    present_all_along = set('d%d' % n for n in range(1, 36)) - set(fetch.removed)
    assert present_all_along <= set(sent), 'missed %s' % sorted(present_all_along - set(sent))
    assert len(fleet.writes) == 1 and module.warnings == []


def test_purge_over_page_numbers_with_churn_on_every_pass_writes_nothing():
    fleet = page_number_fleet(balanced_churn_fetch(25, churn_requests=range(2, 100)))
    with pytest.raises(InconsistentListingError):
        mdm_label.run(Module(**LABEL), fleet)
    assert fleet.writes == []


def test_device_info_confirms_a_page_number_listing_only_when_asked():
    for confirm, passes, confirmed in ((False, 1, None), (True, 2, True)):
        params = dict(INFO, confirm_listing=confirm)
        fleet = page_number_fleet(steady_fetch(35))
        _changed, result_, _diff = mdm_device_info.run(Module(**params), fleet)
        assert (result_['listing']['passes'], result_['listing']['confirmed']) == (passes, confirmed)
        assert len(result_['devices']) == 35


LABEL = dict(labels=['Kiosk'], devices=['d1'], state='present', purge=True, concurrency=1)


def test_purge_over_an_inconsistent_member_listing_writes_nothing():
    fleet = Fleet(drifting_fetch(25))
    with pytest.raises(InconsistentListingError) as info:
        mdm_label.run(Module(**LABEL), fleet)
    assert fleet.writes == []
    assert 'members of label Kiosk' in str(info.value)


def test_purge_over_a_consistent_member_listing_removes_the_others():
    fleet = Fleet(steady_fetch(3))
    changed, _result, _diff = mdm_label.run(Module(**LABEL), fleet)
    assert changed and fleet.writes == [('change_label_members', {}, {'Kiosk': ['d2', 'd3']})]


def test_adding_without_purge_is_not_guarded():
    fleet = Fleet(drifting_fetch(25))
    params = dict(LABEL)
    params.update(purge=False, devices=['d99'])
    changed, _result, _diff = mdm_label.run(Module(**params), fleet)
    assert changed and fleet.writes[0][1] == {'Kiosk': ['d99']}


INFO = dict(device_id=None, filters=None, vendor_filters=None, include_raw=False, page_size=None, concurrency=4,
            fetch_labels=False, gather=None, gather_params=None, gather_firmware_password=False)


@pytest.mark.parametrize('fetch,consistent', [(steady_fetch(35), True), (drifting_fetch(35), False)])
def test_device_info_returns_the_listing_report_and_warns_when_inconsistent(fetch, consistent):
    module = Module(**INFO)
    changed, result_, _diff = mdm_device_info.run(module, Fleet(fetch))
    assert changed is False
    listing = result_['listing']
    assert listing['consistent'] is consistent
    assert listing['listed'] == len(result_['devices'])
    assert listing['passes'] == (1 if consistent else 3)
    assert bool(module.warnings) is not consistent
    if not consistent:
        assert 'total_changed' in module.warnings[0] and str(listing['listed']) in module.warnings[0]


def test_list_pages_keeps_every_report_of_an_adapter():
    fleet = Fleet(steady_fetch(5))
    mark = fleet.listing_reports.mark()
    fleet.list_pages(steady_fetch(5), 10, 1, key=lambda raw: raw['id'], what='a')
    fleet.list_pages(drifting_fetch(25), 10, 1, key=lambda raw: raw['id'], what='b')
    combined = fleet.selection_report(mark)
    assert combined.what == 'a' and not combined.consistent
    assert all(item['detail'].startswith('b: ') for item in combined.drift)


def test_a_listing_of_items_that_are_their_own_ids_works_through_the_engine():
    items = list_pages(lambda start, _size: (list(range(start, min(start + 10, 23))), 23), None, 10, concurrency=2)
    assert list(items) == list(range(23)) and items.report.consistent
    assert list_pages(steady_fetch(0), None, 10).report.listed == 0
