"""The typescript-fetch README's examples are complete ES modules that compile and run as printed.

For each spec the package is generated fresh into a temp folder (so the test checks the templates,
not the committed copy), every ```ts block of its README.md is written as src/readme_example_N.ts,
and the whole package is compiled with its own strict tsconfig. The blocks import the package by its
npm name, unchanged: a package may import itself by name through the `exports` of its own
package.json, which tsc (NodeNext, mapping dist/ back to src/) and Node both follow. Each compiled
example then runs under `node` against a real server on 127.0.0.1 with nothing but the environment
(`<API>_API_KEY`, `<API>_BASE_URL`) to find it, and must exit 0.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.mock.server import start_mock
from tests.support.flex_server import SPEC_PATH as FLEX_SPEC
from tests.support.flex_server import FakeFlexServer

REPO_ROOT = Path(__file__).resolve().parents[2]
TSC = REPO_ROOT / "node_modules" / ".bin" / "tsc"
SHOP_SPEC = REPO_ROOT / "tests" / "specs" / "pagination.yaml"
KEY = "sk_test_readme_0123456789"
FENCE = re.compile(r"^```(\S*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass
class Example:
    section: str  # the `## ` heading the block is under
    source: str
    script: Path  # the compiled module


@dataclass
class Run:
    example: Example
    stdout: str
    stderr: str


def readme_blocks(readme: str) -> list[tuple[str, str, str]]:
    """(section, language, code) of every fenced block, in order."""
    blocks = []
    for match in FENCE.finditer(readme):
        headings = re.findall(r"^## (.+)$", readme[: match.start()], re.MULTILINE)
        blocks.append((headings[-1] if headings else "", match.group(1), match.group(2)))
    return blocks


def build_examples(spec: Path, package: str, root: Path) -> list[Example]:
    """Generate the package, add its README's ```ts blocks to src/ and compile it all with tsc."""
    folder = root / package
    args = [
        "generate",
        str(spec),
        "--style",
        "typescript-fetch",
        "--output",
        str(folder),
        "--package",
        package,
    ]
    assert main(args) == 0
    readme = (folder / "README.md").read_text(encoding="utf-8")
    blocks = readme_blocks(readme)
    assert {language for _, language, _ in blocks} <= {"ts", "sh"}, [b[1] for b in blocks]
    assert len(blocks) == readme.count("```") // 2  # every fence is one whole block
    examples = []
    for index, (section, _, source) in enumerate(b for b in blocks if b[1] == "ts"):
        assert f'from "{package}";' in source, source  # imports the package by its name
        (folder / "src" / f"readme_example_{index}.ts").write_text(source, encoding="utf-8")
        examples.append(Example(section, source, folder / "dist" / f"readme_example_{index}.js"))
    result = subprocess.run(
        [str(TSC), "-p", str(folder)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return examples


def run_examples(examples: list[Example], env: dict[str, str]) -> list[Run]:
    """Run every example at once under node, each in its own process; every one must exit 0."""
    environment = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    environment.update(env)
    processes = [
        subprocess.Popen(
            ["node", str(example.script)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for example in examples
    ]
    runs = []
    try:
        for example, process in zip(examples, processes, strict=True):
            stdout, stderr = process.communicate(timeout=60)
            assert process.returncode == 0, f"{example.section}:\n{example.source}\n{stdout}{stderr}"
            runs.append(Run(example, stdout, stderr))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return runs


def in_section(runs: list[Run], section: str) -> list[Run]:
    found = [run for run in runs if run.example.section == section]
    assert found, f"no example under ## {section}"
    return found


def test_flex_readme_examples_run_against_the_fake_server(
    tmp_path: Path, flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]
) -> None:
    examples = build_examples(FLEX_SPEC, "flex-client", tmp_path)
    invoice = copy.deepcopy(get_invoice_example)
    invoice["invoice"]["invoice_id"] = "inv_123"
    invoice["invoice"]["new_field"] = 1  # not in the spec: reported to onUnknown
    flex_server.script("/v1/invoices/inv_123", 200, invoice)
    missing = {"error": {"code": "resource_missing", "message": "No such invoice: inv_missing"}}
    flex_server.script("/v1/invoices/inv_missing", 404, missing)

    runs = run_examples(examples, {"FLEX_API_KEY": KEY, "FLEX_BASE_URL": flex_server.url})

    assert [run.example.section for run in runs] == [
        "Use",
        "Use",
        "Retries and timeouts",
        "Errors",
        "Raw responses",
        "Debug logs",
        "Types and forward compatibility",
        "Types and forward compatibility",
        "Expandable fields",
    ]
    for run in in_section(runs, "Use"):
        assert "invoice_id: 'inv_123'" in run.stdout, run.stdout
    (errors,) = in_section(runs, "Errors")
    assert errors.stdout == "no such object: No such invoice: inv_missing\n"
    (raw,) = in_section(runs, "Raw responses")
    assert raw.stdout.startswith("200 application/json "), raw.stdout
    assert "inv_123" in raw.stdout
    (logs,) = in_section(runs, "Debug logs")
    assert "HTTP request" in logs.stdout and "HTTP response" in logs.stdout, logs.stdout
    assert "'[REDACTED]'" in logs.stdout and "flex-client-typescript/1.0.0" in logs.stdout
    set_aside, unknown = in_section(runs, "Types and forward compatibility")
    assert set_aside.stdout == "{}\n", set_aside.stdout  # the top level fits: nothing set aside there
    assert "unknown field at /invoice/new_field: 1" in unknown.stderr, unknown.stderr
    (expandable,) = in_section(runs, "Expandable fields")
    assert expandable.stdout.splitlines() == [
        "id: inv_123",
        "expanded: { invoice_id: 'inv_123' }",
        "id: inv_123",
    ]
    for run in runs:
        assert KEY not in run.stdout + run.stderr

    # The key and the URL came from the environment alone; the per-request options were sent.
    requests = flex_server.requests
    assert requests and all(r.headers.get("authorization") == f"Bearer {KEY}" for r in requests)
    assert all(r.headers.get("user-agent") == "flex-client-typescript/1.0.0" for r in requests)
    assert any(r.headers.get("x-request-source") == "readme" for r in requests)
    posts = [r for r in requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/v1/invoices/inv_123/mark_uncollectible"]
    assert re.fullmatch(r"[0-9a-f-]{36}", posts[0].headers.get("idempotency-key", ""))


def test_shop_readme_examples_run_against_the_mock_server(tmp_path: Path) -> None:
    examples = build_examples(SHOP_SPEC, "shop-client", tmp_path)
    with start_mock(SHOP_SPEC, quiet=True) as mock:  # answers the spec's examples, checks the bearer key
        runs = run_examples(examples, {"SHOP_API_KEY": KEY, "SHOP_BASE_URL": mock.url})

    sections = [run.example.section for run in runs]
    assert sections[-1] == "Pagination" and "Expandable fields" in sections
    for run in in_section(runs, "Use"):
        assert "id: 'cus_1'" in run.stdout, run.stdout
    (pages,) = in_section(runs, "Pagination")
    assert pages.stdout == "{ id: 'cus_1', name: 'Ada', status: 'active' }\n"
    (expandable,) = in_section(runs, "Expandable fields")
    assert expandable.stdout.splitlines()[::2] == ["id: sou_123", "id: sou_123"]
    (logs,) = in_section(runs, "Debug logs")
    assert "'[REDACTED]'" in logs.stdout and KEY not in logs.stdout


# Specs where the README cannot simply call the first operation: every example still compiles and
# runs, with fallbacks where no operation can be called with its path parameters alone.
AWKWARD_SPECS = {
    "nothing-callable": """
openapi: 3.0.3
info: {title: Odd API, version: 0.1.0}
paths:
  /v1/things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses: {"204": {description: created}}
    get:
      operationId: searchThings
      parameters: [{name: q, in: query, required: true, schema: {type: string}}]
      responses: {"204": {description: found}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
""",
    "odd-path-params": """
openapi: 3.0.3
info: {title: Parts API, version: 0.1.0}
paths:
  /v1/widgets/{widget_id}/parts/{kind}/{n}:
    get:
      operationId: listParts
      parameters:
        - {name: widget_id, in: path, required: true, schema: {type: string}}
        - {name: kind, in: path, required: true, schema: {$ref: "#/components/schemas/Kind"}}
        - {name: n, in: path, required: true, schema: {type: integer}}
        - {name: limit, in: query, required: true, schema: {type: integer}}
        - {name: after, in: query, schema: {type: string}}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PartList"}
              example: {items: [{id: part_1, widget: wid_1}]}
components:
  schemas:
    Kind: {type: string, enum: [small, large]}
    Widget: {type: object, required: [id], properties: {id: {type: string}}}
    Part:
      type: object
      required: [id]
      properties:
        id: {type: string}
        widget: {oneOf: [{type: string}, {$ref: "#/components/schemas/Widget"}]}
    PartList:
      type: object
      required: [items]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/Part"}}}
""",
}


@pytest.mark.parametrize("name", sorted(AWKWARD_SPECS))
def test_readme_examples_of_awkward_specs_compile_and_run(tmp_path: Path, name: str) -> None:
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(AWKWARD_SPECS[name], encoding="utf-8")
    examples = build_examples(spec, f"{name}-client", tmp_path / "out")
    prefix = "ODD" if name == "nothing-callable" else "PARTS"
    with start_mock(spec, quiet=True) as mock:
        runs = run_examples(examples, {f"{prefix}_API_KEY": KEY, f"{prefix}_BASE_URL": mock.url})
    sources = "\n".join(run.example.source for run in runs)
    if name == "nothing-callable":
        assert "createThing(" not in sources and "searchThings(" not in sources
    else:  # a string, an enum and an integer path parameter; a required page size
        assert 'listParts("wid_123", "small", 123, { limit: 100 })' in sources
        assert 'listPartsIter("wid_123", "small", 123, { limit: 100 })' in sources
        (pages,) = in_section(runs, "Pagination")
        assert "part_1" in pages.stdout
        (expandable,) = in_section(runs, "Expandable fields")
        assert expandable.stdout.splitlines()[::2] == ["id: wid_123", "id: wid_123"]
