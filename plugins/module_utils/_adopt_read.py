# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, reading: one host's configuration taken apart, and which host is the central."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import DHCP_KEYS, library_name, names
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import type_name


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


def read_host(host, config, problems):
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


def find_central(views, central, problems):
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


def host_items(view):
    for position, subnet in enumerate(view.subnets, 1):
        yield subnet, False, position
    for position, network in enumerate(view.networks, 1):
        yield network, True, position
