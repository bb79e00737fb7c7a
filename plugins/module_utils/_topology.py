# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hub-and-spoke topology model: validate one description, then assemble.

Data flows one way::

    kea_ha_topology (user data)
        -> load_topology()       every problem found, or a validated Topology
        -> Topology.configs()    {inventory_hostname: {"Dhcp4"|"Dhcp6": {...}}}

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
* ``objects``: the validated model and its assembly into Kea configurations;
* ``context`` and ``common``: what one validation gathers, and the helpers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _addresses as addr
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model import cross_checks, peers, shape
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import (  # noqa: F401  pylint: disable=unused-import
    TopologyError, check_kind, format_problems, type_name)
from ansible_collections.keadhcp.ha.plugins.module_utils._model.context import Context
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import (  # noqa: F401  pylint: disable=unused-import
    Options, Peer, Relationship, Topology, tag_subnets)


def load_topology(topology, hooks_dir=None, base=None, host_base=None, control_endpoints=None, known_hosts=None,
                  facts=None, host_subnets=None):
    """Validate ``topology`` as a whole; return a Topology or raise TopologyError.

    ``facts`` (hostname to gathered facts) lets peers leave out ``url``: it is
    derived from the address of the peer's interface. ``host_subnets``
    (branch hostname to subnet list) supplies the subnets of relationships
    that do not list their own.
    """
    addr.require_netaddr()
    if not isinstance(topology, dict):
        raise TopologyError(["kea_ha_topology: must be a mapping with 'central' and 'relationships', not %s"
                             % type_name(topology)])
    ctx = Context(topology, hooks_dir, base, host_base, control_endpoints, known_hosts, facts, host_subnets)
    ctx.problems.unknown_keys("kea_ha_topology", topology, schema.TOPOLOGY_KEYS)
    shape.inventory(ctx)
    shape.family(ctx, topology.get("family", 4))
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
    raw = topology.get("relationships")
    if not isinstance(raw, list) or not raw:
        ctx.problems.add("kea_ha_topology", "'relationships' must be a non-empty list (one per branch), not %s"
                         % ("an empty list" if raw == [] else type_name(raw)))
    else:
        for index, item in enumerate(raw, 1):
            rel = peers.relationship(ctx, index, item, defaults)
            if rel is not None:
                relationships.append(rel)
        # Cross-checks look at every part that parsed, even in a
        # relationship that has problems of its own, so one run reports all.
        cross_checks.cross_checks(ctx, relationships, options, len(raw))
    if ctx.problems.items:
        raise TopologyError(ctx.problems.in_topology_order())
    return Topology(ctx.family, ctx.central, relationships, options)
