"""Write and compare: put a FileMap on disk atomically, or diff it against what is there."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.render.style import FileMap

# Folders that tools create beside generated code; they are never generated, never compared.
IGNORED_DIRS = frozenset(
    {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "node_modules", "dist"}
)


def existing_files(root: Path) -> dict[str, Path]:
    """Relative path -> file, for every file under root except tool caches."""
    result: dict[str, Path] = {}
    if not root.is_dir():
        return result
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            result[path.relative_to(root).as_posix()] = path
    return result


@dataclass(frozen=True)
class Difference:
    """One way the disk differs from what the generator renders."""

    path: str
    kind: str  # "changed", "missing" or "extra"
    diff: str = ""


def compare(root: Path, files: FileMap) -> list[Difference]:
    """What differs between the rendered files and the folder (empty when current)."""
    present = existing_files(root)
    differences: list[Difference] = []
    for path, text in files.items():
        if path not in present:
            differences.append(Difference(path, "missing"))
            continue
        try:
            current = present[path].read_text(encoding="utf-8")
        except UnicodeDecodeError:
            current = ""
        if current != text:
            diff = "".join(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{root.as_posix()}/{path} (on disk)",
                    tofile=f"{root.as_posix()}/{path} (generated)",
                )
            )
            differences.append(Difference(path, "changed", diff))
    differences.extend(Difference(path, "extra") for path in present if path not in files)
    return sorted(differences, key=lambda d: d.path)


def output_problem(root: Path) -> str | None:
    """Why generated files cannot go to `root`, or None: it is a file, or the folder it would be
    created in cannot be written. Probed for real (a folder made and removed), since permission bits
    do not tell root, read-only mounts or /sys apart."""
    if root.exists() and not root.is_dir():
        return "is a file, not a folder"
    ancestor = root.absolute().parent  # write_atomic stages the new folder beside `root`
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{ancestor} is a file, not a folder"
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".sdkgen-probe-", dir=ancestor))
    except OSError as error:
        return f"cannot write in {ancestor}: {error.strerror}"
    return None


def write_atomic(root: Path, files: FileMap) -> None:
    """Write all files into a temporary sibling folder, then swap it in for `root`.

    A failure part-way leaves the old output as it was; files outside the FileMap are removed.
    """
    root = root.resolve()
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-", dir=root.parent))
    try:
        for path, text in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _keep_tool_dirs(root, staging)
    old = root.parent / f".{root.name}.old-{os.getpid()}"
    if root.exists():
        root.rename(old)
    try:
        staging.rename(root)
    except BaseException:
        if old.exists():
            old.rename(root)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _keep_tool_dirs(root: Path, staging: Path) -> None:
    # node_modules and the like are expensive to recreate; carry them over to the new folder.
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and child.name in {"node_modules"}:
            child.rename(staging / child.name)
