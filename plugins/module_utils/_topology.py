# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hub-and-spoke topology model: validate one description, then assemble.

Data flows one way::

    kea_ha_topology (user data)
        -> load_topology()       every problem found, or a validated Topology
        -> Topology.configs()    {inventory_hostname: {"Dhcp4"|"Dhcp6": {...}}}

Nothing is assembled until the whole description has validated, and
validation reports every problem it finds, each prefixed with the
relationship, peer or subnet at fault. Pure Python (plus netaddr); errors are
``TopologyError``, which the filter plugins turn into ``AnsibleFilterError``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

from ansible_collections.keadhcp.ha.plugins.module_utils import _addresses as addr
from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema

try:
    from ansible_collections.keadhcp.ha.plugins.module_utils import _kea_keys as kea_keys
except ImportError:  # pragma: no cover - the key tables are optional data
    kea_keys = None


class TopologyError(ValueError):
    """The topology (or a piece of it) is invalid; ``problems`` lists why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super(TopologyError, self).__init__(format_problems(self.problems))


def format_problems(problems):
    count = len(problems)
    head = "kea_ha_topology is invalid (%d problem%s):" % (count, "" if count == 1 else "s")
    return head + "".join("\n  - " + problem for problem in problems)


# ---------------------------------------------------------------------------
# small helpers


def _suggest(key, known):
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.5)
    if not close and isinstance(key, str):
        # heartbeat_delay -> heartbeat-delay, HeartBeat-Delay -> heartbeat-delay
        folded = key.replace("_", "-").lower()
        close = [k for k in known if k == folded]
    return "; did you mean '%s'?" % close[0] if close else ""


def _type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a %s" % type(value).__name__


def _check_kind(value, kind):
    """Return a reason why ``value`` is not of ``kind``, or None."""
    if kind == "bool":
        return None if isinstance(value, bool) else "must be true or false, not %s" % _type_name(value)
    if kind == "string":
        if not isinstance(value, str):
            return "must be a string, not %s" % _type_name(value)
        return None if value else "must not be empty"
    if kind in ("uint16", "uint32"):
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be an integer, not %s" % _type_name(value)
        if value < 0:
            return "must not be negative (got %d)" % value
        limit = schema.UINT16 if kind == "uint16" else schema.UINT32
        if value > limit:
            return "must not be greater than %d (got %d)" % (limit, value)
        return None
    if kind == "port":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
            return "must be a port number (1-65535), not %r" % (value,)
        return None
    if kind == "map":
        return None if isinstance(value, dict) else "must be a mapping, not %s" % _type_name(value)
    if kind == "list":
        return None if isinstance(value, list) else "must be a list, not %s" % _type_name(value)
    raise AssertionError(kind)  # pragma: no cover


def _merge(base, override):
    """Deep-merge two mappings; ``None`` in ``override`` removes a key."""
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _copy(value):
    """Copy JSON-like data (much faster than copy.deepcopy)."""
    if isinstance(value, dict):
        return dict((k, _copy(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _str_or_none(value):
    return value if isinstance(value, str) and value else None


_RELATIONSHIP_NUMBER = re.compile(r"^relationship (\d+)")


class _Problems(object):
    def __init__(self):
        self.items = []

    def in_topology_order(self):
        """Problems grouped by relationship (topology-wide ones first), else as found."""
        def group(problem):
            match = _RELATIONSHIP_NUMBER.match(problem)
            return int(match.group(1)) if match else 0
        return sorted(self.items, key=group)

    def add(self, where, what):
        self.items.append("%s: %s" % (where, what))

    def unknown_keys(self, where, mapping, known, hints=None):
        for key in mapping:
            if key in known:
                continue
            if hints and key in hints:
                self.add(where, "'%s' is not allowed here: %s" % (key, hints[key]))
            else:
                self.add(where, "unknown key '%s'%s" % (key, _suggest(key, known)))


# ---------------------------------------------------------------------------
# the validated model


class Peer(object):
    """One end of a relationship, as validated."""

    def __init__(self, side, host, name, url, interface, role, params, where):
        self.side = side            # "branch" or "central"
        self.host = host            # inventory hostname
        self.name = name            # Kea peer name
        self.url = url
        self.interface = interface  # interface its copy of the subnets binds to, or None
        self.role = role
        self.params = params        # Kea per-peer keys, in the user's order
        self.where = where
        self.scheme = None
        self.endpoint = None

    def entry(self):
        """The peer's item in a Kea ``peers`` list."""
        item = {"name": self.name, "url": self.url, "role": self.role}
        item.update(self.params)
        return item


class Relationship(object):
    def __init__(self, index, where, branch, central, params, subnets):
        self.index = index
        self.where = where
        self.branch = branch
        self.central = central
        self.params = params      # merged relationship parameters (mode included)
        self.subnets = subnets    # the user's subnet objects

    @property
    def mode(self):
        return self.params["mode"]

    @property
    def peers(self):
        return (self.branch, self.central)

    def peer_names(self):
        return set(peer.name for peer in self.peers)

    def local(self, host):
        return self.branch if self.branch.host == host else self.central

    def dedicated_listener(self, core_mt=True):
        mt = dict(schema.MT_DEFAULTS)
        given = self.params.get("multi-threading")
        if isinstance(given, dict):
            mt.update(given)
        return bool(core_mt and mt.get("enable-multi-threading") and mt.get("http-dedicated-listener"))

    def ha_entry(self, host):
        """This relationship's item in ``host``'s ``high-availability`` list."""
        entry = {"this-server-name": self.local(host).name, "mode": self.mode}
        for key, value in self.params.items():
            if key != "mode":
                entry[key] = _copy(value)
        entry["peers"] = [peer.entry() for peer in self.peers]
        return entry


class Topology(object):
    """A validated hub-and-spoke arrangement."""

    def __init__(self, family, central, relationships, options):
        self.family = family
        self.central = central
        self.relationships = relationships
        self.options = options
        self.branches = dict((rel.branch.host, rel) for rel in relationships)

    @property
    def dhcp_key(self):
        return "Dhcp%d" % self.family

    @property
    def subnet_key(self):
        return "subnet%d" % self.family

    @property
    def hosts(self):
        return [self.central] + [rel.branch.host for rel in self.relationships]

    def relationships_of(self, host):
        if host == self.central:
            return list(self.relationships)
        if host in self.branches:
            return [self.branches[host]]
        raise TopologyError(["host '%s': it is neither the central ('%s') nor a branch of any relationship%s"
                             % (host, self.central, _suggest(host, self.hosts))])

    def interfaces(self, host):
        """The interfaces ``host`` serves, one item per relationship that names one."""
        found = []
        for rel in self.relationships_of(host):
            local = rel.local(host)
            if local.interface:
                found.append({"relationship": rel.index, "branch": rel.branch.host, "peer": local.name,
                              "interface": local.interface.split("/", 1)[0]})
        return found

    def ha_relationships(self, host):
        """The ``high-availability`` list for one host."""
        return [rel.ha_entry(host) for rel in self.relationships_of(host)]

    def config(self, host):
        """The complete ``{"DhcpN": {...}}`` configuration for one host."""
        relationships = self.relationships_of(host)
        base = _copy(self.options.base_for(host))
        interfaces = {}  # an ordered set
        subnets = []
        for rel in relationships:
            local = rel.local(host)
            if local.interface:
                interfaces[local.interface] = True
            subnets.extend(tag_subnets(rel.subnets, local.name, interface=local.interface, checked=True))
        body = {}
        iface_config = base.pop("interfaces-config", {})
        if interfaces or iface_config:
            listed = list(interfaces)
            for name in iface_config.get("interfaces", []):
                if name not in listed:
                    listed.append(name)
            iface_config["interfaces"] = listed
            body["interfaces-config"] = iface_config
        body["hooks-libraries"] = (self.options.hook_libraries((rel.ha_entry(host) for rel in relationships), host)
                                   + base.pop("hooks-libraries", []))
        body.update(base)
        body[self.subnet_key] = subnets
        return {self.dhcp_key: body}

    def configs(self, hosts=None):
        """Every host's configuration (or those of ``hosts`` only), central first, then branches in order."""
        wanted = None if hosts is None else set(hosts)
        return dict((host, self.config(host)) for host in self.hosts if wanted is None or host in wanted)


class Options(object):
    """How to assemble: hooks directory, base configs, control endpoints."""

    def __init__(self, hooks_dir=None, base=None, host_base=None, control_endpoints=None):
        self.hooks_dir = hooks_dir
        self.base = base or {}
        self.host_base = host_base or {}
        self.control_endpoints = control_endpoints

    def library(self, name, host=None):
        hooks_dir = self.hooks_dir.get(host) if isinstance(self.hooks_dir, dict) else self.hooks_dir
        if not hooks_dir:
            return name
        return hooks_dir.rstrip("/") + "/" + name

    def hook_libraries(self, ha_entries, host=None):
        return [
            {"library": self.library(schema.LEASE_CMDS_LIBRARY, host), "parameters": {}},
            {"library": self.library(schema.HA_LIBRARY, host), "parameters": {"high-availability": list(ha_entries)}},
        ]

    def base_for(self, host):
        return _merge(self.base, self.host_base.get(host) or {})


# ---------------------------------------------------------------------------
# subnet tagging


def tag_subnets(subnets, server_name, peers=None, interface=None, checked=False):
    """Copies of ``subnets`` with ``user-context.ha-server-name`` set.

    Every other user-context key is kept. A subnet already tagged with a name
    that is not one of ``peers`` (default: just ``server_name``) belongs to
    another relationship: that is an error, reported for every such subnet.
    ``interface``, when given, binds each copy to that interface.
    """
    if not checked:
        problems = _Problems()
        if not isinstance(server_name, str) or not server_name:
            raise TopologyError(["tag_subnets: server name must be a non-empty string, not %s" % _type_name(server_name)])
        if peers is not None and not (isinstance(peers, list) and all(isinstance(p, str) for p in peers)):
            raise TopologyError(["tag_subnets: peers must be a list of peer names, not %s" % _type_name(peers)])
        allowed = set(peers or ()) | set([server_name])
        if not isinstance(subnets, list):
            raise TopologyError(["tag_subnets: subnets must be a list, not %s" % _type_name(subnets)])
        for position, subnet in enumerate(subnets, 1):
            where = _subnet_where("tag_subnets", position, subnet)
            if not isinstance(subnet, dict):
                problems.add(where, "must be a mapping, not %s" % _type_name(subnet))
                continue
            context = subnet.get("user-context")
            if context is None:
                continue
            if not isinstance(context, dict):
                problems.add(where, "'user-context' must be a mapping, not %s" % _type_name(context))
            elif "ha-server-name" in context and not isinstance(context["ha-server-name"], str):
                problems.add(where, "user-context ha-server-name must be a peer name string, not %s"
                             % _type_name(context["ha-server-name"]))
            elif "ha-server-name" in context and context["ha-server-name"] not in allowed:
                problems.add(where, "already tagged ha-server-name '%s', which is not a peer of its relationship (%s)"
                             % (context["ha-server-name"], ", ".join("'%s'" % n for n in sorted(allowed))))
        if problems.items:
            raise TopologyError(problems.items)
    tagged = []
    for subnet in subnets:
        copy = _copy(subnet)
        if interface:
            copy["interface"] = interface
        context = copy.pop("user-context", None) or {}
        context["ha-server-name"] = server_name
        copy["user-context"] = context
        tagged.append(copy)
    return tagged


def _subnet_where(prefix, position, subnet):
    if isinstance(subnet, dict):
        text = subnet.get("subnet")
        ident = subnet.get("id")
        if isinstance(text, str) and text:
            if isinstance(ident, int) and not isinstance(ident, bool):
                return "%s subnet %s (id %d)" % (prefix, text, ident)
            return "%s subnet %s" % (prefix, text)
    return "%s subnet #%d" % (prefix, position)


# ---------------------------------------------------------------------------
# validation


def load_topology(topology, hooks_dir=None, base=None, host_base=None, control_endpoints=None, known_hosts=None,
                  facts=None, host_subnets=None):
    """Validate ``topology`` as a whole; return a Topology or raise TopologyError.

    ``facts`` (hostname to gathered facts) lets peers leave out ``url``: it is
    derived from the address of the peer's interface. ``host_subnets``
    (branch hostname to subnet list) supplies the subnets of relationships
    that do not list their own.
    """
    addr.require_netaddr()
    loader = _Loader(topology, hooks_dir, base, host_base, control_endpoints, known_hosts)
    loader.facts = facts if isinstance(facts, dict) else None
    loader.host_subnets = host_subnets if isinstance(host_subnets, dict) else {}
    return loader.load()


class _Loader(object):
    def __init__(self, topology, hooks_dir, base, host_base, control_endpoints, known_hosts):
        self.topology = topology
        self.hooks_dir = hooks_dir
        self.base = base
        self.host_base = host_base
        self.control_endpoints = control_endpoints
        self.known_hosts = known_hosts
        self.known_host_set = None
        self.problems = _Problems()
        self.family = 4
        self.central = None
        self.parsed = []  # (where, Relationship, id or None, Prefix or None) of every subnet
        self.facts = None
        self.host_subnets = {}
        self.ha_port = schema.DEFAULT_HA_PORT

    # -- entry point ------------------------------------------------------

    def load(self):
        topo = self.topology
        if not isinstance(topo, dict):
            raise TopologyError(["kea_ha_topology: must be a mapping with 'central' and 'relationships', not %s" % _type_name(topo)])
        self.problems.unknown_keys("kea_ha_topology", topo, schema.TOPOLOGY_KEYS)
        self._inventory()
        self._family(topo.get("family", 4))
        port = topo.get("ha-port", schema.DEFAULT_HA_PORT)
        reason = _check_kind(port, "port")
        if reason:
            self.problems.add("kea_ha_topology", "'ha-port' %s" % reason)
        else:
            self.ha_port = port
        self.central = self._central_host(topo.get("central"))
        defaults = self._defaults(topo.get("defaults"))
        options = self._options()
        relationships = []
        raw = topo.get("relationships")
        if not isinstance(raw, list) or not raw:
            self.problems.add("kea_ha_topology", "'relationships' must be a non-empty list (one per branch), not %s"
                              % ("an empty list" if raw == [] else _type_name(raw)))
        else:
            for index, item in enumerate(raw, 1):
                rel = self._relationship(index, item, defaults)
                if rel is not None:
                    relationships.append(rel)
            # Cross-checks look at every part that parsed, even in a
            # relationship that has problems of its own, so one run reports all.
            self._cross_checks(relationships, options, len(raw))
        if self.problems.items:
            raise TopologyError(self.problems.in_topology_order())
        return Topology(self.family, self.central, relationships, options)

    # -- top level ----------------------------------------------------------

    def _inventory(self):
        hosts = self.known_hosts
        if hosts is None:
            return
        if not isinstance(hosts, (list, tuple, set, frozenset)) or not all(isinstance(h, str) for h in hosts):
            self.problems.add("keadhcp.ha options", "known_hosts must be a list of inventory hostnames, not %s" % _type_name(hosts))
            return
        self.known_hosts = sorted(hosts)
        self.known_host_set = set(hosts)

    def _family(self, value):
        if isinstance(value, str) and value.strip() in ("4", "6"):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in (4, 6):
            self.problems.add("kea_ha_topology", "'family' must be 4 or 6, not %r" % (value,))
        else:
            self.family = value

    def _central_host(self, value):
        if not isinstance(value, str) or not value:
            self.problems.add("kea_ha_topology", "'central' must name the central's inventory host, not %s" % _type_name(value))
            return None
        self._known_host("kea_ha_topology: central", value)
        return value

    def _known_host(self, where, host):
        if self.known_host_set is not None and host not in self.known_host_set:
            self.problems.add(where, "host '%s' is not in the inventory%s" % (host, _suggest(host, self.known_hosts)))

    def _defaults(self, value):
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.add("kea_ha_topology", "'defaults' must be a mapping of relationship parameters, not %s" % _type_name(value))
            return {}
        self._params("kea_ha_topology.defaults", value, in_relationship=False)
        return value

    def _options(self):
        where = "keadhcp.ha options"
        hooks_dir = self.hooks_dir
        if isinstance(hooks_dir, dict):
            # one directory per host (platforms differ); a host left out gets bare file names
            if not all(isinstance(value, str) or value is None for value in hooks_dir.values()):
                self.problems.add(where, "hooks_dir must map inventory hosts to path strings")
                hooks_dir = None
        elif hooks_dir is not None and (not isinstance(hooks_dir, str)):
            self.problems.add(where, "hooks_dir must be a path string, or map hosts to path strings, not %s"
                              % _type_name(hooks_dir))
            hooks_dir = None
        base = self._base(where + ": base", self.base)
        host_base = {}
        if self.host_base is not None:
            if not isinstance(self.host_base, dict):
                self.problems.add(where, "host_base must map inventory hosts to base configs, not %s" % _type_name(self.host_base))
            else:
                for host, config in self.host_base.items():
                    host_base[host] = self._base("%s: host_base[%s]" % (where, host), config)
        return Options(hooks_dir or None, base, host_base, self.control_endpoints)

    def _base(self, where, config):
        if config is None:
            return {}
        if not isinstance(config, dict):
            self.problems.add(where, "must be a mapping, not %s" % _type_name(config))
            return {}
        if len(config) == 1 and next(iter(config)) in ("Dhcp4", "Dhcp6"):
            top = next(iter(config))
            if top != "Dhcp%d" % self.family:
                self.problems.add(where, "is a %s config but the topology's family is %d" % (top, self.family))
                return {}
            config = config[top]
            if not isinstance(config, dict):
                self.problems.add(where, "%s must be a mapping, not %s" % (top, _type_name(config)))
                return {}
        for key in ("subnet4", "subnet6", "shared-networks"):
            if key in config:
                self.problems.add(where, "must not define '%s': declare subnets in the relationships, so that each is tagged "
                                         "with its relationship's ha-server-name" % key)
        iface = config.get("interfaces-config")
        if iface is not None and not (isinstance(iface, dict) and isinstance(iface.get("interfaces", []), list)):
            self.problems.add(where, "'interfaces-config' must be a mapping whose 'interfaces' is a list")
        libraries = config.get("hooks-libraries", [])
        if not isinstance(libraries, list):
            self.problems.add(where, "'hooks-libraries' must be a list, not %s" % _type_name(libraries))
        else:
            for lib in libraries:
                name = lib.get("library") if isinstance(lib, dict) else None
                if not isinstance(name, str):
                    self.problems.add(where, "every 'hooks-libraries' item needs a 'library' path")
                elif name.rsplit("/", 1)[-1] in (schema.HA_LIBRARY, schema.LEASE_CMDS_LIBRARY):
                    self.problems.add(where, "must not load '%s': the topology provides the lease commands and HA hooks" % name)
        return config

    # -- relationship parameters -------------------------------------------------

    def _params(self, where, params, in_relationship=True):
        """Check relationship parameters (as written in defaults or a relationship)."""
        hints = dict(schema.DERIVED_RELATIONSHIP_KEYS)
        if not in_relationship:
            for key in schema.RELATIONSHIP_OWN_KEYS:
                hints[key] = "it belongs to each relationship, not to defaults"
        for key in schema.PEER_PARAMS:
            if key not in schema.RELATIONSHIP_PARAMS:
                hints[key] = "it is a per-peer key: set it on the relationship's 'branch' and/or 'central'"
        for key, value in params.items():
            if in_relationship and key in schema.RELATIONSHIP_OWN_KEYS:
                continue
            if key not in schema.RELATIONSHIP_PARAMS:
                if key in hints:
                    self.problems.add(where, "'%s' is not allowed here: %s" % (key, hints[key]))
                else:
                    self.problems.add(where, "unknown key '%s'%s" % (key, _suggest(key, schema.RELATIONSHIP_PARAMS)))
                continue
            if value is None:
                continue  # null unsets a default
            reason = _check_kind(value, schema.RELATIONSHIP_PARAMS[key])
            if reason:
                self.problems.add(where, "'%s' %s" % (key, reason))
            elif key == "mode" and value not in schema.MODES:
                self.problems.add(where, "'mode' must be one of %s, not '%s'%s"
                                  % (", ".join(schema.MODES), value, _suggest(value, schema.MODES)))
            elif key == "multi-threading":
                self._keyed_kinds(where + " multi-threading", value, schema.MULTI_THREADING_PARAMS)
            elif key == "state-machine":
                self._state_machine(where + " state-machine", value)

    def _keyed_kinds(self, where, mapping, kinds):
        for key, value in mapping.items():
            if key not in kinds:
                self.problems.add(where, "unknown key '%s'%s" % (key, _suggest(key, kinds)))
                continue
            reason = _check_kind(value, kinds[key])
            if reason:
                self.problems.add(where, "'%s' %s" % (key, reason))

    def _state_machine(self, where, value):
        self.problems.unknown_keys(where, value, ("states",))
        states = value.get("states", [])
        if not isinstance(states, list):
            self.problems.add(where, "'states' must be a list, not %s" % _type_name(states))
            return
        seen = set()
        for item in states:
            if not isinstance(item, dict):
                self.problems.add(where, "each state must be a mapping with 'state' and 'pause'")
                continue
            self.problems.unknown_keys(where, item, ("state", "pause"))
            state = item.get("state")
            if not isinstance(state, str) or state not in schema.HA_STATES:
                self.problems.add(where, "unknown state %r%s" % (state, _suggest(state, schema.HA_STATES)))
            elif state in seen:
                self.problems.add(where, "duplicated configuration for the '%s' state" % state)
            else:
                seen.add(state)
            pause = item.get("pause", "never")
            if pause not in schema.PAUSE_VALUES:
                self.problems.add(where, "state '%s': 'pause' must be one of %s, not %r" % (state, ", ".join(schema.PAUSE_VALUES), pause))

    def _mode_rules(self, where, params):
        mode = params.get("mode")
        if mode == "hot-standby" or mode == "passive-backup":
            if params.get("delayed-updates-limit", 0) not in (0, None):
                self.problems.add(where, "'delayed-updates-limit' must be set to 0 in the %s configuration"
                                  % mode.replace("-", " "))
        if mode in ("hot-standby", "load-balancing") and params.get("wait-backup-ack") is True:
            self.problems.add(where, "'wait-backup-ack' must be set to false in the %s configuration" % mode.replace("-", " "))

    # -- one relationship ------------------------------------------------------------

    def _relationship(self, index, item, defaults):
        label = "relationship %d" % index
        if isinstance(item, dict) and isinstance(item.get("branch"), dict) and _str_or_none(item["branch"].get("host")):
            label = "relationship %d (%s)" % (index, item["branch"]["host"])
        if not isinstance(item, dict):
            self.problems.add(label, "must be a mapping with 'branch', 'central' and 'subnets', not %s" % _type_name(item))
            return None
        self._params(label, item)
        own = dict((k, v) for k, v in item.items() if k in schema.RELATIONSHIP_PARAMS)
        params = _merge(defaults if isinstance(defaults, dict) else {}, own)
        params.setdefault("mode", "hot-standby")
        mode = params.get("mode") if params.get("mode") in schema.MODES else "hot-standby"
        self._mode_rules(label, params)
        roles = schema.DEFAULT_ROLES[mode]
        tls = any(params.get(k) for k in schema.TLS_KEYS)
        branch = self._peer(label, "branch", item.get("branch"), roles[0], index, tls)
        central = self._peer(label, "central", item.get("central"), roles[1], index, tls)
        if branch and central:
            self._peer_pair(label, mode, params, branch, central)
        rel = Relationship(index, label, branch, central, params, [])
        subnets = item.get("subnets")
        from_host = self.host_subnets.get(branch.host) if branch is not None else None
        if from_host is not None:
            if "subnets" in item:
                self.problems.add(label, "subnets are declared both here and in kea_ha_subnets of host '%s'; keep one"
                                  % branch.host)
            else:
                subnets = from_host
        rel.subnets = self._subnets(rel, subnets)
        return rel

    def _peer(self, label, side, value, default_role, index=1, tls=False):
        where = "%s %s" % (label, side)
        if not isinstance(value, dict):
            self.problems.add(label, "'%s' must be a mapping with at least 'name' and 'url'%s, not %s"
                              % (side, " (and 'host')" if side == "branch" else "", _type_name(value)))
            return None
        if _str_or_none(value.get("name")):
            where = "%s %s peer '%s'" % (label, side, value["name"])
        known = dict(schema.PEER_OWN_KEYS)
        known.update(schema.PEER_PARAMS)
        hints = {}
        if side == "central":
            known.pop("host")
            hints["host"] = "the central's host is kea_ha_topology.central"
        for key in schema.RELATIONSHIP_PARAMS:
            if key not in known:
                hints[key] = "it is a relationship parameter: set it on the relationship or in defaults"
        self.problems.unknown_keys(where, value, known, hints)
        ok = True
        required = ("host", "name") if side == "branch" else ("name",)
        for key in required:
            if key not in value:
                self.problems.add(where, "'%s' is required" % key)
                ok = False
        for key, kind in known.items():
            if key in value:
                reason = _check_kind(value[key], kind)
                if reason:
                    self.problems.add(where, "'%s' %s" % (key, reason))
                    ok = False
        role = value.get("role", default_role)
        if role not in schema.ROLES:
            if isinstance(role, str):
                self.problems.add(where, "'role' must be one of %s, not '%s'" % (", ".join(schema.ROLES), role))
            role = None  # counted as unknown: no role-count checks on it
            ok = False
        params = dict((k, v) for k, v in value.items() if k in schema.PEER_PARAMS)
        self._peer_auth(where, value)
        self._tls_set(where, value)
        host = value.get("host") if side == "branch" else self.central
        if side == "branch" and _str_or_none(host):
            self._known_host(where, host)
        peer = Peer(side, host, value.get("name"), value.get("url"), value.get("interface"), role, params, where)
        if "url" not in value and _str_or_none(host):
            tls = tls or any(value.get(k) for k in schema.TLS_KEYS)
            peer.url = self._derive_url(where, side, host, value, index, tls)
        elif "url" not in value:
            self.problems.add(where, "'url' is required")
        elif "port" in value:
            self.problems.add(where, "'port' only serves to derive 'url'; with 'url' given, put the port in it")
        if _str_or_none(peer.url):
            try:
                peer.scheme, peer.endpoint = addr.parse_url(peer.url)
            except ValueError as exc:
                self.problems.add(where, "url '%s' %s" % (peer.url, exc))
        # A peer without a usable host or name cannot take part in cross-checks.
        return peer if ok or (_str_or_none(peer.host) and _str_or_none(peer.name)) else None

    def _derive_url(self, where, side, host, value, index, tls):
        """A peer URL from the host's facts: its address on the peer's interface."""
        if self.facts is None or host not in self.facts:
            self.problems.add(where, "'url' is required (no facts of host '%s' to derive it from)" % host)
            return None
        interface = value.get("interface") if isinstance(value.get("interface"), str) else None
        address = addr.address_from_facts(self.facts[host], interface)
        if address is None:
            self.problems.add(where, "'url' cannot be derived: host '%s' has no address on %s"
                              % (host, "interface '%s'" % interface if interface else "its default route"))
            return None
        port = value.get("port")
        if not isinstance(port, int) or isinstance(port, bool):
            port = self.ha_port + (index - 1 if side == "central" else 0)
        if port > 65535:
            self.problems.add(where, "'url' cannot be derived: port %d is out of range; set 'port' or 'ha-port'" % port)
            return None
        return addr.make_url("https" if tls else "http", address, port)

    def _peer_auth(self, where, value):
        user = value.get("basic-auth-user")
        if isinstance(user, str) and ":" in user:
            self.problems.add(where, "user '%s' must not contain a ':'" % user)
        if "basic-auth-password" in value and "basic-auth-password-file" in value:
            self.problems.add(where, "only one of basic-auth-password and basic-auth-password-file can be configured")
        if ("basic-auth-password" in value or "basic-auth-password-file" in value) and not user:
            self.problems.add(where, "a basic-auth password is set without 'basic-auth-user'; Kea would ignore it")

    def _tls_set(self, where, mapping):
        present = [k for k in schema.TLS_KEYS if mapping.get(k) is not None]
        if present and len(present) != len(schema.TLS_KEYS):
            missing = [k for k in schema.TLS_KEYS if k not in present]
            self.problems.add(where, "TLS needs all of trust-anchor, cert-file and key-file together; missing %s"
                              % ", ".join("'%s'" % k for k in missing))
        return bool(present)

    def _peer_pair(self, label, mode, params, branch, central):
        if branch.name == central.name:
            self.problems.add(label, "peer with name '%s' already specified (branch and central need different names)" % branch.name)
        roles = [branch.role, central.role]
        if None in roles:
            roles = []
        for role in ("primary", "secondary", "standby"):
            if roles.count(role) > 1:
                self.problems.add(label, "both peers have role '%s'; at most one %s is allowed" % (role, role))
        spelled = mode.replace("-", " ")
        if not roles:
            pass
        elif mode == "hot-standby":
            if "primary" not in roles:
                self.problems.add(label, "primary server required in the hot standby configuration")
            if "standby" not in roles:
                self.problems.add(label, "standby server required in the hot standby configuration")
            if "secondary" in roles:
                self.problems.add(label, "secondary servers not allowed in the hot standby configuration")
        elif mode == "load-balancing":
            if "primary" not in roles or "secondary" not in roles:
                self.problems.add(label, "load balancing needs one primary and one secondary server (roles: %s)" % ", ".join(roles))
            if "standby" in roles:
                self.problems.add(label, "standby servers not allowed in the %s configuration" % spelled)
        elif mode == "passive-backup":
            if "primary" not in roles:
                self.problems.add(label, "primary server required in the passive backup configuration")
            if "secondary" in roles or "standby" in roles:
                self.problems.add(label, "only primary and backup servers are allowed in the passive backup configuration")
        relationship_tls = self._tls_set(label, params)
        for peer in (branch, central):
            if peer.scheme == "https" and not (relationship_tls or any(peer.params.get(k) for k in schema.TLS_KEYS)):
                self.problems.add(peer.where, "url '%s' uses https, which needs trust-anchor, cert-file and key-file "
                                              "(on the peer or the relationship)" % peer.url)

    # -- subnets ---------------------------------------------------------------------------

    def _subnets(self, rel, value):
        label = rel.where
        if not isinstance(value, list) or not value:
            self.problems.add(label, "'subnets' must be a non-empty list of Kea subnet objects, not %s"
                              % ("an empty list" if value == [] else _type_name(value)))
            return []
        names = set(p.name for p in rel.peers if p is not None)
        subnet_known = getattr(kea_keys, "SUBNET%d_KEYS" % self.family, None) if kea_keys else None
        for position, subnet in enumerate(value, 1):
            where = _subnet_where(label, position, subnet)
            if not isinstance(subnet, dict):
                self.problems.add(where, "must be a mapping (a Kea subnet object), not %s" % _type_name(subnet))
                continue
            if subnet_known:
                self.problems.unknown_keys(where, dict((k, None) for k in subnet if k not in ("interface", "pd-pools")), subnet_known)
            if "interface" in subnet:
                self.problems.add(where, "'interface' is not allowed here: set 'interface' on the relationship's branch "
                                         "and central; each copy of the subnet is bound to its own host's interface")
            ident = subnet.get("id")
            if ident is None:
                self.problems.add(where, "'id' is required: both ends of a relationship must number the subnet alike")
            elif isinstance(ident, bool) or not isinstance(ident, int):
                self.problems.add(where, "'id' must be an integer, not %s" % _type_name(ident))
            elif not schema.SUBNET_ID_MIN <= ident <= schema.SUBNET_ID_MAX:
                self.problems.add(where, "'id' %d is out of range (%d-%d)" % (ident, schema.SUBNET_ID_MIN, schema.SUBNET_ID_MAX))
            prefix = self._prefix(where, subnet.get("subnet"))
            self.parsed.append((where, rel, ident if isinstance(ident, int) and not isinstance(ident, bool) else None, prefix))
            self._pools(where, subnet, prefix)
            context = subnet.get("user-context")
            if context is not None:
                if not isinstance(context, dict):
                    self.problems.add(where, "'user-context' must be a mapping, not %s" % _type_name(context))
                elif "ha-server-name" in context and not isinstance(context["ha-server-name"], str):
                    self.problems.add(where, "user-context ha-server-name must be a peer name string, not %s"
                                      % _type_name(context["ha-server-name"]))
                elif "ha-server-name" in context and context["ha-server-name"] not in names:
                    self.problems.add(where, "user-context ha-server-name %r is not a peer of this relationship (%s)"
                                      % (context["ha-server-name"], ", ".join("'%s'" % n for n in sorted(names))))
        return value

    def _prefix(self, where, text):
        if not isinstance(text, str) or not text:
            self.problems.add(where, "'subnet' must be a prefix string such as %s, not %s"
                              % ("'192.0.2.0/24'" if self.family == 4 else "'2001:db8:1::/64'", _type_name(text)))
            return None
        try:
            prefix = addr.parse_subnet(text)
        except ValueError as exc:
            self.problems.add(where, "'subnet' '%s' %s" % (text, exc))
            return None
        if prefix.version != self.family:
            self.problems.add(where, "an IPv%d subnet in a DHCPv%d topology (family: %d)" % (prefix.version, self.family, self.family))
            return None
        return prefix

    def _pools(self, where, subnet, prefix):
        pools = subnet.get("pools", [])
        pool_known = getattr(kea_keys, "POOL%d_KEYS" % self.family, None) if kea_keys else None
        if not isinstance(pools, list):
            self.problems.add(where, "'pools' must be a list, not %s" % _type_name(pools))
            pools = []
        parsed = []
        for item in pools:
            if not isinstance(item, dict) or not isinstance(item.get("pool"), str):
                self.problems.add(where, "each pool must be a mapping with a 'pool' string, not %s" % _type_name(item))
                continue
            if pool_known:
                self.problems.unknown_keys("%s pool '%s'" % (where, item["pool"]), item, pool_known)
            try:
                pool = addr.parse_pool(item["pool"])
            except ValueError as exc:
                self.problems.add(where, "pool '%s' %s" % (item["pool"], exc))
                continue
            if prefix is not None and not prefix.contains(pool):
                self.problems.add(where, "pool '%s' is outside the subnet" % item["pool"])
            parsed.append((pool, item["pool"]))
        for (_pool_one, one), (_pool_two, two) in addr.find_overlaps(parsed):
            self.problems.add(where, "pools '%s' and '%s' overlap" % (one, two))
        pd_pools = subnet.get("pd-pools")
        if pd_pools is None:
            return
        if self.family == 4:
            self.problems.add(where, "'pd-pools' (prefix delegation) exists only in DHCPv6")
            return
        if not isinstance(pd_pools, list):
            self.problems.add(where, "'pd-pools' must be a list, not %s" % _type_name(pd_pools))
            return
        pd_known = getattr(kea_keys, "PD_POOL_KEYS", None) if kea_keys else None
        delegated = []
        for item in pd_pools:
            if not isinstance(item, dict):
                self.problems.add(where, "each pd-pool must be a mapping, not %s" % _type_name(item))
                continue
            if pd_known:
                self.problems.unknown_keys("%s pd-pool" % where, item, pd_known)
            plen, dlen = item.get("prefix-len"), item.get("delegated-len")
            if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 128 for v in (plen, dlen)):
                self.problems.add(where, "pd-pool needs integer 'prefix-len' and 'delegated-len' between 1 and 128")
                continue
            if dlen < plen:
                self.problems.add(where, "pd-pool 'delegated-len' %d is shorter than its 'prefix-len' %d" % (dlen, plen))
            try:
                pd_prefix = addr.parse_pd_prefix(str(item.get("prefix")), plen)
            except ValueError as exc:
                self.problems.add(where, "pd-pool prefix %s" % exc)
                continue
            delegated.append((pd_prefix, pd_prefix.text))
        for (_pd_one, one), (_pd_two, two) in addr.find_overlaps(delegated):
            self.problems.add(where, "pd-pools '%s' and '%s' overlap" % (one, two))

    # -- across the topology ---------------------------------------------------------------

    def _cross_checks(self, relationships, options, count):
        self._hosts(relationships)
        self._names(relationships)
        if count > 1:
            for rel in relationships:
                if rel.mode in schema.MODES and rel.mode != "hot-standby":
                    self.problems.add(rel.where, "uses mode '%s', but multiple HA relationships are only supported for "
                                                 "'hot-standby' mode" % rel.mode)
        self._subnet_identity()
        self._listeners(relationships, options)
        self._option_hosts(relationships, options)

    def _option_hosts(self, relationships, options):
        hosts = set([self.central]) | set(rel.branch.host for rel in relationships if rel.branch is not None)
        named = [("host_base", options.host_base)]
        if isinstance(options.control_endpoints, dict):
            named.append(("control_endpoints", dict((k, v) for k, v in options.control_endpoints.items() if k != "all")))
        for option, mapping in named:
            for host in mapping:
                if host not in hosts:
                    self.problems.add("keadhcp.ha options: %s" % option, "host '%s' is not part of the topology%s"
                                      % (host, _suggest(host, sorted(h for h in hosts if isinstance(h, str)))))

    def _hosts(self, relationships):
        first = {}
        for rel in relationships:
            if rel.branch is None:
                continue
            host = rel.branch.host
            if host == self.central:
                self.problems.add(rel.where, "branch host '%s' is the central; a host is the central or a branch, never both" % host)
            elif host in first:
                self.problems.add(rel.where, "branch host '%s' is already the branch of %s; a branch has one relationship"
                                  % (host, first[host].where))
            else:
                first[host] = rel

    def _names(self, relationships):
        owner = {}
        for rel in relationships:
            for peer in rel.peers:
                if peer is None:
                    continue
                seen = owner.get(peer.name)
                if seen is not None and seen[0] is not rel:
                    self.problems.add(peer.where, "server names must be unique for different relationships: "
                                                  "'%s' is already the %s peer of %s" % (peer.name, seen[1].side, seen[0].where))
                else:
                    owner[peer.name] = (rel, peer)

    def _subnet_identity(self):
        ids = {}
        for where, rel, ident, prefix in self.parsed:
            if ident is None:
                continue
            if ident in ids:
                self.problems.add(where, "subnet id %d is already used by %s" % (ident, ids[ident]))
            else:
                ids[ident] = where
        items = [(prefix, (where, rel)) for where, rel, ident, prefix in self.parsed if prefix is not None]
        for (one, (where_one, rel_one)), (two, (where_two, rel_two)) in addr.find_overlaps(items):
            if one.first == two.first and one.last == two.last and rel_one is not rel_two:
                self.problems.add(where_two, "already belongs to %s; a subnet belongs to exactly one relationship" % rel_one.where)
            else:
                self.problems.add(where_two, "overlaps %s" % where_one)

    def _listeners(self, relationships, options):
        core_mt = {}    # host -> whether Kea's own multi-threading is on there
        listeners = {}  # host -> [(Endpoint, Peer, Relationship)]
        owners = {}     # Endpoint -> (host, Peer, Relationship)
        for rel in relationships:
            for peer in rel.peers:
                if peer is None or peer.endpoint is None:
                    continue
                if peer.host not in core_mt:
                    mt = options.base_for(peer.host).get("multi-threading")
                    core_mt[peer.host] = not (isinstance(mt, dict) and mt.get("enable-multi-threading") is False)
                dedicated = rel.dedicated_listener(core_mt[peer.host])
                seen = owners.get(peer.endpoint)
                if seen is not None and seen[0] != peer.host:
                    self.problems.add(peer.where, "url '%s' points at %s, which is already the address of %s on host '%s'"
                                      % (peer.url, peer.endpoint, seen[1].where, seen[0]))
                owners.setdefault(peer.endpoint, (peer.host, peer, rel))
                if dedicated:
                    listeners.setdefault(peer.host, []).append((peer.endpoint, peer, rel))
        for host, items in listeners.items():
            first = {}
            for endpoint, peer, rel in items:
                if endpoint in first and first[endpoint][1] is not rel:
                    self.problems.add(peer.where, "listens on %s like %s; with dedicated HA listeners each relationship "
                                                  "of host '%s' needs its own IP:port" % (endpoint, first[endpoint][0].where, host))
                first.setdefault(endpoint, (peer, rel))
            for control in self._control_endpoints(host, options):
                for endpoint, peer, rel in items:
                    if endpoint.collides(control):
                        self.problems.add(peer.where, "HA listener %s collides with the control channel on %s of host '%s'"
                                          % (endpoint, control, host))

    def _control_endpoints(self, host, options):
        where = "keadhcp.ha options: control_endpoints"
        found = []
        given = options.control_endpoints
        if isinstance(given, dict):
            given = given.get(host, given.get("all", []))
        if given is None:
            given = []
        if not isinstance(given, list):
            given = [given]
        for item in given:
            try:
                if isinstance(item, dict):
                    found.append(addr.make_endpoint(item.get("address", item.get("ip")), item.get("port")))
                else:
                    found.append(addr.parse_endpoint(item))
            except ValueError as exc:
                self.problems.add(where, str(exc))
        sockets = options.base_for(host).get("control-sockets") or []
        for sock in sockets if isinstance(sockets, list) else []:
            if isinstance(sock, dict) and sock.get("socket-type") in ("http", "https"):
                try:
                    found.append(addr.make_endpoint(sock.get("socket-address", schema.CONTROL_SOCKET_DEFAULT_ADDRESS),
                                                    sock.get("socket-port", schema.CONTROL_SOCKET_DEFAULT_PORT)))
                except ValueError as exc:
                    self.problems.add("host '%s' base config control-sockets" % host, str(exc))
        return found
