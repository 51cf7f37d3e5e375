# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection version, sent in the User-Agent; kept equal to galaxy.yml by a unit test."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

COLLECTION_VERSION = '0.1.0'
