# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: devices
short_description: Managed mobile devices of an MDM server as inventory hosts
version_added: 0.1.0
description:
  - Lists every device managed by IBM MaaS360, ManageEngine MDM (cloud and on-premises), MobileIron Core or MobileIron Cloud
    and adds each as a host, with the normalised C(mdm_*) device fields as host variables.
  - Groups hosts by vendor, platform, status, ownership, compliance and label by default; C(compose), C(groups) and
    C(keyed_groups) add more.
  - Filters that the vendor's search can take are sent to the server.
  - The configuration file name must end in C(mdm.yml) or C(mdm.yaml).
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection.PLUGINS
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; must be V(fleetops.mdm.devices).
    type: str
    required: true
    choices: [fleetops.mdm.devices]
  filters:
    description:
      - Vendor-neutral filters on the normalised device fields, all of which must match, as in the O(fleetops.mdm.mdm_device_info#module:filters)
        option of M(fleetops.mdm.mdm_device_info).
    type: dict
    default: {}
  vendor_filters:
    description:
      - The vendor's own device search parameters (MaaS360 search filters, ManageEngine device list filters,
        MobileIron Core C(query) and C(labelId), MobileIron Cloud C(fq)), validated before any device request.
    type: dict
    default: {}
  platforms:
    description: Only devices of these normalised platforms.
    type: list
    elements: str
    choices: [android, ios, macos, windows, other]
    default: []
  statuses:
    description: Only devices with these normalised statuses.
    type: list
    elements: str
    choices: [active, pending, retired, wiped, other]
    default: []
  ownership:
    description: Only devices with these normalised ownerships.
    type: list
    elements: str
    choices: [company, employee, unknown]
    default: []
  hostnames:
    description:
      - Preference list of the normalised fields a host is named after. The first that is set and unique among all devices
        is used; a device whose name is empty or shared with another device falls back to the next preference, with a warning.
      - The default, V(id), names every host after its vendor device id, the one field that is unique and never changes
        while the device is enrolled. With a readable first preference such as V(name) or V(serial), a host is renamed
        whenever another device enrols, is renamed or leaves with the same value (it then falls back to the next
        preference, or back again), and an AWX inventory source with C(overwrite) deletes and recreates such a host,
        job history included. The device name stays available as the host variable C(mdm_name) and for C(compose),
        C(groups) and C(keyed_groups).
      - The vendor device id is always the last resort, so two devices are never merged into one host.
      - Characters other than letters, digits, C(.), C(_), C(-) and C(@) are replaced by C(_).
    type: list
    elements: str
    choices: [name, serial, id, udid, imei, user_email, user]
    default: [id]
  default_groups:
    description:
      - Which built-in groups to create, named C(mdm_<kind>_<value>), for example C(mdm_platform_ios), C(mdm_ownership_company),
        C(mdm_compliance_noncompliant), C(mdm_label_sales).
    type: list
    elements: str
    choices: [vendor, platform, status, ownership, compliance, label]
    default: [vendor, platform, status, ownership, compliance, label]
  fetch_labels:
    description:
      - Fill C(mdm_labels), and so the C(mdm_label_*) groups, from the vendor's labels or device groups.
      - This costs requests beyond the device listing. MobileIron Core lists its labels, then the devices of each label;
        MaaS360 and ManageEngine list their device groups, then the members of each group; MobileIron Cloud reports the
        groups of a device only one device at a time, so it makes one request per device.
      - A C(label) filter in O(filters) turns this on.
    type: bool
    default: false
  fetch_last_seen:
    description:
      - Fill C(mdm_last_seen) where the vendor's device listing does not carry it.
      - Only ManageEngine needs it. Its device list carries no last contact time; with this option the summary of each
        listed device (C(GET /api/v1/mdm/devices/{device_id}/summary), field C(last_contact_time)) is read, which costs one
        request per device, O(concurrency) at a time. Without it, C(mdm_last_seen) of ManageEngine devices is null.
      - MaaS360, MobileIron Core and MobileIron Cloud list the last contact with each device; for them this option sends
        nothing more.
    type: bool
    default: false
  confirm_listing:
    description:
      - MaaS360 pages by number; with V(true) the listing is read twice and must agree.
      - Page numbers cannot overlap, so as many devices removed before the paging cursor as enrolled between two page
        requests move a device past a page boundary unseen by any single pass. With V(true) a pass counts as consistent
        only when the pass before it listed exactly the same devices; otherwise the listing runs again (at most three
        passes) and the inventory holds the union of the passes, with a warning when no two passes agreed.
      - It costs one more pass of the listing on MaaS360 and has no effect on the other vendors.
    type: bool
    default: false
  include_raw:
    description: Add the vendor's own device record as the host variable C(mdm_raw).
    type: bool
    default: false
  page_size:
    description: Devices asked for per request; by default the largest page the vendor allows.
    type: int
  concurrency:
    description: How many pages are fetched at once once the first page has told the total (1 to 32).
    type: int
    default: 4
notes:
  - Device data is user data and may hold C({{) or C({%). Every host variable string that holds C({) or C(}), at any depth,
    is marked unsafe so that it is never evaluated as a template (in host variables, C(compose), C(groups), C(keyed_groups)
    and the roles). Every other value stays plain, so that C(ansible-inventory --list) prints plain JSON and an AWX
    inventory import stores strings, not C(__ansible_unsafe) objects.
  - Every host gets C(ansible_connection=local), since a device is acted on through the MDM server's API from the
    controller, never over SSH; a C(compose) entry for C(ansible_connection) overrides it.
  - With the cache on, the normalised device list is cached (never a credential or token); groups and composed variables
    are rebuilt from it on every run.
'''

EXAMPLES = r'''
# mobileiron_core.mdm.yml - credentials come from MDM_* environment variables (an AWX credential can inject them)
plugin: fleetops.mdm.devices
vendor: mobileiron_core
url: https://core.example.com
vendor_filters:
  query: '"common.status" = "ACTIVE"'
platforms: [ios, android]
fetch_labels: true
keyed_groups:
  - key: mdm_manufacturer
    prefix: maker

# A second file, maas360.mdm.yml - cached for an hour, hosts named by serial number first:
# plugin: fleetops.mdm.devices
# vendor: maas360
# url: https://services.m3.maas360.com
# billing_id: "30008180"
# hostnames: [serial, name, id]
# cache: true
# cache_plugin: ansible.builtin.jsonfile
# cache_connection: ~/.cache/fleetops-mdm
# cache_timeout: 3600
# groups:
#   stale: mdm_last_seen < '2026-10-01'
'''

import hashlib
import json
import os
import re
import stat

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display

from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.options import CONNECTION_OPTIONS, SECRET_OPTIONS
from ansible_collections.fleetops.mdm.plugins.module_utils.session import listing_warning
from ansible_collections.fleetops.mdm.plugins.module_utils.transport import HAS_REQUESTS
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import LISTING_FILTERS, LISTING_PAGE_SIZE, LISTING_VENDOR_FILTERS
from ansible_collections.fleetops.mdm.plugins.plugin_utils.unsafe import make_unsafe

display = Display()

_UNSAFE_HOST_CHARS = re.compile(r'[^A-Za-z0-9._@-]+')
_INVALID_GROUP_CHARS = re.compile(r'[^A-Za-z0-9_]')
_HOSTNAME_FIELD = {'name': 'mdm_name', 'serial': 'mdm_serial', 'id': 'mdm_device_id', 'udid': 'mdm_udid', 'imei': 'mdm_imei',
                   'user_email': 'mdm_user_email', 'user': 'mdm_user'}
_COMPLIANCE = {True: 'compliant', False: 'noncompliant', None: 'unknown'}
# The cache holds the device list under a key that changes with anything that changes the list.
# 2: IMEIs as digits, masked values as null, every timestamp as ISO 8601 UTC, ids in their normalised form.
_CACHE_SCHEMA = 2


def sanitize_host_name(value):
    if value is None:
        return None
    text = _UNSAFE_HOST_CHARS.sub('_', str(value).strip()).strip('_')
    return text or None


def assign_host_names(devices, preferences):
    """Unique, stable host names: the first preference whose value is set and unique among all devices.

    Returns (names in device order, warnings).  The vendor id is always the last
    resort; device ids are unique per vendor, so no two devices share a host.
    """
    fields = [_HOSTNAME_FIELD[p] for p in preferences]
    if 'mdm_device_id' not in fields:
        fields.append('mdm_device_id')
    counts = dict((field, {}) for field in fields)
    candidates = []
    for device in devices:
        row = [sanitize_host_name(device.get(field)) for field in fields]
        candidates.append(row)
        for field, value in zip(fields, row):
            if value is not None:
                counts[field][value] = counts[field].get(value, 0) + 1
    taken = set()
    names = [None] * len(devices)
    fell_back = {'empty': 0, 'duplicate': 0, 'suffixed': 0}
    examples = []
    suffixed = []
    # Deterministic whatever order the server listed the devices in: decide in order of device id.
    order = sorted(range(len(devices)), key=lambda i: str(devices[i].get('mdm_device_id')))
    for index in order:
        chosen = None
        position = 0
        for position, (field, value) in enumerate(zip(fields, candidates[index])):
            if value is not None and counts[field][value] == 1 and value not in taken:
                chosen = value
                break
        if chosen is None:
            # Every preference is shared, the id too once sanitised ("a:1" and "a/1"): the id, suffixed until unique
            # (ids are unique, so this ends).  Such a name depends on the other device being listed: warned about too.
            base = candidates[index][-1] or 'device'
            chosen = base
            suffix = 2
            while chosen in taken:
                chosen = '%s_%d' % (base, suffix)
                suffix += 1
            # Counted as a fallback from the first preference too, unless that preference was the id itself.
            position = len(fields) if fields[0] != 'mdm_device_id' else 0
            fell_back['suffixed'] += 1
            if chosen != base and len(suffixed) < 5:
                suffixed.append('%s -> %s' % (devices[index].get('mdm_device_id'), chosen))
        if position > 0:
            first = candidates[index][0]
            fell_back['empty' if first is None else 'duplicate'] += 1
            if len(examples) < 5:
                examples.append('%s -> %s' % (first if first is not None else '(empty %s)' % preferences[0], chosen))
        taken.add(chosen)
        names[index] = chosen
    warnings = []
    if fell_back['duplicate']:
        warnings.append('%d device(s) share their %s with another device and were named by the next hostnames preference '
                        '(e.g. %s); these host names change whenever a device with the same %s enrols, is renamed or leaves, '
                        'which the default hostnames [id] avoids' % (fell_back['duplicate'], preferences[0], ', '.join(examples),
                                                                     preferences[0]))
    if fell_back['empty']:
        warnings.append('%d device(s) have no %s and were named by the next hostnames preference' % (fell_back['empty'], preferences[0]))
    if fell_back['suffixed']:
        warnings.append('%d device(s) share every hostnames preference, the device id included once sanitised, with another '
                        'device and were named after the id with a suffix (e.g. %s)' % (fell_back['suffixed'], ', '.join(suffixed)))
    return names, warnings


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'fleetops.mdm.devices'

    def verify_file(self, path):
        if super(InventoryModule, self).verify_file(path):
            return path.endswith(('mdm.yml', 'mdm.yaml'))
        return False

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        self._read_config_data(path)
        if not HAS_REQUESTS:
            raise AnsibleParserError('The fleetops.mdm.devices inventory plugin needs the Python library "requests".')
        connection = dict((name, self.get_option(name)) for name in CONNECTION_OPTIONS)
        filters = dict(self.get_option('filters') or {})
        for option, key in (('platforms', 'platform'), ('statuses', 'status'), ('ownership', 'ownership')):
            values = self.get_option(option)
            if values:
                if key in filters:
                    raise AnsibleParserError('fleetops.mdm.devices: %s: give %s either as the option %s or in filters, not both'
                                             % (vendor_display_name(connection.get('vendor')), key, option))
                filters[key] = values
        try:
            adapter = build_adapter(connection)
        except MdmError as exc:
            raise AnsibleParserError('fleetops.mdm.devices: %s' % exc.with_vendor(connection.get('vendor')))
        for warning in adapter.transport.warnings:
            display.warning('fleetops.mdm.devices: %s' % warning)

        cache_key = self._cache_key_for(path, connection, filters)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        devices = None
        if use_cache:
            try:
                cached = self._cache[cache_key]
                devices = cached['devices'] if cached.get('schema') == _CACHE_SCHEMA else None
            except KeyError:
                devices = None
            update_cache = devices is None
        if devices is None:
            adapter.confirm_listings = bool(self.get_option('confirm_listing'))
            try:
                devices = adapter.list_devices(
                    filters=filters,
                    vendor_filters=self.get_option('vendor_filters'),
                    include_raw=self.get_option('include_raw'),
                    page_size=self.get_option('page_size'),
                    concurrency=self.get_option('concurrency'),
                    labels=self.get_option('fetch_labels'),
                    last_seen=self.get_option('fetch_last_seen'),
                )
            except MdmError as exc:
                if isinstance(exc, InvalidInputError):
                    # The listing's neutral keys, as this plugin's options are named (runner.option_names for modules).
                    exc.with_option_names({LISTING_FILTERS: 'filters', LISTING_VENDOR_FILTERS: 'vendor_filters',
                                           LISTING_PAGE_SIZE: 'page_size'})
                raise AnsibleParserError('fleetops.mdm.devices: %s' % exc.with_vendor(connection.get('vendor')))
            finally:
                adapter.transport.close()
            warning = listing_warning(getattr(devices, 'report', None))
            if warning:
                display.warning('fleetops.mdm.devices: %s' % warning)
            devices = list(devices)
        if update_cache:
            self._cache[cache_key] = {'schema': _CACHE_SCHEMA, 'devices': devices}
        self._populate(devices)

    # The cache holds the device list of a company: names, users, serials, IMEIs.  ansible.builtin.jsonfile (and every
    # plugin built on BaseFileCacheModule) chmods what it writes to 0644 whatever the umask, so each file this plugin
    # writes is made 0600 right after; a file cache then holds nothing another local user can read.
    def update_cache_if_changed(self):
        super(InventoryModule, self).update_cache_if_changed()
        self._make_cache_files_private()

    def set_cache_plugin(self):
        super(InventoryModule, self).set_cache_plugin()
        self._make_cache_files_private()

    def _make_cache_files_private(self):
        plugin = getattr(self._cache, '_plugin', None)
        file_name = getattr(plugin, '_get_cache_file_name', None)
        if file_name is None:
            return  # not a file cache (memory, redis, ...)
        # ansible-core 2.19+ wraps persistent cache plugins in an interposer that prefixes each key with a schema id.
        wrapped_key = getattr(plugin, '_get_key', None)
        for key in list(self._cache.keys()):
            names = [key] if wrapped_key is None else [key, wrapped_key(key)]
            for name in names:
                path = file_name(name)
                if os.path.exists(path):
                    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)

    def _cache_key_for(self, path, connection, filters):
        # Anything that changes which devices are listed is in the key; no secret is.
        identity = dict((name, value) for name, value in connection.items() if name not in SECRET_OPTIONS)
        identity.update(filters=filters, vendor_filters=self.get_option('vendor_filters'), include_raw=self.get_option('include_raw'),
                        fetch_labels=self.get_option('fetch_labels'), fetch_last_seen=self.get_option('fetch_last_seen'))
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode('utf-8')).hexdigest()[:16]
        return '%s_%s' % (self.get_cache_key(path), digest)

    def _populate(self, devices):
        names, warnings = assign_host_names(devices, self.get_option('hostnames'))
        for warning in warnings:
            display.warning('fleetops.mdm.devices: %s' % warning)
        default_groups = set(self.get_option('default_groups'))
        strict = self.get_option('strict')
        compose = self.get_option('compose')
        groups = self.get_option('groups')
        keyed_groups = self.get_option('keyed_groups')
        inventory = self.inventory
        made_groups = set()
        for device, host in zip(devices, names):
            inventory.add_host(host)
            # Devices are reached through the MDM API from the controller; compose may override this (it runs after).
            inventory.set_variable(host, 'ansible_connection', make_unsafe('local'))
            hostvars = {}
            for key, value in device.items():
                value = make_unsafe(value)
                hostvars[key] = value
                inventory.set_variable(host, key, value)
            for group in self._default_groups_of(device, default_groups):
                if group not in made_groups:
                    inventory.add_group(group)
                    made_groups.add(group)
                inventory.add_child(group, host)
            if compose:
                self._set_composite_vars(compose, hostvars, host, strict=strict)
                self._plain_composite_vars(compose, host)
            if groups:
                self._add_host_to_composed_groups(groups, hostvars, host, strict=strict)
            if keyed_groups:
                self._add_host_to_keyed_groups(keyed_groups, hostvars, host, strict=strict)

    def _plain_composite_vars(self, compose, host):
        # ansible-core 2.19+ leaves a template's result untrusted, which ansible-inventory prints as
        # {"__ansible_unsafe": ...}: give composed values the same treatment as the device fields.
        variables = self.inventory.get_host(host).vars
        for name in compose:
            if name in variables:
                self.inventory.set_variable(host, name, make_unsafe(variables[name]))

    def _default_groups_of(self, device, wanted):
        result = []
        if 'vendor' in wanted:
            result.append('mdm_vendor_%s' % device['mdm_vendor'])
        if 'platform' in wanted:
            result.append('mdm_platform_%s' % device['mdm_platform'])
        if 'status' in wanted:
            result.append('mdm_status_%s' % device['mdm_status'])
        if 'ownership' in wanted:
            result.append('mdm_ownership_%s' % device['mdm_ownership'])
        if 'compliance' in wanted:
            result.append('mdm_compliance_%s' % _COMPLIANCE.get(device['mdm_compliant'], 'unknown'))
        if 'label' in wanted:
            for label in device.get('mdm_labels') or []:
                # Spaces and punctuation in label names become _, whatever TRANSFORM_INVALID_GROUP_CHARS says.
                group = _INVALID_GROUP_CHARS.sub('_', 'mdm_label_%s' % label.lower())
                if group:
                    result.append(group)
        return result
