# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt from files: each host's directory, Kea's configurations or ISC DHCP's, read and adopted.

``DIR/<host>/`` holds copies of one host's files:

* ``kea-dhcp4.conf`` and/or ``kea-dhcp6.conf``, read in Kea's dialect
  (``_kea_dialect``: comments, includes beside the file); a file that does
  not read is a problem naming the host, file, line and column;
* or ``dhcpd.conf`` (ISC DHCP; DHCPv4 failover), read by ``_adopt_dhcpd``
  and keama, and ``isc-dhcp-server`` (a copy of ``/etc/default/isc-dhcp-server``)
  for the interfaces dhcpd listens on (``INTERFACESv4``); and ``dhcpd6.conf``
  where the host runs ISC's DHCPv6 server too (``_adopt_isc_v6``).

One kind of estate per run. Kea's files go to ``_adopt.adopt``; ISC DHCP's
to ``_adopt_isc.build``, and the topology it makes is checked by the model
and rendered, as every adoption is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_build as build
from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_dhcpd as dhcpd
from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_isc as isc
from ansible_collections.keadhcp.ha.plugins.module_utils import _adopt_keama as keama
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt import Adoption, adopt
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_isc_v6 import join_dhcp6
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_secrets import sanitise
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_dialect import DialectError, load
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError, load_topology

KEA_FILES = ("kea-dhcp4.conf", "kea-dhcp6.conf")
ISC_FILES = ("dhcpd.conf", "dhcpd6.conf")
DEFAULTS_FILE = "isc-dhcp-server"
_INTERFACES = re.compile(r'^\s*INTERFACES(?:v4)?\s*=\s*"?([^"#]*)"?')


def _error(exc):
    return exc.strerror if isinstance(exc, (IOError, OSError)) and exc.strerror else str(exc)


def listening(path):
    """The interfaces a Debian ``/etc/default/isc-dhcp-server`` gives dhcpd (``INTERFACESv4``), or None."""
    if not os.path.exists(path):
        return None
    found = None
    with open(path) as handle:
        for line in handle:
            match = _INTERFACES.match(line)
            if match:
                found = match.group(1).split()
    return found


def read_kea(files):
    """``(configs, unread)`` of ``{host: [paths]}``: each host's files merged; why a host was not read."""
    configs, unread = {}, {}
    for host in sorted(files):
        merged = {}
        for path in sorted(p for p in files[host] if os.path.basename(p) in KEA_FILES):
            try:
                config = load(path)
            except DialectError as exc:
                unread[host] = str(exc)
                break
            except (IOError, OSError) as exc:
                unread[host] = "%s: %s" % (path, _error(exc))
                break
            if not isinstance(config, dict):
                unread[host] = "%s: holds no map but %s" % (path, type(config).__name__)
                break
            merged.update(config)
        else:
            configs[host] = merged
    return configs, unread


def read_isc(files, interfaces=None, runner=None, name="dhcpd.conf", family=4):
    """``({host: IscHost}, unread)``: each host's ``name`` read and translated; why a host was not."""
    hosts, unread = {}, {}
    for host in sorted(files):
        (path,) = [p for p in files[host] if os.path.basename(p) == name][:1] or [None]
        if path is None:
            continue
        try:
            conf, text = dhcpd.read(path)
            config, warnings = keama.convert(text, family, path, runner=runner)
        except keama.KeamaMissing:
            raise
        except (dhcpd.DhcpdError, keama.KeamaError) as exc:
            unread[host] = str(exc)
            continue
        except (IOError, OSError) as exc:
            unread[host] = "%s: %s" % (path, _error(exc))
            continue
        given = (interfaces or {}).get(host)
        heard = list(given) if given else listening(os.path.join(os.path.dirname(path), DEFAULTS_FILE))
        hosts[host] = isc.IscHost(host, path, conf, config["Dhcp%d" % family], warnings, heard)
    return hosts, unread


def adopt_files(files, central=None, unread=None, known_hosts=None, interfaces=None, ha_port=8001, runner=None):
    """The Adoption of ``{host: [paths]}`` (a host's files under ``DIR/<host>/``); ``unread`` as for ``adopt``."""
    kinds = dict((host, "isc" if any(os.path.basename(p) in ISC_FILES for p in paths) else "kea")
                 for host, paths in files.items())
    kea_hosts = dict((h, p) for h, p in files.items() if kinds[h] == "kea")
    isc_hosts = dict((h, p) for h, p in files.items() if kinds[h] == "isc")
    unread = dict(unread or {})
    if kea_hosts and isc_hosts:
        problem = ("hosts %s have Kea's files and hosts %s ISC DHCP's: adopt one kind of estate per run"
                   % (", ".join(sorted(kea_hosts)), ", ".join(sorted(isc_hosts))))
        return Adoption(None, {}, {}, None, [], [problem], [])
    if not isc_hosts:
        configs, more = read_kea(kea_hosts)
        unread.update(more)
        return adopt(configs, central=central, unread=unread, known_hosts=known_hosts)
    for host in sorted(isc_hosts):
        if not [p for p in isc_hosts[host] if os.path.basename(p) == "dhcpd.conf"]:
            unread[host] = ("has dhcpd6.conf but no dhcpd.conf: the relationships come from DHCPv4's failover "
                            "peers; left out")
    try:
        hosts, more = read_isc(isc_hosts, interfaces, runner)
        hosts6, more6 = read_isc(dict((h, p) for h, p in isc_hosts.items() if h in hosts), None, runner,
                                 "dhcpd6.conf", 6)
    except keama.KeamaMissing as exc:
        return Adoption(None, {}, {}, None, [], [str(exc)], [])
    unread.update(more)
    unread.update(more6)
    return adopt_isc(hosts, central, unread, known_hosts, ha_port, hosts6)


def _split(cleaned, order, families):
    """``(base, host_base)`` of each family's bases, under ``DhcpN`` when there are several."""
    if families == ["Dhcp4"]:
        return build.split_bases(dict((h, cleaned[h]["Dhcp4"]) for h in order))
    base, host_base = {}, {}
    for dhcp in families:
        hosts = [h for h in order if dhcp in cleaned[h]]
        shared, own = build.split_bases(dict((h, cleaned[h][dhcp]) for h in hosts)) if hosts else ({}, {})
        if shared:
            base[dhcp] = shared
        for host, rest in own.items():
            host_base.setdefault(host, {})[dhcp] = rest
    return base, host_base


def adopt_isc(hosts, central=None, unread=None, known_hosts=None, ha_port=8001, hosts6=None):
    """The Adoption of ``{host: IscHost}`` (and their dhcpd6.conf's): the topology, bases, what did not carry over."""
    problems = ["host '%s': %s" % (host, unread[host]) for host in sorted(unread or {})]
    topology, bases, found, notes = isc.build(hosts, 4, central, ha_port)
    problems.extend(found)
    if topology is None:
        return Adoption(None, {}, {}, None, [], problems, notes)
    if hosts6:
        notes.extend("host '%s' (%s): keama says: %s" % (h, hosts6[h].path, said) for h in sorted(hosts6)
                     for said in hosts6[h].warnings)
        bases = join_dhcp6(topology, bases, hosts6, problems, notes)
    else:
        bases = dict((h, {"Dhcp4": b}) for h, b in bases.items())
    cleaned, secret_problems, secret_notes = sanitise(bases)
    problems.extend(secret_problems)
    notes.extend(secret_notes)
    order = [topology["central"]] + [rel["branch"]["host"] for rel in topology["relationships"]]
    base, host_base = _split(cleaned, order, ["Dhcp4", "Dhcp6"] if hosts6 else ["Dhcp4"])
    adoption = Adoption(topology, base, host_base, None, order, problems, notes)
    try:
        load_topology(topology, base=base, host_base=host_base, known_hosts=known_hosts).configs(order)
    except TopologyError as exc:
        problems.extend(exc.problems)
    return adoption
