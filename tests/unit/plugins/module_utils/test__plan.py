# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The plan: each host's slice, the roles' refusals, and a host's control channel, as tables."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._plan import (
    control_channel, host_plan, inline_passwords, plan, version_mismatches)
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology


def topology(**central_peer):
    tls = {"trust-anchor": "/etc/kea/tls/ca.pem", "cert-file": "/etc/kea/tls/cert.pem", "key-file": "/etc/kea/tls/key.pem"}
    return {
        "central": "hub",
        "relationships": [
            {"branch": {"host": "b1", "name": "s1", "url": "https://10.1.0.2:8001/", "interface": "eth1",
                        "basic-auth-user": "ha-b1", "basic-auth-password-file": "/etc/kea/ha-b1"},
             "central": dict({"name": "s2", "url": "https://10.1.0.3:8001/", "interface": "eth1",
                              "basic-auth-user": "ha-hub", "basic-auth-password-file": "/etc/kea/ha-hub"},
                             **central_peer),
             "subnets": [{"id": 1, "subnet": "10.1.0.0/24"}]},
            {"branch": {"host": "b2", "name": "s3", "url": "http://10.2.0.2:8001/", "interface": "eth2"},
             "central": {"name": "s4", "url": "http://10.2.0.3:8001/", "interface": "eth2"},
             "subnets": [{"id": 2, "subnet": "10.2.0.0/24"}]},
        ],
        "defaults": {},
        "_tls": tls,
    }


def model(**central_peer):
    topo = topology(**central_peer)
    tls = topo.pop("_tls")
    topo["relationships"][0].update(tls)
    return load_topology(topo)


def test_the_central_slice():
    slice_ = host_plan(model(), "hub")
    assert (slice_["side"], slice_["names"], slice_["partners"]) == ("central", ["s2", "s4"], ["b1", "b2"])
    first = slice_["relationships"][0]
    assert first["local"] == {"name": "s2", "url": "https://10.1.0.3:8001/", "address": "10.1.0.3", "role": "standby",
                              "state": "hot-standby", "host": "hub", "user": "ha-hub", "password_file": "/etc/kea/ha-hub",
                              "interface": "eth1"}
    assert first["partner"] == {"name": "s1", "url": "https://10.1.0.2:8001/", "address": "10.1.0.2", "role": "primary",
                                "state": "hot-standby", "host": "b1", "user": "ha-b1", "password_file": "/etc/kea/ha-b1"}
    assert (first["automatic_failover"], first["serving"]) == (True, ["s1"])
    assert [rel["subnets"] for rel in slice_["relationships"]] == [[{"id": 1, "subnet": "10.1.0.0/24"}],
                                                                   [{"id": 2, "subnet": "10.2.0.0/24"}]]
    assert first["tls"] == {"ca_path": "/etc/kea/tls/ca.pem", "client_cert": "/etc/kea/tls/cert.pem",
                            "client_key": "/etc/kea/tls/key.pem"}
    assert slice_["relationships"][1]["tls"] == {}
    assert slice_["password_files"] == [{"user": "ha-b1", "file": "/etc/kea/ha-b1"},
                                        {"user": "ha-hub", "file": "/etc/kea/ha-hub"}]
    assert slice_["interfaces"] == [{"relationship": 1, "branch": "b1", "peer": "s2", "interface": "eth1", "relayed": False},
                                    {"relationship": 2, "branch": "b2", "peer": "s4", "interface": "eth2", "relayed": False}]


@pytest.mark.parametrize("mode, roles, states, failover, serving", [
    ("load-balancing", ("primary", "secondary"), ("load-balancing", "load-balancing"), True, ["s1", "s2"]),
    ("passive-backup", ("primary", "backup"), ("passive-backup", "backup"), False, ["s1"]),
    ("hot-standby", ("standby", "primary"), ("hot-standby", "hot-standby"), True, ["s2"]),
], ids=["load-balancing", "passive-backup", "hot-standby, roles swapped"])
def test_each_mode_gives_its_states_failover_and_serving_peers(mode, roles, states, failover, serving):
    one = load_topology({"central": "hub", "relationships": [
        {"branch": {"host": "b1", "name": "s1", "url": "http://10.1.0.2:8001/", "interface": "eth1", "role": roles[0]},
         "central": {"name": "s2", "url": "http://10.1.0.3:8001/", "interface": "eth1", "role": roles[1]},
         "mode": mode, "subnets": [{"id": 1, "subnet": "10.1.0.0/24"}]}]})
    rel = host_plan(one, "b1")["relationships"][0]
    assert (rel["local"]["state"], rel["partner"]["state"]) == states
    assert (rel["automatic_failover"], rel["serving"]) == (failover, serving)
    # heartbeats, which report each end's state to the other, run in every mode but passive-backup
    assert rel["heartbeats"] == (mode != "passive-backup")


def test_a_branch_slice_holds_its_own_relationship_only():
    slice_ = host_plan(model(), "b2")
    assert (slice_["side"], slice_["names"], slice_["partners"]) == ("branch", ["s3"], ["hub"])
    assert slice_["relationships"][0]["partner"]["url"] == "http://10.2.0.3:8001/"
    assert slice_["relationships"][0]["subnets"] == [{"id": 2, "subnet": "10.2.0.0/24"}]
    assert (slice_["interfaces"], slice_["password_files"]) == (
        [{"relationship": 2, "branch": "b2", "peer": "s3", "interface": "eth2", "relayed": False}], [])


def test_a_peer_s_own_tls_files_win_over_the_relationship_s():
    own = {"trust-anchor": "/etc/kea/tls/hub-ca.pem", "cert-file": "/etc/kea/tls/hub-cert.pem",
           "key-file": "/etc/kea/tls/hub-key.pem"}
    slice_ = host_plan(model(**own), "b1")
    assert slice_["relationships"][0]["tls"] == {"ca_path": "/etc/kea/tls/hub-ca.pem",
                                                 "client_cert": "/etc/kea/tls/hub-cert.pem",
                                                 "client_key": "/etc/kea/tls/hub-key.pem"}


def test_an_ipv6_peer_address_has_no_brackets():
    v6 = load_topology({"family": 6, "central": "hub", "relationships": [
        {"branch": {"host": "b1", "name": "s1", "url": "http://[fd86:1::2]:8001/", "interface": "lan1"},
         "central": {"name": "s2", "url": "http://[fd86:1::3]:8001/", "interface": "lan1"},
         "subnets": [{"id": 1, "subnet": "fd86:1::/64"}]}]})
    rel = host_plan(v6, "hub")["relationships"][0]
    assert (rel["local"]["address"], rel["partner"]["address"]) == ("fd86:1::3", "fd86:1::2")


def test_a_host_outside_the_topology_is_named():
    with pytest.raises(TopologyError, match="host 'b3': it is neither the central"):
        host_plan(model(), "b3")


def test_the_whole_plan_covers_every_host_once():
    whole = plan(model(), versions={"hub": "3.0", "b1": "3.0", "b2": ""})
    assert (whole["family"], whole["central"], whole["branches"]) == (4, "hub", ["b1", "b2"])
    assert sorted(whole["hosts"]) == ["b1", "b2", "hub"] and whole["refusals"] == []


@pytest.mark.parametrize("versions, refused", [
    ({}, []),
    ({"hub": "3.0", "b1": "3.0", "b2": "3.0"}, []),
    ({"hub": "3.0", "b1": "", "b2": "2.6"}, [2]),
    ({"hub": "2.6", "b1": "3.0", "b2": "3.0"}, [1, 2]),
    ({"hub": "", "b1": "3.0", "b2": "2.6"}, []),
])
def test_version_mismatches(versions, refused):
    found = version_mismatches(model(), versions)
    assert [int(text.split()[1]) for text in found] == refused


def test_version_mismatch_message():
    (message,) = version_mismatches(model(), {"hub": "3.0", "b2": "2.6"})
    assert message == (
        "relationship 2 (b2): the central runs Kea 3.0 and the branch Kea 2.6. Kea 3.0 sends released leases to its "
        "partner as lease updates, which Kea 2.6 does not expect; both ends of a relationship must run the same version "
        "(docs/kea-3-migration.md gives the order to upgrade in).")


def test_inline_passwords_are_refused_naming_each_peer():
    topo = _plain_topology()
    topo["relationships"][1]["branch"]["basic-auth-user"] = "u3"
    topo["relationships"][1]["branch"]["basic-auth-password"] = "secret"
    topo["relationships"][1]["central"]["basic-auth-user"] = "u4"
    topo["relationships"][1]["central"]["basic-auth-password"] = "secret"
    assert inline_passwords(load_topology(topo)) == (
        "kea_ha_topology carries basic-auth-password, which logs and diffs would show: relationship 2 (b2), peer s3; "
        "relationship 2 (b2), peer s4. Give each such peer a basic-auth-password-file and put its password in "
        "kea_ha_peer_passwords (from a vault).")
    assert inline_passwords(model()) is None
    assert plan(load_topology(topo))["refusals"][0].startswith("kea_ha_topology carries basic-auth-password")


SETTINGS = {"control_address": "127.0.0.1", "control_port": 8000, "control_tls": False, "tls_dir": "/etc/kea/tls",
            "config_dir": "/etc/kea", "run_dir": "/run/kea", "api_user": "kea-api"}


@pytest.mark.parametrize("changes, family, expected", [
    ({}, 4, {"url": "http://127.0.0.1:8000/", "endpoint": "127.0.0.1:8000", "service": ["dhcp4"],
             "address": "127.0.0.1", "port": 8000, "endpoints": ["127.0.0.1:8000"],
             "socket": "/run/kea/kea4-ctrl-socket", "user": "kea-api", "password_file": "/etc/kea/kea-api-password",
             "tls": False}),
    ({"control_tls": True, "tls_dir": "/srv/tls/"}, 4,
     {"url": "https://127.0.0.1:8000/", "endpoint": "127.0.0.1:8000", "service": ["dhcp4"],
      "address": "127.0.0.1", "port": 8000, "endpoints": ["127.0.0.1:8000"],
      "socket": "/run/kea/kea4-ctrl-socket",
      "user": "kea-api", "password_file": "/etc/kea/kea-api-password", "tls": True,
      "ca_path": "/srv/tls/ca.pem", "client_cert": "/srv/tls/cert.pem", "client_key": "/srv/tls/key.pem"}),
    ({"control_address": "::1", "control_port": "8443", "run_dir": "/var/run/kea/", "config_dir": "/opt/kea/etc",
      "api_user": "ops"}, 6,
     {"url": "http://[::1]:8443/", "endpoint": "[::1]:8443", "service": ["dhcp6"],
      "address": "::1", "port": 8443, "endpoints": ["[::1]:8443"],
      "socket": "/var/run/kea/kea6-ctrl-socket",
      "user": "ops", "password_file": "/opt/kea/etc/kea-api-password", "tls": False}),
])
def test_control_channel(changes, family, expected):
    assert control_channel(dict(SETTINGS, **changes), family) == expected


@pytest.mark.parametrize("version, family, port, endpoints", [
    # Kea 3.0: each server its own HTTP socket, DHCPv6's 500 above
    ("3.0", 4, 8000, ["127.0.0.1:8000", "127.0.0.1:8500"]),
    ("3.0", 6, 8500, ["127.0.0.1:8000", "127.0.0.1:8500"]),
    # not installed yet: as 3.0, so that no HA listener takes either port
    ("", 6, 8500, ["127.0.0.1:8000", "127.0.0.1:8500"]),
    # Kea 2.6: one control agent for both servers
    ("2.6", 6, 8000, ["127.0.0.1:8000"]),
])
def test_the_control_channels_of_a_dual_stack_host(version, family, port, endpoints):
    channel = control_channel(dict(SETTINGS, dual_stack=True, version=version), family)
    assert (channel["port"], channel["endpoints"], channel["service"]) == (port, endpoints, ["dhcp%d" % family])
    assert channel["url"] == "http://127.0.0.1:%d/" % port
    assert channel["socket"] == "/run/kea/kea%d-ctrl-socket" % family


def test_the_tls_files_the_roles_write_and_the_filter_returns():
    from ansible_collections.keadhcp.ha.plugins.filter.kea_control_channel import kea_control_channel
    files = kea_control_channel(dict(SETTINGS, tls_dir="/srv/tls/"), 4)["tls_files"]
    assert files == [
        {"var": "kea_ha_tls_trust_anchor", "file": "/srv/tls/ca.pem", "key": "trust-anchor", "secret": False},
        {"var": "kea_ha_tls_cert", "file": "/srv/tls/cert.pem", "key": "cert-file", "secret": False},
        {"var": "kea_ha_tls_key", "file": "/srv/tls/key.pem", "key": "key-file", "secret": True}]
    # the channel's own TLS options name the same files
    channel = control_channel(dict(SETTINGS, tls_dir="/srv/tls/", control_tls=True), 4)
    assert [channel["ca_path"], channel["client_cert"], channel["client_key"]] == [item["file"] for item in files]


def test_the_plan_of_an_invalid_topology_carries_its_problems():
    from ansible_collections.keadhcp.ha.plugins.filter.ha_plan import ha_plan
    broken = ha_plan({"central": "hub", "relationships": []})
    assert (broken["hosts"], broken["problems"]) == (
        {}, ["kea_ha_topology: 'relationships' must be a non-empty list (one per branch), not an empty list"])
    assert broken["message"] == ("kea_ha_topology is invalid (1 problem):\n  - kea_ha_topology: 'relationships' must "
                                 "be a non-empty list (one per branch), not an empty list")
    valid = ha_plan(_plain_topology(), versions={"hub": "3.0", "b2": "2.6"})
    assert (valid["problems"], valid["message"], len(valid["refusals"])) == ([], "", 1)


def _plain_topology():
    topo = topology()
    topo.pop("_tls")
    for peer in ("branch", "central"):
        topo["relationships"][0][peer]["url"] = topo["relationships"][0][peer]["url"].replace("https", "http")
    return topo
