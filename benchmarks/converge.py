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

    .venv/bin/python benchmarks/converge.py [--sizes 2,10,20] [--forks 20] [--profile N] [--keep]

--profile N times every task of the largest hub's re-run (ansible.posix's
profile_tasks callback) and prints its N slowest before the last line.

One line per size, then the growth per branch, then, last, exactly:
`converge <largest> branches: first=<s> second=<s> ratio=<second/first> calls_per_host=<n>`.

calls_per_host counts, from the unchanged re-run's JSON report (the
ansible.posix.json callback), the tasks that reached each host: modules run
there, fact gathering included; tasks skipped there, delegated elsewhere, or
done on the controller alone (set_fact, assert, debug, fail, meta, include_*,
argument-spec validation) are not counted. It is averaged over the hosts.
"""

import argparse
import ipaddress
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


class Hub:
    """A central and `count` branches in systemd containers, one Docker network per branch LAN.

    Branch N's LAN is `network % N`, the branch at its address 2 and the central at 3 (the central's
    LANs are eth0..eth<count-1> in order); Docker assigns the rest from the first 16 addresses, and the
    subnet's pool spans the addresses numbered `pool`.
    """

    def __init__(self, count, prefix=PREFIX, label="converge", network="10.91.%d.0/24", pool=(100, 199)):
        self.count, self.prefix, self.label, self.pattern, self.pool = count, prefix, label, network, pool

    def network(self, number):
        return self.pattern % number

    def address(self, number, host):
        """Address `host` (2, 3, ...) of branch `number`'s LAN."""
        return str(ipaddress.ip_network(self.network(number))[host])

    def container(self, name):
        return "%s-%s" % (self.prefix, name)

    def names(self):
        return ["central"] + ["branch%d" % n for n in range(1, self.count + 1)]

    def cleanup(self):
        selector = "label=keadhcp.benchmark=" + self.label
        names = ha_timing.sh("docker", "ps", "-aq", "--filter", selector, check=False).split()
        if names:
            ha_timing.sh("docker", "rm", "-f", *names, check=False)
        for network in ha_timing.sh("docker", "network", "ls", "-q", "--filter", selector, check=False).split():
            ha_timing.sh("docker", "network", "rm", network, check=False)

    def run(self, name, number, host, image="keadhcp-kea:2.6", systemd=True):
        """A container on branch `number`'s LAN at address `host`."""
        boot = (["--cap-add", "SYS_ADMIN", "--cgroupns=host", "-v", "%s:/sys/fs/cgroup:rw" % ha_timing.cgroup_source(),
                 "--tmpfs", "/run", "--tmpfs", "/run/lock", "--stop-signal", "SIGRTMIN+3", image, "/sbin/init"]
                if systemd else [image, "sleep", "infinity"])
        ha_timing.sh("docker", "run", "-d", "--name", self.container(name), "--hostname", name,
                     "--label", "keadhcp.benchmark=" + self.label, "--network", "%s-lan%d" % (self.prefix, number),
                     "--ip", self.address(number, host), "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW",
                     "--tmpfs", "/tmp", *boot)

    def start(self):
        for number in range(1, self.count + 1):
            first = ipaddress.ip_network(self.network(number))
            ha_timing.sh("docker", "network", "create", "--label", "keadhcp.benchmark=" + self.label,
                         "--subnet", str(first), "--ip-range", "%s/28" % first[0],
                         "%s-lan%d" % (self.prefix, number))
        self.run("central", 1, 3)
        for number in range(2, self.count + 1):
            ha_timing.sh("docker", "network", "connect", "--ip", self.address(number, 3),
                         "%s-lan%d" % (self.prefix, number), self.container("central"))
        for number in range(1, self.count + 1):
            self.run("branch%d" % number, number, 2)
        # They boot side by side: a few seconds each when alone, longer with a hundred on two cores; the
        # bound grows with their number (30 s, and 5 s a container).
        deadline = time.time() + 30 + 5 * len(self.names())
        for name in self.names():
            while True:
                state = ha_timing.sh("docker", "exec", self.container(name), "systemctl", "is-system-running",
                                     check=False).strip()
                if state in ("running", "degraded"):
                    break
                if time.time() > deadline:
                    raise SystemExit("%s did not boot (systemctl is-system-running: %s)" % (self.container(name), state))
                time.sleep(0.5)

    def uninstall(self):
        """Kea purged from every container at once; its packages stay in apt's cache for the roles to install."""
        script = ("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q %s >/tmp/purge.log 2>&1 "
                  "|| { cat /tmp/purge.log; exit 1; }; "
                  "ls /var/cache/apt/archives/kea-dhcp4-server_*.deb >/dev/null && ! command -v kea-dhcp4"
                  % " ".join(KEA_PACKAGES))
        running = [(name, subprocess.Popen(["docker", "exec", self.container(name), "sh", "-c", script],
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True))
                   for name in self.names()]
        for name, process in running:
            output = process.communicate()[0]
            if process.returncode != 0:
                raise SystemExit("%s: purging Kea before the first run failed:\n%s" % (self.container(name), output))

    def inventory(self, directory, defaults=None):
        """An inventory of this hub for site.yml (JSON), in `directory`; its path."""
        def subnet(n):
            first = ipaddress.ip_network(self.network(n))
            return {"id": n, "subnet": str(first),
                    "pools": [{"pool": "%s - %s" % (first[self.pool[0]], first[self.pool[1]])}]}
        relationships = [
            {"branch": {"host": "branch%d" % n, "name": "branch%d" % n, "url": "http://%s:8001/" % self.address(n, 2),
                        "interface": "eth0"},
             "central": {"name": "central-branch%d" % n, "url": "http://%s:8001/" % self.address(n, 3),
                         "interface": "eth%d" % (n - 1)},
             "subnets": [subnet(n)]}
            for n in range(1, self.count + 1)]
        topology = {"central": "central", "defaults": dict(ha_timing.TIMERS if defaults is None else defaults),
                    "relationships": relationships}

        def hosts(*names):
            return dict((name, {"ansible_host": self.container(name)}) for name in names)
        data = {"all": {"vars": {"ansible_connection": "community.docker.docker", "kea_ha_api_password": PASSWORD,
                                 "kea_ha_topology": topology},
                        "children": {"kea_central": {"hosts": hosts("central")},
                                     "kea_branches": {"hosts": hosts(*self.names()[1:])}}}}
        path = os.path.join(directory, "inventory-%d.json" % self.count)
        with open(path, "w") as handle:
            json.dump(data, handle)
        return path


def changed(output):
    return sum(int(count) for count in re.findall(r"\bchanged=(\d+)", output))


# What runs on the controller alone: not a round trip to the host.
CONTROLLER_ACTIONS = frozenset(
    prefix + name for prefix in ("", "ansible.builtin.", "ansible.legacy.")
    for name in ("set_fact", "assert", "debug", "fail", "meta", "include_tasks", "import_tasks", "include_role",
                 "import_role", "include_vars", "validate_argument_spec", "pause", "add_host", "group_by"))


def json_report(output):
    """The ansible.posix.json callback's report in a run's output (warnings may come before it)."""
    start = output.find("\n{")
    return json.loads(output[start + 1:] if not output.startswith("{") else output)


def failures(output):
    """``host: task: message`` of every failed task in a JSON report (in a failed run's output)."""
    try:
        report = json_report(output)
    except ValueError:
        return []
    found = []
    for play in report.get("plays", []):
        for task in play.get("tasks", []):
            for host, result in task.get("hosts", {}).items():
                if result.get("failed") or result.get("unreachable"):
                    found.append("%s: %s: %s" % (host, task["task"]["name"], str(result.get("msg", ""))[:1500]))
    return found


def calls_per_host(report):
    """The tasks of a run that reached each host (see the module docstring), averaged over the hosts."""
    counts = {}
    for play in report.get("plays", []):
        for task in play.get("tasks", []):
            for host, result in task.get("hosts", {}).items():
                counts.setdefault(host, 0)
                if result.get("skipped") or result.get("action") in CONTROLLER_ACTIONS:
                    continue
                if (result.get("_ansible_delegated_vars") or {}).get("ansible_delegated_host", host) != host:
                    continue
                counts[host] += 1
    return sum(counts.values()) / float(len(counts)) if counts else 0.0


def slowest(output):
    """The profile_tasks lines of a run's output (name, seconds), slowest first."""
    tasks = re.findall(r"^(\S.*?) -{3,} (\d+\.\d+)s$", output, re.MULTILINE)
    return sorted(((name, float(seconds)) for name, seconds in tasks), key=lambda task: -task[1])


def measure(count, forks, profile=0, defaults=None):
    env = {"ANSIBLE_PIPELINING": "True", "ANSIBLE_FORKS": str(forks)}
    hub = Hub(count)
    hub.cleanup()
    hub.start()
    hub.uninstall()
    with tempfile.TemporaryDirectory() as directory:
        path = hub.inventory(directory, defaults)
        first, _output = ha_timing.run_site(path, **env)
        try:
            second, output = ha_timing.run_site(path, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", **env)
        except ha_timing.SiteFailed as exc:
            raise SystemExit("converge %d branches: the unchanged re-run failed: %s"
                             % (count, "; ".join(failures(exc.output)) or str(exc)))
        report = json_report(output)
        changes = sum(stats.get("changed", 0) for stats in report.get("stats", {}).values())
        if changes:
            raise SystemExit("converge %d branches: the unchanged re-run changed %d things; it must change nothing"
                             % (count, changes))
        calls = calls_per_host(report)
        if profile:
            # a third run, not in the figures: profile_tasks needs the default output
            profiled = dict(env, ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks",
                            PROFILE_TASKS_TASK_OUTPUT_LIMIT="all", PROFILE_TASKS_SORT_ORDER="none")
            _seconds, output = ha_timing.run_site(path, **profiled)
            tasks = slowest(output)
            print("re-run of %d branches: %d tasks timed, %.1f s in all; the slowest:"
                  % (count, len(tasks), sum(seconds for _name, seconds in tasks)))
            for name, seconds in tasks[:profile]:
                print("  %6.1f s  %s" % (seconds, name))
    return first, second, calls


def raise_inotify_limit(containers):
    """Each systemd container takes inotify instances of the host's user (about five); Debian's default of 128 is
    used up near the 26th container, which then exits at boot without a word. Raised as playbooks/lab/create.yml
    does, and said so."""
    path = "/proc/sys/fs/inotify/max_user_instances"
    with open(path) as handle:
        now = int(handle.read())
    needed = 8 * containers + 128
    if now < needed:
        wanted = max(1024, needed)
        subprocess.run(["sysctl", "-q", "-w", "fs.inotify.max_user_instances=%d" % wanted], check=True)
        print("this host's fs.inotify.max_user_instances raised from %d to %d for %d systemd containers (it stays so "
              "until the next boot)" % (now, wanted, containers), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="2,10,20", help="numbers of branches, comma-separated (default 2,10,20)")
    parser.add_argument("--forks", type=int, default=20, help="Ansible forks (default 20)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="time the largest hub's re-run task by task and print its N slowest tasks")
    parser.add_argument("--keep", action="store_true", help="leave the last hub's containers running")
    parser.add_argument("--kea-timers", action="store_true",
                        help="Kea's default HA timers (heartbeat every 10 s) instead of the scenarios' short ones, as "
                             "docs/sizing.md advises for large hubs")
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    raise_inotify_limit(sizes[-1] + 1)
    results = {}
    try:
        for count in sizes:
            results[count] = measure(count, options.forks, options.profile if count == sizes[-1] else 0,
                                     defaults={} if options.kea_timers else None)
            first, second, calls = results[count]
            print("converge %d branches: first=%.1f s second=%.1f s ratio=%.2f (second run changed=0, %.1f module calls "
                  "per host)" % (count, first, second, second / first, calls), flush=True)
    finally:
        if not options.keep:
            Hub(0).cleanup()
    if len(sizes) > 1:
        low, high = sizes[0], sizes[-1]
        for label, index in (("first", 0), ("second", 1)):
            slope = (results[high][index] - results[low][index]) / (high - low)
            print("growth of the %s run from %d to %d branches: %.1f s per branch" % (label, low, high, slope))
    first, second, calls = results[sizes[-1]]
    print("converge %d branches: first=%.1f second=%.1f ratio=%.2f calls_per_host=%.1f"
          % (sizes[-1], first, second, second / first, calls))


if __name__ == "__main__":
    main()
