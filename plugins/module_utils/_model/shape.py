# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The topology's shape: its top-level keys, family, central, defaults, options and relationship parameters.

Each function takes the load context (``context.Context``) first and adds what
is wrong to ``ctx.problems``; nothing here looks across relationships."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import check_kind, suggest, type_name
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import Options


def inventory(ctx):
    hosts = ctx.known_hosts
    if hosts is None:
        return
    if not isinstance(hosts, (list, tuple, set, frozenset)) or not all(isinstance(h, str) for h in hosts):
        ctx.problems.add("keadhcp.ha options", "known_hosts must be a list of inventory hostnames, not %s" % type_name(hosts))
        return
    ctx.known_hosts = sorted(hosts)
    ctx.known_host_set = set(hosts)


def family(ctx, value):
    if isinstance(value, str) and value.strip() in ("4", "6"):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in (4, 6):
        ctx.problems.add("kea_ha_topology", "'family' must be 4 or 6, not %r" % (value,))
    else:
        ctx.family = value


def central_host(ctx, value):
    if not isinstance(value, str) or not value:
        ctx.problems.add("kea_ha_topology", "'central' must name the central's inventory host, not %s" % type_name(value))
        return None
    known_host(ctx, "kea_ha_topology: central", value)
    return value


def known_host(ctx, where, host):
    if ctx.known_host_set is not None and host not in ctx.known_host_set:
        ctx.problems.add(where, "host '%s' is not in the inventory%s" % (host, suggest(host, ctx.known_hosts)))


def defaults(ctx, value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        ctx.problems.add("kea_ha_topology", "'defaults' must be a mapping of relationship parameters, not %s" % type_name(value))
        return {}
    params(ctx, "kea_ha_topology.defaults", value, in_relationship=False)
    return value


def options(ctx):
    where = "keadhcp.ha options"
    hooks_dir = ctx.hooks_dir
    if isinstance(hooks_dir, dict):
        # one directory per host (platforms differ); a host left out gets bare file names
        if not all(isinstance(value, str) or value is None for value in hooks_dir.values()):
            ctx.problems.add(where, "hooks_dir must map inventory hosts to path strings")
            hooks_dir = None
    elif hooks_dir is not None and (not isinstance(hooks_dir, str)):
        ctx.problems.add(where, "hooks_dir must be a path string, or map hosts to path strings, not %s"
                         % type_name(hooks_dir))
        hooks_dir = None
    base = base_config(ctx, where + ": base", ctx.base)
    host_base = {}
    if ctx.host_base is not None:
        if not isinstance(ctx.host_base, dict):
            ctx.problems.add(where, "host_base must map inventory hosts to base configs, not %s" % type_name(ctx.host_base))
        else:
            for host, config in ctx.host_base.items():
                host_base[host] = base_config(ctx, "%s: host_base[%s]" % (where, host), config)
    return Options(hooks_dir or None, base, host_base, ctx.control_endpoints)


def base_config(ctx, where, config):
    if config is None:
        return {}
    if not isinstance(config, dict):
        ctx.problems.add(where, "must be a mapping, not %s" % type_name(config))
        return {}
    if len(config) == 1 and next(iter(config)) in ("Dhcp4", "Dhcp6"):
        top = next(iter(config))
        if top != "Dhcp%d" % ctx.family:
            ctx.problems.add(where, "is a %s config but the topology's family is %d" % (top, ctx.family))
            return {}
        config = config[top]
        if not isinstance(config, dict):
            ctx.problems.add(where, "%s must be a mapping, not %s" % (top, type_name(config)))
            return {}
    for key in ("subnet4", "subnet6", "shared-networks"):
        if key in config:
            ctx.problems.add(where, "must not define '%s': declare subnets in the relationships, so that each is tagged "
                             "with its relationship's ha-server-name" % key)
    iface = config.get("interfaces-config")
    if iface is not None and not (isinstance(iface, dict) and isinstance(iface.get("interfaces", []), list)):
        ctx.problems.add(where, "'interfaces-config' must be a mapping whose 'interfaces' is a list")
    libraries = config.get("hooks-libraries", [])
    if not isinstance(libraries, list):
        ctx.problems.add(where, "'hooks-libraries' must be a list, not %s" % type_name(libraries))
    else:
        for lib in libraries:
            name = lib.get("library") if isinstance(lib, dict) else None
            if not isinstance(name, str):
                ctx.problems.add(where, "every 'hooks-libraries' item needs a 'library' path")
            elif name.rsplit("/", 1)[-1] in (schema.HA_LIBRARY, schema.LEASE_CMDS_LIBRARY):
                ctx.problems.add(where, "must not load '%s': the topology provides the lease commands and HA hooks" % name)
    return config


def _interface_spelling(ctx, name):
    """Why ``name`` is not an interface as Kea spells it in interfaces-config (``eth0``, ``eth0/ADDRESS``), or None."""
    if not isinstance(name, str) or not name or any(char.isspace() for char in name):
        return "must be an interface name such as 'eth0' (or 'eth0/ADDRESS'), not %r" % (name,)
    device, _slash, address = name.partition("/")
    if not device:
        return "'%s' names no interface before its '/'" % name
    if _slash:
        try:
            version = ipaddress.ip_address(u"%s" % address).version
        except ValueError:
            return "'%s': '%s' after the '/' is not an IP address" % (name, address)
        if version != ctx.family:
            return "'%s': a DHCPv%d server listens on IPv%d addresses, not %s" % (name, ctx.family, ctx.family, address)
    return None


def interface_names(ctx, where, peer):
    """A peer's ``interface`` and ``relay-interfaces`` checked as Kea spells them; returns the relay ones."""
    if isinstance(peer.get("interface"), str) and peer["interface"]:
        reason = _interface_spelling(ctx, peer["interface"])
        if reason:
            ctx.problems.add(where, "'interface' %s" % reason)
    relay = peer.get("relay-interfaces")
    if not isinstance(relay, list):
        return []
    kept = []
    for name in relay:
        reason = _interface_spelling(ctx, name)
        if reason:
            ctx.problems.add(where, "'relay-interfaces' item %s" % reason)
        elif name in kept:
            ctx.problems.add(where, "'relay-interfaces' lists '%s' twice" % name)
        else:
            kept.append(name)
    if not relay:
        ctx.problems.add(where, "'relay-interfaces' must name at least one interface; leave it out otherwise")
    return kept


def params(ctx, where, params, in_relationship=True):
    """Check relationship parameters (as written in defaults or a relationship)."""
    hints = dict(schema.DERIVED_RELATIONSHIP_KEYS)
    if not in_relationship:
        for key in schema.RELATIONSHIP_OWN_KEYS:
            hints[key] = "it belongs to each relationship, not to defaults"
    for key in schema.PEER_PARAMS:
        if key not in schema.RELATIONSHIP_PARAMS:
            hints[key] = "it is a per-peer key: set it on the relationship's 'branch' and/or 'central'"
    for key, value in params.items():
        if in_relationship and key in schema.RELATIONSHIP_OWN_KEYS:
            continue
        if key not in schema.RELATIONSHIP_PARAMS:
            if key in hints:
                ctx.problems.add(where, "'%s' is not allowed here: %s" % (key, hints[key]))
            else:
                ctx.problems.add(where, "unknown key '%s'%s" % (key, suggest(key, schema.RELATIONSHIP_PARAMS)))
            continue
        if value is None:
            continue  # null unsets a default
        reason = check_kind(value, schema.RELATIONSHIP_PARAMS[key])
        if reason:
            ctx.problems.add(where, "'%s' %s" % (key, reason))
        elif key == "mode" and value not in schema.MODES:
            ctx.problems.add(where, "'mode' must be one of %s, not '%s'%s"
                             % (", ".join(schema.MODES), value, suggest(value, schema.MODES)))
        elif key == "multi-threading":
            keyed_kinds(ctx, where + " multi-threading", value, schema.MULTI_THREADING_PARAMS)
        elif key == "state-machine":
            state_machine(ctx, where + " state-machine", value)


def keyed_kinds(ctx, where, mapping, kinds):
    for key, value in mapping.items():
        if key not in kinds:
            ctx.problems.add(where, "unknown key '%s'%s" % (key, suggest(key, kinds)))
            continue
        reason = check_kind(value, kinds[key])
        if reason:
            ctx.problems.add(where, "'%s' %s" % (key, reason))


def state_machine(ctx, where, value):
    ctx.problems.unknown_keys(where, value, ("states",))
    states = value.get("states", [])
    if not isinstance(states, list):
        ctx.problems.add(where, "'states' must be a list, not %s" % type_name(states))
        return
    seen = set()
    for item in states:
        if not isinstance(item, dict):
            ctx.problems.add(where, "each state must be a mapping with 'state' and 'pause'")
            continue
        ctx.problems.unknown_keys(where, item, ("state", "pause"))
        state = item.get("state")
        if not isinstance(state, str) or state not in schema.HA_STATES:
            ctx.problems.add(where, "unknown state %r%s" % (state, suggest(state, schema.HA_STATES)))
        elif state in seen:
            ctx.problems.add(where, "duplicated configuration for the '%s' state" % state)
        else:
            seen.add(state)
        pause = item.get("pause", "never")
        if pause not in schema.PAUSE_VALUES:
            ctx.problems.add(where, "state '%s': 'pause' must be one of %s, not %r" % (state, ", ".join(schema.PAUSE_VALUES), pause))
