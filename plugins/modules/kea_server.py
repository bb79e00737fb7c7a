#!/usr/bin/python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kea_server
short_description: Converge a host's Kea servers to the state the keadhcp.ha plan gives it, in one call
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - Takes one host's desired state, as P(keadhcp.ha.ha_deployment#filter) plans it on the controller, and brings the
    host to it, changing only what differs.
  - Directories and files first (contents, owners, modes). A Kea configuration is written beside its destination and
    checked with C(kea-dhcp4 -t) (C(kea-dhcp6 -t), C(kea-ctrl-agent -t)) before it replaces the old file, which is
    kept as a backup; a file Kea refuses is never put in place, and the task fails with Kea's words.
  - Then Kea 2.6's control agent (started, and restarted when its configuration, the control channel's password or
    TLS files changed) or, on Kea 3.0, a control agent left from 2.6 stopped and disabled.
  - Then each DHCP server in turn; started when it is not running (a running server is never restarted), brought to
    its configuration through its unix socket with C(config-test) and C(config-set) (as P(keadhcp.ha.kea_config#module)
    does, with its exact drift record and its takeover guard), then its control channel open and HA healthy (as
    P(keadhcp.ha.kea_ha_health#module) checks). On the Kea versions whose C(config-set) closes the HA listeners
    (3.0.0-3.0.3) a changed configuration is only tested, and RV(restart_required) names the server, which the roles
    restart one at a time.
  - An unchanged host costs this one call, which reports no change.
  - Check mode changes nothing and sends only read commands and C(config-test); with C(--diff) every file (secrets
    hidden) and running configuration that differs is shown.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
options:
  state:
    description:
      - This host's desired state, one item of the C(hosts) that P(keadhcp.ha.ha_deployment#filter) returns; see that filter.
      - Built on the controller by the plan; not meant to be written by hand.
    type: dict
    required: true
  secrets:
    description:
      - The values of the secret files the state names, C({api_password, tls_key, peer_passwords - {user - password}}).
      - Never logged, never shown in a diff.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Converge this host's Kea servers
  keadhcp.ha.kea_server:
    state: "{{ deployment.hosts[inventory_hostname] }}"
    secrets:
      api_password: "{{ kea_ha_api_password }}"
      peer_passwords: "{{ kea_ha_peer_passwords }}"
  register: converged
"""

RETURN = r"""
files:
  description: The directories and files written (or, in check mode, that would be).
  type: list
  elements: str
  returned: always
services:
  description: What was done to systemd units, for example C(start kea-dhcp4-server).
  type: list
  elements: str
  returned: always
servers:
  description:
    - One item per DHCP server, in order - C(family), C(service), C(started), C(method) (how a change was applied,
      C(none), C(config-set) or C(restart)), C(restart_required), C(drift), C(recorded), C(version), C(hash), C(healthy),
      C(waited) and C(relationships) (as P(keadhcp.ha.kea_ha_health#module) returns them).
  type: list
  elements: dict
  returned: always
restart_required:
  description: The families of the servers that must be restarted to run their tested configuration (Kea 3.0.0-3.0.3).
  type: list
  elements: int
  returned: always
"""

import errno
import grp
import os
import pwd
import socket
import stat
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.keadhcp.ha.plugins.module_utils._converge import Converge, ConvergeError
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import Connection
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_module import heartbeat_prober, partner_reader

# Seconds a partner's HA listener is given to answer a heartbeat: what Kea's own HA client gives a request.
PROBE_TIMEOUT = 10


class Host(object):
    """The managed host, as the converge code reaches it."""

    def __init__(self, module):
        self.module = module
        self.heartbeat = heartbeat_prober(PROBE_TIMEOUT)
        self.partner_leases = partner_reader(PROBE_TIMEOUT)
        self.clock = time.time
        self.sleep = time.sleep

    @staticmethod
    def stat(path):
        try:
            found = os.stat(path)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                return None
            raise
        return {"isdir": stat.S_ISDIR(found.st_mode), "mode": "%04o" % stat.S_IMODE(found.st_mode),
                "owner": _name(pwd.getpwuid, found.st_uid), "group": _name(grp.getgrgid, found.st_gid)}

    @staticmethod
    def read(path):
        with open(path, "rb") as handle:
            return handle.read()

    def set_attributes(self, path, owner, group, mode):
        os.chown(path, pwd.getpwnam(owner).pw_uid, grp.getgrnam(group).gr_gid)
        os.chmod(path, int(mode, 8))

    def ensure_directory(self, path, owner, group, mode):
        if not os.path.isdir(path):
            os.makedirs(path)
        self.set_attributes(path, owner, group, mode)

    def write(self, path, data, owner, group, mode, validate=None, backup=False):
        """Replace ``path`` with ``data`` (checked with ``validate`` first); returns Kea's complaint, or None."""
        directory = os.path.dirname(path) or "."
        handle, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            self.set_attributes(temporary, owner, group, mode)
            if validate:
                rc, out, err = self.module.run_command(validate % temporary)
                if rc != 0:
                    return (out + err).strip().replace(temporary, path) or "exit code %d" % rc
            if backup and os.path.exists(path):
                self.module.backup_local(path)
            self.module.atomic_move(temporary, path, unsafe_writes=False)
            temporary = None
        finally:
            if temporary and os.path.exists(temporary):
                os.unlink(temporary)
        self.set_attributes(path, owner, group, mode)
        return None

    def unit(self, name):
        _rc, out, _err = self.module.run_command(["systemctl", "show", "--property",
                                                  "LoadState,ActiveState,UnitFileState", "--", name])
        values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        return {"exists": values.get("LoadState") not in (None, "not-found"),
                "active": values.get("ActiveState") in ("active", "activating", "reloading"),
                "enabled": values.get("UnitFileState") in ("enabled", "enabled-runtime")}

    def systemctl(self, action, name):
        rc, out, err = self.module.run_command(["systemctl", action, name])
        if rc != 0:
            raise ConvergeError("systemctl %s %s failed: %s" % (action, name, (out + err).strip()))

    @staticmethod
    def connection(socket_path):
        return Connection(socket_path=socket_path)

    @staticmethod
    def port_open(address, port):
        try:
            socket.create_connection((address.strip("[]"), int(port)), timeout=2).close()
            return True
        except (IOError, OSError):
            return False


def _name(lookup, number):
    try:
        return lookup(number)[0]
    except KeyError:
        return str(number)


def main():
    module = AnsibleModule(argument_spec=dict(state=dict(type="dict", required=True),
                                              secrets=dict(type="dict", default={}, no_log=True)),
                           supports_check_mode=True)
    try:
        result = Converge(Host(module), module.params["state"], module.params["secrets"], module.check_mode).run()
    except ConvergeError as exc:
        partial = dict(exc.result)
        for warning in partial.pop("warnings", []):
            module.warn(warning)
        module.fail_json(msg=str(exc), **partial)
    for warning in result.pop("warnings"):
        module.warn(warning)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
