# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The roles' argument specs agree with each other and with their defaults."""

import os
import re

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return yaml.safe_load(handle)


def _options(role):
    return _load("roles", role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]


@pytest.mark.parametrize("role", ["central", "branch"])
def test_public_roles_share_one_argument_spec(role):
    """One file is the spec of all three roles: central's and branch's are links to kea_ha's, not copies."""
    link = os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")
    assert os.path.islink(link)
    assert os.readlink(link) == "../../kea_ha/meta/argument_specs.yml"
    assert os.path.realpath(link) == os.path.join(ROOT, "roles", "kea_ha", "meta", "argument_specs.yml")


# Unset means "not used": this host's TLS material (no TLS).
UNSET_WHEN_UNUSED = {"kea_ha_tls_trust_anchor", "kea_ha_tls_cert", "kea_ha_tls_key"}


def test_every_default_is_documented_with_the_same_value():
    defaults = _load("roles", "kea_ha", "defaults", "main.yml")
    options = _options("kea_ha")
    for name, value in defaults.items():
        assert name in options, "%s has no argument spec" % name
        assert options[name].get("default") == value, name
    for name, spec in options.items():
        assert spec.get("required") or name in defaults or name in UNSET_WHEN_UNUSED, "%s has no default" % name


def test_secrets_are_marked_no_log():
    options = _options("kea_ha")
    for name in ("kea_ha_api_password", "kea_ha_tls_key", "kea_ha_peer_passwords"):
        assert options[name]["no_log"] is True, name
    assert not options["kea_ha_tls_cert"].get("no_log"), "a certificate is public; hiding it hides nothing"


def test_every_internal_variable_used_is_defined():
    """An internal __kea_ha_* name is only used where vars/main.yml, a set_fact, a register or a vars: block defines it."""
    used, defined = {}, set()
    for folder, _dirs, files in os.walk(os.path.join(ROOT, "roles")):
        for name in files:
            if not name.endswith(".yml"):
                continue
            path = os.path.join(folder, name)
            with open(path) as handle:
                text = handle.read()
            defined.update(re.findall(r"^\s*(__kea_ha_\w+):", text, re.M))
            defined.update(re.findall(r"^\s*(?:register|loop_var):\s*(__kea_ha_\w+)\s*$", text, re.M))
            for variable in re.findall(r"\b(__kea_ha_\w+)\b", text):
                used.setdefault(variable, os.path.relpath(path, ROOT))
    missing = dict((variable, path) for variable, path in used.items() if variable not in defined)
    assert missing == {}
