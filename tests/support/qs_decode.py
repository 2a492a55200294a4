"""A decoder with the semantics of npm `qs.parse` (6.x), for the scripted server and the tests.

`a[b][c]=1` nests objects, `a[0]=x` and `a[]=x` make arrays (sparse indices compacted, as qs
does), a repeated plain key (`a=1&a=2`) becomes an array. Limits are those the tests give qs
(`depth: 100, arrayLimit: 10000`). It is checked against qs itself in
tests/conformance/test_encoding_properties.py, on every string the property tests encode.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

ARRAY_LIMIT = 10_000
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


class _Slots(dict[Any, Any]):
    """An array under construction: index -> value (qs compacts the indices afterwards)."""


def qs_parse(text: str) -> dict[str, Any]:
    """`text` (a query string or form body, without `?`) as qs.parse returns it."""
    root: dict[str, Any] = {}
    for part in text.split("&"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        assign(root, key_path(unquote_plus(key)), unquote_plus(value) if sep else "")
    return finish(root)  # type: ignore[no-any-return]


def key_path(key: str) -> list[str]:
    """`a[b][0]` -> ["a", "b", "0"]; "" stands for `[]` (push). Text after the last bracket, or an
    unbalanced bracket, stays part of the segment, as in qs."""
    first = key.find("[")
    if first <= 0:
        return [key]
    path = [key[:first]]
    position = first
    for match in _SEGMENT.finditer(key, first):
        if match.start() != position:
            break
        path.append(match.group(1))
        position = match.end()
    if position < len(key):
        path.append(key[position:])
    return path


def assign(node: dict[Any, Any], path: list[str], value: Any) -> None:
    """Put `value` at `path`, combining with what is there as qs's merge does."""
    head, rest = path[0], path[1:]
    if not rest:
        _leaf(node, head, value)
        return
    child = node.get(head)
    wants_array = rest[0] == "" or (
        rest[0].isdigit() and str(int(rest[0])) == rest[0] and int(rest[0]) <= ARRAY_LIMIT
    )
    if not isinstance(child, dict):
        child = _Slots() if wants_array else {}
        if head in node:  # a scalar already there: qs keeps both in an array
            child = _Slots({0: node[head]}) if wants_array else child
        node[head] = child
    elif isinstance(child, _Slots) and not wants_array:
        converted = {str(k): v for k, v in child.items()}
        node[head] = child = converted
    key: Any = rest[0]
    if isinstance(child, _Slots):  # `[]` appends; `[n]` is slot n
        key = max(child, default=-1) + 1 if rest[0] == "" else int(rest[0])
    assign(child, [key, *rest[1:]], value)


def _leaf(node: dict[Any, Any], key: Any, value: Any) -> None:
    if key not in node:
        node[key] = value
    elif isinstance(node[key], list):
        node[key].append(value)
    else:
        node[key] = [node[key], value]


def finish(node: Any) -> Any:
    """Arrays under construction as lists (indices compacted in order), recursively."""
    if isinstance(node, _Slots):
        return [finish(node[index]) for index in sorted(node)]
    if isinstance(node, dict):
        return {key: finish(value) for key, value in node.items()}
    if isinstance(node, list):
        return [finish(item) for item in node]
    return node


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: its name, headers (lower-case names) and bytes."""

    name: str
    headers: dict[str, str]
    data: bytes
    filename: str | None


def multipart_parts(body: bytes, content_type: str) -> list[Part]:
    """The parts of a `multipart/form-data` body, in the order sent."""
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    parts = []
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk[2:].partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name_match = re.search(r'name="([^"]*)"', disposition)
        file_match = re.search(r'filename="([^"]*)"', disposition)
        parts.append(
            Part(
                name_match.group(1) if name_match else "",
                headers,
                data[:-2] if data.endswith(b"\r\n") else data,
                file_match.group(1) if file_match else None,
            )
        )
    return parts


def decode_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """Text parts nest by name as in a query string; a JSON part is its value; a file its bytes."""
    root: dict[str, Any] = {}
    for part in multipart_parts(body, content_type):
        media = part.headers.get("content-type", "text/plain").split(";")[0].strip()
        if part.filename is not None:
            value: Any = part.data
        elif media == "application/json" or media.endswith("+json"):
            value = json.loads(part.data)
        else:
            value = part.data.decode()
        assign(root, key_path(part.name), value)
    return finish(root)  # type: ignore[no-any-return]
