"""IBM MaaS360 user search (a part of the MaaS360 dialect).

Sources: NOTES.md (GET /user-apis/user/1.0/search/{billingID}; the token header; pageSize in 25, 50, 100, 200, 250 and
pageNumber from 1 as for the device search).  Unverified beyond the path, from public clients of the API (the MaaS360PS
PowerShell module's Get-MaaS360User: includeAllUsers 0 / 1 all users / 2 users without devices, pageNumber, pageSize;
an IBM sample application reading userIdentifier, emailAddress and fullName of each ``user``): the reply follows the
device search's shape, ``{"users": {"count", "pageNumber", "pageSize", "user": [...]}}``, one user as an object.
"""

from mdmsim.dialects.base import Part, Response, int_arg, json_response
from mdmsim.state import listing_key

USERS_PREFIX = '/user-apis/user/1.0/search/'
PAGE_SIZES = (25, 50, 100, 200, 250)
DEFAULT_PAGE_SIZE = 50


class Users(Part):
    """``search`` answers GET USERS_PREFIX{billingID} (the dialect's route, behind its token check)."""

    def user_list(self):
        """The users of this server in the search's order: the fleet's, less those listing churn removed, plus those it
        added (state attribute, so that every request sees the same users)."""
        with self.state.lock:
            users = getattr(self.state, 'maas360_users', None)
            if users is None:
                users = self.state.maas360_users = list(self.state.fleet.users)
            return users

    def user_churn(self):
        """Listing faults of the user search (target 'users'): users removed and added before a page is answered."""
        users = self.user_list()

        def remove_at(index):
            return 'U%08d' % (4100000 + users.pop(index)['index'])

        def enrol():
            # A new user without devices: the search lists it with includeAllUsers=1 (and =2).
            index = len(self.state.fleet.users) + 100000 + len(users)
            while any(user['index'] == index for user in users):
                index += 1
            users.append({'index': index, 'username': 'new.user%d' % index, 'email': 'new.user%d@example.com' % index,
                          'display_name': 'New User %d' % index})
            return 'U%08d' % (4100000 + index)
        self.state.listing_churn_rows(listing_key(self.name, 'users'), lambda: len(users), remove_at, enrol)

    def user_records(self):
        devices = {}
        for entry in self.state.entries(self.name):
            email = entry.logical['user']['email']
            devices[email] = devices.get(email, 0) + 1
        records = []
        for user in list(self.user_list()):
            records.append(({'userIdentifier': 'U%08d' % (4100000 + user['index']), 'userName': user['username'],
                             'emailAddress': user['email'], 'fullName': user['display_name'], 'domain': 'example.com'},
                            devices.get(user['email'], 0)))
        return records

    def admin_users(self):
        """Control API: every user as the user search shows it (with includeAllUsers=1), beside its device count."""
        return [{'record': record, 'device_count': devices} for record, devices in self.user_records()]

    def search(self, request):
        error = self.dialect.error
        page_size = int_arg(request, 'pageSize', DEFAULT_PAGE_SIZE)
        page_number = int_arg(request, 'pageNumber', 1)
        include = request.arg('includeAllUsers', '0')
        if page_size not in PAGE_SIZES:
            return error(request, 400, 'Invalid pageSize: allowed values are 25, 50, 100, 200, 250', True)
        if page_number is None or page_number < 1:
            return error(request, 400, 'Invalid pageNumber: must be 1 or more', True)
        if include not in ('0', '1', '2'):
            return error(request, 400, 'Invalid includeAllUsers: allowed values are 0, 1, 2', True)
        self.user_churn()
        records = [record for record, devices in self.user_records()
                   if include == '1' or (include == '0') == (devices > 0)]
        # Listing faults (state.ListingFaults, target 'users'): a capped page echoes the size it used.
        page, count, page_size = self.state.listing_page(listing_key(self.name, 'users'), records, page_size,
                                                         page_number=page_number)
        users = {'count': count, 'pageNumber': page_number, 'pageSize': page_size}
        if len(page) == 1:
            users['user'] = page[0]
        elif page:
            users['user'] = page
        if request.wants_json():
            return json_response(200, {'users': users}, authenticated=True)
        return Response(200, self.dialect.to_xml(dict(users, device=users.get('user', []))).replace('<devices>', '<users>').replace('</devices>', '</users>')
                        .replace('<device>', '<user>').replace('</device>', '</user>'),
                        content_type='application/xml;charset=UTF-8', authenticated=True)
