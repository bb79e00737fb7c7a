#!/usr/bin/python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kea_config
short_description: Bring a running Kea server to a desired configuration, without restarting it
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Reads the running configuration (C(config-get)) and compares it with O(config). Kea fills in defaults when it
    loads a configuration, so only what O(config) says is compared, and the hash is ignored.
  - When they differ, checks the new configuration (C(config-test)), applies it (C(config-set)) and, with
    O(write), saves it (C(config-write)). A configuration Kea refuses is never applied and the server keeps
    running the old one.
  - Kea 3.0.0-3.0.3 (and 3.1.0-3.1.2) leave the HA listeners closed after a C(config-set), so that no partner
    reaches the server any more. On those versions, read from the server (C(version-get)), a configuration
    loading the HA hook is only tested, the task reports a change with RV(restart_required) and a warning, and
    the caller restarts the server to apply the configuration file (the keadhcp.ha roles do, one server at a
    time). See O(apply).
  - With O(state_file), a change made on the server behind the caller's back is found too, whatever it is (a key
    added, removed or changed); once the configuration is in place, the module records in that file a digest of
    O(config), a digest of what Kea then runs (C(config-get)), the Kea version, and that running configuration with
    its passwords masked. While O(config) and the version stay the same, the server must run exactly what was
    recorded; anything else is drift (RV(drift)), shown in the diff (what runs against what was recorded) and put
    right by applying O(config) again. Without a usable record the comparison is the one above, and a record is
    made when the configuration is found in place.
  - Before it applies anything to a server that covers for an HA partner (a relationship in C(partner-down) or
    C(partner-in-maintenance)), the module fails naming those relationships, unless O(apply_during_outage).
    Applying restarts the server's HA state machines, and such a relationship comes back in C(waiting), answering
    none of the partner's clients for about heartbeat-delay + max-response-delay (70 s with Kea's defaults).
  - With C(--diff), shows the running and desired configurations as JSON, passwords masked.
  - In check mode only read-only commands and C(config-test) are sent, and O(state_file) is not written; a
    refusal for a partner's outage is a warning there. Measured on Kea 2.6.3, 3.0.3 and 3.0.4 (Debian's packages),
    C(config-test) leaves the HA listeners open and the relationships in their state, unlike C(config-set) on
    3.0.3.
extends_documentation_fragment:
  - keadhcp.ha.connection
  - ansible.builtin.action_common_attributes
attributes:
  diff_mode:
    support: full
options:
  apply:
    description:
      - How a changed configuration reaches the server.
      - V(auto) sends C(config-set), except on the Kea versions whose C(config-set) leaves the HA listeners
        closed (3.0.0-3.0.3, 3.1.0-3.1.2) when O(config) loads the HA hook; there the configuration is only tested
        and RV(restart_required) is set.
      - V(config-set) always sends C(config-set), also on those versions (where it breaks HA).
      - V(restart) never sends C(config-set). A changed configuration is tested and RV(restart_required) is set.
      - With V(auto) or V(restart) and RV(restart_required), the running server keeps its old configuration
        until it is restarted with O(config) in its configuration file; O(write) is then not done.
    type: str
    choices: [auto, config-set, restart]
    default: auto
  apply_during_outage:
    description:
      - Apply a changed configuration also while the server covers for an HA partner (a relationship in
        C(partner-down) or C(partner-in-maintenance)); those relationships then restart in C(waiting), and the
        partner's clients get no answer until the server finds the partner gone again.
      - By default the module fails instead, naming those relationships, before it sends anything but reads.
    type: bool
    default: false
  config:
    description: 'The desired configuration, wrapped: C({"Dhcp4": {...}}) or C({"Dhcp6": {...}}).'
    type: dict
    required: true
  force:
    description:
      - Test and apply O(config) even when the running configuration already holds everything it says.
      - The comparison only sees the keys O(config) has, so a setting removed from O(config) keeps its old value
        on the server until the configuration is applied; the keadhcp.ha roles force it when they have just
        written a changed configuration file.
    type: bool
    default: false
  state_file:
    description:
      - File on the managed host where the module records what the server runs once O(config) is in place (see
        the description); written with mode 0600, replaced whole, never in check mode. Its directory must exist.
      - Passwords are masked in the recorded configuration; the digests are of the unmasked ones.
      - Without it, a key added on the server, or one O(config) no longer has, goes unnoticed.
    type: path
  write:
    description:
      - Save the applied configuration to the server's configuration file with C(config-write).
      - Leave it off when the file is managed otherwise (the keadhcp.ha roles write it themselves, validated,
        with a backup); Kea 2.6.3+ can only write into the directory of its own configuration file.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Apply this host's configuration to the running server
  keadhcp.ha.kea_config:
    url: http://127.0.0.1:8000/
    service: [dhcp4]
    user: kea-api
    password_file: /etc/kea/kea-api-password
    config: "{{ lookup('ansible.builtin.file', 'kea-dhcp4.conf') | from_json }}"

- name: The same, putting right any change made on the server since the last run
  keadhcp.ha.kea_config:
    socket: /run/kea/kea4-ctrl-socket
    config: "{{ lookup('ansible.builtin.file', 'kea-dhcp4.conf') | from_json }}"
    state_file: /var/lib/kea/keadhcp-ha-dhcp4.json
"""

RETURN = r"""
hash:
  description: Kea's hash of the configuration it runs after the task.
  type: str
  returned: success
tested:
  description: Whether C(config-test) was sent (the configurations differed).
  type: bool
  returned: always
method:
  description: How the change was applied, or is to be applied.
  type: str
  returned: always
  choices: [none, config-set, restart]
restart_required:
  description:
    - Whether the server must be restarted, with O(config) in its configuration file, to run it (see O(apply)).
    - The configuration was tested by the running server and not applied.
  type: bool
  returned: always
drift:
  description: Whether the server ran something else than what O(state_file) recorded for O(config).
  type: bool
  returned: always
recorded:
  description: Whether O(state_file) was written (a new record, or a changed one).
  type: bool
  returned: always
version:
  description: The Kea version the server runs (C(version-get)).
  type: str
  returned: always
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaCommandError, KeaError
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_apply import bring_to  # noqa: F401  (tests use it here)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import (
    CONNECTION_RULES, connection_argument_spec, connection_from)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import APPLY_METHODS


def main():
    spec = dict(config=dict(type="dict", required=True), write=dict(type="bool", default=False),
                force=dict(type="bool", default=False), state_file=dict(type="path"),
                apply_during_outage=dict(type="bool", default=False),
                apply=dict(type="str", default="auto", choices=list(APPLY_METHODS)))
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    params = module.params
    try:
        result = bring_to(connection_from(params), params["config"], apply=params["apply"], force=params["force"],
                          write=params["write"], check_mode=module.check_mode, state_file=params["state_file"],
                          apply_during_outage=params["apply_during_outage"])
    except KeaCommandError as exc:
        module.fail_json(msg=str(exc), result=exc.result, text=exc.text)
    except KeaError as exc:
        module.fail_json(msg=str(exc))
    for warning in result.pop("warnings"):
        module.warn(warning)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
