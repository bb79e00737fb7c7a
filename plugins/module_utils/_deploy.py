# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every host's desired state, planned once per run on the controller.

The roles' data flow::

    kea_ha_topology + each host's settings (role variables) + what its probe found
        -> deployment()       the topology validated once, with every host's base configuration and
                              control channel; every host checked (interfaces, password, TLS material)
        -> {hosts: {host: state}, plan, problems, refusals}
    state -> keadhcp.ha.kea_server on the host: one call converges it

A host's ``state`` holds everything the host must have: its directories and
files (contents, owners, modes; secrets by name only, their values travel in
the module's no_log ``secrets``), the control agent of Kea 2.6 or the one to
stop on 3.0, and each server's final configuration, unix socket, service,
control channel, apply settings and health bound. Nothing of it is computed
on the host or in Jinja.

Pure Python over ``_topology``, ``_plan`` and ``_server_config``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.keadhcp.ha.plugins.module_utils import _server_config as server_config
from ansible_collections.keadhcp.ha.plugins.module_utils._clock import host_clock_warnings
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_versions import parse_version
from ansible_collections.keadhcp.ha.plugins.module_utils._plan import (
    control_channel, plan, tls_files_in, unplanned)
from ansible_collections.keadhcp.ha.plugins.module_utils._schema import DUAL_STACK
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, format_problems, load_topology

SUPPORTED_VERSIONS = ("2.6", "3.0")
AGENT_PACKAGE = AGENT_SERVICE = "kea-ctrl-agent"
FACT_NAME = "keadhcp_ha.fact"

# The role variables the plan reads, without their kea_ha_ prefix, and their defaults (roles/kea_ha/defaults).
SETTINGS = {
    "api_user": "kea-api", "control_address": "127.0.0.1", "control_port": 8000, "control_tls": False,
    "tls_dir": "/etc/kea/tls", "config_dir": "/etc/kea", "data_dir": "/var/lib/kea", "log_dir": "/var/log/kea",
    "run_dir": "/run/kea", "facts_dir": "/etc/ansible/facts.d", "base_config": {}, "service_enabled": True,
    "apply_method": "auto", "apply_during_outage": False, "health_timeout": 0, "compare_leases": True,
    "decommission": False,
    "install_packages": True, "packages": [], "version": "", "hooks_dir": "",
    # what the plan may know of the secrets: whether they are there, never their values
    "api_password_ok": False, "tls_trust_anchor": None, "tls_cert": None, "tls_key_set": False,
    "peer_password_users": [],
}


def settings_of(given):
    """The settings of one host, Kea's defaults filled in."""
    settings = dict(SETTINGS)
    settings.update(dict((key, value) for key, value in (given or {}).items() if key in SETTINGS))
    for key, default in SETTINGS.items():
        if isinstance(default, bool):
            settings[key] = _boolean(settings[key])
    settings["control_port"] = int(settings["control_port"])
    settings["health_timeout"] = int(settings["health_timeout"] or 0)
    return settings


def _boolean(value):
    """A role variable's truth, as Ansible's ``bool`` filter reads it (templates may hand over text)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y", "t")
    return bool(value)


def major_minor(text):
    version = parse_version(str(text or ""))
    return "%d.%d" % version[:2] if version else ""


def to_json(value):
    """JSON as the roles write it (sorted keys, two spaces, a final newline)."""
    return json.dumps(value, indent=2, sort_keys=True, separators=(",", ": ")) + "\n"


def topology_families(topology):
    family = (topology or {}).get("family", 4) if isinstance(topology, dict) else 4
    if family == DUAL_STACK:
        return [4, 6]
    try:
        return [int(family)]
    except (TypeError, ValueError):
        return [4]


class _Host(object):
    """One host's inputs: its settings and what its probe found."""

    def __init__(self, name, given, families, dual_stack):
        self.name = name
        self.settings = settings_of(given.get("settings"))
        self.probe = given.get("probe") or {}
        self.families = families
        self.dual_stack = dual_stack
        self.installed_version = major_minor(self.probe.get("version"))
        self.version = major_minor(self.settings["version"]) or self.installed_version
        self.hooks_dir = self.settings["hooks_dir"] or self.probe.get("hooks_dir") or ""

    def channel(self, family):
        settings = dict(self.settings, dual_stack=self.dual_stack, version=self.version)
        return control_channel(settings, family)

    def base(self):
        """What the model assembles this host's servers from: one server's base, or ``{Dhcp4, Dhcp6}``."""
        # an unknown version (Kea not installed yet) is planned as 3.0, whose control sockets the model checks
        version = self.version or "3.0"
        bases = dict(("Dhcp%d" % family, server_config.server_base(
            version, family, self.settings, self.channel(family),
            server_config.user_base_for(self.settings["base_config"], family, self.dual_stack)))
            for family in self.families)
        return bases if self.dual_stack else bases["Dhcp%d" % self.families[0]]

    def endpoints(self):
        return sorted(set(self.channel(family)["endpoint"] for family in self.families))


def deployment(topology, inputs, known_hosts=None, facts=None, host_subnets=None, hosts=None):
    """Plan every host of ``inputs`` (``{host: {settings, probe}}``) for ``topology``, validating it once.

    Returns ``{problems, message, refusals, plan, hosts}``: ``hosts`` maps each
    host of ``inputs`` (or of ``hosts``) to its state, or to ``{removed: ...}``
    for a branch an earlier run deployed and the topology no longer names.
    ``problems`` lists every problem of the topology and of the hosts; nothing
    may be written while there is one.
    """
    families = topology_families(topology)
    dual_stack = isinstance(topology, dict) and topology.get("family") == DUAL_STACK
    named = _topology_hosts(topology)
    views = dict((name, _Host(name, given or {}, families, dual_stack)) for name, given in (inputs or {}).items())
    ours = dict((name, view) for name, view in views.items() if name in named)
    try:
        model = load_topology(
            topology, hooks_dir=dict((name, view.hooks_dir) for name, view in ours.items() if view.hooks_dir),
            host_base=dict((name, view.base()) for name, view in ours.items()),
            control_endpoints=dict((name, view.endpoints()) for name, view in ours.items()),
            known_hosts=known_hosts, facts=facts, host_subnets=host_subnets)
    except TopologyError as exc:
        return dict(unplanned(exc.problems), plan=unplanned(exc.problems), hosts={})
    planned = plan(model, dict((name, view.version) for name, view in ours.items()))
    wanted = list(views) if hosts is None else [name for name in hosts if name in views]
    configs = model.configs([name for name in wanted if name in planned["hosts"]])
    states, problems = {}, []
    for name in wanted:
        view = views[name]
        if name not in planned["hosts"]:
            removed = removed_branch(view)
            if removed:
                states[name] = {"host": name, "removed": removed}
            else:
                problems.append("%s is not part of kea_ha_topology (nor a branch removed from it: no earlier run of "
                                "these roles deployed it)" % name)
            continue
        problems.extend(host_problems(view, planned["hosts"][name]))
        states[name] = host_state(view, planned, configs[name])
    result = {"family": planned["family"], "central": planned["central"], "refusals": planned["refusals"],
              "warnings": planned["warnings"] + clock_warnings(model, views), "problems": problems, "message": format_problems(problems) if problems else "",
              "plan": planned, "hosts": states}
    return result


def clock_warnings(model, views):
    """The relationships whose two hosts' clocks, as ``kea_probe`` measured them against the controller's, differ
    by more than Kea lets pass without a warning (a dual-stack hub's two halves share their hosts' clocks)."""
    halves = getattr(model, "families", None)
    relationships = sorted(halves.items())[0][1].relationships if isinstance(halves, dict) else model.relationships
    offsets = dict((name, view.probe.get("clock_offset")) for name, view in views.items()
                   if isinstance(view.probe.get("clock_offset"), int))
    return host_clock_warnings([("relationship %d (%s)" % (rel.index, rel.branch.host), rel.central.host,
                                 rel.branch.host) for rel in relationships], offsets)


def _topology_hosts(topology):
    if not isinstance(topology, dict):
        return set()
    found = set([topology.get("central")])
    for rel in topology.get("relationships") or []:
        if isinstance(rel, dict) and isinstance(rel.get("branch"), dict):
            found.add(rel["branch"].get("host"))
    return found


def removed_branch(view):
    """What stopping a branch that an earlier run deployed takes, from its local fact; None when none did."""
    fact = view.probe.get("local_fact")
    if not isinstance(fact, dict) or "service" not in fact and "servers" not in fact:
        return None
    servers = fact.get("servers") or [fact]
    version = str(fact.get("version") or "2.6")
    return {"services": [server.get("service") for server in servers if server.get("service")],
            "agent": major_minor(version) == "2.6" or not version,
            "decommission": bool(view.settings["decommission"])}


def host_problems(view, slice_):
    """What stops the run on this host before anything is written: interfaces, password, TLS material."""
    problems = []
    interfaces = view.probe.get("interfaces")
    if interfaces is not None:
        for item in slice_["interfaces"]:
            if item["interface"] not in interfaces:
                problems.append(
                    "relationship %s (%s) %s on %s %s interface '%s', which this host does not have (it has %s)"
                    % (item["relationship"], item["branch"],
                       "receives its relayed traffic" if item["relayed"] else "binds its subnets", view.name,
                       "on" if item["relayed"] else "to", item["interface"], ", ".join(sorted(interfaces))))
    if not view.settings["api_password_ok"]:
        problems.append("%s: kea_ha_api_password (at least 8 characters) protects the control channel; set it, e.g. "
                        "from a vault." % view.name)
    given = [var for var, present in (("kea_ha_tls_trust_anchor", view.settings["tls_trust_anchor"]),
                                      ("kea_ha_tls_cert", view.settings["tls_cert"]),
                                      ("kea_ha_tls_key", view.settings["tls_key_set"])) if present]
    if len(given) not in (0, 3) or (not given and view.settings["control_tls"]):
        problems.append("%s: %s kea_ha_tls_trust_anchor, kea_ha_tls_cert and kea_ha_tls_key (PEM text; the key from a "
                        "vault)%s." % (view.name, "kea_ha_control_tls needs" if not given else "TLS needs all of",
                                       "; only %s %s set" % (", ".join(given), "is" if len(given) == 1 else "are")
                                       if given else ""))
    if view.version and view.version not in SUPPORTED_VERSIONS:
        problems.append("Kea %s on %s: keadhcp.ha supports Kea %s"
                        % (view.version, view.name, " and ".join(SUPPORTED_VERSIONS)))
    if not view.installed_version and not view.settings["install_packages"] and not view.settings["version"]:
        problems.append("%s: Kea is not installed (no %s answers) and kea_ha_install_packages is false: install it "
                        "first, or let the role install it" % (view.name, " nor ".join(
                            "kea-dhcp%d" % family for family in slice_["families"])))
    return problems


def server_packages(families):
    return ["kea-dhcp%d-server" % family for family in families]


def wanted_packages(view, families):
    """The packages this host needs, as far as is known before Kea is installed."""
    if view.settings["packages"]:
        return list(view.settings["packages"])
    wanted = server_packages(families)
    if view.version == "2.6":
        wanted.append(AGENT_PACKAGE)
    return wanted


def host_state(view, planned, config):
    """Everything one host must have (see the module's docstring)."""
    slice_ = planned["hosts"][view.name]
    settings, families = view.settings, slice_["families"]
    installed = view.probe.get("packages")
    missing = [package for package in wanted_packages(view, families)
               if installed is None or package not in installed]
    state = {
        "host": view.name, "side": slice_["side"], "families": families, "version": view.version,
        "install": missing if settings["install_packages"] else [],
        # whether Kea answers on the host (a check run cannot predict more of a host without it)
        "installed": bool(view.installed_version),
    }
    group = server_config.KEA_GROUP
    directories = [{"path": path, "owner": group, "group": group, "mode": "0750"}
                   for path in (settings["run_dir"], settings["data_dir"], settings["log_dir"])]
    first = view.channel(families[0])
    files = [{"path": first["password_file"], "owner": "root", "group": group, "mode": "0640",
              "secret": "api_password", "affects": ["control"]}]
    if settings["tls_key_set"]:
        directories.append({"path": settings["tls_dir"], "owner": "root", "group": group, "mode": "0750"})
        for item in tls_files_in(settings["tls_dir"]):
            entry = {"path": item["file"], "owner": "root", "group": group, "mode": "0640", "affects": ["control"]}
            if item["secret"]:
                entry["secret"] = "tls_key"
            else:
                entry["content"] = str(settings[item["var"][len("kea_ha_"):]]).strip() + "\n"
            files.append(entry)
    agent = None
    if view.version == "2.6":
        agent = {"service": AGENT_SERVICE, "enabled": bool(settings["service_enabled"]),
                 "config_file": "%s/kea-ctrl-agent.conf" % settings["config_dir"].rstrip("/")}
        files.append({"path": agent["config_file"], "owner": "root", "group": group, "mode": "0640",
                      "content": to_json(server_config.agent_config(settings, first, families)),
                      "validate": "kea-ctrl-agent -t %s", "backup": True, "affects": ["agent"]})
    for entry in slice_["password_files"]:
        if entry["user"] in settings["peer_password_users"]:
            files.append({"path": entry["file"], "owner": "root", "group": group, "mode": "0640",
                          "secret": "peer_password", "user": entry["user"], "affects": ["peers"]})
    servers = []
    for family in families:
        channel = view.channel(family)
        key = "Dhcp%d" % family
        server = {
            "family": family, "daemon": "kea-dhcp%d" % family, "service": "kea-dhcp%d-server" % family,
            "enabled": bool(settings["service_enabled"]),
            "config_file": "%s/kea-dhcp%d.conf" % (settings["config_dir"].rstrip("/"), family),
            "config": {key: config[key]},
            "socket": channel["socket"],
            "state_file": "%s/keadhcp-ha-dhcp%d.json" % (settings["data_dir"].rstrip("/"), family),
            "control": control_option(channel),
            "endpoint": {"address": channel["address"], "port": channel["port"]},
            "names": planned["halves"][family]["hosts"][view.name]["names"],
            "apply": settings["apply_method"],
            # the takeover guard holds back the central only: a branch in partner-down has lost its central, and
            # deploying the branch again is how that is mended
            "apply_during_outage": bool(settings["apply_during_outage"]) or slice_["side"] != "central",
            "health_timeout": settings["health_timeout"],
            # once healthy, compare each relationship's leases with the partner's where this server stands by
            "compare_leases": bool(settings["compare_leases"]),
            # the longest this server's relationships should take to be healthy after an apply
            "healthy_within": max([rel["healthy_within"] for rel in slice_["relationships"]
                                   if rel["family"] == family] or [0]),
        }
        files.append({"path": server["config_file"], "owner": "root", "group": group, "mode": "0640",
                      "content": to_json(server["config"]), "validate": "%s -t %%s" % server["daemon"],
                      "backup": True, "affects": ["server%d" % family]})
        servers.append(server)
    directories.append({"path": settings["facts_dir"], "owner": "root", "group": "root", "mode": "0755"})
    files.append({"path": "%s/%s" % (settings["facts_dir"].rstrip("/"), FACT_NAME), "owner": "root",
                  "group": "root", "mode": "0644", "content": to_json(local_fact(state, servers)), "affects": []})
    state.update(directories=directories, files=files, agent=agent, servers=servers,
                 stop=[AGENT_SERVICE] if view.version == "3.0" and _present(view, AGENT_SERVICE) else [])
    return state


def _present(view, unit):
    found = (view.probe.get("services") or {}).get(unit)
    return bool(found and (found.get("active") or found.get("enabled")))


def control_option(channel):
    """The keadhcp.ha modules' ``control`` option for a control channel: URL, service, user, password file, TLS."""
    control = dict((key, channel[key]) for key in ("url", "service", "user", "password_file"))
    for key in ("ca_path", "client_cert", "client_key"):
        if channel.get(key):
            control[key] = channel[key]
    return control


def local_fact(state, servers):
    """What the local fact keadhcp_ha records: how the operations playbooks reach each server. No secret."""
    return {
        "version": state["version"],
        "side": state["side"],
        "servers": [{"family": server["family"], "service": server["service"], "names": server["names"],
                     "control": server["control"], "socket": server["socket"],
                     "healthy_within": server["healthy_within"]} for server in servers],
    }


# The keys of the modules' ``control`` option a local fact may give (an older fact also holds where the channel
# listens, and the unix socket, which the modules take as an alternative to the URL).
CONTROL_KEYS = ("url", "service", "user", "password_file", "ca_path", "client_cert", "client_key")


def servers_of(fact, family=None):
    """The servers a local fact ``keadhcp_ha`` records, each ``{family, service, names, control, socket,
    healthy_within}``; only the one of ``family`` when given. Reads facts of every release of the roles (the
    first ones recorded one server's keys at the top)."""
    if not isinstance(fact, dict):
        return []
    recorded = fact.get("servers") or ([fact] if isinstance(fact.get("control"), dict) else [])
    servers = []
    for server in recorded:
        control = server.get("control") or {}
        servers.append({
            "family": int(server.get("family") or fact.get("family") or 4),
            "service": server.get("service"),
            "names": list(server.get("names") or []),
            "control": dict((key, control[key]) for key in CONTROL_KEYS if control.get(key) not in (None, "")),
            "socket": server.get("socket") or control.get("socket"),
            "healthy_within": server.get("healthy_within"),
        })
    if family not in (None, ""):
        servers = [server for server in servers if server["family"] == int(family)]
    return servers
