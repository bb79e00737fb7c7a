# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hub-and-spoke topology model: validate one description, then assemble.

Data flows one way::

    kea_ha_topology (user data)
        -> load_topology()       every problem found, or a validated Topology
        -> Topology.configs()    {inventory_hostname: {"Dhcp4"|"Dhcp6": {...}}}

A dual-stack topology (``family: dual``) is split into one topology per
family (``_model.dual_stack``), each validated as above; its DualStack gives
every host both servers' configurations, ``{"Dhcp4": {...}, "Dhcp6": {...}}``.

Nothing is assembled until the whole description has validated, and
validation reports every problem it finds, each prefixed with the
relationship, peer or subnet at fault. Pure Python (plus netaddr); errors are
``TopologyError``, which the filter plugins turn into ``AnsibleFilterError``.

The work is done in the package ``_model``, one concern a module:

* ``shape``: the topology's keys, family, central, defaults, options and
  relationship parameters;
* ``peers``: each relationship and its two peers (URLs derived from facts);
* ``kea_rules``: what Kea itself refuses at load time (modes, roles, auth, TLS);
* ``subnets``: subnets, pools and prefix-delegation pools;
* ``cross_checks``: what Kea does not check across relationships (hosts,
  names, subnet identity, listeners);
* ``dual_stack``: a dual-stack description split into its two families;
* ``objects``: the validated model and its assembly into Kea configurations;
* ``context`` and ``common``: what one validation gathers, and the helpers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _addresses as addr
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model import cross_checks, dual_stack, peers, shape
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import (  # noqa: F401  pylint: disable=unused-import
    TopologyError, check_kind, format_problems, type_name)
from ansible_collections.keadhcp.ha.plugins.module_utils._model.context import Context
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import (  # noqa: F401  pylint: disable=unused-import
    DualStack, Options, Peer, Relationship, Topology, config_files, single_family_only, tag_subnets)


def load_topology(topology, hooks_dir=None, base=None, host_base=None, control_endpoints=None, known_hosts=None,
                  facts=None, host_subnets=None):
    """Validate ``topology`` as a whole; return a Topology (a DualStack for ``family: dual``) or raise TopologyError.

    ``facts`` (hostname to gathered facts) lets peers leave out ``url``: it is
    derived from the address of the peer's interface. ``host_subnets``
    (branch hostname to subnet list) supplies the subnets of relationships
    that do not list their own.
    """
    addr.require_netaddr()
    if not isinstance(topology, dict):
        raise TopologyError(["kea_ha_topology: must be a mapping with 'central' and 'relationships', not %s"
                             % type_name(topology)])
    inputs = dict(hooks_dir=hooks_dir, base=base, host_base=host_base, control_endpoints=control_endpoints,
                  known_hosts=known_hosts, facts=facts, host_subnets=host_subnets)
    if topology.get("family") == schema.DUAL_STACK:
        return dual_stack.load(topology, inputs, load_family)
    raw = topology.get("relationships")
    indexed = list(enumerate(raw, 1)) if isinstance(raw, list) else raw
    problems, model = load_family(topology, topology.get("family", 4), indexed, **inputs)
    if problems:
        raise TopologyError(problems)
    return model


def load_family(topology, family, indexed, hooks_dir=None, base=None, host_base=None, control_endpoints=None,
                known_hosts=None, facts=None, host_subnets=None):
    """Validate one family's topology, relationships given as (position, item); return (problems, Topology or None).

    The position is the relationship's place in the user's list: it names the
    relationship in messages and derives the central's listener port, so the
    two halves of a dual-stack topology keep the user's numbering.
    """
    ctx = Context(topology, hooks_dir, base, host_base, control_endpoints, known_hosts, facts, host_subnets)
    ctx.problems.unknown_keys("kea_ha_topology", topology, schema.TOPOLOGY_KEYS)
    shape.inventory(ctx)
    shape.family(ctx, family)
    port = topology.get("ha-port", schema.DEFAULT_HA_PORT)
    reason = check_kind(port, "port")
    if reason:
        ctx.problems.add("kea_ha_topology", "'ha-port' %s" % reason)
    else:
        ctx.ha_port = port
    ctx.central = shape.central_host(ctx, topology.get("central"))
    defaults = shape.defaults(ctx, topology.get("defaults"))
    options = shape.options(ctx)
    relationships = []
    if not isinstance(indexed, list) or not indexed:
        ctx.problems.add("kea_ha_topology", "'relationships' must be a non-empty list (one per branch), not %s"
                         % ("an empty list" if indexed == [] else type_name(indexed)))
    else:
        for index, item in indexed:
            rel = peers.relationship(ctx, index, item, defaults)
            if rel is not None:
                relationships.append(rel)
        # Cross-checks look at every part that parsed, even in a
        # relationship that has problems of its own, so one run reports all.
        cross_checks.cross_checks(ctx, relationships, options, len(indexed))
    if ctx.problems.items:
        return ctx.problems.in_topology_order(), None
    return [], Topology(ctx.family, ctx.central, relationships, options)
