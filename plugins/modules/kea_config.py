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
  - With C(--diff), shows the running and desired configurations as JSON, passwords masked.
  - In check mode only C(config-test) is sent.
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
version:
  description: The Kea version the server runs (C(version-get)).
  type: str
  returned: always
"""

import json

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import (
    KeaCommandError, KeaError, contains, mask_secrets, project)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import (
    CONNECTION_RULES, connection_argument_spec, connection_from)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import (
    APPLY_METHODS, apply_method, defect_warning)


def bring_to(connection, desired, apply="auto", force=False, write=False, check_mode=False):
    """Bring the server behind ``connection`` to ``desired``; returns the module's result (no Ansible here)."""
    answer = connection.command("config-get")
    running = dict(answer.get("arguments") or {})
    running_hash = running.pop("hash", None)
    version = connection.command("version-get").get("text", "")
    result = dict(changed=False, tested=False, method="none", restart_required=False, version=version,
                  hash=running_hash, warnings=[])
    if not force and contains(running, desired):
        return result
    method = apply_method(apply, version, desired)
    result.update(changed=True, tested=True, method=method, hash=None,
                  diff=dict(before=json.dumps(mask_secrets(project(running, desired)), indent=2, sort_keys=True) + "\n",
                            after=json.dumps(mask_secrets(desired), indent=2, sort_keys=True) + "\n"))
    connection.command("config-test", desired, allow_empty=False)
    if method == "restart":
        result["restart_required"] = True
        if apply == "auto":
            result["warnings"].append(defect_warning(version))
        return result
    if check_mode:
        return result
    connection.command("config-set", desired, allow_empty=False)
    if write:
        connection.command("config-write", allow_empty=False)
    result["hash"] = connection.command("config-get")["arguments"].get("hash")
    return result


def main():
    spec = dict(config=dict(type="dict", required=True), write=dict(type="bool", default=False),
                force=dict(type="bool", default=False),
                apply=dict(type="str", default="auto", choices=list(APPLY_METHODS)))
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    params = module.params
    try:
        result = bring_to(connection_from(params), params["config"], apply=params["apply"], force=params["force"],
                          write=params["write"], check_mode=module.check_mode)
    except KeaCommandError as exc:
        module.fail_json(msg=str(exc), result=exc.result, text=exc.text)
    except KeaError as exc:
        module.fail_json(msg=str(exc))
    for warning in result.pop("warnings"):
        module.warn(warning)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
