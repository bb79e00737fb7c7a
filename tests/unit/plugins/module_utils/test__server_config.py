# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the roles add to each server's configuration: control sockets, lease database, loggers, the agent."""

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils import _server_config as sc
from ansible_collections.keadhcp.ha.plugins.module_utils._deploy import SETTINGS
from ansible_collections.keadhcp.ha.plugins.module_utils._plan import control_channel

SETTINGS_26 = dict(SETTINGS, version="2.6")


def _channel(family=4, **settings):
    return control_channel(dict(SETTINGS, **settings), family)


AUTH = {"type": "basic", "directory": "/etc/kea", "clients": [{"user": "kea-api", "password-file": "kea-api-password"}]}
TLS = {"trust-anchor": "/etc/kea/tls/ca.pem", "cert-file": "/etc/kea/tls/cert.pem", "key-file": "/etc/kea/tls/key.pem",
       "cert-required": True}


@pytest.mark.parametrize("version, settings, expected", [
    ("2.6", {}, {"control-socket": {"socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket"}}),
    ("3.0", {}, {"control-sockets": [
        {"socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket"},
        {"socket-type": "http", "socket-address": "127.0.0.1", "socket-port": 8000,
         "authentication": dict(AUTH, realm="kea-control")}]}),
    ("3.0", {"control_tls": True, "control_address": "10.0.0.1", "control_port": 8443}, {"control-sockets": [
        {"socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket"},
        dict({"socket-type": "http", "socket-address": "10.0.0.1", "socket-port": 8443,
              "authentication": dict(AUTH, realm="kea-control")}, **TLS)]}),
    ("3.0", {"run_dir": "/run/other/", "config_dir": "/srv/kea"}, {"control-sockets": [
        {"socket-type": "unix", "socket-name": "/run/other/kea4-ctrl-socket"},
        {"socket-type": "http", "socket-address": "127.0.0.1", "socket-port": 8000,
         "authentication": dict(AUTH, realm="kea-control", directory="/srv/kea")}]}),
], ids=["2.6 unix", "3.0 http", "3.0 tls", "3.0 directories"])
def test_control_sockets(version, settings, expected):
    assert sc.control_sockets(version, dict(SETTINGS, **settings), _channel(**settings)) == expected


def test_the_dhcpv6_server_of_a_dual_stack_kea_30_host_listens_500_above():
    channel = _channel(family=6, dual_stack=True, version="3.0")
    sockets = sc.control_sockets("3.0", SETTINGS, channel)["control-sockets"]
    assert sockets[0]["socket-name"] == "/run/kea/kea6-ctrl-socket" and sockets[1]["socket-port"] == 8500


@pytest.mark.parametrize("family", [4, 6])
def test_generated_lease_database_and_loggers(family):
    assert sc.generated(family, dict(SETTINGS, data_dir="/var/lib/kea/")) == {
        "lease-database": {"type": "memfile", "persist": True, "name": "/var/lib/kea/kea-leases%d.csv" % family,
                           "lfc-interval": 3600},
        "loggers": [{"name": "kea-dhcp%d" % family, "output-options": [{"output": "stdout"}], "severity": "INFO"}]}


def test_the_users_base_goes_on_top_merged_deeply_and_null_removes():
    user = {"valid-lifetime": 600, "lease-database": {"lfc-interval": 0}, "loggers": None}
    base = sc.server_base("2.6", 4, SETTINGS, _channel(), user)
    assert base["valid-lifetime"] == 600
    assert base["lease-database"] == {"type": "memfile", "persist": True, "name": "/var/lib/kea/kea-leases4.csv",
                                      "lfc-interval": 0}
    assert "loggers" not in base and "control-socket" in base


@pytest.mark.parametrize("base_config, family, dual, expected", [
    ({"valid-lifetime": 600}, 4, False, {"valid-lifetime": 600}),
    ({"Dhcp4": {"valid-lifetime": 600}}, 4, False, {"valid-lifetime": 600}),
    ({"Dhcp4": {"valid-lifetime": 600}, "Dhcp6": {"preferred-lifetime": 300}}, 6, True, {"preferred-lifetime": 300}),
    ({"Dhcp4": {"valid-lifetime": 600}}, 6, True, {}),
    (None, 4, False, {}),
])
def test_user_base_for_each_server(base_config, family, dual, expected):
    assert sc.user_base_for(base_config, family, dual) == expected


@pytest.mark.parametrize("families, tls", [([4], False), ([4, 6], False), ([4], True)])
def test_the_kea_26_agent_serves_every_server_of_the_host(families, tls):
    settings = dict(SETTINGS, control_tls=tls)
    agent = sc.agent_config(settings, _channel(control_tls=tls), families)["Control-agent"]
    assert (agent["http-host"], agent["http-port"]) == ("127.0.0.1", 8000)
    assert agent["authentication"] == dict(AUTH, realm="kea-control-agent")
    assert agent["control-sockets"] == dict(("dhcp%d" % f, {"socket-type": "unix",
                                                            "socket-name": "/run/kea/kea%d-ctrl-socket" % f})
                                            for f in families)
    assert all(agent.get(key) == value for key, value in TLS.items()) is tls
