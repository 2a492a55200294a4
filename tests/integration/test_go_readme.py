"""The go-nethttp README's examples are complete programs that build and run as printed.

The module is generated fresh (so the test checks the templates, not the committed copy); every
```go block of its README.md becomes `examples/exN/main.go` of a module that requires the generated
one through a `replace`. They are built at once with the pinned toolchain, then each runs against a
real server on 127.0.0.1 with nothing but the environment (`<API>_API_KEY`, `<API>_BASE_URL`).
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.mock.server import start_mock
from tests.support.flex_server import SPEC_PATH as FLEX_SPEC
from tests.support.flex_server import FakeFlexServer
from tests.support.go import run_go

pytestmark = pytest.mark.slow

SHOP_SPEC = Path(__file__).resolve().parents[1] / "specs" / "pagination.yaml"
KEY = "sk_test_readme_0123456789"
FENCE = re.compile(r"^```(\S*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def build_examples(spec: Path, package: str, root: Path) -> list[tuple[str, Path]]:
    """(section, binary) of each README example, built against the freshly generated module."""
    sdk = root / "sdk"
    assert (
        main(["generate", str(spec), "--style", "go-nethttp", "--output", str(sdk), "--package", package])
        == 0
    )
    module = re.search(r"^module (\S+)", (sdk / "go.mod").read_text(encoding="utf-8"), re.MULTILINE)
    assert module is not None
    readme = (sdk / "README.md").read_text(encoding="utf-8")
    blocks = []
    for match in FENCE.finditer(readme):
        headings = re.findall(r"^## (.+)$", readme[: match.start()], re.MULTILINE)
        blocks.append((headings[-1], match.group(1), match.group(2)))
    assert {language for _, language, _ in blocks} <= {"go", "sh"}
    examples = root / "examples"
    (examples).mkdir()
    (examples / "go.mod").write_text(
        f"module readme.test\n\ngo 1.23\n\nrequire {module.group(1)} v0.0.0\n\nreplace {module.group(1)} => ../sdk\n",
        encoding="utf-8",
    )
    built = []
    for index, (section, _, source) in enumerate(b for b in blocks if b[1] == "go"):
        assert source.startswith("package main\n"), source
        folder = examples / f"ex{index}"
        folder.mkdir()
        (folder / "main.go").write_text(source, encoding="utf-8")
        built.append((section, examples / "bin" / f"ex{index}"))
    done = run_go(["build", "-o", "bin/", "./..."], examples)
    assert done.returncode == 0, done.stdout + done.stderr
    vet = run_go(["vet", "./..."], examples)
    assert vet.returncode == 0, vet.stdout + vet.stderr
    return built


def run_examples(examples: list[tuple[str, Path]], env: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Run each example; every one must exit 0. Section -> [(stdout, stderr), ...]."""
    environment = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    environment.update(env)
    runs: dict[str, list[tuple[str, str]]] = {}
    for section, binary in examples:
        done = subprocess.run([str(binary)], env=environment, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{section}:\n{done.stdout}{done.stderr}"
        runs.setdefault(section, []).append((done.stdout, done.stderr))
    return runs


def test_flex_readme_examples_run_against_the_fake_server(
    tmp_path: Path, flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]
) -> None:
    examples = build_examples(FLEX_SPEC, "flex", tmp_path)
    invoice = copy.deepcopy(get_invoice_example)
    invoice["invoice"]["invoice_id"] = "inv_123"
    invoice["invoice"]["new_field"] = 1  # not in the spec: reported to the hook
    flex_server.script("/v1/invoices/inv_123", 200, invoice)
    missing = {"error": {"code": "resource_missing", "message": "No such invoice: inv_missing"}}
    flex_server.script("/v1/invoices/inv_missing", 404, missing)

    runs = run_examples(examples, {"FLEX_API_KEY": KEY, "FLEX_BASE_URL": flex_server.url})

    assert list(runs) == [
        "Use",
        "Errors and retries",
        "Raw responses and debug logs",
        "Types and forward compatibility",
    ]
    (use,) = runs["Use"]
    assert '"invoice_id":"inv_123"' in use[0], use
    assert runs["Errors and retries"] == [("no such object: No such invoice: inv_missing\n", "")]
    (logs,) = runs["Raw responses and debug logs"]
    assert "HTTP request" in logs[0] and "HTTP response" in logs[0] and "[REDACTED]" in logs[0], logs
    assert logs[0].splitlines()[-1].startswith("200 application/json ")
    (unknown,) = runs["Types and forward compatibility"]
    assert "field at /invoice/new_field: 1" in unknown[1], unknown
    assert unknown[0] == "true true\n"
    for outputs in runs.values():
        for stdout, stderr in outputs:
            assert KEY not in stdout + stderr
    requests = flex_server.requests
    assert requests and all(r.headers.get("authorization") == f"Bearer {KEY}" for r in requests)
    assert all(r.headers.get("user-agent") == "flex-go/1.0.0" for r in requests)
    assert any(r.headers.get("x-request-source") == "readme" for r in requests)


def test_shop_readme_pagination_runs_against_the_mock_server(tmp_path: Path) -> None:
    examples = build_examples(SHOP_SPEC, "shop", tmp_path)
    with start_mock(SHOP_SPEC, quiet=True) as mock:
        runs = run_examples(examples, {"SHOP_API_KEY": KEY, "SHOP_BASE_URL": mock.url})
    assert list(runs)[-1] == "Pagination"
    assert runs["Pagination"] == [('{"id":"cus_1","name":"Ada","status":"active"}\n', "")]
