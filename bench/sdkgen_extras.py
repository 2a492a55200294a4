"""sdkgen alone: `--check` and regeneration on an unchanged tree, a one-schema edit, Flex in every style."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import procs
from bench.tools import OURS, REPO, sdkgen_command, tool_env

STYLES = ("python-pydantic", "python-dataclasses", "typescript-fetch")


@dataclass(frozen=True)
class Series:
    label: str
    runs: list[procs.Run]
    note: str = ""

    @property
    def wall(self) -> float | None:
        return procs.median_wall(self.runs)

    @property
    def rss_mb(self) -> float | None:
        return procs.peak_rss(self.runs)

    @property
    def failure(self) -> str:
        return procs.failure_of(self.runs)


Job = Callable[[int], procs.Run]


def _sdkgen(
    spec: Path, out: Path, cache: Path, timeout: float, style: str = "python-pydantic", check: bool = False
) -> procs.Run:
    command = sdkgen_command(style, *(["--check"] if check else []))(spec, out)
    return procs.measure(command, env=tool_env(OURS, cache), timeout=timeout)


def _prime(spec: Path, out: Path, cache: Path, timeout: float, style: str = "python-pydantic") -> str:
    """An untimed run that fills the cache and the output folder; '' or how it failed."""
    return _sdkgen(spec, out, cache, timeout, style).failure()


def check_and_regenerate(name: str, spec: Path, scratch: Path, runs: int, timeout: float) -> list[Series]:
    """`generate --check` against an unchanged tree, next to a plain regeneration of it (warm cache)."""
    scratch.mkdir(parents=True, exist_ok=True)
    out, cache = scratch / "check-out", scratch / "check-cache"
    failed = _prime(spec, out, cache, timeout)
    if failed:
        return [Series(f"{name}: first generation", [], f"sdkgen {failed}")]
    jobs: dict[str, Job] = {
        f"{name}: `generate --check`, unchanged tree": lambda _: _sdkgen(
            spec, out, cache, timeout, check=True
        ),
        f"{name}: regeneration, unchanged spec": lambda _: _sdkgen(spec, out, cache, timeout),
    }
    results = procs.round_robin(jobs, runs)
    shutil.rmtree(out, ignore_errors=True)
    return [Series(label, series) for label, series in results.items()]


def _edited(document: dict[str, Any], schema: str, index: int) -> dict[str, Any]:
    """The document with one schema's description changed (a shallow copy down the edited path)."""
    schemas = dict(document["components"]["schemas"])
    original = schemas[schema].get("description", "")
    schemas[schema] = {**schemas[schema], "description": f"{original} (edit {index})"}
    return {**document, "components": {**document["components"], "schemas": schemas}}


def one_schema_edit(spec: Path, scratch: Path, runs: int, timeout: float) -> Series:
    """Warm regeneration after changing the description of one schema of the spec."""
    scratch.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = json.loads(spec.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    schema = "customer" if "customer" in schemas else min(schemas)
    copy, out, cache = scratch / "edited.json", scratch / "edit-out", scratch / "edit-cache"
    copy.write_text(json.dumps(document, indent=2), encoding="utf-8")
    label = f"regeneration after editing the description of schema `{schema}`"
    failed = _prime(copy, out, cache, timeout)
    if failed:
        return Series(label, [], f"sdkgen {failed}")
    series: list[procs.Run] = []
    for index in range(runs):
        copy.write_text(json.dumps(_edited(document, schema, index + 1), indent=2), encoding="utf-8")
        series.append(_sdkgen(copy, out, cache, timeout))
    shutil.rmtree(out, ignore_errors=True)
    return Series(label, series)


def flex_styles(spec: Path, scratch: Path, runs: int, timeout: float) -> list[Series]:
    """Each style on the Flex spec, with a fresh cache per run and with a warm one."""
    scratch.mkdir(parents=True, exist_ok=True)
    jobs: dict[str, Job] = {}
    for style in STYLES:
        warm_cache = scratch / f"flex-{style}-warm"
        _prime(spec, scratch / f"flex-{style}-prime", warm_cache, timeout, style)
        jobs[f"{style}, cold"] = _flex_job(spec, scratch, style, timeout, warm=None)
        jobs[f"{style}, warm cache"] = _flex_job(spec, scratch, style, timeout, warm=warm_cache)
    results = procs.round_robin(jobs, runs)
    return [Series(label, series) for label, series in results.items()]


def _flex_job(spec: Path, scratch: Path, style: str, timeout: float, warm: Path | None) -> Job:
    def job(index: int) -> procs.Run:
        out = scratch / f"flex-{style}-out"
        shutil.rmtree(out, ignore_errors=True)
        cache = warm or scratch / f"flex-{style}-cold-{index}"
        return _sdkgen(spec, out, cache, timeout, style)

    return job


def sdkgen_version() -> str:
    """The commit sdkgen is measured at, and whether generator/ or templates/ had local changes."""
    git = ["git", "-C", str(REPO)]
    head = procs.run([*git, "rev-parse", "--short", "HEAD"], timeout=30)
    dirty = procs.run([*git, "status", "--porcelain", "generator", "templates"], timeout=30)
    commit = head.output.strip() if head.code == 0 else "unknown"
    return commit + (" + uncommitted changes in generator/ or templates/" if dirty.output.strip() else "")
