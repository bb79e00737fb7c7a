# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_kea_keys.kea_normal: what Kea treats as equal is equal, every real difference stays one."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import ABSENT, changes
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_keys import kea_normal


EQUAL = [
    ("a hook library without parameters",
     {"hooks-libraries": [{"library": "libdhcp_lease_cmds.so"}]},
     {"hooks-libraries": [{"library": "libdhcp_lease_cmds.so", "parameters": {}}]}),
    ("pool spelling", {"pools": [{"pool": "10.0.0.10 - 10.0.0.99"}]}, {"pools": [{"pool": "10.0.0.10-10.0.0.99"}]}),
    ("IPv6 spelling", {"subnet": "2001:DB8:0::/64"}, {"subnet": "2001:db8::/64"}),
    ("interfaces in another order", {"interfaces-config": {"interfaces": ["lan10", "lan2"]}},
     {"interfaces-config": {"interfaces": ["lan2", "lan10"]}}),
    ("raw sockets said or not", {"interfaces-config": {"dhcp-socket-type": "raw"}}, {"interfaces-config": {}}),
    ("keys in another order", {"a": 1, "b": 2}, {"b": 2, "a": 1}),
]

DIFFERENT = [
    ("a hook library's real parameters",
     {"hooks-libraries": [{"library": "x.so"}]}, {"hooks-libraries": [{"library": "x.so", "parameters": {"a": 1}}]},
     [(".hooks-libraries[0].parameters", ABSENT, {"a": 1})]),
    ("udp sockets instead of raw ones", {"interfaces-config": {"interfaces": ["eth0"]}},
     {"interfaces-config": {"interfaces": ["eth0"], "dhcp-socket-type": "udp"}},
     [(".interfaces-config.dhcp-socket-type", ABSENT, "udp")]),
    ("another pool", {"pools": [{"pool": "10.0.0.10-10.0.0.99"}]}, {"pools": [{"pool": "10.0.0.10-10.0.0.98"}]},
     [(".pools[0].pool", "10.0.0.10-10.0.0.99", "10.0.0.10-10.0.0.98")]),
    ("hook libraries in another order", {"hooks-libraries": [{"library": "a.so"}, {"library": "b.so"}]},
     {"hooks-libraries": [{"library": "b.so"}, {"library": "a.so"}]},
     [(".hooks-libraries[0].library", "a.so", "b.so"), (".hooks-libraries[1].library", "b.so", "a.so")]),
    ("true is not 1", {"a": True}, {"a": 1}, [(".a", True, 1)]),
]


@pytest.mark.parametrize("one, two", [case[1:] for case in EQUAL], ids=[case[0] for case in EQUAL])
def test_what_kea_treats_as_equal(one, two):
    assert kea_normal(one) == kea_normal(two)
    assert changes(one, two, "") == []


@pytest.mark.parametrize("one, two, found", [case[1:] for case in DIFFERENT], ids=[case[0] for case in DIFFERENT])
def test_real_differences_stay(one, two, found):
    assert changes(one, two, "") == found


def test_subnets_compare_by_id_at_ten_and_more():
    """Kea keeps subnets by id: twelve in another order are the same; one gone or changed is named by its id."""
    subnets = [{"id": n, "subnet": "10.%d.0.0/24" % n} for n in range(1, 13)]
    assert changes({"subnet4": subnets}, {"subnet4": list(reversed(subnets))}, "Dhcp4") == []
    changed = [dict(s) for s in subnets[:11]]
    changed[9]["subnet"] = "10.99.0.0/24"
    assert changes({"subnet4": subnets}, {"subnet4": changed}, "Dhcp4") == [
        ("Dhcp4.subnet4[id 10].subnet", "10.10.0.0/24", "10.99.0.0/24"),
        ("Dhcp4.subnet4[id 12]", subnets[11], ABSENT)]
