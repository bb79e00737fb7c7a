# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converge one host to the state the plan gave it (``_deploy.host_state``): what ``kea_server`` does on the host.

In order, and only what differs:

1. directories and files (contents, owners, modes). A file with ``validate``
   is written beside its destination first and checked (``kea-dhcp4 -t``);
   a file Kea refuses never replaces the old one, which is kept as a backup;
2. Kea 2.6's control agent started (restarted when its configuration, the
   control channel's password or TLS files changed), or Kea 3.0's leftover
   agent stopped;
3. each DHCP server in turn: started when it is not running (never
   restarted), brought to its configuration through its unix socket
   (``_kea_apply.bring_to``: config-test, then config-set where the version
   allows; forced when a file it reads changed), then its control channel
   open and HA healthy (``_health.check_server``). A server whose Kea
   version must be restarted to apply a change (3.0.0-3.0.3) is only tested
   here: ``restart_required`` names it, and the roles restart such servers one
   at a time.

Check mode changes nothing and sends only reads and ``config-test``; the diff
shows every file (secrets hidden) and running configuration that differs.

The host is reached through a ``host`` object (files, systemd, the control
socket, the clock), so that the unit tests run it against a fake one. Pure
Python apart from that object.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _divergence as divergence
from ansible_collections.keadhcp.ha.plugins.module_utils._health import STARTUP_WAIT, check_server, relationships_of
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaError
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_apply import bring_to

HIDDEN = "(secret: not shown)\n"


class ConvergeError(Exception):
    """A step failed; ``result`` holds what was done so far."""

    def __init__(self, message, result=None):
        Exception.__init__(self, message)
        self.result = result or {}


def _attributes(entry):
    return "owner %s, group %s, mode %s\n" % (entry.get("owner"), entry.get("group"), entry.get("mode"))


def _content(entry, secrets):
    """The bytes ``entry`` must hold: its ``content``, or its secret from ``secrets``."""
    if "content" in entry:
        return entry["content"].encode("utf-8")
    if entry["secret"] == "peer_password":
        value = (secrets.get("peer_passwords") or {}).get(entry["user"])
    else:
        value = secrets.get(entry["secret"])
    if value is None:
        raise ConvergeError("%s: no value for the secret '%s'%s" % (
            entry["path"], entry["secret"], " of user %s" % entry["user"] if entry.get("user") else ""))
    text = str(value)
    if entry["secret"] == "tls_key":
        text = text.strip() + "\n"
    return text.encode("utf-8")


class Converge(object):
    """One call of ``kea_server``: ``Converge(host, state, secrets, check_mode).run()`` returns the module's result."""

    def __init__(self, host, state, secrets=None, check_mode=False, delay=1):
        self.host = host
        self.state = state
        self.secrets = secrets or {}
        self.check_mode = check_mode
        self.delay = delay
        self.result = {"changed": False, "files": [], "services": [], "servers": [], "restart_required": [],
                       "warnings": []}
        self.diffs = []
        self.affected = set()

    def run(self):
        for entry in self.state.get("directories") or []:
            self._directory(entry)
        for entry in self.state.get("files") or []:
            self._file(entry)
        self._agent()
        for server in self.state.get("servers") or []:
            self._server(server)
        self.result["diff"] = self.diffs
        return self.result

    # -- files -------------------------------------------------------------

    def _changed(self, what):
        self.result["changed"] = True
        self.result["files"].append(what)

    def _directory(self, entry):
        found = self.host.stat(entry["path"])
        if found and found.get("isdir") and all(found.get(key) == entry[key] for key in ("owner", "group", "mode")):
            return
        self._changed(entry["path"])
        self.diffs.append({"before_header": entry["path"], "after_header": entry["path"],
                           "before": ("directory, " + _attributes(found)) if found else "(absent)\n",
                           "after": "directory, " + _attributes(entry)})
        if not self.check_mode:
            self.host.ensure_directory(entry["path"], entry["owner"], entry["group"], entry["mode"])

    def _file(self, entry):
        path = entry["path"]
        wanted = _content(entry, self.secrets)
        found = self.host.stat(path)
        current = self.host.read(path) if found else None
        same_content = current == wanted
        same_attributes = bool(found) and all(found.get(key) == entry[key] for key in ("owner", "group", "mode"))
        if same_content and same_attributes:
            return
        self._changed(path)
        self.affected.update(entry.get("affects") or [])
        secret = "secret" in entry
        if same_content:
            before, after = _attributes(found), _attributes(entry)
        elif secret:
            before, after = (HIDDEN if found else "(absent)\n"), HIDDEN
        else:
            before = current.decode("utf-8", "replace") if current is not None else ""
            after = wanted.decode("utf-8")
        self.diffs.append({"before_header": path, "after_header": path, "before": before, "after": after})
        if self.check_mode:
            return
        if same_content:
            self.host.set_attributes(path, entry["owner"], entry["group"], entry["mode"])
            return
        problem = self.host.write(path, wanted, entry["owner"], entry["group"], entry["mode"],
                                  validate=entry.get("validate"), backup=entry.get("backup", False))
        if problem:
            raise ConvergeError("%s: not replaced, Kea refuses the new file (%s): %s"
                                % (path, entry["validate"].replace(" %s", ""), problem), self._partial())

    # -- services ----------------------------------------------------------

    def _service(self, name, active=None, enabled=None, restart=False):
        """Bring a unit to a state; returns whether it was started now."""
        unit = self.host.unit(name)
        started = False
        actions = []
        if active is True and not unit.get("active"):
            actions.append("start")
            started = True
        elif active is False and unit.get("active"):
            actions.append("stop")
        elif restart and unit.get("active"):
            actions.append("restart")
        if enabled is True and not unit.get("enabled"):
            actions.append("enable")
        elif enabled is False and unit.get("enabled"):
            actions.append("disable")
        for action in actions:
            self.result["changed"] = True
            self.result["services"].append("%s %s" % (action, name))
            if not self.check_mode:
                self.host.systemctl(action, name)
        return started

    def _agent(self):
        agent = self.state.get("agent")
        if agent:
            started = self._service(agent["service"], active=True, enabled=bool(agent["enabled"]))
            if not started and self.affected & set(["agent", "control"]):
                self._service(agent["service"], restart=True)
        for name in self.state.get("stop") or []:
            self._service(name, active=False, enabled=False)

    # -- servers -----------------------------------------------------------

    def _server(self, server):
        family = server["family"]
        outcome = {"family": family, "service": server["service"], "started": False, "method": "none",
                   "restart_required": False, "healthy": None}
        self.result["servers"].append(outcome)
        outcome["started"] = self._service(server["service"], active=True, enabled=bool(server["enabled"]))
        if self.check_mode and outcome["started"]:
            # not running: a real run would start it on the file just written, nothing more to compare
            return
        connection = self.host.connection(server["socket"])
        self._wait_answer(connection, server)
        force = not outcome["started"] and bool(self.affected & set(["server%d" % family, "control", "peers"]))
        try:
            applied = bring_to(connection, server["config"], apply=server["apply"], force=force,
                               check_mode=self.check_mode, state_file=server["state_file"],
                               apply_during_outage=server["apply_during_outage"])
        except KeaError as exc:
            raise ConvergeError("%s: %s" % (server["service"], exc), self._partial())
        self.result["warnings"].extend(applied.pop("warnings", []))
        diff = applied.pop("diff", None)
        outcome.update(applied)
        if applied["changed"]:
            self.result["changed"] = True
            if diff:
                self.diffs.append(dict(diff, before_header="%s running (config-get)" % server["service"],
                                       after_header="%s wanted" % server["service"]))
        if applied["restart_required"]:
            self.result["restart_required"].append(family)
            return
        if self.check_mode:
            return
        self._wait_port(server)
        health, failure = check_server(connection, self.host.heartbeat, self.host.clock, self.host.sleep,
                                       after=applied["method"] if applied["changed"] else "",
                                       timeout=server["health_timeout"], delay=self.delay)
        outcome.update(healthy=health["healthy"], waited=health["waited"], relationships=health["relationships"])
        if failure:
            raise ConvergeError("%s: %s" % (server["service"], failure), self._partial())
        if server.get("compare_leases"):
            self._compare_leases(connection, server, outcome)

    def _compare_leases(self, connection, server, outcome):
        """Where this server stands by (the central), its leases against each partner's: warnings, never a failure."""
        family = server["family"]

        def own():
            try:
                answer = connection.command("lease%d-get-all" % family)
            except KeaError as exc:
                raise LookupError("cannot read this server's leases: %s" % exc)
            return (answer.get("arguments") or {}).get("leases") or []

        rows, problems = divergence.with_partners(own, self.host.partner_leases, relationships_of(server["config"]),
                                                  server["config"], family, self.host.clock())
        outcome["leases"] = rows
        self.result["warnings"].extend("%s: %s" % (server["service"], text) for text in problems)
        self.result["warnings"].extend("%s: relationship %s/%s: leases not compared: %s" % (
            server["service"], row["local"], row["partner"], row["error"]) for row in rows if "error" in row)

    def _wait_answer(self, connection, server):
        """Until the server answers on its unix socket (it may have been started just now)."""
        started = self.host.clock()
        while True:
            try:
                connection.command("version-get")
                return
            except KeaError as exc:
                if self.host.clock() - started >= STARTUP_WAIT:
                    raise ConvergeError("%s does not answer on its control socket %s after %d s: %s"
                                        % (server["service"], server["socket"], STARTUP_WAIT, exc), self._partial())
                self.host.sleep(self.delay)

    def _wait_port(self, server):
        """Until the control channel listens: on Kea 3.0 the server's own HTTP socket, opened by the configuration
        just applied; on 2.6 the agent."""
        endpoint = server["endpoint"]
        started = self.host.clock()
        while not self.host.port_open(endpoint["address"], endpoint["port"]):
            if self.host.clock() - started >= STARTUP_WAIT:
                raise ConvergeError("%s: the control channel %s:%s is not open after %d s"
                                    % (server["service"], endpoint["address"], endpoint["port"], STARTUP_WAIT),
                                    self._partial())
            self.host.sleep(self.delay)

    def _partial(self):
        return dict(self.result, diff=self.diffs)
