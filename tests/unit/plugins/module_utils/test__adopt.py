# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_adopt: every kind of difference between the two ends, by its exact message; secrets; the central."""

import json

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt import adopt, differences
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology

from topologies import example, two_branches_v4


def topology():
    """Two branches, DHCPv4, a timer in defaults and one subnet each."""
    shape = two_branches_v4()
    shape["defaults"] = {"mode": "hot-standby", "heartbeat-delay": 10000}
    shape["relationships"][1]["subnets"][0]["pools"] = [{"pool": "10.2.0.10 - 10.2.0.99"}]
    return dict([("family", 4)] + list(shape.items()))


def configs():
    return load_topology(topology()).configs()


def ha(configs, host, number=0):
    """One high-availability entry of a host's configuration."""
    return configs[host]["Dhcp4"]["hooks-libraries"][1]["parameters"]["high-availability"][number]


def peer(configs, host, name):
    (found,) = [p for p in ha(configs, host)["peers"] if p["name"] == name]
    return found


def subnets(configs, host):
    return configs[host]["Dhcp4"]["subnet4"]


def extra_subnet(configs, host, tag=None, ident=11, prefix="10.1.1.0/24", interface="eth1"):
    subnet = {"id": ident, "subnet": prefix, "pools": [{"pool": prefix.replace("0/24", "10 - ") + prefix[:-4] + "99"}]}
    if interface:
        subnet["interface"] = interface
    if tag:
        subnet["user-context"] = {"ha-server-name": tag}
    subnets(configs, host).append(subnet)


def set_(path_value):
    def change(c):
        path, value = path_value
        target = c
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _untag(c, host, number=0):
    subnets(c, host)[number].pop("user-context")


def _tag(c, host, name, number=0):
    subnets(c, host)[number]["user-context"]["ha-server-name"] = name


CASES = [
    ("a timer differs",
     lambda c: ha(c, "b1").update({"heartbeat-delay": 5000}),
     ["relationship 1 (b1): 'heartbeat-delay' is 10000 on the central (hub) but 5000 on the branch (b1)"]),
    ("a timer only on the central",
     lambda c: ha(c, "hub").update({"max-ack-delay": 5}),
     ["relationship 1 (b1): 'max-ack-delay' is 5 on the central (hub) but not set on the branch (b1)"]),
    ("a timer only on the branch",
     lambda c: ha(c, "b2").update({"max-ack-delay": 5}),
     ["relationship 2 (b2): 'max-ack-delay' is not set on the central (hub) but 5 on the branch (b2)"]),
    ("the mode differs",
     lambda c: ha(c, "b1").update({"mode": "load-balancing"}),
     ["relationship 1 (b1): 'mode' is 'hot-standby' on the central (hub) but 'load-balancing' on the branch (b1)"]),
    ("a mapping parameter differs",
     lambda c: ha(c, "b1").update({"multi-threading": {"http-listener-threads": 2}}),
     ["relationship 1 (b1): 'multi-threading' is not set on the central (hub) but {\"http-listener-threads\": 2} "
      "on the branch (b1)"]),
    ("a URL differs",
     lambda c: peer(c, "b1", "s2").update({"url": "http://10.1.0.9:8001/"}),
     ["relationship 1 (b1) peer 's2': 'url' is 'http://10.1.0.3:8001/' on the central (hub) but "
      "'http://10.1.0.9:8001/' on the branch (b1)"]),
    ("a role differs",
     lambda c: peer(c, "b2", "s3").update({"role": "secondary"}),
     ["relationship 2 (b2) peer 's3': 'role' is 'primary' on the central (hub) but 'secondary' on the branch (b2)"]),
    ("a per-peer key on one end only",
     lambda c: peer(c, "hub", "s1").update({"auto-failover": False}),
     ["relationship 1 (b1) peer 's1': 'auto-failover' is false on the central (hub) but not set on the branch (b1)"]),
    ("the branch names another partner",
     lambda c: peer(c, "b1", "s2").update({"name": "s2-old"}),
     ["relationship 1 (b1): the branch (b1) names its partner 's2-old', but the central (hub) is 's2' in this "
      "relationship"]),
    ("the peers in another order",
     lambda c: ha(c, "b1")["peers"].reverse(),
     ["relationship 1 (b1): the peers are listed in a different order on the central (hub: 's1', 's2') and on the "
      "branch (b1: 's2', 's1')"]),
    ("a subnet on the central only",
     lambda c: extra_subnet(c, "hub", tag="s2"),
     ["relationship 1 (b1) subnet 10.1.1.0/24 (id 11): on the central (hub) but not on the branch (b1)"]),
    ("a subnet on the branch only",
     lambda c: extra_subnet(c, "b1", tag="s1"),
     ["relationship 1 (b1) subnet 10.1.1.0/24 (id 11): on the branch (b1) but not on the central (hub); adopted into "
      "the topology"]),
    ("a subnet that differs",
     lambda c: subnets(c, "b2")[0]["pools"][0].update({"pool": "10.2.0.10 - 10.2.0.50"}),
     ["relationship 2 (b2) subnet 10.2.0.0/24 (id 2): differs between the central (hub) and the branch (b2) at "
      "'pools[0].pool'"]),
    ("an untagged subnet on the central, which its branch has",
     lambda c: _untag(c, "hub", 1),
     ["relationship 2 (b2) subnet 10.2.0.0/24 (id 2): has no user-context ha-server-name on the central (hub) (with 2 "
      "relationships Kea silently drops its queries); the branch (b2) has it, so it is adopted here, tagged 's4'"]),
    ("an untagged subnet on the central that no branch has",
     lambda c: extra_subnet(c, "hub", ident=99, prefix="10.9.0.0/24"),
     ["host 'hub' subnet 10.9.0.0/24 (id 99): has no user-context ha-server-name on the central (hub) (with 2 "
      "relationships Kea silently drops its queries), and no branch has it: left out of the topology"]),
    ("a subnet tagged with no peer's name on the central",
     lambda c: _tag(c, "hub", "s9"),
     ["relationship 1 (b1) subnet 10.1.0.0/24 (id 1): is tagged ha-server-name 's9' on the central (hub), which names "
      "no peer of its relationships (Kea silently drops its queries); the branch (b1) has it, so it is adopted here, "
      "tagged 's2'"]),
    ("a subnet tagged with the branch's name on the central",
     lambda c: _tag(c, "hub", "s1"),
     ["relationship 1 (b1) subnet 10.1.0.0/24 (id 1): tagged with the branch's name 's1' on the central (hub); Kea "
      "accepts any peer name of the relationship, but the collection tags each host's copy with its own name ('s2')"]),
    ("an untagged subnet on the branch",
     lambda c: _untag(c, "b1"),
     ["relationship 1 (b1) subnet 10.1.0.0/24 (id 1): untagged on the branch (b1); the collection tags it 's1', so "
      "that lease synchronisation imports only this relationship's leases"]),
    ("a subnet tagged with the central's name on the branch",
     lambda c: _tag(c, "b1", "s2"),
     ["relationship 1 (b1) subnet 10.1.0.0/24 (id 1): tagged with the central's name 's2' on the branch (b1); Kea "
      "accepts any peer name of the relationship, but the collection tags each host's copy with its own name ('s1')"]),
    ("a subnet tagged with another relationship's name on the branch",
     lambda c: _tag(c, "b1", "s4"),
     ["relationship 1 (b1) subnet 10.1.0.0/24 (id 1): tagged ha-server-name 's4' on the branch (b1), which is not a "
      "peer of its relationship ('s1', 's2'); Kea drops its queries"]),
    ("a relationship's subnets bound to two interfaces",
     lambda c: extra_subnet(c, "hub", tag="s2", interface="eth9") or extra_subnet(c, "b1", tag="s1"),
     ["relationship 1 (b1): host 'hub' binds the relationship's subnets to 'eth1', 'eth9'; the topology binds all of "
      "them to one interface (or none, for relayed traffic)"]),
    ("a bound interface that interfaces-config does not list",
     lambda c: c["b1"]["Dhcp4"]["interfaces-config"].update({"interfaces": ["eth0"]}),
     ["relationship 1 (b1): host 'b1' binds the relationship's subnets to 'eth1', which its interfaces-config does not "
      "list; the collection adds it there"]),
    ("no lease commands hook",
     lambda c: c["b2"]["Dhcp4"]["hooks-libraries"].pop(0),
     ["host 'b2': loads no libdhcp_lease_cmds.so, which HA needs to send lease updates; the collection loads it"]),
    ("a host without HA",
     lambda c: c.update({"router": {"Dhcp4": {"subnet4": []}}}),
     ["host 'router': loads no libdhcp_ha.so, so it is in no HA relationship; left out"]),
    ("a host of another hub",
     lambda c: c.update({"other": {"Dhcp4": {"hooks-libraries": [{"library": "libdhcp_ha.so", "parameters": {
         "high-availability": [{"this-server-name": "x1", "mode": "hot-standby", "peers": [
             {"name": "x1", "url": "http://10.8.0.2:8001/", "role": "primary"},
             {"name": "x2", "url": "http://10.8.0.3:8001/", "role": "standby"}]}]}}]}}}),
     ["host 'other': its relationship (this-server-name 'x1') is none of the central's (hub); left out"]),
    ("a Dhcp6 branch of a Dhcp4 central",
     lambda c: c.update({"b2": {"Dhcp6": c["b2"]["Dhcp4"]}}),
     ["host 'b2': is a Dhcp6 configuration but the central (hub) is Dhcp4; left out",
      "relationship 2 (s3): no configuration of its branch 's3' among the hosts read (b1, hub); the branch is adopted "
      "from the central's view under the host name 's3' (rename it to its inventory hostname) with the central's "
      "interface 'eth2' (check it)"]),
    ("a branch's configuration missing",
     lambda c: c.pop("b1"),
     ["relationship 1 (s1): no configuration of its branch 's1' among the hosts read (b2, hub); the branch is adopted "
      "from the central's view under the host name 's1' (rename it to its inventory hostname) with the central's "
      "interface 'eth1' (check it)"]),
    ("something the model refuses, alike on both ends",
     lambda c: ha(c, "hub").update({"heartbeat_delay": 3}) or ha(c, "b1").update({"heartbeat_delay": 3}),
     ["relationship 1 (b1): unknown key 'heartbeat_delay'; did you mean 'heartbeat-delay'?",
      "the adopted topology cannot be rendered until the problems above are fixed; adopt again then, to see "
      "everything else rendering it would change"]),
    ("something that would not render back",
     lambda c: c["hub"]["Dhcp4"]["hooks-libraries"].insert(0, {"library": "libdhcp_stat_cmds.so"}),
     ["host 'hub': rendering the adopted topology changes 'Dhcp4.hooks-libraries[0].library' from "
      "'libdhcp_stat_cmds.so' to 'libdhcp_lease_cmds.so'",
      "host 'hub': rendering the adopted topology changes 'Dhcp4.hooks-libraries[1].library' from "
      "'libdhcp_lease_cmds.so' to 'libdhcp_ha.so'",
      "host 'hub': rendering the adopted topology changes 'Dhcp4.hooks-libraries[1].parameters' from not set (Kea's "
      "default {}) to a mapping of 'high-availability'",
      "host 'hub': rendering the adopted topology changes 'Dhcp4.hooks-libraries[2].library' from 'libdhcp_ha.so' to "
      "'libdhcp_stat_cmds.so'",
      "host 'hub': rendering the adopted topology changes 'Dhcp4.hooks-libraries[2].parameters' from a mapping of "
      "'high-availability' to not set (Kea's default {})"]),
]


# What rendering the adopted topology changes on each host, per case (the render-back check runs for every host).
UNRENDERED = ("the adopted topology cannot be rendered until the problems above are fixed; adopt again then, to see "
              "everything else rendering it would change")
HA = "Dhcp4.hooks-libraries[1].parameters.high-availability[0]"


def renders(host, path, was, becomes):
    return "host '%s': rendering the adopted topology changes '%s' from %s to %s" % (host, path, was, becomes)


RENDERS = {
    "a timer differs": [
        renders("b1", HA + ".heartbeat-delay", "5000", "10000"),
    ],
    "a timer only on the central": [
        renders("b1", HA + ".max-ack-delay", "not set", "5"),
    ],
    "a timer only on the branch": [
        renders("b2", HA + ".max-ack-delay", "5", "not set"),
    ],
    "the mode differs": [
        renders("b1", HA + ".mode", "'load-balancing'", "'hot-standby'"),
    ],
    "a mapping parameter differs": [
        renders("b1", HA + ".multi-threading", "{\"http-listener-threads\": 2}", "not set"),
    ],
    "a URL differs": [
        renders("b1", HA + ".peers[1].url", "'http://10.1.0.9:8001/'", "'http://10.1.0.3:8001/'"),
    ],
    "a role differs": [
        renders("b2", HA + ".peers[0].role", "'secondary'", "'primary'"),
    ],
    "a per-peer key on one end only": [
        renders("b1", HA + ".peers[0].auto-failover", "not set", "false"),
    ],
    "the branch names another partner": [
        renders("b1", HA + ".peers[1].name", "'s2-old'", "'s2'"),
    ],
    "the peers in another order": [
        renders("b1", HA + ".peers[0].name", "'s2'", "'s1'"),
        renders("b1", HA + ".peers[0].url", "'http://10.1.0.3:8001/'", "'http://10.1.0.2:8001/'"),
        renders("b1", HA + ".peers[0].role", "'standby'", "'primary'"),
        renders("b1", HA + ".peers[1].name", "'s1'", "'s2'"),
        renders("b1", HA + ".peers[1].url", "'http://10.1.0.2:8001/'", "'http://10.1.0.3:8001/'"),
        renders("b1", HA + ".peers[1].role", "'primary'", "'standby'"),
    ],
    "a subnet on the central only": [
        renders("b1", "Dhcp4.subnet4[id 11]", "not set", "subnet 10.1.1.0/24"),
    ],
    "a subnet on the branch only": [
        renders("hub", "Dhcp4.subnet4[id 11]", "not set", "subnet 10.1.1.0/24"),
    ],
    "a subnet that differs": [
        renders("b2", "Dhcp4.subnet4[id 2].pools[0].pool", "'10.2.0.10-10.2.0.50'", "'10.2.0.10-10.2.0.99'"),
    ],
    "an untagged subnet on the central, which its branch has": [
        renders("hub", "Dhcp4.subnet4[id 2].user-context", "not set", "{\"ha-server-name\": \"s4\"}"),
    ],
    "an untagged subnet on the central that no branch has": [
        renders("hub", "Dhcp4.subnet4[id 99]", "subnet 10.9.0.0/24", "not set"),
    ],
    "a subnet tagged with no peer's name on the central": [
        renders("hub", "Dhcp4.subnet4[id 1].user-context.ha-server-name", "'s9'", "'s2'"),
    ],
    "a subnet tagged with the branch's name on the central": [
        renders("hub", "Dhcp4.subnet4[id 1].user-context.ha-server-name", "'s1'", "'s2'"),
    ],
    "an untagged subnet on the branch": [
        renders("b1", "Dhcp4.subnet4[id 1].user-context", "not set", "{\"ha-server-name\": \"s1\"}"),
    ],
    "a subnet tagged with the central's name on the branch": [
        renders("b1", "Dhcp4.subnet4[id 1].user-context.ha-server-name", "'s2'", "'s1'"),
    ],
    "a subnet tagged with another relationship's name on the branch": [
        renders("b1", "Dhcp4.subnet4[id 1].user-context.ha-server-name", "'s4'", "'s1'"),
    ],
    "a relationship's subnets bound to two interfaces": [
        renders("hub", "Dhcp4.subnet4[id 11].interface", "'eth9'", "'eth1'"),
    ],
    "a bound interface that interfaces-config does not list": [
        renders("b1", "Dhcp4.interfaces-config.interfaces", "[\"eth0\"]", "[\"eth0\", \"eth1\"]"),
    ],
    "no lease commands hook": [
        renders("b2", "Dhcp4.hooks-libraries", "a list of 1 item", "a list of 2 items"),
    ],
}


@pytest.mark.parametrize("name, change, expected", CASES, ids=[case[0] for case in CASES])
def test_each_difference_is_reported_by_relationship_and_host_then_by_what_rendering_changes(name, change, expected):
    read = configs()
    change(read)
    assert adopt(read).problems == expected + RENDERS.get(name, [])


def test_a_rendered_topology_adopts_without_problem_and_renders_back():
    read = configs()
    adoption = adopt(read)
    assert adoption.problems == [] and adoption.notes == []
    assert adoption.hosts == ["hub", "b1", "b2"]
    assert adoption.topology == topology()
    again = load_topology(adoption.topology, base=adoption.base, host_base=adoption.host_base).configs()
    assert again == read


def test_passwords_become_files_and_variables_and_are_never_kept():
    read = configs()
    for host, name in (("hub", "s1"), ("b1", "s1")):
        peer(read, host, name).update({"basic-auth-user": "u1", "basic-auth-password": "sekrit-ha"})
    read["hub"]["Dhcp4"]["control-sockets"] = [{"socket-type": "http", "socket-port": 8000, "authentication": {
        "type": "basic", "directory": "/etc/kea", "clients": [{"user": "api", "password": "sekrit-api"}]}}]
    read["hub"]["Dhcp4"]["lease-database"] = {"type": "mysql", "name": "kea", "password": "sekrit-db"}
    adoption = adopt(read)
    assert "sekrit" not in json.dumps([adoption.variables(), adoption.problems, adoption.notes])
    assert adoption.topology["relationships"][0]["branch"]["basic-auth-password-file"] == "/etc/kea/ha-peer-u1.password"
    hub = adoption.host_base["hub"]
    assert hub["control-sockets"][0]["authentication"]["clients"] == [{"user": "api", "password-file": "api.password"}]
    assert hub["lease-database"]["password"] == "{{ vault_kea_hub_Dhcp4_lease_database_password }}"
    assert adoption.notes == [
        "host 'hub' control socket 1 (Dhcp4.control-sockets[0]), user 'api': its password is not adopted; the base "
        "names the file /etc/kea/api.password instead: write the password there on the host, or leave the control "
        "channel to the roles (kea_ha_api_user, kea_ha_api_password)",
        "host 'hub' Dhcp4.lease-database.password: not adopted; the base reads it from the variable "
        "vault_kea_hub_Dhcp4_lease_database_password: define it in a vault",
        "HA basic-auth user 'u1' (on b1, hub): its password is not adopted; the topology names "
        "/etc/kea/ha-peer-u1.password instead, which the roles write from kea_ha_peer_passwords['u1']: put the "
        "password there, in a vault",
        "host 'hub': its base keeps its own control-sockets; with the roles, which set up the control channel "
        "themselves (kea_ha_control_address, kea_ha_control_port, kea_ha_api_user), remove it from the base before "
        "site.yml unless it is the same",
    ]
    assert adoption.problems == []


def test_two_passwords_for_one_user_are_a_problem_told_without_them():
    read = configs()
    peer(read, "hub", "s1").update({"basic-auth-user": "u1", "basic-auth-password": "one-secret"})
    peer(read, "b1", "s1").update({"basic-auth-user": "u1", "basic-auth-password": "two-secret"})
    adoption = adopt(read)
    assert adoption.problems == ["HA basic-auth user 'u1': its password is not the same on every host that names it "
                                 "(b1; hub)"]
    assert "secret" not in json.dumps([adoption.problems, adoption.notes])


def _single(reverse=False):
    top = topology()
    top["relationships"] = top["relationships"][:1]
    if reverse:
        top["relationships"][0]["branch"]["role"] = "standby"
        top["relationships"][0]["central"]["role"] = "primary"
    return top


def test_with_one_relationship_the_central_is_the_end_that_is_not_primary():
    adoption = adopt(load_topology(_single()).configs())
    assert adoption.problems == [] and adoption.topology["central"] == "hub"
    assert adoption.topology["relationships"] == _single()["relationships"]


def test_reversed_roles_need_the_central_named():
    read = load_topology(_single(reverse=True)).configs()
    assert adopt(read).topology["central"] == "b1"  # the end that is not primary, as usual
    adoption = adopt(read, central="hub")
    assert adoption.problems == [] and adoption.topology == dict(_single(reverse=True), defaults=topology()["defaults"])


def test_two_primaries_leave_no_central_to_guess():
    read = load_topology(_single()).configs()
    peer(read, "hub", "s2")["role"] = "primary"
    ha(read, "b1")["peers"][1]["role"] = "primary"
    adoption = adopt(read)
    assert adoption.topology is None
    assert adoption.problems == ["cannot tell which host is the central: every host is the primary of its "
                                 "relationship; give it with kea_adopt_central"]


def test_two_hubs_need_the_central_named():
    read = configs()
    read["b1"] = read["hub"]
    assert adopt(read).problems[0] == ("hosts b1, hub each have 2 relationships: a hub has one central; give it "
                                       "with kea_adopt_central")


def test_unread_hosts_and_a_wrong_central_are_problems():
    assert adopt(configs(), central="nope", unread={"b3": "config-get failed: timed out"}).problems == [
        "host 'b3': config-get failed: timed out",
        "kea_adopt_central: host 'nope' is not among the hosts read (b1, b2, hub)"]


def test_shared_networks_keep_their_subnets_own_tags_and_compare_by_name():
    top = topology()
    top["relationships"][1]["shared-networks"] = [{
        "name": "lan2", "subnet4": [{"id": 21, "subnet": "10.2.1.0/24", "user-context": {"ha-server-name": "s3"}}]}]
    read = load_topology(top).configs()
    adoption = adopt(read)
    assert adoption.problems == []
    assert adoption.topology["relationships"][1]["shared-networks"] == [{
        "name": "lan2", "subnet4": [{"id": 21, "subnet": "10.2.1.0/24", "user-context": {"ha-server-name": "s4"}}]}]
    read["b2"]["Dhcp4"]["shared-networks"][0]["name"] = "lan2-b"
    assert adopt(read).problems == [
        "relationship 2 (b2) shared network 'lan2': on the central (hub) but not on the branch (b2)",
        "relationship 2 (b2) shared network 'lan2-b': on the branch (b2) but not on the central (hub); adopted into "
        "the topology",
        "relationship 2 (b2) shared network 'lan2-b' subnet 10.2.1.0/24 (id 21): subnet id 21 is already used by "
        "relationship 2 (b2) shared network 'lan2' subnet 10.2.1.0/24 (id 21)",
        "relationship 2 (b2) shared network 'lan2-b' subnet 10.2.1.0/24 (id 21): overlaps relationship 2 (b2) shared "
        "network 'lan2' subnet 10.2.1.0/24 (id 21)",
        UNRENDERED]


def test_bases_shared_and_per_host_and_hooks_dirs():
    read = load_topology(topology(), hooks_dir={"hub": "/usr/lib/kea/hooks", "b1": "/opt/kea/hooks"},
                         base={"valid-lifetime": 600}, host_base={"hub": {"renew-timer": 100}}).configs()
    adoption = adopt(read)
    assert adoption.problems == []
    assert adoption.base == {"valid-lifetime": 600}
    assert adoption.host_base == {"hub": {"renew-timer": 100}}
    assert adoption.hooks_dir == {"hub": "/usr/lib/kea/hooks", "b1": "/opt/kea/hooks"}
    assert list(adoption.variables()) == ["kea_ha_topology", "kea_render_base", "kea_render_host_base",
                                          "kea_hooks_dir", "kea_ha_base_config"]


@pytest.mark.parametrize("one, two, paths", [
    ({"a": 1}, {"a": 1}, []),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}, []),
    ({"a": 1}, {"a": True}, [".a"]),
    ({"a": [1, 2]}, {"a": [2, 1]}, [".a[0]", ".a[1]"]),
    ({"a": [1]}, {"a": [1, 2]}, [".a"]),
    ({"a": {"b": 1}}, {"a": {}}, [".a.b"]),
])
def test_differences(one, two, paths):
    assert differences(one, two, "") == paths


# ---------------------------------------------------------------------------
# dual-stack hubs


def _dual_rendered():
    return load_topology(example("dual_stack")).configs()


def test_a_dual_stack_hub_is_adopted_as_one_dual_topology():
    adoption = adopt(_dual_rendered())
    assert adoption.problems == []
    assert adoption.topology["family"] == "dual"
    paris = adoption.topology["relationships"][0]
    assert paris["central"]["url"] == {"dhcp4": "http://172.20.0.10:8001/", "dhcp6": "http://172.20.0.10:8501/"}
    assert paris["central"]["relay-interfaces"] == ["wan0/172.20.0.10", "wan0/2001:db8:ff::10"]
    assert [s["subnet"] for s in paris["subnets"]] == ["10.10.0.0/24", "2001:db8:10::/64"]


def test_a_dual_stack_hub_whose_servers_name_a_peer_differently_is_reported_by_relationship():
    configs = _dual_rendered()
    for host in configs:
        entries = configs[host]["Dhcp6"]["hooks-libraries"][1]["parameters"]["high-availability"]
        for entry in entries:
            for peer in entry["peers"]:
                if peer["name"] == "lyon":
                    peer["name"] = "lyon6"
            if entry["this-server-name"] == "lyon":
                entry["this-server-name"] = "lyon6"
        for subnet in configs[host]["Dhcp6"]["subnet6"]:
            if subnet["user-context"]["ha-server-name"] == "lyon":
                subnet["user-context"]["ha-server-name"] = "lyon6"
    adoption = adopt(configs)
    assert ("relationship 2 (lyon-kea): the branch peer's 'name' is 'lyon' in the DHCPv4 server but 'lyon6' in the "
            "DHCPv6 one; a dual-stack topology gives both servers one value") in adoption.problems
