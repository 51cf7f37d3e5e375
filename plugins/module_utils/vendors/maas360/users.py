# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM MaaS360 user search (the ``user_search`` capability, over a MaaS360Session): list users, all pages.

Source: NOTES.md, ``GET /user-apis/user/1.0/search/{billingID}``.  Unverified beyond the path (public clients of the
API: the MaaS360PS PowerShell module, an IBM sample application): ``includeAllUsers=1`` lists users with and without
devices, paging is ``pageSize`` / ``pageNumber`` as for the device search, and the reply is
``users.user`` (one user as an object) with ``users.count``; users carry ``userIdentifier``, ``emailAddress`` and
``fullName``.  Each of these is one constant or one function here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.session import Page
# The neutral field key of check_user_page_size() (USER_PAGE_SIZE here is MaaS360's page size).
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import USER_PAGE_SIZE as PAGE_SIZE_KEY, Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.device import text_or_none

USER_SEARCH_PATH = '/user-apis/user/1.0/search/%s'
ALL_USERS = {'includeAllUsers': 1}
USER_PAGE_SIZE = 250
USER_PAGE_SIZES = (25, 50, 100, 200, 250)


class MaaS360Users(Capability):
    """User search of MaaS360, over a MaaS360Session.  MaaS360 documents no user write: only mdm_user_info uses it."""

    user_page_size = USER_PAGE_SIZE

    def _user_page(self, page_size, start, size=None):
        """One page of the user search; ``size`` is the server's real page size that page numbers count in."""
        operation = 'list users'
        params = dict(ALL_USERS, pageSize=page_size, pageNumber=start // (size or page_size) + 1)
        response = self.session.call('GET', USER_SEARCH_PATH % self.session.billing_path, operation, params=params)
        data = self.session.read_reply(response, operation)
        if not isinstance(data, dict) or 'users' not in data:
            raise self.session.bad_response('the reply has no "users" element', operation, response)
        users = data['users']
        if users in (None, '', {}):
            return [], 0
        if not isinstance(users, dict):
            raise self.session.bad_response('"users" is not an object', operation, response)
        listed = users.get('user')
        if listed in (None, '', []):
            records = []
        elif isinstance(listed, dict):
            records = [listed]  # one user as an object, like one device in the device search
        elif isinstance(listed, list):
            records = [record for record in listed if isinstance(record, dict)]
        else:
            raise self.session.bad_response('"users.user" is neither a list nor an object', operation, response)
        total = users.get('count')
        try:
            total = int(total) if total not in (None, '') else None
        except (TypeError, ValueError):
            raise self.session.bad_response('"users.count" %r is not a number' % (total,), operation, response)
        echoed = str(users.get('pageSize') or '')
        return Page(records, total, page_size=int(echoed) if echoed.isdigit() else None)

    def check_user_page_size(self, page_size):
        """A page size the user search takes (NOTES.md: one of USER_PAGE_SIZES); InvalidInputError otherwise."""
        if page_size not in USER_PAGE_SIZES:
            raise InvalidInputError('not a page size %s accepts' % vendor_display_name(self.name), option=PAGE_SIZE_KEY,
                                    allowed=list(USER_PAGE_SIZES))
        return page_size

    def list_users(self, query=None, page_size=None, concurrency=4):
        """Every user, all pages; ``query`` keeps those whose user name, e-mail or full name contains it (checked here:
        the search's own filter parameters are not documented)."""
        page_size = page_size or self.user_page_size
        if page_size not in (25, 50, 100, 200, 250):
            page_size = self.session.check_page_size(page_size)
        seen, users = set(), []

        def fetch(start, size):
            return self._user_page(size if size in USER_PAGE_SIZES else page_size, start, size)

        def key_of(raw):
            return raw.get('userIdentifier') or raw.get('emailAddress')
        for raw in self.session.list_pages(fetch, page_size, concurrency, key=key_of, what='users', page_numbers=True):
            key = key_of(raw)
            if key in seen:
                continue
            seen.add(key)
            if query and query.lower() not in ' '.join(str(raw.get(field) or '') for field in (
                    'userName', 'username', 'emailAddress', 'fullName')).lower():
                continue
            users.append(raw)
        return users

    def find_user(self, uid):
        """The user whose user name or e-mail address is ``uid`` (case-insensitive), from the full listing."""
        wanted = uid.lower()
        for raw in self.list_users():
            if wanted in (str(raw.get('userName') or raw.get('username') or '').lower(), str(raw.get('emailAddress') or '').lower()):
                return raw
        return None

    def normalise_user_record(self, raw):
        """The neutral user of a user search record (the fields MaaS360 gives; the others None)."""
        user = dict.fromkeys(('first_name', 'last_name', 'enabled', 'source', 'password_never_expires', 'gdpr_profile_id',
                              'managed_apple_id', 'edipi', 'android_work_device_account_enabled', 'invite_state', 'locked',
                              'super_user', 'device_count', 'ldap_server_id', 'created_at', 'registration_pin_expires_at'))
        user.update(vendor=self.session.name, id=text_or_none(raw.get('userIdentifier')),
                    uid=text_or_none(raw.get('userName') or raw.get('username')) or text_or_none(raw.get('emailAddress')),
                    email=text_or_none(raw.get('emailAddress')), display_name=text_or_none(raw.get('fullName')), groups=[])
        return user
