"""ManageEngine MDM, cloud and on-premises, with the Zoho accounts server (dialect.py) and its parts (actions, facts, assignments)."""
