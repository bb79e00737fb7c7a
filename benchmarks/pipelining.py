# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: an unchanged re-run of site.yml with and without Ansible's pipelining.

Deploys ha_timing.py's lab (a central and two branches, Kea 2.6 in systemd
containers) with playbooks/site.yml once, then re-runs site.yml on the
unchanged topology, alternately with ANSIBLE_PIPELINING off and on, so that
both see the same machine load. Without pipelining every module task costs
several round trips to the host (a temporary directory, the module copied
there, the run, the clean-up); with it, one. The same holds for SSH, where
each round trip is a network exchange.

Usage (from the repository root, after `make venv kea-images`):

    .venv/bin/python benchmarks/pipelining.py [--rounds 2] [--keep]

Last line: `pipelining site.yml re-run: off=<s> on=<s> ratio=<on/off>`
(means over the rounds). Every re-run must report changed=0.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ha_timing  # noqa: E402  (the lab: containers, inventory, clean-up)


def site(path, pipelining):
    elapsed, output = ha_timing.run_site(path, ANSIBLE_PIPELINING="True" if pipelining else "False")
    return elapsed, sum(int(count) for count in re.findall(r"\bchanged=(\d+)", output))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=2, help="re-runs of each kind (default 2)")
    parser.add_argument("--keep", action="store_true", help="leave the containers running afterwards")
    options = parser.parse_args()
    ha_timing.cleanup()
    times = {False: [], True: []}
    try:
        ha_timing.start_containers()
        with tempfile.TemporaryDirectory() as directory:
            path = ha_timing.inventory(directory)
            first, _changed = site(path, True)
            print("site.yml first run (pipelining on): %.1f s" % first)
            for number in range(1, options.rounds + 1):
                for pipelining in (False, True):
                    elapsed, changed = site(path, pipelining)
                    if changed:
                        raise SystemExit("the re-run changed %d things; an unchanged topology must change nothing"
                                         % changed)
                    times[pipelining].append(elapsed)
                    print("re-run %d, pipelining %s: %.1f s, changed=0"
                          % (number, "on" if pipelining else "off", elapsed))
    finally:
        if not options.keep:
            ha_timing.cleanup()
    off, on = statistics.mean(times[False]), statistics.mean(times[True])
    print("pipelining site.yml re-run: off=%.1f on=%.1f ratio=%.2f" % (off, on, on / off))


if __name__ == "__main__":
    main()
