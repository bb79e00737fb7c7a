# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two ends' leases of a relationship compared, as tables."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils import _divergence as divergence

NOW = 1000000


def v4(address, mac, subnet=2, cltt=NOW - 100, valid=3600, state=0, **extra):
    return dict({"ip-address": address, "hw-address": mac, "subnet-id": subnet, "cltt": cltt, "valid-lft": valid,
                 "state": state}, **extra)


def v6(address, duid, iaid=1, subnet=2, cltt=NOW - 100, valid=3600, **extra):
    return dict({"ip-address": address, "duid": duid, "iaid": iaid, "type": "IA_NA", "prefix-len": 128,
                 "subnet-id": subnet, "cltt": cltt, "valid-lft": valid, "state": 0}, **extra)


def twelve(offset=0):
    return [v4("10.0.2.%d" % (100 + n), "02:00:00:00:00:%02x" % (n + offset)) for n in range(12)]


@pytest.mark.parametrize("central, branch, conflicts, only_branch, only_central", [
    # the same twelve leases on both ends
    (twelve(), twelve(), [], [], []),
    # an address leased to two clients, the split brain
    (twelve(), twelve()[:9] + [v4("10.0.2.109", "02:00:00:00:00:99")] + twelve()[10:],
     [("10.0.2.109", "02:00:00:00:00:99", "02:00:00:00:00:09")], [], []),
    # a lease only one end holds, either way
    (twelve(), twelve()[:11], [], [], ["10.0.2.111"]),
    (twelve()[1:], twelve(), [], ["10.0.2.100"], []),
    # hardware addresses compared as Kea may spell them
    ([v4("10.0.2.100", "02:AA:00:00:00:01")], [v4("10.0.2.100", "02:aa:00:00:00:01")], [], [], []),
    # another relationship's subnet, an expired lease, a declined or reclaimed one: not compared
    ([v4("10.0.3.5", "02:00:00:00:00:01", subnet=3)], [], [], [], []),
    ([v4("10.0.2.5", "02:00:00:00:00:01", cltt=NOW - 4000)], [], [], [], []),
    ([v4("10.0.2.5", "02:00:00:00:00:01", state=1)], [], [], [], []),
    ([v4("10.0.2.5", "02:00:00:00:00:01", state=2)], [], [], [], []),
    # granted in the last ten seconds: a lease update may be on its way
    ([v4("10.0.2.5", "02:00:00:00:00:01", cltt=NOW - 5)], [], [], [], []),
    ([v4("10.0.2.5", "02:00:00:00:00:01", cltt=NOW - 5)], [v4("10.0.2.5", "02:00:00:00:00:02")], [], [], []),
    # a lease without a hardware address: its client identifier
    ([v4("10.0.2.5", "", **{"client-id": "01:02"})], [v4("10.0.2.5", "", **{"client-id": "01:03"})],
     [("10.0.2.5", "client-id 01:03", "client-id 01:02")], [], []),
    # DHCPv6: DUID and IAID
    ([v6("2001:db8:2::100", "00:03:00:01:02:00:00:00:00:01")], [v6("2001:db8:2::100", "00:03:00:01:02:00:00:00:00:01", iaid=7)],
     [("2001:db8:2::100/128 IA_NA", "duid 00:03:00:01:02:00:00:00:00:01 iaid 7",
       "duid 00:03:00:01:02:00:00:00:00:01 iaid 1")], [], []),
], ids=["equal", "two clients", "central only", "branch only", "MAC case", "other subnet", "expired", "declined",
        "reclaimed", "recent", "recent conflict", "client-id", "DHCPv6"])
def test_compare(central, branch, conflicts, only_branch, only_central):
    found = divergence.compare(central, branch, [1, 2], NOW, 10)
    assert (found["conflicts"], found["only_branch"], found["only_central"]) == (conflicts, only_branch, only_central)


def test_the_summary_names_five_addresses_and_counts_them_all():
    central = twelve()
    branch = [dict(lease, **{"hw-address": "02:00:00:00:01:%02x" % n}) for n, lease in enumerate(twelve()[:8])] + \
        twelve()[8:10] + [v4("10.0.2.200", "02:00:00:00:02:01")]
    brief = divergence.summary(divergence.compare(central, branch, [2], NOW, 10))
    assert (brief["conflicts"], brief["only_branch"], brief["only_central"], brief["compared"]) == (8, 1, 2, 13)
    assert brief["sample"] == ["10.0.2.%d: branch 02:00:00:00:01:%02x, central 02:00:00:00:00:%02x" % (100 + n, n, n)
                               for n in range(5)]
    assert divergence.problem("relationship 2 (b2)", brief) == (
        "relationship 2 (b2): the two ends' leases differ: 8 addresses leased to different clients by the two ends, "
        "1 held only by the branch, 2 held only by the central (" + "; ".join(brief["sample"]) + "); Kea does not "
        "mend this by itself: docs/operations.md, 'Leases that differ between the two ends'")


def test_a_sample_gives_room_to_one_sided_leases_when_conflicts_are_few():
    brief = divergence.summary(divergence.compare(twelve()[1:], twelve()[:11], [2], NOW, 10))
    assert brief["sample"] == ["10.0.2.100: only on the branch", "10.0.2.111: only on the central"]


def test_equal_tables_are_no_problem():
    brief = divergence.summary(divergence.compare(twelve(), twelve(), [2], NOW, 10))
    assert divergence.problem("relationship 1 (b1)", brief) is None


@pytest.mark.parametrize("heartbeat, grace", [(1000, 10), (2000, 10), (10000, 20), (12500, 25)])
def test_the_grace_is_two_heartbeats_and_at_least_ten_seconds(heartbeat, grace):
    assert divergence.grace_seconds(heartbeat) == grace
