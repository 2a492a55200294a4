"""Safety of generated code: random specs full of hostile strings either generate or fail with a clear
error, and no spec string ever escapes the string, comment or identifier it was put in.

For each spec (hypothesis, derandomised so CI is reproducible) every style is generated through the
CLI; every Python file must compile and hold no planted name. The costly checks are batched after
the run: one subprocess imports every Python package (a planted `os._exit(42)` would end it with
42), one `mypy --strict` checks them all, one `tsc --strict` compiles every TypeScript package (a
planted `PWNED(...)` or `process.exit(42)` is an undeclared name to it) and node runs each
compiled `index.js`.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from generator.cli import main
from tests.support.fuzz_check import escaped_names
from tests.support.go import run_go
from tests.support.go import tool as go_tool
from tests.support.hostile_specs import EXIT_CODE, specs

ROOT = Path(__file__).resolve().parents[3]
TSC = ROOT / "node_modules" / ".bin" / "tsc"
NODE = shutil.which("node")
STYLES = {"python-pydantic": "pd", "python-dataclasses": "dc", "typescript-fetch": "ts", "go-nethttp": "go"}
# A message line: `file[:line[:col]]: error|warning: text`.
MESSAGE = re.compile(r"^\S.*?(:\d+(:\d+)?)?: (error|warning): .*$")


@dataclass
class Batch:
    """What the run generated, for the batched checks."""

    root: Path
    count: int = 0
    rejected: int = 0
    python: list[str] = field(default_factory=list)  # DIR:PACKAGE
    typescript: list[Path] = field(default_factory=list)
    go: list[Path] = field(default_factory=list)
    specs: dict[str, Any] = field(default_factory=dict)  # package prefix -> the spec, to show on failure


def _write_spec(folder: Path, spec: dict[str, Any], as_yaml: bool) -> Path:
    """JSON (any string survives it), or YAML when asked and YAML can carry every string of the spec."""
    text = json.dumps(spec, ensure_ascii=True, indent=1)
    if as_yaml and not re.search(r"\\ud[89a-f]", text):  # no lone surrogates
        with contextlib.suppress(yaml.YAMLError, UnicodeEncodeError):
            path = folder / "spec.yaml"
            path.write_text(yaml.safe_dump(spec, allow_unicode=False), encoding="utf-8")
            return path
    path = folder / "spec.json"
    path.write_text(text, encoding="utf-8")
    return path


def _config(folder: Path, spec: Path, prefix: str) -> Path:
    targets = [
        {"style": style, "output": style, "package": f"{prefix}_{short}"} for style, short in STYLES.items()
    ]
    targets[2]["package"] = f"{prefix}-ts"
    targets[3]["package"] = f"{prefix}go"  # a Go package name is one lowercase word
    config = folder / "sdkgen.yaml"
    config.write_text(yaml.safe_dump({"spec": spec.name, "targets": targets}), encoding="utf-8")
    return config


def _generate(config: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["generate", "--config", str(config), "--no-cache"])
    return code, err.getvalue()


def _check_python_sources(folder: Path) -> None:
    for path in sorted(folder.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        compile(source, str(path), "exec", dont_inherit=True)
        assert escaped_names(source, str(path)) == []


def generate_one(batch: Batch, spec: dict[str, Any]) -> None:
    prefix = f"fz{batch.count}"
    batch.count += 1
    folder = batch.root / prefix
    folder.mkdir()
    code, err = _generate(_config(folder, _write_spec(folder, spec, batch.count % 2 == 0), prefix))
    assert code in (0, 2), err  # 3 would be an internal error: a crash on bad input
    assert "Traceback" not in err
    for line in err.split("\n")[:-1]:  # printable: no raw line break, control code or bidi override
        assert MESSAGE.match(line) and line.isprintable(), repr(line)
    if code == 2:
        assert ": error: " in err
        batch.rejected += 1
        return
    _check_python_sources(folder)
    batch.specs[prefix] = spec
    batch.python += [
        f"{folder / style}:{prefix}_{short}" for style, short in STYLES.items() if short not in ("ts", "go")
    ]
    batch.typescript.append(folder / "typescript-fetch")
    batch.go.append(folder / "go-nethttp")


def run_batch_checks(batch: Batch) -> None:
    assert batch.count - batch.rejected >= batch.count // 3, "most specs were rejected: the strategy is off"
    _import_python(batch)
    _type_check_python(batch)
    if TSC.is_file() and NODE:
        _compile_and_run_typescript(batch)
    _vet_go(batch)


def _vet_go(batch: Batch) -> None:
    """gofmt and `go vet` (a full type check) over every Go module at once, in one workspace: a
    payload that escaped would be code calling the undeclared `PWNED`. Each module gets a path of its
    own first (two specs may share a title, so their default module paths)."""
    if not batch.go:
        return
    patterns = []
    for index, module in enumerate(batch.go):
        go_mod = module / "go.mod"
        text = go_mod.read_text(encoding="utf-8")
        go_mod.write_text(
            re.sub(r"^module \S+", f"module fz{index}.test/sdk", text, flags=re.M), encoding="utf-8"
        )
        patterns.append(f"fz{index}.test/sdk/...")
        fmt = subprocess.run(
            [go_tool("gofmt"), "-l", str(module)], capture_output=True, text=True, timeout=120
        )
        assert fmt.returncode == 0 and fmt.stdout == "", fmt.stdout + fmt.stderr
    uses = "\n".join(f"\t./{m.relative_to(batch.root).as_posix()}" for m in batch.go)
    (batch.root / "go.work").write_text(f"go 1.23\n\nuse (\n{uses}\n)\n", encoding="utf-8")
    done = run_go(["vet", *patterns], batch.root, timeout=600, workspace=True)
    assert done.returncode == 0, (done.stdout + done.stderr)[-5000:]


def _import_python(batch: Batch) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.fuzz_check", *batch.python],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    last = (done.stdout.strip().splitlines() or ["?"])[-1]
    assert done.returncode != EXIT_CODE, f"a planted os._exit ran while {last}"
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(last) == []


def _type_check_python(batch: Batch) -> None:
    """`mypy --strict` over every package at once: a spec name that shadows a name the code uses (a
    parameter called `str`, a method called `list`) is an identifier out of its place too."""
    folders = [target.rsplit(":", 1) for target in batch.python]
    packages = [str(Path(folder) / package) for folder, package in folders]
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(batch.root / ".mypy"), *packages]
    done = subprocess.run(command, capture_output=True, text=True, cwd=batch.root, timeout=600)
    assert done.returncode == 0, done.stdout[-5000:]


def _compile_and_run_typescript(batch: Batch) -> None:
    """One tsc run over every package (a tsconfig that includes them all), then node on each index.js."""
    config = {
        "compilerOptions": {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "lib": ["ES2022", "DOM"],
            "strict": True,
            "noUnusedLocals": True,
            "noUnusedParameters": True,
            "noImplicitReturns": True,
            "skipLibCheck": True,
            "rootDir": ".",
            "outDir": "dist",
        },
        "include": [f"{p.relative_to(batch.root).as_posix()}/src/**/*.ts" for p in batch.typescript],
    }
    (batch.root / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    (batch.root / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    done = subprocess.run([str(TSC), "-p", str(batch.root)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-5000:]
    entries = [batch.root / "dist" / p.relative_to(batch.root) / "src" / "index.js" for p in batch.typescript]
    script = "for (const entry of process.argv.slice(1)) { console.log(entry); await import(entry); }"
    assert NODE is not None
    ran = subprocess.run(
        [NODE, "--input-type=module", "-e", script, *(e.as_uri() for e in entries)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    last = (ran.stdout.strip().splitlines() or ["?"])[-1]
    assert ran.returncode != EXIT_CODE, f"a planted process.exit ran in {last}"
    assert ran.returncode == 0, ran.stderr[-3000:]


FAST = settings(
    max_examples=25,
    derandomize=True,  # the same examples on every run and machine
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _fuzz(tmp_path: Path, options: settings) -> Batch:
    batch = Batch(tmp_path)

    @options
    @given(spec=specs())
    def generate(spec: dict[str, Any]) -> None:
        generate_one(batch, spec)

    generate()
    return batch


def test_hostile_specs_generate_safe_code(tmp_path: Path) -> None:
    run_batch_checks(_fuzz(tmp_path, FAST))


@pytest.mark.slow
def test_hostile_specs_generate_safe_code_at_length(tmp_path: Path) -> None:
    run_batch_checks(_fuzz(tmp_path, settings(FAST, max_examples=100)))


CONTROL_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Control", "version": "1", "description": '"""\nPWNED = 1\n"""'},
    "paths": {},
    "components": {"schemas": {"M": {"type": "object", "properties": {"a": {"type": "string"}}}}},
}


def test_the_checks_catch_a_payload_that_escapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A control: with docstring escaping switched off, the planted payload becomes code and is caught."""
    from generator.render.languages import python

    monkeypatch.setitem(python.FILTERS, "py_docstring", lambda text: text)
    batch = Batch(tmp_path)
    with pytest.raises(AssertionError, match="name PWNED"):
        generate_one(batch, CONTROL_SPEC)


def test_the_import_check_catches_code_that_runs(tmp_path: Path) -> None:
    package = tmp_path / "pkg" / "fz_control"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("import os\nos._exit(42)\n", encoding="utf-8")
    batch = Batch(tmp_path, python=[f"{tmp_path / 'pkg'}:fz_control"])
    with pytest.raises(AssertionError, match=r"a planted os\._exit ran while checking fz_control"):
        _import_python(batch)


def test_the_go_check_catches_a_payload_that_escapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A control: with Go comment escaping switched off, a description's newline ends the comment."""
    from generator.render.languages import go

    monkeypatch.setitem(go.FILTERS, "go_comment", lambda text: text)
    model = {
        "type": "object",
        "description": "x\nvar _ = PWNED(42)\n",
        "properties": {"a": {"type": "string"}},
    }
    spec = {
        **CONTROL_SPEC,
        "info": {"title": "Control", "version": "1"},
        "components": {"schemas": {"M": model}},
    }
    batch = Batch(tmp_path)
    generate_one(batch, spec)
    with pytest.raises(AssertionError, match="undefined: PWNED"):
        _vet_go(batch)


def test_the_typescript_check_catches_a_payload_that_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert TSC.is_file() and NODE, "no TypeScript compiler or node: run `npm ci`"
    from generator.render.languages import typescript

    monkeypatch.setitem(typescript.FILTERS, "ts_doc", lambda text: text)
    spec = {**CONTROL_SPEC, "info": {"title": "*/ PWNED(42); /*", "version": "1"}}
    batch = Batch(tmp_path)
    generate_one(batch, spec)
    with pytest.raises(AssertionError, match="Cannot find name 'PWNED'"):
        _compile_and_run_typescript(batch)
