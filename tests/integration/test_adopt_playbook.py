# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/adopt.yml end to end, from rendered files, as docs/adopt.md tells users to run it."""

import json
import os
import re
import shutil

import yaml

from helpers import BIN, ROOT, render, run

WAN = os.path.join(ROOT, "examples", "wan_relay_v4", "inventory.yml")


def adopt(out, *extra, inventory=None):
    args = [os.path.join(BIN, "ansible-playbook")] + (["-i", inventory] if inventory else [])
    return run(args + [os.path.join(ROOT, "playbooks", "adopt.yml"), "-e", "kea_adopt_output=%s" % out] + list(extra))


def _tree(directory):
    found = {}
    for base, _dirs, names in os.walk(directory):
        for name in names:
            with open(os.path.join(base, name)) as handle:
                found[os.path.relpath(os.path.join(base, name), directory)] = json.load(handle)
    return found


def test_adopted_file_loads_and_renders_the_same_configurations(tmp_path):
    first = tmp_path / "first"
    assert render(WAN, str(first)).returncode == 0
    out = tmp_path / "adopted.yml"
    result = adopt(str(out), "-e", "kea_adopt_dir=%s" % first, inventory=WAN)
    assert result.returncode == 0, result.stdout
    text = out.read_text()
    loaded = yaml.safe_load(text)
    assert list(loaded) == ["kea_ha_topology"]
    assert loaded["kea_ha_topology"]["central"] == "dc-kea"
    again = tmp_path / "again"
    result = render(WAN, str(again), "-e", "@%s" % out)
    assert result.returncode == 0, result.stdout
    assert _tree(str(again)) == _tree(str(first))
    assert sorted(_tree(str(again))) == ["dc-kea/kea-dhcp4.conf", "lyon-kea/kea-dhcp4.conf", "paris-kea/kea-dhcp4.conf"]


def test_a_dual_stack_hub_is_adopted_from_both_files_of_each_host(tmp_path):
    dual = os.path.join(ROOT, "examples", "dual_stack", "inventory.yml")
    first = tmp_path / "first"
    assert render(dual, str(first)).returncode == 0
    out = tmp_path / "adopted.yml"
    result = adopt(str(out), "-e", "kea_adopt_dir=%s" % first, inventory=dual)
    assert result.returncode == 0, result.stdout
    assert yaml.safe_load(out.read_text())["kea_ha_topology"]["family"] == "dual"
    again = tmp_path / "again"
    assert render(dual, str(again), "-e", "@%s" % out).returncode == 0
    assert _tree(str(again)) == _tree(str(first))
    assert len(_tree(str(again))) == 6


def test_problems_fail_the_play_unless_forced_and_are_then_written_and_printed(tmp_path):
    rendered = tmp_path / "rendered"
    assert render(WAN, str(rendered)).returncode == 0
    branch = rendered / "paris-kea" / "kea-dhcp4.conf"
    config = json.loads(branch.read_text())
    config["Dhcp4"]["hooks-libraries"][1]["parameters"]["high-availability"][0]["heartbeat-delay"] = 5000
    branch.write_text(json.dumps(config))
    out = tmp_path / "adopted.yml"
    # the example sets heartbeat-delay 2000 (the recommended failure detection) on every relationship
    problem = ("relationship 1 (paris-kea): 'heartbeat-delay' is 2000 on the central (dc-kea) but 5000 on the "
               "branch (paris-kea)")
    change = ("host 'paris-kea': rendering the adopted topology changes "
              "'Dhcp4.hooks-libraries[1].parameters.high-availability[0].heartbeat-delay' from 5000 to 2000")
    result = adopt(str(out), "-e", "kea_adopt_dir=%s" % rendered, inventory=WAN)
    assert result.returncode != 0
    assert json.dumps(["adopt found 2 problem(s); nothing written. Fix the configurations, or write the topology "
                       "anyway with -e kea_adopt_force=true and fix it in %s" % out, problem, change]) in result.stdout
    assert not out.exists()
    result = adopt(str(out), "-e", "kea_adopt_dir=%s" % rendered, "-e", "kea_adopt_force=true", inventory=WAN)
    assert result.returncode == 0, result.stdout
    assert "adopt found 2 problem(s); written to %s anyway (kea_adopt_force): fix them there" % out in result.stdout
    assert problem in result.stdout and change in result.stdout
    # listed in the file's head, wrapped as comments
    head = re.sub(r"\n#     ", " ", out.read_text())
    assert "#   - " + problem + "\n" in head and "#   - " + change + "\n" in head
    assert yaml.safe_load(out.read_text())["kea_ha_topology"]["central"] == "dc-kea"


def test_kea_documented_files_without_an_inventory(tmp_path):
    """The hosts are the directory's subdirectories; the manual's missing branch1 is the one problem."""
    docs = tmp_path / "docs"
    for host, name in (("central", "central.json"), ("branch2", "branch-server3.json")):
        (docs / host).mkdir(parents=True)
        shutil.copy(os.path.join(ROOT, "tests", "fixtures", "seed", name), str(docs / host / "kea-dhcp6.conf"))
    out = tmp_path / "adopted.yml"
    result = adopt(str(out), "-e", "kea_adopt_dir=%s" % docs, "-e", "kea_adopt_force=true")
    assert result.returncode == 0, result.stdout
    assert ("relationship 1 (server1): no configuration of its branch 'server1' among the hosts read (branch2, "
            "central)") in result.stdout
    loaded = yaml.safe_load(out.read_text())
    assert loaded["kea_hooks_dir"] == "/usr/lib/kea/hooks"
    assert [rel["branch"]["host"] for rel in loaded["kea_ha_topology"]["relationships"]] == ["server1", "branch2"]


def test_a_host_of_the_inventory_without_its_file_is_a_problem(tmp_path):
    rendered = tmp_path / "rendered"
    assert render(WAN, str(rendered)).returncode == 0
    shutil.rmtree(str(rendered / "lyon-kea"))
    result = adopt(str(tmp_path / "x.yml"), "-e", "kea_adopt_dir=%s" % rendered, inventory=WAN)
    assert result.returncode != 0
    assert "host 'lyon-kea': no kea-dhcp4.conf, kea-dhcp6.conf or dhcpd.conf in %s/lyon-kea" % rendered in result.stdout


def test_from_servers_through_config_get(tmp_path):
    """Each host's control channel answered by a stand-in for Kea (config-get with its hash), reached by URL."""
    import http.server
    import threading

    rendered = tmp_path / "rendered"
    assert render(WAN, str(rendered)).returncode == 0
    configs = _tree(str(rendered))
    servers, inventory = [], {"all": {"children": {"kea_central": {"hosts": {}}, "kea_branches": {"hosts": {}}}}}
    for path, config in sorted(configs.items()):
        host = path.split("/")[0]
        answer = json.dumps([{"result": 0, "arguments": dict(config, hash="0123")}]).encode()

        class Kea(http.server.BaseHTTPRequestHandler):
            body = answer

            def do_POST(self):  # noqa: N802 (the stdlib's name)
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(self.body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Kea)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        group = "kea_central" if host == "dc-kea" else "kea_branches"
        inventory["all"]["children"][group]["hosts"][host] = {
            "ansible_connection": "local", "ansible_python_interpreter": os.path.join(BIN, "python"),
            "kea_adopt_control_url": "http://127.0.0.1:%d/" % server.server_port}
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory))
    out = tmp_path / "adopted.yml"
    try:
        result = adopt(str(out), inventory=str(tmp_path / "inventory.yml"))
    finally:
        for server in servers:
            server.shutdown()
    assert result.returncode == 0, result.stdout
    assert "the running servers (config-get)" in out.read_text()
    again = tmp_path / "again"
    assert render(WAN, str(again), "-e", "@%s" % out).returncode == 0
    assert _tree(str(again)) == configs


HAND_WRITTEN = os.path.join(ROOT, "tests", "fixtures", "hand-written-hub")


def test_a_commented_hand_written_hub_from_etc_kea(tmp_path):
    """Comments of the three kinds, an include, other spellings: adopted with no problem, rendered back equivalent."""
    out = tmp_path / "adopted.yml"
    result = adopt(str(out), "-e", "kea_adopt_dir=%s" % HAND_WRITTEN)
    assert result.returncode == 0, result.stdout
    loaded = yaml.safe_load(out.read_text())
    assert loaded["kea_ha_topology"]["central"] == "dc-kea"
    again = tmp_path / "again"
    assert render(WAN, str(again), "-e", "@%s" % out).returncode == 0
    from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import changes
    from ansible_collections.keadhcp.ha.plugins.module_utils._kea_dialect import load
    for host in ("dc-kea", "paris-kea", "lyon-kea"):
        read = load(os.path.join(HAND_WRITTEN, host, "kea-dhcp4.conf"))
        assert changes(read, _tree(str(again))["%s/kea-dhcp4.conf" % host], "") == []


def test_a_file_that_does_not_read_names_host_file_line_and_column(tmp_path):
    hub = tmp_path / "hub"
    shutil.copytree(HAND_WRITTEN, str(hub))
    lyon = hub / "lyon-kea" / "kea-dhcp4.conf"
    lyon.write_text(lyon.read_text().replace('"mode": "hot-standby",', '"mode": hot-standby,'))
    result = adopt(str(tmp_path / "x.yml"), "-e", "kea_adopt_dir=%s" % hub)
    assert result.returncode != 0
    assert "host 'lyon-kea': %s line 8 column 49: Invalid character: h" % lyon.resolve() in result.stdout
