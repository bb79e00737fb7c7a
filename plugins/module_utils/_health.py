# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Is a Kea server's HA healthy? The judgement, the time bound and the wait.

A server is healthy when, for each relationship of its configuration:

* its own HA listener (its peer URL) answers ``ha-heartbeat``, as the partner
  would send it;
* its state is the relationship's normal one (``hot-standby``,
  ``load-balancing``, ``passive-backup``, ``backup`` for a backup server), or,
  when the partner is really down (its listener refuses the connection or does
  not answer at all), ``partner-down`` or one of the states Kea waits in until
  it has seen enough of the failure (``waiting``, ``syncing``, ``ready``).

A partner that answers, but refuses us (a certificate it does not trust, HTTP
401/403), is not down: that is reported, since Kea's own heartbeats fail the
same way and both ends then serve the same clients.

Pure Python: the status reader, the heartbeat prober, the clock and the sleep
are passed in, so the unit tests need neither Kea nor time.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._clock import offset, skew_problem
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaError, ha_relationships
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import (
    closes_ha_listeners_on_reconfigure, defect_warning)

# Kea's defaults (ms) for the timers the bound is derived from.
DEFAULT_HEARTBEAT_DELAY = 10000
DEFAULT_MAX_RESPONSE_DELAY = 60000
DEFAULT_SYNC_TIMEOUT = 60000
# Seconds added to every bound: process start, listener start, one poll.
BOUND_MARGIN = 10

# States a server sits in while its partner is unreachable and it has not yet
# seen enough of the failure to take over (or auto-failover is off).
AWAITING_EVIDENCE = ("waiting", "syncing", "ready")

# Transport failures that mean nothing listens there (or the host is gone),
# as opposed to a listener that answers and refuses.
UNREACHABLE_MARKERS = ("connection refused", "timed out", "did not answer within", "no route to host",
                       "network is unreachable", "host is unreachable", "connection reset",
                       "remote end closed connection")


def tls_files(peer, relationship):
    """The TLS files Kea uses with a peer, as the keadhcp.ha modules' options.

    ``peer`` and ``relationship`` are mappings in Kea's spelling (a peer's
    entry and its relationship); the peer's own files win over the
    relationship's. The one rule for it: ``_plan`` applies it to the model.
    """
    tls = {}
    for key, option in (("trust-anchor", "ca_path"), ("cert-file", "client_cert"), ("key-file", "client_key")):
        value = peer.get(key, relationship.get(key))
        if value:
            tls[option] = value
    return tls


def _endpoint(relationship, peer):
    return {
        "name": peer.get("name"),
        "role": peer.get("role"),
        "url": peer.get("url"),
        "user": peer.get("basic-auth-user"),
        "password": peer.get("basic-auth-password"),
        "password_file": peer.get("basic-auth-password-file"),
        "tls": tls_files(peer, relationship),
    }


def normal_state(mode, role):
    if role == "backup":
        return "backup"
    return mode or "hot-standby"


def relationships_of(config):
    """The HA relationships of a wrapped configuration (``{"Dhcp4": {...}}``), each as this server sees it.

    ``[{mode, local, partner, normal, timers}]``; ``partner`` is None in
    passive-backup mode and on a backup server, which have no failover partner.
    """
    found = []
    for body in (config or {}).values():
        if not isinstance(body, dict):
            continue
        for library in body.get("hooks-libraries") or []:
            for rel in ((library or {}).get("parameters") or {}).get("high-availability") or []:
                peers = rel.get("peers") or []
                me = rel.get("this-server-name")
                local = [peer for peer in peers if peer.get("name") == me]
                if not local:
                    raise ValueError("relationship '%s' names no peer '%s'" % (me, me))
                mode = rel.get("mode")
                local = _endpoint(rel, local[0])
                partner = None
                if mode != "passive-backup" and local["role"] != "backup":
                    others = [peer for peer in peers if peer.get("name") != me and peer.get("role") != "backup"]
                    partner = _endpoint(rel, others[0]) if others else None
                found.append({
                    "mode": mode, "local": local, "partner": partner, "normal": normal_state(mode, local["role"]),
                    "timers": dict((key, rel.get(key, default)) for key, default in (
                        ("heartbeat-delay", DEFAULT_HEARTBEAT_DELAY),
                        ("max-response-delay", DEFAULT_MAX_RESPONSE_DELAY),
                        ("sync-timeout", DEFAULT_SYNC_TIMEOUT))),
                })
    return found


def time_bound(relationships):
    """Seconds within which every relationship should be back in a healthy state after an apply.

    Per relationship: three heartbeats (the first contact, the partner's
    answer, the move to the normal state), plus the longer of the lease
    synchronisation and the failure detection, plus a margin.
    """
    if not relationships:
        return BOUND_MARGIN
    return max(relationship_bound(rel["timers"]) for rel in relationships)


def relationship_bound(timers):
    """``time_bound`` of one relationship, from its timers (ms; Kea's defaults for those it leaves out)."""
    def timer(key, default):
        return int(timers.get(key, default))
    ms = 3 * timer("heartbeat-delay", DEFAULT_HEARTBEAT_DELAY) + max(
        timer("max-response-delay", DEFAULT_MAX_RESPONSE_DELAY), timer("sync-timeout", DEFAULT_SYNC_TIMEOUT))
    return int(round(ms / 1000.0 + BOUND_MARGIN))


def is_unreachable(reason):
    text = str(reason).lower()
    return any(marker in text for marker in UNREACHABLE_MARKERS)


def assess(relationships, reported, heartbeat, after=""):
    """One look at every relationship: ``(rows, problems)``.

    ``reported``: ``ha_relationships()`` of the server's ``status-get``.
    ``heartbeat(endpoint, server_name)``: ``(True, arguments)`` (Kea's
    answer: ``state``, ``date-time``) when the HA listener at
    ``endpoint['url']`` answered, ``(False, reason)`` otherwise.
    """
    seen = dict((rel["local"]["name"], rel) for rel in reported)
    when = (" after %s" % after) if after else ""
    rows, problems = [], []
    for rel in relationships:
        local, partner = rel["local"], rel["partner"]
        label = "relationship %s" % (local["name"] if partner is None else "%s/%s" % (local["name"], partner["name"]))
        row = {"local": local["name"], "partner": partner and partner["name"], "mode": rel["mode"],
               "wanted": rel["normal"], "listener": local["url"], "listener_open": None, "state": None,
               "partner_answers": None, "partner_state": None, "healthy": False}
        rows.append(row)
        found = []
        mine = None  # this server's answer to a heartbeat, with its clock
        if local["url"]:
            open_, why = heartbeat(local, local["name"])
            mine = why if open_ else None
            row["listener_open"] = open_
            if not open_:
                found.append("%s: HA listener %s %s%s (%s)" % (
                    label, local["url"], "not open" if is_unreachable(why) else "refuses a partner's heartbeat",
                    when, why))
        status = seen.get(local["name"])
        if status is None:
            found.append("%s: the server runs no relationship named '%s'" % (label, local["name"]))
        else:
            state = row["state"] = status["local"]["state"]
            if state != rel["normal"]:
                found.extend(_judge_state(label, rel, state, heartbeat, row, when, mine))
        row["healthy"] = not found
        problems.extend(found)
    return rows, problems


def _judge_state(label, rel, state, heartbeat, row, when, mine=None):
    partner = rel["partner"]
    wanted = rel["normal"]
    if partner is None or not partner["url"]:
        return ["%s: state %s%s, wanted %s" % (label, state, when, wanted)]
    answered, what = heartbeat(partner, partner["name"])
    row["partner_answers"] = answered
    if answered:
        row["partner_state"] = what.get("state", "?")
        said = ["%s: state %s%s, wanted %s: the partner answers at %s, in state %s"
                % (label, state, when, wanted, partner["url"], row["partner_state"])]
        # a terminated relationship is often clocks apart: both answers, a moment apart, say each end's time
        skew = mine and skew_problem(label, ("this server", "server", offset(mine.get("date-time"), 0)),
                                     ("its partner", "partner", offset(what.get("date-time"), 0)))
        return said + ([skew] if skew else [])
    if not is_unreachable(what):
        return ["%s: state %s%s, wanted %s: the partner at %s refuses this server (%s)"
                % (label, state, when, wanted, partner["url"], what)]
    if state == "partner-down" or state in AWAITING_EVIDENCE:
        return []  # the partner is really down: this is the right state
    return ["%s: state %s%s, wanted %s, or partner-down while the partner at %s is down (%s)"
            % (label, state, when, wanted, partner["url"], what)]


def wait_healthy(look, clock, sleep, timeout, delay):
    """Call ``look()`` until it finds no problem or ``timeout`` seconds have passed.

    ``look()`` returns ``(rows, problems)`` or raises ``LookupError`` with a
    reason (the server could not be read: it counts as a problem and is
    retried). Returns ``(rows, problems, waited)``.
    """
    started = clock()
    while True:
        try:
            rows, problems = look()
        except LookupError as exc:
            rows, problems = [], [str(exc)]
        waited = clock() - started
        if not problems or waited >= timeout:
            return rows, problems, round(waited, 1)
        sleep(delay)


# Seconds to wait for a server that was just (re)started to answer on its control socket at all: Kea answers
# within a second of its start; 60 s leaves room for a busy machine.
STARTUP_WAIT = 60


def read_server(connection, clock, sleep, delay):
    """``(version, relationships)`` of the running server, waiting up to STARTUP_WAIT s for it to answer."""
    started = clock()
    while True:
        try:
            version = connection.command("version-get").get("text", "")
            return version, relationships_of(connection.command("config-get").get("arguments") or {})
        except KeaError:
            if clock() - started >= STARTUP_WAIT:
                raise
            sleep(delay)


def check_server(connection, heartbeat, clock, sleep, after="", timeout=0, delay=1):
    """Wait until the server behind ``connection`` is healthy: ``(result, failure message or None)``.

    ``timeout`` 0 derives the bound from the relationships' timers (``time_bound``); ``after`` names what was just
    done (``config-set``, ``restart``) in the messages.
    """
    version, relationships = read_server(connection, clock, sleep, delay)
    timeout = timeout or time_bound(relationships)

    def look():
        try:
            reported = ha_relationships(connection.command("status-get"))
        except KeaError as exc:
            raise LookupError("cannot read the HA status: %s" % exc)
        return assess(relationships, reported, heartbeat, after)

    rows, problems, waited = wait_healthy(look, clock, sleep, timeout, delay)
    result = dict(changed=False, healthy=not problems, relationships=rows, version=version,
                  wait_timeout=timeout, waited=waited)
    if not problems:
        return result, None
    message = "HA not healthy after %g s: %s" % (waited, "; ".join(problems))
    if closes_ha_listeners_on_reconfigure(version) and any(row["listener_open"] is False for row in rows):
        message += ". " + defect_warning(version) + " Restart the server to open its listeners again."
    return result, message
