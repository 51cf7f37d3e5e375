# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A private file replaced atomically: the one way the collection writes state on the controller (the command
journal, the Event-Driven Ansible source's state file).  Both name users and devices, and both are read without a
lock, so a reader must see the old file or the new one, never a part of one, and nobody but the owner may read it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import os
import tempfile


def write_private_atomic(path, text):
    """Write ``text`` to ``path`` through a temporary file in the same folder (mode 0600 before any byte is written,
    fsync, then rename over ``path``); the temporary file is removed when anything fails."""
    folder = os.path.dirname(path) or '.'
    descriptor, temporary = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp', dir=folder)
    try:
        os.fchmod(descriptor, 0o600)
        with io.open(descriptor, 'w', encoding='utf-8') as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.rename(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
