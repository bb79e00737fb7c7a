# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, relationships: each of the central's, its branch found, both ends' entries compared."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import TAG, differences, names, show
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_read import host_items


class Item(object):
    """A subnet or shared network of one host, stripped of its binding and tag."""

    def __init__(self, key, copy, network, interface, raw, borrowed=False):
        self.key = key
        self.copy = copy
        self.network = network
        self.interface = interface
        self.raw = raw
        self.borrowed = borrowed   # the branch's, adopted for the central that lacks it


class Side(object):
    """One host's items (subnets and networks) of one relationship."""

    def __init__(self):
        self.items = []

    def keys(self):
        return [item.key for item in self.items]

    def get(self, key):
        for item in self.items:
            if item.key == key:
                return item
        return None


class Rel(object):
    def __init__(self, index, entry, branch_peer):
        self.index = index
        self.entry = entry                 # the central's entry
        self.branch_peer = branch_peer     # the branch's peer item, as the central has it
        self.branch_name = branch_peer.get("name")
        self.central_name = entry.name
        self.branch_host = None
        self.branch_entry = None
        self.label = None
        self.central_side = Side()
        self.branch_side = Side()
        self.interfaces = {}               # host -> interface or None
        self.relay = {}                    # host -> relay interfaces


def relationships(views, hub, problems):
    owners = {}
    for host, view in views.items():
        if host != hub.host:
            for entry in view.entries:
                owners.setdefault(entry.name, entry)
    rels = []
    for index, entry in enumerate(hub.entries, 1):
        partners = entry.partners()
        if len(partners) != 1:
            problems.append("relationship %d: the central (%s) lists %d peers besides itself ('%s'); a relationship of "
                            "the topology has two peers, the branch and the central; left out"
                            % (index, hub.host, len(partners), entry.name))
            continue
        rel = Rel(index, entry, partners[0])
        found = owners.get(rel.branch_name)
        if found is not None and found.host != hub.host:
            rel.branch_host = found.host
            rel.branch_entry = found
        else:
            rel.branch_host = str(rel.branch_name)
            interface = _interface_of(hub, rel)
            problems.append("relationship %d (%s): no configuration of its branch '%s' among the hosts read (%s); the "
                            "branch is adopted from the central's view under the host name '%s' (rename it to its "
                            "inventory hostname)%s"
                            % (index, rel.branch_host, rel.branch_name, ", ".join(sorted(views)), rel.branch_host,
                               " with the central's interface '%s' (check it)" % interface if interface else
                               " without an interface (give it 'interface' or 'relay-interfaces')"))
        rel.label = "relationship %d (%s)" % (index, rel.branch_host)
        rels.append(rel)
    return rels


def _interface_of(view, rel):
    """The interface the central's items tagged for ``rel`` are bound to, if any (before placement)."""
    for item, _network, _position in host_items(view):
        context = item.get("user-context")
        if isinstance(context, dict) and context.get(TAG) in (rel.central_name, rel.branch_name):
            if isinstance(item.get("interface"), str):
                return item["interface"]
    return None


def _compare_keys(where, mine, other, central_host, branch_host, problems, skip=()):
    """Each key of two mappings (the central's, the branch's) that differs or is set on one end only."""
    for key in list(mine) + [k for k in other if k not in mine]:
        if key in skip:
            continue
        one = show(mine[key]) if key in mine else "not set"
        two = show(other[key]) if key in other else "not set"
        if key in mine and key in other and not differences(mine[key], other[key], key):
            continue
        problems.append("%s: '%s' is %s on the central (%s) but %s on the branch (%s)"
                        % (where, key, one, central_host, two, branch_host))


def compare_entries(rel, problems):
    """Everything both ends carry: relationship parameters, peer names, each peer's entry."""
    if rel.branch_entry is None:
        return
    central, branch = rel.entry, rel.branch_entry
    _compare_keys(rel.label, central.params, branch.params, central.host, branch.host, problems)
    theirs = [p.get("name") for p in branch.partners()]
    if theirs != [rel.central_name]:
        problems.append("%s: the branch (%s) names its partner%s %s, but the central (%s) is '%s' in this relationship"
                        % (rel.label, branch.host, "s" if len(theirs) != 1 else "", names(theirs) or "none",
                           central.host, rel.central_name))
    for name in (rel.branch_name, rel.central_name):
        mine, other = central.peer(name), branch.peer(name)
        if other is None:
            continue
        _compare_keys("%s peer '%s'" % (rel.label, name), mine, other, central.host, branch.host, problems,
                      skip=("name",))
    if [p.get("name") for p in branch.peers] != [p.get("name") for p in central.peers]:
        if sorted(str(p.get("name")) for p in branch.peers) == sorted(str(p.get("name")) for p in central.peers):
            problems.append("%s: the peers are listed in a different order on the central (%s: %s) and on the branch "
                            "(%s: %s)" % (rel.label, central.host, names(p.get("name") for p in central.peers),
                                          branch.host, names(p.get("name") for p in branch.peers)))
