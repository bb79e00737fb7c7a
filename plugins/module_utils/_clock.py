# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Clocks that differ between the two ends of a relationship.

Kea's HA hook compares its clock with the ``date-time`` its partner returns
in each ``ha-heartbeat``: past 30 s it logs HA_HIGH_CLOCK_SKEW, past 60 s it
puts the relationship in the ``terminated`` state (HA_HIGH_CLOCK_SKEW_CAUSED_
TERMINATION), where each end serves only its own scopes (the branch its
clients, the central none of them) and neither takes over for the other
until both ends are reloaded (a reset, ``ha-reset``, finds the old skew and
terminates again). Kea reports the skew in its log
only, not in ``status-get``; here it is measured from the outside:

* on a host, ``offset(date_time, reference)``: Kea's clock (a ``date-time``
  text) against a reference clock read at the same moment;
* between the two ends, ``skew_problem``: the difference of their offsets
  against one reference (the controller's clock, or one host's).

Pure Python, no Ansible imports.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import email.utils

# Kea's thresholds (WARN_CLOCK_SKEW and TERM_CLOCK_SKEW of the HA hook's communication_state.cc), in seconds.
KEA_WARNS_PAST = 30
KEA_TERMINATES_PAST = 60


def kea_time(text):
    """Seconds since the epoch of an RFC 1123 ``date-time`` (``Mon, 07 Dec 2026 20:40:00 GMT``); None if not one."""
    if not isinstance(text, str):
        return None
    parsed = email.utils.parsedate_tz(text)
    if parsed is None:
        return None
    return calendar.timegm(parsed[:9]) - (parsed[9] or 0)


def offset(date_time, reference):
    """How far ahead (positive) or behind the clock that said ``date_time`` is of ``reference`` (epoch seconds),
    whole seconds; None when ``date_time`` is not a date."""
    stamp = kea_time(date_time)
    if stamp is None or reference is None:
        return None
    return int(round(stamp - float(reference)))


def skew_problem(label, first, second, what="clocks of"):
    """A text when two ends' clocks differ by more than Kea tolerates without a warning, else None.

    ``first`` and ``second``: ``(name, short name, offset)`` of each end, their offsets against one reference (an
    offset of None: not known, no text); ``what`` says whose clocks they are.
    """
    (name1, short1, offset1), (name2, short2, offset2) = first, second
    if offset1 is None or offset2 is None:
        return None
    skew = abs(offset2 - offset1)
    if skew <= KEA_WARNS_PAST:
        return None
    fate = ("Kea ends HA for the relationship (state terminated: the branch serves alone, the central no longer "
            "takes over for it) and keeps it ended until the clocks agree and both ends are reloaded "
            "(docs/operations.md, 'Clocks that differ')" if skew > KEA_TERMINATES_PAST else
            "Kea warns (HA_HIGH_CLOCK_SKEW) and ends HA for the relationship past %d s" % KEA_TERMINATES_PAST)
    return "%s: the %s %s and %s differ by %d s, the %s's ahead: %s; synchronise them (NTP)" % (
        label, what, name1, name2, skew, short2 if offset2 > offset1 else short1, fate)


def ends(central, central_offset, branch, branch_offset):
    """``skew_problem``'s two ends of a relationship, central first."""
    return ("%s (central)" % central, "central", central_offset), ("%s (branch)" % branch, "branch", branch_offset)


def host_clock_warnings(relationships, offsets):
    """Warnings for the relationships whose two hosts' clocks differ by more than KEA_WARNS_PAST seconds.

    ``relationships``: ``(label, central host, branch host)``; ``offsets``: ``{host: seconds ahead of the
    controller}`` as ``kea_probe`` measured them (hosts without one are left out).
    """
    found = []
    for label, central, branch in relationships:
        text = skew_problem(label, *ends(central, offsets.get(central), branch, offsets.get(branch)),
                            what="clocks of the hosts")
        if text:
            found.append(text)
    return found
