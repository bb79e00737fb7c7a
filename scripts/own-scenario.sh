#!/usr/bin/env bash
# Runs a molecule project of a user's own repository that takes its steps from
# the installed collection (docs/rehearse.md, "In a scenario of your own"), as
# that user would: the collection built into a tarball and installed into
# build/own-scenario/collections, then `molecule test` from the project's
# directory, with no project configuration of this checkout in the way.
#
#   scripts/own-scenario.sh [DIR]      (default: examples/own_scenario)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project=$(cd "${1:-examples/own_scenario}" && pwd)
cd "$root"
work=$root/build/own-scenario
rm -rf "$work"
mkdir -p "$work"
.venv/bin/ansible-galaxy collection build --output-path "$work/dist" "$root" >/dev/null
# away from the checkout's ansible.cfg (named or in the current directory), which would show the
# collection as already installed
(cd "$work" && env -u ANSIBLE_CONFIG "$root/.venv/bin/ansible-galaxy" collection install \
    "$work"/dist/keadhcp-ha-*.tar.gz -p "$work/collections" >/dev/null)
test -f "$work/collections/ansible_collections/keadhcp/ha/playbooks/lab/verify.yml"
echo "own-scenario: keadhcp.ha installed from $(basename "$work"/dist/keadhcp-ha-*.tar.gz) into $work/collections"
cgroup=${KEADHCP_CGROUP_SOURCE:-$(scripts/cgroup-source.sh)}
cd "$project"
env -u ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH="$work/collections" KEADHCP_CGROUP_SOURCE="$cgroup" \
    PATH="$root/.venv/bin:$PATH" molecule test
