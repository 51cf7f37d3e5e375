# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one paging engine: every listing of the collection (devices in the modules and the inventory, label and
device-group members, users) goes through list_pages().

Real servers do not page the way their references suggest (NOTES.md, "What real servers send"): a MaaS360 search
answered ``pageSize`` 25 when more was asked, and totals change between pages while devices enrol or are removed,
which shifts every later record by as many rows.  A listing that plans its pages from the size it asked for and the
first page's total then silently drops devices.  So the engine:

- advances by the rows a page actually brought, and learns the server's real page size from the first answer (the
  size the server echoes, or the rows it sent when its end markers say that more follow); page-number paging uses the
  real size, since a page number means ``number x size`` rows;
- plans the remaining pages from the first answer and fetches them ``concurrency`` at a time (a well-behaved server
  costs exactly the requests and the concurrency of a plain listing), then follows every end marker the vendor gives
  (totals, MobileIron Core ``hasMore``, ManageEngine ``paging.next``, an empty page) past the plan when they say more;
- calls it drift when a total changes between pages, a page is short before the end, an id comes twice, or the ids
  listed differ in number from the server's total, and then lists again (at most LISTING_PASSES passes) until a pass
  is consistent; the result is the union of the passes, each id once, so that a device present during the whole
  listing is never lost to a shift of one pass;
- reports what happened (ListingReport): modules return it, warn when it is not consistent, and a selection that
  feeds a write refuses to act on an inconsistent listing unless the user allows it.

- pages an index-paged listing with a one-row overlap: every page after the first starts one row before the next unread
  index and must begin with the previous page's last row.  Any net shift of the rows between two page requests
  (devices removed or enrolled before the cursor, a reordered window) changes that row, and the mismatch is drift
  (``shifted``) like the others.  With concurrent pages the boundaries are checked pairwise after fetching.

Why the overlap closes the blind spot that totals leave (a device removed before the cursor and another enrolled
between the same two page requests keep the total and the count equal, and shift one row onto a page already read):
the server's order is stable for the rows present at both requests, page k is a contiguous window of the rows as the
server held them at its own request, and it begins with b(k-1), the last row of page k-1, and ends with b(k).  When
every boundary matches, a device present for the whole listing lies before b(0), between some b(k-1) and b(k), or
after the last boundary, so it is in page 0, page k, or the last page (which the end markers say reaches the end).
So a lost device implies a mismatch at some boundary.  The price is one row a page: ``ceil((n - 1) / (P - 1))``
requests for n rows in pages of P instead of ``ceil(n / P)``.

Sorting is not sent.  MobileIron Core documents ``sortField`` / ``sortOrder`` (v2 device search reference, ASC by
default) and MobileIron Cloud ``sortFields[0].name`` / ``.order`` (the "Get All Accounts" example); MaaS360's search
takes ``sortAttribute`` lastReported or installedDate (vendor-docs NOTES.md).  A sort keeps the rows present from
changing places among themselves, but a device removed or enrolled before the cursor shifts every row after it all
the same - that is what the overlap sees - and no reference names the default order or a unique sort key (a sort on
a field many devices share need not be stable between requests).  A row that moves across the cursor is seen without
a sort: it changes the row at the boundary, or comes twice.

Page-number paging (MaaS360 ``pageNumber`` with ``pageSize`` in 25, 50, 100, 200, 250) cannot overlap: there, a
device removed and another enrolled between the same two page requests, with no other drift, still shifts one row
past a page boundary unseen: no single pass can tell (the totals, the count and the ids all agree).  What a second
pass can: ``confirm`` (page-number paging only) counts a drift-free pass as consistent only when the pass before it
listed exactly the same ids.  Balanced churn during a pass changes the ids between passes (the removed device is gone,
the enrolled one is new, the one the shift hid comes back), so the listing goes on until two passes agree, and the
union of the passes holds every device present all along; churn that never stops leaves the listing not consistent
(drift ``passes_differ``), and a selection that feeds a write then writes nothing.  The price is one more pass.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import MdmError

# How often a listing is run again after drift before it is reported inconsistent.
LISTING_PASSES = 3
# A server whose end markers never say "the end" is stopped after this many pages of one pass.
MAX_PAGES = 100000

DRIFT_KINDS = ('total_changed', 'short_page', 'repeated_id', 'count_mismatch', 'shifted', 'passes_differ')
# Drift that a server with a wrong but steady total shows on every pass (MaaS360 / Cloud count, ManageEngine
# total_record_count): two passes with the same ids and only these kinds are a stable listing.
TOTAL_OFF_KINDS = frozenset(('short_page', 'count_mismatch'))


class Page:
    """One reply of a listing: its items and the end markers it carries.

    ``total``: the server's count of the whole listing (None when the reply has none); ``has_more``: the server's own
    "more after this page" (MobileIron Core ``hasMore``, a ManageEngine ``paging.next`` link; None when the vendor
    gives no such marker); ``page_size``: the page size the server says it used (MaaS360 echoes ``pageSize``).
    """

    __slots__ = ('items', 'total', 'has_more', 'page_size')

    def __init__(self, items, total=None, has_more=None, page_size=None):
        self.items = list(items)
        self.total = int(total) if total is not None else None
        self.has_more = has_more
        self.page_size = int(page_size) if page_size else None


def as_page(reply):
    """A Page from a fetch function's reply: a Page, or ``(items, total)``."""
    if isinstance(reply, Page):
        return reply
    items, total = reply
    return Page(items, total)


class ListingReport:
    """What a listing did: rows listed, the server's total, passes, requests, the page size used, and its drift."""

    def __init__(self, what):
        self.what = what
        self.listed = 0
        self.server_total = None
        self.passes = 0
        self.requests = 0
        self.page_size = None
        self.consistent = True
        # A page-number listing read until two passes listed the same ids (list_pages ``confirm``): True when they
        # did, False when asked and they never did, None when not asked (or index paging, whose overlap sees shifts).
        self.confirmed = None
        # [{'pass': n, 'kind': one of DRIFT_KINDS, 'detail': text}], also of the listings this one includes.
        self.drift = []
        self.parts = []

    def add_drift(self, number, kind, detail, what=None):
        """Note one inconsistency seen during pass ``number`` (``kind``: what was seen; ``what``: the listing it
        belongs to)."""
        self.drift.append({'pass': number, 'kind': kind, 'detail': detail if what is None else '%s: %s' % (what, detail)})

    def include(self, other):
        """Fold a listing this one depended on (the members of the labels a selection used) into this report."""
        self.parts.append(other)
        self.requests += other.requests
        if not other.consistent:
            self.consistent = False
        if other.confirmed is False:
            self.confirmed = False
        for item in other.drift:
            self.add_drift(item['pass'], item['kind'], item['detail'], what=other.what)

    def as_dict(self):
        """The report as the modules return it (module result key ``listing``)."""
        return {'what': self.what, 'listed': self.listed, 'server_total': self.server_total, 'passes': self.passes,
                'requests': self.requests, 'page_size': self.page_size, 'consistent': self.consistent,
                'confirmed': self.confirmed, 'drift': [dict(item) for item in self.drift]}

    def summary(self):
        """One line with the numbers, for warnings and errors."""
        total = 'no total' if self.server_total is None else "the server's total %d" % self.server_total
        text = '%s: listed %d (%s) in %d pass(es) of %d request(s)' % (self.what, self.listed, total, self.passes, self.requests)
        if self.drift:
            shown = '; '.join('pass %d %s (%s)' % (item['pass'], item['kind'], item['detail']) for item in self.drift[:6])
            more = '; and %d more' % (len(self.drift) - 6) if len(self.drift) > 6 else ''
            text += '; drift: %s%s' % (shown, more)
        return text + ('' if self.consistent else '; NOT consistent')


class InconsistentListingError(MdmError):
    """A selection that feeds a write came from a listing that was not consistent; nothing was written."""

    error_type = 'inconsistent_listing'

    def __init__(self, message, report, **kwargs):
        self.report = report
        super(InconsistentListingError, self).__init__(message, **kwargs)

    def to_dict(self):
        result = super(InconsistentListingError, self).to_dict()
        result['listing'] = self.report.as_dict()
        return result


ALLOW_OPTION = 'allow_inconsistent_listing'


def check_listing(report, allow, purpose, vendor=None, option=ALLOW_OPTION):
    """Judge the listing a write depends on, before any write.

    Raises InconsistentListingError when ``report`` is not consistent and ``allow`` is false; returns a warning text
    when it is not consistent and allowed, else None.  ``purpose`` says what the listing chose (e.g. "the devices to
    wipe").
    """
    if report is None or report.consistent:
        return None
    if allow:
        return '%s came from a listing that was not consistent (%s=true): %s' % (purpose, option, report.summary())
    raise InconsistentListingError(
        '%s came from a listing that was not consistent, so devices may be missing from it or listed that are gone: %s. '
        'Nothing was written. Run again when the fleet holds still, or set %s: true to act on this listing anyway'
        % (purpose, report.summary(), option), report, vendor=vendor)


def listing_warning(report, items='devices'):
    """The warning for a read-only listing (of ``items``) that was not consistent, with the numbers; None when it
    was."""
    if report is None or report.consistent:
        return None
    return ('the listing was not consistent after %d pass(es): %s may be missing or gone; %s'
            % (report.passes, items, report.summary()))


def return_listing(result, report, warn, items='devices'):
    """What a read-only module returns of its listing: the report as ``result['listing']``, and a warning (through
    ``warn``) when the listing was not consistent.  Nothing without a report (a look-up by id lists nothing)."""
    if report is None:
        return
    result['listing'] = report.as_dict()
    warning = listing_warning(report, items)
    if warning:
        warn(warning)


def fold_reports(reports, main=None):
    """One report for a result that used several listings: ``main`` (default: the first of ``reports``) with every
    other report of ``reports`` folded in, so that it is as consistent as the least consistent one; None without
    any report."""
    if main is None:
        main = reports[0] if reports else None
    for report in reports:
        if report is not main:
            main.include(report)
    return main


class Listing(list):
    """The items of a listing (each id once), with its ListingReport as ``report``."""

    def __init__(self, items=(), report=None):
        super(Listing, self).__init__(items)
        self.report = report


class ReportCollector:
    """The reports of every listing an adapter ran, so that a caller can judge what a selection depended on."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reports = []

    def add(self, report):
        """Keep the report of one listing."""
        with self._lock:
            self.reports.append(report)

    def mark(self):
        """A position: since() returns the reports added after it."""
        with self._lock:
            return len(self.reports)

    def since(self, mark):
        """The reports added after ``mark``, in order."""
        with self._lock:
            return list(self.reports[mark:])


def list_pages(fetch, key, page_size, concurrency=1, what='items', page_numbers=False, passes=LISTING_PASSES,
               confirm=False):
    """Every item of a paged listing, each key once, as a Listing whose ``report`` says how consistent it was.

    ``fetch(start, size)`` returns a Page (or ``(items, total)``) of up to ``size`` items from index ``start``;
    with ``page_numbers`` the vendor addresses pages by number and ``start`` is always a multiple of ``size``
    (page number ``start // size + 1``).  ``key(item)`` is the item's id; items whose key is None are left out.
    With ``confirm`` and ``page_numbers``, a drift-free pass is consistent only when the pass before it listed exactly
    the same ids (see the module's docstring); with index paging ``confirm`` changes nothing.
    """
    key = key or (lambda item: item)
    report = ListingReport(what)
    confirm = bool(confirm and page_numbers)
    if confirm:
        report.confirmed = False
    union = {}
    previous = None
    for number in range(1, max(1, passes) + 1):
        result = _one_pass(fetch, key, page_size, concurrency, page_numbers)
        report.passes = number
        report.requests += result['requests']
        report.server_total = result['total']
        report.page_size = result['page_size']
        for item in result['items']:
            # The latest pass's record wins; the first pass's order stays.
            union[key(item)] = item
        drift = result['drift']
        if not drift and confirm and (previous is None or previous['ids'] != result['ids']):
            # Page numbers cannot see balanced churn within a pass: only a second pass listing the same ids can.
            if previous is not None:
                report.add_drift(number, 'passes_differ', _passes_differ(previous['ids'], result['ids'], number))
            previous = {'ids': result['ids'], 'kinds': set()}
            report.consistent = False
            continue
        if not drift:
            report.consistent = True
            report.confirmed = True if confirm else None
            break
        for kind, detail in drift:
            report.add_drift(number, kind, detail)
        kinds = set(kind for kind, _detail in drift)
        if previous is not None and previous['ids'] == result['ids'] and kinds <= TOTAL_OFF_KINDS \
                and previous['kinds'] <= TOTAL_OFF_KINDS:
            # Two passes listed exactly the same ids without a change between pages: the fleet held still, and only
            # the server's total disagrees with it.  The listing is consistent; the report keeps the disagreement.
            report.consistent = True
            report.confirmed = True if confirm else None
            break
        previous = {'ids': result['ids'], 'kinds': kinds}
        report.consistent = False
    report.listed = len(union)
    return Listing(union.values(), report)


def _passes_differ(before, now, number):
    """The detail of drift ``passes_differ``: how the ids of pass ``number`` differ from the pass before."""
    return ('pass %d listed %d id(s), pass %d listed %d: %d only in pass %d, %d only in pass %d'
            % (number - 1, len(before), number, len(now), len(before - now), number - 1, len(now - before), number))


def _one_pass(fetch, key, asked, concurrency, page_numbers):
    counter = {'requests': 0}
    lock = threading.Lock()

    def get(start, size):
        with lock:
            counter['requests'] += 1
        return as_page(fetch(start, size))

    first = get(0, asked)
    received = len(first.items)
    size = asked
    if first.page_size and first.page_size < asked:
        size = first.page_size
    elif 0 < received < asked and (first.has_more or (first.total is not None and first.total > received)):
        # The server capped the page without saying so: its end markers say more follows a short first page.
        size = received
    # Index paging reads every page after the first from one row before the next unread index: that row must be the
    # previous page's last (see the module's docstring).  A page of one row cannot overlap and still advance.
    overlap = 0 if page_numbers or size < 2 else 1
    pages = {0: first}
    if first.total is not None and received:
        if page_numbers:
            starts = list(range(size, first.total, size))
        else:
            starts = list(range(received - overlap, first.total - overlap, size - overlap))
        if starts:
            workers = max(1, min(concurrency, len(starts)))
            if workers == 1:
                replies = [get(start, size) for start in starts]
            else:
                with ThreadPoolExecutor(max_workers=workers) as executor:
                    replies = list(executor.map(lambda start: get(start, size), starts))
            pages.update(zip(starts, replies))
    ids_seen = set()
    repeated = set()
    repeats_of = {}
    doubled = {'rows': 0}
    fillers = set()
    # Page boundaries whose overlap row is not the previous page's last row: (start, expected key, key found).
    shifted = []

    def previous_page(start):
        before = [other for other in pages if other < start and other not in fillers]
        return max(before) if before else None

    def take(start):
        """Note a page's ids (and, with overlap, check its first row); returns how many of them are new."""
        new = 0
        here = set()
        items = pages[start].items
        expected = None
        if overlap and start > 0 and start not in fillers:
            before = previous_page(start)
            last = pages[before].items if before is not None else []
            # Only a page that ended exactly at this start told which row must come first here; a short page before
            # it is drift of its own.
            if last and before + len(last) - 1 == start:
                expected = key(last[-1])
                found = key(items[0]) if items else None
                if found != expected:
                    shifted.append((start, expected, found))
                    expected = None
        for position, item in enumerate(items):
            item_key = key(item)
            if item_key is None:
                continue
            if item_key in here:
                # One page listing a record twice (one device written two ways) is the server's data, not a shifted
                # window: it counts as a row for the total, and the record is kept once.
                doubled['rows'] += 1
                continue
            here.add(item_key)
            if position == 0 and expected is not None:
                continue  # the overlap row, where it belongs
            if item_key in ids_seen:
                repeated.add(item_key)
                repeats_of[start] = repeats_of.get(start, 0) + 1
            else:
                new += 1
            ids_seen.add(item_key)
        return new

    for start in sorted(pages):
        take(start)
    if not page_numbers:
        # A full page that repeats ids from before it was answered from a window shifted back by that many rows
        # (less the overlap row): the rows just past its window, beyond the one the next page overlaps, were in
        # neither it nor the next page.  Fetch them (index paging only).
        for start in sorted(pages)[:-1]:
            missing = repeats_of.get(start, 0) - 2 * overlap
            fill_start = start - (repeats_of.get(start, 0) - overlap) + len(pages[start].items)
            if missing > 0 and len(pages[start].items) >= size and fill_start not in pages:
                fillers.add(fill_start)
                pages[fill_start] = get(fill_start, missing)
                take(fill_start)
    # Past the plan: follow the end markers while they say more (a total that grew, hasMore, a next link, a full page
    # of a listing without totals, or more rows than the total claimed).
    last_start = max(start for start in pages if start not in fillers)
    while len(pages) < MAX_PAGES:
        last = pages[last_start]
        if page_numbers:
            next_start = last_start + size
        else:
            # Advance by the rows the page brought that were new (a window shifted back brought fewer), and start one
            # row early to overlap.
            back = max(0, repeats_of.get(last_start, 0) - overlap) if last_start else 0
            next_start = last_start + len(last.items) - overlap - back
        next_unread = next_start + (0 if page_numbers else overlap)
        if not _more_after(last, next_unread, size, first.total, bool(repeated)):
            break
        if next_start in pages or next_start <= last_start:
            next_start = last_start + len(last.items)
        pages[next_start] = get(next_start, size)
        last_start = next_start
        if pages[next_start].items and not take(next_start):
            break  # a page of nothing new: the server repeats itself, stop rather than loop
    items, ids = [], set()
    for start in sorted(pages):
        for item in pages[start].items:
            item_key = key(item)
            if item_key is None or item_key in ids:
                continue
            ids.add(item_key)
            items.append(item)
    drift = _drift(dict((start, page) for start, page in pages.items() if start not in fillers), size, repeated,
                   len(ids) + doubled['rows'], shifted)
    final_total = pages[last_start].total
    if final_total is None:
        final_total = first.total
    return {'items': items, 'ids': frozenset(ids), 'drift': drift, 'total': final_total, 'page_size': size,
            'requests': counter['requests']}


def _more_after(last, next_unread, size, first_total, repeated):
    """Does any end marker say that rows follow this page?  The listing stops only when none does.  ``next_unread``
    is the index of the first row no page has read yet."""
    if not last.items:
        return False
    if last.has_more:
        return True
    total = last.total if last.total is not None else first_total
    full = len(last.items) >= size
    if total is None:
        return full and last.has_more is None
    if next_unread < total:
        return True
    # More rows than the total claims, or an id came twice (a shifted window): the total cannot be the end, so go on
    # until a short page, unless the server's own marker says this was the last page.
    return full and (next_unread > total or repeated) and last.has_more is None


def _drift(pages, size, repeated, rows, shifted=()):
    """Drift of one pass: ``rows`` is how many rows the listing holds (distinct ids, plus records a page listed twice);
    ``shifted`` the page boundaries whose overlap row was not the previous page's last row."""
    drift = []
    totals = []
    for start in sorted(pages):
        total = pages[start].total
        if total is not None and (not totals or totals[-1] != total):
            totals.append(total)
    if len(set(totals)) > 1:
        drift.append(('total_changed', "the server's total changed while paging: %s" % ' -> '.join(str(total) for total in totals)))
    starts = sorted(pages)
    filled = [start for start in starts if pages[start].items]
    end = filled[-1] if filled else 0
    short = [start for start in starts if start < end and len(pages[start].items) < size]
    if short:
        drift.append(('short_page', '%d page(s) brought fewer rows than the page size %d before the end (at index %s)'
                      % (len(short), size, ', '.join(str(start) for start in short[:5]))))
    if shifted:
        start, expected, found = sorted(shifted, key=lambda item: item[0])[0]
        drift.append(('shifted', "%d page(s) did not begin with the previous page's last row: the rows moved between "
                      "the requests (at index %d: expected %s, found %s)"
                      % (len(shifted), start, expected, 'no row' if found is None else found)))
    if repeated:
        example = sorted(str(item) for item in repeated)[0]
        drift.append(('repeated_id', '%d id(s) listed twice (e.g. %s)' % (len(repeated), example)))
    final = pages[starts[-1]].total
    if final is None:
        final = next((pages[start].total for start in reversed(starts) if pages[start].total is not None), None)
    if final is not None and final != rows:
        drift.append(('count_mismatch', "listed %d row(s), the server's total is %d" % (rows, final)))
    return drift
