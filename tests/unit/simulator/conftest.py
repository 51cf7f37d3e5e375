"""Tests of the simulator itself: make tests/simulator importable and share one small running simulator."""

import os
import sys

import pytest

SIMULATOR_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'simulator'))
if SIMULATOR_ROOT not in sys.path:
    sys.path.insert(0, SIMULATOR_ROOT)

from mdmsim.control import Simulator  # noqa: E402  pylint: disable=wrong-import-position

DEVICES = 263


@pytest.fixture(scope='session')
def sim():
    simulator = Simulator(devices=DEVICES, seed=5)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture(autouse=True)
def no_faults(request):
    if 'sim' in request.fixturenames:
        simulator = request.getfixturevalue('sim')
        simulator.clear_faults()
        yield
        simulator.clear_faults()
    else:
        yield
