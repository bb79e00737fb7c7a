# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real Kea (Debian trixie's 2.6, trixie-backports' 3.0.3, forky's 3.0.4) accepts every rendered config.

Each host's config is checked with ``kea-dhcp4 -t`` / ``kea-dhcp6 -t`` in a
throw-away container of the locally built image, in its own network namespace
where the interfaces the config binds to exist as veth pairs. The negative
controls show the check can fail: the documented hooks path and a missing
interface are refused by the same Kea.
"""

import json
import os
import subprocess

import pytest

from helpers import ROOT, render

pytestmark = pytest.mark.kea

IMAGES = {"2.6": "keadhcp-kea:2.6", "3.0": "keadhcp-kea:3.0", "3.0.3": "keadhcp-kea:3.0.3"}
EXAMPLES = {
    "seed": ("examples/seed/inventory.yml", ["central", "branch1", "branch2"]),
    "branches_v4": ("examples/branches_v4/inventory.yml", ["dc-kea", "paris-kea", "lyon-kea", "lille-kea"]),
    "wan_relay_v4": ("examples/wan_relay_v4/inventory.yml", ["dc-kea", "paris-kea", "lyon-kea"]),
    "dual_stack": ("examples/dual_stack/inventory.yml", ["dc-kea", "paris-kea", "lyon-kea"]),
}
# The servers each host of an example runs (one file each); one unless said here.
SERVERS = {"dual_stack": ["kea-dhcp4.conf", "kea-dhcp6.conf"]}


@pytest.fixture(scope="session")
def images():
    """Build (or reuse) the Kea images; fails rather than skips without Docker."""
    subprocess.run([os.path.join(ROOT, "scripts", "kea-images.sh")], check=True)
    return IMAGES


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Each example rendered once by playbooks/render.yml, with default settings."""
    out = {}
    for name, (inventory, _hosts) in EXAMPLES.items():
        directory = tmp_path_factory.mktemp(name)
        result = render(os.path.join(ROOT, inventory), str(directory))
        assert result.returncode == 0, result.stdout
        out[name] = directory
    return out


def kea_check(image, config_dir, host, create_interfaces=True, conf=None):
    """Run ``kea-dhcpN -t`` on one host's rendered file (its only one unless ``conf``); return (rc, output).

    Interfaces spelled ``NAME/ADDRESS`` are created with that address."""
    if conf is None:
        (conf,) = [f for f in os.listdir(os.path.join(str(config_dir), host)) if f.endswith(".conf")]
    with open(os.path.join(str(config_dir), host, conf)) as handle:
        config = json.load(handle)
    (top,) = config
    interfaces = config[top].get("interfaces-config", {}).get("interfaces", [])
    script = []
    created = []
    for spelled in interfaces if create_interfaces else []:
        name, _slash, address = spelled.partition("/")
        if name not in created:
            script.append("ip link add %s type veth peer name vp%d && ip link set %s up" % (name, len(created), name))
            created.append(name)
        if address:
            script.append("ip addr add %s/64 dev %s nodad" % (address, name) if ":" in address
                          else "ip addr add %s/24 dev %s" % (address, name))
    daemon = "kea-dhcp4" if top == "Dhcp4" else "kea-dhcp6"
    script.append("%s -t /cfg/%s/%s" % (daemon, host, conf))
    result = subprocess.run(
        ["docker", "run", "--rm", "--network", "none", "--cap-add", "NET_ADMIN",
         "--sysctl", "net.ipv6.conf.default.disable_ipv6=0", "--sysctl", "net.ipv6.conf.all.disable_ipv6=0",
         "-v", "%s:/cfg:ro" % config_dir, image, "sh", "-c", " && ".join(script)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    return result.returncode, result.stdout


CASES = [(version, example, host, conf) for version in IMAGES for example, (_inventory, hosts) in EXAMPLES.items()
         for host in hosts for conf in SERVERS.get(example, [None])]


@pytest.mark.parametrize("version, example, host, conf", CASES,
                         ids=["kea%s-%s-%s" % c[:3] + ("-%s" % c[3][4:9] if c[3] else "") for c in CASES])
def test_kea_accepts_rendered_config(images, rendered, version, example, host, conf):
    rc, output = kea_check(images[version], rendered[example], host, conf=conf)
    assert rc == 0, output


@pytest.mark.parametrize("version", sorted(IMAGES))
def test_kea_refuses_the_documented_hooks_path(images, tmp_path, version):
    result = render(os.path.join(ROOT, EXAMPLES["seed"][0]), str(tmp_path), "-e", "kea_hooks_dir=/usr/lib/kea/hooks")
    assert result.returncode == 0, result.stdout
    rc, output = kea_check(images[version], tmp_path, "central")
    assert rc != 0
    assert "invalid path specified: '/usr/lib/kea/hooks'" in output


@pytest.mark.parametrize("version", sorted(IMAGES))
def test_kea_refuses_a_config_whose_interfaces_are_missing(images, rendered, version):
    rc, output = kea_check(images[version], rendered["seed"], "central", create_interfaces=False)
    assert rc != 0
    assert "Specified network interface name enp0s8 for subnet 2001:db8:1::/64 is not present in the system" in output
