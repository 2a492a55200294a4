"""Where the large real specs (Stripe, GitHub) come from, for the slow tests that read them.

They sit in `shared/bench/` beside the repository (read-only, never copied in), or wherever
`SDKGEN_BENCH_DIR` points. A missing spec fails the test that needs it, so a CI run that lost the
folder is red rather than quietly green; `SDKGEN_BENCH_OPTIONAL=1` turns that into a skip, for a
checkout that has no bench folder on purpose.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(os.environ.get("SDKGEN_BENCH_DIR") or ROOT.parent / "shared" / "bench")
STRIPE = "stripe-2022-03-29.json"
STRIPE_OLD = "stripe-2021-12-21.json"
GITHUB = "github-api.json"


def bench_path(name: str) -> Path:
    """The path a bench spec would have; does not check that it is there."""
    return BENCH_DIR / name


def bench_spec(name: str) -> Path:
    """The path of a bench spec; fails (or skips, with SDKGEN_BENCH_OPTIONAL=1) when it is missing."""
    path = bench_path(name)
    if path.is_file():
        return path
    message = f"{path} is missing: the bench specs sit in shared/bench/ beside the repository (or set SDKGEN_BENCH_DIR)"
    if os.environ.get("SDKGEN_BENCH_OPTIONAL") == "1":
        pytest.skip(message)
    pytest.fail(message)
