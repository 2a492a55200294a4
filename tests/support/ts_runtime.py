"""The generated TypeScript runtime compiled with the real tsc, and a way to call its exported
encoders from Python in one `node` run per batch (so property tests stay fast)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
TSC = REPO_ROOT / "node_modules" / ".bin" / "tsc"
BATCH_SCRIPT = Path(__file__).with_name("encode_batch.mjs")


def compile_typescript(package: Path, workdir: Path) -> Path:
    """Compile a generated TypeScript package; returns its dist/runtime.js."""
    copy = workdir / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("node_modules", "dist"))
    result = subprocess.run(
        [str(TSC), "-p", str(copy / "tsconfig.json")], capture_output=True, text=True, timeout=180
    )
    if result.returncode != 0:
        raise RuntimeError(f"tsc failed:\n{result.stdout}{result.stderr}")
    return copy / "dist" / "runtime.js"


def run_batch(runtime: Path, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run encoder calls (`{"fn": name, "args": [...]}`) in node; each result is `{"value": ...}`
    or `{"error": class name, "message": ...}`. `{"$decode": text}` in a call's place asks for
    `qs.parse(text)` instead (see encode_batch.mjs)."""
    result = subprocess.run(
        ["node", str(BATCH_SCRIPT), runtime.as_uri()],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )
    if result.returncode != 0:
        raise RuntimeError(f"node failed:\n{result.stderr}")
    answers: list[dict[str, Any]] = json.loads(result.stdout)
    return answers
