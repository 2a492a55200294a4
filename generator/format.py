"""Format: run a style's formatter (black for Python) over a FileMap, cached by content hash."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from pathlib import Path

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from generator.render import FileMap

_BLACK_VERSION = importlib.metadata.version("black")
_MODE = Mode(target_versions={TargetVersion.PY311})


def cache_dir() -> Path:
    root = (
        os.environ.get("SDKGEN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    )
    return Path(root) / "sdkgen" / f"black-{_BLACK_VERSION}"


def _format_python(text: str, cache: Path | None) -> str:
    key = hashlib.sha256(text.encode()).hexdigest()
    entry = cache / key[:2] / key if cache else None
    if entry is not None and entry.is_file():
        return entry.read_text(encoding="utf-8")
    try:
        formatted = black.format_str(text, mode=_MODE)
    except InvalidInput as exc:
        raise RuntimeError(f"a template produced invalid Python: {exc}") from exc
    if entry is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(formatted, encoding="utf-8")
            tmp.replace(entry)
        except OSError:
            pass  # a read-only cache only costs speed
    return formatted


def format_files(files: FileMap, formatter: str | None, use_cache: bool = True) -> FileMap:
    """Format every file the formatter owns; other files pass through unchanged."""
    if formatter != "black":
        return files
    cache = cache_dir() if use_cache else None
    return {
        path: _format_python(text, cache) if path.endswith(".py") else text for path, text in files.items()
    }
