#!/usr/bin/python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kea_probe
short_description: Read, in one call, what a host has of Kea before anything is planned or changed
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Reads the Kea version (C(kea-dhcp4 -V) or C(kea-dhcp6 -V)), the directory holding C(libdhcp_ha.so), which of the
    given packages are installed (C(dpkg-query), where there is one), the state of the given systemd units, the local
    fact C(keadhcp_ha) an earlier run of the roles wrote, and the host's network interfaces.
  - The keadhcp.ha roles run it once per host and run, before they plan every host on the controller
    (P(keadhcp.ha.ha_deployment#filter)); nothing is changed on the host.
  - With O(network), also returns the host's network facts, as C(ansible.builtin.setup) with
    C(gather_subset=network) does, so that peer URLs can be derived from interface addresses without a second call.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.facts
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  facts:
    support: full
  platform:
    platforms: posix
options:
  daemons:
    description: Kea daemons to ask for their version, in order; the first that answers gives RV(version).
    type: list
    elements: str
    default: [kea-dhcp4, kea-dhcp6]
  hooks_dirs:
    description: Directories (shell patterns) to look for C(libdhcp_ha.so) in, in order.
    type: list
    elements: str
    default: [/usr/lib/*/kea/hooks, /usr/lib/kea/hooks, /usr/lib64/kea/hooks, /usr/local/lib/kea/hooks]
  packages:
    description: Packages whose installation to check.
    type: list
    elements: str
    default: []
  services:
    description: systemd units whose state to read.
    type: list
    elements: str
    default: []
  facts_dir:
    description: Directory of Ansible's local facts, where the roles write C(keadhcp_ha.fact).
    type: path
    default: /etc/ansible/facts.d
  network:
    description: Also gather the host's network facts (returned as facts, like C(ansible.builtin.setup)'s).
    type: bool
    default: false
  controller_clock:
    description:
      - The controller's clock (seconds since the epoch) when the task was given to this host, for example
        C({{ now().timestamp() }}); the module returns how far the host's clock is from it in RV(clock_offset).
      - C(playbooks/site.yml)'s first play compares the offsets of the two ends of each relationship and warns when
        they differ by more than 30 s, past which Kea warns, before Kea ends HA for the relationship (past 60 s).
      - The offset includes the time the module took to reach the host (usually under a second or two).
    type: float
"""

EXAMPLES = r"""
- name: Read what this host has of Kea
  keadhcp.ha.kea_probe:
    packages: [kea-dhcp4-server, kea-ctrl-agent]
    services: [kea-ctrl-agent]
  register: probe
"""

RETURN = r"""
version:
  description: The Kea version the first answering daemon printed (for example C(2.6.3)); empty when none answers.
  type: str
  returned: always
hooks_dir:
  description: The first directory holding C(libdhcp_ha.so); empty when there is none.
  type: str
  returned: always
packages:
  description: Those of O(packages) that are installed; null where the host has no C(dpkg-query) to tell.
  type: list
  elements: str
  returned: always
services:
  description: Each unit of O(services) that systemd knows, with C(active) and C(enabled) (booleans).
  type: dict
  returned: always
local_fact:
  description: The local fact C(keadhcp_ha) an earlier run wrote (parsed), or null.
  type: dict
  returned: always
interfaces:
  description: The names of the host's network interfaces.
  type: list
  elements: str
  returned: always
clock_offset:
  description: Seconds the host's clock is ahead of O(controller_clock) (negative when behind), whole seconds.
  type: int
  returned: with O(controller_clock)
"""

import glob
import json
import os
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._probe import first_version, installed, unit_states

FACT_FILE = "keadhcp_ha.fact"


def _run(module, argv):
    if not module.get_bin_path(argv[0]):
        return None
    rc, out, _err = module.run_command(argv)
    return out if rc == 0 else None


def _network_facts(module):
    """The network facts, gathered by Ansible's own collector (what setup's gather_subset=network returns)."""
    from ansible.module_utils.facts import ansible_collector, default_collectors
    from ansible.module_utils.facts.namespace import PrefixFactNamespace

    collector = ansible_collector.get_ansible_collector(
        all_collector_classes=default_collectors.collectors,
        namespace=PrefixFactNamespace(namespace_name="ansible", prefix="ansible_"),
        filter_spec="*", gather_subset=["!all", "!min", "network"], gather_timeout=10,
        minimal_gather_subset=frozenset())
    return collector.collect(module=module)


def _local_fact(path):
    try:
        with open(path) as handle:
            fact = json.load(handle)
    except (IOError, OSError, ValueError):
        return None
    return fact if isinstance(fact, dict) else None


def main():
    started = time.time()  # the host's clock, as soon as the module runs
    module = AnsibleModule(argument_spec=dict(
        daemons=dict(type="list", elements="str", default=["kea-dhcp4", "kea-dhcp6"]),
        hooks_dirs=dict(type="list", elements="str",
                        default=["/usr/lib/*/kea/hooks", "/usr/lib/kea/hooks", "/usr/lib64/kea/hooks",
                                 "/usr/local/lib/kea/hooks"]),
        packages=dict(type="list", elements="str", default=[]),
        services=dict(type="list", elements="str", default=[]),
        facts_dir=dict(type="path", default="/etc/ansible/facts.d"),
        network=dict(type="bool", default=False),
        controller_clock=dict(type="float"),
    ), supports_check_mode=True)
    params = module.params
    version = first_version(_run(module, [daemon, "-V"]) for daemon in params["daemons"])
    hooks_dir = ""
    for pattern in params["hooks_dirs"]:
        found = sorted(path for path in glob.glob(pattern) if os.path.exists(os.path.join(path, "libdhcp_ha.so")))
        if found:
            hooks_dir = found[0]
            break
    packages = None
    if params["packages"] and module.get_bin_path("dpkg-query"):
        rc, out, _err = module.run_command(["dpkg-query", "-W", "-f", "${db:Status-Status} ${Package}\\n"]
                                           + params["packages"])
        packages = installed(out)
    elif not params["packages"]:
        packages = []
    services = {}
    if params["services"] and module.get_bin_path("systemctl"):
        _rc, out, _err = module.run_command(["systemctl", "show", "--property", "Id,LoadState,ActiveState,UnitFileState",
                                             "--"] + [unit if "." in unit else unit + ".service"
                                                      for unit in params["services"]])
        services = unit_states(out, params["services"])
    result = dict(changed=False, version=version, hooks_dir=hooks_dir, packages=packages, services=services,
                  local_fact=_local_fact(os.path.join(params["facts_dir"], FACT_FILE)))
    if params["controller_clock"] is not None:
        result["clock_offset"] = int(round(started - params["controller_clock"]))
    facts = _network_facts(module) if params["network"] else {}
    if facts:
        result["ansible_facts"] = facts
    if os.path.isdir("/sys/class/net"):
        result["interfaces"] = sorted(os.listdir("/sys/class/net"))
    else:
        result["interfaces"] = sorted((facts or _network_facts(module)).get("ansible_interfaces") or [])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
