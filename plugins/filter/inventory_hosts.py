# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""From inventory hosts of the fleetops.mdm.devices plugin to what one bulk device command needs.

A play on an inventory group (``hosts: mdm_label_kiosk``) acts on its devices most efficiently with one
``mdm_device_action`` task for the whole group (``run_once``), which sends the vendor's bulk form, rather than one
task per host. That task needs the device ids of ``ansible_play_hosts`` - and one MDM server: a group can hold
devices of several inventory sources (``mdm_platform_ios`` of a MaaS360 and a MobileIron source), whose ids mean
nothing to the other server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetops.mdm.plugins.module_utils.options import VENDORS


def device_ids(hosts, hostvars, vendor=None):
    """The ``mdm_device_id`` of each host, in order, each once; all of one vendor (or of ``vendor`` only)."""
    if isinstance(hosts, str) or not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError('fleetops.mdm.device_ids: the input must be a list of inventory host names, '
                                 'for example ansible_play_hosts')
    if vendor is not None and vendor not in VENDORS:
        raise AnsibleFilterError('fleetops.mdm.device_ids: vendor must be one of %s, not %r' % (', '.join(VENDORS), vendor))
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError('fleetops.mdm.device_ids: the first argument must be hostvars')
    ids = []
    vendors = {}
    missing = []
    for host in hosts:
        variables = hostvars[host] if host in hostvars else {}
        device_id = variables.get('mdm_device_id')
        host_vendor = variables.get('mdm_vendor')
        if not device_id or not host_vendor:
            missing.append(str(host))
            continue
        if vendor is not None and host_vendor != vendor:
            continue
        vendors.setdefault(str(host_vendor), str(host))
        if str(device_id) not in ids:
            ids.append(str(device_id))
    if missing:
        raise AnsibleFilterError('fleetops.mdm.device_ids: %d host(s) have no mdm_device_id and mdm_vendor, so they are not '
                                 'devices of the fleetops.mdm.devices inventory plugin (e.g. %s)'
                                 % (len(missing), ', '.join(missing[:5])))
    if len(vendors) > 1:
        raise AnsibleFilterError('fleetops.mdm.device_ids: the hosts are devices of %s; one device command talks to one MDM '
                                 'server: give vendor= or limit the play to one vendor group (mdm_vendor_<vendor>)'
                                 % ' and '.join(sorted(vendors)))
    return ids


class FilterModule(object):
    def filters(self):
        return {'device_ids': device_ids}
