# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import copy

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology, tag_subnets

from topologies import example, seed_fixture, two_branches_v4

_example = example
_fixture = seed_fixture
v4 = two_branches_v4


def problems_of(topology, **options):
    with pytest.raises(TopologyError) as info:
        load_topology(topology, **options)
    return info.value.problems


# ---------------------------------------------------------------------------
# the documented arrangement


def test_seed_example_reproduces_the_documented_configs():
    configs = load_topology(_example("seed"), hooks_dir="/usr/lib/kea/hooks").configs()
    assert configs["central"] == _fixture("central.json")
    assert configs["branch2"] == _fixture("branch-server3.json")


def test_seed_branch1_mirrors_branch2():
    branch1 = load_topology(_example("seed"), hooks_dir="/usr/lib/kea/hooks").configs()["branch1"]["Dhcp6"]
    assert branch1["subnet6"] == [{"id": 1, "subnet": "2001:db8:1::/64", "pools": [{"pool": "2001:db8:1::/80"}],
                                   "interface": "enp0s8", "user-context": {"ha-server-name": "server1"}}]
    relationship = branch1["hooks-libraries"][1]["parameters"]["high-availability"]
    assert [r["this-server-name"] for r in relationship] == ["server1"]
    assert [p["name"] for p in relationship[0]["peers"]] == ["server1", "server2"]


def test_default_hooks_are_bare_names_which_kea_resolves_itself():
    hooks = load_topology(_example("seed")).configs()["central"]["Dhcp6"]["hooks-libraries"]
    assert [h["library"] for h in hooks] == ["libdhcp_lease_cmds.so", "libdhcp_ha.so"]


def test_output_order_central_first_then_branches_in_order():
    assert list(load_topology(v4()).configs()) == ["hub", "b1", "b2"]


def test_relationship_keys_in_readable_order():
    entry = load_topology(v4()).ha_relationships("hub")[0]
    assert list(entry) == ["this-server-name", "mode", "heartbeat-delay", "peers"]
    assert list(entry["peers"][0]) == ["name", "url", "role"]


def test_emits_only_what_was_set():
    entry = load_topology(v4()).ha_relationships("b1")[0]
    assert entry == {
        "this-server-name": "s1", "mode": "hot-standby", "heartbeat-delay": 10000,
        "peers": [{"name": "s1", "url": "http://10.1.0.2:8001/", "role": "primary"},
                  {"name": "s2", "url": "http://10.1.0.3:8001/", "role": "standby"}],
    }


def test_central_has_one_relationship_per_branch_with_its_own_name():
    entries = load_topology(v4()).ha_relationships("hub")
    assert [e["this-server-name"] for e in entries] == ["s2", "s4"]


def test_each_branch_carries_only_its_own_subnets_and_central_all():
    configs = load_topology(v4()).configs()
    assert [s["id"] for s in configs["b1"]["Dhcp4"]["subnet4"]] == [1]
    assert [s["id"] for s in configs["b2"]["Dhcp4"]["subnet4"]] == [2]
    central = configs["hub"]["Dhcp4"]["subnet4"]
    assert [(s["id"], s["interface"], s["user-context"]["ha-server-name"]) for s in central] == [(1, "eth1", "s2"), (2, "eth2", "s4")]
    assert configs["hub"]["Dhcp4"]["interfaces-config"] == {"interfaces": ["eth1", "eth2"]}


def test_relationship_overrides_defaults_and_maps_merge_key_by_key():
    topology = v4()
    topology["defaults"]["multi-threading"] = {"enable-multi-threading": True, "http-listener-threads": 4}
    topology["relationships"][1]["multi-threading"] = {"http-listener-threads": 2}
    topology["relationships"][1]["heartbeat-delay"] = None  # null unsets a default
    model = load_topology(topology)
    first, second = model.ha_relationships("hub")
    assert first["multi-threading"] == {"enable-multi-threading": True, "http-listener-threads": 4}
    assert second["multi-threading"] == {"enable-multi-threading": True, "http-listener-threads": 2}
    assert "heartbeat-delay" in first and "heartbeat-delay" not in second


def test_subnet_keys_pass_through_and_user_context_is_kept():
    topology = v4()
    subnet = topology["relationships"][0]["subnets"][0]
    subnet["option-data"] = [{"name": "routers", "data": "10.1.0.1"}]
    subnet["user-context"] = {"site": "paris"}
    original = copy.deepcopy(topology)
    configs = load_topology(topology).configs()
    out = configs["hub"]["Dhcp4"]["subnet4"][0]
    assert out["option-data"] == [{"name": "routers", "data": "10.1.0.1"}]
    assert out["user-context"] == {"site": "paris", "ha-server-name": "s2"}
    assert configs["b1"]["Dhcp4"]["subnet4"][0]["user-context"] == {"site": "paris", "ha-server-name": "s1"}
    assert topology == original, "the input must not be modified"
    out["option-data"].append({"name": "domain-name-servers", "data": "10.1.0.53"})
    assert configs["b1"]["Dhcp4"]["subnet4"][0]["option-data"] == [{"name": "routers", "data": "10.1.0.1"}], \
        "each host's copy must be its own"


def test_pretagged_subnet_with_a_peer_of_its_relationship_is_retagged_per_host():
    topology = v4()
    topology["relationships"][0]["subnets"][0]["user-context"] = {"ha-server-name": "s1"}
    configs = load_topology(topology).configs()
    assert configs["hub"]["Dhcp4"]["subnet4"][0]["user-context"] == {"ha-server-name": "s2"}


@pytest.mark.parametrize("mode, roles", [
    ("load-balancing", ["primary", "secondary"]),
    ("passive-backup", ["primary", "backup"]),
    ("hot-standby", ["primary", "standby"]),
])
def test_single_relationship_may_use_any_mode(mode, roles):
    topology = v4()
    del topology["relationships"][1]
    topology["defaults"]["mode"] = mode
    entry = load_topology(topology).ha_relationships("hub")[0]
    assert entry["mode"] == mode
    assert [p["role"] for p in entry["peers"]] == roles


def test_family_may_be_given_as_a_string_from_extra_vars():
    topology = v4()
    topology["family"] = "4"
    assert "Dhcp4" in load_topology(topology).configs()["hub"]


def _without_interfaces(topology):
    for rel in topology["relationships"]:
        rel["branch"].pop("interface")
        rel["central"].pop("interface")
    return topology


def test_a_host_that_would_listen_on_no_interface_is_refused_by_name():
    """Kea accepts such a configuration and serves nobody: the silent outage a relayed central used to get."""
    with pytest.raises(TopologyError) as exc:
        load_topology(_without_interfaces(v4()))
    assert exc.value.problems == [
        "host 'b1': would listen on no interface, so Kea would receive no DHCP traffic and serve none of "
        "relationship 1 (b1). Give its peers an 'interface' (clients on the host's own LAN) or 'relay-interfaces' "
        "(traffic relayed to it across the WAN), or list interfaces in its base configuration's interfaces-config",
        "host 'hub': would listen on no interface, so Kea would receive no DHCP traffic and serve none of "
        "relationship 1 (b1), relationship 2 (b2). Give its peers an 'interface' (clients on the host's own LAN) or "
        "'relay-interfaces' (traffic relayed to it across the WAN), or list interfaces in its base configuration's "
        "interfaces-config",
        "host 'b2': would listen on no interface, so Kea would receive no DHCP traffic and serve none of "
        "relationship 2 (b2). Give its peers an 'interface' (clients on the host's own LAN) or 'relay-interfaces' "
        "(traffic relayed to it across the WAN), or list interfaces in its base configuration's interfaces-config"]


def test_a_relayed_central_listens_on_its_wan_interface_with_udp_sockets():
    topology = v4()
    for rel in topology["relationships"]:
        rel["central"].pop("interface")
        rel["central"]["relay-interfaces"] = ["wan0"]
    configs = load_topology(topology).configs()
    hub = configs["hub"]["Dhcp4"]
    assert hub["interfaces-config"] == {"interfaces": ["wan0"], "dhcp-socket-type": "udp"}
    assert all("interface" not in subnet for subnet in hub["subnet4"])
    assert [s["user-context"]["ha-server-name"] for s in hub["subnet4"]] == ["s2", "s4"]
    # the branches keep their LANs and raw sockets
    assert configs["b1"]["Dhcp4"]["interfaces-config"] == {"interfaces": ["eth1"]}
    assert configs["b1"]["Dhcp4"]["subnet4"][0]["interface"] == "eth1"


def test_relayed_dhcpv6_gets_no_socket_type():
    topology = {"family": 6, "central": "hub", "relationships": [
        {"branch": {"host": "b1", "name": "s1", "url": "http://[2001:db8:1::2]:8001/", "interface": "eth1"},
         "central": {"name": "s2", "url": "http://[2001:db8:ffff::3]:8001/", "relay-interfaces": ["wan0/2001:db8:ffff::3"]},
         "subnets": [{"id": 1, "subnet": "2001:db8:1::/64"}]}]}
    hub = load_topology(topology).configs()["hub"]["Dhcp6"]
    assert hub["interfaces-config"] == {"interfaces": ["wan0/2001:db8:ffff::3"]}


def test_a_relay_interface_may_sit_beside_a_lan():
    topology = v4()
    topology["relationships"][0]["central"]["relay-interfaces"] = ["wan0"]
    hub = load_topology(topology).configs()["hub"]["Dhcp4"]
    assert hub["interfaces-config"] == {"interfaces": ["eth1", "wan0", "eth2"]}
    assert hub["subnet4"][0]["interface"] == "eth1"


def test_a_peer_that_says_nothing_on_a_listening_host_is_named():
    topology = v4()
    topology["relationships"][1]["central"].pop("interface")
    with pytest.raises(TopologyError) as exc:
        load_topology(topology)
    assert exc.value.problems == [
        "relationship 2 (b2) central peer 's4': has neither 'interface' nor 'relay-interfaces': say where host "
        "'hub' receives this relationship's traffic, or it serves subnets 10.2.0.0/24 (id 2) only if their "
        "traffic happens to be relayed to an interface it listens on for other relationships"]


def test_interfaces_listed_in_the_base_configuration_are_enough():
    base = {"interfaces-config": {"interfaces": ["*"]}}
    configs = load_topology(_without_interfaces(v4()), base=base).configs()
    assert configs["hub"]["Dhcp4"]["interfaces-config"] == {"interfaces": ["*"]}
    assert all("interface" not in s for s in configs["hub"]["Dhcp4"]["subnet4"])


@pytest.mark.parametrize("relay, problem", [
    (["wan0", "wan0"], "'relay-interfaces' lists 'wan0' twice"),
    (["wan 0"], "'relay-interfaces' item must be an interface name such as 'eth0' (or 'eth0/ADDRESS'), not 'wan 0'"),
    (["/10.0.0.1"], "'relay-interfaces' item '/10.0.0.1' names no interface before its '/'"),
    (["wan0/10.0.0"], "'relay-interfaces' item 'wan0/10.0.0': '10.0.0' after the '/' is not an IP address"),
    (["wan0/2001:db8::1"], "'relay-interfaces' item 'wan0/2001:db8::1': a DHCPv4 server listens on IPv4 addresses, "
                           "not 2001:db8::1"),
    ([], "'relay-interfaces' must name at least one interface; leave it out otherwise"),
    ("wan0", "'relay-interfaces' must be a list, not a string"),
])
def test_relay_interfaces_are_checked_as_kea_spells_them(relay, problem):
    topology = v4()
    topology["relationships"][0]["central"]["relay-interfaces"] = relay
    with pytest.raises(TopologyError) as exc:
        load_topology(topology)
    assert "relationship 1 (b1) central peer 's2': " + problem in exc.value.problems


# ---------------------------------------------------------------------------
# base configs


def test_base_config_is_merged_underneath():
    base = {"Dhcp4": {
        "interfaces-config": {"interfaces": ["eth0"], "dhcp-socket-type": "raw"},
        "hooks-libraries": [{"library": "libdhcp_stat_cmds.so"}],
        "lease-database": {"type": "memfile", "persist": True},
        "control-socket": {"socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket"},
    }}
    config = load_topology(v4(), base=base, host_base={"b1": {"valid-lifetime": 600}}).configs()
    hub, b1 = config["hub"]["Dhcp4"], config["b1"]["Dhcp4"]
    assert list(hub) == ["interfaces-config", "hooks-libraries", "lease-database", "control-socket", "subnet4"]
    assert hub["interfaces-config"] == {"interfaces": ["eth1", "eth2", "eth0"], "dhcp-socket-type": "raw"}
    assert [h["library"] for h in hub["hooks-libraries"]] == ["libdhcp_lease_cmds.so", "libdhcp_ha.so", "libdhcp_stat_cmds.so"]
    assert b1["valid-lifetime"] == 600 and "valid-lifetime" not in hub
    assert base["Dhcp4"]["interfaces-config"]["interfaces"] == ["eth0"], "the base must not be modified"


@pytest.mark.parametrize("base, problem", [
    ({"subnet4": []}, "keadhcp.ha options: base: must not define 'subnet4': declare subnets in the relationships, "
                      "so that each is tagged with its relationship's ha-server-name"),
    ({"hooks-libraries": [{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so"}]},
     "keadhcp.ha options: base: must not load '/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so': "
     "the topology provides the lease commands and HA hooks"),
    ({"Dhcp6": {}}, "keadhcp.ha options: base: is a Dhcp6 config but the topology's family is 4"),
    ("nope", "keadhcp.ha options: base: must be a mapping, not a string"),
])
def test_base_config_problems(base, problem):
    assert problems_of(v4(), base=base) == [problem]


# ---------------------------------------------------------------------------
# listeners and the control channel


def test_control_agent_on_loopback_next_to_ha_port_is_fine():
    load_topology(_example("seed"), control_endpoints=["127.0.0.1:8000"])


def test_wildcard_control_channel_collides_with_every_ha_listener_on_its_port():
    got = problems_of(_example("seed"), control_endpoints={"central": ["0.0.0.0:8000"]})
    assert got == [
        "relationship 1 (branch1) central peer 'server2': HA listener 192.168.56.33:8000 collides with the control "
        "channel on 0.0.0.0:8000 of host 'central'",
        "relationship 2 (branch2) central peer 'server4': HA listener 192.168.57.33:8000 collides with the control "
        "channel on 0.0.0.0:8000 of host 'central'",
    ]


def test_kea3_http_control_socket_in_base_is_checked():
    base = {"control-sockets": [{"socket-type": "http", "socket-address": "10.1.0.2", "socket-port": 8001}]}
    got = problems_of(v4(), host_base={"b1": base})
    assert got == ["relationship 1 (b1) branch peer 's1': HA listener 10.1.0.2:8001 collides with the control "
                   "channel on 10.1.0.2:8001 of host 'b1'"]


def test_shared_central_listener_is_fine_without_dedicated_listeners():
    topology = v4()
    topology["relationships"][1]["central"]["url"] = "http://10.1.0.3:8001/"
    topology["defaults"]["multi-threading"] = {"http-dedicated-listener": False}
    load_topology(topology)


def test_core_multi_threading_off_turns_dedicated_listeners_off():
    topology = v4()
    topology["relationships"][1]["central"]["url"] = "http://10.1.0.3:8001/"
    load_topology(topology, base={"multi-threading": {"enable-multi-threading": False}})


# ---------------------------------------------------------------------------
# one broken rule at a time: the exact message a user reads


def _set(path, value):
    def mutate(topology):
        node = topology
        for key in path[:-1]:
            node = node[key]
        if value is KeyError:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return mutate


R1, R2 = ("relationships", 0), ("relationships", 1)

CASES = [
    ("unknown top key", _set(("relationship",), []),
     "kea_ha_topology: unknown key 'relationship'; did you mean 'relationships'?"),
    ("bad family", _set(("family",), 5), "kea_ha_topology: 'family' must be 4 or 6, not 5"),
    ("no central", _set(("central",), KeyError), "kea_ha_topology: 'central' must name the central's inventory host, not null"),
    ("misspelt HA key", _set(R1 + ("heartbeat_delay",), 1000),
     "relationship 1 (b1): unknown key 'heartbeat_delay'; did you mean 'heartbeat-delay'?"),
    ("misspelt MT key", _set(("defaults", "multi-threading"), {"http-listener-thread": 2}),
     "kea_ha_topology.defaults multi-threading: unknown key 'http-listener-thread'; did you mean 'http-listener-threads'?"),
    ("derived key", _set(R1 + ("this-server-name",), "s1"),
     "relationship 1 (b1): 'this-server-name' is not allowed here: it is derived: each host gets its own peer name"),
    ("peer key on relationship", _set(R1 + ("auto-failover",), False),
     "relationship 1 (b1): 'auto-failover' is not allowed here: it is a per-peer key: set it on the relationship's "
     "'branch' and/or 'central'"),
    ("relationship key on peer", _set(R1 + ("branch", "heartbeat-delay"), 5),
     "relationship 1 (b1) branch peer 's1': 'heartbeat-delay' is not allowed here: it is a relationship parameter: "
     "set it on the relationship or in defaults"),
    ("misspelt peer key", _set(R2 + ("central", "auto_failover"), True),
     "relationship 2 (b2) central peer 's4': unknown key 'auto_failover'; did you mean 'auto-failover'?"),
    ("timer too large", _set(("defaults", "heartbeat-delay"), 70000),
     "kea_ha_topology.defaults: 'heartbeat-delay' must not be greater than 65535 (got 70000)"),
    ("negative timer", _set(R2 + ("max-response-delay",), -1),
     "relationship 2 (b2): 'max-response-delay' must not be negative (got -1)"),
    ("timer as string", _set(R2 + ("max-ack-delay",), "10"),
     "relationship 2 (b2): 'max-ack-delay' must be an integer, not a string"),
    ("bool as string", _set(R2 + ("send-lease-updates",), "yes"),
     "relationship 2 (b2): 'send-lease-updates' must be true or false, not a string"),
    ("unknown mode", _set(R1 + ("mode",), "hot-standy"),
     "relationship 1 (b1): 'mode' must be one of hot-standby, load-balancing, passive-backup, not 'hot-standy'; "
     "did you mean 'hot-standby'?"),
    ("two relationships load-balancing", _set(R2 + ("mode",), "load-balancing"),
     "relationship 2 (b2): uses mode 'load-balancing', but multiple HA relationships are only supported for 'hot-standby' mode"),
    ("delayed updates in hot-standby", _set(R1 + ("delayed-updates-limit",), 5),
     "relationship 1 (b1): 'delayed-updates-limit' must be set to 0 in the hot standby configuration"),
    ("wait-backup-ack in hot-standby", _set(R1 + ("wait-backup-ack",), True),
     "relationship 1 (b1): 'wait-backup-ack' must be set to false in the hot standby configuration"),
    ("central standby as backup", _set(R1 + ("central", "role"), "backup"),
     "relationship 1 (b1): standby server required in the hot standby configuration"),
    ("unknown role", _set(R1 + ("central", "role"), "standy"),
     "relationship 1 (b1) central peer 's2': 'role' must be one of primary, secondary, standby, backup, not 'standy'"),
    ("name reused across relationships", _set(R2 + ("central", "name"), "s2"),
     "relationship 2 (b2) central peer 's2': server names must be unique for different relationships: 's2' is already "
     "the central peer of relationship 1 (b1)"),
    ("name reused inside relationship", _set(R1 + ("central", "name"), "s1"),
     "relationship 1 (b1): peer with name 's1' already specified (branch and central need different names)"),
    ("host name in URL", _set(R1 + ("branch", "url"), "http://b1.example.net:8001/"),
     "relationship 1 (b1) branch peer 's1': url 'http://b1.example.net:8001/' has host 'b1.example.net'; Kea accepts "
     "only an IP address here, not a host name"),
    ("URL without port", _set(R2 + ("branch", "url"), "http://10.2.0.2/"),
     "relationship 2 (b2) branch peer 's3': url 'http://10.2.0.2/' has no port (write it explicitly, e.g. ':8000')"),
    ("https without TLS files", _set(R2 + ("branch", "url"), "https://10.2.0.2:8001/"),
     "relationship 2 (b2) branch peer 's3': url 'https://10.2.0.2:8001/' uses https, which needs trust-anchor, cert-file "
     "and key-file (on the peer or the relationship)"),
    ("half a TLS set", _set(R1 + ("trust-anchor",), "/etc/kea/ca.pem"),
     "relationship 1 (b1): TLS needs all of trust-anchor, cert-file and key-file together; missing 'cert-file', 'key-file'"),
    ("colon in user", _set(R1 + ("branch", "basic-auth-user"), "kea:ha"),
     "relationship 1 (b1) branch peer 's1': user 'kea:ha' must not contain a ':'"),
    ("password without user", _set(R1 + ("branch", "basic-auth-password-file"), "/etc/kea/pw"),
     "relationship 1 (b1) branch peer 's1': a basic-auth password is set without 'basic-auth-user'; Kea would ignore it"),
    ("missing url", _set(R2 + ("central", "url"), KeyError),
     "relationship 2 (b2) central peer 's4': 'url' is required (no facts of host 'hub' to derive it from)"),
    ("port next to url", _set(R2 + ("central", "port"), 8002),
     "relationship 2 (b2) central peer 's4': 'port' only serves to derive 'url'; with 'url' given, put the port in it"),
    ("bad ha-port", _set(("ha-port",), 0), "kea_ha_topology: 'ha-port' must be a port number (1-65535), not 0"),
    ("missing branch host", _set(R2 + ("branch", "host"), KeyError), "relationship 2 branch peer 's3': 'host' is required"),
    ("host on central", _set(R2 + ("central", "host"), "hub"),
     "relationship 2 (b2) central peer 's4': 'host' is not allowed here: the central's host is kea_ha_topology.central"),
    ("branch is the central", _set(R2 + ("branch", "host"), "hub"),
     "relationship 2 (hub): branch host 'hub' is the central; a host is the central or a branch, never both"),
    ("branch in two relationships", _set(R2 + ("branch", "host"), "b1"),
     "relationship 2 (b1): branch host 'b1' is already the branch of relationship 1 (b1); a branch has one relationship"),
    ("central listens twice on one endpoint", _set(R2 + ("central", "url"), "http://10.1.0.3:8001/"),
     "relationship 2 (b2) central peer 's4': listens on 10.1.0.3:8001 like relationship 1 (b1) central peer 's2'; with "
     "dedicated HA listeners each relationship of host 'hub' needs its own IP:port"),
    ("two hosts on one endpoint", _set(R2 + ("branch", "url"), "http://10.1.0.2:8001/"),
     "relationship 2 (b2) branch peer 's3': url 'http://10.1.0.2:8001/' points at 10.1.0.2:8001, which is already the "
     "address of relationship 1 (b1) branch peer 's1' on host 'b1'"),
    ("no subnets", _set(R2 + ("subnets",), []),
     "relationship 2 (b2): 'subnets' must be a non-empty list of Kea subnet objects, not an empty list"),
    ("subnet without id", _set(R2 + ("subnets", 0, "id"), KeyError),
     "relationship 2 (b2) subnet 10.2.0.0/24: 'id' is required: both ends of a relationship must number the subnet alike"),
    ("subnet id zero", _set(R2 + ("subnets", 0, "id"), 0), "relationship 2 (b2) subnet 10.2.0.0/24 (id 0): 'id' 0 is out of range (1-4294967294)"),
    ("duplicate subnet id", _set(R2 + ("subnets", 0, "id"), 1),
     "relationship 2 (b2) subnet 10.2.0.0/24 (id 1): subnet id 1 is already used by relationship 1 (b1) subnet 10.1.0.0/24 (id 1)"),
    ("same subnet in two relationships", _set(R2 + ("subnets", 0), {"id": 2, "subnet": "10.1.0.0/24"}),
     "relationship 2 (b2) subnet 10.1.0.0/24 (id 2): already belongs to relationship 1 (b1); a subnet belongs to exactly "
     "one relationship"),
    ("overlapping subnets", _set(R2 + ("subnets", 0), {"id": 2, "subnet": "10.1.0.128/25"}),
     "relationship 2 (b2) subnet 10.1.0.128/25 (id 2): overlaps relationship 1 (b1) subnet 10.1.0.0/24 (id 1)"),
    ("host bits", _set(R2 + ("subnets", 0, "subnet"), "10.2.0.1/24"),
     "relationship 2 (b2) subnet 10.2.0.1/24 (id 2): 'subnet' '10.2.0.1/24' has host bits set (did you mean '10.2.0.0/24'?)"),
    ("IPv6 subnet in family 4", _set(R2 + ("subnets", 0), {"id": 2, "subnet": "2001:db8::/64"}),
     "relationship 2 (b2) subnet 2001:db8::/64 (id 2): an IPv6 subnet in a DHCPv4 topology (family: 4)"),
    ("pool outside subnet", _set(R1 + ("subnets", 0, "pools"), [{"pool": "10.1.1.10 - 10.1.1.20"}]),
     "relationship 1 (b1) subnet 10.1.0.0/24 (id 1): pool '10.1.1.10 - 10.1.1.20' is outside the subnet"),
    ("reversed pool", _set(R1 + ("subnets", 0, "pools"), [{"pool": "10.1.0.99 - 10.1.0.10"}]),
     "relationship 1 (b1) subnet 10.1.0.0/24 (id 1): pool '10.1.0.99 - 10.1.0.10' is reversed (10.1.0.99 comes after 10.1.0.10)"),
    ("overlapping pools", _set(R1 + ("subnets", 0, "pools"), [{"pool": "10.1.0.0/25"}, {"pool": "10.1.0.100 - 10.1.0.200"}]),
     "relationship 1 (b1) subnet 10.1.0.0/24 (id 1): pools '10.1.0.0/25' and '10.1.0.100 - 10.1.0.200' overlap"),
    ("tag naming another relationship", _set(R2 + ("subnets", 0, "user-context"), {"ha-server-name": "s2"}),
     "relationship 2 (b2) subnet 10.2.0.0/24 (id 2): user-context ha-server-name 's2' is not a peer of this relationship ('s3', 's4')"),
    ("interface in subnet", _set(R2 + ("subnets", 0, "interface"), "eth9"),
     "relationship 2 (b2) subnet 10.2.0.0/24 (id 2): 'interface' is not allowed here: set 'interface' on the relationship's "
     "branch and central; each copy of the subnet is bound to its own host's interface"),
    ("pd-pools in v4", _set(R2 + ("subnets", 0, "pd-pools"), []),
     "relationship 2 (b2) subnet 10.2.0.0/24 (id 2): 'pd-pools' (prefix delegation) exists only in DHCPv6"),
    ("state machine", _set(R1 + ("state-machine",), {"states": [{"state": "waiting", "pause": "always"}, {"state": "waiting"}]}),
     "relationship 1 (b1) state-machine: duplicated configuration for the 'waiting' state"),
]


@pytest.mark.parametrize("mutate, problem", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_broken_rule_gives_one_exact_problem(mutate, problem):
    topology = v4()
    mutate(topology)
    assert problems_of(topology) == [problem]


def test_every_problem_is_reported_at_once():
    topology = v4()
    chosen = ("misspelt HA key", "name reused inside relationship", "same subnet in two relationships", "reversed pool")
    for name, mutate, _problem in CASES:
        if name in chosen:
            mutate(topology)
    got = problems_of(topology)
    assert got == [
        "relationship 1 (b1): unknown key 'heartbeat_delay'; did you mean 'heartbeat-delay'?",
        "relationship 1 (b1): peer with name 's1' already specified (branch and central need different names)",
        "relationship 1 (b1) subnet 10.1.0.0/24 (id 1): pool '10.1.0.99 - 10.1.0.10' is reversed (10.1.0.99 comes after 10.1.0.10)",
        "relationship 2 (b2) subnet 10.1.0.0/24 (id 2): already belongs to relationship 1 (b1); a subnet belongs to exactly "
        "one relationship",
    ]


def test_message_counts_problems():
    topology = v4()
    topology["family"] = 5
    topology["relationship"] = []
    with pytest.raises(TopologyError) as info:
        load_topology(topology)
    assert str(info.value) == ("kea_ha_topology is invalid (2 problems):\n"
                               "  - kea_ha_topology: unknown key 'relationship'; did you mean 'relationships'?\n"
                               "  - kea_ha_topology: 'family' must be 4 or 6, not 5")


def test_unknown_inventory_host_is_named_with_a_suggestion():
    got = problems_of(v4(), known_hosts=["hub", "b1"])
    assert got == ["relationship 2 (b2) branch peer 's3': host 'b2' is not in the inventory; did you mean 'b1'?"]
    got = problems_of(v4(), known_hosts=["b1", "b2"])
    assert got == ["kea_ha_topology: central: host 'hub' is not in the inventory"]
    got = problems_of(v4(), known_hosts=["hub", "b1", "b3"])
    assert got == ["relationship 2 (b2) branch peer 's3': host 'b2' is not in the inventory; did you mean 'b3'?"]


def test_host_outside_the_topology():
    with pytest.raises(TopologyError) as info:
        load_topology(v4()).ha_relationships("b3")
    assert info.value.problems == ["host 'b3': it is neither the central ('hub') nor a branch of any relationship; did you mean 'b2'?"]


# ---------------------------------------------------------------------------
# any input shape: a clear problem, never a traceback

SHAPES = [None, [], "", "text", 0, 1.5, True, {}, {"relationships": None}, {"relationships": [None]},
          {"relationships": [{}]}, {"relationships": [{"branch": [], "central": "x", "subnets": {}}]},
          {"central": 3, "defaults": [], "relationships": [{"branch": {"host": None, "name": 1, "url": 2}}]},
          {"central": "c", "relationships": [{"branch": {"host": "b", "name": "n", "url": "http://10.0.0.1:1/"},
                                              "central": {"name": "m", "url": "http://10.0.0.2:1/"},
                                              "subnets": [None, 1, {}, {"id": True, "subnet": 7, "pools": "x"},
                                                          {"id": 5, "subnet": "10.9.0.0/16", "pools": [None, {"pool": 4}],
                                                           "user-context": "ctx"}]}]},
          {"central": "c", "defaults": {"multi-threading": [], "state-machine": {"states": [1, {"state": "x", "pause": 2}]}},
           "relationships": [{}]}]


@pytest.mark.parametrize("shape", SHAPES, ids=[str(i) for i in range(len(SHAPES))])
def test_any_shape_gives_problems_not_a_traceback(shape):
    got = problems_of(shape)
    assert got and all(isinstance(p, str) and ": " in p for p in got)


# ---------------------------------------------------------------------------
# tag_subnets


def test_tag_subnets_copies_and_keeps_user_context():
    subnets = [{"id": 1, "subnet": "10.0.0.0/24", "user-context": {"site": "x"}}]
    tagged = tag_subnets(subnets, "s2")
    assert tagged == [{"id": 1, "subnet": "10.0.0.0/24", "user-context": {"site": "x", "ha-server-name": "s2"}}]
    assert subnets[0]["user-context"] == {"site": "x"}


def test_tag_subnets_refuses_a_tag_from_another_relationship():
    subnets = [{"id": 1, "subnet": "10.0.0.0/24", "user-context": {"ha-server-name": "s9"}}]
    with pytest.raises(TopologyError) as info:
        tag_subnets(subnets, "s2", peers=["s1", "s2"])
    assert info.value.problems == ["tag_subnets subnet 10.0.0.0/24 (id 1): already tagged ha-server-name 's9', which is "
                                   "not a peer of its relationship ('s1', 's2')"]


def test_tag_subnets_accepts_a_tag_of_its_own_relationship():
    subnets = [{"id": 1, "subnet": "10.0.0.0/24", "user-context": {"ha-server-name": "s1"}}]
    assert tag_subnets(subnets, "s2", peers=["s1", "s2"])[0]["user-context"] == {"ha-server-name": "s2"}


@pytest.mark.parametrize("subnets, name, problem", [
    ("x", "s1", "tag_subnets: subnets must be a list, not a string"),
    ([], None, "tag_subnets: server name must be a non-empty string, not null"),
    ([3], "s1", "tag_subnets subnet #1: must be a mapping, not an integer"),
    ([{"subnet": "10.0.0.0/8", "user-context": []}], "s1", "tag_subnets subnet 10.0.0.0/8: 'user-context' must be a mapping, not a list"),
])
def test_tag_subnets_bad_input(subnets, name, problem):
    with pytest.raises(TopologyError) as info:
        tag_subnets(subnets, name)
    assert info.value.problems == [problem]


# ---------------------------------------------------------------------------
# options naming hosts, and DHCPv6 prefix delegation


def test_options_naming_hosts_outside_the_topology():
    got = problems_of(v4(), host_base={"hubb": {}}, control_endpoints={"b3": ["127.0.0.1:8000"]})
    assert got == [
        "keadhcp.ha options: host_base: host 'hubb' is not part of the topology; did you mean 'hub'?",
        "keadhcp.ha options: control_endpoints: host 'b3' is not part of the topology; did you mean 'b2'?",
    ]


@pytest.mark.parametrize("hosts", ["all", [1, 2], {"hub": 1}])
def test_known_hosts_must_be_a_list_of_names(hosts):
    got = problems_of(v4(), known_hosts=hosts)
    assert got[0].startswith("keadhcp.ha options: known_hosts must be a list of inventory hostnames, not ")


def test_ipv4_wildcard_control_channel_leaves_ipv6_listeners_alone():
    topology = _example("seed")
    for number, rel in enumerate(topology["relationships"], 1):
        rel["branch"]["url"] = "http://[fd00:%d::2]:8000/" % number
        rel["central"]["url"] = "http://[fd00:%d::3]:8000/" % number
    load_topology(topology, control_endpoints=["0.0.0.0:8000"])
    got = problems_of(topology, control_endpoints={"branch1": ["[::]:8000"]})
    assert got == ["relationship 1 (branch1) branch peer 'server1': HA listener [fd00:1::2]:8000 collides with the "
                   "control channel on [::]:8000 of host 'branch1'"]


def _v6_with_pd(pd_pools):
    topology = _example("seed")
    topology["relationships"][0]["subnets"][0]["pd-pools"] = pd_pools
    return topology


def test_pd_pools_pass_through():
    pd = [{"prefix": "2001:db8:8000::", "prefix-len": 48, "delegated-len": 56}]
    config = load_topology(_v6_with_pd(pd)).configs()["central"]["Dhcp6"]["subnet6"][0]
    assert config["pd-pools"] == pd


@pytest.mark.parametrize("pd_pools, problem", [
    ([{"prefix": "2001:db8:8000::1", "prefix-len": 48, "delegated-len": 56}],
     "pd-pool prefix '2001:db8:8000::1/48' has host bits set (did you mean '2001:db8:8000::/48'?)"),
    ([{"prefix": "2001:db8:8000::", "prefix-len": 48, "delegated-len": 40}],
     "pd-pool 'delegated-len' 40 is shorter than its 'prefix-len' 48"),
    ([{"prefix": "2001:db8:8000::", "prefix-len": 48, "delegated-len": 56},
      {"prefix": "2001:db8:8000:100::", "prefix-len": 56, "delegated-len": 64}],
     "pd-pools '2001:db8:8000::/48' and '2001:db8:8000:100::/56' overlap"),
    ([{"prefix": "2001:db8:8000::", "prefix-len": 48, "delegated_len": 56}],
     "pd-pool needs integer 'prefix-len' and 'delegated-len' between 1 and 128"),
])
def test_pd_pool_problems(pd_pools, problem):
    got = problems_of(_v6_with_pd(pd_pools))
    assert "relationship 1 (branch1) subnet 2001:db8:1::/64 (id 1): " + problem in got


# ---------------------------------------------------------------------------
# URLs derived from facts, subnets from host_vars


def _facts(**interfaces):
    facts = {"interfaces": list(interfaces)}
    for name, address in interfaces.items():
        key = name.replace("-", "_")
        if ":" in address:
            facts[key] = {"ipv6": [{"address": "fe80::1", "scope": "link"}, {"address": address, "scope": "global"}]}
        else:
            facts[key] = {"ipv4": {"address": address}}
    facts["default_ipv4"] = {"address": list(interfaces.values())[0]}
    return facts


def _without_urls():
    topology = v4()
    for rel in topology["relationships"]:
        del rel["branch"]["url"], rel["central"]["url"]
    return topology


FACTS = {"hub": _facts(eth1="10.1.0.3", eth2="10.2.0.3"), "b1": _facts(eth1="10.1.0.2"), "b2": _facts(eth1="10.2.0.2")}


def test_urls_are_derived_from_the_peers_interface_addresses():
    model = load_topology(_without_urls(), facts=FACTS)
    hub = model.ha_relationships("hub")
    assert [[p["url"] for p in rel["peers"]] for rel in hub] == [
        ["http://10.1.0.2:8001/", "http://10.1.0.3:8001/"],
        ["http://10.2.0.2:8001/", "http://10.2.0.3:8002/"],
    ]
    assert model.ha_relationships("b2")[0]["peers"] == hub[1]["peers"]


def test_derived_urls_use_ha_port_port_ipv6_and_the_default_route():
    topology = _without_urls()
    topology["ha-port"] = 8100
    topology["relationships"][0]["branch"]["port"] = 9000
    del topology["relationships"][1]["branch"]["interface"]
    topology["relationships"][1]["branch"]["relay-interfaces"] = ["eth0"]
    facts = dict(FACTS, hub=_facts(eth1="fd00:1::3", eth2="10.2.0.3"))
    hub = load_topology(topology, facts=facts).ha_relationships("hub")
    assert [[p["url"] for p in rel["peers"]] for rel in hub] == [
        ["http://10.1.0.2:9000/", "http://[fd00:1::3]:8100/"],
        ["http://10.2.0.2:8100/", "http://10.2.0.3:8101/"],
    ]


def test_url_that_cannot_be_derived_is_named():
    facts = dict(FACTS, b2={"interfaces": ["eth9"]})
    got = problems_of(_without_urls(), facts=facts)
    assert got == ["relationship 2 (b2) branch peer 's3': 'url' cannot be derived: host 'b2' has no address on interface 'eth1'"]


def test_subnets_may_come_from_the_branch_host_vars():
    topology = v4()
    moved = topology["relationships"][1].pop("subnets")
    configs = load_topology(topology, host_subnets={"b2": moved}).configs()
    assert [s["id"] for s in configs["b2"]["Dhcp4"]["subnet4"]] == [2]
    assert [s["user-context"]["ha-server-name"] for s in configs["hub"]["Dhcp4"]["subnet4"]] == ["s2", "s4"]


def test_subnets_in_both_places_are_refused():
    got = problems_of(v4(), host_subnets={"b2": [{"id": 9, "subnet": "10.9.0.0/24"}]})
    assert got == ["relationship 2 (b2): subnets are declared both here and in kea_ha_subnets of host 'b2'; keep one"]


# ---------------------------------------------------------------------------
# shared networks


def with_network(**network_keys):
    topology = v4()
    network = {"name": "lyon-floor", "option-data": [{"name": "routers", "data": "10.2.8.1"}],
               "user-context": {"site": "lyon"},
               "subnet4": [{"id": 21, "subnet": "10.2.8.0/24", "pools": [{"pool": "10.2.8.10 - 10.2.8.99"}]},
                           {"id": 22, "subnet": "10.2.9.0/24", "user-context": {"ha-server-name": "s3", "floor": 2}}]}
    network.update(network_keys)
    topology["relationships"][1]["shared-networks"] = [network]
    return topology


def test_a_shared_network_is_tagged_and_bound_as_a_whole_on_each_host():
    configs = load_topology(with_network()).configs()
    (hub_net,) = configs["hub"]["Dhcp4"]["shared-networks"]
    (b2_net,) = configs["b2"]["Dhcp4"]["shared-networks"]
    assert (hub_net["user-context"], hub_net["interface"]) == ({"site": "lyon", "ha-server-name": "s4"}, "eth2")
    assert (b2_net["user-context"], b2_net["interface"]) == ({"site": "lyon", "ha-server-name": "s3"}, "eth1")
    # inside, no interface; a subnet's own tag becomes this host's name, other keys kept
    assert [s.get("interface") for s in hub_net["subnet4"]] == [None, None]
    assert [s.get("user-context") for s in hub_net["subnet4"]] == [None, {"ha-server-name": "s4", "floor": 2}]
    assert hub_net["option-data"] == [{"name": "routers", "data": "10.2.8.1"}]
    assert "shared-networks" not in configs["b1"]["Dhcp4"]
    assert list(configs["hub"]["Dhcp4"])[-2:] == ["subnet4", "shared-networks"]


def test_a_relationship_may_carry_only_shared_networks():
    topology = with_network()
    del topology["relationships"][1]["subnets"]
    b2 = load_topology(topology).configs()["b2"]["Dhcp4"]
    assert (b2["subnet4"], [n["name"] for n in b2["shared-networks"]]) == ([], ["lyon-floor"])


@pytest.mark.parametrize("change, problem", [
    ({"subnet4": [{"id": 1, "subnet": "10.2.8.0/24"}]},
     "relationship 2 (b2) shared network 'lyon-floor' subnet 10.2.8.0/24 (id 1): subnet id 1 is already used by "
     "relationship 1 (b1) subnet 10.1.0.0/24 (id 1)"),
    ({"subnet4": [{"id": 23, "subnet": "10.1.0.0/25"}]},
     "relationship 2 (b2) shared network 'lyon-floor' subnet 10.1.0.0/25 (id 23): overlaps relationship 1 (b1) "
     "subnet 10.1.0.0/24 (id 1)"),
    ({"subnet4": [{"id": 23, "subnet": "10.2.8.0/24", "pools": [{"pool": "10.3.0.1 - 10.3.0.9"}]}]},
     "relationship 2 (b2) shared network 'lyon-floor' subnet 10.2.8.0/24 (id 23): pool '10.3.0.1 - 10.3.0.9' is "
     "outside the subnet"),
    ({"subnet4": [{"id": 23, "subnet": "2001:db8::/64"}]},
     "relationship 2 (b2) shared network 'lyon-floor' subnet 2001:db8::/64 (id 23): an IPv6 subnet in a DHCPv4 "
     "topology (family: 4)"),
    ({"subnet4": []}, "relationship 2 (b2) shared network 'lyon-floor': 'subnet4' must be a non-empty list of Kea "
                      "subnet objects, not an empty list"),
    ({"interface": "eth9"}, "relationship 2 (b2) shared network 'lyon-floor': 'interface' is not allowed here: set "
                            "'interface' on the relationship's branch and central; each copy of the network is bound "
                            "to its own host's interface"),
    ({"user-context": {"ha-server-name": "s1"}},
     "relationship 2 (b2) shared network 'lyon-floor': user-context ha-server-name 's1' is not a peer of this "
     "relationship ('s3', 's4')"),
    ({"subnet6": []}, "relationship 2 (b2) shared network 'lyon-floor': 'subnet6' in a DHCPv4 topology (family: 4): "
                      "a shared network holds 'subnet4'"),
    ({"valid-lifetimes": 60}, "relationship 2 (b2) shared network 'lyon-floor': unknown key 'valid-lifetimes'; did you "
                              "mean 'valid-lifetime'?"),
])
def test_shared_networks_are_checked_like_subnets_naming_the_network(change, problem):
    assert problem in problems_of(with_network(**change))


def test_shared_network_names_are_unique_across_the_topology():
    topology = with_network()
    topology["relationships"][0]["shared-networks"] = [{"name": "lyon-floor", "subnet4": [{"id": 31, "subnet": "10.1.8.0/24"}]}]
    assert problems_of(topology) == [
        "relationship 2 (b2) shared network 'lyon-floor': shared network name 'lyon-floor' is already used by "
        "relationship 1 (b1) shared network 'lyon-floor'; the central holds every relationship's networks, and Kea "
        "wants their names unique"]


def test_a_network_needs_a_name_and_the_relationship_something_to_serve():
    topology = with_network(name="")
    assert ("relationship 2 (b2) shared network 1: 'name' is required: a non-empty string, unique across the "
            "topology") in problems_of(topology)
    empty = v4()
    empty["relationships"][1]["shared-networks"] = []
    assert ("relationship 2 (b2): 'shared-networks' must be a non-empty list of Kea shared networks, not an empty "
            "list") in problems_of(empty)
