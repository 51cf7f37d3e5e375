# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one fake AnsibleModule of the unit tests, and a module's main() run in-process.

A module's ``run(module, adapter)`` sees two things: the module (its ``params``, ``check_mode``, ``warn`` ...) and
the adapter that ``runner.run_module`` built with ``client.build_adapter``. The fakes here stand at exactly those two
places, so they know no vendor:

- ``FakeModule.of(mdm_label, labels=[...])`` is the module: its parameters are the module's own argument-spec
  defaults (read from its ``main()``, so they cannot drift from the real ones) updated with what the test gives;
  ``FakeModule.for_module(mdm_label)`` is the same as a class, for a test file's helpers.
- ``run_main(mdm_label, args)`` runs the real ``main()``: ansible-core checks the argument spec, ``runner`` checks the
  connection options and builds the real adapter, the module's ``run()`` checks its options; the adapter talks to a
  session that answers nothing (``ScriptedSession([])``), so the result also says whether any request was attempted.
  That is what an ansible-playbook task of a validation-only case proves, without the seconds of start-up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import importlib
import json
import pkgutil

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.fleetops.mdm.plugins import modules as modules_package
from ansible_collections.fleetops.mdm.plugins.module_utils import runner
from ansible_collections.fleetops.mdm.plugins.module_utils.client import build_adapter
from ansible_collections.fleetops.mdm.tests.unit.plugins.module_utils.scripted import ScriptedSession


class ModuleExit(Exception):
    """fail_json or exit_json was called; ``args[0]`` and ``result`` hold its keyword arguments as given."""

    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


class ModuleFailed(ModuleExit):
    """fail_json was called."""


class ModuleExited(ModuleExit):
    """exit_json was called."""


def all_modules():
    """{name: module} of every module of the collection (plugins/modules/*.py), so that a table of cases can be checked
    to cover each of them, a new one included."""
    return dict((info.name, importlib.import_module('%s.%s' % (modules_package.__name__, info.name)))
                for info in pkgutil.iter_modules(modules_package.__path__) if not info.name.startswith('_'))


class _SpecCaptured(Exception):
    pass


def argument_spec_of(module):
    """The argument spec (and the other AnsibleModule keywords) that ``module.main()`` builds its MdmModule with."""
    real = module.MdmModule

    class Capture:
        def __init__(self, **kwargs):
            raise _SpecCaptured(kwargs)

    module.MdmModule = Capture
    try:
        module.main()
    except _SpecCaptured as captured:
        return captured.args[0]
    finally:
        module.MdmModule = real
    raise AssertionError('%s.main() built no MdmModule' % module.__name__)


def defaults_of(module):
    """{option: default} of a module, as AnsibleModule fills them in (None where the spec has no default)."""
    spec = argument_spec_of(module)['argument_spec']
    return dict((name, option.get('default')) for name, option in spec.items())


class FakeModule:
    """What a module's run() (and runner.run_module) uses of AnsibleModule.

    fail_json and exit_json raise ModuleFailed / ModuleExited and keep the task result in ``outcome`` (``failed: true``
    added on failure, as AnsibleModule does)."""

    def __init__(self, params=None, check_mode=False, diff=False, no_log=False):
        self.params = dict(params or {})
        self.check_mode = check_mode
        self._diff = diff
        self.no_log = no_log
        self.no_log_values = set()
        self.warnings = []
        self.outcome = None

    @classmethod
    def of(cls, module, check_mode=False, diff=False, no_log=False, **params):
        """A fake of ``module`` (e.g. mdm_label): its real defaults, updated with ``params``."""
        values = defaults_of(module)
        values.update(params)
        return cls(values, check_mode=check_mode, diff=diff, no_log=no_log)

    @classmethod
    def for_module(cls, module, **fixed):
        """A FakeModule class of ``module`` whose instances take the module's options as keywords: the real defaults,
        then ``fixed`` (what a test file holds the same in all its tests), then what the test gives."""
        defaults = defaults_of(module)
        defaults.update(fixed)

        class Bound(cls):
            def __init__(self, check_mode=False, diff=False, no_log=False, **params):
                super(Bound, self).__init__(dict(defaults, **params), check_mode=check_mode, diff=diff, no_log=no_log)

        Bound.__name__ = Bound.__qualname__ = 'FakeModule[%s]' % module.__name__.rsplit('.', 1)[-1]
        return Bound

    def warn(self, text):
        self.warnings.append(text)

    def fail_json(self, **kwargs):
        self.outcome = dict(kwargs, failed=True)
        raise ModuleFailed(kwargs)

    def exit_json(self, **kwargs):
        self.outcome = kwargs
        raise ModuleExited(kwargs)


@contextlib.contextmanager
def module_args(args):
    """Hand ``args`` to the next AnsibleModule the way AnsiballZ does (ansible-core 2.19+ and older)."""
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # ansible-core before 2.19
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = None
    else:
        with patch_module_args(args):
            yield


class MainResult:
    """What one in-process main() printed: ``result`` (the task result), ``output`` (the text) and ``requests``
    (every request the adapter attempted; the session answers none)."""

    def __init__(self, output, requests):
        self.output = output
        self.result = json.loads(output)
        self.requests = requests

    @property
    def failed(self):
        return self.result.get('failed') is True

    @property
    def msg(self):
        return self.result.get('msg') or ''


def run_main(module, args, monkeypatch, capsys, check_mode=False):
    """Run ``module.main()`` with the task arguments ``args``; see the docstring of this file.

    ``monkeypatch`` and ``capsys`` are the pytest fixtures (the conftest's ``module_main`` fixture passes them)."""
    sessions = []

    def offline_adapter(options, **kwargs):
        session = ScriptedSession([])
        sessions.append(session)
        kwargs.update(session=session, sleep=lambda _seconds: None)
        return build_adapter(options, **kwargs)

    monkeypatch.setattr(runner, 'build_adapter', offline_adapter)
    # No login cache: the play's login broker (plugin_utils/login_broker.py) is not there in a unit test.
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=False, login_cache=False)
    capsys.readouterr()
    with module_args(args):
        try:
            module.main()
        except SystemExit:
            pass
        else:
            raise AssertionError('%s.main() returned without exit_json or fail_json' % module.__name__)
    output = capsys.readouterr().out
    return MainResult(output, [call for session in sessions for call in session.calls])
