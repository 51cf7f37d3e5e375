# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendor packages name no module option: an ``option`` they write is a neutral key of capabilities.py (by its
constant) or a connection option every module and the inventory share; the modules map the keys to their options."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os

from ansible_collections.fleetops.mdm.plugins.module_utils.options import CONNECTION_OPTIONS
from ansible_collections.fleetops.mdm.plugins.module_utils.vendors import capabilities

VENDORS_DIR = os.path.dirname(capabilities.__file__)


def literal_names(node):
    """The option names a literal in ``node`` spells: ``'x'`` and ``'x.y'`` name x; ``'x.%s' % k`` and ``'x.' + k``
    name x too; a literal that only formats other values (``'%s.%s' % (option, key)``) names nothing."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        head = node.value.partition('.')[0]
        return [] if '%' in head or not head else [head]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return literal_names(node.left)
    if isinstance(node, ast.JoinedStr) and node.values:
        return literal_names(node.values[0])
    return []


def written_options(source):
    """``(line, name)`` of every option name written as a literal: an ``option=`` keyword of any call, or the default
    of a parameter called ``option``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == 'option':
                    found.extend((node.lineno, name) for name in literal_names(keyword.value))
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
            args = node.args
            positional = args.args[len(args.args) - len(args.defaults):]
            pairs = list(zip(positional, args.defaults)) + list(zip(args.kwonlyargs, args.kw_defaults))
            for arg, default in pairs:
                if arg.arg == 'option' and default is not None:
                    found.extend((default.lineno, name) for name in literal_names(default))
    return found


def misnamed(source):
    """The literal option names of ``source`` that are not connection options (neutral keys go by their constant)."""
    return [(line, name) for line, name in written_options(source) if name not in CONNECTION_OPTIONS]


def vendor_sources():
    for root, _dirs, files in os.walk(VENDORS_DIR):
        for name in sorted(files):
            if name.endswith('.py'):
                path = os.path.join(root, name)
                with open(path) as handle:
                    yield os.path.relpath(path, VENDORS_DIR), handle.read()


def test_the_scan_finds_every_form_of_a_literal_option_name():
    source = '''
def check(name, option='name'):
    raise InvalidInputError('empty', option='admin_email')
def other(value, option=KEY):
    raise InvalidInputError('bad', option='gather_params.%s' % value)
def third(value, key):
    raise InvalidInputError('bad', option='labels.' + key)
def fine(value, option, key):
    check_params(value, option='%s.%s' % (option, key))
    raise InvalidInputError('bad', option=KEY + '.x')
def connection():
    raise InvalidInputError('needs a key', option='api_key')
'''
    assert sorted(misnamed(source)) == [(2, 'name'), (3, 'admin_email'), (5, 'gather_params'), (7, 'labels')]


def test_the_vendor_packages_write_no_module_option_name():
    found = dict((path, misnamed(source)) for path, source in vendor_sources())
    assert len(found) > 20  # every vendor package was read
    assert dict((path, names) for path, names in found.items() if names) == {}


def test_the_neutral_keys_are_the_capability_constants_and_name_no_connection_option():
    keys = dict((name, value) for name, value in vars(capabilities).items() if name.isupper() and isinstance(value, str))
    assert {'DEVICES', 'COMMAND_PARAMS', 'FACT_PARAMS', 'LISTING_PAGE_SIZE', 'ACCOUNT_NAME', 'DEVICE_ID'} <= set(keys)
    assert not set(keys.values()) & set(CONNECTION_OPTIONS)
