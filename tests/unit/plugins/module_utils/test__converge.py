# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kea_server's convergence against a fake host: files, services, each server applied and healthy, check mode."""

import copy
import json
import os

import pytest
import yaml

from ansible_collections.keadhcp.ha.plugins.module_utils._converge import HIDDEN, Converge, ConvergeError
from ansible_collections.keadhcp.ha.plugins.module_utils._deploy import deployment
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaCommandError, KeaError, contains

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
SECRETS = {"api_password": "the-api-password", "tls_key": "KEY PEM", "peer_passwords": {}}


class FakeKea(object):
    """One running kea-dhcpN: its configuration, and the answers the converge code reads."""

    def __init__(self, version, config):
        self.version, self.config, self.sent, self.states = version, copy.deepcopy(config), [], {}
        self.leases = []

    def command(self, command, arguments=None, allow_empty=True):
        self.sent.append(command)
        if command == "version-get":
            return {"result": 0, "text": self.version}
        if command == "config-get":
            return {"result": 0, "arguments": dict(copy.deepcopy(self.config), hash="H%d" % len(json.dumps(self.config)))}
        if command == "config-test":
            if "refused" in json.dumps(arguments):
                raise KeaCommandError(command, 1, "unsupported parameter 'refused'")
            return {"result": 0}
        if command == "config-set":
            self.config = copy.deepcopy(arguments)
            return {"result": 0}
        if command == "status-get":
            body = next(iter(self.config.values()))
            rels = [rel for lib in body.get("hooks-libraries", []) for rel in
                    (lib.get("parameters") or {}).get("high-availability", [])]
            return {"result": 0, "arguments": {"high-availability": [
                {"ha-mode": rel["mode"], "ha-servers": {
                    "local": {"server-name": rel["this-server-name"],
                              "state": self.states.get(rel["this-server-name"], rel["mode"])},
                    "remote": {}}} for rel in rels]}}
        if command in ("lease4-get-all", "lease6-get-all"):
            return {"result": 0 if self.leases else 3, "arguments": {"leases": copy.deepcopy(self.leases)}}
        raise AssertionError(command)


class FakeHost(object):
    """Files, systemd units and Kea servers in memory; the clock moves only when the code sleeps."""

    def __init__(self, version="2.6.3"):
        self.version = version
        self.files, self.dirs, self.units, self.kea, self.actions, self.now = {}, {}, {}, {}, [], 0.0
        self.partner_tables = {}  # partner HA URL -> its leases, or the reason it cannot be read

    # files
    def stat(self, path):
        if path in self.dirs:
            return dict(self.dirs[path], isdir=True)
        if path in self.files:
            return dict((k, v) for k, v in self.files[path].items() if k != "content")
        return None

    def read(self, path):
        return self.files[path]["content"]

    def ensure_directory(self, path, owner, group, mode):
        self.dirs[path] = {"owner": owner, "group": group, "mode": mode}

    def set_attributes(self, path, owner, group, mode):
        self.files[path].update(owner=owner, group=group, mode=mode)

    def write(self, path, data, owner, group, mode, validate=None, backup=False):
        if validate and b"refused" in data:
            return "unsupported parameter 'refused' (%s:3:5)" % path
        if backup and path in self.files:
            self.files[path + ".backup"] = dict(self.files[path])
        self.files[path] = {"content": data, "owner": owner, "group": group, "mode": mode}
        self.actions.append("write " + path)
        return None

    # systemd
    def unit(self, name):
        return dict(self.units.get(name, {"active": False, "enabled": False}), exists=True)

    def systemctl(self, action, name):
        self.actions.append("%s %s" % (action, name))
        unit = self.units.setdefault(name, {"active": False, "enabled": False})
        if action in ("start", "restart"):
            unit["active"] = True
            if name.startswith("kea-dhcp"):
                family = int(name[len("kea-dhcp")])
                config = json.loads(self.files["/etc/kea/kea-dhcp%d.conf" % family]["content"])
                self.kea[family] = FakeKea(self.version, config)
        elif action == "stop":
            unit["active"] = False
        elif action in ("enable", "disable"):
            unit["enabled"] = action == "enable"

    # Kea
    def connection(self, socket_path):
        family = int(socket_path.rsplit("/", 1)[1][len("kea")])
        if family not in self.kea:
            raise KeaError("cannot connect to unix socket %s: No such file or directory" % socket_path)
        return self.kea[family]

    def heartbeat(self, endpoint, server_name):
        return True, {"state": "hot-standby"}

    def partner_leases(self, endpoint, command, subnet_ids):
        table = self.partner_tables.get(endpoint["url"], [])
        if isinstance(table, str):
            raise LookupError(table)
        return [lease for lease in table if lease["subnet-id"] in subnet_ids]

    def port_open(self, address, port):
        return True

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Where bring_to writes its record: a directory of the test's own (the plan's data_dir)."""
    monkeypatch.setitem(DATA, "dir", str(tmp_path))


DATA = {}


def _state(name="branches_v4", host="dc-kea", version="2.6.3", **settings):
    settings.setdefault("data_dir", DATA["dir"])
    with open(os.path.join(ROOT, "examples", name, "group_vars", "all.yml")) as handle:
        topology = yaml.safe_load(handle)["kea_ha_topology"]
    hosts = [topology["central"]] + [rel["branch"]["host"] for rel in topology["relationships"]]
    interfaces = ["lan-paris", "lan-lyon", "lan-lille", "wan0", "lo"]
    inputs = dict((h, {"settings": dict({"api_password_ok": True}, **settings),
                       "probe": {"version": version, "hooks_dir": "", "interfaces": interfaces,
                                 "packages": ["kea-dhcp4-server", "kea-dhcp6-server", "kea-ctrl-agent"]}})
                  for h in hosts)
    planned = deployment(topology, inputs, hosts=[host])
    assert planned["problems"] == [], planned["problems"]
    return planned["hosts"][host]


def _converge(host, state, check_mode=False, secrets=None):
    return Converge(host, state, secrets or SECRETS, check_mode=check_mode).run()


def test_a_first_run_writes_everything_starts_everything_and_applies_nothing_more():
    host, state = FakeHost(), _state()
    out = _converge(host, state)
    assert out["changed"] and out["restart_required"] == []
    assert out["services"] == ["start kea-ctrl-agent", "enable kea-ctrl-agent", "start kea-dhcp4-server",
                               "enable kea-dhcp4-server"]
    assert host.files["/etc/kea/kea-api-password"]["content"] == b"the-api-password"
    assert host.files["/etc/kea/kea-api-password"]["mode"] == "0640"
    # started on the file just written: nothing to apply, the record made
    (server,) = out["servers"]
    assert (server["started"], server["method"], server["healthy"]) == (True, "none", True)
    assert "config-set" not in host.kea[4].sent


def test_an_unchanged_host_is_one_call_that_changes_nothing():
    host, state = FakeHost(), _state()
    _converge(host, state)
    actions = list(host.actions)
    out = _converge(host, state)
    assert not out["changed"] and out["files"] == [] and out["services"] == [] and out["diff"] == []
    assert host.actions == actions
    assert "config-set" not in host.kea[4].sent and out["servers"][0]["healthy"] is True


def test_a_changed_configuration_is_written_then_applied_by_config_set_never_by_a_restart():
    host, state = FakeHost(), _state()
    _converge(host, state)
    changed = copy.deepcopy(state)
    server = changed["servers"][0]
    server["config"]["Dhcp4"]["valid-lifetime"] = 1234
    config_file = [f for f in changed["files"] if f["path"] == server["config_file"]][0]
    config_file["content"] = json.dumps(server["config"], indent=2, sort_keys=True) + "\n"
    out = _converge(host, changed)
    assert out["changed"] and out["files"] == ["/etc/kea/kea-dhcp4.conf"] and out["services"] == []
    assert out["servers"][0]["method"] == "config-set"
    assert host.kea[4].config["Dhcp4"]["valid-lifetime"] == 1234
    assert "/etc/kea/kea-dhcp4.conf.backup" in host.files
    headers = [(d["before_header"], d["after_header"]) for d in out["diff"]]
    assert headers == [("/etc/kea/kea-dhcp4.conf", "/etc/kea/kea-dhcp4.conf"),
                       ("kea-dhcp4-server running (config-get)", "kea-dhcp4-server wanted")]
    assert not any(a.startswith("restart") for a in host.actions)


def test_a_new_api_password_restarts_the_26_agent_and_forces_the_servers_apply():
    host, state = FakeHost(), _state()
    _converge(host, state)
    out = _converge(host, state, secrets=dict(SECRETS, api_password="another-password"))
    assert out["services"] == ["restart kea-ctrl-agent"]
    assert out["servers"][0]["method"] == "config-set"  # forced: Kea reads the password file again
    assert out["diff"][0] == {"before_header": "/etc/kea/kea-api-password", "after_header": "/etc/kea/kea-api-password",
                              "before": HIDDEN, "after": HIDDEN}
    assert "another-password" not in json.dumps(out)


def test_a_file_kea_refuses_is_never_put_in_place():
    host, state = FakeHost(), _state()
    _converge(host, state)
    before = host.files["/etc/kea/kea-dhcp4.conf"]["content"]
    changed = copy.deepcopy(state)
    config_file = [f for f in changed["files"] if f["path"] == "/etc/kea/kea-dhcp4.conf"][0]
    config_file["content"] = config_file["content"].replace('"Dhcp4": {', '"Dhcp4": {"refused": 1, ', 1)
    with pytest.raises(ConvergeError) as info:
        _converge(host, changed)
    assert str(info.value) == ("/etc/kea/kea-dhcp4.conf: not replaced, Kea refuses the new file (kea-dhcp4 -t): "
                               "unsupported parameter 'refused' (/etc/kea/kea-dhcp4.conf:3:5)")
    assert host.files["/etc/kea/kea-dhcp4.conf"]["content"] == before


def test_check_mode_shows_every_difference_and_changes_nothing():
    host, state = FakeHost(), _state()
    _converge(host, state)
    changed = copy.deepcopy(state)
    changed["servers"][0]["config"]["Dhcp4"]["valid-lifetime"] = 99
    host.files["/etc/kea/kea-api-password"]["mode"] = "0644"
    snapshot = copy.deepcopy((host.files, host.dirs, host.units))
    sent = len(host.kea[4].sent)
    out = _converge(host, changed, check_mode=True)
    assert out["changed"]
    assert [d["before_header"] for d in out["diff"]] == ["/etc/kea/kea-api-password", "kea-dhcp4-server running (config-get)"]
    assert out["diff"][0]["before"] == "owner root, group _kea, mode 0644\n"
    assert (host.files, host.dirs, host.units) == snapshot
    assert "config-set" not in host.kea[4].sent[sent:] and "config-test" in host.kea[4].sent[sent:]


def test_a_central_covering_for_a_branch_is_not_given_a_change():
    host, state = FakeHost(), _state()
    _converge(host, state)
    host.kea[4].states["dc-for-lyon"] = "partner-down"
    changed = copy.deepcopy(state)
    changed["servers"][0]["config"]["Dhcp4"]["valid-lifetime"] = 99
    with pytest.raises(ConvergeError) as info:
        _converge(host, changed)
    assert str(info.value).startswith("kea-dhcp4-server: not applying the configuration: this server is covering for "
                                      "its partner in relationship dc-for-lyon (partner-down")
    assert "valid-lifetime" not in host.kea[4].config["Dhcp4"]


def test_on_kea_303_a_change_is_only_tested_and_the_server_named_for_a_restart():
    host, state = FakeHost(version="3.0.3"), _state(version="3.0.3")
    _converge(host, state)
    changed = copy.deepcopy(state)
    changed["servers"][0]["config"]["Dhcp4"]["valid-lifetime"] = 99
    out = _converge(host, changed)
    assert out["restart_required"] == [4] and out["servers"][0]["method"] == "restart"
    assert "config-set" not in host.kea[4].sent and "valid-lifetime" not in host.kea[4].config["Dhcp4"]
    assert out["servers"][0]["healthy"] is None


def test_kea_30_stops_the_agent_left_from_26():
    host, state = FakeHost(version="3.0.4"), _state(version="3.0.4")
    state["stop"] = ["kea-ctrl-agent"]
    host.units["kea-ctrl-agent"] = {"active": True, "enabled": True}
    out = _converge(host, state)
    assert out["services"][:2] == ["stop kea-ctrl-agent", "disable kea-ctrl-agent"]
    assert _converge(host, state)["changed"] is False


def test_a_server_that_never_answers_fails_naming_its_socket():
    class Refusing(object):
        def __init__(self, socket_path):
            self.socket_path = socket_path

        def command(self, command, arguments=None, allow_empty=True):
            raise KeaError("cannot connect to unix socket %s: Connection refused" % self.socket_path)

    class Mute(FakeHost):
        def connection(self, socket_path):
            return Refusing(socket_path)
    host, state = Mute(), _state()
    with pytest.raises(ConvergeError) as info:
        _converge(host, state)
    assert str(info.value) == ("kea-dhcp4-server does not answer on its control socket /run/kea/kea4-ctrl-socket "
                               "after 60 s: cannot connect to unix socket /run/kea/kea4-ctrl-socket: Connection refused")


def test_an_unhealthy_server_fails_with_the_health_checks_words():
    class Closed(FakeHost):
        def heartbeat(self, endpoint, server_name):
            return False, "cannot reach %s: [Errno 111] Connection refused" % endpoint["url"]
    host, state = Closed(), _state()
    with pytest.raises(ConvergeError) as info:
        _converge(host, state)
    # examples/branches_v4's bound: three 2 s heartbeats, Kea's 60 s sync-timeout, 10 s (_health.relationship_bound)
    assert str(info.value).startswith("kea-dhcp4-server: HA not healthy after 76 s: relationship "
                                      "dc-for-paris/paris: HA listener http://10.10.0.3:8001/ not open (")
    assert info.value.result["files"]  # what was done before is reported


def test_the_servers_of_a_dual_stack_host_are_converged_in_turn():
    host, state = FakeHost(version="3.0.4"), _state("dual_stack", host="dc-kea", version="3.0.4")
    out = _converge(host, state)
    assert [s["family"] for s in out["servers"]] == [4, 6] and sorted(host.kea) == [4, 6]
    assert contains(host.kea[6].config, state["servers"][1]["config"])
    assert _converge(host, state)["changed"] is False


# The central's health check compares its leases of each relationship with the branch's.
NOW = 5000000.0


def _lease(address, mac, subnet):
    return {"ip-address": address, "hw-address": mac, "subnet-id": subnet, "cltt": NOW - 600, "valid-lft": 3600,
            "state": 0}


def _hub_with_leases():
    """dc-kea of examples/branches_v4 with a lease on each branch's subnet (101 paris, 201/202 lyon, 301 lille)."""
    host, state = FakeHost(), _state()
    host.now = NOW
    _converge(host, state)
    tables = {"http://10.10.0.2:8001/": [_lease("10.10.0.100", "02:10:00:00:00:01", 101)],
              "http://10.20.0.2:8001/": [_lease("10.20.0.100", "02:20:00:00:00:01", 201)],
              "http://10.30.0.2:8001/": [_lease("10.30.0.100", "02:30:00:00:00:01", 301)]}
    host.partner_tables = copy.deepcopy(tables)
    host.kea[4].leases = [lease for table in tables.values() for lease in table]
    return host, state


def test_an_unchanged_central_whose_leases_agree_with_every_branch_warns_of_nothing():
    host, state = _hub_with_leases()
    out = _converge(host, state)
    assert out["warnings"] == [] and not out["changed"]
    assert [(row["partner"], row["compared"], row["conflicts"]) for row in out["servers"][0]["leases"]] == [
        ("paris", 1, 0), ("lyon", 1, 0), ("lille", 1, 0)]


def test_an_address_leased_to_two_clients_is_warned_of_naming_the_relationship():
    host, state = _hub_with_leases()
    host.partner_tables["http://10.20.0.2:8001/"] = [_lease("10.20.0.100", "02:20:00:00:00:99", 201)]
    out = _converge(host, state)
    assert out["warnings"] == [
        "kea-dhcp4-server: relationship dc-for-lyon/lyon: the two ends' leases differ: 1 address leased to different "
        "clients by the two ends (10.20.0.100: branch 02:20:00:00:00:99, central 02:20:00:00:00:01); Kea does not "
        "mend this by itself: docs/operations.md, 'Leases that differ between the two ends'"]
    assert not out["changed"]


def test_a_branch_whose_leases_cannot_be_read_is_said_and_the_others_compared():
    host, state = _hub_with_leases()
    host.partner_tables["http://10.30.0.2:8001/"] = (
        "cannot read the partner's leases at http://10.30.0.2:8001/: [Errno 111] Connection refused")
    out = _converge(host, state)
    assert out["warnings"] == [
        "kea-dhcp4-server: relationship dc-for-lille/lille: leases not compared: cannot read the partner's leases at "
        "http://10.30.0.2:8001/: [Errno 111] Connection refused"]
    assert [row.get("conflicts") for row in out["servers"][0]["leases"]] == [0, 0, None]


def test_without_compare_leases_no_lease_is_read():
    host, state = _hub_with_leases()
    state = copy.deepcopy(state)
    state["servers"][0]["compare_leases"] = False
    host.kea[4].sent = []
    out = _converge(host, state)
    assert "lease4-get-all" not in host.kea[4].sent and "leases" not in out["servers"][0]


def test_a_branch_compares_nothing_its_central_compares_it():
    host, state = FakeHost(), _state(host="lyon-kea")
    out = _converge(host, state)
    assert out["servers"][0]["leases"] == [] and "lease4-get-all" not in host.kea[4].sent
