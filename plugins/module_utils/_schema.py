# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the topology description and Kea's HA hook accept: keys, types, ranges.

Data only. The HA hook ignores keys it does not know, so a misspelt key in a
relationship is silently lost; these tables let the validator catch it.
Read from Kea's HA hook parser (``ha_config_parser.cc``, 2.6 and 3.0).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

UINT16 = 65535
UINT32 = 4294967295

# Kind names used by the type checks: bool, string, uint16, uint32, map, list.
RELATIONSHIP_PARAMS = {
    "mode": "string",
    "heartbeat-delay": "uint16",
    "max-response-delay": "uint16",
    "max-ack-delay": "uint16",
    "max-unacked-clients": "uint32",
    "max-rejected-lease-updates": "uint32",
    "delayed-updates-limit": "uint32",
    "send-lease-updates": "bool",
    "sync-leases": "bool",
    "sync-timeout": "uint32",
    "sync-page-limit": "uint32",
    "wait-backup-ack": "bool",
    "restrict-commands": "bool",
    "require-client-certs": "bool",
    "trust-anchor": "string",
    "cert-file": "string",
    "key-file": "string",
    "multi-threading": "map",
    "state-machine": "map",
}

MULTI_THREADING_PARAMS = {
    "enable-multi-threading": "bool",
    "http-dedicated-listener": "bool",
    "http-listener-threads": "uint32",
    "http-client-threads": "uint32",
}

# Kea's own per-peer keys, passed through to the peer entries.
PEER_PARAMS = {
    "auto-failover": "bool",
    "basic-auth-user": "string",
    "basic-auth-password": "string",
    "basic-auth-password-file": "string",
    "trust-anchor": "string",
    "cert-file": "string",
    "key-file": "string",
}

# The collection's own keys on the branch and central of a relationship.
PEER_OWN_KEYS = {
    "host": "string",
    "name": "string",
    "url": "string",
    "interface": "string",
    "relay-interfaces": "list",
    "role": "string",
    "port": "port",
}

TLS_KEYS = ("trust-anchor", "cert-file", "key-file")

# Keys Kea needs that the collection derives; a user who writes them is told so.
DERIVED_RELATIONSHIP_KEYS = {
    "this-server-name": "it is derived: each host gets its own peer name",
    "peers": "it is derived from the relationship's 'branch' and 'central'",
}

TOPOLOGY_KEYS = ("family", "central", "defaults", "relationships", "ha-port")

# Port of derived peer URLs: branches listen on it, the central on it plus the
# relationship's position minus one (one listener per relationship).
DEFAULT_HA_PORT = 8001
RELATIONSHIP_OWN_KEYS = ("branch", "central", "subnets", "shared-networks")

MODES = ("hot-standby", "load-balancing", "passive-backup")
ROLES = ("primary", "secondary", "standby", "backup")

# Roles the arrangement gives (branch, central) in each mode.
DEFAULT_ROLES = {
    "hot-standby": ("primary", "standby"),
    "load-balancing": ("primary", "secondary"),
    "passive-backup": ("primary", "backup"),
}

HA_STATES = (
    "backup", "communication-recovery", "hot-standby", "load-balancing",
    "in-maintenance", "partner-down", "partner-in-maintenance", "passive-backup",
    "ready", "syncing", "terminated", "waiting",
)
PAUSE_VALUES = ("always", "never", "once")

# Kea's defaults for the HA listener (2.6 and 3.0): dedicated listeners on.
MT_DEFAULTS = {"enable-multi-threading": True, "http-dedicated-listener": True}

SUBNET_ID_MIN = 1
SUBNET_ID_MAX = 4294967294

LEASE_CMDS_LIBRARY = "libdhcp_lease_cmds.so"
HA_LIBRARY = "libdhcp_ha.so"

# Where Kea 3.0 listens for commands when a control socket names no address/port.
CONTROL_SOCKET_DEFAULT_ADDRESS = "127.0.0.1"
CONTROL_SOCKET_DEFAULT_PORT = 8000

# A dual-stack topology (family: dual) describes each site once, with DHCPv4
# and DHCPv6 subnets side by side; every host then runs both servers, each
# with its own relationships and HA listeners. Per-daemon values are keyed by
# Kea's service names.
DUAL_STACK = "dual"
DAEMONS = {4: "dhcp4", 6: "dhcp6"}
# Where the DHCPv6 servers' derived HA listeners start when 'ha-port' is one
# number: this far above the DHCPv4 ones, so that a central with up to this
# many relationships keeps the two ranges apart.
DUAL_STACK_PORT_OFFSET = 500
