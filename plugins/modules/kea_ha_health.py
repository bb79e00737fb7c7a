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
    description:
      - Seconds to wait for an HA listener (this server's or the partner's) to answer one heartbeat.
      - As long as Kea's own HA client gives a partner's request, so that a listener this check gives up on also
        fails its partner.
    type: int
    default: 10
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

from ansible_collections.keadhcp.ha.plugins.module_utils._health import check_server
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaError
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import (
    CONNECTION_RULES, connection_argument_spec, connection_from, heartbeat_prober, http_opener)


def main():
    spec = dict(after=dict(type="str", default=""), wait_timeout=dict(type="int", default=0),
                wait_delay=dict(type="float", default=1), probe_timeout=dict(type="int", default=10))
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    heartbeat = heartbeat_prober(module.params["probe_timeout"], http_opener)
    try:
        params = module.params
        result, failure = check_server(connection_from(params), heartbeat, time.time, time.sleep, after=params["after"],
                                       timeout=params["wait_timeout"], delay=params["wait_delay"])
    except (KeaError, ValueError) as exc:
        module.fail_json(msg=str(exc), healthy=False)
    if failure:
        module.fail_json(msg=failure, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
