# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Options every filter that validates a topology shares."""

    DOCUMENTATION = r"""
options:
  _input:
    description: The topology, usually the variable C(kea_ha_topology). See C(docs/topology.md) for its keys and rules.
    type: dict
    required: true
  base:
    description:
      - A base configuration merged underneath every host's generated one (control channel, lease database,
        loggers, options...), either the inner mapping or wrapped in C(Dhcp4)/C(Dhcp6).
      - Its C(interfaces-config.interfaces) are added after the topology's, its C(hooks-libraries) after the
        lease commands and HA hooks. It must not define subnets, shared networks or the HA/lease commands hooks.
      - It takes part in validation, for example a Kea 3.0 HTTP control socket or core multi-threading turned off.
    type: dict
  host_base:
    description: Per-host base configurations (inventory hostname to mapping), merged over O(base) for that host.
    type: dict
  control_endpoints:
    description:
      - Where each host's control channel listens, as C(IP:PORT) strings (C([IPv6]:PORT) for IPv6) or mappings
        with C(address) and C(port); a list for every host, or a mapping of hostname (or C(all)) to list.
      - HTTP C(control-sockets) found in the base configuration are added automatically.
      - An HA listener on the same port and address is an error; C(0.0.0.0) collides with every IPv4 address
        on its port, C(::) with every address.
    type: raw
  known_hosts:
    description: Inventory hostnames (for example C(groups['all'])); a topology host not among them is an error.
    type: list
    elements: str
  hostvars:
    description:
      - Ansible's C(hostvars). Two things are read from it, for the topology's hosts only.
      - Gathered facts, so that a peer may leave out C(url). It is then derived as
        C(http://ADDRESS:PORT/) (C(https) when TLS files are set), ADDRESS being the host's address on the
        peer's C(interface) (IPv4 first, else global IPv6), or on its default route without an interface;
        PORT being the peer's C(port), else the topology's C(ha-port) (8001) on a branch and C(ha-port) plus the
        relationship's position minus one on the central, so the central has one listener per relationship.
      - C(kea_ha_subnets) of a branch host, used as the subnets of its relationship when the topology lists none.
    type: raw
"""
