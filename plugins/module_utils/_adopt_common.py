# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, shared: how values and paths are shown, how two configurations are compared (as Kea sees them)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_keys import KEYED_LISTS, kea_normal

DHCP_KEYS = ("Dhcp4", "Dhcp6")
TAG = "ha-server-name"
MAX_PATHS = 5
MAX_SHOWN = 60
ABSENT = object()


def show(value):
    """A value as a message shows it: strings quoted, the rest as JSON."""
    if isinstance(value, str):
        return "'%s'" % value
    return json.dumps(value, sort_keys=True)


def brief(value):
    """A value as a message shows it, long lists and mappings summed up; ``ABSENT`` is 'not set'."""
    if value is ABSENT:
        return "not set"
    shown = show(value)
    if len(shown) <= MAX_SHOWN or not isinstance(value, (list, dict)):
        return shown
    if isinstance(value, dict) and isinstance(value.get("subnet"), str):
        return "subnet %s" % value["subnet"]
    if isinstance(value, list):
        return "a list of %d item%s" % (len(value), "" if len(value) == 1 else "s")
    return "a mapping of %s" % names(value)


def names(items):
    return ", ".join("'%s'" % item for item in items)


def changes(one, two, path):
    """``(path, one's value, two's value)`` wherever two JSON-like values differ for Kea.

    Both are first put in the spelling Kea treats as theirs (``kea_normal``:
    addresses, unordered lists, defaults Kea fills in); then mappings compare
    key by key regardless of order, subnets and shared networks by their id
    or name (``subnet4[id 11]``), other lists item by item when of one length
    (else as a whole), the rest by type and value. A key, subnet or network on
    one side only gives ``ABSENT`` on the other.
    """
    key = _last_key(path)
    return _changes(kea_normal(one, key), kea_normal(two, key), path, key)


def _last_key(path):
    key = path.rsplit(".", 1)[-1] if path else None
    return None if not key or key.endswith("]") else key


def _keyed(items, key):
    """``[(label, item)]`` by the identity KEYED_LISTS gives ``key``'s items; None when some item has none."""
    field = KEYED_LISTS.get(key)
    if field is None or not all(isinstance(item, dict) and field in item for item in items):
        return None
    labels = ["%s %s" % (field, show(item[field])) for item in items]
    return list(zip(labels, items)) if len(set(labels)) == len(labels) else None


def _changes(one, two, path, key=None):
    if isinstance(one, dict) and isinstance(two, dict):
        found = []
        for name in list(one) + [k for k in two if k not in one]:
            where = "%s.%s" % (path, name)
            if name not in one or name not in two:
                found.append((where, one.get(name, ABSENT), two.get(name, ABSENT)))
            else:
                found.extend(_changes(one[name], two[name], where, name))
        return found
    if isinstance(one, list) and isinstance(two, list):
        left, right = _keyed(one, key), _keyed(two, key)
        if left is not None and right is not None:
            mines, others, found = dict(left), dict(right), []
            for label in [k for k, _v in left] + [k for k, _v in right if k not in mines]:
                where = "%s[%s]" % (path, label)
                mine, other = mines.get(label, ABSENT), others.get(label, ABSENT)
                if mine is ABSENT or other is ABSENT:
                    found.append((where, mine, other))
                else:
                    found.extend(_changes(mine, other, where))
            return found
    if isinstance(one, list) and isinstance(two, list) and len(one) == len(two):
        found = []
        for index, (left, right) in enumerate(zip(one, two)):
            found.extend(_changes(left, right, "%s[%d]" % (path, index), key))
        return found
    if type(one) is not type(two) or one != two:
        return [(path, one, two)]
    return []


def differences(one, two, path):
    """The paths at which two JSON-like values differ for Kea (see ``changes``)."""
    return [where for where, _one, _two in changes(one, two, path)]


def paths(found):
    shown = ["'%s'" % p.lstrip(".") for p in found[:MAX_PATHS]]
    more = len(found) - MAX_PATHS
    return ", ".join(shown) + (" and %d more" % more if more > 0 else "")


def library_name(lib):
    name = lib.get("library") if isinstance(lib, dict) else None
    return name.rsplit("/", 1)[-1] if isinstance(name, str) else None


def library_dir(lib):
    name = lib.get("library")
    return name.rsplit("/", 1)[0] if "/" in name else None
