# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mark device data unsafe only where Ansible could take it for a template.

Device names, user names and the vendor's raw records are user data: a device called
``{{ lookup('pipe', 'id') }}`` must never be evaluated. Wrapping every value with
``wrap_var`` does that, but on ansible-core 2.19 and later ``ansible-inventory --list``
then prints every string as ``{"__ansible_unsafe": "..."}``, and AWX's inventory import
stores that dict where a string belongs. A string can only be taken for a template when
it holds ``{`` or ``}`` (Jinja's ``{{``, ``{%`` and ``{#`` all start with ``{``), so only
those strings are wrapped; everything else stays plain JSON. This is the approach of
community.general's ``make_unsafe`` and community.dns (see their changelogs for 8212 and 197).

ansible-core 2.19 and later invert the default: a string is a template only when it is
tagged ``TrustedAsTemplate``, and ``ansible-inventory`` prints every host variable string
without that tag as ``{"__ansible_unsafe": ...}``. There, wrapping a string removes the tag
as before, and a string without ``{`` or ``}`` is tagged trusted - harmless, because it
cannot be a template - so that it prints as a plain string.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping, Set

from ansible.utils.unsafe_proxy import wrap_var

try:
    # ansible-core 2.19+ (data tagging): only strings tagged trusted are ever templated.
    from ansible.template import trust_as_template
except ImportError:
    trust_as_template = None

_TEMPLATE_CHARS = ('{', '}')
_TEMPLATE_BYTES = (b'{', b'}')


def could_be_template(value):
    """True for a text or bytes value that holds a character a template needs."""
    if isinstance(value, bytes):
        return any(char in value for char in _TEMPLATE_BYTES)
    if isinstance(value, str):
        return any(char in value for char in _TEMPLATE_CHARS)
    return False


def make_unsafe(value):
    """``value`` with every string that could be a template marked unsafe, recursively.

    Mappings become dicts, sets stay sets, lists and tuples become lists (what JSON and
    host variables hold); numbers, booleans and None are returned as they are.
    """
    if isinstance(value, (str, bytes)):
        if could_be_template(value):
            return wrap_var(value)
        if trust_as_template is not None and isinstance(value, str):
            return trust_as_template(value)
        return value
    if isinstance(value, Mapping):
        return dict((make_unsafe(key), make_unsafe(item)) for key, item in value.items())
    if isinstance(value, Set):
        return set(make_unsafe(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [make_unsafe(item) for item in value]
    return value
