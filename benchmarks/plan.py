# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: the roles validate the topology once per play, whatever the number of hosts.

For 2, 20 and 200 branches (render.py's synthetic topology, without
interfaces so that any host can play any part), two measures:

* the roles' own checks and plan (``roles/kea_ha/tasks/plan.yml``) run by
  ansible-playbook against a central and N branches, all on this machine
  (``ansible_connection: local``): how many hosts the planning task (the one
  validation of the play) ran for, read from the ansible.posix.json report,
  and how long it took;
* side by side in Python, one plan of the whole topology (``ha_plan``, as the
  roles now compute it) against what the previous preflight and configure
  did, one full validation per host, twice (``host_interfaces`` and
  ``kea_configs``): the time of each and their ratio.

Usage (from the repository root): .venv/bin/python benchmarks/plan.py [--sizes 2,20,200] [--forks F]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from render import COLLECTIONS, build_topology  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.keadhcp.ha.plugins.filter.ha_plan import ha_plan  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.keadhcp.ha.plugins.filter.host_interfaces import host_interfaces  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.keadhcp.ha.plugins.filter.kea_configs import kea_configs  # noqa: E402  pylint: disable=wrong-import-position

PLAN_TASK = "Validate the whole topology and plan every host of the play, once, on the controller"

PLAYBOOK = """
- name: The roles' preflight, on every host at once
  hosts: kea_central:kea_branches
  gather_facts: false
  tasks:
    - name: Run keadhcp.ha's checks
      ansible.builtin.include_role:
        name: keadhcp.ha.kea_ha
        tasks_from: plan.yml
"""


# Without interfaces on the peers, the hosts listen where their base configuration says.
BASE = {"interfaces-config": {"interfaces": ["*"]}}


def topology(branches):
    """render.py's topology with ``branches`` branches, without interfaces (the base lists them)."""
    topo = build_topology(branches)
    for rel in topo["relationships"]:
        rel["branch"].pop("interface")
        rel["central"].pop("interface")
    return topo


def hosts_of(topo):
    return [topo["central"]] + [rel["branch"]["host"] for rel in topo["relationships"]]


def inventory(topo):
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    return {"all": {
        "vars": {"kea_ha_topology": topo, "kea_ha_api_password": "benchmark-password", "kea_ha_version": "2.6",
                 "kea_ha_base_config": BASE},
        "children": {
            "kea_central": {"hosts": {topo["central"]: local}},
            "kea_branches": {"hosts": dict((rel["branch"]["host"], local) for rel in topo["relationships"])},
        }}}


def preflight(topo, forks):
    """(hosts the planning task ran for, its seconds, the play's seconds) from a real ansible-playbook run."""
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "inventory.json"), "w") as handle:
            json.dump(inventory(topo), handle)
        with open(os.path.join(work, "preflight.yml"), "w") as handle:
            handle.write(PLAYBOOK)
        env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
                   ANSIBLE_FORKS=str(forks), ANSIBLE_HOST_KEY_CHECKING="false")
        env.pop("ANSIBLE_CONFIG", None)
        playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
        started = time.perf_counter()
        run = subprocess.run([playbook, "-i", os.path.join(work, "inventory.json"), os.path.join(work, "preflight.yml")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, env=env,
                             check=False, cwd=work)
        elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit("benchmarks/plan.py: the preflight failed (exit %d): %s%s"
                         % (run.returncode, run.stderr[-1500:], run.stdout[-1500:]))
    report = json.loads(run.stdout)
    for play in report["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"].endswith(PLAN_TASK):
                duration = task["task"]["duration"]
                seconds = _seconds(duration["end"]) - _seconds(duration["start"])
                return len(task["hosts"]), seconds, elapsed
    raise SystemExit("benchmarks/plan.py: no task named %r in the report" % PLAN_TASK)


def _seconds(stamp):
    from datetime import datetime
    return datetime.strptime(stamp.rstrip("Z")[:26], "%Y-%m-%dT%H:%M:%S.%f").timestamp()


def best(func, repeat=3):
    times = []
    for _round in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def side_by_side(topo):
    """(seconds of one plan, seconds of the former per-host validations)."""
    hosts = hosts_of(topo)

    def once():
        ha_plan(topo, base=BASE, known_hosts=hosts)

    def per_host():
        for host in hosts:
            host_interfaces(topo, host, base=BASE, known_hosts=hosts)
            kea_configs(topo, base=BASE, known_hosts=hosts)[host]

    return best(once), best(per_host, repeat=1 if len(hosts) > 50 else 3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="2,20,200", help="numbers of branches (default 2,20,200)")
    parser.add_argument("--forks", type=int, default=20, help="ansible-playbook forks (default 20)")
    args = parser.parse_args(argv)
    for branches in [int(size) for size in args.sizes.split(",")]:
        topo = topology(branches)
        ran_for, plan_seconds, play_seconds = preflight(topo, args.forks)
        once, per_host = side_by_side(topo)
        print("plan %d branches: %d hosts, validations in the play: %d (%.2f s of a %.1f s plan play); "
              "once=%.4f s per-host-before=%.4f s ratio=%.1f"
              % (branches, branches + 1, ran_for, plan_seconds, play_seconds, once, per_host, per_host / once))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
