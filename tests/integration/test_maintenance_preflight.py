# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The maintenance playbooks stop before touching anything when kea_ha_family names a server a host does not run.

Three hosts on this machine (connection local), each with the local fact
keadhcp_ha a single-family (DHCPv4) deployment writes; the control channels
point at a closed port: nothing may be contacted, let alone stopped.
"""

import json
import os
import sys

import pytest

from helpers import BIN, ROOT, run

TOPOLOGY = {
    "family": 4,
    "central": "central",
    "relationships": [
        {"branch": {"host": "branch%d" % n, "name": "branch%d" % n, "url": "http://127.0.0.%d:8001/" % (2 * n),
                    "interface": "lan%d" % n},
         "central": {"name": "central-branch%d" % n, "url": "http://127.0.0.%d:%d/" % (2 * n + 1, 8000 + n),
                     "interface": "lan%d" % n},
         "subnets": [{"id": n, "subnet": "10.81.%d.0/24" % n}]}
        for n in (1, 2)],
}


def _inventory(tmp_path):
    hosts = {}
    for host in ("central", "branch1", "branch2"):
        facts = tmp_path / "facts" / host
        facts.mkdir(parents=True)
        control = {"url": "http://127.0.0.1:9/", "service": ["dhcp4"], "user": "kea-api",
                   "password_file": str(tmp_path / "kea-api-password")}
        server = {"family": 4, "control": control, "service": "kea-dhcp4-server", "names": [host]}
        (facts / "keadhcp_ha.fact").write_text(json.dumps(dict(server, servers=[server], side="branch")))
        hosts[host] = {"kea_ha_facts_dir": str(facts)}
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({"all": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "kea_ha_topology": TOPOLOGY},
        "children": {"kea_central": {"hosts": {"central": hosts["central"]}},
                     "kea_branches": {"hosts": {"branch1": hosts["branch1"], "branch2": hosts["branch2"]}}}}}))
    return str(inventory)


@pytest.mark.parametrize("playbook, extra", [
    ("branch_maintenance.yml", ["-e", "branch=branch1"]),
    ("central_maintenance.yml", []),
])
def test_a_family_no_host_runs_is_refused_before_anything(tmp_path, playbook, extra):
    result = run([os.path.join(BIN, "ansible-playbook"), "-i", _inventory(tmp_path),
                  os.path.join(ROOT, "playbooks", playbook), "-e", "kea_ha_family=6", "-e", "kea_ha_maintenance_seconds=0"]
                 + extra)
    text = " ".join(result.stdout.split())
    assert result.returncode != 0
    assert ("branch1 runs no DHCPv6 server, only kea-dhcp4-server: say -e kea_ha_family=4, or leave it out to act on "
            "every server of the hosts") in text, result.stdout
    # nothing after the first play ran: no server was contacted, nothing stopped
    assert "PLAY [Find the branch's relationship]" not in result.stdout
    assert "PLAY [Put every branch in partner-in-maintenance]" not in result.stdout
