"""Diff: compare two OpenAPI specs, operation by operation, and say what breaks whom."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.diff.operation import (
    Operation,
    OperationDiff,
    changed_parts,
    operations,
    scheme_shape,
    security_schemes,
)
from generator.diff.rules import rule, severity_rank
from generator.diff.schema import SchemaGraph
from generator.diff.source import At, Side, check_openapi
from generator.model.naming import pascal_case
from generator.spec.load import Document, Workspace, join_pointer


@dataclass(frozen=True)
class Change:
    """One reported change: `id` is the rule, `operation` is None for spec-wide changes."""

    id: str
    severity: str
    operation: str | None
    pointer: str
    location: str
    message: str


@dataclass(frozen=True)
class RootCause:
    """One change at one place, with every operation that reaches it (none for spec-wide changes).

    A change inside a shared schema is found once per operation that uses the schema; this is
    that change once, as a reviewer reads it.
    """

    id: str
    severity: str
    operations: tuple[str, ...]
    pointer: str
    location: str
    message: str


def group_changes(changes: Iterable[Change]) -> list[RootCause]:
    """Merge changes with the same rule, place and message; first-seen order is kept."""
    groups: dict[tuple[str, str, str, str], list[Change]] = {}
    for change in changes:
        groups.setdefault((change.id, change.location, change.pointer, change.message), []).append(change)
    return [_root_cause(members) for members in groups.values()]


def _root_cause(members: list[Change]) -> RootCause:
    first = members[0]
    operations = tuple(dict.fromkeys(c.operation for c in members if c.operation is not None))
    return RootCause(first.id, first.severity, operations, first.pointer, first.location, first.message)


@dataclass
class DiffReport:
    """Every change from OLD to NEW, worst first (and in document order within a severity).

    `changes` holds one entry per operation a change affects; `root_causes()` merges them.
    """

    changes: list[Change]

    def count(self, severity: str) -> int:
        return sum(change.severity == severity for change in self.changes)

    def root_causes(self) -> list[RootCause]:
        return group_changes(self.changes)


def diff_specs(old: Document | Workspace, new: Document | Workspace) -> DiffReport:
    """Compare two specs; a `Document` is opened as a workspace so its `$ref`s to other files resolve."""
    sides = [Side(spec if isinstance(spec, Workspace) else Workspace(spec)) for spec in (old, new)]
    for side in sides:
        check_openapi(side.root)
    return _Differ(*sides).run()


class _Differ:
    """Walks both specs once; every change goes through `emit`, which drops repeats."""

    def __init__(self, old: Side, new: Side) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._seen: set[tuple[str, str | None, bool, tuple[str, str]]] = set()

    def emit(self, rule_id: str, operation: str | None, at: At, message: str) -> None:
        # The side is part of the key: `git:HEAD:x.yaml` and the working-tree x.yaml share a path.
        key = (rule_id, operation, at.side is self.new, at.key)
        if key in self._seen:
            return
        self._seen.add(key)
        found = rule(rule_id)
        self.changes.append(Change(found.id, found.severity, operation, at.pointer, at.where, message))

    def run(self) -> DiffReport:
        graph = SchemaGraph(self.components())
        self.servers()
        self.section("paths", "operation", graph, "its SDK method disappears")
        self.section("webhooks", "webhook", graph, "its handlers no longer receive these calls")
        self.security_schemes()
        self.changes.sort(key=lambda change: severity_rank(change.severity))
        return DiffReport(self.changes)

    def section(self, section: str, kind: str, graph: SchemaGraph, consequence: str) -> None:
        """Operations (or webhooks) removed, added, and compared one by one."""
        before, after = operations(self.old, section), operations(self.new, section)
        for key, operation in before.items():
            if key not in after:
                message = f"{operation.label} was removed: {consequence}"
                self.emit(f"{kind}-removed", operation.label, operation.at, message)
        for key, operation in after.items():
            if key in before:
                self.operation(before[key], operation, graph)
            else:
                self.emit(f"{kind}-added", operation.label, operation.at, f"{operation.label} was added")

    def security_schemes(self) -> None:
        """components.securitySchemes added or removed, and changes to those no operation uses
        (a change to a used one is security-scheme-changed, with every operation that uses it)."""
        before, after = security_schemes(self.old), security_schemes(self.new)
        for name, at in before.items():
            if name not in after:
                message = f"security scheme `{name}` was removed"
                self.emit("security-scheme-removed", None, at, message)
        reported = {c.pointer for c in self.changes if c.id == "security-scheme-changed"}
        for name, at in after.items():
            if name not in before:
                self.emit("security-scheme-added", None, at, f"security scheme `{name}` was added")
                continue
            old_shape, new_shape = scheme_shape(self.old, name), scheme_shape(self.new, name)
            if old_shape != new_shape and at.pointer not in reported:
                what = changed_parts(old_shape, new_shape)
                message = f"security scheme `{name}` changed ({what}); no operation uses it"
                self.emit("unused-security-scheme-changed", None, at, message)

    def operation(self, old: Operation, new: Operation, graph: SchemaGraph) -> None:
        """One operation's own changes, then those inside every schema it reaches (shared ones too)."""

        def emit(rule_id: str, at: At, message: str) -> None:
            self.emit(rule_id, new.label, at, message)

        for finding in graph.findings(OperationDiff(old, new, graph, emit).run()):
            emit(finding.rule, finding.at, finding.message)

    def components(self) -> dict[str, str]:
        """Report named schemas added, removed or renamed (same structure); returns old -> new names."""
        before, after = _schemas(self.old), _schemas(self.new)
        added = {name: None for name in after if name not in before}
        shapes: dict[str, list[str]] = {}
        for name in added:
            shapes.setdefault(_shape(after[name][0], name), []).append(name)
        renames: dict[str, str] = {}
        for name, (value, at) in before.items():
            if name in after:
                continue
            twins = shapes.get(_shape(value, name))
            if twins:
                twin = twins.pop(0)
                del added[twin]
                renames[name] = twin
                message = (
                    f"schema `{name}` was renamed to `{twin}`: the generated class "
                    f"`{pascal_case(name)}` is now `{pascal_case(twin)}`"
                )
                self.emit("schema-renamed", None, after[twin][1], message)
            else:
                message = f"schema `{name}` was removed: the generated class `{pascal_case(name)}` disappears"
                self.emit("schema-removed", None, at, message)
        for name in added:
            message = f"schema `{name}` was added (a new class `{pascal_case(name)}`)"
            self.emit("schema-added", None, after[name][1], message)
        return renames

    def servers(self) -> None:
        before, after = _servers(self.old), _servers(self.new)
        for url, at in before.items():
            if url not in after:
                self.emit("server-removed", None, at, f"server `{url}` was removed")
        for url, at in after.items():
            if url not in before:
                self.emit("server-added", None, at, f"server `{url}` was added")


def _schemas(side: Side) -> dict[str, tuple[Any, At]]:
    components = side.root.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return {
        str(name): (value, At(side, side.root, join_pointer("/components/schemas", name)))
        for name, value in (schemas if isinstance(schemas, dict) else {}).items()
    }


def _shape(value: Any, name: str) -> str:
    """A schema as text, its references to itself made nameless, so a renamed twin compares equal."""
    return json.dumps(value, sort_keys=True).replace(f'"#/components/schemas/{name}"', '"#self"')


def _servers(side: Side) -> dict[str, At]:
    servers = side.root.data.get("servers")
    return {
        str(server["url"]): At(side, side.root, join_pointer("/servers", index))
        for index, server in enumerate(servers if isinstance(servers, list) else [])
        if isinstance(server, dict) and "url" in server
    }
