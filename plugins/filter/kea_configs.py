# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kea_configs
short_description: Kea configurations for every host of a hub-and-spoke HA topology
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Validates a hub-and-spoke topology as a whole and, when it is valid, returns one complete
    C(Dhcp4) or C(Dhcp6) configuration per inventory host, for the central and every branch.
  - Each configuration holds C(interfaces-config), the lease commands and HA hook libraries
    (in that order), the host's C(high-availability) list and the host's subnets. Each subnet is
    bound to the host's interface for its relationship and tagged with
    C(user-context.ha-server-name), without which Kea on the central silently drops that subnet's traffic.
  - Only what the topology sets and what the arrangement requires is emitted; Kea's own defaults apply to the rest.
  - When the topology is invalid, fails with every problem found, each naming the relationship,
    peer or subnet at fault. See C(docs/topology.md) for the topology keys and every rule checked.
  - Says, as Ansible warnings, what the relationships' failure detection lets happen (a split brain with
    C(max-unacked-clients) 0, slow takeovers on quiet branches), as P(keadhcp.ha.ha_plan#filter) returns them.
  - Needs the C(netaddr) Python package on the controller.
extends_documentation_fragment:
  - keadhcp.ha.topology
options:
  hooks_dir:
    description:
      - Directory of Kea's hook libraries, prepended to the library file names; or a mapping of inventory hostname
        to directory, when the hosts' platforms differ.
      - When omitted (or for a host the mapping leaves out), bare file names are used, which Kea 2.6.3+ and 3.0
        resolve in their compiled-in hooks directory (a full path outside that directory is refused by those
        versions).
    type: raw
  hosts:
    description:
      - Assemble the configurations of these inventory hosts only (the whole topology is validated all the same).
      - The keadhcp.ha roles assemble those of the play's hosts, once per play.
    type: list
    elements: str
  files:
    description:
      - Return one item per configuration file instead of one per host, keyed C(<host>/kea-dhcp4.conf) or
        C(<host>/kea-dhcp6.conf) (each holding one server's configuration), as P(keadhcp.ha.kea_configs#filter) users
        write them out. A host of a dual-stack topology (C(family=dual)) has two.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Render every host's configuration
  ansible.builtin.set_fact:
    kea_configs: "{{ kea_ha_topology | keadhcp.ha.kea_configs(known_hosts=groups['all']) }}"

- name: This host's configuration, with the documented hooks directory and a control agent on 127.0.0.1:8000
  ansible.builtin.set_fact:
    kea_config: >-
      {{ (kea_ha_topology | keadhcp.ha.kea_configs(hooks_dir='/usr/lib/kea/hooks',
                                                   control_endpoints=['127.0.0.1:8000']))[inventory_hostname] }}
"""

RETURN = r"""
_value:
  description:
    - "Mapping of inventory hostname to that host's configuration, C({\"Dhcp6\": {...}}) or C({\"Dhcp4\": {...}});
      both for a host of a dual-stack topology (C(family=dual)), whose every host runs both servers."
    - With O(files=true), a mapping of C(<host>/kea-dhcp4.conf) and C(<host>/kea-dhcp6.conf) to one server's
      configuration each.
    - The central comes first, then the branches in the order of the topology's C(relationships).
  type: dict
"""

from ansible_collections.keadhcp.ha.plugins.module_utils._detection import topology_warnings
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import config_files
from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import model, warn


def kea_configs(topology, hooks_dir=None, base=None, host_base=None, control_endpoints=None, known_hosts=None,
                hostvars=None, hosts=None, files=False):
    validated = model(topology, hostvars, hooks_dir=hooks_dir, base=base, host_base=host_base,
                      control_endpoints=control_endpoints, known_hosts=known_hosts)
    warn({"warnings": topology_warnings(validated)})
    configs = validated.configs(hosts)
    return config_files(configs) if files else configs


class FilterModule(object):
    def filters(self):
        return {"kea_configs": kea_configs}
