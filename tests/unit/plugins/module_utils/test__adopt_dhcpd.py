# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_adopt_dhcpd and _adopt_keama: failover peers and the pools naming them; keama's warnings; errors as read."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_keama as keama
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_dhcpd import DhcpdError, read

PEER = """failover peer "store1" {
  primary;                      # the store serves
  address 10.1.0.2; port 647;
  peer address 172.20.0.10;
  peer port 847;
  max-response-delay 30;
  mclt 1800;
  split 128;
  load balance max seconds 3;
}
"""


def test_a_peer_declaration():
    conf, _text = read("/x/dhcpd.conf", PEER)
    peer = conf.peers["store1"]
    assert (peer.role, peer.address, peer.port, peer.peer_address, peer.peer_port) == (
        "primary", "10.1.0.2", "647", "172.20.0.10", "847")
    assert peer.settings == [("max-response-delay", "30"), ("mclt", "1800"), ("split", "128"),
                             ("load balance max seconds", "3")]


SUBNETS = [
    ("a pool naming its peer", 'subnet 10.1.0.0 netmask 255.255.255.0 { pool { failover peer "p"; range 10.1.0.5 '
     '10.1.0.9; } }', [("10.1.0.0/24", None, ["p"], 1)], {}),
    ("a range outside any pool", "subnet 10.1.0.0 netmask 255.255.0.0 { range 10.1.0.5 10.1.0.9; }",
     [("10.1.0.0/16", None, [], 1)], {}),
    ("subnets of a shared network, in a group", 'shared-network "lan" { group { subnet 10.1.0.0 netmask '
     '255.255.255.0 { pool { failover peer "a"; range 10.1.0.5 10.1.0.9; } } } subnet 10.2.0.0 netmask 255.255.255.0 '
     '{ } pool { failover peer "a"; range 10.2.0.5 10.2.0.9; } }',
     [("10.1.0.0/24", "lan", ["a"], 1), ("10.2.0.0/24", "lan", [], 0)], {"lan": ["a"]}),
    ("two pools, two peers", 'subnet 10.1.0.0 netmask 255.255.255.0 { pool { failover peer "a"; range 10.1.0.5 '
     '10.1.0.9; } pool { failover peer "b"; range 10.1.0.15 10.1.0.19; } }', [("10.1.0.0/24", None, ["a", "b"], 2)],
     {}),
    ("DHCPv6", "subnet6 2001:db8:1::/64 { range6 2001:db8:1::10 2001:db8:1::ff; }",
     [("2001:db8:1::/64", None, [], 1)], {}),
]


@pytest.mark.parametrize("text, subnets, network_peers", [c[1:] for c in SUBNETS], ids=[c[0] for c in SUBNETS])
def test_subnets_and_the_peers_their_pools_name(text, subnets, network_peers):
    conf, _text = read("/x/dhcpd.conf", text)
    assert [(s.prefix, s.network, s.peers, s.ranges) for s in conf.subnets] == subnets
    assert conf.network_peers == network_peers


def test_includes_are_spliced_beside_the_file_for_keama_too(tmp_path):
    (tmp_path / "peers.conf").write_text(PEER)
    (tmp_path / "dhcpd.conf").write_text('# head\ninclude "/etc/dhcp/peers.conf";\nhost a { fixed-address 10.1.0.9; }\n')
    conf, text = read(str(tmp_path / "dhcpd.conf"))
    assert list(conf.peers) == ["store1"] and conf.hosts == 1
    assert text == "# head\n" + PEER + "host a { fixed-address 10.1.0.9; }\n"


ERRORS = [
    ("a block not closed", "subnet 10.1.0.0 netmask 255.255.255.0 {\n  range 10.1.0.5 10.1.0.9;\n",
     "/x/dhcpd.conf line 2: unexpected end of file: a block is not closed"),
    ("a missing semicolon", "subnet 10.1.0.0 netmask 255.255.255.0 {\n  range 10.1.0.5 10.1.0.9\n}\n",
     "/x/dhcpd.conf line 3: missing ';' before '}'"),
    ("a brace too many", "authoritative;\n}\n", "/x/dhcpd.conf line 2: unexpected '}'"),
    ("a bad subnet", "subnet 10.1.0.0 netmask 255.0.255.0 { }", "/x/dhcpd.conf line 1: cannot read the subnet "
     "'subnet 10.1.0.0 netmask 255.0.255.0'"),
    ("a peer declared twice", PEER + PEER, "/x/dhcpd.conf line 11: failover peer \"store1\" declared twice"),
    ("a string not closed", 'option domain-name "shops.example;\n', "/x/dhcpd.conf line 1: cannot read "
     "'\"shops.example;' (a string not closed?)"),
    ("a missing include", 'include "nope.conf";', "/x/dhcpd.conf line 1: cannot include \"nope.conf\" (No such file or "
     "directory)"),
]


@pytest.mark.parametrize("text, message", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_each_error_names_file_and_line(text, message):
    with pytest.raises(DhcpdError) as info:
        read("/x/dhcpd.conf", text)
    assert str(info.value) == message


WARNINGS = [
    ("keama's notes, one per block of comments",
     '{\n  /// This configuration declares some subnets but has no interfaces-config\n  /// Reference Kea #245\n'
     '  "Dhcp4": {\n    /// Kea shared-networks are different, cf Kea #236\n    "shared-networks": []\n  }\n}\n',
     ["Kea shared-networks are different, cf Kea #236"]),
    ("what keama commented out, counted",
     '{ "Dhcp4": {\n//  /// Orphan reservations\n//  /// Kea reservations are per subnet\n//  "reservations": [\n'
     '//    { "hostname": "cam" }\n//  ],\n  "valid-lifetime": 1 } }',
     ["Orphan reservations Kea reservations are per subnet (3 lines of configuration commented out)"]),
    ("a translation without warnings", '{ # from dhcpd.conf\n "Dhcp4": {} }', []),
    ("one warning per pool, said once with its count",
     '{ "Dhcp4": { "pools": [\n/// From:\n///   deny dynamic bootp clients\n{ "pool": "a" },\n/// From:\n'
     '///   deny dynamic bootp clients\n{ "pool": "b" } ] } }', ["From: deny dynamic bootp clients (2 times)"]),
]


@pytest.mark.parametrize("out, said", [c[1:] for c in WARNINGS], ids=[c[0] for c in WARNINGS])
def test_keama_warnings(out, said):
    assert keama.convert("x", 4, "/x/dhcpd.conf", runner=lambda text, family: (out, "", 2))[1] == said


def test_keama_failing_is_told_with_what_it_printed():
    with pytest.raises(keama.KeamaError) as info:
        keama.convert("x", 4, "/x/dhcpd.conf", runner=lambda text, family: ("", "syntax error at line 3", 1))
    assert str(info.value) == "keama could not translate /x/dhcpd.conf (exit status 1): syntax error at line 3"
