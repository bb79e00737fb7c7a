# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/adopt.md's two examples are what adopt does: a commented /etc/kea hub, an ISC DHCP estate."""

import os

import yaml
from test_docs import _blocks

from ansible_collections.keadhcp.ha.plugins.filter.ha_adopt import WIDTH
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_files import adopt_files

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "adopt.md")
HUB = os.path.join(ROOT, "tests", "fixtures", "hand-written-hub")
ESTATE = os.path.join(ROOT, "tests", "fixtures", "dhcpd", "docs-estate")


def blocks(language):
    """docs/adopt.md's fenced blocks of one language ('' for blocks without one), in order."""
    return _blocks(os.path.join("docs", "adopt.md"), language)


def _text(*path):
    with open(os.path.join(*path)) as handle:
        return handle.read()


def test_the_hand_written_files_shown_are_the_fixtures():
    assert blocks("jsonc") == [_text(HUB, "dc-kea", "kea-dhcp4.conf"), _text(HUB, "dc-kea", "lyon-lan.json")]


def test_the_hand_written_hub_adopts_into_the_documented_file():
    files = dict((host, [os.path.join(HUB, host, "kea-dhcp4.conf")]) for host in sorted(os.listdir(HUB)))
    adoption = adopt_files(files)
    assert adoption.problems == [] and adoption.notes == []
    (documented,) = [yaml.safe_load(b) for b in blocks("yaml") if "kea_ha_topology:" in b]
    assert adoption.variables() == documented


def recorded(text, family):
    for host in os.listdir(ESTATE):
        from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_dhcpd import read
        if read(os.path.join(ESTATE, host, "dhcpd.conf"))[1] == text:
            return _text(ESTATE, host, "keama-4.4.3.out"), "ignoring failover", 2
    raise AssertionError("no recorded translation")


def estate():
    files = dict((host, [os.path.join(ESTATE, host, "dhcpd.conf")]) for host in sorted(os.listdir(ESTATE)))
    return adopt_files(files, runner=recorded)


def test_the_isc_dhcp_files_shown_are_the_fixtures():
    assert blocks("conf") == [_text(ESTATE, "dc", "dhcpd.conf"), _text(ESTATE, "shop1", "dhcpd.conf"),
                              _text(ESTATE, "shop1", "isc-dhcp-server")]
    assert _text(ESTATE, "dc", "isc-dhcp-server").replace("dc", "shop1").replace("wan0", "lan0") == _text(
        ESTATE, "shop1", "isc-dhcp-server")


def test_the_isc_dhcp_estate_adopts_into_the_documented_file_and_notes():
    adoption = estate()
    assert adoption.problems == []
    (documented,) = [yaml.safe_load(b) for b in blocks("yml")]
    assert adoption.variables() == documented
    notes = [b for b in blocks("") if "not carried over" in b]
    assert notes == ["".join(note.replace(ESTATE, "DIR") + "\n" for note in adoption.notes)]


def test_the_documented_files_as_the_filter_writes_them():
    """The yml block is the vars file's body, dumped as ha_adopt dumps it."""
    (documented,) = blocks("yml")
    body = yaml.safe_dump(estate().variables(), sort_keys=False, default_flow_style=False, width=WIDTH, indent=2,
                          allow_unicode=True)
    assert documented == body
