# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """How the keadhcp.ha modules reach a Kea server."""

    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
  platform:
    platforms: posix
options:
  url:
    description:
      - URL of an HTTP(S) control channel, for example C(http://127.0.0.1:8000/).
      - With Kea 2.6 this is the control agent (C(kea-ctrl-agent)); give O(service) so that it knows which daemon
        to forward to. With Kea 3.0 it is the daemon's own HTTP control socket.
      - Not an HA listener's URL; Kea 3.0 refuses administrative commands there.
      - Exactly one of O(url), O(socket) and O(control) is required.
    type: str
  socket:
    description: Path of the server's unix control socket, for example C(/run/kea/kea4-ctrl-socket), on the managed host.
    type: path
  service:
    description: Daemons the Kea 2.6 control agent forwards the command to, for example C([dhcp4]). Ignored by Kea 3.0 daemons.
    type: list
    elements: str
  user:
    description: Basic-auth user.
    type: str
  password:
    description: Basic-auth password. Never logged.
    type: str
  password_file:
    description: File on the managed host holding the basic-auth password (read there, never logged).
    type: path
  ca_path:
    description: CA certificate (PEM) to verify an HTTPS control channel with.
    type: path
  client_cert:
    description: Client certificate (PEM) for a control channel that requires one.
    type: path
  client_key:
    description: Private key of O(client_cert).
    type: path
  control:
    description:
      - Where and how to reach the server, as one object with the keys of the options above (V(url) or V(socket),
        V(service), V(user), V(password) or V(password_file), V(ca_path), V(client_cert), V(client_key)).
      - This is what the keadhcp.ha roles record for each server in the local fact C(keadhcp_ha)
        (C(ansible_local.keadhcp_ha.servers[].control)) and what P(keadhcp.ha.ha_deployment#filter) plans, so that a task
        passes it whole.
      - Mutually exclusive with each of those options, so that a O(control) from C(module_defaults) and a O(url) from the
        task never combine into credentials meant for another server.
    type: dict
    suboptions:
      url:
        description: As O(url).
        type: str
      socket:
        description: As O(socket).
        type: path
      service:
        description: As O(service).
        type: list
        elements: str
      user:
        description: As O(user).
        type: str
      password:
        description: As O(password).
        type: str
      password_file:
        description: As O(password_file).
        type: path
      ca_path:
        description: As O(ca_path).
        type: path
      client_cert:
        description: As O(client_cert).
        type: path
      client_key:
        description: As O(client_key).
        type: path
  validate_certs:
    description: Verify the HTTPS server's certificate. Leave it on outside tests.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for an answer.
    type: int
    default: 10
"""

    # Modules that never show a diff (they change nothing, or nothing worth a diff).
    NO_DIFF = r"""
attributes:
  diff_mode:
    support: none
"""
