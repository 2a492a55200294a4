"""The generated Go runtime's encoders called from Python: a copy of the generated package gets
encode_batch_test.go (which can reach the unexported encoders) and one `go test` run answers a
whole batch of calls (so the encoding table and property tests stay fast)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from tests.support.go import run_go

BATCH_TEST = Path(__file__).with_name("encode_batch_test.go")


def go_package_copy(package: Path, workdir: Path) -> Path:
    """A copy of a generated Go module with the batch test in it, in its own package."""
    copy = workdir / package.name
    shutil.copytree(package, copy)
    name = re.search(r"^package (\w+)", (package / "client.go").read_text(encoding="utf-8"), re.M)
    assert name is not None, "client.go has no package clause"
    source = BATCH_TEST.read_text(encoding="utf-8").replace("package flex\n", f"package {name[1]}\n", 1)
    (copy / "encode_batch_test.go").write_text(source, encoding="utf-8")
    return copy


def run_go_batch(module: Path, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Answers of the encoder calls (`{"fn": name, "args": [...]}`): `{"value": ...}` or
    `{"error": "EncodingError", "message": ...}` each, in order."""
    calls_file, answers_file = module / "calls.json", module / "answers.json"
    calls_file.write_text(json.dumps(calls), encoding="utf-8")
    done = run_go(
        ["test", "-count=1", "-run", "^TestEncodeBatch$", "."],
        module,
        env={"ENCODE_BATCH_IN": str(calls_file), "ENCODE_BATCH_OUT": str(answers_file)},
    )
    if done.returncode != 0:
        raise RuntimeError(f"go test failed:\n{done.stdout}{done.stderr}")
    answers: list[dict[str, Any]] = json.loads(answers_file.read_text(encoding="utf-8"))
    return answers
