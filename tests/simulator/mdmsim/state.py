"""Shared simulator state: credentials, issued tokens, request log, action ledger, faults and per-vendor fleets.

Nothing here names a vendor: what differs per vendor (token lifetimes, reply forms, credential field names) is
registered by each dialect (register()), through the registry in mdmsim.dialects.
"""

import hashlib
import random
import re
import threading
import time

from mdmsim.fleet import Fleet

REDACTED = '<redacted>'
FAULT_KINDS = ('429', '500', '502', '503', '504', 'reset', 'reset_after', 'malformed', 'html', 'stall', 'error_body')
# Hostile replies, both bounded: 'drip' sends the real reply's headers, then its body a byte a second (at most
# DRIP_MAX_BYTES bytes that way, then the rest at once); 'huge' answers 200 with a chunked body of HUGE_BYTES that
# the client must stop reading by itself.  Neither comes from a vendor document: they are what a broken proxy or a
# hostile server on the path can do (issue findings: 101 s with timeout 3; 100 MB read whole).
FAULT_KINDS += ('drip', 'huge')
DRIP_INTERVAL = 1.0
DRIP_MAX_BYTES = 120
HUGE_BYTES = 100 * 1024 * 1024
FAULT_KEYS = ('latency_ms', 'rate', 'kinds', 'methods', 'path_regex', 'skip_auth', 'count', 'expire_tokens_after', 'retry_after',
              'stall_ms')


def derive_secret(seed, name):
    """A distinctive, greppable secret derived from the run seed."""
    return 'sim-' + hashlib.sha256(('%s:%s' % (seed, name)).encode()).hexdigest()[:24]


class FaultSpec:
    """Faults for one vendor, as set through the admin API."""

    def __init__(self, spec):
        unknown = set(spec) - set(FAULT_KEYS)
        if unknown:
            raise ValueError('unknown fault keys: %s' % ', '.join(sorted(unknown)))
        self.latency_ms = float(spec.get('latency_ms') or 0)
        self.rate = float(spec.get('rate') or 0)
        if not 0 <= self.rate <= 1:
            raise ValueError('rate must be between 0 and 1')
        self.kinds = list(spec.get('kinds') or ['500'])
        bad = [kind for kind in self.kinds if kind not in FAULT_KINDS]
        if bad:
            raise ValueError('unknown fault kinds: %s' % ', '.join(bad))
        self.methods = [method.upper() for method in spec['methods']] if spec.get('methods') else None
        self.path_regex = re.compile(spec['path_regex']) if spec.get('path_regex') else None
        self.skip_auth = spec.get('skip_auth', True)
        self.count = spec.get('count')
        self.expire_tokens_after = spec.get('expire_tokens_after')
        self.retry_after = spec.get('retry_after', 1)
        # 'stall': the server waits this long, then handles the request as usual (a client timeout after sending).
        self.stall_ms = float(spec.get('stall_ms') or 3000)

    def applies(self, method, path, is_auth):
        if self.rate <= 0 or (self.count is not None and self.count <= 0):
            return False
        if self.methods is not None and method not in self.methods:
            return False
        if self.path_regex is not None and not self.path_regex.search(path):
            return False
        return not (self.skip_auth and is_auth)


LISTING_FAULT_KEYS = ('page_cap', 'total_offset', 'churn', 'repeat')
# What a vendor's listing faults apply to: its device listings, or its user listings (MaaS360 user search, MobileIron
# Cloud "Get All Accounts"), each set apart.
LISTING_TARGETS = ('devices', 'users')


def listing_key(vendor, target='devices'):
    """The key of a vendor's listing faults: the vendor for its devices (as before), "<vendor>:<target>" else."""
    return vendor if target == 'devices' else '%s:%s' % (vendor, target)


CHURN_KEYS = ('remove', 'enrol', 'budget', 'balanced', 'front')


class ListingFaults:
    """Listing faults for one vendor, as real servers show them (NOTES.md, "What real servers send"):

    page_cap: a listing page holds at most this many rows whatever was asked (a recorded MaaS360 search answered
      pageSize 25 when more was asked); the dialect's reply says the capped size where the vendor echoes one.
    total_offset: the total a listing reply reports is off by this many (the rows are all there).
    churn: {'remove': r, 'enrol': e, 'budget': b} - before each device-listing page is answered, up to r random
      devices are removed and up to e enrolled (seeded), until b devices were changed in all: offsets shift.
      With 'balanced': true, each burst enrols exactly as many devices as it removes, so the total never changes
      (the blind spot of totals); with 'front': f, the removed devices are drawn from the first f of the listing
      order, before the paging cursor of any page after the first when f is at most the page size.
    repeat: this many listing pages after the first are answered one row early, so that the previous page's last
      id comes again (an order that is not stable between requests).
    """

    def __init__(self, spec):
        unknown = set(spec) - set(LISTING_FAULT_KEYS)
        if unknown:
            raise ValueError('unknown listing fault keys: %s' % ', '.join(sorted(unknown)))
        self.page_cap = int(spec['page_cap']) if spec.get('page_cap') is not None else None
        if self.page_cap is not None and self.page_cap < 1:
            raise ValueError('page_cap must be 1 or more')
        self.total_offset = int(spec.get('total_offset') or 0)
        churn = dict(spec.get('churn') or {})
        unknown = set(churn) - set(CHURN_KEYS)
        if unknown:
            raise ValueError('unknown churn keys: %s' % ', '.join(sorted(unknown)))
        self.remove = int(churn.get('remove') or 0)
        self.enrol = int(churn.get('enrol') or 0)
        self.budget = int(churn.get('budget') or 0) if churn else 0
        self.balanced = bool(churn.get('balanced'))
        self.front = int(churn.get('front') or 0)
        self.repeat = int(spec.get('repeat') or 0)
        if min(self.remove, self.enrol, self.budget, self.repeat, self.front) < 0:
            raise ValueError('listing fault counts must not be negative')
        self.removed = []
        self.enrolled = []


class Entry:
    """One device of one vendor: the logical device and its record in the vendor's own shape."""

    __slots__ = ('logical', 'record')

    def __init__(self, logical, record):
        self.logical = logical
        self.record = record


class SimState:
    """Everything the vendor servers and the admin server share; one lock guards it."""

    def __init__(self, devices, seed, latency_ms=0, token_ttl=None):
        self.lock = threading.RLock()
        self.seed = seed
        self.latency_ms = latency_ms
        # Token lifetimes per vendor, as each dialect registers its own (a run may set one lifetime for all).
        self.token_ttl_override = token_ttl
        self.token_ttl = {}
        # Reply forms a run can switch on per vendor (admin PUT /reply_form): answers real servers give that differ from
        # the references' examples (NOTES.md, "What real servers send"), as each dialect registers them.
        self.reply_form_names = {}
        # Field names whose values are credentials wherever they appear (query strings, form bodies, JSON, XML).
        self.secret_fields = []
        self.fleet = Fleet(devices, seed)
        self.secrets = {}
        self.log = []
        self.ledger = []
        self.seq = 0
        self.ledger_seq = 0
        self.faults = {}
        self.fault_rng = {}
        self.expire_countdown = {}
        self.tokens = {}
        self.issued = []
        # Zoho's cap on access tokens per refresh token, when a test switches it on (admin PUT /tokens/limit):
        # (count, window in seconds) and the times of the grants inside the window.
        self.grant_limit = None
        self.grants = []
        self.token_rng = random.Random('tokens-%s' % seed)
        self.churn_rng = random.Random('churn-%s' % seed)
        # Server-side privacy settings per vendor ({'mask_user_fields': True}), set through the admin API.
        self.privacy = {}
        self.fleets = {}
        self.reply_forms = {}
        self.listing_faults = {}
        self.listing_rng = {}

    # -- what each dialect registers ------------------------------------------------------------------------------
    def register(self, vendor, token_ttl=None, reply_forms=(), secret_fields=()):
        """What differs per vendor, from its dialect: the lifetime of its tokens, its reply forms, its credential fields."""
        with self.lock:
            if token_ttl is not None:
                self.token_ttl[vendor] = self.token_ttl_override or token_ttl
            if reply_forms:
                self.reply_form_names[vendor] = tuple(reply_forms)
            self.secret_fields.extend(field for field in secret_fields if field not in self.secret_fields)

    def secret(self, name):
        """The secret ``name`` of this run: distinctive, derived from the seed, redacted wherever it appears."""
        with self.lock:
            if name not in self.secrets:
                self.secrets[name] = derive_secret(self.seed, name)
            return self.secrets[name]

    # -- tokens -------------------------------------------------------------------------------------------------
    def set_grant_limit(self, count, window_s):
        with self.lock:
            self.grant_limit = (int(count), float(window_s)) if count is not None else None
            self.grants = []

    def grant_allowed(self):
        """Count a Zoho token grant against the limit; False once the window holds ``count`` grants already."""
        with self.lock:
            if self.grant_limit is None:
                return True
            count, window = self.grant_limit
            now = time.monotonic()
            self.grants = [when for when in self.grants if now - when < window]
            if len(self.grants) >= count:
                return False
            self.grants.append(now)
            return True

    def issue_token(self, vendor, token):
        with self.lock:
            self.tokens[token] = {'vendor': vendor, 'expires': time.monotonic() + self.token_ttl[vendor]}
            self.issued.append(token)
        return token

    def token_valid(self, vendor, token):
        with self.lock:
            info = self.tokens.get(token)
            return bool(info) and info['vendor'] == vendor and info['expires'] > time.monotonic()

    def expire_tokens(self, vendor=None):
        with self.lock:
            expired = 0
            for info in self.tokens.values():
                if vendor in (None, info['vendor']) and info['expires'] > 0:
                    info['expires'] = 0
                    expired += 1
            return expired

    def all_secrets(self):
        with self.lock:
            return list(self.secrets.values()) + list(self.issued)

    # -- faults -------------------------------------------------------------------------------------------------
    def set_faults(self, vendor, spec):
        parsed = FaultSpec(spec)
        with self.lock:
            self.faults[vendor] = parsed
            # Re-seeded on every set_faults(): the same test draws the same faults whatever ran before it.
            self.fault_rng[vendor] = random.Random('faults-%s-%s' % (self.seed, vendor))
            self.expire_countdown[vendor] = parsed.expire_tokens_after

    def clear_faults(self):
        with self.lock:
            self.faults.clear()
            self.expire_countdown.clear()
            self.grant_limit = None
            self.grants = []
            self.listing_faults.clear()

    # -- listing faults (generic: every dialect's listings call listing_churn() and listing_page()) ---------------
    def set_listing_faults(self, vendor, spec, seed=None):
        parsed = ListingFaults(spec)
        with self.lock:
            self.listing_faults[vendor] = parsed
            # Seeded per call: the same test (or property-test seed) draws the same churn whatever ran before it.
            self.listing_rng[vendor] = random.Random('listing-%s-%s-%s' % (self.seed, vendor, seed))

    def listing_fault_status(self, vendor):
        with self.lock:
            faults = self.listing_faults.get(vendor)
            if faults is None:
                return {}
            return {'page_cap': faults.page_cap, 'total_offset': faults.total_offset, 'repeat_left': faults.repeat,
                    'churn_left': faults.budget, 'removed': list(faults.removed), 'enrolled': list(faults.enrolled)}

    def listing_churn(self, vendor, render, id_of):
        """Before a device-listing page is answered: remove and enrol devices while the churn budget lasts."""
        with self.lock:
            entries = self.fleets[vendor]

            def remove_at(index):
                return id_of(entries.pop(index).record)

            def enrol():
                logical = self.fleet.new_device()
                entries.append(Entry(logical, render(logical)))
                return id_of(entries[-1].record)
            self.listing_churn_rows(vendor, lambda: len(entries), remove_at, enrol)

    def listing_churn_rows(self, key, count, remove_at, enrol):
        """Churn of any listing (``key``: the vendor for its devices, "<vendor>:users" for its users) while the budget
        lasts: ``count()`` rows in the listing order, ``remove_at(index)`` removes one and returns its id, ``enrol()``
        adds one at the end of the order and returns its id."""
        with self.lock:
            faults = self.listing_faults.get(key)
            if faults is None or faults.budget <= 0:
                return
            rng = self.listing_rng[key]
            removals = min(rng.randint(0, faults.remove), faults.budget, count())
            if faults.balanced:
                # Exactly ``remove`` a burst, and as many enrolled: the total stays what it was.
                removals = min(faults.remove, faults.budget // 2, count())
            for _unused in range(removals):
                span = min(faults.front, count()) if faults.front else count()
                faults.removed.append(remove_at(rng.randrange(span)))
                faults.budget -= 1
            enrolments = removals if faults.balanced else min(rng.randint(0, faults.enrol), faults.budget)
            for _unused in range(enrolments):
                faults.enrolled.append(enrol())
                faults.budget -= 1

    def listing_page(self, vendor, records, size, start=None, page_number=None):
        """One page of a listing under the vendor's listing faults: (rows, reported total, page size used).

        ``start`` is the index of the first row (offset paging) or ``page_number`` counts pages of the size used.
        """
        with self.lock:
            faults = self.listing_faults.get(vendor)
            used = min(size, faults.page_cap) if faults is not None and faults.page_cap else size
            if page_number is not None:
                start = (page_number - 1) * used
            total = len(records)
            if faults is not None:
                if faults.repeat > 0 and start > 0:
                    faults.repeat -= 1
                    start -= 1
                total = max(0, total + faults.total_offset)
            return records[start:start + used], total, used

    def pick_fault(self, vendor, method, path, is_auth):
        """Decide (once, under the lock) whether this request gets a fault, and which."""
        with self.lock:
            spec = self.faults.get(vendor)
            if spec is None:
                return None, 0.0, None
            if not spec.applies(method, path, is_auth):
                return None, spec.latency_ms, spec.retry_after
            rng = self.fault_rng[vendor]
            if rng.random() >= spec.rate:
                return None, spec.latency_ms, spec.retry_after
            if spec.count is not None:
                spec.count -= 1
            kind = rng.choice(spec.kinds)
            latency = spec.latency_ms + (spec.stall_ms if kind == 'stall' else 0)
            return kind, latency, spec.retry_after

    def note_authenticated(self, vendor):
        """Count an authenticated request for expire_tokens_after; expire every token of the vendor once at zero."""
        with self.lock:
            remaining = self.expire_countdown.get(vendor)
            if remaining is None:
                return
            remaining -= 1
            if remaining <= 0:
                self.expire_countdown[vendor] = None
                self.expire_tokens(vendor)
            else:
                self.expire_countdown[vendor] = remaining

    # -- reply forms --------------------------------------------------------------------------------------------
    def set_reply_form(self, vendor, form):
        """Answer in ``form`` from now on (None: the references' form)."""
        forms = self.reply_form_names
        if vendor not in forms:
            raise ValueError('no reply forms for vendor %s; vendors: %s' % (vendor, ', '.join(sorted(forms))))
        if form is not None and form not in forms[vendor]:
            raise ValueError('unknown reply form %s for %s; forms: %s' % (form, vendor, ', '.join(forms[vendor])))
        with self.lock:
            if form is None:
                self.reply_forms.pop(vendor, None)
            else:
                self.reply_forms[vendor] = form

    def reply_form(self, vendor):
        with self.lock:
            return self.reply_forms.get(vendor)

    # -- log and ledger -----------------------------------------------------------------------------------------
    def redact_text(self, text):
        if not text:
            return text
        for secret in self.all_secrets():
            if secret and secret in text:
                text = text.replace(secret, REDACTED)
        for field in self.secret_fields:
            text = re.sub(r'(<%s>)[^<]*(</%s>)' % (field, field), r'\1%s\2' % REDACTED, text)
            text = re.sub(r'("%s"\s*:\s*")[^"]*(")' % field, r'\1%s\2' % REDACTED, text)
            text = re.sub(r'((?:^|[&?])%s=)[^&]*' % field, r'\1%s' % REDACTED, text)
        return text

    def append_log(self, entry):
        with self.lock:
            self.seq += 1
            entry['seq'] = self.seq
            self.log.append(entry)
            return entry

    def record_action(self, vendor, action, device_id, **details):
        """For dialects: append one applied write command to the action ledger."""
        with self.lock:
            self.ledger_seq += 1
            item = {'seq': self.ledger_seq, 'ts': time.time(), 'vendor': vendor, 'action': action, 'device_id': device_id}
            item.update(details)
            self.ledger.append(item)
            return item

    # -- fleet --------------------------------------------------------------------------------------------------
    def entries(self, vendor):
        with self.lock:
            return list(self.fleets.get(vendor, ()))

    def add_devices(self, vendor, render, count):
        with self.lock:
            for _unused in range(count):
                logical = self.fleet.new_device()
                self.fleets[vendor].append(Entry(logical, render(logical)))

    def remove_devices(self, vendor, count):
        with self.lock:
            entries = self.fleets[vendor]
            for _unused in range(min(count, len(entries))):
                entries.pop(self.churn_rng.randrange(len(entries)))
