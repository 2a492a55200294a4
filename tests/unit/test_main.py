"""The entry points: `sdkgen --version` and `python -m generator` (the installed wheel: tests/integration/test_wheel.py)."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.versions import sdkgen_version

FLEX = Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"


def test_version_prints_the_installed_distributions_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"sdkgen {importlib.metadata.version('sdkgen')}\n"


def test_python_m_generator_is_the_sdkgen_command(tmp_path: Path) -> None:
    """Run from another folder: the command, not a module of the checkout's current directory."""
    version = subprocess.run(
        [sys.executable, "-m", "generator", "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    assert (version.returncode, version.stdout) == (0, f"sdkgen {sdkgen_version()}\n")
    validate = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(FLEX)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith(f"{FLEX}: valid (")
    bad = subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=tmp_path, capture_output=True)
    assert bad.returncode == 2  # argparse's usage error, through the same `run`


def test_without_an_installed_distribution_the_version_says_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr("generator.versions.version", not_installed)
    assert sdkgen_version() == "0+unknown"
