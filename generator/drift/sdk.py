"""Drift SDK round trip: parse a body with the generated python-pydantic models and diff what comes back."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import sys
import tempfile
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.drift.rules import Issue
from generator.drift.schema import json_equal, show_value
from generator.pipeline import LoadedSpec
from generator.render.languages.python import PyPackage, python_view
from generator.render.style import load_style, render_style
from generator.spec.load import Workspace, join_pointer

STYLE = "python-pydantic"
_PARSED = ("model", "adapter")  # return kinds whose body the SDK parses with pydantic


class SdkModels:
    """How the generated SDK parses each operation's success body: a pydantic TypeAdapter by operationId.

    The package is imported once; an adapter is built the first time its operation is asked for
    (building all of them takes minutes on a spec like Stripe's). `skipped` says why there are none.
    """

    def __init__(
        self, modules: dict[str, ModuleType], methods: dict[str, Any], skipped: str | None = None
    ) -> None:
        self.modules = modules  # the generated package's modules, kept out of sys.modules between uses
        self.methods = methods  # operationId -> the generated method whose return annotation is parsed
        self.skipped = skipped
        self.failed: dict[str, str] = {}  # operationId -> why its adapter could not be built
        self._adapters: dict[str, Any] = {}

    @classmethod
    def none(cls, why: str) -> SdkModels:
        return cls({}, {}, why)

    def adapter(self, operation_id: str) -> Any | None:
        """The TypeAdapter the SDK's method parses a success body with; None if it returns no JSON."""
        if operation_id in self._adapters or operation_id in self.failed or operation_id not in self.methods:
            return self._adapters.get(operation_id)
        from pydantic import TypeAdapter

        try:
            with _registered(self.modules):  # deferred models find their annotations' names there
                adapter: Any = TypeAdapter(typing.get_type_hints(self.methods[operation_id])["return"])
                adapter.rebuild()
        except Exception as error:  # pydantic cannot build the type: report it, keep the schema findings
            self.failed[operation_id] = (
                f"pydantic cannot build the SDK's type: {type(error).__name__}: {error}"
            )
            return None
        self._adapters[operation_id] = adapter
        return adapter


_MODELS: dict[str, SdkModels] = {}  # by spec content hash: one render and import per spec and process


def sdk_models(spec: LoadedSpec) -> SdkModels:
    """The SDK's parsers for a spec, rendered, imported and cached on first use."""
    key = spec_hash(spec.workspace)
    if key not in _MODELS:
        _MODELS[key] = _load(spec, f"_sdkgen_drift_{key[:16]}")
    return _MODELS[key]


def spec_hash(workspace: Workspace) -> str:
    digest = hashlib.sha256()
    for document in sorted(workspace.documents, key=lambda d: str(d.path)):
        for chunk in (str(document.path).encode(), document.text.encode()):
            digest.update(len(chunk).to_bytes(8, "big") + chunk)
    return digest.hexdigest()


def round_trip(adapter: Any, body: Any) -> list[Issue]:
    """Parse `body` as the SDK does (JSON bytes in), dump it as `to_dict()` does, and diff the two."""
    from pydantic import ValidationError

    try:
        parsed = adapter.validate_json(json.dumps(body))
    except ValidationError as error:
        return parse_failures(error.errors(include_url=False), body)
    dumped = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
    return compare(body, dumped, "")


# The SDK parses leniently by default: what strict parsing rejects, it sets aside (the field is None,
# the value kept in `mismatched_fields`) and reports as a type_mismatch at the same pointer.
_REJECTED = "strict_responses=True rejects this (by default the SDK sets it aside as a type_mismatch): "


def parse_failures(errors: list[Any], body: Any) -> list[Issue]:
    """One sdk-parse-failure per place in the body, from pydantic's error details."""
    messages: dict[str, list[str]] = {}
    for error in errors:
        pointer = body_pointer(tuple(error["loc"]), body, error.get("type") == "missing")
        found = messages.setdefault(pointer, [])
        if error["msg"] not in found:
            found.append(error["msg"])
    # Each member of a union reports its own error; one that got further into the value says more.
    pointers = [p for p in messages if not any(q.startswith(p + "/") for q in messages)]
    return [Issue("sdk-parse-failure", p, _REJECTED + "; ".join(messages[p])) for p in pointers]


def body_pointer(loc: tuple[str | int, ...], body: Any, missing: bool = False) -> str:
    """The JSON pointer into `body` of a pydantic error location (`missing`: of a missing field).

    Locations name union members (`str`, `PaymentMethod`) between the keys; a token that is no key
    of the value there is such a name and is skipped, except the last one of a missing field.
    """
    pointer, value = "", body
    for index, token in enumerate(loc):
        if _has(value, token):
            pointer, value = join_pointer(pointer, token), value[token]
        elif missing and index == len(loc) - 1 and isinstance(value, dict) and isinstance(token, str):
            pointer = join_pointer(pointer, token)
    return pointer


def _has(value: Any, token: str | int) -> bool:
    if isinstance(value, dict):
        return token in value
    return isinstance(value, list) and isinstance(token, int) and 0 <= token < len(value)


def compare(original: Any, dumped: Any, pointer: str) -> list[Issue]:
    """What the SDK changed: fields it lost or added, values it gave back different."""
    if isinstance(original, dict) and isinstance(dumped, dict):
        issues: list[Issue] = []
        for key, value in original.items():
            child = join_pointer(pointer, key)
            if key in dumped:
                issues += compare(value, dumped[key], child)
            else:
                issues.append(
                    Issue("sdk-field-lost", child, f"field {key!r} is gone once the SDK parsed the body")
                )
        for key in (k for k in dumped if k not in original):
            message = f"the SDK adds field {key!r}: {show_value(dumped[key])}"
            issues.append(Issue("sdk-value-changed", join_pointer(pointer, key), message))
        return issues
    if isinstance(original, list) and isinstance(dumped, list) and len(original) == len(dumped):
        pairs = enumerate(zip(original, dumped, strict=True))
        return [issue for i, (a, b) in pairs for issue in compare(a, b, join_pointer(pointer, i))]
    if json_equal(original, dumped):
        return []
    message = f"the SDK gives {show_value(original)} back as {show_value(dumped)}"
    return [Issue("sdk-value-changed", pointer, message)]


def _load(spec: LoadedSpec, package: str) -> SdkModels:
    missing = [name for name in ("pydantic", "httpx") if importlib.util.find_spec(name) is None]
    if missing:
        return SdkModels.none(f"{' and '.join(missing)} not installed (a dev dependency): no SDK round trip")
    style = load_style(STYLE, [])
    # Rendered without black: layout does not change what the code does, and black costs seconds on
    # large specs (and would fill the format cache with throwaway packages).
    files = render_style(spec.api, style, package, {}, [])
    view = python_view(spec.api, style.manifest, package, {})
    with tempfile.TemporaryDirectory(prefix="sdkgen-drift-") as folder:
        for name, text in files.items():
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        sys.path.insert(0, folder)
        try:
            methods = _methods(package, view)
        except Exception as error:  # the generated code does not import: say so, keep the schema findings
            return SdkModels.none(f"the generated SDK cannot be imported: {type(error).__name__}: {error}")
        finally:
            sys.path.remove(folder)
            sys.path_importer_cache.pop(folder, None)
            modules = {m: sys.modules.pop(m) for m in list(sys.modules) if m.split(".")[0] == package}
    return SdkModels(modules, methods)


def _methods(package: str, view: PyPackage) -> dict[str, Any]:
    """The generated method of each operation whose body the SDK parses with pydantic."""
    result: dict[str, Any] = {}
    for group in view.groups:
        api = getattr(importlib.import_module(f"{package}.api.{group.module}"), group.class_name)
        for operation in group.operations:
            if operation.return_kind in _PARSED:
                result[operation.operation_id] = getattr(api, operation.name)
    return result


@contextmanager
def _registered(modules: dict[str, ModuleType]) -> Iterator[None]:
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name in modules:
            sys.modules.pop(name, None)
