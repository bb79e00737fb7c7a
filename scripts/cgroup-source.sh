#!/usr/bin/env bash
# Print the host path of the cgroup2 hierarchy that systemd containers need
# mounted at /sys/fs/cgroup (the molecule scenarios' KEADHCP_CGROUP_SOURCE).
#   pure cgroup2 host (most current distributions)   /sys/fs/cgroup
#   hybrid host (v1 controllers + cgroup2 "unified") /sys/fs/cgroup/unified
# systemd 257+ (trixie, forky) boots only on cgroup2, so a v1-only host is an error.
set -euo pipefail

for candidate in /sys/fs/cgroup /sys/fs/cgroup/unified; do
    if [ "$(stat -fc %T "$candidate" 2>/dev/null || true)" = cgroup2fs ]; then
        printf '%s\n' "$candidate"
        exit 0
    fi
done
printf 'cgroup-source: no cgroup2 hierarchy at /sys/fs/cgroup or /sys/fs/cgroup/unified; the systemd containers need one\n' >&2
exit 1
