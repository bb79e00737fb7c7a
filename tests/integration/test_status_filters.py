# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The status filters called from a playbook, as docs/operations.md and the scenarios call them."""

import json
import os
import sys

from helpers import BIN, ROOT, run


def test_status_filters_from_a_playbook(tmp_path):
    out = tmp_path / "out.json"
    result = run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local",
                  os.path.join(ROOT, "tests", "integration", "playbooks", "status_filters.yml"), "-e", "out=%s" % out,
                  "-e", "ansible_python_interpreter=%s" % sys.executable])
    assert result.returncode == 0, result.stdout
    assert json.loads(out.read_text()) == {
        "lagging": ["relationship dc-for-paris is partner-down, its partner paris unavailable"],
        "branches": ["no status was read: cannot reach http://127.0.0.1:8000/"],
        "probes": ["dc-for-paris"],
    }
