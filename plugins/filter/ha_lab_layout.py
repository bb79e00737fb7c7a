# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_lab_layout
short_description: The container networks and addresses that rehearse a hub-and-spoke topology
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Validates the topology and returns the lab that runs it in containers, as the collection's molecule scenarios
    build it - one network per relationship (the branch's LAN, named C(keadhcp-) and the branch's interface, or
    C(keadhcp-<branch host>-<interface>) when branches share an interface name, on the relationship's first subnet,
    and also on the /24 or /64 of its peer URLs when they are of the other address family), the central and the
    branch attached to it with the addresses of their peer URLs.
  - In the WAN arrangement (a peer with C(relay-interfaces) and no C(interface)), that peer's host sits on a WAN
    network instead (C(keadhcp-) and its relay interface, the /24 or /64 of its URL address), and a router per such
    relationship joins the branch's LAN to the WAN and relays DHCP to both servers (RV(_value.relays)), with the
    routes each host needs across it (RV(_value.routes)).
  - Docker hands out only 16 addresses of each network (RV(_value.networks[].iprange)) - the first 16, or, when a
    pool of the relationship covers them, the first 16 above a pool that no pool covers.
  - An invalid topology is an error listing every problem.
options:
  _input:
    description: The topology (C(kea_ha_topology)), as described in P(keadhcp.ha.kea_configs#filter).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Create the LAN of every relationship
  community.docker.docker_network:
    name: "{{ item.name }}"
    enable_ipv6: "{{ item.ipv6 }}"
    ipam_config:
      - subnet: "{{ item.subnet }}"
        iprange: "{{ item.iprange }}"
        gateway: "{{ item.gateway }}"
  loop: "{{ (kea_ha_topology | keadhcp.ha.ha_lab_layout).networks }}"
"""

RETURN = r"""
_value:
  description: The lab.
  type: dict
  contains:
    networks:
      description: One per relationship, in order, then one WAN per relay interface of a relayed peer.
      type: list
      elements: dict
      contains:
        name:
          description: >-
            C(keadhcp-) and the branch's interface (a WAN's, the relay interface); C(keadhcp-<branch host>-<interface>)
            when branches share the interface name.
          type: str
        subnet:
          description: The relationship's first subnet (a WAN's, the /24 or /64 of the peer's URL address).
          type: str
        ipv6: {description: Whether the subnet is an IPv6 one, type: bool}
        iprange:
          description: >-
            The first /28 (/124 for IPv6) of the subnet, where Docker hands out addresses; when a pool covers it,
            the first whole one above a pool that no pool covers.
          type: str
        gateway: {description: "The first address after the start of I(iprange)", type: str}
        ipam:
          description: >-
            Every subnet of the network as community.docker.docker_network's C(ipam_config) - the one above, then
            the /24 (/64) of the relationship's peer URLs when their address family is not the subnet's.
          type: list
          elements: dict
    attachments:
      description: Inventory hostname to the networks of its container, C({name, ipv4_address}) or
        C({name, ipv6_address}) each, as M(community.docker.docker_container) takes them.
      type: dict
    ends:
      description: Inventory hostname to C({interface, name, address, relationship}) of each of its peers - the
        interface its container must have, holding that address, and the relationship as C(1 (branch1)).
      type: dict
    addresses:
      description: Inventory hostname to the addresses of its peer URLs, each once.
      type: dict
    lans:
      description: Each relationship's LAN network name, in relationship order (where its branch's clients are).
      type: list
      elements: str
    relays:
      description:
        - One router per relationship with a relayed peer - C(name) (C(<branch host>-relay)), C(lan) and
          C(lan_address) (the LAN's 254th address), C(wan) and C(wan_address) (the WAN's 200th plus the
          relationship's position), C(servers) (the branch's and the relayed peer's addresses, which it relays to)
          and C(relationship).
        - Each router also has its C(attachments) and C(ends) (interfaces C(lan) and C(wan)).
      type: list
      elements: dict
    routes:
      description: Inventory hostname to C({to, via}) routes across the routers - the relayed peer's host to each
        relationship's subnets, the branch to the WAN.
      type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._lab import layout
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology


def ha_lab_layout(topology):
    try:
        return layout(load_topology(topology))
    except TopologyError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {"ha_lab_layout": ha_lab_layout}
