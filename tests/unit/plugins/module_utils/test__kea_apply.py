# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exact drift (the record of what Kea runs) and the takeover guard."""

import json
import os
import stat

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaError
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_apply import (
    covering, decide, digest, make_record, outage_refusal, read_record, write_record)

DESIRED = {"Dhcp4": {"valid-lifetime": 600, "subnet4": [{"id": 1, "subnet": "10.1.0.0/24"}]}}
# what Kea runs for it: the desired keys and the defaults it fills in
RUNNING = {"Dhcp4": {"valid-lifetime": 600, "renew-timer": 300,
                     "subnet4": [{"id": 1, "subnet": "10.1.0.0/24", "valid-lifetime": 600}]}}


def _with(config, **keys):
    body = dict(config["Dhcp4"])
    body.update(keys)
    return {"Dhcp4": body}


def test_digest_ignores_key_order_and_sees_every_value():
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})
    assert digest({"a": 1, "b": [1, 2]}) != digest({"a": 1, "b": [2, 1]})
    assert digest({"a": True}) != digest({"a": 1})


RECORD = make_record(DESIRED, RUNNING, "2.6.3")


@pytest.mark.parametrize("record, desired, running, version, force, expected", [
    # the record holds: exactly what was recorded runs
    (RECORD, DESIRED, RUNNING, "2.6.3", False, "recorded"),
    (RECORD, DESIRED, RUNNING, "2.6.3", True, "forced"),
    # behind our back: a key added (Kea never fills it), one changed, one removed (Kea's default comes back
    # in its place or not at all), a subnet's own key changed
    (RECORD, DESIRED, _with(RUNNING, **{"ddns-send-updates": True}), "2.6.3", False, "drift"),
    (RECORD, DESIRED, _with(RUNNING, **{"renew-timer": 900}), "2.6.3", False, "drift"),
    (RECORD, DESIRED, {"Dhcp4": {k: v for k, v in RUNNING["Dhcp4"].items() if k != "renew-timer"}}, "2.6.3",
     False, "drift"),
    (RECORD, DESIRED, _with(RUNNING, subnet4=[{"id": 1, "subnet": "10.1.0.0/24", "valid-lifetime": 60}]), "2.6.3",
     False, "drift"),
    # a desired key changed on the server: drift too (the plain comparison would see it as well)
    (RECORD, DESIRED, _with(RUNNING, **{"valid-lifetime": 7200}), "2.6.3", False, "drift"),
    # no usable record: the comparison of the desired keys decides
    (None, DESIRED, RUNNING, "2.6.3", False, "in-place"),
    (None, DESIRED, _with(RUNNING, **{"ddns-send-updates": True}), "2.6.3", False, "in-place"),
    (None, DESIRED, _with(RUNNING, **{"valid-lifetime": 7200}), "2.6.3", False, "differs"),
    # a record of another desired configuration, or of another Kea version
    (RECORD, _with(DESIRED, **{"renew-timer": 300}), RUNNING, "2.6.3", False, "in-place"),
    (RECORD, _with(DESIRED, **{"renew-timer": 900}), RUNNING, "2.6.3", False, "differs"),
    (RECORD, DESIRED, _with(RUNNING, **{"ddns-send-updates": True}), "3.0.4", False, "in-place"),
])
def test_decide(record, desired, running, version, force, expected):
    assert decide(record, desired, running, version, force=force) == expected


def test_the_record_masks_passwords_and_its_digest_still_sees_them():
    running = _with(RUNNING, **{"hooks-libraries": [{"library": "libdhcp_ha.so", "parameters": {
        "high-availability": [{"peers": [{"name": "b1", "basic-auth-password": "s3cret"}]}]}}]})
    record = make_record(DESIRED, running, "2.6.3")
    assert "s3cret" not in json.dumps(record)
    changed = json.loads(json.dumps(running).replace("s3cret", "other"))
    assert decide(record, DESIRED, changed, "2.6.3") == "drift"
    assert decide(record, DESIRED, running, "2.6.3") == "recorded"


def test_record_round_trip_mode_and_unchanged_rewrite(tmp_path):
    path = str(tmp_path / "state.json")
    assert read_record(path) == (None, None)
    assert write_record(path, RECORD) is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_record(path) == (RECORD, None)
    assert write_record(path, RECORD) is False
    assert os.listdir(str(tmp_path)) == ["state.json"]


@pytest.mark.parametrize("content, problem", [
    ("{not json", "the record {path} is not JSON (Expecting property name enclosed in double quotes: line 1 "
                  "column 2 (char 1)); it is ignored and written again"),
    ('{"format": 99}', "the record {path} has an unknown format; it is ignored and written again"),
    ("[]", "the record {path} has an unknown format; it is ignored and written again"),
])
def test_an_unusable_record_is_ignored_with_a_reason(tmp_path, content, problem):
    path = tmp_path / "state.json"
    path.write_text(content)
    assert read_record(str(path)) == (None, problem.format(path=path))


def test_a_record_that_cannot_be_written_says_where(tmp_path):
    path = str(tmp_path / "missing" / "state.json")
    with pytest.raises(KeaError) as caught:
        write_record(path, RECORD)
    assert str(caught.value) == "cannot write the record %s: No such file or directory" % path


def _rel(name, state, partner):
    return {"local": {"name": name, "state": state}, "remote": {"name": partner}}


HA_RUNNING = {"Dhcp4": {"hooks-libraries": [
    {"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so"},
    {"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so", "parameters": {"high-availability": [
        {"this-server-name": "central-branch1", "heartbeat-delay": 1000, "max-response-delay": 3000},
        {"this-server-name": "central-branch2"},
        {"this-server-name": "central-branch3", "heartbeat-delay": 1500, "max-response-delay": 2000}]}}]}}


@pytest.mark.parametrize("states, names", [
    (["hot-standby", "hot-standby", "hot-standby"], []),
    (["partner-down", "hot-standby", "waiting"], ["central-branch1"]),
    (["hot-standby", "partner-in-maintenance", "partner-down"], ["central-branch2", "central-branch3"]),
    (["terminated", "in-maintenance", "syncing"], []),
])
def test_covering(states, names):
    relationships = [_rel("central-branch%d" % n, s, "branch%d" % n) for n, s in enumerate(states, 1)]
    assert [rel["local"]["name"] for rel in covering(relationships)] == names


def test_no_refusal_when_covering_for_nobody():
    assert outage_refusal([_rel("central-branch1", "hot-standby", "branch1")], HA_RUNNING) is None
    assert outage_refusal([], HA_RUNNING) is None


def test_refusal_names_the_relationship_and_its_cost_from_its_timers():
    assert outage_refusal([_rel("central-branch1", "partner-down", "branch1"),
                           _rel("central-branch2", "hot-standby", "branch2")], HA_RUNNING) == (
        "not applying the configuration: this server is covering for its partner in relationship central-branch1 "
        "(partner-down, partner branch1: its clients unanswered for about 4 s). Applying it restarts the HA state "
        "machines: it comes back in 'waiting', answering none of the partner's clients until the partner is found gone "
        "again (heartbeat-delay + max-response-delay; about 70 s with Kea's defaults). Bring the partner back first, or "
        "apply anyway with apply_during_outage (the roles' kea_ha_apply_during_outage: true)")


def test_refusal_of_several_uses_kea_defaults_where_the_timers_are_not_given():
    message = outage_refusal([_rel("central-branch2", "partner-in-maintenance", "branch2"),
                              _rel("central-branch3", "partner-down", None)], HA_RUNNING)
    assert message.startswith(
        "not applying the configuration: this server is covering for its partner in relationships central-branch2 "
        "(partner-in-maintenance, partner branch2: its clients unanswered for about 70 s); central-branch3 "
        "(partner-down, partner unknown: its clients unanswered for about 3.5 s). Applying it restarts the HA state "
        "machines: they come back in 'waiting'")
