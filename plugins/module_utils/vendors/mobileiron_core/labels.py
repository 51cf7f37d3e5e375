# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MobileIron Core labels (mdm_label_info, mdm_label, fetch_labels): the label summary, the devices of a label and
label membership writes, the ``labels`` and ``label_writes`` capabilities over a MobileIronCoreSession."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import quote

from ansible_collections.fleetops.mdm.plugins.module_utils.device import bool_or_none, text_or_none
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import LABELS
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.session import DEVICES_PATH, MAX_ACTION_UUIDS, MAX_LIMIT

LABEL_SUMMARY_PATH = '/api/v2/labels/label_summary'
# "Apply labels to devices" / "Remove labels from devices": PUT .../labels/{label1,label2}/add|remove, JSON body
# {"deviceUuids": [...]}, reply actionType APPLY_LABEL_TO_DEVICES / REMOVE_LABEL_FROM_DEVICES.
LABEL_ACTION_PATH = '/api/v2/devices/labels'
LABEL_ACTION_TYPES = {'add': 'APPLY_LABEL_TO_DEVICES', 'remove': 'REMOVE_LABEL_FROM_DEVICES'}


class MobileIronCoreLabels(Capability):
    """Labels of MobileIron Core and their devices, over a MobileIronCoreSession."""

    def label_summary(self, page_size=MAX_LIMIT, concurrency=1):
        """Every label of the device space (id, name, description, isStatic, criteria, deviceCount, rowType)."""
        page_size = max(1, min(int(page_size), MAX_LIMIT))

        def fetch(offset, size):
            params = {'adminDeviceSpaceId': self.session.device_space_id, 'limit': size, 'offset': offset}
            data = self.session.call_json('GET', LABEL_SUMMARY_PATH, 'list labels', params=params)
            return self.session.page_of(data, 'list labels')
        return self.session.list_pages(fetch, page_size, concurrency, key=lambda row: row.get('id'), what='labels')

    def list_labels(self, with_members=False, concurrency=4, select=None):
        """Labels from label_summary; with members, the uuids of each non-empty label's devices (search by labelId).

        One request per 200 labels, plus one per 200 members of each label asked for (NOTES.md, "Only label" in the
        reference).
        """
        labels = []
        for row in self.label_summary(concurrency=concurrency):
            if isinstance(row, dict) and row.get('id') is not None and text_or_none(row.get('name')):
                try:
                    count = int(row.get('deviceCount'))
                except (TypeError, ValueError):
                    count = None
                # isStatic (NOTES.md): a label that is not static follows its criteria, so its members cannot be set.
                labels.append({'id': str(row['id']), 'name': text_or_none(row['name']), 'device_count': count,
                               'writable': bool_or_none(row.get('isStatic'))})
        if not with_members:
            return labels

        def members(label):
            if label['device_count'] == 0 or (select is not None and not select(label['name'])):
                return []
            operation = 'list the devices of label %s' % label['name']

            def fetch(offset, size):
                params = {'adminDeviceSpaceId': self.session.device_space_id, 'labelId': label['id'], 'fields': 'common.uuid',
                          'limit': size, 'offset': offset}
                return self.session.page_of(self.session.call_json('GET', DEVICES_PATH, operation, params=params), operation)
            rows = self.session.list_pages(fetch, MAX_LIMIT, 1, key=self.session.device_id_of,
                                           what='members of label %s' % label['name'])
            return [self.session.device_id_of(row) for row in rows]

        for label, uuids in zip(labels, self.session.map_concurrently(members, labels, concurrency)):
            if label['device_count'] == 0 or select is None or select(label['name']):
                label['members'] = uuids
        return labels

    def check_label_writes(self, devices):
        """The device UUIDs to add to or remove from labels (the session's check_device_ids())."""
        return self.session.check_device_ids(devices)

    def change_label_members(self, labels, additions, removals, concurrency=4):
        """"Apply labels to devices" / "Remove labels from devices": ``PUT /api/v2/devices/labels/{l1,l2}/add|remove``.

        Labels that need the same devices share one call; at most MAX_ACTION_UUIDS uuids go in one call (NOTES.md:
        Core takes at most 512 UUIDs per call, and action batches are kept to 512 as well).
        """
        for name in list(additions) + list(removals):
            if ',' in name:
                # The path separates label names with commas: such a label cannot be named in this call.
                raise InvalidInputError('label %r has a comma in its name, which the label call of MobileIron Core cannot '
                                        'carry' % (name,), option=LABELS)
        sent = 0
        failures = []
        for action, changes in (('add', additions), ('remove', removals)):
            by_devices = {}
            for name in sorted(changes):
                devices = sorted(set(changes[name]))
                if devices:
                    by_devices.setdefault(tuple(devices), []).append(name)
            for devices, names in sorted(by_devices.items(), key=lambda item: item[1]):
                for start in range(0, len(devices), MAX_ACTION_UUIDS):
                    batch = list(devices[start:start + MAX_ACTION_UUIDS])
                    sent += 1
                    failures.extend(self._label_call(action, names, batch))
        return sent, failures

    def _label_call(self, action, names, uuids):
        operation = '%s devices %s labels %s' % (action, 'to' if action == 'add' else 'from', ', '.join(names))
        path = '%s/%s/%s' % (LABEL_ACTION_PATH, ','.join(quote(name, safe='') for name in names), action)
        expected = LABEL_ACTION_TYPES[action]

        def failed(reason):
            return [dict(label=name, device_id=uuid, action=action, reason=reason) for name in names for uuid in uuids]
        try:
            # A label write is not re-sent after a lost reply (safe=False): the transport retries it only when the
            # server cannot have seen it.
            data = self.session.call_json('PUT', path, operation, params={'adminDeviceSpaceId': self.session.device_space_id},
                                          json_body={'deviceUuids': uuids}, safe=False)
        except MdmError as exc:
            return failed(str(exc))
        if not isinstance(data, dict) or 'successful' not in data:
            return failed('the reply has no "successful" field')
        action_type = data.get('actionType')
        if action_type not in (None, expected):
            return failed('the reply is for action %r, not %s' % (action_type, expected))
        failures = []
        results = data.get('deviceResults') if isinstance(data.get('deviceResults'), dict) else {}
        for uuid, message in sorted(results.items()):
            # deviceResults holds failure reasons ("Device not found", "Label not found ..."); a message key ending
            # in "successful" (as in the reference's SEND_MESSAGE reply) is a success.
            if str(message or '').lower().endswith('successful'):
                continue
            failures.extend(dict(label=name, device_id=str(uuid), action=action, reason=str(message)) for name in names)
        if not failures and bool_or_none(data.get('successful')) is False:
            failures = failed('the server reported the call as not successful')
        return failures
