# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A relationship's subnets, pools and prefix-delegation pools: keys, ids, prefixes, ranges, overlaps inside a subnet."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _addresses as addr
from ansible_collections.keadhcp.ha.plugins.module_utils import _kea_keys as kea_keys
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import type_name
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import subnet_where


def subnets(ctx, label, names, value, required=True):
    """Check the subnets of the relationship ``label`` whose peers are ``names``.

    Returns ``(subnets, parsed)``: the list to keep, and ``(where, id or
    None, Prefix or None)`` of each subnet, for the checks across
    relationships. Without ``required`` (the relationship has shared
    networks), no subnets at all is fine.
    """
    parsed = []
    if value is None and not required:
        return [], parsed
    if not isinstance(value, list) or (required and not value):
        ctx.problems.add(label, "'subnets' must be a non-empty list of Kea subnet objects, not %s"
                         % ("an empty list" if value == [] else type_name(value)))
        return [], parsed
    for position, subnet in enumerate(value, 1):
        one_subnet(ctx, subnet_where(label, position, subnet), names, subnet, parsed)
    return value, parsed


def one_subnet(ctx, where, names, subnet, parsed):
    """Check one subnet, at the top of a relationship or inside a shared network; note it in ``parsed``."""
    if not isinstance(subnet, dict):
        ctx.problems.add(where, "must be a mapping (a Kea subnet object), not %s" % type_name(subnet))
        return
    subnet_known = getattr(kea_keys, "SUBNET%d_KEYS" % ctx.family)
    ctx.problems.unknown_keys(where, dict((k, None) for k in subnet if k not in ("interface", "pd-pools")), subnet_known)
    if "interface" in subnet:
        ctx.problems.add(where, "'interface' is not allowed here: set 'interface' on the relationship's branch "
                         "and central; each copy of the subnet is bound to its own host's interface")
    ident = subnet.get("id")
    if ident is None:
        ctx.problems.add(where, "'id' is required: both ends of a relationship must number the subnet alike")
    elif isinstance(ident, bool) or not isinstance(ident, int):
        ctx.problems.add(where, "'id' must be an integer, not %s" % type_name(ident))
    elif not schema.SUBNET_ID_MIN <= ident <= schema.SUBNET_ID_MAX:
        ctx.problems.add(where, "'id' %d is out of range (%d-%d)" % (ident, schema.SUBNET_ID_MIN, schema.SUBNET_ID_MAX))
    prefix = parse_prefix(ctx, where, subnet.get("subnet"))
    parsed.append((where, ident if isinstance(ident, int) and not isinstance(ident, bool) else None, prefix))
    pools(ctx, where, subnet, prefix)
    tag(ctx, where, names, subnet.get("user-context"))


def tag(ctx, where, names, context):
    """A user-context, whose ha-server-name (if any) must name a peer of the relationship."""
    if context is None:
        return
    if not isinstance(context, dict):
        ctx.problems.add(where, "'user-context' must be a mapping, not %s" % type_name(context))
    elif "ha-server-name" in context and not isinstance(context["ha-server-name"], str):
        ctx.problems.add(where, "user-context ha-server-name must be a peer name string, not %s"
                         % type_name(context["ha-server-name"]))
    elif "ha-server-name" in context and context["ha-server-name"] not in names:
        ctx.problems.add(where, "user-context ha-server-name %r is not a peer of this relationship (%s)"
                         % (context["ha-server-name"], ", ".join("'%s'" % n for n in sorted(names))))


def shared_networks(ctx, label, names, value):
    """Check a relationship's Kea shared networks; returns ``(networks, parsed)`` as ``subnets`` does.

    Each network is tagged as a whole on each host (its subnets inherit the
    tag), so its subnets follow the rules of any other subnet.
    """
    parsed = []
    if value is None:
        return [], parsed
    if not isinstance(value, list) or not value:
        ctx.problems.add(label, "'shared-networks' must be a non-empty list of Kea shared networks, not %s"
                         % ("an empty list" if value == [] else type_name(value)))
        return [], parsed
    inner_key = "subnet%d" % ctx.family
    other_key = "subnet%d" % (10 - ctx.family)
    known = getattr(kea_keys, "SHARED_NETWORK%d_KEYS" % ctx.family)
    for position, network in enumerate(value, 1):
        name = network.get("name") if isinstance(network, dict) else None
        where = "%s shared network %s" % (label, "'%s'" % name if isinstance(name, str) and name else position)
        if not isinstance(network, dict):
            ctx.problems.add(where, "must be a mapping (a Kea shared network), not %s" % type_name(network))
            continue
        if not isinstance(name, str) or not name:
            ctx.problems.add(where, "'name' is required: a non-empty string, unique across the topology")
        else:
            ctx.networks.append((where, name))
        ctx.problems.unknown_keys(where, dict((k, None) for k in network if k not in ("interface", other_key)), known)
        if "interface" in network:
            ctx.problems.add(where, "'interface' is not allowed here: set 'interface' on the relationship's branch "
                             "and central; each copy of the network is bound to its own host's interface")
        if other_key in network:
            ctx.problems.add(where, "'%s' in a DHCPv%d topology (family: %d): a shared network holds '%s'"
                             % (other_key, ctx.family, ctx.family, inner_key))
        tag(ctx, where, names, network.get("user-context"))
        inner = network.get(inner_key)
        if not isinstance(inner, list) or not inner:
            ctx.problems.add(where, "'%s' must be a non-empty list of Kea subnet objects, not %s"
                             % (inner_key, "an empty list" if inner == [] else type_name(inner)))
            continue
        for number, subnet in enumerate(inner, 1):
            one_subnet(ctx, subnet_where(where, number, subnet), names, subnet, parsed)
    return value, parsed


def parse_prefix(ctx, where, text):
    if not isinstance(text, str) or not text:
        ctx.problems.add(where, "'subnet' must be a prefix string such as %s, not %s"
                         % ("'192.0.2.0/24'" if ctx.family == 4 else "'2001:db8:1::/64'", type_name(text)))
        return None
    try:
        prefix = addr.parse_subnet(text)
    except ValueError as exc:
        ctx.problems.add(where, "'subnet' '%s' %s" % (text, exc))
        return None
    if prefix.version != ctx.family:
        ctx.problems.add(where, "an IPv%d subnet in a DHCPv%d topology (family: %d)" % (prefix.version, ctx.family, ctx.family))
        return None
    return prefix


def pools(ctx, where, subnet, prefix):
    pools = subnet.get("pools", [])
    pool_known = getattr(kea_keys, "POOL%d_KEYS" % ctx.family)
    if not isinstance(pools, list):
        ctx.problems.add(where, "'pools' must be a list, not %s" % type_name(pools))
        pools = []
    parsed = []
    for item in pools:
        if not isinstance(item, dict) or not isinstance(item.get("pool"), str):
            ctx.problems.add(where, "each pool must be a mapping with a 'pool' string, not %s" % type_name(item))
            continue
        ctx.problems.unknown_keys("%s pool '%s'" % (where, item["pool"]), item, pool_known)
        try:
            pool = addr.parse_pool(item["pool"])
        except ValueError as exc:
            ctx.problems.add(where, "pool '%s' %s" % (item["pool"], exc))
            continue
        if prefix is not None and not prefix.contains(pool):
            ctx.problems.add(where, "pool '%s' is outside the subnet" % item["pool"])
        parsed.append((pool, item["pool"]))
    for (_pool_one, one), (_pool_two, two) in addr.find_overlaps(parsed):
        ctx.problems.add(where, "pools '%s' and '%s' overlap" % (one, two))
    pd_pools = subnet.get("pd-pools")
    if pd_pools is None:
        return
    if ctx.family == 4:
        ctx.problems.add(where, "'pd-pools' (prefix delegation) exists only in DHCPv6")
        return
    if not isinstance(pd_pools, list):
        ctx.problems.add(where, "'pd-pools' must be a list, not %s" % type_name(pd_pools))
        return
    pd_known = kea_keys.PD_POOL_KEYS
    delegated = []
    for item in pd_pools:
        if not isinstance(item, dict):
            ctx.problems.add(where, "each pd-pool must be a mapping, not %s" % type_name(item))
            continue
        ctx.problems.unknown_keys("%s pd-pool" % where, item, pd_known)
        plen, dlen = item.get("prefix-len"), item.get("delegated-len")
        if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 128 for v in (plen, dlen)):
            ctx.problems.add(where, "pd-pool needs integer 'prefix-len' and 'delegated-len' between 1 and 128")
            continue
        if dlen < plen:
            ctx.problems.add(where, "pd-pool 'delegated-len' %d is shorter than its 'prefix-len' %d" % (dlen, plen))
        try:
            pd_prefix = addr.parse_pd_prefix(str(item.get("prefix")), plen)
        except ValueError as exc:
            ctx.problems.add(where, "pd-pool prefix %s" % exc)
            continue
        delegated.append((pd_prefix, pd_prefix.text))
    for (_pd_one, one), (_pd_two, two) in addr.find_overlaps(delegated):
        ctx.problems.add(where, "pd-pools '%s' and '%s' overlap" % (one, two))
