# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading what kea_probe's commands print."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._probe import first_version, installed, unit_states


@pytest.mark.parametrize("outputs, expected", [
    (["2.6.3\n", None], "2.6.3"),
    ([None, "3.0.4\nlinked with:\n..."], "3.0.4"),
    (["kea-dhcp4: command not found", "3.0.3 (tarball)\n"], "3.0.3 (tarball)"),
    ([None, None], ""),
    ([], ""),
])
def test_first_version(outputs, expected):
    assert first_version(iter(outputs)) == expected


def test_installed_packages_only():
    out = "installed kea-dhcp4-server\nnot-installed kea-dhcp6-server\nconfig-files kea-ctrl-agent\n"
    assert installed(out) == ["kea-dhcp4-server"]


def test_unit_states_of_known_units_keyed_as_asked():
    out = ("Id=kea-ctrl-agent.service\nLoadState=loaded\nActiveState=active\nUnitFileState=enabled\n\n"
           "Id=kea-dhcp6-server.service\nLoadState=not-found\nActiveState=inactive\nUnitFileState=\n\n"
           "Id=kea-dhcp4-server.service\nLoadState=loaded\nActiveState=inactive\nUnitFileState=disabled\n")
    assert unit_states(out, ["kea-ctrl-agent", "kea-dhcp6-server", "kea-dhcp4-server.service"]) == {
        "kea-ctrl-agent": {"active": True, "enabled": True},
        "kea-dhcp4-server.service": {"active": False, "enabled": False}}
