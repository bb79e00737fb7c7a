# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt a hand-written hub: every host's Kea configuration in, ``kea_ha_topology`` and the hosts' bases out.

The inverse of ``Topology.configs``::

    {inventory_hostname: {"Dhcp4"|"Dhcp6": {...}}}     what the servers run
        -> sanitise()      passwords replaced by password files / variables
        -> adopt()         Adoption: topology, base per host, hooks dir,
                           problems (what the model refuses, what differs
                           between the two ends, what would not render back)
                           and notes (what the user must provide)

The central's configuration is the reference for everything both ends carry
(relationship parameters, both peers' entries, the subnets): each difference
on the branch is a problem, and the topology says what the central says.
With no problem, rendering the topology (``load_topology(...).configs()``
with the adopted bases and hooks directories) gives every configuration back
as read, after ``sanitise``; the last check here proves it.

``_HostView`` reads one ``DhcpN`` body and the rest works on views of one
family; a dual-stack hub is adopted one family at a time and the two joined
(``_adopt_dual``).

Pure Python; the filter ``ha_adopt`` turns the result into a vars file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_dual as dual
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import copy_data, merge, type_name
from ansible_collections.keadhcp.ha.plugins.module_utils._model.objects import subnet_where
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology

DHCP_KEYS = ("Dhcp4", "Dhcp6")
TAG = "ha-server-name"
# Where the roles put an HA peer's password file (docs/secure-channels.md).
PEER_PASSWORD_FILE = "/etc/kea/ha-peer-%s.password"
# Where a control socket client's password file goes when its authentication names no directory.
CONTROL_PASSWORD_DIR = "/etc/kea"
MAX_PATHS = 5


class Adoption(object):
    """What ``adopt`` found: the topology (None when none could be built) and what to tell the user."""

    def __init__(self, topology, base, host_base, hooks_dir, hosts, problems, notes):
        self.topology = topology
        self.base = base              # the base every host shares (top-level keys equal on all)
        self.host_base = host_base    # host -> the rest of its base
        self.hooks_dir = hooks_dir    # None, one directory, or host -> directory
        self.hosts = hosts            # the hosts of the topology whose configuration was read
        self.problems = problems
        self.notes = notes

    def variables(self):
        """The vars file: kea_ha_topology first, then what render.yml and the roles read."""
        found = {"kea_ha_topology": self.topology}
        if self.base:
            found["kea_render_base"] = self.base
        if self.host_base:
            found["kea_render_host_base"] = self.host_base
        if self.hooks_dir:
            found["kea_hooks_dir"] = self.hooks_dir
        if self.base or self.host_base:
            found["kea_ha_base_config"] = (
                "{{ kea_render_base | default({}) | combine(kea_render_host_base[inventory_hostname] | default({})) }}")
        return found


# ---------------------------------------------------------------------------
# small helpers


def show(value):
    """A value as a message shows it: strings quoted, the rest as JSON."""
    if isinstance(value, str):
        return "'%s'" % value
    return json.dumps(value, sort_keys=True)


def names(items):
    return ", ".join("'%s'" % item for item in items)


def differences(one, two, path):
    """Paths at which two JSON-like values differ (mappings regardless of key order, lists in order)."""
    if isinstance(one, dict) and isinstance(two, dict):
        found = []
        for key in list(one) + [k for k in two if k not in one]:
            if key not in one or key not in two:
                found.append("%s.%s" % (path, key))
            else:
                found.extend(differences(one[key], two[key], "%s.%s" % (path, key)))
        return found
    if isinstance(one, list) and isinstance(two, list):
        if len(one) != len(two):
            return [path]
        found = []
        for index, (left, right) in enumerate(zip(one, two)):
            found.extend(differences(left, right, "%s[%d]" % (path, index)))
        return found
    if type(one) is not type(two) or one != two:
        return [path]
    return []


def library_name(lib):
    name = lib.get("library") if isinstance(lib, dict) else None
    return name.rsplit("/", 1)[-1] if isinstance(name, str) else None


def library_dir(lib):
    name = lib.get("library")
    return name.rsplit("/", 1)[0] if "/" in name else None


def _variable(host, path):
    return "vault_kea_%s_%s" % (re.sub(r"[^0-9A-Za-z]+", "_", host), re.sub(r"[^0-9A-Za-z]+", "_", path).strip("_"))


# ---------------------------------------------------------------------------
# secrets


def sanitise(configs):
    """Copies of ``configs`` without a password in them; returns ``(configs, problems, notes)``.

    * an HA peer's ``basic-auth-password`` becomes the ``basic-auth-password-file``
      the roles write from ``kea_ha_peer_passwords`` (one file per user);
    * a control socket client's ``password`` becomes a ``password-file``;
    * any other ``password`` (a database's) becomes a reference to a variable
      the user defines in a vault.

    No password is ever kept, compared in clear or shown: the two ends'
    passwords of one HA user are compared by equality only.
    """
    cleaned, problems, notes = {}, [], []
    peer_users = {}   # user -> {password: [host, ...]}
    for host in sorted(configs):
        config = copy_data(configs[host])
        cleaned[host] = config
        if not isinstance(config, dict):
            continue
        for dhcp in DHCP_KEYS:
            body = config.get(dhcp)
            if isinstance(body, dict):
                _sanitise_peers(host, body, peer_users)
                _sanitise_control(host, dhcp, body, notes)
                _sanitise_rest(host, dhcp, body, notes)
    for user in sorted(peer_users):
        seen = peer_users[user]
        hosts = sorted(set(h for found in seen.values() for h in found))
        notes.append("HA basic-auth user '%s' (on %s): its password is not adopted; the topology names %s instead, "
                     "which the roles write from kea_ha_peer_passwords['%s']: put the password there, in a vault"
                     % (user, ", ".join(hosts), PEER_PASSWORD_FILE % user, user))
        if len(seen) > 1:
            problems.append("HA basic-auth user '%s': its password is not the same on every host that names it (%s)"
                            % (user, "; ".join(", ".join(sorted(set(found))) for found in
                                               sorted(seen.values(), key=sorted))))
    return cleaned, problems, notes


def _ha_entries(body):
    for lib in body.get("hooks-libraries") or [] if isinstance(body.get("hooks-libraries"), list) else []:
        if library_name(lib) == schema.HA_LIBRARY and isinstance(lib.get("parameters"), dict):
            entries = lib["parameters"].get("high-availability")
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict):
                    yield entry


def _replace_key(mapping, old, new, value):
    """``mapping`` with ``old`` replaced by ``new: value`` in the same place."""
    items = [(new, value) if key == old else (key, item) for key, item in mapping.items()]
    mapping.clear()
    mapping.update(items)


def _sanitise_peers(host, body, peer_users):
    for entry in _ha_entries(body):
        for peer in entry.get("peers") if isinstance(entry.get("peers"), list) else []:
            if not isinstance(peer, dict) or "basic-auth-password" not in peer:
                continue
            user = peer.get("basic-auth-user")
            user = user if isinstance(user, str) and user else str(peer.get("name"))
            password = peer["basic-auth-password"]
            peer_users.setdefault(user, {}).setdefault(show(password), []).append(host)
            if "basic-auth-password-file" in peer:
                peer.pop("basic-auth-password")  # Kea refuses both; the model reports the file alone
            else:
                _replace_key(peer, "basic-auth-password", "basic-auth-password-file", PEER_PASSWORD_FILE % user)


def _sanitise_control(host, dhcp, body, notes):
    sockets = body.get("control-sockets")
    for number, sock in enumerate(sockets if isinstance(sockets, list) else [], 1):
        auth = sock.get("authentication") if isinstance(sock, dict) else None
        clients = auth.get("clients") if isinstance(auth, dict) else None
        for client in clients if isinstance(clients, list) else []:
            if not isinstance(client, dict) or "password" not in client:
                continue
            user = client.get("user", "")
            if auth.get("directory"):
                path = "%s.password" % user
                where = "%s/%s" % (auth["directory"].rstrip("/"), path)
            else:
                path = where = "%s/%s.password" % (CONTROL_PASSWORD_DIR, user)
            _replace_key(client, "password", "password-file", path)
            notes.append("host '%s' control socket %d (%s.control-sockets[%d]), user '%s': its password is not adopted; "
                         "the base names the file %s instead: write the password there on the host, or leave the "
                         "control channel to the roles (kea_ha_api_user, kea_ha_api_password)"
                         % (host, number, dhcp, number - 1, user, where))


def _sanitise_rest(host, dhcp, body, notes):
    def walk(value, path):
        if isinstance(value, dict):
            for key in list(value):
                if key == "password" and isinstance(value[key], str):
                    variable = _variable(host, path + ".password")
                    value[key] = "{{ %s }}" % variable
                    notes.append("host '%s' %s.password: not adopted; the base reads it from the variable %s: "
                                 "define it in a vault" % (host, path, variable))
                elif key not in ("hooks-libraries", "control-sockets") or path != dhcp:
                    walk(value[key], "%s.%s" % (path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, "%s[%d]" % (path, index))
    walk(body, dhcp)
    for index, lib in enumerate(body.get("hooks-libraries") or [] if isinstance(body.get("hooks-libraries"), list)
                                else []):
        if isinstance(lib, dict) and library_name(lib) != schema.HA_LIBRARY:
            walk(lib, "%s.hooks-libraries[%d]" % (dhcp, index))


# ---------------------------------------------------------------------------
# reading one host


class _Entry(object):
    """One item of a host's high-availability list."""

    def __init__(self, host, raw):
        self.host = host
        self.raw = raw
        self.name = raw.get("this-server-name")
        self.params = dict((k, v) for k, v in raw.items() if k not in ("this-server-name", "peers"))
        peers = raw.get("peers")
        self.peers = [p for p in peers if isinstance(p, dict)] if isinstance(peers, list) else []
        self.local = self.peer(self.name)

    def peer(self, name):
        for peer in self.peers:
            if peer.get("name") == name:
                return peer
        return None

    def partners(self):
        return [p for p in self.peers if p.get("name") != self.name]


class _HostView(object):
    """One host's configuration of one family, taken apart."""

    def __init__(self, host, dhcp, body):
        self.host = host
        self.dhcp = dhcp
        self.family = int(dhcp[-1])
        self.body = body
        self.subnet_key = "subnet%d" % self.family
        self.entries = []
        self.hooks = body.get("hooks-libraries") if isinstance(body.get("hooks-libraries"), list) else []
        self.ha_lib = None

    @property
    def subnets(self):
        value = self.body.get(self.subnet_key)
        return [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []

    @property
    def networks(self):
        value = self.body.get("shared-networks")
        return [n for n in value if isinstance(n, dict)] if isinstance(value, list) else []

    @property
    def listed(self):
        iface = self.body.get("interfaces-config")
        listed = iface.get("interfaces") if isinstance(iface, dict) else None
        return list(listed) if isinstance(listed, list) else []


def _read_host(host, config, problems):
    where = "host '%s'" % host
    if not isinstance(config, dict) or not [k for k in config if k in DHCP_KEYS]:
        problems.append("%s: its configuration must be a mapping with Dhcp4 or Dhcp6, not %s; left out"
                        % (where, "a mapping of %s" % names(config) if isinstance(config, dict) else type_name(config)))
        return None
    found = [k for k in config if k in DHCP_KEYS]
    if len(found) > 1:
        problems.append("%s: has both Dhcp4 and Dhcp6; adopt reads one family per host; left out" % where)
        return None
    for key in config:
        if key not in DHCP_KEYS:
            problems.append("%s: top-level '%s' is not adopted (only %s)" % (where, key, found[0]))
    body = config[found[0]]
    if not isinstance(body, dict):
        problems.append("%s: %s must be a mapping, not %s; left out" % (where, found[0], type_name(body)))
        return None
    view = _HostView(host, found[0], body)
    has = [lib for lib in view.hooks if library_name(lib) == schema.HA_LIBRARY]
    if not has:
        problems.append("%s: loads no %s, so it is in no HA relationship; left out" % (where, schema.HA_LIBRARY))
        return None
    if len(has) > 1:
        problems.append("%s: loads %s %d times; the first is adopted" % (where, schema.HA_LIBRARY, len(has)))
    view.ha_lib = has[0]
    params = has[0].get("parameters")
    raw = params.get("high-availability") if isinstance(params, dict) else None
    if not isinstance(raw, list) or not raw:
        problems.append("%s: %s has no high-availability list; left out" % (where, schema.HA_LIBRARY))
        return None
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problems.append("%s: high-availability item %d is not a mapping; left out" % (where, number))
            continue
        entry = _Entry(host, item)
        if not isinstance(entry.name, str) or not entry.name:
            problems.append("%s: high-availability item %d has no this-server-name; left out" % (where, number))
        elif entry.local is None:
            problems.append("%s: high-availability item %d: this-server-name '%s' is none of its peers (%s); left out"
                            % (where, number, entry.name, names(p.get("name") for p in entry.peers)))
        else:
            view.entries.append(entry)
    return view if view.entries else None


# ---------------------------------------------------------------------------
# the central


def _find_central(views, central, problems):
    if central is not None:
        if central not in views:
            problems.append("kea_adopt_central: host '%s' is not among the hosts read (%s)"
                            % (central, ", ".join(sorted(views)) or "none"))
            return None
        return central
    most = max(len(v.entries) for v in views.values())
    several = sorted(h for h, v in views.items() if len(v.entries) == most)
    if most > 1:
        if len(several) > 1:
            problems.append("hosts %s each have %d relationships: a hub has one central; give it with kea_adopt_central"
                            % (", ".join(several), most))
            return None
        return several[0]
    # one relationship everywhere: the central is the end that is not the primary
    standing = sorted(h for h, v in views.items() if v.entries[0].local.get("role") != "primary")
    if len(standing) == 1:
        return standing[0]
    problems.append("cannot tell which host is the central: %s; give it with kea_adopt_central"
                    % ("hosts %s each have one relationship and are not its primary" % ", ".join(standing)
                       if standing else "every host is the primary of its relationship"))
    return None


# ---------------------------------------------------------------------------
# subnets and shared networks


def _key(item, network):
    if network:
        return ("network", item.get("name"))
    ident = item.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        return ("id", ident)
    return ("subnet", item.get("subnet"))


def _describe(label, item, network, position=1):
    if network:
        return "%s shared network '%s'" % (label, item.get("name"))
    return subnet_where(label, position, item)


def _strip(item):
    """A copy without the host-specific binding and tag (other user-context kept); returns ``(copy, tag, iface)``."""
    copy = copy_data(item)
    interface = copy.pop("interface", None)
    context = copy.get("user-context")
    tag = None
    if isinstance(context, dict) and TAG in context:
        tag = context.pop(TAG)
        if not context:
            copy.pop("user-context")
    return copy, tag, interface


class _Item(object):
    """A subnet or shared network of one host, stripped of its binding and tag."""

    def __init__(self, key, copy, network, interface, raw, borrowed=False):
        self.key = key
        self.copy = copy
        self.network = network
        self.interface = interface
        self.raw = raw
        self.borrowed = borrowed   # the branch's, adopted for the central that lacks it


class _Side(object):
    """One host's items (subnets and networks) of one relationship."""

    def __init__(self):
        self.items = []

    def keys(self):
        return [item.key for item in self.items]

    def get(self, key):
        for item in self.items:
            if item.key == key:
                return item
        return None


def _host_items(view):
    for position, subnet in enumerate(view.subnets, 1):
        yield subnet, False, position
    for position, network in enumerate(view.networks, 1):
        yield network, True, position


# ---------------------------------------------------------------------------
# adopt


class _Rel(object):
    def __init__(self, index, entry, branch_peer):
        self.index = index
        self.entry = entry                 # the central's entry
        self.branch_peer = branch_peer     # the branch's peer item, as the central has it
        self.branch_name = branch_peer.get("name")
        self.central_name = entry.name
        self.branch_host = None
        self.branch_entry = None
        self.label = None
        self.central_side = _Side()
        self.branch_side = _Side()
        self.interfaces = {}               # host -> interface or None
        self.relay = {}                    # host -> relay interfaces


def adopt(configs, central=None, unread=None, known_hosts=None):
    """Reconstruct the topology from ``configs`` (inventory hostname -> ``{"DhcpN": {...}}``).

    ``central`` names the central when it cannot be told (one relationship
    everywhere with reversed roles); ``unread`` maps hosts whose
    configuration could not be read to why, reported as problems;
    ``known_hosts`` (the inventory's) is passed to the model's validation.
    A host running both servers (``Dhcp4`` and ``Dhcp6``) makes the hub
    dual-stack: each family is adopted alone, then the two are joined into one
    ``family: dual`` topology (``_adopt_dual``). Returns an ``Adoption``.
    """
    problems, notes = [], []
    for host in sorted(unread or {}):
        problems.append("host '%s': %s" % (host, unread[host]))
    if not isinstance(configs, dict):
        raise TopologyError(["ha_adopt: the configurations must map inventory hostnames to Kea configurations, not %s"
                             % type_name(configs)])
    originals, secret_problems, notes = sanitise(configs)
    problems.extend(secret_problems)
    if dual.is_dual(originals):
        return _adopt_dual_stack(originals, central, known_hosts, problems, notes)
    return _adopt_one_family(originals, central, known_hosts, problems, notes)


def _adopt_dual_stack(originals, central, known_hosts, problems, notes):
    halves = {}
    for family, configs in dual.split(originals).items():
        halves[family] = _adopt_one_family(configs, central, None, [], [], validate=False)
        problems.extend(problem for problem in halves[family].problems if problem not in problems)
        notes.extend(note for note in halves[family].notes if note not in notes)
    topology, base, host_base, hooks_dir = dual.join(halves, problems)
    if topology is None:
        return Adoption(None, {}, {}, None, [], problems, notes)
    hosts = [topology["central"]] + [rel["branch"]["host"] for rel in topology["relationships"]
                                     if rel["branch"]["host"] in originals]
    adoption = Adoption(topology, base, host_base, hooks_dir, hosts, problems, notes)
    _validate_and_render(adoption, originals, known_hosts, problems)
    return adoption


def _adopt_one_family(originals, central, known_hosts, problems, notes, validate=True):
    views = {}
    for host in sorted(originals):
        view = _read_host(host, originals[host], problems)
        if view is not None:
            views[host] = view
    if not views:
        problems.append("no host's configuration has an HA relationship: nothing to adopt")
        return Adoption(None, {}, {}, None, [], problems, notes)
    central = _find_central(views, central, problems)
    if central is None:
        return Adoption(None, {}, {}, None, [], problems, notes)
    hub = views[central]
    family = hub.family
    for host in sorted(views):
        if views[host].family != family:
            problems.append("host '%s': is a %s configuration but the central (%s) is %s; left out"
                            % (host, views[host].dhcp, central, hub.dhcp))
            del views[host]
    rels = _relationships(views, hub, problems)
    if not rels:
        problems.append("host '%s': the central has no relationship that can be adopted" % central)
        return Adoption(None, {}, {}, None, [], problems, notes)
    for rel in rels:
        _compare_entries(rel, problems)
    _place_subnets(views, hub, rels, problems)
    bases = {}
    for host in [central] + [rel.branch_host for rel in rels if rel.branch_entry is not None]:
        bases[host] = _base(views[host], [rel for rel in rels if host in (central, rel.branch_host)], host == central,
                            problems)
    topology = _topology(hub, rels)
    hosts = [central] + [rel.branch_host for rel in rels if rel.branch_entry is not None]
    base, host_base = _split_bases(dict((h, bases[h]) for h in hosts))
    hooks_dir = _hooks_dir(views, hosts, problems)
    _leftovers(views, central, rels, problems)
    adoption = Adoption(topology, base, host_base, hooks_dir, hosts, problems, notes)
    if validate:
        _validate_and_render(adoption, originals, known_hosts, problems)
    _control_notes(adoption, notes)
    return adoption


def _relationships(views, hub, problems):
    owners = {}
    for host, view in views.items():
        if host != hub.host:
            for entry in view.entries:
                owners.setdefault(entry.name, entry)
    rels = []
    for index, entry in enumerate(hub.entries, 1):
        partners = entry.partners()
        if len(partners) != 1:
            problems.append("relationship %d: the central (%s) lists %d peers besides itself ('%s'); a relationship of "
                            "the topology has two peers, the branch and the central; left out"
                            % (index, hub.host, len(partners), entry.name))
            continue
        rel = _Rel(index, entry, partners[0])
        found = owners.get(rel.branch_name)
        if found is not None and found.host != hub.host:
            rel.branch_host = found.host
            rel.branch_entry = found
        else:
            rel.branch_host = str(rel.branch_name)
            interface = _interface_of(hub, rel)
            problems.append("relationship %d (%s): no configuration of its branch '%s' among the hosts read (%s); the "
                            "branch is adopted from the central's view under the host name '%s' (rename it to its "
                            "inventory hostname)%s"
                            % (index, rel.branch_host, rel.branch_name, ", ".join(sorted(views)), rel.branch_host,
                               " with the central's interface '%s' (check it)" % interface if interface else
                               " without an interface (give it 'interface' or 'relay-interfaces')"))
        rel.label = "relationship %d (%s)" % (index, rel.branch_host)
        rels.append(rel)
    return rels


def _interface_of(view, rel):
    """The interface the central's items tagged for ``rel`` are bound to, if any (before placement)."""
    for item, _network, _position in _host_items(view):
        context = item.get("user-context")
        if isinstance(context, dict) and context.get(TAG) in (rel.central_name, rel.branch_name):
            if isinstance(item.get("interface"), str):
                return item["interface"]
    return None


def _compare_keys(where, mine, other, central_host, branch_host, problems, skip=()):
    """Each key of two mappings (the central's, the branch's) that differs or is set on one end only."""
    for key in list(mine) + [k for k in other if k not in mine]:
        if key in skip:
            continue
        one = show(mine[key]) if key in mine else "not set"
        two = show(other[key]) if key in other else "not set"
        if key in mine and key in other and not differences(mine[key], other[key], key):
            continue
        problems.append("%s: '%s' is %s on the central (%s) but %s on the branch (%s)"
                        % (where, key, one, central_host, two, branch_host))


def _compare_entries(rel, problems):
    """Everything both ends carry: relationship parameters, peer names, each peer's entry."""
    if rel.branch_entry is None:
        return
    central, branch = rel.entry, rel.branch_entry
    _compare_keys(rel.label, central.params, branch.params, central.host, branch.host, problems)
    theirs = [p.get("name") for p in branch.partners()]
    if theirs != [rel.central_name]:
        problems.append("%s: the branch (%s) names its partner%s %s, but the central (%s) is '%s' in this relationship"
                        % (rel.label, branch.host, "s" if len(theirs) != 1 else "", names(theirs) or "none",
                           central.host, rel.central_name))
    for name in (rel.branch_name, rel.central_name):
        mine, other = central.peer(name), branch.peer(name)
        if other is None:
            continue
        _compare_keys("%s peer '%s'" % (rel.label, name), mine, other, central.host, branch.host, problems,
                      skip=("name",))
    if [p.get("name") for p in branch.peers] != [p.get("name") for p in central.peers]:
        if sorted(str(p.get("name")) for p in branch.peers) == sorted(str(p.get("name")) for p in central.peers):
            problems.append("%s: the peers are listed in a different order on the central (%s: %s) and on the branch "
                            "(%s: %s)" % (rel.label, central.host, names(p.get("name") for p in central.peers),
                                          branch.host, names(p.get("name") for p in branch.peers)))


def _place_subnets(views, hub, rels, problems):
    """Each item of the central into its relationship (by its tag), each branch's into its own; compare the ends."""
    by_name = {}
    for rel in rels:
        by_name[rel.central_name] = (rel, True)
        by_name[rel.branch_name] = (rel, False)
    branch_keys = {}
    for rel in rels:
        if rel.branch_entry is not None:
            for item, network, _position in _host_items(views[rel.branch_host]):
                branch_keys.setdefault(_key(item, network), rel)
    several = len(hub.entries) > 1
    for item, network, position in _host_items(hub):
        copy, tag, interface = _strip(item)
        key = _key(item, network)
        found = by_name.get(tag) if isinstance(tag, str) else None
        where_host = _describe("host '%s'" % hub.host, item, network, position)
        if found is not None:
            rel, own = found
            if not own:
                problems.append("%s: tagged with the branch's name '%s' on the central (%s); Kea accepts any peer name "
                                "of the relationship, but the collection tags each host's copy with its own name ('%s')"
                                % (_describe(rel.label, item, network, position), tag, hub.host, rel.central_name))
        else:
            rel = branch_keys.get(key)
            if tag is None:
                why = "has no user-context %s on the central (%s)" % (TAG, hub.host)
                harm = ("with %d relationships Kea silently drops its queries" % len(hub.entries) if several else
                        "Kea serves it, having one relationship")
            else:
                why = ("is tagged %s %s on the central (%s), which names no peer of its relationships"
                       % (TAG, show(tag), hub.host))
                harm = "Kea silently drops its queries"
            if rel is None and not several and len(rels) == 1:
                rel = rels[0]
            if rel is None:
                problems.append("%s: %s (%s), and no branch has it: left out of the topology" % (where_host, why, harm))
                continue
            problems.append("%s: %s (%s); %s, so it is adopted here, tagged '%s'"
                            % (_describe(rel.label, item, network, position), why, harm,
                               "the branch (%s) has it" % rel.branch_host if branch_keys.get(key) is rel
                               else "the central has no other relationship", rel.central_name))
        if rel.central_side.get(key) is not None:
            problems.append("%s: listed twice on the central (%s); the first is adopted"
                            % (_describe(rel.label, item, network, position), hub.host))
            continue
        rel.central_side.items.append(_Item(key, copy, network, interface, item))
    for rel in rels:
        if rel.branch_entry is None:
            continue
        view = views[rel.branch_host]
        peers = (rel.branch_name, rel.central_name)
        for item, network, position in _host_items(view):
            copy, tag, interface = _strip(item)
            where = _describe(rel.label, item, network, position)
            if tag is None:
                problems.append("%s: untagged on the branch (%s); the collection tags it '%s', so that lease "
                                "synchronisation imports only this relationship's leases"
                                % (where, rel.branch_host, rel.branch_name))
            elif tag == rel.central_name:
                problems.append("%s: tagged with the central's name '%s' on the branch (%s); Kea accepts any peer name "
                                "of the relationship, but the collection tags each host's copy with its own name ('%s')"
                                % (where, tag, rel.branch_host, rel.branch_name))
            elif tag not in peers:
                problems.append("%s: tagged %s %s on the branch (%s), which is not a peer of its relationship (%s); Kea "
                                "drops its queries" % (where, TAG, show(tag), rel.branch_host, names(peers)))
            rel.branch_side.items.append(_Item(_key(item, network), copy, network, interface, item))
        _compare_sides(rel, hub.host, problems)


def _compare_sides(rel, central_host, problems):
    central_keys = rel.central_side.keys()
    for item in rel.central_side.items:
        where = _describe(rel.label, item.raw, item.network)
        other = rel.branch_side.get(item.key)
        if other is None:
            problems.append("%s: on the central (%s) but not on the branch (%s)" % (where, central_host,
                                                                                    rel.branch_host))
            continue
        paths = differences(_untagged_inside(item.copy), _untagged_inside(other.copy), "")
        if paths:
            problems.append("%s: differs between the central (%s) and the branch (%s) at %s"
                            % (where, central_host, rel.branch_host, _paths(paths)))
    for item in rel.branch_side.items:
        if item.key not in central_keys:
            problems.append("%s: on the branch (%s) but not on the central (%s); adopted into the topology"
                            % (_describe(rel.label, item.raw, item.network), rel.branch_host, central_host))
            rel.central_side.items.append(_Item(item.key, item.copy, item.network, None, item.raw, borrowed=True))


def _untagged_inside(item):
    """A network's copy without its subnets' own tags (each host's names its own peer)."""
    copy = copy_data(item)
    for key in ("subnet4", "subnet6"):
        for subnet in copy.get(key) or [] if isinstance(copy.get(key), list) else []:
            context = subnet.get("user-context") if isinstance(subnet, dict) else None
            if isinstance(context, dict):
                context.pop(TAG, None)
                if not context:
                    subnet.pop("user-context")
    return copy


def _paths(paths):
    shown = ["'%s'" % p.lstrip(".") for p in paths[:MAX_PATHS]]
    more = len(paths) - MAX_PATHS
    return ", ".join(shown) + (" and %d more" % more if more > 0 else "")


def _side_interface(rel, side, host, problems):
    values = []
    for item in side.items:
        if not item.borrowed and item.interface not in values:
            values.append(item.interface)
    if len(values) > 1:
        problems.append("%s: host '%s' binds the relationship's subnets to %s; the topology binds all of them to one "
                        "interface (or none, for relayed traffic)"
                        % (rel.label, host, ", ".join("'%s'" % v if v else "no interface" for v in values)))
    chosen = [v for v in values if v]
    return chosen[0] if chosen else None


def _base(view, rels, central, problems):
    """The host's configuration without what the topology gives; each relationship's interfaces on this host."""
    host = view.host
    bound = []
    unbound = []
    for rel in rels:
        side = rel.central_side if central else rel.branch_side
        interface = _side_interface(rel, side, host, problems)
        rel.interfaces[host] = interface
        if interface:
            if interface not in bound:
                bound.append(interface)
            if interface not in view.listed:
                problems.append("%s: host '%s' binds the relationship's subnets to '%s', which its interfaces-config "
                                "does not list; the collection adds it there" % (rel.label, host, interface))
        else:
            unbound.append(rel)
    rest = [name for name in view.listed if name not in bound]
    base = {}
    for key, value in view.body.items():
        if key in (view.subnet_key, "shared-networks"):
            continue
        if key == "hooks-libraries":
            others = [lib for lib in view.hooks if library_name(lib) not in (schema.HA_LIBRARY,
                                                                             schema.LEASE_CMDS_LIBRARY)]
            if others:
                base[key] = copy_data(others)
            continue
        if key == "interfaces-config" and isinstance(value, dict):
            iface = copy_data(value)
            iface.pop("interfaces", None)
            to_relay = unbound and rest and "*" not in rest
            if to_relay:
                for rel in unbound:
                    rel.relay[host] = list(rest)
            elif rest:
                iface["interfaces"] = list(rest)
            udp = (view.family == 4 and to_relay and not bound and iface.get("dhcp-socket-type") == "udp")
            if udp:
                iface.pop("dhcp-socket-type")
            if iface:
                base[key] = iface
            continue
        base[key] = copy_data(value)
    if not [lib for lib in view.hooks if library_name(lib) == schema.LEASE_CMDS_LIBRARY]:
        problems.append("host '%s': loads no %s, which HA needs to send lease updates; the collection loads it"
                        % (host, schema.LEASE_CMDS_LIBRARY))
    return base


def _split_bases(bases):
    """``(shared, per host)``: the top-level keys every host has alike, and each host's others."""
    hosts = list(bases)
    first = bases[hosts[0]]
    shared = {}
    for key, value in first.items():
        if all(key in bases[h] and not differences(value, bases[h][key], key) for h in hosts[1:]):
            shared[key] = copy_data(value)
    per_host = {}
    for host in hosts:
        own = dict((k, copy_data(v)) for k, v in bases[host].items() if k not in shared)
        if own:
            per_host[host] = own
    return shared, per_host


def _hooks_dir(views, hosts, problems):
    found = {}
    for host in hosts:
        view = views[host]
        dirs = []
        for lib in view.hooks:
            if library_name(lib) in (schema.HA_LIBRARY, schema.LEASE_CMDS_LIBRARY):
                if library_dir(lib) not in dirs:
                    dirs.append(library_dir(lib))
        if len(dirs) > 1:
            problems.append("host '%s': loads %s and %s from different directories (%s); the collection loads both from "
                            "one" % (host, schema.LEASE_CMDS_LIBRARY, schema.HA_LIBRARY,
                                     ", ".join(d or "bare name" for d in dirs)))
        found[host] = library_dir(view.ha_lib)
    if all(value is None for value in found.values()):
        return None
    values = set(found.values())
    if len(values) == 1:
        return values.pop()
    return dict((host, value) for host, value in found.items() if value is not None)


def _leftovers(views, central, rels, problems):
    used = set([central]) | set(rel.branch_host for rel in rels if rel.branch_entry is not None)
    for host in sorted(views):
        if host in used:
            continue
        view = views[host]
        problems.append("host '%s': its relationship%s (this-server-name %s) %s none of the central's (%s); left out"
                        % (host, "s" if len(view.entries) > 1 else "", names(e.name for e in view.entries),
                           "is" if len(view.entries) == 1 else "are", central))
    for rel in rels:
        if rel.branch_entry is not None and len(views[rel.branch_host].entries) > 1:
            problems.append("%s: host '%s' has %d relationships; a branch has one, that with the central: only it is "
                            "adopted" % (rel.label, rel.branch_host, len(views[rel.branch_host].entries)))


# ---------------------------------------------------------------------------
# the topology


def _peer_item(raw, default_role, host=None, interface=None, relay=None):
    item = {}
    if host is not None:
        item["host"] = host
    item["name"] = raw.get("name")
    if "url" in raw:
        item["url"] = raw["url"]
    if interface:
        item["interface"] = interface
    if relay:
        item["relay-interfaces"] = list(relay)
    if "role" in raw and raw["role"] != default_role:
        item["role"] = raw["role"]
    for key, value in raw.items():
        if key not in ("name", "url", "role"):
            item[key] = copy_data(value)
    return item


def _topology(hub, rels):
    params = [rel.entry.params for rel in rels]
    defaults = {}
    for key, value in params[0].items():
        if all(key in other and not differences(value, other[key], key) for other in params[1:]):
            defaults[key] = copy_data(value)
    relationships = []
    for rel in rels:
        mode = rel.entry.params.get("mode")
        roles = schema.DEFAULT_ROLES.get(mode, (None, None)) if isinstance(mode, str) else (None, None)
        branch = _peer_item(rel.branch_peer, roles[0], rel.branch_host, rel.interfaces.get(rel.branch_host),
                            rel.relay.get(rel.branch_host))
        if rel.branch_entry is None:
            guess = rel.interfaces.get(hub.host)
            if guess:
                branch = _peer_item(rel.branch_peer, roles[0], rel.branch_host, guess)
        central = _peer_item(rel.entry.local, roles[1], None, rel.interfaces.get(hub.host), rel.relay.get(hub.host))
        item = {"branch": branch, "central": central}
        for key, value in rel.entry.params.items():
            if key not in defaults:
                item[key] = copy_data(value)
        subnets = [item.copy for item in rel.central_side.items if not item.network]
        networks = [item.copy for item in rel.central_side.items if item.network]
        if subnets or not networks:
            item["subnets"] = subnets
        if networks:
            item["shared-networks"] = networks
        relationships.append(item)
    topology = {"family": hub.family, "central": hub.host}
    if defaults:
        topology["defaults"] = defaults
    topology["relationships"] = relationships
    return topology


def _validate_and_render(adoption, originals, known_hosts, problems):
    """The model's own problems, then, when it has none, what would not render back as read."""
    try:
        model = load_topology(adoption.topology, hooks_dir=adoption.hooks_dir, base=adoption.base,
                              host_base=adoption.host_base, known_hosts=known_hosts)
    except TopologyError as exc:
        problems.extend(exc.problems)
        return
    rendered = model.configs(adoption.hosts)
    for host in adoption.hosts:
        if any("'%s'" % host in problem or "(%s)" % host in problem for problem in problems):
            continue  # what differs there has been said
        for dhcp in rendered[host]:
            paths = differences(originals[host].get(dhcp), rendered[host][dhcp], dhcp)
            if paths:
                problems.append("host '%s': the adopted topology does not render its configuration back as read: it "
                                "differs at %s" % (host, _paths(paths)))


def _control_notes(adoption, notes):
    for host in adoption.hosts:
        base = merge(adoption.base, adoption.host_base.get(host) or {})
        kept = [key for key in ("control-socket", "control-sockets") if key in base]
        if kept:
            notes.append("host '%s': its base keeps its own %s; with the roles, which set up the control channel "
                         "themselves (kea_ha_control_address, kea_ha_control_port, kea_ha_api_user), remove it from "
                         "the base before site.yml unless it is the same" % (host, " and ".join(kept)))
