# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The opt-in recorder of requests and replies, for recordings from the field (docs/recording.md).

When the environment variable ``MDM_RECORD_DIR`` names a directory, every HTTP exchange of a client (each attempt,
retries included) is appended to one JSON-lines file per client in that directory, after two passes:

- secrets are removed: no request header is kept but Content-Type and Accept; values of credential fields
  (passwords, keys, tokens, refresh tokens, client secrets, PINs, every field of a MaaS360 authRequest) become
  ``<redacted>`` in queries, forms, JSON and XML; every secret the client knows is cut from every string;
- personal data (names, e-mail addresses, user names, serial numbers, IMEIs, UDIDs, MAC and phone numbers, personal
  user ids, MaaS360 device ids, which embed Apple serial numbers) is replaced by a pseudonym of the same shape
  (letters by letters, digits by digits), derived with HMAC-SHA256 under a random key kept in the directory
  (``.pseudonym-key``, mode 0600, never to be shared): the same value gets the same pseudonym across every file of
  the recording, and a pseudonym cannot be turned back into the value without the key.

The server's host name is not recorded (paths are kept relative to it), nor is anything about the controller.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import hmac
import json
import os
import re
import threading

from urllib.parse import parse_qsl, urlencode, urlsplit

from ansible_collections.fleetops.mdm.plugins.module_utils.version import COLLECTION_VERSION

ENV_NAME = 'MDM_RECORD_DIR'
FORMAT = 'fleetops.mdm recording'
FORMAT_VERSION = 1
KEY_FILE = '.pseudonym-key'
REDACTED = '<redacted>'
KEPT_REQUEST_HEADERS = ('Content-Type', 'Accept')
KEPT_REPLY_HEADERS = ('Content-Type', 'Retry-After')
# Connection options: which are kept as they are, which are pseudonymised, which are secrets (never written).
PLAIN_OPTIONS = ('vendor', 'platform_id', 'app_version', 'device_space_id', 'partition_id')
PERSONAL_OPTIONS = ('username', 'billing_id', 'app_id', 'client_id')
SECRET_OPTIONS = ('password', 'app_access_key', 'api_key', 'client_secret', 'refresh_token')

# Field names are compared in a normal form: the part after the last '.', lower case, letters and digits only
# ("common.SerialNumber" -> "serialnumber", "user_email" -> "useremail", "ios.iPhone UDID" -> "iphoneudid").
_SECRET_FIELD = re.compile(r'(password|passwd|passcode|secret|secretkey|privatekey|accesskey|apikey|authorization|credentials?|token|'
                           r'pin)$|^password(history|hash)$')
# Paging cursors end in "token" too (ManageEngine skip-token / delta-token): they are no credential.
_CURSOR_FIELDS = ('skiptoken', 'deltatoken', 'nexttoken', 'pagetoken', 'continuationtoken')
_PERSONAL_FIELD = re.compile(r'e?mail|serial|imei|meid|imsi|iccid|phone|msisdn|udid|macaddress|mac$|devicename|displayname|'
                             r'firstname|lastname|middlename|fullname|username|entityname|deviceowner|distinguishedname|'
                             r'appleid|edipi|searchkey|userdomain|^domain$|^uid$|^userid$|principal|^upn$')
# MaaS360's device ids embed the Apple serial number ("ApplF17KLK9FF4K0"): pseudonymised, keeping the platform prefix.
_MAAS360_ID_FIELDS = ('maas360deviceid', 'deviceid', 'deviceids')
_MAAS360_ID_PREFIX = re.compile(r'^(Appl|Androidc|Android|Win|Othr)')
# Every field of the MaaS360 authRequest is a credential or names the account (getting-started reference).
_AUTH_REQUEST = re.compile(r'(?i)<(billingID|platformID|appID|appVersion|appAccessKey|userName|password)>[^<]*</\1>')
_XML_ELEMENT = re.compile(r'<([A-Za-z_][\w.:-]*)>([^<]*)</\1>')
# An advanced-search query names fields and values: "user.email_address"="jane@example.com" (MobileIron Core) or
# serialNumber=ABC (MobileIron Cloud fq).
_QUERY_TERM = re.compile(r'("?)([A-Za-z_][\w. ]*)\1(\s*(?:=|:)\s*)("?)([^"&\s)]+)\4')
# Values that carry no data of their own.
_NEUTRAL_VALUES = ('', 'true', 'false', 'null', 'none', 'n/a', 'na', 'unknown')
_MIN_TEXT_PASS = 5
_LOWER = 'abcdefghijklmnopqrstuvwxyz'
_UPPER = _LOWER.upper()
_DIGITS = '0123456789'


class RecorderError(Exception):
    """The recording directory cannot be used."""


def normal_field(name):
    """A field name compared without case, punctuation or the path before its last dot."""
    return re.sub(r'[^a-z0-9]', '', str(name).rsplit('.', 1)[-1].lower())


def is_secret_field(name):
    """Does the field name hold a credential (a password, token, key, ...), whose value is never recorded?"""
    field = normal_field(name)
    return field not in _CURSOR_FIELDS and bool(_SECRET_FIELD.search(field))


def is_personal_field(name, vendor=None):
    """Does the field name hold personal data (names, e-mail, phone, serials, ...) that a recording pseudonymises?"""
    field = normal_field(name)
    if vendor == 'maas360' and field in _MAAS360_ID_FIELDS:
        return True
    return bool(_PERSONAL_FIELD.search(field))


class Pseudonymiser:
    """Same value, same pseudonym (under one key); letters stay letters and digits stay digits."""

    def __init__(self, key):
        self._key = key
        self._lock = threading.Lock()
        self.seen = {}
        # The text pass looks values up by their first characters: its cost grows with the length of the text, not
        # with the number of values seen (tens of thousands in a large listing).
        self._index = {}

    def text(self, value, keep_prefix=None):
        """The stable pseudonym of a personal value (the same value gives the same pseudonym within a recording);
        ``keep_prefix`` keeps a matching prefix as it is."""
        if value.strip().lower() in _NEUTRAL_VALUES or set(value) <= set('*'):
            # Empty values, booleans and masks ("*****": the server hides the value) say nothing about anyone.
            return value
        prefix = ''
        if keep_prefix is not None:
            match = keep_prefix.match(value)
            prefix = match.group(0) if match else ''
        rest = value[len(prefix):]
        # Keyed on the letters and digits alone, case folded: one IMEI, MAC or serial written two ways
        # ("35 664808 754860 4" and 356648087548604, "AA:BB" and "aa-bb") gets one pseudonym, written the same two ways.
        stream = self._stream(''.join(char for char in rest if char.isalnum()).lower())
        chars = [prefix]
        position = 0
        for char in rest:
            if not char.isalnum():
                chars.append(char)
                continue
            pick = stream[position % len(stream)] + position // len(stream)
            if char.isdigit() and position == 0 and char != '0':
                # A leading digit stays non-zero: a number and its text form get the same pseudonym, of as many digits.
                chars.append(_DIGITS[1 + pick % 9])
            elif char.isdigit():
                chars.append(_DIGITS[pick % 10])
            elif char.isupper():
                chars.append(_UPPER[pick % 26])
            else:
                chars.append(_LOWER[pick % 26])
            position += 1
        pseudonym = ''.join(chars)
        if len(value) >= _MIN_TEXT_PASS:
            with self._lock:
                if value not in self.seen:
                    self.seen[value] = pseudonym
                    bucket = self._index.setdefault(value[:_MIN_TEXT_PASS], [])
                    bucket.append(value)
                    bucket.sort(key=len, reverse=True)
        return pseudonym

    def replace_seen(self, text):
        """Every value seen so far, wherever it appears inside text, replaced by its pseudonym (longest first)."""
        if len(text) < _MIN_TEXT_PASS:
            return text
        parts = []
        start = position = 0
        with self._lock:
            while position <= len(text) - _MIN_TEXT_PASS:
                found = None
                for original in self._index.get(text[position:position + _MIN_TEXT_PASS], ()):
                    if text.startswith(original, position):
                        found = original
                        break
                if found is None:
                    position += 1
                    continue
                parts.append(text[start:position])
                parts.append(self.seen[found])
                position = start = position + len(found)
        if not parts:
            return text
        parts.append(text[start:])
        return ''.join(parts)

    def value(self, value, keep_prefix=None):
        """A pseudonym of the same JSON type: a number stays a number of as many digits."""
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return int(self.text(str(value)))
        if isinstance(value, float):
            return value
        return self.text(str(value), keep_prefix)

    def _stream(self, value):
        digest = b''
        counter = 0
        while len(digest) < 64:
            digest += hmac.new(self._key, ('%d:' % counter).encode('utf-8') + value.encode('utf-8'), hashlib.sha256).digest()
            counter += 1
        return bytearray(digest)


def load_key(directory):
    """The recording's pseudonym key: created once (mode 0600), then shared by every process recording there."""
    path = os.path.join(directory, KEY_FILE)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, 'rb') as handle:
            key = handle.read()
        if len(key) < 32:
            raise RecorderError('%s holds no usable key; remove it to start a new recording' % path)
        return key
    key = os.urandom(32)
    with os.fdopen(fd, 'wb') as handle:
        handle.write(key)
    return key


class Recorder:
    """Writes the exchanges of one client to one file of the recording directory."""

    def __init__(self, directory, vendor, base_url):
        self.directory = directory
        self.vendor = vendor
        self._base = urlsplit(base_url)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            self.pseudonyms = Pseudonymiser(load_key(directory))
        except OSError as exc:
            raise RecorderError('cannot record into %s (%s): %s' % (directory, ENV_NAME, exc.strerror or exc))
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
        self.path = os.path.join(directory, '%s-%s-%d-%s.jsonl' % (vendor, stamp, os.getpid(), os.urandom(3).hex()))
        self._lock = threading.Lock()
        self._secrets = set()
        self._options = {}
        self._seq = 0
        self._started = False

    # -- what the adapter tells us -----------------------------------------------------------------------------
    def note_options(self, options):
        """The connection options: secrets are remembered (to be cut), identifying values pseudonymised."""
        for name in SECRET_OPTIONS:
            if options.get(name):
                self._secrets.add(str(options[name]))
        kept = {}
        for name in PLAIN_OPTIONS:
            if options.get(name) not in (None, ''):
                kept[name] = options[name]
        for name in PERSONAL_OPTIONS:
            if options.get(name) not in (None, ''):
                kept[name] = self.pseudonyms.text(str(options[name]).strip())
        if options.get('api_key'):
            kept['auth'] = 'api_key'
        elif options.get('refresh_token'):
            kept['auth'] = 'oauth'
        self._options = kept

    # -- one exchange -------------------------------------------------------------------------------------------
    def record(self, method, url, params, headers, data, json_body, operation, attempt, response, secrets=()):
        """Append one request and its reply; never raises (a recording must not break the run it records)."""
        try:
            self._secrets.update(str(secret) for secret in secrets if secret)
            entry = self.exchange(method, url, params, headers, data, json_body, operation, attempt, response)
            with self._lock:
                self._seq += 1
                entry['seq'] = self._seq
                lines = []
                if not self._started:
                    lines.append(self.header())
                    self._started = True
                lines.append(entry)
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                with os.fdopen(fd, 'a', encoding='utf-8') as handle:
                    for line in lines:
                        handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + '\n')
        except Exception:  # pylint: disable=broad-exception-caught
            # A full disk or a reply we cannot parse loses this exchange from the recording, never the command.
            return

    def header(self):
        """The first line of a recording: its format, the vendor, the collection version and the (secret-free)
        options."""
        return {'format': FORMAT, 'format_version': FORMAT_VERSION, 'vendor': self.vendor,
                'collection_version': COLLECTION_VERSION, 'options': dict(self._options)}

    def exchange(self, method, url, params, headers, data, json_body, operation, attempt, response):
        """The recorded form of one exchange (also used by the tests)."""
        split = urlsplit(url)
        query = list(parse_qsl(split.query, keep_blank_values=True))
        for name, value in (params.items() if isinstance(params, dict) else params or ()):
            for item in (value if isinstance(value, (list, tuple)) else [value]):
                query.append((str(name), '' if item is None else str(item)))
        request = {
            'method': method,
            'path': split.path,
            'server': 'api' if split.netloc == self._base.netloc else 'other',
            'query': [[name, self._field(name, value)] for name, value in query],
            'headers': dict((name, value) for name, value in (headers or {}).items() if name in KEPT_REQUEST_HEADERS),
        }
        request.update(self._request_body(data, json_body, (headers or {}).get('Content-Type')))
        reply_headers = dict((name, response.headers.get(name)) for name in KEPT_REPLY_HEADERS
                             if response.headers.get(name) is not None)
        reply = {'status': response.status, 'headers': reply_headers}
        reply.update(self._body(response.content, response.content_type))
        # The reply first: the values it carries are then known to the text pass over the request.
        entry = {'operation': operation, 'attempt': attempt, 'request': request, 'response': reply}
        return self._final_pass(entry)

    # -- passes -------------------------------------------------------------------------------------------------
    def _field(self, name, value):
        if is_secret_field(name):
            # A flag or an empty value (passwordNeverExpire: false, pin: null) holds no secret.
            return value if value is None or value == '' or isinstance(value, bool) else REDACTED
        if is_personal_field(name, self.vendor):
            if isinstance(value, (dict, list)):
                return self._walk(value)
            if normal_field(name) in ('userid', 'uid') and not isinstance(value, str):
                # A numeric account number (ManageEngine user_id) is the server's, not the person's.
                return value
            keep = _MAAS360_ID_PREFIX if self.vendor == 'maas360' else None
            return self.pseudonyms.value(value, keep)
        if isinstance(value, (dict, list)):
            return self._walk(value)
        if isinstance(value, str) and normal_field(name) in ('query', 'fq', 'q', 'filter', 'search'):
            return self._query_terms(value)
        return value

    def _walk(self, data):
        if isinstance(data, dict):
            return dict((key, self._field(key, value)) for key, value in data.items())
        if isinstance(data, list):
            return [self._walk(item) for item in data]
        return data

    def _query_terms(self, text):
        def term(match):
            if is_secret_field(match.group(2)):
                value = REDACTED
            elif is_personal_field(match.group(2), self.vendor):
                value = self.pseudonyms.text(match.group(5))
            else:
                return match.group(0)
            return '%s%s%s%s%s%s%s' % (match.group(1), match.group(2), match.group(1), match.group(3), match.group(4), value,
                                       match.group(4))
        return _QUERY_TERM.sub(term, text)

    def _xml(self, text):
        text = _AUTH_REQUEST.sub(lambda m: '<%s>%s</%s>' % (m.group(1), REDACTED, m.group(1)), text)

        def element(match):
            name, value = match.group(1), match.group(2)
            if value == REDACTED:
                return match.group(0)
            return '<%s>%s</%s>' % (name, self._field(name, value), name)
        return _XML_ELEMENT.sub(element, text)

    def _form(self, pairs):
        return urlencode([(name, self._field(name, value)) for name, value in pairs])

    def _request_body(self, data, json_body, content_type):
        if json_body is not None:
            return {'json': self._walk(json_body)}
        if data is None or data == b'' or data == '':
            return {}
        if isinstance(data, dict):
            return {'form': [[name, self._field(name, str(value))] for name, value in data.items()]}
        if isinstance(data, (list, tuple)):
            return {'form': [[name, self._field(name, str(value))] for name, value in data]}
        return self._body(data if isinstance(data, bytes) else str(data).encode('utf-8'), (content_type or '').lower())

    def _body(self, content, content_type):
        if not content:
            return {}
        text = content.decode('utf-8', errors='replace')
        stripped = text.lstrip()
        if 'json' in content_type or stripped[:1] in ('{', '['):
            try:
                return {'json': self._walk(json.loads(text))}
            except ValueError:
                pass
        if 'xml' in content_type or stripped[:1] == '<':
            return {'text': self._xml(text)}
        if 'x-www-form-urlencoded' in content_type:
            return {'text': self._form(parse_qsl(text, keep_blank_values=True))}
        return {'text': text}

    def _final_pass(self, data):
        """Cut every known secret from every string, and put the pseudonym in place of every personal value seen."""
        secrets = sorted((s for s in self._secrets if len(s) >= 4), key=len, reverse=True)

        def scrub(value):
            if isinstance(value, dict):
                return dict((key, scrub(item)) for key, item in value.items())
            if isinstance(value, list):
                return [scrub(item) for item in value]
            if not isinstance(value, str):
                return value
            for secret in secrets:
                if secret in value:
                    value = value.replace(secret, REDACTED)
            return self.pseudonyms.replace_seen(value)
        return scrub(data)


def recorder_from_env(vendor, base_url, environ=None):
    """A Recorder when MDM_RECORD_DIR is set, else None."""
    directory = (environ if environ is not None else os.environ).get(ENV_NAME)
    if not directory:
        return None
    return Recorder(os.path.abspath(os.path.expanduser(directory)), vendor, base_url)
