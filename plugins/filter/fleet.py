# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters over normalised devices for the label_sync, fleet_report and other roles.

Device fields are user data (names may hold ``{{``): every string a filter returns that carries device data
is marked unsafe, so that Ansible never evaluates it as a template, and the SVG charts escape every text
they draw.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import datetime
import io
import math
import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from ansible.errors import AnsibleFilterError
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetops.mdm.plugins.module_utils.device import (
    NORMALISED_FIELDS,
    OWNERSHIPS,
    PLATFORMS,
    device_matches,
    validate_neutral_filters,
)

# Last-seen age buckets (upper bounds in days) when the caller gives none.
DEFAULT_AGE_DAYS = (1, 7, 30, 90)
# Colour-blind friendly palette (Okabe-Ito), in chart order.
PALETTE = ('#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999')
# Fixed colours where a value means something on its own.
MEANING_COLOURS = {'compliant': '#009E73', 'non-compliant': '#D55E00', 'unknown': '#999999', 'never': '#999999'}
# Spreadsheet programs run cells that start with these as formulas (CSV injection): such cells get a leading quote.
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
# Devices that left service: outside the compliance and staleness figures, which are about devices still in use.
OUT_OF_SERVICE = ('retired', 'wiped')


def _fail(message):
    raise AnsibleFilterError(message)


def _plain(value):
    """A device field as a plain Python value (hostvars and unsafe strings included)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return str(value)


def fleet_devices(items):
    """Normalised devices from mdm_device_info results or inventory hostvars: the DESIGN.md fields only, sorted."""
    if items is None:
        return []
    if isinstance(items, Mapping):
        items = list(items.values())
    devices = []
    for item in items:
        if not isinstance(item, Mapping) and not hasattr(item, 'get'):
            _fail('fleet_devices expects devices (mappings with mdm_* fields), got %s' % type(item).__name__)
        if item.get('mdm_device_id') in (None, ''):
            continue
        device = dict((field, _plain(item.get(field))) for field in NORMALISED_FIELDS)
        device['mdm_labels'] = device['mdm_labels'] or []
        devices.append(device)
    devices.sort(key=lambda device: (device['mdm_vendor'] or '', device['mdm_device_id']))
    return wrap_var(devices)


def match_devices(devices, filters):
    """The devices that pass every vendor-neutral filter, with the semantics of mdm_device_info's ``filters``."""
    try:
        clean = validate_neutral_filters(dict(filters or {}), option='filters')
    except InvalidInputError as exc:
        _fail(str(exc))
    return [device for device in devices if device_matches(device, clean)]


def _as_of(value):
    if value in (None, ''):
        return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    if isinstance(value, datetime.datetime):
        when = value
    else:
        try:
            when = datetime.datetime.fromisoformat(str(value).strip().replace('Z', '+00:00'))
        except ValueError:
            _fail('as_of must be an ISO 8601 date or time, got %r' % str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when


def _parse_seen(value):
    if not value:
        return None
    try:
        when = datetime.datetime.fromisoformat(str(value).replace('Z', '+00:00'))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


def _age_labels(bounds):
    labels, lower = [], 0
    for bound in bounds:
        labels.append('%s-%s days' % (lower, bound) if lower else '< %s day%s' % (bound, '' if bound == 1 else 's'))
        lower = bound
    labels.append('> %s days' % lower)
    labels.append('never')
    return labels


def _os_key(device):
    """Platform and major OS version: "ios 18", "android 14", "windows 10.0.26100" (builds matter there)."""
    platform = device.get('mdm_platform') or 'other'
    version = (device.get('mdm_os_version') or '').strip()
    if not version:
        return '%s (unknown)' % platform
    if platform == 'windows':
        return '%s %s' % (platform, version)
    return '%s %s' % (platform, version.split('.')[0])


def _ordered(counts, order=None):
    """[[value, count], ...]: in the given order first, then by count (largest first) and name."""
    order = list(order or [])
    known = [[value, counts[value]] for value in order if counts.get(value)]
    rest = sorted(((value, count) for value, count in counts.items() if value not in order),
                  key=lambda pair: (-pair[1], pair[0]))
    return known + [[value, count] for value, count in rest]


def _in_service(device):
    return (device.get('mdm_status') or 'other') not in OUT_OF_SERVICE


def _compliance_key(device):
    compliant = device.get('mdm_compliant')
    return 'compliant' if compliant is True else 'non-compliant' if compliant is False else 'unknown'


def _bounds(age_days):
    bounds = sorted(int(day) for day in (age_days or DEFAULT_AGE_DAYS))
    if not bounds or bounds[0] <= 0:
        _fail('age_days must be positive numbers of days')
    return bounds


def _age_days(device, reference):
    """Days since the device was last seen (never below 0), or None when it never was (or the server does not say)."""
    seen = _parse_seen(device.get('mdm_last_seen'))
    if seen is None:
        return None
    return max(0.0, (reference - seen).total_seconds() / 86400.0)


def fleet_summary(devices, as_of=None, age_days=None, top_os=12):
    """Counts for the fleet report: per platform, OS version, compliance, ownership, status and last-seen age.

    Retired and wiped devices count in the platform, OS, ownership, status and last-seen charts, and nowhere in the
    compliance and staleness figures: a wiped phone in a drawer is neither compliant nor a device to chase.
    """
    bounds = _bounds(age_days)
    reference = _as_of(as_of)
    age_labels = _age_labels(bounds)
    counters = dict(platforms={}, os_versions={}, compliance={}, ownership={}, status={}, last_seen=dict.fromkeys(age_labels, 0))
    stale = out_of_service = 0
    for device in devices:
        for name, value in (('platforms', device.get('mdm_platform') or 'other'), ('os_versions', _os_key(device)),
                            ('ownership', device.get('mdm_ownership') or 'unknown'),
                            ('status', device.get('mdm_status') or 'other')):
            counters[name][value] = counters[name].get(value, 0) + 1
        in_service = _in_service(device)
        if in_service:
            key = _compliance_key(device)
            counters['compliance'][key] = counters['compliance'].get(key, 0) + 1
        else:
            out_of_service += 1
        days = _age_days(device, reference)
        if days is None:
            bucket = 'never'
        else:
            index = next((i for i, bound in enumerate(bounds) if days < bound), len(bounds))
            bucket = age_labels[index]
            if index == len(bounds) and in_service:
                stale += 1
        counters['last_seen'][bucket] += 1
    os_versions = _ordered(counters['os_versions'])
    if top_os and len(os_versions) > int(top_os):
        keep = os_versions[:int(top_os) - 1]
        os_versions = keep + [['other versions', sum(count for _value, count in os_versions[len(keep):])]]
    return wrap_var(dict(
        total=len(devices),
        in_service=len(devices) - out_of_service,
        out_of_service=out_of_service,
        as_of=reference.isoformat().replace('+00:00', 'Z'),
        stale_after_days=bounds[-1],
        stale=stale,
        platforms=_ordered(counters['platforms'], PLATFORMS),
        os_versions=os_versions,
        compliance=_ordered(counters['compliance'], ('compliant', 'non-compliant', 'unknown')),
        ownership=_ordered(counters['ownership'], OWNERSHIPS),
        status=_ordered(counters['status'], ('active', 'pending', 'retired', 'wiped', 'other')),
        last_seen=[[label, counters['last_seen'][label]] for label in age_labels],
    ))


def _version_key(version):
    """"18.10" after "18.9", "10.0.26100" after "10.0.19045": the numbers of a version, compared as numbers."""
    return tuple(int(part) for part in re.findall(r'\d+', version or '')) or (-1,)


def _copy(device):
    """A plain copy of a device: ansible-core 2.19 hands filters lazy containers, which wrap_var cannot rebuild."""
    return dict((key, _plain(device[key])) for key in device)


def _with_age(device, days):
    row = _copy(device)
    row['age_days'] = None if days is None else int(days)
    return row


def fleet_views(devices, as_of=None, age_days=None):
    """What a reader of the fleet report looks for beyond the charts: the stale devices (in service, not seen for
    longer than the last age bound, oldest first), the non-compliant ones, the devices out of service, and per label
    and per OS version the devices, non-compliant and stale ones (OS versions newest first, the newest of each
    platform in the fleet marked, so that devices behind it show)."""
    bounds = _bounds(age_days)
    reference = _as_of(as_of)
    stale, non_compliant, out_of_service = [], [], []
    labels, versions = {}, {}
    for device in devices:
        days = _age_days(device, reference)
        in_service = _in_service(device)
        is_stale = in_service and days is not None and days >= bounds[-1]
        key = _compliance_key(device)
        if not in_service:
            out_of_service.append(_with_age(device, days))
        elif is_stale:
            stale.append(_with_age(device, days))
        if in_service and key == 'non-compliant':
            non_compliant.append(_with_age(device, days))
        for label in device.get('mdm_labels') or []:
            row = labels.setdefault(str(label), dict(label=str(label), devices=0, compliant=0, non_compliant=0, unknown=0,
                                                     stale=0, out_of_service=0))
            row['devices'] += 1
            if not in_service:
                row['out_of_service'] += 1
                continue
            row[key.replace('-', '_')] += 1
            row['stale'] += 1 if is_stale else 0
        if in_service:
            platform = device.get('mdm_platform') or 'other'
            version = (device.get('mdm_os_version') or '').strip()
            row = versions.setdefault((platform, version), dict(platform=platform, os_version=version or 'unknown',
                                                                devices=0, non_compliant=0, stale=0))
            row['devices'] += 1
            row['non_compliant'] += 1 if key == 'non-compliant' else 0
            row['stale'] += 1 if is_stale else 0
    platform_order = dict((platform, index) for index, platform in enumerate(PLATFORMS))
    newest = {}
    for platform, version in versions:
        if version and (platform not in newest or _version_key(version) > _version_key(newest[platform])):
            newest[platform] = version
    per_platform = {}
    for (platform, _version), row in versions.items():
        per_platform[platform] = per_platform.get(platform, 0) + row['devices']
    os_rows = []
    for (platform, version), row in sorted(versions.items(), key=lambda item: (
            platform_order.get(item[0][0], len(PLATFORMS)), item[0][0], [-part for part in _version_key(item[0][1])])):
        row['newest'] = bool(version) and newest.get(platform) == version
        row['platform_share'] = int(round(100.0 * row['devices'] / per_platform[platform]))
        os_rows.append(row)
    stale.sort(key=lambda device: (-device['age_days'], device.get('mdm_vendor') or '', device['mdm_device_id']))
    return wrap_var(dict(
        as_of=reference.isoformat().replace('+00:00', 'Z'),
        stale_after_days=bounds[-1],
        stale=stale,
        non_compliant=non_compliant,
        out_of_service=out_of_service,
        labels=[labels[name] for name in sorted(labels, key=lambda name: name.lower())],
        os_versions=os_rows,
    ))


def _device_key(device):
    return (str(device.get('mdm_vendor') or ''), str(device.get('mdm_device_id')))


def fleet_changes(devices, previous):
    """Since the previous report (the ``fleet-report.json`` of an earlier run, or its device list): the devices
    that are new, the devices that are gone, and the devices in service that were compliant or unknown then and
    are not compliant now. Devices are the same when vendor and device id are."""
    if isinstance(previous, Mapping):
        previous_as_of = (previous.get('summary') or {}).get('as_of')
        previous_devices = previous.get('devices')
    else:
        previous_as_of, previous_devices = None, previous
    if not isinstance(previous_devices, (list, tuple)) or not all(isinstance(item, Mapping) for item in previous_devices):
        _fail('the previous report must be the fleet-report.json of an earlier run (a mapping with a devices list), '
              'or a list of devices')
    before = dict((_device_key(device), device) for device in previous_devices if device.get('mdm_device_id') not in (None, ''))
    now = dict((_device_key(device), device) for device in devices)
    new = [_copy(now[key]) for key in sorted(now) if key not in before]
    # The previous file may come from an older version of the role, or by hand: every normalised field, None if absent.
    removed = [dict((field, _plain(before[key].get(field))) for field in NORMALISED_FIELDS) for key in sorted(before)
               if key not in now]
    newly_non_compliant = [_copy(now[key]) for key in sorted(now) if key in before and _in_service(now[key])
                           and now[key].get('mdm_compliant') is False and before[key].get('mdm_compliant') is not False]
    return wrap_var(dict(previous_as_of=previous_as_of, previous_total=len(before), new=new, removed=removed,
                         newly_non_compliant=newly_non_compliant))


def device_identity(device):
    """One line that tells a person which device this is: its id, then name, user and model.

    Takes a normalised device (``mdm_*`` fields) or a role's report row (``device_id``, ``name``, ``user``, ``model``).
    """
    if not isinstance(device, Mapping) and not hasattr(device, 'get'):
        _fail('device_identity expects a device (a mapping with mdm_* fields), got %s' % type(device).__name__)

    def field(name):
        value = device.get('mdm_' + name)
        if value in (None, ''):
            value = device.get(name)
        return None if value in (None, '') else str(value)

    device_id = field('device_id')
    if device_id is None:
        _fail('device_identity expects a device with an id (mdm_device_id or device_id)')
    return wrap_var('%s (%s; user %s; model %s)' % (
        device_id, field('name') or 'no name', field('user') or 'unknown', field('model') or 'unknown'))


def _pairs(counts):
    if isinstance(counts, Mapping):
        counts = list(counts.items())
    pairs = []
    for item in counts or []:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            _fail('chart data must be a mapping or a list of [label, count] pairs')
        try:
            pairs.append((str(item[0]), int(item[1])))
        except (TypeError, ValueError):
            _fail('chart count for %r is not a number' % str(item[0]))
    return pairs


def _colour(label, index):
    return MEANING_COLOURS.get(label, PALETTE[index % len(PALETTE)])


def _svg_open(width, height, title, kind):
    return ['<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-%s" role="img" width="%d" height="%d" '
            'viewBox="0 0 %d %d" aria-label=%s>' % (kind, width, height, width, height, quoteattr(title)),
            '<title>%s</title>' % escape(title)]


def svg_bar_chart(counts, title, width=460):
    """A horizontal bar chart as inline SVG: one bar (``rect class="bar"``) per label, with its count."""
    pairs = _pairs(counts)
    width = int(width)
    row, top, label_width = 24, 30, 150
    height = top + row * max(len(pairs), 1) + 10
    bar_space = width - label_width - 60
    largest = max([count for _label, count in pairs] + [1])
    parts = _svg_open(width, height, title, 'bar')
    parts.append('<text class="chart-title" x="0" y="18" font-weight="bold">%s</text>' % escape(title))
    if not pairs:
        parts.append('<text x="0" y="%d">no devices</text>' % (top + 16))
    for index, (label, count) in enumerate(pairs):
        y = top + index * row
        length = 0 if not count else max(2, int(round(bar_space * count / float(largest))))
        parts.append('<g class="bar-row"><text x="%d" y="%d" text-anchor="end">%s</text>'
                     '<rect class="bar" x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s: %d</title></rect>'
                     '<text class="count" x="%d" y="%d">%d</text></g>' % (
                         label_width - 6, y + 15, escape(label), label_width, y + 3, length, row - 6,
                         _colour(label, index), escape(label), count, label_width + length + 6, y + 15, count))
    parts.append('</svg>')
    return wrap_var(''.join(parts))


def svg_donut_chart(counts, title, size=220):
    """A donut chart as inline SVG: one ``circle class="slice"`` per label with a count, and a legend."""
    pairs = [(label, count) for label, count in _pairs(counts) if count > 0]
    size = int(size)
    radius, stroke = size * 0.32, size * 0.16
    centre = size / 2.0
    legend_width = 200
    height = max(size, 30 + 22 * len(pairs)) + 10
    circumference = 2 * math.pi * radius
    total = sum(count for _label, count in pairs)
    parts = _svg_open(size + legend_width, height + 20, title, 'donut')
    parts.append('<text class="chart-title" x="0" y="18" font-weight="bold">%s</text>' % escape(title))
    offset = 0.0
    for index, (label, count) in enumerate(pairs):
        length = circumference * count / float(total)
        # Each slice is a dashed circle stroke starting where the previous one ended (rotated to 12 o'clock).
        parts.append('<circle class="slice" cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="%s" stroke-width="%.1f" '
                     'stroke-dasharray="%.2f %.2f" stroke-dashoffset="%.2f" transform="rotate(-90 %.1f %.1f)">'
                     '<title>%s: %d</title></circle>' % (
                         centre, centre + 20, radius, _colour(label, index), stroke, length, circumference - length,
                         -offset, centre, centre + 20, escape(label), count))
        offset += length
    parts.append('<text x="%.1f" y="%.1f" text-anchor="middle" font-size="20">%d</text>' % (centre, centre + 27, total))
    for index, (label, count) in enumerate(pairs):
        y = 40 + index * 22
        parts.append('<g class="legend"><rect x="%d" y="%d" width="14" height="14" fill="%s"/>'
                     '<text x="%d" y="%d">%s (%d, %d%%)</text></g>' % (
                         size + 4, y, _colour(label, index), size + 24, y + 12, escape(label), count,
                         int(round(100.0 * count / total))))
    if not pairs:
        parts.append('<text x="%.1f" y="%.1f" text-anchor="middle">no devices</text>' % (centre, centre + 20))
    parts.append('</svg>')
    return wrap_var(''.join(parts))


def _csv_cell(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        value = ';'.join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def devices_csv(devices, fields=None):
    """CSV text with a header row; lists joined with ``;``; cells that a spreadsheet would run as formulas quoted."""
    fields = list(fields or NORMALISED_FIELDS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\n')
    writer.writerow(fields)
    for device in devices:
        writer.writerow([_csv_cell(device.get(field)) for field in fields])
    return wrap_var(buffer.getvalue())


class FilterModule(object):
    def filters(self):
        return {
            'fleet_devices': fleet_devices,
            'match_devices': match_devices,
            'fleet_summary': fleet_summary,
            'fleet_views': fleet_views,
            'fleet_changes': fleet_changes,
            'device_identity': device_identity,
            'svg_bar_chart': svg_bar_chart,
            'svg_donut_chart': svg_donut_chart,
            'devices_csv': devices_csv,
        }
