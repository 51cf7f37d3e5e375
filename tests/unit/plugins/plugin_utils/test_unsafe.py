# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""make_unsafe: only what could be a template is marked unsafe, at any depth; the rest stays plain."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.utils.unsafe_proxy import AnsibleUnsafe

from ansible_collections.fleetops.mdm.plugins.plugin_utils.unsafe import could_be_template, make_unsafe

try:
    from ansible.template import is_trusted_as_template  # ansible-core 2.19+
except ImportError:
    is_trusted_as_template = None


def templatable(value):
    """Whether Ansible would evaluate ``value`` as a template (its trust on 2.19+, its unsafe wrapper before).

    It is also what ansible-inventory prints as a plain string rather than {"__ansible_unsafe": ...}."""
    if is_trusted_as_template is not None:
        return is_trusted_as_template(value)
    return not isinstance(value, AnsibleUnsafe)


def test_strings_that_could_be_templates_are_unsafe_and_the_rest_plain():
    for text in ("{{ lookup('env', 'HOME') }}", '{% raw %}kiosk', 'a{#b', 'only } a brace', '{'):
        assert could_be_template(text)
        assert not templatable(make_unsafe(text)), text
        assert make_unsafe(text) == text
    for text in ('iPad of Mia', '', 'LT-ROS-0042', "O'Brien's phone", '35 664808 754860 4'):
        assert not could_be_template(text)
        value = make_unsafe(text)
        assert value == text and templatable(value), text  # prints as a plain string
    assert not templatable(make_unsafe(b'{{ x }}'))
    assert make_unsafe(b'plain') == b'plain'


def test_recursive_through_lists_and_dicts_keys_included():
    record = {'name': '{{ 7*7 }}', 'labels': ['sales', '{% if %}'], 'nested': {'{key}': 'v', 'n': 3, 'ok': True, 'none': None},
              'tuple': ('x', '{y}'), 'set': frozenset(['{z}'])}
    value = make_unsafe(record)
    assert not templatable(value['name'])
    assert value['labels'] == ['sales', '{% if %}'] and templatable(value['labels'][0])
    assert not templatable(value['labels'][1])
    key = [k for k in value['nested'] if k == '{key}'][0]
    assert not templatable(key)
    assert value['nested']['n'] == 3 and value['nested']['ok'] is True and value['nested']['none'] is None
    assert value['tuple'] == ['x', '{y}'] and not templatable(value['tuple'][1])
    assert value['set'] == {'{z}'} and not templatable(next(iter(value['set'])))
    # Plain JSON comes back out the same.
    assert json.loads(json.dumps(value, default=list)) == json.loads(json.dumps(record, default=list))


def test_numbers_and_booleans_untouched():
    for value in (0, 1.5, True, False, None):
        assert make_unsafe(value) is value
