# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Dual-stack topologies (family: dual): each half is exactly the single-family topology it stands for.

The oracle: a generated single-family topology (test_topology_properties.cases)
gets a second family beside it, one subnet per relationship and a URL per
server; the dual-stack model must give every host, for each family, the
configuration the single-family model gives for that family alone. Then each
dual-stack rule is broken once in such a topology, and the message must name
the culprit.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology

from test_topology_properties import SETTINGS, cases

OTHER_PORT = 64500  # the other family's listeners: above every generated port, below the control channels'


def _with_port(url, port):
    scheme, rest = url.split("://", 1)
    hostport = rest.split("/", 1)[0]
    host = hostport.rsplit(":", 1)[0]
    return "%s://%s:%d/" % (scheme, host, port)


def _other_subnet(other, index):
    if other == 6:
        return {"id": index + 1, "subnet": "2001:db8:%x::/64" % (index + 1),
                "pools": [{"pool": "2001:db8:%x::100 - 2001:db8:%x::1ff" % (index + 1, index + 1)}]}
    return {"id": index + 1, "subnet": "10.%d.%d.0/24" % (index // 250, index % 250),
            "pools": [{"pool": "10.%d.%d.10 - 10.%d.%d.99" % ((index // 250, index % 250) * 2)}]}


def _wrap(config, family):
    """A base configuration as the single-family model reads it, wrapped for the dual-stack one."""
    if config is None:
        return None
    return config if len(config) == 1 and next(iter(config)) in ("Dhcp4", "Dhcp6") else {"Dhcp%d" % family: config}


def dual_of(case):
    """(dual topology, its kwargs, {family: (single-family topology, kwargs)}) built from one generated case."""
    single = copy.deepcopy(case.topology)
    family = int(single["family"])
    other = 10 - family
    halves = {family: (single, dict(case.kwargs))}
    other_topology = copy.deepcopy(single)
    other_topology["family"] = other
    dual = copy.deepcopy(single)
    dual["family"] = "dual"
    for index, (rel, other_rel) in enumerate(zip(dual["relationships"], other_topology["relationships"])):
        other_rel["subnets"] = [_other_subnet(other, index)]
        rel["subnets"] = rel["subnets"] + [_other_subnet(other, index)]
        for side in ("branch", "central"):
            port = OTHER_PORT + (index if side == "central" else 0)
            other_rel[side]["url"] = _with_port(other_rel[side]["url"], port)
            rel[side]["url"] = {"dhcp%d" % family: rel[side]["url"], "dhcp%d" % other: other_rel[side]["url"]}
    other_kwargs = dict((k, v) for k, v in case.kwargs.items() if k not in ("base", "host_base"))
    halves[other] = (other_topology, other_kwargs)
    kwargs = dict(case.kwargs)
    if "base" in kwargs:
        kwargs["base"] = _wrap(kwargs["base"], family)
    if "host_base" in kwargs:
        kwargs["host_base"] = dict((host, _wrap(config, family)) for host, config in kwargs["host_base"].items())
    return dual, kwargs, halves


@settings(max_examples=40, **SETTINGS)
@given(case=cases(max_branches=12))
def test_each_half_is_the_single_family_topology(case):
    dual, kwargs, halves = dual_of(case)
    model = load_topology(dual, **kwargs)
    configs = model.configs()
    expected = {}
    for family, (topology, options) in halves.items():
        for host, config in load_topology(topology, **options).configs().items():
            expected.setdefault(host, {}).update(config)
    assert list(configs) == list(expected)  # the central first, then the branches in order
    for host in expected:
        assert configs[host] == expected[host], host


# ---------------------------------------------------------------------------
# each dual-stack rule, broken once


def _break_url_string(dual, kwargs, rng):
    rel_index = rng.draw(st.integers(0, len(dual["relationships"]) - 1))
    rel = dual["relationships"][rel_index]
    side = rng.draw(st.sampled_from(["branch", "central"]))
    rel[side]["url"] = rel[side]["url"]["dhcp4"]
    where = "relationship %d%s %s peer '%s'" % (
        rel_index + 1, " (%s)" % rel["branch"]["host"], side, rel[side]["name"])
    return where, ("in a dual-stack topology 'url' is given per server: {dhcp4: URL, dhcp6: URL} (each may be left "
                   "out to be derived), not a string")


def _break_same_listener(dual, kwargs, rng):
    rel_index = rng.draw(st.integers(0, len(dual["relationships"]) - 1))
    rel = dual["relationships"][rel_index]
    rel["branch"]["url"]["dhcp6"] = rel["branch"]["url"]["dhcp4"]
    where = "relationship %d (%s) branch peer '%s'" % (rel_index + 1, rel["branch"]["host"], rel["branch"]["name"])
    return where, "the DHCPv6 server's HA listener"


def _break_no_family(dual, kwargs, rng):
    family = rng.draw(st.sampled_from([4, 6]))
    for rel in dual["relationships"]:
        rel["subnets"] = [s for s in rel["subnets"] if ipaddress.ip_network(s["subnet"]).version != family]
    return "kea_ha_topology", ("'family' is dual, but no relationship has a DHCPv%d subnet; say 'family: %d' for a "
                               "DHCPv%d-only hub" % (family, 10 - family, 10 - family))


def _break_base_unwrapped(dual, kwargs, rng):
    kwargs["base"] = {"valid-lifetime": 3600}
    return "keadhcp.ha options: base", ("in a dual-stack topology the base configuration gives each server's part: "
                                        "{Dhcp4: {...}, Dhcp6: {...}}, not 'valid-lifetime'")


def _break_url_server_key(dual, kwargs, rng):
    rel = dual["relationships"][0]
    rel["central"]["url"]["dhcp7"] = "http://192.0.2.1:1/"
    return ("relationship 1 (%s) central peer '%s' 'url'" % (rel["branch"]["host"], rel["central"]["name"]),
            "unknown key 'dhcp7'")


BREAKS = {
    "url_string": _break_url_string,
    "same_listener": _break_same_listener,
    "no_subnet_of_a_family": _break_no_family,
    "base_unwrapped": _break_base_unwrapped,
    "url_server_key": _break_url_server_key,
}


@pytest.mark.parametrize("kind", sorted(BREAKS))
@settings(max_examples=10, **SETTINGS)
@given(case=cases(max_branches=6), data=st.data())
def test_each_dual_stack_rule_names_its_culprit(kind, case, data):
    dual, kwargs, _halves = dual_of(case)
    where, fragment = BREAKS[kind](dual, kwargs, data)
    with pytest.raises(TopologyError) as info:
        load_topology(dual, **kwargs)
    matching = [p for p in info.value.problems if p.startswith(where + ": ") and fragment in p]
    assert matching, info.value.problems


# ---------------------------------------------------------------------------
# the split, by example

HUB = {
    "family": "dual", "central": "dc",
    "relationships": [
        {"branch": {"host": "paris", "name": "paris", "interface": "lan0",
                    "url": {"dhcp4": "http://10.1.0.2:8001/", "dhcp6": "http://10.1.0.2:8501/"}},
         "central": {"name": "dc-paris", "relay-interfaces": ["wan0/172.20.0.10", "wan0/2001:db8:ff::10", "wan1"],
                     "url": {"dhcp4": "http://172.20.0.10:8001/", "dhcp6": "http://172.20.0.10:8501/"}},
         "subnets": [{"id": 1, "subnet": "10.1.0.0/24"}, {"id": 1, "subnet": "2001:db8:1::/64"}]},
        {"branch": {"host": "lyon", "name": "lyon", "interface": "lan0", "url": {"dhcp4": "http://10.2.0.2:8001/"}},
         "central": {"name": "dc-lyon", "relay-interfaces": ["wan0/172.20.0.10"],
                     "url": {"dhcp4": "http://172.20.0.10:8002/"}},
         "shared-networks": [{"name": "lyon-lan", "subnet4": [{"id": 2, "subnet": "10.2.0.0/24"},
                                                              {"id": 3, "subnet": "10.2.1.0/24"}]}]},
    ],
}


def test_relay_interfaces_go_to_the_server_of_their_address_family():
    configs = load_topology(HUB).configs()
    assert configs["dc"]["Dhcp4"]["interfaces-config"] == {
        "interfaces": ["wan0/172.20.0.10", "wan1"], "dhcp-socket-type": "udp"}
    assert configs["dc"]["Dhcp6"]["interfaces-config"] == {"interfaces": ["wan0/2001:db8:ff::10", "wan1"]}


def test_a_branch_without_subnets_of_a_family_runs_no_server_of_it():
    configs = load_topology(HUB).configs()
    assert sorted(configs["lyon"]) == ["Dhcp4"]
    assert sorted(configs["paris"]) == ["Dhcp4", "Dhcp6"]
    hub6 = configs["dc"]["Dhcp6"]["hooks-libraries"][1]["parameters"]["high-availability"]
    assert [entry["this-server-name"] for entry in hub6] == ["dc-paris"]
    assert [n["name"] for n in configs["dc"]["Dhcp4"]["shared-networks"]] == ["lyon-lan"]


def test_derived_dhcp6_listeners_start_500_above_the_dhcp4_ones():
    topology = copy.deepcopy(HUB)
    for rel in topology["relationships"]:
        for side in ("branch", "central"):
            rel[side]["url"].pop("dhcp6", None)
    topology["relationships"][1]["subnets"] = [{"id": 9, "subnet": "2001:db8:2::/64"}]
    topology["relationships"][1]["central"]["relay-interfaces"].append("wan0/2001:db8:ff::10")
    facts = {"dc": {"default_ipv4": {"address": "172.20.0.10"}}, "paris": {"lan0": {"ipv4": {"address": "10.1.0.2"}}},
             "lyon": {"lan0": {"ipv4": {"address": "10.2.0.2"}}}}
    hub6 = load_topology(topology, facts=facts).configs()["dc"]["Dhcp6"]
    peers = [entry["peers"] for entry in hub6["hooks-libraries"][1]["parameters"]["high-availability"]]
    assert [[peer["url"] for peer in pair] for pair in peers] == [
        ["http://10.1.0.2:8501/", "http://172.20.0.10:8501/"], ["http://10.2.0.2:8501/", "http://172.20.0.10:8502/"]]


def test_the_plan_of_a_dual_stack_hub_joins_each_hosts_servers():
    result = plan(load_topology(HUB))
    assert (result["family"], result["families"], result["problems"]) == ("dual", [4, 6], [])
    assert (result["central"], result["branches"]) == ("dc", ["paris", "lyon"])
    assert sorted(result["halves"]) == [4, 6]
    assert [result["hosts"][host]["families"] for host in ("dc", "paris", "lyon")] == [[4, 6], [4, 6], [4]]
    dc = result["hosts"]["dc"]
    assert (dc["side"], dc["names"], dc["partners"]) == ("central", ["dc-paris", "dc-lyon"], ["paris", "lyon"])
    # each relationship of each server, DHCPv4's first, each saying its family
    assert [(rel["family"], rel["index"], rel["local"]["url"]) for rel in dc["relationships"]] == [
        (4, 1, "http://172.20.0.10:8001/"), (4, 2, "http://172.20.0.10:8002/"), (6, 1, "http://172.20.0.10:8501/")]
    assert [(item["family"], item["interface"]) for item in dc["interfaces"]][:2] == [(4, "wan0"), (4, "wan1")]
    # the DHCPv6 server's own slice, as its half plans it
    assert result["halves"][6]["hosts"]["dc"]["names"] == ["dc-paris"]
    assert "lyon" not in result["halves"][6]["hosts"]


@settings(max_examples=20, **SETTINGS)
@given(case=cases(max_branches=12))
def test_each_half_of_the_plan_is_the_single_family_plan(case):
    dual, kwargs, halves = dual_of(case)
    result = plan(load_topology(dual, **kwargs))
    assert result["problems"] == [] and result["families"] == [4, 6]
    for family, (topology, options) in halves.items():
        single = plan(load_topology(topology, **options))
        assert result["halves"][family]["hosts"] == single["hosts"], family
        assert single["halves"][family]["hosts"] is single["hosts"]
    for host, piece in result["hosts"].items():
        assert piece["families"] == [4, 6]
        assert piece["relationships"] == (result["halves"][4]["hosts"][host]["relationships"]
                                          + result["halves"][6]["hosts"][host]["relationships"])


def test_one_servers_view_of_a_dual_stack_topology_points_at_the_plans_halves():
    with pytest.raises(TopologyError) as info:
        load_topology(HUB).ha_relationships("dc")
    assert info.value.problems == [
        "kea_ha_topology: 'family: dual' runs two servers, each with its own relationships, but the high-availability "
        "list of one server works on one family; take one server's half of the plan (keadhcp.ha.ha_plan(family=4) or "
        "family=6)"]
