#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_account
short_description: Provision IBM MaaS360 customer accounts under a partner billing id
version_added: 0.1.0
description:
  - Makes sure that a MaaS360 customer account of the given name exists under the partner account named by the
    connection option O(billing_id) - a trial or a customer account for a service, with its first administrator's
    e-mail address.
  - It first asks MaaS360 whether the name is available (C(checkAccountNameAvailability)). An available name is
    created (C(createCustomerAccount)); a name that is not available is not created again.
  - MaaS360's documented API has no call that lists, reads, changes or deletes customer accounts, and its availability
    check only says whether a name is free. So the module cannot tell whether a taken name is an account of this
    partner (created by an earlier run) or someone else's, and it cannot compare the type, service or e-mail of an
    existing account. O(on_taken) chooses what a taken name means; by default it is taken to be the account an earlier
    run created (C(changed=false), with a warning that says so).
  - Only IBM MaaS360 provisions accounts; every other vendor fails with a clear message before any request.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
attributes:
  check_mode:
    support: full
    details: Sends the availability check (a POST that changes nothing) and never C(createCustomerAccount).
  diff_mode:
    support: full
    details: The account that would be or was created; nothing when the name is taken.
options:
  name:
    description:
      - The name of the customer account (C(accountName)).
    type: str
    required: true
    aliases: [account_name]
  account_type:
    description:
      - C(accountType) of a new account - V(Trial) or V(Customer).
    type: str
    choices: [Trial, Customer]
    required: true
  admin_email:
    description:
      - The e-mail address of the new account's administrator (C(adminEmailAddress)).
    type: str
    required: true
  service:
    description:
      - The service of the new account (C(Service)). The reference shows only V(MDM); other values are passed on as given.
    type: str
    default: MDM
  state:
    description:
      - Only V(present). MaaS360 documents no call that deletes a customer account.
    type: str
    choices: [present]
    default: present
  on_taken:
    description:
      - What a name that MaaS360 reports as not available means.
      - V(assume_existing) - it is the account of this partner that an earlier run created; nothing is sent and the
        task reports C(changed=false) with a warning, since the documented API cannot confirm who owns it.
      - V(fail) - the task fails, naming the account; use it where a taken name must never pass unnoticed (for example
        when the name should be new).
    type: str
    choices: [assume_existing, fail]
    default: assume_existing
notes:
  - "Requests: C(POST /account-provisioning/account/1.0/checkAccountNameAvailability/{billingId}) and, for a free name,
    C(POST /account-provisioning/account/1.0/createCustomerAccount/{billingId}), both form-encoded, as in IBM's
    MaaS360 web services getting-started guide. The guide does not show the replies: the module reads their
    C(errorCode) (0 = available / created) and C(errorDesc)."
  - The account creation is never sent twice, also not after a lost reply.
seealso:
  - module: fleetops.mdm.mdm_account_info
'''

EXAMPLES = r'''
- name: A trial account for a new customer
  fleetops.mdm.mdm_account:
    vendor: maas360
    url: https://services.m3.maas360.com
    billing_id: "{{ partner_billing_id }}"
    username: partner_SO
    password: "{{ vault_maas360_password }}"
    app_id: com.example.provisioning
    app_version: "1.0"
    app_access_key: "{{ vault_maas360_app_access_key }}"
    name: Example Corp
    account_type: Trial
    admin_email: it-admin@example.com

- name: Fail if the name is already taken
  fleetops.mdm.mdm_account:
    name: Example Corp EU
    account_type: Customer
    admin_email: it-admin@example.eu
    on_taken: fail
'''

RETURN = r'''
account:
  description: The account asked for and what happened to it.
  returned: always
  type: dict
  contains:
    name:
      description: The account name.
      type: str
      sample: Example Corp
    account_type:
      description: The account type asked for (the type of an existing account is not known).
      type: str
      sample: Trial
    service:
      description: The service asked for.
      type: str
      sample: MDM
    admin_email:
      description: The administrator e-mail asked for.
      type: str
      sample: it-admin@example.com
    available:
      description: Whether MaaS360 reported the name as available before this task.
      type: bool
    availability:
      description: The C(errorDesc) of the availability check, as the server wrote it.
      type: str
      sample: Account name is available
    created:
      description: Whether the account was created by this task (false in check mode).
      type: bool
    reply:
      description: Fields of the creation reply beyond C(errorCode) and C(errorDesc), as the server sent them.
      type: dict
      returned: when the account was created
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import ACCOUNT_ADMIN_EMAIL, ACCOUNT_NAME, ACCOUNT_SERVICE, ACCOUNT_TYPE
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require


def run(module, adapter):
    """Create the customer account when its name is free; a taken name is reported (or fails, on_taken=fail).  The
    vendor's ``accounts`` capability does the calls; the registry refuses a vendor without one before any request."""
    params = module.params
    provisioning = require(adapter, 'accounts')
    vendor = vendor_display_name(provisioning.name)
    with option_names({ACCOUNT_NAME: 'name', ACCOUNT_TYPE: 'account_type', ACCOUNT_ADMIN_EMAIL: 'admin_email',
                       ACCOUNT_SERVICE: 'service'}):
        form = provisioning.customer_account_form(params['name'], params['account_type'], params['admin_email'], params['service'])
    wanted = provisioning.account_of(form)
    name = wanted['name']
    available, description = provisioning.account_name_available(name)
    account = dict(wanted, available=available, availability=description, created=False)
    if not available:
        if params['on_taken'] == 'fail':
            raise InvalidInputError('%s reports the account name %r as not available (%s); the documented API cannot '
                                    'tell whether an account of this partner holds it' % (vendor, name, description or 'no reason given'),
                                    option='name', vendor=provisioning.name, operation='provision customer account %r' % name)
        module.warn('%s reports the account name %r as not available; it is taken to be the account of this partner '
                    'that an earlier run created (its owner, type, service and e-mail cannot be read through the '
                    'documented API). Set on_taken=fail to fail instead.' % (vendor, name))
        return False, dict(account=account), None
    if not module.check_mode:
        account['reply'] = provisioning.create_customer_account(form)
        account['created'] = True
    return True, dict(account=account), dict(before={}, after=wanted)


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            name=dict(type='str', required=True, aliases=['account_name']),
            account_type=dict(type='str', choices=['Trial', 'Customer'], required=True),
            admin_email=dict(type='str', required=True),
            service=dict(type='str', default='MDM'),
            state=dict(type='str', choices=['present'], default='present'),
            on_taken=dict(type='str', choices=['assume_existing', 'fail'], default='assume_existing'),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
