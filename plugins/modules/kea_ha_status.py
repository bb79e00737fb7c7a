#!/usr/bin/python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kea_ha_status
short_description: The state of every HA relationship of a Kea server
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Reads C(status-get) and returns, for each HA relationship of the server, the local peer's name, role, state
    and scopes, and what it knows of its partner.
  - Can wait until every relationship is in one of the given states, failing after O(wait_timeout) seconds with
    the relationships that did not get there.
extends_documentation_fragment:
  - keadhcp.ha.connection
  - keadhcp.ha.connection.no_diff
  - ansible.builtin.action_common_attributes
options:
  wait_for:
    description: States to wait for (for example C([hot-standby])). Without it, the status is read once.
    type: list
    elements: str
  server_names:
    description:
      - Wait only for the relationships in which this server has one of these names (its own peer name in
        each relationship). Others are returned but not waited for.
      - A name that matches no relationship of the server is an error.
    type: list
    elements: str
  wait_timeout:
    description: Seconds to wait for O(wait_for).
    type: int
    default: 60
  wait_delay:
    description: Seconds between two reads while waiting.
    type: float
    default: 1
  heartbeat:
    description:
      - Once the status is read, also send the server C(ha-heartbeat) for each of its relationships (naming it
        with C(server-name)), and return in C(local.unsent_update_count) how many lease updates the server did
        not send to that partner (Kea counts them while it cannot reach the partner, in C(partner-down)).
        C(status-get) does not report that number; C(ha-heartbeat) does.
      - A relationship whose heartbeat fails has no C(unsent_update_count), and the module warns with Kea's
        reason; the status read still succeeds.
    type: bool
    default: false
  leases:
    description:
      - Also return every lease of the server (C(lease4-get-all) for V(4), C(lease6-get-all) for V(6), the family of
        the server asked), with only the keys that tell a lease and its client apart, in RV(leases), and the time
        of the read in RV(read_at). C(playbooks/status.yml) compares them between the two ends of each relationship.
      - Needs the C(libdhcp_lease_cmds.so) hook, which every server the keadhcp.ha roles set up loads.
    type: int
    choices: [4, 6]
  controller_clock:
    description:
      - The controller's clock (seconds since the epoch) when the task was given to this host, for example
        C({{ now().timestamp() }}). The module then reads Kea's own clock (the C(date-time) of one C(ha-heartbeat))
        and returns how far it is from the controller's in RV(clock_offset) and in each relationship's
        C(local.clock_offset); C(playbooks/status.yml) compares the two ends of each relationship with it (Kea
        warns past 30 s of difference and ends HA for the relationship past 60 s, and reports it only in its log).
      - The time the module spends on the host is taken out; the time it took to reach the host (usually under
        a second or two) is not.
    type: float
"""

EXAMPLES = r"""
- name: Wait until every relationship of the central is in hot-standby
  keadhcp.ha.kea_ha_status:
    url: http://127.0.0.1:8000/
    service: [dhcp4]
    user: kea-api
    password_file: /etc/kea/kea-api-password
    wait_for: [hot-standby]
    wait_timeout: 120
  register: ha

- name: Read the central's status once, with how many lease updates each partner is missing
  keadhcp.ha.kea_ha_status:
    url: http://127.0.0.1:8000/
    service: [dhcp4]
    user: kea-api
    password_file: /etc/kea/kea-api-password
    heartbeat: true
  register: ha_now

- name: Show each relationship
  ansible.builtin.debug:
    msg: "{{ ha.relationships | map(attribute='local.name') | zip(ha.relationships | map(attribute='local.state')) }}"
"""

RETURN = r"""
relationships:
  description: One item per relationship, in configuration order.
  type: list
  elements: dict
  returned: always
  contains:
    mode:
      description: The relationship's HA mode.
      type: str
    local:
      description: This server in the relationship.
      type: dict
      contains:
        name: {description: Peer name, type: str}
        role: {description: "Role: primary, secondary, standby or backup", type: str}
        state: {description: HA state, type: str}
        scopes: {description: Scopes this server serves, type: list, elements: str}
        unsent_update_count:
          description: Lease updates this server did not send to its partner, from C(ha-heartbeat).
          type: int
          returned: with O(heartbeat), for each relationship whose heartbeat was answered
        clock_offset:
          description: Seconds Kea's clock is ahead of O(controller_clock) (negative when behind).
          type: int
          returned: with O(controller_clock), when the server answered C(ha-heartbeat)
    remote:
      description: The partner, as this server last saw it.
      type: dict
      contains:
        name: {description: Peer name, type: str}
        role: {description: Role, type: str}
        last_state: {description: Last state reported by the partner, type: str}
        in_touch: {description: Whether the partner answered lately, type: bool}
        communication_interrupted: {description: Whether communication is interrupted, type: bool}
        unacked_clients: {description: Clients the partner left unanswered, type: int}
        unacked_clients_left:
          description: How many more unanswered clients it takes before this server may take over (0 while in touch).
          type: int
        connecting_clients: {description: Clients trying to reach the partner, type: int}
        analyzed_packets: {description: Packets examined since communication with the partner was interrupted, type: int}
        age: {description: Seconds since the partner's state was last read, type: int}
waited:
  description: Seconds spent waiting for O(wait_for).
  type: float
  returned: always
leases:
  description:
    - Every lease of the server, each with C(ip-address), C(subnet-id), C(state), C(cltt), C(valid-lft) and its client
      (C(hw-address) or C(client-id); C(duid), C(iaid), C(type) and C(prefix-len) for DHCPv6).
  type: list
  elements: dict
  returned: with O(leases)
clock_offset:
  description: Seconds Kea's clock is ahead of O(controller_clock) (negative when behind), whole seconds.
  type: int
  returned: with O(controller_clock), when the server answered C(ha-heartbeat)
read_at:
  description: When the leases were read, in seconds since the epoch (the host's clock).
  type: float
  returned: with O(leases)
"""

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._clock import offset
from ansible_collections.keadhcp.ha.plugins.module_utils._health import wait_healthy
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import (
    KeaError, ha_relationships, relationships_not_in)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import (
    CONNECTION_RULES, connection_argument_spec, connection_from)


class UnknownNames(Exception):
    """The server has no relationship by some of the names asked for (not worth waiting for)."""


def lagging(relationships, states, names):
    """The relationships (of those named, or all) not in one of ``states``; UnknownNames for a name matching none."""
    watched = relationships
    if names:
        unknown = sorted(set(names) - set(rel["local"]["name"] for rel in relationships))
        if unknown:
            raise UnknownNames("this server has no relationship in which it is named %s (it has: %s)" % (
                ", ".join(unknown), ", ".join(rel["local"]["name"] or "?" for rel in relationships)))
        watched = [rel for rel in relationships if rel["local"]["name"] in names]
    if not states:
        return []
    if not relationships:
        return [{"local": {"name": "(none)", "state": "no HA relationship configured"}}]
    return relationships_not_in(watched, states)


def add_unsent_updates(connection, relationships):
    """Ask ``ha-heartbeat`` of each relationship; set ``local.unsent_update_count``; return one warning per failure."""
    warnings = []
    for rel in relationships:
        name = rel["local"].get("name")
        try:
            answer = connection.command("ha-heartbeat", {"server-name": name} if name else None)
        except KeaError as exc:
            warnings.append("relationship %s: no unsent update count: %s" % (name, exc))
            continue
        count = (answer.get("arguments") or {}).get("unsent-update-count")
        if isinstance(count, int) and not isinstance(count, bool):
            rel["local"]["unsent_update_count"] = count
    return warnings


def add_clock_offset(connection, relationships, reference):
    """Read Kea's clock (one ``ha-heartbeat``'s ``date-time``); set ``local.clock_offset`` of every relationship
    to its offset from ``reference`` (the controller's clock, moved on by the time spent here); return the offset,
    or None with a warning when the server did not tell its time."""
    names = [rel["local"].get("name") for rel in relationships if rel["local"].get("name") not in (None, "(none)")]
    if not names:
        return None, None
    try:
        answer = connection.command("ha-heartbeat", {"server-name": names[0]})
    except KeaError as exc:
        return None, "no clock offset: %s" % exc
    found = offset((answer.get("arguments") or {}).get("date-time"), reference)
    if found is None:
        return None, "no clock offset: ha-heartbeat returned no date-time"
    for rel in relationships:
        rel["local"]["clock_offset"] = found
    return found, None


# What a lease keeps of lease4-get-all's / lease6-get-all's entries: enough to tell it and its client apart.
LEASE_KEYS = ("ip-address", "subnet-id", "state", "cltt", "valid-lft", "hw-address", "client-id", "duid", "iaid",
              "type", "prefix-len")


def read_leases(connection, family, clock):
    """``(leases, read_at)``: every lease of the server, with LEASE_KEYS only."""
    answer = connection.command("lease%d-get-all" % family, allow_empty=True)
    leases = [dict((key, lease[key]) for key in LEASE_KEYS if key in lease)
              for lease in (answer.get("arguments") or {}).get("leases") or []]
    return leases, clock()


def run(connection, params, clock, sleep):
    """The module's work, apart from Ansible: ``(result, failure message or None)``.

    Without ``wait_for`` the status is read once; with it, read again every
    ``wait_delay`` seconds (a server that cannot be read included) until
    every watched relationship is in one of those states, or ``wait_timeout``.
    """
    states = params["wait_for"]
    seen = {"relationships": [], "error": None}
    started = clock()

    def look():
        try:
            seen["relationships"] = ha_relationships(connection.command("status-get"))
            seen["error"] = None
        except KeaError as exc:
            seen["error"] = str(exc)
            raise LookupError(seen["error"])
        behind = lagging(seen["relationships"], states, params["server_names"])
        return behind, ["%s (%s)" % (rel["local"]["name"], rel["local"]["state"]) for rel in behind]

    try:
        _behind, problems, waited = wait_healthy(look, clock, sleep, params["wait_timeout"] if states else 0,
                                                 params["wait_delay"])
    except UnknownNames as exc:
        return dict(changed=False, relationships=seen["relationships"], waited=0.0), str(exc)
    result = dict(changed=False, relationships=seen["relationships"], waited=waited)
    if seen["error"]:
        return result, seen["error"]
    if params.get("heartbeat"):
        warnings = add_unsent_updates(connection, seen["relationships"])
        if warnings:
            result["warnings"] = warnings
    if params.get("controller_clock") is not None:
        # the controller's clock now: as given, moved on by the time this module has spent on the host
        reference = params["controller_clock"] + (clock() - started)
        found, warning = add_clock_offset(connection, seen["relationships"], reference)
        if found is not None:
            result["clock_offset"] = found
        elif warning:
            result.setdefault("warnings", []).append(warning)
    if params.get("leases"):
        try:
            result["leases"], result["read_at"] = read_leases(connection, params["leases"], clock)
        except KeaError as exc:
            return result, "cannot read the leases: %s" % exc
    if problems:
        return result, "after %.0f s, not in %s: %s" % (waited, "/".join(states), ", ".join(problems))
    return result, None


def main():
    spec = dict(wait_for=dict(type="list", elements="str"), server_names=dict(type="list", elements="str"),
                wait_timeout=dict(type="int", default=60),
                wait_delay=dict(type="float", default=1), heartbeat=dict(type="bool", default=False),
                leases=dict(type="int", choices=[4, 6]), controller_clock=dict(type="float"))
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    result, failure = run(connection_from(module.params), module.params, time.time, time.sleep)
    for warning in result.pop("warnings", []):
        module.warn(warning)
    if failure:
        module.fail_json(msg=failure, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
