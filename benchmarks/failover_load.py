# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: a branch's server stopped and started again while perfdhcp loads its LAN.

A central and two branches (Kea 2.6, systemd containers, the scenarios'
short timers: heartbeat-delay 1000 ms, max-response-delay 3000 ms,
max-unacked-clients 0) are deployed with playbooks/site.yml. On branch1's LAN
two perfdhcp processes play the branch router's relay, which forwards every
query to both servers: the same clients (same base MAC, same random seed, same
rate), one sending to branch1 and one to the central. While they run,
branch1's kea-dhcp4-server is stopped; the central takes over (its
relationship with branch1 `partner-down`); a few seconds later branch1 starts
again and takes its traffic back (every relationship `hot-standby`).

Printed: the exchanges attempted (the DISCOVERs of one of the two copies), the
exchanges answered (ACKs, by either server: in hot-standby only one of them
answers at a time), those lost (attempted less answered, mostly during the
takeover), the takeover time (from the stop to `partner-down`) and the
recovery time (from the start to `hot-standby` on both ends). Then, from
`lease4-get-all` on both servers: duplicates (an address the two servers
lease to different clients, or a client holding two addresses) must be 0,
and branch1's lease set must equal the central's; the script exits 1 when
either fails.

Usage (from the repository root, after `make venv kea-images`):

    .venv/bin/python benchmarks/failover_load.py [--rate 200] [--period 40] [--keep]

Last line, exactly: `failover under load: lost=<n> duplicates=<n> takeover=<s> recovery=<s>`.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import converge  # noqa: E402  (the containerised hub)
import dhcp_load  # noqa: E402  (control channel, HA states)
import ha_timing  # noqa: E402  (shell helper, site.yml runner, timers)

HUB = converge.Hub(2, prefix="keafail", label="failover-load", network="10.12%d.0.0/16", pool=(4096, -2))
TO_BRANCH, TO_CENTRAL = 5, 6  # the addresses of the two perfdhcp containers on lan1


def perfdhcp(generator, server, rate, period):
    """perfdhcp from `generator` to `server`: both copies draw the same clients in the same order."""
    return subprocess.Popen(["docker", "exec", HUB.container(generator), "perfdhcp", "-4", "-r", str(rate),
                             "-R", str(rate * period), "-p", str(period), "-s", "7", "-b", "mac=02:01:00:00:00:00",
                             server], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


def counts(process):
    """(DISCOVERs sent, ACKs received) of one perfdhcp run."""
    output = process.communicate()[0]
    stages = dict((stage, (int(sent), int(received))) for stage, sent, received in re.findall(
        r"\*\*\*Statistics for: (\S+)\*\*\*\s+sent packets: (\d+)\s+received packets: (\d+)", output))
    if "DISCOVER-OFFER" not in stages:
        raise SystemExit("perfdhcp printed no statistics:\n" + output[-2000:])
    return stages["DISCOVER-OFFER"][0], stages.get("REQUEST-ACK", (0, 0))[1]


def central_state():
    states = dhcp_load.status(HUB.container("central"))
    return states[0] if states else None


def wait_for(condition, limit, what):
    started = time.time()
    while time.time() - started < limit:
        if condition():
            return time.time() - started
        time.sleep(0.1)
    raise SystemExit("failover under load: %s did not happen within %.0f s" % (what, limit))


def leases(name):
    """{address: hardware address} of subnet 1 on one server."""
    found = dhcp_load.command(HUB.container(name), "lease4-get-all", {"subnets": [1]})
    if found is None:
        raise SystemExit("could not read the leases of %s" % HUB.container(name))
    return dict((lease["ip-address"], lease["hw-address"]) for lease in found.get("leases", []))


def duplicates(branch, central):
    """Addresses the two servers lease to different clients, and clients holding more than one address."""
    conflicts = sum(1 for address in set(branch) & set(central) if branch[address] != central[address])
    clients = {}
    for table in (branch, central):
        for address, client in table.items():
            clients.setdefault(client, set()).add(address)
    return conflicts + sum(1 for addresses in clients.values() if len(addresses) > 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rate", type=int, default=200, help="exchanges per second each copy offers (default 200)")
    parser.add_argument("--period", type=int, default=40, help="seconds perfdhcp runs (default 40)")
    parser.add_argument("--keep", action="store_true", help="leave the containers running")
    options = parser.parse_args()
    HUB.cleanup()
    try:
        HUB.start()
        with tempfile.TemporaryDirectory() as directory:
            ha_timing.run_site(HUB.inventory(directory), ANSIBLE_PIPELINING="True")
        dhcp_load.wait_hot_standby(hub=HUB)
        HUB.run("relay-to-branch", 1, TO_BRANCH, systemd=False)
        HUB.run("relay-to-central", 1, TO_CENTRAL, systemd=False)
        copies = [perfdhcp("relay-to-branch", HUB.address(1, 2), options.rate, options.period),
                  perfdhcp("relay-to-central", HUB.address(1, 3), options.rate, options.period)]
        time.sleep(options.period / 5.0)
        ha_timing.sh("docker", "exec", HUB.container("branch1"), "systemctl", "stop", "kea-dhcp4-server")
        takeover = wait_for(lambda: central_state() == "partner-down", options.period / 2.0, "the takeover")
        time.sleep(options.period / 5.0)
        started = time.time()
        ha_timing.sh("docker", "exec", HUB.container("branch1"), "systemctl", "start", "kea-dhcp4-server")
        wait_for(lambda: central_state() == "hot-standby"
                 and dhcp_load.status(HUB.container("branch1")) == ["hot-standby"], 120, "the recovery")
        recovery = time.time() - started
        (attempted, by_branch), (_copy, by_central) = [counts(process) for process in copies]
        time.sleep(2)  # the last lease updates
        branch, central = leases("branch1"), leases("central")
    finally:
        if not options.keep:
            HUB.cleanup()
    doubled = duplicates(branch, central)
    answered = by_branch + by_central
    lost = max(attempted - answered, 0)
    print("exchanges attempted=%d answered=%d (branch1 %d, central %d) lost=%d" % (
        attempted, answered, by_branch, by_central, lost))
    print("leases: branch1 %d, central %d, equal: %s" % (len(branch), len(central), branch == central))
    print("failover under load: lost=%d duplicates=%d takeover=%.1f recovery=%.1f"
          % (lost, doubled, takeover, recovery))
    if doubled or branch != central:
        sys.exit(1)


if __name__ == "__main__":
    main()
