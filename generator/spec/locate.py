"""JSON locate: the file:line:col of a JSON pointer in JSON text, without composing a YAML node tree."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]

from generator.errors import Location
from generator.spec.load import Document, split_pointer

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass
class _Container:
    """An object or array of the text, read lazily: members are parsed only as far as a lookup needs."""

    kind: str  # "{" or "["
    next: int  # where parsing resumes; -1 once the closing bracket was reached
    members: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (key offset, value offset)
    items: list[int] = field(default_factory=list)  # item value offsets


class JsonLocator:
    """Maps JSON pointers to offsets in one JSON text.

    Composing a 13 MB spec with the YAML loader (what Document.locate does) takes seconds; this reads
    only the containers a pointer passes through, up to the member it names, skipping earlier values
    with the C JSON decoder, and remembers what it read for the next pointer.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._containers: dict[int, _Container] = {}
        self._counted = (0, 1)  # an offset and its line: lines are counted on from the last one asked

    def offset(self, pointer: str) -> int | None:
        """The offset of the value (the key, for object members) the pointer names; None if unreadable.

        A pointer that goes past what the text holds stops at the deepest value it reached, as
        Document.locate does.
        """
        try:
            tokens = split_pointer(pointer)
            value_at = self._skip_space(0)
            mark = value_at
            for token in tokens:
                found = self._child(value_at, token)
                if found is None:
                    break
                mark, value_at = found
            return mark
        except (ValueError, IndexError):  # not JSON after all, or not the text the data came from
            return None

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        start, line = self._counted if offset >= self._counted[0] else (0, 1)
        line += self._text.count("\n", start, offset)
        self._counted = (offset, line)
        return line, offset - (self._text.rfind("\n", 0, offset) + 1) + 1

    def _child(self, at: int, token: str) -> tuple[int, int] | None:
        char = self._text[at : at + 1]
        if char not in ("{", "["):
            return None
        container = self._containers.get(at)
        if container is None:
            container = self._containers[at] = _Container(char, self._skip_space(at + 1))
        if char == "{":
            while token not in container.members and container.next >= 0:
                self._read_member(container)
            return container.members.get(token)
        if not token.isdigit():
            return None
        wanted = int(token)
        while len(container.items) <= wanted and container.next >= 0:
            self._read_item(container)
        if wanted >= len(container.items):
            return None
        return container.items[wanted], container.items[wanted]

    def _read_member(self, container: _Container) -> None:
        at = container.next
        if self._text[at] == "}":
            container.next = -1
            return
        key, after_key = scanstring(self._text, at + 1)
        colon = self._skip_space(after_key)
        if self._text[colon] != ":":
            raise ValueError("expected ':'")
        value_at = self._skip_space(colon + 1)
        container.members[key] = (at, value_at)  # a repeated key: the last one wins, as in json.loads
        container.next = self._after_value(value_at, "}")

    def _read_item(self, container: _Container) -> None:
        at = container.next
        if self._text[at] == "]":
            container.next = -1
            return
        container.items.append(at)
        container.next = self._after_value(at, "]")

    def _after_value(self, at: int, closing: str) -> int:
        """The offset of the next member or item after the value at `at`; -1 after the last one."""
        _, end = _DECODER.raw_decode(self._text, at)
        end = self._skip_space(end)
        if self._text[end] == ",":
            return self._skip_space(end + 1)
        if self._text[end] == closing:
            return -1
        raise ValueError(f"expected ',' or {closing!r}")

    def _skip_space(self, at: int) -> int:
        found = _SPACE.match(self._text, at)
        return found.end() if found else at


def is_json_text(text: str) -> bool:
    """Whether a spec text is JSON (its first character opens an object or array)."""
    stripped = text.lstrip(" \t\r\n\ufeff")
    return stripped[:1] in ("{", "[")


def locate(document: Document, pointer: str, locator: JsonLocator | None = None) -> Location:
    """Document.locate, fast for JSON text: pass the document's JsonLocator to reuse what it read."""
    if locator is None and not is_json_text(document.text):
        return document.locate(pointer)
    locator = locator or JsonLocator(document.text)
    offset = locator.offset(pointer)
    if offset is None:
        return document.locate(pointer)
    line, column = locator.line_column(offset)
    return Location(document.display_path, line, column)
