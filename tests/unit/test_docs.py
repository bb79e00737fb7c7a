# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The examples in README.md and docs/ are what the code does."""

import os
import re

import pytest
import yaml

from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = ["README.md"] + sorted(os.path.join("docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))


def _blocks(path, language):
    """Fenced code blocks of one language ('' for blocks without one)."""
    blocks, current, kind = [], None, None
    with open(os.path.join(ROOT, path)) as handle:
        for line in handle:
            fence = re.match(r"^```(\w*)\s*$", line)
            if fence and current is None:
                current, kind = [], fence.group(1)
            elif fence:
                if kind == language:
                    blocks.append("".join(current))
                current = None
            elif current is not None:
                current.append(line)
    return blocks


TOPOLOGIES = [(path, number, block) for path in DOCS for number, block in enumerate(_blocks(path, "yaml"))
              if "kea_ha_topology:" in block]


def test_docs_have_topology_examples():
    assert {topology[0] for topology in TOPOLOGIES} >= {"README.md", "docs/topology.md"}


@pytest.mark.parametrize("path, number, block", TOPOLOGIES, ids=["%s#%d" % t[:2] for t in TOPOLOGIES])
def test_documented_topologies_are_valid(path, number, block):
    topology = yaml.safe_load(block)["kea_ha_topology"]
    assert load_topology(topology).configs()


def test_documented_error_listing_is_what_users_read():
    (listing,) = [b for b in _blocks("docs/topology.md", "") if "kea_ha_topology is invalid" in b]
    documented = [line[4:] for line in listing.splitlines() if line.startswith("  - ")]
    with open(os.path.join(ROOT, "examples", "branches_v4", "group_vars", "all.yml")) as handle:
        topology = yaml.safe_load(handle)["kea_ha_topology"]
    topology["relationships"][1]["central"]["name"] = "dc-for-paris"
    topology["relationships"][2]["subnets"][0]["pools"] = [{"pool": "10.30.0.200 - 10.30.0.100"}]
    with pytest.raises(TopologyError) as info:
        load_topology(topology)
    assert info.value.problems == documented
    assert listing.splitlines()[0] == "kea_ha_topology is invalid (2 problems):"


def test_the_documented_wan_arrangement_is_the_example_and_listens_where_it_says():
    (block,) = [b for b in _blocks("docs/topology.md", "yaml") if "relay-interfaces" in b and "family: dual" not in b]
    documented = yaml.safe_load(block)["kea_ha_topology"]
    with open(os.path.join(ROOT, "examples", "wan_relay_v4", "group_vars", "all.yml")) as handle:
        example = yaml.safe_load(handle)["kea_ha_topology"]
    example["relationships"][0]["subnets"][0].pop("option-data")
    example["relationships"][1]["shared-networks"][0].pop("option-data")
    assert documented == example
    hub = load_topology(documented).configs()["dc-kea"]["Dhcp4"]
    assert hub["interfaces-config"] == {"interfaces": ["wan0"], "dhcp-socket-type": "udp"}
    assert [("interface" in s, s["user-context"]["ha-server-name"]) for s in hub["subnet4"]] == [(False, "dc-for-paris")]
    assert [("interface" in n, n["user-context"]["ha-server-name"]) for n in hub["shared-networks"]] == [
        (False, "dc-for-lyon")]


def test_the_documented_dual_stack_site_is_the_example():
    (block,) = [b for b in _blocks("docs/topology.md", "yaml") if "family: dual" in b]
    documented = yaml.safe_load(block)["kea_ha_topology"]
    with open(os.path.join(ROOT, "examples", "dual_stack", "group_vars", "all.yml")) as handle:
        example = yaml.safe_load(handle)["kea_ha_topology"]
    paris = example["relationships"][0]
    paris["subnets"][0].pop("option-data")
    assert (documented["family"], documented["central"]) == (example["family"], example["central"])
    assert documented["relationships"] == [paris]
    configs = load_topology(documented).configs()
    assert sorted(configs["dc-kea"]) == ["Dhcp4", "Dhcp6"]
    assert configs["dc-kea"]["Dhcp6"]["interfaces-config"] == {"interfaces": ["wan0/2001:db8:ff::10"]}


def test_the_documented_adopted_file_is_what_adopt_writes_for_the_configurations_it_renders():
    from ansible_collections.keadhcp.ha.plugins.module_utils._adopt import adopt

    (block,) = [b for b in _blocks("docs/adopt.md", "yaml") if "kea_ha_topology:" in b]
    documented = yaml.safe_load(block)
    rendered = load_topology(documented["kea_ha_topology"], base=documented["kea_render_base"]).configs()
    adoption = adopt(rendered)
    assert adoption.problems == [] and adoption.notes == []
    assert adoption.variables() == documented
    assert list(adoption.variables()) == list(documented)


def test_documented_alert_rules_are_the_rules_file():
    (block,) = [b for b in _blocks("docs/operations.md", "yaml") if "KeaHAPartnerDown" in b]
    with open(os.path.join(ROOT, "docs", "prometheus", "kea-ha.rules.yml")) as handle:
        assert yaml.safe_load(block) == yaml.safe_load(handle)


def test_the_documented_mend_of_a_skewed_clock_is_the_playbook_the_faults_scenario_runs():
    (block,) = [b for b in _blocks("docs/operations.md", "yaml") if "skewed_branch" in b]
    with open(os.path.join(ROOT, "extensions", "molecule", "faults", "reload.yml")) as handle:
        assert yaml.safe_load(block) == yaml.safe_load(handle)
