"""Bad specs: every file of tests/specs/bad/ gives one clear `file:line:col: error:` line, exit 2, no traceback,
and leaves the output folder as it was; warnings are located and `--strict` makes them fatal.

The corpus has one small file per fault, named for it. The 100,000-level file is made here at run time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[3]
BAD = ROOT / "tests" / "specs" / "bad"
FLEX = ROOT / "spec" / "openapi.yaml"


@dataclass(frozen=True)
class Case:
    fragment: str
    line: int | None  # None: the message is about the whole file, with no position
    column: int | None = None
    file: str | None = None  # where the error is, when not in the spec itself (a referenced file)


CASES = {
    # --- reading the file
    "empty_file.yaml": Case("the file is empty: expected an OpenAPI document", None),
    "non_utf8_latin1.yaml": Case("not UTF-8 text: byte 0xe9 cannot be decoded", 6, 12),
    "non_utf8_utf16.json": Case("the file is UTF-16 text: save it as UTF-8", 1, 1),
    "json_duplicate_key.json": Case("invalid JSON: duplicate key 'paths'", 5, 3),
    "json_lone_surrogate.json": Case("a string holds a lone UTF-16 surrogate", 3, 26),
    "json_single_quotes.json": Case("strings and names need double quotes, not single quotes", 2, 3),
    "json_trailing_comma.json": Case("a comma before `}` (JSON allows no trailing comma)", 5, 1),
    "json_unclosed_brace.json": Case("the text ends before every `{` and `[` is closed", 5, 1),
    "yaml_alias_bomb.yaml": Case("YAML aliases expand the document to more than 5,000,000 values", 6, 10),
    "yaml_bad_indentation.yaml": Case(
        "this line does not line up with the block that starts on line 7", 11, 6
    ),
    "yaml_duplicate_key.yaml": Case("invalid YAML: duplicate key 'get'", 11, 5),
    "yaml_mapping_in_scalar.yaml": Case("`: ` cannot follow a plain value here: quote the value", 8, 17),
    "yaml_tab_indentation.yaml": Case("a tab character; YAML indents with spaces only", 7, 1),
    "yaml_two_documents.yaml": Case("more than one YAML document (`---`); a spec is a single document", 6, 1),
    "yaml_unclosed_bracket.yaml": Case("the text ends inside a `[...]` or `{...}`", 12, 1),
    "yaml_unclosed_quote.yaml": Case("a quoted string opened on line 8 is never closed", 12, 1),
    "yaml_unknown_tag.yaml": Case("unsupported YAML tag !!python/object:os.system", 6, 7),
    # --- what kind of document
    "not_a_mapping.yaml": Case(
        "the spec must be a mapping with `openapi`, `info` and `paths` (the file holds a list)", 1, 1
    ),
    "scalar_document.json": Case(
        "the spec must be a mapping with `openapi`, `info` and `paths` (the file holds a string)", 1, 1
    ),
    "swagger_2.yaml": Case("Swagger 2.0 is not supported: convert the spec to OpenAPI 3 first", 1, 1),
    "openapi_missing.yaml": Case("missing `openapi`: the spec must start with `openapi: 3.1.0`", 1, 1),
    "openapi_version_4.yaml": Case(
        "unsupported `openapi` version '4.0.0': sdkgen reads 3.0.x and 3.1.x", 1, 1
    ),
    "openapi_version_number.yaml": Case(
        "`openapi` must be a string such as '3.0.3' (got the number 3.0: quote it)", 1, 1
    ),
    # --- structure
    "info_missing.yaml": Case("missing required field `info`", 1, 1),
    "info_title_wrong_type.yaml": Case("`title` must be a string (got a list)", 3, 3),
    "paths_missing_30.yaml": Case("missing required field `paths`", 1, 1),
    "paths_is_a_list.yaml": Case("`paths` must be a mapping (got a list)", 5, 1),
    "path_without_slash.yaml": Case("path `a` must start with `/`", 6, 3),
    "tags_not_a_list.yaml": Case("`tags` must be a list (got the string 'pets')", 6, 1),
    "server_url_missing.yaml": Case("missing required field `url`", 6, 5),
    "security_scheme_unknown_type.yaml": Case(
        "`type` must be one of apiKey, http, oauth2, openIdConnect (got 'password')", 9, 7
    ),
    # --- operations
    "operation_is_a_string.yaml": Case("`get` must be a mapping (got the string 'fetch the thing')", 7, 5),
    "operation_id_wrong_type.yaml": Case("`operationId` must be a string (got a list)", 8, 7),
    "duplicate_operation_id.yaml": Case("duplicate operationId 'getThing' (first used at line 8)", 14, 7),
    "responses_missing.yaml": Case("missing required field `responses`", 7, 5),
    "responses_wrong_type.yaml": Case("`responses` must be a mapping (got the number 5)", 8, 7),
    "response_without_description.yaml": Case("missing required field `description`", 9, 9),
    "response_status_invalid.yaml": Case(
        "`2000` is not a response status: use 100 to 599, a range such as 4XX", 9, 9
    ),
    "request_body_without_content.yaml": Case("missing required field `content`", 8, 7),
    # --- parameters
    "parameter_unknown_location.yaml": Case(
        "`in` must be one of path, query, header, cookie (got 'body')", 10, 11
    ),
    "parameter_missing_in.yaml": Case("missing required field `in`", 9, 11),
    "parameter_missing_name.yaml": Case("missing required field `name`", 9, 11),
    "parameters_not_a_list.yaml": Case("`parameters` must be a list (got a mapping)", 8, 7),
    "parameter_schema_and_content.yaml": Case("`schema` and `content` cannot be used together", 9, 11),
    "duplicate_parameter.yaml": Case("parameter 'q' in query is listed twice (first at line 9)", 12, 11),
    "path_parameter_not_in_template.yaml": Case(
        "path parameter 'id' is not in the path template '/a'", 9, 11
    ),
    "path_template_parameter_undeclared.yaml": Case(
        "`{id}` is in the path but no path parameter declares it", 7, 5
    ),
    "path_parameter_not_required.yaml": Case("`required` must be true (got false)", 11, 11),
    # --- schemas
    "schema_unknown_type.yaml": Case(
        "`type` must be one of array, boolean, integer, number, object, string (got 'strin')", 9, 7
    ),
    "schema_type_wrong_type.yaml": Case(
        "`type` must be one of array, boolean, integer, number, object, string (got 5)", 9, 7
    ),
    "schema_type_wrong_type_31.yaml": Case(
        "`type` must be one of array, boolean, integer, null, number, object, string (got 7)", 12, 11
    ),
    "schema_properties_is_a_list.yaml": Case("`properties` must be a mapping (got a list)", 10, 7),
    "schema_required_not_a_list.yaml": Case("`required` must be a list (got true)", 10, 7),
    "schema_enum_not_a_list.yaml": Case("`enum` must be a list (got the string 'red')", 10, 7),
    # --- refs
    "ref_missing_target.yaml": Case(
        "$ref '#/components/schemas/Nope': there is no 'Nope' in #/components/schemas", 12, 11
    ),
    "ref_missing_file.yaml": Case("$ref 'no-such-file.yaml#/Thing': no-such-file.yaml: file not found", 9, 7),
    "ref_not_a_pointer.yaml": Case("after `#` comes a JSON pointer, which starts with `/`", 9, 7),
    "ref_pointer_missing_in_file.yaml": Case(
        "$ref 'parts/good_part.yaml#/Nope': there is no 'Nope' at the top level", 9, 7
    ),
    "ref_remote_url.yaml": Case(
        "remote $ref 'https://example.com/schemas.yaml#/Thing' is not supported", 9, 7
    ),
    "ref_wrong_type.yaml": Case("`$ref` must be a string (got the number 42)", 9, 7),
    "ref_circular.yaml": Case(
        "circular $ref: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A", 9, 7
    ),
    "ref_to_itself.yaml": Case(
        "circular $ref: #/components/schemas/A -> #/components/schemas/A never reaches a value", 9, 7
    ),
    "ref_circular_parameter.yaml": Case(
        "-> #/components/parameters/P -> #/components/parameters/Q -> #/components/parameters/P", 9, 11
    ),
    "ref_broken_in_referenced_file.yaml": Case(
        "$ref '#/Nope': there is no 'Nope' at the top level", 10, 7, "parts/chain_part.yaml"
    ),
    "ref_into_broken_file.yaml": Case(
        "invalid YAML: the text ends inside a `[...]` or `{...}`", 4, 1, "parts/broken_part.yaml"
    ),
    "allof_cycle.yaml": Case("allOf cycle: A includes B, which includes A", 16, 11),
    "allof_includes_itself.yaml": Case("allOf cycle: A includes itself", 10, 11),
}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def flex_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated package: what a bad spec must leave exactly as it is."""
    out = tmp_path_factory.mktemp("flex") / "out"
    assert (
        main(["generate", str(FLEX), "--style", "python-pydantic", "--output", str(out), "--package", "p"])
        == 0
    )
    return out


@pytest.fixture
def existing(flex_output: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(flex_output, out)
    return out


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


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line or line.startswith("error: ")]


def _expected_prefix(name: str, case: Case) -> re.Pattern[str]:
    file = re.escape(case.file or name)
    where = f":{case.line}:{case.column}" if case.line else ""
    return re.compile(rf"^(.*/)?{file}{where}: error: ")


def test_the_corpus_is_big_and_every_file_has_a_case() -> None:
    files = sorted(p.name for p in BAD.iterdir() if p.is_file())
    assert len(files) >= 40
    assert files == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_spec_gives_one_located_error_and_leaves_output_untouched(
    name: str, existing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    before = _snapshot(existing)
    assert main(_generate(BAD / name, existing)) == 2
    captured = capsys.readouterr()
    errors = _error_lines(captured.err)
    assert len(errors) == 1, captured.err
    assert _expected_prefix(name, case).match(errors[0]), errors[0]
    assert case.fragment in errors[0]
    assert "Traceback" not in captured.err and captured.out == ""
    assert _snapshot(existing) == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_says_the_same(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BAD / name), "--no-cache"]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1 and CASES[name].fragment in errors[0]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    "name",
    ["yaml_alias_bomb.yaml", "paths_is_a_list.yaml", "ref_circular.yaml", "parameter_unknown_location.yaml"],
)
def test_the_real_entry_point_prints_no_traceback(name: str, existing: Path) -> None:
    before = _snapshot(existing)
    result = _run(*_generate(BAD / name, existing))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(_error_lines(result.stderr)) == 1 and CASES[name].fragment in result.stderr
    assert _snapshot(existing) == before


DEPTH = 100_000
HEADER = {
    "json": '{"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": {}, "x-deep": ',
    "yaml": "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\nx-deep: ",
}


@pytest.mark.parametrize(
    ("suffix", "open_", "close"), [("json", "[", "]"), ("json", '{"a": ', "}"), ("yaml", "[", "]")]
)
def test_a_file_nested_100000_levels_deep_is_refused_where_it_gets_too_deep(
    tmp_path: Path, existing: Path, suffix: str, open_: str, close: str
) -> None:
    deep = tmp_path / f"deep.{suffix}"
    inner = "1" if open_.endswith(": ") else ""
    ending = "}\n" if suffix == "json" else "\n"
    deep.write_text(HEADER[suffix] + open_ * DEPTH + inner + close * DEPTH + ending)
    before = _snapshot(existing)
    # A subprocess: a parser that overflowed the C stack would kill it, not the test run.
    result = _run(*_generate(deep, existing))
    assert result.returncode == 2, result.stderr
    errors = _error_lines(result.stderr)
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert re.match(
        r"^(.*/)?deep\.\w+:\d+:\d+: error: the document nests more than 500 levels deep", errors[0]
    )
    assert _snapshot(existing) == before


# --- warnings ----------------------------------------------------------------------------------

WARNING_SPEC = """\
openapi: 3.1.0
info: {title: Warn, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      callbacks:
        done: {}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
webhooks:
  ping:
    post:
      responses:
        '200': {description: ok}
components:
  schemas:
    Thing:
      type: object
      properties:
        a:
          type: string
          not: {const: x}
        b:
          type: integer
          default: 5
        c:
          enum: [1, two]
        d:
          type: object
          patternProperties:
            '^x': {type: string}
        e:
          if: {type: string}
          then: {minLength: 1}
"""
WARNINGS = {
    "`not` is not supported and is ignored": 27,
    "mixes value types; values are compared as strings": 31,
    "`patternProperties` is not supported and is ignored": 35,
    "`if` is not supported and is ignored": 38,
    "`then` is not supported and is ignored": 39,
    "callbacks are not generated": 7,
    "webhooks are not generated": 15,
}


def test_warnings_are_listed_with_their_place_and_strict_makes_them_fatal(
    tmp_path: Path, existing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "warn.yaml"
    spec.write_text(WARNING_SPEC)
    out = tmp_path / "fresh"
    assert main(_generate(spec, out)) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if ": warning: " in line]
    assert len(warnings) == len(WARNINGS), warnings
    for fragment, line in WARNINGS.items():
        found = [w for w in warnings if fragment in w]
        assert len(found) == 1, (fragment, warnings)
        assert re.match(rf"^(.*/)?warn\.yaml:{line}:\d+: warning: ", found[0]), found[0]

    before = _snapshot(existing)
    assert main(_generate(spec, existing, "--strict")) == 2
    err = capsys.readouterr().err
    assert f"{len(WARNINGS)} warning(s) with --strict" in err and "Traceback" not in err
    assert _snapshot(existing) == before
    assert main(["validate", str(spec), "--strict"]) == 2
