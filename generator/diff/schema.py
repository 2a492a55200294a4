"""Diff schemas: compare two schemas where a client writes (request) or reads (response), each pair once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from generator.diff.source import At, deref, is_ref
from generator.diff.view import (
    ANNOTATIONS,
    Bound,
    Option,
    View,
    canonical,
    option_signature,
    property_flag,
    view,
)

REQUEST, RESPONSE = "request", "response"
# A webhook swaps the sides: the API sends its request (the payload), which the client's handler
# reads as it reads a response, and the handler writes the response, which the API reads. The
# rules are those of the side that reads or writes; only the messages name the webhook's parts.
WEBHOOK_PAYLOAD, WEBHOOK_RESPONSE = "webhook payload", "webhook response"
_WRITTEN = (REQUEST, WEBHOOK_RESPONSE)  # directions where the client writes: narrowing breaks
# What a message calls one value of each direction, and several.
_NOUNS = {
    REQUEST: ("request", "requests"),
    RESPONSE: ("response", "responses"),
    WEBHOOK_PAYLOAD: ("webhook payload", "webhook payloads"),
    WEBHOOK_RESPONSE: ("webhook response", "webhook responses"),
}
_BOUNDS = (  # keyword, True for a lower bound, the rule a tighter request value breaks
    ("minimum", True, "request-minimum-increased"),
    ("maximum", False, "request-maximum-decreased"),
)
_COUNTS = (  # the same, for string lengths and array sizes
    ("minLength", True, "request-min-length-increased"),
    ("maxLength", False, "request-max-length-decreased"),
    ("minItems", True, "request-min-items-increased"),
    ("maxItems", False, "request-max-items-decreased"),
)
# JSON Schema 2020-12 keywords (3.1) holding one subschema: compared inside when both sides have one.
_SUBSCHEMAS = (
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
)
# Compared as a whole: what `if` selects, or what `not` excludes, has no direction to follow inside.
_OPAQUE = ("if", "not", "contentMediaType", "contentEncoding")
# The same bytes read another way once these change: not a constraint but what the value means.
_ENCODINGS = ("contentEncoding", "contentMediaType")
_KEYWORD_ORDER = (  # both kinds, in the order a schema usually spells them
    "if",
    "then",
    "else",
    "not",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
)
_SUBSCHEMA_MAPS = ("patternProperties", "dependentSchemas")  # name or pattern -> subschema
# Patterns that match every string (ECMA-262 search semantics): the same as no pattern at all.
_TRIVIAL_PATTERNS = frozenset({"", ".*", "^.*", ".*$", "[\\s\\S]*", "^[\\s\\S]*$", "(.*)", "^(.*)"})


@dataclass(frozen=True)
class Finding:
    """A change found inside a schema, not yet tied to an operation."""

    rule: str
    at: At
    message: str


@dataclass(frozen=True)
class Label:
    """How a message names a value: a base (`schema `Invoice``) and a path inside it (`customer.email`)."""

    base: str
    path: str = ""
    parameter: bool = False  # the root schema of a parameter: its default is a parameter rule
    # Inside a subschema that only constrains a value (`then`, `contains`, `patternProperties`...):
    # its properties are not fields of an SDK model, so adding or removing one is a constraint change.
    constraint: bool = False

    def child(self, name: str, separator: str = ".", constraint: bool = False) -> Label:
        path = f"{self.path}{separator}{name}" if self.path else name
        return Label(self.base, path, constraint=self.constraint or constraint)

    def __str__(self) -> str:
        return f"`{self.path}` in {self.base}" if self.path else self.base


# (old place, new place, direction, shape only, a parameter's root, inside a constraint): one node
# per pair of schemas and context. A parameter's root schema is a node of its own: its default is
# the parameter's (reported by the operation), while the same named schema elsewhere reports its
# default itself.
NodeKey = tuple[tuple[str, str], tuple[str, str], str, bool, bool, bool]


@dataclass
class _Node:
    findings: list[Finding] = field(default_factory=list)
    children: list[NodeKey] = field(default_factory=list)


@dataclass
class _Task:
    key: NodeKey
    old: Any
    old_at: At
    new: Any
    new_at: At
    label: Label


class SchemaGraph:
    """Pairs of schemas compared so far; a `$ref` on either side starts a new, memoised node.

    A node holds the findings inside its schema up to the next `$ref`, and edges to the nodes
    those `$ref`s lead to, so a shared schema is compared once per direction however many
    operations reach it, and a circular one terminates. `findings(roots)` collects what one
    operation reaches.
    """

    def __init__(self, renames: dict[str, str]) -> None:
        self.renames = renames
        self.nodes: dict[NodeKey, _Node] = {}
        self._pending: list[_Task] = []

    def compare(self, old: Any, old_at: At, new: Any, new_at: At, direction: str, label: Label) -> NodeKey:
        """Compare two root schemas (a body, a parameter, a header); returns the node to collect from."""
        key = self.schedule(old, old_at, new, new_at, direction, label, shape_only=False)
        while self._pending:
            task = self._pending.pop()
            node = self.nodes[task.key]
            _Compare(self, task.key[2], node).schemas(
                view(task.old, task.old_at), view(task.new, task.new_at), task.label, task.key[3]
            )
        return key

    def schedule(
        self, old: Any, old_at: At, new: Any, new_at: At, direction: str, label: Label, shape_only: bool
    ) -> NodeKey:
        old, old_at = deref(old, old_at)
        new, new_at = deref(new, new_at)
        key = (old_at.key, new_at.key, direction, shape_only, label.parameter, label.constraint)
        if key not in self.nodes:
            self.nodes[key] = _Node()
            # Named after the new schema; an inline new side (e.g. a `$ref` that became a oneOf) is
            # only reached from here, so it keeps the name of the place it is at.
            name = new_at.schema_name()
            named = replace(label, base=f"schema `{name}`", path="") if name else label
            self._pending.append(_Task(key, old, old_at, new, new_at, named))
        return key

    def findings(self, roots: Iterable[NodeKey]) -> list[Finding]:
        """Every finding reachable from `roots`, each node once, in document-ish order."""
        seen: set[NodeKey] = set()
        result: list[Finding] = []
        stack = list(reversed(list(roots)))
        while stack:
            key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            node = self.nodes[key]
            result.extend(node.findings)
            stack.extend(reversed(node.children))
        return result


def _widened(types: frozenset[str] | None) -> frozenset[str] | None:
    # An integer is a number: `integer` -> `number` widens, it does not change the type.
    return types | {"integer"} if types is not None and "number" in types else types


def _loses(before: frozenset[str] | None, after: frozenset[str] | None) -> bool:
    """Whether something `before` allowed, `after` does not (None allows anything)."""
    if before is None:
        return after is not None
    return after is not None and bool(before - after)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Compare:
    """The rules applied to one pair of schemas, inline subschemas included, in one direction."""

    def __init__(self, graph: SchemaGraph, direction: str, node: _Node) -> None:
        self.graph = graph
        self.direction = direction
        self.node = node
        self.request = direction in _WRITTEN
        self.one, self.many = _NOUNS[direction]

    def found(self, rule: str, at: At, message: str) -> None:
        self.node.findings.append(Finding(rule, at, message))

    def either(self, request_rule: str, response_rule: str, at: At, message: str) -> None:
        self.found(request_rule if self.request else response_rule, at, message)

    def child(
        self, old: Any, old_at: At, new: Any, new_at: At, label: Label, shape_only: bool = False
    ) -> None:
        if is_ref(old) or is_ref(new):
            key = self.graph.schedule(old, old_at, new, new_at, self.direction, label, shape_only)
            self.node.children.append(key)
        else:
            self.schemas(view(old, old_at), view(new, new_at), label, shape_only)

    def schemas(self, old: View, new: View, label: Label, shape_only: bool) -> None:
        if not shape_only:
            self.annotations(old, new, label)
            self.nullable(old, new, label)
        if old.is_union or new.is_union:
            self.union(old, new, label)
            if old.is_union and new.is_union:
                self.structure(old, new, label)
            return
        if self.scalars(old, new, label):
            self.structure(old, new, label)

    # --- annotations ---------------------------------------------------------------------------

    def annotations(self, old: View, new: View, label: Label) -> None:
        at = new.place("description") or new.at
        if _text(old.get("description")) != _text(new.get("description")):
            self.found("schema-description-changed", at, f"{label}: description changed")
        if canonical(old.examples()) != canonical(new.examples()):
            at = new.place("examples") or new.place("example") or new.at
            self.found("schema-example-changed", at, f"{label}: example changed")
        if old.get("deprecated") is not True and new.get("deprecated") is True:
            self.found("schema-deprecated", new.place("deprecated") or new.at, f"{label} is deprecated")
        self.default(old, new, label)

    def default(self, old: View, new: View, label: Label) -> None:
        if label.parameter:
            return  # reported as parameter-default-* by the operation
        had, has = "default" in old.keywords, "default" in new.keywords
        before, after = canonical(old.get("default")), canonical(new.get("default"))
        if (had, before) == (has, after):
            return
        at = new.place("default") or old.place("default") or new.at
        if not had:
            message = f"{label}: default {after} added"
        elif not has:
            message = f"{label}: default {before} removed"
        else:
            message = f"{label}: default changed from {before} to {after}"
        if not self.request:
            self.found("response-default-changed", at, message)
        elif had:
            message += f": {self.many} that omit it behave differently"
            self.found("request-default-changed", at, message)
        else:
            self.found("request-default-added", at, message)

    def nullable(self, old: View, new: View, label: Label) -> None:
        # A schema with no type accepts null too: going to or from one is a type change, reported there.
        if old.nullable == new.nullable or old.accepts_anything or new.accepts_anything:
            return
        if old.accepts_nothing or new.accepts_nothing:
            return  # to or from `false`: the type change says it all
        # A type only read from `properties` or `items` was never written: null still fits that side.
        if (old.nullable and new.type_implied) or (new.nullable and old.type_implied):
            return
        if self.request:
            if old.nullable:
                self.found("request-nullable-removed", new.at, f"{label} no longer accepts null")
            else:
                self.found("request-nullable-added", new.at, f"{label} now accepts null")
        elif new.nullable:
            self.found("response-became-nullable", new.at, f"{label} may now be null")
        else:
            self.found("response-nullable-removed", new.at, f"{label} is no longer null")

    # --- scalars -------------------------------------------------------------------------------

    def scalars(self, old: View, new: View, label: Label) -> bool:
        """Compare type, format, enum, bounds and pattern; False when the types have nothing in common."""
        before, after = _widened(old.types), _widened(new.types)
        narrowed, widened = _loses(before, after), _loses(after, before)
        if narrowed or widened:
            message = f"{label}: type changed from {old.type_text} to {new.type_text}"
            if self.request:
                rule = "request-type-changed" if narrowed else "request-type-widened"
            else:
                rule = "response-type-changed" if widened else "response-type-narrowed"
            self.found(rule, new.at, message)
            if before is not None and after is not None and not before & after:
                return False
        self.format(old, new, label)
        self.enum(old, new, label)
        self.bounds(old, new, label)
        self.pattern(old, new, label)
        return True

    def format(self, old: View, new: View, label: Label) -> None:
        before, after = old.get("format"), new.get("format")
        if before == after:
            return
        at = new.place("format") or old.place("format") or new.at
        if after is None:
            message = f"{label}: format `{before}` removed"
        elif before is None:
            message = f"{label}: format `{after}` added"
        else:
            message = f"{label}: format changed from `{before}` to `{after}`"
        if self.request:
            rule = "request-format-removed" if after is None else "request-format-changed"
        else:
            rule = "response-format-added" if before is None else "response-format-changed"
        self.found(rule, at, message)

    def enum(self, old: View, new: View, label: Label) -> None:
        if old.enum is None and new.enum is None:
            return
        if old.enum is None or new.enum is None:
            restricted = new.enum is not None
            at = (new.enum_at if restricted else old.enum_at) or new.at
            fixed = new if restricted else old
            what = f"the value {_values({canonical(v) for v, _ in fixed.enum or []})} (const)"
            message = f"{label} is {'now' if restricted else 'no longer'} restricted to " + (
                what if fixed.is_const else "an enum"
            )
            if self.request:
                self.found("request-enum-added" if restricted else "request-enum-removed", at, message)
            else:
                self.found("response-enum-added" if restricted else "response-enum-removed", at, message)
            return
        before = {canonical(v) for v, _ in old.enum}
        after = {canonical(v) for v, _ in new.enum}
        if old.is_const and new.is_const and before != after:
            at = new.enum_at or new.at
            message = f"{label}: const changed from {_values(before)} to {_values(after)}"
            self.either("request-const-changed", "response-const-changed", at, message)
            return
        for value, at in old.enum:
            if canonical(value) not in after:
                message = f"{label}: enum value {canonical(value)} removed"
                self.either("request-enum-value-removed", "response-enum-value-removed", at, message)
        for value, at in new.enum:
            if canonical(value) not in before:
                message = f"{label}: enum value {canonical(value)} added"
                if not self.request:
                    message += "; exhaustive code must handle it"
                self.either("request-enum-value-added", "response-enum-value-added", at, message)

    def bounds(self, old: View, new: View, label: Label) -> None:
        for keyword, lower, rule in _BOUNDS:
            before, after = old.bound(lower), new.bound(lower)
            tighter = _tighter_bound(before, after, lower)
            if tighter is not None:
                at = after.at if after else before.at if before else new.at
                text = f"from {_bound_text(before, lower)} to {_bound_text(after, lower)}"
                self.bound_change(tighter, rule, at, f"{label}: {keyword} changed {text}")
        for keyword, lower, rule in _COUNTS:
            count_before, count_after = old.count(keyword), new.count(keyword)
            tighter = _tighter_count(count_before, count_after, lower)
            if tighter is not None:
                at = new.place(keyword) or old.place(keyword) or new.at
                text = f"from {_count(count_before)} to {_count(count_after)}"
                self.bound_change(tighter, rule, at, f"{label}: {keyword} changed {text}")

    def bound_change(self, tighter: bool, request_rule: str, at: At, message: str) -> None:
        if self.request:
            self.found(request_rule if tighter else "request-bound-relaxed", at, message)
        else:
            self.found("response-bound-tightened" if tighter else "response-bound-relaxed", at, message)

    def pattern(self, old: View, new: View, label: Label) -> None:
        before, after = _pattern(old), _pattern(new)
        if before == after:
            return
        at = new.place("pattern") or old.place("pattern") or new.at
        if before is None or after is None:
            verb = "added" if before is None else "removed"
            if after is None and new.get("pattern") is not None:
                verb = f"widened to `{new.get('pattern')}`, which matches every string"
            message = f"{label}: pattern `{after or before}` {verb}"
        else:
            message = f"{label}: pattern changed from `{before}` to `{after}`"
        if self.request:
            self.found("request-pattern-removed" if after is None else "request-pattern-changed", at, message)
        else:
            self.found(
                "response-pattern-added" if before is None else "response-pattern-changed", at, message
            )

    # --- structure -----------------------------------------------------------------------------

    def structure(self, old: View, new: View, label: Label) -> None:
        if _untyped(old) or _untyped(new):
            # To or from "any value": the type change says it; its properties and items are no
            # more than that (a property is not removed from a request that now takes anything).
            self.applicators(old, new, label)
            return
        self.properties(old, new, label)
        if "items" in old.keywords or "items" in new.keywords:
            # No `items` is `items: true`: any item (after the prefixItems, if any).
            before, before_at = old.keywords.get("items", (True, old.at.child("items")))
            after, after_at = new.keywords.get("items", (True, new.at.child("items")))
            self.child(before, before_at, after, after_at, label.child("[]", ""))
        self.additional(old, new, label)
        self.discriminator(old, new, label)
        self.all_of(old, new, label)
        self.applicators(old, new, label)

    # --- JSON Schema 2020-12 keywords ----------------------------------------------------------

    def constraint(self, change: str, at: At, message: str) -> None:
        """`added`, `removed` or `changed` constraint: a request may now be refused, a response may
        now be something the old one could not be."""
        if self.request:
            rule = "request-constraint-removed" if change == "removed" else "request-constraint-added"
        else:
            rule = "response-constraint-added" if change == "added" else "response-constraint-removed"
        self.found(rule, at, message)

    def applicators(self, old: View, new: View, label: Label) -> None:
        for keyword in _KEYWORD_ORDER:
            self.keyword(keyword, old.keywords.get(keyword), new.keywords.get(keyword), label)
        for keyword in _SUBSCHEMA_MAPS:
            before, after = _entries(old, keyword), _entries(new, keyword)
            for key in dict.fromkeys([*before, *after]):
                self.keyword(f"{keyword}[{key}]", before.get(key), after.get(key), label)
        self.positions(old, new, label)
        self.dependent_required(old, new, label)
        self.contains_counts(old, new, label)

    def positions(self, old: View, new: View, label: Label) -> None:
        """prefixItems, position by position: `prefixItems[i]` replaces `items` at position i, so each
        position compares the schema that applies there (and `[x]` where `items: x` was is no change)."""
        before_items, after_items = _items(old), _items(new)
        rest_before, rest_after = old.keywords.get("items"), new.keywords.get("items")
        for index in range(max(len(before_items), len(after_items))):
            first = before_items[index] if index < len(before_items) else rest_before
            second = after_items[index] if index < len(after_items) else rest_after
            self.keyword(f"prefixItems[{index}]", first, second, label)

    def contains_counts(self, old: View, new: View, label: Label) -> None:
        for keyword, lower in (("minContains", True), ("maxContains", False)):
            before, after = old.count(keyword), new.count(keyword)
            tighter = _tighter_count(before, after, lower)
            if tighter is not None:
                at = new.place(keyword) or old.place(keyword) or new.at
                message = f"{label}: {keyword} changed from {_count(before)} to {_count(after)}"
                self.constraint("added" if tighter else "removed", at, message)

    def keyword(
        self,
        keyword: str,
        before: tuple[Any, At] | None,
        after: tuple[Any, At] | None,
        label: Label,
    ) -> None:
        """One subschema-valued keyword: added, removed, compared inside, or compared as a whole."""
        present = after or before
        if present is None:
            return
        if keyword in _ENCODINGS:
            old_value, new_value = before[0] if before else None, after[0] if after else None
            self.encoding(keyword, old_value, new_value, present[1], label)
            return
        if before is None and after is not None:
            self.constraint("added", after[1], f"{label}: `{keyword}` added ({_brief(after[0])})")
            return
        if after is None and before is not None:
            self.constraint("removed", before[1], f"{label}: `{keyword}` removed ({_brief(before[0])})")
            return
        assert before is not None and after is not None
        (old, old_at), (new, new_at) = before, after
        opaque = keyword in _OPAQUE or not (isinstance(old, dict | bool) and isinstance(new, dict | bool))
        if not opaque:
            self.child(old, old_at, new, new_at, label.child(keyword, constraint=True))
        elif canonical(deref(old, old_at)[0]) != canonical(deref(new, new_at)[0]):
            message = f"{label}: `{keyword}` changed from {_brief(old)} to {_brief(new)}"
            self.constraint("changed", new_at, message)

    def encoding(self, keyword: str, old: Any, new: Any, at: At, label: Label) -> None:
        """contentEncoding (base64...) added, removed or changed, or contentMediaType changed: the same
        bytes are read another way on both sides. A media type only added or removed documents what the
        string holds, a constraint like the others."""
        if canonical(old) == canonical(new):
            return
        if keyword == "contentMediaType" and (old is None or new is None):
            verb = "added" if old is None else "removed"
            self.constraint(verb, at, f"{label}: `{keyword}` {verb} ({_brief(new or old)})")
            return
        message = f"{label}: `{keyword}` changed from {_show(old)} to {_show(new)}: same bytes, other value"
        self.found("content-encoding-changed", at, message)

    def dependent_required(self, old: View, new: View, label: Label) -> None:
        before, after = _dependencies(old), _dependencies(new)
        at = new.place("dependentRequired") or old.place("dependentRequired") or new.at
        for name, needed in sorted(after - before):
            self.constraint("added", at, f"{label}: `{needed}` is now required when `{name}` is present")
        for name, needed in sorted(before - after):
            message = f"{label}: `{needed}` is no longer required when `{name}` is present"
            self.constraint("removed", at, message)

    def visible(self, prop: tuple[Any, At]) -> bool:
        # Requests never carry readOnly properties, responses never carry writeOnly ones.
        return not property_flag(*prop, "readOnly" if self.request else "writeOnly")

    def properties(self, old: View, new: View, label: Label) -> None:
        for name in dict.fromkeys([*old.properties, *new.properties]):
            before, after = old.properties.get(name), new.properties.get(name)
            child = label.child(name)
            seen_before = before is not None and self.visible(before)
            seen_after = after is not None and self.visible(after)
            if before is not None and after is not None and seen_before and seen_after:
                self.required(name in old.required, name in new.required, after[1], child)
                self.child(before[0], before[1], after[0], after[1], child)
            elif before is not None and seen_before:
                self.property_gone(before, after, child)
            elif after is not None and seen_after:
                self.property_added(name in new.required, after[1], child)

    def property_gone(self, before: tuple[Any, At], after: tuple[Any, At] | None, label: Label) -> None:
        if after is None and label.constraint:
            self.constraint("removed", before[1], f"{label}: the constraint on it was removed")
            return
        if after is None:
            message = f"{label} was removed: " + (
                "code that sets it breaks" if self.request else f"{self.many} no longer include it"
            )
            self.either("request-property-removed", "response-property-removed", before[1], message)
        elif self.request:
            message = f"{label} became readOnly: {self.many} can no longer send it"
            self.found("request-property-became-read-only", after[1], message)
        else:
            message = f"{label} became writeOnly: {self.many} no longer include it"
            self.found("response-property-became-write-only", after[1], message)

    def property_added(self, required: bool, at: At, label: Label) -> None:
        if label.constraint and not required:
            self.constraint("added", at, f"{label}: a constraint on it was added")
            return
        if not self.request:
            self.found("response-property-added", at, f"{label} was added to {self.many}")
        elif required:
            message = f"{label} was added as a required property: every {self.one} must send it"
            self.found("request-required-property-added", at, message)
        else:
            self.found("request-property-added", at, f"{label} was added as an optional property")

    def required(self, before: bool, after: bool, at: At, label: Label) -> None:
        if before == after:
            return
        if self.request:
            rule = "request-property-became-required" if after else "request-property-became-optional"
            self.found(rule, at, f"{label} is now {'required' if after else 'optional'} in {self.many}")
        elif after:
            self.found("response-property-became-required", at, f"{label} is now always in {self.many}")
        else:
            message = f"{label} is no longer required: {self.many} may omit it"
            self.found("response-property-became-optional", at, message)

    def additional(self, old: View, new: View, label: Label) -> None:
        before = old.get("additionalProperties") if "additionalProperties" in old.keywords else True
        after = new.get("additionalProperties") if "additionalProperties" in new.keywords else True
        at = new.place("additionalProperties") or old.place("additionalProperties") or new.at
        if before is not False and after is False:
            message = f"{label} no longer allows additional properties"
            self.either(
                "request-additional-properties-restricted",
                "response-additional-properties-restricted",
                at,
                message,
            )
        elif before is False and after is not False:
            message = f"{label} now allows additional properties"
            self.either(
                "request-additional-properties-allowed", "response-additional-properties-allowed", at, message
            )
        elif isinstance(before, dict) and isinstance(after, dict):
            before_at, after_at = (
                old.keywords["additionalProperties"][1],
                new.keywords["additionalProperties"][1],
            )
            self.child(before, before_at, after, after_at, label.child("*"))

    def discriminator(self, old: View, new: View, label: Label) -> None:
        before, after = _mapping(old.get("discriminator")), _mapping(new.get("discriminator"))
        at = new.place("discriminator") or old.place("discriminator") or new.at
        name_before, name_after = before.get("propertyName"), after.get("propertyName")
        if name_before is None and name_after is not None:
            message = f"{label}: discriminator `{name_after}` added: the variant is now picked by its value"
            self.found("discriminator-added", at, message)
            return
        if name_before is not None and name_after is None and self.request:
            message = f"{label}: discriminator `{name_before}` removed: variants are told apart by shape"
            self.found("request-discriminator-removed", at, message)
            return
        if name_before is not None and name_before != name_after:
            message = f"{label}: discriminator property changed from `{name_before}` to {_show(name_after)}"
            self.found("discriminator-changed", at, message)
            return
        mapping_after = _mapping(after.get("mapping"))
        for key, target in _mapping(before.get("mapping")).items():
            renamed = self._renamed(str(target))
            if key not in mapping_after or _last(str(mapping_after[key])) != renamed:
                message = f"{label}: discriminator value `{key}` no longer maps to `{_last(str(target))}`"
                self.found("discriminator-mapping-changed", at, message)

    def all_of(self, old: View, new: View, label: Label) -> None:
        before = {self.graph.renames.get(name, name): at for name, at in old.all_of_names}
        after = dict(new.all_of_names)
        for name, at in before.items():
            if name not in after:
                self.found("all-of-member-removed", at, f"{label} no longer composes `{name}` (allOf)")
        for name, at in after.items():
            if name not in before:
                message = f"{label} now composes `{name}` (allOf)"
                if self.request:
                    message += f": {self.many} must match it too"
                self.either("request-all-of-member-added", "all-of-member-added", at, message)

    def _renamed(self, target: str) -> str:
        name = _last(target)
        return self.graph.renames.get(name, name)

    # --- unions --------------------------------------------------------------------------------

    def became_union(self, old: View, new: View, options: list[Option], label: Label) -> None:
        """A request object wrapped in a union: harmless on the wire, unless it is a oneOf where two
        options take every value the object took, so every such value matches twice and is refused."""
        covering = [] if new.get("discriminator") else [o for o in options if _takes_every(o, old)]
        if new.union_kind == "oneOf" and len(covering) >= 2:
            first, second = (_option_label(Label(""), option).path for option in covering[:2])
            message = (
                f"{label} became a oneOf whose options {first} and {second} both take every value it "
                f"took before: oneOf refuses a value that matches more than one, so old {self.many} fail"
            )
            self.found("request-one-of-ambiguous", new.at, message)
            return
        message = f"{label} became a union ({new.union_kind}): the SDK's type for it is now a union"
        self.found("request-became-union", new.at, message)

    def union(self, old: View, new: View, label: Label) -> None:
        before = old.options if old.options is not None else [Option(old.raw, old.at, itself=True)]
        after = new.options if new.options is not None else [Option(new.raw, new.at, itself=True)]
        # An object had a class of its own, which a union may rename; a scalar's type just widens.
        if self.request and len(before) == 1 and len(after) > 1 and old.types == frozenset({"object"}):
            self.became_union(old, new, after, label)
        if len(before) > 1 and len(after) > 1 and old.union_kind != new.union_kind:
            message = f"{label} changed from {old.union_kind} to {new.union_kind}"
            self.found("union-kind-changed", new.at, message)
        pairs, removed, added = _pair_options(before, after, self.graph.renames)
        for first, second in pairs:
            shape_only = first.itself or second.itself
            self.child(first.raw, first.at, second.raw, second.at, _option_label(label, second), shape_only)
        for option in removed:
            text = _option_text(option)
            if self.request:
                self.found("request-union-option-removed", option.at, f"{label} no longer accepts {text}")
            else:
                verb = "sent" if self.direction == WEBHOOK_PAYLOAD else "returned"
                message = f"{label} is no longer {verb} as {text}"
                self.found("response-union-option-removed", option.at, message)
        for option in added:
            text = _option_text(option)
            if self.request:
                self.found("request-union-option-added", option.at, f"{label} now also accepts {text}")
            else:
                message = f"{label} may now also be {text}; code that expects only the old shape breaks"
                self.found("response-union-option-added", option.at, message)


def _takes_every(option: Option, old: View) -> bool:
    """Whether every object `old` allows also fits `option`: a sufficient check, never a guess (an
    option with a constraint it cannot compare is taken not to)."""
    shape = view(*deref(option.raw, option.at))
    if shape.is_union or shape.enum is not None or not _constraints(shape) <= {"additionalProperties"}:
        return False
    if (shape.types is not None and "object" not in shape.types) or not shape.required <= old.required:
        return False
    closed = shape.get("additionalProperties") is False
    for name, (raw, at) in old.properties.items():
        if name in shape.properties:
            if not _covers(view(*deref(*shape.properties[name])), view(*deref(raw, at))):
                return False
        elif closed:
            return False
    return True


def _covers(wide: View, narrow: View) -> bool:
    """Whether every value `narrow` allows fits `wide` (scalars; anything else only when equal)."""
    if canonical(wide.raw) == canonical(narrow.raw) or (wide.accepts_anything and not _constraints(wide)):
        return True
    if wide.is_union or narrow.is_union or wide.enum is not None or wide.properties:
        return False
    if narrow.types is None or wide.types is None or not narrow.types <= (_widened(wide.types) or set()):
        return False
    if narrow.nullable and not wide.nullable:
        return False
    return all(canonical(narrow.get(k)) == canonical(wide.get(k)) for k in _constraints(wide))


def _constraints(schema: View) -> set[str]:
    return set(schema.keywords) - ANNOTATIONS


def _untyped(schema: View) -> bool:
    """Any value fits, and there is no `properties` or `items` to compare (`{}`, `true`, a bare `not`)."""
    return schema.accepts_anything and not schema.properties and "items" not in schema.keywords


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _pattern(schema: View) -> str | None:
    """The pattern, or None when there is none or it matches every string."""
    value = schema.get("pattern")
    return None if value is None or str(value) in _TRIVIAL_PATTERNS else str(value)


def _values(values: set[str]) -> str:
    return " | ".join(sorted(values)) or "null"


def _entries(schema: View, keyword: str) -> dict[str, tuple[Any, At]]:
    """The subschemas of a map keyword (patternProperties, dependentSchemas), each with its place."""
    value, at = schema.keywords.get(keyword, (None, schema.at))
    return {str(key): (item, at.child(key)) for key, item in _mapping(value).items()}


def _items(schema: View) -> list[tuple[Any, At]]:
    value, at = schema.keywords.get("prefixItems", (None, schema.at))
    return [(item, at.child(index)) for index, item in enumerate(value if isinstance(value, list) else [])]


def _dependencies(schema: View) -> set[tuple[str, str]]:
    """dependentRequired as (present property, property it requires) pairs."""
    pairs = set()
    for name, needed in _mapping(schema.get("dependentRequired")).items():
        for other in needed if isinstance(needed, list) else []:
            pairs.add((str(name), str(other)))
    return pairs


def _brief(value: Any) -> str:
    """A keyword's value, short enough for a message."""
    if is_ref(value):
        return f"`{_last(str(value['$ref']))}`"
    text = canonical(value)
    return f"`{text}`" if len(text) <= 60 else f"`{text[:57]}...`"


def _tighter_bound(before: Bound | None, after: Bound | None, lower: bool) -> bool | None:
    """True if `after` is tighter, False if looser, None if the same (missing = unbounded)."""
    if before is None or after is None:
        return None if before is after else after is not None
    old_key = (before.value, before.exclusive) if lower else (-before.value, before.exclusive)
    new_key = (after.value, after.exclusive) if lower else (-after.value, after.exclusive)
    return None if old_key == new_key else new_key > old_key


def _tighter_count(before: int | None, after: int | None, lower: bool) -> bool | None:
    if before == after:
        return None
    if before is None or after is None:
        return after is not None
    return after > before if lower else after < before


def _bound_text(bound: Bound | None, lower: bool) -> str:
    return bound.text(lower) if bound else "none"


def _count(value: int | None) -> str:
    return "none" if value is None else str(value)


def _show(value: Any) -> str:
    return "none" if value is None else f"`{value}`"


def _last(target: str) -> str:
    return target.rsplit("/", 1)[-1]


def _option_name(option: Option, renames: dict[str, str] | None = None) -> str | None:
    name = deref(option.raw, option.at)[1].schema_name()
    return renames.get(name, name) if renames and name else name


def _option_text(option: Option) -> str:
    name = _option_name(option)
    return f"`{name}`" if name else option_signature(option).replace("|", " | ")


def _option_label(label: Label, option: Option) -> Label:
    if option.itself:
        return label
    keyword, index = option.at.pointer.rsplit("/", 2)[-2:]
    return label.child(f"{keyword}[{index}]")


def _pair_options(
    before: list[Option], after: list[Option], renames: dict[str, str]
) -> tuple[list[tuple[Option, Option]], list[Option], list[Option]]:
    """Pair old and new union options: same named schema, then same type, then the last one left."""
    pairs: list[tuple[Option, Option]] = []
    left, right = list(before), list(after)
    names = {id(option): _option_name(option, renames) for option in left}
    names.update({id(option): _option_name(option) for option in right})
    signatures = {id(option): option_signature(option) for option in [*left, *right]}
    for identity in (names, signatures):
        for first in list(left):
            key = identity[id(first)]
            second = next((b for b in right if key is not None and identity[id(b)] == key), None)
            if second is not None:
                pairs.append((first, second))
                left.remove(first)
                right.remove(second)
    if len(left) == 1 and len(right) == 1:
        pairs.append((left.pop(), right.pop()))
    return pairs, left, right
