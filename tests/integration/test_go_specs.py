"""go-nethttp on every feature spec and on the Stripe and GitHub specs: the generated module is
gofmt-clean, builds, and passes `go vet`. Stripe's and GitHub's modules (230,000 and 500,000 lines)
take the longest tests of the suite: about 80 s and 150 s of compiling on two cores with a cold
build cache (the cache under `.sdkgen-cache/go` makes a rerun of unchanged output quick).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.support.bench_specs import GITHUB, STRIPE, bench_spec
from tests.support.go import check_module, run_go, tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FEATURE_SPECS = {
    "flex": ROOT / "spec" / "openapi.yaml",
    "features": ROOT / "tests" / "specs" / "features.yaml",
    "pagination": ROOT / "tests" / "specs" / "pagination.yaml",
    "schemas": ROOT / "tests" / "specs" / "schemas" / "openapi.yaml",
}
REAL_SPECS = {"stripe": STRIPE, "github": GITHUB}


def _generate(spec: Path, out: Path) -> Path:
    assert (
        main(["generate", str(spec), "--style", "go-nethttp", "--output", str(out), "--package", "sdk"]) == 0
    )
    return out


@pytest.mark.parametrize("name", FEATURE_SPECS)
def test_feature_specs_build_and_vet(tmp_path: Path, name: str) -> None:
    module = _generate(FEATURE_SPECS[name], tmp_path / name)
    assert check_module(module) == []


@pytest.mark.parametrize("name", REAL_SPECS)
def test_real_specs_build_and_vet(tmp_path: Path, name: str) -> None:
    module = _generate(bench_spec(REAL_SPECS[name]), tmp_path / name)
    fmt = subprocess.run([tool("gofmt"), "-l", "."], cwd=module, capture_output=True, text=True, timeout=120)
    assert fmt.returncode == 0 and fmt.stdout == "", fmt.stdout + fmt.stderr
    vet = run_go(["vet", "./..."], module, timeout=300)
    assert vet.returncode == 0, vet.stdout[-3000:] + vet.stderr[-3000:]
    build = run_go(["build", "./..."], module, timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
