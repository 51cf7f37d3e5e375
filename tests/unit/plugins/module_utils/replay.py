# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The replay runner: a directory written by the recorder (MDM_RECORD_DIR, docs/recording.md) turned into fixtures.

Each recording file is one client's conversation.  ``replay_adapter()`` builds the adapter of that vendor with the
recorded (pseudonymised) options and stand-in credentials, talking to a ``ReplaySession`` that answers each request
with the recorded reply of the same method, path and query, as amazon.aws's placebo does for boto3.  Values the
recorder redacted match anything; the ``fields`` list of a MobileIron Core search is not compared (it grows when the
adapter asks for more fields, and the recorded records stay readable); when nothing matches exactly, the next
recorded reply for the same method and path is served (and counted in ``fallbacks``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os

from urllib.parse import parse_qsl, urlsplit

import requests

from ansible_collections.fleetops.mdm.plugins.module_utils.recorder import FORMAT, REDACTED

IGNORED_QUERY = ('fields',)
# Stand-in credentials: a recording holds none.
STAND_INS = {
    'maas360': dict(password='replay-password', app_access_key='replay-access-key', app_id='replay.app',
                    app_version='1.0', username='replay', billing_id='00000000'),
    'manageengine_oauth': dict(client_id='1000.REPLAY', client_secret='replay-secret', refresh_token='replay-refresh',
                               accounts_url='https://accounts.replay.invalid'),
    'manageengine_api_key': dict(api_key='replay-api-key'),
    'mobileiron_core': dict(username='replay', password='replay-password'),
    'mobileiron_cloud': dict(username='replay@example.invalid', password='replay-password'),
}
# Where each vendor's device listing names its page size, and where its first page carries the server's total.
PAGE_SIZE_PARAM = {'maas360': 'pageSize', 'manageengine': 'limit', 'mobileiron_core': 'limit', 'mobileiron_cloud': 'rows'}


def _total(vendor, body):
    if vendor == 'maas360':
        return int(body['devices']['count'])
    if vendor == 'manageengine':
        return int(body['metadata']['total_record_count'])
    if vendor == 'mobileiron_core':
        return int(body['totalCount'])
    return int(body['result']['totalCount'])


class Recording:
    """One recorded conversation: its header (vendor, pseudonymised options) and its exchanges in order."""

    def __init__(self, path, header, exchanges):
        self.path = path
        self.header = header
        self.exchanges = exchanges

    @property
    def name(self):
        return os.path.basename(self.path)

    @property
    def vendor(self):
        return self.header['vendor']

    def operations(self):
        return [exchange['operation'] for exchange in self.exchanges]

    def first(self, operation):
        return next((exchange for exchange in self.exchanges if exchange['operation'] == operation), None)

    def listing_page_size(self):
        exchange = self.first('list devices')
        return int(dict(exchange['request']['query'])[PAGE_SIZE_PARAM[self.vendor]])

    def listing_total(self):
        return _total(self.vendor, self.first('list devices')['response']['json'])


def load_recordings(directory):
    """Every recording file of a directory, oldest first (the file names start with the vendor and a UTC time)."""
    found = []
    for path in sorted(glob.glob(os.path.join(directory, '*.jsonl'))):
        with open(path, encoding='utf-8') as handle:
            lines = [json.loads(line) for line in handle if line.strip()]
        if not lines or lines[0].get('format') != FORMAT:
            raise ValueError('%s is not a fleetops.mdm recording' % path)
        found.append(Recording(path, lines[0], sorted(lines[1:], key=lambda entry: entry['seq'])))
    return found


class _Raw:
    def __init__(self, status, headers, content, url):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.content = content
        self.url = url


class ReplaySession:
    """A stand-in for requests.Session answering from a recording."""

    def __init__(self, exchanges):
        self.pending = list(exchanges)
        self.served = []
        self.fallbacks = 0
        self.headers = {}

    def mount(self, prefix, adapter):
        pass

    def close(self):
        pass

    def request(self, method, url, params=None, headers=None, data=None, json=None, auth=None, timeout=None,  # pylint: disable=redefined-outer-name
                verify=None, allow_redirects=True, stream=False):
        prepared = requests.Request(method, url, params=params, headers=headers, data=data, json=json).prepare()
        parts = urlsplit(prepared.url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        exchange = self._match(method.upper(), parts.path, query)
        self.served.append(exchange)
        reply = exchange['response']
        reply_headers = dict(reply.get('headers') or {})
        if 'json' in reply:
            content = _dumps(reply['json'])
            reply_headers.setdefault('Content-Type', 'application/json')
        else:
            content = (reply.get('text') or '').encode('utf-8')
        return _Raw(reply['status'], reply_headers, content, prepared.url)

    def _match(self, method, path, query):
        same_path = [exchange for exchange in self.pending
                     if exchange['request']['method'] == method and exchange['request']['path'] == path]
        for exchange in same_path:
            if _same_query(exchange['request']['query'], query):
                self.pending.remove(exchange)
                return exchange
        if same_path:
            self.fallbacks += 1
            self.pending.remove(same_path[0])
            return same_path[0]
        raise AssertionError('the recording has no reply for %s %s %s' % (method, path, query))


def _dumps(data):
    return json.dumps(data).encode('utf-8')


def _same_query(recorded, sent):
    recorded = sorted((name, value) for name, value in recorded if name not in IGNORED_QUERY)
    sent = sorted((name, value) for name, value in sent if name not in IGNORED_QUERY)
    if [name for name, _value in recorded] != [name for name, _value in sent]:
        return False
    return all(want == REDACTED or want == got for (_name, want), (_unused, got) in zip(recorded, sent))


def replay_options(recording):
    """Connection options for the replay: the recorded ones, with stand-in credentials."""
    header = recording.header
    options = dict((name, value) for name, value in header['options'].items() if name != 'auth')
    vendor = header['vendor']
    key = vendor
    if vendor == 'manageengine':
        key = 'manageengine_api_key' if header['options'].get('auth') == 'api_key' else 'manageengine_oauth'
    for name, value in STAND_INS[key].items():
        options.setdefault(name, value)
    options.update(vendor=vendor, url='https://replay.invalid', validate_certs=True, max_retries=0)
    return options


def replay_adapter(recording):
    """(adapter, session) replaying one recording."""
    from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
    session = ReplaySession(recording.exchanges)
    adapter = build_adapter(replay_options(recording), session=session, sleep=lambda _seconds: None)
    return adapter, session
