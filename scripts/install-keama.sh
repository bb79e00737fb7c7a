#!/usr/bin/env bash
# Install Debian's isc-dhcp-keama (ISC's Kea Migration Assistant, /usr/sbin/keama),
# which playbooks/adopt.yml runs to translate an ISC DHCP estate's dhcpd.conf.
# Debian 13 (trixie) and later ship it: installed with apt. Debian 12 (bookworm)
# does not: the package is taken from trixie (it needs only libc6 >= 2.34),
# through a private apt state under /tmp, leaving the host's apt sources alone.
# Idempotent; as root, or through sudo.
# Env: KEA_DEBIAN_MIRROR  mirror to fetch trixie's package from (default: the host's apt mirror)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { printf 'install-keama: %s\n' "$*" >&2; }

if command -v keama >/dev/null 2>&1 || [ -x /usr/sbin/keama ]; then
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if apt-cache show isc-dhcp-keama >/dev/null 2>&1 \
        || { $sudo apt-get update -qq -o DPkg::Lock::Timeout=300 && apt-cache show isc-dhcp-keama >/dev/null 2>&1; }; then
    exec "$here/apt-install.sh" isc-dhcp-keama
fi

mirror=${KEA_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(grep -hsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
             | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
fi
if [ -z "$mirror" ]; then
    mirror=$(grep -hsE '^\s*deb\s' /etc/apt/sources.list 2>/dev/null \
             | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
fi
[ -n "$mirror" ] || { log "no Debian mirror found; set KEA_DEBIAN_MIRROR"; exit 1; }
log "isc-dhcp-keama is not in this release's archive: taking Debian trixie's from $mirror"
state=$(mktemp -d /tmp/keadhcp-keama.XXXXXX)
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
chmod -R a+rwx "$state"
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$mirror" > "$state/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache")
apt-get "${apt_opts[@]}" update -qq
(cd "$state" && apt-get "${apt_opts[@]}" download -qq isc-dhcp-keama)
$sudo dpkg -i "$state"/isc-dhcp-keama_*.deb >/dev/null
log "installed $(dpkg-query -W -f='${Package} ${Version}' isc-dhcp-keama)"
