# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kea's own load-time rules for a relationship: modes, roles, basic auth, TLS.

What Kea 2.6/3.0 refuse when they load a configuration, checked here first,
in Kea's words where Kea has them (``ha_config_parser.cc``, ``ha_config.cc``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.keadhcp.ha.plugins.module_utils import _schema as schema


def mode_rules(ctx, where, params):
    mode = params.get("mode")
    if mode == "hot-standby" or mode == "passive-backup":
        if params.get("delayed-updates-limit", 0) not in (0, None):
            ctx.problems.add(where, "'delayed-updates-limit' must be set to 0 in the %s configuration"
                             % mode.replace("-", " "))
    if mode in ("hot-standby", "load-balancing") and params.get("wait-backup-ack") is True:
        ctx.problems.add(where, "'wait-backup-ack' must be set to false in the %s configuration" % mode.replace("-", " "))


def peer_auth(ctx, where, value):
    user = value.get("basic-auth-user")
    if isinstance(user, str) and ":" in user:
        ctx.problems.add(where, "user '%s' must not contain a ':'" % user)
    if "basic-auth-password" in value and "basic-auth-password-file" in value:
        ctx.problems.add(where, "only one of basic-auth-password and basic-auth-password-file can be configured")
    if ("basic-auth-password" in value or "basic-auth-password-file" in value) and not user:
        ctx.problems.add(where, "a basic-auth password is set without 'basic-auth-user'; Kea would ignore it")


def tls_set(ctx, where, mapping):
    present = [k for k in schema.TLS_KEYS if mapping.get(k) is not None]
    if present and len(present) != len(schema.TLS_KEYS):
        missing = [k for k in schema.TLS_KEYS if k not in present]
        ctx.problems.add(where, "TLS needs all of trust-anchor, cert-file and key-file together; missing %s"
                         % ", ".join("'%s'" % k for k in missing))
    return bool(present)


def peer_pair(ctx, label, mode, params, branch, central):
    if branch.name == central.name:
        ctx.problems.add(label, "peer with name '%s' already specified (branch and central need different names)" % branch.name)
    roles = [branch.role, central.role]
    if None in roles:
        roles = []
    for role in ("primary", "secondary", "standby"):
        if roles.count(role) > 1:
            ctx.problems.add(label, "both peers have role '%s'; at most one %s is allowed" % (role, role))
    spelled = mode.replace("-", " ")
    if not roles:
        pass
    elif mode == "hot-standby":
        if "primary" not in roles:
            ctx.problems.add(label, "primary server required in the hot standby configuration")
        if "standby" not in roles:
            ctx.problems.add(label, "standby server required in the hot standby configuration")
        if "secondary" in roles:
            ctx.problems.add(label, "secondary servers not allowed in the hot standby configuration")
    elif mode == "load-balancing":
        if "primary" not in roles or "secondary" not in roles:
            ctx.problems.add(label, "load balancing needs one primary and one secondary server (roles: %s)" % ", ".join(roles))
        if "standby" in roles:
            ctx.problems.add(label, "standby servers not allowed in the %s configuration" % spelled)
    elif mode == "passive-backup":
        if "primary" not in roles:
            ctx.problems.add(label, "primary server required in the passive backup configuration")
        if "secondary" in roles or "standby" in roles:
            ctx.problems.add(label, "only primary and backup servers are allowed in the passive backup configuration")
    relationship_tls = tls_set(ctx, label, params)
    for peer in (branch, central):
        if peer.scheme == "https" and not (relationship_tls or any(peer.params.get(k) for k in schema.TLS_KEYS)):
            ctx.problems.add(peer.where, "url '%s' uses https, which needs trust-anchor, cert-file and key-file "
                             "(on the peer or the relationship)" % peer.url)
