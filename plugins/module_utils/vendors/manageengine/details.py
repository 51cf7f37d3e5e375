# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine MDM device details (mdm_device ``state: present``, ``details``), the ``device_updates`` capability
over a ManageEngineSession."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICE_FIELDS, Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.session import DEVICES_PATH

# "Update device details" (PUT /api/v1/mdm/devices/{device_id}): the fields of the reference's request body, less
# apn_password, which the details record returns as null (it cannot be compared, so never idempotent) and which is
# a secret.  The details record names the device "device_name", the update body "name": that the two are the same
# field is UNVERIFIED (the reference's update reply carries neither).
DETAIL_FIELDS = {
    'asset_owner': 'asset_owner',
    'asset_tag': 'asset_tag',
    'apn_username': 'apn_username',
    'description': 'description',
    'name': 'device_name',
    'office': 'office',
    'purchase_date': 'purchase_date',
    'purchase_order_number': 'purchase_order_number',
    'purchase_price': 'purchase_price',
    'purchase_type': 'purchase_type',
    'warranty_expiration_date': 'warranty_expiration_date',
    'warranty_number': 'warranty_number',
    'warranty_type': 'warranty_type',
}


class ManageEngineDetails(Capability):
    """The details of ManageEngine devices, over a ManageEngineSession."""

    def check_device_updates(self, devices, details):
        """``(device ids, details)`` checked before any request: only the fields the device update takes, texts and
        numbers as the reference types them."""
        if not isinstance(details, dict) or not details:
            raise InvalidInputError('give one or more device detail fields to set', option=DEVICE_FIELDS, allowed=sorted(DETAIL_FIELDS))
        unknown = sorted(str(key) for key in details if key not in DETAIL_FIELDS)
        if unknown:
            raise InvalidInputError('%s cannot be set with the ManageEngine MDM device update' % ', '.join(unknown),
                                    option=DEVICE_FIELDS, allowed=sorted(DETAIL_FIELDS))
        for key, value in details.items():
            if isinstance(value, (dict, list)):
                raise InvalidInputError('%s takes a single value, not %s' % (key, type(value).__name__),
                                        option='%s.%s' % (DEVICE_FIELDS, key))
        return self.session.check_device_ids(devices), dict(details)

    def device_details(self, device_id, fields):
        """``{field: current value}`` of one device for the given detail fields; None when there is no such device."""
        record = self.session.get_device_record(device_id)
        if record is None:
            return None
        return dict((field, record.get(DETAIL_FIELDS[field])) for field in fields)

    def update_device_details(self, device_id, changes):
        """"Update device details": ``PUT /api/v1/mdm/devices/{device_id}`` with only the fields to change (the reference:
        "update the value of the device details only if the existing field values are not affected").  Never re-sent
        after a lost reply (safe=False)."""
        self.session.call('PUT', '%s/%s' % (DEVICES_PATH, device_id), 'update the details of device %s' % device_id,
                          json_body=dict(changes), safe=False)
