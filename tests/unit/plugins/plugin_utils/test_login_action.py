# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin's part of the login cache: when it starts a broker and how the module learns where it is."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import tempfile
import time

import pytest

from ansible.plugins.loader import shell_loader

from ansible_collections.fleetops.mdm.plugins.module_utils.login_cache import BROKER_ENV
from ansible_collections.fleetops.mdm.plugins.plugin_utils import login_action
from ansible_collections.fleetops.mdm.tests.unit.plugins.plugin_utils.test_login_broker import broker_pids, wait_gone


class Task:
    def __init__(self, args, environment=None):
        self.args = args
        self.environment = environment


class Connection:
    def __init__(self, transport):
        self.transport = transport
        self._shell = shell_loader.get('sh')


class PlayContext:
    def __init__(self, become=False):
        self.become = become


class Templar:
    @staticmethod
    def template(value):
        return value


def action(args=None, transport='local', become=False, environment=None):
    return login_action.LoginCacheAction(Task(args or {}, environment), Connection(transport), PlayContext(become), None, Templar(), None)


@pytest.fixture
def run_dir(monkeypatch):
    path = tempfile.mkdtemp(prefix='mdmla-')
    os.chmod(path, 0o700)
    monkeypatch.setattr(login_action.C, 'DEFAULT_LOCAL_TMP', path)
    monkeypatch.delenv('MDM_LOGIN_CACHE', raising=False)
    yield path
    sock = os.path.join(path, 'fleetops-mdm-login.sock')
    if os.path.exists(sock):
        os.unlink(sock)
    assert wait_gone(sock)
    shutil.rmtree(path, ignore_errors=True)


def test_a_local_module_is_pointed_at_the_broker(run_dir):
    plugin = action(environment=[{'HTTPS_PROXY': 'http://proxy.example:3128'}])
    path = plugin._find_login_broker()
    assert path == os.path.join(run_dir, 'fleetops-mdm-login.sock') and broker_pids(path)
    plugin._login_broker = path
    environment = {}
    prefix = plugin._compute_environment_string(environment)
    # The task's own environment stays, the broker's address is added.
    assert environment == {'HTTPS_PROXY': 'http://proxy.example:3128', BROKER_ENV: path}
    assert '%s=%s' % (BROKER_ENV, path) in prefix and 'HTTPS_PROXY=' in prefix


@pytest.mark.parametrize('args,transport,become,env', [
    ({'login_cache': False}, 'local', False, None),
    ({'login_cache': 'no'}, 'local', False, None),
    ({}, 'local', False, 'false'),
    ({}, 'ssh', False, None),
    ({}, 'ansible.netcommon.httpapi', False, None),
    ({}, 'local', True, None),
])
def test_no_broker_where_the_module_cannot_use_it_or_it_is_off(run_dir, monkeypatch, args, transport, become, env):
    if env is not None:
        monkeypatch.setenv('MDM_LOGIN_CACHE', env)
    plugin = action(args, transport, become)
    assert plugin._find_login_broker() is None
    time.sleep(0.1)
    assert not os.path.exists(os.path.join(run_dir, 'fleetops-mdm-login.sock'))
    environment = {}
    plugin._compute_environment_string(environment)
    assert BROKER_ENV not in environment


def test_the_option_wins_over_the_environment(run_dir, monkeypatch):
    monkeypatch.setenv('MDM_LOGIN_CACHE', 'false')
    assert action({'login_cache': True})._find_login_broker() is not None
