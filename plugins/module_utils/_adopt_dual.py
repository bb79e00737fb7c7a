# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt a dual-stack hub: hosts running kea-dhcp4 and kea-dhcp6 side by side, one ``family: dual`` topology out.

Each family is adopted alone (``_adopt.adopt_one_family``), exactly as a
single-family hub; the two topologies are then joined relationship by
relationship (matched by branch host) into the description
``_model.dual_stack`` splits again: peer URLs per server, relay interfaces
of both, subnets and shared networks of both families side by side, bases
under ``Dhcp4`` and ``Dhcp6``. What a dual-stack description cannot say
(different peer names, interfaces or parameters in the two servers) is a
problem naming the relationship; the join is checked, as every adoption
is, by rendering it back and comparing with what the servers run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import copy_data, merge

FAMILIES = (4, 6)
PEER_SHARED_KEYS_SKIPPED = ("url", "relay-interfaces")


def is_dual(configs):
    """Whether some host runs both servers (its configuration has Dhcp4 and Dhcp6)."""
    return isinstance(configs, dict) and any(
        isinstance(config, dict) and "Dhcp4" in config and "Dhcp6" in config for config in configs.values())


def split(configs):
    """{family: {host: {"DhcpN": ...}}}, each host in the families whose server it runs."""
    halves = dict((family, {}) for family in FAMILIES)
    for host, config in configs.items():
        for family in FAMILIES:
            key = "Dhcp%d" % family
            if isinstance(config, dict) and key in config:
                halves[family][host] = {key: config[key]}
    return halves


def _full_params(topology, rel):
    own = dict((k, v) for k, v in rel.items() if k in schema.RELATIONSHIP_PARAMS)
    return merge(topology.get("defaults") or {}, own)


def _join_peer(where, side, four, six, problems):
    """One peer of a relationship both servers run."""
    peer = {}
    for key in list(four) + [k for k in six if k not in four]:
        if key in PEER_SHARED_KEYS_SKIPPED:
            continue
        if four.get(key) != six.get(key):
            problems.append("%s: the %s peer's '%s' is %s in the DHCPv4 server but %s in the DHCPv6 one; a dual-stack "
                            "topology gives both servers one value" % (where, side, key, _shown(four.get(key)),
                                                                       _shown(six.get(key))))
        peer[key] = copy_data(four[key] if key in four else six[key])
        if key == "name":
            urls = dict((schema.DAEMONS[family], half["url"]) for family, half in ((4, four), (6, six))
                        if "url" in half)
            if urls:
                peer["url"] = urls
    relay = list(four.get("relay-interfaces") or [])
    relay.extend(name for name in six.get("relay-interfaces") or [] if name not in relay)
    if relay:
        peer["relay-interfaces"] = relay
    return peer


def _one_family_peer(family, peer):
    item = {}
    for key, value in peer.items():
        if key == "url":
            item["url"] = {schema.DAEMONS[family]: value}
        else:
            item[key] = copy_data(value)
    return item


def _shown(value):
    return "not set" if value is None else repr(value)


def join(adoptions, problems):
    """The ``family: dual`` topology and bases from one Adoption per family; None where a half has no topology."""
    four, six = adoptions[4], adoptions[6]
    if four.topology is None or six.topology is None:
        return None, {}, {}, None
    if four.topology["central"] != six.topology["central"]:
        problems.append("the DHCPv4 servers' central is '%s' but the DHCPv6 servers' '%s'; a dual-stack hub has one "
                        "central" % (four.topology["central"], six.topology["central"]))
        return None, {}, {}, None
    by_host = dict((family, dict((rel["branch"]["host"], rel) for rel in adoptions[family].topology["relationships"]))
                   for family in FAMILIES)
    order = [rel["branch"]["host"] for rel in four.topology["relationships"]]
    order.extend(host for host in by_host[6] if host not in order)
    relationships, params = [], []
    for position, host in enumerate(order, 1):
        where = "relationship %d (%s)" % (position, host)
        halves = dict((family, by_host[family].get(host)) for family in FAMILIES)
        full = dict((family, _full_params(adoptions[family].topology, rel))
                    for family, rel in halves.items() if rel is not None)
        if len(full) == 2:
            for key in list(full[4]) + [k for k in full[6] if k not in full[4]]:
                if full[4].get(key) != full[6].get(key):
                    problems.append("%s: '%s' is %s in the DHCPv4 server but %s in the DHCPv6 one; a dual-stack "
                                    "topology gives both servers' relationships one value"
                                    % (where, key, _shown(full[4].get(key)), _shown(full[6].get(key))))
            item = dict((side, _join_peer(where, side, halves[4][side], halves[6][side], problems))
                        for side in ("branch", "central"))
        else:
            (family, rel), = [(f, r) for f, r in halves.items() if r is not None]
            item = dict((side, _one_family_peer(family, rel[side])) for side in ("branch", "central"))
        subnets, networks = [], []
        for family in FAMILIES:
            if halves[family] is not None:
                subnets.extend(copy_data(halves[family].get("subnets") or []))
                networks.extend(copy_data(halves[family].get("shared-networks") or []))
        params.append(full.get(4, full.get(6)))
        item["params"] = params[-1]
        if subnets:
            item["subnets"] = subnets
        if networks:
            item["shared-networks"] = networks
        relationships.append(item)
    defaults = {}
    for key, value in params[0].items():
        if all(key in other and other[key] == value for other in params[1:]):
            defaults[key] = copy_data(value)
    for item in relationships:
        for key, value in item.pop("params").items():
            if key not in defaults:
                item[key] = copy_data(value)
        for key in ("subnets", "shared-networks"):
            if key in item:
                item[key] = item.pop(key)  # after the parameters, as adopt writes them
    topology = {"family": schema.DUAL_STACK, "central": four.topology["central"]}
    if defaults:
        topology["defaults"] = defaults
    topology["relationships"] = relationships
    base = dict(("Dhcp%d" % family, adoptions[family].base) for family in FAMILIES if adoptions[family].base)
    host_base = {}
    for family in FAMILIES:
        for host, own in adoptions[family].host_base.items():
            host_base.setdefault(host, {})["Dhcp%d" % family] = own
    hooks = [adoptions[family].hooks_dir for family in FAMILIES]
    if hooks[0] != hooks[1]:
        problems.append("the DHCPv4 and DHCPv6 servers load their hooks from different directories (%s, %s); the "
                        "collection loads both servers' from one" % (_shown(hooks[0]), _shown(hooks[1])))
    return topology, base, host_base, hooks[0]
