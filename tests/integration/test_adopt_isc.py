# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ISC DHCP failover estates through playbooks/adopt.yml with Debian's real keama; Kea accepts what they render.

keama is installed by scripts/install-keama.sh (Debian's isc-dhcp-keama; on
Debian 12, trixie's package). The unit tests' recorded translations are
checked against it here, so that they cannot drift from what keama prints.
"""

import json
import os
import subprocess
import sys

import pytest
import yaml

from helpers import BIN, ROOT, render, run

sys.path.insert(0, os.path.join(ROOT, "tests", "unit", "plugins", "module_utils"))

from isc_estates import estate, translation  # noqa: E402 (a helper of the unit tests)

from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_dhcpd as dhcpd  # noqa: E402
from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_keama as keama  # noqa: E402

ESTATE = os.path.join(ROOT, "tests", "fixtures", "dhcpd", "estate")
IMAGES = {"2.6": "keadhcp-kea:2.6", "3.0": "keadhcp-kea:3.0", "3.0.3": "keadhcp-kea:3.0.3"}


@pytest.fixture(scope="session")
def installed():
    subprocess.run([os.path.join(ROOT, "scripts", "install-keama.sh")], check=True)


def _read(path, text=None):
    return dhcpd.read(path, text)[1]


@pytest.mark.parametrize("family, name, out", [(4, "dhcpd.conf", "keama-4.4.3.out"),
                                               (6, "dhcpd6.conf", "keama6-4.4.3.out")])
def test_the_recorded_translations_are_what_keama_prints(installed, family, name, out):
    """Those of tests/fixtures/dhcpd/estate and docs-estate (docs/adopt.md's example)."""
    checked = 0
    for directory in (ESTATE, os.path.join(os.path.dirname(ESTATE), "docs-estate")):
        for host in sorted(os.listdir(directory)):
            if os.path.exists(os.path.join(directory, host, name)):
                text = _read(os.path.join(directory, host, name))
                with open(os.path.join(directory, host, out)) as handle:
                    assert keama.run(text, family)[0] == handle.read()
                checked += 1
    assert checked == (7 if family == 4 else 3)


def test_the_generated_translations_are_what_keama_reads_into(installed):
    for host, files in sorted(estate(12).items()):
        text = _read("/estate/%s/dhcpd.conf" % host, files["dhcpd.conf"])
        assert keama.convert(text, 4, host) == keama.convert(text, 4, host, runner=lambda t, f: (
            translation(12, host), "", 0))


def adopt(out, *extra):
    return run([os.path.join(BIN, "ansible-playbook"), os.path.join(ROOT, "playbooks", "adopt.yml"),
                "-e", "kea_adopt_output=%s" % out] + list(extra))


def inventory_of(adopted, path):
    top = adopted["kea_ha_topology"]
    branches = dict((rel["branch"]["host"], None) for rel in top["relationships"])
    path.write_text(yaml.safe_dump({"all": {"children": {"kea_central": {"hosts": {top["central"]: None}},
                                                         "kea_branches": {"hosts": branches}}}}))
    return str(path)


@pytest.fixture(scope="module")
def adopted(installed, tmp_path_factory):
    """The estate of a data centre and three stores adopted by adopt.yml (no inventory), then rendered."""
    tmp = tmp_path_factory.mktemp("estate")
    out = tmp / "adopted.yml"
    result = adopt(str(out), "-e", "kea_adopt_dir=%s" % ESTATE)
    assert result.returncode == 0, result.stdout
    loaded = yaml.safe_load(out.read_text())
    rendered = tmp / "rendered"
    result = render(inventory_of(loaded, tmp / "inventory.yml"), str(rendered), "-e", "@%s" % out)
    assert result.returncode == 0, result.stdout
    return {"stdout": result.stdout, "text": out.read_text(), "vars": loaded, "rendered": rendered}


def test_the_estate_becomes_a_topology_with_every_store(adopted):
    top = adopted["vars"]["kea_ha_topology"]
    assert (top["central"], top["family"]) == ("dc", "dual")
    assert [(r["branch"]["name"], r["central"]["name"]) for r in top["relationships"]] == [
        ("store1", "dc-store1"), ("store2", "dc-store2"), ("store3", "dc-store3")]
    assert "failover peer 'store1': not carried over: on store1 (primary) max-unacked-updates 10, mclt 1800, split " \
           "128, load balance max seconds 3" in adopted["text"].replace("\n#     ", " ")
    rendered = str(adopted["rendered"])
    assert dict((host, sorted(os.listdir(os.path.join(rendered, host)))) for host in os.listdir(rendered)) == {
        "dc": ["kea-dhcp4.conf", "kea-dhcp6.conf"], "store1": ["kea-dhcp4.conf", "kea-dhcp6.conf"],
        "store2": ["kea-dhcp4.conf", "kea-dhcp6.conf"], "store3": ["kea-dhcp4.conf"]}


@pytest.mark.kea
@pytest.mark.parametrize("version", sorted(IMAGES))
def test_kea_accepts_every_rendered_configuration(adopted, version):
    from test_kea_accepts import kea_check

    subprocess.run([os.path.join(ROOT, "scripts", "kea-images.sh"), version], check=True)
    checked = 0
    for host in ("dc", "store1", "store2", "store3"):
        for conf in sorted(os.listdir(os.path.join(str(adopted["rendered"]), host))):
            with open(os.path.join(str(adopted["rendered"]), host, conf)) as handle:
                (body,) = json.load(handle).values()
            assert body["hooks-libraries"][1]["library"] == "libdhcp_ha.so"
            rc, output = kea_check(IMAGES[version], str(adopted["rendered"]), host, conf=conf)
            assert rc == 0, output
            checked += 1
    assert checked == 7
