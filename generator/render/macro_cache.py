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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.filters import do_indent

from generator.cache import Table

_FORMAT = b"sdkgen-render-cache-2\n"


class RenderCache:
    """One target's macro outputs: read from `path` (if given) at the start, kept by `save`."""

    def __init__(self, path: Path | None, salt: str, bytecode: jinja2.BytecodeCache | None = None) -> None:
        self.path = path
        self.bytecode = bytecode  # Jinja's own cache of compiled templates, beside this one
        self._salt = salt.encode()
        self._table = Table(path, _FORMAT)
        self.hits = 0
        self.misses = 0

    def call(self, macro: Callable[..., Any], *args: Any, indent: int = 0) -> str:
        """`macro(*args)`, from the cache when it printed the same before; with `indent`, its lines
        after the first indented as Jinja's `indent` filter does (kept indented in the cache)."""
        shown = repr(args)
        if " object at 0x" in shown:  # no faithful key: render every time
            return uncached(macro, *args, indent=indent)
        name = f"{getattr(macro, 'name', '')}\0{_source_of(macro)}\0{indent}"
        key = hashlib.blake2b(self._salt + name.encode() + b"\0" + shown.encode(), digest_size=20).hexdigest()
        text = self._table.get(key)
        if text is None:
            text = uncached(macro, *args, indent=indent)
            self.misses += 1
        else:
            self.hits += 1
        self._table.put(key, text)
        return text

    def save(self) -> None:
        """Keep what this run used (new outputs are appended; see `cache.Table`)."""
        self._table.save()


def uncached(macro: Callable[..., Any], *args: Any, indent: int = 0) -> str:
    """What `cached` is when the cache is off."""
    text = str(macro(*args))
    return do_indent(text, indent) if indent else text


def _source_of(macro: Callable[..., Any]) -> str:
    function = getattr(macro, "_func", None)
    code = getattr(function, "__code__", None)
    return f"{code.co_filename}:{code.co_firstlineno}" if code is not None else ""
