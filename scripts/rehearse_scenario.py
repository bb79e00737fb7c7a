#!/usr/bin/env python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the generated part of the molecule scenario `rehearse` from a user's inventory.

The inventory is read as Ansible reads it (`ansible-inventory --list`, so its
group_vars and host_vars count), and its kea_ha_topology is rehearsed as it
is: one container per host of the topology, named as the inventory names it,
with the interfaces and addresses of the peer URLs (playbooks/lab/create.yml builds
the networks from the topology), a router per relayed relationship. Written
into DIR (default build/rehearse):

  base.yml                 molecule base config: the platforms and the
                           inventory's group_vars/host_vars links
  group_vars/all.yml       the topology (kea_rehearse_topology, and the same
                           with short timers, kea_rehearse_fast_topology),
                           a generated control-channel password
  host_vars/<host>.yml     each host's own kea_ha_* settings, secrets and
                           connection settings left out

Secrets are never copied: kea_ha_api_password is replaced by a generated test
value, TLS material (kea_ha_tls_*) is left out and the control channel runs
without TLS in the rehearsal (the report says so). The image of each host
follows its kea_ha_version (3.0: keadhcp-kea:3.0), else --image.

The first, middle and last branches are in group kea_branches_sample, whose
LANs get a real DHCP client; the first relationship's branch fails and
returns. `make rehearse INVENTORY=path` runs this, then molecule with both
base configs.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys

import yaml

# The collection's own model, from this checkout (linked there by `make venv`).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "collections"))

from ansible_collections.keadhcp.ha.plugins.module_utils._lab import layout  # noqa: E402
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology  # noqa: E402

# The timers of -e kea_rehearse_fast_timers=true (the scenarios' own).
FAST_TIMERS = {"heartbeat-delay": 1000, "max-response-delay": 3000, "max-unacked-clients": 0}
# Host settings that hold secrets, or how Ansible reaches the real host: never copied.
SECRET_VARS = ("kea_ha_api_password", "kea_ha_tls_trust_anchor", "kea_ha_tls_cert", "kea_ha_tls_key")
IMAGES = {"2.6": "keadhcp-kea:2.6", "3.0": "keadhcp-kea:3.0"}
RELAY_IMAGE = "keadhcp-relay:trixie"


class RehearsalError(Exception):
    """An inventory that cannot be rehearsed, with the reason a person reads."""


def read_inventory(path):
    """``{"hostvars": {host: vars}, "groups": {group: [hosts]}}`` as ansible-inventory resolves ``path``."""
    if not os.path.exists(path):
        raise RehearsalError("inventory %s: no such file or directory" % path)
    # the ansible-inventory of this Python's virtualenv, else the one on PATH
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    command = beside if os.path.exists(beside) else "ansible-inventory"
    found = subprocess.run([command, "-i", path, "--list"], capture_output=True, text=True, check=False)
    if found.returncode != 0:
        raise RehearsalError("inventory %s: ansible-inventory failed: %s" % (path, found.stderr.strip()))
    return parse_inventory(json.loads(found.stdout))


def parse_inventory(listed):
    """The hosts' variables and the groups' hosts (every descendant) of ``ansible-inventory --list`` output."""
    hostvars = listed.get("_meta", {}).get("hostvars", {})
    groups = {}

    def members(group, seen=()):
        entry = listed.get(group, {})
        hosts = list(entry.get("hosts", []))
        for child in entry.get("children", []):
            if child not in seen:
                hosts.extend(host for host in members(child, seen + (group,)) if host not in hosts)
        return hosts

    for group in listed:
        if group != "_meta":
            groups[group] = members(group)
    return {"hostvars": hostvars, "groups": groups}


def topology_of(inventory):
    """The one kea_ha_topology the inventory's hosts share."""
    found = {}
    for host, variables in sorted(inventory["hostvars"].items()):
        if "kea_ha_topology" in variables:
            found.setdefault(json.dumps(variables["kea_ha_topology"], sort_keys=True), []).append(host)
    if not found:
        raise RehearsalError("the inventory sets kea_ha_topology on no host")
    if len(found) > 1:
        raise RehearsalError("the inventory's hosts do not share one kea_ha_topology: %s" % "; ".join(
            "one on %s" % ", ".join(hosts) for hosts in found.values()))
    return json.loads(next(iter(found)))


def fast(topology):
    """The topology with the short timers: on its defaults, and taken off each relationship."""
    copy = json.loads(json.dumps(topology))
    copy["defaults"] = dict(copy.get("defaults") or {}, **FAST_TIMERS)
    for rel in copy.get("relationships", []):
        for key in FAST_TIMERS:
            rel.pop(key, None)
    return copy


def hosts_of(topology):
    """(central, [branch hosts in relationship order]) of a topology."""
    central = topology.get("central")
    branches = []
    for index, rel in enumerate(topology.get("relationships") or [], 1):
        host = ((rel or {}).get("branch") or {}).get("host")
        if not central or not host:
            raise RehearsalError("relationship %d: the topology names no %s host" % (
                index, "central" if not central else "branch"))
        if host not in branches:
            branches.append(host)
    if not branches:
        raise RehearsalError("the topology has no relationship")
    return central, branches


def sample(branches):
    """The branches whose LANs get a client: first, middle and last."""
    return [branches[index] for index in sorted(set([0, (len(branches) - 1) // 2, len(branches) - 1]))]


def image_of(variables, default):
    version = str(variables.get("kea_ha_version") or "")
    return IMAGES.get(".".join(version.split(".")[:2]), default)


def own_settings(variables):
    """A host's kea_ha_* settings that the rehearsal keeps: not the topology, no secret, nothing derived."""
    return dict((key, value) for key, value in sorted(variables.items())
                if key.startswith("kea_ha_") and key not in SECRET_VARS + ("kea_ha_topology",))


def relayed_routers(topology):
    """The routers playbooks/lab/create.yml adds (the lab layout's relays): one per relationship heard through relays."""
    try:
        return [router["name"] for router in layout(load_topology(topology))["relays"]]
    except TopologyError as error:
        raise RehearsalError(str(error))


def scenario(inventory, image, source):
    """``(base, group_vars, host_vars)`` of the rehearsal of ``inventory``."""
    topology = topology_of(inventory)
    central, branches = hosts_of(topology)
    hostvars = inventory["hostvars"]
    missing = [host for host in [central] + branches if host not in hostvars]
    if missing:
        raise RehearsalError("the topology names host(s) the inventory does not have: %s" % ", ".join(missing))
    sampled = sample(branches)
    platforms = [{"name": central, "image": image_of(hostvars[central], image), "groups": ["kea_central"]}]
    for host in branches:
        platforms.append({"name": host, "image": image_of(hostvars[host], image),
                          "groups": ["kea_branches"] + (["kea_branches_sample"] if host in sampled else [])})
    platforms.extend({"name": name, "image": RELAY_IMAGE, "groups": ["kea_relays"]}
                     for name in relayed_routers(topology))
    tls = sorted(host for host in [central] + branches if hostvars[host].get("kea_ha_control_tls"))
    group_vars = {
        "kea_rehearse_inventory": source,
        "kea_rehearse_topology": topology,
        "kea_rehearse_fast_topology": fast(topology),
        # -e kea_rehearse_fast_timers=true, or KEADHCP_REHEARSE_FAST_TIMERS=true (make rehearse FAST_TIMERS=true)
        "kea_rehearse_fast_timers": "{{ lookup('ansible.builtin.env', 'KEADHCP_REHEARSE_FAST_TIMERS') "
                                    "| default('false', true) | bool }}",
        # -e kea_rehearse_break=untag, or KEADHCP_REHEARSE_BREAK=untag (make rehearse BREAK=untag): break the
        # running central on purpose, to see the rehearsal fail naming the relationship
        "kea_rehearse_break": "{{ lookup('ansible.builtin.env', 'KEADHCP_REHEARSE_BREAK') }}",
        "kea_ha_topology": "{{ kea_rehearse_fast_topology if kea_rehearse_fast_timers | bool "
                           "else kea_rehearse_topology }}",
        "kea_ha_api_password": "rehearse-" + secrets.token_hex(12),
        "kea_rehearse_without_tls": tls,
    }
    host_vars = {}
    for host in [central] + branches:
        settings = own_settings(hostvars[host])
        if host in tls:
            settings["kea_ha_control_tls"] = False
        if settings:
            host_vars[host] = settings
    return {"platforms": platforms}, group_vars, host_vars


def write(directory, inventory, image, source):
    directory = os.path.abspath(directory)
    base, group_vars, host_vars = scenario(inventory, image, source)
    header = "# Generated by scripts/rehearse_scenario.py from %s; do not edit.\n" % source
    for sub in ("group_vars", "host_vars"):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
        for name in os.listdir(os.path.join(directory, sub)):
            os.remove(os.path.join(directory, sub, name))
    base["provisioner"] = {"inventory": {"links": {"group_vars": os.path.join(directory, "group_vars") + "/",
                                                   "host_vars": os.path.join(directory, "host_vars") + "/"}}}
    files = [("base.yml", base), (os.path.join("group_vars", "all.yml"), group_vars)]
    files.extend((os.path.join("host_vars", host + ".yml"), settings) for host, settings in host_vars.items())
    for name, content in files:
        path = os.path.join(directory, name)
        with open(path, "w") as handle:
            handle.write(header + yaml.safe_dump(content, sort_keys=False))
        os.chmod(path, 0o600)
    return base, group_vars


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--inventory", required=True, help="the inventory to rehearse (file or directory)")
    parser.add_argument("--dir", default=os.path.join("build", "rehearse"), help="output directory (default build/rehearse)")
    parser.add_argument("--image", default=IMAGES["2.6"],
                        help="image of a host without kea_ha_version (default %s)" % IMAGES["2.6"])
    options = parser.parse_args(argv)
    try:
        base, group_vars = write(options.dir, read_inventory(options.inventory), options.image, options.inventory)
    except RehearsalError as error:
        print("rehearse: %s" % error, file=sys.stderr)
        return 2
    servers = [item for item in base["platforms"] if item["groups"] != ["kea_relays"]]
    print("rehearse scenario: %s, %d servers (%s), %d relays, sample %s in %s" % (
        options.inventory, len(servers), ", ".join(sorted(set(item["image"] for item in servers))),
        len(base["platforms"]) - len(servers),
        ", ".join(item["name"] for item in servers if "kea_branches_sample" in item["groups"]), options.dir))
    if group_vars["kea_rehearse_without_tls"]:
        print("rehearse: TLS control channels (%s) are rehearsed without TLS: no key is copied"
              % ", ".join(group_vars["kea_rehearse_without_tls"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
