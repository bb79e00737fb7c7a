# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/render.yml end to end, as the README tells users to run it."""

import json
import os
import re
import stat

import yaml

from helpers import ROOT, render

SEED = os.path.join(ROOT, "examples", "seed", "inventory.yml")
V4 = os.path.join(ROOT, "examples", "branches_v4", "inventory.yml")


def _load(path):
    with open(path) as handle:
        return json.load(handle)


def _files(directory):
    found = []
    for base, _dirs, names in os.walk(directory):
        found.extend(os.path.relpath(os.path.join(base, n), directory) for n in names)
    return sorted(found)


def _changed(output):
    return int(re.search(r"localhost\s*:.*changed=(\d+)", output).group(1))


def test_seed_with_documented_hooks_dir_equals_the_documented_configs(tmp_path):
    result = render(SEED, str(tmp_path), "-e", "kea_hooks_dir=/usr/lib/kea/hooks")
    assert result.returncode == 0, result.stdout
    assert _files(str(tmp_path)) == ["branch1/kea-dhcp6.conf", "branch2/kea-dhcp6.conf", "central/kea-dhcp6.conf"]
    assert _load(str(tmp_path / "central" / "kea-dhcp6.conf")) == _load(os.path.join(ROOT, "tests", "fixtures", "seed", "central.json"))
    assert _load(str(tmp_path / "branch2" / "kea-dhcp6.conf")) == _load(os.path.join(ROOT, "tests", "fixtures", "seed", "branch-server3.json"))


def test_render_is_idempotent_and_files_are_private(tmp_path):
    first = render(V4, str(tmp_path))
    assert first.returncode == 0, first.stdout
    assert _changed(first.stdout) == 2
    second = render(V4, str(tmp_path))
    assert second.returncode == 0, second.stdout
    assert _changed(second.stdout) == 0
    mode = stat.S_IMODE(os.stat(str(tmp_path / "dc-kea" / "kea-dhcp4.conf")).st_mode)
    assert mode == 0o640
    assert _files(str(tmp_path)) == ["dc-kea/kea-dhcp4.conf", "lille-kea/kea-dhcp4.conf",
                                     "lyon-kea/kea-dhcp4.conf", "paris-kea/kea-dhcp4.conf"]


def test_invalid_topology_fails_naming_the_culprits_and_writes_nothing(tmp_path):
    with open(os.path.join(ROOT, "examples", "branches_v4", "group_vars", "all.yml")) as handle:
        topology = yaml.safe_load(handle)["kea_ha_topology"]
    topology["relationships"][1]["central"]["name"] = "dc-for-paris"
    topology["relationships"][2]["subnets"][0]["pools"] = [{"pool": "10.30.0.200 - 10.30.0.100"}]
    extra = tmp_path / "broken.yml"
    extra.write_text(yaml.safe_dump({"kea_ha_topology": topology}))
    out = tmp_path / "out"
    result = render(V4, str(out), "-e", "@%s" % extra)
    assert result.returncode != 0
    assert "kea_ha_topology is invalid (2 problems):" in result.stdout
    assert ("relationship 2 (lyon-kea) central peer 'dc-for-paris': server names must be unique for different "
            "relationships: 'dc-for-paris' is already the central peer of relationship 1 (paris-kea)") in result.stdout
    assert ("relationship 3 (lille-kea) subnet 10.30.0.0/24 (id 301): pool '10.30.0.200 - 10.30.0.100' is reversed "
            "(10.30.0.200 comes after 10.30.0.100)") in result.stdout
    assert "Traceback" not in result.stdout
    assert not out.exists()


def test_a_relayed_central_that_listens_nowhere_is_refused_by_name(tmp_path):
    """The WAN example without the central's relay interfaces: Kea would accept it and serve nobody."""
    inventory = os.path.join(ROOT, "examples", "wan_relay_v4", "inventory.yml")
    with open(os.path.join(ROOT, "examples", "wan_relay_v4", "group_vars", "all.yml")) as handle:
        topology = yaml.safe_load(handle)["kea_ha_topology"]
    for rel in topology["relationships"]:
        del rel["central"]["relay-interfaces"]
    extra = tmp_path / "deaf.yml"
    extra.write_text(yaml.safe_dump({"kea_ha_topology": topology}))
    out = tmp_path / "out"
    result = render(inventory, str(out), "-e", "@%s" % extra)
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert ("host 'dc-kea': would listen on no interface, so Kea would receive no DHCP traffic and serve none of "
            "relationship 1 (paris-kea), relationship 2 (lyon-kea).") in text
    assert not out.exists()


def test_topology_host_missing_from_inventory_is_refused(tmp_path):
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"central": None, "branch1": None, "branch-2": None}}}))
    with open(os.path.join(ROOT, "examples", "seed", "group_vars", "all.yml")) as handle:
        (tmp_path / "topology.yml").write_text(handle.read())
    result = render(str(inventory), str(tmp_path / "out"), "-e", "@%s" % (tmp_path / "topology.yml"))
    assert result.returncode != 0
    assert "relationship 2 (branch2) branch peer 'server3': host 'branch2' is not in the inventory; did you mean 'branch-2'?" in result.stdout
    assert not (tmp_path / "out").exists()


def test_missing_output_dir_is_explained(tmp_path):
    result = render(SEED, "")
    assert result.returncode != 0
    assert "render.yml needs kea_ha_topology" in result.stdout
    assert "-e kea_render_dir=DIR" in result.stdout


def test_a_dual_stack_topology_renders_both_servers_of_every_host(tmp_path):
    out = tmp_path / "out"
    result = render(os.path.join(ROOT, "examples", "dual_stack", "inventory.yml"), str(out))
    assert result.returncode == 0, result.stdout
    written = sorted(str(path.relative_to(out)) for path in out.rglob("*.conf"))
    assert written == ["dc-kea/kea-dhcp4.conf", "dc-kea/kea-dhcp6.conf", "lyon-kea/kea-dhcp4.conf",
                       "lyon-kea/kea-dhcp6.conf", "paris-kea/kea-dhcp4.conf", "paris-kea/kea-dhcp6.conf"]
    with open(str(out / "lyon-kea" / "kea-dhcp6.conf")) as handle:
        lyon6 = json.load(handle)
    assert list(lyon6) == ["Dhcp6"]
    assert [s["subnet"] for s in lyon6["Dhcp6"]["subnet6"]] == ["2001:db8:20::/64"]
    assert lyon6["Dhcp6"]["hooks-libraries"][1]["parameters"]["high-availability"][0]["peers"][0]["url"] == (
        "http://10.20.0.2:8501/")
