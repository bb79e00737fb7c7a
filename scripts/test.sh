#!/usr/bin/env bash
# `make test`: every check of the collection, with the slow parts overlapped.
#
#   1. the Kea images build in the background (network and disk: debootstrap
#      from the Debian mirror) while the checks that need no container run
#      (CPU), in two streams side by side: unit, lint, sanity, docs-lint, then
#      (once the images are built) the real Kea checks (tests/integration,
#      kea-dhcpX -t on every version); beside them galaxy-import and
#      matrix-edges;
#   2. the molecule scenarios, in the lanes of extensions/molecule/lanes.txt
#      side by side (scripts/molecule-lanes.sh).
#
# Stops at the first step that fails. Prints how long each step took.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p build/test
images_log=build/test/kea-images.log
images_rc=build/test/kea-images.rc

took() {
    echo "test: $1 took $(($(date +%s) - $2)) s"
}

start=$(date +%s)
# its own process group, so that a failure below stops the whole build; its
# exit status in $images_rc, which the real Kea checks wait for
rm -f "$images_rc"
# shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
setsid bash -c 'scripts/kea-images.sh >"$1" 2>&1; echo $? >"$2"' images "$images_log" "$images_rc" &
images=$!
trap 'kill -- "-$images" 2>/dev/null || true' EXIT
echo "test: building the Kea images in the background ($images_log)"

# Two streams of checks side by side (two cores), each target's output in
# build/test/<target>.log, printed whole when it fails. Measured on two cores
# (2026-12-07, the images building meanwhile): unit 107 s, lint 134 s, sanity
# 233 s, docs-lint 62 s, then kea 309 s; beside them galaxy-import 213 s and
# matrix-edges 602 s. "images" waits for the background build to end, however
# long it takes (no time-out: a slow mirror is not a failure).
stream() {
    local target step
    for target in "$@"; do
        step=$(date +%s)
        if [ "$target" = images ]; then
            until [ -s build/test/kea-images.rc ]; do sleep 2; done
            if [ "$(cat build/test/kea-images.rc)" != 0 ]; then
                echo "test: building the Kea images failed:"
                cat build/test/kea-images.log
                return 1
            fi
            grep '^kea-images:' build/test/kea-images.log || true
            took "waiting for the Kea images" "$step"
            continue
        fi
        if ! make --no-print-directory "$target" >"build/test/$target.log" 2>&1; then
            echo "test: $target FAILED after $(($(date +%s) - step)) s (build/test/$target.log):"
            cat "build/test/$target.log"
            return 1
        fi
        took "$target" "$step"
    done
}
# what both streams' sanity runs would otherwise install at the same time
scripts/apt-install.sh shellcheck
setsid bash -c "$(declare -f took stream); stream unit lint sanity docs-lint images kea" &
checks_a=$!
setsid bash -c "$(declare -f took stream); stream galaxy-import matrix-edges" &
checks_b=$!
trap 'kill -- "-$images" "-$checks_a" "-$checks_b" 2>/dev/null || true' EXIT
# (a failure stops everything: the trap ends the other stream and the images)
wait "$checks_a" || exit 1
wait "$checks_b" || exit 1
wait "$images" || true
trap - EXIT

step=$(date +%s)
scripts/molecule-lanes.sh
took "molecule scenarios" "$step"
took "make test" "$start"
