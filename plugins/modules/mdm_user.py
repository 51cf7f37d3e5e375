#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mdm_user
short_description: Create, update, invite, enroll and delete MDM user accounts
version_added: 0.1.0
description:
  - Makes a MobileIron Cloud user account exist with the given fields (O(state=present)), or not exist (O(state=absent)).
  - The user is found by its user id (O(uid)) with the documented C(fq=UID=...) search.
  - A new user is created with a password (O(user_password)) or without one, as a local or LDAP account (O(source)), or is
    imported from LDAP (O(ldap_import)).
  - An existing user gets only the fields that differ. MobileIron Cloud's account update clears every field it does not
    carry, so the module sends the current record merged with the changes - a field not given never changes. When the
    record read lacks a field that the update would clear, the module refuses to update rather than lose its value.
  - A user is deleted only after the vendor's delete-viability check allows it. A user that cannot be deleted (for
    example one with registered devices) fails the task with the vendor's reasons, and nothing is deleted.
  - It can also send the invitation (O(invite)), get an enrollment URL (O(enrollment_url)), generate a registration
    PIN (O(registration_pin)) and set custom attributes (O(custom_attributes)).
  - Other vendors fail with a clear message before any request - see the support matrix of the collection's README.
author:
  - fleetops.mdm contributors (@fleetops)
extends_documentation_fragment:
  - fleetops.mdm.connection
  - fleetops.mdm.attributes
attributes:
  check_mode:
    support: full
    details: Reads the user and reports what would change; sends no write. An enrollment URL or PIN is not generated.
  diff_mode:
    support: full
    details: The user's fields before and after; a password change shows as a redacted value.
options:
  uid:
    description:
      - The user id. In MobileIron Cloud it is the user's e-mail address.
    type: str
    required: true
  state:
    description:
      - V(present) - the user exists with the given fields.
      - V(absent) - the user does not exist.
    type: str
    choices: [present, absent]
    default: present
  email:
    description:
      - The e-mail address. A new user gets O(uid) when this is not given.
      - An empty string clears it, like every text field below.
    type: str
  first_name:
    description: The first name.
    type: str
  last_name:
    description: The last name.
    type: str
  display_name:
    description: The display name.
    type: str
  enabled:
    description:
      - Whether the account is enabled. MobileIron Cloud creates a user without a password disabled and one with a
        password enabled; this option changes that.
    type: bool
  password_never_expires:
    description: Whether the password never expires.
    type: bool
  gdpr_profile_id:
    description: The GDPR profile id (a number); an empty string clears it.
    type: str
  managed_apple_id:
    description: The managed Apple ID.
    type: str
  edipi:
    description: The Electronic Data Interchange Personal Identifier.
    type: str
  source:
    description:
      - The account source of a new user. V(ldap) needs O(user_password), since MobileIron Cloud documents the LDAP source
        only for the create call with a password; use O(ldap_import) to bring in a directory user.
      - Ignored for an existing user.
    type: str
    choices: [local, ldap]
    default: local
  user_password:
    description:
      - The user's password (O(password) is the admin's, for the connection). A new user is created with it.
      - An existing user gets it only with O(update_password=always), because a password cannot be read back to compare.
    type: str
  update_password:
    description:
      - V(on_create) - set the password only when the user is created.
      - V(always) - set it on every run (the task then always reports a change).
    type: str
    choices: [on_create, always]
    default: on_create
  send_invite:
    description:
      - Have MobileIron Cloud send the invitation e-mail when it creates (or imports) the user.
    type: bool
    default: false
  invite:
    description:
      - Send the invitation to register (Invite User) unless one is pending or was completed
        (RV(user.invite_state) V(Pending) or V(Completed)); an expired or never sent invitation is sent.
    type: bool
    default: false
  device_ownership:
    description:
      - The ownership of the user's devices, sent with O(invite) and O(ldap_import).
    type: str
    choices: [employee, company, unknown]
  ldap_import:
    description:
      - Create a missing user by importing it from LDAP, then follow the import as the vendor suggests - wait
        O(ldap_wait) seconds, check the status, and check again every O(ldap_poll_interval) seconds until
        O(ldap_timeout) seconds have passed.
      - A failed import fails the task with the vendor's error code and message (for example V(LDAP_USER_IMPORT-106)
        when the directory has no such user, V(KC-103) for an invalid entry). An import still running at the timeout
        fails the task too.
    type: bool
    default: false
  ldap_server:
    description:
      - The name of the LDAP server to import from. Without it the tenant must have exactly one LDAP server.
    type: str
  ldap_wait:
    description: Seconds to wait after the import request before the first status check.
    type: float
    default: 15
  ldap_poll_interval:
    description: Seconds between two status checks.
    type: float
    default: 15
  ldap_timeout:
    description: Seconds after the import request when the module stops checking.
    type: float
    default: 90
  custom_attributes:
    description:
      - Custom attributes to apply to the user, each name with a value or a list of values.
      - MobileIron Cloud documents no way to read a user's custom attributes, so they cannot be compared - every run
        with this option sends them and reports a change.
    type: dict
  force_overwrite:
    description:
      - Overwrite custom attributes that already have values (the vendor's C(forceOverwrite)).
    type: bool
    default: false
  enrollment_url:
    description:
      - Get an enrollment URL for the user (it enrolls a device without a PIN) and return it as RV(enrollment_url).
        It is returned nowhere else. Every run creates a new one and reports a change.
    type: bool
    default: false
  token_lifetime:
    description: How long the enrollment URL's token lives, in milliseconds (default one week).
    type: int
    default: 604800000
  registration_pin:
    description:
      - Generate a registration PIN for the user and return it as RV(registration_pin). It is returned nowhere else.
        Every run generates a new one and reports a change.
      - This works only when the tenant's device registration asks for a PIN; set it with
        M(fleetops.mdm.mdm_registration_policy) and O(fleetops.mdm.mdm_registration_policy#module:mode=pin) first.
    type: bool
    default: false
notes:
  - "Support: MobileIron Cloud. IBM MaaS360 documents a user search only (see M(fleetops.mdm.mdm_user_info));
    ManageEngine MDM and MobileIron Core document no user calls in the references this collection follows."
  - "MobileIron Cloud calls: C(GET /api/v1/account?fq=UID=...) (look-up), C(POST /api/v1/account) (create with a password),
    C(POST /api/v1/accounts) (create without one), C(PUT /api/v1/account) (update, the whole record),
    C(GET /api/v1/account?checkDeleteViability=true) then C(DELETE /api/v1/account) (delete),
    C(POST /api/v1/invite/enduser), C(POST /api/v1/tenant/enrollment/url), C(POST /api/v1/account/regpin),
    C(PATCH /api/v1/account/customattributes), C(POST /api/v1/ldap/import/user) and
    C(GET /api/v1/ldap/import/user/status)."
  - A write is never sent twice after a lost reply.
seealso:
  - module: fleetops.mdm.mdm_user_info
  - module: fleetops.mdm.mdm_registration_policy
'''

EXAMPLES = r'''
- name: A local user with a password, invited by e-mail
  fleetops.mdm.mdm_user:
    vendor: mobileiron_cloud
    url: https://na1.mobileiron.com
    username: admin@example.com
    password: "{{ vault_cloud_password }}"
    uid: jane.doe@example.com
    user_password: "{{ vault_jane_initial_password }}"
    first_name: Jane
    last_name: Doe
    display_name: Jane Doe
    password_never_expires: true
    send_invite: true

- name: Change only the display name (every other field stays as it is)
  fleetops.mdm.mdm_user:
    uid: jane.doe@example.com
    display_name: Jane D.

- name: Import a directory user and invite it with company-owned devices
  fleetops.mdm.mdm_user:
    uid: john.smith@example.com
    ldap_import: true
    ldap_server: corp-ldap
    send_invite: true
    device_ownership: company

- name: An enrollment URL valid for one day
  fleetops.mdm.mdm_user:
    uid: jane.doe@example.com
    enrollment_url: true
    token_lifetime: 86400000
  register: enrollment
  no_log: true

- name: Delete a user (fails with the vendor's reason when it cannot be deleted)
  fleetops.mdm.mdm_user:
    uid: jane.doe@example.com
    state: absent
'''

RETURN = r'''
user:
  description: The user after the run (predicted in check mode); null when it does not exist. Never carries a password or PIN.
  returned: always
  type: dict
  contains:
    vendor:
      description: The vendor.
      type: str
      sample: mobileiron_cloud
    id:
      description: The vendor's account id; null for a user check mode would create.
      type: str
      sample: '10022'
    uid:
      description: The user id.
      type: str
      sample: jane.doe@example.com
    email:
      description: The e-mail address.
      type: str
    first_name:
      description: The first name.
      type: str
    last_name:
      description: The last name.
      type: str
    display_name:
      description: The display name.
      type: str
    enabled:
      description: Whether the account is enabled.
      type: bool
    source:
      description: The account source (V(local), V(ldap), ...).
      type: str
    password_never_expires:
      description: Whether the password never expires.
      type: bool
    gdpr_profile_id:
      description: The GDPR profile id.
      type: str
    managed_apple_id:
      description: The managed Apple ID.
      type: str
    edipi:
      description: The EDIPI.
      type: str
    android_work_device_account_enabled:
      description: Whether the Android work device account is enabled.
      type: bool
    invite_state:
      description: The invitation state (V(Pending), V(Completed), V(Expired), ...).
      type: str
    locked:
      description: Whether the account is locked.
      type: bool
    super_user:
      description: Whether the account is a super user.
      type: bool
    device_count:
      description: How many devices the user has.
      type: int
    groups:
      description: The user groups.
      type: list
      elements: str
    ldap_server_id:
      description: The LDAP server of an LDAP account.
      type: str
    created_at:
      description: When the account was created (ISO 8601 UTC).
      type: str
    registration_pin_expires_at:
      description: When the user's registration PIN expires (ISO 8601 UTC), without the PIN.
      type: str
actions:
  description: What was done (or would be, in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: [create, update, invite]
delete_blockers:
  description: The vendor's reasons why the user cannot be deleted (the task fails then).
  returned: when O(state=absent) and the user cannot be deleted
  type: list
  elements: str
  sample: ["ACCOUNT_HAS_DEVICES: The user jane.doe@example.com has 2 registered device(s); retire them first."]
ldap_import:
  description: The outcome of the LDAP import.
  returned: when an LDAP import was sent
  type: dict
  contains:
    request_id:
      description: The vendor's import request id.
      type: str
    status:
      description: V(COMPLETED), V(FAILED) or V(IN_PROGRESS) (the time ran out).
      type: str
    error_code:
      description: The vendor's error code of a failed import.
      type: str
    error_message:
      description: The vendor's error message of a failed import.
      type: str
    checks:
      description: How many status checks were made.
      type: int
enrollment_url:
  description: The enrollment URL; null in check mode.
  returned: when O(enrollment_url=true)
  type: str
registration_pin:
  description: The registration PIN; null in check mode.
  returned: when O(registration_pin=true)
  type: dict
  contains:
    pin:
      description: The PIN.
      type: str
    expires_at:
      description: When it expires (ISO 8601 UTC).
      type: str
    used:
      description: Whether it was used.
      type: bool
'''


from ansible_collections.fleetops.mdm.plugins.module_utils.errors import REDACTED, InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.options import module_argument_spec
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import MdmModule, PartialFailure, option_names, run_module
from ansible_collections.fleetops.mdm.plugins.module_utils.users import check_uid
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import USER_SOURCE
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require

PRESENT_ONLY = ('invite', 'ldap_import', 'enrollment_url', 'registration_pin', 'send_invite', 'force_overwrite')


def wanted_fields(params, users):
    """{user field: wanted value} for the options given (each option is named after the neutral field the users
    capability sets); an empty text clears the field."""
    wanted = {}
    for option in users.settable_fields:
        value = params[option]
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip() or None
        wanted[option] = value
    return users.check_user_fields(wanted)


def check_attributes(attributes):
    if attributes is None:
        return None
    if not attributes:
        raise InvalidInputError('give one or more attributes', option='custom_attributes')
    clean = {}
    for name, values in attributes.items():
        values = values if isinstance(values, list) else [values]
        if not str(name).strip() or any(value is None or isinstance(value, (dict, list)) for value in values):
            raise InvalidInputError('each attribute needs a name and text values (%r)' % (name,), option='custom_attributes')
        clean[str(name).strip()] = [str(value) for value in values]
    return clean


def check_options(params, users):
    """Everything that can be checked without a request."""
    if params['state'] == 'absent':
        given = [option for option in PRESENT_ONLY if params[option]]
        given += [option for option in ('user_password', 'custom_attributes') if params[option] is not None]
        if given:
            raise InvalidInputError('applies to state=present only', option=', '.join(given))
    if params['update_password'] == 'always' and params['user_password'] is None:
        # Not worded "update_password=always" (or with a colon): the secret scrubber hides what follows "password=".
        raise InvalidInputError('update_password set to always needs a password in user_password', option='user_password')
    if params['ldap_import'] and params['user_password'] is not None:
        raise InvalidInputError('an imported LDAP user has no password here', option='user_password')
    with option_names({USER_SOURCE: 'source'}):
        users.check_create(params['source'], params['user_password'] is not None, params['ldap_import'])
    for option in ('ldap_wait', 'ldap_poll_interval', 'ldap_timeout'):
        if params[option] < 0:
            raise InvalidInputError('must be 0 or more seconds', option=option)
    if params['ldap_timeout'] < params['ldap_wait']:
        raise InvalidInputError('must not be shorter than ldap_wait', option='ldap_timeout')
    if params['token_lifetime'] <= 0:
        raise InvalidInputError('must be a positive number of milliseconds', option='token_lifetime')
    return wanted_fields(params, users), check_attributes(params['custom_attributes'])


def delete(module, users, uid):
    record = users.find_user(uid)
    if record is None:
        return False, dict(user=None, actions=[]), None
    user = users.normalise_user_record(record)
    blockers = users.delete_blockers(record['id'])
    if blockers:
        raise PartialFailure('the server refuses to delete user %s: %s' % (uid, '; '.join(blockers)), False,
                             dict(user=user, actions=[], delete_blockers=blockers))
    if not module.check_mode:
        users.delete_user(record['id'])
    return True, dict(user=None, actions=['delete']), dict(before=user, after={})


def create(module, users, uid, wanted, actions, result):
    """Create (or import) the user; returns (record, whether the password was set by the creation)."""
    params = module.params
    source = params['source']
    email = wanted.get('email') or uid
    names = dict((field, wanted.get(field)) for field in users.name_fields)
    if module.check_mode:
        actions.append('ldap_import' if params['ldap_import'] else 'create')
        # Check mode predicts the new record (the users capability knows what the creation sets).
        predicted = users.predicted_account(uid, email, source, params['user_password'] is not None, params['ldap_import'],
                                            params['send_invite'], names)
        return predicted, params['user_password'] is not None
    ownership = params['device_ownership'].upper() if params['device_ownership'] else None
    if params['ldap_import']:
        outcome = users.ldap_import(uid, server=params['ldap_server'], send_invite=params['send_invite'], ownership=ownership,
                                    wait=params['ldap_wait'], interval=params['ldap_poll_interval'], timeout=params['ldap_timeout'])
        result['ldap_import'] = outcome
        actions.append('ldap_import')
        if outcome['status'] != 'COMPLETED':
            if outcome['status'] == 'FAILED':
                reason = 'failed: %s %s' % (outcome['error_code'] or '', outcome['error_message'] or '')
            else:
                reason = 'still in progress after %s seconds (request %s)' % (params['ldap_timeout'], outcome['request_id'])
            raise PartialFailure('the LDAP import of %s %s' % (uid, reason.strip()), False, dict(result, user=None))
        record = users.find_user(uid)
        if record is None:
            raise PartialFailure('the server reported the LDAP import of %s COMPLETED, but no such user exists' % uid,
                                 True, dict(result, user=None))
        return record, False
    with option_names({USER_SOURCE: 'source'}):
        created = users.create_user(uid, email, source, params['send_invite'], password=params['user_password'], names=names)
    actions.append('create')
    # The create replies are not the whole record the update merges on: read it back.
    return users.find_user(uid) or created, params['user_password'] is not None


def present(module, users, uid, wanted, attributes):
    params = module.params
    actions, result = [], {}
    record = users.find_user(uid)
    before = users.normalise_user_record(record) if record is not None else {}
    created = record is None
    password_set = False
    if created:
        record, password_set = create(module, users, uid, wanted, actions, result)
    changes = users.changed_fields(record, wanted)
    send_password = params['user_password'] is not None and params['update_password'] == 'always' and not password_set
    if changes or send_password:
        actions.append('update')
        if not module.check_mode:
            users.update_fields(record, changes, password=params['user_password'] if send_password else None)
    ownership = params['device_ownership'].upper() if params['device_ownership'] else None
    if params['invite'] and not users.is_invited(record):
        actions.append('invite')
        if not module.check_mode:
            users.invite_user(record['id'], ownership)
    if attributes is not None:
        actions.append('custom_attributes')
        if not module.check_mode:
            users.set_custom_attributes(record['id'], attributes, params['force_overwrite'])
    if params['enrollment_url']:
        actions.append('enrollment_url')
        result['enrollment_url'] = None if module.check_mode else users.enrollment_url(record['id'], params['token_lifetime'])
    if params['registration_pin']:
        actions.append('registration_pin')
        result['registration_pin'] = None if module.check_mode else users.registration_pin(record['id'])
    if module.check_mode or not actions:
        predicted = users.with_changes(record, changes)
        if 'invite' in actions:
            predicted = users.with_invite(predicted)
        after = users.normalise_user_record(predicted)
    else:
        after = users.normalise_user_record(users.find_user(uid) or users.with_changes(record, changes))
    result.update(user=after, actions=actions)
    if not actions:
        return False, result, None
    diff_after = dict(after)
    if send_password or (created and params['user_password'] is not None):
        diff_after['password'] = REDACTED
    return True, result, dict(before=before, after=diff_after)


def run(module, adapter):
    """Create, update or delete one user account (and invite, enroll, set attributes) through the vendor's users
    capability; the registry refuses a vendor without one before any request."""
    users = require(adapter, 'users')
    uid = check_uid(module.params['uid'])
    wanted, attributes = check_options(module.params, users)
    if module.params['user_password']:
        adapter.transport.add_secret(module.params['user_password'])
    if module.params['state'] == 'absent':
        return delete(module, users, uid)
    return present(module, users, uid, wanted, attributes)


def main():
    module = MdmModule(
        argument_spec=module_argument_spec(
            uid=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            email=dict(type='str'),
            first_name=dict(type='str'),
            last_name=dict(type='str'),
            display_name=dict(type='str'),
            enabled=dict(type='bool'),
            password_never_expires=dict(type='bool', no_log=False),
            gdpr_profile_id=dict(type='str'),
            managed_apple_id=dict(type='str'),
            edipi=dict(type='str'),
            source=dict(type='str', choices=['local', 'ldap'], default='local'),
            user_password=dict(type='str', no_log=True),
            update_password=dict(type='str', choices=['on_create', 'always'], default='on_create', no_log=False),
            send_invite=dict(type='bool', default=False),
            invite=dict(type='bool', default=False),
            device_ownership=dict(type='str', choices=['employee', 'company', 'unknown']),
            ldap_import=dict(type='bool', default=False),
            ldap_server=dict(type='str'),
            ldap_wait=dict(type='float', default=15),
            ldap_poll_interval=dict(type='float', default=15),
            ldap_timeout=dict(type='float', default=90),
            custom_attributes=dict(type='dict'),
            force_overwrite=dict(type='bool', default=False),
            enrollment_url=dict(type='bool', default=False),
            token_lifetime=dict(type='int', default=604800000, no_log=False),
            registration_pin=dict(type='bool', default=False, no_log=False),
        ),
        supports_check_mode=True,
    )
    run_module(module, run)


if __name__ == '__main__':
    main()
