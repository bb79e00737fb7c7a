# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the roles add to every server's Kea configuration, and the Kea 2.6 control agent's.

The topology gives each server its interfaces, hooks, relationships and
subnets (``_model``); the roles put it on a host, which adds:

* the control sockets: a unix socket under the run directory, through which
  the roles apply configurations; on Kea 3.0 also the server's own HTTP
  control socket, with basic auth from a password file and, with TLS, the
  host's certificate (Kea 2.6 has the control agent for that, below);
* a memfile lease database in the data directory, and loggers to the journal;
* on top of all of it, the user's ``kea_ha_base_config`` (deep-merged; a
  ``null`` value removes a key).

The result is the ``host_base`` the model assembles each server's
configuration from. Pure Python: the plan (``_deploy``) calls it once per
server and run, on the controller.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath

from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import merge

# Kea's memfile lease file cleanup: once an hour.
LFC_INTERVAL = 3600
KEA_GROUP = "_kea"


def password_basename(channel):
    return posixpath.basename(channel["password_file"])


def _authentication(settings, channel, realm):
    return {
        "type": "basic",
        "realm": realm,
        "directory": settings["config_dir"],
        "clients": [{"user": settings["api_user"], "password-file": password_basename(channel)}],
    }


def control_tls(channel):
    """The control channel's TLS settings in Kea's spelling: none without TLS."""
    if not channel.get("tls"):
        return {}
    return {"trust-anchor": channel["ca_path"], "cert-file": channel["client_cert"], "key-file": channel["client_key"],
            "cert-required": True}


def control_sockets(version, settings, channel):
    """The control socket keys of one server: Kea 2.6's unix socket, or Kea 3.0's unix and HTTP sockets."""
    unix = {"socket-type": "unix", "socket-name": channel["socket"]}
    if version == "2.6":
        return {"control-socket": unix}
    http = dict({"socket-type": "http", "socket-address": channel["address"], "socket-port": channel["port"],
                 "authentication": _authentication(settings, channel, "kea-control")}, **control_tls(channel))
    return {"control-sockets": [unix, http]}


def generated(family, settings):
    """The lease database and loggers every server of the roles gets."""
    return {
        "lease-database": {"type": "memfile", "persist": True,
                           "name": "%s/kea-leases%d.csv" % (settings["data_dir"].rstrip("/"), family),
                           "lfc-interval": LFC_INTERVAL},
        "loggers": [{"name": "kea-dhcp%d" % family, "output-options": [{"output": "stdout"}], "severity": "INFO"}],
    }


def server_base(version, family, settings, channel, user_base):
    """One server's base configuration (unwrapped): the control sockets, lease database and loggers, then
    ``user_base`` (that server's part of ``kea_ha_base_config``) merged on top."""
    base = merge(control_sockets(version, settings, channel), generated(family, settings))
    return merge(base, user_base or {})


def user_base_for(base_config, family, dual_stack):
    """The part of ``kea_ha_base_config`` for the server of ``family``: ``{Dhcp4, Dhcp6}`` on a dual-stack hub, the
    whole mapping otherwise (unwrapped when it is given as ``{"DhcpN": {...}}``)."""
    if not isinstance(base_config, dict):
        return {}
    key = "Dhcp%d" % family
    if dual_stack or (len(base_config) == 1 and key in base_config):
        return base_config.get(key) or {}
    return base_config


def agent_config(settings, channel, families):
    """Kea 2.6's control agent: the HTTP control channel of every server of the host, forwarding over their unix
    sockets. ``channel`` is the first server's (the agent listens on its address and port)."""
    body = {
        "http-host": settings["control_address"],
        "http-port": int(settings["control_port"]),
        "authentication": _authentication(settings, channel, "kea-control-agent"),
        "control-sockets": dict(
            ("dhcp%d" % family,
             {"socket-type": "unix", "socket-name": "%s/kea%d-ctrl-socket" % (settings["run_dir"].rstrip("/"), family)})
            for family in families),
        "loggers": [{"name": "kea-ctrl-agent", "output-options": [{"output": "stdout"}], "severity": "INFO"}],
    }
    body.update(control_tls(channel))
    return {"Control-agent": body}
