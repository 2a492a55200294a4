"""Render cache: what a template macro printed for given arguments, kept from one run to the next.

A template asks for it with `{{ cached(pm.model_class, model) }}`: the macro runs only for argument
values it has not printed before, so a one-schema edit re-renders one model, not all of them. A macro
cannot see its caller's variables (templates import them without context), so its output depends on
its arguments, the templates and the generator's code only: the arguments' `repr` (views are plain
dataclasses, compared by value) is the key, and the rest is the `salt`, which the caller derives from
the templates, the generator's modules and the target's configuration. Arguments whose `repr` is not
their value (`<... object at 0x...>`) are never cached.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from generator.cache import store

_FORMAT = b"sdkgen-render-cache-1"


class RenderCache:
    """One target's macro outputs: read from `path` (if given) at the start, written back by `save`."""

    def __init__(self, path: Path | None, salt: str, bytecode: jinja2.BytecodeCache | None = None) -> None:
        self.path = path
        self.bytecode = bytecode  # Jinja's own cache of compiled templates, beside this one
        self._salt = salt.encode()
        self._old: dict[str, str] = _read(path) if path is not None else {}
        self._used: dict[str, str] = {}
        self.hits = 0
        self.misses = 0

    def call(self, macro: Callable[..., Any], *args: Any) -> str:
        """`macro(*args)`, from the cache when it printed the same before."""
        shown = repr(args)
        if " object at 0x" in shown:  # no faithful key: render every time
            return str(macro(*args))
        name = getattr(macro, "name", "") + "\0" + _source_of(macro)
        key = hashlib.blake2b(self._salt + name.encode() + b"\0" + shown.encode(), digest_size=20).hexdigest()
        text = self._used.get(key) or self._old.get(key)
        if text is None:
            text = str(macro(*args))
            self.misses += 1
        else:
            self.hits += 1
        self._used[key] = text
        return text

    def save(self) -> None:
        """Keep what this run used (so the file holds one output's worth), if anything changed."""
        if self.path is not None and (self.misses or len(self._used) != len(self._old)):
            store(self.path, _FORMAT + marshal.dumps(self._used))


def uncached(macro: Callable[..., Any], *args: Any) -> str:
    """What `cached` is when the cache is off."""
    return str(macro(*args))


def _source_of(macro: Callable[..., Any]) -> str:
    function = getattr(macro, "_func", None)
    code = getattr(function, "__code__", None)
    return f"{code.co_filename}:{code.co_firstlineno}" if code is not None else ""


def _read(path: Path) -> dict[str, str]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(_FORMAT):
        return {}
    try:
        loaded = marshal.loads(data[len(_FORMAT) :])
    except (EOFError, ValueError, TypeError):
        return {}  # a damaged cache file is a cold cache
    return loaded if isinstance(loaded, dict) else {}
