# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_adopt_files on Kea's files as operators write them: comments, includes, spellings; ISC's published examples."""

import os
import shutil

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_common import changes
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_files import adopt_files, read_kea
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import load_topology

from topologies import ROOT

FIXTURES = os.path.join(ROOT, "tests", "fixtures")


def files_of(directory):
    return dict((host, [os.path.join(directory, host, f) for f in sorted(os.listdir(os.path.join(directory, host)))
                        if f.startswith("kea-dhcp")]) for host in sorted(os.listdir(directory)))


def renders_back(adoption, directory):
    """Every host's configuration as read and as the adopted topology renders it: the same for Kea."""
    configs, unread = read_kea(files_of(directory))
    assert unread == {}
    again = load_topology(adoption.topology, hooks_dir=adoption.hooks_dir, base=adoption.base,
                          host_base=adoption.host_base).configs()
    return dict((host, changes(configs[host], again[host], "")) for host in configs)


@pytest.mark.parametrize("name", ["hand-written-hub", os.path.join("isc-examples", "hub-and-spoke")])
def test_commented_hubs_adopt_with_no_problem_and_render_back_equivalent(name):
    directory = os.path.join(FIXTURES, name)
    adoption = adopt_files(files_of(directory))
    assert adoption.problems == [] and adoption.notes == []
    assert renders_back(adoption, directory) == dict((host, []) for host in os.listdir(directory))


ISC_PAIRS = {
    "kea4-load-balancing": [
        "relationship 1 (server1) peer 'server1': 'trust-anchor' is not set on the central (server2) but "
        "'/usr/lib/kea/CA.pem' on the branch (server1)",
        "relationship 1 (server1) peer 'server1': 'cert-file' is not set on the central (server2) but "
        "'/usr/lib/kea/server1_cert.pem' on the branch (server1)",
        "relationship 1 (server1) peer 'server1': 'key-file' is not set on the central (server2) but "
        "'/usr/lib/kea/server1_key.pem' on the branch (server1)",
        "relationship 1 (server1) peer 'server1': 'require-client-certs' is not set on the central (server2) but true "
        "on the branch (server1)",
        "relationship 1 (server1) peer 'server2': 'trust-anchor' is not set on the central (server2) but "
        "'/usr/lib/kea/CA.pem' on the branch (server1)",
        "relationship 1 (server1) peer 'server2': 'cert-file' is not set on the central (server2) but "
        "'/usr/lib/kea/server2_cert.pem' on the branch (server1)",
        "relationship 1 (server1) peer 'server2': 'key-file' is not set on the central (server2) but "
        "'/usr/lib/kea/server2_key.pem' on the branch (server1)",
        "relationship 1 (server1) peer 'server2': 'require-client-certs' is not set on the central (server2) but true "
        "on the branch (server1)",
        "relationship 1 (server1) subnet 192.0.3.0/24: has no user-context ha-server-name on the central (server2) "
        "(Kea serves it, having one relationship); the branch (server1) has it, so it is adopted here, tagged "
        "'server2'",
        "relationship 1 (server1) subnet 192.0.3.0/24: untagged on the branch (server1); the collection tags it "
        "'server1', so that lease synchronisation imports only this relationship's leases",
        "relationship 1 (server1) subnet 192.0.3.0/24: 'id' is required: both ends of a relationship must number the "
        "subnet alike",
        "host 'server2': rendering the adopted topology changes 'Dhcp4.interfaces-config.dhcp-socket-type' from not "
        "set (Kea's default 'raw') to 'udp'",
        "host 'server1': rendering the adopted topology changes 'Dhcp4.interfaces-config.dhcp-socket-type' from not "
        "set (Kea's default 'raw') to 'udp'",
        "the adopted topology cannot be rendered until the problems above are fixed; adopt again then, to see "
        "everything else rendering it would change"],
    "kea6-hot-standby": [
        "relationship 1 (server1): 'trust-anchor' is not set on the central (server2) but '/usr/lib/kea/CA.pem' on the "
        "branch (server1)",
        "relationship 1 (server1): 'cert-file' is not set on the central (server2) but '/usr/lib/kea/server_cert.pem' "
        "on the branch (server1)",
        "relationship 1 (server1): 'key-file' is not set on the central (server2) but '/usr/lib/kea/server_key.pem' on "
        "the branch (server1)",
        "relationship 1 (server1) subnet 2001:db8:1::/64: has no user-context ha-server-name on the central (server2) "
        "(Kea serves it, having one relationship); the branch (server1) has it, so it is adopted here, tagged "
        "'server2'",
        "relationship 1 (server1) subnet 2001:db8:1::/64: untagged on the branch (server1); the collection tags it "
        "'server1', so that lease synchronisation imports only this relationship's leases",
        "relationship 1 (server1) subnet 2001:db8:1::/64: 'id' is required: both ends of a relationship must number "
        "the subnet alike",
        "the adopted topology cannot be rendered until the problems above are fixed; adopt again then, to see "
        "everything else rendering it would change"],
    "template-ha-mt-tls": [
        "relationship 1 (server1) subnet 192.168.1.0/24: has no user-context ha-server-name on the central (server2) "
        "(Kea serves it, having one relationship); the branch (server1) has it, so it is adopted here, tagged "
        "'server2'",
        "relationship 1 (server1) subnet 192.168.1.0/24: untagged on the branch (server1); the collection tags it "
        "'server1', so that lease synchronisation imports only this relationship's leases",
        "relationship 1 (server1) branch peer 'server1': 'require-client-certs' is not allowed here: it is a "
        "relationship parameter: set it on the relationship or in defaults",
        "relationship 1 (server1) central peer 'server2': 'require-client-certs' is not allowed here: it is a "
        "relationship parameter: set it on the relationship or in defaults",
        "relationship 1 (server1) subnet 192.168.1.0/24: 'id' is required: both ends of a relationship must number "
        "the subnet alike",
        "the adopted topology cannot be rendered until the problems above are fixed; adopt again then, to see "
        "everything else rendering it would change"],
}


@pytest.mark.parametrize("name", sorted(ISC_PAIRS))
def test_isc_published_pairs_are_refused_naming_their_real_inconsistencies(name):
    adoption = adopt_files(files_of(os.path.join(FIXTURES, "isc-examples", name)))
    assert adoption.problems == ISC_PAIRS[name]
    assert not [p for p in adoption.problems if " line " in p and " column " in p]   # never a parse error


def test_a_forced_load_balancing_pair_never_hides_its_sockets_becoming_udp(tmp_path):
    """Given ids and TLS on both ends, the pair renders: raw sockets becoming UDP is a problem on each host."""
    pair = tmp_path / "pair"
    shutil.copytree(os.path.join(FIXTURES, "isc-examples", "kea4-load-balancing"), str(pair))
    one, two = pair / "server1" / "kea-dhcp4.conf", pair / "server2" / "kea-dhcp4.conf"
    text = one.read_text().replace('"subnet": "192.0.3.0/24"', '"id": 3, "subnet": "192.0.3.0/24"')
    text = text.replace('"require-client-certs": true,', "")
    one.write_text(text)
    two.write_text(text.replace('"this-server-name": "server1"', '"this-server-name": "server2"'))
    problems = adopt_files(files_of(str(pair))).problems
    assert [p for p in problems if p.startswith("host ")] == [
        "host 'server2': rendering the adopted topology changes 'Dhcp4.interfaces-config.dhcp-socket-type' from not "
        "set (Kea's default 'raw') to 'udp'",
        "host 'server2': rendering the adopted topology changes 'Dhcp4.subnet4[id 3].user-context' from not set to "
        "{\"ha-server-name\": \"server2\"}",
        "host 'server1': rendering the adopted topology changes 'Dhcp4.interfaces-config.dhcp-socket-type' from not "
        "set (Kea's default 'raw') to 'udp'",
        "host 'server1': rendering the adopted topology changes 'Dhcp4.subnet4[id 3].user-context' from not set to "
        "{\"ha-server-name\": \"server1\"}"]
    assert "cannot be rendered" not in " ".join(problems)


def test_a_file_that_does_not_read_is_a_problem_naming_host_file_line_and_column(tmp_path):
    hub = tmp_path / "hub"
    shutil.copytree(os.path.join(FIXTURES, "hand-written-hub"), str(hub))
    paris = hub / "paris-kea" / "kea-dhcp4.conf"
    paris.write_text(paris.read_text().replace('"valid-lifetime": 4000,', '"valid-lifetime": 4000'))
    problems = adopt_files(files_of(str(hub))).problems
    assert problems[0] == ("host 'paris-kea': %s line 19 column 5: expected ',' or '}' after the value of "
                           "\"valid-lifetime\", found \"subnet4\"" % paris)
    (hub / "dc-kea" / "lyon-lan.json").unlink()
    problems = adopt_files(files_of(str(hub))).problems
    assert problems[0] == ("host 'dc-kea': %s line 56 column 26: Can't open include file lyon-lan.json (No such file "
                           "or directory)" % (hub / "dc-kea" / "kea-dhcp4.conf"))
