# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: DHCPv4 4-way exchanges per second, without HA, through HA, and at a hub of five loaded branches.

A central and five branches (Kea 2.6, systemd containers; each branch LAN a
/16 with a pool of 61,000 addresses) are deployed with playbooks/site.yml and
the collection's defaults (no timer or thread overrides); every relationship
must reach hot-standby. A sixth server, "solo", runs branch1's very
configuration without the HA hook library, on a LAN of its own. Kea's
perfdhcp (from kea-admin) runs in a container on each LAN and sends relayed
traffic (giaddr set to its own address) to its LAN's server at a rate above
what one server answers, for a fixed period; its "Rate:" line counts the
completed DISCOVER-OFFER-REQUEST-ACK exchanges per second.

  standalone  solo alone
  ha          branch1 alone: each lease is sent to the central, and
              acknowledged by it, before the client gets its ACK
  hub5        the five branches at once (the sum): the central absorbs the
              lease updates of all five

Every figure is measured in this one run, on this machine; the containers,
perfdhcp and the central share its cores, so hub5 is bounded by the machine
as much as by the central.

Usage (from the repository root, after `make venv kea-images`):

    .venv/bin/python benchmarks/dhcp_load.py [--rate 3000] [--period 20] [--rounds 2] [--keep]

Last line, exactly: `dhcp load: standalone=<n>/s ha=<n>/s ratio=<ha/standalone> hub5=<n>/s`.
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

import converge  # noqa: E402  (the containerised hub)
import ha_timing  # noqa: E402  (shell helper, site.yml runner)

BRANCHES = 5
# LAN N is 10.10N.0.0/16: 1 to 5 the branches', 0 solo's
HUB = converge.Hub(BRANCHES, prefix="keaload", label="dhcp-load", network="10.1%02d.0.0/16", pool=(4096, -2))
SOLO = 0
GENERATOR = 5  # the address of perfdhcp's container on each LAN
CLIENTS = 10000  # distinct clients (MAC addresses) of one measurement


def command(container, name, arguments=None):
    """One command to a server's DHCPv4 daemon through its control channel (Kea 2.6's control agent); its
    answer's arguments, or None when it could not be read or did not succeed."""
    request = {"command": name, "service": ["dhcp4"]}
    if arguments is not None:
        request["arguments"] = arguments
    out = ha_timing.sh("docker", "exec", container, "curl", "-s", "-m", "10", "-u", "kea-api:" + converge.PASSWORD,
                       "-H", "Content-Type: application/json", "-d", json.dumps(request), "http://127.0.0.1:8000/",
                       check=False)
    try:
        answer = json.loads(out)[0]
    except (ValueError, IndexError, KeyError, TypeError):
        return None
    return answer.get("arguments", {}) if answer.get("result") in (0, 3) else None


def status(container):
    """The HA states of every relationship of one server ([] when unreadable)."""
    try:
        return [rel["ha-servers"]["local"]["state"]
                for rel in command(container, "status-get")["high-availability"]]
    except (KeyError, TypeError):
        return []


def wait_hot_standby(limit=180.0, hub=HUB):
    started = time.time()
    found = {}
    while time.time() - started < limit:
        found = dict((name, status(hub.container(name))) for name in hub.names())
        if all(states and set(states) == {"hot-standby"} for states in found.values()):
            return
        time.sleep(1)
    raise SystemExit("not every relationship reached hot-standby: %s" % found)


def start_solo_and_generators():
    """solo's LAN and server (branch1's configuration without HA), and a perfdhcp container per LAN."""
    network = HUB.network(SOLO)
    ha_timing.sh("docker", "network", "create", "--label", "keadhcp.benchmark=" + HUB.label, "--subnet", network,
                 "--ip-range", "%s/28" % HUB.address(SOLO, 0), "%s-lan%d" % (HUB.prefix, SOLO))
    HUB.run("solo", SOLO, 2)
    for number in range(0, BRANCHES + 1):
        HUB.run("gen%d" % number, number, GENERATOR, systemd=False)
    for _attempt in range(120):
        if ha_timing.sh("docker", "exec", HUB.container("solo"), "systemctl", "is-system-running",
                        check=False).strip() in ("running", "degraded"):
            break
        time.sleep(0.5)
    config = json.loads(ha_timing.sh("docker", "exec", HUB.container("branch1"), "cat", "/etc/kea/kea-dhcp4.conf"))
    dhcp4 = config["Dhcp4"]
    dhcp4["hooks-libraries"] = [hook for hook in dhcp4.get("hooks-libraries", [])
                                if not hook["library"].endswith("libdhcp_ha.so")]
    if len(dhcp4["subnet4"]) != 1:
        raise SystemExit("branch1 has %d subnets; this benchmark expects one" % len(dhcp4["subnet4"]))
    subnet = dict(dhcp4["subnet4"][0], id=100, subnet=network,
                  pools=[{"pool": "%s - %s" % (HUB.address(SOLO, 4096), HUB.address(SOLO, -2))}])
    subnet.pop("user-context", None)
    dhcp4["subnet4"] = [subnet]
    text = json.dumps(config, indent=2)
    if "libdhcp_ha" in text or "ha-server-name" in text:
        raise SystemExit("solo's configuration still mentions HA")
    subprocess.run(["docker", "exec", "-i", HUB.container("solo"), "sh", "-c",
                    "install -d -m 0750 -o _kea -g _kea /run/kea && cat > /etc/kea/kea-dhcp4.conf "
                    "&& kea-dhcp4 -t /etc/kea/kea-dhcp4.conf >/dev/null "
                    "&& systemctl start kea-dhcp4-server && sleep 2 && systemctl is-active kea-dhcp4-server"],
                   input=text, universal_newlines=True, check=True, stdout=subprocess.DEVNULL)


def perfdhcp(number, server, rate, period, seed):
    """A perfdhcp process on LAN `number` against `server` (not waited for)."""
    # -R: the clients perfdhcp draws its exchanges from, the same number in every measurement (so the
    # same mix of new leases and leases a client asks for again); -b: a base MAC per LAN and measurement,
    # so that no measurement starts on the leases of an earlier one.
    base = "mac=02:%02x:%02x:00:00:00" % (number, seed)
    return subprocess.Popen(["docker", "exec", HUB.container("gen%d" % number), "perfdhcp", "-4", "-r", str(rate),
                             "-R", str(CLIENTS), "-p", str(period), "-b", base, server],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


def rate_of(process):
    output = process.communicate()[0]
    found = re.search(r"^Rate: ([0-9.]+) 4-way exchanges/second", output, re.MULTILINE)
    if not found:
        raise SystemExit("perfdhcp printed no rate:\n" + output[-2000:])
    return float(found.group(1))


def server(number):
    return HUB.address(number, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rate", type=int, default=3000, help="exchanges per second perfdhcp offers (default 3000)")
    parser.add_argument("--period", type=int, default=20, help="seconds of each measurement (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the three measurements (default 2)")
    parser.add_argument("--keep", action="store_true", help="leave the containers running")
    options = parser.parse_args()
    if 2 * CLIENTS * options.rounds > 61000:
        raise SystemExit("at most 3 rounds: branch1's pool of 61,000 addresses takes 2 x %d clients a round" % CLIENTS)
    HUB.cleanup()
    figures = {"standalone": [], "ha": [], "hub5": []}
    try:
        HUB.start()
        with tempfile.TemporaryDirectory() as directory:
            ha_timing.run_site(HUB.inventory(directory, defaults={}), ANSIBLE_PIPELINING="True", ANSIBLE_FORKS="10")
        wait_hot_standby()
        start_solo_and_generators()
        for seed in range(options.rounds):
            # solo and branch1 one after the other, then the five branches at once
            figures["standalone"].append(rate_of(perfdhcp(SOLO, server(SOLO), options.rate, options.period, seed)))
            figures["ha"].append(rate_of(perfdhcp(1, server(1), options.rate, options.period, seed + 100)))
            loads = [perfdhcp(n, server(n), options.rate, options.period, seed + 200) for n in range(1, BRANCHES + 1)]
            each = [rate_of(process) for process in loads]
            figures["hub5"].append(sum(each))
            print("round %d: standalone=%.0f/s ha=%.0f/s hub5=%.0f/s (%s)"
                  % (seed + 1, figures["standalone"][-1], figures["ha"][-1], figures["hub5"][-1],
                     " + ".join("%.0f" % rate for rate in each)), flush=True)
            wait_hot_standby(30)
    finally:
        if not options.keep:
            HUB.cleanup()
    standalone, ha, hub5 = (sum(values) / len(values) for values in
                            (figures["standalone"], figures["ha"], figures["hub5"]))
    print("dhcp load: standalone=%.0f/s ha=%.0f/s ratio=%.2f hub5=%.0f/s" % (standalone, ha, ha / standalone, hub5))


if __name__ == "__main__":
    main()
