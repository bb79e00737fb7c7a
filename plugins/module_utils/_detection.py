# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How a relationship's standby decides that its partner is down, and what that lets happen.

Kea's HA hook, in a hub-and-spoke relationship (the branch the primary, the
central the standby):

1. heartbeats (every ``heartbeat-delay``) stop being answered; once
   ``max-response-delay`` has passed since the partner last answered, each end
   reports ``communication-interrupted``;
2. the branch, which serves its clients anyway, then goes ``partner-down`` and
   stops sending lease updates. Until then it does not answer a client before
   the client's lease update has reached the central: while the link is cut
   its clients go unanswered, for about ``max-response-delay`` +
   ``heartbeat-delay`` (measured: no DHCPACK at all in that time);
3. the central, with ``max-unacked-clients`` 0, takes over (``partner-down``)
   at its next heartbeat, whatever the branch's clients see; with N above 0 it
   only starts counting: each of the branch's clients whose query says it has
   been asking for longer than ``max-ack-delay`` (DHCPv4 ``secs``, DHCPv6
   elapsed time) is unacked, and it takes over once N + 1 distinct clients are.

So with 0, a cut of the link between the central and a branch that still
serves its clients makes both ends lease the same pools on their own (split
brain: addresses handed to two clients). With N above 0 the central takes
over only when clients really go unanswered, but the branch's own stall of
step 2 is such a time: its clients ask again up to a back-off gap after it
ends, and if ``max-ack-delay`` is shorter than the stall plus that gap the
central counts them and takes over while the branch serves again (measured
with Kea's defaults: takeover 100 s into a cut). And a takeover needs clients
asking at the right time: after counting starts, for longer than
``max-ack-delay``. Most clients do not ask for ever: ISC dhclient asks for
60 s (``timeout``), then pauses 150 to 450 s (``retry`` 300, randomised)
before a new attempt whose ``secs`` starts again from 0; Windows clients
behave much the same. On a quiet branch whose clients all began asking when
it failed, a central that counts them only after their first attempt waits
for their next one.

Both hold when ``max-response-delay`` + ``heartbeat-delay`` is short (the
stall), ``max-ack-delay`` exceeds the stall plus a back-off gap, and counting
starts early enough for a client's first attempt: RECOMMENDED_DETECTION.

Pure Python; ``rel`` is a relationship of ``_topology``'s model (its
``params``, ``mode``, ``index``, ``branch``, ``central``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# What Kea takes for the failure-detection keys a relationship leaves out (ms; clients).
KEA_DETECTION_DEFAULTS = {"heartbeat-delay": 10000, "max-response-delay": 60000, "max-ack-delay": 10000,
                          "max-unacked-clients": 10}

# What docs/topology.md recommends for a hub whose central hears its branches' clients (its LAN or relays):
# a cut link stalls a branch for at most 8 s, its clients are answered again within 31 s of their first query,
# which max-ack-delay (32 s) does not count; a failed branch's clients are counted within their first attempt.
# Measured on the faults scenario: no takeover in an 80 s cut with 30 clients asking and renewing, takeover 39 s
# after a branch failed with 6 clients asking.
RECOMMENDED_DETECTION = {"heartbeat-delay": 2000, "max-response-delay": 6000, "max-ack-delay": 32000,
                         "max-unacked-clients": 3}

# How a DHCP client asks when nobody answers, in seconds: ISC dhclient's defaults (client/clparse.c).
CLIENT_ATTEMPT = 60  # `timeout`: how long one attempt lasts before the client gives up
CLIENT_PAUSE_LONGEST = 450  # `retry` 300, drawn between half and one and a half times: the pause before the next one
# `backoff-cutoff` 15, drawn up to one and a half times: the longest gap between two queries of one attempt
CLIENT_GAP_LONGEST = 23


def failure_detection(rel):
    """The keys of KEA_DETECTION_DEFAULTS as Kea runs the relationship, its defaults filled in."""
    return dict((key, int(rel.params.get(key, default))) for key, default in KEA_DETECTION_DEFAULTS.items())


def heartbeats(rel):
    """Whether a relationship's servers exchange heartbeats, so that each reports the other's state.

    Not in passive-backup, which has no heartbeats and so no automatic failover either.
    """
    return rel.mode != "passive-backup"


def _seconds(millis):
    return -(-int(millis) // 1000)


def counting_starts(timers):
    """The latest, in seconds after the partner fails, that the standby reports communication-interrupted.

    The partner last answered up to one ``heartbeat-delay`` before it failed;
    ``max-response-delay`` later the standby reads the interruption at its next
    heartbeat, up to one more ``heartbeat-delay`` on.
    """
    return _seconds(timers["max-response-delay"] + 2 * timers["heartbeat-delay"])


def takeover_crowd(rel):
    """How many clients must keep asking on a failed peer's LAN before its partner takes over; 0 when none need to.

    A partner with ``max-unacked-clients`` N (above 0) takes over only once
    N + 1 clients have gone unanswered for ``max-ack-delay``. In
    load-balancing it counts only the clients of the failed peer's scope
    (Kea hashes each client's MAC to one peer, about half each way), so
    6 (N + 2) clients are asked for: were their MACs drawn at random, fewer
    than N + 1 of them would fall into one scope less than once in 10,000
    times, for any N (the checks' MACs are fixed, so Kea's hash decides it
    once for each N).
    """
    unacked = failure_detection(rel)["max-unacked-clients"]
    if unacked <= 0 or not heartbeats(rel):
        return 0
    return 6 * (unacked + 2) if rel.mode == "load-balancing" else unacked + 1


def takeover_seconds(rel):
    """The longest a partner should take to declare a failed peer down while its clients keep asking (seconds).

    With ``max-unacked-clients`` 0: when counting starts (``counting_starts``).
    Above 0, for clients that begin asking once the standby counts (new ones
    arriving, or a crowd started then): ``max-ack-delay`` more for their
    ``secs`` to pass it, a gap between two of their queries, and a heartbeat
    for the state machine to act on it.
    """
    timers = failure_detection(rel)
    start = counting_starts(timers)
    if timers["max-unacked-clients"] <= 0:
        return start
    return start + _seconds(timers["max-ack-delay"]) + CLIENT_GAP_LONGEST + _seconds(timers["heartbeat-delay"])


def takeover_seconds_quiet(rel):
    """The longest a partner should take to declare a failed peer down on a quiet branch (seconds), or None.

    Its clients all began asking when it failed, and ask as ISC dhclient
    does: for CLIENT_ATTEMPT seconds, then again after up to
    CLIENT_PAUSE_LONGEST. A client counts once it asks after counting
    started with ``secs`` above ``max-ack-delay``; if its first attempt ends
    before that, its next one does. None when no attempt is sure to last
    long enough (``max-ack-delay`` near or above a minute): such clients may
    never be counted. With ``max-unacked-clients`` 0 no client is needed
    (``takeover_seconds``).
    """
    timers = failure_detection(rel)
    start = counting_starts(timers)
    if timers["max-unacked-clients"] <= 0:
        return start
    ack = _seconds(timers["max-ack-delay"])
    if ack + CLIENT_GAP_LONGEST > CLIENT_ATTEMPT:
        return None
    attempt = 0
    while True:
        # the first moment a query of this attempt counts, and the longest until the client sends one
        counted = max(start, attempt + ack) + CLIENT_GAP_LONGEST
        if counted <= attempt + CLIENT_ATTEMPT:
            return counted + _seconds(timers["heartbeat-delay"])
        attempt += CLIENT_ATTEMPT + CLIENT_PAUSE_LONGEST


def cut_stall(timers):
    """The longest a cut link keeps the branch from answering its clients (seconds): until it goes partner-down."""
    return _seconds(timers["max-response-delay"] + timers["heartbeat-delay"])


def stalled_clients_counted(rel):
    """Whether the central may count the clients a cut link stalled at the branch, and take over while it serves.

    A client stalled from the start of the cut asks again at most
    CLIENT_GAP_LONGEST after the branch answers again; by then it has asked
    for ``cut_stall`` + that gap, which ``max-ack-delay`` must exceed.
    """
    timers = failure_detection(rel)
    if timers["max-unacked-clients"] <= 0 or not heartbeats(rel):
        return False
    return timers["max-ack-delay"] <= 1000 * (cut_stall(timers) + CLIENT_GAP_LONGEST)


def first_attempt_counted(rel):
    """Whether clients that began asking when the partner failed are counted within their first attempt."""
    timers = failure_detection(rel)
    start = max(counting_starts(timers), _seconds(timers["max-ack-delay"]))
    return start + CLIENT_GAP_LONGEST <= CLIENT_ATTEMPT


def _label(rel):
    return "relationship %d (%s)" % (rel.index, rel.branch.host)


def _how_central_hears(rel):
    central = rel.central
    if central.relay_interfaces:
        return "through relays"
    if central.interface:
        return "on the branch's LAN"
    return "where it serves the branch's subnets"


def warnings(rel):
    """What the relationship's failure detection lets happen that an operator should know: ``[(kind, text)]``.

    Each text starts with what follows the relationship's name, so that
    relationships with the same finding are named together in one warning.
    """
    if not heartbeats(rel):
        return []
    timers = failure_detection(rel)
    keys = ("heartbeat-delay", "max-response-delay", "max-ack-delay", "max-unacked-clients")
    recommended = ("heartbeat-delay %d, max-response-delay %d, max-ack-delay %d and max-unacked-clients %d"
                   % tuple(RECOMMENDED_DETECTION[key] for key in keys))
    found = []
    if timers["max-unacked-clients"] <= 0:
        found.append((
            "split brain",
            "max-unacked-clients 0 lets the central take over as soon as the branch's heartbeats stop, although it "
            "hears the branch's clients (%s): a cut of the link between them while the branch still serves is a split "
            "brain, both ends leasing the same pools on their own and handing addresses to two clients. Set "
            "max-unacked-clients above 0, so that the central takes over only once the branch's clients go unanswered "
            "(recommended: %s; docs/topology.md, 'Failure detection')." % (_how_central_hears(rel), recommended)))
        return found
    if stalled_clients_counted(rel):
        found.append((
            "split brain",
            "a cut of the link to the central keeps the branch from answering its clients for up to %d s "
            "(max-response-delay + heartbeat-delay: Kea's primary answers only once a lease update reached its "
            "partner, until it declares the partner down), and its clients ask again up to %d s after that, longer "
            "than max-ack-delay %d ms: the central, which hears them (%s), counts them as unanswered and takes over "
            "while the branch serves again, a split brain. Shorten max-response-delay and keep max-ack-delay above "
            "max-response-delay + heartbeat-delay + %d s (recommended: %s; docs/topology.md, 'Failure detection')."
            % (cut_stall(timers), cut_stall(timers) + CLIENT_GAP_LONGEST, timers["max-ack-delay"],
               _how_central_hears(rel), CLIENT_GAP_LONGEST, recommended)))
    if not first_attempt_counted(rel):
        quiet = takeover_seconds_quiet(rel)
        outcome = ("the takeover can take %d s" % quiet if quiet is not None else
                   "such clients may never be counted, and the central may never take over")
        found.append((
            "slow takeover",
            "the central counts the branch's unanswered clients only from %d s after the branch fails "
            "(max-response-delay %d + 2 x heartbeat-delay %d ms) and only those asking for over max-ack-delay %d ms, "
            "while a client that began asking then gives up after %d s (dhclient; then it pauses up to %d s): "
            "on a quiet branch %s (recommended: %s; docs/sizing.md, 'How long a takeover takes')."
            % (counting_starts(timers), timers["max-response-delay"], timers["heartbeat-delay"],
               timers["max-ack-delay"], CLIENT_ATTEMPT, CLIENT_PAUSE_LONGEST, outcome, recommended)))
    return found


def topology_warnings(model):
    """Every relationship's ``warnings`` as texts, relationships with the same finding named together.

    A dual-stack topology's say their server first (``DHCPv6 relationship 2 (b2): ...``).
    """
    halves = getattr(model, "families", None)
    if isinstance(halves, dict):
        return ["DHCPv%d %s" % (family, text) for family, half in sorted(halves.items())
                for text in topology_warnings(half)]
    grouped = {}  # text -> labels, in the order first seen
    for rel in model.relationships:
        for _kind, text in warnings(rel):
            grouped.setdefault(text, []).append(_label(rel))
    return ["%s%s: %s" % ("relationships " if len(labels) > 1 else "",
                          ", ".join(label.replace("relationship ", "", 1) if len(labels) > 1 else label
                                    for label in labels), text)
            for text, labels in grouped.items()]
