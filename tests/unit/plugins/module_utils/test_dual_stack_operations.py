# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A dual-stack hub operated: status.yml's report and metrics per server, its probes, the lab of both families.

status.yml reads each server of a host in a loop over the local fact's
``servers``; each result carries its server's family in ``item``. The same
peer names run in both servers, so every view must keep the families apart.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.filter.ha_lab_layout import ha_lab_layout
from ansible_collections.keadhcp.ha.plugins.filter.ha_metrics import ha_metrics
from ansible_collections.keadhcp.ha.plugins.filter.ha_plan import ha_plan
from ansible_collections.keadhcp.ha.plugins.filter.ha_probes import ha_probes
from ansible_collections.keadhcp.ha.plugins.filter.ha_status_report import ha_status_report

from test_dual_stack import HUB


def _rel(name, state):
    return {"local": {"name": name, "role": "x", "state": state, "scopes": []},
            "remote": {"last_state": "hot-standby", "in_touch": True, "unacked_clients": 0}}


def _servers(**by_family):
    """A registered loop of kea_ha_status over a host's servers: family -> its relationships (or a failure)."""
    results = []
    for key, value in sorted(by_family.items()):
        family = int(key[1:])
        item = {"family": family, "service": "kea-dhcp%d-server" % family}
        result = {"failed": True, "msg": value} if isinstance(value, str) else {"relationships": value}
        results.append(dict(result, item=item))
    return {"results": results, "changed": False}


def _reports(dc6_paris="hot-standby"):
    return {
        "dc": _servers(v4=[_rel("dc-paris", "hot-standby"), _rel("dc-lyon", "hot-standby")],
                       v6=[_rel("dc-paris", dc6_paris)]),
        "paris": _servers(v4=[_rel("paris", "hot-standby")], v6=[_rel("paris", "hot-standby")]),
        "lyon": _servers(v4=[_rel("lyon", "hot-standby")]),
    }


def test_the_report_has_a_row_per_relationship_of_each_server():
    report = ha_status_report(HUB, _reports())
    assert [(row["family"], row["relationship"], row["ok"]) for row in report["rows"]] == [
        (4, 1, True), (4, 2, True), (6, 1, True)]
    assert report["problems"] == []
    assert report["table"] == [
        "server  #  branch host  central peer  central state  branch peer  branch state",
        "dhcp4   1  paris        dc-paris      hot-standby    paris        hot-standby   ok",
        "dhcp4   2  lyon         dc-lyon       hot-standby    lyon         hot-standby   ok",
        "dhcp6   1  paris        dc-paris      hot-standby    paris        hot-standby   ok",
    ]


def test_a_problem_names_the_server_it_is_in():
    # the same peer name in both servers: only the DHCPv6 one is stuck
    reports = _reports(dc6_paris="waiting")
    reports["paris"]["results"][1] = dict(failed=True, msg="connection refused", item={"family": 6})
    report = ha_status_report(HUB, reports)
    assert report["problems"] == [
        "DHCPv6 relationship 1 (paris): central dc-paris on dc: state waiting, expected hot-standby",
        "DHCPv6 relationship 1 (paris): branch paris on paris: connection refused",
    ]


def test_an_unreachable_host_is_unread_in_both_servers():
    reports = _reports()
    reports["paris"] = {"unreachable": True, "msg": "ssh: timed out"}
    report = ha_status_report(HUB, reports)
    assert report["problems"] == [
        "DHCPv4 relationship 1 (paris): branch paris on paris: host unreachable: ssh: timed out",
        "DHCPv6 relationship 1 (paris): branch paris on paris: host unreachable: ssh: timed out",
    ]


def test_probes_are_read_in_the_server_of_each_relationship():
    plan = ha_plan(HUB)
    read = _reports(dc6_paris="waiting")["dc"]
    probed = ha_probes(plan["hosts"]["dc"], read)
    assert [(rel["family"], rel["local"]["name"], rel["partner"]["url"]) for rel in probed] == [
        (6, "dc-paris", "http://10.1.0.2:8501/")]
    # a probe of the DHCPv6 relationship goes into the DHCPv6 row only
    probes = {"dc": {"results": [{"item": probed[0], "failed": True, "msg": "connection refused"}]}}
    report = ha_status_report(HUB, _reports(dc6_paris="waiting"), probes=probes)
    assert report["problems"] == [
        "DHCPv6 relationship 1 (paris): central dc-paris on dc: state waiting, expected hot-standby; "
        "dc-paris -> paris at http://10.1.0.2:8501/: connection refused"]


def test_metrics_label_each_series_with_its_server():
    text = ha_metrics(ha_status_report(HUB, _reports(dc6_paris="waiting")))
    assert ('kea_ha_relationship_ok{server="dhcp4",relationship="1",central="dc-paris",branch="paris"} 1'
            in text.splitlines())
    assert ('kea_ha_relationship_ok{server="dhcp6",relationship="1",central="dc-paris",branch="paris"} 0'
            in text.splitlines())
    samples = [line.rsplit(" ", 1)[0] for line in text.splitlines() if line and not line.startswith("#")]
    assert len(samples) == len(set(samples))  # no series twice


def test_the_lab_of_a_dual_stack_hub_puts_both_families_on_each_lan():
    topology = {
        "family": "dual", "central": "dc",
        "relationships": [
            {"branch": {"host": "b%d" % n, "name": "b%d" % n, "interface": "site%d" % n,
                        "url": {"dhcp4": "http://10.9.%d.2:8001/" % n, "dhcp6": "http://10.9.%d.2:8501/" % n}},
             "central": {"name": "dc-b%d" % n, "interface": "site%d" % n,
                         "url": {"dhcp4": "http://10.9.%d.10:%d/" % (n, 8000 + n),
                                 "dhcp6": "http://10.9.%d.10:%d/" % (n, 8500 + n)}},
             "subnets": [{"id": n, "subnet": "10.9.%d.0/24" % n, "pools": [{"pool": "10.9.%d.100 - 10.9.%d.199" % (n, n)}]},
                         {"id": n, "subnet": "fd09:%x::/64" % n, "pools": [{"pool": "fd09:%x::1:0/112" % n}]}]}
            for n in range(1, 11)],
    }
    lab = ha_lab_layout(topology)
    assert lab["lans"] == ["keadhcp-site%d" % n for n in range(1, 11)]
    assert lab["indices"] == list(range(1, 11))
    ten = [net for net in lab["networks"] if net["name"] == "keadhcp-site10"]
    assert len(ten) == 1 and ten[0]["ipv6"] is True
    assert [(item["subnet"], item["iprange"]) for item in ten[0]["ipam"]] == [
        ("10.9.10.0/24", "10.9.10.0/28"), ("fd09:a::/64", "fd09:a::/124")]
    # each host once on each LAN, with the address of its URLs (both servers' are the same)
    assert lab["attachments"]["dc"][9] == {"name": "keadhcp-site10", "ipv4_address": "10.9.10.10"}
    assert len(lab["attachments"]["dc"]) == 10
    assert lab["attachments"]["b10"] == [{"name": "keadhcp-site10", "ipv4_address": "10.9.10.2"}]


def test_the_lab_of_a_relayed_dual_stack_hub_relays_each_family_to_where_the_central_hears_it():
    import os
    import yaml
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
    with open(os.path.join(root, "examples", "dual_stack", "group_vars", "all.yml")) as handle:
        lab = ha_lab_layout(yaml.safe_load(handle)["kea_ha_topology"])
    paris = [router for router in lab["relays"] if router["name"] == "paris-kea-relay"]
    # DHCPv4 to the branch and the central (its URL address); DHCPv6 to the central's relay-interface address only:
    # the branch, whose URL is IPv4, hears its LAN's multicast itself
    assert [(r["family"], r["lan_address"], r["wan_address"], r["upper"]) for r in paris] == [
        (4, "10.10.0.254", "172.20.0.201",
         [{"address": "10.10.0.2", "interface": "lan"}, {"address": "172.20.0.10", "interface": "wan"}]),
        (6, "2001:db8:10::fe", "2001:db8:ff::c9", [{"address": "2001:db8:ff::10", "interface": "wan"}])]
    # the central on the WAN only, one attachment with an address of each family
    assert lab["attachments"]["dc-kea"] == [
        {"name": "keadhcp-wan0", "ipv4_address": "172.20.0.10", "ipv6_address": "2001:db8:ff::10"}]
    wan = [net for net in lab["networks"] if net["name"] == "keadhcp-wan0"][0]
    assert (wan["ipv6"], [item["subnet"] for item in wan["ipam"]]) == (True, ["172.20.0.0/24", "2001:db8:ff::/64"])
    assert {"to": "2001:db8:10::/64", "via": "2001:db8:ff::c9"} in lab["routes"]["dc-kea"]
    assert {"to": "10.20.1.0/24", "via": "172.20.0.202"} in lab["routes"]["dc-kea"]
