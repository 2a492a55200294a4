"""Keyword checks: openapi-spec-validator's checks of schemas, defaults and tags, on plain data, fast.

Beyond the OpenAPI schema, openapi-spec-validator walks the tags, the path items, their operations'
parameters and responses, and `components/schemas`, and checks every schema it reaches: against its
dialect's meta-schema, the `required` list of an `allOf` schema, and its `default` against itself.
This is that walk, in the same order and with the same de-duplication (so with the same verdict),
without what made it slow: it took 9 s on GitHub's spec, because it remembers the schemas it has seen
in lists (`id in list` for each one: quadratic), resolves every step through jsonschema-path, and
checks each schema against the meta-schema in pure Python. Here a set remembers, `refs.deref`
follows `$ref`s, and jsonschema-rs checks a schema against the meta-schema first; a schema it rejects
is checked again by jsonschema, whose verdict is the one kept and whose error is the one worded, so
the Rust engine can only make a valid schema fast, never make a bad one pass (it runs Python's own
format checks). tests/unit/spec/test_keyword_checks.py holds this walk to openapi-spec-validator's verdicts.

Duplicate operationIds and parameters, and path templates, are sdkgen's own checks (validate.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.errors import SpecError
from generator.spec.load import HTTP_METHODS, Workspace
from generator.spec.messages import kind_of, pattern_message
from generator.spec.patterns import compile_pattern
from generator.spec.refs import Node, deref

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
    from referencing import Registry

# jsonschema and openapi-schema-validator are imported where used: a spec whose verdict is cached
# needs neither, and they cost a tenth of a second to import.


def _meta_kind(error: ValidationError) -> str:
    """A pattern Python's `re` does not read, an enum that lists a value twice, or another fault."""
    if error.validator == "format" and error.validator_value == "regex":
        return "pattern"
    if error.validator == "uniqueItems" and list(error.relative_path)[-1:] == ["enum"]:
        return "enum-duplicate"
    return "schema"


def _rust_engine() -> Any:
    """jsonschema-rs, or None: it is only an accelerator, and without it jsonschema checks everything."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs


jsonschema_rs = _rust_engine()

_APPLICATORS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True)
class Finding:
    """What is wrong, at `path` inside the value of `node` (a jsonschema error, or words), and its kind
    (validate.LIVABLE says which kinds an SDK can live with)."""

    node: Node
    path: tuple[str | int, ...]
    error: ValidationError | None = None
    message: str = ""
    kind: str = "schema"


def keyword_findings(workspace: Workspace) -> Iterator[Finding]:
    """Every finding of the walk, in openapi-spec-validator's order; the OpenAPI structure is valid."""
    return _Walk(workspace).run()


class _MetaSchema:
    """A dialect's meta-schema: jsonschema-rs says quickly that a schema is valid, jsonschema why not
    (every complaint, in the order `check_schema` meets them: the first is the one it raises)."""

    def __init__(self, checker: Any, fast: Any) -> None:
        self._checker = checker
        self._fast = fast

    def errors(self, schema: Any) -> list[ValidationError]:
        if self._fast is not None and self._fast.is_valid(schema):
            return []
        return list(self._checker.iter_errors(schema))


@cache
def _meta_schema(dialect: str | None) -> _MetaSchema | None:
    """OpenAPI 3.0's meta-schema (dialect None), or a 3.1 dialect's; None for a dialect nobody knows."""
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]
    from openapi_schema_validator import oas30_format_checker, oas31_format_checker
    from openapi_schema_validator.validators import OAS30Validator

    if dialect is None:
        validator_class, format_checker, fast_formats = OAS30Validator, None, oas30_format_checker
    else:
        validator_class = validator_for({"$schema": dialect}, default=None)
        format_checker = fast_formats = oas31_format_checker
        if validator_class is None:
            return None
    # What `validator_class.check_schema(schema, format_checker=...)` runs (openapi-schema-validator's
    # version for its classes, which resolves the OpenAPI dialects locally), kept to list every error.
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_schema_validator.validators import check_openapi_schema

    meta = validator_for(validator_class.META_SCHEMA, default=validator_class)
    local = getattr(validator_class.check_schema, "__func__", None) is check_openapi_schema
    checker = meta(
        validator_class.META_SCHEMA,
        format_checker=format_checker or validator_class.FORMAT_CHECKER,
        **({"registry": REGISTRY} if local else {}),
    )
    return _MetaSchema(checker, _fast(validator_class.META_SCHEMA, fast_formats))


def _fast(meta_schema: Any, format_checker: Any) -> Any:
    """jsonschema-rs compiled for `meta_schema`, with Python's format checks; None if it cannot be."""
    if jsonschema_rs is None:
        return None
    from openapi_schema_validator._specifications import REGISTRY  # the OpenAPI dialects' documents

    openapi = [(uri, REGISTRY.contents(uri)) for uri in REGISTRY if "openapis" in uri]
    formats = {name: _conforms(format_checker, name) for name in format_checker.checkers}
    try:
        return jsonschema_rs.validator_for(
            meta_schema, validate_formats=True, formats=formats, registry=jsonschema_rs.Registry(openapi)
        )
    except Exception:  # a meta-schema the Rust engine cannot compile: jsonschema checks everything
        return None


def _conforms(format_checker: Any, name: str) -> Callable[[Any], bool]:
    return lambda value: bool(format_checker.conforms(value, name))


class _Walk:
    """One walk over a workspace; like openapi-spec-validator's registry, it sees each schema once."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.is_31 = str(workspace.root.data.get("openapi", "")).startswith("3.1")
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self._registry: Registry[Any] | None = None

    def run(self) -> Iterator[Finding]:
        root = Node.root(self.workspace.root)
        if "tags" in root.mapping():
            yield from self.tags(self.resolve(root.child("tags")))
        if "paths" in root.mapping():
            paths = self.resolve(root.child("paths"))
            for url in paths.mapping():
                yield from self.path_item(self.resolve(paths.child(url)))
        if "components" in root.mapping():
            components = self.resolve(root.child("components"))
            if "schemas" in components.mapping():
                schemas = self.resolve(components.child("schemas"))
                for name in schemas.mapping():
                    yield from self.schema(schemas.child(name))

    def resolve(self, node: Node) -> Node:
        try:
            return deref(self.workspace, node)
        except SpecError:  # reported by the `$ref` check, which runs first
            return Node(node.document, node.pointer, None)

    def tags(self, tags: Node) -> Iterator[Finding]:
        seen: dict[str, Node] = {}
        for index in range(len(tags.value) if isinstance(tags.value, list) else 0):
            tag = self.resolve(tags.child(index))
            name = tag.mapping().get("name")
            if isinstance(name, str) and name in seen:
                earlier = seen[name].document.locate(seen[name].pointer)
                message = f"tag {name!r} is declared twice (first at line {earlier.line}): it is one tag"
                yield Finding(tag, ("name",), message=message, kind="duplicate-tag")
            elif isinstance(name, str):
                seen[name] = tag

    def path_item(self, item: Node) -> Iterator[Finding]:
        if "parameters" in item.mapping():
            yield from self.parameters(self.resolve(item.child("parameters")))
        for name in item.mapping():
            if name in HTTP_METHODS:
                yield from self.operation(self.resolve(item.child(name)))

    def operation(self, operation: Node) -> Iterator[Finding]:
        if "responses" in operation.mapping():
            responses = self.resolve(operation.child("responses"))
            for code in responses.mapping():
                response = self.resolve(responses.child(code))
                if "content" in response.mapping():
                    content = self.resolve(response.child("content"))
                    for media_type in content.mapping():
                        media = self.resolve(content.child(media_type))
                        if "schema" in media.mapping():
                            yield from self.schema(media.child("schema"))
        if "parameters" in operation.mapping():
            yield from self.parameters(self.resolve(operation.child("parameters")))

    def parameters(self, parameters: Node) -> Iterator[Finding]:
        for index in range(len(parameters.value) if isinstance(parameters.value, list) else 0):
            parameter = self.resolve(parameters.child(index))
            if "schema" in parameter.mapping():
                yield from self.schema(parameter.child("schema"))

    def schema(
        self, place: Node, require_properties: bool = True, meta_checked: bool = False
    ) -> Iterator[Finding]:
        node = self.resolve(place)
        value = node.value
        if not isinstance(value, dict | bool):
            yield Finding(
                node, (), message=f"a schema must be a mapping or true/false (got {kind_of(value)})"
            )
            return
        if not meta_checked and id(value) not in self.meta_checked:
            self.meta_checked.add(id(value))
            findings = self.meta_findings(node)
            yield from findings
            if any(f.kind == "schema" for f in findings):
                return
        if id(value) in self.visited:
            return
        self.visited.add(id(value))
        if not isinstance(value, dict):
            return
        if "pattern" in value or "patternProperties" in value:  # few schemas have one: this is the hot loop
            yield from self.pattern_findings(node)
        yield from self.subschemas(node)
        if require_properties and "allOf" in value:
            yield from self.undefined_required(node)
        if "default" in value:
            default = self.resolve(node.child("default")).value
            if default is not None or value.get("nullable") is not True:
                yield from self.default_findings(node, default)

    def subschemas(self, node: Node) -> Iterator[Finding]:
        value = node.mapping()
        for keyword in _APPLICATORS:
            for index in range(len(value[keyword]) if isinstance(value.get(keyword), list) else 0):
                yield from self.schema(node.child(keyword, index), False, True)
        for keyword in ("not", "items"):
            if keyword in value:
                yield from self.schema(node.child(keyword), False, True)
        if "properties" in value:
            properties = self.resolve(node.child("properties"))
            for name in properties.mapping():
                yield from self.schema(properties.child(name), False, True)

    def undefined_required(self, node: Node) -> Iterator[Finding]:
        """An `allOf` schema's `required` names must be properties of it or of its parts."""
        required = self.resolve(node.child("required")).value
        if not isinstance(required, list):
            return
        defined = set(self.resolve(node.child("properties")).mapping())
        for index in range(len(node.mapping()["allOf"]) if isinstance(node.mapping()["allOf"], list) else 0):
            defined |= self.property_names(node.child("allOf", index), set())
        missing = [name for name in required if isinstance(name, str) and name not in defined]
        if missing:
            names = ", ".join(repr(name) for name in sorted(set(missing)))
            message = (
                f"`required` names properties that neither this schema nor its `allOf` define: {names}"
                " (ignored)"
            )
            yield Finding(node, ("required",), message=message, kind="required-undefined")

    def property_names(self, place: Node, seen: set[int]) -> set[str]:
        """Every property name reachable through allOf, anyOf, oneOf, items and not."""
        node = self.resolve(place)
        value = node.mapping()
        if id(value) in seen:  # openapi-spec-validator recurses without end here; the names are the same
            return set()
        seen.add(id(value))
        names = {str(name) for name in self.resolve(node.child("properties")).mapping()}
        for keyword in _APPLICATORS:
            for index in range(len(value[keyword]) if isinstance(value.get(keyword), list) else 0):
                names |= self.property_names(node.child(keyword, index), seen)
        for keyword in ("items", "not"):
            if keyword in value:
                names |= self.property_names(node.child(keyword), seen)
        return names

    def meta_findings(self, node: Node) -> list[Finding]:
        """The schema against its dialect's meta-schema: its first error, or else every complaint an SDK
        can live with (patterns Python does not read, values an enum lists twice)."""
        dialect = self.dialect(node.value) if self.is_31 else None
        if self.is_31 and not isinstance(dialect, str):
            return [Finding(node, ("$schema",), message=f"unknown JSON Schema dialect {dialect!r}")]
        meta_schema = _meta_schema(dialect)
        if meta_schema is None:
            return [Finding(node, ("$schema",), message=f"unknown JSON Schema dialect {dialect!r}")]
        findings = [
            Finding(node, (), error, kind=_meta_kind(error)) for error in meta_schema.errors(node.value)
        ]
        errors = [f for f in findings if f.kind == "schema"]
        return errors[:1] or findings

    def pattern_findings(self, node: Node) -> Iterator[Finding]:
        """Patterns Python reads but sdkgen cannot check as ECMA-262 (the meta-schema check passes them)."""
        value = node.mapping()
        sources: list[tuple[str, Any]] = [("pattern", value.get("pattern"))]
        if isinstance(value.get("patternProperties"), dict):
            sources += [("patternProperties", key) for key in value["patternProperties"]]
        for keyword, source in sources:
            if isinstance(source, str) and compile_pattern(source) is None:
                message = pattern_message(f"`{keyword}`", source)
                yield Finding(node, (keyword,), message=message, kind="pattern")

    def dialect(self, schema: Any) -> Any:
        if isinstance(schema, dict) and "$schema" in schema:
            return schema["$schema"]
        from openapi_schema_validator import OAS31_BASE_DIALECT_ID

        declared = self.workspace.root.data.get("jsonSchemaDialect")
        return declared if isinstance(declared, str) else OAS31_BASE_DIALECT_ID

    def default_findings(self, node: Node, default: Any) -> Iterator[Finding]:
        """The default against its schema, `$ref`s resolved where the schema is (as the validator does)."""
        from openapi_schema_validator import oas30_format_checker, oas31_format_checker
        from openapi_schema_validator.validators import OAS30Validator, OAS31Validator

        from generator.spec.schema_check import with_ecma_patterns

        # Patterns as ECMA-262 (a default is checked as values are; a pattern Python's `re` cannot
        # compile would make jsonschema raise).
        validator_class = with_ecma_patterns(OAS31Validator if self.is_31 else OAS30Validator)
        format_checker = oas31_format_checker if self.is_31 else oas30_format_checker
        resolver = self.registry().resolver(base_uri=node.document.uri)
        validator = validator_class(node.value, _resolver=resolver, format_checker=format_checker)
        for error in validator.iter_errors(default):
            yield Finding(node, ("default",), error, kind="default")

    def registry(self) -> Registry[Any]:
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        if self._registry is None:
            resources = [(d.uri, DRAFT202012.create_resource(d.data)) for d in self.workspace.documents]
            self._registry = Registry().with_resources(resources)
        return self._registry
