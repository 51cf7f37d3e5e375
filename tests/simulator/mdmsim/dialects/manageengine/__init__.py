"""ManageEngine MDM, cloud and on-premises (dialect.py, with its route table), its parts (actions, facts, assignments),
and the Zoho accounts server that mints the cloud flavour's OAuth tokens (zoho.py)."""

from mdmsim.dialects.manageengine.dialect import ManageEngine
from mdmsim.dialects.manageengine.zoho import ZohoAccounts

SERVERS = (ManageEngine, ZohoAccounts)
