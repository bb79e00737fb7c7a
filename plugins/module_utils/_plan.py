# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a validated topology implies for each host: the plan, computed once per run.

The roles and playbooks read a host's slice of the plan instead of walking
the topology themselves::

    load_topology(...)        validated once, on the controller
        -> plan(model)        {family, families, central, branches,
                              hosts: {host: slice}, halves: {family: plan}, refusals}
        -> slice              side, families, relationships (own and partner's
                              names, URLs, addresses, roles, TLS files, subnets),
                              interfaces, password files, partners

A dual-stack topology (``family: dual``) is planned as its two halves, one
single-family plan per server (``halves``: ``{4: plan, 6: plan}``), and a
host's slice joins its slices of both (each relationship says its
``family``). A single-family plan's ``halves`` holds itself, so that the
roles read every server of a host the same way, ``halves[family]``.

and a host's control channel (URL, unix socket, user, password file, TLS
files) comes from its own settings through ``control_channel``: the role
writes it as a local fact, which the operations playbooks read, so they reach
each server exactly as the role set it up.

Pure Python over the model of ``_topology``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._detection import (
    counting_starts, failure_detection, heartbeats, takeover_crowd, takeover_seconds, takeover_seconds_quiet, topology_warnings)
from ansible_collections.keadhcp.ha.plugins.module_utils._health import normal_state, relationship_bound, tls_files
from ansible_collections.keadhcp.ha.plugins.module_utils._schema import DUAL_STACK, DUAL_STACK_PORT_OFFSET
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import format_problems


def serving(rel):
    """The peer names that answer a relationship's clients while both ends are up (Kea's modes)."""
    if rel.mode == "load-balancing":
        return [peer.name for peer in rel.peers if peer.role in ("primary", "secondary")]
    return [peer.name for peer in rel.peers if peer.role == "primary"]


def _peer(peer, mode):
    return {"name": peer.name, "url": peer.url, "role": peer.role, "host": peer.host,
            # the state Kea reports for this peer while both ends are up
            "state": normal_state(mode, peer.role),
            # the URL's IP address, without brackets
            "address": str(peer.endpoint.ip) if peer.endpoint else None,
            "user": peer.params.get("basic-auth-user"), "password_file": peer.params.get("basic-auth-password-file")}


def host_plan(model, host):
    """One host's slice of the plan (a TopologyError for a host that is not in the topology)."""
    relationships, password_files, partners = [], [], []
    for rel in model.relationships_of(host):
        local = rel.local(host)
        partner = rel.branch if local is rel.central else rel.central
        relationships.append({
            "family": model.family, "index": rel.index, "branch_host": rel.branch.host, "mode": rel.mode,
            "local": dict(_peer(local, rel.mode), interface=local.interface),
            "partner": _peer(partner, rel.mode),
            # whether each end reports the other's state, and whether the standby takes over on its own
            # when the partner fails: neither in passive-backup
            "heartbeats": heartbeats(rel),
            "automatic_failover": heartbeats(rel),
            # the peers that answer clients while both ends are up: the primary, both in load-balancing
            "serving": serving(rel),
            # what this host's Kea presents to the partner, and trusts it with
            "tls": tls_files(partner.params, rel.params),
            # the topology's subnets and shared networks of the relationship, as the user wrote them
            "subnets": rel.subnets,
            "shared_networks": rel.shared_networks,
            # every pool of the relationship (its subnets' and its shared networks'), as written
            "pools": [pool["pool"] for subnet in rel.all_subnets() for pool in subnet.get("pools") or []],
            # the ids of every subnet of the relationship (its own, then its shared networks')
            "subnet_ids": [subnet.get("id") for subnet in rel.all_subnets()],
            # heartbeat-delay, max-response-delay, max-ack-delay, max-unacked-clients (Kea's defaults filled in)
            "failure_detection": failure_detection(rel),
            # the clients that must keep asking on a failed peer's LAN for the partner to take over
            "takeover_crowd": takeover_crowd(rel),
            # the longest the partner should take to declare a failed peer down (seconds) while clients keep
            # asking, and on a quiet branch whose clients all asked when it failed (None: maybe never)
            "takeover_seconds": takeover_seconds(rel),
            "takeover_seconds_quiet": takeover_seconds_quiet(rel),
            # the latest the partner reports communication-interrupted after a failure, and starts counting clients
            "counting_starts": counting_starts(failure_detection(rel)),
            # the longest both ends should take to be back in their normal state once both run (seconds):
            # the bound of the roles' health check after an apply (_health.relationship_bound)
            "healthy_within": relationship_bound(rel.params),
        })
        if partner.host not in partners:
            partners.append(partner.host)
        for peer in rel.peers:
            entry = {"user": peer.params.get("basic-auth-user"), "file": peer.params.get("basic-auth-password-file")}
            if entry["file"] and entry not in password_files:
                password_files.append(entry)
    return {
        "host": host,
        "side": "central" if host == model.central else "branch",
        "families": [model.family],
        "names": [rel["local"]["name"] for rel in relationships],
        "relationships": relationships,
        "partners": partners,
        "interfaces": model.interfaces(host),
        "password_files": password_files,
    }


def inline_passwords(model):
    """The refusal of basic-auth passwords written into the topology, or None."""
    found = ["relationship %d (%s), peer %s" % (rel.index, rel.branch.host, peer.name)
             for rel in model.relationships for peer in rel.peers if "basic-auth-password" in peer.params]
    if not found:
        return None
    return ("kea_ha_topology carries basic-auth-password, which logs and diffs would show: %s. Give each such peer a "
            "basic-auth-password-file and put its password in kea_ha_peer_passwords (from a vault)." % "; ".join(found))


def version_mismatches(model, versions):
    """One refusal per relationship whose two ends run different Kea versions (major.minor; unknown ones pass)."""
    refused = []
    central_version = versions.get(model.central) or ""
    for rel in model.relationships:
        branch_version = versions.get(rel.branch.host) or ""
        if central_version and branch_version and central_version != branch_version:
            refused.append(
                "relationship %d (%s): the central runs Kea %s and the branch Kea %s. Kea 3.0 sends released leases "
                "to its partner as lease updates, which Kea 2.6 does not expect; both ends of a relationship must run "
                "the same version (docs/kea-3-migration.md gives the order to upgrade in)."
                % (rel.index, rel.branch.host, central_version, branch_version))
    return refused


def plan(model, versions=None):
    """The whole plan: every host's slice, and what the roles refuse before changing anything."""
    if model.family == DUAL_STACK:
        return dual_stack_plan(model, versions)
    refusals = []
    inline = inline_passwords(model)
    if inline:
        refusals.append(inline)
    refusals.extend(version_mismatches(model, versions or {}))
    result = {
        "family": model.family,
        "families": [model.family],
        "central": model.central,
        "branches": [rel.branch.host for rel in model.relationships],
        "hosts": dict((host, host_plan(model, host)) for host in model.hosts),
        "refusals": refusals,
        # what the relationships' failure detection lets happen (split brain, slow takeovers), one text each
        "warnings": topology_warnings(model),
        "problems": [],
        "message": "",
    }
    result["halves"] = {model.family: dict(result)}
    return result


def _union(lists):
    found = []
    for items in lists:
        found.extend(item for item in items if item not in found)
    return found


def dual_stack_plan(model, versions=None):
    """The plan of a dual-stack topology: one single-family plan per server, each host's slices of both joined."""
    halves = dict((family, plan(half, versions)) for family, half in sorted(model.families.items()))
    hosts = {}
    for host in model.hosts:
        slices = [halves[family]["hosts"][host] for family in sorted(halves) if host in halves[family]["hosts"]]
        hosts[host] = {
            "host": host,
            "side": slices[0]["side"],
            # the servers this host runs: both, unless its relationships have subnets of one family only
            "families": [piece["families"][0] for piece in slices],
            "names": _union(piece["names"] for piece in slices),
            "relationships": [rel for piece in slices for rel in piece["relationships"]],
            "partners": _union(piece["partners"] for piece in slices),
            "interfaces": model.interfaces(host),
            "password_files": _union(piece["password_files"] for piece in slices),
        }
    return {
        "family": DUAL_STACK,
        "families": sorted(halves),
        "central": model.central,
        "branches": [host for host in model.hosts if host != model.central],
        "hosts": hosts,
        "halves": halves,
        "refusals": _union(half["refusals"] for half in halves.values()),
        "warnings": topology_warnings(model),
        "problems": [],
        "message": "",
    }


def unplanned(problems):
    """The plan of an invalid topology: its problems, one message, no host."""
    return {"family": None, "families": [], "central": None, "branches": [], "hosts": {}, "halves": {}, "refusals": [],
            "warnings": [], "problems": list(problems), "message": format_problems(problems)}


# The TLS files the roles write in kea_ha_tls_dir: the role variable holding
# each, its file name, the Kea key naming it, and whether it is secret.
TLS_FILES = (("kea_ha_tls_trust_anchor", "ca.pem", "trust-anchor", False),
             ("kea_ha_tls_cert", "cert.pem", "cert-file", False),
             ("kea_ha_tls_key", "key.pem", "key-file", True))


def tls_files_in(tls_dir):
    """``[{var, file, key, secret}]``: the TLS files the roles write in ``tls_dir``."""
    tls_dir = str(tls_dir).rstrip("/")
    return [{"var": var, "file": "%s/%s" % (tls_dir, name), "key": key, "secret": secret}
            for var, name, key, secret in TLS_FILES]


def control_port(settings, family):
    """The port of a host's control channel for the server of ``family``.

    ``control_port``, except for the DHCPv6 server of a dual-stack host
    (``dual_stack`` true) on Kea 3.0, where each server listens on its own
    HTTP socket: DUAL_STACK_PORT_OFFSET above. Kea 2.6's one control agent
    serves both servers on ``control_port``; an unknown ``version`` (Kea not
    installed yet) counts as 3.0, so that no HA listener takes that port.
    """
    port = int(settings["control_port"])
    if settings.get("dual_stack") and int(family) == 6 and str(settings.get("version") or "") != "2.6":
        port += DUAL_STACK_PORT_OFFSET
    return port


def control_channel(settings, family):
    """How to reach a host's control channel, as the keadhcp.ha roles set it up.

    ``settings``: the role's variables without their ``kea_ha_`` prefix
    (``control_address``, ``control_port``, ``control_tls``, ``tls_dir``,
    ``config_dir``, ``run_dir``, ``api_user``; for a dual-stack host also
    ``dual_stack`` and ``version``, see ``control_port``). The result holds the keadhcp.ha
    modules' connection options: ``url`` and ``service`` (the HTTP channel),
    ``socket`` (the unix socket, on the host itself), ``user``,
    ``password_file`` and, with TLS, ``ca_path``, ``client_cert`` and
    ``client_key``; and ``endpoint``, the channel's ``IP:port`` (an IPv6
    address in brackets), where it listens (``address``, ``port``).
    """
    address = str(settings["control_address"])
    host = "[%s]" % address if ":" in address and not address.startswith("[") else address
    tls = bool(settings.get("control_tls"))
    port = control_port(settings, family)
    families = (4, 6) if settings.get("dual_stack") else (int(family),)
    channel = {
        "url": "%s://%s:%d/" % ("https" if tls else "http", host, port),
        "endpoint": "%s:%d" % (host, port),
        "address": address,
        "port": port,
        # where the channels of every server of the host listen (both of a dual-stack host's)
        "endpoints": sorted(set("%s:%d" % (host, control_port(settings, each)) for each in families)),
        "service": ["dhcp%d" % int(family)],
        "socket": "%s/kea%d-ctrl-socket" % (str(settings["run_dir"]).rstrip("/"), int(family)),
        "user": settings["api_user"],
        "password_file": "%s/kea-api-password" % str(settings["config_dir"]).rstrip("/"),
        "tls": tls,
    }
    if tls:
        ca, cert, key = (item["file"] for item in tls_files_in(settings["tls_dir"]))
        channel.update(ca_path=ca, client_cert=cert, client_key=key)
    return channel
