"""Every generator on every spec, round-robin, several runs each; then lines and imports of the output."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bench import outputs, procs
from bench.tools import Spec, Tool, tool_env


@dataclass
class Cell:
    """The results of one tool on one spec."""

    tool: Tool
    spec: Spec
    runs: list[procs.Run] = field(default_factory=list)
    lines: int | None = None
    verdict: outputs.Verdict | None = None
    skipped: str = ""  # why the tool did not run at all

    @property
    def good(self) -> list[procs.Run]:
        return [run for run in self.runs if run.ok]

    @property
    def failure(self) -> str:
        return procs.failure_of(self.runs)

    @property
    def wall(self) -> float | None:
        return procs.median_wall(self.runs)

    @property
    def rss_mb(self) -> float | None:
        return procs.peak_rss(self.runs)


@dataclass(frozen=True)
class Settings:
    runs: int
    timeout: float
    scratch: Path


def _cache_dir(cell: Cell, settings: Settings, run_index: int) -> Path | None:
    if cell.tool.cache == "none":
        return None
    slug = _slug(cell)
    if cell.tool.cache == "warm":
        return settings.scratch / "cache" / slug  # kept: the untimed warm-up run fills it
    path = settings.scratch / "cache" / f"{slug}-run{run_index}"
    shutil.rmtree(path, ignore_errors=True)
    return path


def _slug(cell: Cell) -> str:
    text = f"{cell.spec.name}-{cell.tool.name}".lower()
    return "".join(c if c.isalnum() else "-" for c in text)


def _output_dir(cell: Cell, settings: Settings, fresh: bool = True) -> Path:
    path = settings.scratch / "out" / _slug(cell)
    if fresh:
        shutil.rmtree(path, ignore_errors=True)
    return path


def run_once(cell: Cell, spec_copy: Path, settings: Settings, run_index: int) -> procs.Run:
    out = _output_dir(cell, settings)
    env = tool_env(cell.tool, _cache_dir(cell, settings, run_index))
    run = procs.measure(cell.tool.command(spec_copy, out), env=env, timeout=settings.timeout)
    if run.ok and cell.tool.finish is not None:
        cell.tool.finish(out)
    return run


def _timed_out(cell: Cell) -> bool:
    return any(run.code is None for run in cell.runs)


def _warm_up(cells: list[Cell], specs: dict[Spec, Path], settings: Settings) -> None:
    for cell in cells:
        if cell.tool.cache == "warm":
            print(f"  warm-up (untimed): {cell.tool.name} on {cell.spec.name}", flush=True)
            run_once(cell, specs[cell.spec], settings, run_index=-1)


def _round(cells: list[Cell], specs: dict[Spec, Path], settings: Settings, index: int) -> None:
    """One run of every tool; the order rotates between rounds so no tool always goes first."""
    shift = index % len(cells)
    for cell in cells[shift:] + cells[:shift]:
        if cell.skipped or _timed_out(cell):  # a tool that timed out once is not made to again
            continue
        run = run_once(cell, specs[cell.spec], settings, index)
        cell.runs.append(run)
        rss = f"{run.rss_mb:.0f} MB" if run.rss_mb is not None else "? MB"
        status = run.failure() or f"{run.wall:.2f} s, {rss}"
        print(f"  run {index + 1}/{settings.runs} {cell.spec.name} / {cell.tool.name}: {status}", flush=True)
        if run.tail:
            print(f"    {run.tail[:400]}", flush=True)


def _inspect(cell: Cell, spec_copy: Path, settings: Settings) -> None:
    """Lines and import check of the last run's output (made again, untimed, if that run failed)."""
    if not cell.good:
        return
    out = _output_dir(cell, settings, fresh=False)
    if not cell.runs[-1].ok:
        run = run_once(cell, spec_copy, settings, run_index=len(cell.runs))
        if not run.ok:
            cell.verdict = outputs.Verdict(False, f"the output could not be made again: {run.failure()}")
            return
    cell.lines = outputs.count_lines(out)
    cell.verdict = outputs.check_output(cell.tool, out, settings.timeout)
    print(
        f"  {cell.spec.name} / {cell.tool.name}: {cell.lines} lines, imports: {cell.verdict.cell()}",
        flush=True,
    )


def run_matrix(
    tools: list[Tool], specs: dict[Spec, Path], settings: Settings, unavailable: dict[str, str]
) -> list[Cell]:
    """Round-robin over the tools, spec by spec; `unavailable` maps a tool name to why it is skipped."""
    cells: list[Cell] = []
    for spec, copy in specs.items():
        row = [Cell(tool, spec, skipped=unavailable.get(tool.name, "")) for tool in tools]
        print(f"{spec.name}: {len(row)} tools x {settings.runs} runs", flush=True)
        _warm_up([cell for cell in row if not cell.skipped], specs, settings)
        for index in range(settings.runs):
            _round(row, specs, settings, index)
        for cell in row:
            _inspect(cell, copy, settings)
        shutil.rmtree(settings.scratch / "out", ignore_errors=True)
        cells += row
    return cells
