"""Overlay: apply OpenAPI Overlay 1.0 documents (actions of a JSONPath target and an update or a remove).

An overlay patches a spec without editing it: `sdkgen overlay SPEC OVERLAY -o OUT` writes the result
elsewhere, and `overlays:` in sdkgen.yaml applies them in memory before generation. The spec file is
never written.

JSONPath subset (RFC 9535 syntax, the part overlays need to address one place or a few):

- `$` the document; `.name` a member (letters, digits, `_`, not starting with a digit);
- `['any name']` or `["any name"]` a member by its exact name (`\\'`, `\\"` and `\\\\` escaped), e.g.
  `$.paths['/v1/invoices/{id}'].get`;
- `[0]`, `[-1]` an array element; `.*` or `[*]` every member or element.

Filters (`[?...]`), descendants (`..`), slices and unions are refused with the action's file:line.
An action whose target matches nothing, or whose update does not fit what it matches, is an error too.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Location, SpecError
from generator.spec.load import Document, join_pointer, load_document

_NAME = re.compile(r"[A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_\u0080-\U0010ffff]*")
_INDEX = re.compile(r"-?\d+")
_ACTION_KEYS = ("target", "description", "update", "remove")
_TOP_KEYS = ("overlay", "info", "extends", "actions")
WILDCARD = object()  # the `*` selector

Selector = str | int | object


@dataclass(frozen=True)
class Action:
    target: str
    selectors: tuple[Selector, ...]
    update: Any
    remove: bool
    location: Location  # of the action's `target`, for messages
    has_update: bool = True


@dataclass(frozen=True)
class Overlay:
    document: Document
    actions: list[Action]


class PathError(ValueError):
    """A JSONPath outside the subset, with the column (0-based) where reading stopped."""


def parse_path(text: str) -> tuple[Selector, ...]:
    """`$.paths['/a'].get` -> ('paths', '/a', 'get'); raise PathError for what the subset lacks."""
    if not text.startswith("$"):
        raise PathError("a target starts with `$` (the document)")
    selectors: list[Selector] = []
    at = 1
    while at < len(text):
        selector, at = _selector(text, at)
        selectors.append(selector)
    return tuple(selectors)


def _selector(text: str, at: int) -> tuple[Selector, int]:
    if text.startswith("..", at):
        raise PathError(f"`..` (descendants) at column {at + 1} is not supported: name each step")
    if text[at] == ".":
        if text.startswith("*", at + 1):
            return WILDCARD, at + 2
        match = _NAME.match(text, at + 1)
        if match is None:
            raise PathError(f"a member name after `.` at column {at + 1} (use ['...'] for other names)")
        return match.group(), match.end()
    if text[at] == "[":
        return _bracket(text, at)
    raise PathError(f"unexpected {text[at]!r} at column {at + 1}: expected `.name` or `[...]`")


def _bracket(text: str, at: int) -> tuple[Selector, int]:
    inner = at + 1
    if text.startswith("*]", inner):
        return WILDCARD, inner + 2
    if inner < len(text) and text[inner] in "'\"":
        return _quoted(text, inner)
    match = _INDEX.match(text, inner)
    if match is not None and text.startswith("]", match.end()):
        return int(match.group()), match.end() + 1
    what = "filters (`[?...]`)" if text.startswith("?", inner) else "this selector"
    raise PathError(f"{what} at column {at + 1} not supported: use ['name'], [index] or [*]")


def _quoted(text: str, at: int) -> tuple[str, int]:
    quote, name, index = text[at], [], at + 1
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            name.append(text[index + 1])
            index += 2
            continue
        if char == quote:
            if not text.startswith("]", index + 1):
                raise PathError(f"`]` expected after the name at column {index + 2}")
            return "".join(name), index + 2
        name.append(char)
        index += 1
    raise PathError(f"the name opened at column {at + 1} is not closed")


def path_of(tokens: Sequence[str | int]) -> str:
    """The JSONPath of a place given by its keys: `.name` where it can, `['...']` otherwise."""
    parts = ["$"]
    for token in tokens:
        if isinstance(token, int):
            parts.append(f"[{token}]")
        elif _NAME.fullmatch(token):
            parts.append(f".{token}")
        else:
            escaped = token.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)


# --- reading an overlay --------------------------------------------------------------------------


def load_overlay(path: Path) -> Overlay:
    """Read and check an overlay; what is wrong is a SpecError at its file:line."""
    document = load_document(path)
    data = document.data
    if not isinstance(data, dict):
        raise SpecError.at(
            "an overlay is a mapping with `overlay`, `info` and `actions`", document.locate("")
        )
    version = data.get("overlay")
    if not isinstance(version, str) or not re.fullmatch(r"1\.\d+\.\d+", version):
        raise SpecError.at(
            "`overlay` must be the Overlay version, such as 1.0.0", _where(document, "overlay")
        )
    info = data.get("info")
    if not isinstance(info, dict) or not all(isinstance(info.get(k), str) for k in ("title", "version")):
        raise SpecError.at("`info` needs a `title` and a `version` (strings)", _where(document, "info"))
    _no_unknown_keys(document, "", data, _TOP_KEYS)
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise SpecError.at("`actions` must be a non-empty list", _where(document, "actions"))
    return Overlay(document, [_action(document, entry, index) for index, entry in enumerate(actions)])


def _action(document: Document, entry: Any, index: int) -> Action:
    pointer = join_pointer("/actions", index)
    if not isinstance(entry, dict):
        raise SpecError.at(
            "an action is a mapping with `target` and `update` or `remove`", document.locate(pointer)
        )
    _no_unknown_keys(document, pointer, entry, _ACTION_KEYS)
    target = entry.get("target")
    where = document.locate(join_pointer(pointer, "target") if "target" in entry else pointer)
    if not isinstance(target, str):
        raise SpecError.at("an action needs a `target` (a JSONPath such as $.info)", where)
    try:
        selectors = parse_path(target)
    except PathError as error:
        raise SpecError.at(f"target {target!r}: {error}", where) from None
    remove = entry.get("remove", False)
    if not isinstance(remove, bool):
        raise SpecError.at("`remove` must be true or false", document.locate(join_pointer(pointer, "remove")))
    if not remove and "update" not in entry:
        raise SpecError.at("an action needs an `update`, or `remove: true`", document.locate(pointer))
    return Action(target, selectors, entry.get("update"), remove, where, "update" in entry)


def _no_unknown_keys(document: Document, pointer: str, data: dict[str, Any], known: tuple[str, ...]) -> None:
    for key in data:
        if str(key) not in known and not str(key).startswith("x-"):
            expected = ", ".join(known)
            where = document.locate(join_pointer(pointer, str(key)))
            raise SpecError.at(f"unknown key {str(key)!r}; expected one of: {expected} (or x-...)", where)


def _where(document: Document, key: str) -> Location:
    data = document.data
    return document.locate(f"/{key}" if isinstance(data, dict) and key in data else "")


# --- applying ------------------------------------------------------------------------------------


def apply_overlays(data: Any, overlays: Sequence[Overlay]) -> Any:
    """A copy of `data` with every overlay's actions applied in order; `data` is left as it was."""
    result = copy.deepcopy(data)
    for overlay in overlays:
        for action in overlay.actions:
            result = _apply(result, action)
    return result


def _apply(data: Any, action: Action) -> Any:
    places = list(_select(data, action.selectors))
    if not places:
        raise SpecError.at(f"target {action.target!r} matches nothing in the spec", action.location)
    if action.remove:
        if any(parent is None for parent, _ in places):
            raise SpecError.at("`remove` cannot remove the whole document", action.location)
        for parent, key in sorted(places, key=_removal_order):
            del parent[key]
        return data
    for parent, key in places:
        current = data if parent is None else parent[key]
        merged = _updated(current, action)
        if parent is None:
            data = merged
        else:
            parent[key] = merged
    return data


def _removal_order(place: tuple[Any, Any]) -> tuple[int, int]:
    # Later array elements first, so that removing one does not move the next one's index.
    _, key = place
    return (0, -key) if isinstance(key, int) else (1, 0)


def _updated(current: Any, action: Action) -> Any:
    if isinstance(current, list):
        return [*current, copy.deepcopy(action.update)]  # Overlay 1.0: an update of an array appends
    if isinstance(current, dict) and isinstance(action.update, dict):
        return _merge(current, action.update)
    what = "a mapping" if isinstance(current, dict) else f"a {type(current).__name__} value"
    raise SpecError.at(
        f"target {action.target!r} selects {what}: an update must be a mapping merged into a mapping, "
        "or an entry appended to a list",
        action.location,
    )


def _merge(target: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Overlay 1.0 merge: mappings recursively, anything else replaced by the update's value."""
    merged = dict(target)
    for key, value in update.items():
        old = merged.get(key)
        merged[key] = (
            _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else copy.deepcopy(value)
        )
    return merged


def _select(data: Any, selectors: tuple[Selector, ...]) -> Iterator[tuple[Any, Any]]:
    """(parent, key) of every place the selectors reach; (None, None) for the document itself."""
    places: list[tuple[Any, Any]] = [(None, None)]
    for selector in selectors:
        following: list[tuple[Any, Any]] = []
        for parent, key in places:
            value = data if parent is None else parent[key]
            following += _children(value, selector)
        places = following
    yield from places


def _children(value: Any, selector: Selector) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        if selector is WILDCARD:
            return [(value, key) for key in value]
        return [(value, selector)] if isinstance(selector, str) and selector in value else []
    if isinstance(value, list):
        if selector is WILDCARD:
            return [(value, index) for index in range(len(value))]
        if isinstance(selector, int) and -len(value) <= selector < len(value):
            return [(value, selector % len(value))]
    return []


def overlaid(path: Path, overlay_paths: Sequence[Path]) -> Document:
    """The spec at `path` with the overlays applied, in memory, as a document of the same path (so its
    `$ref`s to other files resolve as before). Its text is the result, for locations."""
    original = load_document(path)
    overlays = [load_overlay(overlay) for overlay in overlay_paths]
    data = apply_overlays(original.data, overlays)
    return Document(path, data, dump_spec(data, path))


def dump_spec(data: Any, path: Path) -> str:
    """A spec as text: JSON for a `.json` path, else YAML; keys in the order they have."""
    if path.suffix.lower() == ".json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
