# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""extensions/molecule/faults/crash.py: the changes it makes and how it reads a run of site.yml."""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAULTS = os.path.join(ROOT, "extensions", "molecule", "faults")
sys.path.insert(0, FAULTS)
SPEC = importlib.util.spec_from_file_location("crash", os.path.join(FAULTS, "crash.py"))
crash = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(crash)

TOPOLOGY = {"family": 4, "central": "dc", "relationships": [
    {"branch": {"host": "b1"}, "subnets": [{"id": 1, "option-data": [{"name": "routers", "data": "10.0.1.1"}]}]},
    {"branch": {"host": "b2"}, "subnets": [{"id": 2}]}]}


def test_the_change_sets_the_domain_name_of_one_subnet_only():
    changed = crash.changed_topology(TOPOLOGY, 2, "crash1.example")
    assert changed["relationships"][1]["subnets"][0]["option-data"] == [{"name": "domain-name", "data": "crash1.example"}]
    assert changed["relationships"][0] == TOPOLOGY["relationships"][0]
    again = crash.changed_topology(crash.changed_topology(TOPOLOGY, 1, "a.example"), 1, "b.example")
    assert again["relationships"][0]["subnets"][0]["option-data"] == [
        {"name": "routers", "data": "10.0.1.1"}, {"name": "domain-name", "data": "b.example"}]
    assert "option-data" not in TOPOLOGY["relationships"][1]["subnets"][0]


def test_a_subnet_the_topology_lacks_is_an_error():
    with pytest.raises(crash.CrashError, match="the topology has no subnet 9"):
        crash.changed_topology(TOPOLOGY, 9, "x.example")


def _run(report, rc=0, stderr=""):
    return crash.Run(subprocess.CompletedProcess([], rc, json.dumps(report) if report else "", stderr))


def test_a_run_says_what_each_host_mended_and_what_failed():
    converge = "keadhcp.ha.kea_ha : Bring this host's Kea servers to the plan, in one call"
    run = _run({"plays": [{"tasks": [
        {"task": {"name": "probe"}, "hosts": {"dc": {"changed": False}, "b1": {"changed": False}}},
        {"task": {"name": converge}, "hosts": {
            "dc": {"changed": True, "files": [], "services": ["start kea-dhcp4-server"],
                   "servers": [{"service": "kea-dhcp4-server", "method": "config-set"}]},
            "b1": {"failed": True, "msg": "not applying"}}},
        {"task": {"name": "write a fact"}, "hosts": {"dc": {"changed": True}}}]}],
        "stats": {"dc": {"changed": 2}, "b1": {"changed": 0, "failures": 1}}}, rc=2)
    assert run.tasks == 3
    assert run.mended == {"dc": ["start kea-dhcp4-server", "kea-dhcp4-server config-set", "write a fact"]}
    assert run.failed == ["b1: %s: not applying" % converge]
    assert run.changed == {"dc": 2}
    assert run.text() == "b1: %s: not applying" % converge


def test_a_run_that_printed_no_report_is_told_by_its_stderr():
    run = _run({}, rc=4, stderr="ERROR! the inventory is gone")
    assert (run.rc, run.tasks, run.changed) == (4, 0, {})
    assert run.text() == "ERROR! the inventory is gone"
