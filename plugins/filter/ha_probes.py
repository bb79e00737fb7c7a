# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_probes
short_description: The relationships of a host whose partner to contact, because they are not as expected
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Kea's status says that a partner is out of touch, not why. C(playbooks/status.yml) therefore contacts the
    partner's HA URL from the host itself, as its Kea does, for the relationships this filter returns.
  - Takes the host's slice of P(keadhcp.ha.ha_plan#filter) and the status read from the host (what
    M(keadhcp.ha.kea_ha_status) registered, its C(relationships), or a C(status-get) answer from
    M(keadhcp.ha.kea_command)), and returns the slice's relationships whose local state is not in O(expected),
    including those the server does not run at all.
  - The status may also be a registered loop of M(keadhcp.ha.kea_ha_status) over the host's servers, each C(item)
    with its C(family), as C(playbooks/status.yml) registers it; each relationship of the slice is then read in the
    status of its own server (a dual-stack host runs the same peer names in both).
  - Nothing when the status could not be read.
options:
  _input:
    description: The host's slice of the plan (C(plan.hosts[inventory_hostname])).
    type: dict
    required: true
  result:
    description: The status read from the host.
    type: raw
    required: true
  expected:
    description: The states a relationship may be in without being probed.
    type: list
    elements: str
    default: [hot-standby]
"""

EXAMPLES = r"""
- name: Contact the partner of each relationship that is not as expected, as this server does
  keadhcp.ha.kea_command:
    url: "{{ item.partner.url }}"
    command: ha-heartbeat
    arguments:
      server-name: "{{ item.local.name }}"
    ca_path: "{{ item.tls.ca_path | default(omit) }}"
    client_cert: "{{ item.tls.client_cert | default(omit) }}"
    client_key: "{{ item.tls.client_key | default(omit) }}"
  loop: "{{ kea_plan.hosts[inventory_hostname] | keadhcp.ha.ha_probes(ha_read) }}"
  register: probes
  failed_when: false
"""

RETURN = r"""
_value:
  description: The relationships of the slice to probe, as the plan gives them.
  type: list
  elements: dict
"""

from ansible_collections.keadhcp.ha.plugins.module_utils._status import to_probe


def ha_probes(host_slice, result, expected=None):
    return to_probe(host_slice, result, list(expected or ["hot-standby"]))


class FilterModule(object):
    def filters(self):
        return {"ha_probes": ha_probes}
