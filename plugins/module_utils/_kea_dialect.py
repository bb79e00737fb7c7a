# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kea's configuration dialect, read as Kea reads it: JSON with comments and includes.

What Kea's lexers (``src/bin/dhcp4/dhcp4_lexer.ll`` and its siblings) accept
on top of JSON, and so what this reader accepts:

* comments ``# ...`` and ``// ...`` to the end of the line, ``/* ... */``
  over several lines (not nested);
* ``<?include "path"?>`` anywhere between tokens: the file's text is read in
  its place (11 includes deep at most, as for Kea);
* a comma before a closing ``]`` or ``}`` (Kea 2.6 and 3.0 warn and go on).

An include is read relative to the file that names it (Kea opens it from its
own working directory, which for a file copied from a server is meaningless);
an absolute path is read from the including file's directory under its base
name, as copies of ``/etc/kea`` keep the included files beside the others.
Nothing outside the configuration's own directory tree is ever opened.

Errors are ``DialectError`` naming the file, line and column (1-based), and
Kea's own wording where Kea has one ("Comment not closed", "Directive not
closed", "Too many nested include", "JSON true reserved keyword is lower case
only"). A key given twice in one map is an error, as it is for Kea.

Pure Python, no Ansible import.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import bisect
import json
import os
import re

MAX_DEPTH = 10
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INCLUDE = re.compile(r'<\?\s*include\s*"([^"\n]+)"\s*\?>')
_KEYWORDS = {"true": True, "false": False, "null": None}


class DialectError(ValueError):
    """A configuration Kea would not read; ``str()`` is ``FILE line L column C: WHAT``."""

    def __init__(self, path, line, column, message):
        self.path, self.line, self.column, self.message = path, line, column, message
        super(DialectError, self).__init__("%s line %d column %d: %s" % (path, line, column, message))


class _Token(object):
    __slots__ = ("kind", "value", "path", "line", "column")

    def __init__(self, kind, value, path, line, column):
        self.kind, self.value, self.path, self.line, self.column = kind, value, path, line, column


class _Lines(object):
    """Line and column (1-based) of an offset in a text."""

    def __init__(self, text):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def __call__(self, index):
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def _open_include(name, including):
    base = os.path.dirname(including)
    path = os.path.join(base, os.path.basename(name) if os.path.isabs(name) else name)
    with open(path) as handle:
        return path, handle.read()


def _tokens(text, path, opener, comments, depth):
    """Kea's lexer: the tokens of ``text``, those of its includes spliced in."""
    found, index, size = [], 0, len(text)
    where = _Lines(text)
    while index < size:
        char = text[index]
        if char in " \t\r\n":
            index += 1
        elif char == "#" or text.startswith("//", index):
            end = text.find("\n", index)
            end = size if end < 0 else end
            if comments is not None and char == "/":
                comments.append((path, where(index)[0], text[index + 2:end].rstrip()))
            index = end
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            if end < 0:
                line, column = where(index)
                raise DialectError(path, line, column, "Comment not closed. (/* in line %d)" % line)
            index = end + 2
        elif text.startswith("<?", index):
            match = _INCLUDE.match(text, index)
            line, column = where(index)
            if not match:
                raise DialectError(path, line, column, 'Directive not closed: expected <?include "FILE"?>')
            if depth > MAX_DEPTH:    # Kea's test: more than 10 includes already open
                raise DialectError(path, line, column, "Too many nested include.")
            try:
                included, content = opener(match.group(1), path)
            except (IOError, OSError) as exc:
                raise DialectError(path, line, column, "Can't open include file %s (%s)"
                                   % (match.group(1), exc.strerror or exc))
            found.extend(_tokens(content, included, opener, comments, depth + 1))
            index = match.end()
        elif char == '"':
            line, column = where(index)
            value, index = _string(text, index, path, line, column)
            found.append(_Token("string", value, path, line, column))
        elif char in "[]{},:":
            found.append(_Token(char, char, path, *where(index)))
            index += 1
        else:
            line, column = where(index)
            number = _NUMBER.match(text, index)
            word = _WORD.match(text, index)
            if number:
                spelled = number.group(0)
                value = float(spelled) if number.group(1) or number.group(2) else int(spelled)
                found.append(_Token("value", value, path, line, column))
                index = number.end()
            elif word and word.group(0) in _KEYWORDS:
                found.append(_Token("value", _KEYWORDS[word.group(0)], path, line, column))
                index = word.end()
            elif word and word.group(0).lower() in _KEYWORDS:
                raise DialectError(path, line, column, "JSON %s reserved keyword is lower case only"
                                   % word.group(0).lower())
            else:
                raise DialectError(path, line, column, "Invalid character: %s" % char)
    return found


def _string(text, index, path, line, column):
    end = index + 1
    while True:
        end = text.find('"', end)
        if end < 0 or "\n" in text[index:end]:
            raise DialectError(path, line, column, "string not closed on its line")
        backslashes = len(text[index + 1:end]) - len(text[index + 1:end].rstrip("\\"))
        if backslashes % 2 == 0:
            break
        end += 1
    raw = text[index:end + 1]
    for escape in re.finditer(r"\\u([0-9A-Fa-f]{4})", raw):
        if not escape.group(1).startswith("00"):
            raise DialectError(path, line, column, "Unsupported unicode escape in %s" % raw)
    try:
        return json.loads(raw), end + 1
    except ValueError:
        raise DialectError(path, line, column, "Bad escape or control character in %s" % raw)


class _Parser(object):
    def __init__(self, tokens, path, text):
        self.tokens, self.at = tokens, 0
        self.end = (path,) + _Lines(text)(len(text))

    def fail(self, token, message):
        if token is None:
            raise DialectError(self.end[0], self.end[1], self.end[2], "unexpected end of file: " + message)
        raise DialectError(token.path, token.line, token.column, message)

    def next(self):
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        self.at += 1
        return token

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def value(self):
        token = self.next()
        if token is not None and token.kind in ("string", "value"):
            return token.value
        if token is not None and token.kind == "{":
            return self.mapping()
        if token is not None and token.kind == "[":
            return self.sequence()
        self.fail(token, "expected a value, found %s" % _shown(token))

    def mapping(self):
        found, where = {}, {}
        while True:
            token = self.next()
            if token is not None and token.kind == "}":
                return found
            if token is None or token.kind != "string":
                self.fail(token, "expected a quoted key or '}', found %s" % _shown(token))
            if token.value in found:
                self.fail(token, "duplicate %s entries in JSON map (previous at line %d column %d)"
                          % (token.value, where[token.value].line, where[token.value].column))
            colon = self.next()
            if colon is None or colon.kind != ":":
                self.fail(colon, "expected ':' after \"%s\", found %s" % (token.value, _shown(colon)))
            found[token.value], where[token.value] = self.value(), token
            after = self.next()
            if after is None or after.kind not in (",", "}"):
                self.fail(after, "expected ',' or '}' after the value of \"%s\", found %s"
                          % (token.value, _shown(after)))
            if after.kind == "}":
                return found

    def sequence(self):
        found = []
        while True:
            token = self.peek()
            if token is not None and token.kind == "]":
                self.next()
                return found
            found.append(self.value())
            after = self.next()
            if after is None or after.kind not in (",", "]"):
                self.fail(after, "expected ',' or ']' in a list, found %s" % _shown(after))
            if after.kind == "]":
                return found


def _shown(token):
    if token is None:
        return "nothing"
    if token.kind == "string":
        return json.dumps(token.value)
    if token.kind == "value":
        return json.dumps(token.value)
    return "'%s'" % token.value


def loads(text, path="<string>", opener=None, comments=None):
    """The value ``text`` holds, read as Kea reads it; ``path`` names it in errors and resolves its includes.

    ``opener(name, including_path) -> (path, text)`` reads an include (default:
    beside the including file, see the module's doc). ``comments``, a list,
    receives ``(path, line, text)`` for each ``//`` comment, in order.
    """
    tokens = _tokens(text, path, opener or _open_include, comments, 0)
    parser = _Parser(tokens, path, text)
    value = parser.value()
    extra = parser.next()
    if extra is not None:
        parser.fail(extra, "unexpected %s after the configuration's end" % _shown(extra))
    return value


def load(path, comments=None):
    """The configuration in the file ``path`` (includes beside it); raises DialectError or IOError."""
    with open(path) as handle:
        text = handle.read()
    return loads(text, path, comments=comments)
