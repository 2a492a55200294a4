"""`sdkgen mock --require-key` against Schemathesis, a property-based API tester: it answers like a server.

Schemathesis (pinned in the dev extras) reads the Flex spec, then sends examples, coverage cases
(undeclared methods such as QUERY, missing and invalid credentials, values outside their schema), random
requests and chains of them, and checks every answer: status codes and bodies as documented, 405 with
`Allow` for an undeclared method, 401 for a missing or invalid credential, no 5xx. The number of
examples is bounded and generation deterministic, so the run takes about 20 s and says the same each time.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FLEX = ROOT / "spec" / "openapi.yaml"
KEY = "sk_test_schemathesis"
SCHEMATHESIS = Path(sys.executable).parent / "st"


@pytest.fixture
def mock_url() -> Iterator[str]:
    """`sdkgen mock --require-key` as users run it: a process on a free port of 127.0.0.1."""
    command = [sys.executable, "-m", "generator", "mock", str(FLEX), "--port", "0", "--quiet"]
    process = subprocess.Popen(
        [*command, "--require-key", KEY], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line + (
            process.stderr.read() if process.stderr else ""
        )
        yield line.split()[-1]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_schemathesis_finds_no_failures_in_the_mock(mock_url: str, tmp_path: Path) -> None:
    command = [
        str(SCHEMATHESIS),
        "run",
        str(FLEX),
        "--url",
        mock_url,
        "--header",
        f"Authorization: Bearer {KEY}",
        "--checks",
        "all",
        "--max-examples",
        "25",
        "--generation-deterministic",
        "--no-color",
    ]
    # In a scratch folder: Schemathesis keeps a cache (.schemathesis/) in its working directory.
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No issues found" in report, report
    assert "Coverage" in report and "Fuzzing" in report and "Stateful" in report, report  # every phase ran
