# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: tag_subnets
short_description: Tag Kea subnets with the HA relationship they belong to
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Returns copies of Kea subnet objects with C(user-context.ha-server-name) set to the given server name,
    keeping every other C(user-context) key. The input is not modified.
  - On a server with several HA relationships (the central of a hub-and-spoke arrangement), Kea drops every
    query for a subnet without this tag; on a branch the tag keeps lease synchronisation to its own subnets.
  - A subnet already tagged with a name that is not a peer of the relationship (see O(peers)) is an error
    naming the subnet.
options:
  _input:
    description: List of Kea subnet objects (C(subnet4) or C(subnet6) items).
    type: list
    elements: dict
    required: true
  server_name:
    description: Peer name to tag with, normally the receiving server's own name in that relationship.
    type: str
    required: true
  peers:
    description: All peer names of the relationship; an existing tag naming one of them is replaced without error.
    type: list
    elements: str
  interface:
    description: When set, also bind each subnet to this interface (the C(interface) subnet key).
    type: str
"""

EXAMPLES = r"""
- name: Tag a branch's subnets for the central's relationship with it
  ansible.builtin.set_fact:
    central_subnets: "{{ branch_subnets | keadhcp.ha.tag_subnets('server2', peers=['server1', 'server2']) }}"
"""

RETURN = r"""
_value:
  description: The tagged copies, in input order.
  type: list
  elements: dict
"""

from ansible_collections.keadhcp.ha.plugins.module_utils import _topology
from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import call


def tag_subnets(subnets, server_name, peers=None, interface=None):
    return call(_topology.tag_subnets, subnets, server_name, peers=peers, interface=interface)


class FilterModule(object):
    def filters(self):
        return {"tag_subnets": tag_subnets}
