# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, ISC DHCP: failover peers paired into relationships, and what of them does not carry over to Kea's HA.

A failover peer is declared on both servers under one name, ``primary`` on
one, ``secondary`` on the other, each one's ``address`` the other's ``peer
address``. The secondary's host is the central: one host for every peer.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Kea's HA timers are milliseconds up to 65535 (Kea 3.2 lifts it).
MAX_MS = 65535
# What each ISC setting that does not carry over becomes, said once per setting.
WHY = {
    "split": "Kea's hub-and-spoke is hot-standby: the primary serves every client and the central stands by",
    "hba": "Kea's hub-and-spoke is hot-standby: the primary serves every client and the central stands by",
    "mclt": "Kea's HA has no maximum client lead time: partners update each other's leases as they go",
    "max-unacked-updates": "Kea's HA sends lease updates one by one (see max-ack-delay and max-unacked-clients)",
    "load balance max seconds": "hot-standby does not balance",
    "max-response-delay": "Kea takes the central's, in milliseconds up to %d" % MAX_MS,
}
ALL_TO_PRIMARY = ("255", "ff" * 32)


class IscRel(object):
    """One failover peer as a relationship: its name, the branch (primary's host), both declarations."""

    def __init__(self, peer, branch, primary, secondary):
        self.peer, self.branch, self.primary, self.secondary = peer, branch, primary, secondary
        self.items = []
        self.params = {}
        self.dropped = {}     # host -> ["setting value", ...]


def _declarations(hosts):
    found = {}
    for host in sorted(hosts):
        for name, peer in hosts[host].conf.peers.items():
            found.setdefault(name, []).append((host, peer))
    return found


def _pair(name, declared, problems):
    """``(primary's host, its declaration, secondary's host, its declaration)`` or None, with the problem."""
    where = "failover peer '%s'" % name
    hosts = [host for host, _peer in declared]
    if len(declared) != 2:
        problems.append("%s: declared on %s (%s); a failover peer is declared on its two servers: %s"
                        % (where, "one host only" if len(declared) == 1 else "%d hosts" % len(declared),
                           ", ".join(hosts), "its partner's dhcpd.conf is not among the files read; left out"
                           if len(declared) == 1 else "left out"))
        return None
    roles = dict((peer.role, (host, peer)) for host, peer in declared)
    if sorted(roles) != ["primary", "secondary"]:
        problems.append("%s: %s; one end must be primary and the other secondary; left out"
                        % (where, ", ".join("'%s' on %s" % (peer.role or "no role", host) for host, peer in declared)))
        return None
    (branch, primary), (central, secondary) = roles["primary"], roles["secondary"]
    ends = ((branch, primary), (central, secondary))
    for (one, mine), (two, theirs) in (ends, ends[::-1]):
        if mine.address != theirs.peer_address:
            problems.append("%s: its address on %s is %s but %s's peer address is %s"
                            % (where, one, mine.address, two, theirs.peer_address))
    return branch, primary, central, secondary


def pair_peers(hosts, central, problems):
    """``(central, [IscRel])`` in the order the central declares its peers; the central None when it cannot be told."""
    pairs = []
    for name, declared in _declarations(hosts).items():
        found = _pair(name, declared, problems)
        if found is not None:
            pairs.append((name,) + found)
    secondaries = []
    for _name, _branch, _primary, host, _secondary in pairs:
        if host not in secondaries:
            secondaries.append(host)
    if central is None:
        if len(secondaries) != 1:
            problems.append("no failover peer can be adopted: nothing to adopt" if not secondaries else
                            "the secondaries of the failover peers are on several hosts (%s): a hub has one central; "
                            "give it with kea_adopt_central" % ", ".join(sorted(secondaries)))
            return None, []
        central = secondaries[0]
    elif central not in hosts:
        problems.append("kea_adopt_central: host '%s' is not among the hosts read (%s)" % (central, ", ".join(sorted(hosts))))
        return None, []
    order = list(hosts[central].conf.peers)
    rels, branches = [], {}
    for name, branch, primary, host, secondary in sorted(pairs, key=lambda p: order.index(p[0]) if p[0] in order else 0):
        if host != central:
            problems.append("failover peer '%s': its secondary is %s, not the central (%s); a relationship of the hub is "
                            "between a branch (the primary) and the central; left out" % (name, host, central))
            continue
        if branch in branches:
            problems.append("failover peer '%s': host '%s' is already the primary of failover peer '%s'; a branch has one "
                            "relationship, with the central; left out" % (name, branch, branches[branch]))
            continue
        branches[branch] = name
        rel = IscRel(name, branch, primary, secondary)
        _params(rel, central)
        rels.append(rel)
    return central, rels


def _params(rel, central):
    """The relationship's parameters from the central's declaration; what does not carry over, by host.

    ``max-response-delay`` (seconds in ISC DHCP, milliseconds in Kea) is the
    central's, when Kea can take it; the branch's says nothing more when it
    is the same. The ports are not said: the URLs give Kea's own.
    """
    central_delay = dict(rel.secondary.settings).get("max-response-delay")
    for host, decl in ((rel.branch, rel.primary), (central, rel.secondary)):
        dropped = rel.dropped.setdefault(host, [])
        for setting, value in decl.settings:
            if setting in ("split", "hba") and value in ALL_TO_PRIMARY:
                continue
            if setting == "max-response-delay" and value == central_delay and str(value).isdigit() \
                    and int(value) * 1000 <= MAX_MS:
                rel.params["max-response-delay"] = int(value) * 1000
                continue
            dropped.append((setting, value))


def peer_notes(rel, central):
    """What each end of one failover peer declared that Kea's relationship does not say (empty when nothing)."""
    said = []
    for host, role in ((rel.branch, "primary"), (central, "secondary")):
        items = rel.dropped.get(host) or []
        if items:
            spelled = ", ".join("%s %s" % (s, v) if v is not None else s for s, v in items)
            said.append("on %s (%s) %s" % (host, role, spelled))
    return ["failover peer '%s': not carried over: %s" % (rel.peer, "; ".join(said))] if said else []


def why_notes(rels):
    """Why each setting named by ``peer_notes`` does not carry over, once per setting."""
    settings = []
    for rel in rels:
        for items in rel.dropped.values():
            settings.extend(setting for setting, _value in items if setting not in settings)
    return ["not carried over, %s: %s" % (setting, WHY.get(setting, "Kea's HA has no such setting"))
            for setting in settings]
