# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport limits against real sockets, on 127.0.0.1 only: a server that drips its reply cannot outlast
``timeout``; a huge reply is stopped, not read whole; connection errors name their cause first (DNS, refused,
TLS, proxy) and a name that does not resolve is not retried; http:// and validate_certs: false are warned about
in module results and on the inventory's display."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import TLSError, TransportError

from conftest import run_playbook
from test_inventory import run_inventory, write_config

CORE = 'mobileiron_core'


def free_port():
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def core_adapter(sim, **options):
    conn = dict(sim.params(CORE), ca_path=sim.ca_path)
    conn.update(options)
    return build_adapter(conn)


def test_a_dripping_server_cannot_outlast_the_timeout(sim):
    # The simulator sends the real reply's headers, then its body a byte a second (120 s for 120 bytes).
    sim.set_faults(CORE, kinds=['drip'], rate=1, count=1, methods=['GET'])
    adapter = core_adapter(sim, timeout=3, max_retries=0)
    started = time.monotonic()
    with pytest.raises(TransportError) as err:
        adapter.list_devices()
    elapsed = time.monotonic() - started
    assert elapsed < 3 + 1.5, elapsed
    message = str(err.value)
    assert message.startswith('MobileIron Core: list devices failed: timeout: no complete reply'), message
    assert err.value.maybe_sent is True


def test_a_dripping_reply_to_a_read_is_retried_and_the_listing_completes(sim):
    sim.set_faults(CORE, kinds=['drip'], rate=1, count=1, methods=['GET'])
    adapter = core_adapter(sim, timeout=2, max_retries=2)
    started = time.monotonic()
    devices = adapter.list_devices()
    assert len(devices) == len(sim.devices(CORE))
    assert time.monotonic() - started < 2 + 1.5 + 10
    assert adapter.transport.stats.as_dict()['retries'] == 1


HUGE_SCRIPT = r'''
import json, resource, sys
from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import MdmError
conn = json.loads(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    build_adapter(conn).list_devices()
    outcome = 'listed'
except MdmError as exc:
    outcome = '%s: %s' % (type(exc).__name__, exc)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(outcome=outcome, rss_before_kb=before, rss_peak_kb=after)))
'''


def test_a_huge_reply_is_stopped_not_read_whole(sim):
    # 100 MB, chunked, no Content-Length: the client must count what it reads (the finding: 100 MB -> 350 MB RSS).
    sim.set_faults(CORE, kinds=['huge'], rate=1, count=1, methods=['GET'])
    conn = dict(sim.params(CORE), ca_path=sim.ca_path, max_retries=0, timeout=60)
    proc = subprocess.run([sys.executable, '-c', HUGE_SCRIPT, json.dumps(conn)], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ), check=True)
    report = json.loads(proc.stdout)
    assert report['outcome'].startswith('BadResponseError: MobileIron Core: list devices failed (HTTP 200): the reply goes on '
                                        'past that: more than the 32 MB'), report
    growth_mb = (report['rss_peak_kb'] - report['rss_before_kb']) / 1024.0
    print('huge reply: peak RSS growth %.1f MB; %s' % (growth_mb, report))
    assert growth_mb < 80, report


def test_a_refused_connection_names_its_cause_first(sim):
    adapter = core_adapter(sim, url='https://127.0.0.1:%d' % free_port(), max_retries=1)
    adapter.transport._sleep = lambda seconds: None
    with pytest.raises(TransportError) as err:
        adapter.list_devices()
    assert str(err.value).startswith('MobileIron Core: list devices failed: could not connect to https://127.0.0.1:')
    assert str(err.value).split(': ', 4)[-1].startswith('connection refused'), str(err.value)
    assert err.value.maybe_sent is False
    assert adapter.transport.stats.as_dict()['requests'] == 2  # never sent, so retried


def test_a_name_that_does_not_resolve_fails_at_once(sim):
    adapter = core_adapter(sim, url='https://mdm.fleetops-test.invalid', max_retries=5)
    started = time.monotonic()
    with pytest.raises(TransportError) as err:
        adapter.list_devices()
    assert time.monotonic() - started < 5
    assert adapter.transport.stats.as_dict()['requests'] == 1
    message = str(err.value)
    assert message.startswith('MobileIron Core: list devices failed: could not connect to https://mdm.fleetops-test.invalid: '
                              'DNS: the host name mdm.fleetops-test.invalid does not resolve'), message


def test_an_untrusted_certificate_names_its_cause_first(sim):
    adapter = core_adapter(sim, ca_path=None)
    with pytest.raises(TLSError) as err:
        adapter.list_devices()
    assert 'TLS failure talking to https://127.0.0.1:' in str(err.value)[:120]
    assert 'not signed by a trusted CA' in str(err.value)


def test_a_failing_proxy_names_its_cause_first(sim, monkeypatch):
    proxy = 'http://proxyuser:Proxy-Pa55@127.0.0.1:%d' % free_port()
    for name in ('NO_PROXY', 'no_proxy'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('HTTPS_PROXY', proxy)
    adapter = core_adapter(sim, max_retries=0)
    with pytest.raises(TransportError) as err:
        adapter.list_devices()
    message = str(err.value)
    assert message.startswith('MobileIron Core: list devices failed: could not connect to https://127.0.0.1:'), message
    assert ': proxy: ' in message[:120], message
    assert 'Proxy-Pa55' not in message


def test_modules_and_the_inventory_warn_about_unchecked_certificates(sim, tmp_path):
    conn = dict(sim.params(CORE), validate_certs=False)
    run = run_playbook(tmp_path, 'list_devices.yml', conn)
    assert run.rc == 0, run.output[-2000:]
    assert [w for w in run.result.get('warnings', []) if 'validate_certs is false' in w], run.result.get('warnings')
    config = write_config(tmp_path, CORE, conn)
    proc = run_inventory(config)
    assert 'validate_certs is false' in proc.stderr
