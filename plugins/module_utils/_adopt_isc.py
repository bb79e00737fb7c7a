# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, ISC DHCP: a failover estate (one secondary for every store's primary) as a hub-and-spoke topology.

Each host gives its ``dhcpd.conf`` read twice: by ``_adopt_dhcpd`` for the
failover peers and the pools that name them, by keama (``_adopt_keama``) for
everything else, and the interfaces its dhcpd listens on. Then:

* one relationship per failover peer declared on both ends (same name,
  addresses that mirror each other): the primary's host is the branch, the
  secondary's the central, which must be one host for every peer;
* each subnet and shared network of the central goes to the relationship
  whose peer its pools name, keeps the central's keama id (so both ends
  agree), and is compared with the branch's copy, each difference a problem;
* Kea names: the branch is the peer's name, the central ``CENTRAL-PEER``;
  URLs on the failover addresses, port ``ha_port`` on a branch and
  ``ha_port`` + n - 1 on the central for relationship n;
* the branch serves its subnets on its interface (``relay-interfaces`` when
  it listens on several), the central receives relayed traffic on its own;
* everything else keama gives is each host's base, as for Kea files.

What does not carry over (``split``/``hba`` other than all to the primary,
``mclt``, ``max-unacked-updates``, ``load balance max seconds``... and
keama's own warnings) is a note naming the peer and the hosts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import differences, names, paths
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_isc_peers import pair_peers, peer_notes, why_notes
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import copy_data

LEFT_OUT_KEYS = ("subnet4", "subnet6", "shared-networks", "interfaces-config")


class IscHost(object):
    """One host's ISC DHCP server of one family: the file read, keama's translation, where it listens."""

    def __init__(self, host, path, conf, config, warnings, interfaces):
        self.host, self.path, self.conf, self.body, self.warnings = host, path, conf, config, warnings
        self.interfaces = interfaces    # list of names, or None when not known


def _url(address, port):
    """The HA URL on a failover address (a host name kept as written, for the model to refuse: Kea wants an IP)."""
    try:
        literal = ipaddress.ip_address(u"%s" % address)
    except ValueError:
        return "http://%s:%d/" % (address, port)
    return "http://%s:%d/" % ("[%s]" % literal if literal.version == 6 else literal, port)


def without_ids(item):
    copy = copy_data(item)
    copy.pop("id", None)
    for key in ("subnet4", "subnet6"):
        for subnet in copy.get(key) or []:
            subnet.pop("id", None)
    return copy


def items_of(body, family):
    """``[(kind, key, item)]``: the top-level subnets, then the shared networks, as keama wrote them."""
    found = [("subnet", s.get("subnet"), s) for s in body.get("subnet%d" % family) or []]
    found.extend(("shared network", n.get("name"), n) for n in body.get("shared-networks") or [])
    return found


def _peers_of(isc, kind, item, family):
    by_prefix = dict((s.prefix, s) for s in isc.conf.subnets)
    prefixes = [item.get("subnet")] if kind == "subnet" else [s.get("subnet") for s in item.get("subnet%d" % family) or []]
    named = []
    for prefix in prefixes:
        for peer in by_prefix[prefix].peers if prefix in by_prefix else []:
            if peer not in named:
                named.append(peer)
    if kind == "shared network":
        named.extend(p for p in isc.conf.network_peers.get(item.get("name"), []) if p not in named)
    return named


def _place(hosts, central, rels, family, problems):
    """Each of the central's subnets and shared networks into its relationship; the branches' compared."""
    hub = hosts[central]
    by_peer = dict((rel.peer, rel) for rel in rels)
    used = set()
    for kind, key, item in items_of(hub.body, family):
        named = _peers_of(hub, kind, item, family)
        where = "host '%s' %s %s" % (central, kind, key if kind == "subnet" else "'%s'" % key)
        if len(named) != 1 or named[0] not in by_peer:
            why = ("no pool of it names a failover peer" if not named else
                   "its pools name failover peers %s" % names(named) if len(named) > 1 else
                   "its pools name failover peer '%s', which is not adopted" % named[0])
            problems.append("%s: %s, so it belongs to no relationship; left out" % (where, why))
            continue
        rel = by_peer[named[0]]
        rel.items.append((kind, key, copy_data(item)))
        used.update(_ids(item, family))
    next_id = max(list(used) + [0]) + 1
    for rel in rels:
        branch = hosts[rel.branch]
        theirs = dict(((kind, key), item) for kind, key, item in items_of(branch.body, family))
        for kind, key, item in rel.items:
            label = "failover peer '%s' %s %s" % (rel.peer, kind, key if kind == "subnet" else "'%s'" % key)
            other = theirs.pop((kind, key), None)
            if other is None:
                problems.append("%s: on the central (%s) but not on the branch (%s)" % (label, central, rel.branch))
                continue
            found = differences(without_ids(item), without_ids(other), "")
            if found:
                problems.append("%s: differs between the central (%s) and the branch (%s) at %s"
                                % (label, central, rel.branch, paths(found)))
        for (kind, key), item in theirs.items():
            label = "failover peer '%s' %s %s" % (rel.peer, kind, key if kind == "subnet" else "'%s'" % key)
            problems.append("%s: on the branch (%s) but not on the central (%s); adopted into the topology, so the "
                            "central serves it too" % (label, rel.branch, central))
            item = copy_data(item)
            for subnet in [item] if kind == "subnet" else item.get("subnet%d" % family) or []:
                subnet["id"] = next_id
                next_id += 1
            rel.items.append((kind, key, item))


def _ids(item, family):
    subnets = [item] if "subnet" in item else item.get("subnet%d" % family) or []
    return [s["id"] for s in subnets if isinstance(s.get("id"), int)]


def _listens(interfaces, central):
    """Where a host hears a relationship's traffic: a branch on its one interface, the central relayed."""
    if not interfaces:
        return {}
    if central or len(interfaces) > 1:
        return {"relay-interfaces": list(interfaces)}
    return {"interface": interfaces[0]}


def build(hosts, family, central=None, ha_port=8001):
    """``(topology or None, bases by host, problems, notes)`` from ``{host: IscHost}`` of one family."""
    problems, notes = [], []
    for host in sorted(hosts):
        if hosts[host].interfaces is None:
            problems.append("host '%s': the interfaces its dhcpd listens on are not known: copy its "
                            "/etc/default/isc-dhcp-server into its directory, or give them in kea_adopt_interfaces"
                            % host)
        notes.extend("host '%s' (%s): keama says: %s" % (host, hosts[host].path, said) for said in hosts[host].warnings)
    central, rels = pair_peers(hosts, central, problems)
    if central is None or not rels:
        return None, {}, problems, notes
    _place(hosts, central, rels, family, problems)
    params = {"mode": "hot-standby"}
    relationships = []
    for index, rel in enumerate(rels):
        item = {"branch": dict([("host", rel.branch), ("name", rel.peer), ("url", _url(rel.primary.address, ha_port))],
                               **_listens(hosts[rel.branch].interfaces, False)),
                "central": dict([("name", "%s-%s" % (central, rel.peer)),
                                 ("url", _url(rel.secondary.address, ha_port + index))],
                                **_listens(hosts[central].interfaces, True))}
        item.update(rel.params)
        subnets = [i for kind, _key, i in rel.items if kind == "subnet"]
        networks = [i for kind, _key, i in rel.items if kind != "subnet"]
        if subnets or not networks:
            item["subnets"] = subnets
        if networks:
            item["shared-networks"] = networks
        relationships.append(item)
        notes.extend(peer_notes(rel, central))
    notes.extend(why_notes(rels))
    common = [key for key in relationships[0] if key in rels[0].params
              and all(rel.params.get(key) == rels[0].params[key] for rel in rels)]
    for key in common:
        params[key] = rels[0].params[key]
        for item in relationships:
            item.pop(key)
    topology = {"family": family, "central": central, "defaults": params, "relationships": relationships}
    bases = {}
    for host in [central] + [rel.branch for rel in rels]:
        bases[host] = dict((k, copy_data(v)) for k, v in hosts[host].body.items() if k not in LEFT_OUT_KEYS)
    return topology, bases, problems, notes
