# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, building: each host's base, the hooks directory, and the topology itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import ABSENT, differences, library_dir, library_name, names
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import copy_data, merge


def _side_interface(rel, side, host, problems):
    values = []
    for item in side.items:
        if not item.borrowed and item.interface not in values:
            values.append(item.interface)
    if len(values) > 1:
        problems.append("%s: host '%s' binds the relationship's subnets to %s; the topology binds all of them to one "
                        "interface (or none, for relayed traffic)"
                        % (rel.label, host, ", ".join("'%s'" % v if v else "no interface" for v in values)))
    chosen = [v for v in values if v]
    return chosen[0] if chosen else None


def base_of(view, rels, central, problems, foreseen=None):
    """The host's configuration without what the topology gives; each relationship's interfaces on this host.

    ``foreseen`` (a list) receives ``(host, path, value read, value rendered)``
    for what the collection will write differently whatever the rest: a
    DHCPv4 host whose interfaces all become relay interfaces gets
    ``dhcp-socket-type: udp``, and directly connected clients are no longer
    heard there. The render-back check says the same when it can render.
    """
    host = view.host
    bound = []
    unbound = []
    for rel in rels:
        side = rel.central_side if central else rel.branch_side
        interface = _side_interface(rel, side, host, problems)
        rel.interfaces[host] = interface
        if interface:
            if interface not in bound:
                bound.append(interface)
            if interface not in view.listed:
                problems.append("%s: host '%s' binds the relationship's subnets to '%s', which its interfaces-config "
                                "does not list; the collection adds it there" % (rel.label, host, interface))
        else:
            unbound.append(rel)
    rest = [name for name in view.listed if name not in bound]
    base = {}
    for key, value in view.body.items():
        if key in (view.subnet_key, "shared-networks"):
            continue
        if key == "hooks-libraries":
            others = [lib for lib in view.hooks if library_name(lib) not in (schema.HA_LIBRARY,
                                                                             schema.LEASE_CMDS_LIBRARY)]
            if others:
                base[key] = copy_data(others)
            continue
        if key == "interfaces-config" and isinstance(value, dict):
            iface = copy_data(value)
            iface.pop("interfaces", None)
            to_relay = unbound and rest and "*" not in rest
            if to_relay:
                for rel in unbound:
                    rel.relay[host] = list(rest)
            elif rest:
                iface["interfaces"] = list(rest)
            if view.family == 4 and to_relay and not bound:
                if iface.get("dhcp-socket-type") == "udp":
                    iface.pop("dhcp-socket-type")
                elif foreseen is not None:
                    foreseen.append((host, "%s.interfaces-config.dhcp-socket-type" % view.dhcp,
                                     iface.get("dhcp-socket-type", ABSENT), "udp"))
            if iface:
                base[key] = iface
            continue
        base[key] = copy_data(value)
    if not [lib for lib in view.hooks if library_name(lib) == schema.LEASE_CMDS_LIBRARY]:
        problems.append("host '%s': loads no %s, which HA needs to send lease updates; the collection loads it"
                        % (host, schema.LEASE_CMDS_LIBRARY))
    return base


def split_bases(bases):
    """``(shared, per host)``: the top-level keys every host has alike, and each host's others."""
    hosts = list(bases)
    first = bases[hosts[0]]
    shared = {}
    for key, value in first.items():
        if all(key in bases[h] and not differences(value, bases[h][key], key) for h in hosts[1:]):
            shared[key] = copy_data(value)
    per_host = {}
    for host in hosts:
        own = dict((k, copy_data(v)) for k, v in bases[host].items() if k not in shared)
        if own:
            per_host[host] = own
    return shared, per_host


def hooks_dir(views, hosts, problems):
    found = {}
    for host in hosts:
        view = views[host]
        dirs = []
        for lib in view.hooks:
            if library_name(lib) in (schema.HA_LIBRARY, schema.LEASE_CMDS_LIBRARY):
                if library_dir(lib) not in dirs:
                    dirs.append(library_dir(lib))
        if len(dirs) > 1:
            problems.append("host '%s': loads %s and %s from different directories (%s); the collection loads both from "
                            "one" % (host, schema.LEASE_CMDS_LIBRARY, schema.HA_LIBRARY,
                                     ", ".join(d or "bare name" for d in dirs)))
        found[host] = library_dir(view.ha_lib)
    if all(value is None for value in found.values()):
        return None
    values = set(found.values())
    if len(values) == 1:
        return values.pop()
    return dict((host, value) for host, value in found.items() if value is not None)


def leftovers(views, central, rels, problems):
    used = set([central]) | set(rel.branch_host for rel in rels if rel.branch_entry is not None)
    for host in sorted(views):
        if host in used:
            continue
        view = views[host]
        problems.append("host '%s': its relationship%s (this-server-name %s) %s none of the central's (%s); left out"
                        % (host, "s" if len(view.entries) > 1 else "", names(e.name for e in view.entries),
                           "is" if len(view.entries) == 1 else "are", central))
    for rel in rels:
        if rel.branch_entry is not None and len(views[rel.branch_host].entries) > 1:
            problems.append("%s: host '%s' has %d relationships; a branch has one, that with the central: only it is "
                            "adopted" % (rel.label, rel.branch_host, len(views[rel.branch_host].entries)))


# ---------------------------------------------------------------------------
# the topology


def _peer_item(raw, default_role, host=None, interface=None, relay=None):
    item = {}
    if host is not None:
        item["host"] = host
    item["name"] = raw.get("name")
    if "url" in raw:
        item["url"] = raw["url"]
    if interface:
        item["interface"] = interface
    if relay:
        item["relay-interfaces"] = list(relay)
    if "role" in raw and raw["role"] != default_role:
        item["role"] = raw["role"]
    for key, value in raw.items():
        if key not in ("name", "url", "role"):
            item[key] = copy_data(value)
    return item


def build_topology(hub, rels):
    params = [rel.entry.params for rel in rels]
    defaults = {}
    for key, value in params[0].items():
        if all(key in other and not differences(value, other[key], key) for other in params[1:]):
            defaults[key] = copy_data(value)
    relationships = []
    for rel in rels:
        mode = rel.entry.params.get("mode")
        roles = schema.DEFAULT_ROLES.get(mode, (None, None)) if isinstance(mode, str) else (None, None)
        branch = _peer_item(rel.branch_peer, roles[0], rel.branch_host, rel.interfaces.get(rel.branch_host),
                            rel.relay.get(rel.branch_host))
        if rel.branch_entry is None:
            guess = rel.interfaces.get(hub.host)
            if guess:
                branch = _peer_item(rel.branch_peer, roles[0], rel.branch_host, guess)
        central = _peer_item(rel.entry.local, roles[1], None, rel.interfaces.get(hub.host), rel.relay.get(hub.host))
        item = {"branch": branch, "central": central}
        for key, value in rel.entry.params.items():
            if key not in defaults:
                item[key] = copy_data(value)
        subnets = [item.copy for item in rel.central_side.items if not item.network]
        networks = [item.copy for item in rel.central_side.items if item.network]
        if subnets or not networks:
            item["subnets"] = subnets
        if networks:
            item["shared-networks"] = networks
        relationships.append(item)
    topology = {"family": hub.family, "central": hub.host}
    if defaults:
        topology["defaults"] = defaults
    topology["relationships"] = relationships
    return topology


def control_notes(adoption, notes):
    for host in adoption.hosts:
        base = merge(adoption.base, adoption.host_base.get(host) or {})
        kept = [key for key in ("control-socket", "control-sockets") if key in base]
        if kept:
            notes.append("host '%s': its base keeps its own %s; with the roles, which set up the control channel "
                         "themselves (kea_ha_control_address, kea_ha_control_port, kea_ha_api_user), remove it from "
                         "the base before site.yml unless it is the same" % (host, " and ".join(kept)))
