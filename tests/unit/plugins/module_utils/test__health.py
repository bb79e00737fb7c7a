# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HA health judgement, its time bound and its wait, with fake probes and a fake clock."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._health import (
    assess, is_unreachable, relationships_of, time_bound, wait_healthy)

from topologies import TERMINATED


def _rel(me, partner, my_url, partner_url, **params):
    rel = {"this-server-name": me, "mode": "hot-standby", "peers": [
        {"name": partner, "role": "primary", "url": partner_url},
        {"name": me, "role": "standby", "url": my_url}]}
    rel.update(params)
    return rel


CENTRAL = {"Dhcp4": {"hooks-libraries": [
    {"library": "libdhcp_lease_cmds.so"},
    {"library": "libdhcp_ha.so", "parameters": {"high-availability": [
        _rel("central-branch1", "branch1", "http://10.81.1.3:8001/", "http://10.81.1.2:8001/",
             **{"heartbeat-delay": 1000, "max-response-delay": 3000}),
        _rel("central-branch2", "branch2", "http://10.81.2.3:8001/", "http://10.81.2.2:8001/"),
    ]}}]}}


def _status(**states):
    return [{"local": {"name": name.replace("_", "-"), "state": state}} for name, state in states.items()]


class Listeners(object):
    """Fake heartbeats: url -> (True, state or Kea's arguments) or (False, reason); records what was asked."""

    def __init__(self, **by_url):
        self.by_url = by_url
        self.asked = []

    def __call__(self, endpoint, server_name):
        self.asked.append((endpoint["url"], server_name))
        answered, what = self.by_url.get(endpoint["url"], (False, "cannot reach %s: [Errno 111] Connection refused"
                                                           % endpoint["url"]))
        return answered, ({"state": what} if answered and isinstance(what, str) else what)


UP = {"http://10.81.1.3:8001/": (True, "hot-standby"), "http://10.81.2.3:8001/": (True, "hot-standby")}


def test_relationships_of_a_central():
    rels = relationships_of(CENTRAL)
    assert [(r["local"]["name"], r["partner"]["name"], r["normal"]) for r in rels] == [
        ("central-branch1", "branch1", "hot-standby"), ("central-branch2", "branch2", "hot-standby")]
    assert rels[0]["timers"] == {"heartbeat-delay": 1000, "max-response-delay": 3000, "sync-timeout": 60000}
    assert rels[1]["timers"] == {"heartbeat-delay": 10000, "max-response-delay": 60000, "sync-timeout": 60000}


def test_relationships_of_takes_the_peer_tls_files_before_the_relationship_ones():
    rel = _rel("b1", "c1", "https://10.0.0.2:8001/", "https://10.0.0.3:8001/",
               **{"trust-anchor": "/tls/ca.pem", "cert-file": "/tls/cert.pem", "key-file": "/tls/key.pem"})
    rel["peers"][0].update({"cert-file": "/tls/partner-cert.pem", "basic-auth-user": "hauser",
                            "basic-auth-password-file": "/etc/kea/ha-pw"})
    found = relationships_of({"Dhcp6": {"hooks-libraries": [{"parameters": {"high-availability": [rel]}}]}})[0]
    assert found["local"]["tls"] == {"ca_path": "/tls/ca.pem", "client_cert": "/tls/cert.pem",
                                     "client_key": "/tls/key.pem"}
    assert found["partner"]["tls"]["client_cert"] == "/tls/partner-cert.pem"
    assert (found["partner"]["user"], found["partner"]["password_file"]) == ("hauser", "/etc/kea/ha-pw")


@pytest.mark.parametrize("mode, role, normal, has_partner", [
    ("hot-standby", "standby", "hot-standby", True),
    ("load-balancing", "secondary", "load-balancing", True),
    ("passive-backup", "primary", "passive-backup", False),
    ("hot-standby", "backup", "backup", False),
])
def test_normal_state_per_mode_and_role(mode, role, normal, has_partner):
    rel = {"this-server-name": "me", "mode": mode, "peers": [
        {"name": "me", "role": role, "url": "http://10.0.0.2:8001/"},
        {"name": "other", "role": "primary" if role != "primary" else "backup", "url": "http://10.0.0.3:8001/"}]}
    found = relationships_of({"Dhcp4": {"hooks-libraries": [{"parameters": {"high-availability": [rel]}}]}})[0]
    assert (found["normal"], found["partner"] is not None) == (normal, has_partner)


def test_relationships_of_refuses_a_relationship_without_this_server():
    rel = _rel("nobody", "b1", "http://10.0.0.3:8001/", "http://10.0.0.2:8001/")
    rel["this-server-name"] = "ghost"
    with pytest.raises(ValueError, match="relationship 'ghost' names no peer 'ghost'"):
        relationships_of({"Dhcp4": {"hooks-libraries": [{"parameters": {"high-availability": [rel]}}]}})


def test_time_bound_from_the_slowest_relationship():
    # central-branch2 has Kea's defaults: 3 x 10 s + max(60 s, 60 s) + 10 s
    assert time_bound(relationships_of(CENTRAL)) == 100
    # only the short timers: 3 x 1 s + max(3 s, 60 s sync-timeout) + 10 s
    assert time_bound(relationships_of(CENTRAL)[:1]) == 73
    assert time_bound([]) == 10


@pytest.mark.parametrize("reason, unreachable", [
    ("cannot reach http://10.81.1.2:8001/: [Errno 111] Connection refused", True),
    ("http://10.81.1.2:8001/ did not answer within 5 s", True),
    ("cannot reach http://10.81.1.2:8001/: timed out", True),
    ("cannot reach http://10.81.1.2:8001/: [Errno 113] No route to host", True),
    ("cannot reach https://10.82.2.2:8001/: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", False),
    ("http://10.81.1.2:8001/ refused the credentials (HTTP 401)", False),
    ("http://10.81.1.2:8001/ answered HTTP 500", False),
])
def test_is_unreachable(reason, unreachable):
    assert is_unreachable(reason) is unreachable


# (local states, listeners that answer, expected problems); the partners
# 10.81.x.2 answer only where listed.
CASES = [
    ("all healthy",
     dict(central_branch1="hot-standby", central_branch2="hot-standby"), UP, []),
    ("listeners closed after config-set (Kea 3.0.3)",
     dict(central_branch1="partner-down", central_branch2="partner-down"), {},
     ["relationship central-branch1/branch1: HA listener http://10.81.1.3:8001/ not open after config-set "
      "(cannot reach http://10.81.1.3:8001/: [Errno 111] Connection refused)",
      "relationship central-branch2/branch2: HA listener http://10.81.2.3:8001/ not open after config-set "
      "(cannot reach http://10.81.2.3:8001/: [Errno 111] Connection refused)"]),
    ("partner really down: partner-down and waiting are right",
     dict(central_branch1="partner-down", central_branch2="waiting"), UP, []),
    ("partner up, still syncing",
     dict(central_branch1="syncing", central_branch2="hot-standby"),
     dict(UP, **{"http://10.81.1.2:8001/": (True, "waiting")}),
     ["relationship central-branch1/branch1: state syncing after config-set, wanted hot-standby: "
      "the partner answers at http://10.81.1.2:8001/, in state waiting"]),
    ("partner refuses our certificate: not down, a split brain",
     dict(central_branch1="partner-down", central_branch2="hot-standby"),
     dict(UP, **{"http://10.81.1.2:8001/": (False, "cannot reach https://10.81.1.2:8001/: [SSL: "
                                                   "CERTIFICATE_VERIFY_FAILED] certificate verify failed")}),
     ["relationship central-branch1/branch1: state partner-down after config-set, wanted hot-standby: the partner "
      "at http://10.81.1.2:8001/ refuses this server (cannot reach https://10.81.1.2:8001/: [SSL: "
      "CERTIFICATE_VERIFY_FAILED] certificate verify failed)"]),
    ("terminated is never right",
     dict(central_branch1="terminated", central_branch2="hot-standby"), UP,
     ["relationship central-branch1/branch1: state terminated after config-set, wanted hot-standby, or "
      "partner-down while the partner at http://10.81.1.2:8001/ is down (cannot reach http://10.81.1.2:8001/: "
      "[Errno 111] Connection refused)"]),
    ("terminated with the partner's clock 90 s ahead: the skew is said",
     dict(central_branch1="terminated", central_branch2="hot-standby"),
     dict(UP, **{"http://10.81.1.3:8001/": (True, {"state": "terminated", "date-time": "Mon, 07 Dec 2026 12:00:00 GMT"}),
                 "http://10.81.1.2:8001/": (True, {"state": "terminated", "date-time": "Mon, 07 Dec 2026 12:01:30 GMT"})}),
     ["relationship central-branch1/branch1: state terminated after config-set, wanted hot-standby: the partner "
      "answers at http://10.81.1.2:8001/, in state terminated",
      "relationship central-branch1/branch1: the clocks of this server and its partner differ by 90 s, the partner's "
      "ahead: " + TERMINATED]),
    ("a relationship the server does not run",
     dict(central_branch1="hot-standby"), UP,
     ["relationship central-branch2/branch2: the server runs no relationship named 'central-branch2'"]),
]


@pytest.mark.parametrize("states, listeners, problems", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_assess(states, listeners, problems):
    rows, found = assess(relationships_of(CENTRAL), _status(**states), Listeners(**listeners), "config-set")
    assert found == problems
    assert [row["healthy"] for row in rows] == [not any(p.startswith("relationship %s/" % row["local"]) for p in problems)
                                                for row in rows]


def test_assess_asks_the_partner_only_when_the_state_is_not_the_normal_one():
    listeners = Listeners(**UP)
    assess(relationships_of(CENTRAL), _status(central_branch1="hot-standby", central_branch2="partner-down"),
           listeners)
    assert listeners.asked == [("http://10.81.1.3:8001/", "central-branch1"),
                               ("http://10.81.2.3:8001/", "central-branch2"),
                               ("http://10.81.2.2:8001/", "branch2")]


class Clock(object):
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_wait_returns_at_the_first_healthy_look():
    clock = Clock()
    looks = iter([([], ["still waiting"]), ([], ["still syncing"]), (["row"], [])])
    rows, problems, waited = wait_healthy(lambda: next(looks), clock, clock.sleep, timeout=60, delay=2)
    assert (rows, problems, waited, clock.slept) == (["row"], [], 4.0, [2, 2])


def test_wait_gives_up_at_the_bound_with_the_last_problems():
    clock = Clock()

    def look():
        return [], ["listener closed at %d" % clock.now]

    rows, problems, waited = wait_healthy(look, clock, clock.sleep, timeout=5, delay=2)
    assert (problems, waited, clock.slept) == (["listener closed at 1006"], 6.0, [2, 2, 2])


def test_wait_retries_a_server_that_cannot_be_read():
    clock = Clock()
    looks = iter([LookupError("cannot read the HA status: connection refused"), (["row"], [])])

    def look():
        item = next(looks)
        if isinstance(item, Exception):
            raise item
        return item

    assert wait_healthy(look, clock, clock.sleep, timeout=60, delay=1) == (["row"], [], 1.0)


def test_wait_gives_up_on_a_server_that_never_answers():
    clock = Clock()

    def look():
        raise LookupError("cannot read the HA status: gone")

    assert wait_healthy(look, clock, clock.sleep, timeout=1, delay=1) == ([], ["cannot read the HA status: gone"], 1.0)


def test_assess_tells_a_closed_listener_from_one_that_refuses():
    listeners = Listeners(**{"http://10.81.1.3:8001/": (False, "cannot reach https://10.81.1.3:8001/: [SSL: "
                                                               "CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
                             "http://10.81.2.3:8001/": (True, "hot-standby")})
    _rows, problems = assess(relationships_of(CENTRAL), _status(central_branch1="hot-standby",
                                                                central_branch2="hot-standby"), listeners, "restart")
    assert problems == ["relationship central-branch1/branch1: HA listener http://10.81.1.3:8001/ refuses a partner's "
                        "heartbeat after restart (cannot reach https://10.81.1.3:8001/: [SSL: CERTIFICATE_VERIFY_FAILED] "
                        "certificate verify failed)"]
