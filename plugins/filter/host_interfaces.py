# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: host_interfaces
short_description: The network interfaces one host of a hub-and-spoke topology serves DHCP on
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Validates the whole topology (as P(keadhcp.ha.kea_configs#filter) does) and lists, for one host, every
    interface its peers name - the C(interface) each relationship binds the host's copy of its subnets to, and the
    C(relay-interfaces) it receives relayed traffic on - so a play can check them against the host's facts before
    writing anything.
extends_documentation_fragment:
  - keadhcp.ha.topology
options:
  host:
    description: Inventory hostname of the central or of a branch.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Refuse interfaces this host does not have
  ansible.builtin.assert:
    that: item.interface in ansible_facts.interfaces
    fail_msg: "relationship {{ item.relationship }} ({{ item.branch }}) needs interface {{ item.interface }}"
  loop: "{{ kea_ha_topology | keadhcp.ha.host_interfaces(inventory_hostname) }}"
"""

RETURN = r"""
_value:
  description: One mapping per interface a peer of the host names, in relationship order.
  type: list
  elements: dict
  contains:
    relationship:
      description: Position of the relationship in the topology, from 1.
      type: int
    branch:
      description: Inventory hostname of the relationship's branch.
      type: str
    peer:
      description: The host's own peer name in that relationship.
      type: str
    interface:
      description: Interface name (without any C(/address) suffix).
      type: str
    relayed:
      description: Whether it comes from C(relay-interfaces) (relayed traffic, subnets not bound to it).
      type: bool
"""

from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import call, model


def host_interfaces(topology, host, base=None, host_base=None, control_endpoints=None, known_hosts=None, hostvars=None):
    validated = model(topology, hostvars, base=base, host_base=host_base, control_endpoints=control_endpoints,
                      known_hosts=known_hosts)
    return call(validated.interfaces, host)


class FilterModule(object):
    def filters(self):
        return {"host_interfaces": host_interfaces}
