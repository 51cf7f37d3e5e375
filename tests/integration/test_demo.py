# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo playbook (`make demo`) on a simulator of its own, each step checked against the simulator's request log
and action ledger: the inventory by platform and compliance, the wipe the max_devices guard refuses, the lock of one
lost device, label_sync in check mode, and the fleet report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
import re

from conftest import FLAVOURS
from test_roles import run_collection_playbook

# Small enough to run in seconds, large enough for every step to have something to show (seed 42, as `make demo`);
# its own simulator, so that the ledger holds the demo's commands only.
DEMO_DEVICES = 150
OWN_SIMULATOR = dict(devices=DEMO_DEVICES, seed=42)
PLATFORMS = {'Android': 'android', 'iOS': 'ios', 'macOS': 'macos', 'Windows': 'windows', 'Other': 'other'}


def test_demo_shows_each_step_of_the_main_job(sim, tmp_path):
    core = sim.devices('mobileiron_core')
    cloud = sim.devices('mobileiron_cloud')
    kiosk = set(str(item['record']['common.uuid']) for item in sim.device_labels('mobileiron_core') if 'Kiosk' in item['labels'])
    dest = tmp_path / 'report'
    run = run_collection_playbook(tmp_path, 'demo', dict(mdm_sim=dict((flavour, sim.params(flavour)) for flavour in FLAVOURS),
                                                         demo_report_dest=str(dest)))
    assert run.rc == 0, run.output[-3000:]
    out = run.stdout

    # 1. Every vendor's devices, by platform with their compliance (MobileIron Core as the example).
    line = re.search(r'"mobileiron_core: (\d+) devices; ([^"]*)"', out)
    assert line and int(line.group(1)) == len(core) == DEMO_DEVICES, out[-3000:]
    for platform, count in collections.Counter(PLATFORMS[r['common.platform']] for r in core).items():
        mine = [r for r in core if PLATFORMS[r['common.platform']] == platform]
        compliant = sum(1 for r in mine if r['common.compliant'])
        expected = '%s %d (%s' % (platform, count, ('%d compliant' % compliant) if compliant else
                                  '%d not compliant' % (count - compliant))
        assert expected in line.group(2), (expected, line.group(2))
    assert all('"%s: %d devices; ' % (flavour, DEMO_DEVICES) in out for flavour in FLAVOURS), out[-3000:]

    # 2. The wipe is refused before anything is sent: no wipe on any server.
    android_company = [r for r in core if r['common.platform'] == 'Android' and r['common.owner'] == 'COMPANY']
    assert len(android_company) > 5
    assert ('wipe refused, nothing was sent: MobileIron Core: wipe is destructive and would act on %d devices, more '
            'than max_devices (5)' % len(android_company)) in out, out[-3000:]
    ledger = sim.ledger()
    assert [entry for entry in ledger if 'wipe' in entry['action'].lower()] == []

    # 3. One lock, with the message, to the lost device: the first active MobileIron Cloud phone or tablet with a serial.
    assert [(entry['vendor'], entry['action']) for entry in ledger] == [('mobileiron_cloud', 'LOCK')], ledger
    lost = next(r for r in sorted(cloud, key=lambda r: int(r['id'])) if r['registrationState'] == 'ACTIVE'
                and r['platformType'] in ('IOS', 'ANDROID') and r.get('serialNumber'))
    assert str(ledger[0]['device_id']) == str(lost['id'])
    identity = '%s (%s; user %s; model %s)' % (lost['id'], lost.get('deviceName') or lost.get('entityName') or 'no name',
                                               lost['uid'], lost.get('deviceModel') or lost.get('prettyModel'))
    assert json.dumps(identity + ': lock sent', ensure_ascii=False)[1:-1] in out, (identity, out[-3000:])
    assert '"outcome": "sent"' in out

    # 4. label_sync in check mode: the Kiosk label would gain the active TC52 devices not in it yet, shown by name,
    # user and model (at most 10 lines); MobileIron Core received no write at all.
    gains = sorted(str(r['common.uuid']) for r in core if r['common.model'] == 'TC52' and r['common.status'] == 'ACTIVE'
                   and str(r['common.uuid']) not in kiosk)
    assert gains, 'the demo fleet has no TC52 device to label'
    shown = re.findall(r'"Kiosk \+ ([0-9a-f-]{36}) \(([^"]*)\)"', out)
    assert len(shown) == min(len(gains), 10) and set(uuid for uuid, _identity in shown) <= set(gains), (shown, gains)
    assert ('"... and %d more"' % (len(gains) - 10) in out) == (len(gains) > 10)
    assert all(identity.endswith('; model TC52') for _uuid, identity in shown)
    assert [entry for entry in sim.log('mobileiron_core') if entry['method'] not in ('GET', 'HEAD')] == []
    assert 'label_sync ran in check mode' in out

    # 5. The report is where the demo says.
    assert 'open %s/fleet-report.html in a browser' % dest in out
    report = json.loads((dest / 'fleet-report.json').read_text())
    assert len(report['devices']) == DEMO_DEVICES and report['views']['labels']
    # Short, readable steps: messages, not walls of JSON.
    assert len(out) < 20000, len(out)
