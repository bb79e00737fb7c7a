#!/usr/bin/env bash
# `make test`: every check of the collection, with the slow parts overlapped.
#
#   1. the Kea images build in the background (network and disk: debootstrap
#      from the Debian mirror) while the checks that need no container run
#      (CPU): unit, lint, sanity, docs-lint beside galaxy-import, matrix-edges;
#   2. the real Kea checks (tests/integration, kea-dhcpX -t on every version);
#   3. the molecule scenarios, in the lanes of extensions/molecule/lanes.txt
#      side by side (scripts/molecule-lanes.sh).
#
# Stops at the first step that fails. Prints how long each step took.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p build/test
images_log=build/test/kea-images.log

took() {
    echo "test: $1 took $(($(date +%s) - $2)) s"
}

start=$(date +%s)
# its own process group, so that a failure below stops the whole build
setsid scripts/kea-images.sh >"$images_log" 2>&1 &
images=$!
trap 'kill -- "-$images" 2>/dev/null || true' EXIT
echo "test: building the Kea images in the background ($images_log)"

# Two streams of checks side by side (two cores), each target's output in
# build/test/<target>.log, printed whole when it fails. Measured: about 350 s
# (unit + lint + sanity + docs-lint) beside 565 s (galaxy-import + matrix-edges).
stream() {
    local target step
    for target in "$@"; do
        step=$(date +%s)
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
setsid bash -c "$(declare -f took stream); stream unit lint sanity docs-lint" &
checks_a=$!
setsid bash -c "$(declare -f took stream); stream galaxy-import matrix-edges" &
checks_b=$!
trap 'kill -- "-$images" "-$checks_a" "-$checks_b" 2>/dev/null || true' EXIT
# (a failure stops everything: the trap ends the other stream and the images)
wait "$checks_a" || exit 1
wait "$checks_b" || exit 1
trap 'kill -- "-$images" 2>/dev/null || true' EXIT

step=$(date +%s)
if ! wait "$images"; then
    trap - EXIT
    echo "test: building the Kea images failed:"
    cat "$images_log"
    exit 1
fi
trap - EXIT
grep '^kea-images:' "$images_log" || true
took "waiting for the Kea images" "$step"

step=$(date +%s)
make --no-print-directory kea
took "kea (real Kea checks)" "$step"

step=$(date +%s)
scripts/molecule-lanes.sh
took "molecule scenarios" "$step"
took "make test" "$start"
