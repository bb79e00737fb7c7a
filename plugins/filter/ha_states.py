# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_states
short_description: One Kea server's HA relationships by peer name, from any status read
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Turns one server's HA status into a mapping from its own peer name in each relationship to that relationship's
    state, so that a check reads C(states['central-branch1'].state) instead of walking lists.
  - The input is what M(keadhcp.ha.kea_ha_status) registered, its C(relationships) list, or what
    M(keadhcp.ha.kea_command) registered for C(status-get). An unread status (a failed task) gives an empty mapping.
  - P(keadhcp.ha.ha_lagging#filter) lists the relationships not in a wanted state, as messages.
options:
  _input:
    description: One server's status, as described above.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Read the central's HA status
  keadhcp.ha.kea_ha_status:
  register: central_ha

- name: Check that the central took over branch1
  ansible.builtin.assert:
    that: (central_ha | keadhcp.ha.ha_states)['central-branch1'].state | default('') == 'partner-down'
"""

RETURN = r"""
_value:
  description: Local peer name to the relationship's state; empty when the status was not read.
  type: dict
  contains:
    state:
      description: This server's HA state in the relationship.
      type: str
    role:
      description: This server's role (primary, secondary, standby, backup).
      type: str
    partner:
      description: The partner's peer name.
      type: str
    partner_state:
      description: The partner's state as this server last saw it.
      type: str
    in_touch:
      description: Whether the partner answered lately.
      type: bool
    communication_interrupted:
      description: Whether this server has lost contact with the partner.
      type: bool
"""

from ansible_collections.keadhcp.ha.plugins.module_utils._status import states


def ha_states(result):
    return states(result)


class FilterModule(object):
    def filters(self):
        return {"ha_states": ha_states}
