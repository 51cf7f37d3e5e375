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
import datetime
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
DEVICE_COLUMNS = ['Name', 'Serial', 'User', 'Model', 'ID', 'Vendor', 'Platform', 'OS version', 'Status', 'Compliant',
                  'Last seen']
OUT_OF_SERVICE = ('retired', 'wiped')


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


def render(page, screenshot, fragment=''):
    """Chromium's DOM of the page after rendering (its script run, sorting as the fragment asks), and a screenshot."""
    base = [chromium(), '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars',
            '--window-size=1300,1800']
    url = 'file://' + page + fragment
    dom = subprocess.run(base + ['--dump-dom', url], capture_output=True, text=True, timeout=120, check=True).stdout
    if screenshot:
        subprocess.run(base + ['--screenshot=%s' % screenshot, url], capture_output=True, text=True, timeout=120, check=True)
    return dom


class ChartCounter(html.parser.HTMLParser):
    """Counts, per figure id, the SVG charts and their drawn marks (bars, donut slices); keeps, per table id, the
    column headings (with their aria-sort) and the cell texts of each row."""

    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.figure = None
        self.charts = {}
        self.marks = {}
        self.external = []
        self.scripts = 0
        self.script_sources = []
        self.table = None
        self.tables = {}
        self.headings = {}
        self.sorted_by = {}
        self.cell = None

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
            self.script_sources += [attrs['src']] if attrs.get('src') else []
        elif tag == 'table':
            self.table = attrs.get('id')
            self.tables[self.table], self.headings[self.table] = [], []
        elif tag == 'tr' and self.table and self.cell is None:
            self.tables[self.table].append([])
        elif tag in ('td', 'th') and self.table:
            self.cell = []
            if tag == 'th' and attrs.get('aria-sort'):
                self.sorted_by[self.table] = (attrs.get('data-key'), attrs['aria-sort'])
        for name in ('src', 'href'):
            # In-page links (the table of contents) are part of the page; anything else would be an external asset.
            if attrs.get(name) and not attrs[name].startswith('#'):
                self.external.append(attrs[name])

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.cell is not None and self.table:
            text = ''.join(self.cell).strip()
            if tag == 'th':
                self.headings[self.table].append(text)
            else:
                self.tables[self.table][-1].append(text)
            self.cell = None
        elif tag == 'table':
            self.table = None

    def rows(self, table):
        return [row for row in self.tables.get(table, []) if row]


def age_days(device, as_of):
    if not device['mdm_last_seen']:
        return None
    seen = datetime.datetime.fromisoformat(device['mdm_last_seen'].replace('Z', '+00:00'))
    return max(0.0, (as_of - seen).total_seconds() / 86400.0)


def test_fleet_report_opens_in_chromium_with_its_charts(sim, tmp_path):
    """The fleet report as of now (the default), on a fleet seen recently, with a previous run to compare with:
    every figure checked against the devices, every table with its identity columns, sorted by Chromium."""
    dest = tmp_path / 'report'
    conn = sim.params('mobileiron_core')
    records = sim.devices('mobileiron_core')
    # The previous run: one device not there yet (new now), one device gone since, and one device in service that is
    # not compliant now but was then.
    new_uuid = str(records[0]['common.uuid']).lower()
    flipped = next(str(r['common.uuid']).lower() for r in records[1:]
                   if r['common.compliant'] is False and r['common.status'] == 'ACTIVE')
    previous = dict(summary=dict(as_of='2026-11-01T00:00:00Z'), devices=[
        dict(mdm_vendor='mobileiron_core', mdm_device_id=str(r['common.uuid']).lower(),
             mdm_compliant=True if str(r['common.uuid']).lower() == flipped else r['common.compliant'])
        for r in records[1:]] + [dict(mdm_vendor='mobileiron_core', mdm_device_id='00000000-0000-4000-8000-000000000001',
                                      mdm_name='Gone since', mdm_compliant=True)])
    (tmp_path / 'previous.json').write_text(json.dumps(previous))
    sim.clear_log()
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    run = run_collection_playbook(tmp_path, 'fleet_report', dict(mdm_connection=conn, fleet_report_dest=str(dest),
                                                                 fleet_report_previous=str(tmp_path / 'previous.json'),
                                                                 fleet_report_fetch_labels=True))
    assert run.rc == 0, run.output[-3000:]
    assert [entry for entry in sim.log('mobileiron_core') if entry['method'] not in ('GET', 'HEAD')] == []

    report = json.loads((dest / 'fleet-report.json').read_text())
    devices = report['devices']
    ids = sim_ids(sim, 'mobileiron_core')
    assert sorted(device['mdm_device_id'] for device in devices) == ids and len(ids) == SIM_DEVICES
    summary = report['summary']
    as_of = datetime.datetime.fromisoformat(summary['as_of'].replace('Z', '+00:00'))
    assert before <= as_of <= datetime.datetime.now(datetime.timezone.utc)  # "as of" is now by default
    platforms = dict(summary['platforms'])
    for device_platform in ('ios', 'android', 'windows', 'macos'):
        assert platforms[device_platform] == sum(1 for d in devices if d['mdm_platform'] == device_platform)
    assert sum(count for _label, count in summary['last_seen']) == SIM_DEVICES
    # The simulator's fleet is seen relative to now: most of it within a day, some of it stale; every age shows.
    last_seen = dict(summary['last_seen'])
    assert all(last_seen[bucket] for bucket in ('< 1 day', '1-7 days', '7-30 days', '30-90 days', '> 90 days')), last_seen
    assert last_seen['< 1 day'] > SIM_DEVICES // 2
    # Retired and wiped devices are out of service: outside the compliance and stale figures.
    in_service = [d for d in devices if d['mdm_status'] not in OUT_OF_SERVICE]
    assert summary['out_of_service'] == SIM_DEVICES - len(in_service) > 0
    assert dict(summary['compliance']) == dict(
        (key, count) for key, count in (('compliant', sum(1 for d in in_service if d['mdm_compliant'] is True)),
                                        ('non-compliant', sum(1 for d in in_service if d['mdm_compliant'] is False)),
                                        ('unknown', sum(1 for d in in_service if d['mdm_compliant'] is None))) if count)
    stale = [d for d in in_service if d['mdm_last_seen'] and age_days(d, as_of) >= 90]
    assert summary['stale'] == len(stale) > 0
    assert sorted(report['views']['stale']) == sorted(d['mdm_device_id'] for d in stale)
    non_compliant = sorted(d['mdm_device_id'] for d in in_service if d['mdm_compliant'] is False)
    assert sorted(report['views']['non_compliant']) == non_compliant
    assert report['since_last_run'] == dict(previous_as_of='2026-11-01T00:00:00Z', previous_total=SIM_DEVICES,
                                            new=[new_uuid], removed=['00000000-0000-4000-8000-000000000001'],
                                            newly_non_compliant=[flipped])
    assert 'since 2026-11-01T00:00:00Z: 1 new, 1 removed, 1 newly not compliant' in run.stdout
    assert '%s/fleet-report.html' % dest in run.stdout
    rows = list(csv.DictReader(io.StringIO((dest / 'fleet-report.csv').read_text())))
    assert sorted(row['mdm_device_id'] for row in rows) == ids
    # Device names that look like templates are data: written as they are, never evaluated.
    names = set(row['mdm_name'] for row in rows)
    assert "{{ lookup('env', 'HOME') }}" in names and os.environ.get('HOME', '/root') not in names

    page = str(dest / 'fleet-report.html')
    dom = render(page, str(tmp_path / 'fleet-report.png'))
    counter = ChartCounter()
    counter.feed(dom)
    assert counter.charts == dict((chart, 1) for chart in CHART_IDS), counter.charts
    assert counter.marks['chart-platforms'] == len([count for count in platforms.values() if count])
    assert counter.marks['chart-last-seen'] == len(summary['last_seen'])
    assert all(counter.marks.get(chart) for chart in CHART_IDS), counter.marks
    # One inline script (the table sorting) and no external asset.
    assert counter.scripts == 1 and counter.script_sources == [] and counter.external == []
    by_id = dict((d['mdm_device_id'], d) for d in devices)
    # Every device table has the identity columns, and shows the device's own values in them.
    for table, expected in (('devices', ids), ('stale-devices', report['views']['stale']),
                            ('non-compliant-devices', non_compliant), ('new-devices', [new_uuid]),
                            ('removed-devices', ['00000000-0000-4000-8000-000000000001']),
                            ('newly-non-compliant-devices', [flipped])):
        assert counter.headings[table][:len(DEVICE_COLUMNS)] == DEVICE_COLUMNS, (table, counter.headings[table])
        shown = counter.rows(table)
        assert len(shown) == min(len(expected), 500), table  # the table limit
        assert set(row[4] for row in shown) <= set(expected), table
        for row in shown:
            device = by_id.get(row[4])
            if device:
                assert row[1:4] == [device['mdm_serial'] or '', device['mdm_user_email'] or device['mdm_user'] or '',
                                    device['mdm_model'] or ''], row
    assert '<td>%s</td>' % 'mobileiron_core' in dom
    # The stale table lists the oldest first; the per-label and per-OS-version tables are there.
    ages = [int(row[11]) for row in counter.rows('stale-devices')]
    assert ages == sorted(ages, reverse=True) and min(ages) >= 90
    assert counter.headings['os-versions'][:3] == ['Platform', 'OS version', 'Devices']
    assert sum(int(row[2]) for row in counter.rows('os-versions')) == len(in_service)
    # Per label: the devices of each label, and the non-compliant and retired or wiped ones among them.
    labels = sorted(set(label for d in devices for label in d['mdm_labels']))
    assert labels and [row[0] for row in counter.rows('labels')] == sorted(labels, key=str.lower)
    for row in counter.rows('labels'):
        members = [d for d in devices if row[0] in d['mdm_labels']]
        assert [int(cell) for cell in (row[1], row[3], row[6])] == [
            len(members), sum(1 for d in members if d['mdm_compliant'] is False and d['mdm_status'] not in OUT_OF_SERVICE),
            sum(1 for d in members if d['mdm_status'] in OUT_OF_SERVICE)], row
    with open(str(tmp_path / 'fleet-report.png'), 'rb') as handle:
        png = handle.read()
    assert png.startswith(b'\x89PNG') and len(png) > 50000  # a blank page of this size compresses to a few KB

    # Sorting runs in the browser: the address asks for the stale devices newest first and every device by last seen.
    sorted_dom = ChartCounter()
    sorted_dom.feed(render(page, None, '#sort=stale-devices:age:asc,devices:last_seen:desc'))
    assert sorted_dom.sorted_by == {'stale-devices': ('age', 'ascending'), 'devices': ('last_seen', 'descending')}
    assert [int(row[11]) for row in sorted_dom.rows('stale-devices')] == sorted(ages)
    seen = [row[10] for row in sorted_dom.rows('devices')]
    assert seen == sorted(seen, key=lambda text: '' if text == 'never' else text, reverse=True) and seen != \
        [row[10] for row in counter.rows('devices')]


def test_fleet_report_from_the_inventory_matches_the_api(sim, tmp_path):
    inventory = tmp_path / 'fleet.mdm.yml'
    inventory.write_text(json.dumps(dict(sim.params('manageengine'), plugin='fleetops.mdm.devices')))
    dest = tmp_path / 'report'
    vars_file = tmp_path / 'vars.json'
    vars_file.write_text(json.dumps(dict(fleet_report_source='inventory', fleet_report_dest=str(dest),
                                         fleet_report_formats=['json'],
                                         fleet_report_previous=str(tmp_path / 'first-run' / 'fleet-report.json'))))
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', str(inventory), 'fleetops.mdm.fleet_report',
                           '-e', '@%s' % vars_file], capture_output=True, text=True, env=ansible_env(), timeout=600,
                          check=False, cwd=str(tmp_path))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    report = json.loads((dest / 'fleet-report.json').read_text())
    assert sorted(device['mdm_device_id'] for device in report['devices']) == sim_ids(sim, 'manageengine')
    assert not (dest / 'fleet-report.html').exists()
    # The first run of a weekly job: no previous report yet, said and skipped.
    assert 'no previous report at %s' % (tmp_path / 'first-run' / 'fleet-report.json') in proc.stdout, proc.stdout[-3000:]
    assert 'since_last_run' not in report


def test_label_sync_check_mode_writes_nothing_then_applies_the_rules(sim, tmp_path):
    before = truth(sim, 'mobileiron_core')
    rules = [dict(label='Field Ops', match=dict(platform='android', manufacturer='samsung'))]
    variables = dict(mdm_connection=sim.params('mobileiron_core'), label_sync_rules=rules,
                     label_sync_filters=dict(status='active'))
    sim.clear_log()
    check = run_collection_playbook(tmp_path, 'label_sync', dict(variables, label_sync_show_devices=1000), check=True,
                                    diff=True, verbosity=3)
    assert check.rc == 0, check.output[-3000:]
    # The connection passes through the role's variables and module_defaults: its secrets stay hidden at -vvv.
    assert 'Validating arguments against arg spec' in check.output
    for secret in sim.secrets():
        assert secret not in check.output
    assert writes(sim, 'mobileiron_core') == [] and truth(sim, 'mobileiron_core') == before
    assert 'changed=1' in check.stdout
    # What the label would gain, each device by name, user and model beside its id (Core names iOS devices only).
    records = dict((str(r['common.uuid']).lower(), r) for r in sim.devices('mobileiron_core'))
    held = set(members_of(sim, 'mobileiron_core', 'Field Ops'))
    gains = sorted(uuid for uuid, r in records.items() if r['common.platform'] == 'Android' and
                   r['common.manufacturer'] == 'samsung' and r['common.status'] == 'ACTIVE' and uuid not in held)
    assert len(gains) > 100  # beyond the default 100 lines: the test asks for more
    assert '... and ' not in check.stdout
    for uuid in gains:
        line = 'Field Ops + %s (no name; user %s; model %s)' % (uuid, records[uuid]['user.user_id'], records[uuid]['common.model'])
        assert line in check.stdout, (line, check.stdout[-3000:])

    apply = run_collection_playbook(tmp_path, 'label_sync', variables)
    assert apply.rc == 0, apply.output[-3000:]
    # The same gains and losses (purge) applied, shown up to label_sync_show_devices (100) lines, then how many more.
    changes = check.stdout.count('"Field Ops + ') + check.stdout.count('"Field Ops - ')
    assert apply.stdout.count('"Field Ops + ') + apply.stdout.count('"Field Ops - ') == 100
    assert '"... and %d more"' % (changes - 100) in apply.stdout, apply.stdout[-3000:]
    wanted = sorted(device_id for device_id, record in
                    ((str(r['common.uuid']), r) for r in sim.devices('mobileiron_core'))
                    if record['common.platform'] == 'Android' and record['common.manufacturer'] == 'samsung'
                    and record['common.status'] == 'ACTIVE')
    assert wanted and members_of(sim, 'mobileiron_core', 'Field Ops') == wanted
    again = run_collection_playbook(tmp_path, 'label_sync', variables)
    assert again.rc == 0 and 'changed=0' in again.stdout, again.output[-3000:]
