"""Unit tests for generator.cli: exit codes, --check, atomic writes and bad input."""

from __future__ import annotations

import os
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
    wider = tmp_path / "wider.yaml"  # one more operation group than Flex: one more module
    data = yaml.safe_load(FLEX.read_text())
    data["paths"]["/v1/extra"] = {
        "get": {"operationId": "getExtra", "tags": ["extras"], "responses": {"204": {"description": "ok"}}}
    }
    wider.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    assert main(_one_target(wider, out)) == 0
    assert (out / "pkg" / "api" / "extras.py").is_file()
    (out / "node_modules").mkdir()
    (out / "node_modules" / "keep.txt").write_text("x")
    assert main(_one_target(FLEX, out)) == 0, "a file sdkgen wrote before is its own to remove"
    assert not (out / "pkg" / "api" / "extras.py").exists()
    assert (out / "node_modules" / "keep.txt").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "wider.yaml"], "no temporary folders left"


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
    err = capsys.readouterr().err
    assert "\r" not in err and "..." not in err, "a file or pipe gets each phase once, not a running line"
    lines = err.strip().split("\n")
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


def test_an_output_that_is_a_file_or_cannot_be_written_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    assert main(_one_target(FLEX, a_file)) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert a_file.read_text() == "mine", "the file is left as it was"
    assert main(_one_target(FLEX, a_file / "sub" / "out")) == 2
    assert "notes.txt is a file, not a folder" in capsys.readouterr().err
    # Permission bits do not stop root; /sys refuses everyone a new folder.
    locked = Path("/sys/sdkgen-out") if os.geteuid() == 0 else tmp_path / "locked" / "out"
    if os.geteuid() != 0:
        locked.parent.mkdir()
        locked.parent.chmod(0o500)
    try:
        assert main(_one_target(FLEX, locked)) == 2
    finally:
        if os.geteuid() != 0:
            locked.parent.chmod(0o700)
    err = capsys.readouterr().err
    assert "cannot write in" in err and "internal error" not in err


def test_an_output_holding_files_sdkgen_did_not_write_is_refused_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text("print('my code')\n")
    assert main(_one_target(FLEX, project)) == 2
    err = capsys.readouterr().err
    assert "holds files sdkgen did not write (main.py)" in err and "--force" in err
    assert [p.name for p in project.iterdir()] == ["main.py"], "nothing was written"
    assert main(_one_target(FLEX, project, "--check")) == 1, "--check compares, it never refuses"
    capsys.readouterr()
    out = tmp_path / "out"  # sdkgen's own output, with a file added by hand since
    assert main(_one_target(FLEX, out)) == 0
    (out / "pkg" / "local_patch.py").write_text("")
    assert main(_one_target(FLEX, out)) == 2
    assert "(pkg/local_patch.py)" in capsys.readouterr().err
    assert main(_one_target(FLEX, out, "--force")) == 0
    assert not (out / "pkg" / "local_patch.py").exists()
    assert main(_one_target(FLEX, out)) == 0, "regenerating sdkgen's own output needs no --force"
    (out / "pkg" / "__pycache__").mkdir()
    (out / "pkg" / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"")
    assert main(_one_target(FLEX, out)) == 0, "tool caches are not the user's files"


def _config(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "sdkgen.yaml"
    config.write_text(f"spec: {FLEX}\n" + text)
    return config


def test_a_config_key_or_style_option_sdkgen_does_not_know_is_exit_2_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = "targets:\n  - style: python-pydantic\n    output: gen\n    package: flex_client\n"
    cases = {
        "templtes: []\n" + target: ("sdkgen.yaml:2:1: error: unknown key 'templtes'", "expected one of"),
        target + "    pakage: x\n": (
            "sdkgen.yaml:6:5: error: unknown key 'pakage'",
            "style, output, package",
        ),
        target + "    options:\n      projct_name: x\n": (
            "sdkgen.yaml:3:5: error: style 'python-pydantic' has no option 'projct_name'",
            "project_name",
        ),
        target + "    options:\n      formatter: yapf\n": (
            "option 'formatter' must be one of ruff, black (got 'yapf')",
            "",
        ),
        target.replace("typescript", "") + "    options: [a]\n": ("options must be a mapping", ""),
    }
    for text, (message, detail) in cases.items():
        assert main(["generate", "--config", str(_config(tmp_path, text))]) == 2, text
        err = capsys.readouterr().err
        assert message in err and detail in err, err
        assert not (tmp_path / "gen").exists()
    custom = target + "    options:\n      x-team: payments\n      project_name: flex\n"
    assert main(["generate", "--config", str(_config(tmp_path, custom))]) == 0, "x- options are the user's"


@pytest.mark.parametrize(
    ("style", "package", "suggestion"),
    [
        ("python-pydantic", "my-pkg", "my_pkg"),
        ("python-dataclasses", "class", "class_"),
        ("python-pydantic", "2fast", "pkg_2fast"),
        ("typescript-fetch", "My SDK", "my-sdk"),
        ("typescript-fetch", "_private", "private"),
        ("typescript-fetch", "@Acme/Flex Client", "@acme/flex-client"),
    ],
)
def test_package_names_are_checked_by_the_style_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], style: str, package: str, suggestion: str
) -> None:
    out = tmp_path / "out"
    args = ["generate", str(FLEX), "--style", style, "--output", str(out), "--package", package]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"package {package!r} is not" in err and f"use {suggestion!r}" in err, err
    assert not out.exists()
    args[args.index(package)] = suggestion
    assert main(args) == 0, "the suggested name is accepted"


def test_init_then_generate_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    (project / "api").mkdir(parents=True)
    spec_path = project / "api" / "openapi.yaml"
    spec_path.write_text(FLEX.read_text())
    config = project / "sdkgen.yaml"
    assert main(["init", str(spec_path), "--config", str(config)]) == 0
    text = config.read_text()
    data = yaml.safe_load(text)
    assert data["spec"] == "api/openapi.yaml"
    packages = {t["style"]: t["package"] for t in data["targets"]}
    assert packages == {
        "python-dataclasses": "flex_client_lite",
        "python-pydantic": "flex_client",
        "typescript-fetch": "flex-client",
        "go-nethttp": "flex",
    }
    assert "#   client_name: FlexClient" in text and "#   env_var: FLEX_API_KEY" in text
    assert main(["generate", "--config", str(config)]) == 0
    assert (project / "generated" / "typescript-fetch" / "src" / "client.ts").is_file()
    assert main(["generate", "--config", str(config), "--check"]) == 0
    assert main(["init", str(spec_path), "--config", str(config)]) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert config.read_text() == text


def test_init_derives_valid_names_from_any_title_and_quotes_spec_text(tmp_path: Path) -> None:
    odd = write_spec(tmp_path / "odd.yaml", spec())
    data = yaml.safe_load(odd.read_text())
    data["info"] = {"title": "3D Print-Farm API", "version": "1.0\nspec: evil.yaml # x"}
    odd.write_text(yaml.safe_dump(data))
    config = tmp_path / "sdkgen.yaml"
    styles = ["--style", "python-pydantic", "--style", "typescript-fetch"]
    assert main(["init", str(odd), "--config", str(config), *styles]) == 0
    parsed = yaml.safe_load(config.read_text())
    assert parsed["spec"] == "odd.yaml", "a title or version from the spec cannot add a setting"
    packages = [target["package"] for target in parsed["targets"]]
    assert packages == ["pkg_3_d_print_farm_client", "3-d-print-farm-client"]
    assert main(["generate", "--config", str(config)]) == 0
