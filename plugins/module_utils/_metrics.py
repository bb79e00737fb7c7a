# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every relationship seen from both ends, as Prometheus text exposition (version 0.0.4).

Input: the rows of the status report (``_status.status_rows``), one per
relationship, each with a ``central`` and a ``branch`` view. Output: one
text, every metric family once with its HELP and TYPE lines, samples in the
order of the rows, central end before branch end, states in the order of
``STATES``; the same rows always give the same text. Pure Python.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._status import MISSING, UNREAD

PREFIX = "kea_ha_"

# Every state Kea's HA hook can be in (ha_service_states.cc, stateToString),
# sorted. A state outside this list gets a series of its own, after these.
STATES = (
    "backup",
    "communication-recovery",
    "hot-standby",
    "in-maintenance",
    "load-balancing",
    "partner-down",
    "partner-in-maintenance",
    "passive-backup",
    "ready",
    "syncing",
    "terminated",
    "unavailable",
    "waiting",
)

ENDS = ("central", "branch")

# Families with one sample per end: (name without prefix, help, key of the end's view).
# Kea's status-get reports these in each relationship's "remote" section, except
# the unsent update count, which only ha-heartbeat returns (kea_ha_status heartbeat=true).
_PER_END = (
    ("in_touch", "Whether this end has heard from its partner since it started (Kea's in-touch).", "in_touch"),
    ("communication_interrupted",
     "Whether this end has had no answer from its partner for longer than max-response-delay.",
     "communication_interrupted"),
    ("partner_age_seconds",
     "Seconds since this end last heard from its partner, as Kea reports it (age; 0 when not in touch).", "age"),
    ("unacked_clients", "Clients this end saw go unanswered by its partner while communication was interrupted.",
     "unacked_clients"),
    ("unacked_clients_left",
     "Unanswered clients this end still has to see before it takes over (0 while communication works).",
     "unacked_clients_left"),
    ("connecting_clients", "Clients trying to reach the partner while communication was interrupted.",
     "connecting_clients"),
    ("analyzed_packets", "DHCP packets this end examined since communication with its partner was interrupted.",
     "analyzed_packets"),
    ("unsent_updates", "Lease updates this end did not send to its partner (ha-heartbeat's unsent-update-count).",
     "unsent_update_count"),
    ("clock_offset_seconds",
     "Seconds this end's Kea clock was ahead of the controller's (negative: behind) when read; Kea warns when the "
     "two ends of a relationship differ by more than 30 s and ends HA for it past 60 s.", "clock_offset"),
)


def _escape(text, quote):
    text = text.replace("\\", "\\\\").replace("\n", "\\n")
    return text.replace('"', '\\"') if quote else text


def label_value(value):
    """A label value escaped for the text format: backslash, double quote and line feed."""
    return _escape(u"" if value is None else u"%s" % value, True)


def help_text(text):
    """A HELP text escaped for the text format: backslash and line feed."""
    return _escape(text, False)


def _labels(pairs):
    return "{%s}" % ",".join('%s="%s"' % (name, label_value(value)) for name, value in pairs)


def _number(value):
    """A sample's value: booleans as 1/0, numbers as they are; None when there is none."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return "%d" % value
    if isinstance(value, float):
        return repr(value)
    return None


def _read(view):
    return view.get("state") not in (UNREAD, MISSING, None)


def _row_labels(row):
    """A relationship's labels; a dual-stack hub's also say the server (``server="dhcp6"``): each runs its own."""
    labels = [("relationship", row["relationship"]), ("central", row["central_name"]), ("branch", row["branch_name"])]
    if "family" in row:
        labels.insert(0, ("server", "dhcp%d" % int(row["family"])))
    return labels


def _ends(row):
    """``(labels, view)`` of the central end, then the branch end, of one row."""
    names = {"central": row["central_name"], "branch": row["branch_name"]}
    hosts = {"central": row["central_host"], "branch": row["branch_host"]}
    base = _row_labels(row)
    for end in ENDS:
        other = "branch" if end == "central" else "central"
        yield base + [("end", end), ("host", hosts[end]), ("server_name", names[end]),
                      ("partner", names[other])], row[end] or {}


def _state_samples(name, labels, current):
    """One sample per known state (1 for ``current``), plus one for a current state Kea added later."""
    known = list(STATES)
    if current and current not in STATES:
        known.append(current)
    return ["%s%s %d" % (name, _labels(labels + [("state", state)]), 1 if state == current else 0) for state in known]


def families(rows):
    """``[(name, help, type, [sample line, ...]), ...]`` of the rows, in the order they are written."""
    out = []

    def family(short, text, lines):
        out.append((PREFIX + short, text, "gauge", lines))

    ends = [(labels, view) for row in rows for labels, view in _ends(row)]
    family("up", "Whether this end's HA status was read (1), or not (0: unreachable, not set up by the roles, "
                 "or running no relationship of that name).",
           ["%s%s %d" % (PREFIX + "up", _labels(labels), 1 if _read(view) else 0) for labels, view in ends])
    family("relationship_ok", "Whether both ends of the relationship were read and are in an expected state.",
           ["%s%s %d" % (PREFIX + "relationship_ok",
                         _labels(_row_labels(row)), 1 if row.get("ok") else 0) for row in rows])
    family("state", "The HA state of this end: 1 for the one it is in, 0 for the others (no series when unread).",
           [line for labels, view in ends if _read(view)
            for line in _state_samples(PREFIX + "state", labels, view.get("state"))])
    family("partner_state", "The partner's last state as this end saw it: 1 for that state, 0 for the others "
                            "(all 0 when it has not heard from the partner).",
           [line for labels, view in ends if _read(view) and "partner_state" in view
            for line in _state_samples(PREFIX + "partner_state", labels, view.get("partner_state"))])
    for short, text, key in _PER_END:
        lines = []
        for labels, view in ends:
            value = _number(view.get(key)) if _read(view) else None
            if value is not None:
                lines.append("%s%s %s" % (PREFIX + short, _labels(labels), value))
        family(short, text, lines)
    compared = [row for row in rows if row.get("leases")]
    family("lease_conflicts", "Addresses the two ends lease to different clients, in the relationship's subnets "
                              "(only read while both ends are in an expected state; Kea does not mend them).",
           ["%s%s %d" % (PREFIX + "lease_conflicts", _labels(_row_labels(row)), row["leases"]["conflicts"])
            for row in compared])
    family("leases_one_sided", "Addresses only one end holds a lease of, in the relationship's subnets, older than "
                               "two heartbeats (holder: the end that holds them).",
           ["%s%s %d" % (PREFIX + "leases_one_sided", _labels(_row_labels(row) + [("holder", end)]),
                         row["leases"]["only_" + end]) for row in compared for end in ENDS])
    return out


def exposition(rows):
    """The rows as one text in the Prometheus text format, ending with a line feed.

    A family with no sample (the unsent update count, when no heartbeat was
    read) is left out, HELP and TYPE lines included.
    """
    lines = []
    for name, text, kind, samples in families(rows):
        if not samples:
            continue
        lines.append("# HELP %s %s" % (name, help_text(text)))
        lines.append("# TYPE %s %s" % (name, kind))
        lines.extend(samples)
    return "\n".join(lines) + "\n"
