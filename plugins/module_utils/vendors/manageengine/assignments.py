# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine MDM: the profiles and apps associated with a device (mdm_device ``profiles`` / ``apps``).

Source: the vendor reference ``manageengine-mdm-devices-api.txt``:

- "Get device profiles": ``GET /api/v1/mdm/devices/{device_id}/profiles`` -> ``{"profiles": [{"profile_id",
  "profile_name", "status", ...}]}``;
- "Associate profiles to devices" / "Disassociate Profiles To Device": ``POST`` / ``DELETE`` on the same path with
  ``{"profile_ids": [...]}``, reply 204;
- "Get device app list": ``GET /api/v1/mdm/devices/{device_id}/apps`` -> ``{"installed_apps": [...], "apps":
  [{"app_id", "app_name", "identifier", ...}]}``;
- "Associate apps to device": ``POST`` on that path with ``{"id": <device id>, "app_details": [{"app_id",
  "release_label_id"}], "silent_install", "notify_user_via_email", "invite_user", "do_not_uninstall"}``, reply 204;
- "Dissociate apps from devices": ``DELETE`` on that path with ``{"app_ids": [...]}``, reply 204.

The reference documents no list of the profiles or apps that exist outside a device, so a profile or app can be
named only by id when it is to be associated, and by id or by name when it is already on the device.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import Capability
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, NotFoundError
from ansible_collections.fleetops.mdm.plugins.module_utils.device import text_or_none

DEVICE_PROFILES_PATH = '/api/v1/mdm/devices/%s/profiles'
DEVICE_APPS_PATH = '/api/v1/mdm/devices/%s/apps'
# UNVERIFIED: which list of the app reply holds the apps associated with the device.  "apps" carries the records of
# distributed apps (added_time, modified_time); "installed_apps" is what the device reports installed, which may keep an
# app after it was dissociated with do_not_uninstall.  One place to change it.
ASSOCIATED_APPS_KEY = 'apps'
# The install options of "Associate apps to device", as the reference names them (booleans).
APP_OPTIONS = ('silent_install', 'notify_user_via_email', 'invite_user', 'do_not_uninstall')
# The reference documents no paging of these two lists; a reply that reports more records than it holds
# (metadata.total_record_count, as the device list does) is read on with limit / offset, this many at a time.
PAGE_LIMIT = 200
NUMERIC_ID = re.compile(r'^[0-9]+$')


def check_numeric_id(value, option):
    """A ManageEngine id (profile, app, release label) as its digits; InvalidInputError naming ``option`` otherwise."""
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ''
    if not NUMERIC_ID.match(text):
        raise InvalidInputError('%r is not a ManageEngine MDM id (a number)' % (value,), option=option)
    return text


class ManageEngineAssignments(Capability):
    """Read and change the profiles and apps of one ManageEngine device."""

    def check_device_ids(self, devices):
        """The device ids as ManageEngine writes them (numbers), each once; InvalidInputError before any request."""
        return self.session.check_device_ids(devices)

    @staticmethod
    def check_item_id(value, option):
        """A profile, app or release label id: ManageEngine ids are numbers."""
        return check_numeric_id(value, option)

    def _device_list(self, path, keys, operation):
        """``{key: [records]}`` of a device sub-list; None when the device does not exist (404)."""
        found = dict((key, []) for key in keys)
        params = None
        while True:
            try:
                data = self.session.call_json('GET', path, operation, params=params)
            except NotFoundError:
                return None
            if not isinstance(data, dict):
                raise self.session.bad_response('the reply is not a JSON object', operation)
            got = 0
            for key in keys:
                items = data.get(key)
                if items is None:
                    continue
                if not isinstance(items, list):
                    raise self.session.bad_response('"%s" is not a list' % key, operation)
                found[key].extend(item for item in items if isinstance(item, dict))
                got = max(got, len(items))
            metadata = data.get('metadata') if isinstance(data.get('metadata'), dict) else {}
            total = metadata.get('total_record_count')
            try:
                total = int(total) if total is not None else None
            except (TypeError, ValueError):
                raise self.session.bad_response('metadata.total_record_count %r is not a number' % (total,), operation)
            offset = (params or {}).get('offset', 0) + got
            if total is None or got == 0 or offset >= total:
                return found
            params = {'limit': PAGE_LIMIT, 'offset': offset}

    def device_profiles(self, device_id):
        """``[{'id', 'name', 'status'}]`` of the profiles associated with a device; None when there is no such device."""
        device_id = check_numeric_id(device_id, 'devices')
        lists = self._device_list(DEVICE_PROFILES_PATH % device_id, ('profiles',), 'list the profiles of device %s' % device_id)
        if lists is None:
            return None
        profiles = []
        for record in lists['profiles']:
            profile_id = text_or_none(record.get('profile_id'))
            if profile_id is not None:
                profiles.append({'id': profile_id, 'name': text_or_none(record.get('profile_name')),
                                 'status': text_or_none(record.get('status'))})
        return profiles

    def device_apps(self, device_id):
        """``[{'id', 'name', 'identifier'}]`` of the apps associated with a device; None when there is no such device."""
        device_id = check_numeric_id(device_id, 'devices')
        lists = self._device_list(DEVICE_APPS_PATH % device_id, (ASSOCIATED_APPS_KEY,), 'list the apps of device %s' % device_id)
        if lists is None:
            return None
        apps = []
        for record in lists[ASSOCIATED_APPS_KEY]:
            app_id = text_or_none(record.get('app_id'))
            if app_id is not None:
                apps.append({'id': app_id, 'name': text_or_none(record.get('app_name')),
                             'identifier': text_or_none(record.get('identifier'))})
        return apps

    # Writes: never re-sent after a lost reply (safe=False).  Ids go as JSON numbers with every digit (64-bit ids
    # never pass through float).
    def associate_profiles(self, device_id, profile_ids):
        """"Associate profiles to devices": POST the profile ids to one device (sent once)."""
        self.session.call('POST', DEVICE_PROFILES_PATH % device_id, 'associate profiles with device %s' % device_id,
                          json_body={'profile_ids': [int(profile_id) for profile_id in profile_ids]}, safe=False)

    def dissociate_profiles(self, device_id, profile_ids):
        """"Disassociate Profiles To Device": DELETE the profile ids from one device (sent once)."""
        self.session.call('DELETE', DEVICE_PROFILES_PATH % device_id, 'dissociate profiles from device %s' % device_id,
                          json_body={'profile_ids': [int(profile_id) for profile_id in profile_ids]}, safe=False)

    def associate_apps(self, device_id, apps, options):
        """``apps``: ``[(app id, release label id or None)]``; ``options``: the APP_OPTIONS to send (unset ones are left
        out, so that the server's defaults apply)."""
        details = []
        for app_id, release_label_id in apps:
            detail = {'app_id': int(app_id)}
            if release_label_id is not None:
                detail['release_label_id'] = int(release_label_id)
            details.append(detail)
        body = {'id': int(device_id), 'app_details': details}
        body.update((key, bool(value)) for key, value in options.items() if key in APP_OPTIONS and value is not None)
        self.session.call('POST', DEVICE_APPS_PATH % device_id, 'associate apps with device %s' % device_id, json_body=body, safe=False)

    def dissociate_apps(self, device_id, app_ids):
        """"Dissociate apps from devices": DELETE the app ids from one device (sent once)."""
        self.session.call('DELETE', DEVICE_APPS_PATH % device_id, 'dissociate apps from device %s' % device_id,
                          json_body={'app_ids': [int(app_id) for app_id in app_ids]}, safe=False)
