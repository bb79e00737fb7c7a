# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_deployment
short_description: Every host's desired state for the keadhcp.ha roles, planned once
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Validates the topology once, with each host's base configuration and control channel as the roles set them up,
    checks every host (the interfaces it serves exist, the control channel's password is set, TLS material comes
    complete, its Kea version is supported), and returns each host's complete desired state, which
    P(keadhcp.ha.kea_server#module) converges the host to in one call.
  - A host's state holds its directories and files (contents, owners, modes; secret files by name only), the control
    agent of Kea 2.6 (or the one to stop on Kea 3.0), and for each of its DHCP servers the final configuration, its
    unix socket, service, control channel (the modules' O(keadhcp.ha.kea_command#module:control) option), how a change
    is applied and the health bound. It also says which packages are missing.
  - The keadhcp.ha roles call it once per run, on the controller (C(roles/kea_ha/tasks/plan.yml)); other playbooks
    rarely need it.
options:
  _input:
    description: The topology (C(kea_ha_topology)), see C(docs/topology.md).
    type: dict
    required: true
  inputs:
    description:
      - Inventory hostname to that host's inputs, C({settings, probe}).
      - C(settings) holds the roles' variables without their C(kea_ha_) prefix (C(control_address), C(control_port),
        C(control_tls), C(config_dir), C(run_dir), C(data_dir), C(base_config), C(version), C(hooks_dir)...), and of
        the secrets only whether they are there (C(api_password_ok), C(tls_key_set), C(peer_password_users)) and the
        PEM text of the non-secret TLS files (C(tls_trust_anchor), C(tls_cert)).
      - C(probe) is what P(keadhcp.ha.kea_probe#module) found on the host (C(version), C(hooks_dir), C(packages),
        C(services), C(local_fact), C(interfaces)).
    type: dict
    required: true
  hosts:
    description: Plan these hosts of O(inputs) only (the whole topology is validated all the same).
    type: list
    elements: str
  known_hosts:
    description: Inventory hostnames the topology may name (usually C(groups['all'])).
    type: list
    elements: str
  hostvars:
    description:
      - Ansible's C(hostvars), to derive peer URLs from gathered facts and read branches' C(kea_ha_subnets).
    type: raw
"""

EXAMPLES = r"""
- name: Plan every host of the play, once
  ansible.builtin.set_fact:
    deployment: >-
      {{ kea_ha_topology | keadhcp.ha.ha_deployment(
           inputs=dict(ansible_play_hosts | zip(ansible_play_hosts | map('extract', hostvars, 'my_inputs'))),
           known_hosts=groups['all'], hostvars=hostvars) }}
  run_once: true
"""

RETURN = r"""
_value:
  description:
    - C(problems) (every problem of the topology and of the hosts, each naming its relationship, peer, subnet or host),
      C(message) (them as one text), C(refusals) (what the roles refuse, such as passwords written in the topology or
      mixed Kea versions in a relationship), C(warnings) (what the relationships' failure detection lets happen, as
      P(keadhcp.ha.ha_plan#filter) returns and says them), C(plan) (P(keadhcp.ha.ha_plan#filter)'s result), C(family), C(central)
      and C(hosts).
    - C(hosts) maps each host to its state - C(side), C(families), C(version), C(install) (missing packages),
      C(installed), C(directories), C(files), C(agent), C(stop), C(servers); or, for a branch an earlier run deployed and
      the topology no longer names, C({removed - {services, agent, decommission}}).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._deploy import deployment
from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import inventory_options, warn


def ha_deployment(topology, inputs=None, hosts=None, known_hosts=None, hostvars=None):
    if not isinstance(inputs, dict):
        raise AnsibleFilterError("ha_deployment: inputs must be a mapping of hostname to {settings, probe}")
    try:
        return warn(deployment(topology, inputs, hosts=hosts, known_hosts=known_hosts,
                               **inventory_options(topology, hostvars)))
    except ImportError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {"ha_deployment": ha_deployment}
