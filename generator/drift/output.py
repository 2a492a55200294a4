"""Drift output: the allow-list of accepted findings, the report, and its text and JSON forms."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.drift.rules import BREAKING, INFO, RULES, SEVERITIES, WARNING, Finding, severity_rank
from generator.errors import Location, SpecError
from generator.spec.load import load_document

FORMATS = ("text", "json")
FAIL_ON = (BREAKING, WARNING)


@dataclass(frozen=True)
class Allowance:
    """An accepted finding: its rule id at these pointers, optionally only in sources matching a glob."""

    id: str
    pointers: tuple[str, ...]
    reason: str
    source: str | None = None
    operation: str | None = None
    location: Location | None = None

    def allows(self, finding: Finding) -> bool:
        return (
            finding.id == self.id
            and finding.pointer in self.pointers
            and (self.source is None or fnmatch.fnmatchcase(finding.source, self.source))
            and (self.operation is None or finding.operation == self.operation)
        )

    def in_scope(self, sources: list[str]) -> bool:
        """Whether this run checked a recording the entry is about (so an unused entry is stale)."""
        return self.source is None or any(fnmatch.fnmatchcase(s, self.source) for s in sources)


def load_allow(path: Path) -> list[Allowance]:
    """Read an allow-list: `allow: [{id, pointer | pointers, reason, source?, operation?}]`."""
    document = load_document(path)
    data = document.data
    entries = data.get("allow") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SpecError.at("an allow-list is a mapping with a list `allow`", document.locate(""))
    result = []
    for index, entry in enumerate(entries):
        where = document.locate(f"/allow/{index}")
        result.append(_allowance(entry, where))
    return result


def _allowance(entry: Any, where: Location) -> Allowance:
    if not isinstance(entry, dict):
        raise SpecError.at("an allow entry is a mapping with `id`, `pointer` and `reason`", where)
    rule = entry.get("id")
    if rule not in RULES:
        raise SpecError.at(f"unknown rule id {rule!r}; the rules: {', '.join(RULES)}", where)
    pointers = entry.get("pointers", [entry["pointer"]] if "pointer" in entry else None)
    if not isinstance(pointers, list) or not all(isinstance(p, str) for p in pointers) or not pointers:
        raise SpecError.at("an allow entry needs `pointer` (a JSON pointer) or `pointers` (a list)", where)
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise SpecError.at("an allow entry needs a `reason`: why the finding is accepted", where)
    source, operation = entry.get("source"), entry.get("operation")
    if not isinstance(source, str | None) or not isinstance(operation, str | None):
        raise SpecError.at("`source` (a glob) and `operation` (e.g. GET /v1/items) are strings", where)
    return Allowance(str(rule), tuple(pointers), reason.strip(), source, operation, where)


@dataclass
class Report:
    """The findings of a run: those that count, those the allow-list accepts, and stale allow entries."""

    findings: list[Finding]
    sources: list[str]
    allowed: list[tuple[Finding, Allowance]] = field(default_factory=list)
    unused: list[Allowance] = field(default_factory=list)

    @classmethod
    def build(cls, findings: list[Finding], sources: list[str], allowances: list[Allowance]) -> Report:
        report = cls([], sources)
        used: set[int] = set()
        for finding in findings:
            match = next((i for i, a in enumerate(allowances) if a.allows(finding)), None)
            if match is None:
                report.findings.append(finding)
            else:
                used.add(match)
                report.allowed.append((finding, allowances[match]))
        report.unused = [a for i, a in enumerate(allowances) if i not in used and a.in_scope(sources)]
        return report

    def fails(self, fail_on: str) -> bool:
        """Whether a finding (not allowed) is at `fail_on` or worse."""
        return any(severity_rank(f.severity) <= severity_rank(fail_on) for f in self.findings)

    def counts(self) -> dict[str, int]:
        return {severity: sum(f.severity == severity for f in self.findings) for severity in SEVERITIES}


def render(report: Report, output: str, fail_on: str) -> str:
    return render_json(report, fail_on) if output == "json" else render_text(report, fail_on)


def render_text(report: Report, fail_on: str) -> str:
    """One line a finding, `SOURCE: SEVERITY rule-id at POINTER: message`, in recording order; a summary."""
    lines = [_line(f, f.severity) for f in report.findings]
    lines += [_line(f, "allowed") for f, _ in report.allowed]
    order = {source: index for index, source in enumerate(report.sources)}
    lines.sort(key=lambda line: order.get(line[0], len(order)))  # stable: body order within a recording
    text = [line for _, line in lines]
    for allowance in report.unused:
        where = f"{allowance.location}: " if allowance.location else ""
        text.append(f"{where}note: allow entry {allowance.id} matched nothing (stale?)")
    counts = report.counts()
    verdict = "FAIL" if report.fails(fail_on) else "ok"
    text.append(
        f"drift: {len(report.sources)} recording(s); {counts[BREAKING]} breaking, {counts[WARNING]} warning, "
        f"{counts[INFO]} info, {len(report.allowed)} allowed; {verdict} (--fail-on {fail_on})"
    )
    return "\n".join(text) + "\n"


def _line(finding: Finding, label: str) -> tuple[str, str]:
    at = f" at {finding.pointer}" if finding.pointer else ""
    return finding.source, f"{finding.source}: {label} {finding.id}{at}: {finding.message}"


def render_json(report: Report, fail_on: str) -> str:
    """`{"findings": [...], "allowed": [... + reason], "summary": {...}}`."""
    data = {
        "findings": [_finding(f) for f in report.findings],
        "allowed": [{**_finding(f), "reason": a.reason} for f, a in report.allowed],
        "summary": {
            "recordings": len(report.sources),
            **report.counts(),
            "allowed": len(report.allowed),
            "stale_allow_entries": [
                {"id": a.id, "pointers": list(a.pointers), "location": str(a.location or "")}
                for a in report.unused
            ],
            "fail_on": fail_on,
            "failed": report.fails(fail_on),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "severity": finding.severity,
        "operation": finding.operation,
        "pointer": finding.pointer,
        "message": finding.message,
        "source": finding.source,
    }
