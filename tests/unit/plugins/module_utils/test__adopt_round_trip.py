# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Round trips: every example, render -> adopt -> render, and Kea's documented hub-and-spoke configurations."""

import json
import os

import pytest
import yaml

from ansible_collections.keadhcp.ha.plugins.filter.ha_adopt import ha_adopt
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt import adopt
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import merge
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology

from topologies import ROOT, example, seed_fixture

EXAMPLES = sorted(name for name in os.listdir(os.path.join(ROOT, "examples"))
                  if os.path.exists(os.path.join(ROOT, "examples", name, "group_vars", "all.yml")))
_example = example
_fixture = seed_fixture


def normalise(topology):
    """The topology as the model reads it, so that two spellings of one arrangement compare equal.

    Normalised: ``defaults`` merged into each relationship (a relationship's
    own value wins, ``null`` removes, mappings merge key by key, as the model
    merges them) and then dropped; ``mode`` filled in (hot-standby) where left
    out; each peer's ``role`` filled in from the mode where left out;
    ``family`` filled in (4); ``ha-port`` dropped (every example's URLs are
    given). Not normalised: names, URLs, interfaces, per-peer
    keys, subnets and shared networks, key for key and in order.
    """
    family = topology.get("family", 4)
    out = {"family": family if family == "dual" else int(family), "central": topology["central"], "relationships": []}
    for rel in topology["relationships"]:
        own = dict((k, v) for k, v in rel.items() if k in schema.RELATIONSHIP_PARAMS)
        params = merge(topology.get("defaults") or {}, own)
        params.setdefault("mode", "hot-standby")
        roles = schema.DEFAULT_ROLES[params["mode"]]
        item = dict((k, v) for k, v in rel.items() if k not in schema.RELATIONSHIP_PARAMS)
        item["branch"] = dict(rel["branch"], role=rel["branch"].get("role", roles[0]))
        item["central"] = dict(rel["central"], role=rel["central"].get("role", roles[1]))
        item["params"] = params
        out["relationships"].append(item)
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_render_adopt_gives_the_same_topology(name):
    rendered = load_topology(_example(name)).configs()
    adoption = adopt(rendered, known_hosts=list(rendered))
    assert adoption.problems == []
    assert normalise(adoption.topology) == normalise(_example(name))


@pytest.mark.parametrize("name", EXAMPLES)
def test_adopt_render_gives_the_same_configurations_exactly(name):
    rendered = load_topology(_example(name)).configs()
    adoption = adopt(rendered)
    again = load_topology(adoption.topology, hooks_dir=adoption.hooks_dir, base=adoption.base,
                          host_base=adoption.host_base).configs()
    assert again == rendered
    # key for key, in the same order
    assert json.dumps(again) == json.dumps(rendered)


def test_the_normalisation_sees_a_change():
    changed = _example("seed")
    changed["defaults"]["multi-threading"]["http-client-threads"] = 2
    assert normalise(changed) != normalise(_example("seed"))


def test_kea_documented_configurations_adopted_render_back_equal_themselves():
    """central.json and branch-server3.json of Kea's manual (tests/fixtures/seed/README.md).

    The manual shows no configuration of branch server1, so relationship 1's
    branch is known only from the central's side: that is the one problem
    reported, and the topology names that branch after its peer. Rendered with
    the documented hooks directory (which adopt reads from the library paths),
    both documented files come back exactly, key order included.
    """
    documented = {"central": _fixture("central.json"), "branch2": _fixture("branch-server3.json")}
    adoption = adopt(documented)
    assert adoption.problems == [
        "relationship 1 (server1): no configuration of its branch 'server1' among the hosts read (branch2, central); "
        "the branch is adopted from the central's view under the host name 'server1' (rename it to its inventory "
        "hostname) with the central's interface 'enp0s8' (check it)"]
    assert adoption.hooks_dir == "/usr/lib/kea/hooks"
    assert adoption.base == {} and adoption.host_base == {}
    again = load_topology(adoption.topology, hooks_dir=adoption.hooks_dir).configs()
    for host in documented:
        assert again[host] == documented[host]
        assert json.dumps(again[host], indent=2) == json.dumps(documented[host], indent=2)
    # with branch1 renamed to its inventory hostname, it is the example, which the manual describes
    adoption.topology["relationships"][0]["branch"]["host"] = "branch1"
    assert normalise(adoption.topology) == normalise(_example("seed"))


def test_the_vars_file_loads_back_and_keeps_its_order():
    rendered = load_topology(_example("wan_relay_v4"), base={"valid-lifetime": 600},
                             host_base={"dc-kea": {"renew-timer": 100}}).configs()
    result = ha_adopt(rendered, source="build/render")
    assert result["problems"] == [] and result["hosts"] == ["dc-kea", "paris-kea", "lyon-kea"]
    text = result["text"]
    assert text.startswith("---\n# kea_ha_topology adopted by keadhcp.ha (playbooks/adopt.yml) from build/render.")
    loaded = yaml.safe_load(text)
    assert list(loaded) == ["kea_ha_topology", "kea_render_base", "kea_render_host_base", "kea_ha_base_config"]
    assert loaded == result["variables"]
    assert normalise(loaded["kea_ha_topology"]) == normalise(_example("wan_relay_v4"))
    assert loaded["kea_render_host_base"] == {"dc-kea": {"renew-timer": 100}}


def test_the_vars_file_lists_the_problems_in_its_head():
    rendered = load_topology(_example("branches_v4")).configs()
    rendered["lyon-kea"]["Dhcp4"]["hooks-libraries"][1]["parameters"]["high-availability"][0]["heartbeat-delay"] = 1
    result = ha_adopt(rendered)
    assert result["problems"] == [
        "relationship 2 (lyon-kea): 'heartbeat-delay' is 2000 on the central (dc-kea) but 1 on the branch (lyon-kea)",
        "host 'lyon-kea': rendering the adopted topology changes "
        "'Dhcp4.hooks-libraries[1].parameters.high-availability[0].heartbeat-delay' from 1 to 2000"]
    assert ("#\n# 2 problems found when adopting: fix them here.\n#   - relationship 2 (lyon-kea): 'heartbeat-delay' is "
            "2000 on the central (dc-kea) but 1 on the branch (lyon-kea)\n#   - host 'lyon-kea': rendering the adopted "
            "topology changes\n#     'Dhcp4.hooks-libraries[1].parameters.high-availability[0].heartbeat-delay' from 1 to "
            "2000\nkea_ha_topology:\n") in result["text"]
