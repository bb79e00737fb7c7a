#!/usr/bin/env bash
# Build the local container images the tests run, from Debian packages
# (no container registry is needed or used):
#   keadhcp-kea:2.6          Debian trixie,   Kea 2.6.x
#   keadhcp-kea:3.0          Debian forky,    Kea 3.0.x
#   keadhcp-client:bookworm  Debian bookworm, ISC dhclient (a real DHCP client
#                            for the molecule scenarios; trixie has no isc-dhcp-client)
# Each Kea image is a debootstrapped root file system with systemd, so the same
# images serve `kea-dhcpX -t` checks and the molecule scenarios. An image is
# rebuilt only when this script's package list changes (label keadhcp.recipe).
#
# Usage: scripts/kea-images.sh [2.6|3.0|client ...]     (default: all three)
# Env:   KEA_DEBIAN_MIRROR  mirror to bootstrap from (default: the host's apt mirror)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-docker.sh"

log() { printf 'kea-images: %s\n' "$*" >&2; }

PACKAGES="systemd,systemd-sysv,dbus,python3,python3-apt,iproute2,iputils-ping,procps,ca-certificates,curl,kea-dhcp4-server,kea-dhcp6-server,kea-ctrl-agent,kea-admin"
RECIPE=$(printf '%s|%s' "$PACKAGES" "v1" | sha256sum | cut -c1-16)
CLIENT_PACKAGES="isc-dhcp-client,iproute2,procps"
CLIENT_RECIPE=$(printf '%s|%s' "$CLIENT_PACKAGES" "client-v1" | sha256sum | cut -c1-16)

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

build() {
    local version=$1 suite tag packages recipe cmd rootfs script
    local -a check
    case "$version" in
        2.6) suite=trixie ;;
        3.0) suite=forky ;;
        client) suite=bookworm ;;
        *) log "unknown image '$version' (known: 2.6, 3.0, client)"; exit 2 ;;
    esac
    if [ "$version" = client ]; then
        tag="keadhcp-client:$suite"
        packages=$CLIENT_PACKAGES recipe=$CLIENT_RECIPE
        cmd='["/bin/bash"]' check=(dhclient --version)
        # bookworm is older than the host's debootstrap: its own script knows it.
        script=/usr/share/debootstrap/scripts/bookworm
    else
        tag="keadhcp-kea:$version"
        packages=$PACKAGES recipe=$RECIPE
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
    # Kea's services must not start on their own in the test containers: the
    # roles start them. Keep the apt lists so containers can install more.
    rm -f "$rootfs"/etc/systemd/system/multi-user.target.wants/kea-*
    tar -C "$rootfs" -c . | docker import \
        -c "CMD $cmd" \
        -c "LABEL keadhcp.recipe=$recipe keadhcp.suite=$suite" \
        - "$tag" >/dev/null
    log "built $tag: $(docker run --rm "$tag" "${check[@]}" 2>&1 | head -n1)"
}

versions=("$@")
[ "${#versions[@]}" -gt 0 ] || versions=(2.6 3.0 client)
for v in "${versions[@]}"; do build "$v"; done
