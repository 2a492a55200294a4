"""Where a cold sdkgen run on a large spec spends its time: cProfile, collapsed to what means something."""

from __future__ import annotations

import ast
import pstats
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import procs
from bench.tools import OURS, PROJECT_BIN, PYTHON_PACKAGE, REPO, tool_env

# (file, line, function) as pstats keys them.
Key = tuple[str, int, str]

_OWN = ("generator/", "templates/")
_TEMPLATE_NOTE = "The compiled Jinja template itself: its loops and output, apart from the filters it calls."

# Frames that only wrap the whole run, or that are interpreter plumbing.
_PLUMBING = ("<frozen ", "<string>", "<listcomp>", "<genexpr>", "sdkgen_main.py")
_WRAPPERS = {
    ("generator/cli.py", "main"),
    ("generator/cli.py", "_generate"),
    ("generator/cli.py", "<module>"),
}

# What a frame is, for the ones that have been seen at the top; others fall back to their module's docstring.
NOTES = {
    "generator/pipeline.py:load_spec": ("Load, validate and build the IR: all that comes before templates."),
    "generator/pipeline.py:render_target": ("Render one style's templates and format the output, in memory."),
    "generator/spec/validate.py:validate": (
        "Validation, in this process here (`generate` forks it beside the build, off the critical path): "
        "the OpenAPI schema check and sdkgen's own checks."
    ),
    "generator/spec/validate.py:_structure_errors": (
        "The document against the OpenAPI schema: jsonschema-rs, then jsonschema only for a document it "
        "rejects."
    ),
    "generator/spec/validate.py:_keyword_errors": (
        "openapi-spec-validator's checks of schemas, defaults and tags, walked over plain data "
        "(keyword_checks.py)."
    ),
    "generator/spec/keyword_checks.py:default_findings": (
        "Each `default` against its schema (openapi-schema-validator's OAS validators, in Python: GitHub "
        "has 2,430 defaults)."
    ),
    "generator/spec/validate.py:_own_errors": (
        "sdkgen's own checks: operationIds, path parameters; locating each problem in the source file "
        "costs most of it."
    ),
    "generator/spec/validate.py:_ref_errors": ("Every `$ref` resolves."),
    "generator/spec/ref_check.py:ref_errors": (
        "Every `$ref` resolves, no chain or allOf goes round in a circle."
    ),
    "generator/spec/load.py:locate": (
        "Maps a JSON pointer to `file:line:col`; the first call composes the YAML node tree of the file "
        "(PyYAML, pure Python) to know where everything is."
    ),
    "generator/spec/load.py:_compose": (
        "PyYAML's composer over the whole file, for line and column numbers."
    ),
    "generator/spec/load.py:open": ("Reads and parses the spec file(s)."),
    "generator/model/build.py:build_ir": ("Spec -> IR: names, types, unions, enums, operations."),
    "generator/model/build.py:build": ("Spec -> IR: names, types, unions, enums, operations."),
    "generator/model/build.py:operations": (
        "The operations of the IR: parameters, bodies, responses, errors."
    ),
    "generator/model/build.py:type_of": ("The IR type of a schema, recursing into inline schemas."),
    "generator/model/build.py:_claim": (
        "Claims a unique class name for an inline schema (collision suffixes)."
    ),
    "generator/render/style.py:render_style": (
        "Builds the language view and renders every template of the style."
    ),
    "generator/render/languages/python.py:py_docstring": (
        "Escapes and wraps spec text into a docstring; called for every model, field and operation."
    ),
    "generator/render/languages/python.py:python_view": (
        "The Python view of the IR: every name, annotation, import list and docstring the templates print."
    ),
    "generator/render/format.py:format_files": (
        "Formats the rendered Python (ruff in black's style, a subprocess)."
    ),
    "generator/render/write.py:write_atomic": ("Writes the files into a temporary folder, then swaps it in."),
    "generator/render/manifest.py:input_hashes": ("Hashes the inputs (spec, templates, generator modules)."),
    "openapi_spec_validator": (
        "openapi-spec-validator: the OpenAPI 3.0 JSON Schema, applied with jsonschema."
    ),
    "openapi_schema_validator": ("The OpenAPI dialect of JSON Schema, checking each schema object."),
    "jsonschema": ("jsonschema's validator walking the spec (called by openapi-spec-validator)."),
    "jsonschema_path": ("jsonschema-path: the lazy accessor openapi-spec-validator reads the spec through."),
    "jinja2": ("Jinja2 running the compiled templates."),
    "yaml": ("PyYAML (pure Python here): parsing or composing YAML nodes for source positions."),
    "json": ("The standard library's JSON parser."),
    "subprocess": ("Waiting for a child process (the formatter)."),
    "referencing": ("`$ref` resolution inside jsonschema."),
}


@dataclass(frozen=True)
class Row:
    name: str  # module:function, relative to the repo or site-packages
    cumulative: float
    own: float
    calls: int
    note: str


@dataclass(frozen=True)
class Profile:
    total: float
    rows: list[Row]
    wall: float
    failure: str = ""


def _short(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    path = Path(filename)
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else filename


def _library(short: str) -> str | None:
    """The top-level package of a third-party or standard-library frame, None for sdkgen's own."""
    if short.startswith(_OWN):
        return None
    return Path(short).parts[0].removesuffix(".py") if "/" in short else Path(short).stem


def _enclosing_docs(node: ast.AST, trail: list[str], function: str, line: int) -> list[str] | None:
    """The docstrings from the module down to the def of `function` at `line`, or None if not under node."""
    for child in ast.iter_child_nodes(node):
        here = trail
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            here = [*trail, ast.get_docstring(child) or ""]
            if not isinstance(child, ast.ClassDef) and child.name == function and child.lineno == line:
                return here
        found = _enclosing_docs(child, here, function, line)
        if found is not None:
            return found
    return None


def _source_doc(short: str, function: str, line: int) -> str:
    """The first paragraph of the function's docstring, else of the nearest enclosing one."""
    try:
        tree = ast.parse((REPO / short).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return ""
    module = [ast.get_docstring(tree) or ""]
    docs = _enclosing_docs(tree, module, function, line) or module
    doc = next((text for text in reversed(docs) if text), "")
    return " ".join(doc.split("\n\n", 1)[0].split())


def _note(short: str, function: str, line: int) -> str:
    library = _library(short)
    known = NOTES.get(f"{short}:{function}") or NOTES.get(library or "")
    if known:
        return known
    if short.startswith("templates/"):
        return _TEMPLATE_NOTE
    return _source_doc(short, function, line) if library is None else f"`{library}`"


def _is_plumbing(key: Key) -> bool:
    """Built-ins (pstats files them under '~'), interpreter frames, and the CLI's whole-run wrappers."""
    filename, _, function = key
    text = f"{filename}:{function}"
    return (
        filename == "~"
        or any(marker in text for marker in _PLUMBING)
        or (_short(filename), function) in _WRAPPERS
    )


def _ancestors(table: dict[Key, Any], key: Key, depth: int = 4) -> set[Key]:
    """The frames up to `depth` calls above this one."""
    found: set[Key] = set()
    frontier = [key]
    for _ in range(depth):
        frontier = [caller for frame in frontier for caller in table[frame][4] if caller in table]
        frontier = [caller for caller in dict.fromkeys(frontier) if caller not in found]
        found.update(frontier)
    return found


def collapse(stats: pstats.Stats, top: int) -> list[Row]:
    """The top frames by cumulative time, without plumbing, without a wrapper that only calls the frame above
    it (same time to within 3%), and with one frame per third-party package (its outermost)."""
    table = stats.stats  # type: ignore[attr-defined]
    ordered = sorted(table.items(), key=lambda item: item[1][3], reverse=True)
    kept: dict[Key, float] = {}
    libraries: set[str] = set()
    rows: list[Row] = []
    for key, (_, calls, own, cumulative, _callers_of) in ordered:
        short = _short(key[0])
        library = _library(short)
        if _is_plumbing(key) or (library is not None and library in libraries):
            continue
        if any(cumulative >= 0.97 * kept.get(frame, float("inf")) for frame in _ancestors(table, key)):
            kept[key] = cumulative  # a pass-through of a kept frame: its callees may still be wrappers
            continue
        kept[key] = cumulative
        if library is not None:
            libraries.add(library)
        rows.append(Row(f"{short}:{key[2]}", cumulative, own, calls, _note(short, key[2], key[1])))
        if len(rows) == top:
            break
    return rows


def profile_cold_run(spec: Path, scratch: Path, timeout: float, top: int = 15) -> Profile:
    scratch.mkdir(parents=True, exist_ok=True)
    out, cache, result = scratch / "profile-out", scratch / "profile-cache", scratch / "sdkgen.prof"
    # `python -m generator.cli` ends with os._exit, before cProfile could write its file: call `main`.
    script = scratch / "sdkgen_main.py"
    script.write_text("import sys\n\nfrom generator.cli import main\n\nsys.exit(main(sys.argv[1:]))\n")
    argv = [str(PROJECT_BIN / "python"), "-m", "cProfile", "-o", str(result), str(script), "generate"]
    argv += [str(spec), "--style", "python-pydantic", "--output", str(out), "--package", PYTHON_PACKAGE]
    # Validation in this process too: cProfile does not follow the child that runs it beside the build.
    env = {**tool_env(OURS, cache), "SDKGEN_ONE_PROCESS": "1"}
    run = procs.measure(argv, env=env, cwd=REPO, timeout=timeout)
    if not run.ok or not result.exists():
        return Profile(0.0, [], run.wall, f"sdkgen {run.failure()}: {run.tail}")
    stats = pstats.Stats(str(result))
    total: float = stats.total_tt  # type: ignore[attr-defined]
    return Profile(total, collapse(stats, top), run.wall)
