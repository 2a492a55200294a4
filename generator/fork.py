"""Fork: compute a function's result in a forked child, on the machine's other core, meanwhile."""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Whether a child may be forked here: POSIX, no other thread (whose locks a child could inherit
    held), and not `SDKGEN_ONE_PROCESS=1` (a profiler sees only the process it runs in)."""
    return (
        hasattr(os, "fork") and threading.active_count() == 1 and os.environ.get("SDKGEN_ONE_PROCESS") != "1"
    )


class Child:
    """A result being computed in a forked child: `result` waits for it."""

    def __init__(self, pid: int, reader: int) -> None:
        self._pid: int | None = pid
        self._reader = reader

    def result(self) -> tuple[bool, Any]:
        """`(True, value)`, or `(False, what went wrong)` when the child raised or died first."""
        if self._pid is None:
            raise RuntimeError("the child's result was taken already")
        with os.fdopen(self._reader, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(self._pid, 0)
        self._pid = None
        if not payload:
            return False, "the child ended without a result"
        ok, value = pickle.loads(payload)
        return bool(ok), value

    def cancel(self) -> None:
        """Stop the child and reap it: its result is no longer wanted."""
        if self._pid is None:
            return
        os.kill(self._pid, signal.SIGKILL)
        os.close(self._reader)
        os.waitpid(self._pid, 0)
        self._pid = None


def start(function: Callable[[], Any]) -> Child:
    """Run `function()` in a forked child (the caller checks `can_fork` first); its result, or what
    it raised, comes back pickled through a pipe. The child leaves with `os._exit`: it never runs the
    parent's exit code or flushes the parent's buffered output a second time."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        try:
            try:
                payload = pickle.dumps((True, function()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as error:
                payload = pickle.dumps((False, f"{type(error).__name__}: {error}"))
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(writer)
    return Child(pid, reader)
