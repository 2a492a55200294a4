"""Encoding rules: how parameters and request bodies go on the wire, resolved once from the spec.

OpenAPI leaves much to defaults (a query parameter is `form` and exploded unless it says otherwise;
a form body's property is `form` unless its `encoding` entry says otherwise). The builder fills
them in here, so every style's runtime receives the same complete rules and none re-derives them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.model.ir import PartEncodingIR

# A schema with every `$ref` followed: given a raw schema, returns the schema it points at.
Resolver = Callable[[Any], Any]

QUERY_STYLES = frozenset({"form", "spaceDelimited", "pipeDelimited", "deepObject"})
PATH_STYLES = frozenset({"simple", "label", "matrix"})


def parameter_style(location: str, style: Any, explode: Any) -> tuple[str, bool]:
    """A parameter's style and explode: the spec's, else OpenAPI's defaults for its location."""
    default = "form" if location in ("query", "cookie") else "simple"
    allowed = QUERY_STYLES if location == "query" else PATH_STYLES if location == "path" else {default}
    chosen = style if isinstance(style, str) and style in allowed else default
    exploded = explode if isinstance(explode, bool) else chosen == "form"
    return chosen, exploded


def body_kind(media_type: str) -> str:
    """How a request body of this media type is encoded: json, form, multipart, binary or text."""
    media = media_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return "json"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media.startswith("multipart/"):
        return "multipart"
    if media.startswith("text/"):
        return "text"
    return "binary"


def part_encodings(kind: str, schema: Any, media: Any, resolve: Resolver) -> list[PartEncodingIR]:
    """Each property's encoding in a form or multipart body (its `encoding` entry or the defaults)."""
    if kind not in ("form", "multipart"):
        return []
    schema = resolve(schema)
    properties = _properties(schema, resolve)
    declared = media.get("encoding") if isinstance(media, dict) else None
    declared = declared if isinstance(declared, dict) else {}
    names = list(properties) + [str(n) for n in declared if str(n) not in properties]
    result = []
    for name in names:
        entry = declared.get(name)
        entry = entry if isinstance(entry, dict) else {}
        shape = _shape(properties.get(name), resolve)
        result.append(_part(kind, name, shape, entry, resolve))
    return result


def _properties(schema: Any, resolve: Resolver) -> dict[str, Any]:
    """The properties of an object schema, those of its `allOf` members included."""
    if not isinstance(schema, dict):
        return {}
    found: dict[str, Any] = {}
    for member in schema.get("allOf") or []:
        found.update(_properties(resolve(member), resolve))
    props = schema.get("properties")
    if isinstance(props, dict):
        found.update({str(k): v for k, v in props.items()})
    return found


def _shape(schema: Any, resolve: Resolver) -> str:
    """`binary`, `primitive`, `object`, `array-of-primitive` or `array-of-object` (unknown: object)."""
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return "object"
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    kinds.discard("null")
    if "array" in kinds:
        item = _shape(schema.get("items"), resolve)
        return "array-of-binary" if item == "binary" else f"array-of-{_leaf(item)}"
    if "string" in kinds and (schema.get("format") == "binary" or "contentMediaType" in schema):
        return "binary"
    if kinds and kinds <= {"string", "integer", "number", "boolean"}:
        return "primitive"
    if "enum" in schema and all(not isinstance(v, dict | list) for v in schema["enum"]):
        return "primitive"
    return "object"


def _leaf(shape: str) -> str:
    return "primitive" if shape == "primitive" else "object"


def _part(kind: str, name: str, shape: str, entry: dict[str, Any], resolve: Resolver) -> PartEncodingIR:
    style = entry.get("style") if entry.get("style") in QUERY_STYLES else None
    explode = entry.get("explode")
    allow_reserved = entry.get("allowReserved") is True
    headers = _part_headers(entry.get("headers"), resolve) if kind == "multipart" else ()
    content_type = _content_type(entry.get("contentType"), shape) if kind == "multipart" else ""
    if style is None:
        # OpenAPI's default is form, which spells an object's properties without the property's own
        # name (`R=100&G=200`): structured values keep their name with the bracket convention instead.
        # In multipart, an object without a style is one part of its content type (JSON).
        structured = shape in ("object", "array-of-object")
        style = ("deepObject" if structured else "form") if kind == "form" else ""
    exploded = explode if isinstance(explode, bool) else style in ("form", "deepObject", "")
    return PartEncodingIR(name, style, exploded, allow_reserved, content_type, headers)


def _content_type(declared: Any, shape: str) -> str:
    """The part's media type: the first of the spec's list, else OpenAPI's default for the shape."""
    if isinstance(declared, str) and declared.strip():
        return declared.split(",")[0].strip()
    if shape in ("binary", "array-of-binary"):
        return "application/octet-stream"
    if shape in ("primitive", "array-of-primitive"):
        return "text/plain"
    return "application/json"


def _part_headers(headers: Any, resolve: Resolver) -> tuple[tuple[str, str], ...]:
    """Part headers whose schema has a default (the only value a client can know); never Content-Type."""
    if not isinstance(headers, dict):
        return ()
    result = []
    for name, header in headers.items():
        header = resolve(header)
        schema = resolve(header.get("schema")) if isinstance(header, dict) else None
        if str(name).lower() == "content-type" or not isinstance(schema, dict) or "default" not in schema:
            continue
        default = schema["default"]
        if isinstance(default, bool):
            text = "true" if default else "false"
        elif isinstance(default, str | int | float):
            text = str(default)
        else:
            continue
        result.append((str(name), text))
    return tuple(sorted(result))
