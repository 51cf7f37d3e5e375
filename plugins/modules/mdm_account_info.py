#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_account_info
short_description: Check whether IBM MaaS360 customer account names are available
version_added: 0.1.0
description:
  - Asks MaaS360, for each given name, whether a customer account of that name can still be created under the
    partner account of the connection option O(billing_id) (C(checkAccountNameAvailability)).
  - That is all MaaS360's documented API tells about customer accounts. It documents no call that lists or searches
    the customer accounts of a partner, or reads one account, so this module cannot list accounts, cannot tell who owns
    a taken name, and returns no account details.
  - Only IBM MaaS360 provisions accounts; every other vendor fails with a clear message before any request.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
  - fleetops.mdm.attributes.INFO_MODULE
options:
  names:
    description:
      - The account names to check, one request each, in the order given (duplicates are checked once).
    type: list
    elements: str
    required: true
notes:
  - "Request: C(POST /account-provisioning/account/1.0/checkAccountNameAvailability/{billingId}), form-encoded
    C(accountName), as in IBM's MaaS360 web services getting-started guide. The guide does not show the reply: a name
    is reported available when the reply's C(errorCode) is 0, and the reply's C(errorDesc) is returned as it is."
  - The check is a POST, but it changes nothing; it is sent in check mode too.
seealso:
  - module: fleetops.mdm.mdm_account
'''

EXAMPLES = r'''
- name: Are these names still free?
  fleetops.mdm.mdm_account_info:
    vendor: maas360
    url: https://services.m3.maas360.com
    billing_id: "{{ partner_billing_id }}"
    username: partner_SO
    password: "{{ vault_maas360_password }}"
    app_id: com.example.provisioning
    app_version: "1.0"
    app_access_key: "{{ vault_maas360_app_access_key }}"
    names:
      - Example Corp
      - Example Corp EU
  register: names

- name: Show the free ones
  ansible.builtin.debug:
    msg: "{{ names.accounts | selectattr('available') | map(attribute='name') | list }}"
'''

RETURN = r'''
accounts:
  description: One item per name, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The account name checked.
      type: str
      sample: Example Corp
    available:
      description: Whether a customer account of this name can be created.
      type: bool
      sample: true
    availability:
      description: The C(errorDesc) of the reply, as the server wrote it.
      type: str
      sample: Account name is available
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import ACCOUNT_NAME
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require


def run(module, adapter):
    """Check each name; an _info module never changes anything."""
    provisioning = require(adapter, 'accounts')
    with option_names({ACCOUNT_NAME: 'names'}):
        names = [provisioning.check_account_name(name) for name in module.params['names'] or []]
    if not names:
        raise InvalidInputError('give one or more account names', option='names')
    accounts = []
    for name in dict.fromkeys(names):
        available, description = provisioning.account_name_available(name)
        accounts.append(dict(name=name, available=available, availability=description))
    return False, dict(accounts=accounts), None


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            names=dict(type='list', elements='str', required=True),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
