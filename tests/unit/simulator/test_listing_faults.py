"""Listing faults of the simulator (state.ListingFaults): page cap, a total that is off, churn and repeated ids, set per
vendor and per run through the admin API, as each vendor's reply would show them."""

import pytest
import requests

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


def test_balanced_churn_keeps_the_total_and_removes_from_the_front(sim):
    sim.set_listing_faults('mobileiron_core', seed='balanced', churn={'remove': 2, 'budget': 8, 'balanced': True, 'front': 10})
    head = [row['common.uuid'] for row in core_page(sim, 0, 10)['results']]
    totals = [core_page(sim, 0, 50)['totalCount'] for _unused in range(4)]
    status = sim.listing_faults('mobileiron_core')
    # Two removed and two enrolled before each of the first two pages (a budget of 8): the total never moves.
    assert totals == [DEVICES] * 4 and status['churn_left'] == 0
    assert len(status['removed']) == len(status['enrolled']) == 4
    # The first burst came before the page that showed the head; the second was drawn from its first 10 rows.
    assert set(status['removed'][2:]) <= set(head)


def users_page(sim, token, **query):
    params = sim.params('maas360')
    return requests.get('%s/user-apis/user/1.0/search/%s' % (params['url'], params['billing_id']),
                        params=dict(query, includeAllUsers=1),
                        headers={'Authorization': 'MaaS token="%s"' % token, 'Accept': 'application/json'},
                        verify=sim.ca_path, timeout=10).json()['users']


def test_user_listings_take_their_own_listing_faults(sim):
    token = maas_token(sim)
    users = len(sim.users('maas360'))
    sim.set_listing_faults('maas360', target='users', page_cap=25, total_offset=-3)
    reply = users_page(sim, token, pageSize=50, pageNumber=1)
    assert reply['pageSize'] == 25 and len(reply['user']) == 25 and reply['count'] == users - 3
    # The device search is not touched by the user listing's faults, nor the users by the devices'.
    assert maas_search(sim, token, pageSize=50).json()['devices']['pageSize'] == 50
    assert sim.listing_faults('maas360') == {} and sim.listing_faults('maas360', target='users')['page_cap'] == 25
    sim.set_listing_faults('mobileiron_cloud', target='users', seed=1,
                           churn={'remove': 1, 'budget': 2, 'balanced': True})
    before = set(str(item['record']['id']) for item in sim.users('mobileiron_cloud'))
    total = cloud_get(sim, '/api/v1/account', rows=10, start=0).json()['result']['totalCount']
    status = sim.listing_faults('mobileiron_cloud', target='users')
    after = set(str(item['record']['id']) for item in sim.users('mobileiron_cloud'))
    assert total == len(before) and len(status['removed']) == len(status['enrolled']) == 1
    assert after == (before - set(status['removed'])) | set(status['enrolled'])
    with pytest.raises(Exception) as info:
        sim.set_listing_faults('maas360', target='labels', page_cap=25)
    assert '400' in str(info.value)
