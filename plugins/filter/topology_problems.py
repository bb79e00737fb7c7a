# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: topology_problems
short_description: Every problem in a hub-and-spoke HA topology, as a list
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Runs the same validation as P(keadhcp.ha.kea_configs#filter) but returns the problems instead of failing,
    so a play can assert on them or report them its own way. An empty list means the topology is valid.
extends_documentation_fragment:
  - keadhcp.ha.topology
"""

EXAMPLES = r"""
- name: Refuse to go on with an invalid topology
  ansible.builtin.assert:
    that: kea_ha_topology | keadhcp.ha.topology_problems(known_hosts=groups['all']) | length == 0
    fail_msg: "{{ kea_ha_topology | keadhcp.ha.topology_problems(known_hosts=groups['all']) }}"
"""

RETURN = r"""
_value:
  description: One string per problem, each starting with the relationship, peer or subnet at fault.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology
from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import inventory_options


def topology_problems(topology, base=None, host_base=None, control_endpoints=None, known_hosts=None, hostvars=None):
    try:
        load_topology(topology, base=base, host_base=host_base, control_endpoints=control_endpoints,
                      known_hosts=known_hosts, **inventory_options(topology, hostvars))
    except TopologyError as exc:
        return exc.problems
    except ImportError as exc:
        raise AnsibleFilterError(str(exc))
    return []


class FilterModule(object):
    def filters(self):
        return {"topology_problems": topology_problems}
