# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/scale_scenario.py: the generated hub is valid, and past 9 branches where Kea's string sort bites."""

import importlib.util
import os

import pytest
import yaml

from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = importlib.util.spec_from_file_location("scale_scenario", os.path.join(ROOT, "scripts", "scale_scenario.py"))
scale = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(scale)


@pytest.mark.parametrize("count", [1, 2, 12, 40])
def test_the_generated_hub_validates_and_plans_every_platform(count):
    topology = scale.topology(count)
    hosts = [platform["name"] for platform in scale.platforms(count)]
    planned = plan(load_topology(topology, known_hosts=hosts))
    assert planned["problems"] == [] and planned["refusals"] == []
    assert sorted(planned["hosts"]) == sorted(hosts)
    central = planned["hosts"]["sc-central"]
    assert len(central["relationships"]) == count
    assert len(set(central["names"])) == count


def test_past_nine_branches_the_central_s_interfaces_sort_differently_as_strings():
    interfaces = [rel["central"]["interface"] for rel in scale.topology(12)["relationships"]]
    assert interfaces[:3] == ["sc1", "sc2", "sc3"]
    assert sorted(interfaces) != interfaces  # sc1, sc10, sc11, sc12, sc2...: the order Kea's config-get returns


@pytest.mark.parametrize("count, wanted", [(1, [1]), (2, [1, 2]), (20, [1, 10, 20]), (40, [1, 20, 40])])
def test_the_sample_is_first_middle_and_last(count, wanted):
    assert scale.sample(count) == wanted
    sampled = [p["name"] for p in scale.platforms(count) if "kea_branches_sample" in p["groups"]]
    assert sampled == ["sc-branch%d" % n for n in wanted]


def test_the_files_molecule_reads(tmp_path):
    directory = scale.write(str(tmp_path / "scale"), 3)
    with open(os.path.join(directory, "base.yml")) as handle:
        base = yaml.safe_load(handle)
    assert [p["name"] for p in base["platforms"]] == ["sc-central", "sc-branch1", "sc-branch2", "sc-branch3"]
    assert base["provisioner"]["inventory"]["links"]["group_vars"] == os.path.join(directory, "group_vars") + "/"
    with open(os.path.join(directory, "group_vars", "all.yml")) as handle:
        variables = yaml.safe_load(handle)
    assert variables["kea_ha_topology"] == scale.topology(3)
    assert len(variables["kea_ha_api_password"]) >= 8


def test_an_impossible_size_is_refused_with_the_range(capsys):
    with pytest.raises(SystemExit):
        scale.main(["--branches", "0", "--dir", "/nonexistent/never"])
    assert "--branches must be between 1 and 250 (one /24 of 10.90.0.0/16 each), not 0" in capsys.readouterr().err
