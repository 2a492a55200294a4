"""Load: read YAML or JSON spec files, follow `$ref`s across files, map JSON pointers to file:line:col."""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from generator.errors import Location, SpecError

JSON = Any


def _string_key_resolvers() -> dict[Any, list[tuple[str, Any]]]:
    # Timestamps stay strings: specs are JSON data, and a date object would not round-trip.
    return {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }


class _SpecLoader(yaml.CSafeLoader):
    """A safe YAML loader whose mapping keys are strings and whose duplicate keys are errors."""

    yaml_implicit_resolvers = _string_key_resolvers()

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        result: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            text = _key_text(key)
            if text in result:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {text!r}", problem_mark=key_node.start_mark
                )
            result[text] = self.construct_object(value_node, deep=deep)
        return result


def _key_text(key: object) -> str:
    # YAML 1.1 reads `200:` as an int and `on:` as a bool; OpenAPI means the text.
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _construct_map(loader: _SpecLoader, node: yaml.Node) -> dict[Hashable, Any]:
    assert isinstance(node, yaml.MappingNode)
    return loader.construct_mapping(node, deep=True)


_SpecLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def escape_token(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_token(str(t)) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "#"):
        return []
    if pointer.startswith("#"):
        pointer = unquote(pointer[1:])
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape_token(t) for t in pointer[1:].split("/")]


@dataclass
class Document:
    """One parsed spec file: its data and the text it came from (for locations)."""

    path: Path
    data: JSON
    text: str
    _root_node: yaml.Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    @property
    def display_path(self) -> str:
        return _display(self.path)

    def get(self, pointer: str) -> JSON:
        """The value at a JSON pointer, or raise KeyError."""
        node = self.data
        for token in split_pointer(pointer):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise KeyError(pointer)
        return node

    def locate(self, pointer: str) -> Location:
        """The file:line:col of the value at `pointer` (of its key, for mapping members)."""
        node = self._compose()
        if node is None:
            return Location(self.display_path)
        mark = node.start_mark
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            tokens = []
        for token in tokens:
            child, key_mark = _child(node, token)
            if child is None:
                break
            node, mark = child, key_mark or child.start_mark
        return Location(self.display_path, mark.line + 1, mark.column + 1)

    def _compose(self) -> yaml.Node | None:
        # Composing keeps a node per value, so it is done once, and only when a location is asked.
        if not self._composed:
            self._composed = True
            try:
                self._root_node = yaml.compose(self.text, Loader=_SpecLoader)
            except (yaml.YAMLError, RecursionError):
                self._root_node = None
        return self._root_node


def _child(node: yaml.Node, token: str) -> tuple[yaml.Node | None, Any]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == token:
                return value_node, key_node.start_mark
    if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        return node.value[int(token)], None
    return None, None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_text(text: str, path: Path) -> JSON:
    """Parse YAML or JSON text; any syntax problem becomes a SpecError with its location."""
    display = _display(path)
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_SpecLoader)
    except json.JSONDecodeError as exc:
        raise SpecError.at(f"invalid JSON: {exc.msg}", Location(display, exc.lineno, exc.colno)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise SpecError.at(f"invalid YAML: {what}", where) from None
    except yaml.YAMLError as exc:
        raise SpecError.at(f"invalid YAML: {exc}", Location(display)) from None
    except RecursionError:
        raise SpecError.at("the document is nested too deeply to read", Location(display)) from None


def load_document(path: Path) -> Document:
    """Read and parse one file."""
    display = _display(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError.at("file not found", Location(display)) from None
    except OSError as exc:
        raise SpecError.at(f"cannot read file: {exc.strerror}", Location(display)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError.at(
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded",
            Location(display, line, column),
        ) from None
    return Document(path=path, data=parse_text(text, path), text=text)


@dataclass(frozen=True)
class RefTarget:
    """Where a `$ref` points: the document and the pointer inside it."""

    document: Document
    pointer: str

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.document.path), self.pointer)

    @property
    def value(self) -> JSON:
        return self.document.get(self.pointer)


class Workspace:
    """The root spec and every file its `$ref`s reach, loaded once each."""

    def __init__(self, root: Document) -> None:
        self.root = root
        self._documents: dict[Path, Document] = {root.path.resolve(): root}

    @classmethod
    def open(cls, path: Path) -> Workspace:
        return cls(load_document(path))

    @property
    def documents(self) -> list[Document]:
        return list(self._documents.values())

    def document(self, path: Path) -> Document:
        resolved = path.resolve()
        if resolved not in self._documents:
            self._documents[resolved] = load_document(path)
        return self._documents[resolved]

    def resolve(self, ref: str, base: Document, where: str) -> RefTarget:
        """Resolve `ref` found at pointer `where` of `base`; a broken ref is a SpecError there."""
        file_part, _, fragment = ref.partition("#")
        try:
            if file_part.startswith(("http://", "https://")):
                raise SpecError.at(
                    f"remote $ref {ref!r} is not supported: download it and use a relative path",
                    base.locate(where),
                )
            document = self.document(base.path.parent / unquote(file_part)) if file_part else base
            pointer = "" if not fragment else "#" + fragment
            tokens = split_pointer(pointer)
            canonical = join_pointer("", *tokens)
            document.get(canonical)
        except SpecError as exc:
            if file_part and exc.diagnostics[0].message in ("file not found",):
                raise SpecError.at(
                    f"$ref {ref!r}: file {file_part!r} not found", base.locate(where)
                ) from None
            raise
        except (KeyError, ValueError):
            raise SpecError.at(f"$ref {ref!r} cannot be resolved", base.locate(where)) from None
        return RefTarget(document, canonical)
