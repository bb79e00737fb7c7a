# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every keadhcp.ha filter shares: inventory data in, model errors out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology


def call(function, *args, **kwargs):
    """Run a model function; report its problems as one AnsibleFilterError."""
    try:
        return function(*args, **kwargs)
    except TopologyError as exc:
        raise AnsibleFilterError(str(exc))
    except ImportError as exc:
        raise AnsibleFilterError(str(exc))


def warn(planned):
    """Say the plan's warnings (split brain, slow takeovers) as Ansible warnings: once per run, whoever asks."""
    for text in planned.get("warnings") or []:
        # Display says a warning it has said before no more in the same run
        Display().warning(text)
    return planned


def topology_hosts(topology):
    """The inventory hostnames a topology names (strings only; validation reports the rest)."""
    if not isinstance(topology, dict):
        return [], []
    central = topology.get("central")
    branches = []
    relationships = topology.get("relationships")
    for rel in relationships if isinstance(relationships, list) else []:
        branch = rel.get("branch") if isinstance(rel, dict) else None
        host = branch.get("host") if isinstance(branch, dict) else None
        if isinstance(host, str):
            branches.append(host)
    return ([central] if isinstance(central, str) else []), branches


def inventory_options(topology, hostvars):
    """``facts`` and ``host_subnets`` for load_topology, read from Ansible's ``hostvars``.

    Only the topology's hosts are read: their gathered facts (to derive peer
    URLs) and, for branches, ``kea_ha_subnets`` (subnets kept in host_vars).
    """
    if hostvars is None:
        return {}
    facts, subnets = {}, {}
    central, branches = topology_hosts(topology)
    for host in central + branches:
        if host not in hostvars:
            continue
        variables = hostvars[host]
        gathered = variables.get("ansible_facts")
        if gathered:
            facts[host] = dict(gathered)
        if host in branches and variables.get("kea_ha_subnets") is not None:
            subnets[host] = variables.get("kea_ha_subnets")
    return {"facts": facts, "host_subnets": subnets}


def model(topology, hostvars=None, **options):
    """The validated topology, with inventory data when ``hostvars`` is given."""
    options.update(inventory_options(topology, hostvars))
    return call(load_topology, topology, **options)
