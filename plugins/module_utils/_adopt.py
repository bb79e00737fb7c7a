# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt a hand-written hub: every host's Kea configuration in, ``kea_ha_topology`` and the hosts' bases out.

The inverse of ``Topology.configs``::

    {inventory_hostname: {"Dhcp4"|"Dhcp6": {...}}}     what the servers run
        -> sanitise()      passwords replaced by password files / variables
        -> adopt()         Adoption: topology, base per host, hooks dir,
                           problems (what the model refuses, what differs
                           between the two ends, what would not render back)
                           and notes (what the user must provide)

The central's configuration is the reference for everything both ends carry
(relationship parameters, both peers' entries, the subnets): each difference
on the branch is a problem, and the topology says what the central says.
With no problem, rendering the topology (``load_topology(...).configs()``
with the adopted bases and hooks directories) gives every configuration back
as read, after ``sanitise``; the last check here proves it.

The steps, one module each:

    _adopt_secrets   passwords out (files, variables, notes)
    _adopt_read      one host's configuration taken apart; the central
    _adopt_relate    the central's relationships, their branches, both ends' entries
    _adopt_place     subnets and shared networks into relationships; both ends'
    _adopt_build     each host's base, the hooks directory, the topology
    _adopt_render    the topology rendered, each real difference a problem
    _adopt_dual      a dual-stack hub: each family adopted, then joined
    _adopt_common    showing values, comparing as Kea sees it

Files are read by ``_adopt_files`` (Kea's dialect, ISC DHCP through keama).

Pure Python; the filter ``ha_adopt`` turns the result into a vars file.
"""


from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_build as build
from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_dual as dual
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import differences
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_place import place_subnets
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_read import find_central, read_host
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_relate import compare_entries, relationships
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_render import render_back
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_secrets import sanitise
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import type_name
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError

__all__ = ["Adoption", "adopt", "differences"]


class Adoption(object):
    """What ``adopt`` found: the topology (None when none could be built) and what to tell the user."""

    def __init__(self, topology, base, host_base, hooks_dir, hosts, problems, notes):
        self.topology = topology
        self.base = base              # the base every host shares (top-level keys equal on all)
        self.host_base = host_base    # host -> the rest of its base
        self.hooks_dir = hooks_dir    # None, one directory, or host -> directory
        self.hosts = hosts            # the hosts of the topology whose configuration was read
        self.problems = problems
        self.notes = notes
        self.foreseen = []            # (host, path, read, rendered): changes known without rendering

    def variables(self):
        """The vars file: kea_ha_topology first, then what render.yml and the roles read."""
        found = {"kea_ha_topology": self.topology}
        if self.base:
            found["kea_render_base"] = self.base
        if self.host_base:
            found["kea_render_host_base"] = self.host_base
        if self.hooks_dir:
            found["kea_hooks_dir"] = self.hooks_dir
        if self.base or self.host_base:
            found["kea_ha_base_config"] = (
                "{{ kea_render_base | default({}) | combine(kea_render_host_base[inventory_hostname] | default({})) }}")
        return found


def adopt(configs, central=None, unread=None, known_hosts=None):
    """Reconstruct the topology from ``configs`` (inventory hostname -> ``{"DhcpN": {...}}``).

    ``central`` names the central when it cannot be told (one relationship
    everywhere with reversed roles); ``unread`` maps hosts whose
    configuration could not be read to why, reported as problems;
    ``known_hosts`` (the inventory's) is passed to the model's validation.
    A host running both servers (``Dhcp4`` and ``Dhcp6``) makes the hub
    dual-stack: each family is adopted alone, then the two are joined into one
    ``family: dual`` topology (``_adopt_dual``). Returns an ``Adoption``.
    """
    problems, notes = [], []
    for host in sorted(unread or {}):
        problems.append("host '%s': %s" % (host, unread[host]))
    if not isinstance(configs, dict):
        raise TopologyError(["ha_adopt: the configurations must map inventory hostnames to Kea configurations, not %s"
                             % type_name(configs)])
    originals, secret_problems, notes = sanitise(configs)
    problems.extend(secret_problems)
    if dual.is_dual(originals):
        return _adopt_dual_stack(originals, central, known_hosts, problems, notes)
    return _adopt_one_family(originals, central, known_hosts, problems, notes)


def _adopt_dual_stack(originals, central, known_hosts, problems, notes):
    halves = {}
    for family, configs in dual.split(originals).items():
        halves[family] = _adopt_one_family(configs, central, None, [], [], validate=False)
        problems.extend(problem for problem in halves[family].problems if problem not in problems)
        notes.extend(note for note in halves[family].notes if note not in notes)
    topology, base, host_base, hooks_dir = dual.join(halves, problems)
    if topology is None:
        return Adoption(None, {}, {}, None, [], problems, notes)
    hosts = [topology["central"]] + [rel["branch"]["host"] for rel in topology["relationships"]
                                     if rel["branch"]["host"] in originals]
    adoption = Adoption(topology, base, host_base, hooks_dir, hosts, problems, notes)
    adoption.foreseen = halves[4].foreseen + halves[6].foreseen
    render_back(adoption, originals, known_hosts, problems)
    return adoption


def _adopt_one_family(originals, central, known_hosts, problems, notes, validate=True):
    views = {}
    for host in sorted(originals):
        view = read_host(host, originals[host], problems)
        if view is not None:
            views[host] = view
    if not views:
        problems.append("no host's configuration has an HA relationship: nothing to adopt")
        return Adoption(None, {}, {}, None, [], problems, notes)
    central = find_central(views, central, problems)
    if central is None:
        return Adoption(None, {}, {}, None, [], problems, notes)
    hub = views[central]
    family = hub.family
    for host in sorted(views):
        if views[host].family != family:
            problems.append("host '%s': is a %s configuration but the central (%s) is %s; left out"
                            % (host, views[host].dhcp, central, hub.dhcp))
            del views[host]
    rels = relationships(views, hub, problems)
    if not rels:
        problems.append("host '%s': the central has no relationship that can be adopted" % central)
        return Adoption(None, {}, {}, None, [], problems, notes)
    for rel in rels:
        compare_entries(rel, problems)
    place_subnets(views, hub, rels, problems)
    bases, foreseen = {}, []
    for host in [central] + [rel.branch_host for rel in rels if rel.branch_entry is not None]:
        bases[host] = build.base_of(views[host], [rel for rel in rels if host in (central, rel.branch_host)],
                                    host == central, problems, foreseen)
    topology = build.build_topology(hub, rels)
    hosts = [central] + [rel.branch_host for rel in rels if rel.branch_entry is not None]
    base, host_base = build.split_bases(dict((h, bases[h]) for h in hosts))
    hooks_dir = build.hooks_dir(views, hosts, problems)
    build.leftovers(views, central, rels, problems)
    adoption = Adoption(topology, base, host_base, hooks_dir, hosts, problems, notes)
    adoption.foreseen = foreseen
    if validate:
        render_back(adoption, originals, known_hosts, problems)
    build.control_notes(adoption, notes)
    return adoption
