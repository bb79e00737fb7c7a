#!/usr/bin/python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kea_command
short_description: Send a command to a Kea server
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Sends one command to a Kea DHCP server through Kea 2.6's control agent, Kea 3.0's HTTP control socket or
    a local unix control socket, and returns Kea's answer.
  - A result other than success (0) or empty (3) fails the task with Kea's own text.
  - Read-only commands (C(status-get), C(config-get), C(config-test), lease and statistics queries...) never
    report a change. In check mode only read-only commands are sent; others are reported as changes that
    would be made.
extends_documentation_fragment:
  - keadhcp.ha.connection
  - keadhcp.ha.connection.no_diff
  - ansible.builtin.action_common_attributes
options:
  command:
    description: The command, for example C(status-get), C(ha-maintenance-start), C(lease4-get-all).
    type: str
    required: true
  arguments:
    description: The command's C(arguments).
    type: dict
  read_only:
    description:
      - Whether the command changes nothing. Leave unset to use the module's list of Kea's read-only commands;
        set it for commands the list does not know.
    type: bool
"""

EXAMPLES = r"""
- name: Ask a Kea 2.6 server for its HA status through the control agent
  keadhcp.ha.kea_command:
    url: http://127.0.0.1:8000/
    service: [dhcp4]
    user: kea-api
    password_file: /etc/kea/kea-api-password
    command: status-get
  register: status

- name: Put a branch in maintenance (Kea 3.0 HTTP control socket)
  keadhcp.ha.kea_command:
    url: http://127.0.0.1:8000/
    user: kea-api
    password: "{{ kea_ha_api_password }}"
    command: ha-maintenance-start

- name: Leases of subnet 1 through the local unix socket
  keadhcp.ha.kea_command:
    socket: /run/kea/kea4-ctrl-socket
    command: lease4-get-all
    arguments:
      subnets: [1]
"""

RETURN = r"""
result:
  description: Kea's result code (0 success, 3 empty); absent when the command was not sent in check mode.
  type: int
  returned: when sent
text:
  description: Kea's text.
  type: str
  returned: when sent
arguments:
  description: Kea's C(arguments), when the answer has any.
  type: raw
  returned: when sent
sent:
  description: Whether the command was sent (false for a changing command in check mode).
  type: bool
  returned: always
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaCommandError, KeaError, is_read_only
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import (
    CONNECTION_RULES, connection_argument_spec, connection_from)


def main():
    spec = dict(command=dict(type="str", required=True), arguments=dict(type="dict"), read_only=dict(type="bool"))
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    command = module.params["command"]
    read_only = module.params["read_only"]
    if read_only is None:
        read_only = is_read_only(command)
    if module.check_mode and not read_only:
        module.exit_json(changed=True, sent=False, msg="check mode: '%s' changes the server, not sent" % command)
    try:
        answer = connection_from(module.params).command(command, module.params["arguments"])
    except KeaCommandError as exc:
        module.fail_json(msg=str(exc), result=exc.result, text=exc.text, sent=True)
    except KeaError as exc:
        module.fail_json(msg=str(exc), sent=False)
    module.exit_json(changed=not read_only, sent=True, result=answer["result"], text=answer.get("text", ""),
                     arguments=answer.get("arguments"))


if __name__ == "__main__":
    main()
