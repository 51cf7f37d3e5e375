"""mdmsim: a local HTTPS simulator of four MDM vendor APIs (MaaS360, ManageEngine MDM, MobileIron Core, MobileIron Cloud).

It binds only to 127.0.0.1 and exists for the demo, the integration tests and the benchmarks of fleetops.mdm.
Every behaviour must trace back to a vendor document; choices that could not be verified say so where they are made.
The vendors are the dialect packages listed in mdmsim.dialects.VENDOR_PACKAGES.
"""
