# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine MDM (cloud and on-premises: one session, two login flavours): session.py (authentication, calls, the
device listing), one module per capability, vendor.py (the declaration that composes them)."""
