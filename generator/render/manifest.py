"""Manifest: what a generated package was made from (hashes), so `--check` can say why it is stale."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.config import Target
from generator.render.style import BUILTIN_TEMPLATES, FileMap, Style
from generator.render.write import existing_files
from generator.spec.load import Workspace
from generator.versions import sdkgen_version

MANIFEST_FILE = ".sdkgen-manifest.json"
_GENERATOR_DIR = Path(__file__).resolve().parents[1]
# The modules whose code decides what the output is; the rest (cli, diff, mock, ...) cannot change it.
_OUTPUT_MODULES = (
    "spec/load.py",
    "model",
    "render/style.py",
    "render/macro_cache.py",
    "render/format.py",
    "render/languages",
)


@dataclass(frozen=True)
class Inputs:
    """Content hashes of everything an output depends on; no paths, no times, so it is portable."""

    generator_version: str
    generator: str
    spec: str
    templates: str
    config: str


def _digest(chunks: list[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "big") + chunk)
    return digest.hexdigest()


def _tree(root: Path) -> list[bytes]:
    if not root.is_dir():
        return []
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [chunk for p in files for chunk in (p.relative_to(root).as_posix().encode(), p.read_bytes())]


def _source(path: Path) -> list[bytes]:
    if path.is_dir():
        files = sorted(path.rglob("*.py"))
        return [c for p in files for c in (p.relative_to(_GENERATOR_DIR).as_posix().encode(), p.read_bytes())]
    return [path.relative_to(_GENERATOR_DIR).as_posix().encode(), path.read_bytes()]


def input_hashes(workspace: Workspace, style: Style, target: Target, template_dirs: list[Path]) -> Inputs:
    documents = sorted(workspace.documents, key=lambda d: str(d.path))
    spec_chunks = [c for d in documents for c in (d.path.name.encode(), d.text.encode())]
    template_chunks: list[bytes] = []
    for root in [*template_dirs, BUILTIN_TEMPLATES]:
        template_chunks += _tree(root / style.name)
        for shared in sorted(root.glob("_*")):
            template_chunks += _tree(shared)
    config = {"style": target.style, "package": target.package, "options": target.options}
    return Inputs(
        generator_version=sdkgen_version(),
        generator=_digest([c for name in _OUTPUT_MODULES for c in _source(_GENERATOR_DIR / name)]),
        spec=_digest(spec_chunks),
        templates=_digest(template_chunks),
        config=_digest([json.dumps(config, sort_keys=True, default=str).encode()]),
    )


def file_hash(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def with_manifest(files: FileMap, inputs: Inputs) -> FileMap:
    """The files plus the manifest that records their inputs and hashes."""
    manifest = {
        "generated_by": "sdkgen",
        "inputs": asdict(inputs),
        "files": {path: file_hash(text) for path, text in sorted(files.items())},
    }
    return {**files, MANIFEST_FILE: json.dumps(manifest, indent=2, sort_keys=True) + "\n"}


def _read_manifest(root: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def foreign_files(root: Path) -> list[str]:
    """Files in an output folder that sdkgen did not write: not in the folder's manifest (every file,
    when there is none). Writing the output replaces the folder, so these would be lost."""
    manifest = _read_manifest(root)
    recorded = {*(manifest.get("files") or {}), MANIFEST_FILE} if manifest is not None else set()
    return [path for path in existing_files(root) if path not in recorded]


_INPUT_NAMES = {
    "spec": "the spec changed",
    "generator": "the generator changed",
    "templates": "the templates changed",
    "config": "the target's configuration changed",
}


def explain(root: Path, files: FileMap) -> list[str]:
    """Why the folder differs from `files` (rendered with their manifest), in words."""
    old = _read_manifest(root)
    new = json.loads(files[MANIFEST_FILE])
    if old is None:
        return [
            "no sdkgen manifest on disk: the output was never generated here, or the manifest was removed"
        ]
    reasons = []
    old_inputs, new_inputs = old.get("inputs") or {}, new["inputs"]
    for key, words in _INPUT_NAMES.items():
        if old_inputs.get(key) != new_inputs[key]:
            detail = ""
            if key == "generator" and old_inputs.get("generator_version") != new_inputs["generator_version"]:
                detail = (
                    f" (version {old_inputs.get('generator_version')} -> {new_inputs['generator_version']})"
                )
            reasons.append(words + detail)
    recorded: dict[str, str] = old.get("files") or {}
    present = existing_files(root)
    for path, digest in sorted(recorded.items()):
        if path in present and file_hash(present[path].read_bytes()) != digest:
            reasons.append(f"edited by hand since it was generated: {path}")
    for path in sorted(set(files) - set(present)):
        reasons.append(f"missing: {path}")
    for path in sorted(set(present) - set(files)):
        reasons.append(f"extra (not generated): {path}")
    return reasons
