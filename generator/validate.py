"""Validate: openapi-spec-validator plus sdkgen's own checks; a passing verdict is cached by content hash.

The order matters: `$ref`s first (the validator recurses without end on a circular chain), then the
OpenAPI structure (so the checks after it can rely on it), then sdkgen's own checks, then the
validator's checks of schemas and defaults. Each finding is said once, in plain words, at its place.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.keywords import (
    OpenAPIV30SchemaValidator,
    OpenAPIV30ValueValidator,
    OpenAPIV31SchemaValidator,
    OpenAPIV31ValueValidator,
)

from generator.errors import Diagnostic, SpecError
from generator.format import cache_dir
from generator.load import Document, Workspace, join_pointer
from generator.ref_check import ref_errors
from generator.refs import Node, deref
from generator.spec_messages import plain

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_ERRORS = 20
_TEMPLATE = re.compile(r"{([^}]+)}")


def validate(workspace: Workspace, use_cache: bool = True) -> None:
    """Raise SpecError listing what is wrong with the spec; return quietly when it is valid."""
    _raise_if(_version_errors(workspace.root))
    _raise_if(ref_errors(workspace))
    marker = cache_dir().parent / "valid" / _fingerprint(workspace)
    cached = use_cache and marker.exists()
    if not cached:
        _raise_if(_structure_errors(workspace))
    _raise_if(_own_errors(workspace))
    if cached:
        return
    _raise_if(_keyword_errors(workspace))
    if use_cache:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass


def validate_path(path: Path) -> Workspace:
    workspace = Workspace.open(path)
    validate(workspace)
    return workspace


def _raise_if(errors: list[Diagnostic]) -> None:
    if errors:
        raise SpecError(errors[:_MAX_ERRORS])


def _fingerprint(workspace: Workspace) -> str:
    digest = hashlib.sha256(importlib.metadata.version("openapi-spec-validator").encode())
    for document in sorted(workspace.documents, key=lambda d: str(d.path)):
        digest.update(str(document.path.name).encode() + b"\0" + document.text.encode() + b"\0")
    return digest.hexdigest()


# --- what kind of document ---------------------------------------------------------------------


def _version_errors(document: Document) -> list[Diagnostic]:
    data = document.data
    if data is None:
        return [Diagnostic("the file is empty: expected an OpenAPI document", document.locate(""))]
    if not isinstance(data, dict):
        message = "the spec must be a mapping with `openapi`, `info` and `paths`"
        return [Diagnostic(f"{message} (the file holds {_kind(data)})", document.locate(""))]
    if "swagger" in data:
        message = (
            "Swagger 2.0 is not supported: convert the spec to OpenAPI 3 first (e.g. with swagger2openapi)"
        )
        return [Diagnostic(message, document.locate("/swagger"))]
    if "openapi" not in data:
        message = "missing `openapi`: the spec must start with `openapi: 3.1.0` (or a 3.0.x version)"
        return [Diagnostic(message, document.locate(""))]
    version = data["openapi"]
    if isinstance(version, int | float) and not isinstance(version, bool):
        message = f"`openapi` must be a string such as '3.0.3' (got the number {version}: quote it)"
        return [Diagnostic(message, document.locate("/openapi"))]
    if not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        message = f"unsupported `openapi` version {version!r}: sdkgen reads 3.0.x and 3.1.x"
        return [Diagnostic(message, document.locate("/openapi"))]
    return []


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    kinds = {list: "a list", str: "a string", int: "a number", float: "a number"}
    return kinds.get(type(value), "a single value")


# --- openapi-spec-validator ---------------------------------------------------------------------


def _validator(document: Document) -> Any:
    is_31 = str(document.data["openapi"]).startswith("3.1")
    base = _Located31 if is_31 else _Located30
    return base(document.data, base_uri=document.path.resolve().as_uri())


def _structure_errors(workspace: Workspace) -> list[Diagnostic]:
    """The document against the OpenAPI schema: objects, fields and their types."""
    document = workspace.root
    try:
        errors = _validator(document).schema_validator.iter_errors(document.data)
        return _diagnostics(workspace, (plain(e) for e in errors))
    except RecursionError:
        return [Diagnostic("the spec is nested too deeply to validate", document.locate(""))]


def _keyword_errors(workspace: Workspace) -> list[Diagnostic]:
    """The validator's checks of schemas (against their dialect) and of defaults (against their schema)."""
    document = workspace.root
    validator = _validator(document)
    try:
        errors = validator.root_validator(validator.schema_path)
        return _diagnostics(workspace, (plain(e, getattr(e, "sdkgen_at", ())) for e in errors))
    except Exception:
        # The structure is valid by now, so this is the validator failing, not the spec (it recurses
        # without end on schemas that include each other through oneOf and allOf): do not hold the
        # user's spec responsible for it. A spec really nested too deeply fails the build instead.
        return []


def _diagnostics(
    workspace: Workspace, found: Iterator[tuple[tuple[str | int, ...], str]]
) -> list[Diagnostic]:
    result: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for path, message in found:
        place = _place(workspace, path)
        if (place.pointer, message) in seen:
            continue
        seen.add((place.pointer, message))
        result.append(Diagnostic(message, place.document.locate(place.pointer), "error", place.pointer))
        if len(result) >= _MAX_ERRORS:
            break
    return result


def _place(workspace: Workspace, path: tuple[str | int, ...]) -> Node:
    """Where a validator path leads, through the `$ref`s it crossed (the validator follows them silently)."""
    node = Node.root(workspace.root)
    for token in path:
        try:
            node = deref(workspace, node)
        except SpecError:
            break
        if not isinstance(node.value, dict | list):
            break
        node = node.child(token)
    return node


def _located(base: Any, suffix: tuple[str, ...] = ()) -> Any:
    """A keyword validator that marks its errors with where the schema it checked is.

    The validator's errors about a schema or a default have paths relative to that schema, so
    without this they could only be reported at the top of the file.
    """

    class Located(base):  # type: ignore[misc]
        def __call__(self, schema: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            for error in super().__call__(schema, *args, **kwargs):
                if not hasattr(error, "sdkgen_at"):  # the innermost schema sets it first
                    error.sdkgen_at = tuple(str(p) for p in getattr(schema, "parts", ())) + suffix
                yield error

    return Located


class _Located30(OpenAPIV30SpecValidator):
    keyword_validators = {  # noqa: RUF012 (the base class declares it as it is)
        **OpenAPIV30SpecValidator.keyword_validators,
        "schema": _located(OpenAPIV30SchemaValidator),
        "default": _located(OpenAPIV30ValueValidator, ("default",)),
    }


class _Located31(OpenAPIV31SpecValidator):
    keyword_validators = {  # noqa: RUF012 (the base class declares it as it is)
        **OpenAPIV31SpecValidator.keyword_validators,
        "schema": _located(OpenAPIV31SchemaValidator),
        "default": _located(OpenAPIV31ValueValidator, ("default",)),
    }


# --- sdkgen's own checks -----------------------------------------------------------------------


def _operations(workspace: Workspace) -> Iterator[tuple[str, str, Node, Node]]:
    """(path, method, path item, operation) for every operation; the structure is valid by now."""
    root = Node.root(workspace.root)
    for path in root.child("paths").mapping():
        item = deref(workspace, root.child("paths", path))
        for method in HTTP_METHODS:
            if isinstance(item.mapping().get(method), dict):
                yield str(path), method, item, item.child(method)


def _own_errors(workspace: Workspace) -> list[Diagnostic]:
    """What the OpenAPI schema cannot express: unique operationIds, parameters and path templates."""
    errors = _operation_id_errors(workspace)
    for path, method, item, operation in _operations(workspace):
        item_params = _parameters(workspace, item)
        op_params = _parameters(workspace, operation)
        errors += _duplicate_parameter_errors(item_params) + _duplicate_parameter_errors(op_params)
        errors += _path_parameter_errors(path, method, operation, item_params + op_params)
        if len(errors) >= _MAX_ERRORS:
            break
    # A path item's parameters are checked with each of its operations: say each finding once.
    unique = {(e.pointer, e.message): e for e in errors}
    return list(unique.values())


def _operation_id_errors(workspace: Workspace) -> list[Diagnostic]:
    document = workspace.root
    errors: list[Diagnostic] = []
    first: dict[str, str] = {}
    for _, _, _, operation in _operations(workspace):
        op_id = operation.mapping().get("operationId")
        if not isinstance(op_id, str):
            continue
        pointer = join_pointer(operation.pointer, "operationId")
        if op_id not in first:
            first[op_id] = pointer  # located only when needed: locating composes the whole file
            continue
        earlier = document.locate(first[op_id])
        message = f"duplicate operationId {op_id!r} (first used at line {earlier.line})"
        errors.append(Diagnostic(message, document.locate(pointer), "error", pointer))
    return errors


def _parameters(workspace: Workspace, holder: Node) -> list[tuple[Node, Node]]:
    """(where it is listed, the parameter object) for each parameter of a path item or operation."""
    listed = holder.child("parameters")
    result = []
    for index in range(len(listed.value) if isinstance(listed.value, list) else 0):
        place = listed.child(index)
        param = deref(workspace, place)
        if isinstance(param.value, dict):
            result.append((place, param))
    return result


def _duplicate_parameter_errors(params: list[tuple[Node, Node]]) -> list[Diagnostic]:
    errors: list[Diagnostic] = []
    first: dict[tuple[str, str], Node] = {}
    for place, param in params:
        key = (str(param.mapping().get("name")), str(param.mapping().get("in")))
        if key not in first:
            first[key] = place
            continue
        earlier = first[key].document.locate(first[key].pointer)
        message = f"parameter {key[0]!r} in {key[1]} is listed twice (first at line {earlier.line})"
        errors.append(Diagnostic(message, place.document.locate(place.pointer), "error", place.pointer))
    return errors


def _path_parameter_errors(
    path: str, method: str, operation: Node, params: list[tuple[Node, Node]]
) -> list[Diagnostic]:
    errors: list[Diagnostic] = []
    template = _TEMPLATE.findall(path)
    declared = set()
    for place, param in params:
        if param.mapping().get("in") != "path":
            continue
        name = param.mapping().get("name")
        declared.add(name)
        if name not in template:
            message = f"path parameter {name!r} is not in the path template {path!r}"
            errors.append(Diagnostic(message, place.document.locate(place.pointer), "error", place.pointer))
    for name in template:
        if name not in declared:
            message = (
                f"{method.upper()} {path}: `{{{name}}}` is in the path but no path parameter declares it"
            )
            where = operation.document.locate(operation.pointer)
            errors.append(Diagnostic(message, where, "error", operation.pointer))
    return errors
