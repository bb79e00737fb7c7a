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


def subnets(ctx, label, names, value):
    """Check the subnets of the relationship ``label`` whose peers are ``names``.

    Returns ``(subnets, parsed)``: the list to keep, and ``(where, id or
    None, Prefix or None)`` of each subnet, for the checks across
    relationships.
    """
    parsed = []
    if not isinstance(value, list) or not value:
        ctx.problems.add(label, "'subnets' must be a non-empty list of Kea subnet objects, not %s"
                         % ("an empty list" if value == [] else type_name(value)))
        return [], parsed
    subnet_known = getattr(kea_keys, "SUBNET%d_KEYS" % ctx.family)
    for position, subnet in enumerate(value, 1):
        where = subnet_where(label, position, subnet)
        if not isinstance(subnet, dict):
            ctx.problems.add(where, "must be a mapping (a Kea subnet object), not %s" % type_name(subnet))
            continue
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
        context = subnet.get("user-context")
        if context is not None:
            if not isinstance(context, dict):
                ctx.problems.add(where, "'user-context' must be a mapping, not %s" % type_name(context))
            elif "ha-server-name" in context and not isinstance(context["ha-server-name"], str):
                ctx.problems.add(where, "user-context ha-server-name must be a peer name string, not %s"
                                 % type_name(context["ha-server-name"]))
            elif "ha-server-name" in context and context["ha-server-name"] not in names:
                ctx.problems.add(where, "user-context ha-server-name %r is not a peer of this relationship (%s)"
                                 % (context["ha-server-name"], ", ".join("'%s'" % n for n in sorted(names))))
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
