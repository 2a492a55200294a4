"""Validate: openapi-spec-validator plus sdkgen's own checks; a passing verdict is cached by content hash."""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from generator.errors import Diagnostic, SpecError
from generator.format import cache_dir
from generator.load import Document, Workspace, join_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_ERRORS = 20


def _version_errors(document: Document) -> list[Diagnostic]:
    data = document.data
    if not isinstance(data, dict):
        return [Diagnostic("the spec must be a mapping (an OpenAPI object)", document.locate(""))]
    if "swagger" in data:
        return [
            Diagnostic(
                "Swagger 2.0 is not supported: convert the spec to OpenAPI 3 first "
                "(e.g. with swagger2openapi)",
                document.locate("/swagger"),
            )
        ]
    version = data.get("openapi")
    if not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        where = document.locate("/openapi" if "openapi" in data else "")
        return [Diagnostic(f"unsupported `openapi` version {version!r}: expected 3.0.x or 3.1.x", where)]
    return []


def _schema_errors(document: Document) -> list[Diagnostic]:
    validator_class = (
        OpenAPIV31SpecValidator if document.data["openapi"].startswith("3.1") else OpenAPIV30SpecValidator
    )
    validator = validator_class(document.data, base_uri=document.path.resolve().as_uri())
    result: list[Diagnostic] = []
    try:
        for error in validator.iter_errors():
            pointer = join_pointer("", *(str(p) for p in getattr(error, "path", ())))
            message = str(getattr(error, "message", error)).split("\n", 1)[0]
            result.append(Diagnostic(message, document.locate(pointer), "error", pointer))
            if len(result) >= _MAX_ERRORS:
                break
    except RecursionError:
        result.append(Diagnostic("the spec is nested too deeply to validate", document.locate("")))
    except Exception as exc:  # the validator fails on some inputs instead of reporting them
        result.append(Diagnostic(f"invalid spec: {exc}".split("\n", 1)[0], document.locate("")))
    return result


def _operations(document: Document) -> list[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    result = []
    for path, item in (document.data.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                result.append((path, method, join_pointer("/paths", path, method), item, item[method]))
    return result


def _own_errors(workspace: Workspace) -> list[Diagnostic]:
    """Checks the OpenAPI schema cannot express: unique operationIds, path parameters, $refs."""
    document = workspace.root
    errors: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for path, method, pointer, item, operation in _operations(document):
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            if op_id in seen:
                errors.append(
                    Diagnostic(
                        f"duplicate operationId {op_id!r} (first at {seen[op_id]})",
                        document.locate(join_pointer(pointer, "operationId")),
                    )
                )
            else:
                seen[op_id] = str(document.locate(join_pointer(pointer, "operationId")))
        declared = set()
        for source, source_pointer in ((item, join_pointer("/paths", path)), (operation, pointer)):
            for index, param in enumerate(source.get("parameters") or []):
                param_pointer = join_pointer(source_pointer, "parameters", index)
                if isinstance(param, dict) and "$ref" in param:
                    try:
                        param = workspace.resolve(str(param["$ref"]), document, param_pointer).value
                    except SpecError as exc:
                        errors.extend(exc.diagnostics)
                        continue
                if isinstance(param, dict) and param.get("in") == "path":
                    declared.add(param.get("name"))
                    if param.get("name") not in re.findall(r"{([^}]+)}", path):
                        errors.append(
                            Diagnostic(
                                f"path parameter {param.get('name')!r} is not in the path {path!r}",
                                document.locate(param_pointer),
                            )
                        )
        for name in re.findall(r"{([^}]+)}", path):
            if name not in declared:
                errors.append(
                    Diagnostic(
                        f"{method.upper()} {path}: path parameter {name!r} is not declared",
                        document.locate(pointer),
                    )
                )
    errors.extend(_ref_errors(workspace))
    return errors


def _ref_errors(workspace: Workspace) -> list[Diagnostic]:
    errors: list[Diagnostic] = []
    stack: list[tuple[Document, Any, str]] = [(workspace.root, workspace.root.data, "")]
    visited: set[tuple[str, str]] = set()
    while stack:
        document, node, pointer = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    target = workspace.resolve(ref, document, join_pointer(pointer, "$ref"))
                except SpecError as exc:
                    errors.extend(exc.diagnostics)
                else:
                    if target.document is not document and target.key not in visited:
                        visited.add(target.key)
                        stack.append((target.document, target.value, target.pointer))
            stack.extend((document, v, join_pointer(pointer, k)) for k, v in node.items() if k != "$ref")
        elif isinstance(node, list):
            stack.extend((document, v, join_pointer(pointer, i)) for i, v in enumerate(node))
        if len(errors) >= _MAX_ERRORS:
            break
    return errors


def _fingerprint(workspace: Workspace) -> str:
    digest = hashlib.sha256(importlib.metadata.version("openapi-spec-validator").encode())
    for document in sorted(workspace.documents, key=lambda d: str(d.path)):
        digest.update(str(document.path.name).encode() + b"\0" + document.text.encode() + b"\0")
    return digest.hexdigest()


def validate(workspace: Workspace, use_cache: bool = True) -> None:
    """Raise SpecError listing what is wrong with the spec; return quietly when it is valid."""
    errors = _version_errors(workspace.root)
    if errors:
        raise SpecError(errors)
    errors = _own_errors(workspace)
    if errors:
        raise SpecError(errors)
    marker = cache_dir().parent / "valid" / _fingerprint(workspace)
    if use_cache and marker.exists():
        return
    errors = _schema_errors(workspace.root)
    if errors:
        raise SpecError(errors)
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
