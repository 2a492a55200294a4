"""Diff output: a DiffReport (or the rule catalogue) as text, JSON or a markdown changelog; semver."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from generator.diff.compare import Change, DiffReport, RootCause
from generator.diff.rules import BREAKING, INFO, RULES_BY_ID, SEVERITIES, WARNING, Rule
from generator.spec.load import split_pointer

FORMATS = ("text", "json", "markdown")
# `cause`: one entry per root cause, listing the operations it affects; `none`: one per operation.
GROUPS = ("cause", "none")
GROUP_CAUSE, GROUP_NONE = GROUPS
_HEADINGS = {BREAKING: "Breaking changes", WARNING: "Warnings", INFO: "Other changes"}
_SPEC_WIDE = "Spec-wide"
_NAMED = 3  # operations named in "affects N operations: A, B, C and 9 more"


def semver(report: DiffReport) -> str:
    """major if anything breaks; minor for any other change but documentation; else patch."""
    if any(change.severity == BREAKING for change in report.changes):
        return "major"
    if any(not RULES_BY_ID[change.id].docs for change in report.changes):
        return "minor"
    return "patch"


def summary(report: DiffReport, group: str = GROUP_CAUSE) -> str:
    entries: Sequence[Change | RootCause] = report.changes if group == GROUP_NONE else report.root_causes()
    counts = ", ".join(f"{_count(entries, severity)} {severity}" for severity in SEVERITIES)
    return f"{len(entries)} change(s): {counts}; semver: {semver(report)}"


def _count(entries: Sequence[Change | RootCause], severity: str) -> int:
    return sum(entry.severity == severity for entry in entries)


def render(report: DiffReport, output_format: str, group: str = GROUP_CAUSE) -> str:
    """The report in one of FORMATS, grouped as one of GROUPS, ending with a newline."""
    if output_format == "json":
        return render_json(report, group)
    if output_format == "markdown":
        return render_markdown(report, group)
    return render_text(report, group)


# --- text --------------------------------------------------------------------------------------


def render_text(report: DiffReport, group: str = GROUP_CAUSE) -> str:
    if group == GROUP_NONE:
        lines = [_text_line(change) for change in report.changes]
    else:
        lines = [_text_cause(cause) for cause in report.root_causes()]
    return "\n".join([*lines, summary(report, group)]) + "\n"


def _text_line(change: Change) -> str:
    # Same shape as sdkgen's diagnostics (`file:line:col: severity: message`), so editors can jump.
    operation = f"{change.operation}: " if change.operation else ""
    return f"{change.location}: {change.severity}: [{change.id}] {operation}{change.message}"


def _text_cause(cause: RootCause) -> str:
    head = f"{cause.location}: {cause.severity}: [{cause.id}] "
    if len(cause.operations) == 1:
        return f"{head}{cause.operations[0]}: {cause.message}"
    if not cause.operations:
        return head + cause.message
    return f"{head}{cause.message} ({affects(cause.operations)})"


def affects(operations: Sequence[str], quote: str = "") -> str:
    """`affects 12 operations: A, B, C and 9 more`: the count, and the first few by name."""
    named = ", ".join(f"{quote}{operation}{quote}" for operation in operations[:_NAMED])
    more = f" and {len(operations) - _NAMED} more" if len(operations) > _NAMED else ""
    noun = "operation" if len(operations) == 1 else "operations"
    return f"affects {len(operations)} {noun}: {named}{more}"


# --- json --------------------------------------------------------------------------------------


def render_json(report: DiffReport, group: str = GROUP_CAUSE) -> str:
    changes: list[dict[str, Any]]
    if group == GROUP_NONE:
        changes = [
            {
                "id": change.id,
                "severity": change.severity,
                "operation": change.operation,
                "pointer": change.pointer,
                "location": change.location,
                "message": change.message,
            }
            for change in report.changes
        ]
    else:
        changes = [
            {
                "id": cause.id,
                "severity": cause.severity,
                "operations": list(cause.operations),
                "pointer": cause.pointer,
                "location": cause.location,
                "message": cause.message,
            }
            for cause in report.root_causes()
        ]
    return json.dumps({"changes": changes, "semver": semver(report)}, indent=2, ensure_ascii=False) + "\n"


# --- markdown ----------------------------------------------------------------------------------


def render_markdown(report: DiffReport, group: str = GROUP_CAUSE) -> str:
    """A changelog: a section per severity (breaking first), then a subsection per schema or operation."""
    lines = ["# API changes", ""]
    if not report.changes:
        return "\n".join([*lines, "No changes.", ""])
    if group == GROUP_NONE:
        return "\n".join(lines + _markdown_per_operation(report))
    return "\n".join(lines + _markdown_causes(report))


def _markdown_per_operation(report: DiffReport) -> list[str]:
    counts = ", ".join(f"{report.count(s)} {s}" for s in SEVERITIES if report.count(s))
    lines = [f"Suggested version bump: **{semver(report)}** ({counts}).", ""]
    for severity in SEVERITIES:
        changes = [change for change in report.changes if change.severity == severity]
        if changes:
            lines += [f"## {_HEADINGS[severity]}", ""]
            lines += _markdown_groups(changes)
    return lines


def _markdown_groups(changes: list[Change]) -> list[str]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.operation or _SPEC_WIDE, []).append(change)
    lines = []
    for operation, members in groups.items():
        lines += [f"### {operation if operation == _SPEC_WIDE else f'`{operation}`'}", ""]
        lines += [f"- {_markdown_text(c.message)} (`{c.id}`, {c.location})" for c in members]
        lines.append("")
    return lines


def _markdown_causes(report: DiffReport) -> list[str]:
    causes = report.root_causes()
    counts = ", ".join(f"{_count(causes, s)} {s}" for s in SEVERITIES if _count(causes, s))
    reached = len({operation for cause in causes for operation in cause.operations})
    lines = [
        f"Suggested version bump: **{semver(report)}** ({counts}; {reached} operation(s) affected).",
        "",
    ]
    for severity in (BREAKING, WARNING):  # complete: each needs a reader's decision
        members = [cause for cause in causes if cause.severity == severity]
        if members:
            lines += [f"## {_HEADINGS[severity]}", "", *_markdown_subjects(members)]
    others = [cause for cause in causes if cause.severity == INFO]
    if others:
        lines += _markdown_others(others)
    return lines


def _markdown_subjects(causes: list[RootCause]) -> list[str]:
    """Causes under a heading per schema (or operation, or other place), in first-seen order."""
    subjects: dict[str, list[RootCause]] = {}
    for cause in causes:
        subjects.setdefault(subject(cause), []).append(cause)
    lines = []
    for heading, members in subjects.items():
        lines += [f"### {heading}", ""]
        lines += [_markdown_cause(cause, heading) for cause in members]
        lines.append("")
    return lines


def _markdown_cause(cause: RootCause, heading: str) -> str:
    text = f"- {_markdown_text(cause.message)} (`{cause.id}`, {cause.location})"
    if not cause.operations or heading == _code(cause.operations[0]):
        return text  # the heading already names the one operation
    return f"{text}; {affects(cause.operations, '`')}."


def _markdown_others(causes: list[RootCause]) -> list[str]:
    """Changes that break nothing, summarised: a count per rule, then what was added, by name."""
    rows: dict[str, tuple[int, set[str]]] = {}
    for cause in causes:
        count, operations = rows.get(cause.id, (0, set()))
        rows[cause.id] = (count + 1, operations | set(cause.operations))
    lines = [
        f"## {_HEADINGS[INFO]}",
        "",
        f"{len(causes)} change(s) that existing code does not notice, by rule "
        "(`sdkgen diff OLD NEW` lists each one):",
        "",
        "| rule | changes | operations affected |",
        "|---|---|---|",
    ]
    ordered = sorted(rows.items(), key=lambda row: (-row[1][0], row[0]))
    lines += [f"| `{rule_id}` | {count} | {len(operations)} |" for rule_id, (count, operations) in ordered]
    lines.append("")
    added_operations = [cause.operations[0] for cause in causes if cause.id == "operation-added"]
    if added_operations:
        lines += ["### New operations", "", *[f"- {_code(name)}" for name in added_operations], ""]
    added_schemas = [subject(cause) for cause in causes if cause.id == "schema-added"]
    if added_schemas:
        names = ", ".join(name.removeprefix("Schema ") for name in added_schemas)
        lines += ["### New schemas", "", names, ""]
    return lines


def subject(cause: RootCause) -> str:
    """What a root cause is about, as a markdown heading: a schema, an operation, another place."""
    tokens = _tokens(cause.pointer)
    if tokens[:1] == ["components"] and len(tokens) >= 3:
        kind, name = tokens[1], tokens[2]
        return f"Schema {_code(name)}" if kind == "schemas" else f"Component {_code(f'{kind}/{name}')}"
    if len(cause.operations) == 1:
        return _code(cause.operations[0])
    if not cause.operations:
        return _SPEC_WIDE
    if tokens[:1] in (["paths"], ["webhooks"]) and len(tokens) >= 2:
        return f"Path item {_code(tokens[1])}"
    # A place in another file (a `$ref`ed schema file): the file is what changed.
    return f"File {_code(cause.location.rsplit(':', 2)[0])}"


def _tokens(pointer: str) -> list[str]:
    try:
        return split_pointer(pointer)
    except ValueError:
        return []


def _code(text: str) -> str:
    # A backtick inside a code span would end it early.
    return "`" + text.replace("`", "'") + "`"


def _markdown_text(text: str) -> str:
    # Spec text such as `<token>` or `*` must not turn into HTML or emphasis; code spans are left alone.
    parts = text.split("`")
    return "`".join(part if index % 2 else _escape(part) for index, part in enumerate(parts))


def _escape(text: str) -> str:
    return "".join(f"\\{c}" if c in "\\<>*_[]|" else c for c in text)


def render_rules(rules: Iterable[Rule], output_format: str) -> str:
    """The rule catalogue, as `sdkgen diff --rules` prints it."""
    rules = list(rules)
    if output_format == "json":
        rows = [
            {"id": r.id, "severity": r.severity, "area": r.area, "summary": r.summary, "why": r.why}
            for r in rules
        ]
        return json.dumps({"rules": rows}, indent=2) + "\n"
    if output_format == "markdown":
        return _rules_markdown(rules)
    width = max(len(r.id) for r in rules)
    lines = []
    for r in rules:
        lines += [f"{r.id:<{width}}  {r.severity:<8}  {r.summary}", f"{'':<{width}}  {'why:':<8}  {r.why}"]
    return "\n".join([*lines, f"{len(rules)} rules"]) + "\n"


def _rules_markdown(rules: list[Rule]) -> str:
    lines = ["# `sdkgen diff` rules", ""]
    for area in dict.fromkeys(r.area for r in rules):
        lines += [f"## {area}", "", "| id | severity | meaning | why this severity |", "|---|---|---|---|"]
        lines += [
            f"| `{r.id}` | {r.severity} | {_markdown_text(r.summary)} | {_markdown_text(r.why)} |"
            for r in rules
            if r.area == area
        ]
        lines.append("")
    return "\n".join(lines)
