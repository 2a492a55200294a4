"""Progress: per-phase timings of a run, on stderr when it is a terminal; silent otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Says each phase as it ends (`sdkgen: validate  0.12 s`), then the total, when `enabled`."""

    def __init__(self, enabled: bool = False, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        # The running line is overwritten by `\r` on a terminal only; in a file or a pipe it would
        # stay, and every phase would be said twice on one line.
        self._live = self.stream.isatty()
        self._started = time.perf_counter()

    @classmethod
    def auto(cls, wanted: bool | None) -> Progress:
        """On when asked for, off when asked not to be, else on exactly when stderr is a terminal."""
        return cls(sys.stderr.isatty() if wanted is None else wanted)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        if self.enabled and self._live:  # a long phase shows what it is doing while it runs
            self.stream.write(f"sdkgen: {name} ...\r")
            self.stream.flush()
        start = time.perf_counter()
        try:
            yield
        finally:
            self._said(name, time.perf_counter() - start)

    def done(self) -> None:
        if self.enabled:
            self.stream.write(f"sdkgen: {'total':<34} {time.perf_counter() - self._started:7.2f} s\n")
            self.stream.flush()

    def _said(self, name: str, seconds: float) -> None:
        if self.enabled:
            self.stream.write(f"sdkgen: {name:<34} {seconds:7.2f} s\n")
            self.stream.flush()
