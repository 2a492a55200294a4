"""Run a command in its own process group: wall time, peak RSS of its process tree, exit status."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

GNU_TIME = Path("/usr/bin/time")

# Used when /usr/bin/time is missing: the kernel's maxrss over the waited-for descendants, which is
# what GNU time reports too. Writes "<maxrss KiB>\n<exit status>" like `time -f "%M\n%x"`.
_RUSAGE_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n{code}\\n")
sys.exit(code)
"""


@dataclass(frozen=True)
class Run:
    """One measured run. `code` is None when the run was killed at its timeout."""

    wall: float
    rss_mb: float | None
    code: int | None
    tail: str  # the last lines of stdout and stderr, for failures

    @property
    def ok(self) -> bool:
        return self.code == 0

    def failure(self) -> str:
        """How the run failed, in a few words ('' when it did not)."""
        if self.code is None:
            return f"timed out after {self.wall:.0f} s"
        if self.code != 0:
            return f"crashed after {self.wall:.1f} s (exit {self.code})"
        return ""


def median_wall(runs: Sequence[Run]) -> float | None:
    """Median wall time of the successful runs."""
    good = [run.wall for run in runs if run.ok]
    return statistics.median(good) if good else None


def peak_rss(runs: Sequence[Run]) -> float | None:
    """The highest peak RSS of the successful runs, MiB."""
    peaks = [run.rss_mb for run in runs if run.ok and run.rss_mb is not None]
    return max(peaks) if peaks else None


def failure_of(runs: Sequence[Run]) -> str:
    """'' when every run succeeded; else how the first failed (and how many did)."""
    failed = [run.failure() for run in runs if not run.ok]
    if not failed:
        return ""
    return failed[0] if len(failed) == len(runs) else f"{len(failed)} of {len(runs)} runs: {failed[0]}"


def round_robin(jobs: Mapping[str, Callable[[int], Run]], runs: int) -> dict[str, list[Run]]:
    """Run each job `runs` times, one of each per round, rotating who goes first. label -> runs."""
    results: dict[str, list[Run]] = {label: [] for label in jobs}
    labels = list(jobs)
    for index in range(runs):
        shift = index % len(labels)
        for label in labels[shift:] + labels[:shift]:
            results[label].append(jobs[label](index))
    return results


@dataclass(frozen=True)
class Outcome:
    """An unmeasured helper command: exit status (None on timeout) and its combined output."""

    code: int | None
    output: str


def rss_method() -> str:
    if GNU_TIME.exists():
        return "GNU time (`/usr/bin/time`): the largest maxrss in the process tree"
    return "`getrusage(RUSAGE_CHILDREN).ru_maxrss` in a wrapper process: the largest in the tree"


def _wrapped(argv: Sequence[str], report: Path) -> list[str]:
    if GNU_TIME.exists():
        return [str(GNU_TIME), "-f", "%M\n%x", "-o", str(report), *argv]
    return [sys.executable, "-c", _RUSAGE_WRAPPER, str(report), *argv]


def _kill_group(pid: int, fired: threading.Event) -> None:
    fired.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _spawn(
    argv: Sequence[str], env: Mapping[str, str] | None, cwd: Path | None, timeout: float
) -> tuple[int | None, float, str]:
    """Run argv in a new session; kill its whole group at the timeout. -> (code, wall, output).

    The wait blocks in waitpid (`Popen.wait` with a timeout polls every 50 ms, too coarse for
    sub-second runs); a timer thread kills the group instead.
    """
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
        fired = threading.Event()
        timer = threading.Timer(timeout, _kill_group, args=(process.pid, fired))
        timer.start()
        try:
            code: int | None = process.wait()
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    return (None if fired.is_set() else code), wall, output


def _tail(output: str, lines: int = 3) -> str:
    kept = [line.strip() for line in output.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def _peak_rss_mb(report: Path) -> float | None:
    """The maxrss line of the report (GNU time puts a 'terminated by signal' line first)."""
    try:
        lines = report.read_text().split()
    except OSError:
        return None
    numbers = [line for line in lines if line.isdigit()]
    return int(numbers[-2]) / 1024 if len(numbers) >= 2 else None


def measure(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float
) -> Run:
    """Wall time and peak RSS of argv and its children."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "rusage"
        code, wall, output = _spawn(_wrapped(argv, report), env, cwd, timeout)
        return Run(wall, _peak_rss_mb(report), code, _tail(output) if code != 0 else "")


def run(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float
) -> Outcome:
    """A helper command, not measured."""
    code, _, output = _spawn(argv, env, cwd, timeout)
    return Outcome(code, output)


def checked(argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 600) -> str:
    """A helper command that must succeed; its output."""
    outcome = run(argv, env=env, timeout=timeout)
    if outcome.code != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({outcome.code}): {_tail(outcome.output, 10)}")
    return outcome.output
