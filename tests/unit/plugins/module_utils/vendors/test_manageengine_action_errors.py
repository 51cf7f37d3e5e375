# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a ManageEngine device command reports when its request raises: unknown where the server may have acted on
it (no reply after sending, an unreadable reply), failed otherwise - a gateway's 502 included, as the fault matrix
in docs/reliability.md records for ManageEngine (the other vendors read a 502 / 504 as unknown)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import (
    BadResponseError,
    InvalidInputError,
    NotFoundError,
    ServerError,
    TransportError,
)
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors.manageengine.actions import ManageEngineActions

ERRORS = [
    (TransportError('connection reset after the request was sent', maybe_sent=True), 'unknown'),
    (TransportError('connection refused', maybe_sent=False), 'failed'),
    (BadResponseError('the reply is not JSON'), 'unknown'),
    (ServerError('Bad Gateway', status=502), 'failed'),
    (InvalidInputError('rejected'), 'failed'),
]


class RaisingSession:
    """Every write raises ``error``; the actions' other needs (map_concurrently, secrets) as a session has them."""

    class transport:  # pylint: disable=invalid-name
        secrets = ()

    def __init__(self, error):
        self.error = error

    def call(self, *args, **kwargs):
        raise self.error

    call_json = call

    @staticmethod
    def map_concurrently(function, items, concurrency):
        return [function(item) for item in items]


def send(error, name, params, devices):
    actions = ManageEngineActions(RaisingSession(error))
    spec = actions.action_catalogue()[name]
    return actions.send_action(spec, params, devices)


@pytest.mark.parametrize('error, outcome', ERRORS)
@pytest.mark.parametrize('name, params', [('lock', {}), ('wakeup', {}), ('remove_action', {'action_name': 'lock'})])
def test_an_error_becomes_the_documented_outcome_for_every_device(error, outcome, name, params):
    results = send(error, name, params, ['101', '102'])
    assert [item['device_id'] for item in results] == ['101', '102']
    assert [item['outcome'] for item in results] == [outcome, outcome]
    if outcome == 'unknown':
        assert 'it was not sent again' in results[0]['message']


def test_a_missing_device_is_named_as_such():
    results = send(NotFoundError('HTTP 404'), 'lock', {}, ['101'])
    assert results[0]['outcome'] == 'failed'
    assert results[0]['message'].startswith('no such device (or the server has no lock for it)')
