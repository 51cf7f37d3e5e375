# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declaration of MobileIron Core: its session and the class of each capability (names: registry.CAPABILITIES)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import VendorDeclaration
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.actions import MobileIronCoreActions
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.deletes import MobileIronCoreDeletes
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.facts import MobileIronCoreFacts
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.labels import MobileIronCoreLabels
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.session import MobileIronCoreSession

VENDOR = VendorDeclaration(
    'mobileiron_core', MobileIronCoreSession,
    display_name='MobileIron Core',
    required_options=[('url', 'username', 'password')],
    capabilities={
        'actions': MobileIronCoreActions,
        'labels': MobileIronCoreLabels,
        'label_writes': MobileIronCoreLabels,
        'facts': MobileIronCoreFacts,
        'device_deletes': MobileIronCoreDeletes,
    },
    # The "Label Management" chapter of API v2 documents one call, GET /api/v2/labels/label_summary
    # (https://help.ivanti.com/mi/help/en_us/CORE/11.x/api2/APIv2/APIv2Labels.htm); labels are made in the portal.
    refusals={'label_lifecycle': 'the MobileIron Core API v2 documents no such call; create and delete labels in the Admin Portal'},
)
