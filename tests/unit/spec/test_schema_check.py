"""Unit tests for generator.spec.schema_check: values against the spec's schemas, patterns as ECMA-262.

What the mock server checks requests with, what `validate` checks examples and defaults with, and
what drift walks bodies with: each reads a schema's patterns as JSON Schema means them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.drift.schema import BodyChecker
from generator.spec import validate
from generator.spec.load import Workspace
from generator.spec.refs import Node
from generator.spec.schema_check import SchemaChecker
from tests.unit.helpers import spec, write_spec

SCHEMAS: dict[str, Any] = {
    "Letters": {"type": "string", "pattern": "^\\p{L}+$"},
    "Digits": {"type": "string", "pattern": "^\\d+$"},
    "Java": {"type": "string", "pattern": "\\p{Print}+"},
    "Tags": {
        "type": "object",
        "patternProperties": {"^\\p{Lu}": {"type": "integer"}},
        "additionalProperties": False,
    },
    "Regex": {"type": "string", "format": "regex"},
}


@pytest.fixture
def checker(tmp_path: Path) -> tuple[SchemaChecker, Workspace]:
    workspace = Workspace.open(write_spec(tmp_path / "spec.yaml", spec(SCHEMAS)))
    return SchemaChecker(workspace), workspace


def _schema(workspace: Workspace, name: str) -> Node:
    return Node(workspace.root, f"/components/schemas/{name}", SCHEMAS[name])


@pytest.mark.parametrize(
    ("name", "value", "valid"),
    [
        ("Letters", "héllo", True),
        ("Letters", "Ωμέγα", True),
        ("Letters", "abc1", False),
        ("Digits", "42", True),
        ("Digits", "٤٢", False),  # Python's `re` says yes: ECMA-262's \d is 0-9
        ("Digits", "42\n", False),  # Python's `$` matches before a final newline
        ("Java", "anything at all", True),  # a pattern sdkgen cannot check checks nothing
        ("Tags", {"Count": 1, "Total": 2}, True),
        ("Tags", {"Ärger": 1}, True),
        ("Tags", {"count": 1}, False),  # matches no pattern, and additionalProperties is false
        ("Tags", {"Count": "one"}, False),
        ("Regex", "^\\p{L}$", True),
        ("Regex", "\\p{Print}", False),
    ],
)
def test_values_are_checked_against_ecma_262_patterns(
    checker: tuple[SchemaChecker, Workspace], name: str, value: Any, valid: bool
) -> None:
    schemas, workspace = checker
    problem = schemas.problem(value, _schema(workspace, name))
    assert (problem is None) == valid, problem


def test_drift_reads_pattern_properties_as_ecma_262(checker: tuple[SchemaChecker, Workspace]) -> None:
    _, workspace = checker
    issues = BodyChecker(workspace).check({"Ärger": 1, "lower": 2}, _schema(workspace, "Tags"))
    assert [(i.rule, i.pointer) for i in issues] == [("undocumented-field", "/lower")]


def test_a_default_is_checked_against_an_ecma_pattern_without_a_crash(tmp_path: Path) -> None:
    properties = {
        "good": {"type": "string", "pattern": "^\\p{L}+$", "default": "abc"},
        "bad": {"type": "string", "pattern": "^\\p{L}+$", "default": "123"},
    }
    document = spec({"Thing": {"type": "object", "properties": properties}})
    warnings = validate.validate(Workspace.open(write_spec(tmp_path / "s.yaml", document)), use_cache=False)
    said = sorted((w.pointer.rsplit("/", 2)[-2:][0], w.message.split(" ")[0]) for w in warnings)
    assert said == [("bad", "`default`"), ("bad", "`pattern`"), ("good", "`pattern`")]
    assert all(w.severity == "warning" for w in warnings)
