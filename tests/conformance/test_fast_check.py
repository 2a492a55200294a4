"""The TypeScript client's fast path agrees with its walk.

A body is walked (to set aside and report what does not fit) only when the generated check of its
model says it does not fit, so the two must agree exactly: on values made from each model of the
feature specs (unions with and without discriminators, maps, nullable and recursive models, typed
additional properties), and of Stripe's and GitHub's (slow: 54,480 and 110,610 values), mutated at
random, `fitsSchema` is true exactly when `findUnknown` reports no type_mismatch and no
missing_required.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.support.bench_specs import GITHUB, STRIPE, bench_spec
from tests.support.ts_runtime import compile_typescript

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "support" / "check_agreement.mjs"
SPECS = {
    "flex": ROOT / "spec" / "openapi.yaml",
    "features": ROOT / "tests" / "specs" / "features.yaml",
    "schemas": ROOT / "tests" / "specs" / "schemas" / "openapi.yaml",
    "pagination": ROOT / "tests" / "specs" / "pagination.yaml",
}
VALUES_PER_MODEL = 300


@pytest.mark.parametrize("name", SPECS)
def test_the_generated_check_answers_what_the_walk_reports(tmp_path: Path, name: str) -> None:
    _check_agreement(SPECS[name], tmp_path, VALUES_PER_MODEL)


@pytest.mark.slow
@pytest.mark.parametrize("name", [STRIPE, GITHUB])
def test_the_check_and_the_walk_agree_on_real_specs(tmp_path: Path, name: str) -> None:
    _check_agreement(bench_spec(name), tmp_path, 30)


def _check_agreement(spec: Path, tmp_path: Path, per_model: int) -> None:
    out = tmp_path / "sdk"
    argv = ["generate", str(spec), "--style", "typescript-fetch", "--output", str(out), "--package", "sdk"]
    assert main(argv) == 0
    runtime = compile_typescript(out, tmp_path / "build")
    done = subprocess.run(
        ["node", str(SCRIPT), runtime.as_uri(), "20261206", str(per_model)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["disagreements"] == []
    # Both answers are exercised: values that fit and values that do not, in good numbers.
    assert report["checked"] >= per_model * 3
    not_fitting = report["checked"] - report["fitting"]
    assert min(report["fitting"], not_fitting) > report["checked"] * 0.05, report
