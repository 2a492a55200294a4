"""Unit tests for generator.cli: exit codes, --check, atomic writes and bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.unit.helpers import spec, write_spec

ROOT = Path(__file__).resolve().parents[2]
FLEX = ROOT / "spec" / "openapi.yaml"


def _one_target(spec_path: Path, out: Path, *extra: str) -> list[str]:
    return [
        "generate",
        str(spec_path),
        "--style",
        "python-pydantic",
        "--output",
        str(out),
        "--package",
        "pkg",
        *extra,
    ]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generate_then_check_is_clean_and_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(_one_target(FLEX, out)) == 0
    first = _snapshot(out)
    assert "pkg/models.py" in first and "pkg/api/invoices.py" in first
    assert main(_one_target(FLEX, out, "--check")) == 0
    assert main(_one_target(FLEX, out, "--no-cache")) == 0
    assert _snapshot(out) == first
    assert "up to date" in capsys.readouterr().out


def test_check_reports_changed_missing_and_extra(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(_one_target(FLEX, out)) == 0
    (out / "pkg" / "errors.py").write_text("# edited by hand\n")
    (out / "pkg" / "py.typed").unlink()
    (out / "pkg" / "stray.py").write_text("")
    capsys.readouterr()
    assert main(_one_target(FLEX, out, "--check")) == 1
    captured = capsys.readouterr()
    assert "-# edited by hand" in captured.out
    assert "+++ " in captured.out and "(generated)" in captured.out
    assert "1 changed, 1 missing, 1 extra" in captured.err
    assert "  - edited by hand since it was generated: pkg/errors.py" in captured.err
    assert "  - missing: pkg/py.typed" in captured.err
    assert "  - extra (not generated): pkg/stray.py" in captured.err
    assert "spec changed" not in captured.err and "templates changed" not in captured.err


def test_check_says_which_input_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec_copy = tmp_path / "openapi.yaml"
    spec_copy.write_text(FLEX.read_text())
    out = tmp_path / "out"
    assert main(_one_target(spec_copy, out)) == 0
    spec_copy.write_text(FLEX.read_text().replace("Get an invoice by id", "Get one invoice by its id"))
    capsys.readouterr()
    assert main(_one_target(spec_copy, out, "--check")) == 1
    err = capsys.readouterr().err
    assert "  - the spec changed" in err
    assert "edited by hand" not in err and "templates changed" not in err and "configuration" not in err

    overrides = tmp_path / "overrides" / "python-pydantic" / "package"
    overrides.mkdir(parents=True)
    (overrides / "errors_note.txt").write_text("a new file in a template folder changes the templates hash")
    assert main(_one_target(spec_copy, out)) == 0
    assert main([*_one_target(spec_copy, out, "--check"), "--templates", str(tmp_path / "overrides")]) == 1
    assert "  - the templates changed" in capsys.readouterr().err

    other_package = [
        "generate",
        str(spec_copy),
        "--style",
        "python-pydantic",
        "--output",
        str(out),
        "--package",
        "pkg2",
    ]
    assert main([*other_package, "--check"]) == 1
    assert "  - the target's configuration changed" in capsys.readouterr().err

    (out / ".sdkgen-manifest.json").unlink()
    assert main(_one_target(spec_copy, out, "--check")) == 1
    assert "no sdkgen manifest on disk" in capsys.readouterr().err


def test_manifest_is_deterministic_and_portable(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "out", tmp_path / "b" / "elsewhere"
    assert main(_one_target(FLEX, first)) == 0
    assert main(_one_target(FLEX, second)) == 0
    manifest = (first / ".sdkgen-manifest.json").read_text()
    assert manifest == (second / ".sdkgen-manifest.json").read_text()
    assert str(tmp_path) not in manifest


def test_generate_removes_stale_files_and_keeps_tool_caches(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(_one_target(FLEX, out)) == 0
    (out / "pkg" / "stray.py").write_text("")
    (out / "node_modules").mkdir()
    (out / "node_modules" / "keep.txt").write_text("x")
    assert main(_one_target(FLEX, out)) == 0
    assert not (out / "pkg" / "stray.py").exists()
    assert (out / "node_modules" / "keep.txt").read_text() == "x"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no temporary folders are left behind"


BAD_SPECS = {
    "invalid_yaml.yaml": ("openapi: 3.1.0\ninfo: [\n", "invalid YAML", 3),
    "swagger.yaml": (
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "Swagger 2.0 is not supported",
        1,
    ),
    "no_version.yaml": (
        "openapi: 2.5.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "unsupported `openapi` version",
        1,
    ),
    "missing_ref.yaml": (
        yaml.safe_dump(
            spec({"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Nope"}}}})
        ),
        "there is no 'Nope' in #/components/schemas",
        0,
    ),
    "dup_operation.yaml": (
        yaml.safe_dump(
            spec(
                paths={
                    "/a": {"get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}},
                    "/b": {"get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}},
                }
            )
        ),
        "duplicate operationId 'same'",
        0,
    ),
    "path_param.yaml": (
        yaml.safe_dump(spec(paths={"/a/{id}": {"get": {"responses": {"200": {"description": "ok"}}}}})),
        "`{id}` is in the path but no path parameter declares it",
        0,
    ),
    "wrong_type.yaml": (
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 5\n",
        "",
        8,
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_SPECS))
def test_bad_specs_exit_2_with_location_and_leave_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    text, fragment, line = BAD_SPECS[name]
    out = tmp_path / "out"
    assert main(_one_target(FLEX, out)) == 0
    before = _snapshot(out)
    bad = tmp_path / name
    bad.write_text(text)
    capsys.readouterr()
    assert main(_one_target(bad, out)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{name}:" in err and "error: " in err
    assert fragment in err
    if line:
        assert f"{name}:{line}:" in err
    assert _snapshot(out) == before


def test_real_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"openapi": "3.1.0", "info": ')
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "bad.json:1:" in result.stderr and "invalid JSON" in result.stderr


def test_validate_ok_and_strict_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FLEX)]) == 0
    assert "valid (2 operations" in capsys.readouterr().out
    with_not = write_spec(
        tmp_path / "not.yaml",
        spec({"M": {"type": "object", "properties": {"a": {"not": {"type": "string"}}}}}),
    )
    assert main(["validate", str(with_not)]) == 0
    assert "warning: `not` is not supported" in capsys.readouterr().err
    assert main(["validate", str(with_not), "--strict"]) == 2


def test_config_targets_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "sdkgen.yaml"
    config.write_text(
        f"spec: {FLEX}\ntargets:\n  - style: python-pydantic\n    output: gen/py\n    package: flex_client\n"
    )
    assert main(["generate", "--config", str(config)]) == 0
    assert (tmp_path / "gen" / "py" / "flex_client" / "client.py").is_file()
    assert main(["generate", "--config", str(tmp_path / "missing.yaml")]) == 2
    assert main(["generate", str(FLEX), "--style", "python-pydantic"]) == 2
    unknown = [
        "generate",
        str(FLEX),
        "--style",
        "no-such-style",
        "--output",
        str(tmp_path / "o"),
        "--package",
        "p",
    ]
    assert main(unknown) == 2
    assert "unknown style 'no-such-style'" in capsys.readouterr().err


def test_timings_are_said_on_a_terminal_or_when_asked_and_never_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(_one_target(FLEX, out)) == 0  # stderr is not a terminal here
    assert "sdkgen:" not in capsys.readouterr().err
    assert main(_one_target(FLEX, out, "--timings", "--check")) == 0
    lines = [line.split("\r")[-1] for line in capsys.readouterr().err.strip().split("\n")]
    phases = [line.split()[1] for line in lines]
    assert phases == ["load", "validate", "build", "render", "format", "validate:", "compare", "total"], lines
    assert all(line.endswith(" s") for line in lines)
    script = (
        "import os, pty, sys; "
        f"status = pty.spawn([sys.executable, '-m', 'generator.cli', *{_one_target(FLEX, out)!r}]); "
        "sys.exit(os.waitstatus_to_exitcode(status))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "sdkgen: validate" in done.stdout  # a terminal gets them unasked
    assert main(_one_target(FLEX, out, "--no-timings")) == 0
    assert "sdkgen:" not in capsys.readouterr().err
