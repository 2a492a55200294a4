"""Drift schema walk: a response body against its schema; each difference has a JSON pointer into the body."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from generator.drift.rules import BREAKING, Issue, severity_of
from generator.spec.load import Workspace, join_pointer
from generator.spec.patterns import Compiled, compile_pattern
from generator.spec.refs import Node
from generator.spec.schema_check import ecma_formats

_FORMATS = ecma_formats(Draft202012Validator)  # the `regex` format read as spec patterns are
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_SHOWN = 60  # characters of a value quoted in a message


@dataclass(frozen=True)
class Union:
    """A oneOf or anyOf: the value is one of `variants` (a discriminator may name which)."""

    variants: list[Node]
    discriminator: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class View:
    """A schema flattened for walking: `$ref`s followed and `allOf` parts merged into one."""

    types: frozenset[str] | None = None  # the JSON types it admits, null aside; None: any
    nullable: bool = False  # 3.0 `nullable: true`: null is fine whatever else is said
    null_ok: bool = True  # every part that constrains the type admits null (3.1 "null", enum with null)
    never: bool = False  # the schema `false`
    enums: list[list[Any]] = field(default_factory=list)
    format: str | None = None
    properties: dict[str, list[Node]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    patterns: list[tuple[Compiled, Node]] = field(default_factory=list)
    extra: str = "unsaid"  # additionalProperties: unsaid, allowed (true or {}), forbidden, schema
    extra_schemas: list[Node] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    unions: list[Union] = field(default_factory=list)

    def admits_type(self, value: Any) -> bool:
        if self.never:
            return False
        if value is None:
            return self.nullable or self.null_ok
        return self.types is None or _accepts(self.types, json_type(value))


class BodyChecker:
    """Walks bodies against schemas of one workspace; flattened schemas are cached across bodies."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._openapi_30 = str(workspace.root.data.get("openapi", "")).startswith("3.0")
        self._views: dict[tuple[str, str], View] = {}
        self._memo: dict[tuple[str, tuple[str, str], frozenset[str] | None], list[Issue]] = {}

    def check(self, value: Any, schema: Node) -> list[Issue]:
        """Every difference between `value` and the schema at `schema`, each once, in body order."""
        self._memo = {}
        issues = self._walk(value, schema, "", frozenset())
        return list(dict.fromkeys(issues))

    # --- walking ---------------------------------------------------------------------------------

    def _walk(self, value: Any, node: Node, pointer: str, known: frozenset[str] | None) -> list[Issue]:
        """`known`: the fields an enclosing schema describes (properties beside a oneOf); None: all."""
        key = (pointer, node.key, known)
        if key not in self._memo:
            self._memo[key] = self._walk_view(value, self.view(node), pointer, known)
        return self._memo[key]

    def _walk_view(self, value: Any, view: View, pointer: str, known: frozenset[str] | None) -> list[Issue]:
        if view.never:
            return [Issue("type-mismatch", pointer, "the spec allows no value here (schema `false`)")]
        if not view.admits_type(value):
            return [_type_mismatch(pointer, value, _spell(view))]
        if value is None and view.nullable:
            return []
        issues = self._enum(value, view, pointer) + self._format(value, view, pointer)
        if isinstance(value, dict):
            issues += self._object(value, view, pointer, known)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                for items in view.items:
                    issues += self._walk(item, items, join_pointer(pointer, index), frozenset())
        inner = _described(view, known)
        for union in view.unions:
            issues += self._variant(value, union, pointer, inner)
        return issues

    def _object(
        self, value: dict[str, Any], view: View, pointer: str, known: frozenset[str] | None
    ) -> list[Issue]:
        issues = [
            Issue(
                "missing-required-field", join_pointer(pointer, name), f"required field {name!r} is missing"
            )
            for name in dict.fromkeys(view.required)
            if name not in value and not self._write_only(view.properties.get(name, []))
        ]
        in_unions = self._union_fields(view)
        for name, item in value.items():
            child = join_pointer(pointer, name)
            schemas = view.properties.get(name) or [n for p, n in view.patterns if p.search(name)]
            for schema in schemas or view.extra_schemas:
                issues += self._walk(item, schema, child, frozenset())
            if schemas or view.extra_schemas or view.extra == "allowed":
                continue
            if known is None or name in known or name in in_unions:
                continue
            if view.properties or view.extra == "forbidden":
                issues.append(_undocumented(child, name, view.extra == "forbidden"))
        return issues

    def _variant(self, value: Any, union: Union, pointer: str, known: frozenset[str] | None) -> list[Issue]:
        """The findings against the variant that fits the value best: fewest breaking, then fewest in all."""
        candidates = self._discriminated(value, union) or union.variants
        fitting = [node for node in candidates if self.view(node).admits_type(value)]
        if not fitting:
            views = [self.view(node) for node in candidates]
            allowed = _spell_union(views)
            return [_type_mismatch(pointer, value, allowed)]
        scored = []
        for index, node in enumerate(fitting):
            issues = self._walk(value, node, pointer, known)
            breaking = sum(severity_of(issue.rule) == BREAKING for issue in issues)
            scored.append((breaking, len(issues), index, issues))
        return min(scored, key=lambda entry: entry[:3])[3]

    def _discriminated(self, value: Any, union: Union) -> list[Node]:
        if union.discriminator is None or not isinstance(value, dict):
            return []
        tag = value.get(union.discriminator)
        if not isinstance(tag, str):
            return []
        target = union.mapping.get(tag)
        for node in union.variants:
            ref = node.value.get("$ref") if isinstance(node.value, dict) else None
            if isinstance(ref, str) and (ref == target or ref.rsplit("/", 1)[-1] == tag):
                return [node]
        return []

    def _enum(self, value: Any, view: View, pointer: str) -> list[Issue]:
        for values in view.enums:
            if not any(json_equal(value, allowed) for allowed in values):
                listed = ", ".join(show_value(v) for v in values[:10]) + (", ..." if len(values) > 10 else "")
                return [
                    Issue("enum-value-not-in-spec", pointer, f"{show_value(value)} is not one of {listed}")
                ]
        return []

    def _format(self, value: Any, view: View, pointer: str) -> list[Issue]:
        if view.format is None or format_ok(value, view.format):
            return []
        return [Issue("format-mismatch", pointer, f"{show_value(value)} is not a valid {view.format!r}")]

    def _write_only(self, nodes: list[Node]) -> bool:
        # A required writeOnly property is required in requests only: responses leave it out.
        return any(_flag(self._resolve(node).value, "writeOnly") for node in nodes)

    def _union_fields(self, view: View) -> frozenset[str]:
        """Fields some variant of the view's oneOf/anyOf describes: the variant walk reports on them."""
        return frozenset(
            name for union in view.unions for node in union.variants for name in self.view(node).properties
        )

    # --- flattening ------------------------------------------------------------------------------

    def view(self, node: Node) -> View:
        """The flattened schema at `node`, cached by location."""
        cached = self._views.get(node.key)
        if cached is None:
            cached = self._views[node.key] = View()
            self._absorb(cached, node, True, set())
        return cached

    def _absorb(self, view: View, node: Node, top: bool, seen: set[tuple[str, str]]) -> None:
        """Merge the schema at `node` into `view`; `top`: not inside an allOf (3.0 nullable applies)."""
        if node.key in seen:
            return
        seen.add(node.key)
        data = node.value
        if data is False:
            view.never = True
        if not isinstance(data, dict):
            return
        ref = data.get("$ref")
        if isinstance(ref, str):
            target = self._workspace.resolve(ref, node.document, join_pointer(node.pointer, "$ref"))
            self._absorb(view, Node(target.document, target.pointer, target.value), top, seen)
            if self._openapi_30:
                return  # 3.0 ignores every keyword beside a $ref
        self._keywords(view, node, data, top)
        for index in range(len(data["allOf"]) if isinstance(data.get("allOf"), list) else 0):
            self._absorb(view, node.child("allOf", index), False, seen)

    def _keywords(self, view: View, node: Node, data: dict[str, Any], top: bool) -> None:
        nullable = self._openapi_30 and data.get("nullable") is True
        view.nullable = view.nullable or (nullable and top)
        self._types(view, data, nullable)
        if isinstance(data.get("format"), str) and view.format is None:
            view.format = data["format"]
        for name in _mapping(data, "properties"):
            view.properties.setdefault(name, []).append(node.child("properties", name))
        view.required += [str(name) for name in _list(data, "required")]
        for pattern in _mapping(data, "patternProperties"):
            compiled = compile_pattern(str(pattern))  # ECMA-262, as JSON Schema means it
            if compiled is None:
                continue  # a pattern sdkgen cannot check (validation says so): the field is undescribed
            view.patterns.append((compiled, node.child("patternProperties", pattern)))
        self._extra(view, node, data)
        if isinstance(data.get("items"), dict):
            view.items.append(node.child("items"))
        for keyword in ("oneOf", "anyOf"):
            if isinstance(data.get(keyword), list):
                variants = [node.child(keyword, index) for index in range(len(data[keyword]))]
                view.unions.append(Union(variants, *_discriminator(data.get("discriminator"))))

    def _types(self, view: View, data: dict[str, Any], nullable: bool) -> None:
        types = data.get("type")
        names = {types} if isinstance(types, str) else {t for t in _list(data, "type") if isinstance(t, str)}
        if isinstance(types, str | list):
            view.types = frozenset(names - {"null"}) & (view.types if view.types is not None else names)
            view.null_ok = view.null_ok and ("null" in names or nullable)
        values = [data["const"]] if "const" in data else data.get("enum")
        if isinstance(values, list):
            view.enums.append(values)
            view.null_ok = view.null_ok and (None in values or nullable)

    def _extra(self, view: View, node: Node, data: dict[str, Any]) -> None:
        if "additionalProperties" not in data:
            return
        extra = data["additionalProperties"]
        if isinstance(extra, dict) and extra:
            view.extra = "schema"
            view.extra_schemas.append(node.child("additionalProperties"))
        elif extra is True or extra == {}:
            view.extra = "allowed" if view.extra != "schema" else view.extra
        elif extra is False and view.extra == "unsaid":
            view.extra = "forbidden"

    def _resolve(self, node: Node) -> Node:
        seen: set[tuple[str, str]] = set()
        while isinstance(node.value, dict) and isinstance(ref := node.value.get("$ref"), str):
            if node.key in seen:
                break
            seen.add(node.key)
            target = self._workspace.resolve(ref, node.document, join_pointer(node.pointer, "$ref"))
            node = Node(target.document, target.pointer, target.value)
        return node


# --- values ----------------------------------------------------------------------------------------


def json_type(value: Any) -> str:
    """The JSON Schema type of a parsed JSON value (a float with no fraction is an integer)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values: 1 equals 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def format_ok(value: Any, fmt: str) -> bool:
    """Whether a value meets its `format`: JSON Schema's checkers (those installed), OpenAPI's int32/int64."""
    if fmt in _INT_RANGES and isinstance(value, int) and not isinstance(value, bool):
        low, high = _INT_RANGES[fmt]
        return low <= value <= high
    return bool(_FORMATS.conforms(value, fmt))


def _accepts(types: frozenset[str], actual: str) -> bool:
    return actual in types or (actual == "integer" and "number" in types)


def show_value(value: Any) -> str:
    """A value as JSON text, cut short for a message."""
    text = json.dumps(value, ensure_ascii=False)
    text = text if text.isprintable() else "".join(_visible(char) for char in text)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _visible(char: str) -> str:
    # A no-break space or a zero-width character would look like a plain space, or like nothing.
    return char if char == " " or (char.isprintable() and not char.isspace()) else f"\\u{ord(char):04x}"


def _type_names(view: View) -> set[str]:
    if view.types is None:
        return {"any value"}
    return set(view.types) | ({"null"} if view.nullable or view.null_ok else set())


def _spell(view: View) -> str:
    return " or ".join(sorted(_type_names(view))) or "no value"


def _spell_union(views: list[View]) -> str:
    names = set().union(*(_type_names(view) for view in views if not view.never))
    return " or ".join(sorted(names)) or "no value"


def _type_mismatch(pointer: str, value: Any, expected: str) -> Issue:
    return Issue("type-mismatch", pointer, f"expected {expected}, got {json_type(value)} {show_value(value)}")


def _undocumented(pointer: str, name: str, forbidden: bool) -> Issue:
    why = " (and it sets additionalProperties: false)" if forbidden else ""
    return Issue("undocumented-field", pointer, f"field {name!r} is not in the spec{why}")


def _described(view: View, known: frozenset[str] | None) -> frozenset[str] | None:
    """The fields a variant of the view's unions need not describe: the view (or its encloser) does."""
    if known is None or view.extra in ("allowed", "schema"):
        return None
    return known | frozenset(view.properties)


def _discriminator(value: Any) -> tuple[str | None, dict[str, str]]:
    if not isinstance(value, dict) or not isinstance(value.get("propertyName"), str):
        return None, {}
    mapping = value.get("mapping")
    return value["propertyName"], {str(k): str(v) for k, v in (mapping or {}).items()}


def _mapping(data: dict[str, Any], keyword: str) -> list[str]:
    value = data.get(keyword)
    return [str(key) for key in value] if isinstance(value, dict) else []


def _list(data: dict[str, Any], keyword: str) -> list[Any]:
    value = data.get(keyword)
    return value if isinstance(value, list) else []


def _flag(schema: Any, keyword: str) -> bool:
    return isinstance(schema, dict) and schema.get(keyword) is True
