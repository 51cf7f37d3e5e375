# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device facts capability: what the vendors' fact classes share (mdm_device_info option ``gather``).

A vendor's facts class (a DeviceFacts handed the vendor's session) declares its facts in ``FACTS`` (name -> Fact) and its ``gather_params`` keys in
``GATHER_PARAMS``, and implements ``fetch_device_fact()`` / ``fetch_fleet_fact()``.  Everything is
checked before any request: an unknown fact or parameter names the vendor's allowed values.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import FACT_PARAMS, FACTS
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    InvalidInputError,
    NotFoundError,
    NotSupportedError,
    vendor_display_name,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import Capability

DEVICE = 'device'
FLEET = 'fleet'


class Fact:
    """One gatherable fact: ``scope`` device (under each device's mdm_facts) or fleet (top-level facts);
    ``write``: the vendor's call is a write request (never sent in check mode)."""

    def __init__(self, scope, write=False):
        self.scope = scope
        self.write = write


class GatherPlan:
    """The checked request: facts per scope, the vendor parameters, and whether a firmware password is wanted."""

    def __init__(self, device_facts, fleet_facts, params, firmware_password):
        self.device_facts = device_facts
        self.fleet_facts = fleet_facts
        self.params = params
        self.firmware_password = firmware_password

    @property
    def per_device(self):
        """Are facts read for each device (device facts, or the firmware password)?"""
        return bool(self.device_facts) or self.firmware_password


class DeviceFacts(Capability):
    """The generic part of gathering: validation, fan-out over devices and facts, bounded concurrency."""

    FACTS = {}
    GATHER_PARAMS = {}
    # Only ManageEngine documents a firmware password call.
    FIRMWARE_PASSWORD = False

    def check_gather(self, gather, params=None, firmware_password=False):
        """The GatherPlan of ``gather`` (fact names) and ``params``; InvalidInputError naming the vendor's allowed
        facts or parameters, NotSupportedError for a firmware password where the vendor has none - before any
        request."""
        names = []
        for item in gather or []:
            text = str(item).strip() if item is not None else ''
            if text not in self.FACTS:
                raise InvalidInputError('%r is not a fact %s documents' % (text, self._display()),
                                        option=FACTS, allowed=sorted(self.FACTS))
            if text not in names:
                names.append(text)
        if firmware_password and not self.FIRMWARE_PASSWORD:
            raise NotSupportedError('reading a firmware password (gather_firmware_password)', self.session.name)
        params = self.check_gather_params(params or {}, names, FACT_PARAMS)
        device_facts = [name for name in names if self.FACTS[name].scope == DEVICE]
        fleet_facts = [name for name in names if self.FACTS[name].scope == FLEET]
        return GatherPlan(device_facts, fleet_facts, params, bool(firmware_password))

    def check_gather_params(self, params, names, option):
        """``gather_params`` checked for the facts asked (``names``): only the vendor's GATHER_PARAMS keys; vendors
        add their value checks."""
        if not isinstance(params, dict):
            raise InvalidInputError('must be a dictionary', option=option)
        for key in params:
            if key not in self.GATHER_PARAMS:
                raise InvalidInputError('unknown %s gather parameter %r' % (self._display(), key), option=option,
                                        allowed=sorted(self.GATHER_PARAMS))
        return dict(params)

    def _display(self):
        return vendor_display_name(self.session.name)

    def gather_device_facts(self, device_ids, plan, concurrency=4, check_mode=False):
        """``{device id: {fact: value}}``: one request (or one paged series) per device and fact, ``concurrency`` at a
        time.  A fact the server reports as not found for a device is None.  Returns (facts, warnings)."""
        concurrency = check_concurrency(concurrency)
        warnings = []
        names = list(plan.device_facts)
        if plan.firmware_password:
            names.append('firmware_password')
        skipped = [name for name in names if name in self.FACTS and self.FACTS[name].write and check_mode]
        if skipped and device_ids:
            warnings.append('check mode: %s not requested (it sends a write request to the server)' % ', '.join(skipped))
        jobs = [(device_id, name) for device_id in device_ids for name in names if name not in skipped]

        def run(job):
            device_id, name = job
            try:
                return self.fetch_device_fact(device_id, name, plan.params)
            except NotFoundError:
                return None
        values = self.session.map_concurrently(run, jobs, concurrency)
        facts = dict((device_id, dict((name, None) for name in names)) for device_id in device_ids)
        for (device_id, name), value in zip(jobs, values):
            facts[device_id][name] = value
        return facts, warnings

    def gather_fleet_facts(self, plan, check_mode=False):
        """``{fact: value}`` of the fleet-level facts.  Returns (facts, warnings)."""
        facts = {}
        warnings = []
        for name in plan.fleet_facts:
            if self.FACTS[name].write and check_mode:
                facts[name] = None
                warnings.append('check mode: %s not requested (it sends a write request to the server)' % name)
                continue
            facts[name] = self.fetch_fleet_fact(name, plan.params)
        return facts, warnings

    def fetch_device_fact(self, device_id, name, params):
        """One fact of one device (FACTS scope device), as the vendor replies; None when the device has none."""
        raise NotSupportedError('the device fact %s' % name, self.session.name)

    def fetch_fleet_fact(self, name, params):
        """One fact of the whole fleet (FACTS scope fleet), as the vendor replies."""
        raise NotSupportedError('the fleet fact %s' % name, self.session.name)


def int_param(params, key, option, minimum=None, maximum=None, default=None):
    """An integer gather parameter within bounds (InvalidInputError otherwise)."""
    value = params.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInputError('%s must be an integer' % key, option='%s.%s' % (option, key))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInputError('%s must be an integer, not %r' % (key, value), option='%s.%s' % (option, key))
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = '%s to %s' % ('' if minimum is None else minimum, '' if maximum is None else maximum)
        raise InvalidInputError('%s is out of range' % key, option='%s.%s' % (option, key), allowed=[bounds.strip()])
    return number
