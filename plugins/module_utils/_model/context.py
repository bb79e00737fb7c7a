# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What one validation reads and gathers: its inputs, the problems found, and what the checks share."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema
from ansible_collections.keadhcp.ha.plugins.module_utils._model.common import Problems


class Context(object):
    """One validation of one topology, complete when built: every input is given here."""

    def __init__(self, topology, hooks_dir=None, base=None, host_base=None, control_endpoints=None, known_hosts=None,
                 facts=None, host_subnets=None):
        self.topology = topology
        self.hooks_dir = hooks_dir
        self.base = base
        self.host_base = host_base
        self.control_endpoints = control_endpoints
        self.known_hosts = known_hosts
        self.known_host_set = None      # set by shape.inventory once known_hosts checked out
        self.facts = facts if isinstance(facts, dict) else None
        self.host_subnets = host_subnets if isinstance(host_subnets, dict) else {}
        self.problems = Problems()
        self.family = 4                 # until shape.family reads the topology's
        self.central = None
        self.ha_port = schema.DEFAULT_HA_PORT
        self.parsed = []                # (where, Relationship, id or None, Prefix or None) of every subnet
        self.networks = []              # (where, name) of every shared network, for the names across relationships
