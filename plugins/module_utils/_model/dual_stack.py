# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Dual-stack topologies (``family: dual``): one description of each site, two servers on every host.

A dual-stack site runs ``kea-dhcp4`` and ``kea-dhcp6`` side by side. Each is
an HA arrangement of its own (its own relationships, peers and listeners),
but the user describes the site once: a relationship lists its DHCPv4 and
DHCPv6 subnets together, and each goes to the server of its family. The
description is split into two single-family topologies, each validated by
the same rules as any other (``_topology.load_family``); what only the pair
can get wrong (both servers of a host on one IP:port) is checked here.

Per-daemon values are mappings keyed by Kea's service names:

* ``ha-port``: one number (DHCPv4's; DHCPv6's derived listeners start
  ``DUAL_STACK_PORT_OFFSET`` above it) or ``{dhcp4: PORT, dhcp6: PORT}``;
* a peer's ``url`` and ``port``: ``{dhcp4: ..., dhcp6: ...}``, either left
  out to be derived;
* a peer's ``relay-interfaces``: one list; an item spelled with an address
  (``eth0/ADDRESS``) goes to the server of the address's family, a bare name
  to both;
* the base configurations (``base``, ``host_base``): ``{Dhcp4: {...},
  Dhcp6: {...}}``, either part optional.

A relationship's position in the user's list names it in both halves, and
relationships with no subnet of a family are left out of that family's half.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import (
    Problems, TopologyError, str_or_none, type_name)
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import DualStack

FAMILIES = (4, 6)


def load(topology, inputs, load_family):
    """Validate a ``family: dual`` topology; return a DualStack or raise TopologyError with every problem."""
    problems = Problems()
    ports = ha_ports(problems, topology.get("ha-port", schema.DEFAULT_HA_PORT))
    raw = topology.get("relationships")
    halves = dict((family, []) for family in FAMILIES)
    host_subnets = split_host_subnets(inputs.get("host_subnets"))
    if isinstance(raw, list):
        for index, item in enumerate(raw, 1):
            for family, part in split_relationship(problems, index, item, host_subnets).items():
                halves[family].append((index, part))
    bases = split_base(problems, "keadhcp.ha options: base", inputs.get("base"))
    host_bases = dict((family, {}) for family in FAMILIES)
    given_host_base = inputs.get("host_base")
    if isinstance(given_host_base, dict):
        for host, config in given_host_base.items():
            for family, part in split_base(problems, "keadhcp.ha options: host_base[%s]" % host, config).items():
                host_bases[family][host] = part
    found = list(problems.items)
    models = {}
    for family in FAMILIES:
        if isinstance(raw, list) and raw and not halves[family]:
            found.append("kea_ha_topology: 'family' is dual, but no relationship has a DHCPv%d subnet; "
                         "say 'family: %d' for a DHCPv%d-only hub" % (family, 10 - family, 10 - family))
            continue
        half = dict(topology)
        half["family"] = family
        if ports.get(family) is not None:
            half["ha-port"] = ports[family]
        else:
            half.pop("ha-port", None)
        options = dict(inputs, base=bases.get(family), host_base=host_bases[family],
                       host_subnets=host_subnets[family])
        indexed = halves[family] if isinstance(raw, list) and raw else raw
        half_problems, model = load_family(half, family, indexed, **options)
        found.extend(problem for problem in half_problems if problem not in found)
        models[family] = model
    if not found:
        found = shared_listeners(models)
    if found:
        problems.items = found
        raise TopologyError(problems.in_topology_order())
    return DualStack(topology["central"], models)


def ha_ports(problems, value):
    """Each family's base HA port from the topology's ``ha-port`` (one number, or one per daemon)."""
    if isinstance(value, dict):
        problems.unknown_keys("kea_ha_topology: 'ha-port'", value, schema.DAEMONS.values())
        ports = {}
        for family, daemon in schema.DAEMONS.items():
            port = value.get(daemon, schema.DEFAULT_HA_PORT + (schema.DUAL_STACK_PORT_OFFSET if family == 6 else 0))
            ports[family] = port  # its kind is checked by the family's own validation
        return ports
    if isinstance(value, int) and not isinstance(value, bool):
        return {4: value, 6: value + schema.DUAL_STACK_PORT_OFFSET}
    return {4: value, 6: value}  # not a port: both halves say so, once


def family_of(subnet):
    """The IP version of a subnet's (or pool's) prefix, or None when it is not one."""
    text = subnet.get("subnet") if isinstance(subnet, dict) else None
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.ip_network(u"%s" % text.strip(), strict=False).version
    except ValueError:
        return None


def _partition_subnets(subnets):
    """``subnets`` by family; a subnet whose family cannot be read goes with DHCPv4, whose rules then report it."""
    parts = dict((family, []) for family in FAMILIES)
    if not isinstance(subnets, list):
        return {4: subnets}
    for subnet in subnets:
        parts[family_of(subnet) or 4].append(subnet)
    return dict((family, items) for family, items in parts.items() if items)


def _network_family(network):
    if isinstance(network, dict) and "subnet6" in network and "subnet4" not in network:
        return 6
    return 4


def split_host_subnets(host_subnets):
    """kea_ha_subnets of each branch host, by family."""
    halves = dict((family, {}) for family in FAMILIES)
    if not isinstance(host_subnets, dict):
        return halves
    for host, subnets in host_subnets.items():
        for family, items in _partition_subnets(subnets).items():
            halves[family][host] = items
    return halves


def split_relationship(problems, index, item, host_subnets):
    """One relationship's part in each family's half: {family: relationship}, only where it has subnets."""
    if not isinstance(item, dict):
        return {4: item}
    branch = item.get("branch") if isinstance(item.get("branch"), dict) else None
    host = str_or_none(branch.get("host")) if branch else None
    label = "relationship %d (%s)" % (index, host) if host else "relationship %d" % index
    subnets = _partition_subnets(item["subnets"]) if "subnets" in item else {}
    for family in FAMILIES:
        if host and host in host_subnets[family] and "subnets" not in item:
            subnets[family] = host_subnets[family][host]
    networks = dict((family, []) for family in FAMILIES)
    given_networks = item.get("shared-networks")
    if isinstance(given_networks, list):
        for network in given_networks:
            networks[_network_family(network)].append(network)
    wanted = [family for family in FAMILIES if subnets.get(family) or networks[family]]
    if not wanted:
        wanted = [4]  # no subnet of either family: the DHCPv4 rules say what is missing
    halves = {}
    for family in wanted:
        part = dict(item)
        if "subnets" in item or family in subnets:
            if subnets.get(family):
                part["subnets"] = subnets[family]
            else:
                part.pop("subnets", None)
        if "shared-networks" in item:
            if not isinstance(given_networks, list):
                pass  # the family's own rules report it
            elif networks[family]:
                part["shared-networks"] = networks[family]
            else:
                part.pop("shared-networks")
        for side in ("branch", "central"):
            if isinstance(item.get(side), dict):
                part[side] = split_peer(problems, label, side, item[side], family)
        halves[family] = part
    return halves


def split_peer(problems, label, side, peer, family):
    """A peer as the server of ``family`` sees it: its own URL and port, the relay interfaces of its family."""
    where = "%s %s" % (label, side)
    if str_or_none(peer.get("name")):
        where = "%s %s peer '%s'" % (label, side, peer["name"])
    daemon = schema.DAEMONS[family]
    part = dict(peer)
    for key in ("url", "port"):
        if key not in peer:
            continue
        value = peer[key]
        if isinstance(value, dict):
            if family == 4:
                problems.unknown_keys("%s '%s'" % (where, key), value, schema.DAEMONS.values())
            if daemon in value:
                part[key] = value[daemon]
            else:
                part.pop(key)
        else:
            if family == 4:
                problems.add(where, "in a dual-stack topology '%s' is given per server: {dhcp4: %s, dhcp6: %s} "
                             "(each may be left out to be derived), not %s"
                             % (key, "URL" if key == "url" else "PORT", "URL" if key == "url" else "PORT",
                                type_name(value)))
            part.pop(key)
    relay = peer.get("relay-interfaces")
    if isinstance(relay, list) and relay:
        kept = [name for name in relay if _interface_family(name) in (None, family)]
        if kept:
            part["relay-interfaces"] = kept
        else:
            part.pop("relay-interfaces")
    return part


def _interface_family(name):
    """The family an interface spelled ``eth0/ADDRESS`` belongs to; None for a bare name (or a bad spelling)."""
    if not isinstance(name, str) or "/" not in name:
        return None
    try:
        return ipaddress.ip_address(u"%s" % name.split("/", 1)[1]).version
    except ValueError:
        return None


def split_base(problems, where, config):
    """A dual-stack base configuration, ``{Dhcp4: {...}, Dhcp6: {...}}``, by family."""
    if config is None or config == {}:
        return {}
    if not isinstance(config, dict):
        problems.add(where, "must be a mapping, not %s" % type_name(config))
        return {}
    wrappers = dict(("Dhcp%d" % family, family) for family in FAMILIES)
    others = [key for key in config if key not in wrappers]
    if others:
        problems.add(where, "in a dual-stack topology the base configuration gives each server's part: "
                     "{Dhcp4: {...}, Dhcp6: {...}}, not %s" % ", ".join("'%s'" % key for key in others))
        return {}
    return dict((family, {key: config[key]}) for key, family in wrappers.items() if key in config)


def shared_listeners(models):
    """Both servers of a host cannot listen on one IP:port: DHCPv6's HA listener must differ from DHCPv4's."""
    problems = Problems()
    taken = {}  # (host, Endpoint) -> peer of the DHCPv4 half
    for rel in models[4].relationships:
        for peer in rel.peers:
            taken.setdefault((peer.host, peer.endpoint), peer)
    for rel in models[6].relationships:
        for peer in rel.peers:
            first = taken.get((peer.host, peer.endpoint))
            if first is not None:
                problems.add(peer.where, "the DHCPv6 server's HA listener %s is the DHCPv4 server's (%s) on host '%s'; "
                             "give the two servers different ports ('ha-port', or the peer's 'url' per server)"
                             % (peer.endpoint, first.where, peer.host))
    return problems.items
