# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# A unit test checks these options against plugins/module_utils/options.py.

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Module form: the environment variables are read by the argument spec's fallbacks.
    DOCUMENTATION = r'''
options:
  vendor:
    description:
      - The MDM server's vendor.
      - If not set, the environment variable E(MDM_VENDOR) is used.
    type: str
    choices: [maas360, manageengine, mobileiron_core, mobileiron_cloud]
  url:
    description:
      - Root URL of the MDM server's API, for example V(https://services.m3.maas360.com),
        V(https://mdm.manageengine.com), V(https://core.example.com) or V(https://na1.mobileiron.com).
      - A URL holding credentials (V(https://user:password@host)) is refused; an C(http://) URL works, with a warning.
      - If not set, the environment variable E(MDM_URL) is used.
    type: str
  username:
    description:
      - Administrator user name (MaaS360, MobileIron Core, MobileIron Cloud).
      - If not set, the environment variable E(MDM_USERNAME) is used.
    type: str
  password:
    description:
      - Administrator password (MaaS360, MobileIron Core, MobileIron Cloud).
      - If not set, the environment variable E(MDM_PASSWORD) is used.
    type: str
  billing_id:
    description:
      - MaaS360 billing (customer) id; every MaaS360 API path ends in it.
      - If not set, the environment variable E(MDM_BILLING_ID) is used.
    type: str
  app_id:
    description:
      - MaaS360 id of the app provisioned for web-service access.
      - If not set, the environment variable E(MDM_APP_ID) is used.
    type: str
  app_version:
    description:
      - MaaS360 version of the provisioned app.
      - If not set, the environment variable E(MDM_APP_VERSION) is used.
    type: str
  platform_id:
    description:
      - MaaS360 platform id of the provisioned app.
      - If not set, the environment variable E(MDM_PLATFORM_ID) is used.
    type: str
    default: '3'
  app_access_key:
    description:
      - MaaS360 access key of the provisioned app.
      - If not set, the environment variable E(MDM_APP_ACCESS_KEY) is used.
    type: str
  api_key:
    description:
      - ManageEngine MDM on-premises API key, sent as the C(Authorization) header.
      - Refused together with any of the cloud options O(client_id), O(client_secret), O(refresh_token), O(accounts_url).
      - If not set, the environment variable E(MDM_API_KEY) is used.
    type: str
  client_id:
    description:
      - ManageEngine MDM cloud (Zoho OAuth) client id.
      - If not set, the environment variable E(MDM_CLIENT_ID) is used.
    type: str
  client_secret:
    description:
      - ManageEngine MDM cloud (Zoho OAuth) client secret.
      - If not set, the environment variable E(MDM_CLIENT_SECRET) is used.
    type: str
  refresh_token:
    description:
      - ManageEngine MDM cloud (Zoho OAuth) refresh token; access tokens are minted from it and reused until shortly before they expire.
      - If not set, the environment variable E(MDM_REFRESH_TOKEN) is used.
    type: str
  accounts_url:
    description:
      - Zoho accounts server of the ManageEngine MDM cloud data centre, for example V(https://accounts.zoho.com) or V(https://accounts.zoho.eu).
      - If not set, the environment variable E(MDM_ACCOUNTS_URL) is used.
    type: str
  device_space_id:
    description:
      - MobileIron Core C(adminDeviceSpaceId) sent with every call.
      - If not set, the environment variable E(MDM_DEVICE_SPACE_ID) is used.
    type: int
    default: 1
  partition_id:
    description:
      - MobileIron Cloud device partition (C(dmPartitionId)); by default the tenant's default device partition.
      - If not set, the environment variable E(MDM_PARTITION_ID) is used.
    type: str
  validate_certs:
    description:
      - Verify the server's TLS certificate. Only turn this off for a test server; every run then warns.
      - If not set, the environment variable E(MDM_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA (or bundle) that signed the server's certificate, for a private CA.
      - If not set, the environment variable E(MDM_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds each HTTP request may take in all, connecting, sending and reading the whole reply.
      - If not set, the environment variable E(MDM_TIMEOUT) is used.
    type: int
    default: 30
  max_retries:
    description:
      - How often a request is retried when retrying cannot do harm (a read, a request the server refused with 429,
        a connection that never opened). Device commands are never re-sent after they may have reached the server.
      - If not set, the environment variable E(MDM_MAX_RETRIES) is used.
    type: int
    default: 5
  login_cache:
    description:
      - Reuse, within one C(ansible-playbook) run, what a login or a discovery yielded - ManageEngine (Zoho) access
        tokens, MaaS360 tokens, the MobileIron Cloud default partition - so that the tasks, loops and roles of a play
        log in once, and Zoho's cap on the access tokens one refresh token may mint is not reached.
      - The cache lives in the memory of a small process that the collection's action plugin starts beside
        C(ansible-playbook) and that ends with it; nothing is written to disk. Entries are found by a keyed hash of
        the connection options, so other credentials never get a cached token, and are dropped shortly before the
        server expires them.
      - It works where the module runs on the controller (C(localhost) with the C(local) connection) as the user who
        runs the play; elsewhere, and with V(false), every task logs in by itself.
      - If not set, the environment variable E(MDM_LOGIN_CACHE) is used.
    type: bool
    default: true
notes:
  - Which options a vendor needs - V(maas360) needs O(url), O(billing_id), O(username), O(password), O(app_id), O(app_version)
    and O(app_access_key); V(manageengine) needs O(url) and either O(api_key) (on-premises) or O(client_id), O(client_secret),
    O(refresh_token) and O(accounts_url) (cloud); V(mobileiron_core) and V(mobileiron_cloud) need O(url), O(username) and O(password).
  - Set the options once for a play with C(module_defaults) and the action group C(group/fleetops.mdm.mdm).
'''

    # Plugin form (inventory): the same options, read from the environment by Ansible's config system.
    PLUGINS = r'''
options:
  vendor:
    description: The MDM server's vendor.
    type: str
    choices: [maas360, manageengine, mobileiron_core, mobileiron_cloud]
    env:
      - name: MDM_VENDOR
  url:
    description: Root URL of the MDM server's API; a URL holding credentials is refused, C(http://) is warned about.
    type: str
    env:
      - name: MDM_URL
  username:
    description: Administrator user name (MaaS360, MobileIron Core, MobileIron Cloud).
    type: str
    env:
      - name: MDM_USERNAME
  password:
    description: Administrator password (MaaS360, MobileIron Core, MobileIron Cloud).
    type: str
    env:
      - name: MDM_PASSWORD
  billing_id:
    description: MaaS360 billing (customer) id.
    type: str
    env:
      - name: MDM_BILLING_ID
  app_id:
    description: MaaS360 id of the app provisioned for web-service access.
    type: str
    env:
      - name: MDM_APP_ID
  app_version:
    description: MaaS360 version of the provisioned app.
    type: str
    env:
      - name: MDM_APP_VERSION
  platform_id:
    description: MaaS360 platform id of the provisioned app.
    type: str
    default: '3'
    env:
      - name: MDM_PLATFORM_ID
  app_access_key:
    description: MaaS360 access key of the provisioned app.
    type: str
    env:
      - name: MDM_APP_ACCESS_KEY
  api_key:
    description: ManageEngine MDM on-premises API key; refused together with the cloud (OAuth) options.
    type: str
    env:
      - name: MDM_API_KEY
  client_id:
    description: ManageEngine MDM cloud (Zoho OAuth) client id.
    type: str
    env:
      - name: MDM_CLIENT_ID
  client_secret:
    description: ManageEngine MDM cloud (Zoho OAuth) client secret.
    type: str
    env:
      - name: MDM_CLIENT_SECRET
  refresh_token:
    description: ManageEngine MDM cloud (Zoho OAuth) refresh token.
    type: str
    env:
      - name: MDM_REFRESH_TOKEN
  accounts_url:
    description: Zoho accounts server of the ManageEngine MDM cloud data centre.
    type: str
    env:
      - name: MDM_ACCOUNTS_URL
  device_space_id:
    description: MobileIron Core C(adminDeviceSpaceId).
    type: int
    default: 1
    env:
      - name: MDM_DEVICE_SPACE_ID
  partition_id:
    description: MobileIron Cloud device partition; by default the tenant's default device partition.
    type: str
    env:
      - name: MDM_PARTITION_ID
  validate_certs:
    description: Verify the server's TLS certificate.
    type: bool
    default: true
    env:
      - name: MDM_VALIDATE_CERTS
  ca_path:
    description:
      - PEM file of the CA that signed the server's certificate; C(~) is expanded.
      - Typed as a string here because Ansible's config system turns an empty path (what an AWX credential injects for an
        unused field) into the current directory.
    type: str
    env:
      - name: MDM_CA_PATH
  timeout:
    description: Seconds each HTTP request may take in all, connecting, sending and reading the whole reply.
    type: int
    default: 30
    env:
      - name: MDM_TIMEOUT
  max_retries:
    description: How often a request is retried when retrying cannot do harm.
    type: int
    default: 5
    env:
      - name: MDM_MAX_RETRIES
'''
