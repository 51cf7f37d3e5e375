"""MobileIron Cloud (Ivanti Neurons for MDM): the dialect (dialect.py) and its parts (actions, users)."""
