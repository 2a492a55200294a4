"""Cache: where sdkgen keeps what a later run can reuse, and how an entry is written."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """`$SDKGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/sdkgen`, else `~/.cache/sdkgen`."""
    root = (
        os.environ.get("SDKGEN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    )
    return Path(root) / "sdkgen"


def store(path: Path, data: bytes) -> None:
    """Write a cache entry whole or not at all (a temporary file, then a rename), so a reader never
    sees half of one; a cache that cannot be written (read-only, full) only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass
