# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The validated topology: peers, relationships, the whole arrangement, and its assembly into Kea configurations.

Built by ``_topology.load_topology`` only once everything validated; every
object is complete when built."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import (
    Problems, TopologyError, copy_data, merge, suggest, type_name)


class Peer(object):
    """One end of a relationship, as validated."""

    def __init__(self, side, host, name, url, interface, role, params, where, scheme=None, endpoint=None,
                 relay_interfaces=()):
        self.side = side            # "branch" or "central"
        self.host = host            # inventory hostname
        self.name = name            # Kea peer name
        self.url = url
        self.interface = interface  # interface its copy of the subnets binds to, or None
        # interfaces (Kea spelling) it receives the relationship's relayed traffic on, subnets not bound to them
        self.relay_interfaces = list(relay_interfaces)
        self.role = role
        self.params = params        # Kea per-peer keys, in the user's order
        self.where = where
        self.scheme = scheme        # http or https, None when the URL did not parse
        self.endpoint = endpoint    # the URL's IP:port, None when the URL did not parse

    def entry(self):
        """The peer's item in a Kea ``peers`` list."""
        item = {"name": self.name, "url": self.url, "role": self.role}
        item.update(self.params)
        return item


class Relationship(object):
    def __init__(self, index, where, branch, central, params, subnets, shared_networks=()):
        self.index = index
        self.where = where
        self.branch = branch
        self.central = central
        self.params = params      # merged relationship parameters (mode included)
        self.subnets = subnets    # the user's subnet objects
        self.shared_networks = list(shared_networks)  # the user's shared-network objects

    def all_subnets(self):
        """Every subnet of the relationship: its own, then those of its shared networks, as mappings."""
        found = [subnet for subnet in self.subnets if isinstance(subnet, dict)]
        for network in self.shared_networks:
            for key in ("subnet4", "subnet6"):
                inner = network.get(key) if isinstance(network, dict) else None
                found.extend(subnet for subnet in inner or [] if isinstance(subnet, dict))
        return found

    @property
    def mode(self):
        return self.params["mode"]

    @property
    def peers(self):
        return (self.branch, self.central)

    def peer_names(self):
        return set(peer.name for peer in self.peers)

    def local(self, host):
        return self.branch if self.branch.host == host else self.central

    def dedicated_listener(self, core_mt=True):
        mt = dict(schema.MT_DEFAULTS)
        given = self.params.get("multi-threading")
        if isinstance(given, dict):
            mt.update(given)
        return bool(core_mt and mt.get("enable-multi-threading") and mt.get("http-dedicated-listener"))

    def ha_entry(self, host):
        """This relationship's item in ``host``'s ``high-availability`` list."""
        entry = {"this-server-name": self.local(host).name, "mode": self.mode}
        for key, value in self.params.items():
            if key != "mode":
                entry[key] = copy_data(value)
        entry["peers"] = [peer.entry() for peer in self.peers]
        return entry


class Topology(object):
    """A validated hub-and-spoke arrangement."""

    def __init__(self, family, central, relationships, options):
        self.family = family
        self.central = central
        self.relationships = relationships
        self.options = options
        self.branches = dict((rel.branch.host, rel) for rel in relationships)

    @property
    def dhcp_key(self):
        return "Dhcp%d" % self.family

    @property
    def subnet_key(self):
        return "subnet%d" % self.family

    @property
    def hosts(self):
        return [self.central] + [rel.branch.host for rel in self.relationships]

    def relationships_of(self, host):
        if host == self.central:
            return list(self.relationships)
        if host in self.branches:
            return [self.branches[host]]
        raise TopologyError(["host '%s': it is neither the central ('%s') nor a branch of any relationship%s"
                             % (host, self.central, suggest(host, self.hosts))])

    def interfaces(self, host):
        """The interfaces ``host`` serves, one item per interface a peer of it names (``relayed``: a relay one)."""
        found = []
        for rel in self.relationships_of(host):
            local = rel.local(host)
            named = [(local.interface, False)] if local.interface else []
            for spelled, relayed in named + [(name, True) for name in local.relay_interfaces]:
                found.append({"relationship": rel.index, "branch": rel.branch.host, "peer": local.name,
                              "interface": spelled.split("/", 1)[0], "relayed": relayed})
        return found

    def ha_relationships(self, host):
        """The ``high-availability`` list for one host."""
        return [rel.ha_entry(host) for rel in self.relationships_of(host)]

    def config(self, host):
        """The complete ``{"DhcpN": {...}}`` configuration for one host."""
        relationships = self.relationships_of(host)
        base = copy_data(self.options.base_for(host))
        interfaces = {}  # an ordered set
        direct = False   # whether some relationship's clients reach this host on its own LAN
        subnets, networks = [], []
        for rel in relationships:
            local = rel.local(host)
            if local.interface:
                interfaces[local.interface] = True
                direct = True
            for name in local.relay_interfaces:
                interfaces[name] = True
            subnets.extend(tag_subnets(rel.subnets, local.name, interface=local.interface, checked=True))
            networks.extend(tag_network(network, local.name, local.interface, self.subnet_key)
                            for network in rel.shared_networks)
        body = {}
        iface_config = base.pop("interfaces-config", {})
        if interfaces or iface_config:
            listed = list(interfaces)
            for name in iface_config.get("interfaces", []):
                if name not in listed:
                    listed.append(name)
            # A host that only receives relayed DHCPv4 traffic needs no raw
            # sockets: Kea recommends UDP ones there.
            udp = (self.family == 4 and interfaces and not direct and not iface_config.get("interfaces")
                   and "dhcp-socket-type" not in iface_config)
            iface_config["interfaces"] = listed
            if udp:
                iface_config["dhcp-socket-type"] = "udp"
            body["interfaces-config"] = iface_config
        body["hooks-libraries"] = (self.options.hook_libraries((rel.ha_entry(host) for rel in relationships), host)
                                   + base.pop("hooks-libraries", []))
        body.update(base)
        body[self.subnet_key] = subnets
        if networks:
            body["shared-networks"] = networks
        return {self.dhcp_key: body}

    def configs(self, hosts=None):
        """Every host's configuration (or those of ``hosts`` only), central first, then branches in order."""
        wanted = None if hosts is None else set(hosts)
        return dict((host, self.config(host)) for host in self.hosts if wanted is None or host in wanted)


class DualStack(object):
    """A validated dual-stack arrangement: one Topology per family, every host running the servers of its subnets."""

    family = schema.DUAL_STACK

    def __init__(self, central, families):
        self.central = central
        self.families = families  # {4: Topology, 6: Topology}

    @property
    def hosts(self):
        found = []
        for family in sorted(self.families):
            found.extend(host for host in self.families[family].hosts if host not in found)
        # the central first, then branches in the order of the user's relationships
        order = dict((rel.branch.host, rel.index) for model in self.families.values() for rel in model.relationships)
        return [self.central] + sorted((host for host in found if host != self.central), key=order.get)

    def halves_of(self, host):
        """The single-family topologies in which ``host`` runs a server."""
        halves = [self.families[family] for family in sorted(self.families) if host in self.families[family].hosts]
        if not halves:
            raise TopologyError(["host '%s': it is neither the central ('%s') nor a branch of any relationship%s"
                                 % (host, self.central, suggest(host, self.hosts))])
        return halves

    def interfaces(self, host):
        """The interfaces ``host`` serves, as Topology.interfaces, each item with its ``family``."""
        found = []
        for half in self.halves_of(host):
            found.extend(dict(item, family=half.family) for item in half.interfaces(host))
        return found

    def config(self, host):
        """Both servers' configurations of one host: ``{"Dhcp4": {...}, "Dhcp6": {...}}`` (those it runs)."""
        config = {}
        for half in self.halves_of(host):
            config.update(half.config(host))
        return config

    def configs(self, hosts=None):
        wanted = None if hosts is None else set(hosts)
        return dict((host, self.config(host)) for host in self.hosts if wanted is None or host in wanted)

    def ha_relationships(self, host):
        raise TopologyError([single_family_only("the high-availability list of one server")])

    @property
    def relationships(self):
        raise TopologyError([single_family_only("this")])


def config_files(configs):
    """``{host: {"Dhcp4": ..., "Dhcp6": ...}}`` as files: ``{"host/kea-dhcp4.conf": {"Dhcp4": ...}, ...}``.

    The names are those of Kea's packages (kea-dhcp4.conf, kea-dhcp6.conf),
    one file per server, in the order of ``configs``."""
    files = {}
    for host, config in configs.items():
        for key in sorted(config):
            files["%s/kea-%s.conf" % (host, key.lower())] = {key: config[key]}
    return files


def single_family_only(what):
    """Why ``what``, which works on one server's relationships, refuses a dual-stack topology as a whole."""
    return ("kea_ha_topology: 'family: dual' runs two servers, each with its own relationships, but %s works on one "
            "family; take one server's half of the plan (keadhcp.ha.ha_plan(family=4) or family=6)" % what)


class Options(object):
    """How to assemble: hooks directory, base configs, control endpoints."""

    def __init__(self, hooks_dir=None, base=None, host_base=None, control_endpoints=None):
        self.hooks_dir = hooks_dir
        self.base = base or {}
        self.host_base = host_base or {}
        self.control_endpoints = control_endpoints

    def library(self, name, host=None):
        hooks_dir = self.hooks_dir.get(host) if isinstance(self.hooks_dir, dict) else self.hooks_dir
        if not hooks_dir:
            return name
        return hooks_dir.rstrip("/") + "/" + name

    def hook_libraries(self, ha_entries, host=None):
        return [
            {"library": self.library(schema.LEASE_CMDS_LIBRARY, host), "parameters": {}},
            {"library": self.library(schema.HA_LIBRARY, host), "parameters": {"high-availability": list(ha_entries)}},
        ]

    def base_for(self, host):
        return merge(self.base, self.host_base.get(host) or {})


# ---------------------------------------------------------------------------
# subnet tagging


def tag_network(network, server_name, interface, subnet_key):
    """A host's copy of a shared network: tagged as a whole, bound to ``interface`` when one is given.

    Kea's HA hook reads ``ha-server-name`` from a subnet or, failing that, from
    its shared network; a subnet inside that carries its own tag (a peer of the
    same relationship, validated) is re-tagged with this host's name, so that
    no copy names the partner.
    """
    copy = _tagged_copy(network, server_name, interface)
    for subnet in copy.get(subnet_key) or []:
        inner = subnet.get("user-context")
        if isinstance(inner, dict) and "ha-server-name" in inner:
            inner["ha-server-name"] = server_name
    return copy


def tag_subnets(subnets, server_name, peers=None, interface=None, checked=False):
    """Copies of ``subnets`` with ``user-context.ha-server-name`` set.

    Every other user-context key is kept. A subnet already tagged with a name
    that is not one of ``peers`` (default: just ``server_name``) belongs to
    another relationship: that is an error, reported for every such subnet.
    ``interface``, when given, binds each copy to that interface.
    """
    if not checked:
        problems = Problems()
        if not isinstance(server_name, str) or not server_name:
            raise TopologyError(["tag_subnets: server name must be a non-empty string, not %s" % type_name(server_name)])
        if peers is not None and not (isinstance(peers, list) and all(isinstance(p, str) for p in peers)):
            raise TopologyError(["tag_subnets: peers must be a list of peer names, not %s" % type_name(peers)])
        allowed = set(peers or ()) | set([server_name])
        if not isinstance(subnets, list):
            raise TopologyError(["tag_subnets: subnets must be a list, not %s" % type_name(subnets)])
        for position, subnet in enumerate(subnets, 1):
            where = subnet_where("tag_subnets", position, subnet)
            if not isinstance(subnet, dict):
                problems.add(where, "must be a mapping, not %s" % type_name(subnet))
                continue
            context = subnet.get("user-context")
            if context is None:
                continue
            if not isinstance(context, dict):
                problems.add(where, "'user-context' must be a mapping, not %s" % type_name(context))
            elif "ha-server-name" in context and not isinstance(context["ha-server-name"], str):
                problems.add(where, "user-context ha-server-name must be a peer name string, not %s"
                             % type_name(context["ha-server-name"]))
            elif "ha-server-name" in context and context["ha-server-name"] not in allowed:
                problems.add(where, "already tagged ha-server-name '%s', which is not a peer of its relationship (%s)"
                             % (context["ha-server-name"], ", ".join("'%s'" % n for n in sorted(allowed))))
        if problems.items:
            raise TopologyError(problems.items)
    return [_tagged_copy(subnet, server_name, interface) for subnet in subnets]


def _tagged_copy(item, server_name, interface):
    """A copy of a subnet or shared network, bound to ``interface`` (if any), its user-context tagged last."""
    copy = copy_data(item)
    if interface:
        copy["interface"] = interface
    context = copy.pop("user-context", None) or {}
    context["ha-server-name"] = server_name
    copy["user-context"] = context
    return copy


def subnet_where(prefix, position, subnet):
    if isinstance(subnet, dict):
        text = subnet.get("subnet")
        ident = subnet.get("id")
        if isinstance(text, str) and text:
            if isinstance(ident, int) and not isinstance(ident, bool):
                return "%s subnet %s (id %d)" % (prefix, text, ident)
            return "%s subnet %s" % (prefix, text)
    return "%s subnet #%d" % (prefix, position)
