# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The capability contracts: what a vendor's capability class is handed and what it offers.

A vendor package (``vendors/<vendor>/``) holds its session (``session.py``: authentication, calls, the device
listing and its paging parameters) and one small class per capability (device commands, device facts, users,
accounts, ...).  A capability is handed the session when the vendor's declaration (``vendors/<vendor>/vendor.py``)
composes them; it never inherits the session, so two capabilities share nothing but the session's public calls.
Whether a vendor has a capability at all is the registry's answer (``vendors/registry.py``), given before any
request.

The contracts below hold the parts every vendor shares; the vendor classes add the vendor's endpoints.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import UNKNOWN_ADVICE, check_params, default_precheck, result
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import NotSupportedError, redact


# Neutral field keys: what a capability's InvalidInputError names as its ``option`` for the input it was handed.  The
# capability does not know the module's option names; each module maps these keys to its own options
# (runner.option_names()), so the user reads the option they wrote.  A key may read like the option most modules
# call it (DEVICES), yet a module maps every key its calls may raise.
DEVICES = 'devices'  # the device ids of check_device_ids() and of the checks built on it
DEVICE_FIELDS = 'device_fields'  # the device details of check_device_updates(), 'device_fields.<field>' for one
USER_PAGE_SIZE = 'user_page_size'  # the page size of check_user_page_size()
USER_SOURCE = 'user_source'  # the user source of check_create()
COMMAND_PARAMS = 'params'  # the parameters of check_action(), 'params.<key>' for one
COMMAND_SUBJECT = 'subject'  # the subject of a message command (vendors with rules across its parameters)
COMMAND_MESSAGE_TYPE = 'message_type'  # the message type of a message command
FACTS = 'gather'  # the fact names of check_gather()
FACT_PARAMS = 'gather_params'  # the fact parameters of check_gather() / check_gather_params(), 'gather_params.<key>'
LISTING_FILTERS = 'filters'  # the neutral filters of list_devices(), 'filters.<filter>'
LISTING_VENDOR_FILTERS = 'vendor_filters'  # the vendor's own filters of list_devices()
LISTING_PAGE_SIZE = 'page_size'  # the page size of list_devices() (check_page_size())
DEVICE_ID = 'device_id'  # the one device id of get_device() and of the facts checks
LABELS = 'labels'  # the label names of change_label_members()
ACCOUNT_NAME = 'account_name'  # the account name of check_account_name() and customer_account_form()
ACCOUNT_TYPE = 'account_kind'  # the account type of customer_account_form()
ACCOUNT_ADMIN_EMAIL = 'account_admin_email'  # the administrator's e-mail of customer_account_form()
ACCOUNT_SERVICE = 'account_service'  # the service of customer_account_form()
# Shared options: the same name in every module and in the inventory plugin, so no module maps them.  A vendor names
# a connection option (options.CONNECTION_OPTIONS: api_key, partition_id, billing_id, ...) by its name, and these:
CONCURRENCY = 'concurrency'  # the concurrency of map_concurrently()


class CapabilitySpec:
    """A capability: the operation as the error names it, the calls its class must offer (the contract), and the
    feature row of the README support matrix that documents it."""

    def __init__(self, operation, calls, matrix_rows):
        self.operation = operation
        self.calls = tuple(calls)
        self.matrix_rows = tuple(matrix_rows)


CAPABILITIES = {
    'devices': CapabilitySpec('listing devices', ('list_devices', 'get_device', 'normalise', 'normalise_device_id'),
                              ('list every device (all pages)', 'one device by id')),
    'actions': CapabilitySpec('device commands', ('action_catalogue', 'check_action', 'check_device_ids', 'action_targets',
                                                  'precheck_action', 'send_action', 'wait_actions'),
                              ('device commands (`mdm_device_action`)',)),
    'labels': CapabilitySpec('listing labels or device groups', ('list_labels',),
                             ('list labels / groups (`mdm_label_info`)',)),
    'label_writes': CapabilitySpec('changing the devices of a label or device group',
                                   ('list_labels', 'check_label_writes', 'change_label_members'),
                                   ('devices in labels / groups (`mdm_label`)',)),
    'label_lifecycle': CapabilitySpec('creating and deleting labels or device groups', ('create_label', 'delete_label'),
                                      ('create and delete labels / groups (`mdm_label` `create`, `state: deleted`)',)),
    'facts': CapabilitySpec('gathering device facts', ('check_gather', 'gather_device_facts', 'gather_fleet_facts'),
                            ('device and fleet facts (`mdm_device_info` `gather`)',)),
    'device_updates': CapabilitySpec('updating device details', ('check_device_updates', 'device_details', 'update_device_details'),
                                     ('device details (`mdm_device`, `state: present`)',)),
    'device_deletes': CapabilitySpec('deleting devices', ('check_device_deletes', 'device_statuses', 'deletable', 'delete_devices'),
                                     ('delete retired devices (`mdm_device`, `state: absent`)',)),
    'assignments': CapabilitySpec('associating profiles and apps with devices',
                                  ('check_device_ids', 'check_item_id', 'device_profiles', 'device_apps',
                                   'associate_profiles', 'dissociate_profiles', 'associate_apps', 'dissociate_apps'),
                                  ('device profiles and apps (`mdm_device` `profiles`, `apps`)',)),
    'users': CapabilitySpec('managing users', ('check_user_fields', 'check_create', 'find_user', 'normalise_user_record',
                                               'predicted_account', 'create_user', 'ldap_import', 'changed_fields',
                                               'with_changes', 'update_fields', 'is_invited', 'with_invite', 'invite_user',
                                               'delete_blockers', 'delete_user', 'enrollment_url', 'registration_pin',
                                               'set_custom_attributes'),
                            ('users (`mdm_user`)',)),
    'user_search': CapabilitySpec('listing users', ('list_users', 'find_user', 'normalise_user_record', 'check_user_page_size'),
                                  ('list / search users (`mdm_user_info`)',)),
    'registration_policy': CapabilitySpec('the device registration policy', ('registration_policy', 'put_registration_policy'),
                                          ('device registration policy (`mdm_registration_policy`)',)),
    'accounts': CapabilitySpec('customer account provisioning', ('check_account_name', 'customer_account_form', 'account_of',
                                                                 'account_name_available', 'create_customer_account'),
                               ('customer accounts (`mdm_account`)', 'account name availability (`mdm_account_info`)')),
}


def require(session, capability):
    """The object that provides ``capability`` for this session's vendor, or NotSupportedError before any request.

    ``session`` is what client.build_adapter() returns (a composed vendor session); a test's fake offers the same
    ``name`` and ``capabilities`` attributes."""
    spec = CAPABILITIES[capability]
    provided = getattr(session, 'capabilities', None) or {}
    if capability not in provided:
        reason = (getattr(session, 'refusals', None) or {}).get(capability)
        raise NotSupportedError('%s (%s)' % (spec.operation, reason) if reason else spec.operation, session.name)
    return provided[capability]


class Capability:
    """One thing a vendor can do, over the vendor's session (composition: the session is handed in, not inherited)."""

    def __init__(self, session):
        self.session = session

    @property
    def name(self):
        """The vendor's name (``maas360``, ...), as the session knows it."""
        return self.session.name


class DeviceActions(Capability):
    """Device commands (mdm_device_action); the contract of the calls is in module_utils/actions.py.

    Vendor classes define action_catalogue() and send_action(), and override the other calls where the vendor needs
    more than the defaults here."""

    # Set by mdm_device_action while a command is sent (module_utils/send_control.SendControl): asked before each
    # request, told each result.
    send_control = None

    def action_catalogue(self):
        """``{name: ActionSpec}`` of every device command this vendor documents (neutral and own names)."""
        raise NotImplementedError

    def send_action(self, spec, params, devices, concurrency=4):
        """Send the command; one result (actions.result()) per id, in order.  Never raises for a failed batch or
        device; a request that may have reached the server unanswered is ``unknown`` and never sent again."""
        raise NotImplementedError

    def check_action(self, spec, params):
        """The command's parameters as the vendor sends them; InvalidInputError before any request otherwise.
        Vendors override it for rules across parameters (an e-mail message needs a subject, ...).  Errors name
        COMMAND_PARAMS ('params.<key>'), COMMAND_SUBJECT and COMMAND_MESSAGE_TYPE."""
        return check_params(spec, params, option=COMMAND_PARAMS)

    def check_device_ids(self, devices):
        """The ids to command as the vendor writes them, each once and in order (the session's check_device_ids());
        InvalidInputError (key DEVICES) for an id that cannot be one of this vendor's."""
        return self.session.check_device_ids(devices)

    def action_targets(self, spec, devices, concurrency=4):
        """``{id: normalised device}`` of the given ids that exist (for platform and status checks)."""
        found = self.session.map_concurrently(self.session.get_device, devices, concurrency)
        return dict((device_id, device) for device_id, device in zip(devices, found) if device is not None)

    def precheck_action(self, spec, devices):
        """``{id: result}`` for the devices of ``action_targets()`` that must not be commanded."""
        return default_precheck(spec, devices)

    def wait_actions(self, spec, results, timeout, interval=5.0):
        """Follow ``sent`` results to ``completed`` / ``failed`` in place, until ``timeout`` seconds passed.
        Returns False when the vendor gives no way to follow this command (results stay ``sent``)."""
        return False

    def send_each(self, send, items, concurrency):
        """``map_concurrently(send, items)`` for the requests of a device command; an item is one device id (``send``
        returns its result) or a list of ids (``send`` returns their results, in order).

        An exception while sending one item becomes ``unknown`` for its devices, with the reason: the request may have
        gone out, and the other devices keep their results.  Once send_control is asked to stop (SIGINT, SIGTERM), no
        further request starts; the devices not sent to are ``not_sent``."""
        control = self.send_control
        secrets = self.session.transport.secrets

        def guarded(item):
            ids = list(item) if isinstance(item, (list, tuple)) else [item]
            if control is not None and not control.starting(ids):
                got = control.not_sent(ids)
            else:
                try:
                    got = send(item)
                    got = list(got) if isinstance(item, (list, tuple)) else [got]
                except Exception as exc:  # pylint: disable=broad-except
                    reason = redact('%s: %s' % (type(exc).__name__, exc), secrets)
                    got = [result(device_id, 'unknown', 'unexpected error while sending: %s; %s' % (reason, UNKNOWN_ADVICE))
                           for device_id in ids]
            if control is not None:
                control.finished(got)
            return got if isinstance(item, (list, tuple)) else got[0]
        return self.session.map_concurrently(guarded, items, concurrency)

    def send_batches(self, send, devices, size, concurrency):
        """send_each over ``devices`` cut into batches of at most ``size`` (the vendor's documented maximum a call),
        ``send(batch)`` returning the batch's results in order; the results of all devices, in order."""
        devices = list(devices)
        results = []
        for batch_results in self.send_each(send, [devices[start:start + size] for start in range(0, len(devices), size)],
                                            concurrency):
            results.extend(batch_results)
        return results


class VendorDeclaration:
    """One vendor, declared once (``vendors/<vendor>/vendor.py``): its session class and its capability classes.

    ``capabilities`` maps a capability name of the registry (registry.CAPABILITIES) to the class that provides it;
    one class may provide several capabilities (one instance serves them all).  ``session`` is listed for the
    capabilities the session itself provides (the device listing: ``devices``; the label listing: ``labels``).

    The connection side follows the declaration: ``display_name`` is the name users know the vendor by (every error
    message names it), ``required_options`` the connection options it needs, as alternatives (every option of one
    tuple must be given); options.VENDORS / REQUIRED_BY_VENDOR and errors.vendor_display_name() read them through
    the registry."""

    def __init__(self, name, session, capabilities, display_name, required_options, session_capabilities=('devices',),
                 refusals=None):
        self.name = name
        self.display_name = display_name
        self.required_options = [tuple(alternative) for alternative in required_options]
        self.session = session
        self.capabilities = dict(capabilities)
        self.session_capabilities = tuple(session_capabilities)
        # {capability: why the vendor has it not}, for the refusal's message where the README says more than "no".
        self.refusals = dict(refusals or {})

    def provides(self, capability):
        """Does this vendor have the capability?  Answered from the declaration alone, before any request."""
        return capability in self.capabilities or capability in self.session_capabilities

    def compose(self, options, transport):
        """The vendor's session with its capabilities attached (each handed the session); nothing is sent yet."""
        session = self.session(options, transport)
        instances = {}
        composed = {}
        for capability, cls in self.capabilities.items():
            if cls not in instances:
                instances[cls] = cls(session)
            composed[capability] = instances[cls]
        for capability in self.session_capabilities:
            composed[capability] = session
        session.capabilities = composed
        session.refusals = self.refusals
        return session
