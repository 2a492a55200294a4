"""Checks of a package generated from a large real spec, run in a subprocess of their own (so they run in
parallel, and a generated package's import cannot touch the test process):

    python -m tests.support.real_specs imports OUTPUT PACKAGE
    python -m tests.support.real_specs examples SPEC OUTPUT PACKAGE STYLE

Each prints one JSON object on stdout.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MAX_LISTED = 20


def import_everything(output: Path, package: str) -> dict[str, Any]:
    """Import every module of the package, and build every pydantic model's validator.

    The generated models defer building (`defer_build=True`): without the rebuild, a model that
    cannot be built would only fail when first used.
    """
    sys.path.insert(0, str(output))
    started = time.monotonic()
    root = importlib.import_module(package)
    names = [package] + [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")]
    failed: list[str] = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name}: {type(exc).__name__}: {exc}"[:500])
            continue
        failed += _build_models(module)
    return {
        "modules": len(names),
        "failed": failed[:MAX_LISTED],
        "seconds": round(time.monotonic() - started, 1),
    }


def _build_models(module: Any) -> list[str]:
    rebuild = "model_rebuild"
    failed = []
    for name, value in vars(module).items():
        if inspect.isclass(value) and value.__module__ == module.__name__ and hasattr(value, rebuild):
            try:
                getattr(value, rebuild)(force=True)
            except Exception as exc:
                failed.append(f"{module.__name__}.{name}: {type(exc).__name__}: {exc}"[:500])
    return failed


@dataclass
class ExampleReport:
    """Examples of the spec whose schema is a generated model, parsed with that model."""

    samples: int = 0
    parsed: int = 0
    null_allowed: int = 0  # `null` for a nullable body: the model is not involved
    spec_faults: list[str] = field(default_factory=list)  # the example breaks its own schema
    spec_fault_count: int = 0
    still_parsed: int = 0  # examples that break their schema but parse all the same
    ours: list[str] = field(default_factory=list)  # a valid example the model refuses: a generator bug
    seconds: float = 0.0


def parse_examples(spec: Path, output: Path, package: str, style: str) -> ExampleReport:
    """Every `example`/`examples` value of a media type or schema that maps to a generated model, parsed."""
    from generator.pipeline import load_spec
    from generator.spec.examples import find_samples
    from generator.spec.refs import deref
    from generator.spec.schema_check import SchemaChecker

    started = time.monotonic()
    loaded = load_spec(spec)
    by_pointer = _model_classes(loaded.api, style)
    sys.path.insert(0, str(output))
    models = importlib.import_module(f"{package}.models")
    # Examples of responses leave out writeOnly properties, and those of requests readOnly ones.
    checker = SchemaChecker(loaded.workspace, not_required=frozenset({"readOnly", "writeOnly"}))
    report = ExampleReport()
    for sample in find_samples(loaded.workspace):
        if sample.what == "default":
            continue
        target = deref(loaded.workspace, sample.schema)
        class_name = by_pointer.get(target.pointer) if target.document is loaded.workspace.root else None
        if class_name is None:
            continue
        report.samples += 1
        value = sample.value.value
        valid = checker.problem(value, sample.schema) is None
        if value is None and valid:
            report.null_allowed += 1
            continue
        error = _parse(getattr(models, class_name), style, value)
        _record(report, error, valid, f"{sample.value.pointer} as {class_name}")
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _model_classes(api: Any, style: str) -> dict[str, str]:
    """Schema pointer -> the class the Python style generates for it."""
    from generator.render.languages.python import python_view
    from generator.render.style import load_style

    view = python_view(api, load_style(style, []).manifest, "p", {})
    return {model.source: py.name for model, py in zip(api.models, view.models, strict=True)}


def _parse(model: Any, style: str, value: Any) -> str | None:
    parse: Callable[[Any], Any] = model.model_validate if style == "python-pydantic" else model.from_dict
    try:
        parse(value)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _record(report: ExampleReport, error: str | None, valid: bool, what: str) -> None:
    if valid and error is None:
        report.parsed += 1
    elif valid:
        report.ours.append(f"{what}: {error}"[:800])
    else:
        report.spec_fault_count += 1
        report.still_parsed += error is None
        if len(report.spec_faults) < MAX_LISTED:
            report.spec_faults.append(what)


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "imports":
        result: dict[str, Any] = import_everything(Path(args[0]), args[1])
    elif command == "examples":
        result = asdict(parse_examples(Path(args[0]), Path(args[1]), args[2], args[3]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
