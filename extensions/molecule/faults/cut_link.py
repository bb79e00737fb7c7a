#!/usr/bin/env python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HA link between the central and one branch cut, with real clients asking and renewing on the branch's LAN.

    cut_link.py --central fa-central --branch fa-branch2 --branch-address 10.89.2.2 --network keadhcp-falan2
                --central-name fa-central-2 --branch-name fa-branch2 --others fa-central-1,fa-central-3
                --subnets 2 --seconds 77 --healthy-within 76 --mac 02:89:02:01 --expect hold

Before the cut, a few clients get a lease and keep renewing it; during the
cut (every TCP packet between the two servers dropped, both ways, in the
central's network namespace: DHCP still reaches both) a new client arrives
every few seconds; then the link heals. Every state of both ends is read
about once a second throughout.

``--expect hold`` (the recommended detection) checks: the central never took
over, its other relationships never left hot-standby, no address was handed
to two clients (by what the clients were acknowledged, and in the union of
both servers' lease tables), every client was answered, every relationship
is back in hot-standby at both ends within ``--healthy-within`` seconds of
the heal (the plan's bound, derived from the timers) and the two ends then
hold the same leases of the branch's subnets. ``--expect split`` (failure
detection that lets the central take over) checks that it did take over,
and reports what that did to the leases; the scenario then has status.yml
find it.

Each check that fails prints "cut_link: FAILED: ..." naming the
relationship; the figures go on lines starting with "faults: cut". Exit 1
when a check failed, 2 when the lab could not be driven.
"""

import argparse
import sys
import time

import lab

# Clients bound before the cut, which renew during it (the scenario's leases renew every 10 s).
RENEWING = 6
# Seconds between two new clients during the cut.
ARRIVAL_EVERY = 3
# Seconds a client is given to get its first lease while both ends are up: a dhclient attempt (60 s), which an
# answering server ends in well under a second.
FIRST_LEASE_WITHIN = 60
# Seconds added to every bound for a busy machine: each read is a docker exec (about 0.2 s idle, seconds loaded).
MARGIN = 30


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    for name in ("central", "branch", "branch-address", "network", "central-name", "branch-name", "mac"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--others", default="")
    parser.add_argument("--subnets", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--healthy-within", type=float, required=True)
    parser.add_argument("--expect", choices=["hold", "split"], required=True)
    parser.add_argument("--label", default="faults")
    args = parser.parse_args(argv)
    args.others = [name for name in args.others.split(",") if name]
    args.subnets = [int(item) for item in args.subnets.split(",")]
    return args


class Watch(object):
    """Both ends' states, read again and again; what each relationship was ever seen in."""

    def __init__(self, args):
        self.args = args
        self.seen = {}  # local name -> set of states
        self.first = {}  # (local name, state) -> seconds since the cut
        self.started = None

    def read(self):
        found = {}
        for host in (self.args.central, self.args.branch):
            for name, state in lab.states(host).items():
                found[name] = state
                self.seen.setdefault(name, set()).add(state[0])
                if self.started is not None:
                    self.first.setdefault((name, state[0]), round(lab.clock() - self.started, 1))
        return found

    def all_normal(self, found):
        names = [self.args.central_name, self.args.branch_name] + self.args.others
        return all(name in found and found[name][0] == "hot-standby" and found[name][1] == "hot-standby"
                   for name in names)


def wait_bound(crowd, watch, macs, within):
    """Until every client of ``macs`` has been acknowledged once (reading the states meanwhile)."""
    started = lab.clock()
    while True:
        acked = set(mac for mac, _address, _server in lab.acks(crowd.logs()))
        if set(macs) <= acked or lab.clock() - started > within:
            return sorted(set(macs) - acked)
        watch.read()
        time.sleep(1)


def main(argv=None):
    args = parse(argv if argv is not None else sys.argv[1:])
    failures = []
    crowd = lab.Crowd("keadhcp-crowd-%s-cut" % args.label, args.network, args.label)
    cut = lab.Cut(args.central, args.branch_address)
    watch = Watch(args)
    label = "relationship %s/%s" % (args.central_name, args.branch_name)
    try:
        crowd.start()
        renewing = ["%s:01:%02x" % (args.mac, number) for number in range(1, RENEWING + 1)]
        for mac in renewing:
            crowd.add(mac)
        missing = wait_bound(crowd, watch, renewing, FIRST_LEASE_WITHIN + MARGIN)
        if missing:
            raise lab.LabError("before the cut, clients %s got no lease within %d s" % (
                ", ".join(missing), FIRST_LEASE_WITHIN + MARGIN))

        watch.started = lab.clock()
        cut.start()
        arrivals = []
        while lab.clock() - watch.started < args.seconds:
            if len(arrivals) * ARRIVAL_EVERY <= lab.clock() - watch.started:
                arrivals.append("%s:02:%02x" % (args.mac, len(arrivals) + 1))
                crowd.add(arrivals[-1])
            watch.read()
            time.sleep(0.5)
        cut.heal()
        healed = lab.clock()
        while True:
            found = watch.read()
            if watch.all_normal(found) or lab.clock() - healed > args.healthy_within + MARGIN:
                break
            time.sleep(0.5)
        back = round(lab.clock() - healed, 1)
        if not watch.all_normal(found):
            failures.append("%.0f s after the heal, not every relationship is in hot-standby at both ends: %s "
                            "(wanted within %.0f s)" % (back, ", ".join(
                                "%s %s (partner %s)" % (name, state[0], state[1]) for name, state in sorted(found.items())
                                if state[0] != "hot-standby" or state[1] != "hot-standby"), args.healthy_within))

        # every client that asked, answered: the late arrivals may still be in their first exchange
        unanswered = wait_bound(crowd, watch, renewing + arrivals, FIRST_LEASE_WITHIN + MARGIN)
        acked = lab.acks(crowd.logs())
        twice = lab.handed_twice(acked)
        by_server = {}
        for _mac, _address, server in acked:
            by_server[server] = by_server.get(server, 0) + 1

        # the two ends' lease tables: the same leases once they have met again (lease synchronisation)
        compared = None
        started = lab.clock()
        while True:
            central = lab.leases(args.central, args.subnets)
            branch = lab.leases(args.branch, args.subnets)
            compared = lab.lease_difference(central, branch, args.subnets)
            same = not lab.diverged(compared)
            if same or lab.clock() - started > args.healthy_within + MARGIN:
                break
            time.sleep(1)
        union_twice = compared["conflicts"]

        took_over = "partner-down" in watch.seen.get(args.central_name, set())
        others_left = dict((name, sorted(states - {"hot-standby"})) for name, states in watch.seen.items()
                           if name in args.others and states - {"hot-standby"})
        print("faults: cut %s for %.0f s (%s): central %s, branch %s; %d clients (%d renewing), %d answers (%s); "
              "addresses handed to two clients %d, in the two tables %d; back in hot-standby %.1f s after the heal; "
              "leases %s" % (
                  label, args.seconds, args.expect,
                  "took over after %s s" % watch.first.get((args.central_name, "partner-down")) if took_over
                  else "stayed hot-standby",
                  "partner-down after %s s" % watch.first[(args.branch_name, "partner-down")]
                  if (args.branch_name, "partner-down") in watch.first else "stayed hot-standby",
                  len(renewing + arrivals), len(renewing),
                  len(acked), ", ".join("%s %d" % item for item in sorted(by_server.items())), len(twice),
                  union_twice, back,
                  "equal" if same else "different (%s)" % "; ".join(compared["sample"])))
        for address, macs in sorted(twice.items()):
            print("faults: cut: %s acknowledged to %s" % (address, ", ".join(macs)))
        if others_left:
            failures.append("while %s was cut, other relationships of the central left hot-standby: %s" % (
                label, ", ".join("%s %s" % (name, "/".join(states)) for name, states in sorted(others_left.items()))))
        if args.expect == "hold":
            if took_over:
                failures.append("%s: the central took over %s s into the cut, while the branch still served: a "
                                "split brain" % (label, watch.first.get((args.central_name, "partner-down"))))
            if twice:
                failures.append("%s: %d addresses acknowledged to two clients: %s" % (label, len(twice), "; ".join(
                    "%s to %s" % (address, " and ".join(macs)) for address, macs in sorted(twice.items()))))
            if union_twice:
                failures.append("%s: the two ends lease %d addresses to different clients: %s" % (
                    label, union_twice, "; ".join(compared["sample"])))
            if not same:
                failures.append("%s: %.0f s after the heal the two ends still hold different leases: %s" % (
                    label, args.healthy_within + MARGIN, "; ".join(compared["sample"])))
            if unanswered:
                failures.append("%s: clients %s never got an answer" % (label, ", ".join(unanswered)))
        elif not took_over:
            failures.append("%s: the central never took over in %.0f s of cut link, which this failure detection "
                            "should let it do" % (label, args.seconds))
    except lab.LabError as exc:
        print("cut_link: the lab could not be driven: %s" % exc)
        cut.heal()
        return 2
    finally:
        cut.heal()
        crowd.remove()
    for failure in failures:
        print("cut_link: FAILED: %s" % failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
