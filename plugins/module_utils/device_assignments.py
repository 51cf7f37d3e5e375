# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The profiles and apps of devices, declaratively (mdm_device ``profiles`` / ``apps``): check the wanted items,
read what each device has, plan only the difference, send it, and report it.

The vendor calls are those of the vendor's ``assignments`` capability (vendors/registry.py says which vendors have
one); everything here is neutral.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, MdmError, vendor_display_name
from ansible_collections.fleetops.mdm.plugins.module_utils.runner import option_names
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICES
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.registry import require

# The install options of an app item (mdm_device option apps), the same names the vendor capability sends.
APP_OPTIONS = ('silent_install', 'notify_user_via_email', 'invite_user', 'do_not_uninstall')


def check_items(kind, items, check_id):
    """The ``profiles`` / ``apps`` items, checked before any request: each names one id or one name, at most once.
    ``check_id(value, option)`` is the vendor's check of an id (the assignments capability's check_item_id)."""
    checked, seen = [], set()
    for index, item in enumerate(items or []):
        where = '%s[%d]' % (kind, index)
        item = dict(item or {})
        if (item.get('id') is None) == (item.get('name') is None):
            raise InvalidInputError('give either id or name', option=where)
        ref = dict(state=item.get('state') or 'present', where=where, id=None, name=None)
        if item.get('id') is not None:
            ref['id'] = check_id(item['id'], where + '.id')
            key = ('id', ref['id'])
        else:
            ref['name'] = str(item['name']).strip()
            if not ref['name']:
                raise InvalidInputError('a name must not be empty', option=where + '.name')
            key = ('name', ref['name'])
        if key in seen:
            raise InvalidInputError('%s %s is given twice' % key, option=kind)
        seen.add(key)
        if kind == 'apps':
            options = dict((name, item.get(name)) for name in APP_OPTIONS)
            release = item.get('release_label_id')
            if ref['state'] == 'absent' and (release is not None or any(value is not None for value in options.values())):
                raise InvalidInputError('release_label_id and the install options apply to state=present only', option=where)
            ref['release_label_id'] = check_id(release, where + '.release_label_id') if release is not None else None
            ref['options'] = options
        checked.append(ref)
    return checked


def plan_items(kind, wanted, current, device_id, vendor):
    """``(items to associate, ids to dissociate)`` for one device, from the wanted items and its current ones."""
    current_ids = set(record['id'] for record in current)
    states, add = {}, []
    for ref in wanted:
        if ref['id'] is not None:
            target = ref['id']
        else:
            matches = sorted(set(record['id'] for record in current if record['name'] == ref['name']))
            if len(matches) > 1:
                raise InvalidInputError('device %s has %d %s named %r (ids %s): give the id' % (
                    device_id, len(matches), kind, ref['name'], ', '.join(matches)), option=ref['where'] + '.name')
            if not matches:
                if ref['state'] == 'present':
                    raise InvalidInputError(
                        '%r is not among the %s of device %s, and %s documents no list of %s to find it in: '
                        'give its id to associate it' % (ref['name'], kind, device_id, vendor_display_name(vendor), kind),
                        option=ref['where'] + '.name')
                continue
            target = matches[0]
        if states.setdefault(target, ref['state']) != ref['state']:
            raise InvalidInputError('%s %s is wanted both present and absent' % (kind, target), option=ref['where'])
        if ref['state'] == 'present' and target not in current_ids:
            add.append(dict(ref, id=target))
    remove = sorted((target for target, state in states.items() if state == 'absent' and target in current_ids), key=int)
    return add, remove


def plan_assignments(params, adapter, devices):
    """Read the profiles and apps of every device and plan what to send; raises before any write on bad input."""
    assignments = require(adapter, 'assignments')
    with option_names({DEVICES: 'devices'}):
        devices = assignments.check_device_ids(devices)
    wanted = dict((kind, check_items(kind, params.get(kind), assignments.check_item_id)) for kind in ('profiles', 'apps')
                  if params.get(kind))
    readers = dict(profiles=assignments.device_profiles, apps=assignments.device_apps)
    plans, missing = {}, []
    for device_id in devices:
        plan = {}
        for kind, items in wanted.items():
            current = readers[kind](device_id)
            if current is None:
                missing.append(device_id)
                plan = None
                break
            add, remove = plan_items(kind, items, current, device_id, assignments.name)
            before = sorted(set(record['id'] for record in current), key=int)
            after = sorted((set(before) - set(remove)) | set(ref['id'] for ref in add), key=int)
            plan[kind] = dict(add=add, remove=remove, before=before, after=after)
        if plan is not None:
            plans[device_id] = plan
    return assignments, devices, plans, missing


def _app_association(assignments, pairs, options):
    """A call ``(device id, ids)`` that associates ``pairs`` (app id, release label id) with these install options."""
    return lambda device_id, _ids: assignments.associate_apps(device_id, pairs, options)


def send_assignments(assignments, plans):
    """Dissociate, then associate, per device; returns (requests sent, failures, {(device, kind, way): ids done})."""
    sent, failures, done = 0, [], {}
    for device_id, plan in plans.items():
        calls = []
        profiles = plan.get('profiles')
        if profiles and profiles['remove']:
            calls.append(('profiles', 'removed', profiles['remove'], assignments.dissociate_profiles))
        if profiles and profiles['add']:
            calls.append(('profiles', 'added', [ref['id'] for ref in profiles['add']], assignments.associate_profiles))
        apps = plan.get('apps')
        if apps and apps['remove']:
            calls.append(('apps', 'removed', apps['remove'], assignments.dissociate_apps))
        # One request for each set of install options: the options belong to the whole request.
        groups = {}
        for ref in (apps or {}).get('add', []):
            groups.setdefault(tuple(ref['options'][name] for name in APP_OPTIONS), []).append(ref)
        for key in sorted(groups, key=repr):
            refs = groups[key]
            pairs = [(ref['id'], ref['release_label_id']) for ref in refs]
            calls.append(('apps', 'added', [ref['id'] for ref in refs], _app_association(assignments, pairs, dict(zip(APP_OPTIONS, key)))))
        for kind, way, ids, call in calls:
            sent += 1
            try:
                call(device_id, ids)
            except MdmError as exc:
                failures.append(dict(device_id=device_id, reason=str(exc)))
                continue
            done.setdefault((device_id, kind, way), []).extend(ids)
    return sent, failures, done


def merge_assignments(report, devices, plans, missing, done, check_mode, diff):
    """Add profiles_added / profiles_removed / apps_added / apps_removed to the per-device report, and the diff."""
    by_id = dict((item['device_id'], item) for item in report)
    before, after = diff if diff is not None else ({}, {})
    for device_id in devices:
        item = by_id.get(device_id)
        if item is None:
            item = by_id[device_id] = dict(device_id=device_id, changed=False, fields=[], status=None)
            report.append(item)
        plan = plans.get(device_id, {})
        for kind in ('profiles', 'apps'):
            for way, key in (('added', 'add'), ('removed', 'remove')):
                if kind not in plan:
                    item['%s_%s' % (kind, way)] = []
                    continue
                planned = [ref['id'] if isinstance(ref, dict) else ref for ref in plan[kind][key]]
                item['%s_%s' % (kind, way)] = planned if check_mode else done.get((device_id, kind, way), [])
            if kind in plan and (plan[kind]['add'] or plan[kind]['remove']):
                before.setdefault(device_id, {})[kind] = plan[kind]['before']
                after.setdefault(device_id, {})[kind] = plan[kind]['after']
        item['changed'] = bool(item['changed'] or any(item['%s_%s' % (kind, way)] for kind in ('profiles', 'apps')
                                                      for way in ('added', 'removed')))
    failures = [dict(device_id=device_id, reason='no such device') for device_id in missing]
    return failures, ((before, after) if before or after else None)
