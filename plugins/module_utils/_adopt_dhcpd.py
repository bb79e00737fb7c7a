# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adopt, ISC DHCP: what keama leaves out of a ``dhcpd.conf``, its failover peers and the pools that name them.

Reads ``dhcpd.conf(5)`` far enough for failover: statements (words up to
``;``) and blocks (words, then ``{ ... }``), ``#`` comments, quoted strings,
``include "file";`` (read relative to the including file; an absolute path
from that file's directory under its base name, as for Kea's includes).
From them:

* each ``failover peer "NAME" { ... }`` declaration: its role (``primary`` or
  ``secondary``), ``address``, ``port``, ``peer address``, ``peer port`` and
  every other setting as written (``mclt``, ``split``, ``max-unacked-updates``...);
* each ``subnet``/``subnet6`` (in a ``shared-network`` or a ``group`` or not),
  its prefix, its shared network, and the failover peers its pools name;
* the ``host`` declarations (reservations) and ``range`` statements, counted.

Everything else in the file is keama's (``_adopt_keama``). ``text()`` gives
the file with its includes spliced in, which is what keama reads.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import re

MAX_DEPTH = 10
_INCLUDE = re.compile(r'^\s*include\s+"([^"]+)"\s*;\s*(#.*)?$')
_TOKEN = re.compile(r'\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"|[{};]|[^\s{};"#]+')


class DhcpdError(ValueError):
    """A dhcpd.conf adopt cannot read; ``str()`` is ``FILE line L: WHAT``."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = path, line, message
        super(DhcpdError, self).__init__("%s line %d: %s" % (path, line, message))


def _open(name, including):
    base = os.path.dirname(including)
    path = os.path.join(base, os.path.basename(name) if os.path.isabs(name) else name)
    with open(path) as handle:
        return path, handle.read()


def lines(path, text=None, opener=None, depth=0):
    """``[(path, line number, line)]`` of the file, includes spliced in where they stand."""
    if text is None:
        with open(path) as handle:
            text = handle.read()
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _INCLUDE.match(line)
        if not match:
            found.append((path, number, line))
            continue
        if depth >= MAX_DEPTH:
            raise DhcpdError(path, number, "includes nested more than %d deep" % MAX_DEPTH)
        try:
            included, content = (opener or _open)(match.group(1), path)
        except (IOError, OSError) as exc:
            raise DhcpdError(path, number, 'cannot include "%s" (%s)' % (match.group(1), exc.strerror or exc))
        found.extend(lines(included, content, opener, depth + 1))
    return found


class Statement(object):
    """Words up to ``;`` (``block`` None) or up to a ``{ ... }`` block (``block`` its statements)."""

    def __init__(self, words, path, line, block=None):
        self.words, self.path, self.line, self.block = words, path, line, block

    def starts(self, *words):
        return tuple(self.words[:len(words)]) == words


def parse(numbered):
    """The statements of ``lines()``'s output."""
    stack, words, start = [[]], [], None
    for path, number, line in numbered:
        at = 0
        for match in _TOKEN.finditer(line):
            if match.start() != at:
                raise DhcpdError(path, number, "cannot read '%s' (a string not closed?)" % line[at:].strip())
            at = match.end()
            token = match.group(0)
            if token.isspace() or token.startswith("#"):
                continue
            if start is None:
                start = (path, number)
            if token == ";":
                stack[-1].append(Statement(words, start[0], start[1]))
                words, start = [], None
            elif token == "{":
                block = Statement(words, start[0], start[1], [])
                stack[-1].append(block)
                stack.append(block.block)
                words, start = [], None
            elif token == "}":
                if words or len(stack) == 1:
                    raise DhcpdError(path, number, "unexpected '}'" if len(stack) == 1
                                     else "missing ';' before '}'")
                stack.pop()
                start = None
            else:
                words.append(token[1:-1] if token.startswith('"') else token)
        if at != len(line):
            raise DhcpdError(path, number, "cannot read '%s' (a string not closed?)" % line[at:].strip())
    if len(stack) > 1 or words:
        path, number = numbered[-1][:2] if numbered else ("", 0)
        raise DhcpdError(path, number, "unexpected end of file: a block is not closed" if len(stack) > 1
                         else "unexpected end of file: missing ';'")
    return stack[0]


class Peer(object):
    """One ``failover peer`` declaration."""

    def __init__(self, name, path, line):
        self.name, self.path, self.line = name, path, line
        self.role = None
        self.address = self.port = self.peer_address = self.peer_port = None
        self.settings = []          # (spelled setting, value) in the order written, role and addresses aside


class Subnet(object):
    """One subnet: its prefix, shared network (or None), the peers its pools name, its pools' ranges."""

    def __init__(self, prefix, network, path, line):
        self.prefix, self.network, self.path, self.line = prefix, network, path, line
        self.peers = []
        self.ranges = 0


class Conf(object):
    """What adopt needs of one dhcpd.conf: peers by name, subnets, host declarations, network pools' peers."""

    def __init__(self):
        self.peers = {}
        self.subnets = []
        self.hosts = 0
        self.network_peers = {}     # shared network -> peers named by its own pools (outside its subnets)


def _peer(statement):
    peer = Peer(statement.words[2] if len(statement.words) > 2 else "", statement.path, statement.line)
    for item in statement.block:
        words = item.words
        if words in (["primary"], ["secondary"]):
            peer.role = words[0]
        elif len(words) == 2 and words[0] in ("address", "port"):
            setattr(peer, words[0], words[1])
        elif len(words) == 3 and words[:2] in (["peer", "address"], ["peer", "port"]):
            setattr(peer, "peer_" + words[1], words[2])
        elif words:
            peer.settings.append((" ".join(words[:-1]) or words[0], words[-1] if len(words) > 1 else None))
    return peer


def _prefix(statement):
    words = statement.words
    try:
        if words[0] == "subnet" and len(words) >= 4 and words[2] == "netmask":
            return str(ipaddress.ip_network(u"%s/%s" % (words[1], words[3])))
        if words[0] == "subnet6" and len(words) >= 2:
            return str(ipaddress.ip_network(u"%s" % words[1]))
    except ValueError:
        pass
    raise DhcpdError(statement.path, statement.line, "cannot read the subnet '%s'" % " ".join(words))


def _pool_peers(statement):
    return [item.words[2] for item in statement.block or [] if item.starts("failover", "peer") and len(item.words) > 2]


def _walk(statements, conf, network=None, subnet=None):
    for statement in statements:
        words = statement.words
        if statement.block is None:
            if words and words[0] in ("range", "range6") and subnet is not None:
                subnet.ranges += 1
            continue
        if statement.starts("failover", "peer"):
            if "state" not in words and network is None and subnet is None:
                peer = _peer(statement)
                if peer.name in conf.peers:
                    raise DhcpdError(statement.path, statement.line, "failover peer \"%s\" declared twice" % peer.name)
                conf.peers[peer.name] = peer
        elif words and words[0] in ("subnet", "subnet6"):
            found = Subnet(_prefix(statement), network, statement.path, statement.line)
            conf.subnets.append(found)
            _walk(statement.block, conf, network, found)
        elif words and words[0] in ("pool", "pool6"):
            named = _pool_peers(statement)
            if subnet is not None:
                subnet.peers.extend(p for p in named if p not in subnet.peers)
                _walk(statement.block, conf, network, subnet)
            elif network is not None:
                conf.network_peers.setdefault(network, []).extend(named)
        elif words and words[0] == "shared-network":
            _walk(statement.block, conf, words[1] if len(words) > 1 else "", None)
        elif words and words[0] == "host":
            conf.hosts += 1
        elif words and words[0] in ("group", "class", "subclass"):
            _walk(statement.block, conf, network, subnet)


def read(path, text=None, opener=None):
    """``(Conf, flattened text)`` of a dhcpd.conf; raises DhcpdError or IOError."""
    numbered = lines(path, text, opener)
    conf = Conf()
    _walk(parse(numbered), conf)
    return conf, "\n".join(line for _path, _number, line in numbered) + "\n"
