# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit tests (the fakes themselves are in plugins/modules/fakes.py, importable by tests)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.fleetops.mdm.tests.unit.plugins.modules.fakes import run_main


@pytest.fixture
def module_main(monkeypatch, capsys):
    """``module_main(mdm_label, args, check_mode=False)``: the module's main() in-process against a session that
    answers nothing; returns a MainResult (result, msg, requests attempted)."""
    def run(module, args, check_mode=False):
        return run_main(module, args, monkeypatch, capsys, check_mode=check_mode)
    return run
