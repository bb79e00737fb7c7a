# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_plan
short_description: What a hub-and-spoke HA topology implies for every host, validated once
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Validates the topology as a whole, like P(keadhcp.ha.kea_configs#filter), and returns the plan the keadhcp.ha roles
    and playbooks read, computed once per run on the controller (C(run_once)) instead of once per host.
  - For every host of the topology, its slice - its side, its relationships (its own and its partner's peer names,
    URLs, roles and hosts, and the TLS files it uses with the partner), the interfaces it must have, the
    basic-auth password files its configuration names and its partners' hosts.
  - Also what the roles refuse before changing any host, as messages - basic-auth passwords written into the
    topology, and relationships whose two ends run different Kea versions (from O(versions)).
  - When the topology is invalid, the plan holds every problem found, each naming the relationship, peer or subnet
    at fault, in RV(_value.problems) and RV(_value.message), and no host; so that a play can stop every host with
    one clear message.
extends_documentation_fragment:
  - keadhcp.ha.topology
options:
  versions:
    description:
      - The Kea version (major.minor, such as C(2.6)) each host runs, inventory hostname to version; an empty or
        missing one is not compared.
    type: dict
  ignore_unknown_hosts:
    description:
      - Drop the entries of O(versions), O(host_base) and O(control_endpoints) for hosts the topology does not name,
        instead of reporting each as not part of the topology.
      - For mappings read from every host of a play, as the keadhcp.ha roles do - a play may hold a branch host
        that was removed from the topology (the roles then leave it alone, or decommission it).
    type: bool
    default: false
    version_added: 0.1.0
  family:
    description:
      - Plan one server only, C(4) or C(6) - the single-family plan of that half of a dual-stack topology
        (C(family=dual)), the same as RV(_value.halves) gives; for a single-family topology, its own family.
      - Left out, the whole plan.
    type: int
    version_added: 0.1.0
"""

EXAMPLES = r"""
- name: Validate the topology once and plan every host
  ansible.builtin.set_fact:
    kea_plan: "{{ kea_ha_topology | keadhcp.ha.ha_plan(known_hosts=groups['all'], hostvars=hostvars) }}"
  run_once: true

- name: Check the interfaces this host must have
  ansible.builtin.assert:
    that: item.interface in ansible_facts.interfaces
  loop: "{{ kea_plan.hosts[inventory_hostname].interfaces }}"
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    family:
      description: 4 or 6, or C(dual) for a dual-stack topology.
      type: raw
    families:
      description: The servers the topology runs, C([4]), C([6]) or C([4, 6]).
      type: list
      elements: int
    halves:
      description:
        - Family to the single-family plan of that server, as this plan describes it - both halves of a
          dual-stack topology, each planned as the single-family topology it stands for; a single-family plan
          holds itself under its family. The keadhcp.ha roles deploy each server of a host from its half.
      type: dict
    central:
      description: Inventory hostname of the central.
      type: str
    branches:
      description: Inventory hostnames of the branches, in the order of the relationships.
      type: list
      elements: str
    problems:
      description: Every problem of an invalid topology; empty when it is valid.
      type: list
      elements: str
    message:
      description: The problems as one message (C(kea_ha_topology is invalid (2 problems):) and one line each), or
        an empty string.
      type: str
    refusals:
      description: What the roles refuse before changing anything, one message each; empty when nothing.
      type: list
      elements: str
    warnings:
      description:
        - What the relationships' failure detection lets happen, one text per finding naming every relationship
          it applies to; the filter also says each one as an Ansible warning, once per run.
        - C(max-unacked-clients) 0 with automatic failover lets the central take over while the branch still serves
          (a split brain when the link between them is cut); timers under which a client's first attempt (60 s for
          ISC dhclient) ends before the central counts unanswered clients make a takeover on a quiet branch slow.
      type: list
      elements: str
    hosts:
      description:
        - Inventory hostname to that host's slice - C(side) (C(central) or C(branch)), C(families) (the servers it
          runs, C([4, 6]) for both of a dual-stack host, one only when its relationships have subnets of one
          family), C(names) (its peer name in
          each of its relationships), C(relationships), C(partners) (hostnames), C(interfaces) (as
          P(keadhcp.ha.host_interfaces#filter) returns them) and C(password_files) (C({user, file}) of every peer of
          its relationships with a C(basic-auth-password-file)).
        - In a dual-stack plan the slice joins the host's slices of both halves, DHCPv4's relationships first.
        - Each relationship holds C(family) (the server it belongs to, 4 or 6), C(index) (its position, from 1),
          C(branch_host), C(mode), C(local) and C(partner)
          (C(name), C(url), C(address) (the URL's IP address, without brackets), C(role), C(host), C(user),
          C(password_file), C(state) (what Kea reports for that peer while both ends are up, that is the mode, or C(backup)
          for a backup server); C(local) also C(interface)), C(heartbeats) (whether the two servers exchange
          heartbeats, so that each reports the other's state, false in C(passive-backup)), C(automatic_failover)
          (whether the partner takes over on its own, false in C(passive-backup)), C(serving) (the peer names that answer clients while both ends are
          up, that is the primary, or both peers in C(load-balancing)), C(tls) (C(ca_path), C(client_cert), C(client_key) as this
          host's Kea uses them with the partner, the option names of the keadhcp.ha modules), C(subnets) and
          C(shared_networks) (the topology's subnets and shared networks of the relationship, as written there) and
          C(pools) (every pool of both, as written), C(subnet_ids) (the ids of every subnet of both) and
          C(failure_detection) (C(heartbeat-delay), C(max-response-delay), C(max-ack-delay),
          C(max-unacked-clients) as Kea runs the relationship, its defaults filled in) and C(takeover_crowd) (how
          many clients must keep asking on a failed peer's LAN before its partner takes over, 0 when none need to;
          in C(load-balancing) enough for N + 1 of them to fall into the failed peer's scope) and C(takeover_seconds)
          (the longest the partner should take to declare a failed peer down, from those timers, while clients keep
          asking) and C(takeover_seconds_quiet) (the same on a quiet branch whose clients all began asking when it
          failed and ask as ISC dhclient does, for 60 s then again after up to 450 s; null when such clients may never
          be counted) and C(counting_starts) (the latest, in seconds after a failure, that the partner reports
          C(communication-interrupted) and starts counting unanswered clients) and
          C(healthy_within) (the longest both ends should take to be back in their normal state once both run, that is
          three heartbeats, the longer of C(max-response-delay) and C(sync-timeout), and 10 s; the bound of the roles'
          health check).
      type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._plan import plan, unplanned
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology
from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import inventory_options, topology_hosts, warn


def _topology_hosts_only(topology, mapping):
    """``mapping`` without the hosts the topology does not name (``all`` kept)."""
    if not isinstance(mapping, dict):
        return mapping
    central, branches = topology_hosts(topology)
    named = set(central + branches + ["all"])
    return dict((host, value) for host, value in mapping.items() if host in named)


def ha_plan(topology, versions=None, base=None, host_base=None, control_endpoints=None, known_hosts=None, hostvars=None,
            ignore_unknown_hosts=False, family=None):
    if ignore_unknown_hosts:
        versions, host_base, control_endpoints = [_topology_hosts_only(topology, mapping)
                                                  for mapping in (versions, host_base, control_endpoints)]
    try:
        validated = load_topology(topology, base=base, host_base=host_base, control_endpoints=control_endpoints,
                                  known_hosts=known_hosts, **inventory_options(topology, hostvars))
    except TopologyError as exc:
        return unplanned(exc.problems)
    except ImportError as exc:
        raise AnsibleFilterError(str(exc))
    planned = warn(plan(validated, versions if isinstance(versions, dict) else None))
    if family in (None, "") or planned["problems"]:
        return planned
    try:
        return planned["halves"][int(family)]
    except (KeyError, TypeError, ValueError):
        raise AnsibleFilterError("ha_plan: family %s: the topology's servers are %s"
                                 % (family, " and ".join("DHCPv%d" % each for each in planned["families"])))


class FilterModule(object):
    def filters(self):
        return {"ha_plan": ha_plan}
