# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modules' own logic: what is sent, what is reported, with a fake Kea."""

import contextlib
import json
from unittest import mock

import pytest
from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:
    # ansible-core before 2.19 has no such helper: AnsibleModule reads its
    # arguments from basic._ANSIBLE_ARGS, JSON under ANSIBLE_MODULE_ARGS.
    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()):
            yield

from ansible_collections.keadhcp.ha.plugins.module_utils._health import check_server
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import Connection, KeaError
from ansible_collections.keadhcp.ha.plugins.modules import kea_command, kea_config, kea_ha_status


class FakeKea(object):
    """Answers each command from a table; records what was sent."""

    def __init__(self, answers):
        self.answers = answers
        self.sent = []

    def __call__(self, url, data, headers, timeout, tls):
        request = json.loads(data)
        self.sent.append(request["command"])
        answer = self.answers[request["command"]]
        if callable(answer):
            answer = answer(request)
        return 200, json.dumps([answer]).encode()


def run(module, monkeypatch, fake, check_mode=False, **args):
    args.setdefault("url", "http://127.0.0.1:8000/")
    if check_mode:
        args["_ansible_check_mode"] = True
    monkeypatch.setattr(module, "connection_from", lambda params: Connection(url=params["url"], opener=fake))
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()


def result(capsys):
    return json.loads(capsys.readouterr().out)


def test_read_only_command_never_changes(monkeypatch, capsys):
    fake = FakeKea({"status-get": {"result": 0, "arguments": {"pid": 1}}})
    run(kea_command, monkeypatch, fake, command="status-get")
    out = result(capsys)
    assert (out["changed"], out["sent"], out["arguments"]) == (False, True, {"pid": 1})


def test_changing_command_reports_a_change_and_is_not_sent_in_check_mode(monkeypatch, capsys):
    fake = FakeKea({"ha-maintenance-start": {"result": 0, "text": "Server is in maintenance state."}})
    run(kea_command, monkeypatch, fake, check_mode=True, command="ha-maintenance-start")
    out = result(capsys)
    assert (out["changed"], out["sent"], fake.sent) == (True, False, [])
    run(kea_command, monkeypatch, fake, command="ha-maintenance-start")
    out = result(capsys)
    assert (out["changed"], out["sent"], fake.sent) == (True, True, ["ha-maintenance-start"])


def test_refusal_fails_with_keas_text(monkeypatch, capsys):
    fake = FakeKea({"ha-sync": {"result": 1, "text": "'server-name' is mandatory"}})
    run(kea_command, monkeypatch, fake, command="ha-sync")
    out = result(capsys)
    assert out["failed"] and out["msg"] == "Kea refused 'ha-sync' (result 1): 'server-name' is mandatory"


def _status(*states):
    return {"result": 0, "arguments": {"high-availability": [
        {"ha-mode": "hot-standby", "ha-servers": {"local": {"server-name": "c-b%d" % n, "state": s}, "remote": {}}}
        for n, s in enumerate(states, 1)]}}


def test_ha_status_waits_then_names_the_laggards(monkeypatch, capsys):
    fake = FakeKea({"status-get": _status("hot-standby", "waiting")})
    run(kea_ha_status, monkeypatch, fake, wait_for=["hot-standby"], wait_timeout=1, wait_delay=0.2)
    out = result(capsys)
    assert out["failed"]
    assert out["msg"].endswith("not in hot-standby: c-b2 (waiting)")
    assert len(fake.sent) > 1


def test_ha_status_returns_at_once_when_there(monkeypatch, capsys):
    fake = FakeKea({"status-get": _status("hot-standby", "hot-standby")})
    run(kea_ha_status, monkeypatch, fake, wait_for=["hot-standby"])
    out = result(capsys)
    assert not out["changed"] and [r["local"]["state"] for r in out["relationships"]] == ["hot-standby"] * 2
    assert fake.sent == ["status-get"]


RUNNING = {"Dhcp4": {"valid-lifetime": 7200, "subnet4": [{"id": 1, "subnet": "10.1.0.0/24"}]}, "hash": "A"}


def _config_kea(test_result=0, version="2.6.3", states=()):
    return FakeKea({
        "config-get": {"result": 0, "arguments": RUNNING},
        "version-get": {"result": 0, "text": version},
        "status-get": _status(*states),
        "config-test": {"result": test_result, "text": "bad" if test_result else "ok"},
        "config-set": {"result": 0},
        "config-write": {"result": 0},
    })


def test_config_equal_is_not_touched_and_read_once(monkeypatch, capsys):
    fake = _config_kea()
    run(kea_config, monkeypatch, fake, config={"Dhcp4": {"subnet4": [{"id": 1, "subnet": "10.1.0.0/24"}]}})
    out = result(capsys)
    assert (out["changed"], out["method"], out["restart_required"], out["hash"]) == (False, "none", False, "A")
    assert fake.sent == ["config-get", "version-get"]


def test_config_different_is_tested_then_set(monkeypatch, capsys):
    fake = _config_kea()
    run(kea_config, monkeypatch, fake, config={"Dhcp4": {"valid-lifetime": 600}}, write=True, _ansible_diff=True)
    out = result(capsys)
    assert out["changed"] and fake.sent == ["config-get", "version-get", "config-test", "config-set", "config-write",
                                            "config-get"]
    assert (out["method"], out["restart_required"], out["version"]) == ("config-set", False, "2.6.3")
    assert '"valid-lifetime": 7200' in out["diff"]["before"] and '"valid-lifetime": 600' in out["diff"]["after"]


def test_config_check_mode_only_tests(monkeypatch, capsys):
    fake = _config_kea()
    run(kea_config, monkeypatch, fake, check_mode=True, config={"Dhcp4": {"valid-lifetime": 600}})
    out = result(capsys)
    assert out["changed"] and fake.sent == ["config-get", "version-get", "config-test"]


WITH_HA = {"Dhcp4": {"valid-lifetime": 600, "hooks-libraries": [
    {"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so", "parameters": {"high-availability": []}}]}}


@pytest.mark.parametrize("version, apply, config, method, sent_set", [
    ("3.0.3", "auto", WITH_HA, "restart", False),
    ("3.0.3", "auto", {"Dhcp4": {"valid-lifetime": 600}}, "config-set", True),  # no HA listener to close
    ("3.0.3", "config-set", WITH_HA, "config-set", True),  # the work-around switched off
    ("3.0.4", "auto", WITH_HA, "config-set", True),
    ("2.6.3", "auto", WITH_HA, "config-set", True),
    ("3.0.4", "restart", WITH_HA, "restart", False),
])
def test_config_apply_method_follows_the_running_version(monkeypatch, capsys, version, apply, config, method,
                                                         sent_set):
    fake = _config_kea(version=version)
    run(kea_config, monkeypatch, fake, config=config, apply=apply)
    out = result(capsys)
    assert (out["changed"], out["method"], out["restart_required"]) == (True, method, method == "restart")
    assert ("config-set" in fake.sent) is sent_set and "config-test" in fake.sent
    # the same decision, with the warning the module passes to module.warn()
    outcome = kea_config.bring_to(Connection(url="http://127.0.0.1:8000/", opener=_config_kea(version=version)),
                                  config, apply=apply)
    assert bool(outcome["warnings"]) is (apply == "auto" and method == "restart")


def test_config_restart_on_an_affected_version_warns_with_the_version():
    outcome = kea_config.bring_to(Connection(url="http://127.0.0.1:8000/", opener=_config_kea(version="3.0.3")),
                                  WITH_HA)
    assert outcome["warnings"] == [
        "Kea 3.0.3 leaves its HA listeners closed after config-set or config-reload (an ISC defect of 3.0.0-3.0.3 "
        "and 3.1.0-3.1.2, fixed in 3.0.4 and 3.1.3): changed configurations are applied by restarting the server "
        "instead. Upgrade to Kea 3.0.4 or later to apply them without a restart."]


HA_CONFIG = {"Dhcp4": {"hooks-libraries": [{"library": "libdhcp_ha.so", "parameters": {"high-availability": [
    {"this-server-name": "central-branch1", "mode": "hot-standby", "heartbeat-delay": 1000,
     "max-response-delay": 3000, "peers": [
         {"name": "branch1", "role": "primary", "url": "http://10.81.1.2:8001/"},
         {"name": "central-branch1", "role": "standby", "url": "http://10.81.1.3:8001/"}]}]}}]}}


def _health_kea(version, state):
    return FakeKea({
        "version-get": {"result": 0, "text": version},
        "config-get": {"result": 0, "arguments": dict(HA_CONFIG, hash="H")},
        "status-get": {"result": 0, "arguments": {"high-availability": [
            {"ha-mode": "hot-standby", "ha-servers": {"local": {"server-name": "central-branch1", "state": state},
                                                      "remote": {}}}]}},
    })


class FakeClock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


HEALTH_PARAMS = dict(after="config-set", timeout=0, delay=1)


def test_health_on_a_healthy_server_looks_once():
    fake, clock = _health_kea("3.0.4", "hot-standby"), FakeClock()
    heard = []
    outcome, failure = check_server(Connection(url="http://127.0.0.1:8000/", opener=fake),
                                    lambda endpoint, name: heard.append(name) or (True, {"state": "hot-standby"}),
                                    clock, clock.sleep, **HEALTH_PARAMS)
    assert failure is None and outcome["healthy"] and outcome["wait_timeout"] == 73 and outcome["waited"] == 0
    assert heard == ["central-branch1"] and fake.sent == ["version-get", "config-get", "status-get"]


def test_health_names_the_closed_listener_and_the_defect_on_an_affected_version():
    fake, clock = _health_kea("3.0.3", "partner-down"), FakeClock()
    outcome, failure = check_server(
        Connection(url="http://127.0.0.1:8000/", opener=fake),
        lambda endpoint, name: (False, "cannot reach %s: [Errno 111] Connection refused" % endpoint["url"]),
        clock, clock.sleep, **HEALTH_PARAMS)
    assert not outcome["healthy"] and outcome["waited"] == 73
    assert failure == (
        "HA not healthy after 73 s: relationship central-branch1/branch1: HA listener http://10.81.1.3:8001/ not open "
        "after config-set (cannot reach http://10.81.1.3:8001/: [Errno 111] Connection refused). Kea 3.0.3 leaves its "
        "HA listeners closed after config-set or config-reload (an ISC defect of 3.0.0-3.0.3 and 3.1.0-3.1.2, fixed "
        "in 3.0.4 and 3.1.3): changed configurations are applied by restarting the server instead. Upgrade to Kea "
        "3.0.4 or later to apply them without a restart. Restart the server to open its listeners again.")


def test_health_without_the_defect_gives_no_version_advice():
    fake, clock = _health_kea("3.0.4", "partner-down"), FakeClock()
    _outcome, failure = check_server(
        Connection(url="http://127.0.0.1:8000/", opener=fake),
        lambda endpoint, name: (False, "cannot reach %s: [Errno 111] Connection refused" % endpoint["url"]),
        clock, clock.sleep, after="config-set", timeout=3, delay=1)
    assert failure.startswith("HA not healthy after 3 s: relationship central-branch1/branch1: HA listener")
    assert "Kea 3.0.4" not in failure and failure.endswith("Connection refused)")


def test_health_waits_for_a_restarting_server_to_answer():
    fake, clock = _health_kea("3.0.3", "hot-standby"), FakeClock()
    calls = []
    real = fake.answers["version-get"]

    def version_get(request):
        calls.append(clock.now)
        if len(calls) < 3:
            raise KeaError("cannot connect to unix socket /run/kea/kea4-ctrl-socket: No such file or directory")
        return real

    fake.answers["version-get"] = version_get
    outcome, failure = check_server(Connection(url="http://127.0.0.1:8000/", opener=fake),
                                    lambda endpoint, name: (True, {"state": "hot-standby"}), clock, clock.sleep, **HEALTH_PARAMS)
    assert failure is None and calls == [0.0, 1.0, 2.0] and outcome["version"] == "3.0.3"


def test_ha_status_wait_with_an_injected_clock():
    answers = iter([_status("waiting", "hot-standby"), _status("syncing", "hot-standby"), _status("hot-standby", "hot-standby")])
    fake, clock = FakeKea({"status-get": lambda request: next(answers)}), FakeClock()
    params = dict(wait_for=["hot-standby"], server_names=None, wait_timeout=60, wait_delay=2)
    outcome, failure = kea_ha_status.run(Connection(url="http://127.0.0.1:8000/", opener=fake), params, clock, clock.sleep)
    assert failure is None and outcome["waited"] == 4.0 and fake.sent == ["status-get"] * 3


def test_ha_status_unreadable_server_fails_with_the_reason_after_the_bound():
    def refuse(request):
        raise KeaError("cannot reach http://127.0.0.1:8000/: [Errno 111] Connection refused")

    fake, clock = FakeKea({"status-get": refuse}), FakeClock()
    params = dict(wait_for=["hot-standby"], server_names=None, wait_timeout=3, wait_delay=1)
    outcome, failure = kea_ha_status.run(Connection(url="http://127.0.0.1:8000/", opener=fake), params, clock, clock.sleep)
    assert failure == "cannot reach http://127.0.0.1:8000/: [Errno 111] Connection refused"
    assert outcome["waited"] == 3.0 and len(fake.sent) == 4
    # without wait_for: one read, and its reason
    once = dict(params, wait_for=None)
    fake.sent = []
    _outcome, failure = kea_ha_status.run(Connection(url="http://127.0.0.1:8000/", opener=fake), once, clock, clock.sleep)
    assert failure.endswith("Connection refused") and fake.sent == ["status-get"]


@pytest.mark.parametrize("heartbeat, sent, counts, warnings", [
    (False, ["status-get"], [None, None], None),
    (True, ["status-get", "ha-heartbeat", "ha-heartbeat"], [4, None],
     ["relationship c-b2: no unsent update count: Kea refused 'ha-heartbeat' (result 1): "
      "server-name parameter refers to an unknown server"]),
])
def test_ha_status_heartbeat_adds_the_unsent_update_count(heartbeat, sent, counts, warnings):
    def heartbeat_answer(request):
        if request["arguments"]["server-name"] == "c-b1":
            return {"result": 0, "arguments": {"state": "partner-down", "unsent-update-count": 4}}
        return {"result": 1, "text": "server-name parameter refers to an unknown server"}

    fake, clock = FakeKea({"status-get": _status("partner-down", "hot-standby"), "ha-heartbeat": heartbeat_answer}), FakeClock()
    params = dict(wait_for=None, server_names=None, wait_timeout=0, wait_delay=1, heartbeat=heartbeat)
    outcome, failure = kea_ha_status.run(Connection(url="http://127.0.0.1:8000/", opener=fake), params, clock, clock.sleep)
    assert failure is None and fake.sent == sent
    assert [rel["local"].get("unsent_update_count") for rel in outcome["relationships"]] == counts
    assert outcome.get("warnings") == warnings


@pytest.mark.parametrize("answer, offset, warnings", [
    # Kea's clock 90 s ahead of the controller's, which moved on by the 2 s spent waiting on the host
    ({"result": 0, "arguments": {"state": "hot-standby", "date-time": "Mon, 07 Dec 2026 12:01:32 GMT"}}, 90, None),
    ({"result": 0, "arguments": {"state": "hot-standby"}}, None, ["no clock offset: ha-heartbeat returned no date-time"]),
    ({"result": 1, "text": "unknown server"}, None, ["no clock offset: Kea refused 'ha-heartbeat' (result 1): unknown server"]),
])
def test_ha_status_reads_kea_s_clock_against_the_controller_s(answer, offset, warnings):
    clock = FakeClock()

    def status(request):
        clock.sleep(2)  # the module spends 2 s on the host before it asks for Kea's time
        return _status("hot-standby", "hot-standby")

    fake = FakeKea({"status-get": status, "ha-heartbeat": answer})
    params = dict(wait_for=None, server_names=None, wait_timeout=0, wait_delay=1,
                  controller_clock=1796644800.0)  # Mon, 07 Dec 2026 12:00:00 GMT
    outcome, failure = kea_ha_status.run(Connection(url="http://127.0.0.1:8000/", opener=fake), params, clock,
                                         clock.sleep)
    assert failure is None and fake.sent == ["status-get", "ha-heartbeat"]
    assert outcome.get("clock_offset") == offset and outcome.get("warnings") == warnings
    assert [rel["local"].get("clock_offset") for rel in outcome["relationships"]] == [offset, offset]


def test_ha_status_module_reads_heartbeats_when_asked(monkeypatch, capsys):
    fake = FakeKea({"status-get": _status("partner-down"),
                    "ha-heartbeat": {"result": 0, "arguments": {"state": "partner-down", "unsent-update-count": 9}}})
    run(kea_ha_status, monkeypatch, fake, heartbeat=True)
    out = result(capsys)
    assert not out.get("failed") and out["relationships"][0]["local"]["unsent_update_count"] == 9
    assert fake.sent == ["status-get", "ha-heartbeat"]


def test_ha_status_heartbeat_is_not_sent_to_an_unreadable_server():
    def refuse(request):
        raise KeaError("cannot reach http://127.0.0.1:8000/: [Errno 111] Connection refused")

    fake, clock = FakeKea({"status-get": refuse, "ha-heartbeat": refuse}), FakeClock()
    params = dict(wait_for=None, server_names=None, wait_timeout=0, wait_delay=1, heartbeat=True)
    outcome, failure = kea_ha_status.run(Connection(url="http://127.0.0.1:8000/", opener=fake), params, clock, clock.sleep)
    assert failure.endswith("Connection refused") and fake.sent == ["status-get"] and "warnings" not in outcome


@pytest.mark.parametrize("family, answer, leases, failure", [
    (4, {"result": 0, "arguments": {"leases": [{"ip-address": "10.0.0.5", "hw-address": "02:00:00:00:00:05",
                                                "subnet-id": 1, "cltt": 100, "valid-lft": 3600, "state": 0,
                                                "hostname": "pc5", "fqdn-fwd": False, "user-context": {"a": 1}}]}},
     [{"ip-address": "10.0.0.5", "hw-address": "02:00:00:00:00:05", "subnet-id": 1, "cltt": 100, "valid-lft": 3600,
       "state": 0}], None),
    (6, {"result": 3, "text": "0 IPv6 lease(s) found.", "arguments": {"leases": []}}, [], None),
    (4, {"result": 2, "text": "'lease4-get-all' command not supported."}, None,
     "cannot read the leases: Kea refused 'lease4-get-all' (result 2): 'lease4-get-all' command not supported."),
], ids=["DHCPv4, only the keys compared", "DHCPv6, none", "no lease commands hook"])
def test_ha_status_returns_the_leases_when_asked(family, answer, leases, failure):
    fake, clock = FakeKea({"status-get": _status("hot-standby"), "lease%d-get-all" % family: answer}), FakeClock()
    params = dict(wait_for=None, server_names=None, wait_timeout=0, wait_delay=1, leases=family)
    outcome, failed = kea_ha_status.run(Connection(url="http://127.0.0.1:8000/", opener=fake), params, clock, clock.sleep)
    assert failed == failure
    assert outcome.get("leases") == leases
    assert fake.sent == ["status-get", "lease%d-get-all" % family]


class StatefulKea(FakeKea):
    """A Kea that runs what config-set gave it, plus a default it fills in; status-get from ``states``."""

    def __init__(self, running, states=(), version="2.6.3"):
        self.running = running
        super(StatefulKea, self).__init__({
            "config-get": lambda request: {"result": 0, "arguments": dict(self.running, hash="H")},
            "version-get": {"result": 0, "text": version},
            "status-get": _status(*states),
            "config-test": {"result": 0, "text": "ok"},
            "config-set": self._set,
        })

    def _set(self, request):
        body = dict(request["arguments"]["Dhcp4"])
        body.setdefault("renew-timer", 300)
        self.running = {"Dhcp4": body}
        return {"result": 0}


DESIRED_HA = {"Dhcp4": {"valid-lifetime": 600, "hooks-libraries": [{"library": "libdhcp_ha.so", "parameters": {
    "high-availability": [{"this-server-name": "c-b1", "heartbeat-delay": 1000, "max-response-delay": 3000}]}}]}}


def test_config_drift_found_shown_and_put_right_then_no_change(monkeypatch, capsys, tmp_path):
    state = str(tmp_path / "state.json")
    kea = StatefulKea({"Dhcp4": dict(DESIRED_HA["Dhcp4"], **{"renew-timer": 300})}, states=["hot-standby"])
    run(kea_config, monkeypatch, kea, config=DESIRED_HA, state_file=state)
    out = result(capsys)
    assert (out["changed"], out["drift"], out["recorded"]) == (False, False, True)
    assert kea.sent == ["config-get", "version-get"]
    # behind the module's back: a key added, a desired one changed
    kea.running = {"Dhcp4": dict(kea.running["Dhcp4"], **{"valid-lifetime": 60, "ddns-send-updates": True})}
    kea.sent = []
    run(kea_config, monkeypatch, kea, config=DESIRED_HA, state_file=state, check_mode=True, _ansible_diff=True)
    out = result(capsys)
    assert (out["changed"], out["drift"], out["recorded"]) == (True, True, False)
    assert kea.sent == ["config-get", "version-get", "status-get", "config-test"]
    assert '"ddns-send-updates": true' in out["diff"]["before"] and "ddns-send-updates" not in out["diff"]["after"]
    assert '"valid-lifetime": 60\n' in out["diff"]["before"] and '"valid-lifetime": 600\n' in out["diff"]["after"]
    kea.sent = []
    run(kea_config, monkeypatch, kea, config=DESIRED_HA, state_file=state)
    out = result(capsys)
    assert (out["changed"], out["drift"], out["method"]) == (True, True, "config-set")
    assert kea.sent == ["config-get", "version-get", "status-get", "config-test", "config-set", "config-get"]
    assert kea.running == {"Dhcp4": dict(DESIRED_HA["Dhcp4"], **{"renew-timer": 300})}
    kea.sent = []
    run(kea_config, monkeypatch, kea, config=DESIRED_HA, state_file=state)
    out = result(capsys)
    assert (out["changed"], out["drift"], out["recorded"]) == (False, False, False)
    assert kea.sent == ["config-get", "version-get"]


def test_config_without_state_file_misses_an_added_key(monkeypatch, capsys):
    kea = StatefulKea({"Dhcp4": dict(DESIRED_HA["Dhcp4"], **{"ddns-send-updates": True})})
    run(kea_config, monkeypatch, kea, config=DESIRED_HA)
    assert result(capsys)["changed"] is False


def test_config_during_a_takeover_is_refused_naming_the_relationship(monkeypatch, capsys):
    kea = StatefulKea({"Dhcp4": dict(DESIRED_HA["Dhcp4"], **{"valid-lifetime": 7200})},
                      states=["partner-down", "hot-standby"])
    run(kea_config, monkeypatch, kea, config=DESIRED_HA)
    out = result(capsys)
    assert out["failed"] and kea.sent == ["config-get", "version-get", "status-get"]
    assert out["msg"].startswith("not applying the configuration: this server is covering for its partner in "
                                 "relationship c-b1 (partner-down, partner unknown: its clients unanswered for about "
                                 "4 s).")


def test_config_during_a_takeover_in_check_mode_warns():
    kea = StatefulKea({"Dhcp4": dict(DESIRED_HA["Dhcp4"], **{"valid-lifetime": 7200})}, states=["partner-down"])
    outcome = kea_config.bring_to(Connection(url="http://127.0.0.1:8000/", opener=kea), DESIRED_HA, check_mode=True)
    assert outcome["changed"] and kea.sent[-1] == "config-test"
    assert len(outcome["warnings"]) == 1 and outcome["warnings"][0].startswith(
        "a run outside check mode would stop here: not applying the configuration: this server is covering for its "
        "partner in relationship c-b1 (partner-down")


def test_config_during_a_takeover_applied_when_asked(monkeypatch, capsys):
    kea = StatefulKea({"Dhcp4": dict(DESIRED_HA["Dhcp4"], **{"valid-lifetime": 7200})}, states=["partner-down"])
    run(kea_config, monkeypatch, kea, config=DESIRED_HA, apply_during_outage=True)
    out = result(capsys)
    assert out["changed"] and "status-get" not in kea.sent and "config-set" in kea.sent


def test_config_during_a_takeover_with_nothing_to_change_passes(monkeypatch, capsys):
    kea = StatefulKea({"Dhcp4": dict(DESIRED_HA["Dhcp4"])}, states=["partner-down"])
    run(kea_config, monkeypatch, kea, config=DESIRED_HA)
    out = result(capsys)
    assert not out["changed"] and not out.get("failed") and kea.sent == ["config-get", "version-get"]
