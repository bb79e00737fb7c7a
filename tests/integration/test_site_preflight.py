# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/site.yml stops every host, with the message a user reads, before anything is written.

The inventory's hosts all run on this machine (``ansible_connection: local``);
the roles' directories point into the test's own temporary directory, which
must not even be created.
"""

import os
import sys

import yaml

from helpers import BIN, ROOT, run


def _topology():
    with open(os.path.join(ROOT, "examples", "branches_v4", "group_vars", "all.yml")) as handle:
        return yaml.safe_load(handle)["kea_ha_topology"]


def site(tmp_path, topology, host_vars=None, other_branches=()):
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    hosts = [topology["central"]] + [rel["branch"]["host"] for rel in topology["relationships"]] + list(other_branches)

    def entry(host):
        return dict(local, **(host_vars or {}).get(host, {}))

    inventory = {"all": {
        "vars": {"kea_ha_topology": topology, "kea_ha_api_password": "preflight-test-password",
                 "kea_ha_config_dir": str(tmp_path / "etc"), "kea_ha_facts_dir": str(tmp_path / "facts"),
                 "kea_ha_install_packages": False},
        "children": {
            "kea_central": {"hosts": {hosts[0]: entry(hosts[0])}},
            "kea_branches": {"hosts": dict((host, entry(host)) for host in hosts[1:])},
        }}}
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory))
    result = run([os.path.join(BIN, "ansible-playbook"), "-i", str(path), os.path.join(ROOT, "playbooks", "site.yml")])
    assert not (tmp_path / "etc").exists() and not (tmp_path / "facts").exists(), result.stdout
    return result


def test_an_invalid_topology_stops_every_host_with_every_problem(tmp_path):
    topology = _topology()
    topology["relationships"][1]["central"]["name"] = "dc-for-paris"
    topology["relationships"][2]["subnets"][0]["pools"] = [{"pool": "10.30.0.200 - 10.30.0.100"}]
    result = site(tmp_path, topology)
    assert result.returncode != 0
    assert "kea_ha_topology is invalid (2 problems):" in result.stdout
    assert ("relationship 2 (lyon-kea) central peer 'dc-for-paris': server names must be unique for different "
            "relationships: 'dc-for-paris' is already the central peer of relationship 1 (paris-kea)") in result.stdout
    assert "Traceback" not in result.stdout
    assert "PLAY [Deploy the central server]" not in result.stdout


def test_mixed_kea_versions_are_refused_naming_the_relationship(tmp_path):
    versions = {"dc-kea": "3.0", "paris-kea": "3.0", "lyon-kea": "2.6", "lille-kea": "3.0"}
    result = site(tmp_path, _topology(), dict((host, {"kea_ha_version": v}) for host, v in versions.items()))
    assert result.returncode != 0
    assert ("relationship 2 (lyon-kea): the central runs Kea 3.0 and the branch Kea 2.6. Kea 3.0 sends released "
            "leases to its partner as lease updates") in result.stdout
    assert "relationship 1 (paris-kea): the central" not in result.stdout


def test_a_password_in_the_topology_is_refused_naming_the_peer(tmp_path):
    topology = _topology()
    topology["relationships"][0]["branch"].update({"basic-auth-user": "ha", "basic-auth-password": "in-the-clear"})
    result = site(tmp_path, topology)
    assert result.returncode != 0
    assert ("kea_ha_topology carries basic-auth-password, which logs and diffs would show: relationship 1 (paris-kea), "
            "peer paris.") in result.stdout
    assert "in-the-clear" not in result.stdout


def _deaf_central():
    topology = _topology()
    for rel in topology["relationships"]:
        del rel["central"]["interface"]
    return topology


def test_a_central_that_would_listen_nowhere_is_refused_by_name(tmp_path):
    result = site(tmp_path, _deaf_central())
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert ("host 'dc-kea': would listen on no interface, so Kea would receive no DHCP traffic and serve none of "
            "relationship 1 (paris-kea), relationship 2 (lyon-kea), relationship 3 (lille-kea).") in text
    assert "PLAY [Deploy the central server]" not in result.stdout


def test_the_preflight_reads_each_host_s_base_configuration(tmp_path):
    """The central's kea_ha_base_config lists interfaces: it listens there, as configure.yml would assemble it."""
    base = {"kea_ha_base_config": {"interfaces-config": {"interfaces": ["*"]}}}
    result = site(tmp_path, _deaf_central(), {"dc-kea": base})
    assert result.returncode != 0  # this machine has no lan-paris: the next check stops the run
    text = " ".join(result.stdout.split())
    assert "would listen on no interface" not in text
    assert "binds its subnets on paris-kea to interface 'lan-paris', which this host does not have" in text


def test_an_ha_listener_on_the_control_channel_is_refused_before_anything_is_written(tmp_path):
    control = {"kea_ha_control_address": "10.10.0.3", "kea_ha_control_port": 8001}
    result = site(tmp_path, _topology(), {"dc-kea": control})
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert ("relationship 1 (paris-kea) central peer 'dc-for-paris': HA listener 10.10.0.3:8001 collides with the "
            "control channel on 10.10.0.3:8001 of host 'dc-kea'") in text


def test_a_dual_stack_listener_on_the_dhcp6_servers_control_channel_is_refused(tmp_path):
    # Kea 3.0 (or Kea not installed yet): the DHCPv6 server's control channel is 500 above the DHCPv4 one's
    with open(os.path.join(ROOT, "examples", "dual_stack", "group_vars", "all.yml")) as handle:
        topology = yaml.safe_load(handle)["kea_ha_topology"]
    topology["relationships"][0]["central"]["url"]["dhcp6"] = "http://172.20.0.10:8500/"
    control = {"kea_ha_control_address": "172.20.0.10"}
    result = site(tmp_path, topology, {"dc-kea": control})
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert ("relationship 1 (paris-kea) central peer 'dc-for-paris': HA listener 172.20.0.10:8500 collides with the "
            "control channel on 172.20.0.10:8500 of host 'dc-kea'") in text
    assert "Traceback" not in result.stdout
    assert "PLAY [Deploy the central server]" not in result.stdout


def test_a_branch_host_the_topology_does_not_name_and_no_run_deployed_is_refused(tmp_path):
    result = site(tmp_path, _topology(), other_branches=["nice-kea"])
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert ("nice-kea is not part of kea_ha_topology (nor a branch removed from it: no earlier run of these roles "
            "deployed it)") in text
    assert "PLAY [Deploy the central server]" not in result.stdout


def test_a_branch_removed_from_the_topology_is_left_alone_and_said_so(tmp_path):
    """nice-kea's local fact says an earlier run deployed it: its entries do not make the plan fail."""
    facts = tmp_path / "nice-facts"
    facts.mkdir()
    (facts / "keadhcp_ha.fact").write_text('{"service": "kea-dhcp4-server", "version": "2.6", "side": "branch"}\n')
    result = site(tmp_path, _topology(), {"nice-kea": {"kea_ha_facts_dir": str(facts)}}, other_branches=["nice-kea"])
    assert result.returncode != 0  # this machine has no lan-paris: the interface check stops the others
    text = " ".join(result.stdout.split())
    assert "is not part of the topology" not in text
    assert ("nice-kea is no longer part of kea_ha_topology, but an earlier run deployed its kea-dhcp4-server there: "
            "it is left alone, still running (kea_ha_decommission: true stops and disables it); its configuration, "
            "leases and local fact are kept") in text
    assert "binds its subnets on paris-kea to interface 'lan-paris', which this host does not have" in text
