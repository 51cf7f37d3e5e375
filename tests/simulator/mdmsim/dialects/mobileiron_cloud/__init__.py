"""MobileIron Cloud (Ivanti Neurons for MDM): the dialect (dialect.py, with its route table) and its parts (actions,
users)."""

from mdmsim.dialects.mobileiron_cloud.dialect import MobileIronCloud

SERVERS = (MobileIronCloud,)
