# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fleetops.mdm.mdm_account runs with the play's login cache (plugins/plugin_utils/login_action.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.plugin_utils.login_action import LoginCacheAction


class ActionModule(LoginCacheAction):
    """One login per play for this module."""
