# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted stand-in for requests.Session: adapter tests list the exact HTTP
conversation (method, path, query string, headers, body) and the replies."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json as jsonlib
import threading

from urllib.parse import parse_qs, urlsplit

import requests


class Expect:
    """One expected request and the reply to give.

    query: dict of the exact query parameters (values as strings; lists for repeats); None = not checked.
    headers: dict of headers that must be present with these values (None value: must be absent).
    body / json / form: the exact request body (form: dict of form fields).
    reply: dict/list (JSON), str (text) or bytes; status; reply_headers; raise_exc: an exception to raise instead.
    """

    def __init__(self, method, path, query=None, headers=None, body=None, json=None, form=None,
                 reply=None, status=200, reply_headers=None, content_type=None, raise_exc=None):
        self.method = method.upper()
        self.path = path
        self.query = query
        self.headers = headers or {}
        self.body = body
        self.json = json
        self.form = form
        self.reply = reply
        self.status = status
        self.reply_headers = dict(reply_headers or {})
        self.content_type = content_type
        self.raise_exc = raise_exc

    def describe(self):
        return '%s %s %s' % (self.method, self.path, self.query or '')


class ScriptedSession:
    """Replays a script; any request that differs from the next expected one fails the test."""

    def __init__(self, script=None, ordered=True):
        self.script = list(script or [])
        self.ordered = ordered
        self.calls = []
        self.headers = {}
        self._lock = threading.Lock()

    def add(self, *expects):
        self.script.extend(expects)

    def close(self):
        pass

    def mount(self, prefix, adapter):
        pass

    def request(self, method, url, params=None, headers=None, data=None, json=None, auth=None, timeout=None,
                verify=None, allow_redirects=True, stream=False):
        prepared = requests.Request(method, url, params=params, headers=headers, data=data, json=json,
                                    auth=auth).prepare()
        parts = urlsplit(prepared.url)
        query = dict((k, v if len(v) > 1 else v[0]) for k, v in parse_qs(parts.query, keep_blank_values=True).items())
        merged_headers = dict(self.headers)
        merged_headers.update(prepared.headers)
        call = dict(method=method.upper(), url=prepared.url, path=parts.path, query=query, headers=merged_headers,
                    body=prepared.body, timeout=timeout, verify=verify)
        with self._lock:
            self.calls.append(call)
            if not self.script:
                raise AssertionError('unexpected request (script exhausted): %s %s' % (method, prepared.url))
            if self.ordered:
                expect = self.script.pop(0)
            else:
                expect = self._find(call)
        self._check(expect, call)
        if expect.raise_exc is not None:
            raise expect.raise_exc
        return _reply(expect, prepared.url)

    def _find(self, call):
        for index, expect in enumerate(self.script):
            if expect.method == call['method'] and expect.path == call['path'] and \
                    (expect.query is None or _norm(expect.query) == _norm(call['query'])):
                return self.script.pop(index)
        raise AssertionError('unexpected request: %s %s %s' % (call['method'], call['path'], call['query']))

    @staticmethod
    def _check(expect, call):
        where = '%s %s' % (call['method'], call['url'])
        assert call['method'] == expect.method, 'expected %s, got %s' % (expect.describe(), where)
        assert call['path'] == expect.path, 'expected %s, got %s' % (expect.describe(), where)
        if expect.query is not None:
            assert _norm(call['query']) == _norm(expect.query), 'query of %s: expected %r, got %r' % (
                where, expect.query, call['query'])
        for name, value in expect.headers.items():
            actual = _header(call['headers'], name)
            assert actual == value, 'header %s of %s: expected %r, got %r' % (name, where, value, actual)
        body = call['body']
        if isinstance(body, bytes):
            body = body.decode('utf-8')
        if expect.body is not None:
            assert body == expect.body, 'body of %s: expected %r, got %r' % (where, expect.body, body)
        if expect.json is not None:
            assert jsonlib.loads(body) == expect.json, 'JSON body of %s: expected %r, got %r' % (where, expect.json, body)
        if expect.form is not None:
            form = dict((k, v if len(v) > 1 else v[0]) for k, v in parse_qs(body or '', keep_blank_values=True).items())
            assert _norm(form) == _norm(expect.form), 'form of %s: expected %r, got %r' % (where, expect.form, form)

    def assert_done(self):
        assert not self.script, 'expected requests not made: %s' % [e.describe() for e in self.script]


def _norm(mapping):
    return dict((str(k), [str(x) for x in v] if isinstance(v, list) else str(v)) for k, v in mapping.items())


def _header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


class _FakeRaw:
    def __init__(self, status, headers, content, url):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.content = content
        self.url = url


def _reply(expect, url):
    reply = expect.reply
    headers = dict(expect.reply_headers)
    if isinstance(reply, (dict, list)):
        content = jsonlib.dumps(reply).encode('utf-8')
        headers.setdefault('Content-Type', expect.content_type or 'application/json')
    elif isinstance(reply, str):
        content = reply.encode('utf-8')
        headers.setdefault('Content-Type', expect.content_type or 'text/plain')
    elif reply is None:
        content = b''
    else:
        content = reply
        if expect.content_type:
            headers.setdefault('Content-Type', expect.content_type)
    return _FakeRaw(expect.status, headers, content, url)


def build(options, script, ordered=True, **transport_kwargs):
    """An adapter built from options, talking to a ScriptedSession; sleeping is recorded, not done."""
    from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
    session = ScriptedSession(script, ordered=ordered)
    sleeps = []
    transport_kwargs.setdefault('sleep', sleeps.append)
    transport_kwargs.setdefault('rand', lambda: 0.5)
    adapter = build_adapter(options, session=session, **transport_kwargs)
    return adapter, session, sleeps
