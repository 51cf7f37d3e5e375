# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SendControl outside the main thread: no signal handler (Python refuses one there), no failure."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import signal
import threading

from ansible_collections.fleetops.mdm.plugins.module_utils.send_control import SendControl


def test_send_control_in_a_worker_thread_sets_no_handler_and_does_not_fail():
    before = signal.getsignal(signal.SIGTERM)
    errors = []

    def work():
        try:
            with SendControl() as control:
                assert not control.stop.is_set()
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)
    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert errors == []
    assert signal.getsignal(signal.SIGTERM) is before


def test_send_control_in_the_main_thread_sets_and_restores_its_handler():
    before = signal.getsignal(signal.SIGTERM)
    with SendControl():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
