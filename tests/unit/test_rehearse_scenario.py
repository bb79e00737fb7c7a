# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/rehearse_scenario.py: a user's inventory becomes the rehearse scenario's platforms and variables."""

import importlib.util
import json
import os
import stat

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = importlib.util.spec_from_file_location("rehearse_scenario",
                                              os.path.join(ROOT, "scripts", "rehearse_scenario.py"))
rehearse = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(rehearse)


def hub(branches=10, timers=None):
    relationships = []
    for n in range(1, branches + 1):
        rel = {"branch": {"host": "site%d" % n, "name": "site%d" % n, "url": "http://10.7.%d.2:8001/" % n,
                          "interface": "eth1"},
               "central": {"name": "dc-%d" % n, "url": "http://10.7.%d.3:8001/" % n, "interface": "v%d" % n},
               "subnets": [{"id": n, "subnet": "10.7.%d.0/24" % n, "pools": [{"pool": "10.7.%d.100 - 10.7.%d.199" % (n, n)}]}]}
        rel.update(timers or {})
        relationships.append(rel)
    return {"family": 4, "central": "dc", "defaults": {"mode": "hot-standby", "heartbeat-delay": 5000},
            "relationships": relationships}


def listed(topology, extra=None):
    """What ansible-inventory --list prints for a hub whose every host has the topology."""
    hosts = [topology["central"]] + [rel["branch"]["host"] for rel in topology["relationships"]]
    hostvars = dict((host, dict({"kea_ha_topology": topology, "kea_ha_api_password": "the-real-secret",
                                 "ansible_host": "192.0.2.%d" % index, "ntp_server": "192.0.2.250"},
                                **(extra or {}).get(host, {})))
                    for index, host in enumerate(hosts, 1))
    return {"_meta": {"hostvars": hostvars},
            "all": {"children": ["ungrouped", "kea"]},
            "kea": {"children": ["kea_central", "kea_branches"]},
            "kea_central": {"hosts": hosts[:1]},
            "kea_branches": {"hosts": hosts[1:]}}


def test_nested_groups_resolve_to_every_host():
    inventory = rehearse.parse_inventory(listed(hub(3)))
    assert inventory["groups"]["kea"] == ["dc", "site1", "site2", "site3"]
    assert inventory["groups"]["all"] == ["dc", "site1", "site2", "site3"]


def test_platforms_keep_the_inventory_names_and_sample_first_middle_last():
    base, _variables, _host_vars = rehearse.scenario(rehearse.parse_inventory(listed(hub(10))), "keadhcp-kea:2.6", "inv")
    assert [p["name"] for p in base["platforms"]] == ["dc"] + ["site%d" % n for n in range(1, 11)]
    assert [p["name"] for p in base["platforms"] if "kea_branches_sample" in p["groups"]] == ["site1", "site5", "site10"]
    assert base["platforms"][0]["groups"] == ["kea_central"]


def test_secrets_and_connection_settings_are_never_copied():
    extra = {"dc": {"kea_ha_control_tls": True, "kea_ha_tls_key": "-----BEGIN PRIVATE KEY-----",
                    "kea_ha_control_port": 8443}}
    _base, variables, host_vars = rehearse.scenario(rehearse.parse_inventory(listed(hub(2), extra)), "img", "inv")
    written = json.dumps([variables, host_vars])
    assert "the-real-secret" not in written and "PRIVATE KEY" not in written and "192.0.2." not in written
    assert variables["kea_ha_api_password"].startswith("rehearse-") and len(variables["kea_ha_api_password"]) >= 20
    assert host_vars == {"dc": {"kea_ha_control_port": 8443, "kea_ha_control_tls": False}}
    assert variables["kea_rehearse_without_tls"] == ["dc"]


def test_the_users_timers_are_kept_and_the_fast_ones_replace_them_everywhere():
    topology = hub(3, timers={"max-response-delay": 60000})
    _base, variables, _host_vars = rehearse.scenario(rehearse.parse_inventory(listed(topology)), "img", "inv")
    assert variables["kea_rehearse_topology"] == topology
    fast = variables["kea_rehearse_fast_topology"]
    assert fast["defaults"] == {"mode": "hot-standby", "heartbeat-delay": 1000, "max-response-delay": 3000,
                                "max-unacked-clients": 0}
    assert not [rel for rel in fast["relationships"] if "max-response-delay" in rel]
    assert "kea_rehearse_fast_topology if kea_rehearse_fast_timers" in variables["kea_ha_topology"]


def test_the_image_follows_each_hosts_kea_version():
    base, _variables, _host_vars = rehearse.scenario(
        rehearse.parse_inventory(listed(hub(2), {"site2": {"kea_ha_version": "3.0"}})), "keadhcp-kea:2.6", "inv")
    assert [p["image"] for p in base["platforms"]] == ["keadhcp-kea:2.6", "keadhcp-kea:2.6", "keadhcp-kea:3.0"]


def test_a_relayed_relationship_gets_its_router():
    topology = hub(2)
    topology["relationships"][1]["central"] = {"name": "dc-2", "url": "http://172.20.0.10:8002/",
                                               "relay-interfaces": ["wan0"]}
    base, _variables, _host_vars = rehearse.scenario(rehearse.parse_inventory(listed(topology)), "img", "inv")
    assert base["platforms"][-1] == {"name": "site2-relay", "image": "keadhcp-relay:trixie", "groups": ["kea_relays"]}


@pytest.mark.parametrize("change, message", [
    (lambda inv: [hv.pop("kea_ha_topology") for hv in inv["_meta"]["hostvars"].values()],
     "the inventory sets kea_ha_topology on no host"),
    (lambda inv: inv["_meta"]["hostvars"]["site2"].update(kea_ha_topology=hub(1)),
     "the inventory's hosts do not share one kea_ha_topology: one on dc, site1; one on site2"),
    (lambda inv: inv["_meta"]["hostvars"].pop("site2"),
     "the topology names host(s) the inventory does not have: site2"),
])
def test_what_cannot_be_rehearsed_is_named(change, message):
    inventory = listed(hub(2))
    change(inventory)
    with pytest.raises(rehearse.RehearsalError) as error:
        rehearse.scenario(rehearse.parse_inventory(inventory), "img", "inv")
    assert str(error.value) == message


@pytest.mark.parametrize("example", ["seed", "branches_v4", "wan_relay_v4"])
def test_the_bundled_examples_read_through_ansible_inventory(example, tmp_path):
    path = os.path.join(ROOT, "examples", example, "inventory.yml")
    base, variables = rehearse.write(str(tmp_path / "r"), rehearse.read_inventory(path), "keadhcp-kea:2.6", path)
    with open(os.path.join(ROOT, "examples", example, "group_vars", "all.yml")) as handle:
        wanted = yaml.safe_load(handle)["kea_ha_topology"]
    assert variables["kea_rehearse_topology"] == wanted
    with open(str(tmp_path / "r" / "group_vars" / "all.yml")) as handle:
        assert yaml.safe_load(handle)["kea_rehearse_topology"] == wanted
    mode = os.stat(str(tmp_path / "r" / "group_vars" / "all.yml")).st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO)
    assert base["provisioner"]["inventory"]["links"]["host_vars"] == str(tmp_path / "r" / "host_vars") + "/"


def test_a_missing_inventory_is_named(capsys):
    assert rehearse.main(["--inventory", "/nonexistent/inventory.yml", "--dir", "/nonexistent/never"]) == 2
    assert capsys.readouterr().err == "rehearse: inventory /nonexistent/inventory.yml: no such file or directory\n"


def test_the_plan_gives_each_relationship_its_failure_detection_with_keas_defaults():
    from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan
    from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology
    topology = hub(10, timers={"max-response-delay": 30000})
    topology["relationships"][9]["max-unacked-clients"] = 0
    relationships = plan(load_topology(topology))["hosts"]["dc"]["relationships"]
    assert relationships[0]["failure_detection"] == {"heartbeat-delay": 5000, "max-response-delay": 30000,
                                                     "max-ack-delay": 10000, "max-unacked-clients": 10}
    assert relationships[9]["failure_detection"]["max-unacked-clients"] == 0


@pytest.mark.parametrize("mode, unacked, crowd, seconds", [
    ("hot-standby", None, 11, 78), ("hot-standby", 0, 0, 40), ("hot-standby", 3, 4, 78),
    ("load-balancing", 1, 18, 78), ("load-balancing", None, 72, 78), ("passive-backup", 5, 0, 78),
], ids=["Kea's default", "no client limit", "three", "load-balancing, one", "load-balancing, Kea's default",
        "passive-backup"])
def test_the_plan_says_how_many_clients_and_seconds_a_takeover_needs(mode, unacked, crowd, seconds):
    from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan
    from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology
    # Kea runs several relationships only in hot-standby
    topology = hub(10 if mode == "hot-standby" else 1, timers={"max-response-delay": 30000})
    topology["defaults"]["mode"] = mode
    for rel in topology["relationships"]:
        rel["central"]["role"] = {"load-balancing": "secondary", "passive-backup": "backup"}.get(mode, "standby")
        if unacked is not None:
            rel["max-unacked-clients"] = unacked
    relationships = plan(load_topology(topology))["hosts"]["dc"]["relationships"]
    # 30 s max-response-delay and two 5 s heartbeats; when clients count, 10 s max-ack-delay, the 23 s a client
    # may wait between two queries and one more heartbeat (module_utils/_detection.py)
    assert [(rel["takeover_crowd"], rel["takeover_seconds"]) for rel in relationships] == \
        [(crowd, seconds)] * len(topology["relationships"])


def test_an_invalid_topology_is_refused_before_any_container_with_its_problems():
    topology = hub(2)
    topology["relationships"][1]["central"]["name"] = "dc-1"
    with pytest.raises(rehearse.RehearsalError) as error:
        rehearse.scenario(rehearse.parse_inventory(listed(topology)), "img", "inv")
    assert str(error.value).startswith("kea_ha_topology is invalid (1 problem):")
    assert "dc-1" in str(error.value)


# The report: one line per relationship, then every failure, the verdict last.
def _plan(branches=10, **extra):
    from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan
    from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology
    topology = hub(branches)
    topology["defaults"].update(extra)
    return plan(load_topology(topology))


def _report(plan, **kwargs):
    from ansible_collections.keadhcp.ha.plugins.filter.rehearse_report import rehearse_report
    return rehearse_report(plan, **kwargs)


STATES = dict(("dc-%d" % n, {"state": "hot-standby", "partner_state": "hot-standby"}) for n in range(1, 11))


def test_a_passed_rehearsal_reports_every_relationship_in_topology_order():
    lines = _report(_plan(), states=STATES, clients={"site1": {"address": "10.7.1.100"}, "site10": {"address": "10.7.10.100"}},
                    outage={"relationship": "dc-1", "takeover": "2.1", "recovery": "4.0", "crowd": 11, "leases_equal": True},
                    header="inventory.yml, timers as the topology gives them")
    assert len(lines) == 12
    assert lines[0] == "rehearse: 10 relationships, inventory.yml, timers as the topology gives them"
    assert lines[1] == ("rehearse: site1 (site1, primary) <-> dc (dc-1, standby), hot-standby: hot-standby/hot-standby; "
                        "client 10.7.1.100 from site1, held by the central; failover: takeover 2.1 s (11 clients asking, "
                        "max-unacked-clients), recovery 4.0 s, leases equal")
    assert lines[2].endswith("site2 (site2, primary) <-> dc (dc-2, standby), hot-standby: hot-standby/hot-standby; "
                             "no client (not in the sample); stayed hot-standby through the failover")
    assert lines[10].startswith("rehearse: site10 (site10, primary) <-> dc (dc-10, standby)")
    assert lines[-1] == "rehearse: passed"


def test_every_failure_is_listed_and_the_verdict_counts_them():
    lines = _report(_plan(3), states={"dc-1": {"state": "partner-down", "partner_state": "unavailable"}},
                    outage={"relationship": "dc-1", "takeover": "9.0"},
                    failures=["dc: relationship 3 (site3), peer dc-3: subnet 3 (10.7.3.0/24) carries\n  no ha-server-name", "",
                              "central: relationship dc-1 is partner-down"])
    assert lines[1].endswith(": unavailable/partner-down; no client (not in the sample); failover: takeover 9.0 s, no recovery")
    assert lines[2].endswith(": ?/?; no client (not in the sample); stayed hot-standby through the failover")
    assert lines[-3:] == ["rehearse: FAILED: dc: relationship 3 (site3), peer dc-3: subnet 3 (10.7.3.0/24) carries no ha-server-name",
                          "rehearse: FAILED: central: relationship dc-1 is partner-down",
                          "rehearse: failed (2 problems)"]


def test_a_relationship_without_automatic_failover_says_why_it_was_not_rehearsed():
    plan = _plan(1, mode="passive-backup")
    rel = plan["hosts"]["dc"]["relationships"][0]
    assert (rel["local"]["role"], rel["local"]["state"], rel["automatic_failover"]) == ("backup", "backup", False)
    lines = _report(plan, states={"dc-1": {"state": "backup"}}, clients={"site1": {"address": "10.7.1.100"}},
                    outage={"relationship": "dc-1", "skipped": "no failover: Kea's passive-backup mode has none"})
    assert lines == ["rehearse: 1 relationship",
                     "rehearse: site1 (site1, primary) <-> dc (dc-1, backup), passive-backup: -/backup; client 10.7.1.100 "
                     "from site1, held by the central; no failover: Kea's passive-backup mode has none",
                     "rehearse: passed"]
    assert _report(plan)[1].endswith("failover not rehearsed (an earlier step failed)")
