"""Diff sources: read OLD/NEW from a file or `git:REV:PATH`, follow `$ref`s, and locate pointers."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Diagnostic, Location, SpecError
from generator.spec.load import Document, Workspace, join_pointer, load_document, parse_text, split_pointer

GIT_PREFIX = "git:"
_SCHEMA_POINTER = re.compile(r"^/components/schemas/([^/]+)$")


class GitWorkspace(Workspace):
    """A workspace read from one git revision: the root and every file its `$ref`s reach.

    Files are named by their working-tree path (so relative `$ref`s resolve as usual) but read
    with `git show REV:PATH`, so OLD can be any commit while the working tree holds NEW.
    """

    def __init__(self, toplevel: Path, rev: str, root_path: Path) -> None:
        self.toplevel = toplevel
        self.rev = rev
        self._read: dict[Path, Document] = {}
        super().__init__(self._load(root_path))

    def document(self, path: Path) -> Document:
        resolved = path.resolve()
        if resolved not in self._read:
            self._read[resolved] = self._load(path)
        return self._read[resolved]

    def display_name(self, document: Document) -> str:
        return f"{GIT_PREFIX}{self.rev}:{self._relative(document.path).as_posix()}"

    def _relative(self, path: Path) -> Path:
        try:
            return path.resolve().relative_to(self.toplevel)
        except ValueError:
            raise SpecError.at(f"{path} is outside the git repository {self.toplevel}") from None

    def _load(self, path: Path) -> Document:
        relative = self._relative(path)
        name = f"{GIT_PREFIX}{self.rev}:{relative.as_posix()}"
        done = _git(["show", f"{self.rev}:{relative.as_posix()}"], self.toplevel, name)
        if done.returncode != 0:
            # The same message load_document gives, so Workspace.resolve reports the `$ref` that failed.
            raise SpecError.at("file not found", Location(name))
        try:
            text = done.stdout.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpecError.at("not UTF-8 text", Location(name)) from None
        try:
            data = parse_text(text, path)
        except SpecError as error:
            raise _renamed(error, name) from None
        self._read[path.resolve()] = document = Document(path=path, data=data, text=text)
        return document


def _renamed(error: SpecError, name: str) -> SpecError:
    # parse_text names the working-tree file; the text came from git, so say so.
    return SpecError(
        [
            Diagnostic(d.message, Location(name, d.location.line, d.location.column), d.severity, d.pointer)
            if d.location
            else d
            for d in error.diagnostics
        ]
    )


def _git(args: list[str], cwd: Path, what: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise SpecError.at(f"cannot run git to read {what}: {exc.strerror}") from None


def _git_text(args: list[str], cwd: Path, what: str) -> str:
    done = _git(args, cwd, what)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpecError.at(f"{what}: {detail[0] if detail else 'git failed'}")
    return done.stdout.decode("utf-8", "replace").strip()


def open_git(spec: str, cwd: Path | None = None) -> GitWorkspace:
    """Open `git:REV:PATH` from the repository holding `cwd`; PATH is from the repository's top,
    or from `cwd` when it starts with `./` or `../` (as in `git show`)."""
    cwd = cwd or Path.cwd()
    rev, sep, path = spec[len(GIT_PREFIX) :].partition(":")
    if not sep or not rev or not path:
        raise SpecError.at(f"{spec!r}: expected git:REV:PATH, e.g. git:HEAD~1:spec/openapi.yaml")
    toplevel = Path(_git_text(["rev-parse", "--show-toplevel"], cwd, spec)).resolve()
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], toplevel, spec).returncode != 0:
        raise SpecError.at(f"{spec}: unknown revision {rev!r}")
    working = (cwd / path) if path.startswith(("./", "../")) else (toplevel / path)
    try:
        return GitWorkspace(toplevel, rev, working)
    except SpecError as error:
        if error.diagnostics[0].message == "file not found":
            raise SpecError.at(f"{spec}: no file {path!r} in revision {rev!r}") from None
        raise


def open_spec(spec: str) -> Workspace:
    """A workspace for OLD or NEW as given on the command line: a file path or `git:REV:PATH`."""
    if spec.startswith(GIT_PREFIX):
        return open_git(spec)
    return Workspace(load_document(Path(spec)))


def check_openapi(document: Document) -> None:
    """Refuse what is not an OpenAPI 3.0/3.1 document, with a location; diff does not validate more."""
    data = document.data
    if not isinstance(data, dict):
        raise SpecError.at("the spec must be a mapping (an OpenAPI object)", document.locate(""))
    version = data.get("openapi")
    if not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        where = document.locate("/openapi" if "openapi" in data else "")
        raise SpecError.at(f"unsupported `openapi` version {version!r}: expected 3.0.x or 3.1.x", where)


class Side:
    """One version of the spec being compared (OLD or NEW): its workspace and its locations."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._where: dict[tuple[int, str], str] = {}

    @property
    def root(self) -> Document:
        return self.workspace.root

    def where(self, document: Document, pointer: str) -> str:
        """`file:line:col` of `pointer` in `document`, cached: Stripe-sized diffs ask often."""
        key = (id(document), pointer)
        if key not in self._where:
            location = document.locate(pointer)
            name = (
                self.workspace.display_name(document)
                if isinstance(self.workspace, GitWorkspace)
                else location.file
            )
            self._where[key] = str(Location(name, location.line, location.column))
        return self._where[key]


@dataclass(frozen=True)
class At:
    """A value's place: its side, the document it is in and its JSON pointer there."""

    side: Side
    document: Document
    pointer: str

    def child(self, *tokens: str | int) -> At:
        return At(self.side, self.document, join_pointer(self.pointer, *tokens))

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.document.path), self.pointer)

    @property
    def where(self) -> str:
        return self.side.where(self.document, self.pointer)

    def schema_name(self) -> str | None:
        """The components.schemas name this place is, or the file stem of a whole-file schema."""
        match = _SCHEMA_POINTER.match(self.pointer)
        if match:
            return split_pointer(self.pointer)[-1]
        if self.pointer == "" and self.document is not self.side.root:
            return self.document.path.stem
        return None


def deref(value: Any, at: At) -> tuple[Any, At]:
    """Follow a chain of `$ref`s to the value it names; a `$ref` loop is bad input."""
    seen: set[tuple[str, str]] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        target = at.side.workspace.resolve(value["$ref"], at.document, join_pointer(at.pointer, "$ref"))
        if target.key in seen:
            raise SpecError.at(f"circular $ref {value['$ref']!r}", at.document.locate(at.pointer))
        seen.add(target.key)
        value, at = target.value, At(at.side, target.document, target.pointer)
    return value, at


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("$ref"), str)


def ref_name(value: Any, at: At) -> str | None:
    """The schema name a `$ref` (or a place) stands for, after following every `$ref`."""
    return deref(value, at)[1].schema_name()
