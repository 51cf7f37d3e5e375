#!/usr/bin/env python
"""Print the pip version whose get-pip script the installed ansible-test bootstraps venvs with.

ansible-test caches that script as ~/.ansible/test/cache/get_pip_<version>.py. The
version is read from ansible-test's source (not imported: importing ansible_test
internals has side effects), so this keeps working when ansible-core is upgraded.
"""
import importlib.util
import os
import re
import sys


def main():
    spec = importlib.util.find_spec('ansible_test')
    if spec is None or not spec.submodule_search_locations:
        return 1
    path = os.path.join(list(spec.submodule_search_locations)[0], '_internal', 'python_requirements.py')
    with open(path) as handle:
        source = handle.read()
    start = source.find('def get_venv_packages')
    match = re.search(r"pip='([0-9][0-9.]*)'", source[start:]) if start >= 0 else None
    if not match:
        return 1
    print(match.group(1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
