#!/usr/bin/env bash
# Run `ansible-test sanity` with the ansible-core of one virtualenv.
#
#   scripts/sanity.sh VENV [extra ansible-test sanity arguments...]
#
# ansible-test needs the collection as a real directory named
# .../ansible_collections/fleetops/mdm (a symlink to the repo fails because the cwd is
# resolved), so the tree is copied into a temporary directory first. .git is left out on
# purpose: ansible-test then tests every file on disk, including files not committed yet.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
venv=${1:?usage: scripts/sanity.sh VENV [ansible-test args...]}
shift
case $venv in /*) ;; *) venv=$repo/$venv ;; esac
shared=${SHARED_DIR:-$repo/../shared}
py=$venv/bin/python

pyver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
core=$("$py" -c 'from ansible.release import __version__; print(__version__)')

# Sanity tests deliberately not run (each needs a reason):
#  (none at the moment: shellcheck and pslint skip themselves when their tools are absent,
#   and no sanity test needs a container)
skip_args=()

# --- pip bootstrap -------------------------------------------------------------------
# ansible-test creates every sanity venv without pip and bootstraps pip with a get-pip
# script downloaded from ci-files.testing.ansible.com, which is unreachable from some
# machines. Where the cache lacks that script and the offline stand-in exists, put the
# stand-in there (it installs pip from the interpreter's bundled wheel, everything else
# from PyPI). A script already in the cache (a real download) is never overwritten, and
# where neither exists ansible-test downloads the real one as usual.
cache=$HOME/.ansible/test/cache
standin=$shared/tools/ansible-test-get-pip.py
needed=$("$py" "$repo/scripts/ansible_test_pip_version.py" || true)
# plus the known ones: 23.1.2 (core 2.16), 24.2 (core 2.18-2.19), 25.2 (core 2.20+)
seen=" "
for version in $needed 23.1.2 24.2 25.2; do
    [[ $seen == *" $version "* ]] && continue
    seen="$seen$version "
    target=$cache/get_pip_${version//./_}.py
    if [[ ! -s $target ]]; then
        if [[ -f $standin ]]; then
            mkdir -p "$cache"
            cp "$standin" "$target"
            echo "sanity: installed offline get-pip stand-in as $target"
        elif [[ $version == "$needed" ]]; then
            echo "sanity: $target missing and no stand-in at $standin; ansible-test will download it"
        fi
    fi
done

# --- copy the collection -----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/fleetops-mdm-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest=$work/ansible_collections/fleetops/mdm
mkdir -p "$dest"
# Top-level development artefacts are left out by name; nested caches by pattern.
items=()
while IFS= read -r item; do
    case $item in
        .git|.venv|.venv-*|.build|.ansible|collections|.pytest_cache|.benchmarks|.mypy_cache|.tox|.cache|*.tar.gz) ;;
        *) items+=("$item") ;;
    esac
done < <(cd "$repo" && ls -A)
tar -C "$repo" \
    --exclude=__pycache__ --exclude='*.pyc' --exclude=.pytest_cache \
    --exclude=tests/output --exclude=benchmarks/results \
    -cf - "${items[@]}" | tar -C "$dest" -xf -

# --- run ----------------------------------------------------------------------------------
echo "sanity: ansible-core $core, Python $pyver, in $dest"
status=0
(
    cd "$dest"
    # --venv: every sanity test runs in its own venv with ansible-test's pinned
    # requirements (cached under ~/.ansible/test/venv), never touching $venv.
    # --python: without it ansible-test probes every Python on PATH (pyenv shims exit 127).
    PATH=$venv/bin:$PATH "$venv/bin/ansible-test" sanity --venv --python "$pyver" \
        ${skip_args[@]+"${skip_args[@]}"} "$@"
) || status=$?
if [[ $status -ne 0 && -d $dest/tests/output ]]; then
    keep=$repo/tests/output/sanity-$core
    rm -rf "$keep"
    mkdir -p "$repo/tests/output"
    cp -R "$dest/tests/output" "$keep"
    echo "sanity: FAILED (rc=$status) for ansible-core $core; ansible-test output kept in tests/output/sanity-$core"
fi
exit $status
