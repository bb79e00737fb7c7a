#!/usr/bin/env bash
# Build the local container images the tests run, from Debian packages
# (no container registry is needed or used):
#   keadhcp-kea:2.6          Debian trixie,   Kea 2.6.x
#   keadhcp-kea:3.0          Debian forky,    Kea 3.0.x (3.0.4)
#   keadhcp-kea:3.0.3        Debian trixie with trixie-backports, Kea 3.0.3:
#                            the version Debian 13 users get, whose config-set
#                            closes the HA listeners (the roles restart there)
#   keadhcp-kea:2.6-upgrade  keadhcp-kea:2.6 plus Kea 3.0.3 from trixie-backports staged
#                            in a local apt repository (/opt/kea-3.0), not installed: the
#                            molecule scenario `upgrade` upgrades a live hub from it offline
#   keadhcp-client:bookworm  Debian bookworm, ISC dhclient (a real DHCP client
#                            for the molecule scenarios; trixie has no isc-dhcp-client)
#   keadhcp-relay:trixie     Debian trixie, ISC dhcrelay under systemd: a branch
#                            router relaying its LAN's DHCP across the WAN
# Each Kea image is a debootstrapped root file system with systemd, so the same
# images serve `kea-dhcpX -t` checks and the molecule scenarios. An image is
# rebuilt only when this script's package list changes (label keadhcp.recipe).
#
# Usage: scripts/kea-images.sh [2.6|3.0|3.0.3|2.6-upgrade|client|relay ...]     (default: all six)
# Env:   KEA_DEBIAN_MIRROR  mirror to bootstrap from (default: the host's apt mirror)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-docker.sh"

log() { printf 'kea-images: %s\n' "$*" >&2; }

BASE_PACKAGES="systemd,systemd-sysv,dbus,python3,python3-apt,iproute2,iputils-ping,procps,ca-certificates,curl"
KEA_PACKAGES="kea-dhcp4-server,kea-dhcp6-server,kea-ctrl-agent,kea-admin"
PACKAGES="$BASE_PACKAGES,$KEA_PACKAGES"
RECIPE=$(printf '%s|%s' "$PACKAGES" "v1" | sha256sum | cut -c1-16)
BACKPORTS_RECIPE=$(printf '%s|%s' "$PACKAGES" "backports-v1" | sha256sum | cut -c1-16)
CLIENT_PACKAGES="isc-dhcp-client,iproute2,procps"
CLIENT_RECIPE=$(printf '%s|%s' "$CLIENT_PACKAGES" "client-v1" | sha256sum | cut -c1-16)
UPGRADE_RECIPE=$(printf '%s|%s' "$PACKAGES" "upgrade-v2" | sha256sum | cut -c1-16)
RELAY_PACKAGES="$BASE_PACKAGES,isc-dhcp-relay"
RELAY_RECIPE=$(printf '%s|%s' "$RELAY_PACKAGES" "relay-v1" | sha256sum | cut -c1-16)

host_mirror() {
    # The first Debian mirror the host's own apt configuration names.
    local uri
    uri=$(grep -hsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
          | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
    if [ -z "$uri" ]; then
        uri=$(grep -hsE '^\s*deb\s' /etc/apt/sources.list 2>/dev/null \
              | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
    fi
    printf '%s' "$uri"
}
MIRROR=${KEA_DEBIAN_MIRROR:-$(host_mirror)}
[ -n "$MIRROR" ] || { log "no Debian mirror found; set KEA_DEBIAN_MIRROR"; exit 1; }

# Kea 3.0 from a backports suite, downloaded (not installed) into a local
# repository at /opt/kea-3.0 that the image's apt lists: everything
# `apt-get install` needs to upgrade the installed 2.6 packages, offline.
stage() {
    local rootfs=$1 suite=$2 repo=$1/opt/kea-3.0 deb
    log "staging Kea 3.0 from $suite in /opt/kea-3.0 (a local repository, not installed)"
    printf 'deb %s %s main\n' "$MIRROR" "$suite" > "$rootfs/etc/apt/sources.list.d/staging.list"
    # (the archive cache holds debootstrap's packages: emptied first)
    { chroot "$rootfs" apt-get clean && chroot "$rootfs" apt-get update \
      && chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y --download-only \
           --no-install-recommends -t "$suite" ${KEA_PACKAGES//,/ }; } > "/tmp/keadhcp-staging-$suite.log" 2>&1 \
        || { log "downloading Kea from $suite failed, see /tmp/keadhcp-staging-$suite.log"; tail -n 20 "/tmp/keadhcp-staging-$suite.log" >&2; exit 1; }
    rm -f "$rootfs/etc/apt/sources.list.d/staging.list"
    mkdir -p "$repo"
    mv "$rootfs"/var/cache/apt/archives/*.deb "$repo/"
    # the index apt reads (what dpkg-scanpackages writes, from dpkg-deb alone)
    for deb in "$repo"/*.deb; do
        dpkg-deb -f "$deb"
        printf 'Filename: ./%s\nSize: %s\nSHA256: %s\n\n' "$(basename "$deb")" "$(stat -c %s "$deb")" \
            "$(sha256sum "$deb" | cut -d' ' -f1)"
    done > "$repo/Packages"
    printf 'deb [trusted=yes] file:/opt/kea-3.0 ./\n' > "$rootfs/etc/apt/sources.list.d/kea-3.0-local.list"
    chroot "$rootfs" apt-get update > "/tmp/keadhcp-staging-$suite.log" 2>&1 \
        || { log "apt-get update with the local repository failed, see /tmp/keadhcp-staging-$suite.log"; exit 1; }
    local policy
    policy=$(chroot "$rootfs" apt-cache policy kea-dhcp4-server)
    grep -q 'Candidate: 3\.0' <<<"$policy" \
        || { log "the local repository does not offer Kea 3.0: $(tr '\n' ' ' <<<"$policy")"; exit 1; }
}

build() {
    local version=$1 suite tag packages recipe cmd rootfs script backports="" staged=""
    local -a check
    case "$version" in
        2.6) suite=trixie ;;
        3.0) suite=forky ;;
        3.0.3) suite=trixie backports=trixie-backports ;;
        2.6-upgrade) suite=trixie staged=trixie-backports ;;
        client) suite=bookworm ;;
        relay) suite=trixie ;;
        *) log "unknown image '$version' (known: 2.6, 3.0, 3.0.3, 2.6-upgrade, client, relay)"; exit 2 ;;
    esac
    if [ "$version" = client ]; then
        tag="keadhcp-client:$suite"
        packages=$CLIENT_PACKAGES recipe=$CLIENT_RECIPE
        cmd='["/bin/bash"]' check=(dhclient --version)
        # bookworm is older than the host's debootstrap: its own script knows it.
        script=/usr/share/debootstrap/scripts/bookworm
    elif [ "$version" = relay ]; then
        tag="keadhcp-relay:$suite"
        packages=$RELAY_PACKAGES recipe=$RELAY_RECIPE
        cmd='["/sbin/init"]' check=(sh -c 'dpkg-query -W isc-dhcp-relay')
        script=/usr/share/debootstrap/scripts/sid
    elif [ -n "$backports" ]; then
        # Kea from the backports suite: the base system first, Kea on top.
        tag="keadhcp-kea:$version"
        packages=$BASE_PACKAGES recipe=$BACKPORTS_RECIPE
        cmd='["/sbin/init"]' check=(kea-dhcp4 -V)
        script=/usr/share/debootstrap/scripts/sid
    else
        tag="keadhcp-kea:$version"
        packages=$PACKAGES recipe=$RECIPE
        [ -z "$staged" ] || recipe=$UPGRADE_RECIPE
        cmd='["/sbin/init"]' check=(kea-dhcp4 -V)
        # Newer suites are bootstrapped with the sid script, which knows their layout.
        script=/usr/share/debootstrap/scripts/sid
    fi
    if [ "$(docker image inspect -f '{{ index .Config.Labels "keadhcp.recipe" }}' "$tag" 2>/dev/null || true)" = "$recipe" ]; then
        log "$tag is up to date"
        return 0
    fi
    rootfs=$(mktemp -d /tmp/keadhcp-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' RETURN
    log "bootstrapping $suite for $tag (a few minutes)"
    debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$MIRROR" \
        "$script" > "/tmp/keadhcp-debootstrap-$suite.log" 2>&1 \
        || { log "debootstrap failed, see /tmp/keadhcp-debootstrap-$suite.log"; tail -n 20 "/tmp/keadhcp-debootstrap-$suite.log" >&2; exit 1; }
    if [ -n "$backports" ]; then
        log "installing Kea from $backports"
        printf 'deb %s %s main\n' "$MIRROR" "$backports" > "$rootfs/etc/apt/sources.list.d/$backports.list"
        # Nothing may start a service inside the root file system being built.
        printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
        chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
        { chroot "$rootfs" apt-get update \
          && chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
               -t "$backports" ${KEA_PACKAGES//,/ }; } > "/tmp/keadhcp-backports-$suite.log" 2>&1 \
            || { log "installing Kea from $backports failed, see /tmp/keadhcp-backports-$suite.log"; tail -n 20 "/tmp/keadhcp-backports-$suite.log" >&2; exit 1; }
        rm -f "$rootfs/usr/sbin/policy-rc.d"
        local wanted=${version}
        chroot "$rootfs" kea-dhcp4 -V | head -n1 | grep -q "^${wanted//./\\.}\b" \
            || { log "$backports gave Kea $(chroot "$rootfs" kea-dhcp4 -V | head -n1), not $wanted"; exit 1; }
    fi
    if [ -n "$staged" ]; then
        stage "$rootfs" "$staged"
    fi
    # Kea's services must not start on their own in the test containers: the
    # roles start them. Keep the apt lists so containers can install more.
    rm -f "$rootfs"/etc/systemd/system/multi-user.target.wants/kea-* \
          "$rootfs"/etc/systemd/system/multi-user.target.wants/isc-dhcp-relay*
    tar -C "$rootfs" -c . | docker import \
        -c "CMD $cmd" \
        -c "LABEL keadhcp.recipe=$recipe keadhcp.suite=$suite" \
        - "$tag" >/dev/null
    log "built $tag: $(docker run --rm "$tag" "${check[@]}" 2>&1 | head -n1)"
}

versions=("$@")
[ "${#versions[@]}" -gt 0 ] || versions=(2.6 3.0 3.0.3 2.6-upgrade client relay)
for v in "${versions[@]}"; do build "$v"; done
