# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the read-only modules return of their listings (session.return_listing, session.fold_reports)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.session import ListingReport, fold_reports, return_listing


def report(what, consistent=True, passes=1):
    item = ListingReport(what)
    item.passes, item.listed, item.requests, item.consistent = passes, 3, 2, consistent
    if not consistent:
        item.add_drift(passes, 'total_changed', 'total 3 then 4')
    return item


def test_a_consistent_listing_is_returned_without_a_warning():
    result, warnings = {}, []
    return_listing(result, report('users'), warnings.append, 'users')
    assert result['listing']['what'] == 'users' and result['listing']['consistent'] is True
    assert warnings == []


def test_an_inconsistent_listing_warns_naming_what_may_be_missing():
    result, warnings = {}, []
    return_listing(result, report('users', consistent=False, passes=3), warnings.append, 'users')
    assert result['listing']['consistent'] is False
    assert len(warnings) == 1
    assert warnings[0].startswith('the listing was not consistent after 3 pass(es): users may be missing or gone; ')
    assert 'NOT consistent' in warnings[0]


def test_no_report_returns_nothing():
    result, warnings = {}, []
    return_listing(result, None, warnings.append)
    assert result == {} and warnings == []


def test_folded_reports_are_as_consistent_as_the_least_consistent():
    main, member = report('devices'), report('label members', consistent=False)
    assert fold_reports([main, member]) is main
    assert main.consistent is False and main.requests == 4
    assert main.drift[0]['detail'].startswith('label members: ')
    assert fold_reports([]) is None
    given = report('devices')
    assert fold_reports([report('label members')], given) is given and given.requests == 4
