# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_relationships
short_description: The C(high-availability) list of one host of a hub-and-spoke topology
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Validates the whole topology (as P(keadhcp.ha.kea_configs#filter) does) and returns the value of the HA hook's
    C(high-availability) parameter for one host, one entry per relationship the host is part of.
  - The central gets one entry per branch, each with its own C(this-server-name); a branch gets one entry.
  - Fails naming the host when it is neither the central nor a branch.
extends_documentation_fragment:
  - keadhcp.ha.topology
options:
  host:
    description: Inventory hostname of the central or of a branch.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Show the central's relationships
  ansible.builtin.debug:
    msg: "{{ kea_ha_topology | keadhcp.ha.ha_relationships(kea_ha_topology.central) }}"

- name: Build the HA hook entry for this host
  ansible.builtin.set_fact:
    kea_ha_hook:
      library: libdhcp_ha.so
      parameters:
        high-availability: "{{ kea_ha_topology | keadhcp.ha.ha_relationships(inventory_hostname) }}"
"""

RETURN = r"""
_value:
  description: List of relationship mappings in Kea's spelling (C(this-server-name), C(mode), parameters, C(peers)).
  type: list
  elements: dict
"""

from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import call, model


def ha_relationships(topology, host, base=None, host_base=None, control_endpoints=None, known_hosts=None, hostvars=None):
    validated = model(topology, hostvars, base=base, host_base=host_base, control_endpoints=control_endpoints,
                      known_hosts=known_hosts)
    return call(validated.ha_relationships, host)


class FilterModule(object):
    def filters(self):
        return {"ha_relationships": ha_relationships}
