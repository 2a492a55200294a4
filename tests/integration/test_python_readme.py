"""The generated READMEs' Python examples run: every ```python block, as written, against a server.

The examples take the key and the server from the environment (`<NAME>_API_KEY`, `<NAME>_BASE_URL`),
so each runs unchanged in a fresh interpreter pointed at the fake Flex server or the mock server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.mock.server import start_mock
from tests.support.flex_server import FakeFlexServer

ROOT = Path(__file__).resolve().parents[2]
SHOP_SPEC = ROOT / "tests" / "specs" / "pagination.yaml"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(readme: Path) -> list[str]:
    blocks = BLOCK.findall(readme.read_text(encoding="utf-8"))
    assert blocks, f"no python examples in {readme}"
    return blocks


def _run(code: str, package_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env, "PYTHONPATH": str(package_dir)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60
    )


@pytest.mark.parametrize("style", ["python-pydantic", "python-dataclasses"])
def test_flex_readme_examples_run(style: str, flex_server: FakeFlexServer) -> None:
    package_dir = ROOT / "generated" / style
    env = {"FLEX_API_KEY": "sk_readme", "FLEX_BASE_URL": flex_server.url}
    outputs = []
    for code in _blocks(package_dir / "README.md"):
        result = _run(code, package_dir, env)
        assert result.returncode == 0, f"example failed:\n{code}\n{result.stderr}"
        outputs.append(result.stdout + result.stderr)
    assert "<string>" in outputs[0], "the first example prints the parsed invoice"
    assert any("HTTP" in out or "attempt" in out for out in outputs), "the logging example logs"
    assert flex_server.requests and all(
        r.headers.get("authorization") == "Bearer sk_readme" for r in flex_server.requests
    )


@pytest.mark.parametrize("style", ["python-pydantic", "python-dataclasses"])
def test_readme_pagination_example_runs_against_the_mock(style: str, tmp_path: Path) -> None:
    out = tmp_path / "shop"
    assert (
        main(["generate", str(SHOP_SPEC), "--style", style, "--output", str(out), "--package", "shop"]) == 0
    )
    blocks = _blocks(out / "README.md")
    paged = [code for code in blocks if "_iter(" in code]
    assert paged, "a spec with a cursor-paginated list gets a pagination example"
    with start_mock(SHOP_SPEC, quiet=True) as server:
        env = {"SHOP_API_KEY": "sk_shop", "SHOP_BASE_URL": server.url}
        for code in blocks:
            result = _run(code, out, env)
            assert result.returncode == 0, f"example failed:\n{code}\n{result.stderr}"
        assert "cus_1" in _run(paged[0], out, env).stdout
