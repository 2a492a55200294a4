"""Validate: openapi-spec-validator's checks plus sdkgen's own; a passing verdict is cached by content hash.

The order matters: `$ref`s first (a circular chain would send the later checks round without end),
then the OpenAPI structure (so the checks after it can rely on it), then sdkgen's own checks, then
openapi-spec-validator's checks of schemas and defaults (keyword_checks.py). jsonschema-rs makes the
two schema checks fast; jsonschema has the last word on anything it rejects. Each finding is said
once, in plain words, at its place.

Each finding is an error or a warning, decided in one place (`LIVABLE`, below): an error is what
no SDK can be made from, and stops validation at the end of its stage; a warning is what an SDK
can live with (a default that breaks its schema, a pattern Python does not read...), and the
later stages go on. `validate` raises the errors and returns the warnings; the verdict cache keeps
the warnings of a spec with no errors.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

from generator.cache import cache_root, store
from generator.errors import Diagnostic, Location, SpecError
from generator.fork import Child, can_fork, start
from generator.spec.load import HTTP_METHODS, Document, Workspace, join_pointer
from generator.spec.refs import Node, deref
from generator.versions import version

# The checks' own modules (and jsonschema-rs under them) are imported where they run: `generate`
# runs them in a forked child, and the parent, which only builds and renders, should not pay for them.

_MAX_ERRORS = 20  # errors listed per stage
_MAX_WARNINGS = 20  # warnings listed in all; a last one counts the rest
_TEMPLATE = re.compile(r"{([^}]+)}")

# --- what an SDK can live with: the one place a finding's severity is decided --------------------
# Each check says what kind of finding it made; these kinds are warnings (`generate` writes the SDK
# and prints them; `generate --strict` and `validate` refuse them), each with what sdkgen does about
# it. Any other kind (a broken structure or `$ref`, a duplicate operationId, a path template without
# its parameter, a schema that breaks its meta-schema) is an error: no SDK can be made from it.
LIVABLE = {
    "unknown-field": "a field OpenAPI does not define is ignored (sdkgen reads only the fields it defines)",
    "default": "a default that breaks its schema is left out of the SDK (model/build.py)",
    "pattern": "a pattern Python's `re` does not read is checked as ECMA-262, or not at all",
    "enum-duplicate": "an enum that lists a value twice has it once",
    "required-undefined": "a required name no property has is ignored",
    "duplicate-tag": "a tag declared twice is one tag",
}


def severity(kind: str) -> str:
    """`warning` for a finding an SDK can live with, `error` for the rest."""
    return "warning" if kind in LIVABLE else "error"


def validate(workspace: Workspace, use_cache: bool = True) -> list[Diagnostic]:
    """Raise SpecError listing what is wrong with the spec; return the warnings when it has no errors."""
    check_version(workspace)
    known = _known_warnings(workspace) if use_cache else None
    if known is not None:
        return known
    from generator.spec.ref_check import ref_errors

    found: list[Diagnostic] = []
    for stage in (ref_errors, _structure_errors, _own_errors, _keyword_errors):
        findings = stage(workspace)
        _raise_if([d for d in findings if d.severity == "error"])
        found += findings
    more = max(0, len(found) - _MAX_WARNINGS)
    if use_cache:
        _remember(workspace, found[:_MAX_WARNINGS], more)
    return _listed(workspace, found[:_MAX_WARNINGS], more)


def _listed(workspace: Workspace, warnings: list[Diagnostic], more: int) -> list[Diagnostic]:
    """The warnings listed, and a last one that counts those left out."""
    if not more:
        return warnings
    message = f"{more} more warning(s) like these (only {len(warnings)} are listed)"
    return [*warnings, Diagnostic(message, Location(workspace.root.display_path), "warning")]


# --- the verdict cache: a spec found valid by these checks is valid until one of its files changes


def _marker(workspace: Workspace) -> Path:
    """Where the verdict on this root file's text, under this version of every check, is kept."""
    digest = hashlib.sha256()
    for package in ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "regex"):
        digest.update(version(package).encode() + b"\0")
    modules = ("validate.py", "keyword_checks.py", "ref_check.py", "load.py", "refs.py", "messages.py")
    for module in (*modules, "patterns.py"):  # all in spec/: the checks and the words of their findings
        digest.update((Path(__file__).parent / module).read_bytes())
    root = workspace.root
    digest.update(root.path.name.encode() + b"\0" + root.text.encode())
    return cache_root() / "valid" / digest.hexdigest()


def _known_warnings(workspace: Workspace) -> list[Diagnostic] | None:
    """The warnings of a root found valid before, with every file its `$ref`s reached then unchanged;
    None when there is no such verdict.

    The marker lists those files: a changed one changes the verdict, and a new file can only be
    reached through a changed one (or a changed root, which has a marker of its own). It keeps each
    warning as its file, pointer and words: the place is located again, in this run's file names.
    """
    base = workspace.root.path.parent
    try:
        listed = json.loads(_marker(workspace).read_text(encoding="utf-8"))
        for relative, digest in listed["documents"].items():
            document = workspace.document(base / relative)
            if hashlib.sha256(document.text.encode()).hexdigest() != digest:
                return None
        warnings = [
            _warning(workspace.document(base / relative), pointer, str(message))
            for relative, pointer, message in listed["warnings"]
        ]
        more = int(listed["more"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, SpecError):
        return None
    return _listed(workspace, warnings, more)


def _warning(document: Document, pointer: str, message: str) -> Diagnostic:
    return Diagnostic(message, document.locate(pointer), "warning", pointer)


def _remember(workspace: Workspace, warnings: list[Diagnostic], more: int) -> None:
    base = workspace.root.path.parent
    others = {
        os.path.relpath(d.path, base): hashlib.sha256(d.text.encode()).hexdigest()
        for d in workspace.documents
        if d is not workspace.root
    }
    by_name = {d.display_path: d for d in workspace.documents}
    kept = [
        (os.path.relpath(by_name[w.location.file].path, base), w.pointer, w.message)
        for w in warnings
        if w.location is not None and w.location.file in by_name
    ]
    marker = {"documents": dict(sorted(others.items())), "warnings": kept, "more": more}
    store(_marker(workspace), json.dumps(marker).encode())


class Verdict:
    """Validation's outcome, perhaps still being reached in a child process: `confirm` waits for it."""

    def __init__(self, child: Child | None = None, warnings: list[Diagnostic] | None = None) -> None:
        self._child = child
        self._warnings = warnings or []

    @property
    def pending(self) -> bool:
        """Whether a child is reaching the verdict (until `confirm` or `cancel`)."""
        return self._child is not None

    def confirm(self) -> list[Diagnostic]:
        """The warnings, when the spec has no errors; raise SpecError with the errors when it has."""
        if self._child is None:
            return self._warnings
        ok, outcome = self._child.result()
        self._child = None
        if not ok:
            raise RuntimeError(f"validation failed: {outcome}")
        _raise_if([d for d in outcome if d.severity == "error"])
        self._warnings = outcome
        return self._warnings

    def cancel(self) -> None:
        """Stop the child: the caller has a failure of its own to report."""
        if self._child is not None:
            self._child.cancel()
            self._child = None


def validate_beside(path: Path, use_cache: bool = True, fork: bool | None = None) -> Verdict:
    """Start validating the spec at `path` in a forked child, beside the caller's own work.

    The child reads the spec itself: forked before the caller parses it, neither process pays
    copy-on-write for the other's walk over the document. Only a spec whose verdict is not cached
    needs the checks (0.1-0.5 s on big specs); the caller builds and renders meanwhile on the other
    core, and must `confirm` before it writes anything, and before it reports any failure of its
    own past reading the spec (a bad spec, a broken `$ref` say, explains a failure downstream).
    Where no child can be forked (see `fork.can_fork`) the verdict is not `pending`: the caller
    validates itself.
    """
    if not (can_fork() if fork is None else fork):
        return Verdict()
    # Even the verdict cache is looked up in the child: hashing the spec is off the caller's path too.
    return Verdict(start(lambda: _findings(path, use_cache)))


def _findings(path: Path, use_cache: bool) -> list[Diagnostic]:
    """What validating the spec raises or returns, as a value: its errors, else its warnings."""
    try:
        return validate(Workspace.open(path), use_cache)
    except SpecError as error:
        return error.diagnostics


def check_version(workspace: Workspace) -> None:
    """The `openapi` version is one sdkgen reads (the first check, and the quickest)."""
    _raise_if(_version_errors(workspace.root))


def _raise_if(errors: list[Diagnostic]) -> None:
    if errors:
        raise SpecError(errors[:_MAX_ERRORS])


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


# --- the OpenAPI schema and openapi-spec-validator's keyword checks --------------------------------


@cache
def _openapi_schema(version: str) -> dict[str, Any]:
    """openapi-spec-validator's OpenAPI schema for `3.0` or `3.1`, read without importing the package
    (its settings machinery costs a tenth of a second at startup)."""
    spec = importlib.util.find_spec("openapi_spec_validator")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "resources" / "schemas" / f"v{version}"
    return cast(dict[str, Any], json.loads((folder / "schema.json").read_text(encoding="utf-8")))


@cache
def _fast_structure(version: str) -> Any:
    """jsonschema-rs compiled for the OpenAPI schema (formats unchecked, as jsonschema leaves them)."""
    from generator.spec import keyword_checks

    if keyword_checks.jsonschema_rs is None:
        return None
    try:
        return keyword_checks.jsonschema_rs.validator_for(_openapi_schema(version), validate_formats=False)
    except Exception:  # the Rust engine cannot compile it: jsonschema checks everything
        return None


def _structure_errors(workspace: Workspace) -> list[Diagnostic]:
    """The document against the OpenAPI schema: objects, fields and their types.

    jsonschema-rs answers "valid" in milliseconds (jsonschema takes 3 s on GitHub's spec); a document it
    rejects is checked again by jsonschema, whose verdict stands and whose errors are worded.
    """
    document = workspace.root
    version = "3.1" if str(document.data["openapi"]).startswith("3.1") else "3.0"
    fast = _fast_structure(version)
    if fast is not None and _deep_enough_for_rust(document.data) and fast.is_valid(document.data):
        return []
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]  # errors only

    from generator.spec.messages import plain, structure_kind

    schema = _openapi_schema(version)
    try:
        errors = validator_for(schema)(schema).iter_errors(document.data)
        return _diagnostics(workspace, ((structure_kind(e), *plain(e)) for e in errors))
    except RecursionError:
        return [Diagnostic("the spec is nested too deeply to validate", document.locate(""))]


def _deep_enough_for_rust(data: Any, limit: int = 2_000) -> bool:
    """Whether `data` nests less than `limit` levels: jsonschema-rs recurses on the native stack."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth >= limit:
            return False
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))
    return True


def _keyword_errors(workspace: Workspace) -> list[Diagnostic]:
    """openapi-spec-validator's checks of schemas (against their dialect), defaults and tags."""
    from generator.spec.keyword_checks import keyword_findings
    from generator.spec.messages import plain

    result: list[Diagnostic] = []
    seen: set[tuple[str, str, str]] = set()
    try:
        for finding in keyword_findings(workspace):
            path, message = (
                plain(finding.error, finding.path) if finding.error else (finding.path, finding.message)
            )
            pointer = join_pointer(finding.node.pointer, *path)
            key = (str(finding.node.document.path), pointer, message)
            if key in seen:
                continue
            seen.add(key)
            result.append(_finding(finding.kind, message, finding.node.document, pointer))
            if _full(result):
                break
    except RecursionError:
        document = workspace.root
        return [Diagnostic("the spec's schemas nest too deeply to validate", document.locate(""))]
    return result


def _diagnostics(
    workspace: Workspace, found: Iterator[tuple[str, tuple[str | int, ...], str]]
) -> list[Diagnostic]:
    """Each (kind, path, message) found, once, at its place: the first `_MAX_ERRORS` errors, and warnings."""
    result: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for kind, path, message in found:
        place = _place(workspace, path)
        if (place.pointer, message) in seen:
            continue
        seen.add((place.pointer, message))
        result.append(_finding(kind, message, place.document, place.pointer))
        if _full(result):
            break
    return result


def _finding(kind: str, message: str, document: Document, pointer: str) -> Diagnostic:
    return Diagnostic(message, document.locate(pointer), severity(kind), pointer)


def _full(found: list[Diagnostic]) -> bool:
    """Whether a stage has found enough: `_MAX_ERRORS` errors, or errors and more warnings than are listed."""
    errors = sum(d.severity == "error" for d in found)
    return errors >= _MAX_ERRORS or (errors > 0 and len(found) - errors > _MAX_WARNINGS)


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
