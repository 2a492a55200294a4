"""Schema check: validate a value sent to the API against a schema of the spec, `$ref`s across files."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

from jsonschema import (  # type: ignore[import-untyped]
    Draft4Validator,
    Draft202012Validator,
    FormatChecker,
    validators,
)
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped]
from referencing import Registry, Resource, Specification
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4, DRAFT202012

from generator.spec.load import Workspace, join_pointer
from generator.spec.patterns import compile_pattern, is_regex, matches
from generator.spec.refs import Node

_MAX_MESSAGE = 300
Keyword = Callable[[Any, Any, Any, Any], Iterator[Any]]


@dataclass(frozen=True)
class Problem:
    """Why a value does not match its schema: where in the value (a JSON pointer) and what."""

    pointer: str
    message: str

    def describe(self, what: str) -> str:
        """E.g. `request body at /items/0/quantity: 'x' is not of type 'integer'`."""
        return f"{what} at {self.pointer}: {self.message}" if self.pointer else f"{what}: {self.message}"


class SchemaChecker:
    """Validates request values: OpenAPI 3.1 as JSON Schema 2020-12, 3.0 as draft 4 plus `nullable`.

    Every document of the workspace is a resource of one registry, so a schema is checked in place
    (as `{"$ref": "<file>#<pointer>"}`) and its `#/components/...` and cross-file refs resolve as
    they do in the spec. Compiled validators are cached per schema location.
    """

    def __init__(self, workspace: Workspace, not_required: frozenset[str] = frozenset({"readOnly"})) -> None:
        """`not_required`: a required property whose schema sets one of these keywords may be missing
        (readOnly for request values; readOnly and writeOnly for examples, which may be either)."""
        openapi_30 = str(workspace.root.data.get("openapi", "")).startswith("3.0")
        specification: Specification[Any] = DRAFT4 if openapi_30 else DRAFT202012
        self._workspace = workspace
        self._specification = specification
        base = Draft4Validator if openapi_30 else Draft202012Validator
        self._class = _request_validator(base, openapi_30, not_required)
        resources = [(d.uri, specification.create_resource(d.data)) for d in workspace.documents]
        # mypy does not see attrs' `alias=`: the field is `_retrieve`, its argument `retrieve`.
        registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self._registry = registry.with_resources(resources)
        self._validators: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def problem(self, value: Any, schema: Node) -> Problem | None:
        """What is wrong with `value` under the schema at `schema`; None when it is valid."""
        error = best_match(self._validator(schema).iter_errors(value))
        if error is None:
            return None
        message = str(error.message)
        if len(message) > _MAX_MESSAGE:  # messages quote the value, which may be the whole body
            message = message[: _MAX_MESSAGE - 3] + "..."
        return Problem(join_pointer("", *(str(token) for token in error.absolute_path)), message)

    def _validator(self, schema: Node) -> Any:
        with self._lock:
            validator = self._validators.get(schema.key)
            if validator is None:
                uri = schema.document.uri + "#" + quote(schema.pointer, safe="/~")
                validator = self._class(
                    {"$ref": uri}, registry=self._registry, format_checker=ecma_formats(self._class)
                )
                self._validators[schema.key] = validator
            return validator

    def _retrieve(self, uri: str) -> Resource[Any]:
        # Files the validation of the spec did not reach are loaded on demand, through the workspace.
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise NoSuchResource(uri)
        document = self._workspace.document(Path(url2pathname(parts.path)))
        return self._specification.create_resource(document.data)


def _request_validator(base: Any, openapi_30: bool, not_required: frozenset[str]) -> Any:
    keywords: dict[str, Keyword] = dict(with_ecma_patterns(base).VALIDATORS)
    keywords["required"] = _flagged_not_required(keywords["required"], not_required)
    if openapi_30:
        keywords = {name: _nullable(keyword) for name, keyword in keywords.items()}
    return validators.extend(base, keywords)


def _nullable(keyword: Keyword) -> Keyword:
    # OpenAPI 3.0's `nullable: true` admits null whatever the schema's other keywords say.
    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if instance is None and isinstance(schema, dict) and schema.get("nullable") is True:
            return
        yield from keyword(validator, value, instance, schema)

    return check


def _flagged_not_required(keyword: Keyword, flags: frozenset[str]) -> Keyword:
    # A required readOnly property is required in responses only: clients do not send it (and a
    # writeOnly one in requests only).
    def check(validator: Any, required: Any, instance: Any, schema: Any) -> Iterator[Any]:
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(required, list) and isinstance(properties, dict):
            required = [name for name in required if not _flagged(properties.get(name), flags)]
        yield from keyword(validator, required, instance, schema)

    return check


def _flagged(schema: Any, flags: frozenset[str]) -> bool:
    return isinstance(schema, dict) and any(schema.get(flag) is True for flag in flags)


# --- patterns as JSON Schema means them: ECMA-262 (spec/patterns.py), not Python's `re` -------------


@cache
def with_ecma_patterns(base: Any) -> Any:
    """`base` (a jsonschema validator class) reading `pattern` and `patternProperties` as ECMA-262.

    A pattern sdkgen cannot check checks nothing: validation says so once, as a warning.
    """
    keywords: dict[str, Keyword] = {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties(base.VALIDATORS["additionalProperties"]),
    }
    return validators.extend(base, keywords)


@cache
def ecma_formats(base: Any) -> Any:
    """`base`'s format checker, with the `regex` format read as sdkgen reads patterns."""
    checker = FormatChecker()
    checker.checkers = {**base.FORMAT_CHECKER.checkers, "regex": (is_regex, ())}
    return checker


def _pattern(validator: Any, source: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "string") and isinstance(source, str) and not matches(source, instance):
        yield ValidationError(f"{instance!r} does not match {source!r}")


def _pattern_properties(validator: Any, properties: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object") or not isinstance(properties, dict):
        return
    for source, subschema in properties.items():
        compiled = compile_pattern(str(source))
        for name, value in instance.items():
            if compiled is not None and compiled.search(name):
                yield from validator.descend(value, subschema, path=name, schema_path=source)


def _additional_properties(keyword: Keyword) -> Keyword:
    # jsonschema finds the properties no `patternProperties` pattern matches with `re`: here they
    # are found with sdkgen's patterns (a pattern that cannot be checked matches every name).
    def check(validator: Any, extra: Any, instance: Any, schema: Any) -> Iterator[Any]:
        patterns = schema.get("patternProperties") if isinstance(schema, dict) else None
        if not isinstance(patterns, dict) or not patterns or not validator.is_type(instance, "object"):
            yield from keyword(validator, extra, instance, schema)
            return
        compiled = [compile_pattern(str(source)) for source in patterns]
        known = schema.get("properties") or {}
        extras = sorted(
            str(name)
            for name in instance
            if name not in known and not any(c is None or c.search(str(name)) for c in compiled)
        )
        if validator.is_type(extra, "object"):
            for name in extras:
                yield from validator.descend(instance[name], extra, path=name)
        elif extra is False and extras:
            names = ", ".join(repr(name) for name in extras)
            listed = ", ".join(repr(source) for source in sorted(patterns))
            yield ValidationError(
                f"{names} {'does' if len(extras) == 1 else 'do'} not match any of the regexes: {listed}"
            )

    return check
