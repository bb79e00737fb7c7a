# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, the last check: the adopted topology rendered, and every real difference from what was read.

Runs for every host read, whatever else was found, so that writing the file
anyway (``kea_adopt_force``) never hides a change: each difference Kea would
see (``_adopt_common.changes``: not a spelling Kea treats as equal) is one
problem naming the host, the key and both values.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import ABSENT, DHCP_KEYS, brief, changes
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_keys import DEFAULT_WHEN_ABSENT
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology

_DEFAULTS = dict((key, value) for inner in DEFAULT_WHEN_ABSENT.values() for key, value in inner.items())


def _shown(where, value):
    key = where.rsplit(".", 1)[-1]
    if value is ABSENT and key in _DEFAULTS:
        return "not set (Kea's default %s)" % brief(_DEFAULTS[key])
    return brief(value)


def render_back(adoption, originals, known_hosts, problems):
    """The model's own problems; else one problem per key at which a host's rendering differs from what it read."""
    try:
        model = load_topology(adoption.topology, hooks_dir=adoption.hooks_dir, base=adoption.base,
                              host_base=adoption.host_base, known_hosts=known_hosts)
    except TopologyError as exc:
        problems.extend(exc.problems)
        for host, where, was, becomes in getattr(adoption, "foreseen", []):
            problems.append(_change(host, where, was, becomes))
        problems.append("the adopted topology cannot be rendered until the problems above are fixed; adopt again then, "
                        "to see everything else rendering it would change")
        return
    rendered = model.configs(adoption.hosts)
    for host in adoption.hosts:
        read, again = originals.get(host) or {}, rendered.get(host) or {}
        for dhcp in [key for key in DHCP_KEYS if key in read or key in again]:
            for where, was, becomes in changes(read.get(dhcp, ABSENT), again.get(dhcp, ABSENT), dhcp):
                problems.append(_change(host, where, was, becomes))


def _change(host, where, was, becomes):
    return ("host '%s': rendering the adopted topology changes '%s' from %s to %s"
            % (host, where, _shown(where, was), _shown(where, becomes)))
