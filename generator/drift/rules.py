"""Drift rules: the id, severity and meaning of everything `sdkgen drift` reports, and a Finding."""

from __future__ import annotations

from dataclasses import dataclass

BREAKING, WARNING, INFO = "breaking", "warning", "info"
SEVERITIES = (BREAKING, WARNING, INFO)

# id -> (severity, meaning). The meaning says what the SDK does with such a response.
RULES: dict[str, tuple[str, str]] = {
    "unknown-operation": (BREAKING, "no operation of the spec has this method and path"),
    "undocumented-status": (WARNING, "a status the operation does not document (no exact, range or default)"),
    "undocumented-field": (WARNING, "a field the spec does not describe: the SDK keeps it, untyped"),
    "type-mismatch": (BREAKING, "a value of another JSON type than the spec says"),
    "missing-required-field": (BREAKING, "a field the spec marks required is missing"),
    "enum-value-not-in-spec": (WARNING, "a value the enum does not list: open enums keep it"),
    "format-mismatch": (WARNING, "a string that does not match its `format` (email, date-time, int32, ...)"),
    "invalid-json-body": (BREAKING, "the body is not valid JSON although its media type says it is"),
    "sdk-parse-failure": (
        BREAKING,
        "the python-pydantic models reject the body with strict_responses=True; by default they set"
        " the value aside (the field is None) and report a type_mismatch",
    ),
    "sdk-value-changed": (WARNING, "the SDK parses the value but gives it back changed (e.g. 123 as '123')"),
    "sdk-field-lost": (BREAKING, "a field of the body is missing once the SDK has parsed it"),
    "sdk-check-skipped": (INFO, "the SDK round trip could not run (e.g. pydantic is not installed)"),
}


def severity_of(rule: str) -> str:
    return RULES[rule][0]


def severity_rank(severity: str) -> int:
    """0 for breaking, 1 for warning, 2 for info: lower is worse."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Issue:
    """What a check found in one body: a rule, where in the body (a JSON pointer), and what."""

    rule: str
    pointer: str
    message: str


@dataclass(frozen=True)
class Finding:
    """One finding of one recording; `operation` is e.g. `GET /v1/invoices/{id}` (None when unknown)."""

    id: str
    severity: str
    pointer: str
    message: str
    source: str
    operation: str | None = None

    @classmethod
    def of(cls, issue: Issue, source: str, operation: str | None) -> Finding:
        return cls(issue.rule, severity_of(issue.rule), issue.pointer, issue.message, source, operation)
