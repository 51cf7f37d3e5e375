# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every public function and method of module_utils, and every module's run(), says what it does: a docstring of
its own, or the one of the contract it implements (a method of a base class, as inspect.getdoc reads it)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import inspect
import os
import pkgutil

from ansible_collections.fleetops.mdm.plugins import module_utils
from ansible_collections.fleetops.mdm.plugins.modules import mdm_device_info

PREFIX = 'ansible_collections.fleetops.mdm.plugins.'


def module_names(package):
    return [name for _finder, name, _is_package in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]


def undocumented(module):
    """The public functions and methods defined in ``module`` without a docstring of their own or inherited."""
    missing = []
    for name, value in vars(module).items():
        if name.startswith('_') or getattr(value, '__module__', None) != module.__name__:
            continue
        if inspect.isfunction(value) and not inspect.getdoc(value):
            missing.append(name)
        elif inspect.isclass(value):
            for attribute, member in vars(value).items():
                if attribute.startswith('_'):
                    continue
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                elif isinstance(member, property):
                    member = member.fget
                if not inspect.isfunction(member):
                    continue
                inherited = [inspect.getdoc(getattr(base, attribute, None)) for base in value.__mro__[1:]
                             if getattr(base, attribute, None) is not None]
                if not (member.__doc__ or any(inherited)):
                    missing.append('%s.%s' % (name, attribute))
    return missing


def test_every_public_function_of_module_utils_has_a_docstring():
    missing = []
    for name in module_names(module_utils):
        missing.extend('%s: %s' % (name[len(PREFIX):], item) for item in undocumented(importlib.import_module(name)))
    assert not missing, '\n'.join(missing)


def test_every_module_run_has_a_docstring():
    directory = os.path.dirname(mdm_device_info.__file__)
    names = sorted(name[:-3] for name in os.listdir(directory) if name.endswith('.py') and not name.startswith('_'))
    assert len(names) >= 10
    missing = [name for name in names if not inspect.getdoc(importlib.import_module(PREFIX + 'modules.' + name).run)]
    assert not missing, missing
