"""Synthesize: a deterministic example value for a schema of the spec (the mock server's answers)."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from typing import Any

from generator.spec.load import Workspace, split_pointer
from generator.spec.refs import Node, deref

MAX_DEPTH = 12
FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "c3RyaW5n",
    "binary": "",
}


class _Cycle:
    """What a schema gives when expanding it would go round a recursive `$ref` (or too deep)."""


CYCLE = _Cycle()
_ABSENT = object()


@dataclass(frozen=True)
class _Walk:
    """Where synthesis is: the refs being expanded, how deep, and whether only required parts are made."""

    refs: frozenset[tuple[str, str]] = frozenset()
    depth: int = 0
    minimal: bool = False

    def deeper(self) -> _Walk:
        return replace(self, depth=self.depth + 1)


class Synthesizer:
    """Makes one value per schema: the spec's own examples first, else one built from the keywords.

    Objects get every property (required and optional), arrays one item, oneOf/anyOf their first
    variant, allOf the merge of its parts. A `$ref` already being expanded is not expanded again:
    an optional property there is left out, a required one gets a value with only its required
    parts (and null where even that would recurse), so recursive schemas terminate.
    """

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def example(self, schema: Node) -> Any:
        # The schema itself counts as being expanded, so a `$ref` back to it is recursion too.
        value = self._value(schema, _Walk(frozenset({schema.key})))
        return None if value is CYCLE else value

    def _value(self, node: Node, walk: _Walk) -> Any:
        schema = node.value
        if not isinstance(schema, dict):
            return None
        hinted = _hint(schema)
        if hinted is not _ABSENT:
            return copy.deepcopy(hinted)
        if isinstance(schema.get("$ref"), str):
            return self._ref(node, walk)
        if walk.depth > MAX_DEPTH:
            return CYCLE
        if isinstance(schema.get("allOf"), list):
            return self._all_of(node, walk)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list) and schema[keyword]:
                return self._one_of(node, keyword, walk)
        return self._typed(node, walk)

    def _ref(self, node: Node, walk: _Walk) -> Any:
        target = deref(self._workspace, node)
        if target.key in walk.refs:
            return CYCLE
        return self._value(target, replace(walk, refs=walk.refs | {target.key}))

    def _typed(self, node: Node, walk: _Walk) -> Any:
        schema = node.value
        kind = _type_of(schema)
        if kind == "object":
            return self._object(node, walk)
        if kind == "array":
            return self._array(node, walk)
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _number(schema, kind == "integer")
        if kind == "boolean":
            return True
        return None

    def _object(self, node: Node, walk: _Walk) -> Any:
        schema = node.value
        required = set(schema.get("required") or [])
        properties = schema.get("properties")
        result: dict[str, Any] = {}
        for name in properties if isinstance(properties, dict) else {}:
            prop = node.child("properties", name)
            if _write_only(prop.value) or (walk.minimal and name not in required):
                continue
            value = self._value(prop, walk.deeper())
            if value is CYCLE and name in required:
                value = self._minimal(prop, walk)
            if value is not CYCLE:
                result[str(name)] = value
        extra = schema.get("additionalProperties")
        if not result and not walk.minimal and isinstance(extra, dict) and extra:
            value = self._value(node.child("additionalProperties"), walk.deeper())
            if value is not CYCLE:
                result["key"] = value
        return result

    def _minimal(self, node: Node, walk: _Walk) -> Any:
        # A second, required-only expansion of a recursive schema; recursing again there gives null.
        if walk.minimal:
            return None
        value = self._value(node, _Walk(frozenset(), walk.depth + 1, minimal=True))
        return None if value is CYCLE else value

    def _array(self, node: Node, walk: _Walk) -> Any:
        schema = node.value
        if isinstance(schema.get("prefixItems"), list):
            items = [
                self._value(node.child("prefixItems", i), walk.deeper())
                for i in range(len(schema["prefixItems"]))
            ]
            return [None if item is CYCLE else item for item in items]
        low = schema.get("minItems") if isinstance(schema.get("minItems"), int) else 0
        high = schema.get("maxItems") if isinstance(schema.get("maxItems"), int) else None
        if high == 0 or (walk.minimal and not low):
            return []
        item = self._value(node.child("items"), walk.deeper())
        if item is CYCLE:
            if not low:
                return []
            item = self._minimal(node.child("items"), walk)
        count = 1 if schema.get("uniqueItems") is True else max(low, 1)
        return [copy.deepcopy(item) for _ in range(count)]

    def _all_of(self, node: Node, walk: _Walk) -> Any:
        rest = {k: v for k, v in node.value.items() if k != "allOf"}
        parts = [node.child("allOf", i) for i in range(len(node.value["allOf"]))]
        if _has_constraints(rest):
            parts.insert(0, Node(node.document, node.pointer, rest))
        values = [self._value(part, walk) for part in parts]
        if any(value is CYCLE for value in values):
            return CYCLE
        return _merge(values)

    def _one_of(self, node: Node, keyword: str, walk: _Walk) -> Any:
        schema = node.value
        rest = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
        for index in range(len(schema[keyword])):
            variant = node.child(keyword, index)
            value = self._value(variant, walk)
            if value is CYCLE:
                continue
            if _has_constraints(rest):
                base = self._value(Node(node.document, node.pointer, rest), walk)
                value = value if base is CYCLE else _merge([base, value])
            return _tag(value, schema.get("discriminator"), variant.value)
        return CYCLE


def _hint(schema: dict[str, Any]) -> Any:
    """The value the schema itself names: example, examples, const, default or its first enum value."""
    if "example" in schema:
        return schema["example"]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    for keyword in ("const", "default"):
        if keyword in schema:
            return schema[keyword]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        present = [v for v in schema["enum"] if v is not None]
        return present[0] if present else None
    return _ABSENT


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        named = [str(k) for k in kind if k != "null"]
        return named[0] if named else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return None


def _has_constraints(schema: dict[str, Any]) -> bool:
    return _type_of(schema) is not None or _hint(schema) is not _ABSENT


def _write_only(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("writeOnly") is True


def _string(schema: dict[str, Any]) -> str:
    text = FORMATS.get(str(schema.get("format")), "string")
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int) and len(text) < low:
        text += "x" * (low - len(text))
    if isinstance(high, int) and len(text) > high:
        text = text[:high]
    return text


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str, step: int) -> float | None:
    flag = schema.get(exclusive)
    strict = _as_number(flag)
    if strict is not None:  # 3.1: the exclusive bound is the number itself
        return strict + step
    value = _as_number(schema.get(inclusive))
    if value is None:
        return None
    return value + (step if flag is True else 0)


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    low = _bound(schema, "minimum", "exclusiveMinimum", 1)
    high = _bound(schema, "maximum", "exclusiveMaximum", -1)
    value = low if low is not None else (high if high is not None and high < 0 else 0.0)
    step = _as_number(schema.get("multipleOf"))
    if step is not None and step > 0:
        value = math.ceil(value / step) * step
    return math.ceil(value) if integer else float(value)


def _as_number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _merge(values: list[Any]) -> Any:
    objects = [v for v in values if isinstance(v, dict)]
    if not objects:
        return next((v for v in values if v is not None), None)
    merged: dict[str, Any] = {}
    for value in objects:
        merged.update(value)
    return merged


def _tag(value: Any, discriminator: Any, variant: Any) -> Any:
    """Set the discriminator property to the name of the variant that made `value`."""
    if not isinstance(value, dict) or not isinstance(discriminator, dict):
        return value
    name = discriminator.get("propertyName")
    ref = variant.get("$ref") if isinstance(variant, dict) else None
    if not isinstance(name, str) or not isinstance(ref, str):
        return value
    mapping = discriminator.get("mapping")
    for tag, target in (mapping if isinstance(mapping, dict) else {}).items():
        if target == ref or target == _last_token(ref):
            return {**value, name: tag}
    return {**value, name: _last_token(ref)}


def _last_token(ref: str) -> str:
    try:
        tokens = split_pointer("#" + ref.partition("#")[2])
    except ValueError:
        return ref
    return tokens[-1] if tokens else ref
