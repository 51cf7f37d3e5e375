"""MobileIron Core (Ivanti EPMM) API v2: the dialect (dialect.py, with its route table) and its parts (actions, facts)."""

from mdmsim.dialects.mobileiron_core.dialect import MobileIronCore

SERVERS = (MobileIronCore,)
