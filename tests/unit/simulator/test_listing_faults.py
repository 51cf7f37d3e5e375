"""Listing faults of the simulator (state.ListingFaults): page cap, a total that is off, churn and repeated ids, set per
vendor and per run through the admin API, as each vendor's reply would show them."""

import pytest

from conftest import DEVICES
from test_vendors import cloud_get, core_get, maas_search, maas_token

CORE_FIELDS = 'common.uuid,common.id'


def core_page(sim, offset, limit=200):
    return core_get(sim, '/api/v2/devices', adminDeviceSpaceId=1, fields=CORE_FIELDS, query='', limit=limit, offset=offset).json()


def test_a_page_cap_is_echoed_by_maas360_and_shows_as_rows_elsewhere(sim):
    sim.set_listing_faults('maas360', page_cap=25)
    token = maas_token(sim)
    devices = maas_search(sim, token, pageSize=250, pageNumber=2).json()['devices']
    # A recorded MaaS360 search answered pageSize 25 when more was asked (NOTES.md): page 2 is rows 25-49.
    assert devices['pageSize'] == 25 and len(devices['device']) == 25 and devices['count'] == DEVICES
    first = maas_search(sim, token, pageSize=250, pageNumber=1).json()['devices']['device']
    assert {d['maas360DeviceID'] for d in first}.isdisjoint({d['maas360DeviceID'] for d in devices['device']})
    sim.set_listing_faults('mobileiron_core', page_cap=30)
    reply = core_page(sim, 0)
    assert reply['resultCount'] == 30 and reply['hasMore'] is True and reply['totalCount'] == DEVICES


def test_a_total_that_is_off_keeps_every_row(sim):
    sim.set_listing_faults('mobileiron_cloud', total_offset=-11)
    result = cloud_get(sim, '/api/v1/device', rows=500, start=0).json()['result']
    assert result['totalCount'] == DEVICES - 11 and len(result['searchResults']) == DEVICES
    sim.set_listing_faults('mobileiron_core', total_offset=4)
    reply = core_page(sim, 200)
    assert reply['totalCount'] == DEVICES + 4 and reply['resultCount'] == DEVICES - 200 and reply['hasMore'] is False


def test_repeat_answers_a_later_page_one_row_early_a_bounded_number_of_times(sim):
    sim.set_listing_faults('mobileiron_core', repeat=1)
    first = [row['common.uuid'] for row in core_page(sim, 0, 100)['results']]
    second = [row['common.uuid'] for row in core_page(sim, 100, 100)['results']]
    assert second[0] == first[-1]
    again = [row['common.uuid'] for row in core_page(sim, 100, 100)['results']]
    assert again[0] not in first
    assert sim.listing_faults('mobileiron_core')['repeat_left'] == 0


def test_churn_removes_and_enrols_within_its_budget_and_is_seeded(sim):
    def run(seed):
        sim.clear_faults()
        before = len(sim.devices('mobileiron_cloud'))
        sim.set_listing_faults('mobileiron_cloud', seed=seed, churn={'remove': 5, 'enrol': 5, 'budget': 20})
        totals = [cloud_get(sim, '/api/v1/device', rows=50, start=0).json()['result']['totalCount'] for _unused in range(10)]
        status = sim.listing_faults('mobileiron_cloud')
        assert status['churn_left'] >= 0
        assert len(status['removed']) + len(status['enrolled']) == 20 - status['churn_left'] <= 20
        assert len(sim.devices('mobileiron_cloud')) == before - len(status['removed']) + len(status['enrolled'])
        return totals, status
    totals, status = run(seed=1)
    assert len(set(totals)) > 1 or status['removed'] or status['enrolled']
    # The enrolled devices are new ids; the removed ones are gone from the listing.
    listed = {str(d['id']) for d in sim.devices('mobileiron_cloud')}
    assert set(status['enrolled']) <= listed and not set(status['removed']) & listed


@pytest.mark.parametrize('spec', [{'page_cap': 0}, {'churn': {'remove': 1, 'oops': 2}}, {'nonsense': 1}, {'repeat': -1}])
def test_bad_listing_fault_specs_are_refused(sim, spec):
    with pytest.raises(Exception) as info:
        sim.set_listing_faults('maas360', **spec)
    assert '400' in str(info.value)


def test_clear_faults_clears_the_listing_faults(sim):
    sim.set_listing_faults('maas360', page_cap=25)
    sim.clear_faults()
    assert sim.listing_faults('maas360') == {}
