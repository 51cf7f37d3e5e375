"""The Event-Driven Ansible source fleetops.mdm.device_events against the simulator: the events of each change,
state across restarts, backoff with error events that carry no secret, and argument checks before any request.

The source's main() is a coroutine: the tests that run it drive it with asyncio.run() and a bounded wait, and
cancel it (which closes its client) also when an assertion fails."""

import asyncio
import json
import os
import stat
import sys

import pytest

SIMULATOR_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'simulator'))
if SIMULATOR_ROOT not in sys.path:
    sys.path.insert(0, SIMULATOR_ROOT)

from mdmsim.control import Simulator  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.fleetops.mdm.extensions.eda.plugins.event_source import device_events  # noqa: E402
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError  # noqa: E402

VENDOR = 'mobileiron_core'
DAY = 86400


@pytest.fixture(scope='module')
def sim():
    simulator = Simulator(devices=40, seed=18)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture(autouse=True)
def no_faults(sim):
    sim.clear_faults()
    yield
    sim.clear_faults()


def connection_args(sim, vendor=VENDOR):
    args = sim.params(vendor)
    args['ca_path'] = sim.ca_path
    return args


def core_ids(sim):
    return [record['common.uuid'] for record in sim.devices(VENDOR)]


def latest_seen(sim):
    watcher = device_events.FleetWatcher(*checked(sim))
    try:
        return max(device['mdm_last_seen'] for device in watcher.list_devices() if device['mdm_last_seen'])
    finally:
        watcher.close()


def checked(sim, **settings):
    return device_events.check_args(dict(connection_args(sim), **settings), environ={})


def watcher_for(sim, clock=None, **settings):
    connection, settings = checked(sim, **settings)
    kwargs = {'clock': clock} if clock else {}
    return device_events.FleetWatcher(connection, settings, **kwargs)


def kinds(events):
    return sorted((event['mdm_event']['type'], event['mdm_event']['device_id']) for event in events)


def test_each_change_gives_one_event_with_the_normalised_device(sim):
    # A clock a day after the last check-in of the fleet: with stale_days 1000 no device is stale at first.
    now = device_events.epoch_of(latest_seen(sim)) + DAY
    watcher = watcher_for(sim, clock=lambda: now, stale_days=1000, fetch_labels=True)
    try:
        assert watcher.poll() == []  # the first listing is the baseline
        assert watcher.poll() == []  # nothing changed
        before = set(core_ids(sim))
        sim.remove_devices(VENDOR, 1)
        sim.add_devices(VENDOR, 1)
        after = set(core_ids(sim))
        (removed_id,), (enrolled_id,) = sorted(before - after), sorted(after - before)
        compliance_id, status_id, labels_id, stale_id = sorted(after - {enrolled_id})[:4]
        records = dict((record['common.uuid'], record) for record in sim.devices(VENDOR))
        was_compliant = records[compliance_id]['common.compliant']
        sim.update_device(VENDOR, compliance_id, compliant=not was_compliant)
        status_after = 'active' if records[status_id]['common.status'] == 'RETIRED' else 'retired'
        sim.update_device(VENDOR, status_id, status=status_after)
        labels_before = [item['labels'] for item in sim.device_labels(VENDOR) if item['record']['common.uuid'] == labels_id][0]
        labels_after = ['EMEA'] if labels_before == ['Kiosk', 'Pilot Ring'] else ['Kiosk', 'Pilot Ring']
        sim.update_device(VENDOR, labels_id, labels=labels_after)
        sim.update_device(VENDOR, stale_id, last_seen=int(now - 1001 * DAY))

        events = watcher.poll()
        expected = [('compliance_changed', compliance_id), ('status_changed', status_id), ('labels_changed', labels_id),
                    ('stale', stale_id), ('removed', removed_id), ('enrolled', enrolled_id)]
        assert kinds(events) == sorted(expected)
        by_type = dict((event['mdm_event']['type'], event['mdm_event']) for event in events)
        for event in by_type.values():
            assert event['vendor'] == VENDOR and event['source'] == 'fleetops.mdm.device_events'
            assert event['device']['mdm_device_id'] == event['device_id']
            assert set(event['device']) >= {'mdm_name', 'mdm_user', 'mdm_model', 'mdm_status', 'mdm_compliant', 'mdm_labels'}
        assert by_type['compliance_changed']['changes'] == {'mdm_compliant': {'before': was_compliant, 'after': not was_compliant}}
        assert by_type['compliance_changed']['device']['mdm_compliant'] is (not was_compliant)
        assert by_type['status_changed']['changes']['mdm_status']['after'] == status_after
        assert by_type['labels_changed']['changes']['mdm_labels'] == {'before': labels_before, 'after': labels_after}
        assert by_type['stale']['changes'] == {'days_not_seen': 1001}
        # The removed device is reported as it was last listed.
        assert by_type['removed']['device']['mdm_device_id'] == removed_id

        # Reported once: the next poll has nothing new, the stale device included.
        assert watcher.poll() == []
    finally:
        watcher.close()


def test_events_argument_chooses_what_is_reported(sim):
    watcher = watcher_for(sim, stale_days=0, events=['compliance_changed'])
    try:
        watcher.poll()
        ids = core_ids(sim)
        compliant = dict((record['common.uuid'], record['common.compliant']) for record in sim.devices(VENDOR))
        sim.update_device(VENDOR, ids[5], status='wiped')
        sim.update_device(VENDOR, ids[6], compliant=not compliant[ids[6]])
        assert kinds(watcher.poll()) == [('compliance_changed', ids[6])]
    finally:
        watcher.close()


def test_initial_events_report_the_whole_fleet_once(sim):
    watcher = watcher_for(sim, stale_days=0, initial_events=True)
    try:
        events = watcher.poll()
        assert kinds(events) == sorted(('enrolled', device_id) for device_id in core_ids(sim))
        assert watcher.poll() == []
    finally:
        watcher.close()


def test_state_file_is_private_and_carries_changes_across_a_restart(sim, tmp_path):
    state_file = tmp_path / 'core-state.json'
    first = watcher_for(sim, stale_days=0, state_file=str(state_file))
    try:
        assert first.poll() == []
        first.save_state()
    finally:
        first.close()
    assert stat.S_IMODE(os.stat(state_file).st_mode) == 0o600
    assert os.listdir(tmp_path) == ['core-state.json']  # no temporary file left behind
    saved = json.loads(state_file.read_text(encoding='utf-8'))
    assert sorted(saved['devices']) == sorted(core_ids(sim))
    assert not set(sim.secrets()) & set(json.dumps(saved).split('"'))

    # Changed while the source was not running: the restarted source reports it at its first poll.
    device_id = core_ids(sim)[7]
    compliant = dict((record['common.uuid'], record['common.compliant']) for record in sim.devices(VENDOR))[device_id]
    sim.update_device(VENDOR, device_id, compliant=not compliant)
    second = watcher_for(sim, stale_days=0, state_file=str(state_file))
    try:
        assert kinds(second.poll()) == [('compliance_changed', device_id)]
    finally:
        second.close()

    # A state of another server (or other filters) is not this fleet's: a new baseline, no mass of events.
    other = watcher_for(sim, stale_days=0, state_file=str(state_file), filters={'platform': 'ios'})
    try:
        assert other.devices is None
        assert other.poll() == []
    finally:
        other.close()


@pytest.mark.parametrize('content', ['{"schema": 1, "devi', '[]', '{"schema": 99, "devices": {}}'])
def test_an_unreadable_or_foreign_state_file_is_a_new_baseline(sim, tmp_path, caplog, content):
    state_file = tmp_path / 'state.json'
    state_file.write_text(content, encoding='utf-8')
    watcher = watcher_for(sim, stale_days=0, state_file=str(state_file))
    try:
        assert watcher.devices is None
        assert watcher.poll() == []  # a baseline, not every device reported as enrolled
        watcher.save_state()
    finally:
        watcher.close()
    assert 'starting from a new listing' in caplog.text
    assert sorted(json.loads(state_file.read_text(encoding='utf-8'))['devices']) == sorted(core_ids(sim))


def test_an_inconsistent_listing_never_reports_a_missing_device_as_removed(sim):
    watcher = watcher_for(sim, stale_days=0)
    try:
        watcher.poll()
        listed = dict(watcher.devices)
        missing = sorted(listed)[0]
        current = dict((device_id, device) for device_id, device in listed.items() if device_id != missing)
        assert watcher.compare(dict(current), consistent=False) == []
        assert missing in watcher.devices  # still known: a later consistent listing decides
        assert kinds(watcher.compare(dict(current), consistent=True)) == [('removed', missing)]
    finally:
        watcher.close()


def run_source(args, until, timeout=20.0, watcher=None):
    """Run main() until ``until(events)`` holds or ``timeout`` passes; the source task is cancelled either way."""

    async def scenario():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(device_events.main(queue, args, watcher=watcher))
        events = []
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while not until(events):
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                if task.done():
                    task.result()  # raises what stopped the source
                try:
                    events.append(await asyncio.wait_for(queue.get(), min(remaining, 0.5)))
                except asyncio.TimeoutError:
                    pass
        finally:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        return events

    return asyncio.run(scenario())


def test_main_reports_a_compliance_change_and_saves_the_state(sim, tmp_path):
    state_file = tmp_path / 'state.json'
    args = dict(connection_args(sim), interval=1, jitter=0, stale_days=0, state_file=str(state_file))
    device_id = core_ids(sim)[8]
    compliant = dict((record['common.uuid'], record['common.compliant']) for record in sim.devices(VENDOR))[device_id]
    changed = []

    def until(events):
        if not changed and state_file.exists():  # the baseline is saved: now change the device
            sim.update_device(VENDOR, device_id, compliant=not compliant)
            changed.append(True)
        return any(event['mdm_event']['type'] == 'compliance_changed' for event in events)

    events = run_source(args, until)
    assert kinds(events) == [('compliance_changed', device_id)]
    assert events[0]['mdm_event']['device']['mdm_compliant'] is (not compliant)
    assert stat.S_IMODE(os.stat(state_file).st_mode) == 0o600


def test_failed_polls_back_off_report_errors_without_secrets_and_change_nothing(sim, tmp_path):
    state_file = tmp_path / 'state.json'
    args = dict(connection_args(sim), interval=1, jitter=0, stale_days=0, max_retries=0, backoff_initial=1, backoff_max=1.5,
                state_file=str(state_file))
    device_id = core_ids(sim)[9]
    compliant = dict((record['common.uuid'], record['common.compliant']) for record in sim.devices(VENDOR))[device_id]
    phase = []

    def until(events):
        if not phase and state_file.exists():  # the baseline is in: the server fails from now on
            sim.set_faults(VENDOR, rate=1.0, kinds=['503'], skip_auth=False)
            phase.append('failing')
        elif phase == ['failing'] and len(events) >= 2:  # back, with one change made while it failed
            sim.update_device(VENDOR, device_id, compliant=not compliant)
            sim.clear_faults()
            phase.append('back')
        return len(events) >= 3

    events = run_source(args, until, timeout=30)
    errors, after = events[:2], events[2:]
    assert [event['mdm_event']['type'] for event in errors] == ['error'] * 2
    assert [event['mdm_event']['consecutive_failures'] for event in errors] == [1, 2]
    # Doubled from backoff_initial (1, then 2), never above backoff_max (1.5).
    assert [event['mdm_event']['retry_in'] for event in errors] == [1, 1.5]
    assert all('503' in event['mdm_event']['error'] for event in errors)
    text = json.dumps(errors)
    assert not [secret for secret in sim.secrets() if secret in text]
    # The failed polls changed nothing: the first good one compares with the baseline and reports just the change.
    assert kinds(after) == [('compliance_changed', device_id)]


def test_a_refused_login_is_reported_without_the_password(sim):
    wrong = 'Wr0ng-passw0rd-for-the-source'
    args = dict(connection_args(sim), password=wrong, interval=1, jitter=0, max_retries=0, backoff_initial=1, backoff_max=1)
    errors = run_source(args, lambda events: len(events) >= 1)
    assert errors and errors[0]['mdm_event']['type'] == 'error'
    assert errors[0]['mdm_event']['error_type'] == 'authentication_failed'
    text = json.dumps(errors)
    assert wrong not in text and not [secret for secret in sim.secrets() if secret in text]


def test_backoff_doubles_and_stays_bounded():
    settings = {'backoff_initial': 10, 'backoff_max': 900, 'jitter': 0.1}
    waits = [device_events.backoff(settings, failures) for failures in range(1, 200)]
    assert 9 <= waits[0] <= 11 and 18 <= waits[1] <= 22
    assert max(waits) <= 900 and waits[-1] >= 810


@pytest.mark.parametrize('extra, named', [
    ({'interval': 0}, 'interval'),
    ({'interval': 'soon'}, 'interval'),
    ({'jitter': 1.5}, 'jitter'),
    ({'stale_days': -1}, 'stale_days'),
    ({'events': ['compliance_changed', 'rebooted']}, 'events'),
    ({'events': []}, 'events'),
    ({'fetch_labels': 'sometimes'}, 'fetch_labels'),
    ({'filters': 'ios'}, 'filters'),
    ({'backoff_initial': 60, 'backoff_max': 10}, 'backoff_max'),
    ({'state_file': '/nonexistent-directory/state.json'}, 'state_file'),
    ({'polling': 5}, 'polling'),
])
def test_bad_arguments_are_refused_naming_the_argument(sim, extra, named):
    with pytest.raises(device_events.ArgumentError) as caught:
        checked(sim, **extra)
    assert named in str(caught.value)
    if named in ('events', 'polling'):
        assert 'compliance_changed' in str(caught.value) or 'interval' in str(caught.value)  # the allowed values


def test_connection_options_are_checked_and_read_from_the_environment(sim):
    with pytest.raises(InvalidInputError) as caught:
        device_events.check_args({'vendor': 'airwatch', 'url': 'https://mdm.example.com'}, environ={})
    assert 'vendor' in str(caught.value) and 'mobileiron_core' in str(caught.value)
    with pytest.raises(InvalidInputError) as caught:
        device_events.check_args({'vendor': VENDOR, 'url': sim.url(VENDOR), 'username': 'admin'}, environ={})
    assert 'password' in str(caught.value) and 'MDM_PASSWORD' in str(caught.value)
    environ = dict(sim.env(VENDOR), MDM_CA_PATH=sim.ca_path, MDM_VALIDATE_CERTS='true')
    connection, settings = device_events.check_args({'interval': 60}, environ=environ)
    assert connection['vendor'] == VENDOR and connection['password'] == sim.params(VENDOR)['password']
    assert connection['validate_certs'] is True and settings['interval'] == 60
    # An argument wins over its variable.
    connection, _settings = device_events.check_args({'username': 'someone-else'}, environ=environ)
    assert connection['username'] == 'someone-else'


def test_bad_filters_stop_the_source_before_any_request(sim):
    sim.clear_log()
    args = dict(connection_args(sim), interval=1, filters={'colour': 'blue'})
    with pytest.raises(InvalidInputError) as caught:
        run_source(args, lambda events: False, timeout=10)
    assert 'colour' in str(caught.value) and 'platform' in str(caught.value)
    assert sim.log(VENDOR) == []
