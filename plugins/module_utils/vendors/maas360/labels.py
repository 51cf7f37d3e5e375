# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM MaaS360 device groups as labels (mdm_label_info, fetch_labels), the ``labels`` capability over a
MaaS360Session.  MaaS360 documents no membership write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.device import text_or_none
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360.session import GROUPS_PATH, PAGE_SIZES

SEARCH_BY_GROUP_PATH = '/device-apis/devices/2.0/searchByDeviceGroup/customer/%s'
DEVICE_GROUP_TYPES = ('2',)


class MaaS360Labels(Capability):
    """Device groups of MaaS360 and their devices, over a MaaS360Session."""

    def device_groups(self):
        """The account's device groups: [(group id, group name)]."""
        operation = 'list device groups'
        response = self.session.call('GET', GROUPS_PATH % self.session.billing_path, operation)
        data = self.session.read_reply(response, operation)
        groups = data.get('groups') if isinstance(data, dict) else None
        if groups in (None, '', {}):
            return []
        listed = groups.get('group') if isinstance(groups, dict) else None
        if isinstance(listed, dict):
            listed = [listed]  # one group comes as an object, like one device
        if listed in (None, ''):
            return []
        if not isinstance(listed, list):
            raise self.session.bad_response('"groups.group" is neither a list nor an object', operation, response)
        found = []
        for group in listed:
            if not isinstance(group, dict):
                continue
            group_type = text_or_none(group.get('groupType'))
            group_id, name = text_or_none(group.get('groupID')), text_or_none(group.get('groupName'))
            if group_id and name and (group_type is None or group_type in DEVICE_GROUP_TYPES):
                found.append((group_id, name))
        return found

    def list_labels(self, with_members=False, concurrency=4, select=None):
        """Device groups as labels: the group list, then each group's devices (searchByDeviceGroup).

        The group list carries no device count: it is the ``count`` of the group's first search page (one request
        of the smallest page size per group), or the number of members when they are fetched (every page).
        """
        page_size = self.session.max_page_size

        def count_of(label):
            operation = 'count the devices of group %s' % label['name']
            params = {'deviceGroupId': label['id'], 'pageSize': PAGE_SIZES[0], 'pageNumber': 1}
            records, total = self.session.search(params, operation, path=SEARCH_BY_GROUP_PATH)
            return total if total is not None else len(records)

        def members(label):
            operation = 'list the devices of group %s' % label['name']

            def fetch(start, size):
                params = {'deviceGroupId': label['id'], 'pageSize': self.session.page_size_to_send(size, page_size),
                          'pageNumber': start // size + 1}
                return self.session.search_page(params, operation, path=SEARCH_BY_GROUP_PATH)
            records = self.session.list_pages(fetch, page_size, 1, key=self.session.device_id_of, what='members of group %s' % label['name'],
                                              page_numbers=True)
            return [self.session.device_id_of(record) for record in records]

        labels = [{'id': group_id, 'name': name, 'device_count': None} for group_id, name in self.device_groups()]
        if with_members:
            chosen = [label for label in labels if select is None or select(label['name'])]
            for label, ids in zip(chosen, self.session.map_concurrently(members, chosen, concurrency)):
                label['members'] = ids
                label['device_count'] = len(ids)
        else:
            for label, count in zip(labels, self.session.map_concurrently(count_of, labels, concurrency)):
                label['device_count'] = count
        return labels
