# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS: with validate_certs on (the default), an expired certificate, a certificate for another host name and a
certificate from an untrusted CA are each refused, with a message that says which - and nothing is sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from conftest import run_playbook

HOST = '127.0.0.1'


class Recorder(BaseHTTPRequestHandler):
    """Answers like a MobileIron Core ping; counts the requests that got through TLS."""

    def do_GET(self):  # pylint: disable=invalid-name
        self.server.requests += 1
        body = json.dumps({'results': [], 'totalCount': 0, 'resultCount': 0, 'hasMore': False}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


class TLSServer:
    def __init__(self, cert):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        self.httpd = ThreadingHTTPServer((HOST, 0), Recorder)
        self.httpd.requests = 0
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)

    @property
    def url(self):
        return 'https://%s:%d' % (HOST, self.httpd.server_address[1])


@pytest.fixture(scope='module')
def trusted(tmp_path_factory):
    ca = trustme.CA()
    path = tmp_path_factory.mktemp('tls') / 'ca.pem'
    ca.cert_pem.write_to_path(str(path))
    return ca, str(path)


def certificate(kind, ca):
    now = datetime.datetime.now(datetime.timezone.utc)
    if kind == 'expired':
        return ca.issue_cert(HOST, not_before=now - datetime.timedelta(days=30), not_after=now - datetime.timedelta(days=1))
    if kind == 'wrong_host':
        return ca.issue_cert('mdm.example.com')
    if kind == 'untrusted':
        return trustme.CA().issue_cert(HOST)
    return ca.issue_cert(HOST)


@pytest.mark.parametrize('kind, words', [
    ('expired', 'certificate has expired'),
    ('wrong_host', 'does not match the host name'),
    ('untrusted', 'not signed by a trusted CA'),
])
def test_bad_certificates_are_refused_with_the_reason(tmp_path, trusted, kind, words):
    ca, ca_path = trusted
    with TLSServer(certificate(kind, ca)) as server:
        conn = dict(vendor='mobileiron_core', url=server.url, username='api', password='Tls-Secret-0x5eed', ca_path=ca_path,
                    max_retries=3)
        run = run_playbook(tmp_path, 'list_devices.yml', conn)
        assert run.rc != 0
        assert words in run.output, run.output[-2000:]
        assert 'TLS' in run.output
        assert server.httpd.requests == 0
        assert 'Tls-Secret-0x5eed' not in run.output


def test_the_same_server_with_a_good_certificate_is_reached(tmp_path, trusted):
    ca, ca_path = trusted
    with TLSServer(certificate('good', ca)) as server:
        conn = dict(vendor='mobileiron_core', url=server.url, username='api', password='Tls-Secret-0x5eed', ca_path=ca_path)
        run = run_playbook(tmp_path, 'list_devices.yml', conn)
        assert run.rc == 0, run.output[-2000:]
        assert server.httpd.requests >= 1
        assert run.result['devices'] == []


def test_validate_certs_false_accepts_an_untrusted_certificate(tmp_path, trusted):
    ca, _ca_path = trusted
    with TLSServer(certificate('untrusted', ca)) as server:
        conn = dict(vendor='mobileiron_core', url=server.url, username='api', password='Tls-Secret-0x5eed',
                    validate_certs=False)
        run = run_playbook(tmp_path, 'list_devices.yml', conn)
        assert run.rc == 0, run.output[-2000:]
        assert server.httpd.requests >= 1
