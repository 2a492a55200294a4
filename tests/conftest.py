"""Shared test setup: the committed generated Python SDKs are importable, and a fake Flex server.

The SDKs are not installed into the venv; their folders are put at the front of `sys.path`, computed
relative to this file so the suite works from any checkout location.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.flex_server import GET_INVOICE_EXAMPLE, MARK_UNCOLLECTIBLE_EXAMPLE, FakeFlexServer

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATED_PYTHON = [
    REPO_ROOT / "generated" / "python-pydantic",
    REPO_ROOT / "generated" / "python-dataclasses",
]

for _folder in reversed(GENERATED_PYTHON):
    _entry = str(_folder)
    if _entry in sys.path:
        sys.path.remove(_entry)
    sys.path.insert(0, _entry)


@pytest.fixture(scope="session")
def _fake_flex_server() -> Iterator[FakeFlexServer]:
    server = FakeFlexServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def flex_server(_fake_flex_server: FakeFlexServer) -> Iterator[FakeFlexServer]:
    """The shared server, with no recorded requests and no scripted replies."""
    _fake_flex_server.reset()
    yield _fake_flex_server
    _fake_flex_server.reset()


@pytest.fixture(scope="session")
def get_invoice_example() -> dict[str, Any]:
    with GET_INVOICE_EXAMPLE.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.fixture(scope="session")
def mark_uncollectible_example() -> dict[str, Any]:
    with MARK_UNCOLLECTIBLE_EXAMPLE.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data
