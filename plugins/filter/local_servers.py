# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: local_servers
short_description: The Kea servers the keadhcp.ha roles recorded on a host, each with its control channel
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Reads the local fact C(keadhcp_ha) the roles write on every host they deploy (C(ansible_local.keadhcp_ha)) and
    returns its servers, each with the C(control) object the keadhcp.ha modules take, so that a task reaches each server
    exactly as the roles set it up.
  - Reads the facts of every release of the roles; an undefined or empty fact gives an empty list.
options:
  _input:
    description: The local fact, C(ansible_local.keadhcp_ha).
    type: raw
    required: true
  family:
    description: Only the server of this family (4 or 6) of a dual-stack host.
    type: int
"""

EXAMPLES = r"""
- name: Read every server's HA state, as the roles set it up
  keadhcp.ha.kea_ha_status:
    control: "{{ item.control }}"
  loop: "{{ ansible_local.keadhcp_ha | default(none) | keadhcp.ha.local_servers }}"
  loop_control:
    label: "{{ item.service }}"
"""

RETURN = r"""
_value:
  description:
    - One item per server, in family order - C(family), C(service), C(names) (its peer name in each relationship),
      C(control) (the modules' O(keadhcp.ha.kea_command#module:control) option - C(url), C(service), C(user),
      C(password_file) and the TLS files), C(socket) (its unix control socket) and C(healthy_within) (the longest its
      relationships should take to be healthy after an apply, in seconds; null in facts of older releases).
  type: list
  elements: dict
"""

from ansible_collections.keadhcp.ha.plugins.module_utils._deploy import servers_of


def local_servers(fact, family=None):
    return servers_of(fact, family)


class FilterModule(object):
    def filters(self):
        return {"local_servers": local_servers}
