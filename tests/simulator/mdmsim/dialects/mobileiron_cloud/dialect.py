"""MobileIron Cloud (Ivanti Neurons for MDM).

Sources: mobileiron-cloud-users-api.txt (errors/result envelope, searchResults/totalCount/offset/queryTime,
rows at most 500, start, fq as FIELD=VALUE, defaultDmPartitionId 23000, globalErrors error shape),
NOTES.md (Basic auth, GET /api/v1/device with dmPartitionId/rows/start/fq, default partition from
GET /api/v1/tenant/partition/device, "must be between 1 and 500").
Device record field names (deviceName, deviceModel, platformType, platformVersion, registrationState, uid,
emailAddress, ownershipType, complianceState, lastCheckin, groups) and the single-device call
GET /api/v1/device/{id} follow the MobileIron UEM integration of Cortex XSOAR, a public client of this API;
the reference has no device reply. Device groups are carried only by the single-device reply.
"""

import time

from mdmsim.dialects.base import ANY_METHOD, Dialect, Route, RouteTable, int_arg, json_response
from mdmsim.dialects.mobileiron_cloud.actions import ACTION_PATH_VERBS, Actions
from mdmsim.dialects.mobileiron_cloud.users import USER_PATHS, USER_ROUTES, Users

DEFAULT_PARTITION_ID = 23000  # reference: "defaultDmPartitionId": 23000
MAX_ROWS = 500                # reference + NOTES.md
DEFAULT_ROWS = 50             # unverified default; the reference examples send rows=50
PLATFORM = {'ios': 'IOS', 'android': 'ANDROID', 'windows': 'WINDOWS', 'macos': 'MACOS', 'other': 'OTHER'}
OWNERSHIP = {'company': 'COMPANY', 'employee': 'EMPLOYEE', 'unknown': 'UNKNOWN'}
STATE = {'active': 'ACTIVE', 'pending': 'PENDING', 'retired': 'RETIRED', 'wiped': 'WIPED'}


def errors(code, message):
    # Reference: {"errors": {"globalErrors": [{"code", "message"}], "fieldErrors": null}, "result": null}
    return {'errors': {'globalErrors': [{'code': code, 'message': message}], 'fieldErrors': None}, 'result': None}


def spaced_imei(imei):
    """Cloud writes IMEIs in groups ("35 664808 754860 4" in the XSOAR MobileIronUEM pack's recorded device search)."""
    if not imei:
        return ''
    return '%s %s %s %s' % (imei[:2], imei[2:8], imei[8:14], imei[14:])


class MobileIronCloud(Dialect):
    """MobileIron Cloud: HTTP Basic on every call, replies in the {"errors", "result"} envelope."""

    name = 'mobileiron_cloud'
    parts = (('actions', Actions), ('users', Users))
    device_id_key = 'cloud'
    routes = RouteTable(
        Route('GET', '/api/v1/tenant/partition/device', 'partitions'),
        Route('GET', '/api/v1/device', 'devices'),
        *(Route('PUT', '/api/v1/device/' + verb, 'actions.handle', verb=verb) for verb in ACTION_PATH_VERBS),
        Route('GET', '/api/v1/device/{device_id:path}', 'device'),
        *(Route(method, path, 'users.' + handler) for method, path, handler in USER_ROUTES),
        *(Route(ANY_METHOD, path, 'users.method_not_allowed') for path in USER_PATHS),
    )
    reply_forms = ('result_zero',)
    secret_fields = ('password', 'confirmPassword')

    @classmethod
    def configure(cls, state):
        return {'username': 'fleetops-admin@example.com', 'password': state.secret('mobileiron_cloud_password')}

    def flavours(self, url_of, ca_path):
        return {self.name: {'vendor': self.name, 'url': url_of(self.name), 'ca_path': ca_path, **self.config}}

    def admin_users(self):
        return self.users.admin_users()

    def error_body(self, request):
        # Cloud users API reference: {"errors": {"globalErrors": [{"code", "message"}], "fieldErrors"}, "result": null}.
        return json_response(200, errors('GEN-500', 'Internal error'))

    def admit(self, request):
        if request.basic_auth() != (self.config['username'], self.config['password']):
            # Unverified body and code; the status is HTTP Basic's 401.
            return json_response(401, errors('UNAUTHORIZED', 'Authentication failed'),
                                 headers=[('WWW-Authenticate', 'Basic realm="MobileIron Cloud"')])
        return None

    def unmatched(self, request):
        return json_response(404, errors('NOT_FOUND', 'Not found'), authenticated=True)

    def render(self, logical):
        user = logical['user']
        return {
            'id': self.device_id(logical),
            'deviceName': logical['name'],
            'entityName': logical['name'],
            'platformType': PLATFORM[logical['platform']],
            'platformVersion': logical['os_version'],
            'manufacturer': logical['manufacturer'],
            'deviceModel': logical['model'],
            'serialNumber': logical['serial'],
            'imei': spaced_imei(logical['imei']),
            'udid': logical['udid'],
            'wifiMacAddress': logical['wifi_mac'],
            'registrationState': STATE[logical['status']],
            'complianceState': logical['compliant'],
            'ownershipType': OWNERSHIP[logical['ownership']],
            'lastCheckin': logical['last_seen'] * 1000,
            'registrationTime': logical['enrolled'] * 1000,
            'uid': user['email'],  # reference: a user's uid is their e-mail address
            'emailAddress': user['email'],
            'displayName': user['display_name'],
            'dmPartitionId': DEFAULT_PARTITION_ID,
            # Not part of a search reply: devices() strips it, device() keeps it.
            'groups': [{'name': label} for label in logical['labels']],
        }

    @staticmethod
    def partitions(_request):
        # Unverified beyond NOTES.md ("defaultPartition") and the reference's envelope and partition id.
        partition = {'id': DEFAULT_PARTITION_ID, 'name': 'Default Partition', 'description': '', 'defaultPartition': True}
        return json_response(200, {'errors': None, 'result': {'searchResults': [partition], 'totalCount': 1, 'offset': 0}},
                             authenticated=True)

    def devices(self, request):
        rows = int_arg(request, 'rows', DEFAULT_ROWS)
        start = int_arg(request, 'start', 0)
        if rows is None or not 1 <= rows <= MAX_ROWS:
            return json_response(400, errors('INVALID_PARAMETER', 'rows must be between 1 and 500'), authenticated=True)
        if start is None or start < 0:
            return json_response(400, errors('INVALID_PARAMETER', 'start must be 0 or more'), authenticated=True)
        partition = request.arg('dmPartitionId')
        if partition is not None and partition != str(DEFAULT_PARTITION_ID):
            return json_response(400, errors('INVALID_PARAMETER', 'Unknown dmPartitionId %s' % partition), authenticated=True)
        started = time.monotonic()
        try:
            checks = self.parse_fq(request.query.get('fq', []))
        except ValueError as exc:
            return json_response(400, errors('INVALID_PARAMETER', str(exc)), authenticated=True)
        self.state.listing_churn(self.name, self.render, lambda record: str(record['id']))
        records = [entry.record for entry in self.state.entries(self.name)]
        records = [rec for rec in records if all(check(rec) for check in checks)]
        text = (request.arg('q') or '').lower()
        if text:
            records = [rec for rec in records if text in ('%s %s %s' % (rec['deviceName'], rec['emailAddress'], rec['serialNumber'])).lower()]
        rows_out, total, _rows = self.state.listing_page(self.name, records, rows, start=start)
        page = [dict((key, value) for key, value in rec.items() if key != 'groups') for rec in rows_out]
        return json_response(200, {'errors': None, 'result': {
            'searchResults': page, 'totalCount': total, 'offset': start,
            'queryTime': int((time.monotonic() - started) * 1000)}}, authenticated=True)

    def device(self, request):
        device_id = request.params['device_id'].rsplit('/', 1)[-1]
        for entry in self.state.entries(self.name):
            if str(entry.record['id']) == device_id:
                return json_response(200, {'errors': None, 'result': entry.record}, authenticated=True)
        # Unverified body; a missing device is a 404 with the reference's error envelope.
        return json_response(404, errors('NOT_FOUND', 'Device %s not found' % device_id), authenticated=True)

    @staticmethod
    def parse_fq(values):
        """fq terms FIELD=VALUE (reference: fq=UID%3D...) or FIELD:VALUE, joined by AND; several fq params AND too."""
        checks = []
        for value in values:
            for term in [part.strip() for part in value.replace(' and ', ' AND ').split(' AND ') if part.strip()]:
                separator = min((term.find(sep) for sep in '=:' if sep in term), default=-1)
                if separator <= 0:
                    raise ValueError('Invalid fq term: %s' % term)
                field, wanted = term[:separator].strip(), term[separator + 1:].strip().strip('"')
                checks.append(lambda rec, f=field, w=wanted.lower(): str(
                    rec.get(f, rec.get(f[:1].lower() + f[1:], ''))).lower() == w)
        return checks
