# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.filter.ha_lagging import ha_lagging
from ansible_collections.keadhcp.ha.plugins.filter.ha_probes import ha_probes
from ansible_collections.keadhcp.ha.plugins.filter.ha_states import ha_states
from ansible_collections.keadhcp.ha.plugins.filter.ha_tag_problems import ha_tag_problems
from ansible_collections.keadhcp.ha.plugins.filter.ha_status_report import ha_status_report

from topologies import TERMINATED, status_hub

TOPOLOGY = status_hub()


def _rel(name, state, partner_state="hot-standby"):
    return {"local": {"name": name, "role": "x", "state": state, "scopes": []},
            "remote": {"last_state": partner_state, "in_touch": True, "unacked_clients": 0}}


def test_all_in_hot_standby():
    report = ha_status_report(TOPOLOGY, {
        "hub": {"changed": False, "relationships": [_rel("s2", "hot-standby"), _rel("s4", "hot-standby")]},
        "b1": {"relationships": [_rel("s1", "hot-standby")]},
        "b2": {"relationships": [_rel("s3", "hot-standby")]},
    })
    assert report["problems"] == []
    assert report["table"] == [
        "#  branch host  central peer  central state  branch peer  branch state",
        "1  b1           s2            hot-standby    s1           hot-standby   ok",
        "2  b2           s4            hot-standby    s3           hot-standby   ok",
    ]


def test_problems_name_relationship_peer_and_host():
    report = ha_status_report(TOPOLOGY, {
        "hub": {"relationships": [_rel("s2", "partner-down"), _rel("s4", "hot-standby")]},
        "b1": {"failed": True, "msg": "cannot reach http://127.0.0.1:8000/: [Errno 111] Connection refused"},
        "b2": {"relationships": [_rel("s9", "hot-standby")]},
    }, expected=["hot-standby"])
    assert report["problems"] == [
        "relationship 1 (b1): central s2 on hub: state partner-down, expected hot-standby",
        "relationship 1 (b1): branch s1 on b1: cannot reach http://127.0.0.1:8000/: [Errno 111] Connection refused",
        "relationship 2 (b2): branch s3 on b2: the server runs no relationship named 's3'",
    ]
    assert [row["ok"] for row in report["rows"]] == [False, False]


def _clocked(rel, offset):
    rel["local"]["clock_offset"] = offset
    return rel


def test_kea_s_clocks_that_differ_past_30_s_are_a_problem_of_their_relationship():
    report = ha_status_report(TOPOLOGY, {
        "hub": {"relationships": [_clocked(_rel("s2", "hot-standby"), 1), _clocked(_rel("s4", "terminated"), 1)]},
        "b1": {"relationships": [_clocked(_rel("s1", "hot-standby"), 30)]},
        "b2": {"relationships": [_clocked(_rel("s3", "terminated"), 91)]},
    })
    assert report["problems"] == [
        "relationship 2 (b2): central s4 on hub: state terminated, expected hot-standby",
        "relationship 2 (b2): branch s3 on b2: state terminated, expected hot-standby",
        "relationship 2 (b2): the clocks of Kea's servers s4 on hub (central) and s3 on b2 (branch) differ by 90 s, "
        "the branch's ahead: " + TERMINATED,
    ]
    assert [row["central"]["clock_offset"] for row in report["rows"]] == [1, 1]


def test_expected_states_are_the_callers():
    reports = {"hub": {"relationships": [_rel("s2", "partner-down"), _rel("s4", "hot-standby")]},
               "b1": {"unreachable": True, "msg": "ssh: connect timed out"}, "b2": {"relationships": [_rel("s3", "hot-standby")]}}
    report = ha_status_report(TOPOLOGY, reports, expected=["hot-standby", "partner-down"])
    assert report["problems"] == ["relationship 1 (b1): branch s1 on b1: host unreachable: ssh: connect timed out"]


def test_probes_say_why_an_end_is_stuck():
    reports = {"hub": {"relationships": [_rel("s2", "hot-standby"), _rel("s4", "waiting")]},
               "b1": {"relationships": [_rel("s1", "hot-standby")]}, "b2": {"relationships": [_rel("s3", "waiting")]}}
    probes = {"hub": {"s4": "s4 -> s3 at https://10.2.0.2:8001/: certificate verify failed"},
              # an end in an expected state keeps its probe out of the report
              "b1": {"s1": "not shown"}}
    report = ha_status_report(TOPOLOGY, reports, probes=probes)
    assert report["problems"] == [
        "relationship 2 (b2): central s4 on hub: state waiting, expected hot-standby; "
        "s4 -> s3 at https://10.2.0.2:8001/: certificate verify failed",
        "relationship 2 (b2): branch s3 on b2: state waiting, expected hot-standby",
    ]


def test_probes_must_be_a_mapping():
    with pytest.raises(AnsibleFilterError, match="probes must map hostnames to {peer name: message}"):
        ha_status_report(TOPOLOGY, {}, probes=["hub"])


def test_probe_texts_from_a_loop_of_heartbeats():
    from ansible_collections.keadhcp.ha.plugins.module_utils._status import probe_texts

    def item(name, partner):
        return {"local": {"name": name}, "partner": {"name": partner, "url": "https://10.0.0.2:8001/"}}

    results = [
        {"item": item("c-b1", "b1"), "result": 0, "arguments": {"state": "partner-down"}},
        {"item": item("c-b2", "b2"), "failed": True, "msg": "cannot reach https://10.0.0.2:8001/: [SSL] refused"},
        {"item": item("c-b3", "b3"), "skipped": True},
        {"msg": "no item"},
    ]
    assert probe_texts(results) == {
        "c-b1": "c-b1 -> b1 at https://10.0.0.2:8001/: the partner answers, in state partner-down",
        "c-b2": "c-b2 -> b2 at https://10.0.0.2:8001/: cannot reach https://10.0.0.2:8001/: [SSL] refused",
    }
    assert probe_texts(None) == {}


# One server's status, read three ways: kea_ha_status's result, its list, and status-get's answer.
def _seen(name, state, partner, partner_state):
    return {"mode": "hot-standby", "local": {"name": name, "role": "standby", "state": state, "scopes": []},
            "remote": {"name": partner, "role": "primary", "last_state": partner_state, "in_touch": True,
                       "communication_interrupted": state == "partner-down"}}


CENTRAL = [_seen("c1", "partner-down", "b1", "unavailable"), _seen("c2", "hot-standby", "b2", "hot-standby")]
STATUS_GET = {"arguments": {"high-availability": [
    {"ha-mode": "hot-standby", "ha-servers": {
        "local": {"server-name": "c1", "role": "standby", "state": "partner-down"},
        "remote": {"server-name": "b1", "role": "primary", "last-state": "unavailable", "in-touch": True,
                   "communication-interrupted": True}}},
    {"ha-mode": "hot-standby", "ha-servers": {
        "local": {"server-name": "c2", "role": "standby", "state": "hot-standby"},
        "remote": {"server-name": "b2", "role": "primary", "last-state": "hot-standby", "in-touch": True,
                   "communication-interrupted": False}}}]}}


@pytest.mark.parametrize("read", [{"changed": False, "relationships": CENTRAL}, CENTRAL, STATUS_GET],
                         ids=["kea_ha_status", "its list", "status-get"])
def test_states_by_peer_name_whichever_way_read(read):
    assert ha_states(read) == {
        "c1": {"state": "partner-down", "role": "standby", "partner": "b1", "partner_state": "unavailable",
               "in_touch": True, "communication_interrupted": True},
        "c2": {"state": "hot-standby", "role": "standby", "partner": "b2", "partner_state": "hot-standby",
               "in_touch": True, "communication_interrupted": False}}


@pytest.mark.parametrize("read", [{"failed": True, "msg": "cannot reach"}, None, "down"])
def test_an_unread_status_has_no_states(read):
    assert ha_states(read) == {}


@pytest.mark.parametrize("args, kwargs, expected", [
    ((), {}, ["relationship c1 is partner-down, its partner b1 unavailable"]),
    ((["hot-standby", "partner-down"],), {}, ["relationship c1 is partner-down, its partner b1 unavailable"]),
    ((["hot-standby", "partner-down"],), {"both_ends": False}, []),
    ((), {"names": ["c2"]}, []),
    ((), {"names": ["c2", "c9"]}, ["relationship c9 is not running (it runs c1, c2)"]),
    ((["in-maintenance"],), {"names": ["c1"], "both_ends": False}, ["relationship c1 is partner-down, its partner b1 unavailable"]),
])
def test_lagging_relationships_one_message_each(args, kwargs, expected):
    for read in ({"relationships": CENTRAL}, STATUS_GET):
        assert ha_lagging(read, *args, **kwargs) == expected


def test_an_unread_status_lags_with_the_reason():
    assert ha_lagging({"failed": True, "msg": "cannot reach http://127.0.0.1:8000/"}) == [
        "no status was read: cannot reach http://127.0.0.1:8000/"]
    assert ha_lagging(None) == ["no status was read: no answer"]
    assert ha_lagging({"relationships": []}) == []


SLICE = {"host": "hub", "relationships": [{"index": 1, "local": {"name": "c1"}}, {"index": 2, "local": {"name": "c2"}},
                                          {"index": 3, "local": {"name": "c3"}}]}


@pytest.mark.parametrize("expected, probed", [
    (["hot-standby"], [1, 3]),
    (["hot-standby", "partner-down"], [3]),
])
def test_probes_are_the_planned_relationships_not_as_expected(expected, probed):
    """c3 is planned but not running: its partner is contacted too."""
    assert [rel["index"] for rel in ha_probes(SLICE, {"relationships": CENTRAL}, expected)] == probed


def test_nothing_is_probed_from_a_server_that_was_not_read():
    assert ha_probes(SLICE, {"failed": True, "msg": "cannot reach"}) == []
    assert ha_probes(None, {"relationships": CENTRAL}) == []


def _slice(*rels):
    """A plan slice's relationships, as _plan.host_plan writes them (heartbeats: not in passive-backup)."""
    return {"relationships": [{"mode": mode, "heartbeats": mode != "passive-backup", "local": {"name": name, "state": own},
                               "partner": {"state": partner}} for mode, name, own, partner in rels]}


LB = [{"mode": "load-balancing", "local": {"name": "s2", "role": "secondary", "state": "load-balancing"},
       "remote": {"name": "s1", "role": "primary", "last_state": "load-balancing"}}]
BACKUP = [{"mode": "passive-backup", "local": {"name": "s2", "role": "backup", "state": "backup"}, "remote": {}}]


@pytest.mark.parametrize("read, plan, expected", [
    (LB, _slice(("load-balancing", "s2", "load-balancing", "load-balancing")), []),
    (LB, _slice(("hot-standby", "s2", "hot-standby", "hot-standby")),
     ["relationship s2 is load-balancing, its partner s1 load-balancing (wanted hot-standby/hot-standby)"]),
    # passive-backup: no heartbeats, so no partner's state to read
    (BACKUP, _slice(("passive-backup", "s2", "backup", "passive-backup")), []),
    (BACKUP, _slice(("passive-backup", "s2", "passive-backup", "passive-backup")),
     ["relationship s2 is backup (wanted passive-backup)"]),
    (CENTRAL, _slice(("hot-standby", "c2", "hot-standby", "hot-standby"), ("hot-standby", "c3", "hot-standby", "hot-standby")),
     ["relationship c3 is not running (it runs c1, c2)"]),
], ids=["load-balancing", "load-balancing, hot-standby planned", "backup", "backup, primary planned", "planned names only"])
def test_lagging_against_the_plan_s_states_per_mode(read, plan, expected):
    assert ha_lagging({"relationships": read}, plan=plan) == expected


def _hub(branches=10):
    """A hub of ``branches`` relationships (10 or more: ids and names past 9), its plan and rendered configs."""
    from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan as make_plan
    from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology

    model = load_topology({"central": "hub", "relationships": [
        {"branch": {"host": "b%d" % n, "name": "s%d" % n, "url": "http://10.%d.0.2:8001/" % n, "interface": "lan%d" % n},
         "central": {"name": "hub-b%d" % n, "url": "http://10.%d.0.3:%d/" % (n, 8000 + n), "interface": "lan%d" % n},
         "subnets": [{"id": n * 10, "subnet": "10.%d.0.0/24" % n}]} for n in range(1, branches + 1)]})
    return make_plan(model)["hosts"], model.configs()


def test_every_subnet_rendered_is_tagged_as_planned():
    hosts, configs = _hub()
    for host, config in configs.items():
        assert ha_tag_problems({"result": 0, "arguments": config}, plan=hosts[host]) == []


def test_a_subnet_untagged_on_the_running_central_names_its_relationship():
    hosts, configs = _hub()
    central = configs["hub"]
    del central["Dhcp4"]["subnet4"][9]["user-context"]["ha-server-name"]
    central["Dhcp4"]["subnet4"][1]["user-context"]["ha-server-name"] = "hub-b3"
    del central["Dhcp4"]["subnet4"][4]
    assert ha_tag_problems({"arguments": central}, plan=hosts["hub"]) == [
        "hub: relationship 2 (b2), peer hub-b2: subnet 20 (10.2.0.0/24) carries ha-server-name 'hub-b3' on the "
        "running server, wanted 'hub-b2'",
        "hub: relationship 5 (b5), peer hub-b5: subnet 50 is not in the running configuration",
        "hub: relationship 10 (b10), peer hub-b10: subnet 100 (10.10.0.0/24) carries no ha-server-name on the running "
        "server, so Kea drops its clients' traffic in this relationship",
    ]


def test_a_shared_network_s_tag_is_inherited_and_a_subnet_s_own_wins():
    hosts, configs = _hub(2)
    body = configs["hub"]["Dhcp4"]
    first, second = body.pop("subnet4")
    del first["user-context"]
    second["user-context"]["ha-server-name"] = "hub-b1"
    body["shared-networks"] = [{"name": "lan", "user-context": {"ha-server-name": "hub-b1"}, "subnet4": [first, second]}]
    assert ha_tag_problems(configs["hub"], plan=hosts["hub"]) == [
        "hub: relationship 2 (b2), peer hub-b2: subnet 20 (10.2.0.0/24) carries ha-server-name 'hub-b1' on the "
        "running server, wanted 'hub-b2'"]


def test_an_unread_configuration_is_one_message():
    hosts, _configs = _hub(1)
    assert ha_tag_problems({"failed": True, "msg": "cannot reach http://127.0.0.1:8000/"}, plan=hosts["hub"]) == [
        "hub: no running configuration was read: cannot reach http://127.0.0.1:8000/"]


# The two ends' leases, compared per relationship (kea_ha_status leases=4, then the report).
READ_AT = 2000000.0


def _lease(address, mac, subnet, cltt=READ_AT - 600):
    return {"ip-address": address, "hw-address": mac, "subnet-id": subnet, "cltt": cltt, "valid-lft": 3600, "state": 0}


def _with_leases(relationships, leases):
    return {"relationships": relationships, "leases": leases, "read_at": READ_AT}


def _diverged_hub():
    """b2's subnet (id 2): 10.2.0.7 leased to two clients, 10.2.0.9 only on the central; b1's the same on both."""
    central = [_lease("10.1.0.10", "02:01:00:00:00:01", 1), _lease("10.2.0.7", "02:02:00:00:00:07", 2),
               _lease("10.2.0.9", "02:02:00:00:00:09", 2)]
    return {
        "hub": _with_leases([_rel("s2", "hot-standby"), _rel("s4", "hot-standby")], central),
        "b1": _with_leases([_rel("s1", "hot-standby")], [_lease("10.1.0.10", "02:01:00:00:00:01", 1)]),
        "b2": _with_leases([_rel("s3", "hot-standby")], [_lease("10.2.0.7", "02:02:00:00:00:77", 2)]),
    }


def test_leases_that_differ_between_the_ends_are_a_problem_of_their_relationship():
    report = ha_status_report(TOPOLOGY, _diverged_hub())
    assert report["problems"] == [
        "relationship 2 (b2): the two ends' leases differ: 1 address leased to different clients by the two ends, "
        "1 held only by the central (10.2.0.7: branch 02:02:00:00:00:77, central 02:02:00:00:00:07; 10.2.0.9: only on "
        "the central); Kea does not mend this by itself: docs/operations.md, 'Leases that differ between the two ends'"]
    assert [row["leases"]["conflicts"] if row["leases"] else None for row in report["rows"]] == [0, 1]
    assert report["table"][2].endswith("PROBLEM")


def test_leases_are_not_compared_while_one_end_covers_for_the_other():
    reports = _diverged_hub()
    reports["hub"]["relationships"][1] = _rel("s4", "partner-down")
    report = ha_status_report(TOPOLOGY, reports, expected=["hot-standby", "partner-down"])
    assert report["problems"] == []
    assert report["rows"][1]["leases"] is None


def test_the_metrics_count_each_relationship_s_conflicts_and_one_sided_leases():
    from ansible_collections.keadhcp.ha.plugins.module_utils._metrics import exposition
    text = exposition(ha_status_report(TOPOLOGY, _diverged_hub())["rows"])
    assert 'kea_ha_lease_conflicts{relationship="2",central="s4",branch="s3"} 1' in text.splitlines()
    assert 'kea_ha_leases_one_sided{relationship="2",central="s4",branch="s3",holder="central"} 1' in text.splitlines()
    assert 'kea_ha_leases_one_sided{relationship="1",central="s2",branch="s1",holder="branch"} 0' in text.splitlines()
