"""IBM MaaS360: the dialect (dialect.py) and its parts (actions, users, accounts)."""
