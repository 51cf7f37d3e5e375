# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the user modules share: which adapters manage users, and the checks made before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError, NotSupportedError


def user_adapter(adapter, what='managing users', search_only=False):
    """The adapter itself when its vendor documents user calls (a users mixin); NotSupportedError before any request otherwise.

    ``search_only``: listing and finding users is enough (mdm_user_info)."""
    if not getattr(adapter, 'supports_user_search' if search_only else 'supports_users', False):
        raise NotSupportedError('%s (no documented call for it)' % what, adapter.name)
    return adapter


def check_uid(uid, option='uid'):
    text = str(uid).strip() if uid is not None else ''
    if not text:
        raise InvalidInputError('a user id must not be empty', option=option)
    return text
