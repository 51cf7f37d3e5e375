#!/usr/bin/env bash
# Run make targets one after the other, print how long each took, stop at the first
# failure with a non-zero exit status. Used by `make test`.
#
#   scripts/run-stages.sh TARGET...
set -uo pipefail

make=${MAKE:-make}
summary=()
total_start=$(date +%s)

report() {
    echo
    echo "==== stage timings ===="
    for line in "${summary[@]}"; do
        echo "$line"
    done
    echo "total: $(( $(date +%s) - total_start ))s"
}

for stage in "$@"; do
    echo
    echo "==== $stage ===="
    start=$(date +%s)
    "$make" --no-print-directory "$stage"
    status=$?
    elapsed=$(( $(date +%s) - start ))
    if [[ $status -ne 0 ]]; then
        summary+=("$(printf '%-20s %5ss  FAILED (exit %s)' "$stage" "$elapsed" "$status")")
        report
        exit "$status"
    fi
    summary+=("$(printf '%-20s %5ss  ok' "$stage" "$elapsed")")
done
report
