"""IBM MaaS360: the dialect (dialect.py, with its route table) and its parts (actions, users, accounts)."""

from mdmsim.dialects.maas360.dialect import MaaS360

SERVERS = (MaaS360,)
