"""Load: read YAML or JSON spec files, follow `$ref`s across files, map JSON pointers to file:line:col."""

from __future__ import annotations

import json
import re
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


def read_settings(text: str) -> Any:
    """A small YAML file of sdkgen's own (a config, a style manifest): plain safe YAML, read by libyaml
    (PyYAML's pure-Python reader takes 10 ms for a style manifest, every run)."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _key_text(key: object) -> str:
    # YAML 1.1 reads `200:` as an int and `on:` as a bool; OpenAPI means the text.
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _construct_map(loader: _SpecLoader, node: yaml.Node) -> dict[Hashable, Any]:
    assert isinstance(node, yaml.MappingNode)
    return loader.construct_mapping(node, deep=True)


_SpecLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


# The keys of a path item that are operations (their HTTP methods, lower-case).
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def escape_token(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    if "~" not in token and "/" not in token:  # nearly every token: the walks make ~10^6 of them
        return token
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    if "~" not in token:
        return token
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    if len(tokens) == 1:
        token = tokens[0]
        return f"{pointer}/{token}" if isinstance(token, int) else f"{pointer}/{escape_token(token)}"
    return "/".join([pointer, *(str(t) if isinstance(t, int) else escape_token(t) for t in tokens)])


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

    @property
    def uri(self) -> str:
        """The file's `file://` URI: the base its `$ref`s resolve against in JSON Schema tools."""
        return self.path.resolve().as_uri()

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


MAX_DEPTH = 500  # nesting deeper than this is refused: no real spec comes close, and parsers overflow
MAX_VALUES = 5_000_000  # values a YAML document may expand to through its aliases
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def parse_text(text: str, path: Path) -> JSON:
    """Parse YAML or JSON text; any syntax problem becomes a SpecError with its location."""
    display = _display(path)
    if path.suffix.lower() == ".json":
        return _parse_json(text, display)
    return _parse_yaml(text, display)


def _at(display: str, text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(display, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<![0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_unicode(data: JSON, text: str, display: str) -> None:
    """Refuse a lone UTF-16 surrogate (`"\\ud800"`): valid JSON escape, but no character, and no file
    can hold it as UTF-8. Only looked for when the text has such an escape at all."""
    if not _SURROGATE_ESCAPE.search(text):
        return
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                match = _LONE_ESCAPE.search(text)
                where = _at(display, text, match.start(1)) if match else Location(display)
                message = "a string holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape)"
                raise SpecError.at(message, where)
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _parse_json(text: str, display: str) -> JSON:
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
        _check_unicode(data, text, display)
        return data
    except json.JSONDecodeError as exc:
        where = Location(display, exc.lineno, exc.colno)
        raise SpecError.at(f"invalid JSON: {_json_problem(text, exc)}", where) from None
    except _DuplicateKey as exc:
        # JSON text is YAML too, and the YAML loader knows where the second key is.
        try:
            yaml.load(text, Loader=_SpecLoader)
        except yaml.MarkedYAMLError as marked:
            if marked.problem_mark is not None:
                mark = marked.problem_mark
                where = Location(display, mark.line + 1, mark.column + 1)
                raise SpecError.at(f"invalid JSON: duplicate key {exc.key!r}", where) from None
        except (yaml.YAMLError, RecursionError):
            pass
        raise SpecError.at(f"invalid JSON: duplicate key {exc.key!r}", Location(display)) from None
    except RecursionError:
        raise _too_deep(display, text, _json_depth_offset(text)) from None


def _json_problem(text: str, exc: json.JSONDecodeError) -> str:
    """The decoder's message, with the usual cause when it is one of the common slips."""
    before = text[: exc.pos].rstrip()
    if exc.pos >= len(text.rstrip()):
        return "the text ends before every `{` and `[` is closed"
    if exc.msg.startswith("Expecting property name") and before.endswith(","):
        return "a comma before `}` (JSON allows no trailing comma)"
    if exc.msg.startswith("Expecting value") and before.endswith(",") and text[exc.pos] == "]":
        return "a comma before `]` (JSON allows no trailing comma)"
    if text[exc.pos] == "'":
        return "strings and names need double quotes, not single quotes"
    return exc.msg


def _json_depth_offset(text: str) -> int:
    """Where JSON text first nests deeper than MAX_DEPTH (strings skipped), or -1."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif char in "]}":
            depth -= 1
    return -1


def _too_deep(display: str, text: str, offset: int) -> SpecError:
    where = _at(display, text, offset) if offset >= 0 else Location(display)
    return SpecError.at(f"the document nests more than {MAX_DEPTH} levels deep; refusing to read it", where)


def _parse_yaml(text: str, display: str) -> JSON:
    _check_yaml_depth(text, display)
    try:
        data = yaml.load(text, Loader=_SpecLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        raise SpecError.at(f"invalid YAML: {_yaml_problem(text, exc)}", where) from None
    except yaml.YAMLError as exc:
        raise SpecError.at(f"invalid YAML: {exc}", Location(display)) from None
    except RecursionError:
        raise _too_deep(display, text, _yaml_depth_offset(text)) from None
    _check_unicode(data, text, display)
    if _expanded_size(data) > MAX_VALUES:
        message = f"YAML aliases expand the document to more than {MAX_VALUES:,} values; refusing to read it"
        raise SpecError.at(message, _first_alias(text, display))
    return data


def _yaml_problem(text: str, exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's message, said plainly for the common slips."""
    problem = exc.problem or ""
    mark = exc.problem_mark
    char = text[mark.index] if mark is not None and mark.index < len(text) else ""
    if "cannot start any token" in problem and char == "\t":
        return "a tab character; YAML indents with spaces only"
    if "mapping values are not allowed" in problem:
        return "`: ` cannot follow a plain value here: quote the value, or fix the indentation"
    context_line = exc.context_mark.line + 1 if exc.context_mark is not None else 0
    # libyaml (the C loader) and PyYAML word these differently.
    misaligned = "expected key" in problem or problem.startswith("expected <block end>")
    if "block mapping" in (exc.context or "") and context_line and misaligned:
        return f"this line does not line up with the block that starts on line {context_line}"
    if "flow" in (exc.context or "") and mark is not None and mark.index >= len(text.rstrip()):
        return "the text ends inside a `[...]` or `{...}`"
    if "found unexpected end of stream" in problem and context_line:
        return f"a quoted string opened on line {context_line} is never closed"
    if "but found another document" in problem:
        return "more than one YAML document (`---`); a spec is a single document"
    if "could not determine a constructor" in problem:
        tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return f"unsupported YAML tag {tag} (only plain YAML is read)"
    return " ".join(p for p in (exc.context, problem) if p)


def _check_yaml_depth(text: str, display: str) -> None:
    """Refuse deep flow nesting before the C parser sees it: past ~40,000 levels it overflows the stack."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = deepest = 0
    for char in re.findall(r"[\[\]{}]", text):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:  # brackets inside strings only make this an overestimate
        offset = _yaml_depth_offset(text)
        if offset >= 0:
            raise _too_deep(display, text, offset)


_OPENING = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
_CLOSING = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _yaml_depth_offset(text: str) -> int:
    """Where YAML text first nests deeper than MAX_DEPTH, or -1. The pure-Python scanner makes tokens
    one at a time, each with its position: no recursion, whatever the depth."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(token.start_mark.index)
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        pass  # a syntax error: the real parser reports it with its position
    return -1


def _expanded_size(data: JSON) -> int:
    """How many values the data holds, shared ones (YAML aliases) counted each time they appear.

    Iterative (any depth) and memoised (a shared value is sized once); PyYAML refuses recursive aliases.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, ready = stack.pop()
        if not isinstance(node, dict | list) or id(node) in sizes:
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        containers = [c for c in children if isinstance(c, dict | list)]
        if ready:
            total = len(children) + sum(sizes.get(id(c), 0) for c in containers)
            sizes[id(node)] = min(total, MAX_VALUES + 1)
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in containers if id(c) not in sizes)
    return sizes.get(id(data), 1)


def _first_alias(text: str, display: str) -> Location:
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.AliasToken):
            return Location(display, token.start_mark.line + 1, token.start_mark.column + 1)
    return Location(display)


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
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SpecError.at("the file is UTF-16 text: save it as UTF-8", Location(display, 1, 1)) from None
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError.at(
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded",
            Location(display, line, column),
        ) from None
    return Document(path=path, data=parse_text(text, path), text=text)


@dataclass(frozen=True)
class RefTarget:
    """Where a `$ref` points: the document and the pointer inside it, and the value there."""

    document: Document
    pointer: str
    value: JSON = field(compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.document.path), self.pointer)


class Workspace:
    """The root spec and every file its `$ref`s reach, loaded once each."""

    def __init__(self, root: Document) -> None:
        self.root = root
        self._documents: dict[Path, Document] = {root.path.resolve(): root}
        # Big specs say the same `$ref` thousands of times (GitHub: ~40,000 refs, ~3,000 targets).
        self._resolved: dict[tuple[int, str], RefTarget] = {}

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
        known = self._resolved.get((id(base), ref))
        if known is None:
            known = self._resolved[(id(base), ref)] = self._resolve(ref, base, where)
        return known

    def _resolve(self, ref: str, base: Document, where: str) -> RefTarget:
        file_part, _, fragment = ref.partition("#")
        if file_part.startswith(("http://", "https://")):
            message = f"remote $ref {ref!r} is not supported: download it and use a relative path"
            raise SpecError.at(message, base.locate(where))
        try:
            document = self.document(base.path.parent / unquote(file_part)) if file_part else base
        except SpecError as exc:
            first = exc.diagnostics[0]
            if first.location is not None and first.location.line:
                raise  # a problem inside the file, located there
            raise SpecError.at(f"$ref {ref!r}: {file_part}: {first.message}", base.locate(where)) from None
        try:
            tokens = split_pointer("#" + fragment if fragment else "")
        except ValueError:
            example = "'#/components/schemas/Pet'"
            message = f"$ref {ref!r}: after `#` comes a JSON pointer, which starts with `/` (as in {example})"
            raise SpecError.at(message, base.locate(where)) from None
        canonical = join_pointer("", *tokens)
        try:
            value = document.get(canonical)
        except KeyError:
            raise SpecError.at(f"$ref {ref!r}: {_missing(document, tokens)}", base.locate(where)) from None
        return RefTarget(document, canonical, value)


def _missing(document: Document, tokens: list[str]) -> str:
    """What is missing on the way to a pointer: `there is no 'Nope' in #/components/schemas`."""
    for index in range(len(tokens)):
        parent = join_pointer("", *tokens[:index])
        try:
            document.get(join_pointer("", *tokens[: index + 1]))
        except KeyError:
            inside = f"in #{parent}" if parent else "at the top level"
            return f"there is no {tokens[index]!r} {inside}"
    return "it cannot be resolved"
