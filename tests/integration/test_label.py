# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdm_label and mdm_label_info end to end against the simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import run_playbook

ID_FIELD = {'maas360': 'maas360DeviceID', 'manageengine': 'device_id', 'mobileiron_core': 'common.uuid'}


def truth(sim, vendor):
    """{device id: set of labels} as the simulator holds them."""
    return dict((str(item['record'][ID_FIELD[vendor]]), set(item['labels'])) for item in sim.device_labels(vendor))


def members_of(sim, vendor, label):
    return sorted(device_id for device_id, labels in truth(sim, vendor).items() if label in labels)


def writes(sim, vendor):
    return [(entry['method'], entry['path']) for entry in sim.log(vendor) if entry['method'] not in ('GET', 'HEAD')]


def members_of_before(before, label):
    return sorted(device_id for device_id, labels in before.items() if label in labels)


def outside(sim, vendor, labels, count):
    return sorted(device_id for device_id, held in truth(sim, vendor).items() if not held & set(labels))[:count]


@pytest.mark.parametrize('vendor', ['mobileiron_core', 'manageengine'])
def test_check_apply_apply_again_remove_remove_again(sim, tmp_path, vendor):
    labels = ['Pilot Ring', 'Kiosk']
    devices = outside(sim, vendor, labels, 3)
    before = truth(sim, vendor)
    sim.clear_log()
    ledger_start = len(sim.ledger())
    run = run_playbook(tmp_path, 'label_cycle.yml', sim.params(vendor), extra=dict(labels=labels, devices=devices))
    assert run.rc == 0, run.output[-3000:]
    steps = run.result
    predicted = dict((label['name'], label['added']) for label in steps['check']['labels'])
    assert predicted == {'Pilot Ring': devices, 'Kiosk': devices}
    assert steps['check']['requests'] == 0
    assert sorted(steps['check']['diff']['after']) == sorted(labels)
    assert steps['apply']['diff']['after']['Kiosk'] == sorted(set(members_of_before(before, 'Kiosk')) | set(devices))
    assert steps['apply_again']['requests'] == 0 and steps['remove_again']['requests'] == 0
    sent = writes(sim, vendor)
    if vendor == 'mobileiron_core':
        # Both labels need the same devices: one call each way; check mode and the second runs send nothing.
        assert sent == [('PUT', '/api/v2/devices/labels/Kiosk,Pilot%20Ring/add'),
                        ('PUT', '/api/v2/devices/labels/Kiosk,Pilot%20Ring/remove')]
    else:
        assert [method for method, _path in sent] == ['POST', 'POST'] + ['DELETE'] * 6
    ledger = sim.ledger()[ledger_start:]
    assert sorted(item['device_id'] for item in ledger) == sorted(devices * (2 if vendor == 'mobileiron_core' else 4))
    assert truth(sim, vendor) == before


@pytest.mark.parametrize('vendor', ['mobileiron_core', 'manageengine'])
def test_purge_leaves_exactly_the_given_devices(sim, tmp_path, vendor):
    current = members_of(sim, vendor, 'Executives')
    assert len(current) > 2
    wanted = sorted([current[0]] + outside(sim, vendor, ['Executives'], 1))
    run = run_playbook(tmp_path, 'label_once.yml', sim.params(vendor),
                       extra=dict(labels=['Executives'], devices=wanted, purge=True))
    assert run.rc == 0 and not run.result.get('failed'), run.output[-3000:]
    assert run.result['changed'] is True
    assert run.result['labels'][0]['device_count'] == 2
    assert members_of(sim, vendor, 'Executives') == wanted


def test_unknown_label_fails_before_any_write(sim, tmp_path):
    sim.clear_log()
    device = outside(sim, 'mobileiron_core', ['Sales'], 1)
    run = run_playbook(tmp_path, 'label_once.yml', sim.params('mobileiron_core'),
                       extra=dict(labels=['Sales', 'No Such Label'], devices=device))
    assert run.result['failed'] is True
    assert 'option labels' in run.result['msg'] and 'No Such Label' in run.result['msg'] and 'Pilot Ring' in run.result['msg']
    assert writes(sim, 'mobileiron_core') == []


@pytest.mark.parametrize('vendor', ['mobileiron_core', 'manageengine', 'maas360'])
def test_label_info_counts_match_the_simulator(sim, tmp_path, vendor):
    sim.clear_log()
    run = run_playbook(tmp_path, 'list_labels.yml', sim.params(vendor))
    assert run.rc == 0, run.output[-3000:]
    counts = {}
    for labels in truth(sim, vendor).values():
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    listed = dict((label['name'], label['device_count']) for label in run.result['labels'])
    assert dict((name, count) for name, count in listed.items() if count) == counts
    assert [path for _method, path in writes(sim, vendor) if '/auth-apis/' not in path] == []


def test_label_info_members_with_a_name_pattern(sim, tmp_path):
    run = run_playbook(tmp_path, 'list_labels.yml', sim.params('mobileiron_core'), extra=dict(name='field*', members=True))
    assert run.rc == 0, run.output[-3000:]
    assert [label['name'] for label in run.result['labels']] == ['Field Ops']
    assert run.result['labels'][0]['members'] == members_of(sim, 'mobileiron_core', 'Field Ops')
