# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The neutral device model and filters: the normalised device every vendor's listing yields (make_device), the
readers of the values vendors write (timestamps, IMEIs, masked texts, booleans) and the vendor-neutral filters
(validate_neutral_filters, device_matches) that modules, the inventory plugin and the filter plugins share.

Nothing here knows a vendor or sends a request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import email.utils
import fnmatch
import math
import re
import time

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError

NORMALISED_FIELDS = (
    'mdm_vendor', 'mdm_device_id', 'mdm_name', 'mdm_platform', 'mdm_os_version', 'mdm_model', 'mdm_manufacturer',
    'mdm_serial', 'mdm_imei', 'mdm_udid', 'mdm_user', 'mdm_user_email', 'mdm_ownership', 'mdm_status',
    'mdm_compliant', 'mdm_last_seen', 'mdm_labels',
)
PLATFORMS = ('android', 'ios', 'macos', 'windows', 'other')
OWNERSHIPS = ('company', 'employee', 'unknown')
STATUSES = ('active', 'pending', 'retired', 'wiped', 'other')

# Vendor-neutral filters (option ``filters``): key -> allowed values (None: free text, glob allowed).
NEUTRAL_FILTERS = {
    'platform': PLATFORMS,
    'status': STATUSES,
    'ownership': OWNERSHIPS,
    'compliant': (True, False),
    'name': None,
    'os_version': None,
    'model': None,
    'manufacturer': None,
    'serial': None,
    'imei': None,
    'udid': None,
    'user': None,
    'user_email': None,
    'label': None,
}


def platform_of(value):
    """Map a vendor's platform / OS name to the normalised platform."""
    text = (str(value) if value is not None else '').strip().lower()
    if not text:
        return 'other'
    if 'android' in text:
        return 'android'
    if text in ('ios', 'iphone', 'ipad', 'ipod', 'ipados', 'apple ios') or text.startswith(('ios', 'iphone', 'ipad')):
        return 'ios'
    if 'mac' in text or 'os x' in text or 'osx' in text:
        return 'macos'
    if 'windows' in text or text.startswith('win'):
        return 'windows'
    return 'other'


def iso_from_epoch_ms(value):
    """ISO 8601 UTC from milliseconds since the epoch; None for missing or sentinel (-1, 0) values."""
    try:
        millis = float(value)
    except (TypeError, ValueError):
        return None
    if millis <= 0 or math.isnan(millis) or millis > _MAX_EPOCH_MS:
        return None
    # time.gmtime: several times cheaper than a datetime, and this runs for every listed device.
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(millis // 1000)))


# Epoch numbers below this are seconds, above it milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
_EPOCH_SECONDS_BELOW = 1e11
# datetime's own limit (the year 9999), in milliseconds.
_MAX_EPOCH_MS = 253402300799999
# Every date-time text form of the vendors' replies and recordings: ISO 8601 with "T" or a space, with or without
# seconds and fractions, and a zone as "Z", "+00:00", "+0000", "+00", " UTC" / " GMT", or none (taken as UTC).
# Core "2020-11-09T07:38:22.000Z" (XSOAR MobileIronUEM test_data), MaaS360 "2019-04-23T16:11:23" and
# "2019-05-13 17:45:12.0" (IBM fn_maas360 README: lastReported, locatedTime).
_DATE_TIME = re.compile(
    r'^(?P<date>\d{4}-\d{2}-\d{2})'
    r'(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?)?'
    r'\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$', re.IGNORECASE)


_NUMBER = re.compile(r'^-?\d+(\.\d+)?$')


def iso_timestamp(value):
    """ISO 8601 UTC (``2026-01-01T00:00:00Z``) from any vendor timestamp form, None when unknown.

    Numbers (and texts of digits) are epoch milliseconds or, when too small for that, epoch seconds; 0 and negative
    numbers are the vendors' "never" sentinels.  Texts are read by _DATE_TIME, or as an RFC 2822 date.  What none of
    them reads is unknown (None): mdm_last_seen is documented as ISO 8601, so a text that is not is never passed on.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if number <= 0 or math.isnan(number):
            return None
        return iso_from_epoch_ms(number * 1000 if number < _EPOCH_SECONDS_BELOW else number)
    text = str(value).strip()
    if not text or text in _NO_TEXT:
        return None
    if _NUMBER.match(text):
        return iso_timestamp(float(text))
    match = _DATE_TIME.match(text)
    if match:
        year, month, day = match.group('date').split('-')
        hour, minute, second = match.group('hour') or '00', match.group('minute') or '00', match.group('second') or '00'
        try:
            when = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        except ValueError:
            return None
        zone = (match.group('zone') or 'Z').upper()
        if zone[0] not in '+-':
            # Already UTC: the text's own digits, checked by datetime() above.
            return '%s-%s-%sT%s:%s:%sZ' % (year, month, day, hour, minute, second)
        digits = zone[1:].replace(':', '')
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        when -= offset if zone[0] == '+' else -offset
        return when.strftime('%Y-%m-%dT%H:%M:%SZ') if when.year >= 1000 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc).replace(microsecond=0).isoformat().replace('+00:00', 'Z')


def iso_from_text(value):
    """ISO 8601 UTC from a vendor's date text or number (iso_timestamp()); None when unknown."""
    return iso_timestamp(value)


# A value a server's privacy setting hid: only mask characters ("*****", MobileIron Core's form in the XSOAR
# MobileIronUEM test_data), or a run of three or more of them inside the value ("j***@example.com").  It says
# nothing about the device, so it is unknown (None), never data to match or show.
_MASK = re.compile(r'^[*\u2022\u25cf]+$|[*\u2022\u25cf]{3}')


def is_masked(text):
    """Is ``text`` a value a privacy setting hid (only mask characters, or a run of three of them)?"""
    return bool(_MASK.search(text))


def imei_text(value):
    """An IMEI (or MEID) as its digits: "35 664808 754860 4" (MobileIron Cloud), 351623070066166 (a JSON number,
    MaaS360 and ManageEngine) and "35-664808-754860-4" are all "356648087548604".  A value that is not digits once
    spaces, dashes, dots and slashes are gone (a hexadecimal MEID) stays as the vendor wrote it; None for no value."""
    text = text_or_none(value)
    if text is None:
        return None
    digits = _IMEI_SEPARATORS.sub('', text)
    return digits if digits.isdigit() else text


_IMEI_SEPARATORS = re.compile(r'[\s./-]')


_NO_TEXT = frozenset(('', '--', 'null', 'None'))


def text_or_none(value):
    """A vendor value as stripped text (whole numbers as their digits, booleans as true / false); None for no value."""
    if value is None:
        return None
    if value.__class__ is str:  # the common case first: this runs for every field of every device
        text = value.strip()
        return None if text in _NO_TEXT else text
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        # A whole JSON number (an IMEI 351623070066166 read as 3.51623070066166e14): its digits, not "3.5e+14".
        value = int(value)
    text = str(value).strip()
    return None if text in _NO_TEXT else text


def text_filters(params, option):
    """Vendor filters that each take one non-empty text value, stripped; ``option`` names them in errors."""
    clean = {}
    for key, value in params.items():
        if isinstance(value, bool) or value is None or not str(value).strip():
            raise InvalidInputError('filter %r needs a value' % key, option='%s.%s' % (option, key))
        clean[key] = str(value).strip()
    return clean


def bool_or_none(value):
    """A vendor value as True / False (the texts vendors write for yes / no and compliant / not), None when unknown."""
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'yes', '1', 'compliant', 'in compliance', 'ok'):
        return True
    if text in ('false', 'no', '0', 'non-compliant', 'noncompliant', 'out of compliance', 'ooc'):
        return False
    return None


_TEXT_FIELDS = ('mdm_device_id', 'mdm_name', 'mdm_os_version', 'mdm_model', 'mdm_manufacturer', 'mdm_serial', 'mdm_imei',
                'mdm_udid', 'mdm_user', 'mdm_user_email')
_FIELD_OF = dict([(name, name) for name in NORMALISED_FIELDS] + [(name[4:], name) for name in NORMALISED_FIELDS])


def make_device(vendor, raw=None, include_raw=False, **fields):
    """A normalised device: every DESIGN.md field present, unknowns as None, labels a list."""
    device = dict.fromkeys(NORMALISED_FIELDS)
    for key, value in fields.items():
        name = _FIELD_OF.get(key)
        if name is None:
            raise KeyError('not a normalised device field: %s' % key)
        device[name] = value
    device['mdm_vendor'] = vendor
    for name in _TEXT_FIELDS:
        text = text_or_none(device[name])
        device[name] = None if text is not None and ('*' in text or '\u2022' in text or '\u25cf' in text) and is_masked(text) \
            else text
    device['mdm_imei'] = imei_text(device['mdm_imei'])
    device['mdm_last_seen'] = iso_timestamp(device['mdm_last_seen'])
    if device['mdm_platform'] not in PLATFORMS:
        device['mdm_platform'] = 'other'
    if device['mdm_ownership'] not in OWNERSHIPS:
        device['mdm_ownership'] = 'unknown'
    if device['mdm_status'] not in STATUSES:
        device['mdm_status'] = 'other'
    labels = device['mdm_labels']
    device['mdm_labels'] = sorted(set(str(label) for label in labels if label not in (None, ''))) if labels else []
    if include_raw:
        device['mdm_raw'] = raw
    return device


def validate_neutral_filters(filters, option='filters'):
    """Check the vendor-neutral filters; returns them with every value as a list."""
    if not filters:
        return {}
    if not isinstance(filters, dict):
        raise InvalidInputError('must be a dictionary', option=option)
    result = {}
    for key, value in filters.items():
        if key not in NEUTRAL_FILTERS:
            raise InvalidInputError('unknown filter %r' % key, option=option, allowed=sorted(NEUTRAL_FILTERS))
        values = value if isinstance(value, (list, tuple)) else [value]
        allowed = NEUTRAL_FILTERS[key]
        if allowed is not None:
            clean = []
            for item in values:
                if key == 'compliant':
                    item = bool_or_none(item) if not isinstance(item, bool) else item
                elif isinstance(item, str):
                    item = item.lower()
                if item not in allowed:
                    raise InvalidInputError('invalid value %r for filter %r' % (item, key), option='%s.%s' % (option, key),
                                            allowed=allowed)
                clean.append(item)
            values = clean
        else:
            values = [str(item) for item in values]
        if not values:
            raise InvalidInputError('filter %r has no values' % key, option='%s.%s' % (option, key))
        result[key] = values
    return result


def device_matches(device, filters):
    """Does a normalised device pass every neutral filter?  Text filters are case-insensitive globs."""
    for key, wanted in filters.items():
        if key == 'label':
            labels = [label.lower() for label in device.get('mdm_labels') or []]
            if not any(fnmatch.filter(labels, pattern.lower()) for pattern in wanted):
                return False
            continue
        value = device.get('mdm_' + key)
        if NEUTRAL_FILTERS[key] is not None:
            if value not in wanted:
                return False
            continue
        text = '' if value is None else str(value).lower()
        if key == 'imei':
            # An IMEI written with spaces or dashes ("35 664808 754860 4") is the same IMEI as its digits.
            wanted = [_IMEI_SEPARATORS.sub('', pattern) for pattern in wanted]
        if not any(fnmatch.fnmatchcase(text, pattern.lower()) for pattern in wanted):
            return False
    return True
