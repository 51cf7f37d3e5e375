"""The vendor dialects: one package per vendor, and the registry the server, the state and the admin API loop over.

A vendor package (``dialects/<vendor>/``) exports SERVERS, the Dialect subclasses it runs (one HTTPS server each: the
vendor's API, and where the vendor has one its separate token server).  Each dialect carries its one route table
(method, path template -> handler), its error shapes, its credentials and the connection parameters of its flavours.
Adding a vendor's simulator is one package and one line in VENDOR_PACKAGES.
"""

import importlib

VENDOR_PACKAGES = (
    'maas360',
    'manageengine',
    'mobileiron_core',
    'mobileiron_cloud',
)


def load():
    """The Dialect classes of every vendor package, in registry order (one HTTPS server each)."""
    servers = []
    for package in VENDOR_PACKAGES:
        servers.extend(importlib.import_module('%s.%s' % (__name__, package)).SERVERS)
    return tuple(servers)


REGISTRY = load()
