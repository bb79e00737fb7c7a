#!/usr/bin/env python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Crashes in the middle of an apply: the central's Kea killed while site.yml changes it, and site.yml itself killed.

    crash.py --central fa-central --branch fa-branch1 --subnet 1 --topology topology.json --workdir DIR
             --ansible-playbook PATH --site playbooks/site.yml [--seed N]

Three changes of one subnet of relationship ``--subnet`` (its domain-name
option), each brought by site.yml and each interrupted:

1. ``file``: the central's kea-dhcp4 killed (SIGKILL) the moment the new
   /etc/kea/kea-dhcp4.conf is in place, before Kea is told (a watcher on
   the central polls the file's inode every millisecond);
2. ``config-set``: killed the moment Kea logs that it received the
   ``config-set`` (a watcher follows the server's journal);
3. ``run``: site.yml itself killed (SIGKILL, its whole process group) when
   it begins a task drawn at random (``--seed`` repeats a draw).

After each: the file on the central is whole and Kea accepts it
(``kea-dhcp4 -t``), the previous one is kept as a backup and no temporary is
left; the next run of site.yml passes, ends healthy (its own health check)
and says what it mended; the run after that changes nothing; every
relationship is in hot-standby at both ends; the wanted option runs on both
ends; and a lease the central held before the first crash (written through
its control socket, so that only its memfile holds it) is still there.
The lease is removed at the end; the topology is left as site.yml last
brought it (the caller runs site.yml once more with the inventory's).

Each check that fails prints "crash: FAILED: ..."; the figures go on lines
starting with "faults: crash". Exit 1 when a check failed, 2 when the lab
could not be driven.
"""

import argparse
import copy
import json
import os
import random
import signal
import subprocess
import sys
import time

import lab

CONFIG = "/etc/kea/kea-dhcp4.conf"
SERVICE = "kea-dhcp4-server"
REPORT = "/tmp/keadhcp-crash.json"
READY = "/tmp/keadhcp-crash.ready"

# The lease that only the central's memfile holds (lease4-add is not sent to the partner).
PROBE_LEASE = {"ip-address": "10.89.1.190", "hw-address": "02:89:01:cc:00:01", "valid-lft": 7200}

# Run on the central, with python3: kill kea-dhcp4 at one moment of the next apply, say so in REPORT.
_WATCH = r"""
import json, os, signal, subprocess, sys, time
mode, config, service, report, ready = sys.argv[1:6]
for path in (report, ready):
    if os.path.exists(path):
        os.unlink(path)
before = os.stat(config).st_ino
if mode == "file":
    open(ready, "w").close()
    while True:
        try:
            if os.stat(config).st_ino != before:
                break
        except OSError:
            pass
        time.sleep(0.001)
    seen = "the new %s in place" % config
else:
    journal = subprocess.Popen(["journalctl", "--follow", "--lines=0", "--output=cat", "--unit", service],
                               stdout=subprocess.PIPE, universal_newlines=True)
    time.sleep(1)
    open(ready, "w").close()
    for line in journal.stdout:
        if "'config-set'" in line:
            break
    seen = line.strip()
    journal.kill()
pid = int(subprocess.check_output(["pidof", "kea-dhcp4"]).split()[0])
os.kill(pid, signal.SIGKILL)
with open(report, "w") as out:
    json.dump({"killed": pid, "seen": seen, "file_replaced": os.stat(config).st_ino != before}, out)
"""


class CrashError(Exception):
    pass


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    for name in ("central", "branch", "topology", "workdir", "ansible-playbook", "site"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--subnet", type=int, required=True)
    parser.add_argument("--seed", type=int, default=None)
    return parser.parse_args(argv)


def changed_topology(topology, subnet_id, value):
    """``topology`` with the domain-name option of subnet ``subnet_id`` set to ``value``."""
    changed = copy.deepcopy(topology)
    for rel in changed["relationships"]:
        for subnet in rel.get("subnets") or []:
            if subnet.get("id") == subnet_id:
                options = [o for o in subnet.get("option-data") or [] if o.get("name") != "domain-name"]
                subnet["option-data"] = options + [{"name": "domain-name", "data": value}]
                return changed
    raise CrashError("the topology has no subnet %d" % subnet_id)


class Run(object):
    """One finished run of site.yml, read from the ansible.posix.json callback."""

    def __init__(self, done):
        self.rc = done.returncode
        text = done.stdout.lstrip()
        self.report = json.loads(text) if text.startswith("{") else {}
        self.stderr = done.stderr
        self.tasks = 0
        self.failed, self.mended = [], {}
        for play in self.report.get("plays") or []:
            for task in play.get("tasks") or []:
                self.tasks += 1
                for host, result in (task.get("hosts") or {}).items():
                    if result.get("failed") or result.get("unreachable"):
                        self.failed.append("%s: %s: %s" % (host, task["task"]["name"], result.get("msg", "")))
                    if result.get("changed"):
                        self.mended.setdefault(host, []).extend(_what(task["task"]["name"], result))

    @property
    def changed(self):
        return dict((host, stats.get("changed", 0)) for host, stats in (self.report.get("stats") or {}).items()
                    if stats.get("changed", 0))

    def text(self):
        return " | ".join(self.failed) or (self.stderr or "")[-1500:]


def _what(task, result):
    """What one changed task did: kea_server's own account (files, services, servers applied), or its name."""
    parts = list(result.get("files") or []) + list(result.get("services") or [])
    parts += ["%s %s" % (server.get("service"), server.get("method")) for server in result.get("servers") or []
              if server.get("method") not in (None, "none")]
    return parts or [task]


class Lab(object):
    def __init__(self, args):
        self.args = args
        self.inventory = os.path.dirname(os.environ["MOLECULE_INVENTORY_FILE"])
        with open(args.topology) as handle:
            self.topology = json.load(handle)

    def site(self, value, kill_at=None):
        """site.yml with the subnet's domain-name ``value``; ``kill_at``: SIGKILL it when it begins that task."""
        path = os.path.join(self.args.workdir, "crash-%s.json" % value.split(".")[0])
        with open(path, "w") as out:
            json.dump({"kea_ha_topology": changed_topology(self.topology, self.args.subnet, value)}, out)
        argv = [self.args.ansible_playbook, "--inventory", self.inventory, "--extra-vars", "@" + path, self.args.site]
        env = dict(os.environ, ANSIBLE_RETRY_FILES_ENABLED="false", ANSIBLE_STDOUT_CALLBACK="ansible.posix.json")
        if kill_at is None:
            return Run(subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                                      env=env, check=False))
        # the default callback, which prints each task's name as it begins
        env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.builtin.default"
        env["ANSIBLE_FORCE_COLOR"] = "false"
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                   env=env, start_new_session=True)
        count, name = 0, None
        for line in process.stdout:
            if line.startswith("TASK ["):
                count += 1
                if count == kill_at:
                    name = line.strip().rstrip("*").strip()
                    os.killpg(process.pid, signal.SIGKILL)
                    break
        process.wait()
        return name

    def start_watch(self, mode):
        lab.run(["docker", "exec", "--detach", self.args.central, "python3", "-c", _WATCH, mode, CONFIG, SERVICE,
                 REPORT, READY])
        started = lab.clock()
        while lab.run(["docker", "exec", self.args.central, "test", "-e", READY], check=False).returncode != 0:
            # python3's start on the central: a second or two
            if lab.clock() - started > 60:
                raise CrashError("the watcher on %s did not start within 60 s" % self.args.central)
            time.sleep(0.2)

    def watch_report(self):
        done = lab.run(["docker", "exec", self.args.central, "cat", REPORT], check=False)
        if done.returncode != 0:
            lab.run(["docker", "exec", self.args.central, "pkill", "-f", "keadhcp-crash"], check=False)
            return None
        return json.loads(done.stdout)

    def shell(self, host, script, check=True):
        return lab.run(["docker", "exec", host, "bash", "-c", script], check=check)

    def files(self):
        """The central's config, its backups and any temporary left beside it."""
        names = self.shell(self.args.central, "ls -a /etc/kea").stdout.split()
        base = os.path.basename(CONFIG)
        return {"backups": sorted(n for n in names if n.startswith(base + ".") and n.endswith("~")),
                "temporaries": sorted(n for n in names if n.startswith("." + base + "."))}

    def modules_running(self):
        """Hosts where a module of a killed run still runs (docker exec leaves it running when its client dies).

        Modules are the only Python the servers run (with pipelining, a bare python3 reading its stdin).
        """
        hosts = [self.args.central] + self.branches()
        return [host for host in hosts if lab.run(["docker", "exec", host, "pgrep", "python3"], check=False).returncode == 0]

    def branches(self):
        return [rel["branch"]["host"] for rel in self.topology["relationships"]]

    def running_option(self, host):
        config = lab.command(host, "config-get")["arguments"]["Dhcp4"]
        for subnet in config.get("subnet4") or []:
            if subnet.get("id") == self.args.subnet:
                return dict((o["name"], o["data"]) for o in subnet.get("option-data") or []).get("domain-name")
        return None

    def not_hot_standby(self):
        out = []
        for host in [self.args.central] + self.branches():
            for name, state in sorted(lab.states(host).items()):
                if state[0] != "hot-standby":
                    out.append("%s on %s %s" % (name, host, state[0]))
        return out


def check_after(crash, label, value, failures, backups_before):
    """The checks every interruption ends with; returns the mend run and the one after it."""
    files = crash.files()
    test = crash.shell(crash.args.central, "kea-dhcp4 -t %s" % CONFIG, check=False)
    if test.returncode != 0:
        failures.append("%s: after the crash Kea refuses %s: %s" % (label, CONFIG, test.stdout[-500:]))
    if files["temporaries"]:
        failures.append("%s: temporaries left in /etc/kea: %s" % (label, ", ".join(files["temporaries"])))
    mend = crash.site(value)
    if mend.rc != 0:
        failures.append("%s: the run after the crash failed: %s" % (label, mend.text()))
    again = crash.site(value)
    if again.rc != 0 or again.changed:
        failures.append("%s: the run after that: rc %d, changed %s (wanted rc 0, nothing changed): %s"
                        % (label, again.rc, again.changed, again.text() if again.rc else ""))
    left = crash.not_hot_standby()
    if left:
        failures.append("%s: not every relationship in hot-standby: %s" % (label, "; ".join(left)))
    for host in (crash.args.central, crash.args.branch):
        found = crash.running_option(host)
        if found != value:
            failures.append("%s: %s runs domain-name %r on subnet %d, wanted %r"
                            % (label, host, found, crash.args.subnet, value))
    backups = crash.files()["backups"]
    if len(backups) <= len(backups_before) and label != "run":
        failures.append("%s: no backup of the previous %s kept (backups: %s)" % (label, CONFIG, backups))
    lease = lab.command(crash.args.central, "lease4-get", {"ip-address": PROBE_LEASE["ip-address"]})
    if lease.get("result") != 0 or (lease.get("arguments") or {}).get("hw-address") != PROBE_LEASE["hw-address"]:
        failures.append("%s: the lease of %s the central held before the crash is lost: %s"
                        % (label, PROBE_LEASE["ip-address"], lease.get("text")))
    return mend, again


def main(argv=None):
    args = parse(argv if argv is not None else sys.argv[1:])
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 16)
    draw = random.Random(seed)
    failures = []
    crash = Lab(args)
    added = False
    try:
        added = lab.command(args.central, "lease4-add", dict(PROBE_LEASE, **{"subnet-id": args.subnet}))
        if added.get("result") != 0:
            raise CrashError("lease4-add on %s: %s" % (args.central, added.get("text")))
        tasks = 0
        for number, mode in enumerate(("file", "config-set", "run"), 1):
            value = "crash%d.faults.example" % number
            backups = crash.files()["backups"]
            started = lab.clock()
            if mode == "run":
                kill_at = draw.randint(1, max(tasks, 1))
                killed = crash.site(value, kill_at=kill_at)
                waited = lab.clock()
                # what the killed run had begun on the hosts goes on without it; the modules bound their own
                # waits (a server's start and its health, the plan's healthy_within), 600 s only ends a hung one
                while crash.modules_running() and lab.clock() - waited < 600:
                    time.sleep(1)
                what = "site.yml killed at task %d of %d (seed %d): %s" % (kill_at, tasks, seed, killed)
                if killed is None:
                    failures.append("run: site.yml ended before its task %d: nothing was killed" % kill_at)
            else:
                crash.start_watch(mode)
                interrupted = crash.site(value)
                report = crash.watch_report()
                if not report:
                    raise CrashError("%s: the central's Kea was not killed during the run (rc %d: %s)"
                                     % (mode, interrupted.rc, interrupted.text()))
                what = "kea-dhcp4 killed at %s; that run: rc %d%s" % (
                    report["seen"], interrupted.rc, ", " + interrupted.text()[:300] if interrupted.rc else "")
            mend, again = check_after(crash, mode, value, failures, backups)
            tasks = tasks or again.tasks - 1
            print("faults: crash %d (%s): %s; the next run (rc %d) mended %s; the run after changed %s; %.0f s" % (
                number, mode, what, mend.rc,
                "; ".join("%s: %s" % (host, ", ".join(done)) for host, done in sorted(mend.mended.items()))
                or "nothing", again.changed or "nothing", lab.clock() - started))
    except (lab.LabError, CrashError) as exc:
        print("crash: the lab could not be driven: %s" % exc)
        return 2
    finally:
        lab.run(["docker", "exec", args.central, "pkill", "-f", "keadhcp-crash"], check=False)
        if added:
            try:
                lab.command(args.central, "lease4-del", {"ip-address": PROBE_LEASE["ip-address"]})
            except lab.LabError as exc:
                print("crash: the probe lease %s could not be removed: %s" % (PROBE_LEASE["ip-address"], exc))
    for failure in failures:
        print("crash: FAILED: %s" % failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
