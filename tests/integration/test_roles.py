# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet_report and label_sync roles through their playbooks (ansible-playbook fleetops.mdm.<name>).

The fleet report is opened in headless Chromium: the test counts the chart elements of the DOM that Chromium
rendered (--dump-dom) and takes a screenshot.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import html.parser
import io
import json
import os
import shutil
import subprocess

from conftest import BIN, SIM_DEVICES, Run, ansible_env
from test_device_info import sim_ids
from test_label import members_of, truth, writes

CHART_IDS = ('chart-platforms', 'chart-os-versions', 'chart-compliance', 'chart-ownership', 'chart-last-seen', 'chart-status')
AS_OF = '2026-01-01T00:00:00Z'  # the simulated fleet was last seen in the 90 days before this


def run_collection_playbook(tmp_path, name, variables, check=False, diff=False, verbosity=0):
    vars_file = tmp_path / ('%s-vars.json' % name)
    vars_file.write_text(json.dumps(variables))
    cmd = [os.path.join(BIN, 'ansible-playbook'), 'fleetops.mdm.%s' % name, '-e', '@%s' % vars_file]
    cmd += ['--check'] if check else []
    cmd += ['--diff'] if diff else []
    cmd += ['-' + 'v' * verbosity] if verbosity else []
    # The journal of destructive commands in the test's directory, never in the home of the user running the tests.
    env = ansible_env({'MDM_JOURNAL_PATH': str(tmp_path / 'journal')})
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False, cwd=str(tmp_path))
    return Run(proc, None)


def chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError('no Chromium found: `make integration` installs the Debian package chromium (make browser)')


def render(page, screenshot):
    """Chromium's DOM of the page after rendering, and a screenshot of it."""
    base = [chromium(), '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars',
            '--window-size=1300,1800']
    url = 'file://' + page
    dom = subprocess.run(base + ['--dump-dom', url], capture_output=True, text=True, timeout=120, check=True).stdout
    subprocess.run(base + ['--screenshot=%s' % screenshot, url], capture_output=True, text=True, timeout=120, check=True)
    return dom


class ChartCounter(html.parser.HTMLParser):
    """Counts, per figure id, the SVG charts and their drawn marks (bars, donut slices)."""

    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.figure = None
        self.charts = {}
        self.marks = {}
        self.external = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get('class') or '').split()
        if tag == 'figure':
            self.figure = attrs.get('id')
        elif tag == 'svg' and 'chart' in classes:
            self.charts[self.figure] = self.charts.get(self.figure, 0) + 1
        elif (tag == 'rect' and 'bar' in classes) or (tag == 'circle' and 'slice' in classes):
            self.marks[self.figure] = self.marks.get(self.figure, 0) + 1
        elif tag == 'script':
            self.scripts += 1
        for name in ('src', 'href'):
            if attrs.get(name):
                self.external.append(attrs[name])


def test_fleet_report_opens_in_chromium_with_its_charts(sim, tmp_path):
    dest = tmp_path / 'report'
    conn = sim.params('mobileiron_core')
    sim.clear_log()
    run = run_collection_playbook(tmp_path, 'fleet_report', dict(mdm_connection=conn, fleet_report_dest=str(dest),
                                                                 fleet_report_as_of=AS_OF))
    assert run.rc == 0, run.output[-3000:]
    assert [entry for entry in sim.log('mobileiron_core') if entry['method'] not in ('GET', 'HEAD')] == []

    report = json.loads((dest / 'fleet-report.json').read_text())
    ids = sim_ids(sim, 'mobileiron_core')
    assert sorted(device['mdm_device_id'] for device in report['devices']) == ids and len(ids) == SIM_DEVICES
    summary = report['summary']
    platforms = dict(summary['platforms'])
    for device_platform in ('ios', 'android', 'windows', 'macos'):
        assert platforms[device_platform] == sum(1 for d in report['devices'] if d['mdm_platform'] == device_platform)
    assert sum(count for _label, count in summary['last_seen']) == SIM_DEVICES
    assert dict(summary['last_seen'])['> 90 days'] == 0  # the fleet was seen within 90 days of AS_OF
    rows = list(csv.DictReader(io.StringIO((dest / 'fleet-report.csv').read_text())))
    assert sorted(row['mdm_device_id'] for row in rows) == ids
    # Device names that look like templates are data: written as they are, never evaluated.
    names = set(row['mdm_name'] for row in rows)
    assert "{{ lookup('env', 'HOME') }}" in names and os.environ.get('HOME', '/root') not in names

    dom = render(str(dest / 'fleet-report.html'), str(tmp_path / 'fleet-report.png'))
    counter = ChartCounter()
    counter.feed(dom)
    assert counter.charts == dict((chart, 1) for chart in CHART_IDS), counter.charts
    assert counter.marks['chart-platforms'] == len([count for count in platforms.values() if count])
    assert counter.marks['chart-last-seen'] == len(summary['last_seen'])
    assert all(counter.marks.get(chart) for chart in CHART_IDS), counter.marks
    assert counter.scripts == 0 and counter.external == []
    assert '<td>%s</td>' % 'mobileiron_core' in dom and dom.count('<tr>') == 500 + 1  # table limit + header row
    with open(str(tmp_path / 'fleet-report.png'), 'rb') as handle:
        png = handle.read()
    assert png.startswith(b'\x89PNG') and len(png) > 50000  # a blank page of this size compresses to a few KB


def test_fleet_report_from_the_inventory_matches_the_api(sim, tmp_path):
    inventory = tmp_path / 'fleet.mdm.yml'
    inventory.write_text(json.dumps(dict(sim.params('manageengine'), plugin='fleetops.mdm.devices')))
    dest = tmp_path / 'report'
    vars_file = tmp_path / 'vars.json'
    vars_file.write_text(json.dumps(dict(fleet_report_source='inventory', fleet_report_dest=str(dest),
                                         fleet_report_formats=['json'], fleet_report_as_of=AS_OF)))
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', str(inventory), 'fleetops.mdm.fleet_report',
                           '-e', '@%s' % vars_file], capture_output=True, text=True, env=ansible_env(), timeout=600,
                          check=False, cwd=str(tmp_path))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    report = json.loads((dest / 'fleet-report.json').read_text())
    assert sorted(device['mdm_device_id'] for device in report['devices']) == sim_ids(sim, 'manageengine')
    assert not (dest / 'fleet-report.html').exists()


def test_label_sync_check_mode_writes_nothing_then_applies_the_rules(sim, tmp_path):
    before = truth(sim, 'mobileiron_core')
    rules = [dict(label='Field Ops', match=dict(platform='android', manufacturer='samsung'))]
    variables = dict(mdm_connection=sim.params('mobileiron_core'), label_sync_rules=rules,
                     label_sync_filters=dict(status='active'))
    sim.clear_log()
    check = run_collection_playbook(tmp_path, 'label_sync', variables, check=True, diff=True, verbosity=3)
    assert check.rc == 0, check.output[-3000:]
    # The connection passes through the role's variables and module_defaults: its secrets stay hidden at -vvv.
    assert 'Validating arguments against arg spec' in check.output
    for secret in sim.secrets():
        assert secret not in check.output
    assert writes(sim, 'mobileiron_core') == [] and truth(sim, 'mobileiron_core') == before
    assert 'changed=1' in check.stdout

    apply = run_collection_playbook(tmp_path, 'label_sync', variables)
    assert apply.rc == 0, apply.output[-3000:]
    wanted = sorted(device_id for device_id, record in
                    ((str(r['common.uuid']), r) for r in sim.devices('mobileiron_core'))
                    if record['common.platform'] == 'Android' and record['common.manufacturer'] == 'samsung'
                    and record['common.status'] == 'ACTIVE')
    assert wanted and members_of(sim, 'mobileiron_core', 'Field Ops') == wanted
    again = run_collection_playbook(tmp_path, 'label_sync', variables)
    assert again.rc == 0 and 'changed=0' in again.stdout, again.output[-3000:]
