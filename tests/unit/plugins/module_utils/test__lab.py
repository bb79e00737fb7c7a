# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The lab of a topology: networks, attachments and interfaces, as tables."""

import ipaddress

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.filter.ha_lab_layout import ha_lab_layout


def hub(family=4, branches=12):
    relationships = []
    for n in range(1, branches + 1):
        if family == 4:
            subnet, branch, central = "10.9.%d.0/24" % n, "10.9.%d.2" % n, "10.9.%d.3" % n
            fmt = "http://%s:8001/"
        else:
            subnet, branch, central = "fd86:%x::/64" % n, "fd86:%x::2" % n, "fd86:%x::3" % n
            fmt = "http://[%s]:8001/"
        relationships.append({
            "branch": {"host": "branch%d" % n, "name": "server%d" % n, "url": fmt % branch, "interface": "lan%d" % n},
            "central": {"name": "central%d" % n, "url": fmt % central, "interface": "lan%d" % n},
            "subnets": [{"id": n, "subnet": subnet}]})
    return {"family": family, "central": "central", "relationships": relationships}


def test_one_network_per_relationship_in_order():
    lab = ha_lab_layout(hub(branches=12))
    assert [net["name"] for net in lab["networks"]] == ["keadhcp-lan%d" % n for n in range(1, 13)]
    ipam = {"subnet": "10.9.10.0/24", "iprange": "10.9.10.0/28", "gateway": "10.9.10.1"}
    assert lab["networks"][9] == dict(ipam, name="keadhcp-lan10", ipv6=False, ipam=[ipam])


def test_the_central_is_on_every_lan_each_branch_on_its_own():
    lab = ha_lab_layout(hub(branches=12))
    assert lab["attachments"]["central"][11] == {"name": "keadhcp-lan12", "ipv4_address": "10.9.12.3"}
    assert len(lab["attachments"]["central"]) == 12
    assert lab["attachments"]["branch10"] == [{"name": "keadhcp-lan10", "ipv4_address": "10.9.10.2"}]
    assert lab["ends"]["branch10"] == [{"interface": "lan10", "name": "server10", "address": "10.9.10.2",
                                        "relationship": "10 (branch10)"}]
    assert lab["addresses"]["central"][:2] == ["10.9.1.3", "10.9.2.3"]


def test_ipv6_networks_take_a_124_range_and_ipv6_addresses():
    lab = ha_lab_layout(hub(family=6, branches=10))
    ipam = {"subnet": "fd86:a::/64", "iprange": "fd86:a::/124", "gateway": "fd86:a::1"}
    assert lab["networks"][9] == dict(ipam, name="keadhcp-lan10", ipv6=True, ipam=[ipam])
    assert lab["attachments"]["branch10"] == [{"name": "keadhcp-lan10", "ipv6_address": "fd86:a::2"}]


def test_branches_sharing_an_interface_name_get_a_network_each_named_after_the_host():
    topology = hub(branches=11)
    for rel in topology["relationships"]:
        rel["branch"]["interface"] = "eth1"
    topology["relationships"][10]["branch"]["interface"] = "lan11"
    lab = ha_lab_layout(topology)
    names = [net["name"] for net in lab["networks"]]
    assert names[:2] == ["keadhcp-branch1-eth1", "keadhcp-branch2-eth1"]
    assert names[10] == "keadhcp-lan11"
    assert len(set(names)) == 11
    assert lab["lans"] == names


def test_a_dhcpv6_lan_whose_peer_urls_are_ipv4_gets_both_subnets():
    # the seed's shape: DHCPv6 subnets, HA over IPv4
    topology = hub(family=6, branches=2)
    rel = topology["relationships"][0]
    rel["branch"]["url"], rel["central"]["url"] = "http://192.168.56.66:8000/", "http://192.168.56.33:8000/"
    lan = ha_lab_layout(topology)["networks"][0]
    assert lan["ipv6"] is True
    assert [item["subnet"] for item in lan["ipam"]] == ["fd86:1::/64", "192.168.56.0/24"]
    assert lan["ipam"][1] == {"subnet": "192.168.56.0/24", "iprange": "192.168.56.0/28", "gateway": "192.168.56.1"}
    assert ha_lab_layout(topology)["attachments"]["branch1"] == [
        {"name": "keadhcp-lan1", "ipv4_address": "192.168.56.66"}]


@pytest.mark.parametrize("family, pool, iprange, gateway", [
    (6, "fd86:1::/80", "fd86:1:0:0:1::/124", "fd86:1::1:0:0:1"),
    (4, "10.9.1.1 - 10.9.1.100", "10.9.1.112/28", "10.9.1.113"),
    (4, "10.9.1.0/25", "10.9.1.128/28", "10.9.1.129"),
    (4, "10.9.1.16 - 10.9.1.100", "10.9.1.0/28", "10.9.1.1"),
])
def test_docker_hands_out_addresses_where_no_pool_lies(family, pool, iprange, gateway):
    topology = hub(family=family, branches=1)
    topology["relationships"][0]["subnets"][0]["pools"] = [{"pool": pool}]
    lan = ha_lab_layout(topology)["networks"][0]
    assert (lan["iprange"], lan["gateway"]) == (str(ipaddress.ip_network(iprange)), gateway)


@pytest.mark.parametrize("mode, role, unacked, crowd, iprange", [
    ("hot-standby", "standby", 10, 11, "10.9.1.0/28"),
    ("load-balancing", "secondary", 1, 18, "10.9.1.0/27"),
    ("load-balancing", "secondary", 10, 72, "10.9.1.0/25"),
], ids=["Kea's default crowd of 11", "load-balancing crowd of 18", "load-balancing crowd of 72"])
def test_docker_hands_out_enough_addresses_for_the_takeovers_crowd(mode, role, unacked, crowd, iprange):
    topology = hub(branches=1)
    rel = topology["relationships"][0]
    rel.update({"mode": mode, "max-unacked-clients": unacked})
    rel["central"]["role"] = role
    rel["subnets"][0]["pools"] = [{"pool": "10.9.1.160 - 10.9.1.199"}]
    lan = ha_lab_layout(topology)["networks"][0]
    assert lan["iprange"] == iprange
    # the crowd, the gateway, both servers and the checks' own clients
    assert ipaddress.ip_network(lan["iprange"]).num_addresses >= crowd + 5


def test_an_invalid_topology_is_refused_with_its_problems():
    broken = hub(branches=2)
    broken["relationships"][1]["central"]["name"] = "central1"
    with pytest.raises(AnsibleFilterError, match="central1"):
        ha_lab_layout(broken)


def wan_hub(branches=10):
    topology = hub(branches=branches)
    for n, rel in enumerate(topology["relationships"], 1):
        rel["central"] = {"name": "central%d" % n, "url": "http://172.20.0.10:%d/" % (8000 + n),
                          "relay-interfaces": ["wan0"]}
    return topology


def test_a_relayed_central_sits_on_the_wan_only_behind_one_router_per_branch():
    lab = ha_lab_layout(wan_hub())
    ipam = {"subnet": "172.20.0.0/24", "iprange": "172.20.0.0/28", "gateway": "172.20.0.1"}
    assert lab["networks"][-1] == dict(ipam, name="keadhcp-wan0", ipv6=False, ipam=[ipam])
    assert len(lab["networks"]) == 11 and lab["lans"][9] == "keadhcp-lan10"
    assert lab["attachments"]["central"] == [{"name": "keadhcp-wan0", "ipv4_address": "172.20.0.10"}]
    assert lab["ends"]["central"] == [{"interface": "wan0", "name": "central1", "address": "172.20.0.10",
                                       "relationship": "1 (branch1)"}]
    router = lab["relays"][9]
    assert router == {"name": "branch10-relay", "lan": "keadhcp-lan10", "lan_address": "10.9.10.254",
                      "wan": "keadhcp-wan0", "wan_address": "172.20.0.210", "servers": ["10.9.10.2", "172.20.0.10"],
                      "family": 4, "upper": [{"address": "10.9.10.2", "interface": "lan"},
                                             {"address": "172.20.0.10", "interface": "wan"}],
                      "relationship": "10 (branch10)"}
    assert lab["attachments"]["branch10-relay"] == [{"name": "keadhcp-lan10", "ipv4_address": "10.9.10.254"},
                                                    {"name": "keadhcp-wan0", "ipv4_address": "172.20.0.210"}]
    assert [end["interface"] for end in lab["ends"]["branch10-relay"]] == ["lan", "wan"]
    assert lab["routes"]["central"][9] == {"to": "10.9.10.0/24", "via": "172.20.0.210"}
    assert lab["routes"]["branch10"] == [{"to": "172.20.0.0/24", "via": "10.9.10.254"}]


def test_a_lab_without_relays_has_no_router_and_no_route():
    lab = ha_lab_layout(hub(branches=2))
    assert (lab["relays"], lab["routes"], lab["lans"]) == ([], {}, ["keadhcp-lan1", "keadhcp-lan2"])
