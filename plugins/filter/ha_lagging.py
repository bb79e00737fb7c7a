# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_lagging
short_description: The HA relationships of one Kea server that are not in a wanted state, one message each
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Reads one server's HA status (what M(keadhcp.ha.kea_ha_status) registered, its C(relationships) list, or what
    M(keadhcp.ha.kea_command) registered for C(status-get)) and returns one message per relationship whose state is
    not one of O(wanted), such as C(relationship central-branch1 is partner-down, its partner branch1 unavailable).
  - An empty list means every relationship is where it is wanted, so that C(until) and C(assert) read
    C(result | keadhcp.ha.ha_lagging | length == 0) and a failure message can show the list.
  - A status that was not read is one message (C(no status was read) and why); so is each of O(names) the server
    does not run.
options:
  _input:
    description: One server's status, as described above.
    type: raw
    required: true
  wanted:
    description: The states each relationship may be in.
    type: list
    elements: str
    default: [hot-standby]
  names:
    description: Only the relationships in which the server has one of these peer names (each must be running);
      all of them when empty.
    type: list
    elements: str
    default: []
  both_ends:
    description: Whether the partner's last state, as this server saw it, must be wanted too. It lags behind the
      partner's own by up to a heartbeat.
    type: bool
    default: true
  plan:
    description:
      - This server's slice of the plan (C(plan.hosts[inventory_hostname]) of P(keadhcp.ha.ha_plan#filter)). Each of
        its relationships must then be in the state its mode and roles give while both ends are up (the slice's
        C(local.state) and C(partner.state), that is C(hot-standby), C(load-balancing), C(passive-backup) or C(backup)),
        instead of O(wanted), and O(names) are the slice's.
      - In C(passive-backup) the servers exchange no heartbeats, so the partner's state is not checked.
    type: dict
"""

EXAMPLES = r"""
- name: Wait until every relationship of this server is in hot-standby, at both ends
  keadhcp.ha.kea_ha_status:
  register: ha
  until: ha | keadhcp.ha.ha_lagging | length == 0
  retries: 60
  delay: 1

- name: Wait until every relationship is in the state its mode gives (hot-standby, load-balancing, passive-backup)
  keadhcp.ha.kea_ha_status:
  register: ha
  until: ha | keadhcp.ha.ha_lagging(plan=(kea_ha_topology | keadhcp.ha.ha_plan).hosts[inventory_hostname]) | length == 0
  retries: 60
  delay: 1

- name: A branch keeps serving while the central is in maintenance
  ansible.builtin.assert:
    that: ha | keadhcp.ha.ha_lagging(['hot-standby', 'partner-in-maintenance'], both_ends=false) | length == 0
    fail_msg: "{{ ha | keadhcp.ha.ha_lagging(['hot-standby', 'partner-in-maintenance'], both_ends=false) }}"
"""

RETURN = r"""
_value:
  description: One message per relationship not in a wanted state; empty when none.
  type: list
  elements: str
"""

from ansible_collections.keadhcp.ha.plugins.module_utils._status import lagging, normal_states


def ha_lagging(result, wanted=None, names=None, both_ends=True, plan=None):
    expected = normal_states(plan) if plan is not None else None
    return lagging(result, list(wanted or ["hot-standby"]), list(names or []), bool(both_ends), expected)


class FilterModule(object):
    def filters(self):
        return {"ha_lagging": ha_lagging}
