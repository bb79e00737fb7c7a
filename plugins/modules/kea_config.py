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
  - With C(--diff), shows the running and desired configurations as JSON, passwords masked.
  - In check mode only C(config-test) is sent.
extends_documentation_fragment:
  - keadhcp.ha.connection
  - ansible.builtin.action_common_attributes
attributes:
  diff_mode:
    support: full
options:
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
"""

import json

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import (
    KeaCommandError, KeaError, contains, mask_secrets, project)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import (
    CONNECTION_RULES, connection_argument_spec, connection_from)


def _running(answer):
    running = dict(answer.get("arguments") or {})
    running.pop("hash", None)
    return running


def main():
    spec = dict(config=dict(type="dict", required=True), write=dict(type="bool", default=False),
                force=dict(type="bool", default=False))
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    desired = module.params["config"]
    connection = connection_from(module.params)
    try:
        running = _running(connection.command("config-get"))
        if not module.params["force"] and contains(running, desired):
            module.exit_json(changed=False, tested=False, hash=connection.command("config-get")["arguments"].get("hash"))
        diff = dict(before=json.dumps(mask_secrets(project(running, desired)), indent=2, sort_keys=True) + "\n",
                    after=json.dumps(mask_secrets(desired), indent=2, sort_keys=True) + "\n")
        connection.command("config-test", desired, allow_empty=False)
        if module.check_mode:
            module.exit_json(changed=True, tested=True, diff=diff)
        connection.command("config-set", desired, allow_empty=False)
        if module.params["write"]:
            connection.command("config-write", allow_empty=False)
        current = connection.command("config-get")["arguments"].get("hash")
    except KeaCommandError as exc:
        module.fail_json(msg=str(exc), result=exc.result, text=exc.text)
    except KeaError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=True, tested=True, hash=current, diff=diff)


if __name__ == "__main__":
    main()
