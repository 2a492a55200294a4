"""Large real specs (Stripe 2022-03-29, GitHub): every style generates; each Python package imports (every
module, every model built), passes `mypy --strict` and parses the spec's own examples; the TypeScript
package compiles with `tsc --strict`.

The specs are read from the `shared/bench` folder beside the repository; the tests skip without it.
The work runs as subprocesses on a pool as wide as the machine, started when the module's first test
asks: each test waits for its own job, so the checks of one package overlap with the others'.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench"
TSC = ROOT / "node_modules" / ".bin" / "tsc"
SPECS = {"stripe": "stripe-2022-03-29.json", "github": "github-api.json"}
PYTHON_STYLES = ("python-pydantic", "python-dataclasses")
STYLES = (*PYTHON_STYLES, "typescript-fetch")
TIMEOUT = 600


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


def _run(command: list[str], cwd: Path = ROOT) -> Done:
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    return Done(done.returncode, done.stdout, done.stderr, round(time.monotonic() - started, 1))


def _package(spec: str, style: str) -> str:
    return f"{spec}-sdk" if style == "typescript-fetch" else f"{spec}_sdk"


class Jobs:
    """Generation, then the checks of each output, on a thread pool of subprocesses."""

    def __init__(self, root: Path, pool: ThreadPoolExecutor) -> None:
        self.root = root
        self.pool = pool
        self.futures: dict[tuple[str, str, str], Future[Done]] = {}

    def output(self, spec: str, style: str) -> Path:
        return self.root / spec / style

    def start(self, spec: str) -> None:
        # Every generation first: checks wait on their package, and a generation never waits.
        for style in STYLES:
            self._submit(spec, style, "generate", partial(self._generate, spec, style))
        for style in PYTHON_STYLES:
            self._after(spec, style, "mypy", self._mypy)
            self._after(spec, style, "examples", self._examples)
            self._after(spec, style, "imports", self._imports)
            self._after(spec, style, "isort", self._isort)
        self._after(spec, "typescript-fetch", "tsc", self._tsc)

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
        command = ["generate", str(BENCH / SPECS[spec]), "--style", style, "--output", str(out)]
        return _run([sys.executable, "-m", "generator.cli", *command, "--package", _package(spec, style)])

    def _mypy(self, spec: str, style: str) -> Done:
        out = self.output(spec, style)
        cache = self.root / "mypy-cache" / spec / style
        flags = ["--strict", "--cache-dir", str(cache), "--no-color-output", "--show-error-codes"]
        return _run([sys.executable, "-m", "mypy", *flags, "-p", _package(spec, style)], cwd=out)

    def _isort(self, spec: str, style: str) -> Done:
        ruff = Path(sys.executable).parent / "ruff"
        flags = ["--isolated", "--no-cache", "--select", "I", "--output-format", "concise"]
        return _run([str(ruff), "check", *flags, _package(spec, style)], cwd=self.output(spec, style))

    def _imports(self, spec: str, style: str) -> Done:
        args = ["imports", str(self.output(spec, style)), _package(spec, style)]
        return _run([sys.executable, "-m", "tests.support.real_specs", *args])

    def _examples(self, spec: str, style: str) -> Done:
        args = [
            "examples",
            str(BENCH / SPECS[spec]),
            str(self.output(spec, style)),
            _package(spec, style),
            style,
        ]
        return _run([sys.executable, "-m", "tests.support.real_specs", *args])

    def _tsc(self, spec: str, style: str) -> Done:
        config = self.output(spec, style) / "tsconfig.json"
        return _run([str(TSC), "-p", str(config), "--noEmit", "--strict", "--skipLibCheck"])


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jobs]:
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runner = Jobs(tmp_path_factory.mktemp("real-specs"), pool)
        for spec, file in SPECS.items():
            if (BENCH / file).is_file():
                runner.start(spec)
        yield runner
        for future in runner.futures.values():
            future.cancel()


def _needs(spec: str) -> None:
    if not (BENCH / SPECS[spec]).is_file():
        pytest.skip(f"{BENCH / SPECS[spec]} is not present")


def _report(done: Done) -> dict[str, Any]:
    assert done.returncode == 0, done.output
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("spec", SPECS)
def test_generates(jobs: Jobs, spec: str, style: str) -> None:
    _needs(spec)
    done = jobs.result(spec, style, "generate")
    assert done.returncode == 0, done.output
    assert "warning" not in done.stderr, done.stderr


@pytest.mark.parametrize("style", PYTHON_STYLES)
@pytest.mark.parametrize("spec", SPECS)
def test_every_module_imports_and_every_model_builds(jobs: Jobs, spec: str, style: str) -> None:
    _needs(spec)
    report = _report(jobs.result(spec, style, "imports"))
    assert report["modules"] >= 5
    assert report["failed"] == []


@pytest.mark.parametrize("style", PYTHON_STYLES)
@pytest.mark.parametrize("spec", SPECS)
def test_mypy_strict_passes(jobs: Jobs, spec: str, style: str) -> None:
    _needs(spec)
    done = jobs.result(spec, style, "mypy")
    assert done.returncode == 0, done.output
    assert "Success: no issues found" in done.stdout


@pytest.mark.parametrize("style", PYTHON_STYLES)
@pytest.mark.parametrize("spec", SPECS)
def test_imports_are_grouped_and_sorted_as_isort_would(jobs: Jobs, spec: str, style: str) -> None:
    """black leaves import order alone: ruff's isort rules check it, thousands of model names included."""
    _needs(spec)
    done = jobs.result(spec, style, "isort")
    assert done.returncode == 0, done.output


@pytest.mark.parametrize("style", PYTHON_STYLES)
@pytest.mark.parametrize("spec", SPECS)
def test_models_parse_every_example_of_the_spec(jobs: Jobs, spec: str, style: str) -> None:
    """Examples that break their own schema are the spec's fault: counted, not failed on."""
    _needs(spec)
    report = _report(jobs.result(spec, style, "examples"))
    assert report["ours"] == []
    assert report["parsed"] + report["null_allowed"] + report["spec_fault_count"] == report["samples"]
    if spec == "github":  # Stripe's spec has no examples
        assert report["parsed"] > 500


@pytest.mark.parametrize("spec", SPECS)
def test_typescript_compiles_with_tsc_strict(jobs: Jobs, spec: str) -> None:
    _needs(spec)
    if not TSC.is_file():
        pytest.skip("no TypeScript compiler: run `npm ci`")
    done = jobs.result(spec, "typescript-fetch", "tsc")
    assert done.returncode == 0, done.output
