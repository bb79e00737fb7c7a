# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: validate and assemble a large synthetic DHCPv4 topology.

One central and N branches, four /24 subnets per branch. For each N the
benchmark times ``load_topology(topology).configs()`` (validation plus every
host's configuration) and, as a floor, ``json.loads(json.dumps(output))`` of
that same output: the cheapest conceivable way to produce that many nested
dicts and lists in Python. Each time is the best of several repetitions.

The last line is the N=500 (2000 subnets) result. The run fails when that
total is 1 s or more, or more than 10 times the floor; ``--no-check`` skips
the check.

Usage (from the repository root): python benchmarks/render.py [--no-check] [--repeat R]
"""

import argparse
import gc
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, "build", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "keadhcp", "ha")
if not os.path.isdir(LINK):
    sys.exit("benchmarks/render.py: %s is missing; run 'make venv' (or create the symlink to the repository root)" % LINK)
sys.path.insert(0, COLLECTIONS)
try:
    import netaddr  # noqa: F401  pylint: disable=unused-import
except ImportError:
    sys.exit("benchmarks/render.py: needs netaddr; run it with the project's venv (.venv/bin/python or 'make benchmark')")

from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology  # noqa: E402  pylint: disable=wrong-import-position

SIZES = (250, 500, 1000)  # branches; four subnets each
CHECK_SIZE = 500
MAX_TOTAL = 1.0  # seconds
MAX_RATIO = 10.0
SUBNETS_PER_BRANCH = 4


def _ip(index, host):
    """The ``host`` address of the ``index``-th /24 carved from 10.0.0.0/8."""
    return "10.%d.%d.%d" % (index // 256, index % 256, host)


def build_topology(branches):
    """A hot-standby v4 topology: one central, ``branches`` branches."""
    if branches * SUBNETS_PER_BRANCH > 256 * 256:
        raise ValueError("at most %d branches fit in 10.0.0.0/8" % (256 * 256 // SUBNETS_PER_BRANCH))
    relationships = []
    for number in range(branches):
        first = number * SUBNETS_PER_BRANCH  # index of the branch's first /24
        interface = "lan-%03d" % number
        subnets = []
        for index in range(first, first + SUBNETS_PER_BRANCH):
            subnets.append({
                "id": index + 1,
                "subnet": "%s/24" % _ip(index, 0),
                "pools": [{"pool": "%s - %s" % (_ip(index, 100), _ip(index, 199))}],
                "option-data": [{"name": "routers", "data": _ip(index, 1)}],
            })
        relationships.append({
            "branch": {"host": "branch%03d-kea" % number, "name": "branch%03d" % number,
                       "url": "http://%s:8001/" % _ip(first, 2), "interface": interface},
            "central": {"name": "central-for-%03d" % number,
                        "url": "http://%s:8001/" % _ip(first, 3), "interface": interface},
            "subnets": subnets,
        })
    return {
        "family": 4,
        "central": "central-kea",
        "defaults": {
            "mode": "hot-standby",
            "heartbeat-delay": 10000,
            "max-response-delay": 30000,
            "max-unacked-clients": 0,
            "multi-threading": {
                "enable-multi-threading": True,
                "http-dedicated-listener": True,
                "http-listener-threads": 4,
                "http-client-threads": 4,
            },
        },
        "relationships": relationships,
    }


def render(topology):
    return load_topology(topology).configs()


def floor(output):
    return json.loads(json.dumps(output))


def timed(func, arg):
    """Seconds one call of ``func(arg)`` takes, after a garbage collection."""
    gc.collect()
    start = time.perf_counter()
    func(arg)
    return time.perf_counter() - start


def check_output(output, branches):
    """Make sure the timed call produced the whole thing (not an error path)."""
    if len(output) != branches + 1:
        raise SystemExit("expected %d hosts, got %d" % (branches + 1, len(output)))
    central = output["central-kea"]["Dhcp4"]
    if len(central["subnet4"]) != branches * SUBNETS_PER_BRANCH:
        raise SystemExit("central has %d subnets, expected %d" % (len(central["subnet4"]), branches * SUBNETS_PER_BRANCH))
    ha = central["hooks-libraries"][1]["parameters"]["high-availability"]
    if len(ha) != branches:
        raise SystemExit("central has %d HA relationships, expected %d" % (len(ha), branches))


def measure(branches, repeat):
    """Best render time and best floor time for ``branches`` branches.

    Render and floor runs alternate, so that a burst of load on the machine
    slows both alike rather than skewing their ratio.
    """
    topology = build_topology(branches)
    output = render(topology)
    check_output(output, branches)
    totals, floors = [], []
    for _round in range(repeat):
        totals.append(timed(render, topology))
        floors.append(timed(floor, output))
    return min(totals), min(floors)


def line(subnets, total, base):
    return "render %d subnets: total=%.4f floor=%.4f ratio=%.2f" % (subnets, total, base, total / base)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-check", action="store_true", help="report only; do not fail on the N=%d goal" % CHECK_SIZE)
    parser.add_argument("--repeat", type=int, default=7, metavar="R", help="repetitions per measurement, best kept (default 7)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    results = {}
    for branches in SIZES:
        total, base = measure(branches, args.repeat)
        results[branches] = (total, base)
        if branches == CHECK_SIZE:
            continue  # printed last, in the exact format
        subnets = branches * SUBNETS_PER_BRANCH
        print("%s  per-subnet: total=%.1fus floor=%.1fus"
              % (line(subnets, total, base), 1e6 * total / subnets, 1e6 * base / subnets))
        sys.stdout.flush()
    subnets = CHECK_SIZE * SUBNETS_PER_BRANCH
    total, base = results[CHECK_SIZE]
    print(line(subnets, total, base))
    sys.stdout.flush()

    if args.no_check:
        return 0
    failed = []
    if total / base > MAX_RATIO:
        failed.append("ratio %.2f > %g" % (total / base, MAX_RATIO))
    if total >= MAX_TOTAL:
        failed.append("total %.4f s >= %g s" % (total, MAX_TOTAL))
    if failed:
        sys.stderr.write("benchmarks/render.py: goal missed for %d subnets: %s\n" % (subnets, "; ".join(failed)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
