"""Small spec builders shared by the unit tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def spec(
    schemas: dict[str, Any] | None = None, paths: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A minimal valid OpenAPI 3.1 document."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Test API", "version": "1.0.0"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }
    document.update(extra)
    return document


def write_spec(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path
