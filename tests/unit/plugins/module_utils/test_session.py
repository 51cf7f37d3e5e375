# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The paging engine (module_utils/session.py) against a scripted server that misbehaves as real servers do:
pages capped below the size asked for, totals that drift or are off, devices removed and enrolled between page
requests, ids repeated across pages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import random
import threading
import time

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.session import LISTING_PASSES, Page, list_pages


class Server:
    """A listing of ids in a stable order, addressed by index (or by page number with ``page_numbers``).

    cap: the most rows a page holds (echoed as the page size with ``echo``); total_offset: added to every total;
    before(request_number, server): a hook that changes the fleet before a request is answered; shift_pages: page
    starts answered ``shift_rows`` rows early (ids of the previous page repeated); has_more: answer a Core-like hasMore.
    """

    def __init__(self, n, cap=None, echo=False, total_offset=0, before=None, shift_pages=(), has_more=False,
                 page_numbers=False, delay=0.0, shift_rows=1):
        self.ids = list(range(1, n + 1))
        self.next_id = n + 1
        self.cap = cap
        self.echo = echo
        self.total_offset = total_offset
        self.before = before
        self.shift_pages = set(shift_pages)
        self.shift_rows = shift_rows
        self.has_more = has_more
        self.page_numbers = page_numbers
        self.delay = delay
        self.requests = []
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0

    def enrol(self, count=1):
        for _unused in range(count):
            self.ids.append(self.next_id)
            self.next_id += 1

    def remove_at(self, index):
        return self.ids.pop(index)

    def fetch(self, start, size):
        with self.lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            if self.delay:
                time.sleep(self.delay)
            with self.lock:
                self.requests.append((start, size))
                if self.before:
                    self.before(len(self.requests), self)
                real = min(size, self.cap) if self.cap else size
                if self.page_numbers:
                    assert start % size == 0, 'a page-number listing must ask for whole pages'
                    start = (start // size) * real
                if start in self.shift_pages and start > 0:
                    start = max(0, start - self.shift_rows)
                rows = self.ids[start:start + real]
                more = start + len(rows) < len(self.ids)
                return Page(rows, len(self.ids) + self.total_offset, has_more=more if self.has_more else None,
                            page_size=real if self.echo else None)
        finally:
            with self.lock:
                self.active -= 1


def listing(server, page_size=100, concurrency=4):
    return list_pages(server.fetch, None, page_size, concurrency=concurrency, what='devices',
                      page_numbers=server.page_numbers)


def minimum_requests(n, page_size, page_numbers):
    """The requests of one pass: ceil(n / P) by page number; by index, every page after the first overlaps the one
    before by a row, so ceil((n - 1) / (P - 1))."""
    if page_numbers or n <= page_size:
        return max(1, math.ceil(n / float(page_size)))
    return math.ceil((n - 1) / float(page_size - 1))


@pytest.mark.parametrize('n,page_size', [(0, 100), (1, 100), (100, 100), (101, 100), (2000, 200), (2345, 250)])
@pytest.mark.parametrize('page_numbers', [False, True])
def test_a_well_behaved_server_costs_the_minimum_requests_in_one_pass(n, page_size, page_numbers):
    server = Server(n, page_numbers=page_numbers, delay=0.002)
    result = listing(server, page_size)
    assert list(result) == list(range(1, n + 1))
    assert len(server.requests) == minimum_requests(n, page_size, page_numbers)
    if not page_numbers:
        # Each page after the first begins at the previous page's last row.
        starts = sorted(start for start, _size in server.requests)
        assert all(later == earlier + page_size - 1 for earlier, later in zip(starts, starts[1:]))
    report = result.report
    assert (report.consistent, report.passes, report.listed, report.server_total, report.drift) == (True, 1, n, n, [])
    assert report.requests == len(server.requests)
    if n > 3 * page_size:
        assert server.most_active > 1, 'the pages after the first are fetched concurrently'


@pytest.mark.parametrize('echo,page_numbers', [(False, False), (True, False), (True, True)])
def test_a_page_cap_is_learned_from_the_first_answer(echo, page_numbers):
    # A MaaS360 search answered pageSize 25 when 250 was asked (NOTES.md); other servers cap without saying so.
    server = Server(2000, cap=25, echo=echo, page_numbers=page_numbers)
    result = listing(server, 250)
    assert sorted(result) == list(range(1, 2001))
    assert len(result) == 2000
    assert result.report.consistent and result.report.passes == 1
    assert result.report.page_size == 25
    assert len(server.requests) == minimum_requests(2000, 25, page_numbers)
    if page_numbers:
        # Page numbers count pages of the real size: page 2 is asked as (25, 25), never as page 2 of 250.
        assert all(size == 25 for _start, size in server.requests[1:])


def test_a_total_that_grows_between_pages_is_drift_and_a_second_pass_lists_everything():
    def before(number, server):
        if number == 3:
            server.enrol(7)
    server = Server(1000, before=before)
    result = listing(server, 100)
    assert sorted(result) == list(range(1, 1008))
    assert result.report.passes == 2 and result.report.consistent
    assert [item['kind'] for item in result.report.drift if item['pass'] == 1][0] == 'total_changed'


def test_removals_before_the_offset_never_lose_a_device_present_all_along():
    removed = []

    def before(number, server):
        if number in (3, 5):  # between page requests of the first pass, at a low index: later rows shift left
            removed.append(server.remove_at(10 * number))
    server = Server(1000, before=before)
    result = listing(server, 100, concurrency=1)
    present_all_along = set(range(1, 1001)) - set(removed)
    assert present_all_along <= set(result)
    assert len(result) == len(set(result))
    assert result.report.consistent and result.report.passes == 2
    kinds = set(item['kind'] for item in result.report.drift)
    assert 'total_changed' in kinds


def test_the_old_planning_would_have_lost_those_devices():
    """The same removals through a single planned pass (what the removed fetch_index_pages did) lose devices: the test above
    guards against a real failure."""
    server = Server(1000)
    server.remove_at(30)
    lost_by_one_shift = server.ids[99]  # now at index 99: page 2 starts at 100, page 1 ended before the removal
    assert lost_by_one_shift == 101


def test_an_id_repeated_across_pages_is_drift():
    server = Server(1000, shift_pages=[297])
    calls = {'n': 0}
    original = server.fetch

    def once(start, size):
        calls['n'] += 1
        if calls['n'] > 10:
            server.shift_pages = set()  # the shift happens in the first pass only
        return original(start, size)
    result = list_pages(once, None, 100, concurrency=1, what='devices')
    assert sorted(result) == list(range(1, 1001))
    assert result.report.consistent and result.report.passes == 2
    assert 'repeated_id' in [item['kind'] for item in result.report.drift]


def test_a_repeat_on_the_last_page_is_followed_past_the_total():
    # The last page answered one row early repeats an id and, by the total, would end one row short: the engine
    # follows the shifted window one page past the total's end.
    server = Server(1000, shift_pages=[990])
    result = listing(server, 100, concurrency=1)
    assert sorted(result) == list(range(1, 1001))
    assert 'repeated_id' in [item['kind'] for item in result.report.drift]


def test_a_repeat_on_every_pass_is_reported_inconsistent():
    # A server that shifts the same middle page on every pass by 3 rows would hide the rows after it that the next
    # page's overlap row does not reach from every pass: the engine fetches the rows past a shifted window, and the
    # report still says that the server did not hold still (a write selection then refuses to act).
    server = Server(1000, shift_pages=[297], shift_rows=3)
    result = listing(server, 100, concurrency=4)
    assert sorted(result) == list(range(1, 1001))
    assert (297 - 3 + 100, 2) in server.requests  # the filler: the two rows past the shifted window
    assert not result.report.consistent
    assert result.report.passes == LISTING_PASSES
    assert 'repeated_id' in result.report.summary()


@pytest.mark.parametrize('offset', [-5, 5, -100, 37])
def test_a_steady_total_that_is_off_lists_everything_and_two_equal_passes_are_consistent(offset):
    server = Server(2000, total_offset=offset)
    result = listing(server, 200)
    assert sorted(result) == list(range(1, 2001))
    report = result.report
    assert report.consistent and report.passes == 2
    assert report.server_total == 2000 + offset and report.listed == 2000
    assert 'count_mismatch' in [item['kind'] for item in report.drift]


def test_churn_on_every_request_is_inconsistent_after_the_bounded_passes():
    rng = random.Random(3)

    def before(_number, server):
        server.remove_at(rng.randrange(len(server.ids)))
        server.enrol(2)
    server = Server(500, before=before)
    result = listing(server, 50)
    report = result.report
    assert not report.consistent
    assert report.passes == LISTING_PASSES
    assert report.requests == len(server.requests)
    assert len(result) == len(set(result))
    assert 'NOT consistent' in report.summary() and 'total_changed' in report.summary()
    as_dict = report.as_dict()
    assert as_dict['consistent'] is False and as_dict['passes'] == LISTING_PASSES and as_dict['listed'] == len(result)


def test_has_more_beyond_the_total_is_followed():
    # Core carries hasMore: when it says more after the total's last page, the listing goes on.
    server = Server(1000, has_more=True, total_offset=-50)
    result = listing(server, 100)
    assert sorted(result) == list(range(1, 1001))


def test_without_totals_the_listing_runs_until_a_short_page():
    ids = list(range(230))

    def fetch(start, size):
        return Page(ids[start:start + size], None)
    result = list_pages(fetch, None, 100, concurrency=4)
    assert list(result) == ids
    assert result.report.consistent


def churn_of(rng, budget):
    """A hook that removes and enrols up to 12 ids before each request until ``budget`` is spent; and the removed."""
    left = {'budget': budget}
    removed = set()

    def before(_number, server):
        if left['budget'] <= 0:
            return
        for _unused in range(rng.randint(0, 12)):
            removed.add(server.remove_at(rng.randrange(len(server.ids))))
        server.enrol(rng.randint(0, 12))
        left['budget'] -= 12
    return before, removed


def test_random_churn_property_never_loses_a_device_present_all_along():
    """10 % of the fleet removed and enrolled during the first pass, over 25 seeds: every id present for the whole
    listing is listed exactly once."""
    for seed in range(25):
        rng = random.Random(seed)
        before, removed = churn_of(rng, 100)
        server = Server(1000, before=before)
        result = listing(server, 100, concurrency=rng.choice([1, 4]))
        present = set(range(1, 1001)) - removed
        assert present <= set(result), 'seed %d lost %s' % (seed, sorted(present - set(result))[:5])
        assert len(result) == len(set(result))


def test_a_record_listed_twice_on_one_page_is_kept_once_without_a_second_pass():
    # One device written two ways on the same page (fixtures of real servers) is the server's data, not a shifted
    # window: one request, one record, consistent.
    calls = []

    def fetch(start, size):
        calls.append(start)
        return Page(['a', 'b', 'b', 'c'], 4)
    result = list_pages(fetch, None, 100)
    assert list(result) == ['a', 'b', 'c'] and calls == [0]
    assert result.report.consistent and result.report.drift == []


def balanced_churn(at_requests, removed, index=10):
    """A hook that, before each request numbered in ``at_requests``, removes the device at ``index`` (before the
    paging cursor) and enrols one: the total never changes, and every later row shifts back by one."""
    def before(number, server):
        if number in at_requests:
            removed.append(server.remove_at(index))
            server.enrol(1)
    return before


@pytest.mark.parametrize('concurrency', [1, 4])
@pytest.mark.parametrize('has_more', [False, True])
def test_balanced_churn_before_the_cursor_is_seen_and_loses_nothing(concurrency, has_more):
    """The blind spot of totals: one device removed before the cursor and one enrolled between two page requests keep
    the total and the count equal, with no id twice, while the row at the page boundary moves onto a page already
    read.  The overlap row of the next page is then not the previous page's last: drift, and a second pass."""
    removed = []
    server = Server(1000, before=balanced_churn((3,), removed), has_more=has_more)
    result = listing(server, 100, concurrency=concurrency)
    present_all_along = set(range(1, 1001)) - set(removed)
    assert present_all_along <= set(result), 'lost %s' % sorted(present_all_along - set(result))
    assert len(result) == len(set(result))
    report = result.report
    assert 'shifted' in [item['kind'] for item in report.drift if item['pass'] == 1]
    assert report.consistent and report.passes == 2
    assert report.server_total == 1000


def test_balanced_churn_on_every_boundary_of_a_pass_is_seen():
    removed = []
    server = Server(2000, before=balanced_churn(range(2, 22), removed, index=0))
    result = listing(server, 100, concurrency=1)
    assert (set(range(1, 2001)) - set(removed)) <= set(result)
    assert 'shifted' in [item['kind'] for item in result.report.drift]


def test_an_enrolment_before_the_cursor_with_a_removal_after_it_is_seen():
    # The other direction: rows shift forward by one, the total is unchanged; the next page begins one row late.
    def before(number, server):
        if number == 3:
            server.ids.insert(5, server.next_id)
            server.next_id += 1
            server.remove_at(len(server.ids) - 1)
    server = Server(1000, before=before)
    result = listing(server, 100, concurrency=1)
    assert set(range(1, 1000)) <= set(result)
    assert 'shifted' in [item['kind'] for item in result.report.drift if item['pass'] == 1]


def test_the_overlap_row_of_a_page_is_not_a_repeated_id():
    server = Server(450)
    result = listing(server, 100, concurrency=1)
    assert list(result) == list(range(1, 451))
    assert result.report.drift == [] and result.report.listed == 450
    assert server.requests == [(0, 100), (99, 100), (198, 100), (297, 100), (396, 100)]


def test_a_page_cap_of_one_row_pages_without_overlap():
    # A page of one row cannot overlap and still advance: such a server is paged as before, one row a request.
    server = Server(5, cap=1)
    result = listing(server, 100, concurrency=1)
    assert list(result) == [1, 2, 3, 4, 5]
    assert [start for start, _size in server.requests] == [0, 1, 2, 3, 4]


def test_page_number_paging_without_confirm_cannot_see_balanced_churn():
    """The limit that docs/reliability.md states for MaaS360 without a confirming pass: page numbers cannot overlap,
    so a device removed before the cursor and another enrolled between two page requests shift one row onto a page
    already read, unseen by the one pass."""
    removed = []
    server = Server(1000, before=balanced_churn((3,), removed), page_numbers=True)
    result = listing(server, 100, concurrency=1)
    lost = set(range(1, 1001)) - set(removed) - set(result)
    assert len(lost) == 1
    assert result.report.consistent and result.report.passes == 1 and result.report.drift == []
    assert result.report.confirmed is None


@pytest.mark.parametrize('concurrency', [1, 4])
def test_a_confirming_pass_makes_page_number_paging_exact_under_balanced_churn(concurrency):
    """With ``confirm`` a drift-free page-number pass counts only when the pass before listed the same ids: the churn
    of the first pass makes the second list other ids (passes_differ), the third agrees with the second, and the union
    holds every device present all along."""
    removed = []
    server = Server(1000, before=balanced_churn((3,), removed), page_numbers=True)
    result = list_pages(server.fetch, None, 100, concurrency=concurrency, what='devices', page_numbers=True, confirm=True)
    present_all_along = set(range(1, 1001)) - set(removed)
    assert present_all_along <= set(result), 'lost %s' % sorted(present_all_along - set(result))
    assert len(result) == len(set(result))
    report = result.report
    assert (report.consistent, report.confirmed, report.passes) == (True, True, 3)
    assert [(item['pass'], item['kind']) for item in report.drift] == [(2, 'passes_differ')]
    assert report.requests == len(server.requests) == 30
    assert report.as_dict()['confirmed'] is True


def test_a_confirming_pass_costs_one_pass_more_on_a_fleet_that_holds_still():
    server = Server(1000, page_numbers=True)
    result = list_pages(server.fetch, None, 100, concurrency=4, what='devices', page_numbers=True, confirm=True)
    assert list(result) == list(range(1, 1001))
    assert (result.report.consistent, result.report.confirmed, result.report.passes) == (True, True, 2)
    assert len(server.requests) == 20 and result.report.drift == []


def test_page_number_churn_on_every_pass_is_not_confirmed():
    """Balanced churn during every pass: no two passes agree, so the listing is not consistent after the passes limit
    and its report says how the passes differed."""
    removed = []
    server = Server(1000, before=balanced_churn((3, 13, 23), removed), page_numbers=True)
    result = list_pages(server.fetch, None, 100, concurrency=1, what='devices', page_numbers=True, confirm=True)
    report = result.report
    assert (report.consistent, report.confirmed, report.passes) == (False, False, LISTING_PASSES)
    assert [item['kind'] for item in report.drift] == ['passes_differ'] * (LISTING_PASSES - 1)
    assert 'only in pass' in report.drift[0]['detail'] and 'NOT consistent' in report.summary()


def test_confirm_changes_nothing_with_index_paging():
    """Index paging overlaps its pages and sees the shift in one pass: ``confirm`` adds no pass."""
    server = Server(1000)
    result = list_pages(server.fetch, None, 100, concurrency=4, what='devices', confirm=True)
    assert (result.report.passes, result.report.confirmed) == (1, None)
    assert len(server.requests) == minimum_requests(1000, 100, False)


def test_a_steady_wrong_total_on_page_numbers_is_confirmed_by_two_equal_passes():
    server = Server(500, page_numbers=True, total_offset=3)
    result = list_pages(server.fetch, None, 100, what='devices', page_numbers=True, confirm=True)
    assert list(result) == list(range(1, 501))
    assert (result.report.consistent, result.report.confirmed, result.report.passes) == (True, True, 2)


def balanced_churn_of(rng, budget):
    """A hook that removes up to 6 ids anywhere and enrols as many before each request until ``budget`` changes were
    made; and the removed."""
    left = {'budget': budget}
    removed = set()

    def before(_number, server):
        burst = min(rng.randint(0, 6), left['budget'] // 2)
        for _unused in range(burst):
            removed.add(server.remove_at(rng.randrange(len(server.ids))))
        server.enrol(burst)
        left['budget'] -= 2 * burst
    return before, removed


def test_random_balanced_churn_property_never_loses_a_device_present_all_along():
    """Balanced churn (as many enrolled as removed before each request, anywhere in the fleet) of 10 % of the fleet
    during the first pass, over 25 seeds: every id present for the whole listing is listed exactly once."""
    for seed in range(25):
        rng = random.Random('balanced-%d' % seed)
        before, removed = balanced_churn_of(rng, 100)
        server = Server(1000, before=before)
        result = listing(server, rng.choice([50, 100]), concurrency=rng.choice([1, 4]))
        present = set(range(1, 1001)) - removed
        assert present <= set(result), 'seed %d lost %s' % (seed, sorted(present - set(result))[:5])
        assert len(result) == len(set(result))
