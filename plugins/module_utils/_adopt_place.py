# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, subnets and shared networks: each into its relationship, the two ends compared."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import TAG, differences, names, paths, show
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_read import host_items
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_relate import Item
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import copy_data
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import subnet_where


def _key(item, network):
    if network:
        return ("network", item.get("name"))
    ident = item.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        return ("id", ident)
    return ("subnet", item.get("subnet"))


def _describe(label, item, network, position=1):
    if network:
        return "%s shared network '%s'" % (label, item.get("name"))
    return subnet_where(label, position, item)


def _strip(item):
    """A copy without the host-specific binding and tag (other user-context kept); returns ``(copy, tag, iface)``."""
    copy = copy_data(item)
    interface = copy.pop("interface", None)
    context = copy.get("user-context")
    tag = None
    if isinstance(context, dict) and TAG in context:
        tag = context.pop(TAG)
        if not context:
            copy.pop("user-context")
    return copy, tag, interface


def place_subnets(views, hub, rels, problems):
    """Each item of the central into its relationship (by its tag), each branch's into its own; compare the ends."""
    by_name = {}
    for rel in rels:
        by_name[rel.central_name] = (rel, True)
        by_name[rel.branch_name] = (rel, False)
    branch_keys = {}
    for rel in rels:
        if rel.branch_entry is not None:
            for item, network, _position in host_items(views[rel.branch_host]):
                branch_keys.setdefault(_key(item, network), rel)
    several = len(hub.entries) > 1
    for item, network, position in host_items(hub):
        copy, tag, interface = _strip(item)
        key = _key(item, network)
        found = by_name.get(tag) if isinstance(tag, str) else None
        where_host = _describe("host '%s'" % hub.host, item, network, position)
        if found is not None:
            rel, own = found
            if not own:
                problems.append("%s: tagged with the branch's name '%s' on the central (%s); Kea accepts any peer name "
                                "of the relationship, but the collection tags each host's copy with its own name ('%s')"
                                % (_describe(rel.label, item, network, position), tag, hub.host, rel.central_name))
        else:
            rel = branch_keys.get(key)
            if tag is None:
                why = "has no user-context %s on the central (%s)" % (TAG, hub.host)
                harm = ("with %d relationships Kea silently drops its queries" % len(hub.entries) if several else
                        "Kea serves it, having one relationship")
            else:
                why = ("is tagged %s %s on the central (%s), which names no peer of its relationships"
                       % (TAG, show(tag), hub.host))
                harm = "Kea silently drops its queries"
            if rel is None and not several and len(rels) == 1:
                rel = rels[0]
            if rel is None:
                problems.append("%s: %s (%s), and no branch has it: left out of the topology" % (where_host, why, harm))
                continue
            problems.append("%s: %s (%s); %s, so it is adopted here, tagged '%s'"
                            % (_describe(rel.label, item, network, position), why, harm,
                               "the branch (%s) has it" % rel.branch_host if branch_keys.get(key) is rel
                               else "the central has no other relationship", rel.central_name))
        if rel.central_side.get(key) is not None:
            problems.append("%s: listed twice on the central (%s); the first is adopted"
                            % (_describe(rel.label, item, network, position), hub.host))
            continue
        rel.central_side.items.append(Item(key, copy, network, interface, item))
    for rel in rels:
        if rel.branch_entry is None:
            continue
        view = views[rel.branch_host]
        peers = (rel.branch_name, rel.central_name)
        for item, network, position in host_items(view):
            copy, tag, interface = _strip(item)
            where = _describe(rel.label, item, network, position)
            if tag is None:
                problems.append("%s: untagged on the branch (%s); the collection tags it '%s', so that lease "
                                "synchronisation imports only this relationship's leases"
                                % (where, rel.branch_host, rel.branch_name))
            elif tag == rel.central_name:
                problems.append("%s: tagged with the central's name '%s' on the branch (%s); Kea accepts any peer name "
                                "of the relationship, but the collection tags each host's copy with its own name ('%s')"
                                % (where, tag, rel.branch_host, rel.branch_name))
            elif tag not in peers:
                problems.append("%s: tagged %s %s on the branch (%s), which is not a peer of its relationship (%s); Kea "
                                "drops its queries" % (where, TAG, show(tag), rel.branch_host, names(peers)))
            rel.branch_side.items.append(Item(_key(item, network), copy, network, interface, item))
        _compare_sides(rel, hub.host, problems)


def _compare_sides(rel, central_host, problems):
    central_keys = rel.central_side.keys()
    for item in rel.central_side.items:
        where = _describe(rel.label, item.raw, item.network)
        other = rel.branch_side.get(item.key)
        if other is None:
            problems.append("%s: on the central (%s) but not on the branch (%s)" % (where, central_host,
                                                                                    rel.branch_host))
            continue
        found = differences(_untagged_inside(item.copy), _untagged_inside(other.copy), "")
        if found:
            problems.append("%s: differs between the central (%s) and the branch (%s) at %s"
                            % (where, central_host, rel.branch_host, paths(found)))
    for item in rel.branch_side.items:
        if item.key not in central_keys:
            problems.append("%s: on the branch (%s) but not on the central (%s); adopted into the topology"
                            % (_describe(rel.label, item.raw, item.network), rel.branch_host, central_host))
            rel.central_side.items.append(Item(item.key, item.copy, item.network, None, item.raw, borrowed=True))


def _untagged_inside(item):
    """A network's copy without its subnets' own tags (each host's names its own peer)."""
    copy = copy_data(item)
    for key in ("subnet4", "subnet6"):
        for subnet in copy.get(key) or [] if isinstance(copy.get(key), list) else []:
            context = subnet.get("user-context") if isinstance(subnet, dict) else None
            if isinstance(context, dict):
                context.pop(TAG, None)
                if not context:
                    subnet.pop("user-context")
    return copy
