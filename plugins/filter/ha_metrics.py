# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_metrics
short_description: Every HA relationship, from both ends, in Prometheus text exposition format
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Turns the report of P(keadhcp.ha.ha_status_report#filter) into the text format Prometheus scrapes
    (version 0.0.4), for example as a C(.prom) file of node_exporter's textfile collector;
    C(playbooks/status.yml -e kea_ha_metrics_file=PATH) writes one.
  - Every sample of an end carries the labels C(relationship) (its number in the topology), C(central) and
    C(branch) (the two peer names), C(end) (C(central) or C(branch)), C(host) (that end's inventory host),
    C(server_name) (that end's peer name) and C(partner) (the other end's peer name).
  - "Metric families, all gauges: C(kea_ha_up) (1 when the end's status was read), C(kea_ha_relationship_ok)
    (both ends in an expected state; labels C(relationship), C(central), C(branch) only), C(kea_ha_state) and
    C(kea_ha_partner_state) (one series per Kea HA state, label C(state), 1 for the current one),
    C(kea_ha_in_touch), C(kea_ha_communication_interrupted), C(kea_ha_partner_age_seconds),
    C(kea_ha_unacked_clients), C(kea_ha_unacked_clients_left), C(kea_ha_connecting_clients),
    C(kea_ha_analyzed_packets) and C(kea_ha_unsent_updates)."
  - An end that could not be read has only its C(kea_ha_up) sample, at 0. A value the server did not report
    has no sample (C(kea_ha_unsent_updates) needs O(keadhcp.ha.kea_ha_status#module:heartbeat=true), which
    C(playbooks/status.yml) sets when it writes metrics), and a family without any sample is left out.
  - The same report always gives the same text, with rows in order, the central end before the branch end, and
    states in alphabetical order (a state unknown to this collection follows them).
options:
  _input:
    description:
      - The report returned by P(keadhcp.ha.ha_status_report#filter), or its C(rows).
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Build the report
  ansible.builtin.set_fact:
    report: "{{ kea_ha_topology | keadhcp.ha.ha_status_report(reports) }}"

- name: Write the metrics for node_exporter's textfile collector, then move them in place
  ansible.builtin.copy:
    content: "{{ report | keadhcp.ha.ha_metrics }}"
    dest: /var/lib/prometheus/node-exporter/kea-ha.prom.tmp
    mode: "0644"
"""

RETURN = r"""
_value:
  description:
    - The metrics, one line each, ending with a line feed.
    - "For example C(kea_ha_state{relationship=\"1\",central=\"dc-for-paris\",branch=\"paris\",end=\"central\",
      host=\"dc\",server_name=\"dc-for-paris\",partner=\"paris\",state=\"partner-down\"} 1)."
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._metrics import exposition

ROW_KEYS = ("relationship", "central_host", "branch_host", "central_name", "branch_name", "central", "branch")


def ha_metrics(report):
    rows = report.get("rows") if isinstance(report, dict) else report
    if not isinstance(rows, list):
        raise AnsibleFilterError("ha_metrics: expects the report of keadhcp.ha.ha_status_report, or its rows; got %s"
                                 % type(report).__name__)
    for number, row in enumerate(rows, 1):
        missing = [key for key in ROW_KEYS if key not in row] if isinstance(row, dict) else list(ROW_KEYS)
        if missing:
            raise AnsibleFilterError("ha_metrics: row %d is not a row of keadhcp.ha.ha_status_report (no %s)"
                                     % (number, ", ".join(missing)))
    return exposition(rows)


class FilterModule(object):
    def filters(self):
        return {"ha_metrics": ha_metrics}
