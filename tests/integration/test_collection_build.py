# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The built collection tarball installs and works from an unrelated directory."""

import glob
import json
import os
import tarfile

import pytest

from helpers import BIN, ROOT, ansible_env, run

PLAYBOOK = """\
- name: Use keadhcp.ha from an installed tarball
  hosts: localhost
  gather_facts: false
  vars:
    topology:
      central: hub
      relationships:
        - branch: {host: b1, name: s1, url: "http://10.1.0.2:8001/", interface: eth1}
          central: {name: s2, url: "http://10.1.0.3:8001/", interface: eth1}
          subnets: [{id: 1, subnet: 10.1.0.0/24, pools: [{pool: 10.1.0.10 - 10.1.0.99}]}]
  tasks:
    - name: Write the central's configuration
      ansible.builtin.copy:
        content: "{{ (topology | keadhcp.ha.kea_configs)['hub'] | to_nice_json }}"
        dest: "{{ playbook_dir }}/hub.json"
        mode: "0640"
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("galaxy")
    dist, collections = work / "dist", work / "collections"
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(dist), ROOT], check=True)
    (tarball,) = glob.glob(str(dist / "keadhcp-ha-*.tar.gz"))
    # Installed with no project configuration, as on a user's machine (the
    # checkout's ansible.cfg would show the collection as already installed).
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", tarball, "-p", str(collections)],
        cwd=str(work), env=_isolated_env(collections), check=True)
    return tarball, collections


def _isolated_env(collections):
    env = ansible_env(ANSIBLE_COLLECTIONS_PATH=str(collections))
    env.pop("ANSIBLE_CONFIG")
    return env


def test_tarball_holds_the_collection_and_no_build_clutter(installed):
    tarball = installed[0]
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    for wanted in ("MANIFEST.json", "FILES.json", "README.md", "meta/runtime.yml", "plugins/filter/kea_configs.py",
                   "plugins/module_utils/_topology.py", "playbooks/render.yml", "examples/seed/inventory.yml"):
        assert wanted in names
    assert not [n for n in names if n.startswith((".venv", "build", ".ci", "benchmarks", "ansible.cfg"))]


def test_installed_collection_renders_from_another_directory(installed, tmp_path):
    collections = installed[1]
    (tmp_path / "site.yml").write_text(PLAYBOOK)
    result = run([os.path.join(BIN, "ansible-playbook"), "site.yml"], cwd=str(tmp_path), env=_isolated_env(collections))
    assert result.returncode == 0, result.stdout
    config = json.loads((tmp_path / "hub.json").read_text())
    assert config["Dhcp4"]["subnet4"][0]["user-context"] == {"ha-server-name": "s2"}


def test_installed_filters_have_ansible_doc_pages(installed, tmp_path):
    collections = installed[1]
    result = run([os.path.join(BIN, "ansible-doc"), "-t", "filter", "keadhcp.ha.kea_configs"],
                 cwd=str(tmp_path), env=_isolated_env(collections))
    assert result.returncode == 0, result.stdout
    text = " ".join(result.stdout.split())
    assert "Validates a hub-and-spoke topology as a whole" in text
    assert "hooks_dir" in text and "control_endpoints" in text


@pytest.mark.parametrize("role", ["central", "branch"])
def test_installed_public_roles_have_their_argument_spec(installed, tmp_path, role):
    """The spec central and branch link to survives the tarball: ansible-doc shows it for each."""
    collections = installed[1]
    result = run([os.path.join(BIN, "ansible-doc"), "-t", "role", "keadhcp.ha." + role],
                 cwd=str(tmp_path), env=_isolated_env(collections))
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(result.stdout.split())
    assert "Deploy a Kea server of a hub-and-spoke HA arrangement" in text
    assert "kea_ha_topology" in text and "kea_ha_health_timeout" in text


def test_site_playbook_imports_by_name_from_an_installed_collection(installed, tmp_path):
    collections = installed[1]
    (tmp_path / "inventory.yml").write_text("all:\n  children:\n    kea_central: {hosts: {hub: }}\n"
                                            "    kea_branches: {hosts: {b1: }}\n")
    (tmp_path / "site.yml").write_text("- name: Our Kea servers\n  ansible.builtin.import_playbook: keadhcp.ha.site\n")
    result = run([os.path.join(BIN, "ansible-playbook"), "-i", "inventory.yml", "site.yml", "--list-tasks"],
                 cwd=str(tmp_path), env=_isolated_env(collections))
    assert result.returncode == 0, result.stdout
    text = " ".join(result.stdout.split())
    for play in ("Check the topology and every host before changing any", "Deploy the central server",
                 "Deploy the branch servers"):
        assert play in text


SCENARIO = os.path.join(ROOT, "examples", "own_scenario", "molecule", "default")


def test_the_lab_ships_in_the_tarball(installed):
    with tarfile.open(installed[0]) as archive:
        names = set(archive.getnames())
    for step in ("create", "prepare", "destroy", "verify", "hot_standby", "dhcp_clients", "leases_held"):
        assert "playbooks/lab/%s.yml" % step in names
    for wanted in ("playbooks/lab/vars/layout.yml", "playbooks/lab/tasks/outage.yml", "playbooks/lab/tasks/failed.yml",
                   "scripts/kea-images.sh"):
        assert wanted in names
    # a user's own repository's scenario, whose imports galaxy-importer's lint could not resolve
    assert not [name for name in names if name.startswith("examples/own_scenario")]


@pytest.mark.parametrize("step", ["create", "prepare", "converge", "verify", "destroy"])
def test_a_scenario_of_your_own_finds_each_step_in_the_installed_collection(installed, step):
    """examples/own_scenario (docs/rehearse.md), from outside the checkout: every import resolves."""
    result = run([os.path.join(BIN, "ansible-playbook"), "--syntax-check", "-i", "localhost,", step + ".yml"],
                 cwd=SCENARIO, env=_isolated_env(installed[1]))
    assert result.returncode == 0, result.stdout
