"""Naming: turn wire names into safe, unique identifiers (snake_case, camelCase, PascalCase)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")


_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")


def to_ascii(text: str) -> str:
    """Drop accents and anything else outside ASCII letters, digits and separators."""
    if text.isascii():  # nearly every name: nothing to decompose
        return _NOT_ALNUM.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed if unicodedata.category(c) != "Mn")
    return "".join(c if c.isascii() and c.isalnum() else " " for c in kept)


# The case functions are pure and see the same names again and again (every model has an `id`, a
# `created`, an `object`): memoised, as `identifier` is. A big spec converts some 13,000 names, a
# tenth of a run's build and view: the conversions of an earlier run can be handed in (`learn`), and
# this run's taken out to keep (`conversions`).
@lru_cache(maxsize=65536)
def split_words(name: str) -> tuple[str, ...]:
    """Split `fooBar_baz-2x` into ['foo', 'Bar', 'baz', '2', 'x'] (case kept)."""
    return tuple(_WORD.findall(to_ascii(name)))


_SNAKE: dict[str, str] = {}
_PASCAL: dict[str, str] = {}
_LEARNED: dict[str, str] = {}  # "s:name" / "p:name" -> the conversion, from an earlier run


def snake_case(name: str) -> str:
    result = _SNAKE.get(name)
    if result is None:
        learned = _LEARNED.get("s:" + name)
        result = _SNAKE[name] = (
            learned if learned is not None else "_".join(w.lower() for w in split_words(name))
        )
    return result


def pascal_case(name: str) -> str:
    result = _PASCAL.get(name)
    if result is None:
        learned = _LEARNED.get("p:" + name)
        result = _PASCAL[name] = (
            learned if learned is not None else "".join(_capitalise(w) for w in split_words(name))
        )
    return result


def learn(conversions: dict[str, str]) -> None:
    """Take the case conversions an earlier run made (with this module's code), instead of redoing them."""
    _LEARNED.update(conversions)


def conversions() -> dict[str, str]:
    """The case conversions this run used, for `learn` in a later one."""
    return {**{"s:" + k: v for k, v in _SNAKE.items()}, **{"p:" + k: v for k, v in _PASCAL.items()}}


def camel_case(name: str) -> str:
    pascal = pascal_case(name)
    return pascal[:1].lower() + pascal[1:]


def constant_case(name: str) -> str:
    return snake_case(name).upper()


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:] if not word.isupper() else word[:1] + word[1:].lower()


CASES: dict[str, Callable[[str], str]] = {
    "snake": snake_case,
    "camel": camel_case,
    "pascal": pascal_case,
    "constant": constant_case,
}


@lru_cache(maxsize=65536)
def identifier(
    name: str,
    case: str,
    reserved: frozenset[str] = frozenset(),
    empty: str = "value",
    digit_prefix: str = "n",
) -> str:
    """A valid ASCII identifier in `case` for `name`; reserved words get a trailing underscore."""
    convert = CASES[case]
    result = convert(name)
    if not result:
        result = convert(empty)
    if result[0].isdigit():
        result = convert(f"{digit_prefix} {result}")
    if result in reserved or result.lower() in _lowercase_reserved(reserved):
        result += "_"
    return result


@lru_cache(maxsize=64)
def _lowercase_reserved(reserved: frozenset[str]) -> frozenset[str]:
    """The all-lowercase reserved words (keywords), which also block their other spellings."""
    return frozenset(r.lower() for r in reserved if r.islower())


def unique(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Make names unique in order: a repeated name gets `_2`, `_3`, ... (stable for stable input)."""
    seen = {t.lower() for t in taken}
    return [claim(name, seen) for name in names]


def claim(name: str, seen: set[str]) -> str:
    """`name`, or `name_2`, `name_3`, ... if taken; `seen` holds lower-cased names and gets the result.

    Callers that name things one at a time keep one `seen` set: rebuilding it per name is quadratic
    (GitHub's spec declares ~7,000 names).
    """
    candidate, counter = name, 2
    while candidate.lower() in seen:
        candidate = f"{name}_{counter}"
        counter += 1
    seen.add(candidate.lower())
    return candidate


@dataclass(frozen=True)
class ClientNames:
    """What every style calls the client and the environment variables it reads."""

    client: str
    env_var: str
    base_url_env: str


def client_names(title: str, options: Mapping[str, Any]) -> ClientNames:
    """From the spec title (`Flex API` -> `FlexClient`, `FLEX_API_KEY`, `FLEX_BASE_URL`), unless the
    target's options name them."""
    words = title.removesuffix(" API").removesuffix(" Api")
    stem = identifier(words, "pascal", empty="api", digit_prefix="api")
    prefix = constant_case(words) or "API"
    return ClientNames(
        client=str(options.get("client_name") or f"{stem}Client"),
        env_var=str(options.get("env_var") or f"{prefix}_API_KEY"),
        base_url_env=str(options.get("base_url_env") or f"{prefix}_BASE_URL"),
    )
