# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import json
import os
import socket
import tempfile
import threading

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils import _kea_api as api


class FakeHTTP(object):
    """Records requests; answers with a fixed (status, body)."""

    def __init__(self, status=200, body=None):
        self.status = status
        self.body = body if body is not None else json.dumps([{"result": 0, "text": "ok", "arguments": {"x": 1}}])
        self.calls = []

    def __call__(self, url, data, headers, timeout, tls):
        self.calls.append((url, json.loads(data), headers, timeout, tls))
        return self.status, self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def _http(fake, **kwargs):
    return api.Connection(url="http://127.0.0.1:8000/", opener=fake, **kwargs)


def test_request_carries_service_only_over_http():
    assert _http(FakeHTTP(), service=["dhcp4"]).request("status-get") == {"command": "status-get", "service": ["dhcp4"]}
    unix = api.Connection(socket_path="/run/kea/kea4-ctrl-socket", service=["dhcp4"])
    assert unix.request("lease4-get-all", {"subnets": [1]}) == {"command": "lease4-get-all", "arguments": {"subnets": [1]}}


def test_basic_auth_header_from_password_or_file(tmp_path):
    fake = FakeHTTP()
    _http(fake, user="kea-api", password="s3cret-pw").command("status-get")
    assert fake.calls[0][2]["Authorization"] == "Basic " + base64.b64encode(b"kea-api:s3cret-pw").decode()
    secret = tmp_path / "pw"
    secret.write_text("from-file\n")
    _http(fake, user="kea-api", password_file=str(secret)).command("status-get")
    assert fake.calls[1][2]["Authorization"] == "Basic " + base64.b64encode(b"kea-api:from-file").decode()


def test_answer_list_is_unwrapped():
    assert _http(FakeHTTP()).command("status-get")["arguments"] == {"x": 1}


@pytest.mark.parametrize("status, body, message", [
    (401, "", "http://127.0.0.1:8000/ refused the credentials (HTTP 401); it needs a user and password"),
    (403, "", "http://127.0.0.1:8000/ refused the command (HTTP 403); with Kea 3.0 an HA listener refuses admin "
              "commands: use the control channel's URL"),
    (500, "", "http://127.0.0.1:8000/ answered HTTP 500"),
    (200, "<html>", "http://127.0.0.1:8000/ did not answer with JSON: '<html>'"),
    (200, "[]", "http://127.0.0.1:8000/ answered 'status-get' with an empty list"),
    (200, '{"text": "no result"}', "http://127.0.0.1:8000/ answered 'status-get' without a result: {'text': 'no result'}"),
])
def test_transport_problems_are_one_line_errors(status, body, message):
    with pytest.raises(api.KeaError) as info:
        _http(FakeHTTP(status, body)).command("status-get")
    assert str(info.value) == message


def test_refusal_carries_keas_text():
    fake = FakeHTTP(body=json.dumps([{"result": 1, "text": "'ha-sync' command requires server-name"}]))
    with pytest.raises(api.KeaCommandError) as info:
        _http(fake).command("ha-sync")
    assert str(info.value) == "Kea refused 'ha-sync' (result 1): 'ha-sync' command requires server-name"
    assert info.value.result == 1


def test_empty_result_is_success_unless_refused():
    fake = FakeHTTP(body=json.dumps([{"result": 3, "text": "0 IPv4 lease(s) found."}]))
    assert _http(fake).command("lease4-get-all")["result"] == 3
    with pytest.raises(api.KeaCommandError):
        _http(fake).command("config-test", allow_empty=False)


@pytest.mark.parametrize("kwargs, message", [
    ({}, "give exactly one of url (HTTP control channel) and socket (unix control socket)"),
    ({"url": "http://x/", "socket_path": "/s"}, "give exactly one of url (HTTP control channel) and socket (unix control socket)"),
    ({"url": "http://x/", "password": "a", "password_file": "/f"}, "give only one of password and password_file"),
])
def test_connection_arguments(kwargs, message):
    with pytest.raises(api.KeaError) as info:
        api.Connection(**kwargs)
    assert str(info.value) == message


def test_missing_password_file():
    with pytest.raises(api.KeaError) as info:
        _http(FakeHTTP(), user="u", password_file="/nonexistent/pw").command("status-get")
    assert str(info.value) == "cannot read password file /nonexistent/pw: No such file or directory"


def test_unix_socket_round_trip():
    path = os.path.join(tempfile.mkdtemp(), "kea4-ctrl-socket")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    seen = []

    def answer():
        conn, _addr = server.accept()
        seen.append(json.loads(conn.recv(65536)))
        conn.sendall(json.dumps({"result": 0, "arguments": {"pid": 42}}).encode())  # and keep it open
        conn.recv(1)
        conn.close()

    thread = threading.Thread(target=answer)
    thread.start()
    try:
        answer_ = api.Connection(socket_path=path, timeout=5).command("status-get")
    finally:
        thread.join(5)
        server.close()
    assert answer_["arguments"] == {"pid": 42}
    assert seen == [{"command": "status-get"}]


def test_unix_socket_missing():
    with pytest.raises(api.KeaError) as info:
        api.Connection(socket_path="/nonexistent/sock").command("status-get")
    assert str(info.value) == "cannot connect to unix socket /nonexistent/sock: No such file or directory"


def test_read_only_commands():
    assert api.is_read_only("status-get") and api.is_read_only("config-test") and api.is_read_only("lease4-get-all")
    for changing in ("config-set", "config-reload", "config-write", "ha-maintenance-start", "ha-sync", "lease4-del"):
        assert not api.is_read_only(changing)


STATUS = {"result": 0, "arguments": {"pid": 7, "high-availability": [{
    "ha-mode": "hot-standby",
    "ha-servers": {
        "local": {"role": "standby", "scopes": [], "server-name": "central-b1", "state": "hot-standby"},
        "remote": {"age": 1, "in-touch": True, "last-scopes": ["b1"], "last-state": "hot-standby", "role": "primary",
                   "server-name": "b1", "communication-interrupted": False, "unacked-clients": 0,
                   "unacked-clients-left": 0, "connecting-clients": 1, "analyzed-packets": 2},
    }}, {
    "ha-mode": "hot-standby",
    "ha-servers": {"local": {"role": "standby", "scopes": ["b2"], "server-name": "central-b2", "state": "partner-down"},
                   "remote": {"server-name": "b2", "role": "primary", "last-state": "unavailable", "in-touch": False}},
}]}}


def test_ha_relationships_flatten_status_get():
    found = api.ha_relationships(STATUS)
    assert found[0] == {
        "mode": "hot-standby",
        "local": {"name": "central-b1", "role": "standby", "state": "hot-standby", "scopes": []},
        "remote": {"name": "b1", "role": "primary", "last_state": "hot-standby", "in_touch": True,
                   "communication_interrupted": False, "unacked_clients": 0, "unacked_clients_left": 0,
                   "connecting_clients": 1, "analyzed_packets": 2, "age": 1},
    }
    assert [r["local"]["name"] for r in api.relationships_not_in(found, ["hot-standby"])] == ["central-b2"]
    assert api.ha_relationships({"result": 0, "arguments": {}}) == []


RUNNING = {"Dhcp4": {
    "valid-lifetime": 7200, "interfaces-config": {"interfaces": ["lan1"], "re-detect": True},
    "subnet4": [{"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.100-10.1.0.199", "option-data": []}],
                 "user-context": {"ha-server-name": "s2"}, "valid-lifetime": 7200}],
    "hooks-libraries": [{"library": "libdhcp_ha.so", "parameters": {"high-availability": [
        {"mode": "hot-standby", "peers": [{"name": "s1", "basic-auth-password": "pw1", "auto-failover": True}]}]}}],
}}


@pytest.mark.parametrize("desired, holds", [
    ({"Dhcp4": {"interfaces-config": {"interfaces": ["lan1"]}}}, True),
    ({"Dhcp4": {"subnet4": [{"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.100 - 10.1.0.199"}]}]}}, True),
    ({"Dhcp4": {"subnet4": [{"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.100 - 10.1.0.198"}]}]}}, False),
    ({"Dhcp4": {"subnet4": [{"id": 1, "user-context": {"ha-server-name": "s1"}}]}}, False),
    ({"Dhcp4": {"subnet4": []}}, False),
    ({"Dhcp4": {"valid-lifetime": 600}}, False),
    ({"Dhcp4": {"hooks-libraries": [{"parameters": {"high-availability": [{"peers": [{"auto-failover": 1}]}]}}]}}, False),
    ({"Dhcp6": {}}, False),
])
def test_contains_ignores_what_kea_fills_in(desired, holds):
    assert api.contains(RUNNING, desired) is holds


@pytest.mark.parametrize("one, two", [
    ("10.0.0.1 - 10.0.0.9", "10.0.0.1-10.0.0.9"),
    ("2001:db8:1:0::/80", "2001:db8:1::/80"),
    ("2001:DB8::1 - 2001:db8::ff", "2001:db8::1-2001:db8::ff"),
])
def test_addresses_compare_as_kea_prints_them(one, two):
    assert api.normal_address(one) == api.normal_address(two)


def test_project_and_mask_make_a_readable_safe_diff():
    desired = {"Dhcp4": {"hooks-libraries": [{"parameters": {"high-availability": [{"peers": [
        {"name": "s1", "basic-auth-password": "new-pw", "basic-auth-password-file": "/etc/kea/pw"}]}]}}]}}
    projected = api.project(RUNNING, desired)
    assert projected == {"Dhcp4": {"hooks-libraries": [{"parameters": {"high-availability": [{"peers": [
        {"name": "s1", "basic-auth-password": "pw1"}]}]}}]}}
    masked = api.mask_secrets(desired)
    peer = masked["Dhcp4"]["hooks-libraries"][0]["parameters"]["high-availability"][0]["peers"][0]
    assert peer == {"name": "s1", "basic-auth-password": "********", "basic-auth-password-file": "/etc/kea/pw"}
    assert "new-pw" not in json.dumps(masked) and "pw1" not in json.dumps(api.mask_secrets(projected))


TWELVE = ["lan%d" % number for number in range(1, 13)]  # lan1, lan2, ..., lan12, as the collection writes them


@pytest.mark.parametrize("running, desired, holds", [
    (sorted(TWELVE), TWELVE, True),                       # Kea's order: lan1, lan10, lan11, lan12, lan2, ...
    (sorted(TWELVE) + ["lan13"], TWELVE, False),          # one more on the server
    (sorted(TWELVE)[:-1], TWELVE, False),                 # one missing
    (sorted(TWELVE)[:-1] + ["lan99"], TWELVE, False),     # one different
    (["lan1", "lan1"], ["lan1", "lan2"], False),          # a multiset, not a set
    (["eth0/10.0.0.10", "eth0"], ["eth0", "eth0/10.0.0.10"], True),
])
def test_interfaces_compare_in_any_order(running, desired, holds):
    assert sorted(TWELVE)[:4] == ["lan1", "lan10", "lan11", "lan12"]
    assert api.contains({"interfaces-config": {"interfaces": running}},
                        {"interfaces-config": {"interfaces": desired}}) is holds


def test_other_lists_keep_their_order():
    # hooks libraries are loaded in order, subnets keep theirs: a reordering is a change
    running = {"hooks-libraries": [{"library": "a.so"}, {"library": "b.so"}], "relay": {"ip-addresses": ["10.0.0.2"]}}
    assert not api.contains(running, {"hooks-libraries": [{"library": "b.so"}, {"library": "a.so"}]})
    assert api.contains(running, {"hooks-libraries": [{"library": "a.so"}, {"library": "b.so"}]})


@pytest.mark.parametrize("running, desired", [
    ("10.81.1.100-10.81.1.199", "10.81.1.100 - 10.81.1.199"),
    ("10.81.1.100-10.81.1.199", "10.81.1.100  -  10.81.1.199"),
])
def test_pool_spellings_compare_equal(running, desired):
    assert api.contains({"pools": [{"pool": running}]}, {"pools": [{"pool": desired}]})
    assert not api.contains({"pools": [{"pool": running}]}, {"pools": [{"pool": desired.replace("199", "198")}]})
