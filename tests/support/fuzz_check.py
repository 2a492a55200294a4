"""Import generated Python packages and look for planted payloads that escaped into code.

    python -m tests.support.fuzz_check DIR:PACKAGE [DIR:PACKAGE ...]

Prints `checking PACKAGE` before each (so a planted `os._exit(42)` that ran names its package),
then one JSON list of problems. Run in a subprocess: the code under test may try to exit.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

SENTINEL = "PWNED"


def escaped_names(source: str, path: str) -> list[str]:
    """Code a payload would add if it escaped its string or comment: `PWNED` bound or called, `os._exit`."""
    found = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Name) and node.id == SENTINEL:
            found.append(f"{path}:{node.lineno}: name {SENTINEL}")
        elif isinstance(node, ast.Attribute) and node.attr in ("_exit", SENTINEL):
            found.append(f"{path}:{node.lineno}: attribute {node.attr}")
    return found


def check_package(folder: Path, package: str) -> list[str]:
    sys.path.insert(0, str(folder))
    problems: list[str] = []
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        module = importlib.import_module(info.name)
        problems += _planted(module)
        problems += _build_models(module)
    return problems + _planted(root)


def _planted(module: Any) -> list[str]:
    spaces = [module, *(v for v in vars(module).values() if inspect.isclass(v))]
    return [f"{module.__name__}: {SENTINEL} defined" for space in spaces if hasattr(space, SENTINEL)]


def _build_models(module: Any) -> list[str]:
    problems = []
    for name, value in vars(module).items():
        if inspect.isclass(value) and value.__module__ == module.__name__ and hasattr(value, "model_rebuild"):
            try:
                value.model_rebuild(force=True)
            except Exception as exc:
                problems.append(f"{module.__name__}.{name}: {type(exc).__name__}: {exc}"[:500])
    return problems


def main(targets: list[str]) -> None:
    problems: list[str] = []
    for target in targets:
        folder, package = target.rsplit(":", 1)
        print(f"checking {package}", flush=True)
        try:
            problems += check_package(Path(folder), package)
        except Exception as exc:
            problems.append(f"{package}: {type(exc).__name__}: {exc}"[:500])
    print(json.dumps(problems))


if __name__ == "__main__":
    main(sys.argv[1:])
