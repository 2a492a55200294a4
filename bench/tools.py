"""The specs, the generators compared, and the environments they run in."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bench import procs

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"  # read-only: specs are copied out before any tool runs
PROJECT_BIN = REPO / ".venv" / "bin"
PEERS_VENV = REPO / ".bench-venv"
PEERS_BIN = PEERS_VENV / "bin"
PEERS_REQUIREMENTS = REPO / "bench" / "requirements-peers.txt"
TSC = REPO / "node_modules" / ".bin" / "tsc"

Language = Literal["python", "typescript", "go"]
Cache = Literal["none", "cold", "warm"]


@dataclass(frozen=True)
class Spec:
    key: str  # as `--specs` names it
    name: str
    source: Path


SPECS = (
    Spec("flex", "Flex", REPO / "spec" / "openapi.yaml"),
    Spec("stripe", "Stripe 2022-03-29", SHARED_BENCH / "stripe-2022-03-29.json"),
    Spec("github", "GitHub", SHARED_BENCH / "github-api.json"),
)


@dataclass(frozen=True)
class Tool:
    """One row of the table: how to run it on a spec into an output folder."""

    name: str
    command: Callable[[Path, Path], list[str]]  # (spec, output folder) -> argv
    language: Language
    bin_dir: Path  # put first on PATH; holds the python that imports the output
    cache: Cache = "none"  # sdkgen only: a fresh cache per run, or one kept across runs
    finish: Callable[[Path], None] | None = None  # untimed, after a successful run: tidy the output folder

    @property
    def is_sdkgen(self) -> bool:
        return self.cache != "none"

    @property
    def python(self) -> Path:
        return self.bin_dir / "python"


PYTHON_PACKAGE = "bench_sdk"
TS_PACKAGE = "bench-sdk"
GO_PACKAGE = "benchsdk"


def sdkgen_command(style: str, *extra: str) -> Callable[[Path, Path], list[str]]:
    package = TS_PACKAGE if style.startswith("typescript") else PYTHON_PACKAGE
    if style.startswith("go"):
        package = GO_PACKAGE

    def command(spec: Path, out: Path) -> list[str]:
        return [
            *(str(PROJECT_BIN / "sdkgen"), "generate", str(spec), "--style", style),
            *("--output", str(out), "--package", package, *extra),
        ]

    return command


def _openapi_python_client(spec: Path, out: Path) -> list[str]:
    return [
        str(PEERS_BIN / "openapi-python-client"),
        "generate",
        "--path",
        str(spec),
        "--output-path",
        str(out),
    ]


def _datamodel_codegen(spec: Path, out: Path) -> list[str]:
    # One module (a file) or, when the spec's schema names are dotted (Stripe), a package (a folder):
    # the tool wants a file path for the first and a folder for the second, so it gets a path with no
    # suffix, and a single module is renamed to models.py afterwards.
    out.mkdir(parents=True, exist_ok=True)
    return [
        *(str(PEERS_BIN / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi"),
        *("--output-model-type", "pydantic_v2.BaseModel", "--output", str(out / "models")),
        *("--formatters", "black", "isort"),  # its default today, said so to silence a FutureWarning
    ]


def _datamodel_module_name(out: Path) -> None:
    if (out / "models").is_file():
        (out / "models").rename(out / "models.py")


def _openapi_generator(spec: Path, out: Path) -> list[str]:
    return [
        str(PEERS_BIN / "openapi-generator-cli"),
        "generate",
        "-i",
        str(spec),
        "-g",
        "python",
        "-o",
        str(out),
    ]


OURS = Tool("sdkgen python-pydantic, cold", sdkgen_command("python-pydantic"), "python", PROJECT_BIN, "cold")
SDKGEN_TOOLS = (
    OURS,
    Tool(
        "sdkgen python-pydantic, warm cache", sdkgen_command("python-pydantic"), "python", PROJECT_BIN, "warm"
    ),
    Tool(
        "sdkgen python-dataclasses, cold", sdkgen_command("python-dataclasses"), "python", PROJECT_BIN, "cold"
    ),
    Tool(
        "sdkgen typescript-fetch, cold", sdkgen_command("typescript-fetch"), "typescript", PROJECT_BIN, "cold"
    ),
    Tool("sdkgen go-nethttp, cold", sdkgen_command("go-nethttp"), "go", PROJECT_BIN, "cold"),
)
PEER_TOOLS = (
    Tool("OpenAPI Generator (python)", _openapi_generator, "python", PEERS_BIN),
    Tool(
        "datamodel-code-generator (models only)",
        _datamodel_codegen,
        "python",
        PEERS_BIN,
        finish=_datamodel_module_name,
    ),
    Tool("openapi-python-client", _openapi_python_client, "python", PEERS_BIN),
)


def python_env() -> dict[str, str]:
    """The environment, with Python allowed to cache bytecode as it does by default."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_sdkgen() -> None:
    """Bytecode for sdkgen's own modules (an editable install), as pip compiled the peers' on install."""
    procs.checked(
        [str(PROJECT_BIN / "python"), "-m", "compileall", "-q", str(REPO / "generator")], env=python_env()
    )


def tool_env(tool: Tool, cache_dir: Path | None) -> dict[str, str]:
    env = python_env()
    env["PATH"] = f"{tool.bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.pop("SDKGEN_DEBUG", None)
    if cache_dir is not None:
        env["SDKGEN_CACHE_DIR"] = str(cache_dir)
    return env


def ensure_peers() -> None:
    """Create .bench-venv and install the pinned peers, unless the requirements are unchanged."""
    stamp = PEERS_VENV / ".installed-stamp"
    digest = hashlib.sha256(PEERS_REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not (PEERS_BIN / "python").exists():
        procs.checked([sys.executable, "-m", "venv", str(PEERS_VENV)])
    print(f"installing the peers into {PEERS_VENV.name}/ (pinned in {PEERS_REQUIREMENTS.name})", flush=True)
    pip = [str(PEERS_BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    procs.checked([*pip, "-r", str(PEERS_REQUIREMENTS)], timeout=1800)
    stamp.write_text(digest)


def java_version() -> str | None:
    """The first line of `java -version`, or None when there is no working java."""
    if shutil.which("java") is None:
        return None
    outcome = procs.run(["java", "-version"], timeout=60)
    lines = outcome.output.strip().splitlines()
    return lines[0].strip() if outcome.code == 0 and lines else None


def openapi_generator_version() -> str | None:
    """The version of the jar that openapi-generator-cli runs, or None when it does not run."""
    cli = PEERS_BIN / "openapi-generator-cli"
    if not cli.exists() or java_version() is None:
        return None
    outcome = procs.run([str(cli), "version"], timeout=120)
    lines = outcome.output.strip().splitlines()
    return lines[-1].strip() if outcome.code == 0 and lines else None


def copy_specs(into: Path, keys: list[str]) -> dict[Spec, Path]:
    """Copy each chosen spec that exists into a scratch folder, so no tool can write next to the original."""
    into.mkdir(parents=True, exist_ok=True)
    copies: dict[Spec, Path] = {}
    for spec in SPECS:
        if spec.key in keys and spec.source.is_file():
            copies[spec] = Path(shutil.copy2(spec.source, into / spec.source.name))
    return copies
