#!/usr/bin/env bash
# Runs the molecule scenarios of extensions/molecule/lanes.txt, its lanes side
# by side and each lane's scenarios in turn (`make molecule SCENARIO=...`, or
# scripts/own-scenario.sh for a path such as examples/own_scenario).
# A scenario spends most of its time waiting for containers, timers and
# Kea, so two lanes take little more than the longer one on two cores.
#
#   scripts/molecule-lanes.sh            every lane at once
#   MOLECULE_LANES=1 scripts/molecule-lanes.sh
#                                        one scenario at a time, output shown as it comes
#
# Each scenario's output goes to build/molecule/<scenario>.log; one line says
# how each ended. A lane goes on after a failed scenario (the next one starts
# with destroy), and the tail of each failed scenario's log is printed at the
# end. The exit status is non-zero when any scenario failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit
logs=build/molecule
mkdir -p "$logs"

lanes=()
while read -r line; do
    case "$line" in '' | '#'*) continue ;; esac
    lanes+=("$line")
done <extensions/molecule/lanes.txt

# One scenario: a name of extensions/molecule/, or the directory of a molecule
# project of a user's own (a path: scripts/own-scenario.sh).
run_one() {
    case "$1" in
        */*) scripts/own-scenario.sh "$1" ;;
        *) make --no-print-directory molecule SCENARIO="$1" ;;
    esac
}

if [ "${MOLECULE_LANES:-}" = 1 ]; then
    status=0
    for lane in "${lanes[@]}"; do
        for scenario in $lane; do
            run_one "$scenario" || status=1
        done
    done
    exit $status
fi

# One lane: its scenarios in turn; prints a line as each starts and ends.
lane() {
    local scenario name start status=0
    for scenario in "$@"; do
        name=${scenario##*/}
        start=$(date +%s)
        echo "molecule $scenario: started"
        if run_one "$scenario" >"$logs/$name.log" 2>&1; then
            echo "molecule $scenario: passed in $(($(date +%s) - start)) s"
        else
            echo "molecule $scenario: FAILED in $(($(date +%s) - start)) s ($logs/$name.log)"
            touch "$logs/$name.failed"
            status=1
        fi
    done
    return $status
}

rm -f "$logs"/*.failed
start=$(date +%s)
pids=()
for item in "${lanes[@]}"; do
    # shellcheck disable=SC2086 # a lane is a list of scenario names
    lane $item &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do
    wait "$pid" || status=1
done
for failed in "$logs"/*.failed; do
    [ -e "$failed" ] || continue
    scenario=$(basename "$failed" .failed)
    echo
    echo "==== molecule $scenario failed: the last 250 lines of $logs/$scenario.log ===="
    tail -n 250 "$logs/$scenario.log"
done
echo "molecule: ${#lanes[@]} lanes in $(($(date +%s) - start)) s, $([ $status = 0 ] && echo 'every scenario passed' || echo 'some scenarios FAILED')"
exit $status
