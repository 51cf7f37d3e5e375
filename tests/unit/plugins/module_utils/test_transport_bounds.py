# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport limits without a server: causes named first, no retry loop on DNS, reply size, JSON depth,
the per-request deadline watchdog (on a local socket pair)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import time

import pytest
import requests
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError, ReadTimeoutError

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import BadResponseError, TransportError
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import Response, Transport, _Deadline, connection_cause, describe_body

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, ScriptedSession

URL = 'https://mdm.example.com'


def make(script, max_retries=3, **kwargs):
    session = ScriptedSession(script)
    sleeps = []
    transport = Transport('mobileiron_core', URL, session=session, sleep=sleeps.append, rand=lambda: 0.5,
                          max_retries=max_retries, timeout=7, **kwargs)
    return transport, session, sleeps


def dns_failure():
    # What requests raises for a name that does not resolve (urllib3 2: NameResolutionError wrapping socket.gaierror).
    reason = NameResolutionError('mdm.example.com', None, socket.gaierror(-2, 'Name or service not known'))
    return requests.exceptions.ConnectionError(requests.packages.urllib3.exceptions.MaxRetryError(None, '/r', reason))


def refused():
    inner = NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] Connection refused')
    inner.__cause__ = ConnectionRefusedError(111, 'Connection refused')
    # A long urllib3 prefix: the cause used to be cut off by the 300-character shortening.
    return requests.exceptions.ConnectionError(requests.packages.urllib3.exceptions.MaxRetryError(
        None, '/api/v2/devices?' + 'fields=common.uuid&' * 30, inner))


def test_dns_failure_is_named_first_and_not_retried():
    transport, session, sleeps = make([Expect('GET', '/r', raise_exc=dns_failure())], max_retries=5)
    with pytest.raises(TransportError) as err:
        transport.request('GET', '/r', 'list devices')
    assert str(err.value) == ('MobileIron Core: list devices failed: could not connect to https://mdm.example.com: DNS: the '
                              'host name mdm.example.com does not resolve (check url and the DNS settings of the controller)')
    assert sleeps == [] and err.value.maybe_sent is False
    session.assert_done()


def test_refused_connection_is_named_first_and_retried():
    transport, session, sleeps = make([Expect('POST', '/w', raise_exc=refused()), Expect('POST', '/w')])
    transport.request('POST', '/w', 'lock')
    assert len(sleeps) == 1
    transport, _session, _sleeps = make([Expect('GET', '/r', raise_exc=refused())], max_retries=0)
    with pytest.raises(TransportError) as err:
        transport.request('GET', '/r', 'read')
    assert str(err.value) == ('MobileIron Core: read failed: could not connect to https://mdm.example.com: connection refused '
                              '(nothing accepts connections on that port)')


def test_proxy_and_timeouts_are_named_first():
    proxy = requests.exceptions.ProxyError(requests.packages.urllib3.exceptions.MaxRetryError(
        None, '/r', requests.packages.urllib3.exceptions.ProxyError('Unable to connect to proxy http://u:Pr0xy-pw@10.0.0.1:3128',
                                                                    OSError('Tunnel connection failed: 403 Forbidden'))))
    transport, _session, _sleeps = make([Expect('GET', '/r', raise_exc=proxy)], max_retries=0)
    with pytest.raises(TransportError) as err:
        transport.request('GET', '/r', 'read')
    assert str(err.value).startswith('MobileIron Core: read failed: could not connect to https://mdm.example.com: proxy: ')
    assert 'Pr0xy-pw' not in str(err.value)
    connect = requests.exceptions.ConnectTimeout(ConnectTimeoutError(None, 'timed out'))
    transport, _session, _sleeps = make([Expect('GET', '/r', raise_exc=connect)], max_retries=0)
    with pytest.raises(TransportError) as err:
        transport.request('GET', '/r', 'read')
    assert str(err.value) == 'MobileIron Core: read failed: could not connect to https://mdm.example.com: timeout: no connection within 7s'
    read = requests.exceptions.ReadTimeout(ReadTimeoutError(None, '/r', 'Read timed out. (read timeout=7)'))
    transport, _session, _sleeps = make([Expect('POST', '/w', raise_exc=read)])
    with pytest.raises(TransportError) as err:
        transport.request('POST', '/w', 'wipe')
    assert str(err.value) == 'MobileIron Core: wipe failed: timeout: no reply from https://mdm.example.com within 7s'
    assert err.value.maybe_sent is True


@pytest.mark.parametrize('exc,cause', [
    (dns_failure(), 'dns'),
    (refused(), 'refused'),
    (requests.exceptions.SSLError('certificate verify failed'), 'tls'),
    (requests.exceptions.ConnectionError(ConnectionResetError(104, 'Connection reset by peer')), 'reset'),
])
def test_connection_cause(exc, cause):
    assert connection_cause(exc) == cause


def test_a_reply_announcing_more_than_the_limit_is_refused_unread():
    transport, _session, _sleeps = make([Expect('GET', '/r', reply=b'{}', reply_headers={'Content-Length': str(200 * 1024 * 1024)})])
    with pytest.raises(BadResponseError) as err:
        transport.request('GET', '/r', 'list devices')
    assert 'announces 209715200 bytes: more than the 32 MB one reply may have' in str(err.value)


def test_a_reply_larger_than_the_limit_is_refused():
    transport, _session, _sleeps = make([Expect('GET', '/r', reply=b'[' + b'1,' * 600 + b'1]')], max_reply_bytes=1024)
    with pytest.raises(BadResponseError) as err:
        transport.request('GET', '/r', 'list devices')
    assert 'has 1203 bytes' in str(err.value)
    transport, _session, _sleeps = make([Expect('GET', '/r', reply=b'[1]')], max_reply_bytes=1024)
    assert transport.request('GET', '/r', 'list devices').json() == [1]


class StreamedReply:
    """requests.Response as seen with stream=True: the body comes through iter_content."""

    def __init__(self, chunks):
        self.status_code = 200
        self.headers = requests.structures.CaseInsensitiveDict({'Content-Type': 'application/json'})
        self.raw = object()
        self.url = URL
        self.read = 0
        self.closed = False
        self._chunks = chunks

    def iter_content(self, size):
        for chunk in self._chunks:
            self.read += len(chunk)
            yield chunk

    def close(self):
        self.closed = True


def test_a_streamed_reply_is_stopped_at_the_limit():
    endless = (b' ' * 65536 for _chunk_number in range(10 ** 6))  # 64 GB if read whole
    reply = StreamedReply(endless)
    transport = Transport('maas360', URL, session=ScriptedSession([]), max_reply_bytes=1024 * 1024)
    transport.session.request = lambda *args, **kwargs: reply
    with pytest.raises(BadResponseError) as err:
        transport.request('GET', '/r', 'list devices')
    assert 'goes on past that' in str(err.value)
    assert reply.read <= 1024 * 1024 + 65536 and reply.closed


def test_json_nested_too_deep_is_a_clear_error():
    deep = b'[' * 100000 + b']' * 100000
    adapter = build_adapter(dict(vendor='mobileiron_core', url=URL, username='u', password='p-secret'),
                            session=ScriptedSession([Expect('GET', '/api/v2/devices', reply=deep, content_type='application/json')]))
    with pytest.raises(BadResponseError) as err:
        adapter.call_json('GET', '/api/v2/devices', 'list devices')
    assert 'nested too deeply' in str(err.value)
    assert describe_body(Response(500, {'Content-Type': 'application/json'}, deep)).startswith('malformed JSON')


def test_the_deadline_cuts_a_blocked_read():
    left, right = socket.socketpair()

    class Conn:
        sock = left
    try:
        watch = _Deadline(0.3)
        watch.attach(Conn())
        started = time.monotonic()
        left.settimeout(10)
        data = left.recv(10)  # the peer never writes: only the watchdog ends this
        elapsed = time.monotonic() - started
        assert data == b'' and watch.expired
        assert elapsed < 2
    finally:
        left.close()
        right.close()


def test_a_cancelled_deadline_touches_nothing():
    left, right = socket.socketpair()

    class Conn:
        sock = left
    try:
        watch = _Deadline(0.1)
        watch.attach(Conn())
        watch.cancel()
        time.sleep(0.3)
        right.sendall(b'x')
        left.settimeout(2)
        assert left.recv(1) == b'x' and not watch.expired
    finally:
        left.close()
        right.close()
