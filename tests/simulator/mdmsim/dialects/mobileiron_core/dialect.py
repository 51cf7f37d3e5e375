"""MobileIron Core (Ivanti EPMM) API v2.

Sources: mobileiron-core-v2-devices-api.txt (search parameters and limits, supported query forms, reply shapes,
field names, count, query_test, parse-failure message), NOTES.md (Basic auth, adminDeviceSpaceId on every call,
label_summary fields and limit 200, status values, ping), Ivanti "Valid fields Parameter Values" page (field list).
"""

import json
import re
import time
from datetime import datetime, timezone
from urllib.parse import unquote

from mdmsim.dialects.base import ANY_METHOD, Dialect, Route, RouteTable, int_arg, json_response
from mdmsim.dialects.mobileiron_core.actions import TEAMVIEWER_PREFIX, VERBS, Actions
from mdmsim.dialects.mobileiron_core.facts import ACTIVESYNC_PATHS, DEVICE_FACTS, SEARCH_FIELDS_PATH, Facts
from mdmsim.fleet import LABELS

DEVICE_SPACE_ID = '1'  # the default "Global" device space
MAX_QUERY = 255       # reference: query max 255 characters for search
MAX_QUERY_COUNT = 2000  # reference: 2000 for count and query_test
MAX_LIMIT = 200       # reference: limit "at least 0 and no more than 200"
MAX_FIELDS = 512      # reference: fields 1..512, each at most 320 characters
MAX_OFFSET = 10000000
# NOTES.md: at most 512 UUIDs per delete call, and action batches of at most 512. The 400 reply past it is unverified.
MAX_ACTION_UUIDS = 512
# Reference: actionType of "Apply labels to devices" and "Remove labels from devices".
LABEL_ACTION_TYPES = {'add': 'APPLY_LABEL_TO_DEVICES', 'remove': 'REMOVE_LABEL_FROM_DEVICES'}
# "Delete devices": only retired devices of these platforms ("iOS, OS X, Win8, or Android") are deleted.  The
# reference's other condition, "not modified in the last day", is not modelled: the fleet keeps no modification time.
DELETABLE_PLATFORMS = ('iOS', 'macOS', 'Windows', 'Android')
# Unverified: the default limit when none is sent (the reference sample sends limit=50).
DEFAULT_LIMIT = 50
PLATFORM = {'ios': 'iOS', 'android': 'Android', 'windows': 'Windows', 'macos': 'macOS', 'other': 'Other'}
# Reference: common.owner "COMPANY"; EMPLOYEE is the other Core ownership value (unverified wording).
OWNER = {'company': 'COMPANY', 'employee': 'EMPLOYEE', 'unknown': ''}
# NOTES.md / reference: ACTIVE, PENDING, RETIRED, RETIRE_PENDING, WIPED.
STATUS = {'active': 'ACTIVE', 'pending': 'PENDING', 'retired': 'RETIRED', 'wiped': 'WIPED'}
# The mask of a hidden value, and the non-user fields it hides (XSOAR MobileIronUEM test_data: common.imsi).
MASK = '*****'
MASKED_FIELDS = ('common.imsi',)
TOKEN_RE = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<op>!=|=|\(|\))|(?P<word>[A-Za-z_][\w.]*))')


def _iso(epoch):
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')


class QueryError(ValueError):
    """An unparseable advanced query: token and position as query_test reports them."""

    def __init__(self, token, position):
        super().__init__("Unrecognized token '%s' at position %d" % (token, position))
        self.token = token
        self.position = position


def _tokenize(text):
    tokens = []
    position = 0
    while position < len(text):
        if text[position:].strip() == '':
            break
        match = TOKEN_RE.match(text, position)
        if not match:
            raise QueryError(text[position:].strip().split(' ')[0], position)
        start = match.start(match.lastgroup)
        tokens.append((match.lastgroup, match.group(match.lastgroup), start))
        position = match.end()
    tokens.append(('eof', '<EOF>', len(text)))
    return tokens


class QueryParser:
    """A useful subset of the Core advanced-search language.

    expr := term (("AND" | "OR") term)* ; term := "(" expr ")" | field op value ;
    op := "=" | "!=" | "starts with" | "contains" | "ends with" ; field and value may be quoted.
    """

    def __init__(self, text):
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def fail(self):
        kind, value, position = self.peek()
        raise QueryError(value if kind != 'eof' else '<EOF>', position)

    def parse(self):
        node = self.expr()
        if self.peek()[0] != 'eof':
            self.fail()
        return node

    def expr(self):
        node = self.term()
        while self.peek()[0] == 'word' and self.peek()[1].upper() in ('AND', 'OR'):
            joiner = self.take()[1].upper()
            node = (joiner, node, self.term())
        return node

    def value(self):
        kind, value, _position = self.peek()
        if kind == 'str':
            self.take()
            return value[1:-1].replace('\\"', '"')
        if kind == 'word':
            self.take()
            return value
        return self.fail()

    def term(self):
        if self.peek()[1] == '(':
            self.take()
            node = self.expr()
            if self.peek()[1] != ')':
                self.fail()
            self.take()
            return node
        field = self.value()
        kind, value, _position = self.peek()
        if kind == 'op' and value in ('=', '!='):
            self.take()
            return (value, field, self.value())
        if kind == 'word' and value.lower() in ('starts', 'ends'):
            self.take()
            if self.peek()[1].lower() != 'with':
                self.fail()
            self.take()
            return (value.lower() + ' with', field, self.value())
        if kind == 'word' and value.lower() == 'contains':
            self.take()
            return ('contains', field, self.value())
        return self.fail()


def evaluate(node, record):
    operator = node[0]
    if operator in ('AND', 'OR'):
        left, right = evaluate(node[1], record), evaluate(node[2], record)
        return (left and right) if operator == 'AND' else (left or right)
    field, wanted = node[1], node[2].lower()
    if '.' not in field:
        field = 'common.' + field  # reference sample: manufacturer contains "Apple"
    actual = record.get(field)
    actual = '' if actual is None else str(actual).lower()
    return {'=': actual == wanted, '!=': actual != wanted, 'starts with': actual.startswith(wanted),
            'ends with': actual.endswith(wanted), 'contains': wanted in actual}[operator]


def is_advanced(query):
    """The reference distinguishes a simple (free-text) query from an advanced one."""
    return bool(re.search(r'=|\bstarts with\b|\bends with\b|\bcontains\b', query, re.IGNORECASE))


class MobileIronCore(Dialect):
    """MobileIron Core API v2: HTTP Basic on every call, and adminDeviceSpaceId on nearly every one (the guard)."""

    name = 'mobileiron_core'
    parts = (('actions', Actions), ('facts', Facts))
    device_id_key = 'core_uuid'
    routes = RouteTable(
        Route('GET', '/api/v2/ping', 'ping'),
        Route('GET', '/api/v2/devices', 'search', guard='device_space'),
        Route('GET', '/api/v2/devices/count', 'count', guard='device_space'),
        Route('GET', '/api/v2/devices/query_test', 'query_test', guard='device_space'),
        Route('DELETE', '/api/v2/devices', 'delete_devices', guard='device_space'),
        Route('GET', '/api/v2/labels/label_summary', 'label_summary', guard='device_space'),
        Route('PUT', '/api/v2/devices/labels/{names}/add', 'label_action', guard='device_space', action='add'),
        Route('PUT', '/api/v2/devices/labels/{names}/remove', 'label_action', guard='device_space', action='remove'),
        *(Route('GET', '/api/v2/devices/' + path, 'facts.device_fact', guard='device_space', fact=fact) for path, fact in DEVICE_FACTS),
        Route('GET', SEARCH_FIELDS_PATH, 'facts.searchable_fields', guard='device_space'),
        Route('POST', '/api/v2/devices', 'facts.export_devices', guard='device_space'),
        # The reference lists no adminDeviceSpaceId for the ActiveSync report.
        *(Route('GET', path, 'facts.activesync_report') for path in ACTIVESYNC_PATHS),
        Route('POST', '/api/v2/devices/action', 'actions.act_on_devices', guard='device_space'),
        *(Route('PUT', '/api/v2/devices/' + verb, 'actions.device_verb', guard='device_space', verb=verb) for verb in VERBS),
        # adminDeviceSpaceId comes in the form body of a TeamViewer session: the handler checks it.
        Route(ANY_METHOD, TEAMVIEWER_PREFIX + '{kind:path}', 'actions.teamviewer'),
    )
    reply_forms = ('recorded_action_type',)
    secret_fields = ('password',)

    @classmethod
    def configure(cls, state):
        return {'username': 'fleetops-api', 'password': state.secret('mobileiron_core_password')}

    def flavours(self, url_of, ca_path):
        return {self.name: {'vendor': self.name, 'url': url_of(self.name), 'device_space_id': 1, 'ca_path': ca_path,
                            **self.config}}

    def error_body(self, request):
        # Core API v2 reference, "Search for devices" error example: a "messages" list of type Error.
        return json_response(200, self.messages('com.mobileiron.vsp.messages.http.500',
                                                'Internal error, please contact your administrator'))

    def admit(self, request):
        if request.basic_auth() != (self.config['username'], self.config['password']):
            # Unverified body; the status is HTTP Basic's 401.
            return json_response(401, self.messages('com.mobileiron.vsp.messages.http.401', 'Unauthorized'),
                                 headers=[('WWW-Authenticate', 'Basic realm="MobileIron"')])
        return None

    def device_space(self, request):
        """Reference: adminDeviceSpaceId is required on every call (unverified message key)."""
        if request.arg('adminDeviceSpaceId') != DEVICE_SPACE_ID:
            return json_response(400, self.messages('com.mobileiron.vsp.messages.deviceSpace.invalid',
                                                    'Missing or invalid adminDeviceSpaceId'), authenticated=True)
        return None

    def unmatched(self, request):
        return self.device_space(request) or json_response(404, self.messages('com.mobileiron.vsp.messages.http.404', 'Not found'),
                                                           authenticated=True)

    @staticmethod
    def ping(_request):
        # Unverified reply body (NOTES.md names the endpoint only).
        return json_response(200, {'results': {'apiVersion': 2, 'vspVersion': '12.0.0.0'}}, authenticated=True)

    def render(self, logical):
        user = logical['user']
        platform = PLATFORM[logical['platform']]
        record = {
            'common.uuid': self.device_id(logical),
            'common.id': logical['ids']['core_id'],
            'common.device_space_name': 'Global',
            'common.platform': platform,
            'common.platform_name': '%s %s' % (platform, logical['os_version']),
            'common.os_version': logical['os_version'],
            'common.manufacturer': logical['manufacturer'],
            'common.model': logical['model'],
            'common.owner': OWNER[logical['ownership']],
            'common.status': STATUS[logical['status']],
            'common.compliant': logical['compliant'],
            'common.quarantined': False,
            'common.device_is_compromised': False,
            'common.mdm_managed': logical['status'] == 'active',
            'common.imei': logical['imei'] or '',
            'common.current_phone_number': logical['phone'],
            # The field public clients ask for and real servers answer (NOTES.md "What real servers send"; the XSOAR
            # MobileIronUEM integration's STANDARD_DEVICE_FIELDS).
            'common.SerialNumber': logical['serial'],
            'common.registration_date': _iso(logical['enrolled']),
            'common.creation_date': _iso(logical['enrolled']),
            'common.last_connected_at': _iso(logical['last_seen']),
            'common.miclient_last_connected_at': _iso(logical['last_seen']),
            'common.language': 'English',
            'common.locale': 'en-US',
            'user.display_name': user['display_name'],
            'user.user_id': user['username'],
            'user.email_address': user['email'],
        }
        if logical['platform'] == 'ios':
            record['ios.iPhone UDID'] = logical['udid']
            record['ios.DeviceName'] = logical['name']
        else:
            record['common.device_name'] = logical['name']  # unverified field name for non-iOS device names
        return record

    @staticmethod
    def masked(result):
        """A search result under a privacy setting that hides user data: the user fields and the IMSI come as "*****",
        as in the replies of a Core server recorded in the XSOAR MobileIronUEM pack's test_data."""
        return {field: MASK if (field in MASKED_FIELDS or field.startswith('user.')) and value not in (None, '') else value
                for field, value in result.items()}

    _labels = None  # label_ids(): created on first use

    def label_ids(self):
        """{name: id} of the labels: the fleet's at first, then those an administrator adds (add_label())."""
        if self._labels is None:
            self._labels = dict((name, index + 10) for index, name in enumerate(LABELS))
        return self._labels

    def admin_routes(self):
        """POST /mobileiron_core/labels {"name"}: a static label, created as an administrator creates one in the Admin
        Portal (Devices & Users > Labels > Add Label).  Not an API route: the API v2 documents no call that creates a
        label (https://help.ivanti.com/mi/help/en_us/CORE/11.x/api2/APIv2/APIv2Labels.htm)."""
        def add_label(_vendor, _query, body):
            name = str(json.loads(body or b'{}')['name']).strip()
            with self.state.lock:
                labels = self.label_ids()
                if not name or ',' in name or name in labels:
                    # "Label names are unique within an instance" (Ivanti EPMM, "Labels and delegated administration");
                    # a comma could not be named in the label calls' paths.
                    raise ValueError('label name %r is empty, has a comma or is taken' % name)
                labels[name] = max(labels.values()) + 1
                return 200, {'id': labels[name], 'name': name}

        return {('POST', '/mobileiron_core/labels'): add_label}

    @staticmethod
    def messages(key, message, parameters=None):
        # Shape from the reference's parse-failure reply.
        return {'messages': [{'type': 'Error', 'messageKey': key, 'localizedMessage': message,
                              'messageParameters': parameters or []}]}

    def bad_request(self, message):
        return json_response(400, self.messages('com.mobileiron.vsp.messages.http.400', message), authenticated=True)

    def parse_failure(self, exc):
        return json_response(400, self.messages('com.mobileiron.vsp.messages.advancedsearch.parse.failure', str(exc),
                                                [exc.token, exc.position]), authenticated=True)

    def matching(self, query, label_id):
        """Records for a query and/or label, following the reference's table of supported forms."""
        entries = self.state.entries(self.name)
        if label_id is not None:
            names = {value: name for name, value in self.label_ids().items()}
            wanted = names.get(label_id)
            entries = [entry for entry in entries if wanted in entry.logical['labels']]
            if query and is_advanced(query):
                return []  # reference: "Label & advanced query" is unsupported and returns no result
            if query:
                needle = query.lower()
                return [e.record for e in entries if any(needle in str(value).lower() for value in e.record.values())]
            return [entry.record for entry in entries]
        if not query:
            return [entry.record for entry in entries]
        tree = QueryParser(query).parse()
        return [entry.record for entry in entries if evaluate(tree, entry.record)]

    def search(self, request):
        fields_arg = request.arg('fields', '')
        fields = [field for field in fields_arg.split(',') if field]
        if not fields or len(fields) > MAX_FIELDS or any(len(field) > 320 for field in fields):
            return self.bad_request('fields is required: 1 to 512 comma separated field names of at most 320 characters')
        query = request.arg('query')
        label_id = int_arg(request, 'labelId', None)
        if query is None and 'labelId' not in request.query:
            return self.bad_request('One of query or labelId is required')
        if 'labelId' in request.query and label_id is None:
            return self.bad_request('labelId must be a number')
        if query is not None and len(query) > MAX_QUERY:
            return self.bad_request('query must be at most 255 characters')
        limit = int_arg(request, 'limit', DEFAULT_LIMIT)
        offset = int_arg(request, 'offset', 0)
        if limit is None or not 0 <= limit <= MAX_LIMIT:
            return self.bad_request('limit must be at least 0 and no more than 200')
        if offset is None or not 0 <= offset <= MAX_OFFSET:
            return self.bad_request('offset must be between 0 and 10000000')
        started = time.monotonic()
        if label_id is None:
            self.state.listing_churn(self.name, self.render, lambda record: record['common.uuid'])
        try:
            records = self.matching(query, label_id)
        except QueryError as exc:
            return self.parse_failure(exc)
        sort_field = request.arg('sortField')
        if sort_field:
            descending = request.arg('sortOrder', 'ASC').upper() == 'DESC'
            records = sorted(records, key=lambda rec: str(rec.get(sort_field, '')), reverse=descending)
        page, total, _limit = self.state.listing_page(self.name, records, limit, start=offset)
        results = [{field: record[field] for field in fields if field in record} for record in page]
        if self.state.privacy.get(self.name, {}).get('mask_user_fields'):
            results = [self.masked(result) for result in results]
        return json_response(200, {
            'results': results, 'totalCount': total, 'resultCount': len(results),
            'searchTimeMillis': int((time.monotonic() - started) * 1000),
            'currentServerTimeMilliseconds': int(time.time() * 1000), 'hasMore': offset + len(results) < len(records),
        }, authenticated=True)

    def count(self, request):
        query = request.arg('query', '')
        if len(query) > MAX_QUERY_COUNT:
            return self.bad_request('query must be at most 2000 characters')
        try:
            return json_response(200, {'totalCount': len(self.matching(query, None))}, authenticated=True)
        except QueryError as exc:
            return self.parse_failure(exc)

    def query_test(self, request):
        query = request.arg('query', '')
        if len(query) > MAX_QUERY_COUNT:
            return self.bad_request('query must be at most 2000 characters')
        try:
            if query:
                QueryParser(query).parse()
        except QueryError as exc:
            return json_response(200, {'valid': False, 'token': exc.token, 'position': exc.position}, authenticated=True)
        return json_response(200, {'valid': True, 'token': '', 'position': -1}, authenticated=True)

    def label_summary(self, request):
        limit = int_arg(request, 'limit', DEFAULT_LIMIT)
        offset = int_arg(request, 'offset', 0)
        if limit is None or not 0 <= limit <= MAX_LIMIT:
            return self.bad_request('limit must be at least 0 and no more than 200')
        counts = {}
        for entry in self.state.entries(self.name):
            for name in entry.logical['labels']:
                counts[name] = counts.get(name, 0) + 1
        # Label fields from NOTES.md; the envelope (results/totalCount/resultCount) is assumed like device search.
        labels = [{'id': label_id, 'name': name, 'description': '', 'isStatic': True, 'criteria': '',
                   'deviceCount': counts.get(name, 0), 'rowType': 'ADMIN'} for name, label_id in self.label_ids().items()]
        page = labels[offset or 0:(offset or 0) + limit]
        return json_response(200, {'results': page, 'totalCount': len(labels), 'resultCount': len(page),
                                   'hasMore': (offset or 0) + len(page) < len(labels)}, authenticated=True)

    def label_action(self, request):
        """"Apply labels to devices" / "Remove labels from devices", with the reference's reply shape.

        deviceResults carries the failure reasons the reference names ("Device not found", "Invalid request. Label
        not found for Label with ID"); the records list, per label, the devices that were changed.
        """
        names = [unquote(name) for name in request.params['names'].split(',')]
        action = request.params['action']
        body = self.read_json(request)
        uuids = body.get('deviceUuids') if isinstance(body, dict) else None
        if isinstance(uuids, str):
            uuids = [uuid for uuid in uuids.split(',') if uuid]  # reference: "Use commas to separate multiple values"
        if not isinstance(uuids, list) or not uuids:
            return self.bad_request('deviceUuids is required')
        if len(uuids) > MAX_ACTION_UUIDS:
            return self.bad_request('at most %d deviceUuids per call' % MAX_ACTION_UUIDS)
        known = self.label_ids()
        missing = [name for name in names if name not in known]
        results, changed = {}, []
        with self.state.lock:
            entries = dict((entry.record['common.uuid'], entry) for entry in self.state.entries(self.name))
            for uuid in uuids:
                entry = entries.get(str(uuid))
                if missing:
                    results[str(uuid)] = 'Invalid request. Label not found for Label with ID'
                elif entry is None:
                    results[str(uuid)] = 'Device not found'
                else:
                    labels = set(entry.logical['labels'])
                    labels = labels | set(names) if action == 'add' else labels - set(names)
                    self.set_labels(entry, labels)
                    changed.append(str(uuid))
                    self.state.record_action(self.name, LABEL_ACTION_TYPES[action], str(uuid), labels=list(names))
        records = [{'uuid': None, 'id': None, 'principal': None, 'deviceSpaceId': int(DEVICE_SPACE_ID),
                    'deviceSpacePath': '/%s/' % DEVICE_SPACE_ID, 'label': name, 'device': [{'uuid': uuid} for uuid in changed]}
                   for name in names] if changed else []
        # resultId: the reference shows "114"; what it numbers is not documented.
        return json_response(200, {'results': [{'resultId': str(self.state.ledger_seq), 'resultMessage': None, 'records': records}],
                                   'resultCount': len(changed), 'actionType': LABEL_ACTION_TYPES[action],
                                   'deviceResults': results, 'successful': not results}, authenticated=True)

    def delete_devices(self, request):
        """"Delete devices": the reply is the list of the UUIDs really deleted; the others are silently kept.
        UNVERIFIED: the 400 replies for a missing or too long deviceUuids list (wifiMacs and principals are not
        modelled)."""
        body = self.read_json(request)
        uuids = body.get('deviceUuids') if isinstance(body, dict) else None
        if not isinstance(uuids, list) or not uuids:
            return self.bad_request('deviceUuids is required')
        if len(uuids) > MAX_ACTION_UUIDS:
            return self.bad_request('at most %d deviceUuids per call' % MAX_ACTION_UUIDS)
        deleted = []
        with self.state.lock:
            entries = self.state.fleets[self.name]
            for uuid in uuids:
                for index, entry in enumerate(entries):
                    record = entry.record
                    if str(record['common.uuid']).lower() == str(uuid).lower():
                        if record['common.status'] == 'RETIRED' and record['common.platform'] in DELETABLE_PLATFORMS:
                            entries.pop(index)
                            deleted.append(str(uuid))
                            self.state.record_action(self.name, 'DELETE_DEVICE', str(uuid))
                        break
        return json_response(200, deleted, authenticated=True)
