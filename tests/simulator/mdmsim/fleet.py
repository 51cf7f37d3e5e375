"""A deterministic, vendor-neutral fleet of devices and users.

The same logical devices are rendered into each vendor's record shape by the dialects.
Everything derives from the seed, and times from the simulator's start (REFERENCE_TIME): two runs with the same
seed agree on every device and on how long ago each was last seen, and a report run today shows a fleet seen
recently, with the long tail real fleets have, instead of one last seen months ago.
"""

import bisect
import random
import time
import uuid

# The simulator's start, whole seconds: "last seen" and enrolment times lie before it, certificate expiries after it.
REFERENCE_TIME = int(time.time())

# How long ago devices were last seen: (share of the fleet, up to this many days ago), cumulative shares. Most
# devices check in several times a day; some are off for a weekend or a holiday; a few are lost, broken or in a
# drawer. The buckets straddle the fleet report's default ages (1, 7, 30, 90 days) so that each of them shows.
LAST_SEEN_SPREAD = ((0.62, 1), (0.80, 7), (0.90, 30), (0.96, 90), (1.0, 240))
SPREAD_DRAW = 90 * 86400

PLATFORM_WEIGHTS = (('ios', 45), ('android', 40), ('windows', 8), ('macos', 5), ('other', 2))
OS_VERSIONS = {
    'ios': ('16.7.10', '17.6.1', '17.7', '18.1', '18.3.2', '18.5'),
    'android': ('11', '12', '13', '14', '15'),
    'windows': ('10.0.19045', '10.0.22631', '10.0.26100'),
    'macos': ('13.7.1', '14.6.1', '15.2', '15.5'),
    'other': ('1.0',),
}
# (manufacturer, model, device type, friendly model name)
MODELS = {
    'ios': (('Apple', 'iPhone14,5', 'Smartphone', 'iPhone'), ('Apple', 'iPhone15,2', 'Smartphone', 'iPhone'),
            ('Apple', 'iPhone16,1', 'Smartphone', 'iPhone'), ('Apple', 'iPhone17,3', 'Smartphone', 'iPhone'),
            ('Apple', 'iPad13,18', 'Tablet', 'iPad')),
    'android': (('samsung', 'SM-G991B', 'Smartphone', 'Galaxy S21'), ('samsung', 'SM-S918B', 'Smartphone', 'Galaxy S23 Ultra'),
                ('Google', 'Pixel 8', 'Smartphone', 'Pixel'), ('motorola', 'moto g54 5G', 'Smartphone', 'moto'),
                ('Zebra Technologies', 'TC52', 'Smartphone', 'TC52'), ('samsung', 'SM-X200', 'Tablet', 'Galaxy Tab')),
    'windows': (('Dell Inc.', 'Latitude 7440', 'Laptop', 'Latitude'), ('LENOVO', '21HD003GGE', 'Laptop', 'ThinkPad'),
                ('HP', 'HP EliteDesk 800 G6', 'Desktop', 'EliteDesk')),
    'macos': (('Apple', 'MacBookPro18,3', 'Laptop', 'MacBook Pro'), ('Apple', 'Mac14,2', 'Laptop', 'MacBook Air')),
    'other': (('Generic', 'Android TV Box', 'Tv', 'TV'),),
}
OWNERSHIP_WEIGHTS = (('company', 60), ('employee', 30), ('unknown', 10))
STATUS_WEIGHTS = (('active', 85), ('pending', 5), ('retired', 6), ('wiped', 4))
LABELS = ('Sales', 'Engineering', 'Field Ops', 'Executives', 'BYOD', 'Kiosk', 'EMEA', 'Pilot Ring')
# (display first name, ascii form for user names and e-mail)
FIRST_NAMES = (('Anna', 'anna'), ('Ben', 'ben'), ('Chloé', 'chloe'), ('David', 'david'), ('Emma', 'emma'), ('Farid', 'farid'),
               ('Grace', 'grace'), ('Hiro', 'hiro'), ('Isabel', 'isabel'), ('José', 'jose'), ('Kai', 'kai'), ('Łukasz', 'lukasz'),
               ('Mia', 'mia'), ('Noah', 'noah'), ('Olivia', 'olivia'), ('Priya', 'priya'), ('Quentin', 'quentin'), ('Rosa', 'rosa'),
               ('Søren', 'soren'), ('Tom', 'tom'), ('Uma', 'uma'), ('Victor', 'victor'), ('Wei', 'wei'), ('Zoë', 'zoe'),
               ('美咲', 'misaki'), ('Ахмед', 'akhmed'))
LAST_NAMES = (('Müller', 'mueller'), ('Smith', 'smith'), ('García', 'garcia'), ('Nguyen', 'nguyen'), ('Kowalski', 'kowalski'),
              ('O\'Brien', 'obrien'), ('Rossi', 'rossi'), ('Tanaka', 'tanaka'), ('Johansson', 'johansson'), ('Dubois', 'dubois'),
              ('Patel', 'patel'), ('Schmidt', 'schmidt'), ('Silva', 'silva'), ('Novák', 'novak'), ('Okafor', 'okafor'))
# Realistic user data that a template engine must never evaluate.
TEMPLATE_NAMES = ("{{ lookup('env', 'HOME') }}", "Mia's {{phone}}", 'test {{ 7*7 }} device', '{% raw %}kiosk{{')
EMAIL_DOMAIN = 'example.com'
BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'


def _weighted(rng, table):
    total = sum(weight for _name, weight in table)
    pick = rng.random() * total
    for value, weight in table:
        pick -= weight
        if pick < 0:
            return value
    return table[-1][0]


def _base36(number, width):
    chars = []
    for _unused in range(width):
        number, rest = divmod(number, 36)
        chars.append(BASE36[rest])
    return ''.join(reversed(chars))


def _luhn_complete(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return digits + str((10 - total % 10) % 10)


def _seen_ago(draw):
    """Seconds since a device was last seen, from one uniform draw in [0, SPREAD_DRAW] (the draw the fleet always
    took, so that every other field of every device stays what it was for its seed)."""
    fraction = draw / float(SPREAD_DRAW)
    shares = [share for share, _days in LAST_SEEN_SPREAD]
    index = min(bisect.bisect_left(shares, fraction), len(shares) - 1)
    low_share, low_days = (0.0, 0) if index == 0 else LAST_SEEN_SPREAD[index - 1]
    share, days = LAST_SEEN_SPREAD[index]
    within = (fraction - low_share) / (share - low_share)
    return int(round((low_days + within * (days - low_days)) * 86400))


class Fleet:
    """Generates users and logical devices; more can be generated later (add_devices) without disturbing the first ones."""

    def __init__(self, devices, seed, now=None):
        self.seed = seed
        self.now = int(REFERENCE_TIME if now is None else now)
        self.rng = random.Random('fleet-%s' % seed)
        self.users = [self._user(index) for index in range(max(1, devices // 3))]
        self.next_index = 0
        self.names = []
        self.devices = [self.new_device() for _unused in range(devices)]

    def _user(self, index):
        first, first_ascii = self.rng.choice(FIRST_NAMES)
        last, last_ascii = self.rng.choice(LAST_NAMES)
        username = '%s.%s%d' % (first_ascii, last_ascii, index)
        return {'index': index, 'username': username, 'email': '%s@%s' % (username, EMAIL_DOMAIN),
                'display_name': '%s %s' % (first, last), 'first_name': first, 'last_name': last}

    def _unique(self, index, salt, modulus):
        # A multiplicative hash by a prime coprime with the modulus is a bijection: unique values for unique indexes.
        return (index * 2654435761 + self.seed * 7919 + salt) % modulus

    def new_device(self):
        """One more logical device, deterministic for (seed, position)."""
        rng = self.rng
        index = self.next_index
        self.next_index += 1
        platform = _weighted(rng, PLATFORM_WEIGHTS)
        manufacturer, model, device_type, friendly = rng.choice(MODELS[platform])
        user = rng.choice(self.users)
        last_seen = self.now - _seen_ago(rng.randint(0, SPREAD_DRAW))
        serial = _base36(self._unique(index, 11, 36 ** 11), 11)
        serial = ('F' if manufacturer == 'Apple' else 'R') + serial
        imei = None
        if device_type == 'Smartphone' and platform in ('ios', 'android'):
            imei = _luhn_complete('35%012d' % self._unique(index, 17, 10 ** 12))
        if platform == 'ios':
            udid = '00008%03d-%016X' % (rng.randint(0, 150), rng.getrandbits(64))
        elif platform == 'android':
            udid = '%016x' % rng.getrandbits(64)
        else:
            udid = str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
        name = self._name(rng, index, platform, user, model, friendly)
        self.names.append(name)
        return {
            'index': index, 'name': name, 'platform': platform, 'os_version': rng.choice(OS_VERSIONS[platform]),
            'manufacturer': manufacturer, 'model': model, 'device_type': device_type,
            'ownership': _weighted(rng, OWNERSHIP_WEIGHTS), 'status': _weighted(rng, STATUS_WEIGHTS),
            'compliant': rng.random() < 0.88, 'user': user,
            'labels': sorted(rng.sample(LABELS, rng.choice((0, 1, 1, 2, 2, 3)))),
            'last_seen': last_seen, 'enrolled': last_seen - rng.randint(0, 700 * 86400),
            'serial': serial, 'imei': imei, 'udid': udid,
            'wifi_mac': ':'.join('%02x' % rng.getrandbits(8) for _unused in range(6)),
            'phone': ('+1555%07d' % rng.randint(0, 9999999)) if imei else '',
            'ids': {
                'maas360': self._maas360_id(index, platform, serial, udid),
                'manageengine': 1500000000000 + index * 101 + self.seed % 100,
                'core_uuid': str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                'core_id': 100 + index,
                'cloud': 6150000 + index * 3 + self.seed % 3,
            },
        }

    def _maas360_id(self, index, platform, serial, udid):
        # Shapes seen in public examples: "ApplD8DTH6RCIH86" (IBM resilient fn_maas360 docs), "Androidc60775214".
        if platform in ('ios', 'macos'):
            return 'Appl' + serial
        if platform == 'android':
            return 'Androidc%010d' % (1000000000 + self._unique(index, 5, 9000000000))
        return 'Win' + udid.replace('-', '')[:16] if platform == 'windows' else 'Othr%010d' % self._unique(index, 3, 10 ** 10)

    def _name(self, rng, index, platform, user, model, friendly):
        roll = rng.random()
        if self.names and roll < 0.02:
            # Duplicate names happen in real fleets.
            return rng.choice(self.names)
        if roll < 0.045:
            return rng.choice(TEMPLATE_NAMES)
        if platform == 'windows':
            return 'LT-%s-%04d' % (user['last_name'][:3].upper(), index % 10000)
        if roll < 0.5:
            return "%s's %s" % (user['first_name'], friendly)
        return '%s_%s' % (user['username'].split('.')[0], model)
