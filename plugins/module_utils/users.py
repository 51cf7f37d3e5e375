# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the user modules share: the checks made before any request (which vendors manage users: vendors/registry.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError


def check_uid(uid, option='uid'):
    """A user id, stripped; InvalidInputError naming ``option`` when it is empty."""
    text = str(uid).strip() if uid is not None else ''
    if not text:
        raise InvalidInputError('a user id must not be empty', option=option)
    return text
