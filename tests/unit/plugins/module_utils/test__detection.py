# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Failure detection: when the central counts, how long a takeover takes, and what the plan warns of, as tables."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils import _detection as detection
from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology


def hub(branches=10, relayed=False, **defaults):
    """A hub of ``branches`` hot-standby relationships, the central on each LAN (or relayed to on wan0)."""
    relationships = []
    for number in range(1, branches + 1):
        central = {"name": "dc-for-b%d" % number, "url": "http://10.9.%d.3:8001/" % number}
        central.update({"relay-interfaces": ["wan0"]} if relayed else {"interface": "lan%d" % number})
        relationships.append({
            "branch": {"host": "b%d" % number, "name": "b%d" % number, "url": "http://10.9.%d.2:8001/" % number,
                       "interface": "lan%d" % number},
            "central": central,
            "subnets": [{"id": number, "subnet": "10.9.%d.0/24" % number,
                         "pools": [{"pool": "10.9.%d.100 - 10.9.%d.199" % (number, number)}]}
                        if not relayed else
                        {"id": number, "subnet": "10.9.%d.0/24" % number, "relay": {"ip-addresses": ["10.9.%d.1" % number]},
                         "pools": [{"pool": "10.9.%d.100 - 10.9.%d.199" % (number, number)}]}],
        })
    return {"central": "dc", "family": 4, "defaults": dict({"mode": "hot-standby"}, **defaults),
            "relationships": relationships}


@pytest.mark.parametrize("timers, counting, busy, quiet, first", [
    # Kea's defaults: counting starts 80 s after the failure, past a dhclient attempt (60 s): its next one,
    # up to 450 s later, is counted
    ({}, 80, 80 + 10 + 23 + 10, 60 + 450 + 10 + 23 + 10, False),
    # the collection's recommendation: counted within the first attempt, once a client has asked for 32 s
    (detection.RECOMMENDED_DETECTION, 10, 10 + 32 + 23 + 2, 32 + 23 + 2, True),
    # no client limit: the takeover needs no client at all
    ({"heartbeat-delay": 1000, "max-response-delay": 3000, "max-unacked-clients": 0}, 5, 5, 5, True),
    # the scenarios' short timers with one client limit
    ({"heartbeat-delay": 1000, "max-response-delay": 3000, "max-ack-delay": 2000, "max-unacked-clients": 1},
     5, 5 + 2 + 23 + 1, 5 + 23 + 1, True),
    # a client asks longer than max-ack-delay only after 50 s: no attempt is sure to count
    ({"max-ack-delay": 50000}, 80, 80 + 50 + 23 + 10, None, False),
], ids=["Kea's defaults", "recommended", "no client limit", "short timers", "long max-ack-delay"])
def test_when_a_takeover_happens(timers, counting, busy, quiet, first):
    rel = load_topology(hub(1, **timers)).relationships[0]
    assert detection.counting_starts(detection.failure_detection(rel)) == counting
    assert detection.takeover_seconds(rel) == busy
    assert detection.takeover_seconds_quiet(rel) == quiet
    assert detection.first_attempt_counted(rel) is first


def test_the_recommended_detection_warns_of_nothing_at_ten_branches():
    assert plan(load_topology(hub(10, **detection.RECOMMENDED_DETECTION)))["warnings"] == []


RECOMMENDED = ("recommended: heartbeat-delay 2000, max-response-delay 6000, max-ack-delay 32000 and "
               "max-unacked-clients 3; ")


def test_no_client_limit_is_a_split_brain_warned_of_once_naming_every_relationship():
    warnings = plan(load_topology(hub(12, **{"max-unacked-clients": 0})))["warnings"]
    assert warnings == [
        "relationships " + ", ".join("%d (b%d)" % (number, number) for number in range(1, 13)) + ": "
        "max-unacked-clients 0 lets the central take over as soon as the branch's heartbeats stop, although it hears "
        "the branch's clients (on the branch's LAN): a cut of the link between them while the branch still serves is "
        "a split brain, both ends leasing the same pools on their own and handing addresses to two clients. Set "
        "max-unacked-clients above 0, so that the central takes over only once the branch's clients go unanswered "
        "(" + RECOMMENDED + "docs/topology.md, 'Failure detection')."]


def test_a_max_ack_delay_shorter_than_a_cut_s_stall_is_a_split_brain_too():
    timers = dict(detection.RECOMMENDED_DETECTION)
    timers["max-ack-delay"] = 30000
    warnings = plan(load_topology(hub(10, **timers)))["warnings"]
    assert warnings == [
        "relationships " + ", ".join("%d (b%d)" % (number, number) for number in range(1, 11)) + ": "
        "a cut of the link to the central keeps the branch from answering its clients for up to 8 s "
        "(max-response-delay + heartbeat-delay: Kea's primary answers only once a lease update reached its partner, "
        "until it declares the partner down), and its clients ask again up to 31 s after that, longer than "
        "max-ack-delay 30000 ms: the central, which hears them (on the branch's LAN), counts them as unanswered and "
        "takes over while the branch serves again, a split brain. Shorten max-response-delay and keep max-ack-delay "
        "above max-response-delay + heartbeat-delay + 23 s (" + RECOMMENDED + "docs/topology.md, "
        "'Failure detection')."]


def test_one_relationship_without_a_client_limit_is_named_alone():
    topology = hub(10, **detection.RECOMMENDED_DETECTION)
    topology["relationships"][9]["max-unacked-clients"] = 0
    warnings = plan(load_topology(topology))["warnings"]
    assert len(warnings) == 1
    assert warnings[0].startswith("relationship 10 (b10): max-unacked-clients 0 lets the central take over")


def test_a_relayed_central_hears_the_clients_through_relays():
    warnings = plan(load_topology(hub(2, relayed=True, **{"max-unacked-clients": 0})))["warnings"]
    assert warnings[0].startswith("relationships 1 (b1), 2 (b2): ")
    assert "although it hears the branch's clients (through relays): " in warnings[0]


def test_one_relationship_of_ten_with_kea_s_default_timers_is_warned_of_twice():
    topology = hub(10)
    for rel in topology["relationships"]:
        if rel["branch"]["host"] != "b7":
            rel.update(detection.RECOMMENDED_DETECTION)
    warnings = plan(load_topology(topology))["warnings"]
    assert [text[:len("relationship 7 (b7): a cut")] for text in warnings] == [
        "relationship 7 (b7): a cut", "relationship 7 (b7): the c"]
    assert warnings[1] == (
        "relationship 7 (b7): the central counts the branch's unanswered clients only from 80 s after the branch fails "
        "(max-response-delay 60000 + 2 x heartbeat-delay 10000 ms) and only those asking for over max-ack-delay "
        "10000 ms, while a client that began asking then gives up after 60 s (dhclient; then it pauses up to 450 s): "
        "on a quiet branch the takeover can take 553 s (" + RECOMMENDED + "docs/sizing.md, "
        "'How long a takeover takes').")


def test_a_max_ack_delay_no_client_attempt_outlasts_is_warned_of():
    warnings = plan(load_topology(hub(1, **{"max-ack-delay": 50000})))["warnings"]
    assert "on a quiet branch such clients may never be counted, and the central may never take over " in warnings[-1]


def test_passive_backup_has_no_automatic_failover_and_no_warning():
    topology = hub(1, **{"max-unacked-clients": 0})
    topology["defaults"]["mode"] = "passive-backup"
    topology["relationships"][0]["central"]["role"] = "backup"
    assert plan(load_topology(topology))["warnings"] == []


def test_a_dual_stack_plan_names_the_server_of_each_warning():
    topology = hub(2, **{"max-unacked-clients": 0})
    topology["family"] = "dual"
    for number, rel in enumerate(topology["relationships"], 1):
        rel["subnets"].append({"id": 600 + number, "subnet": "fd00:%d::/64" % number,
                               "pools": [{"pool": "fd00:%d::100-fd00:%d::1ff" % (number, number)}]})
        for side, last in (("branch", 2), ("central", 3)):
            rel[side]["url"] = {"dhcp4": rel[side]["url"], "dhcp6": "http://[fd00:%d::%d]:8001/" % (number, last)}
    warnings = plan(load_topology(topology))["warnings"]
    assert [text.split(":")[0] for text in warnings] == ["DHCPv4 relationships 1 (b1), 2 (b2)",
                                                         "DHCPv6 relationships 1 (b1), 2 (b2)"]
