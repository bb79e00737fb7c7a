# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exact drift on real Kea (2.6.3, 3.0.3, 3.0.4): kea_config with a record against a running server.

A throw-away container runs kea-dhcp4 with a small configuration loading the
HA hook (its partner absent); its unix control socket is in a directory
shared with the test, which drives ``kea_config.bring_to`` through it. A
change made with config-set behind the module's back (a key Kea fills in
itself, changed) is found and put right with a record, and missed without
one (the negative control).
"""

import json
import os
import subprocess
import time
import uuid

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import Connection
from ansible_collections.keadhcp.ha.plugins.modules import kea_config

pytestmark = pytest.mark.kea

IMAGES = {"2.6": "keadhcp-kea:2.6", "3.0.3": "keadhcp-kea:3.0.3", "3.0": "keadhcp-kea:3.0"}

DESIRED = {"Dhcp4": {
    "interfaces-config": {"interfaces": []},
    "lease-database": {"type": "memfile", "persist": False},
    "valid-lifetime": 3600,
    "hooks-libraries": [{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so", "parameters": {"high-availability": [
        {"this-server-name": "b1", "mode": "hot-standby", "heartbeat-delay": 1000, "max-response-delay": 3000,
         "max-unacked-clients": 0, "peers": [
             {"name": "b1", "url": "http://127.0.0.1:8001/", "role": "primary"},
             {"name": "c1", "url": "http://127.0.0.2:8001/", "role": "standby"}]}]}}],
    "subnet4": [{"id": 1, "subnet": "10.0.0.0/24", "pools": [{"pool": "10.0.0.10 - 10.0.0.99"}],
                 "user-context": {"ha-server-name": "b1"}}],
}}


SOCKET = {"socket-type": "unix", "socket-name": "/run/kea/kea4.sock"}


def desired(version):
    """DESIRED with the control socket as this version prints it back (3.0: a list)."""
    body = dict(DESIRED["Dhcp4"])
    body.update({"control-socket": SOCKET} if version == "2.6" else {"control-sockets": [SOCKET]})
    return {"Dhcp4": body}


@pytest.fixture(scope="module", params=sorted(IMAGES))
def kea(request, tmp_path_factory):
    """A running kea-dhcp4 in a container; yields its desired configuration and a Connection to its socket."""
    subprocess.run([os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "kea-images.sh")], check=True)
    run_dir = tmp_path_factory.mktemp("run")
    os.chmod(str(run_dir), 0o750)
    config = tmp_path_factory.mktemp("etc") / "kea-dhcp4.conf"
    config.write_text(json.dumps(desired(request.param)))
    name = "keadhcp-drift-%s" % uuid.uuid4().hex[:8]
    subprocess.run(["docker", "run", "-d", "--rm", "--name", name, "--network", "none",
                    "-v", "%s:/run/kea" % run_dir, "-v", "%s:/etc/kea/kea-dhcp4.conf:ro" % config,
                    "--entrypoint", "kea-dhcp4", IMAGES[request.param], "-c", "/etc/kea/kea-dhcp4.conf"],
                   check=True, stdout=subprocess.PIPE)
    connection = Connection(socket_path=str(run_dir / "kea4.sock"))
    try:
        # Kea answers on its socket within a second of its start; 120 s leaves room for a busy machine,
        # and a container that has exited ends the wait at once.
        deadline = time.monotonic() + 120
        while True:
            try:
                connection.command("version-get")
                break
            except Exception as exc:  # pylint: disable=broad-except
                running = subprocess.run(["docker", "inspect", "-f", "{{.State.Running}}", name], check=False,
                                         stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
                if running != "true" or time.monotonic() > deadline:
                    logs = subprocess.run(["docker", "logs", name], check=False, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, universal_newlines=True).stdout
                    raise AssertionError("kea-dhcp4 in %s never answered on its socket (%s):\n%s"
                                         % (name, exc, logs[-2000:]))
                time.sleep(0.2)
        yield desired(request.param), connection
    finally:
        subprocess.run(["docker", "rm", "-f", name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)


def _behind_the_back(connection, **keys):
    running = dict(connection.command("config-get")["arguments"])
    running.pop("hash")
    running["Dhcp4"].update(keys)
    connection.command("config-set", running, allow_empty=False)


def test_drift_is_found_and_put_right_with_a_record(kea, tmp_path):
    wanted, kea = kea
    state = str(tmp_path / "state.json")
    first = kea_config.bring_to(kea, wanted, apply="config-set", state_file=state)
    assert (first["changed"], first["recorded"]) == (False, True)
    _behind_the_back(kea, **{"renew-timer": 1234})
    # negative control: the comparison of the desired keys alone misses it
    assert kea_config.bring_to(kea, wanted, apply="config-set")["changed"] is False
    found = kea_config.bring_to(kea, wanted, apply="config-set", state_file=state)
    assert (found["changed"], found["drift"]) == (True, True)
    assert '"renew-timer": 1234' in found["diff"]["before"] and '"renew-timer"' not in found["diff"]["after"]
    assert "renew-timer" not in kea.command("config-get")["arguments"]["Dhcp4"]
    again = kea_config.bring_to(kea, wanted, apply="config-set", state_file=state)
    assert (again["changed"], again["drift"]) == (False, False)
