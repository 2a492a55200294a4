"""Unit tests for `sdkgen diff`: a realistic Flex evolution, $ref sharing and cycles, 3.0/3.1 alike, outputs, CLI, git."""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.command import add_arguments, main, run
from generator.diff.compare import Change, DiffReport, diff_specs
from generator.diff.output import affects, render_json, render_markdown, render_text, semver
from generator.diff.rules import RULES
from generator.diff.source import open_git, open_spec
from generator.errors import SpecError
from generator.spec.load import Workspace
from tests.support.bench_specs import STRIPE, STRIPE_OLD, bench_spec
from tests.unit.diff.diff_cases import INT, STR, api, obj, request, response
from tests.unit.diff.test_rules import diff

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"
GET_INVOICE, MARK = "GET /v1/invoices/{id}", "POST /v1/invoices/{id}/mark_uncollectible"


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def findings(report: DiffReport) -> Counter[tuple[str, str, str | None]]:
    return Counter((c.id, c.severity, c.operation) for c in report.changes)


# --- a realistic evolution of the Flex spec -----------------------------------------------------


def evolve_flex(tmp_path: Path) -> Path:
    """Flex as an API evolves: a field removed, a field added, an enum value added, an id made expandable."""
    data = yaml.safe_load(FLEX.read_text(encoding="utf-8"))
    schemas = data["components"]["schemas"]
    invoice = schemas["Invoice"]["properties"]
    del invoice["period_end"]
    invoice["due_date"] = {"type": "string", "description": "When the invoice is due."}
    schemas["InvoiceStatus"]["enum"].append("paid")
    invoice["charge"] = {
        "description": invoice["charge"]["description"],
        "oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Charge"}],
    }
    schemas["Charge"] = obj(charge_id=STR, amount=INT)
    return write(tmp_path / "openapi.yaml", data)


def test_flex_evolution_reports_each_change_once_per_operation(tmp_path: Path) -> None:
    new = evolve_flex(tmp_path)
    report = diff_specs(Workspace.open(FLEX), Workspace.open(new))
    per_operation = {
        ("response-property-removed", "breaking"),  # Invoice.period_end
        ("response-property-added", "info"),  # Invoice.due_date
        ("response-enum-value-added", "warning"),  # InvoiceStatus: paid
        ("response-union-option-added", "breaking"),  # Invoice.charge: string -> string | Charge
    }
    expected = Counter(
        {(rule, severity, op): 1 for rule, severity in per_operation for op in (GET_INVOICE, MARK)}
        | {("schema-added", "info", None): 1}
    )
    assert findings(report) == expected
    removed = next(c for c in report.changes if c.id == "response-property-removed")
    assert removed.pointer == "/components/schemas/Invoice/properties/period_end"
    line = FLEX.read_text().splitlines().index("        period_end:") + 1
    assert removed.location == f"spec/openapi.yaml:{line}:9" or removed.location.endswith(
        f"openapi.yaml:{line}:9"
    )
    added = next(c for c in report.changes if c.id == "response-union-option-added")
    assert added.pointer == "/components/schemas/Invoice/properties/charge/oneOf/1"
    assert "`Charge`" in added.message and "`charge` in schema `Invoice`" in added.message
    assert semver(report) == "major"


def test_flex_against_itself_is_empty() -> None:
    assert diff_specs(Workspace.open(FLEX), Workspace.open(FLEX)).changes == []


# --- $ref sharing, cycles, normalisation --------------------------------------------------------

NODE = {
    "Node": {
        "type": "object",
        "properties": {
            "name": STR,
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
    }
}


def _tree_api(node: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}
    answer = {"responses": {"200": {"description": "ok", "content": content}}}
    paths = {"/trees": {"get": answer}, "/trees/{id}": {"get": copy.deepcopy(answer)}}
    return api(paths, node)


def test_a_change_in_a_shared_circular_schema_is_reported_once_per_operation() -> None:
    report = diff(_tree_api(NODE), _tree_api(_node_without_name()))
    assert findings(report) == Counter(
        {
            ("response-property-removed", "breaking", "GET /trees"): 1,
            ("response-property-removed", "breaking", "GET /trees/{id}"): 1,
            ("response-property-added", "info", "GET /trees"): 1,
            ("response-property-added", "info", "GET /trees/{id}"): 1,
        }
    )


def test_the_same_schema_is_judged_by_direction() -> None:
    thing = {"Thing": obj(a=STR)}
    grown = {"Thing": obj(["id"], a=STR, id={"type": "string", "readOnly": True})}
    ref = {"$ref": "#/components/schemas/Thing"}

    def both(schemas: dict[str, Any]) -> dict[str, Any]:
        spec = response(ref, schemas=schemas)
        spec["paths"]["/things"]["post"] = request(ref)["paths"]["/things"]["post"]
        return spec

    report = diff(both(thing), both(grown))
    # A required readOnly property is new in responses, and no burden on requests, which never send it.
    assert findings(report) == Counter({("response-property-added", "info", "GET /things"): 1})


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
            {"type": "integer", "exclusiveMinimum": 0},
        ),
        ({"type": "string", "example": "x"}, {"type": "string", "examples": ["x"]}),
        (
            {"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": True},
            {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]},
        ),
        ({"type": "object", "properties": {"a": STR}}, {"properties": {"a": STR}}),
        ({"type": "string", "enum": ["a", None]}, {"type": ["string", "null"], "enum": ["a"]}),
        ({"enum": ["a", "b"]}, {"type": "string", "enum": ["a", "b"]}),
    ],
    ids=[
        "nullable",
        "exclusive-minimum",
        "examples",
        "nullable-ref",
        "implied-object",
        "null-in-enum",
        "implied-enum-type",
    ],
)
def test_3_0_and_3_1_spellings_compare_alike(old: dict[str, Any], new: dict[str, Any]) -> None:
    schemas = {"T": obj(a=STR)}
    for make in (request, response):
        assert diff(make(old, "3.0.3", schemas), make(new, "3.1.0", schemas)).changes == []


def test_parameter_and_header_schemas_follow_their_direction() -> None:
    def spec(limit: dict[str, Any], rate: dict[str, Any]) -> dict[str, Any]:
        answer = {"200": {"description": "ok", "headers": {"X-Rate": {"schema": rate}}}}
        parameter = {"name": "limit", "in": "query", "schema": limit}
        return api({"/things": {"get": {"parameters": [parameter], "responses": answer}}})

    report = diff(
        spec({"type": "integer"}, {"type": "integer"}),
        spec({"type": "integer", "maximum": 100}, {"type": "number"}),
    )
    assert findings(report) == Counter(
        {
            ("request-maximum-decreased", "breaking", "GET /things"): 1,
            ("response-type-changed", "breaking", "GET /things"): 1,
        }
    )
    assert {c.message.split(":")[0] for c in report.changes} == {
        "parameter `limit` (query)",
        "response 200 header `X-Rate`",
    }


def test_header_names_and_media_type_parameters_do_not_matter() -> None:
    def spec(name: str, media: str) -> dict[str, Any]:
        parameter = {"name": name, "in": "header", "schema": STR}
        content = {media: {"schema": STR}}
        return api(
            {
                "/t": {
                    "post": {"parameters": [parameter], "requestBody": {"content": content}, "responses": {}}
                }
            }
        )

    assert (
        diff(spec("X-Trace", "application/json"), spec("x-trace", "application/json; charset=utf-8")).changes
        == []
    )


def test_a_public_operation_that_now_needs_credentials_breaks() -> None:
    schemes = {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "K"}}}
    public = api({"/t": {"get": {"responses": {}}}}, components=schemes)
    locked = api({"/t": {"get": {"responses": {}, "security": [{"key": []}]}}}, components=schemes)
    report = diff(public, locked)
    assert [(c.id, c.severity) for c in report.changes] == [
        ("security-requirement-removed", "breaking"),
        ("security-requirement-added", "info"),
    ]
    assert "now needs credentials" in report.changes[0].message


def test_external_refs_are_followed_and_located_in_their_file(tmp_path: Path) -> None:
    for version, properties in (("old", {"a": STR, "b": STR}), ("new", {"a": STR})):
        write(tmp_path / version / "schemas" / "Thing.yaml", obj(**properties))
        write(tmp_path / version / "api.yaml", response({"$ref": "schemas/Thing.yaml"}))
    report = diff_specs(
        Workspace.open(tmp_path / "old" / "api.yaml"), Workspace.open(tmp_path / "new" / "api.yaml")
    )
    [change] = report.changes
    assert (change.id, change.pointer) == ("response-property-removed", "/properties/b")
    assert change.location.endswith(os.path.join("old", "schemas", "Thing.yaml") + ":5:3")
    assert "schema `Thing`" in change.message


# --- outputs ------------------------------------------------------------------------------------


def _mixed_report() -> DiffReport:
    return diff(
        response({"type": "object", "properties": {"a": STR, "s": {"type": "string", "enum": ["x"]}}}),
        response(obj(s={"type": "string", "enum": ["x", "y"]}, b=STR)),
    )


def test_json_output_has_exactly_the_documented_shape() -> None:
    payload = json.loads(render_json(_mixed_report()))
    assert set(payload) == {"changes", "semver"}
    assert payload["semver"] == "major"
    keys = {"id", "severity", "operations", "pointer", "location", "message"}
    assert payload["changes"] and all(set(change) == keys for change in payload["changes"])
    assert [c["severity"] for c in payload["changes"]] == ["breaking", "warning", "info"]
    assert all(c["operations"] == ["GET /things"] for c in payload["changes"])
    assert all(isinstance(c[k], str) for c in payload["changes"] for k in keys - {"operations"})


def test_group_none_keeps_one_entry_per_operation_in_every_format() -> None:
    report = diff(_tree_api(NODE), _tree_api(_node_without_name()))
    payload = json.loads(render_json(report, "none"))
    keys = {"id", "severity", "operation", "pointer", "location", "message"}
    assert all(set(change) == keys for change in payload["changes"])
    assert [(c["id"], c["operation"]) for c in payload["changes"]] == [
        ("response-property-removed", "GET /trees"),
        ("response-property-removed", "GET /trees/{id}"),
        ("response-property-added", "GET /trees"),
        ("response-property-added", "GET /trees/{id}"),
    ]
    assert (
        render_text(report, "none").splitlines()[-1]
        == "4 change(s): 2 breaking, 0 warning, 2 info; semver: major"
    )
    lines = render_markdown(report, "none").splitlines()
    assert lines.count("### `GET /trees`") == 2 and lines.count("### `GET /trees/{id}`") == 2


def _node_without_name() -> dict[str, Any]:
    changed = copy.deepcopy(NODE)
    del changed["Node"]["properties"]["name"]
    changed["Node"]["properties"]["parent"] = {"$ref": "#/components/schemas/Node"}
    return changed


def test_a_change_in_a_shared_schema_is_one_entry_listing_every_operation() -> None:
    report = diff(_tree_api(NODE), _tree_api(_node_without_name()))
    causes = report.root_causes()
    assert [(c.id, c.operations) for c in causes] == [
        ("response-property-removed", ("GET /trees", "GET /trees/{id}")),
        ("response-property-added", ("GET /trees", "GET /trees/{id}")),
    ]
    assert [c["operations"] for c in json.loads(render_json(report))["changes"]] == [
        ["GET /trees", "GET /trees/{id}"]
    ] * 2
    text = render_text(report).splitlines()
    assert text[0].endswith("(affects 2 operations: GET /trees, GET /trees/{id})"), text[0]
    assert text[-1] == "2 change(s): 1 breaking, 0 warning, 1 info; semver: major"
    markdown = render_markdown(report).splitlines()
    removed = markdown.index("### Schema `Node`") + 2
    assert markdown[removed].startswith("- `name` in schema `Node` was removed")
    assert markdown[removed].endswith("affects 2 operations: `GET /trees`, `GET /trees/{id}`.")


def test_affects_names_the_first_few_operations() -> None:
    assert affects(["A", "B", "C", "D", "E"]) == "affects 5 operations: A, B, C and 2 more"
    assert affects(["A"], "`") == "affects 1 operation: `A`"


def test_markdown_is_a_changelog_with_a_heading_per_severity() -> None:
    text = render_markdown(_mixed_report())
    lines = text.splitlines()
    assert lines[0] == "# API changes"
    assert (
        "Suggested version bump: **major** (1 breaking, 1 warning, 1 info; 1 operation(s) affected)." in lines
    )
    positions = [lines.index(h) for h in ("## Breaking changes", "## Warnings", "## Other changes")]
    assert positions == sorted(positions)
    assert lines.count("### `GET /things`") == 2, "breaking and warnings are listed; info is counted"
    assert any(
        line.startswith("- `a` in response 200") and "(`response-property-removed`, old.yaml:" in line
        for line in lines
    )
    assert "| `response-property-added` | 1 | 1 |" in lines
    assert render_markdown(DiffReport([])).splitlines()[-1] == "No changes."


def _change(rule_id: str, severity: str) -> Change:
    return Change(rule_id, severity, None, "", "x", "m")


def test_semver_major_minor_patch() -> None:
    assert semver(DiffReport([_change("operation-removed", "breaking")])) == "major"
    assert semver(DiffReport([_change("response-enum-value-added", "warning")])) == "minor"
    assert semver(DiffReport([_change("operation-added", "info")])) == "minor"
    assert semver(DiffReport([_change("schema-description-changed", "info")])) == "patch"
    assert semver(DiffReport([])) == "patch"


# --- CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def warning_only(tmp_path: Path) -> tuple[str, str]:
    enum = {"type": "string", "enum": ["a"]}
    old = write(tmp_path / "old.yaml", response(enum))
    new = write(tmp_path / "new.yaml", response({**enum, "enum": ["a", "b"]}))
    return str(old), str(new)


def test_fail_on_sets_the_exit_code(
    warning_only: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = warning_only
    assert main([old, new]) == 0
    assert main([old, new, "--fail-on", "breaking"]) == 0
    assert main([old, new, "--fail-on", "warning"]) == 1
    assert main([new, old, "--fail-on", "warning"]) == 0, "a removed response enum value is info"
    capsys.readouterr()
    assert main([old, old, "--fail-on", "warning", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"changes": [], "semver": "patch"}


def test_rules_are_listed_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules"]) == 0
    text = capsys.readouterr().out
    assert all(rule.id in text for rule in RULES) and text.endswith(f"{len(RULES)} rules\n")
    union = next(r for r in RULES if r.id == "response-union-option-added")
    assert f"why:      {union.why}" in text and "exhaustive switch" in union.why
    assert main(["--rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rules"]
    assert len(rows) == len(RULES) and all(row["why"] for row in rows)
    assert main(["--rules", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "| id | severity | meaning | why this severity |" in markdown
    assert "| `operation-removed` | breaking | An operation was removed" in markdown


def test_add_arguments_and_run_plug_into_another_parser(warning_only: tuple[str, str]) -> None:
    parser = argparse.ArgumentParser(prog="sdkgen")
    add_arguments(parser.add_subparsers(dest="command").add_parser("diff"))
    assert (
        run(parser.parse_args(["diff", *warning_only, "--fail-on", "warning", "--format", "markdown"])) == 1
    )
    with pytest.raises(SpecError, match="needs OLD and NEW"):
        run(parser.parse_args(["diff", warning_only[0]]))


BAD_INPUTS = {
    "missing-file": ("", "file not found"),
    "invalid-yaml": ("openapi: 3.1.0\ninfo: [\n", "invalid YAML"),
    "swagger": (
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "unsupported `openapi` version",
    ),
    "broken-ref": (
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: '#/nowhere'\n",
        "there is no 'nowhere'",
    ),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_exits_2_without_a_traceback(name: str, tmp_path: Path) -> None:
    text, expected = BAD_INPUTS[name]
    bad = tmp_path / "bad.yaml"
    if text:
        bad.write_text(text)
    done = _cli(tmp_path, str(FLEX), str(bad))
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr and "bad.yaml" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator.diff.command", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=60)


# --- git:REV:PATH -------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    identity = [
        "-c",
        "user.name=sdkgen tests",
        "-c",
        "user.email=tests@example.com",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two commits of a spec split over two files."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for properties in ({"a": STR, "b": STR}, {"a": STR}):
        write(repo / "spec" / "schemas.yaml", {"Thing": obj(**properties)})
        write(repo / "spec" / "api.yaml", response({"$ref": "schemas.yaml#/Thing"}))
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "version")
    return repo


def test_git_revisions_are_read_with_their_refs(repo: Path) -> None:
    old, new = open_git("git:HEAD~1:spec/api.yaml", cwd=repo), open_git("git:HEAD:./spec/api.yaml", cwd=repo)
    [change] = diff_specs(old, new).changes
    assert (change.id, change.pointer) == ("response-property-removed", "/Thing/properties/b")
    assert change.location == "git:HEAD~1:spec/schemas.yaml:6:5"


def test_git_and_working_tree_can_be_mixed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "spec")
    write(repo / "spec" / "schemas.yaml", {"Thing": obj(a=STR, c=STR)})
    report = diff_specs(open_spec("git:HEAD:spec/api.yaml"), open_spec("api.yaml"))
    assert [(c.id, c.location) for c in report.changes] == [("response-property-added", "schemas.yaml:6:5")]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("git:nope:spec/api.yaml", "git:nope:spec/api.yaml: unknown revision 'nope'"),
        ("git:HEAD:spec/missing.yaml", "no file 'spec/missing.yaml' in revision 'HEAD'"),
        ("git:HEAD", "expected git:REV:PATH"),
    ],
)
def test_bad_git_specs_are_spec_errors(repo: Path, spec: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        open_git(spec, cwd=repo)
    assert message in str(error.value)


def test_git_outside_a_repository_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"git:HEAD:a\.yaml"):
        open_git("git:HEAD:a.yaml", cwd=tmp_path)


def test_git_from_the_command_line(repo: Path) -> None:
    done = _cli(
        repo,
        "git:HEAD~1:spec/api.yaml",
        "git:HEAD:spec/api.yaml",
        "--fail-on",
        "breaking",
        "--format",
        "json",
    )
    assert done.returncode == 1, done.stderr
    assert [c["id"] for c in json.loads(done.stdout)["changes"]] == ["response-property-removed"]
    bad = _cli(repo, "git:HEAD~5:spec/api.yaml", "spec/api.yaml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "git:HEAD~5" in bad.stderr


# --- a real pair of versions --------------------------------------------------------------------


@pytest.mark.slow
def test_stripe_versions_diff_completes_without_duplicates() -> None:
    old, new = bench_spec(STRIPE_OLD), bench_spec(STRIPE)
    # How long it takes is measured in `make bench`, not asserted here.
    report = diff_specs(Workspace.open(old), Workspace.open(new))
    assert report.changes
    triples = Counter((c.id, c.operation, c.pointer) for c in report.changes)
    assert max(triples.values()) == 1
    ids = {c.id for c in report.changes}
    assert {"operation-added", "response-enum-value-added", "response-property-added"} <= ids
    assert semver(report) == "major"


@pytest.mark.slow
def test_stripe_changelog_is_short_and_names_every_breaking_root_cause() -> None:
    old, new = bench_spec(STRIPE_OLD), bench_spec(STRIPE)
    report = diff_specs(Workspace.open(old), Workspace.open(new))
    causes = report.root_causes()
    assert len(causes) < len(report.changes) / 50, (
        "a shared schema's change is one entry, not one per operation"
    )
    breaking = {(c.id, c.message) for c in report.changes if c.severity == "breaking"}
    assert len(breaking) >= 9
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    assert len(lines) < 400, len(lines)
    body = markdown[: markdown.index("## Other changes")]
    for rule_id, message in breaking:
        escaped = render_markdown(DiffReport([Change(rule_id, "breaking", None, "", "x", message)]))
        bullet = next(line for line in escaped.splitlines() if line.startswith("- "))
        assert bullet.removesuffix(" (`" + rule_id + "`, x)") in body, (rule_id, message)
    shared = max(causes, key=lambda c: len(c.operations))
    assert len(shared.operations) > 100 and f"affects {len(shared.operations)} operations" in markdown
