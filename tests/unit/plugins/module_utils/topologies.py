# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Topologies and files the module_utils tests share (fresh copies, so that a test may change its own)."""

import copy
import json
import os

import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")

_TWO_BRANCHES_V4 = {
    "central": "hub",
    "defaults": {"heartbeat-delay": 10000},
    "relationships": [
        {
            "branch": {"host": "b1", "name": "s1", "url": "http://10.1.0.2:8001/", "interface": "eth1"},
            "central": {"name": "s2", "url": "http://10.1.0.3:8001/", "interface": "eth1"},
            "subnets": [{"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.99"}]}],
        },
        {
            "branch": {"host": "b2", "name": "s3", "url": "http://10.2.0.2:8001/", "interface": "eth1"},
            "central": {"name": "s4", "url": "http://10.2.0.3:8001/", "interface": "eth2"},
            "subnets": [{"id": 2, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.0/25"}]}],
        },
    ],
}

# Two relationships on their own LANs, the central on a port each: what the status tests read.
_STATUS_HUB = {
    "central": "hub",
    "relationships": [
        {"branch": {"host": "b1", "name": "s1", "url": "http://10.1.0.2:8001/", "interface": "lan1"},
         "central": {"name": "s2", "url": "http://10.1.0.3:8001/", "interface": "lan1"},
         "subnets": [{"id": 1, "subnet": "10.1.0.0/24"}]},
        {"branch": {"host": "b2", "name": "s3", "url": "http://10.2.0.2:8001/", "interface": "lan2"},
         "central": {"name": "s4", "url": "http://10.2.0.3:8002/", "interface": "lan2"},
         "subnets": [{"id": 2, "subnet": "10.2.0.0/24"}]},
    ],
}


def two_branches_v4():
    """Two branches, DHCPv4: the shape most tests start from."""
    return copy.deepcopy(_TWO_BRANCHES_V4)


def status_hub():
    return copy.deepcopy(_STATUS_HUB)


def example(name):
    """The kea_ha_topology of examples/<name>/."""
    with open(os.path.join(ROOT, "examples", name, "group_vars", "all.yml")) as handle:
        return yaml.safe_load(handle)["kea_ha_topology"]


def seed_fixture(name):
    """One of Kea's documented hub-and-spoke configurations (tests/fixtures/seed/)."""
    with open(os.path.join(ROOT, "tests", "fixtures", "seed", name)) as handle:
        return json.load(handle)


# What a skew past 60 s says (_clock.skew_problem), whoever measured it.
TERMINATED = ("Kea ends HA for the relationship (state terminated: the branch serves alone, the central no longer "
              "takes over for it) and keeps it ended until the clocks agree and both ends are reloaded "
              "(docs/operations.md, 'Clocks that differ'); synchronise them (NTP)")
