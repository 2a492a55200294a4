"""Config: read `sdkgen.yaml` (the spec and its targets) into typed settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Location, SpecError
from generator.spec.load import read_settings

CONFIG_FILE = "sdkgen.yaml"


@dataclass(frozen=True)
class Target:
    """One SDK to generate: a style, an output folder and a package name."""

    style: str
    output: Path
    package: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    spec: Path
    targets: list[Target]
    templates: list[Path]


def _fail(message: str, path: Path) -> SpecError:
    return SpecError.at(message, Location(str(path)))


def load_config(path: Path) -> Config:
    """Parse a config file; paths in it are relative to the file's folder."""
    if not path.is_file():
        raise _fail(f"no config file (create {CONFIG_FILE} or pass SPEC --style --output --package)", path)
    try:
        data = read_settings(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise _fail(f"invalid YAML: {exc}", path) from None
    if not isinstance(data, dict) or "spec" not in data or not isinstance(data.get("targets"), list):
        raise _fail("expected a mapping with `spec` and a list of `targets`", path)
    base = path.parent
    targets = []
    for index, raw in enumerate(data["targets"]):
        if not isinstance(raw, dict) or not {"style", "output", "package"} <= raw.keys():
            raise _fail(f"targets[{index}] needs `style`, `output` and `package`", path)
        options = raw.get("options") or {}
        if not isinstance(options, dict):
            raise _fail(f"targets[{index}].options must be a mapping", path)
        targets.append(Target(str(raw["style"]), base / str(raw["output"]), str(raw["package"]), options))
    templates = [base / str(t) for t in data.get("templates") or []]
    return Config(base / str(data["spec"]), targets, templates)
