# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declaration of MobileIron Cloud: its session and the class of each capability (names: registry.CAPABILITIES)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import VendorDeclaration
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_cloud.actions import MobileIronCloudActions
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_cloud.session import MobileIronCloudSession
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_cloud.users import MobileIronCloudUsers

VENDOR = VendorDeclaration(
    'mobileiron_cloud', MobileIronCloudSession,
    display_name='MobileIron Cloud',
    required_options=[('url', 'username', 'password')],
    capabilities={
        'actions': MobileIronCloudActions,
        'users': MobileIronCloudUsers,
        'user_search': MobileIronCloudUsers,
        'registration_policy': MobileIronCloudUsers,
    },
)
