# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, secrets: no password is kept, compared in clear or shown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import DHCP_KEYS, library_name, show
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import copy_data

# Where the roles put an HA peer's password file (docs/secure-channels.md).
PEER_PASSWORD_FILE = "/etc/kea/ha-peer-%s.password"
# Where a control socket client's password file goes when its authentication names no directory.
CONTROL_PASSWORD_DIR = "/etc/kea"


def _variable(host, path):
    return "vault_kea_%s_%s" % (re.sub(r"[^0-9A-Za-z]+", "_", host), re.sub(r"[^0-9A-Za-z]+", "_", path).strip("_"))


# ---------------------------------------------------------------------------
# secrets


def sanitise(configs):
    """Copies of ``configs`` without a password in them; returns ``(configs, problems, notes)``.

    * an HA peer's ``basic-auth-password`` becomes the ``basic-auth-password-file``
      the roles write from ``kea_ha_peer_passwords`` (one file per user);
    * a control socket client's ``password`` becomes a ``password-file``;
    * any other ``password`` (a database's) becomes a reference to a variable
      the user defines in a vault.

    No password is ever kept, compared in clear or shown: the two ends'
    passwords of one HA user are compared by equality only.
    """
    cleaned, problems, notes = {}, [], []
    peer_users = {}   # user -> {password: [host, ...]}
    for host in sorted(configs):
        config = copy_data(configs[host])
        cleaned[host] = config
        if not isinstance(config, dict):
            continue
        for dhcp in DHCP_KEYS:
            body = config.get(dhcp)
            if isinstance(body, dict):
                _sanitise_peers(host, body, peer_users)
                _sanitise_control(host, dhcp, body, notes)
                _sanitise_rest(host, dhcp, body, notes)
    for user in sorted(peer_users):
        seen = peer_users[user]
        hosts = sorted(set(h for found in seen.values() for h in found))
        notes.append("HA basic-auth user '%s' (on %s): its password is not adopted; the topology names %s instead, "
                     "which the roles write from kea_ha_peer_passwords['%s']: put the password there, in a vault"
                     % (user, ", ".join(hosts), PEER_PASSWORD_FILE % user, user))
        if len(seen) > 1:
            problems.append("HA basic-auth user '%s': its password is not the same on every host that names it (%s)"
                            % (user, "; ".join(", ".join(sorted(set(found))) for found in
                                               sorted(seen.values(), key=sorted))))
    return cleaned, problems, notes


def _ha_entries(body):
    for lib in body.get("hooks-libraries") or [] if isinstance(body.get("hooks-libraries"), list) else []:
        if library_name(lib) == schema.HA_LIBRARY and isinstance(lib.get("parameters"), dict):
            entries = lib["parameters"].get("high-availability")
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict):
                    yield entry


def _replace_key(mapping, old, new, value):
    """``mapping`` with ``old`` replaced by ``new: value`` in the same place."""
    items = [(new, value) if key == old else (key, item) for key, item in mapping.items()]
    mapping.clear()
    mapping.update(items)


def _sanitise_peers(host, body, peer_users):
    for entry in _ha_entries(body):
        for peer in entry.get("peers") if isinstance(entry.get("peers"), list) else []:
            if not isinstance(peer, dict) or "basic-auth-password" not in peer:
                continue
            user = peer.get("basic-auth-user")
            user = user if isinstance(user, str) and user else str(peer.get("name"))
            password = peer["basic-auth-password"]
            peer_users.setdefault(user, {}).setdefault(show(password), []).append(host)
            if "basic-auth-password-file" in peer:
                peer.pop("basic-auth-password")  # Kea refuses both; the model reports the file alone
            else:
                _replace_key(peer, "basic-auth-password", "basic-auth-password-file", PEER_PASSWORD_FILE % user)


def _sanitise_control(host, dhcp, body, notes):
    sockets = body.get("control-sockets")
    for number, sock in enumerate(sockets if isinstance(sockets, list) else [], 1):
        auth = sock.get("authentication") if isinstance(sock, dict) else None
        clients = auth.get("clients") if isinstance(auth, dict) else None
        for client in clients if isinstance(clients, list) else []:
            if not isinstance(client, dict) or "password" not in client:
                continue
            user = client.get("user", "")
            if auth.get("directory"):
                path = "%s.password" % user
                where = "%s/%s" % (auth["directory"].rstrip("/"), path)
            else:
                path = where = "%s/%s.password" % (CONTROL_PASSWORD_DIR, user)
            _replace_key(client, "password", "password-file", path)
            notes.append("host '%s' control socket %d (%s.control-sockets[%d]), user '%s': its password is not adopted; "
                         "the base names the file %s instead: write the password there on the host, or leave the "
                         "control channel to the roles (kea_ha_api_user, kea_ha_api_password)"
                         % (host, number, dhcp, number - 1, user, where))


def _sanitise_rest(host, dhcp, body, notes):
    def walk(value, path):
        if isinstance(value, dict):
            for key in list(value):
                if key == "password" and isinstance(value[key], str):
                    variable = _variable(host, path + ".password")
                    value[key] = "{{ %s }}" % variable
                    notes.append("host '%s' %s.password: not adopted; the base reads it from the variable %s: "
                                 "define it in a vault" % (host, path, variable))
                elif key not in ("hooks-libraries", "control-sockets") or path != dhcp:
                    walk(value[key], "%s.%s" % (path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, "%s[%d]" % (path, index))
    walk(body, dhcp)
    for index, lib in enumerate(body.get("hooks-libraries") or [] if isinstance(body.get("hooks-libraries"), list)
                                else []):
        if isinstance(lib, dict) and library_name(lib) != schema.HA_LIBRARY:
            walk(lib, "%s.hooks-libraries[%d]" % (dhcp, index))
