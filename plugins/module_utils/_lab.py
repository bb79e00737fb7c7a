# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The containers and networks that rehearse a topology: one LAN per relationship, each host on its LANs.

A lab puts every relationship on its branch's LAN (the lab arrangement of
docs/topology.md): one network per relationship, on its first subnet (its own, else its first shared network's), named
``keadhcp-<the branch's interface>``; the branch and the central attached to
it with the addresses of their peer URLs. Docker hands out only the first 16
addresses of each network (a /28, or a /124 for IPv6), which the pools are
expected to lie above, so that a container's address never meets a lease.

Pure Python over the model of ``_topology``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress


def network_name(rel):
    """The lab network of a relationship: its branch's LAN."""
    return "keadhcp-%s" % (rel.branch.interface or "lan%d" % rel.index)


def _network(rel):
    subnet = ipaddress.ip_network(u"%s" % rel.all_subnets()[0]["subnet"], strict=False)
    ipv6 = subnet.version == 6
    first = next(subnet.subnets(new_prefix=124 if ipv6 else 28)) if subnet.prefixlen < (124 if ipv6 else 28) else subnet
    return {"name": network_name(rel), "subnet": str(subnet), "ipv6": ipv6, "iprange": str(first),
            "gateway": str(subnet.network_address + 1)}


def layout(model):
    """``{networks, attachments, ends, addresses}`` of the lab for a validated topology.

    * ``networks``: one per relationship (``name``, ``subnet``, ``ipv6``,
      ``iprange``, ``gateway``), in relationship order;
    * ``attachments``: host to its networks, ``{name, ipv4_address}`` or
      ``{name, ipv6_address}`` each (community.docker's spelling);
    * ``ends``: host to ``{interface, name, address, relationship}`` of each
      of its peers, the interface its container must have with that address;
    * ``addresses``: host to the addresses of its peer URLs, in order.
    """
    networks, attachments, ends, addresses = [], {}, {}, {}
    for rel in model.relationships:
        networks.append(_network(rel))
        for peer in (rel.central, rel.branch):
            address = str(peer.endpoint.ip)
            key = "ipv6_address" if ":" in address else "ipv4_address"
            attachments.setdefault(peer.host, []).append({"name": network_name(rel), key: address})
            ends.setdefault(peer.host, []).append({
                "interface": peer.interface, "name": peer.name, "address": address,
                "relationship": "%d (%s)" % (rel.index, rel.branch.host)})
            if address not in addresses.setdefault(peer.host, []):
                addresses[peer.host].append(address)
    return {"networks": networks, "attachments": attachments, "ends": ends, "addresses": addresses}
