#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_device_info
short_description: List and search managed devices on an MDM server
version_added: 0.1.0
description:
  - Lists the devices managed by IBM MaaS360, ManageEngine MDM (cloud and on-premises), MobileIron Core or MobileIron Cloud,
    every page of them, normalised to the same field names for every vendor.
  - Narrows the list with vendor-neutral O(filters) on the normalised fields, with the vendor's own search
    parameters (O(vendor_filters)), or looks up one device by its id (O(device_id)).
  - Neutral filters that the vendor's search can take are sent to the server; every filter is also checked on the
    normalised devices, so the result is exact either way.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
  - fleetops.mdm.attributes.INFO_MODULE
options:
  device_id:
    description:
      - The vendor-native id of one device (MaaS360 C(maas360DeviceID), ManageEngine C(device_id), MobileIron Core device UUID,
        MobileIron Cloud device id).
      - The result then holds that device, or nothing when there is no such device.
      - Mutually exclusive with O(filters) and O(vendor_filters).
    type: str
  filters:
    description:
      - Vendor-neutral filters on the normalised fields, all of which must match.
      - Keys - V(platform) (android, ios, macos, windows, other), V(status) (active, pending, retired, wiped, other),
        V(ownership) (company, employee, unknown), V(compliant) (true, false), and the text fields V(name), V(os_version),
        V(model), V(manufacturer), V(serial), V(imei), V(udid), V(user), V(user_email), V(label).
      - A value may be a list (any of them matches). Text values are case-insensitive shell-style patterns such as V(iPhone*).
    type: dict
  vendor_filters:
    description:
      - The vendor's own device search parameters, sent as they are after validation.
      - MaaS360 - the v2 device search filters, for example C(partialDeviceName), C(deviceStatus), C(platformName), C(plcCompliance).
      - ManageEngine - the device list filters and search parameters.
      - MobileIron Core - C(query) (at most 255 characters, checked with the server's query test first), C(labelId), C(fields).
      - MobileIron Cloud - C(fq).
    type: dict
  include_raw:
    description:
      - Add the vendor's own record of each device as RV(devices[].mdm_raw).
    type: bool
    default: false
  fetch_labels:
    description:
      - Fill RV(devices[].mdm_labels) from the vendor's labels or device groups.
      - This costs requests beyond the device listing. MobileIron Core lists its labels, then the devices of each label;
        MaaS360 and ManageEngine list their device groups, then the members of each group; MobileIron Cloud reports the
        groups of a device only one device at a time, so it makes one request per device.
      - A C(label) filter in O(filters) turns this on.
    type: bool
    default: false
  fetch_last_seen:
    description:
      - Fill RV(devices[].mdm_last_seen) where the vendor's device listing does not carry it.
      - Only ManageEngine needs it. Its device list carries no last contact time; with this option the summary of each
        listed device (C(GET /api/v1/mdm/devices/{device_id}/summary), field C(last_contact_time)) is read, which costs one
        request per device, O(concurrency) at a time. Without it, RV(devices[].mdm_last_seen) of ManageEngine devices is null.
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
        passes), RV(devices) is the union of the passes, and RV(listing.confirmed) says whether two passes agreed.
      - It costs one more pass of the listing on MaaS360 and has no effect on the other vendors, whose pages overlap by a
        row and see such shifts in one pass.
    type: bool
    default: false
  page_size:
    description:
      - Devices asked for per request. By default the largest page the vendor allows
        (MaaS360 250, MobileIron Core 200, MobileIron Cloud 500, ManageEngine see the support matrix).
    type: int
  concurrency:
    description:
      - How many pages are fetched at once once the first page has told the total (1 to 32).
      - Also how many fact requests of O(gather) run at once.
    type: int
    default: 4
  gather:
    description:
      - Facts to read beyond the device record, each with the vendor's own call, returned as the vendor documents them.
      - Per-device facts go under RV(devices[].mdm_facts), one request (or one series of pages) per device and fact;
        fleet-level facts go under RV(facts). Without O(gather) nothing more is read.
      - ManageEngine MDM, per device - V(summary), V(certificates), V(restrictions), V(filevault), V(firmware),
        V(locations), V(locations_with_address) (results of earlier location requests), V(location_request)
        (asks the device for its location with addresses, then waits for the result; a write request, so not sent in
        check mode), V(profiles), V(configuration_profiles), V(apps), V(poll_time), V(actions) (applicable actions),
        V(recent_command), V(scan_status), V(privacy), V(command_history) (every page).
      - MobileIron Core, per device - V(details), V(sim_details) (SIM / EID details), V(app_compliance),
        V(rule_compliance); fleet-level - V(search_fields), V(count), V(query_test), V(csv_export), V(activesync_report).
        The two CSV replies are returned as C(columns) and C(rows).
      - IBM MaaS360 and MobileIron Cloud document none of these calls; O(gather) fails for them before any request.
      - A name the vendor does not document fails before any request, with the vendor's allowed names.
    type: list
    elements: str
  gather_params:
    description:
      - Parameters of the O(gather) calls, checked before any request; unknown keys fail with the vendor's allowed keys.
      - ManageEngine MDM - C(no_of_days) (default 7), C(from), C(to) (epoch milliseconds) of V(location_request), and
        C(wait_timeout), the seconds to wait for its result (default 120).
      - MobileIron Core - C(query) (at most 2000 characters; empty, the default, means every device) for V(count),
        V(query_test) and V(csv_export); C(labelId) and C(fieldGroups) (BASIC, COMMON, ANDROID, IOS, USER, WINDOWS_PHONE;
        default USER, COMMON, ANDROID, IOS, WINDOWS_PHONE) for V(csv_export); C(daysIdle) (default 0) and C(state)
        (a, b, w, q, r, or the whole word) for V(activesync_report).
    type: dict
  gather_firmware_password:
    description:
      - Also read the firmware password of each device (ManageEngine MDM, Mac devices), returned only as
        C(firmware_password) in RV(devices[].mdm_facts).
      - The password is part of the module result, so the task must set C(no_log) to V(true); without it the module fails
        before any request. Keep the registered variable out of logs too.
      - Other vendors fail before any request.
    type: bool
    default: false
notes:
  - Device ids are returned as strings for every vendor, so large ManageEngine ids keep every digit.
  - A per-device fact that the server reports as not found for a device is V(null).
  - MobileIron Core's V(csv_export) is a POST request that changes nothing (the reference gives it the view-only role),
    so it is also sent in check mode. ManageEngine's V(location_request) is skipped in check mode, with a warning.
'''

EXAMPLES = r'''
- name: List every device
  fleetops.mdm.mdm_device_info:
    vendor: mobileiron_core
    url: https://core.example.com
    username: api-admin
    password: "{{ vault_core_password }}"
  register: fleet

- name: Company-owned iOS devices that are out of compliance, credentials from module_defaults
  module_defaults:
    group/fleetops.mdm.mdm:
      vendor: maas360
      url: https://services.m3.maas360.com
      billing_id: "30008180"
      username: script_only_user
      password: "{{ vault_maas360_password }}"
      app_id: com.example.fleetops
      app_version: "1.0"
      app_access_key: "{{ vault_maas360_access_key }}"
  fleetops.mdm.mdm_device_info:
    filters:
      platform: ios
      ownership: company
      compliant: false
  register: noncompliant

- name: One device by id
  fleetops.mdm.mdm_device_info:
    device_id: "9007199254741000"
  register: one

- name: Apps, certificates and every page of command history of one ManageEngine device
  fleetops.mdm.mdm_device_info:
    device_id: "9007199254741000"
    gather: [apps, certificates, command_history]
  register: one_with_facts

- name: Count, and export as CSV, the Apple devices of MobileIron Core; ActiveSync devices idle for a week
  fleetops.mdm.mdm_device_info:
    vendor_filters:
      query: '"common.platform" = "iOS"'
    gather: [count, csv_export, activesync_report]
    gather_params:
      query: '"common.manufacturer" starts with "Appl"'
      fieldGroups: [COMMON, USER]
      daysIdle: 7
  register: core_facts

- name: Firmware passwords of Macs (ManageEngine); never log them
  fleetops.mdm.mdm_device_info:
    filters:
      platform: macos
    gather: [firmware]
    gather_firmware_password: true
  no_log: true
  register: mac_firmware

- name: The vendor's own search (MobileIron Core query)
  fleetops.mdm.mdm_device_info:
    vendor_filters:
      query: '"common.platform" = "Android"'
'''

RETURN = r'''
devices:
  description: The devices found, normalised; the same field names for every vendor.
  returned: always
  type: list
  elements: dict
  contains:
    mdm_vendor:
      description: The vendor, as in O(vendor).
      type: str
      sample: mobileiron_core
    mdm_device_id:
      description: The vendor-native device id.
      type: str
      sample: c592e4f3-4e76-4148-a91e-c62da8464968
    mdm_name:
      description: The device name.
      type: str
    mdm_platform:
      description: One of V(android), V(ios), V(macos), V(windows), V(other).
      type: str
    mdm_os_version:
      description: The OS version.
      type: str
    mdm_model:
      description: The model.
      type: str
    mdm_manufacturer:
      description: The manufacturer.
      type: str
    mdm_serial:
      description: The serial number.
      type: str
    mdm_imei:
      description: The IMEI, as a string of its digits (spaces and dashes a vendor writes are dropped).
      type: str
      sample: '356648087548604'
    mdm_udid:
      description: The UDID.
      type: str
    mdm_user:
      description:
        - The user name of the device's user.
        - Null when unknown, also when the server's privacy setting masks it (C(*****)); every normalised text field
          treats a mask so.
      type: str
    mdm_user_email:
      description: The e-mail address of the device's user.
      type: str
    mdm_ownership:
      description: One of V(company), V(employee), V(unknown).
      type: str
    mdm_status:
      description: One of V(active), V(pending), V(retired), V(wiped), V(other).
      type: str
    mdm_compliant:
      description: Whether the device is compliant; null when the vendor does not say.
      type: bool
    mdm_last_seen:
      description:
        - When the device last checked in, ISO 8601 UTC; null when the vendor does not say.
        - ManageEngine lists it only with O(fetch_last_seen=true).
      type: str
      sample: '2026-11-20T08:15:00Z'
    mdm_labels:
      description: Labels or groups of the device.
      type: list
      elements: str
    mdm_raw:
      description: The vendor's own record; only with O(include_raw=true).
      type: dict
      returned: when O(include_raw=true)
    mdm_facts:
      description:
        - The per-device facts of O(gather), by name, each as the vendor's reply documents it (V(null) when the server
          reports it as not found).
        - V(command_history) holds C(metadata) and the C(commands) of every page; V(location_request) holds
          C(export_batch_id), C(status) (V(COMPLETED) once the addresses came) and C(locations).
        - C(firmware_password) only with O(gather_firmware_password=true).
      type: dict
      returned: when O(gather) names a per-device fact or O(gather_firmware_password=true)
      sample: {"summary": {"device_id": 9007199254741000, "app_count": 10, "group_count": 2}, "poll_time": {"next_poll_time": 1542869208225}}
listing:
  description:
    - How the device listing went (not returned for O(device_id)). The listing advances by the rows the server
      actually sent, learns the server's real page size from its first answer, follows every end marker, and lists
      again (at most three passes) when the server's total changed between pages, a page was short before the end,
      an id came twice, the count disagreed with the server's total, or (vendors that page by index, MobileIron Core
      and Cloud, ManageEngine) a page did not begin with the previous page's last row, which each page after the
      first reads again to see rows that shifted between two requests; RV(devices) is the union of the passes, each
      device once.
    - MaaS360 pages by page number and cannot overlap its pages. There, as many devices removed before the paging
      cursor as enrolled between two page requests, with no other drift, can still move a device past a page
      boundary unseen by one pass; O(confirm_listing=true) reads the listing until two passes agree
      (docs/reliability.md).
    - When RV(listing.consistent) is false the module warns with these numbers.
  returned: when listing (no O(device_id))
  type: dict
  contains:
    what:
      description: What was listed (V(devices)).
      type: str
    listed:
      description: Devices listed, each once, before the neutral filters that the server could not apply.
      type: int
    server_total:
      description: The total the server reported on the last page of the last pass; null when it reports none.
      type: int
    passes:
      description: How many times the listing ran (1 on a server that held still).
      type: int
    requests:
      description: Listing requests sent, over every pass (label member listings included).
      type: int
    page_size:
      description: The page size the server really used (smaller than asked when the server caps its pages).
      type: int
    consistent:
      description:
        - Whether a pass saw no drift, or two passes listed exactly the same devices (a server whose total is off but
          which held still).
        - A write that selects devices (M(fleetops.mdm.mdm_device_action) with a selector, M(fleetops.mdm.mdm_label)
          with O(fleetops.mdm.mdm_label#module:purge=true)) refuses to act on a listing that is not consistent.
      type: bool
    confirmed:
      description:
        - With O(confirm_listing=true) on MaaS360, whether two passes listed exactly the same devices (when not, the
          listing is not consistent either); null when not asked or on the other vendors.
      type: bool
    drift:
      description: What each pass saw, one item per finding.
      type: list
      elements: dict
      contains:
        pass:
          description: The pass, from 1.
          type: int
        kind:
          description:
            - V(total_changed), V(short_page), V(repeated_id), V(count_mismatch), V(shifted), or V(passes_differ).
            - V(passes_differ) only with O(confirm_listing=true), when a drift-free pass listed other devices than the
              pass before it.
          type: str
        detail:
          description: The numbers.
          type: str
  sample: {"what": "devices", "listed": 2000, "server_total": 2000, "passes": 1, "requests": 10, "page_size": 200,
           "consistent": true, "drift": []}
facts:
  description:
    - The fleet-level facts of O(gather), by name, each as the vendor's reply documents it; the CSV replies as
      C(columns) and C(rows) (one dict per line).
  returned: when O(gather) names a fleet-level fact
  type: dict
  sample: {"count": {"totalCount": 117}, "query_test": {"valid": true, "token": "", "position": -1}}
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.session import return_listing
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import (
    DEVICE_ID, FACT_PARAMS, FACTS, LISTING_FILTERS, LISTING_PAGE_SIZE, LISTING_VENDOR_FILTERS)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require

# The options of this module that the capabilities' neutral keys stand for (runner.option_names).
OPTION_NAMES = {DEVICE_ID: 'device_id', FACTS: 'gather', FACT_PARAMS: 'gather_params', LISTING_FILTERS: 'filters',
                LISTING_VENDOR_FILTERS: 'vendor_filters', LISTING_PAGE_SIZE: 'page_size'}


def run(module, adapter):
    """List or look up devices; an _info module never changes anything."""
    with option_names(OPTION_NAMES):
        return look_up(module, adapter)


def look_up(module, adapter):
    """run(), naming the capabilities' neutral keys as they come."""
    params = module.params
    plan = None
    if params.get('gather') or params.get('gather_params') or params.get('gather_firmware_password'):
        # Checked before the first request: an unknown fact or parameter costs nothing.
        facts_of = require(adapter, 'facts')
        plan = facts_of.check_gather(params['gather'], params['gather_params'], params['gather_firmware_password'])
        if plan.firmware_password and not module.no_log:
            raise InvalidInputError('firmware passwords are returned in the result: set no_log: true on the task',
                                    option='gather_firmware_password')
        check_concurrency(params['concurrency'])
    if params['device_id'] is not None:
        device = adapter.get_device(params['device_id'], include_raw=params['include_raw'])
        devices = [device] if device is not None else []
        if devices and params['fetch_labels']:
            adapter.add_labels(devices, params['concurrency'])
        if devices and params.get('fetch_last_seen'):
            adapter.add_last_seen(devices, params['concurrency'])
    else:
        adapter.confirm_listings = bool(params.get('confirm_listing'))
        # last_seen only when asked: it costs ManageEngine one request per device.
        extra = dict(last_seen=True) if params.get('fetch_last_seen') else {}
        devices = adapter.list_devices(
            filters=params['filters'],
            vendor_filters=params['vendor_filters'],
            include_raw=params['include_raw'],
            page_size=params['page_size'],
            concurrency=params['concurrency'],
            labels=params['fetch_labels'],
            **extra
        )
    result = dict(devices=list(devices))
    return_listing(result, getattr(devices, 'report', None), module.warn)
    if plan is not None:
        warnings = []
        if plan.per_device:
            facts, device_warnings = facts_of.gather_device_facts([device['mdm_device_id'] for device in devices], plan,
                                                                  concurrency=params['concurrency'], check_mode=module.check_mode)
            warnings.extend(device_warnings)
            for device in devices:
                device['mdm_facts'] = facts[device['mdm_device_id']]
        if plan.fleet_facts:
            result['facts'], fleet_warnings = facts_of.gather_fleet_facts(plan, check_mode=module.check_mode)
            warnings.extend(fleet_warnings)
        for warning in warnings:
            module.warn(warning)
    return False, result, None


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            device_id=dict(type='str'),
            filters=dict(type='dict'),
            vendor_filters=dict(type='dict'),
            include_raw=dict(type='bool', default=False),
            fetch_labels=dict(type='bool', default=False),
            fetch_last_seen=dict(type='bool', default=False),
            confirm_listing=dict(type='bool', default=False),
            page_size=dict(type='int'),
            concurrency=dict(type='int', default=4),
            gather=dict(type='list', elements='str'),
            gather_params=dict(type='dict'),
            gather_firmware_password=dict(type='bool', default=False, no_log=False),
        ),
        mutually_exclusive=[('device_id', 'filters'), ('device_id', 'vendor_filters')],
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
