# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_status_report
short_description: Every HA relationship of a hub-and-spoke topology seen from both ends
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Puts side by side what the central and each branch report for their relationship
    (the C(relationships) returned by M(keadhcp.ha.kea_ha_status) on each host), as rows for monitoring,
    a text table for people, and the problems (every end not in an expected state, or unreadable).
extends_documentation_fragment:
  - keadhcp.ha.topology
options:
  reports:
    description:
      - Inventory hostname to what M(keadhcp.ha.kea_ha_status) registered there (failed or unreachable results
        included), or directly to its C(relationships) list, or to a string saying why it could not be read.
      - A host of the topology missing from it counts as unreadable.
      - A host's value may be a registered loop of M(keadhcp.ha.kea_ha_status) over its servers, each C(item) with
        its C(family), as C(playbooks/status.yml) registers it. For a dual-stack topology (C(family=dual)) each
        server's result goes to that server's rows (or a mapping of 4 and 6 to each result); one value that is not a loop
        (an unreachable host) stands for both. The rows then carry C(family), the table a C(server) column, and
        each problem starts with its server (C(DHCPv6 relationship 1 ...)).
    type: dict
    required: true
  expected:
    description: States every end of every relationship should be in.
    type: list
    elements: str
    default: [hot-standby]
  probes:
    description:
      - "Inventory hostname to C({peer name: message}): what that host saw when it contacted the partner's HA URL
        itself as that peer (C(playbooks/status.yml) does so for the relationships not in an expected state)."
      - Appended to the problem of that end, where it usually tells why a relationship is stuck.
      - A host's value may also be the registered result of a loop of C(ha-heartbeat) probes with
        M(keadhcp.ha.kea_command) over the relationships of its P(keadhcp.ha.ha_plan#filter) slice, as
        C(playbooks/status.yml) registers it; the messages are then made from it.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Build the report
  ansible.builtin.set_fact:
    report: "{{ kea_ha_topology | keadhcp.ha.ha_status_report(reports, expected=['hot-standby']) }}"

- name: Show it
  ansible.builtin.debug:
    msg: "{{ report.table }}"
"""

RETURN = r"""
_value:
  description: The report.
  type: dict
  contains:
    rows:
      description: One mapping per relationship with C(central) and C(branch) views, C(ok) and C(problems).
      type: list
      elements: dict
    table:
      description: A fixed-width text table, one line per relationship after the header.
      type: list
      elements: str
    problems:
      description: Every end not in an expected state, naming the relationship, peer and host.
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._schema import DUAL_STACK
from ansible_collections.keadhcp.ha.plugins.module_utils._status import dual_stack_rows, probe_texts, status_rows, table
from ansible_collections.keadhcp.ha.plugins.plugin_utils._filters import model


def _report(value):
    """A host's relationships, or why there are none, from what the play registered."""
    if isinstance(value, dict) and isinstance(value.get("results"), list) and len(value["results"]) == 1:
        value = value["results"][0]  # a loop over the host's one server (playbooks/status.yml)
    if isinstance(value, dict):
        if value.get("unreachable"):
            return "host unreachable: %s" % value.get("msg", "")
        if value.get("failed"):
            return value.get("msg") or "the status could not be read"
        if "relationships" in value:
            return value["relationships"]
        return "no status was read"
    if value is None:
        return "no status was read"
    return value


def _leases(value):
    """A host's (one server's) ``{leases, read_at}``, when its read returned them."""
    if isinstance(value, dict) and isinstance(value.get("results"), list) and len(value["results"]) == 1:
        value = value["results"][0]
    if isinstance(value, dict) and isinstance(value.get("leases"), list) and not value.get("failed"):
        return {"leases": value["leases"], "read_at": value.get("read_at")}
    return None


def _probes(value):
    """A host's probes: a registered loop of ha-heartbeat probes over its plan's relationships, or {name: text}."""
    if isinstance(value, dict) and isinstance(value.get("results"), list):
        return probe_texts(value["results"])
    if isinstance(value, dict) and all(isinstance(text, str) for text in value.values()):
        return value
    return {}


def _family_of(result):
    """The family of one result of a loop over a host's servers (or over a dual-stack plan's relationships)."""
    item = result.get("item") if isinstance(result, dict) else None
    try:
        return int(item.get("family")) if isinstance(item, dict) else None
    except (TypeError, ValueError):
        return None


def _per_server(value, families, probes=False):
    """A dual-stack host's value, by family: a registered loop over its servers (each ``item`` with its ``family``)
    split, or ``{4: ..., 6: ...}`` as given; anything else (an unreachable host) stands for every server."""
    if isinstance(value, dict) and isinstance(value.get("results"), list):
        split = dict((family, []) for family in families)
        for result in value["results"]:
            if _family_of(result) in split:
                split[_family_of(result)].append(result)
        if value.get("msg") and not value["results"]:  # the loop itself failed
            return dict((family, value) for family in families)
        # a loop over the servers gives one status each; a loop of probes any number of results each
        if probes:
            return dict((family, {"results": results}) for family, results in split.items())
        return dict((family, results[0] if results else None) for family, results in split.items())
    if isinstance(value, dict) and value and all(str(key) in ("4", "6") for key in value):
        return dict((family, value.get(family, value.get(str(family)))) for family in families)
    return dict((family, value) for family in families)


def ha_status_report(topology, reports, expected=None, probes=None, base=None, host_base=None,
                     control_endpoints=None, known_hosts=None, hostvars=None):
    if not isinstance(reports, dict):
        raise AnsibleFilterError("ha_status_report: reports must map hostnames to kea_ha_status results")
    validated = model(topology, hostvars, base=base, host_base=host_base, control_endpoints=control_endpoints,
                      known_hosts=known_hosts)
    if probes is not None and not isinstance(probes, dict):
        raise AnsibleFilterError("ha_status_report: probes must map hostnames to {peer name: message}, or to the "
                                 "registered results of a loop of ha-heartbeat probes")
    expected = list(expected or ["hot-standby"])
    if validated.family == DUAL_STACK:
        by_family = dict((family, {}) for family in validated.families)
        probes_by_family = dict((family, {}) for family in validated.families)
        leases_by_family = dict((family, {}) for family in validated.families)
        for host, value in reports.items():
            for family, part in _per_server(value, validated.families).items():
                by_family[family][host] = _report(part)
                leases_by_family[family][host] = _leases(part)
        for host, value in (probes or {}).items():
            for family, part in _per_server(value, validated.families, probes=True).items():
                probes_by_family[family][host] = _probes(part)
        rows = dual_stack_rows(validated, by_family, expected, probes=probes_by_family, leases=leases_by_family)
        return {"rows": rows, "table": table(rows), "problems": [p for row in rows for p in row["problems"]]}
    leases = dict((host, _leases(value)) for host, value in reports.items())
    reports = dict((host, _report(value)) for host, value in reports.items())
    if probes is not None:
        probes = dict((host, _probes(value)) for host, value in probes.items())
    rows = status_rows(validated, reports, expected, probes=probes, leases=leases)
    return {"rows": rows, "table": table(rows), "problems": [p for row in rows for p in row["problems"]]}


class FilterModule(object):
    def filters(self):
        return {"ha_status_report": ha_status_report}
