# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One relationship and its two peers, parsed into complete objects (URLs derived from facts where left out)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _addresses as addr
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model import kea_rules, shape
from ansible_collections.keadhcp.ha.plugins.module_utils._model import subnets as subnet_rules
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import check_kind, merge, str_or_none, type_name
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import Peer, Relationship


def relationship(ctx, index, item, defaults):
    label = "relationship %d" % index
    if isinstance(item, dict) and isinstance(item.get("branch"), dict) and str_or_none(item["branch"].get("host")):
        label = "relationship %d (%s)" % (index, item["branch"]["host"])
    if not isinstance(item, dict):
        ctx.problems.add(label, "must be a mapping with 'branch', 'central' and 'subnets', not %s" % type_name(item))
        return None
    shape.params(ctx, label, item)
    own = dict((k, v) for k, v in item.items() if k in schema.RELATIONSHIP_PARAMS)
    params = merge(defaults if isinstance(defaults, dict) else {}, own)
    params.setdefault("mode", "hot-standby")
    mode = params.get("mode") if params.get("mode") in schema.MODES else "hot-standby"
    kea_rules.mode_rules(ctx, label, params)
    roles = schema.DEFAULT_ROLES[mode]
    tls = any(params.get(k) for k in schema.TLS_KEYS)
    branch = peer(ctx, label, "branch", item.get("branch"), roles[0], index, tls)
    central = peer(ctx, label, "central", item.get("central"), roles[1], index, tls)
    if branch and central:
        kea_rules.peer_pair(ctx, label, mode, params, branch, central)
    given = item.get("subnets")
    from_host = ctx.host_subnets.get(branch.host) if branch is not None else None
    if from_host is not None:
        if "subnets" in item:
            ctx.problems.add(label, "subnets are declared both here and in kea_ha_subnets of host '%s'; keep one"
                             % branch.host)
        else:
            given = from_host
    names = set(one.name for one in (branch, central) if one is not None)
    networks, in_networks = subnet_rules.shared_networks(ctx, label, names, item.get("shared-networks"))
    kept, parsed = subnet_rules.subnets(ctx, label, names, given, required="shared-networks" not in item)
    rel = Relationship(index, label, branch, central, params, kept, networks)
    ctx.parsed.extend((where, rel, ident, prefix) for where, ident, prefix in parsed + in_networks)
    return rel


def peer(ctx, label, side, value, default_role, index=1, tls=False):
    where = "%s %s" % (label, side)
    if not isinstance(value, dict):
        ctx.problems.add(label, "'%s' must be a mapping with at least 'name' and 'url'%s, not %s"
                         % (side, " (and 'host')" if side == "branch" else "", type_name(value)))
        return None
    if str_or_none(value.get("name")):
        where = "%s %s peer '%s'" % (label, side, value["name"])
    known = dict(schema.PEER_OWN_KEYS)
    known.update(schema.PEER_PARAMS)
    hints = {}
    if side == "central":
        known.pop("host")
        hints["host"] = "the central's host is kea_ha_topology.central"
    for key in schema.RELATIONSHIP_PARAMS:
        if key not in known:
            hints[key] = "it is a relationship parameter: set it on the relationship or in defaults"
    ctx.problems.unknown_keys(where, value, known, hints)
    ok = True
    required = ("host", "name") if side == "branch" else ("name",)
    for key in required:
        if key not in value:
            ctx.problems.add(where, "'%s' is required" % key)
            ok = False
    for key, kind in known.items():
        if key in value:
            reason = check_kind(value[key], kind)
            if reason:
                ctx.problems.add(where, "'%s' %s" % (key, reason))
                ok = False
    role = value.get("role", default_role)
    if role not in schema.ROLES:
        if isinstance(role, str):
            ctx.problems.add(where, "'role' must be one of %s, not '%s'" % (", ".join(schema.ROLES), role))
        role = None  # counted as unknown: no role-count checks on it
        ok = False
    params = dict((k, v) for k, v in value.items() if k in schema.PEER_PARAMS)
    relay = shape.interface_names(ctx, where, value)
    kea_rules.peer_auth(ctx, where, value)
    kea_rules.tls_set(ctx, where, value)
    host = value.get("host") if side == "branch" else ctx.central
    if side == "branch" and str_or_none(host):
        shape.known_host(ctx, where, host)
    url = value.get("url")
    if "url" not in value and str_or_none(host):
        tls = tls or any(value.get(k) for k in schema.TLS_KEYS)
        url = derive_url(ctx, where, side, host, value, index, tls)
    elif "url" not in value:
        ctx.problems.add(where, "'url' is required")
    elif "port" in value:
        ctx.problems.add(where, "'port' only serves to derive 'url'; with 'url' given, put the port in it")
    scheme = endpoint = None
    if str_or_none(url):
        try:
            scheme, endpoint = addr.parse_url(url)
        except ValueError as exc:
            ctx.problems.add(where, "url '%s' %s" % (url, exc))
    # A peer without a usable host or name cannot take part in cross-checks.
    if not (ok or (str_or_none(host) and str_or_none(value.get("name")))):
        return None
    return Peer(side, host, value.get("name"), url, value.get("interface"), role, params, where, scheme, endpoint,
                relay)


def derive_url(ctx, where, side, host, value, index, tls):
    """A peer URL from the host's facts: its address on the peer's interface."""
    if ctx.facts is None or host not in ctx.facts:
        ctx.problems.add(where, "'url' is required (no facts of host '%s' to derive it from)" % host)
        return None
    interface = value.get("interface") if isinstance(value.get("interface"), str) else None
    address = addr.address_from_facts(ctx.facts[host], interface)
    if address is None:
        ctx.problems.add(where, "'url' cannot be derived: host '%s' has no address on %s"
                         % (host, "interface '%s'" % interface if interface else "its default route"))
        return None
    port = value.get("port")
    if not isinstance(port, int) or isinstance(port, bool):
        port = ctx.ha_port + (index - 1 if side == "central" else 0)
    if port > 65535:
        ctx.problems.add(where, "'url' cannot be derived: port %d is out of range; set 'port' or 'ha-port'" % port)
        return None
    return addr.make_url("https" if tls else "http", address, port)
