#!/usr/bin/env bash
# Make a Docker engine answer on this machine: install Debian's engine and
# debootstrap when they are missing, start the daemon when it is not running.
# Idempotent: every step is skipped when its result is already there.
set -euo pipefail

log() { printf 'ensure-docker: %s\n' "$*" >&2; }

if docker info >/dev/null 2>&1; then
    log "engine already running"
    exit 0
fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]}"
    "$(dirname "$0")/apt-install.sh" "${need[@]}"
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
    log "starting dockerd (log: /var/log/dockerd.log)"
    setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
fi

# dockerd answers within a few seconds of its start; 300 s leaves room for a
# first start (it sets up its storage) on a busy machine.
for _ in $(seq 1 300); do
    if docker info >/dev/null 2>&1; then
        log "engine ready"
        exit 0
    fi
    sleep 1
done
log "dockerd did not answer within 300 s; see /var/log/dockerd.log"
tail -n 20 /var/log/dockerd.log >&2 || true
exit 1
