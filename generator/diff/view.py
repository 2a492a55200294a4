"""Diff view: a schema normalised so 3.0 and 3.1 spellings (nullable, bounds, examples) compare alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.diff.source import At, deref, is_ref

UNION_KEYWORDS = ("oneOf", "anyOf")


@dataclass(frozen=True)
class Bound:
    """One side of a numeric range; `exclusive` for `>`/`<` (3.0 boolean or 3.1 number form)."""

    value: float
    exclusive: bool
    at: At

    def text(self, lower: bool) -> str:
        symbol = (">" if lower else "<") + ("" if self.exclusive else "=")
        return f"{symbol} {_number(self.value)}"


@dataclass
class Option:
    """A oneOf/anyOf member as written (maybe a `$ref`), or the whole schema when it is not a union."""

    raw: Any
    at: At
    itself: bool = False


@dataclass
class View:
    """What the rules compare; each keyword keeps the place it came from (allOf members are merged)."""

    at: At
    raw: Any = None
    types: frozenset[str] | None = None
    nullable: bool = False
    enum: list[tuple[Any, At]] | None = None
    enum_at: At | None = None
    properties: dict[str, tuple[Any, At]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    options: list[Option] | None = None
    union_kind: str | None = None
    all_of_names: list[tuple[str, At]] = field(default_factory=list)
    keywords: dict[str, tuple[Any, At]] = field(default_factory=dict)
    # Read from `properties` or `items`, not written: such a schema still accepts null (JSON Schema),
    # so a nullable schema that drops its `type` keeps accepting null.
    type_implied: bool = False

    def get(self, keyword: str) -> Any:
        return self.keywords[keyword][0] if keyword in self.keywords else None

    def place(self, keyword: str) -> At | None:
        return self.keywords[keyword][1] if keyword in self.keywords else None

    @property
    def is_union(self) -> bool:
        return self.options is not None

    @property
    def is_const(self) -> bool:
        return self.enum_at is not None and self.enum_at.pointer.endswith("/const")

    @property
    def accepts_anything(self) -> bool:
        """No type, enum or union: any JSON value fits, null included."""
        return self.types is None and self.enum is None and self.options is None

    @property
    def accepts_nothing(self) -> bool:
        """The boolean schema `false`: no value fits."""
        return self.raw is False

    @property
    def type_text(self) -> str:
        if self.accepts_nothing:
            return "nothing (`false`)"
        if self.types is None:
            return "any"
        return " | ".join(sorted(self.types)) or "null"

    def examples(self) -> list[Any]:
        # 3.1 `examples: [..]` and 3.0 `example: x` say the same thing.
        if isinstance(self.get("examples"), list):
            return list(self.get("examples"))
        return [self.get("example")] if "example" in self.keywords else []

    def bound(self, lower: bool) -> Bound | None:
        plain, strict = ("minimum", "exclusiveMinimum") if lower else ("maximum", "exclusiveMaximum")
        found: list[Bound] = []
        value, flag = self.get(plain), self.get(strict)
        if _is_number(value):
            found.append(Bound(float(value), flag is True, self._at(plain)))  # 3.0: a boolean modifier
        if _is_number(flag):
            found.append(Bound(float(flag), True, self._at(strict)))  # 3.1: the bound itself
        if not found:
            return None
        tightness = (lambda b: (b.value, b.exclusive)) if lower else (lambda b: (-b.value, b.exclusive))
        return max(found, key=tightness)

    def count(self, keyword: str) -> int | None:
        value = self.get(keyword)
        return int(value) if _is_number(value) else None

    def _at(self, keyword: str) -> At:
        return self.place(keyword) or self.at.child(keyword)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def canonical(value: Any) -> str:
    """A value as comparable, hashable text (enum values, defaults, examples)."""
    return json.dumps(value, sort_keys=True, default=str)


_MERGED = {"properties", "required", "allOf", "type", "nullable", "enum", "const", *UNION_KEYWORDS}


def view(raw: Any, at: At) -> View:
    """Normalise one schema (already dereferenced); allOf members are merged in, first keyword wins.

    The boolean schemas: `true` accepts anything, as `{}` does; `false` accepts nothing, so it has
    no types at all (an empty set, where `None` means any type).
    """
    result = View(at, raw)
    if raw is False:
        result.types = frozenset()
        return result
    if not isinstance(raw, dict):
        return result
    parts = _parts(raw, at, set())
    for value, where in parts:
        _merge(result, value, where)
    _null_forms(result, raw)
    if result.types is None:
        result.types = _implied_type(result)
        result.type_implied = result.types is not None and result.enum is None
    result.all_of_names = _all_of_names(raw, at)
    return result


def _parts(raw: dict[str, Any], at: At, seen: set[tuple[str, str]]) -> list[tuple[dict[str, Any], At]]:
    """The schema followed by its allOf members, flattened; a member seen before is skipped (cycles)."""
    seen.add(at.key)
    parts: list[tuple[dict[str, Any], At]] = [(raw, at)]
    members = raw.get("allOf")
    for index, member in enumerate(members if isinstance(members, list) else []):
        value, where = deref(member, at.child("allOf", index))
        if isinstance(value, dict) and where.key not in seen:
            parts.extend(_parts(value, where, seen))
    return parts


def _merge(result: View, raw: dict[str, Any], at: At) -> None:
    properties = raw.get("properties")
    if isinstance(properties, dict):
        for name, value in properties.items():
            result.properties.setdefault(str(name), (value, at.child("properties", name)))
    required = raw.get("required")
    if isinstance(required, list):
        result.required.update(str(name) for name in required)
    if result.types is None and "type" in raw:
        declared = raw["type"] if isinstance(raw["type"], list) else [raw["type"]]
        result.types = frozenset(str(t) for t in declared if t != "null")
        result.nullable = result.nullable or "null" in declared
    if result.enum is None:
        _enum(result, raw, at)
    if result.options is None:
        _union(result, raw, at)
    for keyword, value in raw.items():
        if keyword not in _MERGED:
            result.keywords.setdefault(keyword, (value, at.child(keyword)))


def _enum(result: View, raw: dict[str, Any], at: At) -> None:
    if isinstance(raw.get("enum"), list):
        result.enum_at = at.child("enum")
        result.enum = [(v, result.enum_at.child(i)) for i, v in enumerate(raw["enum"]) if v is not None]
        result.nullable = result.nullable or None in raw["enum"]
    elif "const" in raw:
        result.enum_at = at.child("const")
        result.enum = [] if raw["const"] is None else [(raw["const"], result.enum_at)]
        result.nullable = result.nullable or raw["const"] is None


def _union(result: View, raw: dict[str, Any], at: At) -> None:
    for keyword in UNION_KEYWORDS:
        members = raw.get(keyword)
        if not isinstance(members, list):
            continue
        options = []
        for index, member in enumerate(members):
            where = at.child(keyword, index)
            if _is_null_schema(member, where):
                result.nullable = True  # 3.1 `anyOf: [X, {type: 'null'}]` is X, nullable
            else:
                options.append(Option(member, where))
        result.options, result.union_kind = options, keyword
        return


def _is_null_schema(member: Any, at: At) -> bool:
    value, _ = deref(member, at)
    if not isinstance(value, dict):
        return False
    kind = value.get("type")
    if kind == "null" or kind == ["null"]:
        return True
    return value.get("enum") == [None] or ("const" in value and value["const"] is None)


def _null_forms(result: View, raw: dict[str, Any]) -> None:
    # 3.0 `nullable: true` and 3.1 `type: [x, "null"]` (handled in _merge) are the same thing.
    result.nullable = result.nullable or raw.get("nullable") is True


def _implied_type(result: View) -> frozenset[str] | None:
    # `type` is often left out next to `properties`, `items` or `enum`; read it as meant, so that
    # writing it out later is not reported as a change.
    if result.properties:
        return frozenset({"object"})
    if "items" in result.keywords:
        return frozenset({"array"})
    if result.enum:
        return frozenset(_json_type(value) for value, _ in result.enum)
    return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


# Keywords that describe a value without constraining it.
ANNOTATIONS = {
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
}


def _all_of_names(raw: dict[str, Any], at: At) -> list[tuple[str, At]]:
    members = raw.get("allOf")
    if isinstance(members, list) and len(members) == 1 and not set(raw) - ANNOTATIONS - {"allOf", "nullable"}:
        return []  # the 3.0 way to put `nullable` or a description next to a `$ref`, not composition
    names = []
    for index, member in enumerate(members if isinstance(members, list) else []):
        if is_ref(member):
            where = at.child("allOf", index)
            name = deref(member, where)[1].schema_name()
            if name:
                names.append((name, where))
    return names


def property_flag(raw: Any, at: At, flag: str) -> bool:
    """readOnly/writeOnly of a property, written next to its `$ref` (3.1) or in the schema it names."""
    if isinstance(raw, dict) and raw.get(flag) is True:
        return True
    value, _ = deref(raw, at)
    return isinstance(value, dict) and value.get(flag) is True


def option_signature(option: Option) -> str:
    """What an option is, for pairing old and new options that are not the same named schema."""
    value, where = deref(option.raw, option.at)
    if not isinstance(value, dict):
        return "any"
    shape = view(value, where)
    if shape.is_union:
        return "union"
    return "|".join(sorted(shape.types)) if shape.types is not None else "any"
