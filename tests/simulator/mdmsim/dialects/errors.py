# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The 'error_body' fault: HTTP 200 whose body is the vendor's error shape instead of a result."""

from __future__ import absolute_import, division, print_function

from mdmsim.dialects.base import json_response


def error_body_response(vendor, request):
    if vendor == 'mobileiron_core':
        # Core API v2 reference, "Search for devices" error example: a "messages" list of type Error.
        body = {'messages': [{'type': 'Error', 'messageKey': 'com.mobileiron.vsp.messages.http.500',
                              'localizedMessage': 'Internal error, please contact your administrator',
                              'messageParameters': []}]}
    elif vendor == 'mobileiron_cloud':
        # Cloud users API reference: {"errors": {"globalErrors": [{"code", "message"}], "fieldErrors"}, "result": null}.
        body = {'errors': {'globalErrors': [{'code': 'GEN-500', 'message': 'Internal error'}], 'fieldErrors': None},
                'result': None}
    elif vendor == 'maas360':
        # MaaS360 replies carry errorCode / errorDesc (getting-started guide, authResponse); device actions an
        # actionResponse with actionStatus 1 (NOTES.md).
        if '/device-apis/devices/1.0/' in request.path and request.method == 'POST':
            body = {'actionResponse': {'maas360DeviceID': request.form().get('deviceId', ''), 'actionStatus': 1,
                                       'description': 'Internal error', 'actionID': None}}
        else:
            body = {'errorCode': 1001, 'errorDesc': 'Internal error'}
    else:
        # ManageEngine: the reference documents no error body. UNVERIFIED: Zoho APIs answer
        # {"error_code": ..., "error_description": ...}; the one shape to change here.
        body = {'error_code': 10001, 'error_description': 'Internal error'}
    return json_response(200, body)
