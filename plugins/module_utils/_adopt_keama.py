# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, ISC DHCP: keama (Debian's ``isc-dhcp-keama``, ISC's Kea Migration Assistant) for all but failover.

``keama -4 -N`` (``-6`` for ``dhcpd6.conf``) reads the file on its standard
input and writes Kea's dialect: ``-N`` puts each ``host`` reservation into the
subnet it belongs to, which is where a hub needs it (a global reservation on
the central would hold for every branch). keama says what it could not
translate in ``///`` comments, and comments out what it dropped (an orphan
reservation, for instance) with ``//``; its exit status counts them. It
prints "ignoring failover" and leaves failover out, which ``_adopt_dhcpd``
reads instead.

``convert`` returns the configuration (read with ``_kea_dialect``) and
keama's warnings, one per block of consecutive comments. Running keama is
the only side effect of adopting ISC DHCP files; ``runner`` replaces it in
tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_dialect import DialectError, loads

PROGRAM = "keama"
SBIN = "/usr/sbin/keama"   # where Debian installs it, not on every user's PATH
# keama's warnings that adopt answers itself: Kea's interfaces come from the topology.
HANDLED = ("This configuration declares some subnets but has no interfaces-config",)
INSTALL = ("install Debian's isc-dhcp-keama where adopt.yml runs (apt-get install isc-dhcp-keama on Debian 13 or "
           "later; on Debian 12, scripts/install-keama.sh fetches Debian 13's package, which runs there)")


class KeamaError(ValueError):
    """keama failed, or wrote what Kea's dialect cannot read."""


class KeamaMissing(KeamaError):
    """keama is not installed where adopt runs."""


def run(text, family, program=PROGRAM):
    """``(stdout, stderr, status)`` of keama on ``text``."""
    if program == PROGRAM and os.path.exists(SBIN):
        program = SBIN
    try:
        # run by the ha_adopt filter on the controller, never inside a module: there is no AnsibleModule whose
        # run_command could be used
        process = subprocess.Popen(  # pylint: disable=ansible-bad-function
            [program, "-%d" % family, "-N"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, universal_newlines=True)
    except OSError:
        raise KeamaMissing("keama is not installed: %s" % INSTALL)
    out, err = process.communicate(text)
    return out, err, process.returncode


def warnings(comments):
    """keama's warnings from its ``//`` comments: consecutive lines joined, what it commented out counted.

    A warning said several times (one per pool, say) is listed once, with how many times.
    """
    found, block, dropped, last = [], [], 0, None

    def close():
        if block or dropped:
            said = " ".join(block)
            if dropped:
                said += "%s(%d line%s of configuration commented out)" % (" " if said else "", dropped,
                                                                          "" if dropped == 1 else "s")
            if not any(said.startswith(handled) for handled in HANDLED):
                found.append(said)
    for _path, line, text in comments:
        if last is not None and line != last + 1:
            close()
            block, dropped = [], 0
        text = text.strip()
        if text.startswith("/"):
            block.append(text.lstrip("/").strip())
        else:
            dropped += 1
        last = line
    close()
    counted = []
    for said in found:
        if said and said not in counted:
            counted.append(said)
    return [said + (" (%d times)" % found.count(said) if found.count(said) > 1 else "") for said in counted]


def convert(text, family, name, runner=None):
    """``(config, warnings)`` keama makes of a dhcpd.conf's ``text``; ``name`` names it in errors."""
    out, err, status = (runner or run)(text, family)
    comments = []
    try:
        config = loads(out, "keama's translation of %s" % name, comments=comments)
    except DialectError as exc:
        detail = (err or "").strip() or "its output is not Kea's dialect: %s" % exc
        raise KeamaError("keama could not translate %s (exit status %d): %s" % (name, status, detail))
    key = "Dhcp%d" % family
    if not isinstance(config, dict) or not isinstance(config.get(key), dict):
        raise KeamaError("keama's translation of %s has no %s map" % (name, key))
    return config, warnings(comments)
