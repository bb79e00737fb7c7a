# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The plan of every host's desired state: one validation, every host checked, everything the host must have."""

import copy
import json
import os

import pytest
import yaml

from ansible_collections.keadhcp.ha.plugins.module_utils._deploy import SETTINGS, deployment, servers_of, settings_of
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology

from topologies import TERMINATED

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"


def _example(name):
    with open(os.path.join(ROOT, "examples", name, "group_vars", "all.yml")) as handle:
        return yaml.safe_load(handle)["kea_ha_topology"]


def _hosts(topology):
    return [topology["central"]] + [rel["branch"]["host"] for rel in topology["relationships"]]


def _interfaces(topology):
    found = set(["lo", "eth0"])
    for rel in topology["relationships"]:
        for side in ("branch", "central"):
            for key in ("interface",):
                value = rel[side].get(key)
                if isinstance(value, dict):
                    found.update(value.values())
                elif value:
                    found.add(value)
            for name in rel[side].get("relay-interfaces") or []:
                found.add(name.split("/")[0])
    return sorted(found)


def _inputs(topology, version="2.6.3", settings=None, probe=None, hosts=None):
    base_probe = {"version": version, "hooks_dir": HOOKS, "interfaces": _interfaces(topology), "services": {},
                  "packages": ["kea-dhcp4-server", "kea-dhcp6-server", "kea-ctrl-agent"], "local_fact": None}
    return dict((host, {"settings": dict({"api_password_ok": True}, **(settings or {}).get(host, {})),
                        "probe": dict(base_probe, **(probe or {}).get(host, {}))})
                for host in (hosts or _hosts(topology)))


def test_the_plans_defaults_are_the_roles():
    with open(os.path.join(ROOT, "roles", "kea_ha", "defaults", "main.yml")) as handle:
        defaults = yaml.safe_load(handle)
    for key, value in SETTINGS.items():
        if "kea_ha_" + key in defaults:
            assert defaults["kea_ha_" + key] == value, key


@pytest.mark.parametrize("given, expected", [("True", True), ("false", False), (True, True), (0, False), ("yes", True)])
def test_settings_read_booleans_as_ansible_does(given, expected):
    assert settings_of({"control_tls": given})["control_tls"] is expected


def test_a_kea_26_central_gets_its_agent_files_and_server():
    topology = _example("branches_v4")
    planned = deployment(topology, _inputs(topology))
    assert planned["problems"] == [] and planned["refusals"] == []
    state = planned["hosts"]["dc-kea"]
    assert (state["side"], state["families"], state["version"], state["install"], state["stop"]) == (
        "central", [4], "2.6", [], [])
    assert [(f["path"], f["owner"], f["group"], f["mode"], f.get("secret"), f.get("validate")) for f in state["files"]] == [
        ("/etc/kea/kea-api-password", "root", "_kea", "0640", "api_password", None),
        ("/etc/kea/kea-ctrl-agent.conf", "root", "_kea", "0640", None, "kea-ctrl-agent -t %s"),
        ("/etc/kea/kea-dhcp4.conf", "root", "_kea", "0640", None, "kea-dhcp4 -t %s"),
        ("/etc/ansible/facts.d/keadhcp_ha.fact", "root", "root", "0644", None, None)]
    assert [d["path"] for d in state["directories"]] == ["/run/kea", "/var/lib/kea", "/var/log/kea",
                                                         "/etc/ansible/facts.d"]
    assert state["agent"] == {"service": "kea-ctrl-agent", "enabled": True, "config_file": "/etc/kea/kea-ctrl-agent.conf"}
    (server,) = state["servers"]
    assert server["control"] == {"url": "http://127.0.0.1:8000/", "service": ["dhcp4"], "user": "kea-api",
                                 "password_file": "/etc/kea/kea-api-password"}
    assert (server["socket"], server["apply_during_outage"], server["names"]) == (
        "/run/kea/kea4-ctrl-socket", False, ["dc-for-paris", "dc-for-lyon", "dc-for-lille"])
    body = server["config"]["Dhcp4"]
    assert body["control-socket"] == {"socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket"}
    assert body["hooks-libraries"][1]["library"] == HOOKS + "/libdhcp_ha.so"
    tags = [s["user-context"]["ha-server-name"] for s in body["subnet4"]]
    assert sorted(set(tags), key=tags.index) == ["dc-for-paris", "dc-for-lyon", "dc-for-lille"]
    assert json.loads(state["files"][2]["content"]) == server["config"]
    assert planned["hosts"]["paris-kea"]["servers"][0]["apply_during_outage"] is True


def test_the_server_configuration_is_the_one_the_topology_model_assembles_with_the_roles_base():
    """The same configuration the roles' Jinja used to assemble: control socket, lease database, loggers, user base."""
    topology = _example("branches_v4")
    settings = {"dc-kea": {"base_config": {"valid-lifetime": 7200, "loggers": [{"name": "kea-dhcp4", "severity": "DEBUG"}]}}}
    state = deployment(topology, _inputs(topology, settings=settings))["hosts"]["dc-kea"]
    expected_base = {
        "control-socket": {"socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket"},
        "lease-database": {"type": "memfile", "persist": True, "name": "/var/lib/kea/kea-leases4.csv", "lfc-interval": 3600},
        "loggers": [{"name": "kea-dhcp4", "severity": "DEBUG"}], "valid-lifetime": 7200}
    model = load_topology(topology, hooks_dir=HOOKS, host_base={"dc-kea": expected_base},
                          control_endpoints={"dc-kea": ["127.0.0.1:8000"]})
    assert state["servers"][0]["config"] == model.configs(["dc-kea"])["dc-kea"]


def test_a_kea_30_host_stops_a_leftover_agent_and_listens_itself():
    topology = _example("branches_v4")
    probe = dict((host, {"version": "3.0.4", "services": {"kea-ctrl-agent": {"active": True, "enabled": True}}})
                 for host in _hosts(topology))
    probe["paris-kea"]["services"] = {}
    planned = deployment(topology, _inputs(topology, probe=probe))
    central, paris = planned["hosts"]["dc-kea"], planned["hosts"]["paris-kea"]
    assert (central["agent"], central["stop"], paris["stop"]) == (None, ["kea-ctrl-agent"], [])
    assert "kea-ctrl-agent.conf" not in " ".join(f["path"] for f in central["files"])
    sockets = central["servers"][0]["config"]["Dhcp4"]["control-sockets"]
    assert [s["socket-type"] for s in sockets] == ["unix", "http"]


def test_tls_material_and_peer_passwords_are_files_secrets_by_name():
    topology = _example("branches_v4")
    topology["relationships"][0]["branch"].update({"basic-auth-user": "ha-paris",
                                                   "basic-auth-password-file": "/etc/kea/ha-paris.pw"})
    tls = {"tls_trust_anchor": "CA PEM\n\n", "tls_cert": "CERT PEM", "tls_key_set": True, "control_tls": True,
           "peer_password_users": ["ha-paris"]}
    state = deployment(topology, _inputs(topology, version="3.0.4", settings={"dc-kea": tls}))["hosts"]["dc-kea"]
    files = dict((f["path"], f) for f in state["files"])
    assert files["/etc/kea/tls/ca.pem"]["content"] == "CA PEM\n"
    assert files["/etc/kea/tls/cert.pem"]["content"] == "CERT PEM\n"
    assert files["/etc/kea/tls/key.pem"]["secret"] == "tls_key" and "content" not in files["/etc/kea/tls/key.pem"]
    assert (files["/etc/kea/ha-paris.pw"]["secret"], files["/etc/kea/ha-paris.pw"]["user"]) == ("peer_password", "ha-paris")
    assert {"path": "/etc/kea/tls", "owner": "root", "group": "_kea", "mode": "0750"} in state["directories"]
    assert state["servers"][0]["control"]["url"] == "https://127.0.0.1:8000/"
    assert state["servers"][0]["control"]["client_key"] == "/etc/kea/tls/key.pem"
    text = json.dumps(state)
    assert "PRIVATE" not in text


@pytest.mark.parametrize("settings, probe, expected", [
    ({"api_password_ok": False}, {}, "paris-kea: kea_ha_api_password (at least 8 characters) protects the control "
                                     "channel; set it, e.g. from a vault."),
    ({"control_tls": True}, {}, "paris-kea: kea_ha_control_tls needs kea_ha_tls_trust_anchor, kea_ha_tls_cert and "
                                "kea_ha_tls_key (PEM text; the key from a vault)."),
    ({"tls_cert": "PEM"}, {}, "paris-kea: TLS needs all of kea_ha_tls_trust_anchor, kea_ha_tls_cert and kea_ha_tls_key "
                              "(PEM text; the key from a vault); only kea_ha_tls_cert is set."),
    ({}, {"interfaces": ["lo", "eth0"]}, "relationship 1 (paris-kea) binds its subnets on paris-kea to interface "
                                         "'lan-paris', which this host does not have (it has eth0, lo)"),
    ({}, {"version": "2.4.1"}, "Kea 2.4 on paris-kea: keadhcp.ha supports Kea 2.6 and 3.0"),
    ({"install_packages": False}, {"version": "", "packages": []},
     "paris-kea: Kea is not installed (no kea-dhcp4 answers) and kea_ha_install_packages is false: install it first, "
     "or let the role install it"),
])
def test_each_host_problem_is_named(settings, probe, expected):
    topology = _example("branches_v4")
    planned = deployment(topology, _inputs(topology, settings={"paris-kea": settings}, probe={"paris-kea": probe}))
    assert planned["problems"] == [expected]
    assert planned["message"] == "kea_ha_topology is invalid (1 problem):\n  - " + expected


def test_every_host_is_checked_and_every_problem_listed_at_once():
    topology = _example("branches_v4")
    bad = {"api_password_ok": False}
    planned = deployment(topology, _inputs(topology, settings={"paris-kea": bad, "lille-kea": bad}))
    assert [p.split(":")[0] for p in planned["problems"]] == ["paris-kea", "lille-kea"]


def test_an_invalid_topology_plans_nothing():
    topology = _example("branches_v4")
    topology["relationships"][1]["central"]["name"] = "dc-for-paris"
    planned = deployment(topology, _inputs(topology))
    assert planned["hosts"] == {} and len(planned["problems"]) == 1 and "dc-for-paris" in planned["message"]


def test_mixed_versions_are_refused():
    topology = _example("branches_v4")
    planned = deployment(topology, _inputs(topology, probe={"lyon-kea": {"version": "3.0.4"}}))
    assert [r.split(":")[0] for r in planned["refusals"]] == ["relationship 2 (lyon-kea)"]


def test_hosts_whose_clocks_differ_past_30_s_are_warned_of_by_relationship():
    topology = _example("branches_v4")
    offsets = {"dc-kea": {"clock_offset": 1}, "paris-kea": {"clock_offset": 92}, "lyon-kea": {"clock_offset": -29}}
    planned = deployment(topology, _inputs(topology, probe=offsets))
    assert [text for text in planned["warnings"] if "clocks" in text] == [
        "relationship 1 (paris-kea): the clocks of the hosts dc-kea (central) and paris-kea (branch) differ by 91 s, "
        "the branch's ahead: " + TERMINATED]
    offsets["lyon-kea"]["clock_offset"] = -40
    planned = deployment(topology, _inputs(topology, probe=offsets))
    assert [text for text in planned["warnings"] if "lyon" in text and "clocks" in text] == [
        "relationship 2 (lyon-kea): the clocks of the hosts dc-kea (central) and lyon-kea (branch) differ by 41 s, "
        "the central's ahead: Kea warns (HA_HIGH_CLOCK_SKEW) and ends HA for the relationship past 60 s; synchronise them (NTP)"]


def test_a_probe_without_a_clock_offset_warns_of_nothing():
    topology = _example("dual_stack")
    planned = deployment(topology, _inputs(topology, probe={"dc-kea": {"clock_offset": 500}}))
    assert not [text for text in planned["warnings"] if "clocks" in text]


@pytest.mark.parametrize("fact, decommission, expected", [
    ({"service": "kea-dhcp4-server", "version": "2.6"}, False,
     {"services": ["kea-dhcp4-server"], "agent": True, "decommission": False}),
    ({"version": "3.0", "side": "branch", "servers": [{"service": "kea-dhcp4-server"}, {"service": "kea-dhcp6-server"}]},
     True, {"services": ["kea-dhcp4-server", "kea-dhcp6-server"], "agent": False, "decommission": True}),
])
def test_a_branch_an_earlier_run_deployed_is_a_removed_branch(fact, decommission, expected):
    topology = _example("branches_v4")
    inputs = _inputs(topology, hosts=_hosts(topology) + ["nice-kea"],
                     settings={"nice-kea": {"decommission": decommission}}, probe={"nice-kea": {"local_fact": fact}})
    planned = deployment(topology, inputs)
    assert planned["problems"] == [] and planned["hosts"]["nice-kea"] == {"host": "nice-kea", "removed": expected}


def test_a_host_the_topology_does_not_name_and_no_run_deployed_is_a_problem():
    topology = _example("branches_v4")
    planned = deployment(topology, _inputs(topology, hosts=_hosts(topology) + ["nice-kea"]))
    assert planned["problems"] == ["nice-kea is not part of kea_ha_topology (nor a branch removed from it: no earlier "
                                   "run of these roles deployed it)"]


def test_a_host_without_kea_is_planned_to_install_it_and_planned_as_30():
    topology = _example("branches_v4")
    planned = deployment(topology, _inputs(topology, probe={"paris-kea": {"version": "", "hooks_dir": "",
                                                                          "packages": []}}))
    paris = planned["hosts"]["paris-kea"]
    assert (paris["install"], paris["installed"], paris["agent"]) == (["kea-dhcp4-server"], False, None)
    assert "kea-ctrl-agent" not in planned["hosts"]["dc-kea"]["install"]


def test_dual_stack_hosts_get_both_servers_and_their_control_channels():
    topology = _example("dual_stack")
    planned = deployment(topology, _inputs(topology, version="3.0.4"))
    assert planned["problems"] == []
    state = planned["hosts"][topology["central"]]
    assert [s["family"] for s in state["servers"]] == [4, 6]
    assert [s["endpoint"]["port"] for s in state["servers"]] == [8000, 8500]
    assert [list(s["config"]) for s in state["servers"]] == [["Dhcp4"], ["Dhcp6"]]
    fact = json.loads(state["files"][-1]["content"])
    assert [(s["family"], s["service"], s["control"]["url"]) for s in fact["servers"]] == [
        (4, "kea-dhcp4-server", "http://127.0.0.1:8000/"), (6, "kea-dhcp6-server", "http://127.0.0.1:8500/")]


def _many(count):
    relationships = [{"branch": {"host": "b%d" % n, "name": "b%d" % n, "url": "http://10.%d.0.2:8001/" % n,
                                 "interface": "lan%d" % n},
                      "central": {"name": "c-b%d" % n, "url": "http://10.%d.0.3:8001/" % n, "interface": "lan%d" % n},
                      "subnets": [{"id": n, "subnet": "10.%d.0.0/24" % n, "pools": [{"pool": "10.%d.0.100 - 10.%d.0.199"
                                                                                     % (n, n)}]}]}
                     for n in range(1, count + 1)]
    return {"central": "c", "defaults": {"mode": "hot-standby"}, "relationships": relationships}


def test_a_hub_of_twelve_branches_is_planned_in_the_users_order_and_the_same_each_time():
    topology = _many(12)
    first = deployment(topology, _inputs(topology))
    again = deployment(copy.deepcopy(topology), _inputs(topology))
    assert first["problems"] == [] and first["hosts"] == again["hosts"]
    central = first["hosts"]["c"]
    assert central["servers"][0]["names"] == ["c-b%d" % n for n in range(1, 13)]
    assert central["servers"][0]["config"]["Dhcp4"]["interfaces-config"]["interfaces"] == [
        "lan%d" % n for n in range(1, 13)]
    assert central["servers"][0]["healthy_within"] == 3 * 10 + 60 + 10


def test_only_the_hosts_asked_for_are_planned_the_whole_topology_validated_all_the_same():
    topology = _many(3)
    planned = deployment(topology, _inputs(topology), hosts=["b2"])
    assert list(planned["hosts"]) == ["b2"]


OLD_CONTROL = {"url": "http://127.0.0.1:8000/", "endpoint": "127.0.0.1:8000", "address": "127.0.0.1", "port": 8000,
               "endpoints": ["127.0.0.1:8000"], "service": ["dhcp4"], "socket": "/run/kea/kea4-ctrl-socket",
               "user": "kea-api", "password_file": "/etc/kea/kea-api-password", "tls": False}
MODULE_CONTROL = {"url": "http://127.0.0.1:8000/", "service": ["dhcp4"], "user": "kea-api",
                  "password_file": "/etc/kea/kea-api-password"}


@pytest.mark.parametrize("fact, family, expected", [
    # this release's fact
    ({"version": "2.6", "side": "branch", "servers": [
        {"family": 4, "service": "kea-dhcp4-server", "names": ["paris"], "control": MODULE_CONTROL,
         "socket": "/run/kea/kea4-ctrl-socket", "healthy_within": 73}]}, None,
     [{"family": 4, "service": "kea-dhcp4-server", "names": ["paris"], "control": MODULE_CONTROL,
       "socket": "/run/kea/kea4-ctrl-socket", "healthy_within": 73}]),
    # the first release's: one server's keys at the top, the control channel with where it listens
    ({"control": OLD_CONTROL, "family": 4, "version": "2.6", "service": "kea-dhcp4-server", "side": "branch",
      "names": ["paris"]}, None,
     [{"family": 4, "service": "kea-dhcp4-server", "names": ["paris"], "control": MODULE_CONTROL,
       "socket": "/run/kea/kea4-ctrl-socket", "healthy_within": None}]),
    # the dual-stack release's: both, and servers; one family asked for
    ({"control": OLD_CONTROL, "family": 4, "service": "kea-dhcp4-server", "names": ["a"], "servers": [
        {"family": 4, "control": OLD_CONTROL, "service": "kea-dhcp4-server", "names": ["a"]},
        {"family": 6, "control": dict(OLD_CONTROL, url="http://127.0.0.1:8500/", service=["dhcp6"],
                                      socket="/run/kea/kea6-ctrl-socket"), "service": "kea-dhcp6-server",
         "names": ["a6"]}]}, 6,
     [{"family": 6, "service": "kea-dhcp6-server", "names": ["a6"],
       "control": dict(MODULE_CONTROL, url="http://127.0.0.1:8500/", service=["dhcp6"]),
       "socket": "/run/kea/kea6-ctrl-socket", "healthy_within": None}]),
    (None, None, []),
    ({}, 4, []),
])
def test_the_servers_of_every_release_of_the_local_fact(fact, family, expected):
    assert servers_of(fact, family) == expected
