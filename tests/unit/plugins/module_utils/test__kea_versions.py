# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which Kea versions close their HA listeners on config-set, and how a change is applied there."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import (
    apply_method, closes_ha_listeners_on_reconfigure, defect_warning, parse_version, runs_ha_listeners)


@pytest.mark.parametrize("text, version", [
    ("3.0.3", (3, 0, 3)),
    ("2.6.3 (tarball)", (2, 6, 3)),
    ("3.0.4-isc20251120120000", (3, 0, 4)),
    ("  3.1", (3, 1, 0)),
    ("v3.0.0", (3, 0, 0)),
    ("", None),
    ("unknown", None),
    (None, None),
])
def test_parse_version(text, version):
    assert parse_version(text) == version


@pytest.mark.parametrize("version, closes", [
    ("2.6.0", False), ("2.6.3", False), ("2.6.5", False),
    ("2.7.9", False),
    ("3.0.0", True), ("3.0.1", True), ("3.0.2", True), ("3.0.3", True), ("3.0.3 (tarball)", True),
    ("3.0.4", False), ("3.0.10", False),
    ("3.1.0", True), ("3.1.2", True), ("3.1.3", False),
    ("3.2.0", False),
    ((3, 0, 3), True), ((3, 0, 4), False),
    ("", False), ("garbage", False),
])
def test_closes_ha_listeners_on_reconfigure(version, closes):
    assert closes_ha_listeners_on_reconfigure(version) is closes


HA = {"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so", "parameters": {}}
LEASE_CMDS = {"library": "libdhcp_lease_cmds.so"}


@pytest.mark.parametrize("config, runs", [
    ({"Dhcp4": {"hooks-libraries": [LEASE_CMDS, HA]}}, True),
    ({"Dhcp6": {"hooks-libraries": [{"library": "libdhcp_ha.so"}]}}, True),
    ({"Dhcp4": {"hooks-libraries": [LEASE_CMDS]}}, False),
    ({"Dhcp4": {}}, False),
    ({}, False),
    (None, False),
])
def test_runs_ha_listeners(config, runs):
    assert runs_ha_listeners(config) is runs


WITH_HA = {"Dhcp4": {"hooks-libraries": [HA]}}
WITHOUT_HA = {"Dhcp4": {"hooks-libraries": [LEASE_CMDS]}}


@pytest.mark.parametrize("requested, version, config, method", [
    ("auto", "3.0.3", WITH_HA, "restart"),
    ("auto", "3.0.0", WITH_HA, "restart"),
    ("auto", "3.0.3", WITHOUT_HA, "config-set"),
    ("auto", "3.0.4", WITH_HA, "config-set"),
    ("auto", "2.6.3", WITH_HA, "config-set"),
    ("auto", "", WITH_HA, "config-set"),
    ("config-set", "3.0.3", WITH_HA, "config-set"),
    ("restart", "2.6.3", WITHOUT_HA, "restart"),
])
def test_apply_method(requested, version, config, method):
    assert apply_method(requested, version, config) == method


def test_apply_method_refuses_an_unknown_method():
    with pytest.raises(ValueError, match="unknown apply method 'reload' \\(known: auto, config-set, restart\\)"):
        apply_method("reload", "3.0.3", WITH_HA)


def test_defect_warning_only_for_affected_versions():
    assert defect_warning("3.0.4") is None and defect_warning("2.6.3") is None
    assert defect_warning((3, 0, 2)).startswith("Kea 3.0.2 leaves its HA listeners closed")
    assert "Upgrade to Kea 3.0.4 or later" in defect_warning("3.0.3")
