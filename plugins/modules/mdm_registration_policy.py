#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_registration_policy
short_description: Set how users authenticate when they register a device
version_added: 0.1.0
description:
  - Sets MobileIron Cloud's device registration authentication (the C(REGISTRATION_AUTH) user policy) - password, PIN,
    or password and PIN - and the PIN's length, type, lifetime and whether users may reset it.
  - Registration PINs (M(fleetops.mdm.mdm_user) with O(fleetops.mdm.mdm_user#module:registration_pin=true)) can be
    generated only while the mode is V(pin).
  - Reads the policy and writes it only when a given setting differs, sending the whole record with the changes; settings
    not given never change.
  - Other vendors fail with a clear message before any request.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
attributes:
  check_mode:
    support: full
    details: Reads the policy and reports what would change; sends no write.
  diff_mode:
    support: full
    details: The policy settings before and after.
options:
  mode:
    description:
      - V(password), V(pin) or V(password_and_pin) (the vendor's C(registrationAuthMode) C(PASSWORD), C(PIN),
        C(PASSWORD_AND_PIN)).
    type: str
    choices: [password, pin, password_and_pin]
  pin_length:
    description: The number of characters of a PIN.
    type: int
  pin_type:
    description: The kind of PIN, as the vendor names it (for example V(NUMERIC)).
    type: str
  pin_lifetime:
    description: How long a PIN lives, in milliseconds.
    type: int
  pin_reset_by_user:
    description: Whether users may reset their PIN.
    type: bool
notes:
  - "MobileIron Cloud: C(PUT /api/v1/userpolicy?policyType=REGISTRATION_AUTH) (Configuring User Device Registration
    Settings) with the whole policy record. The vendor reference documents no read of the policy; the module reads it with
    C(GET) on the same URI, whose record the reference's PUT example sends back (id, uuid, createdAt)."
  - "Only the C(PIN) mode value is spelled in the vendor reference; C(PASSWORD) and C(PASSWORD_AND_PIN) follow its
    description (password, password and PIN, or PIN only)."
seealso:
  - module: fleetops.mdm.mdm_user
'''

EXAMPLES = r'''
- name: Register devices with a 6-digit PIN valid for three days
  fleetops.mdm.mdm_registration_policy:
    vendor: mobileiron_cloud
    url: https://na1.mobileiron.com
    username: admin@example.com
    password: "{{ vault_cloud_password }}"
    mode: pin
    pin_length: 6
    pin_type: NUMERIC
    pin_lifetime: 259200000
'''

RETURN = r'''
policy:
  description: The registration settings after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    id:
      description: The policy id.
      type: str
    mode:
      description: V(password), V(pin) or V(password_and_pin) (or the vendor's value in lower case).
      type: str
    pin_length:
      description: The number of characters of a PIN.
      type: int
    pin_type:
      description: The kind of PIN.
      type: str
    pin_lifetime:
      description: How long a PIN lives, in milliseconds.
      type: int
    pin_reset_by_user:
      description: Whether users may reset their PIN.
      type: bool
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require
from ansible_collections.fleetops.mdm.plugins.module_utils.device import text_or_none

# option -> the policy record's field
SETTINGS = (('mode', 'registrationAuthMode'), ('pin_length', 'pinLength'), ('pin_type', 'pinType'),
            ('pin_lifetime', 'pinLifetimeMillis'), ('pin_reset_by_user', 'pinResetByUser'))


def wanted_settings(params):
    wanted = {}
    for option, field in SETTINGS:
        value = params[option]
        if value is None:
            continue
        if option in ('mode', 'pin_type'):
            value = value.strip().upper()
            if not value:
                raise InvalidInputError('must not be empty', option=option)
        if option in ('pin_length', 'pin_lifetime') and value <= 0:
            raise InvalidInputError('must be a positive number', option=option)
        wanted[field] = value
    if not wanted:
        raise InvalidInputError('give one or more settings', option=', '.join(option for option, _field in SETTINGS))
    return wanted


def describe(record):
    mode = text_or_none(record.get('registrationAuthMode'))
    return dict(id=text_or_none(record.get('id')), mode=mode.lower() if mode else None, pin_length=record.get('pinLength'),
                pin_type=record.get('pinType'), pin_lifetime=record.get('pinLifetimeMillis'),
                pin_reset_by_user=record.get('pinResetByUser'))


def run(module, adapter):
    """Set the device registration policy through the vendor's registration_policy capability, sending it only when a
    setting differs; nothing in check mode."""
    policies = require(adapter, 'registration_policy')
    wanted = wanted_settings(module.params)
    record = policies.registration_policy()
    changes = dict((field, value) for field, value in wanted.items() if record.get(field) != value)
    after = dict(record, **changes)
    if changes and not module.check_mode:
        policies.put_registration_policy(after)
    result = dict(policy=describe(after))
    if not changes:
        return False, result, None
    return True, result, dict(before=describe(record), after=describe(after))


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            mode=dict(type='str', choices=['password', 'pin', 'password_and_pin']),
            pin_length=dict(type='int', no_log=False),
            pin_type=dict(type='str', no_log=False),
            pin_lifetime=dict(type='int', no_log=False),
            pin_reset_by_user=dict(type='bool', no_log=False),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
