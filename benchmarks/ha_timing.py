# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: how fast the central takes over a failed branch, and gives it back.

Deploys a central and two branches (Kea 2.6, systemd containers, the same
images as the molecule scenarios) with playbooks/site.yml, timing the first
run against the idempotent second one. Then fails branch1 several times in
two ways and measures, from the failure, the time until the central's
relationship with branch1 is partner-down (takeover) and, from the branch's
return, the time until both ends are hot-standby again (recovery):

* service: the branch's kea-dhcp4 is stopped; its host still answers and
  refuses connections at once;
* host: the branch's container is stopped; its address vanishes and the
  central's connections time out instead.

Usage (from the repository root, after `make venv kea-images`):

    .venv/bin/python benchmarks/ha_timing.py [--rounds 3] [--keep]

Prints one line per measurement, then a summary line per kind and the
configured timers. Needs a Docker engine (scripts/ensure-docker.sh).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
PREFIX = "keabench"
PASSWORD = "benchmark-password"
TIMERS = {"heartbeat-delay": 1000, "max-response-delay": 3000, "max-unacked-clients": 0}
NETWORKS = {"lan1": "10.88.1", "lan2": "10.88.2"}


def sh(*args, check=True, capture=True):
    result = subprocess.run(args, stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT,
                            universal_newlines=True, check=False)
    if check and result.returncode != 0:
        raise SystemExit("failed: %s\n%s" % (" ".join(args), result.stdout))
    return result.stdout if capture else ""


def cgroup_source():
    return sh(os.path.join(ROOT, "scripts", "cgroup-source.sh")).strip()


def cleanup():
    for name in ("central", "branch1", "branch2"):
        sh("docker", "rm", "-f", "%s-%s" % (PREFIX, name), check=False)
    for lan in NETWORKS:
        sh("docker", "network", "rm", "%s-%s" % (PREFIX, lan), check=False)


def start_containers():
    cgroup = cgroup_source()
    for lan, net in NETWORKS.items():
        sh("docker", "network", "create", "--subnet", net + ".0/24", "--ip-range", net + ".0/28",
           "%s-%s" % (PREFIX, lan))
    layout = {"branch1": [("lan1", ".2")], "branch2": [("lan2", ".2")], "central": [("lan1", ".3"), ("lan2", ".3")]}
    for name, attachments in layout.items():
        (lan, host), rest = attachments[0], attachments[1:]
        sh("docker", "run", "-d", "--name", "%s-%s" % (PREFIX, name), "--hostname", name,
           "--network", "%s-%s" % (PREFIX, lan), "--ip", NETWORKS[lan] + host,
           "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", "--cgroupns=host",
           "-v", "%s:/sys/fs/cgroup:rw" % cgroup, "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp",
           "keadhcp-kea:2.6", "/sbin/init")
        for lan, host in rest:  # attached second: eth1
            sh("docker", "network", "connect", "--ip", NETWORKS[lan] + host, "%s-%s" % (PREFIX, lan),
               "%s-%s" % (PREFIX, name))
    for name in layout:
        for _attempt in range(60):
            state = sh("docker", "exec", "%s-%s" % (PREFIX, name), "systemctl", "is-system-running", check=False).strip()
            if state in ("running", "degraded"):
                break
            time.sleep(0.5)


def inventory(directory):
    topology = {
        "central": "central",
        "defaults": dict(TIMERS),
        "relationships": [
            {"branch": {"host": "branch%d" % n, "name": "branch%d" % n, "url": "http://%s.2:8001/" % net,
                        "interface": "eth0"},
             "central": {"name": "central-branch%d" % n, "url": "http://%s.3:8001/" % net, "interface": "eth%d" % (n - 1)},
             "subnets": [{"id": n, "subnet": "%s.0/24" % net, "pools": [{"pool": "%s.100 - %s.199" % (net, net)}]}]}
            for n, net in ((1, NETWORKS["lan1"]), (2, NETWORKS["lan2"]))],
    }

    def hosts(*names):
        return dict((name, {"ansible_host": "%s-%s" % (PREFIX, name)}) for name in names)
    data = {"all": {"vars": {"ansible_connection": "community.docker.docker", "kea_ha_api_password": PASSWORD,
                             "kea_ha_topology": topology},
                    "children": {"kea_central": {"hosts": hosts("central")},
                                 "kea_branches": {"hosts": hosts("branch1", "branch2")}}}}
    path = os.path.join(directory, "inventory.json")
    with open(path, "w") as handle:
        json.dump(data, handle)
    return path


class SiteFailed(SystemExit):
    """site.yml failed; ``output`` holds all it printed (the message, its end only)."""

    def __init__(self, output):
        SystemExit.__init__(self, "site.yml failed:\n" + output[-3000:])
        self.output = output


def run_site(path, **env):
    """One run of site.yml with extra environment; (seconds, its output)."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), PATH=BIN + os.pathsep + os.environ["PATH"],
               **env)
    started = time.time()
    result = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", path, os.path.join(ROOT, "playbooks", "site.yml")],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                            check=False)
    elapsed = time.time() - started
    if result.returncode != 0:
        raise SiteFailed(result.stdout)
    return elapsed, result.stdout


def site(path):
    return run_site(path)[0]


def states(host):
    """The local HA states of one server, in configuration order (None when unreadable)."""
    out = sh("docker", "exec", "%s-%s" % (PREFIX, host), "curl", "-s", "-m", "2", "-u", "kea-api:" + PASSWORD,
             "-H", "Content-Type: application/json", "-d", '{"command": "status-get", "service": ["dhcp4"]}',
             "http://127.0.0.1:8000/", check=False)
    try:
        answer = json.loads(out)[0]
        return [rel["ha-servers"]["local"]["state"] for rel in answer["arguments"]["high-availability"]]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def wait(condition, limit=120.0):
    started = time.time()
    while time.time() - started < limit:
        if condition():
            return time.time() - started
        time.sleep(0.1)
    raise SystemExit("timed out after %.0f s" % limit)


def all_hot_standby():
    return (states("central") == ["hot-standby", "hot-standby"] and states("branch1") == ["hot-standby"]
            and states("branch2") == ["hot-standby"])


def central_state(index):
    found = states("central")
    return found[index] if found else None


def failover(kind):
    """One failure of branch1 and its return; (takeover seconds, recovery seconds, branch2 undisturbed)."""
    wait(all_hot_standby)
    if kind == "service":
        started = time.time()
        sh("docker", "exec", PREFIX + "-branch1", "systemctl", "stop", "kea-dhcp4-server")
    else:
        # Timed from the moment the container (and its address) is gone.
        sh("docker", "stop", "-t", "2", PREFIX + "-branch1")
        started = time.time()
    undisturbed = []

    def taken_over():
        found = states("central")
        undisturbed.append(bool(found) and found[1] == "hot-standby")
        return bool(found) and found[0] == "partner-down"
    wait(taken_over)
    takeover = time.time() - started
    started = time.time()
    if kind == "service":
        sh("docker", "exec", PREFIX + "-branch1", "systemctl", "start", "kea-dhcp4-server")
    else:
        sh("docker", "start", PREFIX + "-branch1")
    recovery = wait(all_hot_standby)
    return takeover, recovery, all(undisturbed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="failovers of each kind (default 3)")
    parser.add_argument("--keep", action="store_true", help="leave the containers running afterwards")
    options = parser.parse_args()
    cleanup()
    results = {"service": [], "host": []}
    try:
        start_containers()
        with tempfile.TemporaryDirectory() as directory:
            path = inventory(directory)
            first = site(path)
            second = site(path)
        print("site.yml first run: %.1f s, second (idempotent) run: %.1f s" % (first, second))
        wait(all_hot_standby)
        for kind in ("service", "host"):
            for number in range(1, options.rounds + 1):
                takeover, recovery, undisturbed = failover(kind)
                results[kind].append((takeover, recovery))
                print("branch %s stopped, round %d: takeover %.1f s, recovery %.1f s, branch2 %s"
                      % (kind, number, takeover, recovery, "stayed hot-standby" if undisturbed else "WAS DISTURBED"))
    finally:
        if not options.keep:
            cleanup()
    expected = (TIMERS["heartbeat-delay"] + TIMERS["max-response-delay"]) / 1000.0
    for kind, label in (("service", "branch service stopped"), ("host", "branch host gone")):
        takeovers = [t for t, _r in results[kind]]
        recoveries = [r for _t, r in results[kind]]
        print("%s: takeover mean %.1f s (min %.1f, max %.1f), recovery mean %.1f s (min %.1f, max %.1f), %d rounds"
              % (label, statistics.mean(takeovers), min(takeovers), max(takeovers),
                 statistics.mean(recoveries), min(recoveries), max(recoveries), len(takeovers)))
    print("timers: heartbeat-delay %d ms, max-response-delay %d ms, max-unacked-clients %d; "
          "heartbeat-delay + max-response-delay = %.1f s"
          % (TIMERS["heartbeat-delay"], TIMERS["max-response-delay"], TIMERS["max-unacked-clients"], expected))


if __name__ == "__main__":
    main()
