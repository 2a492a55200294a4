"""The generated SDK is fully typed: `mypy --strict` passes on it and on user code, and catches misuse."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.flex_server import GENERATED_DIR

# The tests run under the project's venv (/work/main/.venv/bin/pytest), so this is the venv's python,
# which has mypy, httpx and pydantic installed.
PYTHON = sys.executable


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for every mypy run of this module, so only the first one is slow."""
    return tmp_path_factory.mktemp("mypy-cache")


def run_mypy(cache: Path, cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MYPYPATH=str(GENERATED_DIR))
    env.pop("MYPY_CONFIG_FILE_DIR", None)
    return subprocess.run(
        [
            PYTHON,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(cache),
            "--no-color-output",
            "--no-error-summary",
            "--show-error-codes",
            *targets,
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_generated_package_passes_mypy_strict(mypy_cache: Path) -> None:
    result = run_mypy(mypy_cache, GENERATED_DIR, "-p", "flex_client")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout


GOOD_SCRIPT = """
from __future__ import annotations

import asyncio
from typing import Any

from flex_client import APIError, AsyncFlexClient, FlexClient
from flex_client.models import InvoiceResponse, InvoiceStatus, PaymentMethod


def main() -> None:
    with FlexClient(api_key="sk_test_123", base_url="http://127.0.0.1:1", timeout=5.0) as c:
        r = c.get_invoice("x")
        name: str | None = r.invoice.customer.email if r.invoice.customer else None
        total: int | None = r.invoice.total
        status: InvoiceStatus | None = r.invoice.status
        known: bool = status.is_known if status is not None else False
        pi = r.invoice.payment_intent
        pm = pi.payment_method if pi is not None else None
        if isinstance(pm, PaymentMethod) and pm.card is not None:
            brand: str | None = pm.card.brand
            print(brand)
        elif isinstance(pm, str):
            pm_id: str = pm
            print(pm_id)
        data: dict[str, Any] = r.to_dict()
        text: str = r.to_json()
        print(name, total, known, data, text)
        try:
            c.mark_invoice_uncollectible("x", extra_headers={"X-Trace": "t"}, timeout=1.5)
        except APIError as e:
            code: str | None = e.code
            status_code: int = e.status_code
            body: str = e.body
            retry_after: str | None = e.headers.get("retry-after")
            print(code, status_code, body, retry_after)


async def amain() -> InvoiceResponse:
    async with AsyncFlexClient() as c:
        return await c.mark_invoice_uncollectible("x")


if __name__ == "__main__":
    main()
    asyncio.run(amain())
"""

# Each wrong line is marked with the mypy error code it must produce.
BAD_SCRIPT = """
from __future__ import annotations

from flex_client import AsyncFlexClient, FlexClient
from flex_client.models import InvoiceResponse


def main() -> None:
    with FlexClient(api_key="sk_test_123") as c:
        r = c.get_invoice("x")
        x: int = r.invoice  # expect: assignment
        email: str | None = r.invoice.customer.email  # expect: union-attr
        c.get_invoice(123)  # expect: arg-type
        c.get_invoice("x", retries=3)  # expect: call-arg
        pi = r.invoice.payment_intent
        pm_id: str = pi.payment_method if pi else ""  # expect: assignment
        print(x, email, pm_id)


async def amain() -> None:
    async with AsyncFlexClient() as c:
        r: InvoiceResponse = c.get_invoice("x")  # expect: assignment
        print(r)
"""


def _expected_errors(script: str) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(script.splitlines(), start=1):
        match = re.search(r"# expect: ([a-z-]+)$", line)
        if match:
            expected.add((number, match.group(1)))
    return expected


def test_user_code_type_checks_and_misuse_is_caught(tmp_path: Path, mypy_cache: Path) -> None:
    good = tmp_path / "good_usage.py"
    good.write_text(textwrap.dedent(GOOD_SCRIPT), encoding="utf-8")
    bad = tmp_path / "bad_usage.py"
    bad_text = textwrap.dedent(BAD_SCRIPT)
    bad.write_text(bad_text, encoding="utf-8")

    good_result = run_mypy(mypy_cache, tmp_path, good.name)
    assert good_result.returncode == 0, good_result.stdout + good_result.stderr

    bad_result = run_mypy(mypy_cache, tmp_path, bad.name)
    output = bad_result.stdout + bad_result.stderr
    assert bad_result.returncode == 1, output
    found = {
        (int(m.group(1)), m.group(2))
        for m in re.finditer(
            r"^bad_usage\.py:(\d+): error: .*\[([a-z-]+)\]$", bad_result.stdout, re.MULTILINE
        )
    }
    expected = _expected_errors(bad_text)
    assert len(expected) == 6
    assert found == expected, output
