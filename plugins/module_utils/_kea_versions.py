# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a running Kea version can be trusted with: the one place that knows.

Kea 3.0.0 to 3.0.3 (and 3.1.0 to 3.1.2) leave the HA hook's dedicated HTTP
listeners closed after a ``config-set`` or ``config-reload``: the server keeps
running, its state machines restart, but no partner can reach it any more, so
both ends of every relationship go ``partner-down`` and answer the same
clients. ISC fixed it in 3.0.4 and 3.1.3. Measured with Debian's packages:
3.0.3 (trixie-backports) closes every HA listener on one ``config-set`` of the
unchanged running configuration; 2.6.3 (trixie) and 3.0.4 (forky) keep them.
On an affected version a changed configuration is applied by restarting the
server, which opens the listeners afresh.

Pure Python, no Ansible imports: ``kea_config`` and ``kea_ha_health`` decide
from what the server itself reports (``version-get``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# [first, last] inclusive, as (major, minor, patch): the versions whose
# config-set / config-reload leave the HA listeners closed.
HA_LISTENERS_CLOSED_ON_RECONFIGURE = (
    ((3, 0, 0), (3, 0, 3)),
    ((3, 1, 0), (3, 1, 2)),
)

APPLY_METHODS = ("auto", "config-set", "restart")

_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(text):
    """``(major, minor, patch)`` from Kea's version text (``3.0.3``, ``2.6.3 (tarball)``,
    ``3.0.4-isc20251120``); None when it names no version."""
    match = _VERSION.match(text or "")
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())


def version_text(version):
    return ".".join(str(part) for part in version)


def closes_ha_listeners_on_reconfigure(version):
    """Whether a config-set on this version (a tuple, or Kea's text) leaves the HA listeners closed."""
    if not isinstance(version, tuple):
        version = parse_version(version)
    if version is None:
        return False
    return any(first <= version <= last for first, last in HA_LISTENERS_CLOSED_ON_RECONFIGURE)


def runs_ha_listeners(config):
    """Whether a wrapped configuration (``{"Dhcp4": {...}}``) loads the HA hook library.

    Only such a configuration has HA listeners a config-set could close.
    """
    for body in (config or {}).values():
        if not isinstance(body, dict):
            continue
        for library in body.get("hooks-libraries") or []:
            name = str((library or {}).get("library", ""))
            if name.rsplit("/", 1)[-1].startswith("libdhcp_ha."):
                return True
    return False


def apply_method(requested, version, config):
    """How a changed ``config`` reaches a server running ``version``: ``config-set`` or ``restart``.

    ``requested``: ``auto`` (config-set, except where it would close the HA
    listeners of this configuration), ``config-set`` or ``restart`` (always).
    """
    if requested not in APPLY_METHODS:
        raise ValueError("unknown apply method '%s' (known: %s)" % (requested, ", ".join(APPLY_METHODS)))
    if requested != "auto":
        return requested
    if closes_ha_listeners_on_reconfigure(version) and runs_ha_listeners(config):
        return "restart"
    return "config-set"


def defect_warning(version):
    """What an operator should know about this version, or None when nothing."""
    if not closes_ha_listeners_on_reconfigure(version):
        return None
    text = version if isinstance(version, str) else version_text(version)
    return ("Kea %s leaves its HA listeners closed after config-set or config-reload (an ISC defect of 3.0.0-3.0.3 "
            "and 3.1.0-3.1.2, fixed in 3.0.4 and 3.1.3): changed configurations are applied by restarting the server "
            "instead. Upgrade to Kea 3.0.4 or later to apply them without a restart." % text.strip())
