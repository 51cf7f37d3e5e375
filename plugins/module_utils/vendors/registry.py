# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one answer to "can vendor X do Y": every vendor's declaration, and the capabilities they may have.

Modules, roles (through their checks), the client and the tests ask here, before any request; an operation a vendor
cannot do is refused with one error type, NotSupportedError ("<operation> is not supported by <Vendor>").  Adding a
vendor is one line in VENDORS (see docs/adding-a-vendor.md): the connection options (options.VENDORS,
REQUIRED_BY_VENDOR) and the display names of errors.vendor_display_name() are read from the declarations here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
# CAPABILITIES and require() live beside the contracts (the vendor sessions use them too); here they are re-exported.
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import CAPABILITIES, require  # noqa: F401 pylint: disable=unused-import
# Static imports: AnsiballZ ships only the module_utils a module imports by name.
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.maas360.vendor import VENDOR as MAAS360
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.vendor import VENDOR as MANAGEENGINE
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_cloud.vendor import VENDOR as MOBILEIRON_CLOUD
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.mobileiron_core.vendor import VENDOR as MOBILEIRON_CORE

# One line per vendor.
VENDORS = dict((declaration.name, declaration) for declaration in (MAAS360, MANAGEENGINE, MOBILEIRON_CORE, MOBILEIRON_CLOUD))


def declaration(vendor):
    """The declaration of a vendor by name; InvalidInputError naming the known vendors otherwise."""
    if vendor not in VENDORS:
        raise InvalidInputError('unknown vendor %r' % (vendor,), option='vendor', allowed=sorted(VENDORS))
    return VENDORS[vendor]


def supports(vendor, capability):
    """Can the vendor do it?  From the declarations alone: nothing is sent."""
    if capability not in CAPABILITIES:
        raise KeyError('not a capability: %s' % capability)
    return declaration(vendor).provides(capability)


def vendors_with(capability):
    """The names of the vendors that have the capability, sorted."""
    return sorted(name for name in VENDORS if supports(name, capability))


def compose(vendor, options, transport):
    """The vendor's session with every capability of its declaration composed over it (nothing is sent yet)."""
    return declaration(vendor).compose(options, transport)
