"""Findings an SDK can live with: every file of tests/specs/warn/ holds one, of one kind of validate.LIVABLE.

`generate` writes the SDK and prints the warning at its place (`file:line:col: warning: ...`);
`generate --strict` refuses it (exit 2, output untouched); `validate` refuses it too (exit 2): it
is the validator, and each of these is what openapi-spec-validator refuses, or a pattern sdkgen
cannot check. A cached verdict prints its warnings as the first run did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.spec import validate
from generator.spec.load import Workspace

ROOT = Path(__file__).resolve().parents[3]
WARN = ROOT / "tests" / "specs" / "warn"


@dataclass(frozen=True)
class Case:
    fragment: str
    line: int
    column: int
    kind: str


CASES = {
    "unknown_field.yaml": Case(
        "unknown field `extras` (extensions must start with `x-`): it is ignored", 6, 1, "unknown-field"
    ),
    "unknown_field_in_xml.yaml": Case("unknown field `example`", 15, 13, "unknown-field"),
    "default_wrong_type.yaml": Case(
        "`default` does not have the property's type: it is left out", 13, 11, "default"
    ),
    "default_outside_enum.yaml": Case(
        "`default` is not one of the enum values: it is left out", 14, 11, "default"
    ),
    "default_below_minimum.yaml": Case("`default` is below the minimum 1: it is left out", 14, 11, "default"),
    "pattern_ecma.yaml": Case(
        "that Python's `re` does not read: sdkgen checks values against it as ECMA-262", 13, 11, "pattern"
    ),
    "pattern_not_ecma.yaml": Case("cannot be checked (unknown Unicode property 'Print'", 13, 11, "pattern"),
    "pattern_python_would_misread.yaml": Case(
        "cannot be checked (a backreference to a group inside a repetition", 10, 7, "pattern"
    ),
    "enum_duplicate.yaml": Case(
        "`enum` lists a value more than once: the SDK has each value once", 10, 7, "enum-duplicate"
    ),
    "required_undefined.yaml": Case(
        "names properties that neither this schema nor its `allOf` define", 13, 7, "required-undefined"
    ),
    "duplicate_tag.yaml": Case(
        "tag 'pets' is declared twice (first at line 6): it is one tag", 7, 5, "duplicate-tag"
    ),
}


def _generate(spec: Path, out: Path, *extra: str) -> list[str]:
    return [
        "generate",
        str(spec),
        "--style",
        "python-pydantic",
        "--output",
        str(out),
        "--package",
        "p",
        *extra,
    ]


def _lines(err: str, severity: str) -> list[str]:
    return [line for line in err.splitlines() if f": {severity}: " in line]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_file_has_a_case_and_every_livable_kind_a_file() -> None:
    assert sorted(p.name for p in WARN.iterdir()) == sorted(CASES)
    assert {case.kind for case in CASES.values()} == set(validate.LIVABLE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_generate_writes_the_sdk_and_prints_the_warning_at_its_place(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    out = tmp_path / "out"
    assert main(_generate(WARN / name, out, "--no-cache")) == 0
    err = capsys.readouterr().err
    (warning,) = _lines(err, "warning")
    assert re.match(rf"^(.*/)?{re.escape(name)}:{case.line}:{case.column}: warning: ", warning), warning
    assert case.fragment in warning
    assert not _lines(err, "error") and "Traceback" not in err
    assert (out / "p" / "__init__.py").is_file() and (out / "p" / "models.py").is_file()


@pytest.mark.parametrize("name", sorted(CASES))
def test_strict_refuses_it_and_leaves_the_output_untouched(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    # An earlier run's output, from another spec: a write would change it.
    assert main(_generate(ROOT / "spec" / "openapi.yaml", out)) == 0
    before = _snapshot(out)
    capsys.readouterr()
    assert main(_generate(WARN / name, out, "--no-cache", "--strict")) == 2
    err = capsys.readouterr().err
    assert CASES[name].fragment in err and "1 warning(s) with --strict" in err
    assert _snapshot(out) == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_refuses_it(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(WARN / name), "--no-cache"]) == 2
    err = capsys.readouterr().err
    (warning,) = _lines(err, "warning")
    assert CASES[name].fragment in warning
    (error,) = _lines(err, "error")
    assert "not valid: see the warnings of validation above" in error


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_finding_has_its_severity_as_data(name: str) -> None:
    (finding,) = validate.validate(Workspace.open(WARN / name), use_cache=False)
    assert finding.severity == "warning" and validate.severity(CASES[name].kind) == "warning"


def test_a_default_left_out_is_not_in_the_generated_code(tmp_path: Path) -> None:
    for name in ("default_wrong_type.yaml", "default_outside_enum.yaml", "default_below_minimum.yaml"):
        out = tmp_path / name
        assert main(_generate(WARN / name, out, "--no-cache")) == 0
        models = (out / "p" / "models.py").read_text()
        assert "'1'" not in models and '"1"' not in models and "predicted" not in models, name
        assert " = 0" not in models.replace(" = None", ""), name


def test_a_cached_verdict_prints_its_warnings_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    tags = "tags:\n  - name: pets\n  - name: pets\n"
    spec.write_text((WARN / "pattern_ecma.yaml").read_text().replace("paths: {}\n", tags + "paths: {}\n"))
    assert validate._known_warnings(Workspace.open(spec)) is None
    assert main(_generate(spec, tmp_path / "out")) == 0
    first = _lines(capsys.readouterr().err, "warning")
    assert any("declared twice" in w for w in first) and any("as ECMA-262" in w for w in first)
    cached = validate._known_warnings(Workspace.open(spec))  # the verdict, kept with its warnings
    assert cached is not None and [str(d) for d in cached] == first
    assert main(_generate(spec, tmp_path / "out")) == 0
    assert _lines(capsys.readouterr().err, "warning") == first
    assert main(["validate", str(spec)]) == 2  # the cache does not make validate any less strict


def test_only_twenty_warnings_are_listed_and_the_rest_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    properties = "".join(f"        p{i}: {{type: string, pattern: '\\p{{L}}{i}'}}\n" for i in range(25))
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        f"    Thing:\n      type: object\n      properties:\n{properties}"
    )
    for _ in range(2):  # the second run has the verdict from the cache
        assert main(_generate(spec, tmp_path / "out")) == 0
        warnings = _lines(capsys.readouterr().err, "warning")
        assert len(warnings) == 21 and "5 more warning(s) like these (only 20 are listed)" in warnings[-1]


def test_an_unknown_field_close_to_a_known_one_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "typo.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      paramters: [{name: q, in: query, schema: {type: string}}]\n"
        "      responses: {'200': {description: ok}}\n"
    )
    assert main(_generate(spec, tmp_path / "out", "--no-cache")) == 0
    (warning,) = _lines(capsys.readouterr().err, "warning")
    assert re.search(
        r"typo\.yaml:6:7: warning: unknown field `paramters` \(did you mean `parameters`\?\)", warning
    )
