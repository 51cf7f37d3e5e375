# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declaration of IBM MaaS360: its session and the class of each capability (names: registry.CAPABILITIES)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import VendorDeclaration
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360.accounts import MaaS360Accounts
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360.actions import MaaS360Actions
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360.labels import MaaS360Labels
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360.session import MaaS360Session
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360.users import MaaS360Users

VENDOR = VendorDeclaration(
    'maas360', MaaS360Session,
    display_name='IBM MaaS360',
    required_options=[('url', 'billing_id', 'username', 'password', 'app_id', 'app_version', 'platform_id', 'app_access_key')],
    capabilities={
        'actions': MaaS360Actions,
        'labels': MaaS360Labels,
        'user_search': MaaS360Users,
        'accounts': MaaS360Accounts,
    },
)
