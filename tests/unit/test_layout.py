"""The package layout shows the pipeline: each stage and tool a subpackage, arrows pointing down only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "generator"

# What each part of generator/ may import (besides itself). Stages: spec -> model -> render, with
# the small shared plumbing below everything; the tools (diff, drift, mock) use the stages and the
# pipeline, never the CLI nor each other.
PLUMBING = {"errors", "cache", "fork", "progress", "versions"}
ALLOWED: dict[str, set[str]] = {
    "plumbing": set(),
    "spec": {"plumbing"},
    "config": {"plumbing", "spec"},
    "wire": {"plumbing", "spec"},
    "model": {"plumbing", "spec"},
    "render": {"plumbing", "spec", "model", "config"},
    "pipeline": {"plumbing", "spec", "model", "render", "config"},
    "diff": {"plumbing", "spec", "model"},
    "drift": {"plumbing", "spec", "wire", "model", "render", "config", "pipeline"},
    "mock": {"plumbing", "spec", "wire", "model", "render", "config", "pipeline"},
    "scaffold": {"plumbing", "spec", "model", "render", "config"},
    "cli": {
        "plumbing",
        "spec",
        "wire",
        "model",
        "render",
        "config",
        "pipeline",
        "diff",
        "drift",
        "mock",
        "scaffold",
    },
    "__main__": {"cli"},
}


def _part(module: str) -> str:
    """`generator.spec.load` -> `spec`; `generator.errors` -> `plumbing`."""
    top = module.split(".")[1] if "." in module else ""
    return "plumbing" if top in PLUMBING else top


def _modules() -> list[Path]:
    return sorted(p for p in GENERATOR.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every `generator.*` module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("generator."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            if node.module == "generator":
                found.update(f"generator.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return found


def test_every_module_belongs_to_a_known_part() -> None:
    unknown = {_name(p) for p in _modules() if _name(p) != "generator" and _part(_name(p)) not in ALLOWED}
    assert not unknown, f"modules outside the layout (add them to a part in test_layout.py): {unknown}"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_imports_point_down_only(path: Path) -> None:
    name = _name(path)
    if name == "generator":
        return
    part = _part(name)
    wrong = sorted(
        f"{imported} ({_part(imported)})"
        for imported in _imports(path)
        if _part(imported) != part and _part(imported) not in ALLOWED[part]
    )
    assert not wrong, f"{name} ({part}) may not import {wrong}"


def test_each_subpackage_says_what_it_is_and_exports() -> None:
    for init in sorted(GENERATOR.rglob("__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring.splitlines()) >= 1, f"{init} has no docstring"
        modules = sorted(p.stem for p in init.parent.glob("*.py") if p.stem != "__init__")
        if init.parent != GENERATOR:
            missing = [m for m in modules if f"`{m}`" not in docstring]
            assert not missing, f"{init}: the docstring does not name {missing}"


def test_the_layering_check_catches_an_upward_import(tmp_path: Path) -> None:
    """The check itself: a spec module importing the model is refused."""
    bad = tmp_path / "bad.py"
    bad.write_text("from generator.model.ir import ApiIR\n")
    assert _imports(bad) == {"generator.model.ir"}
    assert "model" not in ALLOWED["spec"]
