# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: rehearse_report
short_description: The lines of a rehearsal's report, one per relationship, then every failure
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Puts what a rehearsal's checks saw (docs/rehearse.md) into lines a person reads in a minute, each starting with
    C(rehearse:).
  - >-
    The first line counts the relationships and carries O(header); then one line per relationship of the central,
    in the topology's order - both peers with their names and roles, the mode, the states the central reads
    (partner's/own), the sampled branch's client and what the failover did to it; then one line per failure, starting with V(rehearse: FAILED:); the
    last line is V(rehearse: passed), or V(rehearse: failed (N problems\)).
options:
  _input:
    description: The plan (P(keadhcp.ha.ha_plan#filter)).
    type: dict
    required: true
  states:
    description: The central's relationships by peer name (P(keadhcp.ha.ha_states#filter)).
    type: dict
    default: {}
  clients:
    description: Branch host to the lease its client got (C(address)); branches not sampled are left out.
    type: dict
    default: {}
  outage:
    description:
      - What the failover measured - C(relationship) (the central's peer name in the failed relationship),
        C(takeover) and C(recovery) (seconds), C(crowd) (clients asking), C(leases_equal); or C(relationship) and
        C(skipped), the reason it was not rehearsed. Empty when it was not reached.
    type: dict
    default: {}
  failures:
    description: The failure messages the checks recorded, each naming its host and relationship.
    type: list
    elements: str
    default: []
  header:
    description: What the first line says about the run (inventory, timers, TLS).
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Show the report
  ansible.builtin.debug:
    msg: >-
      {{ kea_ha_topology | keadhcp.ha.ha_plan | keadhcp.ha.rehearse_report(
           states=central_ha | keadhcp.ha.ha_states, clients={'branch1': {'address': '10.1.0.100'}},
           outage={'relationship': 'central-branch1', 'takeover': '2.1', 'recovery': '4.0', 'leases_equal': true},
           failures=[], header='inventory.yml, timers as the topology gives them') }}
"""

RETURN = r"""
_value:
  description: >-
    The report's lines, the last one V(rehearse: passed) or V(rehearse: failed (N problems\)).
  type: list
  elements: str
"""

from ansible_collections.keadhcp.ha.plugins.module_utils._rehearse import report


def rehearse_report(plan, states=None, clients=None, outage=None, failures=None, header=""):
    return report(plan, states or {}, clients or {}, outage or {}, failures or [], header)


class FilterModule(object):
    def filters(self):
        return {"rehearse_report": rehearse_report}
