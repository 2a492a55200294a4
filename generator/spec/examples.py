"""Example check: the spec's `example`, `examples` and `default` values that do not match their schema."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from referencing.exceptions import Unresolvable

from generator.errors import Diagnostic, SpecError
from generator.spec.load import Document, Workspace
from generator.spec.locate import JsonLocator, is_json_text, locate
from generator.spec.refs import Node, deref
from generator.spec.schema_check import SchemaChecker

MAX_WARNINGS = 50
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Where a schema holds other schemas: in a map of them, in a list of them, or directly.
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_SCHEMA_VALUES = (
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)


@dataclass(frozen=True)
class Sample:
    """A value the spec gives for a schema: `what` names it (`default`, `example`, `examples/cat`)."""

    what: str
    value: Node
    schema: Node


def check_examples(workspace: Workspace, limit: int = MAX_WARNINGS) -> list[Diagnostic]:
    """A warning for each example or default that violates its schema: the first `limit`, then a count."""
    if not isinstance(workspace.root.data, dict):
        return []  # not an OpenAPI document: validate says so
    # Examples of response schemas leave out writeOnly properties, and those of requests readOnly ones.
    checker = SchemaChecker(workspace, not_required=frozenset({"readOnly", "writeOnly"}))
    locators: dict[str, JsonLocator] = {}
    warnings: list[Diagnostic] = []
    more = 0
    for sample in find_samples(workspace):
        try:
            problem = checker.problem(sample.value.value, sample.schema)
        except (Unresolvable, re.error, RecursionError):
            continue  # a schema the validator cannot compile (bad $ref or pattern) is not the example's fault
        if problem is None:
            continue
        if len(warnings) >= limit:
            more += 1
            continue
        pointer = sample.value.pointer + problem.pointer
        where = locate(sample.value.document, pointer, _locator(locators, sample.value.document))
        message = problem.describe(f"`{sample.what}` does not match its schema")
        warnings.append(Diagnostic(message, where, "warning", pointer))
    if more:
        where = locate(workspace.root, "", _locator(locators, workspace.root))
        message = f"{more} more example(s) or default(s) do not match their schema (only {limit} are listed)"
        warnings.append(Diagnostic(message, where, "warning"))
    return warnings


def _locator(locators: dict[str, JsonLocator], document: Document) -> JsonLocator | None:
    if not is_json_text(document.text):
        return None
    key = str(document.path)
    if key not in locators:
        locators[key] = JsonLocator(document.text)
    return locators[key]


def find_samples(workspace: Workspace) -> Iterator[Sample]:
    """Every example and default of the spec with the schema it is for, in spec order, each once."""
    finder = _Finder(workspace)
    finder.spec(Node.root(workspace.root))
    seen: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    for sample in finder.samples:
        key = (sample.value.key, sample.schema.key)
        if key not in seen:
            seen.add(key)
            yield sample


class _Finder:
    """Walks the OpenAPI structure (operations, parameters, media types, schemas), following `$ref`s."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.openapi_30 = str(workspace.root.data.get("openapi", "")).startswith("3.0")
        self.samples: list[Sample] = []
        self._visited: set[tuple[str, tuple[str, str]]] = set()

    def spec(self, root: Node) -> None:
        for path in root.child("paths").mapping():
            self.path_item(root.child("paths", path))
        for name in root.child("webhooks").mapping():
            self.path_item(root.child("webhooks", name))
        components = root.child("components")
        visits = {
            "schemas": self.schema,
            "parameters": self.parameter,
            "headers": self.parameter,
            "requestBodies": self.request_body,
            "responses": self.response,
            "callbacks": self.callback,
            "pathItems": self.path_item,
        }
        for kind, visit in visits.items():
            for name in components.child(kind).mapping():
                visit(components.child(kind, name))

    def path_item(self, node: Node) -> None:
        item = self._enter("path item", node)
        if item is None:
            return
        self._each(item.child("parameters"), self.parameter)
        for method in _METHODS:
            if isinstance(item.mapping().get(method), dict):
                self.operation(item.child(method))

    def operation(self, node: Node) -> None:
        self._each(node.child("parameters"), self.parameter)
        if "requestBody" in node.mapping():
            self.request_body(node.child("requestBody"))
        for status in node.child("responses").mapping():
            self.response(node.child("responses", status))
        for name in node.child("callbacks").mapping():
            self.callback(node.child("callbacks", name))

    def callback(self, node: Node) -> None:
        callback = self._enter("callback", node)
        if callback is not None:
            for expression in callback.mapping():
                self.path_item(callback.child(expression))

    def response(self, node: Node) -> None:
        response = self._enter("response", node)
        if response is None:
            return
        for name in response.child("headers").mapping():
            self.parameter(response.child("headers", name))
        self._content(response)

    def request_body(self, node: Node) -> None:
        body = self._enter("request body", node)
        if body is not None:
            self._content(body)

    def parameter(self, node: Node) -> None:
        """A parameter or a header: a schema and its examples, or media types."""
        param = self._enter("parameter", node)
        if param is None:
            return
        self._schema_of(param)
        self._content(param)

    def _content(self, holder: Node) -> None:
        for media in holder.child("content").mapping():
            media_type = holder.child("content", media)
            self._schema_of(media_type)
            encoding = media_type.child("encoding")
            for name in encoding.mapping():
                for header in encoding.child(name, "headers").mapping():
                    self.parameter(encoding.child(name, "headers", header))

    def _schema_of(self, holder: Node) -> None:
        """A parameter, header or media type: its schema, and its `example` or `examples` against it."""
        data = holder.mapping()
        if "schema" not in data:
            return
        schema = holder.child("schema")
        self.schema(schema)
        if "example" in data:
            self._sample("example", holder.child("example"), schema)
        for name in holder.child("examples").mapping():
            example = self._deref(holder.child("examples", name))
            if example is not None and "value" in example.mapping():
                self._sample(f"examples/{name}", example.child("value"), schema)

    def schema(self, node: Node) -> None:
        if self._first("schema", node) is None or not isinstance(node.value, dict):
            return
        data = node.value
        if isinstance(data.get("$ref"), str):
            target = self._deref(node)
            if target is not None:
                self.schema(target)
            if self.openapi_30:
                return  # 3.0 ignores every keyword beside a $ref
        for keyword in ("default", "example"):
            if keyword in data:
                self._sample(keyword, node.child(keyword), node)
        examples = data.get("examples")
        if isinstance(examples, list) and not self.openapi_30:  # JSON Schema's `examples`: 3.1 only
            for index in range(len(examples)):
                self._sample(f"examples/{index}", node.child("examples", index), node)
        self._subschemas(node, data)

    def _subschemas(self, node: Node, data: dict[str, object]) -> None:
        # Only keywords the schema has are looked at: most schemas have none of them (this is the hot loop).
        for keyword in _SCHEMA_MAPS:
            if isinstance(data.get(keyword), dict):
                holder = node.child(keyword)
                for name in holder.mapping():
                    self.schema(holder.child(name))
        for keyword in _SCHEMA_LISTS:
            if isinstance(data.get(keyword), list):
                self._each(node.child(keyword), self.schema)
        for keyword in _SCHEMA_VALUES:
            if isinstance(data.get(keyword), dict):
                self.schema(node.child(keyword))

    def _sample(self, what: str, value: Node, schema: Node) -> None:
        if schema.value is True or schema.value == {}:
            return  # any value matches
        self.samples.append(Sample(what, value, schema))

    def _each(self, node: Node, visit: Callable[[Node], None]) -> None:
        for index in range(len(node.value) if isinstance(node.value, list) else 0):
            visit(node.child(index))

    def _enter(self, kind: str, node: Node) -> Node | None:
        """The object at `node` ($refs followed) the first time it is reached as `kind`, else None."""
        target = self._deref(node)
        if target is None or not isinstance(target.value, dict):
            return None
        return self._first(kind, target)

    def _first(self, kind: str, node: Node) -> Node | None:
        key = (kind, node.key)
        if key in self._visited:
            return None
        self._visited.add(key)
        return node

    def _deref(self, node: Node) -> Node | None:
        try:
            return deref(self.workspace, node)
        except SpecError:  # a broken $ref: validate reports it
            return None
