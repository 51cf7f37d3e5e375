"""ManageEngine MDM (cloud and on-premises) and the Zoho accounts server that mints its OAuth access tokens.

Sources: manageengine-mdm-devices-api.txt (paths, record shapes, Zoho-oauthtoken header, filter values),
NOTES.md (limit/offset/default 50, metadata.total_record_count, paging.next/previous, groups, on-prem API key),
manageengine.com "Retrieve a list of managed devices" (limit, offset zero-based, skip-token, searchkey/searchfield,
search), manageengine.com MDM API introduction (API key in the Authorization header, valid 6 months),
Zoho OAuth docs (POST {accounts}/oauth/v2/token?refresh_token&client_id&client_secret&grant_type=refresh_token,
reply access_token / expires_in 3600 / api_domain / token_type Bearer).
"""

from urllib.parse import urlencode

from mdmsim.dialects.base import ANY_METHOD, Dialect, Response, Route, RouteTable, int_arg, json_response
from mdmsim.dialects.manageengine.actions import BARE_DEVICES_PREFIX, BULK_PREFIX, Actions
from mdmsim.dialects.manageengine.assignments import Assignments
from mdmsim.dialects.manageengine.facts import FACTS, Facts
from mdmsim.dialects.manageengine.zoho import ZohoAccounts, credentials, error_body
from mdmsim.fleet import LABELS

DEVICES_PATH = '/api/v1/mdm/devices'
GROUPS_PATH = '/api/v1/mdm/groups'
DEFAULT_LIMIT = 50  # NOTES.md: 50 by default
# No maximum for "limit" is documented (manageengine.com device list page): none is enforced here.
PLATFORM = {'ios': ('ios', 1), 'android': ('android', 2), 'windows': ('windows', 3), 'macos': ('ios', 1), 'other': ('android', 2)}
# Reference example: android has platform_type_id 2. The ids of the other platforms are unverified; macOS is filed
# under the Apple platform (the documented platform filter values are only iOS, Android, Windows); unverified.
# owned_by: reference example shows 2 for a user-named device; 1 = corporate, 2 = personal is unverified.
OWNED_BY = {'company': 1, 'employee': 2, 'unknown': 2}
# managed_status 2 appears in the reference (a managed device); the other values are unverified.
MANAGED_STATUS = {'active': 2, 'pending': 1, 'retired': 4, 'wiped': 7}
# The reference lists the filter values (Corporate/Personal; smartphone/Tablet/Laptop/Desktop/Tv; iOS/Android/Windows)
# but not the query parameter names. UNVERIFIED names, one place to change them:
FILTER_PARAMS = {'ownership': 'owned_by', 'device_type': 'device_type', 'platform': 'platform'}
OWNERSHIP_VALUES = {'corporate': 1, 'personal': 2}
# manageengine.com: searchfield examples "name, email, udid".
SEARCH_FIELDS = {'name': 'device_name', 'email': 'user.user_email', 'udid': 'udid', 'serial_number': 'serial_number',
                 'imei': 'imei', 'user_name': 'user.user_name'}
# Unverified: the ManageEngine MDM error body; shaped {"error_code", "error_description"} as our brief suggests.
ERR_AUTH = {'error_code': 'COM0013', 'error_description': 'Invalid or expired OAuth token or API key'}


# "Update device details" (PUT /api/v1/mdm/devices/{device_id}): the fields of the reference's request body, and the
# defaults of those the details record shows.  "name" is stored as the record's device_name: UNVERIFIED (the
# reference's update reply carries neither).
UPDATABLE_DEFAULTS = {
    'asset_owner': '', 'asset_tag': '', 'apn_username': '', 'apn_password': None, 'description': '', 'office': '',
    'purchase_date': -1, 'purchase_order_number': '', 'purchase_price': -1, 'purchase_type': '',
    'warranty_expiration_date': -1, 'warranty_number': '', 'warranty_type': '',
}
UPDATE_FIELDS = dict([(key, key) for key in UPDATABLE_DEFAULTS] + [('name', 'device_name')])


def _group_id(name):
    return 9007199254741000 + sum(ord(char) for char in name) * 7


# manageengine.com "Create a Group" (POST /api/v1/mdm/groups): name and group_type required, domain and description
# optional; the reply is the group with its group_id.  group_type: the API reference's group page says "1. Device
# Group", the current help pages (help/api/cloud/groups-create-group-list.html) say "6 - Device Group, 7 - User
# Group/AD Group": every documented value is accepted.  UNVERIFIED: the reply status (200), and the 400 for a name
# already in use ("Must be unique within the customer") or a missing field.
GROUP_TYPES = (1, 6, 7)


def _lookup(record, dotted):
    value = record
    for part in dotted.split('.'):
        value = (value or {}).get(part)
    return value


DEVICE = DEVICES_PATH + '/{device_id}'


class ManageEngine(Dialect):
    """ManageEngine MDM: one API for the cloud (Zoho OAuth tokens) and on-premises (an API key) flavours."""

    name = 'manageengine'
    _groups = None  # groups(): created on first use
    parts = (('actions', Actions), ('facts', Facts), ('assignments', Assignments))
    device_id_key = 'manageengine'
    routes = RouteTable(
        Route('GET', DEVICES_PATH, 'list_devices'),
        Route('GET', DEVICE, 'device_details'),
        Route('PUT', DEVICE, 'update_device'),
        Route('GET', DEVICE + '/summary', 'device_summary'),
        *(Route(method, DEVICE + '/' + kind, 'assignments.handle', kind=kind)
          for kind in ('profiles', 'apps') for method in ('GET', 'POST', 'DELETE')),
        Route('GET', DEVICE + '/actions/recent_command', 'recent_command', fact='actions/recent_command'),
        *(Route('GET', DEVICE + '/' + fact, 'facts.device_fact', fact=fact) for fact in FACTS if fact != 'actions/recent_command'),
        Route('GET', DEVICE + '/commandhistory', 'facts.command_history'),
        Route('GET', DEVICE + '/locations_with_address', 'facts.locations_with_address'),
        Route('POST', DEVICE + '/locations_with_address', 'facts.location_request'),
        Route('POST', DEVICE + '/actions/{action}', 'actions.device_action', knox=False),
        Route('POST', DEVICE + '/knox_actions/{action}', 'actions.device_action', knox=True),
        Route('DELETE', DEVICE + '/actions/{action}', 'actions.remove_action'),
        # "Remove action" is printed without the /api/v1/mdm prefix in the reference: both forms are routed.
        Route('DELETE', BARE_DEVICES_PREFIX + '{device_id}/actions/{action}', 'actions.remove_action'),
        Route('POST', BULK_PREFIX + '{command_name:path}', 'actions.bulk_command'),
        Route(ANY_METHOD, BULK_PREFIX + '{command_name:path}', 'actions.bulk_not_allowed'),
        Route('GET', GROUPS_PATH, 'list_groups'),
        Route('POST', GROUPS_PATH, 'create_group'),
        Route('DELETE', GROUPS_PATH + '/{group_id}', 'delete_group'),
        Route('GET', GROUPS_PATH + '/{group_id:path}/members', 'group_members'),
        Route('POST', GROUPS_PATH + '/{group_id:path}/members', 'add_members'),
        Route('DELETE', GROUPS_PATH + '/{group_id}/members/{member_id}', 'remove_member'),
    )
    token_ttl = 3600  # Zoho access tokens: "expires_in": 3600 (NOTES.md)
    secret_fields = ('api_key', 'unlock_pin', 'wipe_lock_pin', 'passcode')
    authorization_schemes = (('zoho-oauthtoken ', 'Zoho-oauthtoken <redacted>'),)

    @classmethod
    def configure(cls, state):
        return credentials(state)

    def flavours(self, url_of, ca_path):
        url = url_of(self.name)
        return {
            self.name: {'vendor': self.name, 'url': url, 'client_id': self.config['client_id'],
                        'client_secret': self.config['client_secret'], 'refresh_token': self.config['refresh_token'],
                        'accounts_url': url_of(ZohoAccounts.name), 'ca_path': ca_path},
            'manageengine_onprem': {'vendor': self.name, 'url': url, 'api_key': self.config['api_key'], 'ca_path': ca_path},
        }

    def admin_routes(self):
        return self.assignments.admin_routes()

    def error_body(self, request):
        return error_body(request)

    def admit(self, request):
        if not self.authorized(request):
            return json_response(401, ERR_AUTH)
        return None

    def unmatched(self, request):
        path = request.path.rstrip('/')
        if request.method == 'GET' and path.startswith(DEVICES_PATH + '/') and self.find(path[len(DEVICES_PATH) + 1:].split('/')[0]) is None:
            # Unverified error body, see ERR_AUTH.
            return json_response(404, {'error_code': 'COM0008', 'error_description': 'Device not found'}, authenticated=True)
        return json_response(404, {'error_code': 'COM0008', 'error_description': 'Resource not found'}, authenticated=True)

    def recent_command(self, request):
        """The status of the command this simulator initiated last on the device, else the reference's fixed reply."""
        device_id = request.params['device_id']
        if self.actions.holds_command(device_id):
            return self.actions.recent_command(device_id)
        return self.facts.device_fact(request)

    def render(self, logical):
        platform_type, platform_id = PLATFORM[logical['platform']]
        user = logical['user']
        return {
            'device_id': self.device_id(logical),
            'device_name': logical['name'],
            'os_version': logical['os_version'],
            'platform_type': platform_type,
            'platform_type_id': platform_id,
            'owned_by': OWNED_BY[logical['ownership']],
            'is_lost_mode_enabled': False,
            'is_removed': logical['status'] in ('retired', 'wiped'),
            'product_name': logical['manufacturer'],
            'model': logical['model'],
            'device_type': logical['device_type'],
            'udid': logical['udid'],
            'serial_number': logical['serial'],
            'imei': int(logical['imei']) if logical['imei'] else None,  # reference: imei is a number
            'user': {'user_name': user['username'], 'user_id': 9007199254000000 + user['index'], 'user_email': user['email']},
            # managed_status: in the device details reference; its presence in list records is unverified.  The last
            # contact time is not here: the reference's device list carries none, only the device summary has
            # last_contact_time (NOTES.md "What real servers send").
            'managed_status': MANAGED_STATUS[logical['status']],
            'summary': {'profile_count': 3, 'app_count': 12, 'doc_count': 0, 'group_count': len(logical['labels'])},
        }

    def details(self, entry):
        """The shape of GET /api/v1/mdm/devices/{device_id} in the reference."""
        record = entry.record
        logical = entry.logical
        detail = {key: value for key, value in record.items() if key not in ('platform_type', 'platform_type_id', 'device_type')}
        # Fields of "Update device details" the fleet does not seed: their defaults ("To revert to the default values,
        # provide the empty string and -1") until a PUT stores a value in the record.  -1 for the dates and the price
        # is UNVERIFIED.
        for key, value in UPDATABLE_DEFAULTS.items():
            detail.setdefault(key, value)
        detail.update({
            'registered_time': logical['enrolled'] * 1000, 'added_time': logical['enrolled'] * 1000, 'unregistered_time': -1,
            'is_supervised': logical['platform'] == 'ios' and logical['ownership'] == 'company',
            'os': {'platform_type': record['platform_type'], 'os_version': record['os_version'], 'build_version': '',
                   'serial_number': record['serial_number']},
            'security': {'passcode_complaint': logical['compliant'], 'storage_encryption': True, 'device_rooted': False,
                         'passcode_present': True},
            'model_type': 1,
            **self.actions.knox_details(entry),
            'os_name': {'ios': 'iOS', 'android': 'Android', 'windows': 'Windows', 'macos': 'macOS'}.get(logical['platform'], 'Other'),
        })
        return detail

    def device_details(self, request):
        entry = self.find(request.params['device_id'])
        if entry is None:
            # Unverified error body, see ERR_AUTH.
            return json_response(404, {'error_code': 'COM0008', 'error_description': 'Device not found'}, authenticated=True)
        return json_response(200, self.details(entry), authenticated=True)

    def device_summary(self, request):
        entry = self.find(request.params['device_id'])
        if entry is None:
            return json_response(404, {'error_code': 'COM0008', 'error_description': 'Device not found'}, authenticated=True)
        return json_response(200, self.summary(entry), authenticated=True)

    def authorized(self, request):
        value = request.header('Authorization').strip()
        if value.startswith('Zoho-oauthtoken '):
            return self.state.token_valid(self.name, value[len('Zoho-oauthtoken '):].strip())
        return bool(value) and value == self.config['api_key']

    def find(self, device_id):
        for entry in self.state.entries(self.name):
            if str(entry.record['device_id']) == device_id:
                return entry
        return None

    def summary(self, entry):
        record = entry.record
        return {'device_id': record['device_id'], 'device_name': record['device_name'], 'platform_type': record['platform_type'],
                'last_contact_time': entry.logical['last_seen'] * 1000, 'agent_version': '', 'profile_count': 3, 'app_count': 12,
                'doc_count': 0, 'group_count': len(entry.logical['labels']),
                'group': [{'group_id': self.groups()[name]['group_id'], 'group_name': name}
                          for name in entry.logical['labels'] if name in self.groups()]}

    def list_devices(self, request):
        limit = int_arg(request, 'limit', DEFAULT_LIMIT)
        offset = int_arg(request, 'offset', 0)
        if limit is None or offset is None or limit < 0 or offset < 0:
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid limit or offset'}, authenticated=True)
        self.state.listing_churn(self.name, self.render, lambda record: str(record['device_id']))
        records = [entry.record for entry in self.state.entries(self.name)]
        ownership = request.arg(FILTER_PARAMS['ownership'])
        if ownership:
            wanted = OWNERSHIP_VALUES.get(ownership.lower())
            records = [rec for rec in records if rec['owned_by'] == wanted]
        device_type = request.arg(FILTER_PARAMS['device_type'])
        if device_type:
            records = [rec for rec in records if rec['device_type'].lower() == device_type.lower()]
        platform = request.arg(FILTER_PARAMS['platform'])
        if platform:
            records = [rec for rec in records if rec['platform_type'] == platform.lower()]
        searchkey, searchfield = request.arg('searchkey'), request.arg('searchfield')
        if searchkey and searchfield:
            field = SEARCH_FIELDS.get(searchfield)
            if field is None:
                return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid searchfield'}, authenticated=True)
            records = [rec for rec in records if searchkey.lower() in str(_lookup(rec, field)).lower()]
        search = request.arg('search')
        if search:
            needle = search.lower()
            records = [rec for rec in records
                       if needle in ' '.join((rec['device_name'], rec['user']['user_name'], rec['user']['user_email'])).lower()]
        page, total, limit = self.state.listing_page(self.name, records, limit, start=offset)
        paging = {}
        base = 'https://%s%s?' % (request.header('Host', '127.0.0.1'), DEVICES_PATH)
        kept = {key: values[0] for key, values in request.query.items() if key not in ('limit', 'offset') and values}
        if offset + len(page) < len(records):
            paging['next'] = base + urlencode(dict(kept, limit=limit, offset=offset + len(page)))
        if offset > 0:
            paging['previous'] = base + urlencode(dict(kept, limit=limit, offset=max(0, offset - limit)))
        return json_response(200, {'devices': page, 'metadata': {'total_record_count': total}, 'paging': paging},
                             authenticated=True)

    def groups(self):
        """{name: group record} of this server's groups: the fleet's labels at first, then as created and deleted."""
        if self._groups is None:
            self._groups = dict((name, {'group_id': _group_id(name), 'name': name, 'group_type': 1}) for name in LABELS)
        return self._groups

    def group_names(self):
        """{group id: name} of the device groups (empty ones included)."""
        return dict((str(group['group_id']), name) for name, group in self.groups().items())

    def list_groups(self, request):
        counts = dict((name, 0) for name in self.groups())
        for entry in self.state.entries(self.name):
            for name in entry.logical['labels']:
                counts[name] = counts.get(name, 0) + 1
        # manageengine.com "Get Group list": group_id, name, group_type (1 = device group); group_name as in the
        # device summary reference; member_count is unverified.
        groups = [dict(self.groups()[name], group_name=name, member_count=count)
                  for name, count in sorted(counts.items()) if name in self.groups()]
        limit = int_arg(request, 'limit', DEFAULT_LIMIT) or DEFAULT_LIMIT
        offset = int_arg(request, 'offset', 0) or 0
        return json_response(200, {'groups': groups[offset:offset + limit], 'metadata': {'total_record_count': len(groups)}},
                             authenticated=True)

    def create_group(self, request):
        """"Create a Group": see GROUP_TYPES for the sources and what is unverified."""
        body = self.read_json(request)
        if not isinstance(body, dict):
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'A JSON object is required'},
                                 authenticated=True)
        name, group_type = body.get('name'), body.get('group_type')
        if not isinstance(name, str) or not name.strip():
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'name is required'}, authenticated=True)
        if isinstance(group_type, bool) or group_type not in GROUP_TYPES:
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid group_type'}, authenticated=True)
        with self.state.lock:
            groups = self.groups()
            if name in groups:
                return json_response(400, {'error_code': 'COM0005', 'error_description': 'Group name already exists'},
                                     authenticated=True)
            group = {'group_id': max([group['group_id'] for group in groups.values()] + [9007199254800000]) + 1,
                     'name': name, 'group_type': group_type}
            for key in ('domain', 'description'):
                if isinstance(body.get(key), str):
                    group[key] = body[key]
            groups[name] = group
            self.state.record_action(self.name, 'create_group', None, group=name)
        return json_response(200, dict(group), authenticated=True)

    def delete_group(self, request):
        """"Delete a group" (manageengine.com help/api/cloud/groups-delete-an-existing-group.html): DELETE
        /api/v1/mdm/groups/{group_id}, reply 204 No Content.  Its devices stay enrolled, outside the group.
        UNVERIFIED: the 404 for an unknown group."""
        group_id = request.params['group_id']
        with self.state.lock:
            name = self.group_names().get(group_id)
            if name is None:
                return json_response(404, {'error_code': 'COM0008', 'error_description': 'Group not found'}, authenticated=True)
            for entry in self.state.entries(self.name):
                if name in entry.logical['labels']:
                    self.set_labels(entry, [label for label in entry.logical['labels'] if label != name])
                    entry.record['summary'] = dict(entry.record['summary'], group_count=len(entry.logical['labels']))
            del self.groups()[name]
            self.state.record_action(self.name, 'delete_group', None, group=name)
        return Response(204, b'', authenticated=True)

    def group_members(self, request):
        group_id = request.params['group_id']
        # manageengine.com "Get the member list of the group": GET /api/v1/mdm/groups/{group_id}/members with
        # limit / offset; the member_ids list follows the members call's request body. The metadata is unverified.
        names = self.group_names()
        if group_id not in names:
            return json_response(404, {'error_code': 'COM0008', 'error_description': 'Group not found'}, authenticated=True)
        members = [str(entry.record['device_id']) for entry in self.state.entries(self.name)
                   if names[group_id] in entry.logical['labels']]
        limit = int_arg(request, 'limit', DEFAULT_LIMIT)
        offset = int_arg(request, 'offset', 0)
        if limit is None or offset is None or limit < 0 or offset < 0:
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid limit or offset'}, authenticated=True)
        page, total, _limit = self.state.listing_page(self.name, members, limit, start=offset)
        return json_response(200, {'member_ids': page, 'metadata': {'total_record_count': total}}, authenticated=True)

    def add_members(self, request):
        group_id = request.params['group_id']
        # NOTES.md: POST /api/v1/mdm/groups/{group_id}/members with {"member_ids": [...]}. UNVERIFIED: the reply
        # (answered 204 without a body, like the documented member DELETE) and the 400 for unknown device ids.
        name = self.group_names().get(group_id)
        if name is None:
            return json_response(404, {'error_code': 'COM0008', 'error_description': 'Group not found'}, authenticated=True)
        body = self.read_json(request)
        members = body.get('member_ids') if isinstance(body, dict) else None
        if not isinstance(members, list) or not members:
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'member_ids is required'}, authenticated=True)
        with self.state.lock:
            entries = dict((str(entry.record['device_id']), entry) for entry in self.state.entries(self.name))
            if any(str(member) not in entries for member in members):
                return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid member_ids'}, authenticated=True)
            for member in members:
                entry = entries[str(member)]
                self.set_labels(entry, list(entry.logical['labels']) + [name])
                entry.record['summary'] = dict(entry.record['summary'], group_count=len(entry.logical['labels']))
                self.state.record_action(self.name, 'add_group_member', str(member), group=name)
        return Response(204, b'', authenticated=True)

    def remove_member(self, request):
        group_id, member_id = request.params['group_id'], request.params['member_id']
        # manageengine.com "Remove a member from a particular group": DELETE .../groups/{group_id}/members/{member_id},
        # reply 204. UNVERIFIED: the 404 for an unknown device, and 204 for a device that is not a member.
        name = self.group_names().get(group_id)
        with self.state.lock:
            entry = self.find(member_id)
            if name is None or entry is None:
                return json_response(404, {'error_code': 'COM0008', 'error_description': 'Resource not found'}, authenticated=True)
            if name in entry.logical['labels']:
                self.set_labels(entry, [label for label in entry.logical['labels'] if label != name])
                entry.record['summary'] = dict(entry.record['summary'], group_count=len(entry.logical['labels']))
                self.state.record_action(self.name, 'remove_group_member', member_id, group=name)
        return Response(204, b'', authenticated=True)

    def update_device(self, request):
        """"Update device details": only the fields given change; the reply is the device's details record, as in the
        reference.  UNVERIFIED: the 400 for an empty body or an unknown field, and the 404 for an unknown device."""
        device_id = request.params['device_id']
        body = self.read_json(request)
        if not isinstance(body, dict) or not body:
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'A JSON object is required'},
                                 authenticated=True)
        unknown = sorted(key for key in body if key not in UPDATE_FIELDS)
        if unknown:
            return json_response(400, {'error_code': 'COM0005', 'error_description': 'Invalid field: %s' % ', '.join(unknown)},
                                 authenticated=True)
        with self.state.lock:
            entry = self.find(device_id)
            if entry is None:
                return json_response(404, {'error_code': 'COM0008', 'error_description': 'Device not found'}, authenticated=True)
            for key, value in body.items():
                entry.record[UPDATE_FIELDS[key]] = value
            self.state.record_action(self.name, 'update_device_details', device_id, fields=sorted(body))
            return json_response(200, self.details(entry), authenticated=True)
