# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_device_action's catalogue of bad inputs: each fails with a message naming the option (and what is allowed),
and the simulator sees no write request at all - for every vendor."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import run_playbook
from test_device_info import ID_FIELD

VENDORS = ('maas360', 'manageengine', 'mobileiron_core', 'mobileiron_cloud')


def ids(sim, vendor, count):
    return [str(record[ID_FIELD[vendor]]) for record in sim.devices(vendor)[:count]]


def cases(sim):
    core, cloud, me, maas = (ids(sim, vendor, 3) for vendor in ('mobileiron_core', 'mobileiron_cloud', 'manageengine', 'maas360'))
    nobody = {'user': 'no-such-user-*-x'}
    table = [
        # (name, vendor, args, words the message must hold)
        ('unknown neutral action', 'mobileiron_core', dict(action='fly', devices=core[:1]), ['action', 'lock']),
        ('action of another vendor (MaaS360 has no remote_session)', 'maas360', dict(action='remote_session', devices=maas[:1]), ['action', 'allowed']),
        ('MobileIron Cloud has no locate', 'mobileiron_cloud', dict(action='locate', devices=cloud[:1]), ['action', 'allowed']),
        ('vendor action of another vendor', 'mobileiron_core', dict(vendor_action='lockDevice', devices=core[:1]), ['vendor_action', 'allowed']),
        ('ManageEngine verb on MobileIron Cloud', 'mobileiron_cloud', dict(vendor_action='remote_alarm', devices=cloud[:1]), ['vendor_action']),
        ('both action and vendor_action', 'manageengine', dict(action='lock', vendor_action='lock', devices=me[:1]), ['action', 'vendor_action']),
        ('neither action nor vendor_action', 'manageengine', dict(devices=me[:1]), ['action', 'vendor_action']),
        ('no selection at all', 'mobileiron_core', dict(action='lock'), ['devices']),
        ('empty device list', 'mobileiron_core', dict(action='lock', devices=[]), ['devices']),
        ('ids and a selector', 'manageengine', dict(action='lock', devices=me[:1], label='Kiosk'), ['devices']),
        ('empty selection', 'mobileiron_cloud', dict(action='lock', filters=nobody), ['filters', 'no device']),
        ('empty selection by label', 'manageengine', dict(action='lock', label='No Such Group 0xdead'), ['label', 'no device']),
        ('malformed MobileIron Core UUID', 'mobileiron_core', dict(action='lock', devices=['not-a-uuid']), ['devices']),
        ('malformed ManageEngine id', 'manageengine', dict(action='lock', devices=['12ab']), ['devices']),
        ('malformed MobileIron Cloud id', 'mobileiron_cloud', dict(action='lock', devices=['cloud-device']), ['devices']),
        ('malformed MaaS360 id', 'maas360', dict(action='lock', devices=['bad id/../x']), ['devices']),
        ('too many devices for a wipe (Core)', 'mobileiron_core', dict(action='wipe', devices=core[:2]), ['max_devices', '2 devices']),
        ('too many devices for a retire (Cloud)', 'mobileiron_cloud', dict(action='retire', devices=cloud[:3], max_devices=2), ['max_devices', '3 devices']),
        ('too many devices for a wipe (ManageEngine)', 'manageengine', dict(action='wipe', devices=me[:2]), ['max_devices', '2 devices']),
        ('too many devices for a selective wipe (MaaS360)', 'maas360', dict(action='selective_wipe', devices=maas[:2]), ['max_devices']),
        ('too many devices for a wipe chosen by a selector', 'mobileiron_core', dict(action='wipe', all_devices=True, max_devices=5), ['max_devices']),
        ('e-mail without subject', 'mobileiron_core', dict(action='send_message', message_type='email', text='Hi', devices=core[:1]), ['subject']),
        ('message without text', 'mobileiron_core', dict(action='send_message', message_type='pns', devices=core[:1]),
         ['message']),
        # MobileIron Core documents a note of 1 to 200 characters; no vendor documents a limit on the message text.
        ('note too long for MobileIron Core', 'mobileiron_core',
         dict(vendor_action='UPDATE_OS', params={'note': 'x' * 201}, devices=core[:1]), ['params.note', '200']),
        ('unknown message_type', 'mobileiron_core', dict(action='send_message', message_type='fax', text='Hi', devices=core[:1]), ['message_type', 'sms']),
        ('subject for a command that takes none', 'mobileiron_cloud', dict(action='unlock', subject='x', devices=cloud[:1]), ['subject']),
        ('unknown command parameter', 'mobileiron_core', dict(action='lock', params={'colour': 'red'}, devices=core[:1]), ['params']),
        ('query on a vendor without one', 'maas360', dict(action='lock', query='x'), ['query']),
        ('max_devices of zero', 'mobileiron_core', dict(action='lock', devices=core[:1], max_devices=0), ['max_devices']),
        ('wait_interval longer than wait_timeout', 'manageengine',
         dict(action='lock', devices=me[:1], wait=True, wait_timeout=5, wait_interval=10), ['wait_interval']),
        ('concurrency out of range', 'maas360', dict(action='lock', devices=maas[:1], concurrency=500), ['concurrency']),
        ('unknown neutral filter', 'mobileiron_core', dict(action='lock', filters={'colour': 'red'}), ['filters', 'platform']),
        ('invalid platform value', 'manageengine', dict(action='lock', filters={'platform': 'symbian'}), ['filters.platform', 'android']),
        ('unknown vendor filter', 'mobileiron_cloud', dict(action='lock', vendor_filters={'nope': 1}), ['vendor_filters', 'fq']),
        ('Core query longer than 255 characters', 'mobileiron_core', dict(action='lock', query='"common.model" = "%s"' % ('x' * 300)), ['query', '255']),
        # A selection never reaches the whole fleet by accident: empty selectors, labels as patterns, no cap.
        ('empty filters', 'mobileiron_core', dict(action='lock', filters={}), ['filters', 'all_devices']),
        ('empty vendor_filters', 'manageengine', dict(action='lock', vendor_filters={}), ['vendor_filters', 'all_devices']),
        ('a filter without a value', 'maas360', dict(action='lock', filters={'user': ''}), ['filters.user']),
        ('label given as a pattern', 'mobileiron_core', dict(action='lock', label='*'), ['label', 'no device']),
        ('label and label_pattern', 'manageengine', dict(action='lock', label='Kiosk', label_pattern='K*'), ['label_pattern']),
        ('a lock of the whole fleet without max_devices', 'mobileiron_cloud', dict(action='lock', all_devices=True),
         ['max_devices', '100, the default']),
        ('a message to more devices than max_devices', 'mobileiron_core',
         dict(action='send_message', text='Hi', filters={'platform': 'android'}, max_devices=3), ['max_devices', 'chosen by filters']),
        # Texts sent to devices: no control characters; newlines only in a message body.
        ('control character in a lock-screen text', 'mobileiron_cloud', dict(action='lock', text='call\u0007IT', devices=cloud[:1]),
         ['text', 'U+0007']),
        ('newline in a message subject', 'maas360', dict(action='send_message', text='Hi', subject='two\nlines', devices=maas[:1]),
         ['subject', 'one line']),
        ('escape sequence in a ManageEngine lock message', 'manageengine', dict(action='lock', text='x\u001b[2J', devices=me[:1]),
         ['text', 'U+001B']),
        ('newline in a MobileIron Core note', 'mobileiron_core', dict(vendor_action='UPDATE_OS', params={'note': 'a\nb'}, devices=core[:1]),
         ['params.note', 'U+000A']),
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
    assert len(table) >= 25
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
