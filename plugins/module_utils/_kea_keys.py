# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keys Kea's DHCPv4/DHCPv6 config parsers accept in subnets, pools and networks, and what Kea treats as equal.

Data, and one pure function over it (``kea_normal``, at the end). Each frozenset holds the JSON keys that kea-dhcp4 or kea-dhcp6
accepts inside one subnet, pool, prefix-delegation pool or shared-network
map; any other key makes Kea fail with "got unexpected keyword", so the
validator can flag it as a likely typo.

Each set is the union of two releases, read from the grammar rules
``subnet4_param``/``subnet6_param``, ``pool_param``, ``pd_pool_param`` and
``shared_network_param``:

* Kea 2.6.3: ``src/bin/dhcp4/dhcp4_parser.yy`` and
  ``src/bin/dhcp6/dhcp6_parser.yy`` (checked against the lexers).
* Kea 3.0.4: the BNF grammar that ISC generates from those two files and
  ships in the Kea documentation.

Deprecated keys that a grammar still accepts are kept, e.g. ``client-class``,
``require-client-classes`` and ``ddns-use-conflict-resolution``. The 3.0
grammar labels the ``ddns-ttl-max`` token "ddns-ttl-mix", but the lexer
matches and stores "ddns-ttl-max", so that is the key listed here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# One entry of ``Dhcp4/subnet4`` (rule ``subnet4_param``).
SUBNET4_KEYS = frozenset(
    (
        "4o6-interface",
        "4o6-interface-id",
        "4o6-subnet",
        "allocator",
        "authoritative",
        "boot-file-name",
        "cache-max-age",
        "cache-threshold",
        "calculate-tee-times",
        "client-class",
        "client-classes",
        "comment",
        "ddns-conflict-resolution-mode",
        "ddns-generated-prefix",
        "ddns-override-client-update",
        "ddns-override-no-update",
        "ddns-qualifying-suffix",
        "ddns-replace-client-name",
        "ddns-send-updates",
        "ddns-ttl",
        "ddns-ttl-max",
        "ddns-ttl-min",
        "ddns-ttl-percent",
        "ddns-update-on-renew",
        "ddns-use-conflict-resolution",
        "evaluate-additional-classes",
        "hostname-char-replacement",
        "hostname-char-set",
        "id",
        "interface",
        "match-client-id",
        "max-valid-lifetime",
        "min-valid-lifetime",
        "next-server",
        "offer-lifetime",
        "option-data",
        "pools",
        "rebind-timer",
        "relay",
        "renew-timer",
        "require-client-classes",
        "reservations",
        "reservations-global",
        "reservations-in-subnet",
        "reservations-out-of-pool",
        "server-hostname",
        "store-extended-info",
        "subnet",
        "t1-percent",
        "t2-percent",
        "user-context",
        "valid-lifetime",
    )
)

# One entry of a DHCPv4 ``pools`` list (rule ``pool_param``).
POOL4_KEYS = frozenset(
    (
        "client-class",
        "client-classes",
        "comment",
        "ddns-conflict-resolution-mode",
        "ddns-generated-prefix",
        "ddns-override-client-update",
        "ddns-override-no-update",
        "ddns-qualifying-suffix",
        "ddns-replace-client-name",
        "ddns-send-updates",
        "ddns-ttl",
        "ddns-ttl-max",
        "ddns-ttl-min",
        "ddns-ttl-percent",
        "ddns-update-on-renew",
        "evaluate-additional-classes",
        "hostname-char-replacement",
        "hostname-char-set",
        "option-data",
        "pool",
        "pool-id",
        "require-client-classes",
        "user-context",
    )
)

# One entry of ``Dhcp4/shared-networks`` (rule ``shared_network_param``).
SHARED_NETWORK4_KEYS = frozenset(
    (
        "allocator",
        "authoritative",
        "boot-file-name",
        "cache-max-age",
        "cache-threshold",
        "calculate-tee-times",
        "client-class",
        "client-classes",
        "comment",
        "ddns-conflict-resolution-mode",
        "ddns-generated-prefix",
        "ddns-override-client-update",
        "ddns-override-no-update",
        "ddns-qualifying-suffix",
        "ddns-replace-client-name",
        "ddns-send-updates",
        "ddns-ttl",
        "ddns-ttl-max",
        "ddns-ttl-min",
        "ddns-ttl-percent",
        "ddns-update-on-renew",
        "ddns-use-conflict-resolution",
        "evaluate-additional-classes",
        "hostname-char-replacement",
        "hostname-char-set",
        "interface",
        "match-client-id",
        "max-valid-lifetime",
        "min-valid-lifetime",
        "name",
        "next-server",
        "offer-lifetime",
        "option-data",
        "rebind-timer",
        "relay",
        "renew-timer",
        "require-client-classes",
        "reservations-global",
        "reservations-in-subnet",
        "reservations-out-of-pool",
        "server-hostname",
        "store-extended-info",
        "subnet4",
        "t1-percent",
        "t2-percent",
        "user-context",
        "valid-lifetime",
    )
)

# One entry of ``Dhcp6/subnet6`` (rule ``subnet6_param``).
SUBNET6_KEYS = frozenset(
    (
        "allocator",
        "cache-max-age",
        "cache-threshold",
        "calculate-tee-times",
        "client-class",
        "client-classes",
        "comment",
        "ddns-conflict-resolution-mode",
        "ddns-generated-prefix",
        "ddns-override-client-update",
        "ddns-override-no-update",
        "ddns-qualifying-suffix",
        "ddns-replace-client-name",
        "ddns-send-updates",
        "ddns-ttl",
        "ddns-ttl-max",
        "ddns-ttl-min",
        "ddns-ttl-percent",
        "ddns-update-on-renew",
        "ddns-use-conflict-resolution",
        "evaluate-additional-classes",
        "hostname-char-replacement",
        "hostname-char-set",
        "id",
        "interface",
        "interface-id",
        "max-preferred-lifetime",
        "max-valid-lifetime",
        "min-preferred-lifetime",
        "min-valid-lifetime",
        "option-data",
        "pd-allocator",
        "pd-pools",
        "pools",
        "preferred-lifetime",
        "rapid-commit",
        "rebind-timer",
        "relay",
        "renew-timer",
        "require-client-classes",
        "reservations",
        "reservations-global",
        "reservations-in-subnet",
        "reservations-out-of-pool",
        "store-extended-info",
        "subnet",
        "t1-percent",
        "t2-percent",
        "user-context",
        "valid-lifetime",
    )
)

# One entry of a DHCPv6 ``pools`` list (rule ``pool_param``).
POOL6_KEYS = frozenset(
    (
        "client-class",
        "client-classes",
        "comment",
        "ddns-conflict-resolution-mode",
        "ddns-generated-prefix",
        "ddns-override-client-update",
        "ddns-override-no-update",
        "ddns-qualifying-suffix",
        "ddns-replace-client-name",
        "ddns-send-updates",
        "ddns-ttl",
        "ddns-ttl-max",
        "ddns-ttl-min",
        "ddns-ttl-percent",
        "ddns-update-on-renew",
        "evaluate-additional-classes",
        "hostname-char-replacement",
        "hostname-char-set",
        "option-data",
        "pool",
        "pool-id",
        "require-client-classes",
        "user-context",
    )
)

# One entry of a DHCPv6 ``pd-pools`` list (rule ``pd_pool_param``).
PD_POOL_KEYS = frozenset(
    (
        "client-class",
        "client-classes",
        "comment",
        "delegated-len",
        "evaluate-additional-classes",
        "excluded-prefix",
        "excluded-prefix-len",
        "option-data",
        "pool-id",
        "prefix",
        "prefix-len",
        "require-client-classes",
        "user-context",
    )
)

# One entry of ``Dhcp6/shared-networks`` (rule ``shared_network_param``).
SHARED_NETWORK6_KEYS = frozenset(
    (
        "allocator",
        "cache-max-age",
        "cache-threshold",
        "calculate-tee-times",
        "client-class",
        "client-classes",
        "comment",
        "ddns-conflict-resolution-mode",
        "ddns-generated-prefix",
        "ddns-override-client-update",
        "ddns-override-no-update",
        "ddns-qualifying-suffix",
        "ddns-replace-client-name",
        "ddns-send-updates",
        "ddns-ttl",
        "ddns-ttl-max",
        "ddns-ttl-min",
        "ddns-ttl-percent",
        "ddns-update-on-renew",
        "ddns-use-conflict-resolution",
        "evaluate-additional-classes",
        "hostname-char-replacement",
        "hostname-char-set",
        "interface",
        "interface-id",
        "max-preferred-lifetime",
        "max-valid-lifetime",
        "min-preferred-lifetime",
        "min-valid-lifetime",
        "name",
        "option-data",
        "pd-allocator",
        "preferred-lifetime",
        "rapid-commit",
        "rebind-timer",
        "relay",
        "renew-timer",
        "require-client-classes",
        "reservations-global",
        "reservations-in-subnet",
        "reservations-out-of-pool",
        "store-extended-info",
        "subnet6",
        "t1-percent",
        "t2-percent",
        "user-context",
        "valid-lifetime",
    )
)


# ---------------------------------------------------------------------------
# What Kea treats as equal
#
# Two spellings of one configuration that Kea reads, and prints back, the same.
# The drift comparison (``_kea_api.contains``) and adopt's render-back check
# both go by these; ``tests/unit/plugins/module_utils/test__kea_keys.py`` holds
# ``_kea_api``'s copies of ADDRESS_KEYS and UNORDERED_LISTS to them.

# Keys whose values are addresses, prefixes or ``FIRST - LAST`` ranges, which
# Kea prints back in its own spelling (``10.0.0.10-10.0.0.99``, lower-case IPv6).
ADDRESS_KEYS = frozenset(["pool", "subnet", "prefix", "ip-address", "next-server", "server-hostname"])

# Lists whose order carries no meaning to Kea (it prints interfaces-config's
# interfaces back sorted as strings): compared as multisets.
UNORDERED_LISTS = frozenset(["interfaces"])

# Lists of things Kea keeps by an identity, not by position (it prints subnets
# back in the order of their ids): compared item by item of one identity.
KEYED_LISTS = {"subnet4": "id", "subnet6": "id", "shared-networks": "name"}

# Keys whose absence Kea reads as this value, by the key of the map holding them.
DEFAULT_WHEN_ABSENT = {
    # no subnets, no shared networks
    "Dhcp4": {"subnet4": [], "shared-networks": []},
    "Dhcp6": {"subnet6": [], "shared-networks": []},
    # a hook library without parameters gets an empty map ("parameters": {} when printed back)
    "hooks-libraries": {"parameters": {}},
    # DHCPv4 opens raw sockets unless told otherwise
    "interfaces-config": {"dhcp-socket-type": "raw"},
}


def normal_address(text):
    """An address, prefix or ``FIRST - LAST`` range as Kea prints it back (the text itself when it is none)."""
    try:
        import ipaddress
    except ImportError:  # pragma: no cover - Python 2 targets
        return text.replace(" ", "")
    normal = []
    for part in [part.strip() for part in text.split("-")]:
        try:
            if "/" in part:
                address, length = part.split("/", 1)
                normal.append("%s/%s" % (ipaddress.ip_address(u"%s" % address), length))
            else:
                normal.append(str(ipaddress.ip_address(u"%s" % part)))
        except ValueError:
            return text
    return "-".join(normal)


def kea_normal(value, key=None):
    """``value`` in one spelling of all those Kea treats as equal to it (a copy; ``key`` is the key holding it).

    Addresses and ranges as Kea prints them, unordered lists sorted, and the
    keys of DEFAULT_WHEN_ABSENT left out where they hold their default (a
    hook library's empty ``parameters``, DHCPv4's ``dhcp-socket-type: raw``).
    Everything else is kept as it is: two values differ for Kea exactly when
    their ``kea_normal`` forms differ.
    """
    if isinstance(value, dict):
        defaults = DEFAULT_WHEN_ABSENT.get(key, {})
        return dict((k, kea_normal(v, k)) for k, v in value.items() if k not in defaults or v != defaults[k])
    if isinstance(value, list):
        items = [kea_normal(item, key) for item in value]
        if key in UNORDERED_LISTS and all(isinstance(item, str) for item in items):
            return sorted(items)
        return items
    if key in ADDRESS_KEYS and isinstance(value, str):
        return normal_address(value)
    return value
