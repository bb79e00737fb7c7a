# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading what ``kea_probe`` finds on a host: the outputs of ``kea-dhcpN -V``, ``dpkg-query`` and ``systemctl show``.

Pure Python, no Ansible imports.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import parse_version


def first_version(outputs):
    """The first line of the first output (``kea-dhcpN -V``) that names a version; empty when none does."""
    for output in outputs:
        line = (output or "").strip().splitlines()[:1]
        if line and parse_version(line[0]):
            return line[0].strip()
    return ""


def installed(output):
    """The packages ``dpkg-query -W -f '${db:Status-Status} ${Package}\\n'`` lists as installed."""
    found = []
    for line in (output or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "installed":
            found.append(parts[1])
    return found


def unit_states(output, units):
    """``{unit: {active, enabled}}`` from ``systemctl show --property Id,LoadState,ActiveState,UnitFileState``,
    for the units systemd knows (keyed as asked: ``kea-ctrl-agent`` for ``kea-ctrl-agent.service``)."""
    asked = dict(((unit if "." in unit else unit + ".service"), unit) for unit in units)
    states = {}
    for block in (output or "").strip().split("\n\n"):
        values = dict(line.split("=", 1) for line in block.strip().splitlines() if "=" in line)
        unit = asked.get(values.get("Id"))
        if unit is None or values.get("LoadState") in (None, "not-found"):
            continue
        states[unit] = {"active": values.get("ActiveState") in ("active", "activating", "reloading"),
                        "enabled": values.get("UnitFileState") in ("enabled", "enabled-runtime")}
    return states
