# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What ``kea_config`` decides before it touches a running server.

Exact drift. Kea fills in defaults when it loads a configuration, so what a
server runs (``config-get``) has many more keys than what it was given, and
comparing the desired keys only misses a key added on the server. So, once a
configuration is in place, its *record* is kept on the host: a digest of the
desired configuration, a digest of what Kea then runs, the Kea version, and
that running configuration with its secrets masked (for the diff). On the
next call, with the same desired configuration on the same version, the
server must run exactly what was recorded; anything else is drift, put
right by applying the desired configuration again. Measured on Kea 2.6.3,
3.0.3 and 3.0.4: ``config-get`` (and its hash) is the same after a start
from the file, after a ``config-set`` of the same configuration, after a
restart, and 25 s later, so a record made after either way of applying holds.

Takeover guard. Applying a configuration (``config-set`` or a restart)
restarts every HA state machine of the server. A relationship in which the
server covers for its partner (``partner-down``, ``partner-in-maintenance``)
comes back in ``waiting`` and serves none of the partner's clients until it
has found the partner gone again: heartbeat-delay + max-response-delay
(measured about 4 s with 1000 + 3000 ms; about 70 s with Kea's defaults).

Pure Python, no Ansible imports.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import hashlib
import json
import os
import tempfile

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import (
    KeaError, contains, ha_relationships, mask_secrets, project)
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import (
    apply_method, defect_warning, runs_ha_listeners)

RECORD_FORMAT = 1

# The states in which a server answers its partner's clients as well as its
# own: a restart of its state machine leaves those clients unanswered.
COVERING_STATES = ("partner-down", "partner-in-maintenance")

# Kea's defaults, milliseconds (HA hook: heartbeat-delay, max-response-delay).
DEFAULT_HEARTBEAT_DELAY = 10000
DEFAULT_MAX_RESPONSE_DELAY = 60000


def digest(value):
    """SHA-256 of a JSON value, independent of key order."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_record(desired, running, version):
    """What is kept on the host once ``running`` (config-get, without hash) is known to be ``desired``'s."""
    return {
        "format": RECORD_FORMAT,
        "desired": digest(desired),
        "running": digest(running),
        "version": version,
        "config": mask_secrets(running),
    }


def read_record(path):
    """The record in ``path``; None when there is none, or none this code can use.

    Returns ``(record, problem)``: problem is a sentence when the file exists but cannot be used (it is then
    treated as missing, and rewritten after the next apply).
    """
    try:
        with open(path) as handle:
            record = json.load(handle)
    except (IOError, OSError) as exc:
        if getattr(exc, "errno", None) == errno.ENOENT:
            return None, None
        return None, "cannot read the record %s: %s" % (path, exc.strerror or exc)
    except ValueError as exc:
        return None, "the record %s is not JSON (%s); it is ignored and written again" % (path, exc)
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        return None, "the record %s has an unknown format; it is ignored and written again" % path
    return record, None


def write_record(path, record):
    """Write ``record`` to ``path`` (mode 0600, replaced whole). Returns whether the file changed."""
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    try:
        with open(path) as handle:
            if handle.read() == text:
                return False
    except (IOError, OSError):
        pass
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=".keadhcp-ha-", dir=os.path.dirname(path) or ".")
        os.chmod(temporary, 0o600)
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.rename(temporary, path)
    except (IOError, OSError) as exc:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        raise KeaError("cannot write the record %s: %s" % (path, exc.strerror or exc))
    return True


def decide(record, desired, running, version, force=False):
    """What to do with a server running ``running`` (config-get, without hash) when ``desired`` is wanted.

    Returns one of:

    * ``forced``: apply, because the caller says so;
    * ``recorded``: nothing to do, the server runs exactly what was recorded for ``desired``;
    * ``drift``: apply, the server runs something else than what was recorded for ``desired``;
    * ``in-place``: nothing to do, the server runs everything ``desired`` says (no usable record: none, made
      for another desired configuration, or on another Kea version); a record is to be made;
    * ``differs``: apply, the server lacks something ``desired`` says.
    """
    if force:
        return "forced"
    if record and record.get("desired") == digest(desired) and record.get("version") == version:
        return "recorded" if record.get("running") == digest(running) else "drift"
    return "in-place" if contains(running, desired) else "differs"


APPLY = frozenset(["forced", "drift", "differs"])


# ---------------------------------------------------------------------------
# takeover guard


def _ha_parameters(config):
    """``{this-server-name: parameters}`` of every HA relationship in a wrapped configuration."""
    found = {}
    for body in (config or {}).values():
        if not isinstance(body, dict):
            continue
        for library in body.get("hooks-libraries") or []:
            if not str((library or {}).get("library", "")).rsplit("/", 1)[-1].startswith("libdhcp_ha."):
                continue
            for relationship in ((library.get("parameters") or {}).get("high-availability") or []):
                if isinstance(relationship, dict):
                    found[relationship.get("this-server-name")] = relationship
    return found


def covering(relationships):
    """The relationships (``_kea_api.ha_relationships``) in which the server covers for its partner."""
    return [rel for rel in relationships if rel["local"]["state"] in COVERING_STATES]


def outage_refusal(relationships, running):
    """The message refusing to apply while the server covers for a partner; None when it does not.

    ``relationships``: ``_kea_api.ha_relationships(status-get)``; ``running``: the configuration the server runs
    (its timers tell how long the partner's clients would wait).
    """
    found = covering(relationships)
    if not found:
        return None
    parameters = _ha_parameters(running)
    parts = []
    for rel in found:
        timers = parameters.get(rel["local"]["name"]) or {}
        wait = (int(timers.get("heartbeat-delay", DEFAULT_HEARTBEAT_DELAY))
                + int(timers.get("max-response-delay", DEFAULT_MAX_RESPONSE_DELAY))) / 1000.0
        parts.append("%s (%s, partner %s: its clients unanswered for about %s s)"
                     % (rel["local"]["name"], rel["local"]["state"], rel["remote"]["name"] or "unknown",
                        ("%.1f" % wait).rstrip("0").rstrip(".")))
    return ("not applying the configuration: this server is covering for its partner in %s %s. Applying it restarts "
            "the HA state machines: %s back in 'waiting', answering none of the partner's clients until the partner "
            "is found gone again (heartbeat-delay + max-response-delay; about 70 s with Kea's defaults). Bring the partner "
            "back first, or apply anyway with apply_during_outage (the roles' kea_ha_apply_during_outage: true)"
            % ("relationship" if len(found) == 1 else "relationships", "; ".join(parts),
               "it comes" if len(found) == 1 else "they come"))


# ---------------------------------------------------------------------------
# bringing a running server to a configuration (kea_config, kea_server)


def _diff(before, after):
    return dict(before=json.dumps(mask_secrets(before), indent=2, sort_keys=True) + "\n",
                after=json.dumps(mask_secrets(after), indent=2, sort_keys=True) + "\n")


def _running(connection):
    running = dict(connection.command("config-get").get("arguments") or {})
    return running, running.pop("hash", None)


def bring_to(connection, desired, apply="auto", force=False, write=False, check_mode=False, state_file=None,
             apply_during_outage=False):
    """Bring the server behind ``connection`` to ``desired``; returns the module's result (no Ansible here)."""
    running, running_hash = _running(connection)
    version = connection.command("version-get").get("text", "")
    result = dict(changed=False, tested=False, method="none", restart_required=False, version=version,
                  hash=running_hash, drift=False, recorded=False, warnings=[])
    record, problem = read_record(state_file) if state_file else (None, None)
    if problem:
        result["warnings"].append(problem)
    decision = decide(record, desired, running, version, force=force)
    if decision not in APPLY:
        if decision == "in-place" and state_file and not check_mode:
            result["recorded"] = write_record(state_file, make_record(desired, running, version))
        return result
    if not apply_during_outage and (runs_ha_listeners(desired) or runs_ha_listeners(running)):
        refusal = outage_refusal(ha_relationships(connection.command("status-get")), running)
        if refusal and not check_mode:
            raise KeaError(refusal)
        if refusal:
            result["warnings"].append("a run outside check mode would stop here: " + refusal)
    method = apply_method(apply, version, desired)
    result.update(changed=True, tested=True, method=method, hash=None, drift=decision == "drift")
    if decision == "drift":
        # what the server runs now against what it ran once this configuration was applied
        result["diff"] = _diff(running, record["config"])
    else:
        result["diff"] = _diff(project(running, desired), desired)
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
    running, result["hash"] = _running(connection)
    if state_file:
        result["recorded"] = write_record(state_file, make_record(desired, running, version))
    return result
