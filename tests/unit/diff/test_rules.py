"""Unit tests for the diff rule catalogue: every rule has a spec pair that triggers exactly what it should."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import DiffReport, diff_specs
from generator.diff.rules import RULES, RULES_BY_ID, SEVERITIES, rule
from generator.spec.load import Document, parse_text
from tests.unit.diff.diff_cases import Case, rule_cases

CASES = rule_cases()


def document(name: str, data: dict[str, Any]) -> Document:
    text = yaml.safe_dump(data, sort_keys=False)
    return Document(Path(name), parse_text(text, Path(name)), text)


def diff(old: dict[str, Any], new: dict[str, Any]) -> DiffReport:
    return diff_specs(document("old.yaml", old), document("new.yaml", new))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.rule)
def test_rule_is_detected_and_nothing_else(case: Case) -> None:
    report = diff(case.old, case.new)
    assert {change.id for change in report.changes} == case.expected, [c.message for c in report.changes]
    own = [change for change in report.changes if change.id == case.rule]
    assert {change.operation for change in own} == {case.operation}
    assert {change.severity for change in own} == {rule(case.rule).severity}
    assert all(change.message and change.location for change in own)


def test_the_catalogue_has_at_least_60_unique_kebab_case_rules() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", i) for i in ids)
    assert all(r.severity in SEVERITIES and r.summary.endswith(".") for r in RULES)


def test_every_rule_is_exercised_by_a_case() -> None:
    assert {case.rule for case in CASES} == set(RULES_BY_ID)
    assert len(CASES) == len(RULES), "one case per rule"


def test_unchanged_specs_report_nothing() -> None:
    for case in CASES:
        assert diff(case.new, case.new).changes == [], case.rule
