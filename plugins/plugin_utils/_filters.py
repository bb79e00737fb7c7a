# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every keadhcp.ha filter shares: turning model errors into filter errors."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError


def call(function, *args, **kwargs):
    """Run a model function; report its problems as one AnsibleFilterError."""
    try:
        return function(*args, **kwargs)
    except TopologyError as exc:
        raise AnsibleFilterError(str(exc))
    except ImportError as exc:
        raise AnsibleFilterError(str(exc))
