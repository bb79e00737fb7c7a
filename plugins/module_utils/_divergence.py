# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Do the two ends of a relationship hold the same leases? The comparison, and how it is told.

While both ends of a relationship are in their normal state, each lease one
of them grants is sent to the other before the client is answered, and what
one missed while they were apart is synchronised when they meet again. So,
for the relationship's subnets, both ends should hold the same addresses for
the same clients. When they do not, Kea does not mend it by itself: after a
split brain (both ends serving the same pools, each on its own) an address
can stay leased to one client on the branch and to another on the central,
and stays so through heals, converges and later failovers. For DHCP that is
the worst outcome there is: two machines on one address.

Compared, for the subnets of one relationship: the leases each end holds that
are assigned (state 0) and not expired, except those granted or renewed in
the last ``grace`` seconds (a lease update may be on its way). Reported:
``conflicts`` (an address both hold, for different clients) and
``one_sided`` (an address only one end holds). A DHCPv4 lease's client is
its hardware address (its client identifier when it has none); a DHCPv6
lease's, its DUID and IAID.

Pure Python: leases are what ``lease4-get-all`` / ``lease6-get-all`` return.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# How many addresses a report names, per relationship.
SAMPLE = 5
ASSIGNED = 0  # Kea's lease state: assigned (1 declined, 2 expired-reclaimed)


def _address(lease):
    """What names a lease's address: the address, and for a DHCPv6 prefix its length and type too."""
    if "duid" in lease:
        return "%s/%s %s" % (lease.get("ip-address"), lease.get("prefix-len", 128), lease.get("type", "IA_NA"))
    return str(lease.get("ip-address"))


def _client(lease):
    if "duid" in lease:
        return "duid %s iaid %s" % (str(lease.get("duid")).lower(), lease.get("iaid"))
    hardware = str(lease.get("hw-address") or "").lower()
    return hardware or "client-id %s" % str(lease.get("client-id") or "").lower()


def _shown(address):
    """An address as an operator reads it: a DHCPv6 address without its /128 IA_NA."""
    return address[:-len("/128 IA_NA")] if address.endswith("/128 IA_NA") else address


def held(leases, subnet_ids, now, grace):
    """``({address: client}, {addresses too recent to compare})`` of the assigned, unexpired leases of ``subnet_ids``."""
    wanted = set(subnet_ids)
    found, recent = {}, set()
    for lease in leases or []:
        if lease.get("subnet-id") not in wanted or int(lease.get("state", ASSIGNED)) != ASSIGNED:
            continue
        cltt, valid = int(lease.get("cltt") or 0), int(lease.get("valid-lft") or 0)
        if cltt + valid <= now:
            continue
        address = _address(lease)
        found[address] = _client(lease)
        if now - cltt < grace:
            recent.add(address)
    return found, recent


def compare(central_leases, branch_leases, subnet_ids, now, grace):
    """What differs between the two ends' leases of one relationship's subnets.

    ``{conflicts: [(address, branch's client, central's client)], only_branch: [address], only_central: [address],
    compared: n}``, each list sorted.
    """
    central, central_recent = held(central_leases, subnet_ids, now, grace)
    branch, branch_recent = held(branch_leases, subnet_ids, now, grace)
    recent = central_recent | branch_recent
    conflicts = sorted((address, branch[address], central[address]) for address in set(central) & set(branch)
                       if central[address] != branch[address] and address not in recent)
    return {
        "conflicts": conflicts,
        "only_branch": sorted(address for address in set(branch) - set(central) if address not in recent),
        "only_central": sorted(address for address in set(central) - set(branch) if address not in recent),
        "compared": len(set(central) | set(branch)),
    }


def summary(found):
    """The counts and a sample of ``compare``'s result, as reports and metrics carry it."""
    sample = ["%s: branch %s, central %s" % (_shown(address), branch, central)
              for address, branch, central in found["conflicts"][:SAMPLE]]
    room = SAMPLE - len(sample)
    sample += ["%s: only on the branch" % _shown(address) for address in found["only_branch"][:max(room, 0)]]
    room = SAMPLE - len(sample)
    sample += ["%s: only on the central" % _shown(address) for address in found["only_central"][:max(room, 0)]]
    return {"conflicts": len(found["conflicts"]), "only_branch": len(found["only_branch"]),
            "only_central": len(found["only_central"]), "compared": found["compared"], "sample": sample}


def diverged(brief):
    return bool(brief["conflicts"] or brief["only_branch"] or brief["only_central"])


def problem(label, brief):
    """One sentence for a relationship whose ends' leases differ (``summary``'s result), or None."""
    if not diverged(brief):
        return None
    parts = []
    if brief["conflicts"]:
        parts.append("%d address%s leased to different clients by the two ends" % (
            brief["conflicts"], "" if brief["conflicts"] == 1 else "es"))
    for side in ("branch", "central"):
        count = brief["only_" + side]
        if count:
            parts.append("%d held only by the %s" % (count, side))
    return ("%s: the two ends' leases differ: %s (%s); Kea does not mend this by itself: docs/operations.md, "
            "'Leases that differ between the two ends'" % (label, ", ".join(parts), "; ".join(brief["sample"])))


def grace_seconds(heartbeat_delay_ms):
    """How recent a lease may be and still not be compared: two heartbeats, at least 10 s.

    A lease update is sent before the client is answered, and a partner
    that missed some learns of it within a heartbeat of their next contact.
    """
    return max(10, -(-2 * int(heartbeat_delay_ms) // 1000))


def subnets_by_server_name(config):
    """``{ha-server-name: [subnet ids]}`` of a wrapped configuration: each relationship's subnets, as Kea tags them.

    A subnet's own tag wins over its shared network's, as Kea's HA hook reads them.
    """
    found = {}
    for body in (config or {}).values():
        if not isinstance(body, dict):
            continue

        def tag_of(item):
            context = (item or {}).get("user-context")
            return context.get("ha-server-name") if isinstance(context, dict) else None

        for key in ("subnet4", "subnet6"):
            for subnet in body.get(key) or []:
                found.setdefault(tag_of(subnet), []).append(subnet.get("id"))
            for network in body.get("shared-networks") or []:
                for subnet in network.get(key) or []:
                    found.setdefault(tag_of(subnet) or tag_of(network), []).append(subnet.get("id"))
    found.pop(None, None)
    return found


def with_partners(own_leases, partner_leases, relationships, config, family, now):
    """Each relationship in which this server stands by, compared with its partner's leases: ``(rows, problems)``.

    ``relationships``: ``_health.relationships_of(config)``; only those where
    this server is not the primary are compared (the central's, in
    hub-and-spoke), so that each relationship is compared once.
    ``own_leases()`` returns this server's leases; ``partner_leases(endpoint,
    command, subnet_ids)`` the partner's, through its HA listener (which
    allows ``lease4-get-all`` / ``lease6-get-all``); either raises
    ``LookupError`` with a reason, which is reported, not compared.
    """
    ids = subnets_by_server_name(config)
    rows, problems = [], []
    mine = None
    for rel in relationships:
        local, partner = rel["local"], rel["partner"]
        if partner is None or not partner.get("url") or local.get("role") == "primary":
            continue
        label = "relationship %s/%s" % (local["name"], partner["name"])
        subnet_ids = ids.get(local["name"]) or []
        try:
            if mine is None:
                mine = own_leases()
            theirs = partner_leases(partner, "lease%d-get-all" % family, subnet_ids)
        except LookupError as exc:
            rows.append({"local": local["name"], "partner": partner["name"], "error": str(exc)})
            continue
        grace = grace_seconds(rel["timers"]["heartbeat-delay"])
        brief = summary(compare(mine, theirs, subnet_ids, now, grace))
        rows.append(dict(brief, local=local["name"], partner=partner["name"]))
        # this server stands by for its partner: in hub-and-spoke, the central for a branch
        said = problem(label, brief)
        if said:
            problems.append(said)
    return rows, problems
