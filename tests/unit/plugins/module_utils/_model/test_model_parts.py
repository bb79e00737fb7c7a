# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The model's parts one at a time, each on a bare load context: the exact problems each one adds.

The whole model is tested through load_topology in ../test__topology.py and
../test_topology_properties.py; these tables pin each module's own rules.
"""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._model import cross_checks, kea_rules, peers, shape, subnets
from ansible_collections.keadhcp.ha.plugins.module_utils._model.context import Context
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import Options, Peer


def context(**inputs):
    return Context({}, **inputs)


# -- shape ------------------------------------------------------------------------

@pytest.mark.parametrize("value, family, problems", [
    (4, 4, []),
    ("6", 6, []),
    (5, 4, ["kea_ha_topology: 'family' must be 4 or 6, not 5"]),
    (True, 4, ["kea_ha_topology: 'family' must be 4 or 6, not True"]),
])
def test_shape_family(value, family, problems):
    ctx = context()
    shape.family(ctx, value)
    assert (ctx.family, ctx.problems.items) == (family, problems)


@pytest.mark.parametrize("params, problems", [
    ({"mode": "hot-standby", "heartbeat-delay": 1000}, []),
    ({"heartbeat_delay": 1000}, ["r: unknown key 'heartbeat_delay'; did you mean 'heartbeat-delay'?"]),
    ({"heartbeat-delay": 70000}, ["r: 'heartbeat-delay' must not be greater than 65535 (got 70000)"]),
    ({"mode": "hot-stanby"}, ["r: 'mode' must be one of hot-standby, load-balancing, passive-backup, not 'hot-stanby'; "
                              "did you mean 'hot-standby'?"]),
    ({"basic-auth-user": "u"}, ["r: 'basic-auth-user' is not allowed here: it is a per-peer key: set it on the "
                                "relationship's 'branch' and/or 'central'"]),
    ({"heartbeat-delay": None}, []),
])
def test_shape_params(params, problems):
    ctx = context()
    shape.params(ctx, "r", params)
    assert ctx.problems.items == problems


def test_shape_known_host_suggests_a_close_name():
    ctx = context(known_hosts=["branch-1", "central"])
    shape.inventory(ctx)
    shape.known_host(ctx, "here", "branch1")
    assert ctx.problems.items == ["here: host 'branch1' is not in the inventory; did you mean 'branch-1'?"]


# -- kea_rules ----------------------------------------------------------------------

@pytest.mark.parametrize("params, problems", [
    ({"mode": "hot-standby", "delayed-updates-limit": 0, "wait-backup-ack": False}, []),
    ({"mode": "hot-standby", "delayed-updates-limit": 10},
     ["r: 'delayed-updates-limit' must be set to 0 in the hot standby configuration"]),
    ({"mode": "load-balancing", "delayed-updates-limit": 10}, []),
    ({"mode": "load-balancing", "wait-backup-ack": True},
     ["r: 'wait-backup-ack' must be set to false in the load balancing configuration"]),
    ({"mode": "passive-backup", "wait-backup-ack": True}, []),
])
def test_kea_rules_mode_rules(params, problems):
    ctx = context()
    kea_rules.mode_rules(ctx, "r", params)
    assert ctx.problems.items == problems


@pytest.mark.parametrize("value, problems", [
    ({"basic-auth-user": "ha", "basic-auth-password-file": "/f"}, []),
    ({"basic-auth-user": "h:a"}, ["p: user 'h:a' must not contain a ':'"]),
    ({"basic-auth-user": "ha", "basic-auth-password": "x", "basic-auth-password-file": "/f"},
     ["p: only one of basic-auth-password and basic-auth-password-file can be configured"]),
    ({"basic-auth-password-file": "/f"}, ["p: a basic-auth password is set without 'basic-auth-user'; Kea would ignore it"]),
])
def test_kea_rules_peer_auth(value, problems):
    ctx = context()
    kea_rules.peer_auth(ctx, "p", value)
    assert ctx.problems.items == problems


def _peer(side, name, role, url="http://10.0.0.2:8001/", scheme="http"):
    return Peer(side, "h-" + name, name, url, None, role, {}, "%s peer '%s'" % (side, name), scheme, None)


@pytest.mark.parametrize("mode, roles, problems", [
    ("hot-standby", ("primary", "standby"), []),
    ("hot-standby", ("primary", "secondary"), ["r: standby server required in the hot standby configuration",
                                               "r: secondary servers not allowed in the hot standby configuration"]),
    ("hot-standby", ("standby", "standby"), ["r: both peers have role 'standby'; at most one standby is allowed",
                                             "r: primary server required in the hot standby configuration"]),
    ("load-balancing", ("primary", "standby"), ["r: load balancing needs one primary and one secondary server "
                                                "(roles: primary, standby)",
                                                "r: standby servers not allowed in the load balancing configuration"]),
    ("passive-backup", ("primary", "backup"), []),
])
def test_kea_rules_peer_pair_roles(mode, roles, problems):
    ctx = context()
    kea_rules.peer_pair(ctx, "r", mode, {"mode": mode}, _peer("branch", "b", roles[0]), _peer("central", "c", roles[1]))
    assert ctx.problems.items == problems


def test_kea_rules_https_needs_tls_files():
    ctx = context()
    kea_rules.peer_pair(ctx, "r", "hot-standby", {"mode": "hot-standby"},
                        _peer("branch", "b", "primary", "https://10.0.0.2:8001/", "https"), _peer("central", "c", "standby"))
    assert ctx.problems.items == ["branch peer 'b': url 'https://10.0.0.2:8001/' uses https, which needs trust-anchor, "
                                  "cert-file and key-file (on the peer or the relationship)"]


# -- subnets ------------------------------------------------------------------------

@pytest.mark.parametrize("subnet, problems", [
    ({"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.99"}]}, []),
    ({"subnet": "10.1.0.0/24"}, ["r subnet 10.1.0.0/24: 'id' is required: both ends of a relationship must number the "
                                 "subnet alike"]),
    ({"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.1.10 - 10.1.1.99"}]},
     ["r subnet 10.1.0.0/24 (id 1): pool '10.1.1.10 - 10.1.1.99' is outside the subnet"]),
    ({"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.0/25"}, {"pool": "10.1.0.100 - 10.1.0.200"}]},
     ["r subnet 10.1.0.0/24 (id 1): pools '10.1.0.0/25' and '10.1.0.100 - 10.1.0.200' overlap"]),
    ({"id": 1, "subnet": "2001:db8::/64"}, ["r subnet 2001:db8::/64 (id 1): an IPv6 subnet in a DHCPv4 topology (family: 4)"]),
    ({"id": 1, "subnet": "10.1.0.0/24", "valid_lifetime": 600},
     ["r subnet 10.1.0.0/24 (id 1): unknown key 'valid_lifetime'; did you mean 'valid-lifetime'?"]),
])
def test_subnets(subnet, problems):
    ctx = context()
    kept, parsed = subnets.subnets(ctx, "r", set(["b", "c"]), [subnet])
    assert ctx.problems.items == problems
    assert kept == [subnet] and len(parsed) == 1


def test_subnets_are_required():
    ctx = context()
    assert subnets.subnets(ctx, "r", set(), []) == ([], [])
    assert ctx.problems.items == ["r: 'subnets' must be a non-empty list of Kea subnet objects, not an empty list"]


# -- peers --------------------------------------------------------------------------

def test_peers_derive_a_missing_url_from_facts():
    facts = {"b1": {"interfaces": ["eth1"], "eth1": {"ipv4": {"address": "10.1.0.2"}}}}
    ctx = context(facts=facts)
    rel = peers.relationship(ctx, 2, {
        "branch": {"host": "b1", "name": "s1", "interface": "eth1"},
        "central": {"name": "s2", "url": "http://10.1.0.3:8002/"},
        "subnets": [{"id": 1, "subnet": "10.1.0.0/24"}]}, {})
    assert ctx.problems.items == []
    assert (rel.branch.url, rel.branch.scheme, rel.central.role, len(rel.subnets)) == (
        "http://10.1.0.2:8001/", "http", "standby", 1)
    assert [(where, ident) for where, owner, ident, _prefix in ctx.parsed] == [("relationship 2 (b1) subnet 10.1.0.0/24 (id 1)", 1)]
    assert ctx.parsed[0][1] is rel


def test_peers_without_facts_need_a_url():
    ctx = context()
    peers.relationship(ctx, 1, {"branch": {"host": "b1", "name": "s1"}, "central": {"name": "s2", "url": "http://10.0.0.3:8001/"},
                                "subnets": [{"id": 1, "subnet": "10.0.0.0/24"}]}, {})
    assert ctx.problems.items == ["relationship 1 (b1) branch peer 's1': 'url' is required (no facts of host 'b1' to derive it from)"]


# -- cross_checks -------------------------------------------------------------------

def _relationships(ctx, *urls):
    found = []
    for index, (branch_url, central_url) in enumerate(urls, 1):
        found.append(peers.relationship(ctx, index, {
            "branch": {"host": "b%d" % index, "name": "s%d" % index, "url": branch_url, "interface": "lan%d" % index},
            "central": {"name": "c%d" % index, "url": central_url, "interface": "lan%d" % index},
            "subnets": [{"id": index, "subnet": "10.%d.0.0/24" % index}]}, {}))
    return found


def test_cross_checks_two_relationships_cannot_listen_on_one_endpoint():
    ctx = context()
    ctx.central = "hub"
    rels = _relationships(ctx, ("http://10.1.0.2:8001/", "http://10.9.0.3:8001/"),
                          ("http://10.2.0.2:8001/", "http://10.9.0.3:8001/"))
    cross_checks.cross_checks(ctx, rels, Options(), 2)
    assert ctx.problems.items == ["relationship 2 (b2) central peer 'c2': listens on 10.9.0.3:8001 like relationship 1 (b1) "
                                  "central peer 'c1'; with dedicated HA listeners each relationship of host 'hub' needs "
                                  "its own IP:port"]


def test_cross_checks_the_control_channel_is_not_an_ha_listener():
    ctx = context()
    ctx.central = "hub"
    rels = _relationships(ctx, ("http://10.1.0.2:8000/", "http://10.1.0.3:8001/"))
    cross_checks.cross_checks(ctx, rels, Options(control_endpoints={"b1": ["10.1.0.2:8000"]}), 1)
    assert ctx.problems.items == ["relationship 1 (b1) branch peer 's1': HA listener 10.1.0.2:8000 collides with the "
                                  "control channel on 10.1.0.2:8000 of host 'b1'"]


def test_cross_checks_subnet_ids_are_unique_across_relationships():
    ctx = context()
    ctx.central = "hub"
    rels = _relationships(ctx, ("http://10.1.0.2:8001/", "http://10.1.0.3:8001/"),
                          ("http://10.2.0.2:8001/", "http://10.2.0.3:8001/"))
    ctx.parsed[1] = (ctx.parsed[1][0], ctx.parsed[1][1], 1, ctx.parsed[1][3])
    cross_checks.cross_checks(ctx, rels, Options(), 2)
    assert ctx.problems.items == ["relationship 2 (b2) subnet 10.2.0.0/24 (id 2): subnet id 1 is already used by "
                                  "relationship 1 (b1) subnet 10.1.0.0/24 (id 1)"]
