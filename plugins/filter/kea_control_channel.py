# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kea_control_channel
short_description: How to reach a host's Kea control channel, as the keadhcp.ha roles set it up
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - From a host's control-channel settings (the roles' variables without their C(kea_ha_) prefix), the connection
    options of the keadhcp.ha modules - the HTTP(S) URL and the C(service) list, the unix control socket, the user,
    the password file and, with TLS, the CA and this host's client certificate and key.
  - The roles use it to configure the channel and write the result as the local fact C(keadhcp_ha) (in
    C(/etc/ansible/facts.d)), which the operations playbooks read, so that they reach each server exactly as it
    was set up.
options:
  _input:
    description:
      - C(control_address), C(control_port), C(control_tls) (boolean), C(tls_dir), C(config_dir), C(run_dir) and
        C(api_user).
      - For a host of a dual-stack topology also C(dual_stack) (true) and C(version) (Kea's major.minor, empty when
        not known yet) - on Kea 3.0 (or not known) the DHCPv6 server's channel listens 500 above C(control_port),
        on Kea 2.6 the one control agent serves both servers on C(control_port).
    type: dict
    required: true
  family:
    description: The server's family, 4 or 6 (the topology's, or one server of a dual-stack host).
    type: int
    required: true
"""

EXAMPLES = r"""
- name: The control channel of this host
  ansible.builtin.debug:
    msg: >-
      {{ {'control_address': '127.0.0.1', 'control_port': 8000, 'control_tls': true, 'tls_dir': '/etc/kea/tls',
          'config_dir': '/etc/kea', 'run_dir': '/run/kea', 'api_user': 'kea-api'}
         | keadhcp.ha.kea_control_channel(family=4) }}
  # url https://127.0.0.1:8000/, service [dhcp4], socket /run/kea/kea4-ctrl-socket, user kea-api,
  # password_file /etc/kea/kea-api-password, ca_path /etc/kea/tls/ca.pem, client_cert ..., client_key ...
"""

RETURN = r"""
_value:
  description: The connection options.
  type: dict
  contains:
    url: {description: "The HTTP(S) control channel, e.g. C(http://127.0.0.1:8000/), C(https://[::1]:8000/)", type: str}
    service: {description: "C([dhcp4]) or C([dhcp6]), for Kea 2.6's control agent", type: list, elements: str}
    socket: {description: The server's unix control socket on the host, type: str}
    user: {description: The basic-auth user, type: str}
    password_file: {description: "The file holding its password, on the host", type: str}
    tls: {description: Whether the channel speaks TLS, type: bool}
    ca_path: {description: The CA to verify the channel with (TLS only), type: str}
    client_cert: {description: This host's client certificate (TLS only), type: str}
    client_key: {description: Its private key (TLS only), type: str}
    endpoint: {description: "Where the channel listens, C(IP:port) (an IPv6 address in brackets)", type: str}
    address: {description: The address it listens on, type: str}
    port: {description: The port it listens on, type: int}
    endpoints:
      description: Where the channels of every server of the host listen (both of a dual-stack host), C(IP:port) each.
      type: list
      elements: str
    tls_files:
      description:
        - The TLS files the roles write in C(tls_dir), whether or not the control channel uses them (the HA
          listeners may) - C(var) (the role variable holding the PEM text), C(file), C(key) (the Kea key naming
          it) and C(secret) (true for the private key).
      type: list
      elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._plan import control_channel, tls_files_in

SETTINGS = ("control_address", "control_port", "tls_dir", "config_dir", "run_dir", "api_user")


def kea_control_channel(settings, family):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("kea_control_channel: the settings must be a mapping, not %s" % type(settings).__name__)
    missing = [key for key in SETTINGS if settings.get(key) in (None, "")]
    if missing:
        raise AnsibleFilterError("kea_control_channel: settings missing: %s" % ", ".join(missing))
    try:
        return dict(control_channel(settings, int(family)), tls_files=tls_files_in(settings["tls_dir"]))
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError("kea_control_channel: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"kea_control_channel": kea_control_channel}
