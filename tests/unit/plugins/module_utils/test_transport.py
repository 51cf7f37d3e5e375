# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests
from urllib3.exceptions import NewConnectionError, ProtocolError

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TLSError,
    TransportError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import (
    USER_AGENT,
    Transport,
    describe_body,
    parse_retry_after,
    Response,
)

from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import Expect, ScriptedSession


def make(script, max_retries=3):
    session = ScriptedSession(script)
    sleeps = []
    transport = Transport('mobileiron_core', 'https://mdm.example.com/', session=session, sleep=sleeps.append,
                          rand=lambda: 0.5, max_retries=max_retries, timeout=7)
    return transport, session, sleeps


def refused():
    return requests.exceptions.ConnectionError(NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] Connection refused'))


def reset():
    return requests.exceptions.ConnectionError(ProtocolError('Connection aborted.', ConnectionResetError(104, 'reset by peer')))


def test_get_sends_user_agent_timeout_and_verify():
    transport, session, _sleeps = make([Expect('GET', '/api/v2/ping', query={'a': '1'}, reply={'ok': True},
                                               headers={'User-Agent': USER_AGENT})])
    response = transport.request('GET', '/api/v2/ping', 'ping', params={'a': 1})
    assert response.json() == {'ok': True}
    assert session.calls[0]['timeout'] == 7
    assert session.calls[0]['verify'] is True
    assert 'fleetops.mdm/' in USER_AGENT
    session.assert_done()


def test_ca_path_and_validate_certs_false():
    session = ScriptedSession([Expect('GET', '/x'), Expect('GET', '/x')])
    Transport('maas360', 'https://h', session=session, ca_path='/etc/ca.pem').request('GET', '/x', 'x')
    Transport('maas360', 'https://h', session=session, validate_certs=False).request('GET', '/x', 'x')
    assert [c['verify'] for c in session.calls] == ['/etc/ca.pem', False]


def test_429_honours_retry_after_for_any_method():
    transport, session, sleeps = make([
        Expect('POST', '/act', status=429, reply_headers={'Retry-After': '4'}),
        Expect('POST', '/act', reply={'done': 1}),
    ])
    assert transport.request('POST', '/act', 'lock').json() == {'done': 1}
    assert sleeps == [4.0]
    assert transport.stats.as_dict()['retries'] == 1
    session.assert_done()


def test_429_without_retry_after_backs_off_with_jitter():
    transport, _session, sleeps = make([Expect('GET', '/r', status=429), Expect('GET', '/r', status=429), Expect('GET', '/r')])
    transport.request('GET', '/r', 'read')
    assert sleeps == [0.5 * 0.75, 1.0 * 0.75]


def test_429_with_huge_retry_after_fails_at_once():
    transport, _session, sleeps = make([Expect('GET', '/r', status=429, reply_headers={'Retry-After': '3600'})])
    with pytest.raises(RateLimitedError) as err:
        transport.request('GET', '/r', 'read')
    assert sleeps == []
    assert 'HTTP 429' in str(err.value)


@pytest.mark.parametrize('status', [502, 503, 504])
def test_gateway_errors_retried_for_reads(status):
    transport, session, sleeps = make([Expect('GET', '/r', status=status), Expect('GET', '/r', reply=[1])])
    assert transport.request('GET', '/r', 'read').json() == [1]
    assert len(sleeps) == 1
    session.assert_done()


@pytest.mark.parametrize('status', [502, 503, 504])
def test_gateway_errors_not_retried_for_unsafe_writes(status):
    transport, session, sleeps = make([Expect('POST', '/wipe', status=status)])
    with pytest.raises(ServerError) as err:
        transport.request('POST', '/wipe', 'wipe')
    assert err.value.status == status
    assert sleeps == []
    session.assert_done()


def test_gateway_error_retried_for_write_marked_safe():
    transport, session, _sleeps = make([Expect('PUT', '/labels', status=503), Expect('PUT', '/labels')])
    transport.request('PUT', '/labels', 'label', safe=True)
    session.assert_done()


def test_retries_are_bounded():
    transport, session, sleeps = make([Expect('GET', '/r', status=503)] * 3, max_retries=2)
    with pytest.raises(ServerError):
        transport.request('GET', '/r', 'read')
    assert len(sleeps) == 2
    session.assert_done()


def test_500_is_not_retried():
    transport, _session, sleeps = make([Expect('GET', '/r', status=500, reply={'message': 'boom'})])
    with pytest.raises(ServerError) as err:
        transport.request('GET', '/r', 'list devices')
    assert sleeps == []
    assert str(err.value) == 'MobileIron Core: list devices failed (HTTP 500): boom'


def test_connection_refused_is_retried_even_for_writes():
    transport, session, _sleeps = make([Expect('POST', '/wipe', raise_exc=refused()), Expect('POST', '/wipe')])
    transport.request('POST', '/wipe', 'wipe')
    session.assert_done()


def test_reset_after_sending_is_not_retried_for_writes():
    transport, session, sleeps = make([Expect('POST', '/wipe', raise_exc=reset())])
    with pytest.raises(TransportError) as err:
        transport.request('POST', '/wipe', 'wipe')
    assert err.value.maybe_sent is True
    assert sleeps == []
    session.assert_done()


def test_reset_is_retried_for_reads():
    transport, session, _sleeps = make([Expect('GET', '/r', raise_exc=reset()), Expect('GET', '/r')])
    transport.request('GET', '/r', 'read')
    session.assert_done()


def test_read_timeout_not_retried_for_writes():
    transport, _session, _sleeps = make([Expect('POST', '/w', raise_exc=requests.exceptions.ReadTimeout('timed out'))])
    with pytest.raises(TransportError) as err:
        transport.request('POST', '/w', 'wipe')
    assert err.value.maybe_sent is True


def test_tls_failure_names_the_reason_and_is_not_retried():
    exc = requests.exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in chain')
    transport, _session, sleeps = make([Expect('GET', '/r', raise_exc=exc)])
    with pytest.raises(TLSError) as err:
        transport.request('GET', '/r', 'read')
    assert 'not signed by a trusted CA' in str(err.value)
    assert sleeps == []


@pytest.mark.parametrize('status,error', [(401, AuthenticationError), (403, AuthenticationError), (404, NotFoundError),
                                          (400, InvalidInputError)])
def test_status_mapping(status, error):
    transport, _session, sleeps = make([Expect('GET', '/r', status=status, reply={'errors': [{'message': 'nope'}]})])
    with pytest.raises(error) as err:
        transport.request('GET', '/r', 'read')
    assert err.value.status == status
    assert 'nope' in str(err.value)
    assert sleeps == []


def test_error_messages_never_carry_secrets():
    transport, _session, _sleeps = make([Expect('GET', '/r', status=400, reply={'message': 'bad password hunter2-secret for token abc123tok'})])
    transport.add_secret('hunter2-secret')
    transport.add_secret('abc123tok')
    with pytest.raises(InvalidInputError) as err:
        transport.request('GET', '/r', 'read')
    assert 'hunter2-secret' not in str(err.value)
    assert 'abc123tok' not in str(err.value)


def test_parse_retry_after():
    assert parse_retry_after('3') == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after('soon') is None
    assert parse_retry_after('Wed, 21 Oct 2015 07:28:10 GMT', now=1445412480.0) == 10.0


def test_describe_body_html_and_malformed():
    html = Response(502, {'Content-Type': 'text/html'}, b'<html><body>Bad gateway</body></html>')
    assert 'HTML page' in describe_body(html)
    broken = Response(200, {'Content-Type': 'application/json'}, b'{"devices": [')
    assert describe_body(broken).startswith('malformed JSON')


class CapturingAdapter(requests.adapters.BaseAdapter):
    """Answers 200 to everything and keeps the prepared requests."""

    def __init__(self):
        super(CapturingAdapter, self).__init__()
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        response = requests.Response()
        response.status_code = 200
        response._content = b'{}'
        response.request = request
        response.url = request.url
        return response

    def close(self):
        pass


def test_netrc_never_replaces_the_authorization_header(monkeypatch):
    # requests reads ~/.netrc for a request without auth; a matching entry would replace our header.
    monkeypatch.setattr(requests.sessions, 'get_netrc_auth', lambda url, raise_errors=False: ('netrc-user', 'netrc-pass'))
    transport = Transport('manageengine', 'https://mdm.example.com')
    adapter = CapturingAdapter()
    transport.session.mount('https://', adapter)
    transport.request('GET', '/api/v1/mdm/devices', 'list devices', headers={'Authorization': 'the-api-key'})
    assert adapter.sent[0].headers['Authorization'] == 'the-api-key'
