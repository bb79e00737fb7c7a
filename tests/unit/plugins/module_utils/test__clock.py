# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import calendar

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._clock import (
    ends, host_clock_warnings, kea_time, offset, skew_problem)

from topologies import TERMINATED

NOON = calendar.timegm((2026, 12, 7, 12, 0, 0))


@pytest.mark.parametrize("text, expected", [
    ("Mon, 07 Dec 2026 12:00:00 GMT", NOON),        # what Kea's ha-heartbeat returns (RFC 1123)
    ("Mon, 07 Dec 2026 13:30:00 +0130", NOON),
    ("not a date", None), ("", None), (None, None), (1796644800, None),
])
def test_kea_time_reads_rfc_1123(text, expected):
    assert kea_time(text) == expected


def test_offset_is_whole_seconds_ahead_of_the_reference():
    assert offset("Mon, 07 Dec 2026 12:01:30 GMT", NOON + 0.4) == 90
    assert offset("Mon, 07 Dec 2026 11:59:00 GMT", NOON) == -60
    assert offset("garbage", NOON) is None and offset("Mon, 07 Dec 2026 12:00:00 GMT", None) is None


@pytest.mark.parametrize("central, branch, expected", [
    (0, 30, None), (5, -25, None), (None, 90, None),
    (0, 31, "relationship 2 (b2): the clocks of c (central) and b2 (branch) differ by 31 s, the branch's ahead: "
            "Kea warns (HA_HIGH_CLOCK_SKEW) and ends HA for the relationship past 60 s; synchronise them (NTP)"),
    (95, 0, "relationship 2 (b2): the clocks of c (central) and b2 (branch) differ by 95 s, the central's ahead: "
            + TERMINATED),
])
def test_skew_problem_past_kea_s_warning_threshold(central, branch, expected):
    assert skew_problem("relationship 2 (b2)", *ends("c", central, "b2", branch)) == expected


def test_host_clock_warnings_leave_out_hosts_without_an_offset():
    relationships = [("relationship 1 (b1)", "c", "b1"), ("relationship 2 (b2)", "c", "b2")]
    found = host_clock_warnings(relationships, {"c": 0, "b2": 61})
    assert len(found) == 1 and found[0].startswith(
        "relationship 2 (b2): the clocks of the hosts c (central) and b2 (branch) differ by 61 s, the branch's ahead")
