#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_user_info
short_description: List and search the user accounts of an MDM server
version_added: 0.1.0
description:
  - Lists the MobileIron Cloud or IBM MaaS360 users, every page of them, or finds one user by its user id.
  - Never changes anything. Passwords, password histories and registration PINs are never returned.
  - Other vendors fail with a clear message before any request - see the support matrix of the collection's README.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
  - fleetops.mdm.attributes.INFO_MODULE
options:
  uid:
    description:
      - Only the user with this user id, compared without regard to case. The result is empty when there is no such user.
      - MobileIron Cloud - the e-mail address, found with the vendor's C(fq=UID=...) search.
      - IBM MaaS360 - the user name or e-mail address, found in the full listing (no documented search filter).
    type: str
  query:
    description:
      - Only the users that the vendor's free-text search (C(q)) finds (MobileIron Cloud), or whose user name, e-mail
        address or full name contains it (IBM MaaS360, checked by the module); ignored with O(uid).
    type: str
  page_size:
    description:
      - Users per request (MobileIron Cloud 1 to 500; IBM MaaS360 25, 50, 100, 200 or 250); the largest page by default.
    type: int
  concurrency:
    description:
      - How many pages are read at once (1 to 32).
    type: int
    default: 4
notes:
  - "Support: MobileIron Cloud (C(GET /api/v1/account), C(rows) at most 500, C(start) index); IBM MaaS360
    (C(GET /user-apis/user/1.0/search/{billingID}) with C(includeAllUsers=1), C(pageSize) / C(pageNumber); beyond the path,
    the parameters and reply follow public clients of the API and are unverified). ManageEngine MDM and MobileIron Core
    document no user calls in the references this collection follows."
seealso:
  - module: fleetops.mdm.mdm_user
'''

EXAMPLES = r'''
- name: Every user
  fleetops.mdm.mdm_user_info:
    vendor: mobileiron_cloud
    url: https://na1.mobileiron.com
    username: admin@example.com
    password: "{{ vault_cloud_password }}"
  register: everyone

- name: One user by user id
  fleetops.mdm.mdm_user_info:
    uid: jane.doe@example.com
  register: jane
'''

RETURN = r'''
users:
  description: The users found, in the vendor's order; the fields are those of RV(fleetops.mdm.mdm_user#module:user).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The vendor's account id.
      type: str
    uid:
      description: The user id.
      type: str
    email:
      description: The e-mail address.
      type: str
    display_name:
      description: The display name.
      type: str
    enabled:
      description: Whether the account is enabled.
      type: bool
    invite_state:
      description: The invitation state.
      type: str
    device_count:
      description: How many devices the user has.
      type: int
listing:
  description:
    - How the user listing went, as RV(fleetops.mdm.mdm_device_info#module:listing) for devices (the same paging
      engine; MobileIron Cloud pages by index and overlaps its pages by a row, MaaS360 by page number). When
      the listing is not consistent the module warns with these numbers.
  returned: when users were listed (all but a MobileIron Cloud look-up by O(uid), which the vendor answers by search)
  type: dict
  sample: {"what": "users", "listed": 700, "server_total": 700, "passes": 1, "requests": 2, "page_size": 500,
           "consistent": true, "drift": []}
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.session import fold_reports, return_listing
from ansible_collections.fleetops.mdm.plugins.module_utils.users import check_uid
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.base import check_concurrency
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import USER_PAGE_SIZE
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require


def run(module, adapter):
    """List users (all pages) or find one through the vendor's user_search capability; never changes anything."""
    params = module.params
    users = require(adapter, 'user_search')
    concurrency = check_concurrency(params['concurrency'])
    page_size = params['page_size']
    if page_size is not None:
        with option_names({USER_PAGE_SIZE: 'page_size'}):
            users.check_user_page_size(page_size)
    # The session's reports of every listing it ran (a test's fake session may keep none).
    collector = getattr(adapter, 'listing_reports', None)
    mark = collector.mark() if collector is not None else 0
    if params['uid'] is not None:
        record = users.find_user(check_uid(params['uid']))
        records = [record] if record is not None else []
    else:
        query = (params['query'] or '').strip() or None
        records = users.list_users(query=query, page_size=page_size, concurrency=concurrency)
    result = dict(users=[users.normalise_user_record(record) for record in records])
    # The report of the user listing (a look-up by id that the vendor answers without a listing reports none).
    return_listing(result, fold_reports(collector.since(mark) if collector is not None else []), module.warn, 'users')
    return False, result, None


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            uid=dict(type='str'),
            query=dict(type='str'),
            page_size=dict(type='int'),
            concurrency=dict(type='int', default=4),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
