# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rehearsal's report: what the checks saw, one line per relationship, then every failure.

Input: the plan, the central's HA states (``_status.states``), the sampled
branches' clients, what the failover measured (or why it was not rehearsed)
and the failures the checks recorded. Output: lines a person reads in a
minute, each starting with ``rehearse:``, the last ``rehearse: passed`` or
``rehearse: failed (N problems)``. Pure Python.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

PREFIX = "rehearse: "


def _client(lease, serving):
    if not lease:
        return "no client (not in the sample)"
    if not lease.get("address"):
        return "client got no lease"
    return "client %s from %s, held by the central" % (lease["address"], " or ".join(serving))


def _failover(rel, outage):
    if not outage:
        return "failover not rehearsed (an earlier step failed)"
    if outage.get("relationship") != rel["local"]["name"]:
        return "stayed %s through the failover" % rel["local"]["state"]
    if outage.get("skipped"):
        return outage["skipped"]
    if "takeover" not in outage:
        return "failover: the central did not take over"
    crowd = int(outage.get("crowd") or 0)
    text = "failover: takeover %s s" % outage["takeover"]
    if crowd:
        text += " (%d clients asking, max-unacked-clients)" % crowd
    if "recovery" not in outage:
        return text + ", no recovery"
    text += ", recovery %s s" % outage["recovery"]
    return text + (", leases equal" if outage.get("leases_equal") else ", leases not compared")


def report(plan, states, clients, outage, failures, header):
    """The report's lines; ``header`` is what the first line says after the relationship count."""
    central = plan["hosts"][plan["central"]]
    count = len(central["relationships"])
    lines = [PREFIX + "%d relationship%s%s" % (count, "" if count == 1 else "s", ", " + header if header else "")]
    for rel in central["relationships"]:
        seen = (states or {}).get(rel["local"]["name"]) or {}
        lines.append(PREFIX + "%s (%s, %s) <-> %s (%s, %s), %s: %s/%s; %s; %s" % (
            rel["partner"]["host"], rel["partner"]["name"], rel["partner"]["role"],
            central["host"], rel["local"]["name"], rel["local"]["role"], rel["mode"],
            # without heartbeats (passive-backup) the central never learns its partner's state
            seen.get("partner_state") or ("?" if rel["heartbeats"] else "-"), seen.get("state") or "?",
            _client((clients or {}).get(rel["partner"]["host"]), rel["serving"]), _failover(rel, outage)))
    failures = [message for message in failures or [] if message]
    lines.extend(PREFIX + "FAILED: " + " ".join(str(message).split()) for message in failures)
    lines.append(PREFIX + ("failed (%d problem%s)" % (len(failures), "" if len(failures) == 1 else "s")
                           if failures else "passed"))
    return lines
