# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/status.yml -e kea_ha_metrics_file=PATH against servers that answer like Kea, checked by promtool.

Three hosts on this machine (connection local), each with its own local fact
keadhcp_ha as the roles write it, pointing at its control channel: the
central's and branch2's are small HTTP servers answering status-get and
ha-heartbeat as Kea 2.6 does, branch1's refuses connections. The metrics
file status.yml writes goes through ``promtool check metrics``, then through
the alert rules of docs/prometheus/kea-ha.rules.yml with ``promtool test
rules``. promtool comes from Debian's prometheus package, installed here
when missing (scripts/apt-install.sh).
"""

import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import threading

import pytest

from helpers import BIN, ROOT, run

try:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
except ImportError:  # pragma: no cover - Python 2
    pytest.skip("needs Python 3", allow_module_level=True)

RULES = os.path.join(ROOT, "docs", "prometheus", "kea-ha.rules.yml")


@pytest.fixture(scope="module")
def promtool():
    found = shutil.which("promtool")
    if not found:
        run([os.path.join(ROOT, "scripts", "apt-install.sh"), "prometheus"], check=True)
        found = shutil.which("promtool")
    assert found, "promtool is still missing after installing Debian's prometheus package"
    return found


def _ha(name, partner, state, partner_state, in_touch=True, interrupted=False, unacked=0, role="standby"):
    return {"ha-mode": "hot-standby", "ha-servers": {
        "local": {"role": role, "scopes": [], "server-name": name, "state": state},
        "remote": {"age": 1 if in_touch else 0, "in-touch": in_touch, "last-scopes": [], "last-state": partner_state,
                   "role": "primary", "server-name": partner, "communication-interrupted": interrupted,
                   "connecting-clients": 0, "unacked-clients": unacked, "unacked-clients-left": 0,
                   "analyzed-packets": 9 if interrupted else 0}}}


class FakeKea(object):
    """A control channel on 127.0.0.1 that answers status-get and ha-heartbeat from ``relationships``.

    It holds no lease: lease4-get-all answers as Kea does for an empty table (result 3, empty).
    """

    def __init__(self, relationships, unsent):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.seen.append(request["command"])
                if request["command"] == "status-get":
                    answer = {"result": 0, "arguments": {"pid": 1, "high-availability": fake.relationships}}
                elif request["command"] == "ha-heartbeat":
                    name = request["arguments"]["server-name"]
                    answer = {"result": 0, "arguments": {"state": "hot-standby", "unsent-update-count": unsent[name]}}
                elif request["command"] == "lease4-get-all":
                    answer = {"result": 3, "text": "0 IPv4 lease(s) found.", "arguments": {"leases": []}}
                else:
                    answer = {"result": 2, "text": "'%s' command not supported." % request["command"]}
                body = json.dumps([answer]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.relationships, self.seen = relationships, []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever)
        self.thread.daemon = True
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _closed_port():
    """A port of 127.0.0.1 nothing listens on (connections are refused at once)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


TOPOLOGY = {
    "family": 4,
    "central": "central",
    "relationships": [
        {"branch": {"host": "branch1", "name": "branch1", "url": "http://127.0.0.2:%d/", "interface": "lan1"},
         "central": {"name": "central-branch1", "url": "http://127.0.0.3:8001/", "interface": "lan1"},
         "subnets": [{"id": 1, "subnet": "10.81.1.0/24", "pools": [{"pool": "10.81.1.100-10.81.1.199"}]}]},
        {"branch": {"host": "branch2", "name": "branch2", "url": "http://127.0.0.4:8001/", "interface": "lan2"},
         "central": {"name": "central-branch2", "url": "http://127.0.0.5:8002/", "interface": "lan2"},
         "subnets": [{"id": 2, "subnet": "10.81.2.0/24", "pools": [{"pool": "10.81.2.100-10.81.2.199"}]}]},
    ],
}


def _inventory(tmp_path, urls):
    """The inventory file, and each host's keadhcp_ha fact pointing at its URL."""
    password = tmp_path / "kea-api-password"
    password.write_text("secret\n")
    hosts = {}
    for host, url in urls.items():
        facts = tmp_path / "facts" / host
        facts.mkdir(parents=True, exist_ok=True)
        (facts / "keadhcp_ha.fact").write_text(json.dumps({"control": {
            "url": url, "service": ["dhcp4"], "user": "kea-api", "password_file": str(password)}}))
        hosts[host] = {"kea_ha_facts_dir": str(facts)}
    topology = json.loads(json.dumps(TOPOLOGY))
    topology["relationships"][0]["branch"]["url"] %= _closed_port()
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({"all": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                 "kea_ha_topology": topology},
        "children": {"kea_central": {"hosts": {"central": hosts["central"]}},
                     "kea_branches": {"hosts": {"branch1": hosts["branch1"], "branch2": hosts["branch2"]}}}}}))
    return str(inventory)


def _status_playbook(inventory, metrics):
    return run([os.path.join(BIN, "ansible-playbook"), "-i", inventory, os.path.join(ROOT, "playbooks", "status.yml"),
                "-e", "kea_ha_metrics_file=%s" % metrics])


def _labels(rel, end):
    central, branch = "central-branch%d" % rel, "branch%d" % rel
    host, name, partner = ("central", central, branch) if end == "central" else (branch, branch, central)
    return ('relationship="%d",central="%s",branch="%s",end="%s",host="%s",server_name="%s",partner="%s"'
            % (rel, central, branch, end, host, name, partner))


def _check_metrics(promtool, path):
    checked = subprocess.run([promtool, "check", "metrics"], stdin=open(path), universal_newlines=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout


def _promtool_rules_test(promtool, tmp_path, metrics_text, alerts):
    """Every sample of the file as a constant series for 20 minutes.

    ``alerts``: {alert name: [(labels, annotations), ...]}, the alerts firing at 15 minutes.
    """
    series = []
    for line in metrics_text.splitlines():
        if line and not line.startswith("#"):
            name_labels, value = line.rsplit(" ", 1)
            series.append({"series": name_labels, "values": "%sx20" % value})
    tests = {"rule_files": [RULES], "evaluation_interval": "1m", "tests": [{
        "interval": "1m", "input_series": series,
        "alert_rule_test": [{"eval_time": "15m", "alertname": name, "exp_alerts": [
            {"exp_labels": labels, "exp_annotations": annotations} for labels, annotations in expected]} for name, expected in sorted(alerts.items())]}]}
    test_file = tmp_path / "kea-ha.rules.test.json"
    test_file.write_text(json.dumps(tests))
    # promtool reads the tests as YAML, of which JSON is a part
    tested = subprocess.run([promtool, "test", "rules", str(test_file)], universal_newlines=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert tested.returncode == 0, tested.stdout


def _label_dict(labels):
    return dict(re.findall(r'([a-z_]+)="([^"]*)"', labels))


def test_promtool_accepts_the_alert_rules(promtool):
    checked = subprocess.run([promtool, "check", "rules", RULES], universal_newlines=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert checked.returncode == 0 and "SUCCESS: 2 rules found" in checked.stdout, checked.stdout


def test_status_playbook_writes_metrics_of_a_failover_then_of_the_recovery(promtool, tmp_path):
    central = FakeKea([_ha("central-branch1", "branch1", "partner-down", "unavailable", in_touch=False,
                           interrupted=True, unacked=2),
                       _ha("central-branch2", "branch2", "hot-standby", "hot-standby")],
                      {"central-branch1": 17, "central-branch2": 0})
    branch2 = FakeKea([_ha("branch2", "central-branch2", "hot-standby", "hot-standby", role="primary")],
                      {"branch2": 0})
    out = tmp_path / "textfile"
    out.mkdir()
    metrics = out / "kea-ha.prom"
    try:
        # branch1 down: its control channel refuses, the central took over
        inventory = _inventory(tmp_path, {"central": central.url, "branch1": "http://127.0.0.1:%d/" % _closed_port(),
                                          "branch2": branch2.url})
        result = _status_playbook(inventory, str(metrics))
        assert result.returncode == 2, result.stdout
        assert "relationship 1 (branch1): central central-branch1 on central: state partner-down" in result.stdout
        assert "ha-heartbeat" in central.seen and "status-get" in branch2.seen
        assert sorted(os.listdir(str(out))) == ["kea-ha.prom"]
        assert stat.S_IMODE(os.stat(str(metrics)).st_mode) == 0o644
        text = metrics.read_text()
        assert text.endswith("\n")
        _check_metrics(promtool, str(metrics))
        lines = text.splitlines()
        for line in [
            'kea_ha_state{%s,state="partner-down"} 1' % _labels(1, "central"),
            'kea_ha_state{%s,state="hot-standby"} 0' % _labels(1, "central"),
            'kea_ha_partner_state{%s,state="unavailable"} 1' % _labels(1, "central"),
            "kea_ha_up{%s} 0" % _labels(1, "branch"),
            "kea_ha_up{%s} 1" % _labels(2, "branch"),
            "kea_ha_communication_interrupted{%s} 1" % _labels(1, "central"),
            "kea_ha_unacked_clients{%s} 2" % _labels(1, "central"),
            "kea_ha_unsent_updates{%s} 17" % _labels(1, "central"),
            'kea_ha_state{%s,state="hot-standby"} 1' % _labels(2, "branch"),
            'kea_ha_relationship_ok{relationship="1",central="central-branch1",branch="branch1"} 0',
        ]:
            assert line in lines, "%s not in\n%s" % (line, text)
        assert not [line for line in lines if _labels(1, "branch") in line and not line.startswith("kea_ha_up{")]
        # the alerts: the central of relationship 1 in partner-down; its view of branch1 matches nothing
        # branch1 says, and branch1 is unreadable; relationship 2 is quiet
        summary = "The two ends of Kea HA relationship central-branch1 / branch1 disagree"
        _promtool_rules_test(promtool, tmp_path, text, {
            "KeaHAPartnerDown": [(dict(_label_dict(_labels(1, "central")), state="partner-down", severity="critical"), {
                "summary": "central-branch1 on central has been serving branch1's clients alone for 2 minutes",
                "description": "Relationship 1 (central-branch1 / branch1): the central end is in partner-down. Check "
                               "that branch1 is really down (playbooks/status.yml contacts it and says why it does not "
                               "answer), then bring it back; it returns to hot-standby by itself."})],
            "KeaHAEndsDisagree": [
                (dict(_label_dict(_labels(1, "branch")), severity="warning"), {
                    "summary": summary,
                    "description": "The status of branch1 on branch1 could not be read (server down, control channel "
                                   "refused, or no such relationship). Run playbooks/status.yml for both ends side by "
                                   "side."}),
                (dict(_label_dict(_labels(1, "central")), state="unavailable", severity="warning"), {
                    "summary": summary,
                    "description": "central-branch1 on central has seen its partner branch1 in state unavailable, "
                                   "which is not the state branch1 reports. Run playbooks/status.yml for both ends "
                                   "side by side."}),
            ],
        })

        # branch1 back: every end in hot-standby, the file replaced, the playbook passes
        branch1 = FakeKea([_ha("branch1", "central-branch1", "hot-standby", "hot-standby", role="primary")],
                          {"branch1": 0})
        try:
            central.relationships[0] = _ha("central-branch1", "branch1", "hot-standby", "hot-standby")
            inventory = _inventory(tmp_path, {"central": central.url, "branch1": branch1.url, "branch2": branch2.url})
            result = _status_playbook(inventory, str(metrics))
        finally:
            branch1.close()
        assert result.returncode == 0, result.stdout
        assert sorted(os.listdir(str(out))) == ["kea-ha.prom"]
        text = metrics.read_text()
        _check_metrics(promtool, str(metrics))
        lines = text.splitlines()
        for rel in (1, 2):
            for end in ("central", "branch"):
                assert 'kea_ha_state{%s,state="hot-standby"} 1' % _labels(rel, end) in lines, text
                assert "kea_ha_up{%s} 1" % _labels(rel, end) in lines, text
        assert "kea_ha_unsent_updates{%s} 17" % _labels(1, "central") in lines
        _promtool_rules_test(promtool, tmp_path, text, {"KeaHAPartnerDown": [], "KeaHAEndsDisagree": []})
    finally:
        central.close()
        branch2.close()
