"""Large real specs (Stripe 2022-03-29, GitHub): every style generates; each Python package imports (every
module, every model built), passes `mypy --strict` and parses the spec's own examples; the TypeScript
package compiles with `tsc --strict`.

The specs come from `tests.support.bench_specs` (the `shared/bench` folder beside the repository).
The work runs as subprocesses on a pool as wide as the machine, started when the module's first test
asks: each test waits for its own job, so the checks of one package overlap with the others'.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.support.bench_specs import GITHUB, STRIPE, bench_path, bench_spec
from tests.support.real_specs import PYTHON_STYLES, STYLES, TSC, Done, Jobs

pytestmark = pytest.mark.slow

SPECS = {"stripe": STRIPE, "github": GITHUB}


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jobs]:
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runner = Jobs(
            tmp_path_factory.mktemp("real-specs"), pool, {s: bench_path(f) for s, f in SPECS.items()}
        )
        for spec, file in SPECS.items():
            if bench_path(file).is_file():
                runner.start(spec)
        yield runner
        for future in runner.futures.values():
            future.cancel()


def _needs(spec: str) -> None:
    bench_spec(SPECS[spec])


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
    assert TSC.is_file(), "no TypeScript compiler: run `npm ci`"
    done = jobs.result(spec, "typescript-fetch", "tsc")
    assert done.returncode == 0, done.output
