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
traffic (giaddr set to its own address) to its LAN's server; its "Rate:"
line counts the completed DISCOVER-OFFER-REQUEST-ACK exchanges per second.

Each figure is a capacity, found with a ladder of offered rates (50, 100,
200, ... up to --top exchanges per second, each for --period seconds): the
ladder stops at the first rate of which less than 90 % is answered, two more
steps halve the interval between the last rate answered in full and that
one, and the figure is the highest answered rate seen. Offering far more
than a server answers measures its collapse, not its capacity: clients whose
answers come late are counted as lost, and retransmit. Each step also prints
the CPU time each loaded server's kea-dhcp4 (and the central's) spent per
answered exchange, which shows where the capacity goes.

  standalone  solo alone
  ha          branch1 alone: each lease is sent to the central, and
              acknowledged by it, before the client gets its ACK
  hub5        the five branches at once (the sum; the ladder's rate is per
              branch): the central absorbs the lease updates of all five

After the figures of the collection's defaults, the hub is deployed again
with one HTTP listener thread and one HTTP client thread per relationship
(the sizing page's setting for large hubs) and ha and hub5 are measured
again ("tuned"), with the central's thread count before and after.

Every figure is measured in this one run, on this machine; the containers,
perfdhcp and the central share its cores, so hub5 is bounded by the machine
as much as by the central.

Usage (from the repository root, after `make venv kea-images`):

    .venv/bin/python benchmarks/dhcp_load.py [--top 3200] [--period 10] [--rounds 1] [--no-tuned] [--keep]

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
CLIENTS = 5000  # distinct clients (MAC addresses) of one ladder, shared by its steps
POOL = 61000  # addresses in each LAN's pool
ANSWERED = 0.9  # a step answered below this share of its offered rate ends the ladder
TUNED = {"multi-threading": {"enable-multi-threading": True, "http-dedicated-listener": True,
                             "http-listener-threads": 1, "http-client-threads": 1}}


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
    # -R: the clients perfdhcp draws its exchanges from, the same number in every ladder (so the same mix
    # of new leases and leases a client asks for again); -b: a base MAC per LAN and ladder, so that no
    # ladder starts on the leases of an earlier one.
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


def rates(top):
    rate = 50
    while rate <= top:
        yield rate
        rate *= 2


def not_hot_standby():
    """The servers with a relationship not in hot-standby, and their states ("" when all are)."""
    found = dict((name, status(HUB.container(name))) for name in HUB.names())
    return ", ".join("%s %s" % (name, "/".join(sorted(set(states))) or "unreadable")
                     for name, states in sorted(found.items()) if set(states) != {"hot-standby"})


def kea_cpu(name):
    """The CPU seconds (user and system, every thread) that a server's kea-dhcp4 has used so far."""
    out = ha_timing.sh("docker", "exec", HUB.container(name), "sh", "-c",
                       "cat /proc/$(systemctl show -p MainPID --value kea-dhcp4-server)/stat; getconf CLK_TCK",
                       check=False)
    lines = out.split("\n")
    try:
        # the fields after the command name (which is in brackets): utime and stime are the 12th and 13th
        fields = lines[0].rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(lines[1])
    except (IndexError, ValueError):
        return 0.0


def step(label, lans, rate, seed, options):
    """One step of a ladder: every LAN of `lans` offered `rate` for a period; (answered, CPU ms per exchange)."""
    names = ["solo"] if lans == [SOLO] else ["branch%d" % number for number in lans] + ["central"]
    before = dict((name, kea_cpu(name)) for name in names)
    processes = [perfdhcp(number, server(number), rate, options.period, seed) for number in lans]
    each = [rate_of(process) for process in processes]
    exchanges = sum(each) * options.period
    cpu = dict((name, 1000.0 * (kea_cpu(name) - before[name]) / exchanges if exchanges else 0.0) for name in names)
    answered = sum(each)
    offered = rate * len(lans)
    states = not_hot_standby() if lans != [SOLO] else ""
    print("  %-11s offered %5d/s answered %7.1f/s%s; CPU ms per exchange: %s%s" % (
        label, offered, answered, " (%s)" % " + ".join("%.0f" % one for one in each) if len(each) > 1 else "",
        ", ".join("%s %.3f" % (name, cpu[name]) for name in names),
        "; not hot-standby: " + states if states else ""), flush=True)
    if states:
        wait_hot_standby(60)
    return answered, answered >= ANSWERED * offered


def ladder(label, lans, seed, options):
    """The capacity of the servers of `lans` loaded at once: the highest sum of answered rates.

    The rate doubles until a step is answered below ANSWERED; two more steps then halve the interval between
    the last rate answered in full and the first that was not.
    """
    best, good, bad = 0.0, 0, 0
    for rate in rates(options.top):
        answered, kept_up = step(label, lans, rate, seed, options)
        best = max(best, answered)
        if not kept_up:
            bad = rate
            break
        good = rate
    for _refinement in range(2 if bad else 0):
        rate = (good + bad) // 2
        answered, kept_up = step(label, lans, rate, seed, options)
        best = max(best, answered)
        if kept_up:
            good = rate
        else:
            bad = rate
    if bad:
        print("  %-11s saturated between %d/s and %d/s offered: capacity %.0f/s" % (
            label, good * len(lans), bad * len(lans), best), flush=True)
    if lans != [SOLO]:
        wait_hot_standby(60)
    return best


def central_threads():
    out = ha_timing.sh("docker", "exec", HUB.container("central"), "sh", "-c",
                       "grep ^Threads: /proc/$(systemctl show -p MainPID --value kea-dhcp4-server)/status",
                       check=False)
    found = re.search(r"Threads:\s+(\d+)", out)
    return int(found.group(1)) if found else 0


def deploy(directory, defaults, name):
    ha_timing.run_site(HUB.inventory(directory, defaults=defaults), ANSIBLE_PIPELINING="True", ANSIBLE_FORKS="10")
    wait_hot_standby()
    threads = central_threads()
    print("%s: the central's kea-dhcp4 runs %d threads for %d relationships" % (name, threads, BRANCHES),
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--top", type=int, default=3200,
                        help="highest offered rate of the ladder, per server (default 3200)")
    parser.add_argument("--period", type=int, default=10, help="seconds of each step of a ladder (default 10)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of the measurements (default 1)")
    parser.add_argument("--no-tuned", dest="tuned", action="store_false",
                        help="skip the measurements with one HTTP thread per relationship")
    parser.add_argument("--keep", action="store_true", help="leave the containers running")
    options = parser.parse_args()
    ladders = 4 if options.tuned else 2  # the ladders that branch1's pool serves in a round
    if ladders * CLIENTS * options.rounds > POOL:
        raise SystemExit("at most %d rounds: branch1's pool of %d addresses takes %d x %d clients a round"
                         % (POOL // (ladders * CLIENTS), POOL, ladders, CLIENTS))
    HUB.cleanup()
    figures = {"standalone": [], "ha": [], "hub5": [], "tuned ha": [], "tuned hub5": []}
    branches = list(range(1, BRANCHES + 1))
    try:
        HUB.start()
        with tempfile.TemporaryDirectory() as directory:
            deploy(directory, {}, "defaults")
            start_solo_and_generators()
            for round_ in range(options.rounds):
                seed = 10 * round_
                figures["standalone"].append(ladder("standalone", [SOLO], seed + 1, options))
                figures["ha"].append(ladder("ha", [1], seed + 2, options))
                figures["hub5"].append(ladder("hub5", branches, seed + 3, options))
                print("round %d: standalone=%.0f/s ha=%.0f/s hub5=%.0f/s" % (
                    round_ + 1, figures["standalone"][-1], figures["ha"][-1], figures["hub5"][-1]), flush=True)
            if options.tuned:
                deploy(directory, TUNED, "tuned (one HTTP listener and client thread per relationship)")
                for round_ in range(options.rounds):
                    seed = 10 * round_
                    figures["tuned ha"].append(ladder("tuned ha", [1], seed + 4, options))
                    figures["tuned hub5"].append(ladder("tuned hub5", branches, seed + 5, options))
                    print("round %d, tuned: ha=%.0f/s hub5=%.0f/s" % (
                        round_ + 1, figures["tuned ha"][-1], figures["tuned hub5"][-1]), flush=True)
    finally:
        if not options.keep:
            HUB.cleanup()
    mean = dict((name, sum(values) / len(values)) for name, values in figures.items() if values)
    if options.tuned:
        print("tuned: ha=%.0f/s ratio=%.2f hub5=%.0f/s" % (
            mean["tuned ha"], mean["tuned ha"] / mean["standalone"], mean["tuned hub5"]))
    print("dhcp load: standalone=%.0f/s ha=%.0f/s ratio=%.2f hub5=%.0f/s" % (
        mean["standalone"], mean["ha"], mean["ha"] / mean["standalone"], mean["hub5"]))


if __name__ == "__main__":
    main()
