# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""No fixed time bound in the playbooks, roles and scenarios without a reason.

A bound that a busy machine can exceed turns a slow run into a red one. Each
bound is derived from what it waits for: from the relationships' timers (the
plan's takeover_seconds and healthy_within, written as templates) or, where
a number is written, from a measured cost with a margin, which a comment
right above it (or on its line) gives. This test finds the numbers that
have no such comment.
"""

import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TREES = ("extensions/molecule", "playbooks", "roles")

# a literal number of seconds (or tries) given to a wait
BOUND = re.compile(r"""(^\s*-?\s*(wait_timeout|timeout|retries|kea_test_wait|kea_ha_maintenance_timeout)\s*:\s*"?\d+"?\s*(#.*)?$)"""
                   r"""|((kea_ha_health_timeout|kea_ha_maintenance_timeout)=\d+)"""
                   r"""|(\btimeout \d+;)|(\bseq \d{2,}\b)""")
# how far above a bound its comment may be
REACH = 4


def _yaml_files():
    for tree in TREES:
        for folder, _dirs, files in os.walk(os.path.join(ROOT, tree)):
            for name in sorted(files):
                if name.endswith((".yml", ".yaml")):
                    yield os.path.relpath(os.path.join(folder, name), ROOT)


def unexplained(lines):
    """Line numbers (from 1) of the literal bounds without a comment on their line or just above."""
    found = []
    for number, line in enumerate(lines, 1):
        if not BOUND.search(line) or "#" in line:
            continue
        above = lines[max(0, number - 1 - REACH):number - 1]
        if not any(text.lstrip().startswith("#") for text in above):
            found.append(number)
    return found


@pytest.mark.parametrize("lines, expected", [
    (["- name: wait", "  retries: 60"], [2]),
    (["# systemd is up within seconds; 180 s for a busy machine", "  retries: 180"], []),
    (["  wait_timeout: 30  # three heartbeats"], []),
    (["  wait_timeout: \"{{ rel.takeover_seconds + 30 }}\""], []),
    (["          - kea_ha_health_timeout=15"], [1]),
    (["        printf 'timeout 30;\\n' > f"], [1]),
    (["        for try in $(seq 100); do"], [1]),
    (["        for try in $(seq 3); do"], []),
])
def test_the_check_finds_unexplained_bounds(lines, expected):
    assert unexplained(lines) == expected


def test_every_literal_bound_says_where_it_comes_from():
    files = list(_yaml_files())
    assert len(files) > 50
    missing = []
    for path in files:
        with open(os.path.join(ROOT, path)) as handle:
            lines = handle.read().splitlines()
        missing.extend("%s:%d: %s" % (path, number, lines[number - 1].strip()) for number in unexplained(lines))
    assert not missing, "bounds without a comment saying what they wait for and why that long:\n" + "\n".join(missing)
