# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every part of the model shares: its error, the problem list, type names, merging and copying."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema


class TopologyError(ValueError):
    """The topology (or a piece of it) is invalid; ``problems`` lists why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super(TopologyError, self).__init__(format_problems(self.problems))


def format_problems(problems):
    count = len(problems)
    head = "kea_ha_topology is invalid (%d problem%s):" % (count, "" if count == 1 else "s")
    return head + "".join("\n  - " + problem for problem in problems)


def suggest(key, known):
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.5)
    if not close and isinstance(key, str):
        # heartbeat_delay -> heartbeat-delay, HeartBeat-Delay -> heartbeat-delay
        folded = key.replace("_", "-").lower()
        close = [k for k in known if k == folded]
    return "; did you mean '%s'?" % close[0] if close else ""


def type_name(value):
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


def check_kind(value, kind):
    """Return a reason why ``value`` is not of ``kind``, or None."""
    if kind == "bool":
        return None if isinstance(value, bool) else "must be true or false, not %s" % type_name(value)
    if kind == "string":
        if not isinstance(value, str):
            return "must be a string, not %s" % type_name(value)
        return None if value else "must not be empty"
    if kind in ("uint16", "uint32"):
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be an integer, not %s" % type_name(value)
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
        return None if isinstance(value, dict) else "must be a mapping, not %s" % type_name(value)
    if kind == "list":
        return None if isinstance(value, list) else "must be a list, not %s" % type_name(value)
    raise AssertionError(kind)  # pragma: no cover


def merge(base, override):
    """Deep-merge two mappings; ``None`` in ``override`` removes a key."""
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def copy_data(value):
    """Copy JSON-like data (much faster than copy.deepcopy)."""
    if isinstance(value, dict):
        return dict((k, copy_data(v)) for k, v in value.items())
    if isinstance(value, list):
        return [copy_data(v) for v in value]
    return value


def str_or_none(value):
    return value if isinstance(value, str) and value else None


_RELATIONSHIP_NUMBER = re.compile(r"^relationship (\d+)")


class Problems(object):
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
                self.add(where, "unknown key '%s'%s" % (key, suggest(key, known)))
