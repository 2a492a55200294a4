"""Config: read `sdkgen.yaml` (the spec and its targets) into typed settings, refusing unknown keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Location, SpecError
from generator.spec.load import Document, join_pointer, load_document

CONFIG_FILE = "sdkgen.yaml"
CONFIG_KEYS = ("spec", "overlays", "templates", "targets")
TARGET_KEYS = ("style", "output", "package", "options")


@dataclass(frozen=True)
class Target:
    """One SDK to generate: a style, an output folder and a package name."""

    style: str
    output: Path
    package: str
    options: dict[str, Any] = field(default_factory=dict)
    # Where the target is written in the config file, for messages about it (None: from the CLI).
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Config:
    spec: Path
    targets: list[Target]
    templates: list[Path]
    overlays: list[Path] = field(default_factory=list)  # OpenAPI Overlays applied to the spec, in order


def _unknown_keys(document: Document, pointer: str, data: dict[str, Any], known: tuple[str, ...]) -> None:
    for key in data:
        if key not in known:
            where = document.locate(join_pointer(pointer, str(key)))
            raise SpecError.at(f"unknown key {str(key)!r}; expected one of: {', '.join(known)}", where)


def load_config(path: Path) -> Config:
    """Parse a config file; paths in it are relative to the file's folder. A key sdkgen does not
    know is an error, not silently ignored: a typo (`pakage:`) would otherwise drop a setting."""
    if not path.is_file():
        raise SpecError.at(
            "no config file (run `sdkgen init SPEC`, or pass SPEC --style --output --package)",
            Location(str(path)),
        )
    document = load_document(path)
    data = document.data
    if not isinstance(data, dict) or "spec" not in data or not isinstance(data.get("targets"), list):
        raise SpecError.at("expected a mapping with `spec` and a list of `targets`", document.locate(""))
    _unknown_keys(document, "", data, CONFIG_KEYS)
    base = path.parent
    targets = []
    for index, raw in enumerate(data["targets"]):
        pointer = f"/targets/{index}"
        if not isinstance(raw, dict) or not {"style", "output", "package"} <= raw.keys():
            raise SpecError.at(
                f"targets[{index}] needs `style`, `output` and `package`", document.locate(pointer)
            )
        _unknown_keys(document, pointer, raw, TARGET_KEYS)
        options = raw.get("options") or {}
        if not isinstance(options, dict):
            raise SpecError.at(
                f"targets[{index}].options must be a mapping", document.locate(pointer + "/options")
            )
        targets.append(
            Target(
                str(raw["style"]),
                base / str(raw["output"]),
                str(raw["package"]),
                {str(k): v for k, v in options.items()},
                document.locate(pointer),
            )
        )
    templates = data.get("templates") or []
    if not isinstance(templates, list):
        raise SpecError.at("`templates` must be a list of folders", document.locate("/templates"))
    overlays = data.get("overlays") or []
    if not isinstance(overlays, list) or not all(isinstance(o, str) and o for o in overlays):
        raise SpecError.at("`overlays` must be a list of overlay files", document.locate("/overlays"))
    return Config(
        base / str(data["spec"]),
        targets,
        [base / str(t) for t in templates],
        [base / overlay for overlay in overlays],
    )
