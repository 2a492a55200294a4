"""A copy of the repository's working tree, uncommitted changes included, for tests that build or
install sdkgen as another team would: only what git would track (no `.venv`, no `node_modules`, no
`sdkgen.egg-info` left by an earlier build, which setuptools would read back into the sdist).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A commit made by a test: no user configuration, hooks or templates of the machine's git.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "sdkgen tests",
    "GIT_AUTHOR_EMAIL": "tests@sdkgen.invalid",
    "GIT_COMMITTER_NAME": "sdkgen tests",
    "GIT_COMMITTER_EMAIL": "tests@sdkgen.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def copy_worktree(dest: Path) -> Path:
    """Copy the tracked and the untracked-but-not-ignored files of the checkout into `dest`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    """`git init` (if needed), add everything, commit; the commit's sha."""
    if not (repo / ".git").exists():
        git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--no-verify", "--message", message)
    return git(repo, "rev-parse", "HEAD")
