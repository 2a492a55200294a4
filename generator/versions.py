"""Versions: an installed distribution's version, from its `.dist-info` folder's name.

`importlib.metadata` costs 15 ms to import (it parses METADATA files with the email package), a
tenth of a small run; a wheel-installed distribution's folder is named `{name}-{version}.dist-info`
with the name normalised, so a directory listing answers. Anything else falls back to it.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache


@cache
def version(distribution: str) -> str:
    """The installed version of `distribution` (e.g. "jinja2" -> "3.1.6")."""
    wanted = _normalised(distribution)
    for entry in sys.path:
        for name in _listing(entry):
            stem, dash, rest = name.partition("-")
            if dash and name.endswith(".dist-info") and _normalised(stem) == wanted:
                return rest.removesuffix(".dist-info")
    import importlib.metadata  # an egg, a zip or an unusual layout

    return importlib.metadata.version(distribution)


@cache
def _listing(entry: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(entry or ".")))
    except OSError:
        return ()


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def sdkgen_version() -> str:
    """sdkgen's own version: its installed distribution's, or "0+unknown" when run from a checkout
    that is not installed."""
    try:
        return version("sdkgen")
    except ImportError:  # importlib.metadata's PackageNotFoundError
        return "0+unknown"
