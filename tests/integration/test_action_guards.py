# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action's bad inputs end to end: each fails with a message naming the option (and what is allowed), and
the simulator sees no write request at all.

The catalogue of inputs decided from the options alone (about 40 cases, every vendor) runs in-process as unit tests
(tests/unit/plugins/modules/test_bad_inputs.py); here are the cases that need the server's answer (what a selector
chooses), and one of the others, through ansible-playbook."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import run_playbook
from test_device_info import ID_FIELD

VENDORS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')


def ids(sim, vendor, count):
    return [str(record[ID_FIELD[vendor]]) for record in sim.devices(vendor)[:count]]


def cases(sim):
    core = ids(sim, 'mobileiron_core', 2)
    nobody = {'user': 'no-such-user-*-x'}
    table = [
        # (name, vendor, args, words the message must hold)
        # One case decided from the options alone, end to end: a destructive command to more devices than allowed.
        ('too many devices for a wipe (Core)', 'mobileiron_core', dict(action='wipe', devices=core[:2]), ['max_devices', '2 devices']),
        # Decided only after reading the server: what a selector chooses.
        ('empty selection', 'mobileiron_cloud', dict(action='lock', filters=nobody), ['filters', 'no device']),
        ('empty selection by label', 'manageengine', dict(action='lock', label='No Such Group 0xdead'), ['label', 'no device']),
        ('too many devices for a wipe chosen by a selector', 'mobileiron_core', dict(action='wipe', all_devices=True, max_devices=5),
         ['max_devices']),
        # A selection never reaches the whole fleet by accident: labels as patterns, no cap.
        ('label given as a pattern', 'mobileiron_core', dict(action='lock', label='*'), ['label', 'no device']),
        ('a lock of the whole fleet without max_devices', 'mobileiron_cloud', dict(action='lock', all_devices=True),
         ['max_devices', '100, the default']),
        ('a message to more devices than max_devices', 'mobileiron_core',
         dict(action='send_message', text='Hi', filters={'platform': 'android'}, max_devices=3), ['max_devices', 'chosen by filters']),
        ('malformed MaaS360 id', 'maas360', dict(action='lock', devices=['bad id/../x']), ['devices']),
    ]
    return [dict(name=name, vendor=vendor, args=args, words=words) for name, vendor, args, words in table]


def writes(sim):
    found = []
    for vendor in VENDORS:
        for entry in sim.log(vendor):
            if entry['method'] not in ('GET', 'HEAD') and not is_login(vendor, entry['path']):
                found.append((vendor, entry['method'], entry['path']))
    return found


def is_login(vendor, path):
    return vendor == 'maas360' and path.startswith('/auth-apis/')


def test_bad_inputs_fail_clearly_and_send_no_write(sim, tmp_path):
    table = cases(sim)
    conns = dict((vendor, sim.params(vendor)) for vendor in VENDORS)
    ledger_before = len(sim.ledger())
    sim.clear_log()
    run = run_playbook(tmp_path, 'action_cases.yml', conns['mobileiron_core'],
                       extra=dict(conns=conns, cases=[dict(name=c['name'], vendor=c['vendor'], args=c['args']) for c in table]))
    assert run.rc == 0, run.output[-3000:]
    results = run.result
    assert len(results) == len(table)
    problems = []
    for case, outcome in zip(table, results):
        msg = outcome.get('msg') or ''
        if not outcome.get('failed'):
            problems.append('%s: did not fail (%s)' % (case['name'], outcome.get('summary')))
            continue
        missing = [word for word in case['words'] if word.lower() not in msg.lower()]
        if missing:
            problems.append('%s: message lacks %s: %s' % (case['name'], missing, msg))
    assert not problems, '\n'.join(problems)
    assert writes(sim) == []
    assert len(sim.ledger()) == ledger_before
