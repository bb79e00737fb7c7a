# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The checks across relationships that Kea does not do: hosts, peer names, subnet identity, listeners.

Kea checks some of these only per packet (a silent outage) or not at all
(two relationships on one IP:port, a subnet in two relationships)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _addresses as addr
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import suggest


def cross_checks(ctx, relationships, options, count):
    hosts(ctx, relationships)
    names(ctx, relationships)
    if count > 1:
        for rel in relationships:
            if rel.mode in schema.MODES and rel.mode != "hot-standby":
                ctx.problems.add(rel.where, "uses mode '%s', but multiple HA relationships are only supported for "
                                 "'hot-standby' mode" % rel.mode)
    subnet_identity(ctx)
    network_names(ctx)
    listeners(ctx, relationships, options)
    option_hosts(ctx, relationships, options)
    receiving(ctx, relationships, options)


def _listed(options, host):
    """The interfaces a host's base configuration lists (interfaces-config), whatever they are."""
    config = options.base_for(host)
    iface = config.get("interfaces-config") if isinstance(config, dict) else None
    listed = iface.get("interfaces") if isinstance(iface, dict) else None
    return listed if isinstance(listed, list) else []


def _subnet_list(rel):
    return ", ".join("%s (id %s)" % (subnet.get("subnet"), subnet.get("id")) for subnet in rel.all_subnets()) or "none"


def receiving(ctx, relationships, options):
    """Every host listens somewhere, and says where it receives each relationship's traffic.

    Kea with no interface in interfaces-config opens no DHCP socket: it starts,
    passes config-test and serves nobody, a silent outage that shows only when
    a branch fails and the central does not answer its clients.
    """
    by_host = {}
    for rel in relationships:
        for peer in rel.peers:
            if peer is not None and peer.host is not None:
                by_host.setdefault(peer.host, []).append((rel, peer))
    for host, ends in by_host.items():
        if _listed(options, host):
            continue  # the base configuration says where the host listens; relayed traffic reaches any of them
        heard = [(rel, peer) for rel, peer in ends if peer.interface or peer.relay_interfaces]
        if not heard:
            ctx.problems.add(
                "host '%s'" % host,
                "would listen on no interface, so Kea would receive no DHCP traffic and serve none of %s. Give its "
                "peers an 'interface' (clients on the host's own LAN) or 'relay-interfaces' (traffic relayed to it "
                "across the WAN), or list interfaces in its base configuration's interfaces-config"
                % ", ".join(rel.where for rel, _peer in ends))
            continue
        for rel, peer in ends:
            if not (peer.interface or peer.relay_interfaces):
                ctx.problems.add(
                    peer.where,
                    "has neither 'interface' nor 'relay-interfaces': say where host '%s' receives this relationship's "
                    "traffic, or it serves subnets %s only if their traffic happens to be relayed to an interface it "
                    "listens on for other relationships" % (host, _subnet_list(rel)))


def option_hosts(ctx, relationships, options):
    hosts = set([ctx.central]) | set(rel.branch.host for rel in relationships if rel.branch is not None)
    named = [("host_base", options.host_base)]
    if isinstance(options.control_endpoints, dict):
        named.append(("control_endpoints", dict((k, v) for k, v in options.control_endpoints.items() if k != "all")))
    for option, mapping in named:
        for host in mapping:
            if host not in hosts:
                ctx.problems.add("keadhcp.ha options: %s" % option, "host '%s' is not part of the topology%s"
                                 % (host, suggest(host, sorted(h for h in hosts if isinstance(h, str)))))


def hosts(ctx, relationships):
    first = {}
    for rel in relationships:
        if rel.branch is None:
            continue
        host = rel.branch.host
        if host == ctx.central:
            ctx.problems.add(rel.where, "branch host '%s' is the central; a host is the central or a branch, never both" % host)
        elif host in first:
            ctx.problems.add(rel.where, "branch host '%s' is already the branch of %s; a branch has one relationship"
                             % (host, first[host].where))
        else:
            first[host] = rel


def names(ctx, relationships):
    owner = {}
    for rel in relationships:
        for peer in rel.peers:
            if peer is None:
                continue
            seen = owner.get(peer.name)
            if seen is not None and seen[0] is not rel:
                ctx.problems.add(peer.where, "server names must be unique for different relationships: "
                                 "'%s' is already the %s peer of %s" % (peer.name, seen[1].side, seen[0].where))
            else:
                owner[peer.name] = (rel, peer)


def network_names(ctx):
    """Shared-network names are unique across the topology: the central holds every one of them."""
    first = {}
    for where, name in ctx.networks:
        if name in first:
            ctx.problems.add(where, "shared network name '%s' is already used by %s; the central holds every "
                             "relationship's networks, and Kea wants their names unique" % (name, first[name]))
        else:
            first[name] = where


def subnet_identity(ctx):
    ids = {}
    for where, rel, ident, prefix in ctx.parsed:
        if ident is None:
            continue
        if ident in ids:
            ctx.problems.add(where, "subnet id %d is already used by %s" % (ident, ids[ident]))
        else:
            ids[ident] = where
    items = [(prefix, (where, rel)) for where, rel, ident, prefix in ctx.parsed if prefix is not None]
    for (one, (where_one, rel_one)), (two, (where_two, rel_two)) in addr.find_overlaps(items):
        if one.first == two.first and one.last == two.last and rel_one is not rel_two:
            ctx.problems.add(where_two, "already belongs to %s; a subnet belongs to exactly one relationship" % rel_one.where)
        else:
            ctx.problems.add(where_two, "overlaps %s" % where_one)


def listeners(ctx, relationships, options):
    core_mt = {}    # host -> whether Kea's own multi-threading is on there
    listeners = {}  # host -> [(Endpoint, Peer, Relationship)]
    owners = {}     # Endpoint -> (host, Peer, Relationship)
    for rel in relationships:
        for peer in rel.peers:
            if peer is None or peer.endpoint is None:
                continue
            if peer.host not in core_mt:
                mt = options.base_for(peer.host).get("multi-threading")
                core_mt[peer.host] = not (isinstance(mt, dict) and mt.get("enable-multi-threading") is False)
            dedicated = rel.dedicated_listener(core_mt[peer.host])
            seen = owners.get(peer.endpoint)
            if seen is not None and seen[0] != peer.host:
                ctx.problems.add(peer.where, "url '%s' points at %s, which is already the address of %s on host '%s'"
                                 % (peer.url, peer.endpoint, seen[1].where, seen[0]))
            owners.setdefault(peer.endpoint, (peer.host, peer, rel))
            if dedicated:
                listeners.setdefault(peer.host, []).append((peer.endpoint, peer, rel))
    for host, items in listeners.items():
        first = {}
        for endpoint, peer, rel in items:
            if endpoint in first and first[endpoint][1] is not rel:
                ctx.problems.add(peer.where, "listens on %s like %s; with dedicated HA listeners each relationship "
                                 "of host '%s' needs its own IP:port" % (endpoint, first[endpoint][0].where, host))
            first.setdefault(endpoint, (peer, rel))
        for control in control_endpoints(ctx, host, options):
            for endpoint, peer, rel in items:
                if endpoint.collides(control):
                    ctx.problems.add(peer.where, "HA listener %s collides with the control channel on %s of host '%s'"
                                     % (endpoint, control, host))


def control_endpoints(ctx, host, options):
    where = "keadhcp.ha options: control_endpoints"
    found = []
    given = options.control_endpoints
    if isinstance(given, dict):
        given = given.get(host, given.get("all", []))
    if given is None:
        given = []
    if not isinstance(given, list):
        given = [given]
    for item in given:
        try:
            if isinstance(item, dict):
                found.append(addr.make_endpoint(item.get("address", item.get("ip")), item.get("port")))
            else:
                found.append(addr.parse_endpoint(item))
        except ValueError as exc:
            ctx.problems.add(where, str(exc))
    sockets = options.base_for(host).get("control-sockets") or []
    for sock in sockets if isinstance(sockets, list) else []:
        if isinstance(sock, dict) and sock.get("socket-type") in ("http", "https"):
            try:
                found.append(addr.make_endpoint(sock.get("socket-address", schema.CONTROL_SOCKET_DEFAULT_ADDRESS),
                                                sock.get("socket-port", schema.CONTROL_SOCKET_DEFAULT_PORT)))
            except ValueError as exc:
                ctx.problems.add("host '%s' base config control-sockets" % host, str(exc))
    return found
