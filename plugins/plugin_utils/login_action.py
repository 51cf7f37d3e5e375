# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of every module of the collection (``plugins/action/<module>.py`` each name this class).

It runs the module exactly as ansible-core's ``normal`` action plugin does, and, when the module runs on the
controller itself, first finds or starts the play's login broker (plugins/plugin_utils/login_broker.py) and tells
the module where it listens, so that the tasks, loops and roles of one ``ansible-playbook`` run log in once
(module_utils/login_cache.py).  Turned off by the module option ``login_cache: false`` (or ``MDM_LOGIN_CACHE=false``
in the controller's environment).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible import constants as C
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.utils.display import Display

from ansible_collections.fleetops.mdm.plugins.module_utils.login_cache import BROKER_ENV
from ansible_collections.fleetops.mdm.plugins.plugin_utils.login_broker import ensure_broker

display = Display()


class LoginCacheAction(NormalActionModule):
    """ansible-core's ``normal`` action plus the play's login cache."""

    _login_broker = None

    def run(self, tmp=None, task_vars=None):
        self._login_broker = self._find_login_broker()
        return super(LoginCacheAction, self).run(tmp, task_vars)

    def _login_cache_wanted(self):
        value = self._task.args.get('login_cache')
        if value is None:
            value = os.environ.get('MDM_LOGIN_CACHE', True)
        try:
            return boolean(value, strict=True)
        except TypeError:
            # The module refuses the value by itself, naming the option.
            return False

    def _find_login_broker(self):
        if not self._login_cache_wanted():
            return None
        # Only a module on this machine, as this user, can reach the broker's socket; anywhere else it logs in.
        transport = str(getattr(self._connection, 'transport', '') or '')
        if transport.rsplit('.', 1)[-1] != 'local' or self._play_context.become:
            return None
        try:
            path = ensure_broker(C.DEFAULT_LOCAL_TMP, os.getppid())
        except (OSError, ValueError) as exc:
            display.vvv('fleetops.mdm: no login cache for this task (%s)' % exc)
            return None
        if path is None:
            display.vvv('fleetops.mdm: no login cache for this task (the broker could not start)')
        return path

    def _compute_environment_string(self, raw_environment_out=None):
        if not self._login_broker:
            return super(LoginCacheAction, self)._compute_environment_string(raw_environment_out)
        environment = {}
        super(LoginCacheAction, self)._compute_environment_string(environment)
        environment[BROKER_ENV] = self._login_broker
        if isinstance(raw_environment_out, dict):
            raw_environment_out.clear()
            raw_environment_out.update(environment)
        return self._connection._shell.env_prefix(**environment)
