# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one atomic, private file write the journal and the Event-Driven Ansible source's state share."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest

from ansible_collections.fleetops.mdm.plugins.module_utils import private_file


def test_replaces_the_file_with_mode_0600_and_leaves_no_temporary(tmp_path):
    target = tmp_path / 'state.json'
    target.write_text('old')
    os.chmod(str(target), 0o644)
    private_file.write_private_atomic(str(target), u'{"user": "j\u00fcrgen"}')
    assert target.read_text(encoding='utf-8') == u'{"user": "j\u00fcrgen"}'
    assert stat.S_IMODE(os.stat(str(target)).st_mode) == 0o600
    assert sorted(os.listdir(str(tmp_path))) == ['state.json']


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / 'journal.json'
    target.write_text('old')

    def broken_fsync(_descriptor):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(private_file.os, 'fsync', broken_fsync)
    with pytest.raises(OSError):
        private_file.write_private_atomic(str(target), 'new')
    assert target.read_text() == 'old'
    assert sorted(os.listdir(str(tmp_path))) == ['journal.json']
