# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine MDM: every per-device fact of the reference (mdm_device_info option ``gather``).

Source: ``manageengine-mdm-devices-api.txt``, the sections named beside each fact in FACT_PATHS.  Every fact is
the reply of its call as the reference shows it; command history is every page merged.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from urllib.parse import parse_qs, urlsplit

from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.capabilities import DEVICE_ID
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.facts import DEVICE, Fact, DeviceFacts, int_param

DEVICES_PATH = '/api/v1/mdm/devices'

# fact -> path below /api/v1/mdm/devices/{device_id} (reference section in the comment).
FACT_PATHS = {
    'summary': 'summary',                                # "Get device Summary"
    'certificates': 'certificates',                      # "Get Device Certificates"
    'restrictions': 'restrictions',                      # "Get device restrictions"
    'filevault': 'filevault',                            # "Get FileVault details"
    'firmware': 'firmware',                              # "Get firmware details"
    'locations': 'locations',                            # "Get device location"
    'locations_with_address': 'locations_with_address',  # "Get device location with address" (earlier requests)
    'profiles': 'profiles',                              # "Get device profiles"
    'configuration_profiles': 'configurationprofiles',   # "Get Device Configuration Profiles"
    'apps': 'apps',                                      # "Get device app list"
    'poll_time': 'polltime',                             # "Next poll time for the device"
    'actions': 'actions',                                # "Get device applicable actions"
    'recent_command': 'actions/recent_command',          # "Get last initiated command status for device"
    'scan_status': 'scan',                               # "Get Scan Status"
    'privacy': 'privacy',                                # "Get Device Privacy"
}
# "Get firmware password": only with gather_firmware_password, never a gather choice.
FIRMWARE_PASSWORD_PATH = 'firmware/password'
# "Get command history for device": metadata.total_record_count, paging.next (with a skip-token), commands.
COMMAND_HISTORY_PATH = 'commandhistory'
# "Device Location Request": POST .../locations_with_address {"id", "no_of_days", "from", "to"} ->
# {"export_batch_id", "wait", "status": "SCHEDULED"}; the result is read with GET .../locations_with_address.
# UNVERIFIED: the GET's query parameter that names the batch (its name is not in the reference text); assumed to be
# export_batch_id, as in the POST reply.  One place to change it.
LOCATION_BATCH_PARAM = 'export_batch_id'
# Statuses of a batch still being worked on (SCHEDULED is in the reference; the others are UNVERIFIED).
PENDING_STATUSES = ('SCHEDULED', 'IN_PROGRESS', 'INPROGRESS', 'PENDING')
# Bounds of the pause between result polls; the server's "wait" (milliseconds) is used within them.
MIN_POLL_SECONDS = 0.2
MAX_POLL_SECONDS = 10.0
# A runaway paging.next (a server that repeats a token) never loops forever.
MAX_HISTORY_PAGES = 10000


class ManageEngineFacts(DeviceFacts):
    """Device facts of ManageEngine MDM, over a ManageEngineSession."""

    FACTS = dict([(name, Fact(DEVICE)) for name in FACT_PATHS] + [
        ('command_history', Fact(DEVICE)),
        # A write: it asks the device for its location (scope MDMInventory.CREATE).  Never in check mode.
        ('location_request', Fact(DEVICE, write=True)),
    ])
    GATHER_PARAMS = {
        'no_of_days': 'location_request: days of locations to ask for (reference example 7)',
        'from': 'location_request: start, epoch milliseconds',
        'to': 'location_request: end, epoch milliseconds',
        'wait_timeout': 'location_request: seconds to wait for the addresses (default 120)',
    }
    FIRMWARE_PASSWORD = True
    # The pause between reads of a location request (tests replace it).
    fact_sleep = staticmethod(time.sleep)

    def check_gather_params(self, params, names, option):
        params = super(ManageEngineFacts, self).check_gather_params(params, names, option)
        clean = {
            'no_of_days': int_param(params, 'no_of_days', option, minimum=1, default=7),
            'from': int_param(params, 'from', option, minimum=0),
            'to': int_param(params, 'to', option, minimum=0),
            'wait_timeout': int_param(params, 'wait_timeout', option, minimum=0, maximum=3600, default=120),
        }
        if clean['from'] is not None and clean['to'] is not None and clean['from'] > clean['to']:
            raise InvalidInputError('from must not be after to', option='%s.from' % option)
        return clean

    def _device_path(self, device_id, tail):
        if not str(device_id).isdigit():
            raise InvalidInputError('%r is not a ManageEngine MDM device id (a number)' % (device_id,), option=DEVICE_ID)
        return '%s/%s/%s' % (DEVICES_PATH, device_id, tail)

    def fetch_device_fact(self, device_id, name, params):
        if name == 'command_history':
            return self.command_history(device_id)
        if name == 'location_request':
            return self.request_location(device_id, params)
        if name == 'firmware_password':
            # The reply as documented ({"firmware_password", "resource_id"}); returned only under this fact.
            return self._object(device_id, FIRMWARE_PASSWORD_PATH, 'read the firmware password of device %s' % device_id)
        return self._object(device_id, FACT_PATHS[name], 'read %s of device %s' % (name, device_id))

    def _object(self, device_id, tail, operation, params=None):
        data = self.session.call_json('GET', self._device_path(device_id, tail), operation, params=params)
        if not isinstance(data, dict):
            raise self.session.bad_response('the reply is not a JSON object', operation)
        return data

    def command_history(self, device_id):
        """Every page: follows paging.next by its skip-token (the reference's next link may name another host)."""
        operation = 'read the command history of device %s' % device_id
        commands = []
        first = None
        params = None
        seen = set()
        for _page in range(MAX_HISTORY_PAGES):
            data = self._object(device_id, COMMAND_HISTORY_PATH, operation, params=params)
            page = data.get('commands') or []
            if not isinstance(page, list):
                raise self.session.bad_response('the reply has no "commands" list', operation)
            commands.extend(page)
            if first is None:
                first = data
            paging = data.get('paging') if isinstance(data.get('paging'), dict) else {}
            token = _skip_token(paging.get('next'))
            if not token or token in seen:
                break
            seen.add(token)
            params = {'skip-token': token}
        result = {'metadata': first.get('metadata'), 'commands': commands}
        if 'delta-token' in data:
            result['delta-token'] = data['delta-token']
        return result

    def request_location(self, device_id, params):
        """"Device Location Request" and its result: POST once (never re-sent: it reaches the device), then read
        the batch with GET until it is no longer pending or ``wait_timeout`` seconds passed."""
        operation = 'request the location of device %s' % device_id
        path = self._device_path(device_id, 'locations_with_address')
        # The reference's example body carries the device id as "id" (a JSON number, every digit kept).
        body = {'id': int(device_id), 'no_of_days': params['no_of_days']}
        for key in ('from', 'to'):
            if params.get(key) is not None:
                body[key] = params[key]
        reply = self.session.parse_json(self.session.call('POST', path, operation, json_body=body, safe=False), operation)
        if not isinstance(reply, dict) or reply.get('export_batch_id') in (None, ''):
            raise self.session.bad_response('the reply has no export_batch_id', operation)
        batch = str(reply['export_batch_id'])
        status = reply.get('status')
        wait = reply.get('wait')
        # The pauses between reads add up to at most wait_timeout seconds.
        waited = 0.0
        while True:
            pause = _pause(wait)
            if waited + pause > params['wait_timeout']:
                break
            self.fact_sleep(pause)
            waited += pause
            result = self._object(device_id, 'locations_with_address', 'read the location request %s of device %s' % (batch, device_id),
                                  params={LOCATION_BATCH_PARAM: batch})
            if isinstance(result.get('locations'), list):
                return {'export_batch_id': batch, 'status': 'COMPLETED', 'locations': result['locations']}
            status = result.get('status', status)
            wait = result.get('wait', wait)
            if str(status).upper() not in PENDING_STATUSES:
                break
        return {'export_batch_id': batch, 'status': status, 'locations': None}


def _pause(wait_ms):
    try:
        seconds = float(wait_ms) / 1000.0
    except (TypeError, ValueError):
        seconds = 1.0
    return min(max(seconds, MIN_POLL_SECONDS), MAX_POLL_SECONDS)


def _skip_token(url):
    if not url:
        return None
    values = parse_qs(urlsplit(str(url)).query).get('skip-token')
    return values[0] if values else None
