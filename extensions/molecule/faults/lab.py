# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The faults scenario's hands on the lab: Kea's control socket, DHCP clients and the HA link, from the controller.

Each server is asked through ``docker exec`` and its unix control socket
(``command``); real DHCP clients are ISC dhclient processes, each on a
macvlan interface of its own (its own MAC) inside one client container per
LAN (``Crowd``), so that a LAN holds as many clients as a test needs; a link
is cut with iptables in the central's network namespace (``Cut``).
"""

import json
import os
import re
import subprocess
import sys
import time

# The collection's own code (the lease comparison), from where molecule finds the collection.
for _path in (os.environ.get("ANSIBLE_COLLECTIONS_PATH") or "").split(os.pathsep) + [
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "build", "collections")]:
    if _path and os.path.isdir(os.path.join(_path, "ansible_collections", "keadhcp", "ha")):
        sys.path.insert(0, _path)
        break
from ansible_collections.keadhcp.ha.plugins.module_utils import _divergence  # noqa: E402

CLIENT_IMAGE = "keadhcp-client:bookworm"

# Sent to python3 on the server: one command on Kea's unix socket, the answer printed as JSON.
_ASK = r"""
import json, socket, sys
request = json.loads(sys.argv[1])
conn = socket.socket(socket.AF_UNIX)
conn.connect(sys.argv[2])
conn.sendall(json.dumps(request).encode())
data = b""
while True:
    chunk = conn.recv(65536)
    if not chunk:
        break
    data += chunk
    try:
        json.loads(data.decode())
        break
    except ValueError:
        pass
print(data.decode())
"""


class LabError(Exception):
    pass


def run(argv, check=True):
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    if check and done.returncode != 0:
        raise LabError("%s: exit %d: %s" % (" ".join(argv[:4]), done.returncode, (done.stderr or done.stdout).strip()))
    return done


def command(host, name, arguments=None, family=4):
    """Kea's answer to one command on ``host``'s control socket (a dict)."""
    request = {"command": name}
    if arguments is not None:
        request["arguments"] = arguments
    done = run(["docker", "exec", host, "python3", "-c", _ASK, json.dumps(request),
                "/run/kea/kea%d-ctrl-socket" % family], check=False)
    if done.returncode != 0:
        raise LabError("%s: %s: %s" % (host, name, (done.stderr or done.stdout).strip()))
    return json.loads(done.stdout)


def states(host, family=4):
    """``{local server name: (own state, partner's last state, communication interrupted, unacked clients)}``."""
    answer = command(host, "status-get", family=family)
    found = {}
    for rel in (answer.get("arguments") or {}).get("high-availability") or []:
        local, remote = rel["ha-servers"]["local"], rel["ha-servers"].get("remote") or {}
        found[local["server-name"]] = (local["state"], remote.get("last-state"), remote.get("communication-interrupted"),
                                       remote.get("unacked-clients"))
    return found


def leases(host, subnet_ids, family=4):
    answer = command(host, "lease%d-get-all" % family, {"subnets": list(subnet_ids)}, family=family)
    return (answer.get("arguments") or {}).get("leases") or []


def pid_of(container):
    return run(["docker", "inspect", "-f", "{{.State.Pid}}", container]).stdout.strip()


class Cut(object):
    """Every TCP packet between the central and one address dropped, both ways, in the central's network namespace.

    DHCP (UDP) still reaches both servers: the clients of the branch's LAN are
    still heard by the central, as through a relay that forwards to both.
    """

    def __init__(self, central, address):
        self.central, self.address = central, address
        self.rules = [["INPUT", "-s", address, "-p", "tcp", "-j", "DROP"],
                      ["OUTPUT", "-d", address, "-p", "tcp", "-j", "DROP"]]

    def _iptables(self, action, rule, check=True):
        return run(["nsenter", "-t", pid_of(self.central), "-n", "iptables", action] + rule, check=check)

    def start(self):
        for rule in self.rules:
            self._iptables("-I", rule)

    def heal(self):
        for rule in self.rules:
            while self._iptables("-C", rule, check=False).returncode == 0:
                self._iptables("-D", rule)


class Crowd(object):
    """DHCP clients on one Docker network: one container, one macvlan interface and one dhclient per client."""

    def __init__(self, name, network, label):
        self.name, self.network, self.label = name, network, label
        self.clients = []  # (interface, mac)

    def start(self):
        run(["docker", "rm", "-f", self.name], check=False)
        run(["docker", "run", "--detach", "--rm", "--name", self.name, "--label", "keadhcp.scenario=%s" % self.label,
             "--network", self.network, "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", CLIENT_IMAGE,
             "sleep", "infinity"])

    def add(self, mac, timeout=None):
        """A new client asking now, with ``mac``; it keeps its lease (renewing it) until the crowd is removed.

        ``timeout``: how long its attempts last (dhclient's own 60 s when None).
        """
        interface = "c%d" % (len(self.clients) + 1)
        conf = "timeout %d;\n" % timeout if timeout else ""
        script = ("set -e; ip link add link eth0 name {i} type macvlan mode bridge; ip link set {i} address {m}; "
                  "ip link set {i} up; printf '{c}' > /tmp/{i}.conf; "
                  "nohup dhclient -4 -d -v -cf /tmp/{i}.conf -lf /tmp/{i}.leases -pf /tmp/{i}.pid {i} "
                  ">/tmp/{i}.log 2>&1 &").format(i=interface, m=mac, c=conf)
        run(["docker", "exec", self.name, "bash", "-c", script])
        self.clients.append((interface, mac))
        return interface

    def logs(self):
        """``{mac: dhclient's log}`` of every client."""
        out = {}
        for interface, mac in self.clients:
            out[mac] = run(["docker", "exec", self.name, "cat", "/tmp/%s.log" % interface], check=False).stdout
        return out

    def remove(self):
        run(["docker", "rm", "-f", self.name], check=False)


ACK = re.compile(r"DHCPACK of ([0-9.]+) from ([0-9.]+)")


def acks(logs):
    """``[(mac, address, server)]`` of every DHCPACK the clients got, in the order of their logs."""
    return [(mac, address, server) for mac, text in sorted(logs.items()) for address, server in ACK.findall(text)]


def handed_twice(acked):
    """``{address: [macs]}`` of every address acknowledged to more than one client."""
    owners = {}
    for mac, address, _server in acked:
        owners.setdefault(address, [])
        if mac not in owners[address]:
            owners[address].append(mac)
    return dict((address, macs) for address, macs in owners.items() if len(macs) > 1)


def clock():
    return time.monotonic()


def lease_difference(central, branch, subnet_ids):
    """``_divergence.summary`` of the two ends' leases of ``subnet_ids``, every lease compared (no grace)."""
    return _divergence.summary(_divergence.compare(central, branch, subnet_ids, time.time(), 0))


def diverged(brief):
    return _divergence.diverged(brief)
