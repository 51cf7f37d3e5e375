"""The admin control of one device's own state (mdmsim/device_control.py, PUT /device)."""

import pytest

from mdmsim.control import SimulatorError

ID_FIELDS = {'maas360': 'maas360DeviceID', 'manageengine': 'device_id', 'mobileiron_core': 'common.uuid',
             'mobileiron_cloud': 'id'}


def record_of(sim, vendor, device_id):
    return [record for record in sim.devices(vendor) if str(record[ID_FIELDS[vendor]]) == str(device_id)][0]


def test_compliance_change_shows_in_that_vendor_only_and_in_the_documented_fields(sim):
    core = sim.devices('mobileiron_core')[3]
    cloud_before = sim.devices('mobileiron_cloud')[3]
    maas_before = sim.devices('maas360')[3]
    was = core['common.compliant']
    after = sim.update_device('mobileiron_core', core['common.uuid'], compliant=not was)
    assert after['common.compliant'] is (not was)
    # Only the fields that render compliance changed.
    assert dict((key, value) for key, value in after.items() if core.get(key) != value) == {'common.compliant': not was}
    # The same logical device of another vendor is another server's device: untouched.
    assert sim.devices('mobileiron_cloud')[3] == cloud_before and sim.devices('maas360')[3] == maas_before
    sim.update_device('mobileiron_core', core['common.uuid'], compliant=was)
    assert record_of(sim, 'mobileiron_core', core['common.uuid']) == core


def test_status_and_last_seen_render_as_each_vendor_writes_them(sim):
    maas = sim.devices('maas360')[4]
    cloud = sim.devices('mobileiron_cloud')[4]
    maas_status = {('Active', 'Enrolled'): 'active', ('Active', 'Not Enrolled'): 'pending', ('Inactive', 'Control Removed'): 'retired',
                   ('Inactive', 'Device Wiped'): 'wiped'}[(maas['deviceStatus'], maas['maas360ManagedStatus'])]
    try:
        changed = sim.update_device('maas360', maas['maas360DeviceID'], status='wiped', last_seen=1767139200)
        assert (changed['deviceStatus'], changed['maas360ManagedStatus']) == ('Inactive', 'Device Wiped')
        assert changed['lastReportedInEpochms'] == 1767139200000 and changed['lastReported'] == '2025-12-31T00:00:00'
        changed = sim.update_device('mobileiron_cloud', cloud['id'], status='retired')
        assert changed['registrationState'] == 'RETIRED'
    finally:
        # The simulator is shared by the simulator tests: put back what they may count.
        sim.update_device('maas360', maas['maas360DeviceID'], status=maas_status, last_seen=maas['lastReportedInEpochms'] // 1000)
        sim.update_device('mobileiron_cloud', cloud['id'], status=cloud['registrationState'].lower())
    assert sim.devices('maas360')[4] == maas and sim.devices('mobileiron_cloud')[4] == cloud


def test_labels_change_the_devices_labels(sim):
    core = sim.device_labels('mobileiron_core')[5]
    device_id = core['record']['common.uuid']
    sim.update_device('mobileiron_core', device_id, labels=['Kiosk', 'EMEA'])
    assert [item['labels'] for item in sim.device_labels('mobileiron_core')
            if item['record']['common.uuid'] == device_id] == [['EMEA', 'Kiosk']]
    sim.update_device('mobileiron_core', device_id, labels=core['labels'])


@pytest.mark.parametrize('fields, status, text', [
    ({'colour': 'red'}, 400, 'allowed: compliant, status, last_seen, labels'),
    ({'status': 'lost'}, 400, 'active, pending, retired, wiped'),
    ({'compliant': 'no'}, 400, 'true or false'),
    ({'last_seen': '2026-01-01'}, 400, 'epoch seconds'),
    ({}, 400, 'nothing to change'),
])
def test_bad_changes_are_refused(sim, fields, status, text):
    device_id = sim.devices('mobileiron_core')[0]['common.uuid']
    with pytest.raises(SimulatorError) as caught:
        sim.update_device('mobileiron_core', device_id, **fields)
    assert ': %d ' % status in str(caught.value) and text in str(caught.value)


def test_unknown_device_is_not_found(sim):
    with pytest.raises(SimulatorError) as caught:
        sim.update_device('mobileiron_cloud', '999999999', compliant=False)
    assert ': 404 ' in str(caught.value)
