# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, ISC DHCP: the ``dhcpd6.conf`` beside a failover estate's ``dhcpd.conf``, joined into a dual-stack hub.

ISC DHCP has no DHCPv6 failover, so the relationships are the DHCPv4 ones:
each store's DHCPv6 subnets and shared networks go to its relationship, the
central's copy (matched by prefix, networks by name) when it has one, each
difference a problem; a store's subnet the central does not serve is a note
(Kea's HA makes the central stand by for it too); a subnet only the central
serves belongs to no relationship. The topology becomes ``family: dual``:
each peer's URL is given per server, DHCPv6's ``V6_OFFSET`` ports above
DHCPv4's, and each host's base gets its ``Dhcp6`` half.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import differences, paths
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_isc import LEFT_OUT_KEYS, items_of, without_ids
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import copy_data

V6_OFFSET = 500


def _label(kind, key):
    return "DHCPv6 %s %s" % (kind, key if kind == "subnet" else "'%s'" % key)


def _renumber(item, next_id):
    for subnet in [item] if "subnet" in item else item.get("subnet6") or []:
        subnet["id"] = next_id
        next_id += 1
    return next_id


def _url6(url):
    scheme, rest = url.split("://", 1)
    host, port = rest.rstrip("/").rsplit(":", 1)
    return "%s://%s:%d/" % (scheme, host, int(port) + V6_OFFSET)


def join_dhcp6(topology, bases, hosts6, problems, notes):
    """``topology`` (DHCPv4's) made dual-stack with ``{host: IscHost}`` of the dhcpd6.conf files; bases by family."""
    central = topology["central"]
    rels = topology["relationships"]
    hub = hosts6.get(central)
    theirs = dict(((kind, key), item) for kind, key, item in (items_of(hub.body, 6) if hub else []))
    used = [s.get("id") for item in theirs.values() for s in ([item] if "subnet" in item else item.get("subnet6") or [])]
    next_id = max([i for i in used if isinstance(i, int)] + [0]) + 1
    placed = set()
    for rel in rels:
        branch = rel["branch"]["host"]
        own = hosts6.get(branch)
        found = {"subnet": [], "shared network": []}
        for kind, key, item in items_of(own.body, 6) if own else []:
            label = "failover peer '%s' %s" % (rel["branch"]["name"], _label(kind, key))
            other = theirs.get((kind, key))
            if other is None:
                notes.append("%s: served by the branch (%s) only; ISC DHCP has no DHCPv6 failover, and with Kea's HA "
                             "the central (%s) stands by for it too" % (label, branch, central))
                item = copy_data(item)
                next_id = _renumber(item, next_id)
            else:
                placed.add((kind, key))
                changed = differences(without_ids(other), without_ids(item), "")
                if changed:
                    problems.append("%s: differs between the central (%s) and the branch (%s) at %s"
                                    % (label, central, branch, paths(changed)))
                item = copy_data(other)
            found[kind].append(item)
        subnets = rel.pop("subnets", [])
        networks = rel.pop("shared-networks", [])
        if subnets + found["subnet"] or not networks + found["shared network"]:
            rel["subnets"] = subnets + found["subnet"]
        if networks + found["shared network"]:
            rel["shared-networks"] = networks + found["shared network"]
        for side in ("branch", "central"):
            rel[side]["url"] = {"dhcp4": rel[side]["url"], "dhcp6": _url6(rel[side]["url"])}
    for kind, key in theirs:
        if (kind, key) not in placed:
            problems.append("host '%s' %s: no store serves it, so it belongs to no relationship; left out"
                            % (central, _label(kind, key)))
    for host in sorted(set([central] + [rel["branch"]["host"] for rel in rels]) - set(hosts6)):
        notes.append("host '%s': has no dhcpd6.conf; its relationship has no DHCPv6 subnet, so it stays DHCPv4's only"
                     % host)
    relay = rels[0]["central"].get("relay-interfaces") if rels else None
    if relay and central in hosts6:
        notes.append("host '%s': its DHCPv6 server hears relayed traffic on %s at the DHCPv6 multicast address; when "
                     "the stores' relays send to its unicast address instead, spell each of the central's "
                     "relay-interfaces 'NAME/ADDRESS'" % (central, ", ".join(relay)))
    topology["family"] = "dual"
    joined = {}
    for host, base in bases.items():
        joined[host] = {"Dhcp4": base}
        if host in hosts6:
            joined[host]["Dhcp6"] = dict((k, copy_data(v)) for k, v in hosts6[host].body.items()
                                         if k not in LEFT_OUT_KEYS)
    return joined
