# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A client for Kea's command channel, shared by the keadhcp.ha modules.

Three transports carry the same JSON commands:

* Kea 2.6's control agent over HTTP(S), which needs ``service`` to know which
  daemon to forward to;
* Kea 3.0's HTTP(S) control socket in the daemon itself (``service`` ignored);
* a local unix control socket.

Answers are a JSON object or a list of them (one per service); ``result`` 0 is
success, 3 is "empty" (nothing found), anything else is Kea refusing, reported
with Kea's own text. Pure Python: the HTTP opener is injected, so that the
modules pass Ansible's ``open_url`` and the unit tests a fake.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import socket

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_keys import (  # noqa: F401  pylint: disable=unused-import
    ADDRESS_KEYS, UNORDERED_LISTS, normal_address)

RESULT_SUCCESS = 0
RESULT_EMPTY = 3

# Commands that change nothing on the server: check mode sends only these, and
# they never report a change.
READ_ONLY_COMMANDS = frozenset([
    "build-report", "config-get", "config-hash-get", "config-test", "list-commands", "status-get",
    "version-get", "ha-heartbeat", "statistic-get", "statistic-get-all",
    "lease4-get", "lease4-get-all", "lease4-get-page", "lease4-get-by-hw-address", "lease4-get-by-client-id",
    "lease4-get-by-hostname", "lease6-get", "lease6-get-all", "lease6-get-page", "lease6-get-by-duid",
    "lease6-get-by-hostname", "stat-lease4-get", "stat-lease6-get", "subnet4-list", "subnet6-list",
    "subnet4-get", "subnet6-get", "network4-list", "network6-list", "reservation-get", "reservation-get-all",
    "reservation-get-page",
])


class KeaError(Exception):
    """The command could not be carried out; the message says why, in one line."""


class KeaCommandError(KeaError):
    """Kea answered, and refused."""

    def __init__(self, command, result, text, answer=None):
        self.command = command
        self.result = result
        self.text = text
        self.answer = answer
        super(KeaCommandError, self).__init__("Kea refused '%s' (result %s): %s" % (command, result, text))


def is_read_only(command):
    return command in READ_ONLY_COMMANDS


def read_password_file(path):
    try:
        with open(path) as handle:
            return handle.read().rstrip("\r\n")
    except (IOError, OSError) as exc:
        raise KeaError("cannot read password file %s: %s" % (path, exc.strerror or exc))


class Connection(object):
    """Where and how to reach one Kea server.

    ``opener(url, data, headers, timeout, tls)`` performs an HTTP POST and
    returns ``(status, body)``; it raises ``KeaError`` for transport failures.
    """

    def __init__(self, url=None, socket_path=None, service=None, user=None, password=None, password_file=None,
                 timeout=10, tls=None, opener=None):
        if bool(url) == bool(socket_path):
            raise KeaError("give exactly one of url (HTTP control channel) and socket (unix control socket)")
        if password and password_file:
            raise KeaError("give only one of password and password_file")
        self.url = url
        self.socket_path = socket_path
        self.service = service
        self.user = user
        self.password = password
        self.password_file = password_file
        self.timeout = timeout
        self.tls = tls or {}
        self.opener = opener

    def describe(self):
        return self.url or "unix socket %s" % self.socket_path

    def request(self, command, arguments=None):
        """The JSON request for ``command``."""
        request = {"command": command}
        if self.service and self.url:
            request["service"] = list(self.service)
        if arguments:
            request["arguments"] = arguments
        return request

    def send(self, command, arguments=None):
        """Send a command; return Kea's answer for it (a mapping), whatever its result."""
        body = json.dumps(self.request(command, arguments)).encode("utf-8")
        raw = self._http(body) if self.url else self._unix(body)
        try:
            answer = json.loads(raw)
        except ValueError:
            snippet = raw[:120].decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)[:120]
            raise KeaError("%s did not answer with JSON: %r" % (self.describe(), snippet))
        if isinstance(answer, list):
            if not answer:
                raise KeaError("%s answered '%s' with an empty list" % (self.describe(), command))
            answer = answer[0]
        if not isinstance(answer, dict) or "result" not in answer:
            raise KeaError("%s answered '%s' without a result: %r" % (self.describe(), command, answer))
        return answer

    def command(self, command, arguments=None, allow_empty=True):
        """Send a command; return its answer, raising KeaCommandError unless it succeeded."""
        answer = self.send(command, arguments)
        result = answer.get("result")
        if result == RESULT_SUCCESS or (allow_empty and result == RESULT_EMPTY):
            return answer
        raise KeaCommandError(command, result, answer.get("text", ""), answer)

    def _headers(self):
        headers = {"Content-Type": "application/json"}
        password = self.password
        if self.password_file:
            password = read_password_file(self.password_file)
        if self.user:
            token = base64.b64encode(("%s:%s" % (self.user, password or "")).encode("utf-8")).decode("ascii")
            headers["Authorization"] = "Basic " + token
        return headers

    def _http(self, body):
        if self.opener is None:
            raise KeaError("no HTTP opener configured")
        status, raw = self.opener(self.url, body, self._headers(), self.timeout, self.tls)
        if status == 401:
            raise KeaError("%s refused the credentials (HTTP 401)%s"
                           % (self.url, "" if self.user else "; it needs a user and password"))
        if status == 403:
            raise KeaError("%s refused the command (HTTP 403); with Kea 3.0 an HA listener refuses admin commands: "
                           "use the control channel's URL" % self.url)
        if status != 200:
            raise KeaError("%s answered HTTP %s" % (self.url, status))
        return raw

    def _unix(self, body):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(self.timeout)
        try:
            try:
                conn.connect(self.socket_path)
            except (IOError, OSError) as exc:
                raise KeaError("cannot connect to unix socket %s: %s" % (self.socket_path, exc.strerror or exc))
            conn.sendall(body)
            chunks = []
            while True:
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    raise KeaError("unix socket %s did not answer within %s s" % (self.socket_path, self.timeout))
                if not chunk:
                    break
                chunks.append(chunk)
                try:
                    json.loads(b"".join(chunks))
                    break  # a complete answer; Kea may keep the socket open
                except ValueError:
                    continue
            return b"".join(chunks)
        finally:
            conn.close()


# ---------------------------------------------------------------------------
# HA status


def ha_relationships(status_answer):
    """Flatten ``status-get``'s HA part into one plain mapping per relationship."""
    arguments = status_answer.get("arguments") or {}
    found = []
    for item in arguments.get("high-availability") or []:
        servers = item.get("ha-servers") or {}
        local = servers.get("local") or {}
        remote = servers.get("remote") or {}
        found.append({
            "mode": item.get("ha-mode"),
            "local": {
                "name": local.get("server-name"),
                "role": local.get("role"),
                "state": local.get("state"),
                "scopes": local.get("scopes") or [],
            },
            "remote": {
                "name": remote.get("server-name"),
                "role": remote.get("role"),
                "last_state": remote.get("last-state"),
                "in_touch": remote.get("in-touch"),
                "communication_interrupted": remote.get("communication-interrupted"),
                "unacked_clients": remote.get("unacked-clients"),
                "unacked_clients_left": remote.get("unacked-clients-left"),
                "connecting_clients": remote.get("connecting-clients"),
                "analyzed_packets": remote.get("analyzed-packets"),
                "age": remote.get("age"),
            },
        })
    return found


def relationships_not_in(relationships, states):
    """The relationships whose local state is not one of ``states``."""
    return [rel for rel in relationships if rel["local"]["state"] not in states]


# ---------------------------------------------------------------------------
# configuration comparison


# What Kea treats as the same address, and the lists whose order means nothing to it: one definition, in
# _kea_keys (the render-back comparison of adopt uses it too).


def contains(running, desired, key=None):
    """Whether ``running`` holds everything ``desired`` says.

    Kea fills in defaults when it loads a configuration, so the running
    configuration has more keys than the one we gave it: mappings compare key
    by key on the desired keys only; lists must have the same length and
    compare item by item, except those whose order means nothing to Kea
    (UNORDERED_LISTS), which compare as multisets; other values compare equal,
    addresses and pools as Kea prints them back (``10.0.0.10 - 10.0.0.99``
    comes back without spaces).
    """
    if isinstance(desired, dict):
        if not isinstance(running, dict):
            return False
        return all(k in running and contains(running[k], value, k) for k, value in desired.items())
    if isinstance(desired, list):
        if not isinstance(running, list) or len(running) != len(desired):
            return False
        if key in UNORDERED_LISTS and all(isinstance(item, str) for item in running + desired):
            return sorted(running) == sorted(desired)
        return all(contains(have, want, key) for have, want in zip(running, desired))
    if isinstance(desired, bool) or isinstance(running, bool):
        return desired is running
    if key in ADDRESS_KEYS and isinstance(desired, str) and isinstance(running, str):
        return normal_address(running) == normal_address(desired)
    return running == desired


def project(running, desired):
    """``running`` cut down to the shape of ``desired`` (for a readable diff)."""
    if isinstance(desired, dict) and isinstance(running, dict):
        return dict((key, project(running[key], value)) for key, value in desired.items() if key in running)
    if isinstance(desired, list) and isinstance(running, list):
        return [project(have, want) for have, want in zip(running, desired)] + running[len(desired):]
    return running


MASK = "********"


def _is_secret_key(key):
    lowered = str(key).lower()
    # basic-auth-password, password, secret: secrets. password-file: a path.
    return ("password" in lowered or lowered == "secret") and not lowered.endswith("-file")


def mask_secrets(value):
    """A copy with the values of password-like keys replaced, for diffs and logs."""
    if isinstance(value, dict):
        masked = {}
        for key, item in value.items():
            masked[key] = MASK if _is_secret_key(key) and isinstance(item, str) else mask_secrets(item)
        return masked
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value
