# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declaration of ManageEngine MDM: its session and the class of each capability (names: registry.CAPABILITIES)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import VendorDeclaration
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.actions import ManageEngineActions
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.assignments import ManageEngineAssignments
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.details import ManageEngineDetails
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.facts import ManageEngineFacts
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.labels import ManageEngineLabels
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.session import ManageEngineSession

VENDOR = VendorDeclaration(
    'manageengine', ManageEngineSession,
    display_name='ManageEngine MDM',
    # Cloud (Zoho OAuth) or on-premises (an API key).
    required_options=[('url', 'client_id', 'client_secret', 'refresh_token', 'accounts_url'), ('url', 'api_key')],
    capabilities={
        'actions': ManageEngineActions,
        'labels': ManageEngineLabels,
        'label_writes': ManageEngineLabels,
        'label_lifecycle': ManageEngineLabels,
        'facts': ManageEngineFacts,
        'device_updates': ManageEngineDetails,
        'assignments': ManageEngineAssignments,
    },
)
