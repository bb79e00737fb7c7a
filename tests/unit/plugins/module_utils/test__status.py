# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.filter.ha_lagging import ha_lagging
from ansible_collections.keadhcp.ha.plugins.filter.ha_probes import ha_probes
from ansible_collections.keadhcp.ha.plugins.filter.ha_states import ha_states
from ansible_collections.keadhcp.ha.plugins.filter.ha_status_report import ha_status_report

from topologies import status_hub

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
