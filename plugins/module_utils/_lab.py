# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The containers and networks that rehearse a topology, in either arrangement of docs/topology.md.

The lab arrangement: one network per relationship, its branch's LAN, on its
first subnet (its own, else its first shared network's), named
``keadhcp-<the branch's interface>`` (``keadhcp-<branch host>-<interface>``
when branches share the name), and also on the /24 (/64) of its peer URLs
when they are of the other address family (DHCPv6 served, HA over IPv4);
the branch and the central attached to it with the addresses of their peer
URLs. The WAN arrangement: a peer that only receives relayed traffic sits on
a WAN network instead, and a router per relationship joins the LAN to the WAN
and relays DHCP to both servers. Docker hands out only 16 addresses of each
network (a /28, or a /124 for IPv6; more when a takeover needs a crowd of
clients there): the first, or the first above a pool of the relationship
that covers it, so that a container's address never meets a lease.

Pure Python over the model of ``_topology``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.keadhcp.ha.plugins.module_utils._detection import takeover_crowd
from ansible_collections.keadhcp.ha.plugins.module_utils._schema import DUAL_STACK

# the addresses Docker hands out on a LAN at least, and those a LAN needs besides a takeover's crowd (the
# gateway, the servers, the checks' own clients): a /28 (/124) holds a crowd of 11, Kea's default
# max-unacked-clients of 10 and one more
MIN_ADDRESSES, BESIDES_CROWD = 16, 5


def network_names(model):
    """The lab network of each relationship, its branch's LAN, in relationship order.

    ``keadhcp-<the branch's interface>``; when branches share an interface
    name (every site's server on ``eth1``), ``keadhcp-<branch host>-<interface>``
    for each of them.
    """
    interfaces = [rel.branch.interface or "lan%d" % rel.index for rel in model.relationships]
    return ["keadhcp-%s" % interface if interfaces.count(interface) == 1 else
            "keadhcp-%s-%s" % (rel.branch.host, interface) for rel, interface in zip(model.relationships, interfaces)]


def _network(rel, name):
    """A relationship's LAN: on its first subnet, and also on the /24 (/64) of peer URLs of the other family."""
    subnet = ipaddress.ip_network(u"%s" % rel.all_subnets()[0]["subnet"], strict=False)
    pools = _pools(rel)
    wanted = max(MIN_ADDRESSES, BESIDES_CROWD + takeover_crowd(rel))
    spec = _spec(name, subnet, pools, wanted)
    others = [str(peer.endpoint.ip) for peer in rel.peers
              if not _relayed(peer) and peer.endpoint.ip.version != subnet.version]
    if others:
        extra = ipaddress.ip_network(u"%s/%d" % (others[0], 64 if ":" in others[0] else 24), strict=False)
        spec["ipam"].append(_spec(name, extra, pools, wanted)["ipam"][0])
        spec["ipv6"] = True
    return spec


def _pools(rel):
    """The address ranges of a relationship's pools, as (first, last) pairs."""
    found = []
    for subnet in rel.all_subnets():
        for pool in subnet.get("pools") or []:
            text = str(pool.get("pool", ""))
            if "-" in text:
                first, last = [ipaddress.ip_address(u"%s" % part.strip()) for part in text.split("-", 1)]
            else:
                net = ipaddress.ip_network(u"%s" % text.strip(), strict=False)
                first, last = net.network_address, net.broadcast_address
            found.append((first, last))
    return found


def _spec(name, subnet, pools=(), wanted=MIN_ADDRESSES):
    """A network on ``subnet``: Docker hands out its first block of ``wanted`` addresses (a power of two, 16 at least:
    a /28 or /124), or the first one above a pool that covers it."""
    ipv6 = subnet.version == 6
    width = 128 if ipv6 else 32
    block = MIN_ADDRESSES
    while block < wanted:
        block *= 2
    size = width - block.bit_length() + 1
    ranges = [subnet] if subnet.prefixlen >= size else [next(subnet.subnets(new_prefix=size))]
    for _first, last in sorted(pools, key=lambda pool: pool[1]):
        above = (int(last) // block + 1) * block  # the first whole range after the pool
        if last.version == subnet.version and above + block - 1 < int(subnet.broadcast_address) \
                and subnet.prefixlen < size:
            ranges.append(ipaddress.ip_network(u"%s/%d" % (ipaddress.ip_address(above), size)))

    def clear(net):
        return not [pool for pool in pools if pool[0].version == net.version
                    and pool[0] <= net.broadcast_address and net.network_address <= pool[1]]

    chosen = next((net for net in ranges if clear(net)), ranges[0])
    config = {"subnet": str(subnet), "iprange": str(chosen), "gateway": str(chosen.network_address + 1)}
    return dict(config, name=name, ipv6=ipv6, ipam=[config])


def _relayed(peer):
    """Whether a peer hears its relationship only through relays (the WAN arrangement)."""
    return not peer.interface and bool(peer.relay_interfaces)


def _relay_address(peer):
    """The address a relayed peer receives relayed DHCP on: its relay interface's (``wan0/ADDRESS``), else its URL's.

    A DHCPv6 server whose HA runs over IPv4 hears the relays on the IPv6
    address its relay interface names.
    """
    for name in peer.relay_interfaces:
        if "/" in name:
            return name.split("/", 1)[1]
    return str(peer.endpoint.ip)


def _family_of(address):
    return 6 if ":" in address else 4


def layout(model):
    """The lab of a topology (``single_layout``); of a dual-stack one, its two halves' labs joined (``joined``)."""
    if model.family == DUAL_STACK:
        return joined([single_layout(model.families[family]) for family in sorted(model.families)])
    return single_layout(model)


def _add(items, item):
    if item not in items:
        items.append(item)


def joined(layouts):
    """One lab of several layouts of the same hosts (a dual-stack topology's halves): each network, host and router once.

    A network of two halves (a LAN of both families, or one WAN) is one
    Docker network on the subnets of both (each subnet's range as the first
    half gives it), IPv6-enabled if either half's is; a host attached to it
    in both gets one attachment with an address of each family; a router of
    both relays each family (one entry per family).
    """
    networks, attachments, ends, addresses, lans, relays, routes = [], {}, {}, {}, {}, [], {}
    for part in layouts:
        for network in part["networks"]:
            same = [seen for seen in networks if seen["name"] == network["name"]]
            if not same:
                networks.append(dict(network, ipam=list(network["ipam"])))
                continue
            same[0]["ipv6"] = same[0]["ipv6"] or network["ipv6"]
            known = [config["subnet"] for config in same[0]["ipam"]]
            same[0]["ipam"].extend(config for config in network["ipam"] if config["subnet"] not in known)
        for host, items in part["attachments"].items():
            for item in items:
                same = [seen for seen in attachments.setdefault(host, []) if seen["name"] == item["name"]]
                if same:
                    same[0].update((key, value) for key, value in item.items() if key not in same[0])
                else:
                    attachments[host].append(dict(item))
        for mapping, joined_mapping in ((part["ends"], ends), (part["addresses"], addresses), (part["routes"], routes)):
            for host, items in mapping.items():
                for item in items:
                    _add(joined_mapping.setdefault(host, []), item)
        for index, lan in zip(part["indices"], part["lans"]):
            lans.setdefault(index, lan)
        for router in part["relays"]:
            _add(relays, router)  # a router of both families relays each (one entry per family)
    return {"networks": networks, "attachments": attachments, "ends": ends, "addresses": addresses,
            "lans": [lans[index] for index in sorted(lans)], "indices": sorted(lans), "relays": relays,
            "routes": routes}


def single_layout(model):
    """``{networks, attachments, ends, addresses, lans, relays, routes}`` of the lab for a validated topology.

    * ``networks``: one per relationship (``name``, ``subnet``, ``ipv6``,
      ``iprange``, ``gateway``), in relationship order, then one WAN per relay
      interface of a relayed peer (``keadhcp-<interface>``, the /24 or /64 of
      the peer's URL address);
    * ``attachments``: host to its networks, ``{name, ipv4_address}`` or
      ``{name, ipv6_address}`` each (community.docker's spelling); a relayed
      peer's host sits on the WAN only, never on the branch's LAN;
    * ``ends``: host to ``{interface, name, address, relationship}``, the
      interfaces its container must have with those addresses;
    * ``addresses``: host to the addresses of its peer URLs, in order;
    * ``lans``: each relationship's LAN network name, in relationship order
      (``indices``: each one's relationship position);
    * ``relays``: one router per relationship with a relayed peer
      (``name`` ``<branch>-relay``, ``family``, ``lan``/``lan_address`` (the
      LAN's 254th address), ``wan``/``wan_address`` (the WAN's 200th plus the
      relationship's position), ``servers`` (the addresses it relays to: the
      branch's when of the router's family, and the relayed peer's, where it
      hears relays: its relay interface's address, else its URL's), ``upper``
      (each server's ``address`` and the router's ``interface`` toward it,
      ``lan`` or ``wan``), ``relationship``);
    * ``routes``: host to ``{to, via}``: across each router, the relayed
      peer's host to the relationship's subnets, the other to the WAN.
    """
    networks, attachments, ends, addresses, lans, relays, routes = [], {}, {}, {}, [], [], {}
    wans, relayed = {}, []

    def attach(host, network, address):
        key = "ipv6_address" if ":" in address else "ipv4_address"
        same = [entry for entry in attachments.setdefault(host, []) if entry["name"] == network]
        if same and key not in same[0]:
            same[0][key] = address  # one attachment per network, with an address of each family
        elif not same:
            attachments[host].append({"name": network, key: address})

    def end(host, item):
        if not [seen for seen in ends.setdefault(host, [])
                if (seen["interface"], seen["address"]) == (item["interface"], item["address"])]:
            ends[host].append(item)

    for rel, name in zip(model.relationships, network_names(model)):
        lan = _network(rel, name)
        networks.append(lan)
        lans.append(lan["name"])
        label = "%d (%s)" % (rel.index, rel.branch.host)
        for peer in (rel.central, rel.branch):
            address = str(peer.endpoint.ip)
            interface = peer.interface
            if _relayed(peer):
                interface = peer.relay_interfaces[0].split("/", 1)[0]
                heard = _relay_address(peer)
                if interface not in wans:
                    wan = ipaddress.ip_network(u"%s/%d" % (heard, 64 if ":" in heard else 24), strict=False)
                    wans[interface] = _spec("keadhcp-%s" % interface, wan)
                    if _family_of(address) != _family_of(heard):  # HA over the other family: on the WAN too
                        url_net = ipaddress.ip_network(u"%s/%d" % (address, 64 if ":" in address else 24), strict=False)
                        wans[interface]["ipam"].append(_spec(wans[interface]["name"], url_net)["ipam"][0])
                        wans[interface]["ipv6"] = True
                attach(peer.host, wans[interface]["name"], address)
                if heard != address:
                    attach(peer.host, wans[interface]["name"], heard)
                    end(peer.host, {"interface": interface, "name": peer.name, "address": heard, "relationship": label})
                relayed.append((rel, peer, wans[interface], lan))
            else:
                attach(peer.host, lan["name"], address)
            end(peer.host, {"interface": interface, "name": peer.name, "address": address, "relationship": label})
            if address not in addresses.setdefault(peer.host, []):
                addresses[peer.host].append(address)
    networks.extend(wans.values())
    for rel, peer, wan, lan in relayed:
        other = rel.branch if peer is rel.central else rel.central
        name = "%s-relay" % rel.branch.host
        lan_net, wan_net = ipaddress.ip_network(u"%s" % lan["subnet"]), ipaddress.ip_network(u"%s" % wan["subnet"])
        lan_address, wan_address = str(lan_net.network_address + 254), str(wan_net.network_address + 200 + rel.index)
        family = _family_of(lan_address)
        # the servers it relays to: the relayed peer, and the other peer when its address is of this family
        upper = [{"address": address, "interface": side} for address, side in
                 ((str(other.endpoint.ip), "lan"), (_relay_address(peer), "wan")) if _family_of(address) == family]
        router = {"name": name, "family": family, "lan": lan["name"], "lan_address": lan_address, "wan": wan["name"],
                  "wan_address": wan_address, "servers": [item["address"] for item in upper], "upper": upper,
                  "relationship": "%d (%s)" % (rel.index, rel.branch.host)}
        relays.append(router)
        attach(name, lan["name"], lan_address)
        attach(name, wan["name"], wan_address)
        end(name, {"interface": "lan", "name": name, "address": lan_address, "relationship": router["relationship"]})
        end(name, {"interface": "wan", "name": name, "address": wan_address, "relationship": router["relationship"]})
        for subnet in [lan["subnet"]] + [item["subnet"] for item in rel.all_subnets()]:
            route = {"to": str(ipaddress.ip_network(u"%s" % subnet, strict=False)), "via": wan_address}
            if route not in routes.setdefault(peer.host, []):
                routes[peer.host].append(route)
        route = {"to": wan["subnet"], "via": lan_address}
        if route not in routes.setdefault(other.host, []):
            routes[other.host].append(route)
    return {"networks": networks, "attachments": attachments, "ends": ends, "addresses": addresses, "lans": lans,
            "indices": [rel.index for rel in model.relationships], "relays": relays, "routes": routes}
