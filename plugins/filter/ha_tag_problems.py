# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_tag_problems
short_description: The subnets a running Kea server does not tag with their relationship's ha-server-name
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Compares one server's running configuration (what M(keadhcp.ha.kea_command) registered for C(config-get)) with
    that server's slice of the plan and returns one message per subnet of its relationships that the server does
    not run, runs without C(user-context.ha-server-name), or runs tagged for another relationship.
  - Kea accepts such a configuration and then silently drops the traffic of the untagged subnet on a central with
    several relationships, so a hand edit or a C(config-set) from elsewhere is found only when that branch fails.
    This filter finds it while every relationship still looks healthy.
  - A subnet inherits its shared network's tag, as Kea's HA hook reads it; the subnet's own tag wins.
  - >-
    Each message starts with the host and names the relationship (position and branch host), the peer and the
    subnet, for example V(dc: relationship 3 (branch3\), peer central-branch3: subnet 30 (10.3.0.0/24\) carries
    no ha-server-name on the running server, so Kea drops its clients' traffic in this relationship).
options:
  _input:
    description: The server's running configuration, as described above (or the configuration itself).
    type: raw
    required: true
  plan:
    description: This server's slice of the plan (C(plan.hosts[inventory_hostname]) of P(keadhcp.ha.ha_plan#filter)).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the running configuration
  keadhcp.ha.kea_command:
    command: config-get
  register: running

- name: Check that every subnet carries its relationship's ha-server-name
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ running | keadhcp.ha.ha_tag_problems(plan=(kea_ha_topology | keadhcp.ha.ha_plan).hosts[inventory_hostname]) }}"
"""

RETURN = r"""
_value:
  description: One message per subnet not tagged as the plan says; empty when every subnet is. A configuration that
    was not read is one message.
  type: list
  elements: str
"""

from ansible_collections.keadhcp.ha.plugins.module_utils._status import tag_problems


def ha_tag_problems(config, plan):
    return tag_problems(plan, config)


class FilterModule(object):
    def filters(self):
        return {"ha_tag_problems": ha_tag_problems}
