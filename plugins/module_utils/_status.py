# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every relationship seen from both ends: rows, a text table, and what is wrong.

Input: the validated topology and, per host, the relationships its server
reported (``kea_ha_status``'s ``relationships``) or the reason it could not
be read. Also, for one server, whichever way its status was read: its
relationships by peer name (``states``), those not in a wanted state
(``lagging``), and those of its plan slice whose partner should be contacted
(``to_probe``). Pure Python.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _divergence as divergence
from ansible_collections.keadhcp.ha.plugins.module_utils._clock import ends, skew_problem
from ansible_collections.keadhcp.ha.plugins.module_utils._detection import failure_detection
from ansible_collections.keadhcp.ha.plugins.module_utils._health import normal_state
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import ha_relationships

UNREAD = "unreadable"
MISSING = "missing"

# What an end's row keeps of its partner, as kea_ha_status names it (remote).
_REMOTE_KEPT = ("in_touch", "communication_interrupted", "age", "unacked_clients", "unacked_clients_left",
                "connecting_clients", "analyzed_packets")


def reported_relationships(result):
    """One server's relationships, in ``kea_ha_status``'s form, from whatever reported them; None if unread.

    ``result``: what ``kea_ha_status`` registered, its ``relationships`` list,
    or what ``kea_command`` registered for ``status-get``.
    """
    if isinstance(result, list):
        return result
    if not isinstance(result, dict):
        return None
    if isinstance(result.get("relationships"), list):
        return result["relationships"]
    if isinstance(result.get("arguments"), dict):
        return ha_relationships(result)
    return None


def states(result):
    """``{local peer name: {state, role, partner, partner_state, in_touch}}`` of one server; {} if unread."""
    found = {}
    for rel in reported_relationships(result) or []:
        local, remote = rel.get("local") or {}, rel.get("remote") or {}
        found[local.get("name")] = {"state": local.get("state"), "role": local.get("role"),
                                    "partner": remote.get("name"), "partner_state": remote.get("last_state"),
                                    "in_touch": remote.get("in_touch"),
                                    "communication_interrupted": remote.get("communication_interrupted")}
    return found


def to_probe(host_slice, result, expected):
    """The relationships of a host's plan slice whose local state, as ``result`` read it, is not ``expected``.

    Those are the ones whose partner ``status.yml`` contacts from the host;
    none when the status was not read at all. ``result`` may be a registered
    loop over the host's servers, each ``item`` with its ``family``: each
    relationship is then read in the status of its own server.
    """
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        # a loop over the host's servers (playbooks/status.yml): each server's relationships against its own status
        found = []
        for each in result["results"]:
            family = (each.get("item") or {}).get("family") if isinstance(each, dict) else None
            rels = [rel for rel in (host_slice or {}).get("relationships") or [] if rel.get("family") == family
                    or family is None]
            found.extend(to_probe({"relationships": rels}, each, expected))
        return found
    if reported_relationships(result) is None:
        return []
    seen = states(result)
    return [rel for rel in (host_slice or {}).get("relationships") or []
            if (seen.get(rel["local"]["name"]) or {}).get("state") not in expected]


def normal_states(host_slice):
    """``{local peer name: (own state, partner's state or None)}`` of a host's plan slice, while both ends are up.

    The partner's state is None where the servers exchange no heartbeats (the
    slice's ``heartbeats``: not in passive-backup), so neither reports the other's.
    """
    return dict((rel["local"]["name"], (rel["local"]["state"],
                                        rel["partner"]["state"] if rel["heartbeats"] else None))
                for rel in (host_slice or {}).get("relationships") or [])


def lagging(result, wanted, names=None, both_ends=True, expected=None):
    """One message per relationship of one server (of ``names``, or all) not in a ``wanted`` state.

    With ``both_ends``, the partner's last state as this server saw it must be
    wanted too. ``expected`` (``normal_states``), when given, says per
    relationship which state each end must be in instead of ``wanted``, and
    its names are the ones checked. An unread status, or a name the server
    does not run, is a message as well; an empty list means every
    relationship is where wanted.
    """
    if expected is not None:
        names = list(expected)
    relationships = reported_relationships(result)
    if relationships is None:
        why = result.get("msg") if isinstance(result, dict) else result
        return ["no status was read: %s" % (why or "no answer")]
    seen = states(relationships)
    out = ["relationship %s is not running (it runs %s)" % (name, ", ".join(sorted(seen)) or "none")
           for name in names or [] if name not in seen]
    for name, rel in seen.items():
        if names and name not in names:
            continue
        if expected is None:
            own, partner, want = wanted, wanted, ""
        else:
            own, partner = [expected[name][0]], [expected[name][1]] if expected[name][1] else None
            want = " (wanted %s)" % "/".join(state for state in expected[name] if state)
        if rel["state"] not in own or (both_ends and partner is not None and rel["partner_state"] not in partner):
            ends = "" if partner is None and expected is not None else ", its partner %s %s" % (
                rel["partner"], rel["partner_state"])
            out.append("relationship %s is %s%s%s" % (name, rel["state"], ends, want))
    return out


def _side(reported, name):
    """The relationship named ``name`` in one server's report, as a small mapping."""
    if reported is None:
        return {"state": UNREAD, "error": "no status was read"}
    if isinstance(reported, str):
        return {"state": UNREAD, "error": reported}
    for rel in reported or []:
        if rel.get("local", {}).get("name") == name:
            local, remote = rel["local"], rel.get("remote") or {}
            side = {"state": local.get("state"), "role": local.get("role"), "scopes": local.get("scopes") or [],
                    "partner_state": remote.get("last_state"),
                    "unsent_update_count": local.get("unsent_update_count"),
                    "clock_offset": local.get("clock_offset")}
            side.update((key, remote.get(key)) for key in _REMOTE_KEPT)
            return side
    return {"state": MISSING, "error": "the server runs no relationship named '%s'" % name}


def dual_stack_rows(model, reports, expected, probes=None, leases=None):
    """``status_rows`` of each server of a dual-stack topology, DHCPv4's first, each row saying its ``family``.

    ``reports``, ``probes`` and ``leases``: family -> what ``status_rows`` takes for that
    server. Each problem starts with the server (``DHCPv6 relationship 1 ...``).
    """
    rows = []
    for family, half in sorted(model.families.items()):
        for row in status_rows(half, reports.get(family) or {}, expected, (probes or {}).get(family),
                               (leases or {}).get(family)):
            row["problems"] = ["DHCPv%d %s" % (family, problem) for problem in row["problems"]]
            rows.append(dict(row, family=family))
    return rows


def lease_divergence(rel, central, branch):
    """``_divergence.summary`` of one relationship's subnets, from each end's ``{leases, read_at}``; None if unread."""
    if not (isinstance(central, dict) and isinstance(branch, dict)):
        return None
    if not (isinstance(central.get("leases"), list) and isinstance(branch.get("leases"), list)):
        return None
    now = float(central.get("read_at") or branch.get("read_at") or 0)
    grace = divergence.grace_seconds(failure_detection(rel)["heartbeat-delay"])
    ids = [subnet.get("id") for subnet in rel.all_subnets()]
    return divergence.summary(divergence.compare(central["leases"], branch["leases"], ids, now, grace))


def status_rows(model, reports, expected, probes=None, leases=None):
    """One row per relationship: both ends' view and whether it is as ``expected``.

    ``probes``: host -> {peer name: what happened when that host, as that
    peer, contacted its partner's HA URL itself}; added to the problem of an
    end that is not as expected, where it usually says why (refused
    certificate, no answer...).
    ``leases``: host -> ``{leases, read_at}`` (``kea_ha_status`` with
    ``leases``): where both ends are as expected, their leases of the
    relationship's subnets are compared (``_divergence``), and any difference
    is a problem.
    """
    leases = leases or {}
    probes = probes or {}
    rows = []
    for rel in model.relationships:
        central = _side(reports.get(model.central), rel.central.name)
        branch = _side(reports.get(rel.branch.host), rel.branch.name)
        problems = []
        for side, host, name, seen in (("central", model.central, rel.central.name, central),
                                       ("branch", rel.branch.host, rel.branch.name, branch)):
            if seen["state"] not in expected:
                why = seen.get("error") or "state %s, expected %s" % (seen["state"], " or ".join(expected))
                probe = (probes.get(host) or {}).get(name)
                if probe:
                    why = "%s; %s" % (why, probe)
                problems.append("relationship %d (%s): %s %s on %s: %s" % (rel.index, rel.branch.host, side, name, host, why))
        skew = skew_problem("relationship %d (%s)" % (rel.index, rel.branch.host),
                            *ends("%s on %s" % (rel.central.name, model.central), central.get("clock_offset"),
                                  "%s on %s" % (rel.branch.name, rel.branch.host), branch.get("clock_offset")),
                            what="clocks of Kea's servers")
        if skew:
            problems.append(skew)
        # only where both ends are in their mode's normal state: while one covers for the other, or they meet again,
        # their leases differ by design
        normal = (central["state"] == normal_state(rel.mode, rel.central.role)
                  and branch["state"] == normal_state(rel.mode, rel.branch.role))
        compared = lease_divergence(rel, leases.get(model.central), leases.get(rel.branch.host)) if normal else None
        differ = compared and divergence.problem("relationship %d (%s)" % (rel.index, rel.branch.host), compared)
        if differ:
            problems.append(differ)
        rows.append({"relationship": rel.index, "branch_host": rel.branch.host, "central_host": model.central,
                     "central_name": rel.central.name, "branch_name": rel.branch.name,
                     "central": central, "branch": branch, "leases": compared, "ok": not problems,
                     "problems": problems})
    return rows


def table(rows):
    """Lines of a fixed-width table, central and branch side by side."""
    head = ("#", "branch host", "central peer", "central state", "branch peer", "branch state", "")
    body = [(str(r["relationship"]), r["branch_host"], r["central_name"], r["central"]["state"] or "?",
             r["branch_name"], r["branch"]["state"] or "?", "ok" if r["ok"] else "PROBLEM") for r in rows]
    if [row for row in rows if "family" in row]:  # a dual-stack hub: which server each row is
        head = ("server",) + head
        body = [("dhcp%s" % row.get("family", ""),) + line for row, line in zip(rows, body)]
    widths = [max(len(line[i]) for line in [head] + body) for i in range(len(head))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in [head] + body]


def probe_texts(results):
    """``{peer name: what happened}`` from the results of a loop of ``ha-heartbeat`` probes.

    Each result's ``item`` is a relationship of the host's plan (``local``,
    ``partner``); a probe that answered says the partner's state, one that
    did not says why (``msg``). Skipped items say nothing.
    """
    said = {}
    for probe in results or []:
        item = probe.get("item") if isinstance(probe, dict) else None
        if not isinstance(item, dict) or probe.get("skipped"):
            continue
        name, partner = item["local"]["name"], item["partner"]
        where = "%s -> %s at %s" % (name, partner["name"], partner["url"])
        if probe.get("result") == 0:
            state = (probe.get("arguments") or {}).get("state", "?")
            said[name] = "%s: the partner answers, in state %s" % (where, state)
        else:
            said[name] = "%s: %s" % (where, probe.get("msg") or "no answer")
    return said


def _running_body(config):
    """The ``DhcpN`` body of a running configuration: config-get's registered result, its arguments, or the config."""
    if isinstance(config, dict) and isinstance(config.get("arguments"), dict):
        config = config["arguments"]
    for key in ("Dhcp4", "Dhcp6"):
        if isinstance((config or {}).get(key), dict):
            return config[key]
    return None


def running_tags(config):
    """``{subnet id: (prefix, ha-server-name or None)}`` of a running configuration.

    A subnet's own ``user-context.ha-server-name`` wins over its shared
    network's, as Kea's HA hook reads them.
    """
    body = _running_body(config)
    found = {}

    def tag_of(item):
        context = (item or {}).get("user-context")
        return context.get("ha-server-name") if isinstance(context, dict) else None

    for key in ("subnet4", "subnet6"):
        for subnet in body.get(key) or [] if body else []:
            found[subnet.get("id")] = (subnet.get("subnet"), tag_of(subnet))
        for network in body.get("shared-networks") or [] if body else []:
            for subnet in network.get(key) or []:
                found[subnet.get("id")] = (subnet.get("subnet"), tag_of(subnet) or tag_of(network))
    return found


def tag_problems(host_slice, config):
    """One message per subnet of a host's plan slice that the running server does not tag with its relationship.

    Kea serves a subnet in a relationship only when the subnet (or its shared
    network) carries that relationship's ``ha-server-name``; a central with a
    subnet untagged or tagged for another relationship drops the traffic of
    that subnet silently. ``config``: what ``kea_command`` registered for
    ``config-get`` (or the configuration itself). An empty list: every subnet
    is where the plan puts it.
    """
    if _running_body(config) is None:
        why = config.get("msg") if isinstance(config, dict) else config
        return ["%s: no running configuration was read: %s" % (host_slice["host"], why or "no answer")]
    tags = running_tags(config)
    out = []
    for rel in host_slice.get("relationships") or []:
        where = "%s: relationship %d (%s), peer %s" % (host_slice["host"], rel["index"], rel["branch_host"],
                                                       rel["local"]["name"])
        for subnet_id in rel["subnet_ids"]:
            if subnet_id not in tags:
                out.append("%s: subnet %s is not in the running configuration" % (where, subnet_id))
                continue
            prefix, tag = tags[subnet_id]
            if tag is None:
                out.append("%s: subnet %s (%s) carries no ha-server-name on the running server, so Kea drops its "
                           "clients' traffic in this relationship" % (where, subnet_id, prefix))
            elif tag != rel["local"]["name"]:
                out.append("%s: subnet %s (%s) carries ha-server-name '%s' on the running server, wanted '%s'"
                           % (where, subnet_id, prefix, tag, rel["local"]["name"]))
    return out
