#!/usr/bin/env bash
# Print the first working interpreter of the given Python versions (newest first), or nothing.
#
#   scripts/find-python.sh 3.13 3.12
#
# Looks for pythonX.Y on PATH (a pyenv shim that has no such version installed fails the
# check and is passed over), then in pyenv's versions directory ($PYENV_ROOT or ~/.pyenv),
# so that `make` finds a Python for ansible-core 2.21 by itself on a machine that has one.
set -uo pipefail

works() {
    "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$2' else 1)" >/dev/null 2>&1
}

root=${PYENV_ROOT:-$HOME/.pyenv}
for version in "$@"; do
    if candidate=$(command -v "python$version" 2>/dev/null) && works "$candidate" "$version"; then
        # A pyenv shim works only while that version is selected: prefer the interpreter behind it.
        real=$("$candidate" -c 'import sys; print(sys.executable)' 2>/dev/null)
        echo "${real:-$candidate}"
        exit 0
    fi
    for candidate in "$root"/versions/"$version"*/bin/python"$version"; do
        if [[ -x $candidate ]] && works "$candidate" "$version"; then
            echo "$candidate"
            exit 0
        fi
    done
done
exit 0
