# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Core device deletion (mdm_device ``state: absent``), the ``device_deletes`` capability over a
MobileIronCoreSession: "Delete devices" takes retired devices only."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.session import (
    DEVICES_PATH,
    MAX_ACTION_UUIDS,
    MAX_LIMIT,
    RETIRED,
    uuid_queries,
)


class MobileIronCoreDeletes(Capability):
    """Deleting retired MobileIron Core devices, over a MobileIronCoreSession."""

    def check_device_deletes(self, devices):
        """The device UUIDs to delete, each once (the session's check_device_ids())."""
        return list(dict.fromkeys(self.session.check_device_ids(devices)))

    @staticmethod
    def deletable(status):
        """May a device of this vendor status (device_statuses()) be deleted?  "Delete devices" takes retired ones."""
        return status == RETIRED

    def device_statuses(self, devices):
        """common.status of each device, with as few searches as the 255-character query allows: the UUIDs of one
        search are joined with OR in the reference's advanced-search form."""
        statuses = {}
        wanted = set(devices)
        for query in uuid_queries(devices):
            params = {'adminDeviceSpaceId': self.session.device_space_id, 'fields': 'common.uuid,common.status', 'query': query,
                      'limit': MAX_LIMIT, 'offset': 0}
            data = self.session.call_json('GET', DEVICES_PATH, 'read the status of devices', params=params)
            records, _total = self.session.results_and_total(data, 'read the status of devices')
            for record in records:
                uuid = str(record.get('common.uuid') or '').lower()
                if uuid in wanted:
                    statuses[uuid] = str(record.get('common.status') or '').strip().upper()
        return statuses

    def delete_devices(self, devices):
        """"Delete devices": ``DELETE /api/v2/devices`` with ``{"deviceUuids": [...]}``, at most MAX_ACTION_UUIDS a call;
        the reply lists the UUIDs really deleted (retired iOS, OS X, Win8 or Android devices not modified in the last
        day), every other UUID of the call is a failure."""
        sent, deleted, failures = 0, [], []
        devices = list(devices)
        for start in range(0, len(devices), MAX_ACTION_UUIDS):
            batch = devices[start:start + MAX_ACTION_UUIDS]
            sent += 1
            try:
                # Never re-sent after a lost reply (safe=False).
                data = self.session.call_json('DELETE', DEVICES_PATH, 'delete devices', params={'adminDeviceSpaceId': self.session.device_space_id},
                                              json_body={'deviceUuids': batch}, safe=False)
            except MdmError as exc:
                failures.extend(dict(device_id=uuid, reason=str(exc)) for uuid in batch)
                continue
            if not isinstance(data, list):
                failures.extend(dict(device_id=uuid, reason='the reply is not the list of deleted devices') for uuid in batch)
                continue
            done = set(str(uuid).lower() for uuid in data)
            for uuid in batch:
                if uuid in done:
                    deleted.append(uuid)
                else:
                    failures.append(dict(device_id=uuid, reason='MobileIron Core did not delete it: it deletes only retired '
                                                                'iOS, OS X, Win8 and Android devices not modified in the last day'))
        return sent, deleted, failures
