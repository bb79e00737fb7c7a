# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""extensions/molecule/lanes.txt: every scenario in one lane, and lanes that cannot collide.

Scenarios of different lanes run at the same time (scripts/molecule-lanes.sh),
so they must not share a container name, a Docker network or an overlapping
subnet (Docker refuses a network whose subnet overlaps another's).
"""

import ipaddress
import itertools
import os

import pytest
import yaml

from ansible_collections.keadhcp.ha.plugins.filter.ha_lab_layout import ha_lab_layout

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MOLECULE = os.path.join(ROOT, "extensions", "molecule")
# default is hub_and_spoke under molecule's first name; scale is generated (make scale); rehearse too (make rehearse)
NOT_IN_LANES = {"default", "scale", "rehearse"}


def lanes():
    with open(os.path.join(MOLECULE, "lanes.txt")) as handle:
        return [line.split() for line in handle if line.strip() and not line.startswith("#")]


def scenarios():
    return sorted(name for name in os.listdir(MOLECULE)
                  if os.path.isfile(os.path.join(MOLECULE, name, "molecule.yml")) and name not in NOT_IN_LANES)


def _load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def _directory(scenario):
    """A scenario's directory: a name of extensions/molecule/, or a project's path (its default scenario)."""
    if "/" in scenario:
        return os.path.join(ROOT, scenario, "molecule", "default")
    return os.path.join(MOLECULE, scenario)


def footprint(scenario):
    """What a scenario's run holds on the Docker host: container names, network names, subnets."""
    directory = _directory(scenario)
    config = _load(os.path.join(directory, "molecule.yml"))
    links = config.get("provisioner", {}).get("inventory", {}).get("links", {})
    group_vars = os.path.normpath(os.path.join(directory, links.get("group_vars", "inventory/group_vars/")))
    variables = _load(os.path.join(group_vars, "all.yml"))
    # the topology the containers are built from (playbooks/lab/vars/layout.yml)
    topology = variables.get("kea_test_topology", variables["kea_ha_topology"])
    lab = ha_lab_layout(topology)
    containers = {platform["name"] for platform in config["platforms"]}
    return {"containers": containers, "networks": {network["name"] for network in lab["networks"]},
            "subnets": [ipaddress.ip_network(network["subnet"]) for network in lab["networks"]]}


def collisions(first, second):
    """What two scenarios' footprints share, as sentences."""
    a, b = footprint(first), footprint(second)
    found = ["containers %s" % sorted(a["containers"] & b["containers"])] if a["containers"] & b["containers"] else []
    if a["networks"] & b["networks"]:
        found.append("networks %s" % sorted(a["networks"] & b["networks"]))
    found += ["subnets %s and %s overlap" % (x, y) for x in a["subnets"] for y in b["subnets"]
              if x.version == y.version and x.overlaps(y)]
    return found


def test_every_scenario_is_in_exactly_one_lane():
    listed = [scenario for lane in lanes() for scenario in lane]
    assert sorted(name for name in listed if "/" not in name) == scenarios()
    assert len(set(listed)) == len(listed)


def test_the_scenario_of_your_own_is_in_a_lane_and_holds_a_molecule_project():
    projects = [scenario for lane in lanes() for scenario in lane if "/" in scenario]
    assert projects == ["examples/own_scenario"]
    assert os.path.isfile(os.path.join(_directory(projects[0]), "molecule.yml"))


def test_lanes_run_side_by_side_two_at_least():
    assert len(lanes()) >= 2


@pytest.mark.parametrize("first, second", [
    (a, b) for lane_a, lane_b in itertools.combinations(lanes(), 2) for a in lane_a for b in lane_b])
def test_scenarios_of_different_lanes_share_no_container_network_or_subnet(first, second):
    assert collisions(first, second) == []


def test_the_check_sees_scenarios_that_would_collide():
    # kea3 runs hub_and_spoke's topology on Kea 3.0: the same names and subnets
    assert collisions("hub_and_spoke", "hub_and_spoke_kea3") == [
        "containers ['branch1', 'branch2', 'central']", "networks ['keadhcp-lan1', 'keadhcp-lan2']",
        "subnets 10.81.1.0/24 and 10.81.1.0/24 overlap", "subnets 10.81.2.0/24 and 10.81.2.0/24 overlap"]
    # hub_and_spoke_v6 has the same container and network names on IPv6 subnets
    assert collisions("hub_and_spoke", "hub_and_spoke_v6") == [
        "containers ['branch1', 'branch2', 'central']", "networks ['keadhcp-lan1', 'keadhcp-lan2']"]
