"""Params: decode path, query, header and cookie parameter text into JSON values, by style and schema."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, unquote_plus

from generator.spec.refs import Node

_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_SPLIT = {"spaceDelimited": re.compile(r"%20|\+| "), "pipeDelimited": re.compile(r"%7[cC]|\|")}
_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}


class ParamError(ValueError):
    """A parameter's text cannot be decoded (e.g. a `content` parameter that is not JSON)."""


@dataclass(frozen=True)
class Shape:
    """What decoding needs of a schema: array, object or scalar, and the JSON types text may become."""

    kind: str = "scalar"
    types: frozenset[str] = frozenset()  # of the value (scalar) or of its items (array)
    properties: dict[str, Shape] = field(default_factory=dict)  # object: one level deep

    def of(self, name: str) -> Shape:
        return self.properties.get(name) or Shape()


@dataclass(frozen=True)
class Param:
    """One parameter of an operation, ready to decode and check."""

    name: str
    location: str
    required: bool
    style: str
    explode: bool
    shape: Shape
    schema: Node | None  # where its schema is (None: nothing to check)
    json_content: bool = False  # a `content: application/json` parameter: the text is JSON


def make_param(param: Node, deref: Callable[[Node], Node]) -> Param:
    """The Param of a parameter object (already dereferenced)."""
    data = param.mapping()
    location = str(data.get("in", ""))
    style = str(data.get("style") or _DEFAULT_STYLE.get(location, "simple"))
    explode = data.get("explode")
    schema: Node | None = param.child("schema") if "schema" in data else None
    json_content = False
    content = data.get("content")
    if schema is None and isinstance(content, dict) and content:
        media = str(next(iter(content)))
        schema = param.child("content", media, "schema") if "schema" in (content[media] or {}) else None
        json_content = is_json(media)
    return Param(
        name=str(data.get("name", "")),
        location=location,
        required=bool(data.get("required")) or location == "path",
        style=style,
        explode=bool(explode) if isinstance(explode, bool) else style == "form",
        shape=shape_of(schema, deref) if schema is not None else Shape(),
        schema=schema,
        json_content=json_content,
    )


def is_json(media: str) -> bool:
    """Whether a media type is JSON: application/json or a `+json` type, parameters aside."""
    base = media.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


# --- shapes ------------------------------------------------------------------------------------


def shape_of(schema: Node, deref: Callable[[Node], Node], nested: bool = False) -> Shape:
    target = deref(schema)
    data = target.mapping()
    kind = _kind(data)
    if kind == "array":
        return Shape("array", _types(target.child("items"), deref))
    if kind == "object":
        properties = data.get("properties")
        names = properties if isinstance(properties, dict) and not nested else {}
        shapes = {str(name): shape_of(target.child("properties", name), deref, True) for name in names}
        return Shape("object", properties=shapes)
    return Shape("scalar", _types(target, deref))


def _kind(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "array" in kinds or (kind is None and "items" in schema):
        return "array"
    if "object" in kinds or (kind is None and "properties" in schema):
        return "object"
    return "scalar"


def _types(schema: Node, deref: Callable[[Node], Node], depth: int = 0) -> frozenset[str]:
    """The JSON types a schema admits, looking through $ref, enum and one level of oneOf/anyOf/allOf."""
    target = deref(schema)
    data = target.mapping()
    kind = data.get("type")
    found = {str(k) for k in kind} if isinstance(kind, list) else {str(kind)} if kind is not None else set()
    enum = data.get("enum")
    found |= {_json_type(value) for value in (enum if isinstance(enum, list) else [])}
    for keyword in ("oneOf", "anyOf", "allOf") if depth < 3 else ():
        variants = data.get(keyword)
        for index in range(len(variants) if isinstance(variants, list) else 0):
            found |= _types(target.child(keyword, index), deref, depth + 1)
    return frozenset(found)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "null" if value is None else "string"


# --- decoding ----------------------------------------------------------------------------------


def coerce(text: str, types: frozenset[str]) -> Any:
    """Text as the first JSON type it can be; text that fits none stays text (the schema check says why)."""
    if "integer" in types and _INTEGER.fullmatch(text):
        return int(text)
    if "number" in types and _NUMBER.fullmatch(text):
        return int(text) if _INTEGER.fullmatch(text) else float(text)
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text == "null" and "string" not in types:
        return None
    return text


def decode_path(param: Param, raw: str) -> Any:
    """A path parameter from its raw (still percent-encoded) segment text."""
    whole = raw
    if param.style == "label":
        whole = raw.removeprefix(".")
        parts = whole.split("." if param.explode else ",")
    elif param.style == "matrix" and param.explode and param.shape.kind != "scalar":
        whole = raw.removeprefix(";")
        parts = [
            p.removeprefix(param.name + "=") if param.shape.kind == "array" else p for p in whole.split(";")
        ]
    elif param.style == "matrix":
        whole = raw.removeprefix(f";{param.name}=")
        parts = whole.split(",")
    else:
        parts = raw.split(",")
    return _assemble(param, [unquote(p) for p in parts], unquote(whole))


def decode_query(param: Param, pairs: list[tuple[str, str]]) -> Any:
    """A query parameter from the raw query's (name, raw value) pairs; raises KeyError when absent."""
    values = [value for name, value in pairs if name == param.name]
    shape = param.shape
    if shape.kind == "object" and param.style == "deepObject":
        prefix = param.name + "["
        found = {n[len(prefix) : -1]: v for n, v in pairs if n.startswith(prefix) and n.endswith("]")}
        if not found:
            raise KeyError(param.name)
        return {k: coerce(unquote_plus(v), shape.of(k).types) for k, v in found.items()}
    if shape.kind == "object" and param.explode and not param.json_content:
        found = {n: v for n, v in pairs if n in shape.properties}
        if not found:
            raise KeyError(param.name)
        return {k: coerce(unquote_plus(v), shape.of(k).types) for k, v in found.items()}
    if not values:
        raise KeyError(param.name)
    if shape.kind == "array" and param.explode and not param.json_content:
        return [coerce(unquote_plus(v), shape.types) for v in values]
    splitter = _SPLIT.get(param.style)
    parts = splitter.split(values[0]) if splitter else values[0].split(",")
    return _assemble(param, [unquote_plus(p) for p in parts], unquote_plus(values[0]))


def decode_text(param: Param, text: str) -> Any:
    """A header or cookie parameter (simple or form style: comma-separated, no percent-encoding)."""
    return _assemble(param, [p.strip() for p in text.split(",")], text)


def _assemble(param: Param, parts: list[str], whole: str) -> Any:
    shape = param.shape
    if param.json_content:
        try:
            return json.loads(whole)
        except ValueError:
            raise ParamError("is not valid JSON") from None
    if shape.kind == "array":
        return [coerce(p, shape.types) for p in parts] if whole else []
    if shape.kind == "object":
        return _object(parts, shape)
    return coerce(whole, shape.types)


def _object(parts: list[str], shape: Shape) -> dict[str, Any]:
    # `k=v,k2=v2` (exploded) or `k,v,k2,v2`.
    if all("=" in p for p in parts):
        pairs = [tuple(p.split("=", 1)) for p in parts]
    else:
        pairs = list(zip(parts[::2], parts[1::2], strict=False))
    return {k: coerce(v, shape.of(k).types) for k, v in pairs}


def parse_query(query: str) -> list[tuple[str, str]]:
    """(decoded name, raw value) pairs: values stay encoded so an escaped delimiter is not a delimiter."""
    pairs = []
    for item in query.split("&") if query else []:
        if item:
            name, _, value = item.partition("=")
            pairs.append((unquote_plus(name), value))
    return pairs


def parse_cookies(header: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for item in header.split(";"):
        name, sep, value = item.strip().partition("=")
        if sep and name and name not in cookies:
            cookies[name] = value.strip().strip('"')
    return cookies


def decode_form(pairs: list[tuple[str, str]], shape: Shape) -> dict[str, Any]:
    """An application/x-www-form-urlencoded body: repeated names make arrays, text coerced per property."""
    values: dict[str, list[str]] = {}
    for name, raw in pairs:
        values.setdefault(name, []).append(unquote_plus(raw))
    form: dict[str, Any] = {}
    for name, texts in values.items():
        prop = shape.of(name)
        if prop.kind == "array":
            form[name] = [coerce(text, prop.types) for text in texts]
        else:
            form[name] = coerce(texts[0], prop.types) if len(texts) == 1 else texts
    return form
