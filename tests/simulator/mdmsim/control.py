"""Start, drive and stop a simulator process from Python (tests, demo, benchmarks)."""

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from urllib.parse import urlencode

SIMULATOR_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
ENV_NAMES = (('vendor', 'MDM_VENDOR'), ('url', 'MDM_URL'), ('username', 'MDM_USERNAME'), ('password', 'MDM_PASSWORD'),
             ('billing_id', 'MDM_BILLING_ID'), ('app_id', 'MDM_APP_ID'), ('app_version', 'MDM_APP_VERSION'),
             ('platform_id', 'MDM_PLATFORM_ID'), ('app_access_key', 'MDM_APP_ACCESS_KEY'), ('api_key', 'MDM_API_KEY'),
             ('client_id', 'MDM_CLIENT_ID'), ('client_secret', 'MDM_CLIENT_SECRET'), ('refresh_token', 'MDM_REFRESH_TOKEN'),
             ('accounts_url', 'MDM_ACCOUNTS_URL'), ('device_space_id', 'MDM_DEVICE_SPACE_ID'), ('ca_path', 'MDM_CA_PATH'))
SECRET_OPTIONS = ('password', 'app_access_key', 'api_key', 'client_secret', 'refresh_token')


class SimulatorError(RuntimeError):
    """The simulator did not start, or the admin API refused a call."""


class Simulator:  # pylint: disable=too-many-public-methods
    """A simulator child process; use as a context manager or call start() / stop()."""

    def __init__(self, devices=100, seed=1, latency_ms=0, token_ttl=None, state_dir=None):
        self.devices_count = devices
        self.seed = seed
        self.latency_ms = latency_ms
        self.token_ttl = token_ttl
        self.state_dir = state_dir
        self._own_dir = False
        self.proc = None
        self.info = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- process ------------------------------------------------------------------------------------------------
    def command(self):
        cmd = [sys.executable, '-m', 'mdmsim', 'serve', '--state-dir', self.state_dir, '--devices', str(self.devices_count),
               '--seed', str(self.seed), '--latency-ms', str(self.latency_ms)]
        if self.token_ttl is not None:
            cmd += ['--token-ttl', str(self.token_ttl)]
        return cmd

    def start(self):
        if self.proc is not None:
            return self
        if self.state_dir is None:
            self.state_dir = tempfile.mkdtemp(prefix='mdmsim-')
            self._own_dir = True
        os.makedirs(self.state_dir, exist_ok=True)
        sim_json = os.path.join(self.state_dir, 'sim.json')
        if os.path.exists(sim_json):
            os.unlink(sim_json)
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(filter(None, [SIMULATOR_ROOT, env.get('PYTHONPATH')]))
        stderr_path = os.path.join(self.state_dir, 'sim.stderr')
        with open(stderr_path, 'wb') as stderr:
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                         stderr=stderr, env=env, start_new_session=True)
        atexit.register(self.stop)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            returncode = self.proc.poll()
            if returncode is not None:
                self.proc = None
                raise SimulatorError('simulator exited with %s during start:\n%s' % (returncode, self._stderr(stderr_path)))
            if os.path.exists(sim_json):
                with open(sim_json, encoding='utf-8') as handle:
                    self.info = json.load(handle)
                return self
            time.sleep(0.05)
        self.stop()
        raise SimulatorError('simulator did not start within %d s:\n%s' % (START_TIMEOUT, self._stderr(stderr_path)))

    @staticmethod
    def _stderr(path):
        try:
            with open(path, encoding='utf-8', errors='replace') as handle:
                return handle.read()[-4000:]
        except OSError:
            return ''

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(STOP_TIMEOUT)
        if self._own_dir and self.state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)
            self.state_dir = None
            self._own_dir = False
        self.info = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    # -- description --------------------------------------------------------------------------------------------
    def _require(self):
        if self.info is None:
            raise SimulatorError('the simulator is not running')
        return self.info

    @property
    def ca_path(self):
        return self._require()['ca_path']

    @property
    def admin_url(self):
        return self._require()['admin_url']

    @property
    def vars_path(self):
        return os.path.join(self.state_dir, 'vars.yml')

    def url(self, vendor):
        return self._require()['vendors'][vendor]['url']

    def params(self, vendor):
        return dict(self._require()['vendors'][vendor]['params'])

    def env(self, vendor):
        params = self.params(vendor)
        return {name: str(params[option]) for option, name in ENV_NAMES if option in params}

    def secrets(self):
        found = set()
        for vendor in self._require()['vendors'].values():
            found.update(str(vendor['params'][option]) for option in SECRET_OPTIONS if option in vendor['params'])
        return sorted(found)

    # -- admin API ----------------------------------------------------------------------------------------------
    def _admin(self, method, path, body=None, **query):
        query = {key: value for key, value in query.items() if value is not None}
        url = self.admin_url + path + ('?' + urlencode(query) if query else '')
        data = json.dumps(body).encode('utf-8') if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read().decode('utf-8'))
        except urllib.error.HTTPError as exc:
            raise SimulatorError('admin %s %s: %s %s' % (method, path, exc.code, exc.read().decode('utf-8', 'replace'))) from exc

    def log(self, vendor=None):
        return self._admin('GET', '/log', vendor=vendor)

    def clear_log(self):
        self._admin('DELETE', '/log')

    def ledger(self):
        return self._admin('GET', '/ledger')

    def devices(self, vendor):
        return self._admin('GET', '/devices', vendor=vendor)

    def device_labels(self, vendor):
        """[{'record': ..., 'labels': [...]}]: each device's record and the labels / groups it is in."""
        return self._admin('GET', '/labels', vendor=vendor)

    def users(self, vendor):
        """[{'record': ..., 'custom_attributes': {...}, 'password_set': n}]: each user account as the vendor shows it."""
        return self._admin('GET', '/users', vendor=vendor)

    def set_faults(self, vendor, **spec):
        return self._admin('PUT', '/faults', body=dict(spec, vendor=vendor))

    def set_privacy(self, vendor, mask_user_fields=False):
        """A server privacy setting: MobileIron Core then answers user fields masked as "*****"."""
        return self._admin('PUT', '/privacy', body=dict(vendor=vendor, mask_user_fields=bool(mask_user_fields)))

    def clear_faults(self):
        """Clears the request faults and the listing faults of every vendor."""
        self._admin('DELETE', '/faults')

    def set_reply_form(self, vendor, form):
        """Answer in one of the forms real servers use (each dialect's reply_forms), or in the references' form (None)."""
        return self._admin('PUT', '/reply_form', body={'vendor': vendor, 'form': form})

    def clear_reply_forms(self):
        self._admin('DELETE', '/reply_form')

    def set_listing_faults(self, vendor, seed=None, target='devices', **spec):
        """Listing faults (state.ListingFaults): page_cap, total_offset, churn={'remove', 'enrol', 'budget', 'balanced',
        'front'}, repeat; ``seed`` draws a different (still reproducible) churn; ``target`` 'users' puts them on the
        vendor's user listing (MaaS360, MobileIron Cloud) instead of its device listings."""
        return self._admin('PUT', '/listing-faults', body=dict(spec, vendor=vendor, seed=seed, target=target))

    def listing_faults(self, vendor, target='devices'):
        """What the listing faults did so far: churn and repeats left, the ids removed and enrolled."""
        return self._admin('GET', '/listing-faults', vendor=vendor, target=target)

    def expire_tokens(self, vendor):
        return self._admin('POST', '/tokens/expire', vendor=vendor)['expired']

    def limit_token_grants(self, count=10, window_s=600):
        """Zoho's cap: at most ``count`` access tokens from the refresh token in ``window_s`` seconds (None: no cap).
        clear_faults() lifts it."""
        return self._admin('PUT', '/tokens/limit', body={'count': count, 'window_s': window_s})

    def issued_tokens(self):
        return self._admin('GET', '/tokens')

    def add_devices(self, vendor, n):
        return self._admin('POST', '/fleet/add', vendor=vendor, n=n)['count']

    def remove_devices(self, vendor, n):
        return self._admin('POST', '/fleet/remove', vendor=vendor, n=n)['count']

    def update_device(self, vendor, device_id, **fields):
        """Change a device's own state as the server would without any API call (mdmsim/device_control.py):
        ``compliant`` (bool), ``status`` (active, pending, retired, wiped), ``last_seen`` (epoch seconds), ``labels``
        (the names of the labels / groups it is in).
        Returns the device's record as the admin API shows it."""
        return self._admin('PUT', '/device', body=dict(fields, vendor=vendor, device_id=str(device_id)))

    # -- MaaS360 customer accounts (dialects/maas360/accounts.py) ---------------------------------------------
    def maas360_accounts(self):
        """Every customer account the simulated MaaS360 holds, of every partner billing id."""
        return self._admin('GET', '/maas360/accounts')

    def add_maas360_account(self, name, partner_billing_id, **fields):
        """An account of another partner (or of ours), so that its name is taken."""
        return self._admin('POST', '/maas360/accounts', body=dict(fields, accountName=name, partnerBillingId=partner_billing_id))

    # -- MobileIron Core labels made in the Admin Portal (dialects/mobileiron_core/dialect.py) ------------------
    def add_core_label(self, name):
        """A static MobileIron Core label, as an administrator creates it in the Admin Portal (the API cannot)."""
        return self._admin('POST', '/mobileiron_core/labels', body={'name': name})

    # -- ManageEngine device profiles and apps (dialects/manageengine/assignments.py) --------------------------
    def manageengine_assignments(self, device_id):
        """{'profiles': [ids], 'apps': {id: the options it was associated with}} of one ManageEngine device."""
        return self._admin('GET', '/manageengine/assignments', device_id=device_id)
