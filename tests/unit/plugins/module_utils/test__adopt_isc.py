# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_adopt_isc (through _adopt_files): ISC DHCP failover estates as hub-and-spoke topologies, keama's answers recorded.

keama itself is not run here: ``isc_estates.translation`` and the files
``tests/fixtures/dhcpd/estate/*/keama-4.4.3.out`` are what Debian's keama
4.4.3 prints, which tests/integration/test_adopt_isc.py checks.
"""

import os

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_dhcpd import read
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_files import adopt_files
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology

from isc_estates import counts, estate, translation

from topologies import ROOT

ESTATE = os.path.join(ROOT, "tests", "fixtures", "dhcpd", "estate")


def write(tmp_path, hosts):
    """The estate under tmp_path/<host>/, and ``{host: [paths]}`` as adopt.yml finds them."""
    files = {}
    for host, texts in hosts.items():
        (tmp_path / host).mkdir()
        for name, text in texts.items():
            (tmp_path / host / name).write_text(text)
        files[host] = [str(tmp_path / host / "dhcpd.conf")]
    return files


def keama(count, edits=None):
    """A stand-in for keama on ``estate(count)``'s files: the host told by the file's first line.

    ``edits``: host to a function changing that host's translation (its Dhcp4 map) first."""
    def run(text, family):
        first = text.split("\n", 1)[0]
        host = "dc" if first == "# the data centre" else first[2:].replace(" ", "")
        return translation(count, host, (edits or {}).get(host)), "ignoring failover", 2
    return run


def recorded(text, family):
    """keama 4.4.3's translations of the estate's files, as recorded."""
    name, out = ("dhcpd.conf", "keama-4.4.3.out") if family == 4 else ("dhcpd6.conf", "keama6-4.4.3.out")
    for host in os.listdir(ESTATE):
        if os.path.exists(os.path.join(ESTATE, host, name)) and read(os.path.join(ESTATE, host, name))[1] == text:
            with open(os.path.join(ESTATE, host, out)) as handle:
                return handle.read(), "ignoring failover", 2
    raise AssertionError("no recorded translation")


def test_a_data_centre_and_three_stores():
    files = dict((h, [os.path.join(ESTATE, h, "dhcpd.conf")]) for h in sorted(os.listdir(ESTATE)))
    adoption = adopt_files(files, runner=recorded)
    assert adoption.problems == []
    top = adoption.topology
    assert (top["family"], top["central"], top["defaults"]) == (4, "dc", {"mode": "hot-standby",
                                                                          "max-response-delay": 30000})
    assert [(r["branch"], r["central"]) for r in top["relationships"]] == [
        ({"host": "store%d" % n, "name": "store%d" % n, "url": "http://10.%d.0.2:8001/" % n, "interface": "lan0"},
         {"name": "dc-store%d" % n, "url": "http://172.20.0.10:%d/" % (8000 + n), "relay-interfaces": ["wan0"]})
        for n in (1, 2, 3)]
    store2, store3 = top["relationships"][1]["subnets"][0], top["relationships"][2]["shared-networks"][0]
    assert store2["reservations"] == [{"hostname": "store2-printer", "hw-address": "52:54:00:02:00:20",
                                       "ip-address": "10.2.0.20"}]
    assert [(s["id"], s["subnet"]) for s in store3["subnet4"]] == [(3, "10.3.0.0/24"), (4, "10.3.1.0/24")]
    assert adoption.base["option-data"][0]["data"] == "shops.example"
    assert adoption.notes == [
        "host 'dc' (%s/dc/dhcpd.conf): keama says: Kea shared-networks are different, cf Kea #236" % ESTATE,
        "host 'store3' (%s/store3/dhcpd.conf): keama says: Kea shared-networks are different, cf Kea #236" % ESTATE,
        "failover peer 'store1': not carried over: on store1 (primary) max-unacked-updates 10, mclt 1800, split 128, "
        "load balance max seconds 3; on dc (secondary) max-unacked-updates 10, load balance max seconds 3",
        "failover peer 'store2': not carried over: on store2 (primary) max-unacked-updates 10, mclt 1800, load balance "
        "max seconds 3; on dc (secondary) max-unacked-updates 10, load balance max seconds 3",
        "failover peer 'store3': not carried over: on store3 (primary) max-unacked-updates 10, mclt 1800, split 128, "
        "load balance max seconds 3; on dc (secondary) max-unacked-updates 10, load balance max seconds 3",
        "not carried over, max-unacked-updates: Kea's HA sends lease updates one by one (see max-ack-delay and "
        "max-unacked-clients)",
        "not carried over, mclt: Kea's HA has no maximum client lead time: partners update each other's leases as "
        "they go",
        "not carried over, split: Kea's hub-and-spoke is hot-standby: the primary serves every client and the "
        "central stands by",
        "not carried over, load balance max seconds: hot-standby does not balance"]


def test_with_dhcpd6_files_the_hub_is_dual_stack():
    """ISC DHCP has no DHCPv6 failover: the DHCPv4 relationships carry each store's DHCPv6 subnets."""
    files = dict((h, [os.path.join(ESTATE, h, f) for f in ("dhcpd.conf", "dhcpd6.conf")
                      if os.path.exists(os.path.join(ESTATE, h, f))]) for h in sorted(os.listdir(ESTATE)))
    adoption = adopt_files(files, runner=recorded)
    assert adoption.problems == []
    top = adoption.topology
    assert top["family"] == "dual"
    assert top["relationships"][0]["central"]["url"] == {"dhcp4": "http://172.20.0.10:8001/",
                                                         "dhcp6": "http://172.20.0.10:8501/"}
    assert [(s["id"], s["subnet"]) for s in top["relationships"][0]["subnets"]] == [
        (1, "10.1.0.0/24"), (1, "2001:db8:1::/64")]
    assert [(s["id"], s["subnet"]) for s in top["relationships"][1]["subnets"]] == [
        (2, "10.2.0.0/24"), (2, "2001:db8:2::/64")]
    assert adoption.base["Dhcp6"]["option-data"] == [{"space": "dhcp6", "name": "dns-servers", "code": 23,
                                                      "data": "2001:db8:ff::53"}]
    assert adoption.notes[-3:] == [
        "failover peer 'store2' DHCPv6 subnet 2001:db8:2::/64: served by the branch (store2) only; ISC DHCP has no "
        "DHCPv6 failover, and with Kea's HA the central (dc) stands by for it too",
        "host 'store3': has no dhcpd6.conf; its relationship has no DHCPv6 subnet, so it stays DHCPv4's only",
        "host 'dc': its DHCPv6 server hears relayed traffic on wan0 at the DHCPv6 multicast address; when the stores' "
        "relays send to its unicast address instead, spell each of the central's relay-interfaces 'NAME/ADDRESS'"]
    configs = _rendered(adoption)
    assert sorted(configs["store3"]) == ["Dhcp4"] and sorted(configs["dc"]) == ["Dhcp4", "Dhcp6"]


def _rendered(adoption):
    return load_topology(adoption.topology, base=adoption.base, host_base=adoption.host_base).configs()


def test_twelve_stores_everything_accounted_for(tmp_path):
    """Relationships, subnets, pools, options and reservations: as many in every rendering as in the files."""
    adoption = adopt_files(write(tmp_path, estate(12)), runner=keama(12))
    assert adoption.problems == []
    rels = adoption.topology["relationships"]
    assert [r["branch"]["host"] for r in rels] == ["store%d" % n for n in range(1, 13)]   # the central's order
    assert [r["central"]["url"] for r in rels] == ["http://172.20.0.10:%d/" % p for p in range(8001, 8013)]
    configs = _rendered(adoption)
    wanted = counts(12)

    def tally(body):
        subnets = list(body.get("subnet4", [])) + [s for n in body.get("shared-networks", []) for s in n["subnet4"]]
        return {"subnets": len(subnets), "pools": sum(len(s["pools"]) for s in subnets),
                "options": sum(len(s.get("option-data", [])) for s in subnets),
                "reservations": sum(len(s.get("reservations", [])) for s in subnets),
                "relationships": len(body["hooks-libraries"][1]["parameters"]["high-availability"])}
    assert tally(configs["dc"]["Dhcp4"]) == wanted
    ids = {}
    for n in range(1, 13):
        body = configs["store%d" % n]["Dhcp4"]
        assert tally(body)["relationships"] == 1
        for subnet in body.get("subnet4", []) + [s for net in body.get("shared-networks", []) for s in net["subnet4"]]:
            assert subnet["subnet"].startswith("10.%d." % n)
            ids[subnet["subnet"]] = subnet["id"]
    hub = configs["dc"]["Dhcp4"]
    in_networks = [s for n in hub["shared-networks"] for s in n["subnet4"]]
    central_ids = dict((s["subnet"], s["id"]) for s in hub["subnet4"] + in_networks)
    assert central_ids == ids and len(set(ids.values())) == wanted["subnets"]
    tags = [s["user-context"]["ha-server-name"] for s in hub["subnet4"]]
    assert tags == ["dc-store%d" % n for n in range(1, 13) if n % 3]


def test_the_fixture_estate_everything_accounted_for():
    """dc's dhcpd.conf against the central's rendered configuration: peers, subnets, ranges, hosts; keama's options."""
    files = dict((h, [os.path.join(ESTATE, h, "dhcpd.conf")]) for h in sorted(os.listdir(ESTATE)))
    adoption = adopt_files(files, runner=recorded)
    conf, text = read(os.path.join(ESTATE, "dc", "dhcpd.conf"))
    hub = _rendered(adoption)["dc"]["Dhcp4"]
    subnets = hub["subnet4"] + [s for n in hub["shared-networks"] for s in n["subnet4"]]
    assert len(hub["hooks-libraries"][1]["parameters"]["high-availability"]) == len(conf.peers) == 3
    assert sorted(s["subnet"] for s in subnets) == sorted(s.prefix for s in conf.subnets)
    assert sum(len(s["pools"]) for s in subnets) == sum(s.ranges for s in conf.subnets) == 4
    assert sum(len(s.get("reservations", [])) for s in subnets) == conf.hosts == 1
    options = [o["name"] for s in subnets for o in s.get("option-data", [])]
    options += [o["name"] for n in hub["shared-networks"] for o in n.get("option-data", [])]
    options += [o["name"] for o in hub["option-data"]]
    assert len(options) == len([line for line in text.splitlines() if line.strip().startswith("option ")])
    assert sorted(options) == ["domain-name", "domain-name", "domain-name-servers", "ntp-servers", "routers",
                               "routers", "routers", "routers"]


def _swap(text, old, new):
    assert old in text
    return text.replace(old, new)


def _edit(hosts, host, old, new):
    hosts[host]["dhcpd.conf"] = _swap(hosts[host]["dhcpd.conf"], old, new)
    return hosts


PEER2 = 'failover peer "store2" {\n  secondary;'
ERRORS = [
    ("a store's partner file missing", lambda h: h.pop("store2") and h, {},
     ["failover peer 'store2': declared on one host only (dc); a failover peer is declared on its two servers: its "
      "partner's dhcpd.conf is not among the files read; left out",
      "host 'dc' subnet 10.2.0.0/24: its pools name failover peer 'store2', which is not adopted, so it belongs to no "
      "relationship; left out"]),
    ("both ends primary", lambda h: _edit(h, "dc", PEER2, 'failover peer "store2" {\n  primary;'), {},
     ["failover peer 'store2': 'primary' on dc, 'primary' on store2; one end must be primary and the other secondary; "
      "left out",
      "host 'dc' subnet 10.2.0.0/24: its pools name failover peer 'store2', which is not adopted, so it belongs to no "
      "relationship; left out"]),
    ("addresses that do not mirror", lambda h: _edit(h, "store1", "peer address 172.20.0.10", "peer address 172.20.0.11"),
     {}, ["failover peer 'store1': its address on dc is 172.20.0.10 but store1's peer address is 172.20.0.11"]),
    ("a host name for an address",
     lambda h: _edit(_edit(h, "store1", "address 10.1.0.2;", "address store1.shops;"), "dc", "peer address 10.1.0.2;",
                     "peer address store1.shops;"), {},
     ["relationship 1 (store1) branch peer 'store1': url 'http://store1.shops:8001/' has host 'store1.shops'; Kea "
      "accepts only an IP address here, not a host name"]),
    ("a store that is the secondary", lambda h: _edit(_edit(h, "store2", "  primary;", "  secondary;"), "dc", PEER2,
                                                      'failover peer "store2" {\n  primary;'), {},
     ["the secondaries of the failover peers are on several hosts (dc, store2): a hub has one central; give it with "
      "kea_adopt_central"]),
    ("pools that differ between the ends", lambda h: h,
     {"store2": lambda body: body["subnet4"][0]["pools"][0].update({"pool": "10.2.0.100 - 10.2.0.150"})},
     ["failover peer 'store2' subnet 10.2.0.0/24: differs between the central (dc) and the branch (store2) at "
      "'pools[0].pool'"]),
    ("a reservation on one end only", lambda h: h,
     {"dc": lambda body: body["subnet4"][1].pop("reservations")},
     ["failover peer 'store2' subnet 10.2.0.0/24: differs between the central (dc) and the branch (store2) at "
      "'reservations'"]),
    ("interfaces not known", lambda h: h["store1"].pop("isc-dhcp-server") and h, {},
     ["host 'store1': the interfaces its dhcpd listens on are not known: copy its /etc/default/isc-dhcp-server into "
      "its directory, or give them in kea_adopt_interfaces",
      "host 'store1': would listen on no interface, so Kea would receive no DHCP traffic and serve none of "
      "relationship 1 (store1). Give its peers an 'interface' (clients on the host's own LAN) or 'relay-interfaces' "
      "(traffic relayed to it across the WAN), or list interfaces in its base configuration's interfaces-config"]),
]


@pytest.mark.parametrize("change, edits, expected", [case[1:] for case in ERRORS], ids=[case[0] for case in ERRORS])
def test_each_problem_names_the_peer_or_the_host(tmp_path, change, edits, expected):
    hosts = change(estate(3))
    adoption = adopt_files(write(tmp_path, hosts), runner=keama(3, edits))
    assert [p for p in adoption.problems if "cannot be rendered" not in p] == expected


def test_a_store_that_is_the_secondary_with_the_central_named(tmp_path):
    hosts = _edit(_edit(estate(3), "store2", "  primary;", "  secondary;"), "dc", PEER2,
                  'failover peer "store2" {\n  primary;')
    adoption = adopt_files(write(tmp_path, hosts), central="dc", runner=keama(3))
    assert adoption.problems == [
        "failover peer 'store2': its secondary is store2, not the central (dc); a relationship of the hub is between "
        "a branch (the primary) and the central; left out",
        "host 'dc' subnet 10.2.0.0/24: its pools name failover peer 'store2', which is not adopted, so it belongs to no "
        "relationship; left out"]
    assert [r["branch"]["host"] for r in adoption.topology["relationships"]] == ["store1", "store3"]


def test_interfaces_given_instead_of_the_defaults_file(tmp_path):
    hosts = estate(2)
    hosts["store1"].pop("isc-dhcp-server")
    adoption = adopt_files(write(tmp_path, hosts), interfaces={"store1": ["eth1", "eth2"]}, runner=keama(2))
    assert adoption.problems == []
    assert adoption.topology["relationships"][0]["branch"]["relay-interfaces"] == ["eth1", "eth2"]


def test_keama_missing_is_one_problem_naming_the_install(tmp_path):
    def missing(text, family):
        from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_keama import run
        return run(text, family, program="/nonexistent/keama")
    adoption = adopt_files(write(tmp_path, estate(2)), runner=missing)
    assert adoption.topology is None
    assert adoption.problems == [
        "keama is not installed: install Debian's isc-dhcp-keama where adopt.yml runs (apt-get install isc-dhcp-keama "
        "on Debian 13 or later; on Debian 12, scripts/install-keama.sh fetches Debian 13's package, which runs there)"]


def test_kea_and_isc_files_are_not_adopted_together(tmp_path):
    files = write(tmp_path, estate(1))
    files["kea1"] = [str(tmp_path / "kea-dhcp4.conf")]
    adoption = adopt_files(files, runner=keama(1))
    assert adoption.problems == ["hosts kea1 have Kea's files and hosts dc, store1 ISC DHCP's: adopt one kind of "
                                 "estate per run"]
