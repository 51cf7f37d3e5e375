"""One module per vendor API; each exposes a Dialect subclass."""
