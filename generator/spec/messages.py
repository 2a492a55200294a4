"""Spec messages: openapi-spec-validator's findings said in plain words, at the place they are about.

The validator reports a bad parameter as "{...} is not valid under any of the given schemas" at the
parameter, because the OpenAPI schema is a `oneOf` of every kind of parameter (and of a `$ref`).
Here the `oneOf` is searched for the kind the value was meant to be, and that kind's complaint is
said instead: "`in` must be one of path, query, header, cookie (got 'body')".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported for its type only: jsonschema costs 40 ms to import, and a valid spec needs none
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

Path = tuple[str | int, ...]

# Most telling first: a missing field or a wrong enum value says more than "not valid under oneOf".
_PRIORITY = {
    "required": 0,
    "enum": 1,
    "const": 1,
    "type": 2,
    "additionalProperties": 3,
    "unevaluatedProperties": 3,
    "not": 4,
    "pattern": 5,
    "format": 5,
}
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True)
class _Leaf:
    """A complaint with no sub-complaints, and the oneOf/anyOf branches that lead to it."""

    error: ValidationError
    branch: tuple[int, ...]

    @property
    def path(self) -> Path:
        return tuple(self.error.absolute_path)


def plain(error: ValidationError, base: Path = ()) -> tuple[Path, str]:
    """Where an error is and what it means, in plain words.

    The path is from the document root; `base` is where the error's paths start (the validator
    checks a schema or a default on its own, and its paths are relative to it).
    """
    leaves = _relevant(error, list(_leaves(error, ())))
    # The deepest complaint is from the branch that got furthest into the value: the one it was meant for.
    leaf = min(leaves, key=lambda x: (-len(x.path), _PRIORITY.get(str(x.error.validator), 9)))
    merged = [x for x in leaves if x.path == leaf.path and x.error.validator in ("enum", "const")]
    if leaf.error.validator in ("enum", "const") and len(merged) > 1:
        path = (*base, *leaf.path)
        return path, _one_of_values(path, leaf.error.instance, [x.error for x in merged])
    return _say(leaf.error, base)


def structure_kind(error: ValidationError) -> str:
    """The kind of a finding about the OpenAPI structure (validate.LIVABLE judges it): `unknown-field`
    when all that is wrong in the branches the value was meant for is fields OpenAPI does not define,
    `duplicate-tag` for 3.0's tags listed twice, else `structure`."""
    if error.validator == "uniqueItems" and tuple(error.absolute_path) == ("tags",):
        return "duplicate-tag"
    leaves = _relevant(error, list(_leaves(error, ())))
    return "unknown-field" if all(_is_unknown_field(x) for x in leaves) else "structure"


def _is_unknown_field(leaf: _Leaf) -> bool:
    # A field beside an object's fixed fields; not a malformed key of a map (a path, a status code).
    schema = leaf.error.schema
    return (
        leaf.error.validator in _UNKNOWN_FIELD
        and isinstance(schema, dict)
        and bool(schema.get("properties"))
        and leaf.path[-1:] not in (("paths",), ("responses",))
    )


_UNKNOWN_FIELD = ("additionalProperties", "unevaluatedProperties")


def _leaves(error: ValidationError, branch: tuple[int, ...]) -> Iterator[_Leaf]:
    if not error.context:
        yield _Leaf(error, branch)
        return
    for sub in error.context:
        index = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        yield from _leaves(sub, (*branch, int(index) if isinstance(index, int) else 0))


def _relevant(error: ValidationError, leaves: list[_Leaf]) -> list[_Leaf]:
    """The leaves of the branches the value was meant for."""
    instance = error.instance
    if isinstance(instance, dict):
        refs = [x for x in leaves if "$ref" in x.path[len(error.absolute_path) :]]
        if "$ref" in instance and refs:
            return refs  # a `$ref` object: what is wrong is its `$ref`
        if "$ref" not in instance:
            leaves = [x for x in leaves if not _wants_ref(x.error)] or leaves
    return _tagged(leaves)


def _wants_ref(error: ValidationError) -> bool:
    # The branch of a oneOf that is a Reference Object: not what a value without `$ref` was meant to be.
    return error.validator == "required" and list(error.validator_value) == ["$ref"]


def _tagged(leaves: list[_Leaf]) -> list[_Leaf]:
    """Branches told apart by a tag (`in: query`, `type: http`): keep those whose tag the value has.

    The tag is the enum that fails in the most branches; when it fails in all of them, the tag
    itself is what is wrong.
    """
    failing: dict[Path, set[tuple[int, ...]]] = {}
    for leaf in leaves:
        if leaf.error.validator in ("enum", "const") and leaf.branch:
            failing.setdefault(leaf.path, set()).add(leaf.branch)
    if not failing:
        return leaves
    tag = max(failing, key=lambda p: (len(failing[p]), -len(p)))
    if len(failing[tag]) < 2:
        return leaves
    intended = [x for x in leaves if x.branch not in failing[tag]]
    return intended or [x for x in leaves if x.path == tag and x.error.validator in ("enum", "const")]


def _say(error: ValidationError, base: Path) -> tuple[Path, str]:
    path: Path = (*base, *error.absolute_path)
    kind, value, instance = str(error.validator), error.validator_value, error.instance
    if kind == "required" and isinstance(instance, dict):
        missing = [str(name) for name in value if name not in instance] or [str(v) for v in value]
        fields = ", ".join(f"`{name}`" for name in missing)
        return path, f"missing required field{'s' if len(missing) > 1 else ''} {fields}"
    if kind in ("enum", "const"):
        return path, _one_of_values(path, instance, [error])
    if kind == "type":
        types = [value] if isinstance(value, str) else list(value)
        wanted = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
        return path, f"{_subject(path)} must be {wanted} (got {kind_of(instance)})"
    if kind in _UNKNOWN_FIELD and isinstance(instance, dict):
        return _unknown_field(path, instance, error.schema)
    if kind == "not" and isinstance(value, dict) and isinstance(value.get("required"), list):
        names = " and ".join(f"`{name}`" for name in value["required"])
        return path, f"{names} cannot be used together: use one of them"
    if kind == "pattern":
        return path, f"{_subject(path)} {_show(instance)} does not match the pattern {value}"
    if kind == "uniqueItems" and path == ("tags",):
        return path, "a tag is listed twice: it is one tag"
    if kind == "uniqueItems" and path[-1:] == ("enum",):
        return path, "`enum` lists a value more than once: the SDK has each value once"
    if kind == "format" and value == "regex" and isinstance(instance, str):
        return path, pattern_message(_subject(path), instance)
    if kind == "format":
        return path, f"{_subject(path)} {_show(instance)} is not a valid {value}"
    text = _shorten(error.message, instance)
    return path, f"{_subject(path)}: {text}" if path else text


def _one_of_values(path: Path, instance: Any, errors: list[ValidationError]) -> str:
    values: list[Any] = []
    for error in errors:
        allowed = [error.validator_value] if error.validator == "const" else list(error.validator_value)
        values += [v for v in allowed if v not in values]
    if len(values) == 1:
        return f"{_subject(path)} must be {_show(values[0])} (got {_show(instance)})"
    shown = ", ".join(str(v) if isinstance(v, str) else _show(v) for v in values)
    return f"{_subject(path)} must be one of {shown} (got {_show(instance)})"


def _unknown_field(path: Path, instance: dict[str, Any], schema: Any) -> tuple[Path, str]:
    schema = schema if isinstance(schema, dict) else {}
    known = schema.get("properties") or {}
    patterns = list((schema.get("patternProperties") or {}).keys())
    extra = next(
        (k for k in instance if k not in known and not any(re.search(p, str(k)) for p in patterns)), None
    )
    if extra is None:
        return path, "unknown field"
    where: Path = (*path, extra)
    parent = path[-1] if path else None
    if parent == "paths":
        return where, f"path `{extra}` must start with `/`"
    if parent == "responses":
        return where, f"`{extra}` is not a response status: use 100 to 599, a range such as 4XX, or `default`"
    hint = " (extensions must start with `x-`)" if "^x-" in patterns else ""
    close = difflib.get_close_matches(str(extra), [str(k) for k in known], n=1, cutoff=0.8)
    if close:
        hint = f" (did you mean `{close[0]}`?)"
    return where, f"unknown field `{extra}`{hint}: it is ignored"


def pattern_message(subject: str, pattern: str) -> str:
    """What a pattern Python's `re` cannot read, or that sdkgen cannot check, means for the checks."""
    from generator.spec.patterns import unreadable

    why = unreadable(pattern)
    if why is None:
        return (
            f"{subject} {_show(pattern)} is ECMA-262 (JSON Schema's dialect) that Python's `re` does not "
            "read: sdkgen checks values against it as ECMA-262"
        )
    return f"{subject} {_show(pattern)} cannot be checked ({why}): sdkgen does not check values against it"


def _subject(path: Path) -> str:
    """How a message names the value: by its key, or by its place in a list."""
    if not path:
        return "the document"
    last = path[-1]
    if isinstance(last, int):
        return f"item {last} of `{path[-2]}`" if len(path) > 1 else f"item {last}"
    return f"`{last}`"


def kind_of(value: Any) -> str:
    """A value as a message names it: `the number 5`, `the string 'x'`, `a list`, `null`."""
    if isinstance(value, bool) or value is None:
        return _show(value)
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    return "a list" if isinstance(value, list) else "a mapping"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, int | float):
        return str(value)
    return "a list" if isinstance(value, list) else "a mapping"


def _shorten(message: str, instance: Any) -> str:
    # The validator's messages start with the whole offending value; name it instead.
    text = message.split("\n", 1)[0]
    shown = repr(instance)
    if len(shown) > 60 and text.startswith(shown):
        text = kind_of(instance) + text[len(shown) :]
    return text if len(text) <= 300 else text[:297] + "..."
