# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modules' own logic: what is sent, what is reported, with a fake Kea."""

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import Connection
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


def _config_kea(test_result=0):
    return FakeKea({
        "config-get": {"result": 0, "arguments": RUNNING},
        "config-test": {"result": test_result, "text": "bad" if test_result else "ok"},
        "config-set": {"result": 0},
        "config-write": {"result": 0},
    })


def test_config_equal_is_not_touched(monkeypatch, capsys):
    fake = _config_kea()
    run(kea_config, monkeypatch, fake, config={"Dhcp4": {"subnet4": [{"id": 1, "subnet": "10.1.0.0/24"}]}})
    out = result(capsys)
    assert not out["changed"] and "config-set" not in fake.sent and "config-test" not in fake.sent


def test_config_different_is_tested_then_set(monkeypatch, capsys):
    fake = _config_kea()
    run(kea_config, monkeypatch, fake, config={"Dhcp4": {"valid-lifetime": 600}}, write=True, _ansible_diff=True)
    out = result(capsys)
    assert out["changed"] and fake.sent == ["config-get", "config-test", "config-set", "config-write", "config-get"]
    assert '"valid-lifetime": 7200' in out["diff"]["before"] and '"valid-lifetime": 600' in out["diff"]["after"]


def test_config_check_mode_only_tests(monkeypatch, capsys):
    fake = _config_kea()
    run(kea_config, monkeypatch, fake, check_mode=True, config={"Dhcp4": {"valid-lifetime": 600}})
    out = result(capsys)
    assert out["changed"] and fake.sent == ["config-get", "config-test"]


def test_config_refused_by_kea_is_not_set(monkeypatch, capsys):
    fake = _config_kea(test_result=1)
    run(kea_config, monkeypatch, fake, config={"Dhcp4": {"valid-lifetime": 600}})
    out = result(capsys)
    assert out["failed"] and out["msg"] == "Kea refused 'config-test' (result 1): bad"
    assert "config-set" not in fake.sent


def test_config_force_applies_an_equal_config(monkeypatch, capsys):
    fake = _config_kea()
    run(kea_config, monkeypatch, fake, config={"Dhcp4": {"valid-lifetime": 7200}}, force=True)
    out = result(capsys)
    assert out["changed"] and "config-set" in fake.sent


def test_ha_status_waits_only_for_named_relationships(monkeypatch, capsys):
    fake = FakeKea({"status-get": _status("partner-down", "hot-standby")})
    run(kea_ha_status, monkeypatch, fake, wait_for=["partner-down"], server_names=["c-b1"])
    assert not result(capsys).get("failed")
    run(kea_ha_status, monkeypatch, fake, wait_for=["partner-down"], server_names=["c-b9"])
    out = result(capsys)
    assert out["msg"] == "this server has no relationship in which it is named c-b9 (it has: c-b1, c-b2)"
