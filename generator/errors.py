"""Diagnostics: errors and warnings that carry a location in a spec file."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a spec, printable as `file:line:col: severity: message`."""

    message: str
    location: Location | None = None
    severity: str = "error"
    pointer: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        at = f" (at {self.pointer})" if self.pointer and self.location is None else ""
        return f"{where}{self.severity}: {printable(self.message)}{at}"


def one_per_place(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics in order, the first of those about one place (file and pointer) standing for all."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.pointer and diagnostic.location is not None:
            place = (diagnostic.location.file, diagnostic.pointer)
            if place in seen:
                continue
            seen.add(place)
        kept.append(diagnostic)
    return kept


_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(text: str) -> str:
    """Text for one line of a terminal: line breaks, control codes and bidi overrides (which a spec's
    strings may hold) escaped, so a message stays one line and cannot restyle or reorder the output."""
    if text.isprintable():
        return text
    # repr escapes exactly these characters (str.isprintable's definition), quotes aside.
    return "".join(repr(char)[1:-1] if unicodedata.category(char) in _INVISIBLE else char for char in text)


class SpecError(Exception):
    """Bad input: one or more error diagnostics. The CLI prints them and exits 2."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics

    @classmethod
    def at(cls, message: str, location: Location | None = None, pointer: str = "") -> SpecError:
        return cls([Diagnostic(message, location, "error", pointer)])
