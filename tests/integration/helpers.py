# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the project's playbooks the way a user does, from the checkout."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def ansible_env(**extra):
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    env["ANSIBLE_NOCOLOR"] = "1"
    env.update(extra)
    return env


def run(args, cwd=ROOT, env=None, check=False):
    result = subprocess.run(args, cwd=cwd, env=env or ansible_env(), stdout=subprocess.PIPE, check=False,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    if check and result.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s" % (" ".join(args), result.returncode, result.stdout))
    return result


def render(inventory, out_dir, *extra):
    """ansible-playbook playbooks/render.yml; returns the CompletedProcess."""
    return run([os.path.join(BIN, "ansible-playbook"), "-i", inventory, os.path.join(ROOT, "playbooks", "render.yml"),
                "-e", "kea_render_dir=%s" % out_dir] + list(extra))
