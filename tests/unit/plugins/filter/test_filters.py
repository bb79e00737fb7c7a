# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The filters are thin: they call the model and turn its errors into AnsibleFilterError."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.filter import (
    ha_plan, ha_relationships, host_interfaces, kea_configs, kea_control_channel, tag_subnets, topology_problems)

TOPOLOGY = {
    "central": "hub",
    "relationships": [{
        "branch": {"host": "b1", "name": "s1", "url": "http://10.1.0.2:8001/", "interface": "lan1"},
        "central": {"name": "s2", "url": "http://10.1.0.3:8001/", "interface": "lan1"},
        "subnets": [{"id": 1, "subnet": "10.1.0.0/24"}],
    }],
}
BROKEN = {"central": "hub", "relationships": []}
BROKEN_MESSAGE = ("kea_ha_topology is invalid (1 problem):\n"
                  "  - kea_ha_topology: 'relationships' must be a non-empty list (one per branch), not an empty list")


@pytest.mark.parametrize("module, name", [
    (kea_configs, "kea_configs"), (ha_relationships, "ha_relationships"),
    (tag_subnets, "tag_subnets"), (topology_problems, "topology_problems"), (host_interfaces, "host_interfaces"),
    (ha_plan, "ha_plan"), (kea_control_channel, "kea_control_channel"),
])
def test_each_file_exports_its_filter(module, name):
    assert list(module.FilterModule().filters()) == [name]


def test_kea_configs_passes_options_through():
    configs = kea_configs.kea_configs(TOPOLOGY, hooks_dir="/opt/kea/hooks")
    assert configs["b1"]["Dhcp4"]["hooks-libraries"][1]["library"] == "/opt/kea/hooks/libdhcp_ha.so"


def test_kea_configs_per_host_hooks_dirs_and_a_subset_of_hosts():
    configs = kea_configs.kea_configs(TOPOLOGY, hooks_dir={"b1": "/usr/lib64/kea/hooks", "hub": None})
    libraries = dict((host, config["Dhcp4"]["hooks-libraries"][1]["library"]) for host, config in configs.items())
    assert libraries == {"b1": "/usr/lib64/kea/hooks/libdhcp_ha.so", "hub": "libdhcp_ha.so"}
    assert list(kea_configs.kea_configs(TOPOLOGY, hosts=["b1"])) == ["b1"]
    with pytest.raises(AnsibleFilterError, match="hooks_dir must map inventory hosts to path strings"):
        kea_configs.kea_configs(TOPOLOGY, hooks_dir={"b1": 3})


def test_kea_control_channel_names_what_is_missing():
    with pytest.raises(AnsibleFilterError, match="kea_control_channel: settings missing: run_dir, api_user"):
        kea_control_channel.kea_control_channel({"control_address": "127.0.0.1", "control_port": 8000,
                                                 "tls_dir": "/t", "config_dir": "/c"}, 4)


@pytest.mark.parametrize("call", [
    lambda: kea_configs.kea_configs(BROKEN),
    lambda: ha_relationships.ha_relationships(BROKEN, "hub"),
])
def test_invalid_topology_raises_filter_error_with_every_problem(call):
    with pytest.raises(AnsibleFilterError) as info:
        call()
    assert info.value.message == BROKEN_MESSAGE


def test_ha_relationships_names_an_unknown_host():
    with pytest.raises(AnsibleFilterError) as info:
        ha_relationships.ha_relationships(TOPOLOGY, "b9")
    assert info.value.message == ("kea_ha_topology is invalid (1 problem):\n"
                                  "  - host 'b9': it is neither the central ('hub') nor a branch of any relationship; did you mean 'b1'?")


def test_tag_subnets_error_is_a_filter_error():
    with pytest.raises(AnsibleFilterError) as info:
        tag_subnets.tag_subnets([{"id": 1, "subnet": "10.0.0.0/8", "user-context": {"ha-server-name": "x"}}], "s1", peers=["s2"])
    assert "already tagged ha-server-name 'x', which is not a peer of its relationship ('s1', 's2')" in info.value.message


def test_topology_problems_lists_instead_of_failing():
    assert topology_problems.topology_problems(TOPOLOGY) == []
    assert topology_problems.topology_problems(BROKEN) == [BROKEN_MESSAGE.split("  - ", 1)[1]]


def test_host_interfaces_lists_each_relationship_of_the_host():
    topology = {
        "central": "hub",
        "relationships": [
            {"branch": {"host": "b1", "name": "s1", "url": "http://10.1.0.2:8001/", "interface": "eth1"},
             "central": {"name": "s2", "url": "http://10.1.0.3:8001/", "interface": "lan1"},
             "subnets": [{"id": 1, "subnet": "10.1.0.0/24"}]},
            {"branch": {"host": "b2", "name": "s3", "url": "http://10.2.0.2:8001/", "interface": "lan2"},
             "central": {"name": "s4", "url": "http://10.2.0.3:8001/", "relay-interfaces": ["wan0"]},
             "subnets": [{"id": 2, "subnet": "10.2.0.0/24"}]},
        ],
    }
    assert host_interfaces.host_interfaces(topology, "hub") == [
        {"relationship": 1, "branch": "b1", "peer": "s2", "interface": "lan1", "relayed": False},
        {"relationship": 2, "branch": "b2", "peer": "s4", "interface": "wan0", "relayed": True}]
    assert host_interfaces.host_interfaces(topology, "b1") == [
        {"relationship": 1, "branch": "b1", "peer": "s1", "interface": "eth1", "relayed": False}]
    assert host_interfaces.host_interfaces(topology, "b2") == [
        {"relationship": 2, "branch": "b2", "peer": "s3", "interface": "lan2", "relayed": False}]


def test_hostvars_supply_facts_for_urls_and_branch_subnets():
    topology = {
        "central": "hub",
        "relationships": [{"branch": {"host": "b1", "name": "s1", "interface": "eth1"},
                           "central": {"name": "s2", "interface": "eth1"}}],
    }
    hostvars = {
        "hub": {"ansible_facts": {"eth1": {"ipv4": {"address": "10.1.0.3"}}}},
        "b1": {"ansible_facts": {"eth1": {"ipv4": {"address": "10.1.0.2"}}},
               "kea_ha_subnets": [{"id": 1, "subnet": "10.1.0.0/24"}]},
        "unrelated": {"kea_ha_subnets": [{"id": 9, "subnet": "10.9.0.0/24"}]},
    }
    configs = kea_configs.kea_configs(topology, hostvars=hostvars)
    peers = configs["hub"]["Dhcp4"]["hooks-libraries"][1]["parameters"]["high-availability"][0]["peers"]
    assert [p["url"] for p in peers] == ["http://10.1.0.2:8001/", "http://10.1.0.3:8001/"]
    assert [s["id"] for s in configs["hub"]["Dhcp4"]["subnet4"]] == [1]
    assert topology_problems.topology_problems(topology) == [
        "relationship 1 (b1) branch peer 's1': 'url' is required (no facts of host 'b1' to derive it from)",
        "relationship 1 (b1) central peer 's2': 'url' is required (no facts of host 'hub' to derive it from)",
        "relationship 1 (b1): 'subnets' must be a non-empty list of Kea subnet objects, not null",
    ]


def test_ha_plan_reports_option_hosts_outside_the_topology_unless_asked_to_ignore_them():
    # what the roles pass: every host of the play, here b3, a branch just removed from the topology
    options = dict(versions={"hub": "2.6", "b1": "2.6", "b3": "2.6"},
                   host_base={"hub": {}, "b1": {}, "b3": {}},
                   control_endpoints={"hub": ["127.0.0.1:8000"], "b1": ["127.0.0.1:8000"], "b3": ["127.0.0.1:8000"]})
    refused = ha_plan.ha_plan(TOPOLOGY, **options)
    assert refused["hosts"] == {}
    assert refused["problems"] == [
        "keadhcp.ha options: host_base: host 'b3' is not part of the topology; did you mean 'b1'?",
        "keadhcp.ha options: control_endpoints: host 'b3' is not part of the topology; did you mean 'b1'?",
    ]
    planned = ha_plan.ha_plan(TOPOLOGY, ignore_unknown_hosts=True, **options)
    assert planned["problems"] == []
    assert sorted(planned["hosts"]) == ["b1", "hub"]
    # a typo in a topology host's own entry is still what it was
    typo = ha_plan.ha_plan(TOPOLOGY, ignore_unknown_hosts=True, host_base={"hub": {"subnet4": []}})
    assert typo["problems"] and "host_base[hub]" in typo["problems"][0]


def test_ha_plan_of_one_server_is_that_half_of_the_plan():
    whole = ha_plan.ha_plan(TOPOLOGY)
    assert ha_plan.ha_plan(TOPOLOGY, family=4) == whole["halves"][4]
    assert ha_plan.ha_plan(TOPOLOGY, family="4")["hosts"] == whole["hosts"]
    with pytest.raises(AnsibleFilterError) as info:
        ha_plan.ha_plan(TOPOLOGY, family=6)
    assert str(info.value) == "ha_plan: family 6: the topology's servers are DHCPv4"
    broken = dict(TOPOLOGY, central=7)
    assert ha_plan.ha_plan(broken, family=6)["problems"] == ha_plan.ha_plan(broken)["problems"] != []
