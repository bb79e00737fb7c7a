# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The status report as Prometheus text: labels, families, escaping, unread ends, and a real parser."""

import re
import shutil
import subprocess

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.filter import ha_metrics as ha_metrics_file
from ansible_collections.keadhcp.ha.plugins.filter.ha_metrics import ha_metrics
from ansible_collections.keadhcp.ha.plugins.filter.ha_status_report import ha_status_report
from ansible_collections.keadhcp.ha.plugins.module_utils._metrics import STATES, exposition, label_value

from topologies import status_hub

TOPOLOGY = status_hub()
L1C = 'relationship="1",central="s2",branch="s1",end="central",host="hub",server_name="s2",partner="s1"'
L1B = 'relationship="1",central="s2",branch="s1",end="branch",host="b1",server_name="s1",partner="s2"'
L2C = 'relationship="2",central="s4",branch="s3",end="central",host="hub",server_name="s4",partner="s3"'
L2B = 'relationship="2",central="s4",branch="s3",end="branch",host="b2",server_name="s3",partner="s4"'


def _rel(name, state, partner_state="hot-standby", **remote):
    seen = {"last_state": partner_state, "in_touch": True, "communication_interrupted": False, "age": 2,
            "unacked_clients": 0, "unacked_clients_left": 0, "connecting_clients": 0, "analyzed_packets": 0}
    seen.update(remote)
    return {"local": {"name": name, "role": "x", "state": state, "scopes": []}, "remote": seen}


HEALTHY = {"hub": {"relationships": [_rel("s2", "hot-standby"), _rel("s4", "hot-standby")]},
           "b1": {"relationships": [_rel("s1", "hot-standby")]}, "b2": {"relationships": [_rel("s3", "hot-standby")]}}
# branch1 down: the central took over, branch1's control channel refuses
FAILOVER = {"hub": {"relationships": [
    dict(_rel("s2", "partner-down", "unavailable", in_touch=False, communication_interrupted=True, age=0,
              unacked_clients=3, connecting_clients=1, analyzed_packets=7),
         local={"name": "s2", "role": "standby", "state": "partner-down", "unsent_update_count": 12,
                "clock_offset": -1}),
    _rel("s4", "hot-standby")]},
    "b1": {"failed": True, "msg": "cannot reach http://127.0.0.1:8000/: [Errno 111] Connection refused"},
    "b2": {"relationships": [_rel("s3", "hot-standby")]}}


def metrics(reports, **options):
    return ha_metrics(ha_status_report(TOPOLOGY, reports, **options))


def samples(text):
    """{(name, labels): value} of every sample line."""
    found = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        name, labels, value = re.match(r"^([a-z_]+)\{(.*)\} (\S+)$", line).groups()
        found[(name, labels)] = value
    return found


def state_of(text, name, labels):
    """The states whose series of family ``name`` is 1 for these labels."""
    ones = [re.search(r',state="([^"]*)"$', key[1]).group(1) for key, value in samples(text).items()
            if key[0] == name and key[1].startswith(labels + ',state="') and value == "1"]
    return ones


@pytest.mark.parametrize("reports, name, labels, value", [
    (HEALTHY, "kea_ha_up", L1C, "1"),
    (HEALTHY, "kea_ha_up", L2B, "1"),
    (HEALTHY, "kea_ha_relationship_ok", 'relationship="1",central="s2",branch="s1"', "1"),
    (HEALTHY, "kea_ha_in_touch", L1B, "1"),
    (HEALTHY, "kea_ha_communication_interrupted", L1C, "0"),
    (HEALTHY, "kea_ha_partner_age_seconds", L2C, "2"),
    (FAILOVER, "kea_ha_up", L1C, "1"),
    (FAILOVER, "kea_ha_up", L1B, "0"),
    (FAILOVER, "kea_ha_relationship_ok", 'relationship="1",central="s2",branch="s1"', "0"),
    (FAILOVER, "kea_ha_relationship_ok", 'relationship="2",central="s4",branch="s3"', "1"),
    (FAILOVER, "kea_ha_in_touch", L1C, "0"),
    (FAILOVER, "kea_ha_communication_interrupted", L1C, "1"),
    (FAILOVER, "kea_ha_unacked_clients", L1C, "3"),
    (FAILOVER, "kea_ha_connecting_clients", L1C, "1"),
    (FAILOVER, "kea_ha_analyzed_packets", L1C, "7"),
    (FAILOVER, "kea_ha_unsent_updates", L1C, "12"),
    (FAILOVER, "kea_ha_partner_age_seconds", L1C, "0"),
    (FAILOVER, "kea_ha_clock_offset_seconds", L1C, "-1"),
])
def test_one_sample_per_end(reports, name, labels, value):
    assert samples(metrics(reports))[(name, labels)] == value


@pytest.mark.parametrize("reports, name, labels, states", [
    (HEALTHY, "kea_ha_state", L1C, ["hot-standby"]),
    (HEALTHY, "kea_ha_state", L1B, ["hot-standby"]),
    (FAILOVER, "kea_ha_state", L1C, ["partner-down"]),
    (FAILOVER, "kea_ha_partner_state", L1C, ["unavailable"]),
    (FAILOVER, "kea_ha_state", L2C, ["hot-standby"]),
    # unread: no state series at all
    (FAILOVER, "kea_ha_state", L1B, []),
])
def test_state_series_have_one_at_one(reports, name, labels, states):
    assert state_of(metrics(reports), name, labels) == states


def test_every_known_state_has_a_series_in_order():
    text = metrics(HEALTHY)
    listed = [re.search(r',state="([^"]*)"', key[1]).group(1) for key in samples(text)
              if key[0] == "kea_ha_state" and key[1].startswith(L1C + ",")]
    assert listed == list(STATES) and len(STATES) == 13 and list(STATES) == sorted(STATES)


def test_an_unread_end_has_only_its_up_sample():
    text = metrics(FAILOVER)
    assert [key[0] for key in samples(text) if L1B in key[1]] == ["kea_ha_up"]


def test_a_relationship_the_server_does_not_run_is_down_too():
    reports = dict(HEALTHY, b2={"relationships": [_rel("s9", "hot-standby")]})
    assert samples(metrics(reports))[("kea_ha_up", L2B)] == "0"


def test_a_state_kea_adds_later_gets_its_own_series_after_the_known_ones():
    reports = dict(HEALTHY, b1={"relationships": [_rel("s1", "frobbing")]})
    lines = [line for line in metrics(reports).splitlines() if line.startswith("kea_ha_state{" + L1B)]
    assert len(lines) == 14 and lines[-1] == "kea_ha_state{%s,state=\"frobbing\"} 1" % L1B


def test_every_family_has_help_and_type_before_its_samples_and_appears_once():
    text = metrics(FAILOVER)
    seen, current = [], None
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("# HELP "):
            current = line.split()[2]
            assert current not in seen and current.startswith("kea_ha_")
            assert lines[number + 1] == "# TYPE %s gauge" % current
            seen.append(current)
        elif not line.startswith("#"):
            assert line.split("{")[0] == current
    assert seen == ["kea_ha_up", "kea_ha_relationship_ok", "kea_ha_state", "kea_ha_partner_state", "kea_ha_in_touch",
                    "kea_ha_communication_interrupted", "kea_ha_partner_age_seconds", "kea_ha_unacked_clients",
                    "kea_ha_unacked_clients_left", "kea_ha_connecting_clients", "kea_ha_analyzed_packets",
                    "kea_ha_unsent_updates", "kea_ha_clock_offset_seconds"]
    assert text.endswith("} -1\n")


def test_a_family_without_samples_is_left_out():
    # no heartbeat read: Kea's status-get has no unsent update count
    assert "kea_ha_unsent_updates" not in metrics(HEALTHY)


def test_same_report_same_text_and_rows_in_order():
    assert metrics(FAILOVER) == metrics(FAILOVER)
    ups = [key[1] for key in samples(metrics(FAILOVER)) if key[0] == "kea_ha_up"]
    assert ups == [L1C, L1B, L2C, L2B]


@pytest.mark.parametrize("raw, escaped", [
    ('say "hi"', 'say \\"hi\\"'),
    ("C:\\kea", "C:\\\\kea"),
    ("two\nlines", "two\\nlines"),
    ('a\\"b', 'a\\\\\\"b'),
    (None, ""),
    (7, "7"),
])
def test_label_values_are_escaped(raw, escaped):
    assert label_value(raw) == escaped


def _odd_row():
    # a host name no topology allows, to check the escaping through the whole text
    return {"relationship": 1, "central_host": 'hub "a"', "branch_host": "b\\1", "central_name": "c\nx",
            "branch_name": "s1", "ok": True,
            "central": {"state": "hot-standby", "partner_state": "hot-standby", "in_touch": True},
            "branch": {"state": "unreadable", "error": "no status was read"}}


def test_escaped_labels_in_the_text():
    text = exposition([_odd_row()])
    assert ('kea_ha_up{relationship="1",central="c\\nx",branch="s1",end="central",host="hub \\"a\\"",'
            'server_name="c\\nx",partner="s1"} 1') in text.splitlines()
    assert ('kea_ha_up{relationship="1",central="c\\nx",branch="s1",end="branch",host="b\\\\1",'
            'server_name="s1",partner="c\\nx"} 0') in text.splitlines()


@pytest.mark.parametrize("value, message", [
    ("text", "ha_metrics: expects the report of keadhcp.ha.ha_status_report, or its rows; got str"),
    ({"table": []}, "ha_metrics: expects the report of keadhcp.ha.ha_status_report, or its rows; got dict"),
    ([{"relationship": 1}], "ha_metrics: row 1 is not a row of keadhcp.ha.ha_status_report (no central_host, "
                            "branch_host, central_name, branch_name, central, branch)"),
    (["x"], "ha_metrics: row 1 is not a row of keadhcp.ha.ha_status_report (no relationship, central_host, "
            "branch_host, central_name, branch_name, central, branch)"),
])
def test_filter_refuses_what_is_not_a_report(value, message):
    with pytest.raises(AnsibleFilterError) as info:
        ha_metrics(value)
    assert str(info.value) == message


def test_filter_takes_the_rows_too_and_exports_itself():
    report = ha_status_report(TOPOLOGY, FAILOVER)
    assert ha_metrics(report["rows"]) == ha_metrics(report)
    assert list(ha_metrics_file.FilterModule().filters()) == ["ha_metrics"]


# Prometheus's own parsers: the unit tests skip a parser that is not installed;
# tests/integration/test_metrics.py installs promtool and runs it for real.
CASES = [HEALTHY, FAILOVER, dict(HEALTHY, b1={"relationships": [_rel("s1", "frobbing")]})]


@pytest.mark.parametrize("reports", CASES)
def test_promtool_accepts_the_text(reports):
    promtool = shutil.which("promtool")
    if not promtool:
        pytest.skip("promtool is not installed (Debian package prometheus)")
    for text in (metrics(reports), exposition([_odd_row()])):
        checked = subprocess.run([promtool, "check", "metrics"], input=text, universal_newlines=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        assert (checked.returncode, checked.stdout) == (0, "")


@pytest.mark.parametrize("reports", CASES)
def test_prometheus_client_parses_the_text(reports):
    parser = pytest.importorskip("prometheus_client.parser")
    text = metrics(reports)
    parsed = {family.name: family for family in parser.text_string_to_metric_families(text)}
    assert list(parsed) == [line.split()[2] for line in text.splitlines() if line.startswith("# HELP ")]
    assert all(family.type == "gauge" for family in parsed.values())
    count = sum(len(family.samples) for family in parsed.values())
    assert count == len(samples(text))
    odd = list(parser.text_string_to_metric_families(exposition([_odd_row()])))[0].samples[0]
    assert (odd.labels["host"], odd.labels["central"]) == ('hub "a"', "c\nx")
