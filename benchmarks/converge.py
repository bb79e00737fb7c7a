# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: site.yml's first run against an unchanged re-run, for hubs of 2, 10 and 20 branches.

For each size, a central and N branches (Kea 2.6, systemd containers, the
images of the molecule scenarios; one network per branch LAN) start without
Kea: its packages are purged from every container first, so that the first
run of playbooks/site.yml is a first deployment that installs them (from the
.debs the image keeps in apt's cache: no network, and no mirror's speed in
the figures). site.yml (pipelining on, as the scenarios run) then runs again
on the unchanged topology, which must report changed=0. Both runs are timed; the sizes run one after the other, each on its own
containers, so every figure of a line is measured under the same load.

Usage (from the repository root, after `make venv kea-images`):

    .venv/bin/python benchmarks/converge.py [--sizes 2,10,20] [--forks 20] [--keep]

One line per size, then the growth per branch, then, last, exactly:
`converge <largest> branches: first=<s> second=<s> ratio=<second/first>`.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ha_timing  # noqa: E402  (shell helper, cgroup source, site.yml runner)

PREFIX = "keaconv"
# What the images install and a first deployment finds absent (the libraries
# they pull in, boost and log4cplus, stay: a purge leaves them behind).
KEA_PACKAGES = ("kea-dhcp4-server", "kea-dhcp6-server", "kea-ctrl-agent", "kea-admin", "kea-common",
                "python3-kea-connector")
PASSWORD = "benchmark-password"


def net(number):
    return "10.91.%d" % number


def cleanup():
    names = ha_timing.sh("docker", "ps", "-aq", "--filter", "label=keadhcp.benchmark=converge", check=False).split()
    if names:
        ha_timing.sh("docker", "rm", "-f", *names, check=False)
    for network in ha_timing.sh("docker", "network", "ls", "-q", "--filter", "label=keadhcp.benchmark=converge",
                                check=False).split():
        ha_timing.sh("docker", "network", "rm", network, check=False)


def start(count):
    """The containers of a hub of `count` branches; the central's LANs are eth0..eth<count-1> in order."""
    cgroup = ha_timing.cgroup_source()
    for number in range(1, count + 1):
        ha_timing.sh("docker", "network", "create", "--label", "keadhcp.benchmark=converge",
                     "--subnet", net(number) + ".0/24", "--ip-range", net(number) + ".0/28",
                     "%s-lan%d" % (PREFIX, number))

    def run(name, number, host):
        ha_timing.sh("docker", "run", "-d", "--name", "%s-%s" % (PREFIX, name), "--hostname", name,
                     "--label", "keadhcp.benchmark=converge",
                     "--network", "%s-lan%d" % (PREFIX, number), "--ip", net(number) + host,
                     "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", "--cgroupns=host",
                     "-v", "%s:/sys/fs/cgroup:rw" % cgroup, "--tmpfs", "/run", "--tmpfs", "/run/lock",
                     "--tmpfs", "/tmp", "--stop-signal", "SIGRTMIN+3", "keadhcp-kea:2.6", "/sbin/init")
    run("central", 1, ".3")
    for number in range(2, count + 1):
        ha_timing.sh("docker", "network", "connect", "--ip", net(number) + ".3", "%s-lan%d" % (PREFIX, number),
                     "%s-central" % PREFIX)
    for number in range(1, count + 1):
        run("branch%d" % number, number, ".2")
    for name in ["central"] + ["branch%d" % n for n in range(1, count + 1)]:
        for _attempt in range(120):
            state = ha_timing.sh("docker", "exec", "%s-%s" % (PREFIX, name), "systemctl", "is-system-running",
                                 check=False).strip()
            if state in ("running", "degraded"):
                break
            time.sleep(0.5)
        else:
            raise SystemExit("%s-%s did not boot (systemctl is-system-running: %s)" % (PREFIX, name, state))


def uninstall(names):
    """Kea purged from these containers at once; its packages stay in apt's cache for the roles to install."""
    script = ("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q %s >/tmp/purge.log 2>&1 || { cat /tmp/purge.log; exit 1; }; "
              "ls /var/cache/apt/archives/kea-dhcp4-server_*.deb >/dev/null && ! command -v kea-dhcp4"
              % " ".join(KEA_PACKAGES))
    running = [(name, subprocess.Popen(["docker", "exec", "%s-%s" % (PREFIX, name), "sh", "-c", script],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True))
               for name in names]
    for name, process in running:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit("%s-%s: purging Kea before the first run failed:\n%s" % (PREFIX, name, output))


def inventory(directory, count):
    relationships = [
        {"branch": {"host": "branch%d" % n, "name": "branch%d" % n, "url": "http://%s.2:8001/" % net(n),
                    "interface": "eth0"},
         "central": {"name": "central-branch%d" % n, "url": "http://%s.3:8001/" % net(n),
                     "interface": "eth%d" % (n - 1)},
         "subnets": [{"id": n, "subnet": "%s.0/24" % net(n), "pools": [{"pool": "%s.100 - %s.199" % (net(n), net(n))}]}]}
        for n in range(1, count + 1)]
    topology = {"central": "central", "defaults": dict(ha_timing.TIMERS), "relationships": relationships}

    def hosts(*names):
        return dict((name, {"ansible_host": "%s-%s" % (PREFIX, name)}) for name in names)
    data = {"all": {"vars": {"ansible_connection": "community.docker.docker", "kea_ha_api_password": PASSWORD,
                             "kea_ha_topology": topology},
                    "children": {"kea_central": {"hosts": hosts("central")},
                                 "kea_branches": {"hosts": hosts(*["branch%d" % n for n in range(1, count + 1)])}}}}
    path = os.path.join(directory, "inventory-%d.json" % count)
    with open(path, "w") as handle:
        json.dump(data, handle)
    return path


def changed(output):
    return sum(int(count) for count in re.findall(r"\bchanged=(\d+)", output))


def measure(count, forks):
    env = {"ANSIBLE_PIPELINING": "True", "ANSIBLE_FORKS": str(forks)}
    cleanup()
    start(count)
    uninstall(["central"] + ["branch%d" % n for n in range(1, count + 1)])
    with tempfile.TemporaryDirectory() as directory:
        path = inventory(directory, count)
        first, _output = ha_timing.run_site(path, **env)
        second, output = ha_timing.run_site(path, **env)
    if changed(output):
        raise SystemExit("converge %d branches: the unchanged re-run changed %d things; it must change nothing"
                         % (count, changed(output)))
    return first, second


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="2,10,20", help="numbers of branches, comma-separated (default 2,10,20)")
    parser.add_argument("--forks", type=int, default=20, help="Ansible forks (default 20)")
    parser.add_argument("--keep", action="store_true", help="leave the last hub's containers running")
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    if sizes[-1] > 24:
        raise SystemExit("at most 24 branches here: each systemd container takes inotify instances, and Debian's "
                         "default fs.inotify.max_user_instances (128) is used up near 26 containers; the scale "
                         "scenario (make scale) raises it")
    results = {}
    try:
        for count in sizes:
            results[count] = measure(count, options.forks)
            first, second = results[count]
            print("converge %d branches: first=%.1f s second=%.1f s ratio=%.2f (second run changed=0)"
                  % (count, first, second, second / first), flush=True)
    finally:
        if not options.keep:
            cleanup()
    if len(sizes) > 1:
        low, high = sizes[0], sizes[-1]
        for label, index in (("first", 0), ("second", 1)):
            slope = (results[high][index] - results[low][index]) / (high - low)
            print("growth of the %s run from %d to %d branches: %.1f s per branch" % (label, low, high, slope))
    first, second = results[sizes[-1]]
    print("converge %d branches: first=%.1f second=%.1f ratio=%.2f" % (sizes[-1], first, second, second / first))


if __name__ == "__main__":
    main()
