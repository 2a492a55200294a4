"""Checks of a package generated from a real spec, run in a subprocess of their own (so they run in
parallel, and a generated package's import cannot touch the test process):

    python -m tests.support.real_specs imports OUTPUT PACKAGE
    python -m tests.support.real_specs examples SPEC OUTPUT PACKAGE STYLE

Each prints one JSON object on stdout. `Jobs` runs generation and these checks on a pool, for the
tests of real specs (tests/integration/test_real_specs.py, test_apisguru_specs.py).
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

MAX_LISTED = 20
ROOT = Path(__file__).resolve().parents[2]
TSC = ROOT / "node_modules" / ".bin" / "tsc"
PYTHON_STYLES = ("python-pydantic", "python-dataclasses")
STYLES = (*PYTHON_STYLES, "typescript-fetch")
PYTHON_CHECKS = ("mypy", "examples", "imports", "isort")
TIMEOUT = 600


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


# --- generation and checks on a pool, for the tests -------------------------------------------------


@dataclass(frozen=True)
class Done:
    """A finished subprocess: what it said and how long it took."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return (self.stdout + self.stderr)[-6000:]


def _run(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> Done:
    """`env` always given: without it the child execs with the process-global `environ`, and these run on
    pool threads while a test on the main thread may `monkeypatch.setenv`, which can free that array under
    the vfork child (CI saw `OSError: [Errno 14] Bad address`)."""
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    return Done(done.returncode, done.stdout, done.stderr, round(time.monotonic() - started, 1))


def package_name(spec: str, style: str) -> str:
    """The package generated for a spec in a style."""
    return f"{spec}-sdk" if style == "typescript-fetch" else f"{spec}_sdk"


class Jobs:
    """Generation, then the checks of each output, on a thread pool of subprocesses."""

    def __init__(self, root: Path, pool: ThreadPoolExecutor, specs: dict[str, Path]) -> None:
        """`specs`: each spec's file, by a name that makes an identifier of its package's name."""
        self.root = root
        self.pool = pool
        self.specs = specs
        self.futures: dict[tuple[str, str, str], Future[Done]] = {}
        # Copied here, on the thread that builds the jobs, never read again from a pool thread.
        self.env = dict(os.environ)

    def output(self, spec: str, style: str) -> Path:
        return self.root / spec / style

    def start(
        self, spec: str, styles: tuple[str, ...] = STYLES, python_checks: tuple[str, ...] = PYTHON_CHECKS
    ) -> None:
        # Every generation first: checks wait on their package, and a generation never waits.
        for style in styles:
            self._submit(spec, style, "generate", partial(self._generate, spec, style))
        checks = {
            "mypy": self._mypy,
            "examples": self._examples,
            "imports": self._imports,
            "isort": self._isort,
        }
        for style in (s for s in styles if s in PYTHON_STYLES):
            for check in python_checks:
                self._after(spec, style, check, checks[check])
        if "typescript-fetch" in styles:
            self._after(spec, "typescript-fetch", "tsc", self._tsc)

    def mypy_together(self, specs: list[str], style: str) -> Future[Done]:
        """One `mypy --strict` over the packages of many specs, once all are generated: what they import
        (pydantic, the standard library) is analysed once, not once a package (12 s, not 66 s, for 14)."""

        def run() -> Done:
            if any(self.futures[(spec, style, "generate")].result().returncode for spec in specs):
                return Done(-1, "", "generation failed", 0.0)
            packages = [arg for spec in specs for arg in ("-p", package_name(spec, style))]
            path = os.pathsep.join(str(self.output(spec, style)) for spec in specs)
            cache = self.root / "mypy-cache" / style
            flags = ["--strict", "--cache-dir", str(cache), "--no-color-output", "--show-error-codes"]
            env = {**self.env, "MYPYPATH": path}
            return _run([sys.executable, "-m", "mypy", *flags, *packages], env)

        return self.pool.submit(run)

    def result(self, spec: str, style: str, check: str) -> Done:
        return self.futures[(spec, style, check)].result()

    def _submit(self, spec: str, style: str, check: str, job: Callable[[], Done]) -> None:
        self.futures[(spec, style, check)] = self.pool.submit(job)

    def _after(self, spec: str, style: str, check: str, job: Callable[[str, str], Done]) -> None:
        generated = self.futures[(spec, style, "generate")]

        def run() -> Done:
            if generated.result().returncode != 0:
                return Done(-1, "", "generation failed", 0.0)
            return job(spec, style)

        self._submit(spec, style, check, run)

    def _generate(self, spec: str, style: str) -> Done:
        out = self.output(spec, style)
        command = ["generate", str(self.specs[spec]), "--style", style, "--output", str(out)]
        package = package_name(spec, style)
        return _run([sys.executable, "-m", "generator.cli", *command, "--package", package], self.env)

    def _mypy(self, spec: str, style: str) -> Done:
        out = self.output(spec, style)
        cache = self.root / "mypy-cache" / spec / style
        flags = ["--strict", "--cache-dir", str(cache), "--no-color-output", "--show-error-codes"]
        return _run([sys.executable, "-m", "mypy", *flags, "-p", package_name(spec, style)], self.env, out)

    def _isort(self, spec: str, style: str) -> Done:
        ruff = Path(sys.executable).parent / "ruff"
        flags = ["--isolated", "--no-cache", "--select", "I", "--output-format", "concise"]
        command = [str(ruff), "check", *flags, package_name(spec, style)]
        return _run(command, self.env, self.output(spec, style))

    def _imports(self, spec: str, style: str) -> Done:
        args = ["imports", str(self.output(spec, style)), package_name(spec, style)]
        return _run([sys.executable, "-m", "tests.support.real_specs", *args], self.env)

    def _examples(self, spec: str, style: str) -> Done:
        args = [
            "examples",
            str(self.specs[spec]),
            str(self.output(spec, style)),
            package_name(spec, style),
            style,
        ]
        return _run([sys.executable, "-m", "tests.support.real_specs", *args], self.env)

    def _tsc(self, spec: str, style: str) -> Done:
        config = self.output(spec, style) / "tsconfig.json"
        return _run([str(TSC), "-p", str(config), "--noEmit", "--strict", "--skipLibCheck"], self.env)


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
