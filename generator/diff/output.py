"""Diff output: a DiffReport (or the rule catalogue) as text, JSON or a markdown changelog; semver."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.diff.compare import Change, DiffReport
from generator.diff.rules import BREAKING, INFO, RULES_BY_ID, SEVERITIES, WARNING, Rule

FORMATS = ("text", "json", "markdown")
_HEADINGS = {BREAKING: "Breaking changes", WARNING: "Warnings", INFO: "Other changes"}
_SPEC_WIDE = "Spec-wide"


def semver(report: DiffReport) -> str:
    """major if anything breaks; minor for any other change but documentation; else patch."""
    if any(change.severity == BREAKING for change in report.changes):
        return "major"
    if any(not RULES_BY_ID[change.id].docs for change in report.changes):
        return "minor"
    return "patch"


def summary(report: DiffReport) -> str:
    counts = ", ".join(f"{report.count(severity)} {severity}" for severity in SEVERITIES)
    return f"{len(report.changes)} change(s): {counts}; semver: {semver(report)}"


def render(report: DiffReport, output_format: str) -> str:
    """The report in one of FORMATS, ending with a newline."""
    if output_format == "json":
        return render_json(report)
    if output_format == "markdown":
        return render_markdown(report)
    return render_text(report)


def render_text(report: DiffReport) -> str:
    lines = [_text_line(change) for change in report.changes]
    return "\n".join([*lines, summary(report)]) + "\n"


def _text_line(change: Change) -> str:
    # Same shape as sdkgen's diagnostics (`file:line:col: severity: message`), so editors can jump.
    operation = f"{change.operation}: " if change.operation else ""
    return f"{change.location}: {change.severity}: [{change.id}] {operation}{change.message}"


def render_json(report: DiffReport) -> str:
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
    return json.dumps({"changes": changes, "semver": semver(report)}, indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: DiffReport) -> str:
    """A changelog: a section per severity, a subsection per operation, a bullet per change."""
    lines = ["# API changes", ""]
    if not report.changes:
        return "\n".join([*lines, "No changes.", ""])
    counts = ", ".join(f"{report.count(s)} {s}" for s in SEVERITIES if report.count(s))
    lines += [f"Suggested version bump: **{semver(report)}** ({counts}).", ""]
    for severity in SEVERITIES:
        changes = [change for change in report.changes if change.severity == severity]
        if changes:
            lines += [f"## {_HEADINGS[severity]}", ""]
            lines += _markdown_groups(changes)
    return "\n".join(lines)


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
        rows = [{"id": r.id, "severity": r.severity, "area": r.area, "summary": r.summary} for r in rules]
        return json.dumps({"rules": rows}, indent=2) + "\n"
    if output_format == "markdown":
        return _rules_markdown(rules)
    width = max(len(r.id) for r in rules)
    lines = [f"{r.id:<{width}}  {r.severity:<8}  {r.summary}" for r in rules]
    return "\n".join([*lines, f"{len(rules)} rules"]) + "\n"


def _rules_markdown(rules: list[Rule]) -> str:
    lines = ["# `sdkgen diff` rules", ""]
    for area in dict.fromkeys(r.area for r in rules):
        lines += [f"## {area}", "", "| id | severity | meaning |", "|---|---|---|"]
        lines += [
            f"| `{r.id}` | {r.severity} | {_markdown_text(r.summary)} |" for r in rules if r.area == area
        ]
        lines.append("")
    return "\n".join(lines)
