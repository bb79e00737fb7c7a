#!/usr/bin/python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kea_ha_health
short_description: Wait until a Kea server's HA listeners are open and its relationships healthy
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Reads the server's running configuration (C(config-get)) and, for each of its HA relationships, sends
    C(ha-heartbeat) to the server's own HA listener (its peer URL) exactly as the partner would, with the TLS
    files and basic-auth user the configuration gives, and reads the relationship's state (C(status-get)).
  - A relationship is healthy when its listener answers and it is in its normal state (C(hot-standby),
    C(load-balancing), C(passive-backup), or C(backup) on a backup server). When the partner is really down
    (nothing answers at its URL), C(partner-down) is healthy too, and so are the states Kea waits in until it
    has seen enough of the failure (C(waiting), C(syncing), C(ready)). A partner that answers but refuses this
    server (an untrusted certificate, HTTP 401 or 403) is not down, and is reported.
  - Waits until every relationship is healthy, failing after O(wait_timeout) seconds with one line per
    relationship that is not, naming its peers, the listener or state seen and what was wanted.
  - The keadhcp.ha roles run it on every host at the end of every run, after a change or not, so that no run
    ends green on a hub whose listeners a C(config-set) closed (Kea 3.0.0-3.0.3) or whose relationships did not
    come back.
  - Sends only read-only commands; runs in check mode too.
extends_documentation_fragment:
  - keadhcp.ha.connection
  - keadhcp.ha.connection.no_diff
  - ansible.builtin.action_common_attributes
options:
  after:
    description: What was just done to the server (for example C(config-set) or C(restart)), for the messages.
    type: str
    default: ""
  wait_timeout:
    description:
      - Seconds to wait for every relationship to be healthy.
      - V(0) derives the bound from the relationships' timers, per relationship three times C(heartbeat-delay)
        plus the longer of C(max-response-delay) and C(sync-timeout), plus 10 seconds (Kea's defaults where
        the configuration gives none).
    type: int
    default: 0
  wait_delay:
    description: Seconds between two looks.
    type: float
    default: 1
  probe_timeout:
    description: Seconds to wait for an HA listener (this server's or the partner's) to answer one heartbeat.
    type: int
    default: 5
"""

EXAMPLES = r"""
- name: Wait until the central's listeners are open and its relationships healthy again
  keadhcp.ha.kea_ha_health:
    socket: /run/kea/kea4-ctrl-socket
    after: config-set

- name: The same from the controller's view of one branch, over its HTTP control channel (Kea 3.0)
  keadhcp.ha.kea_ha_health:
    url: http://127.0.0.1:8000/
    user: kea-api
    password_file: /etc/kea/kea-api-password
    wait_timeout: 30
"""

RETURN = r"""
healthy:
  description: Whether every relationship was healthy at the last look.
  type: bool
  returned: always
relationships:
  description: One item per relationship of the running configuration, as last seen.
  type: list
  elements: dict
  returned: always
  contains:
    local: {description: This server's peer name in the relationship, type: str}
    partner: {description: "The partner's peer name (none in passive-backup mode or on a backup server)", type: str}
    mode: {description: The relationship's HA mode, type: str}
    wanted: {description: The relationship's normal state, type: str}
    state: {description: The state this server reported, type: str}
    listener: {description: URL of this server's HA listener in the relationship, type: str}
    listener_open: {description: Whether that listener answered C(ha-heartbeat), type: bool}
    partner_answers: {description: "Whether the partner's listener answered (asked only when the state is not the normal one)", type: bool}
    partner_state: {description: The state the partner reported in its answer, type: str}
    healthy: {description: Whether this relationship is healthy, type: bool}
version:
  description: The Kea version the server runs (C(version-get)).
  type: str
  returned: always
wait_timeout:
  description: The bound that applied, in seconds.
  type: int
  returned: always
waited:
  description: Seconds spent until every relationship was healthy, or until the bound.
  type: float
  returned: always
"""

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._health import (
    assess, relationships_of, time_bound, wait_healthy)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import Connection, KeaError, ha_relationships
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import (
    CONNECTION_RULES, connection_argument_spec, connection_from, http_opener)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import (
    closes_ha_listeners_on_reconfigure, defect_warning)


def heartbeat_prober(timeout, opener):
    """``heartbeat(endpoint, server_name)`` over HTTP(S), as a partner sends it."""
    def heartbeat(endpoint, server_name):
        tls = dict(endpoint["tls"], validate_certs=True)
        try:
            conn = Connection(url=endpoint["url"], user=endpoint["user"], password=endpoint["password"],
                              password_file=endpoint["password_file"], timeout=timeout, tls=tls, opener=opener)
            answer = conn.command("ha-heartbeat", {"server-name": server_name}, allow_empty=False)
        except KeaError as exc:
            return False, str(exc)
        return True, (answer.get("arguments") or {}).get("state", "?")
    return heartbeat


# Seconds to wait for a server that was just (re)started to answer on its control channel at all.
STARTUP_WAIT = 30


def read_server(connection, clock, sleep, delay):
    """``(version, relationships)`` of the running server, waiting up to STARTUP_WAIT s for it to answer."""
    started = clock()
    while True:
        try:
            version = connection.command("version-get").get("text", "")
            return version, relationships_of(connection.command("config-get").get("arguments") or {})
        except KeaError:
            if clock() - started >= STARTUP_WAIT:
                raise
            sleep(delay)


def run(connection, params, heartbeat, clock, sleep):
    """The module's work, apart from Ansible: returns (result, failure message or None)."""
    version, relationships = read_server(connection, clock, sleep, params["wait_delay"])
    timeout = params["wait_timeout"] or time_bound(relationships)

    def look():
        try:
            reported = ha_relationships(connection.command("status-get"))
        except KeaError as exc:
            raise LookupError("cannot read the HA status: %s" % exc)
        return assess(relationships, reported, heartbeat, params["after"])

    rows, problems, waited = wait_healthy(look, clock, sleep, timeout, params["wait_delay"])
    result = dict(changed=False, healthy=not problems, relationships=rows, version=version,
                  wait_timeout=timeout, waited=waited)
    if not problems:
        return result, None
    message = "HA not healthy after %g s: %s" % (waited, "; ".join(problems))
    if closes_ha_listeners_on_reconfigure(version) and any(row["listener_open"] is False for row in rows):
        message += ". " + defect_warning(version) + " Restart the server to open its listeners again."
    return result, message


def main():
    spec = dict(after=dict(type="str", default=""), wait_timeout=dict(type="int", default=0),
                wait_delay=dict(type="float", default=1), probe_timeout=dict(type="int", default=5))
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    heartbeat = heartbeat_prober(module.params["probe_timeout"], http_opener)
    try:
        result, failure = run(connection_from(module.params), module.params, heartbeat, time.time, time.sleep)
    except (KeaError, ValueError) as exc:
        module.fail_json(msg=str(exc), healthy=False)
    if failure:
        module.fail_json(msg=failure, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
