"""The simulated fleet's clock: last-seen times relative to the simulator's start, deterministic for a seed."""

import time

from mdmsim import fleet
from mdmsim.fleet import Fleet

DAY = 86400


def untimed(devices):
    return [dict((key, value) for key, value in device.items() if key not in ('last_seen', 'enrolled')) for device in devices]


def test_last_seen_is_relative_to_the_start_and_the_same_for_a_seed():
    first = Fleet(300, 42, now=1_800_000_000)
    later = Fleet(300, 42, now=1_800_000_000 + 12345)
    assert [later_device['last_seen'] - device['last_seen'] for device, later_device in zip(first.devices, later.devices)] \
        == [12345] * 300
    assert [later_device['enrolled'] - device['enrolled'] for device, later_device in zip(first.devices, later.devices)] \
        == [12345] * 300
    # Only the times move: every other field of every device is the seed's.
    assert untimed(first.devices) == untimed(later.devices)


def test_a_fleet_without_a_time_is_seen_before_the_simulator_started():
    now = time.time()
    assert abs(fleet.REFERENCE_TIME - now) < 3600  # the module's import, in this test run
    devices = Fleet(200, 7).devices
    assert all(device['last_seen'] <= fleet.REFERENCE_TIME for device in devices)
    assert all(device['enrolled'] <= device['last_seen'] for device in devices)


def test_last_seen_spreads_like_a_real_fleet():
    """Most devices seen within a day, some within the week or month, a tail beyond 90 days (stale), none later
    than 240 days: every bucket of the fleet report's default ages holds devices."""
    now = 1_800_000_000
    ages = [(now - device['last_seen']) / float(DAY) for device in Fleet(5000, 42, now=now).devices]

    def share(low, high):
        return sum(1 for age in ages if low <= age < high) / float(len(ages))

    assert 0.55 < share(0, 1) < 0.70
    assert 0.13 < share(1, 7) < 0.23
    assert 0.06 < share(7, 30) < 0.14
    assert 0.03 < share(30, 90) < 0.09
    assert 0.02 < share(90, 241) < 0.07
    assert min(ages) >= 0 and max(ages) <= 240
