"""MobileIron Core (Ivanti EPMM) API v2: the dialect (dialect.py) and its parts (actions, facts)."""
