r"""Patterns: a schema's `pattern` run with the meaning JSON Schema gives it (ECMA-262, `u` flag).

JSON Schema's patterns are ECMA-262 regular expressions, and Python's `re` reads another dialect:
some patterns it refuses (`\p{L}`, `[^]`), some it reads with another meaning (`\d` matches any
Unicode digit in Python and only 0-9 in ECMA-262; `$` also matches before a final newline in
Python; `\w`, `\s`, `\b` and `.` differ too). `translate` parses a pattern as ECMA-262 does with the
`u` flag (what JSON Schema asks for) and writes the same pattern for the `regex` package, which
has Unicode properties and lookbehind of any length: `\d` becomes `[0-9]`, `$` becomes `\Z`,
`\p{L}` stays a property, `(?<name>...)` a numbered group, and so on.

Three readings are lenient where the `u` flag is strict but ECMA-262's other mode (Annex B) and
Python agree on the meaning: a backslash before a character that is not a letter or digit is that
character (`\-`, `\_`, `\:`: common in real specs), a brace that does not start a quantifier is a
brace (`{1-70}`), and `\0` followed by octal digits is an octal escape.

A pattern that is not ECMA-262 at all but that Python's `re` reads (`(?P<name>...)`, `\A`) keeps
Python's meaning: the one every Python validator gave it. Any other pattern (`\p{Print}` is Java's)
cannot be checked: `compile_pattern` gives None, and the validation finding about it says that
sdkgen does not check values against it. Nothing here raises on a spec's pattern.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NoReturn

# `regex` (40 ms to import) is imported where a pattern is compiled: only the checks of values need it.

ECMA, PYTHON = "ECMA-262", "Python"

_SYNTAX = frozenset("^$\\.*+?()[]{}|")
_QUANTIFIER = re.compile(r"\{(\d+)(?:(,)(\d*))?\}")
_NO_MINIMUM = re.compile(r"\{,\d*\}")
_HEX = frozenset("0123456789abcdefABCDEF")
_CONTROL = {"f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}
_WORD = "0-9A-Za-z_"
_SPACE = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_CLASSES = {"d": ("0-9", False), "w": (_WORD, False), "s": (_SPACE, False)}
_ANY = r"[\x00-\U0010ffff]"
_DOT = r"[^\n\r\u2028\u2029]"
_WORD_BOUNDARY = rf"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))"
_NOT_WORD_BOUNDARY = rf"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))"

# ECMA-262's General_Category values and their aliases (table "Value aliases and canonical values
# for General_Category"), each to its short name.
_CATEGORIES = {
    alias: short
    for short, *aliases in (
        ("C", "Other"),
        ("Cc", "Control", "cntrl"),
        ("Cf", "Format"),
        ("Cn", "Unassigned"),
        ("Co", "Private_Use"),
        ("Cs", "Surrogate"),
        ("L", "Letter"),
        ("LC", "Cased_Letter"),
        ("Ll", "Lowercase_Letter"),
        ("Lm", "Modifier_Letter"),
        ("Lo", "Other_Letter"),
        ("Lt", "Titlecase_Letter"),
        ("Lu", "Uppercase_Letter"),
        ("M", "Mark", "Combining_Mark"),
        ("Mc", "Spacing_Mark"),
        ("Me", "Enclosing_Mark"),
        ("Mn", "Nonspacing_Mark"),
        ("N", "Number"),
        ("Nd", "Decimal_Number", "digit"),
        ("Nl", "Letter_Number"),
        ("No", "Other_Number"),
        ("P", "Punctuation", "punct"),
        ("Pc", "Connector_Punctuation"),
        ("Pd", "Dash_Punctuation"),
        ("Pe", "Close_Punctuation"),
        ("Pf", "Final_Punctuation"),
        ("Pi", "Initial_Punctuation"),
        ("Po", "Other_Punctuation"),
        ("Ps", "Open_Punctuation"),
        ("S", "Symbol"),
        ("Sc", "Currency_Symbol"),
        ("Sk", "Modifier_Symbol"),
        ("Sm", "Math_Symbol"),
        ("So", "Other_Symbol"),
        ("Z", "Separator"),
        ("Zl", "Line_Separator"),
        ("Zp", "Paragraph_Separator"),
        ("Zs", "Space_Separator"),
    )
    for alias in (short, *aliases)
}

# ECMA-262's binary Unicode properties (table "Binary Unicode property aliases"), each to its name.
_BINARY = {
    alias: name
    for name, *aliases in (
        ("ASCII",),
        ("ASCII_Hex_Digit", "AHex"),
        ("Alphabetic", "Alpha"),
        ("Any",),
        ("Assigned",),
        ("Bidi_Control", "Bidi_C"),
        ("Bidi_Mirrored", "Bidi_M"),
        ("Case_Ignorable", "CI"),
        ("Cased",),
        ("Changes_When_Casefolded", "CWCF"),
        ("Changes_When_Casemapped", "CWCM"),
        ("Changes_When_Lowercased", "CWL"),
        ("Changes_When_NFKC_Casefolded", "CWKCF"),
        ("Changes_When_Titlecased", "CWT"),
        ("Changes_When_Uppercased", "CWU"),
        ("Dash",),
        ("Default_Ignorable_Code_Point", "DI"),
        ("Deprecated", "Dep"),
        ("Diacritic", "Dia"),
        ("Emoji",),
        ("Emoji_Component", "EComp"),
        ("Emoji_Modifier", "EMod"),
        ("Emoji_Modifier_Base", "EBase"),
        ("Emoji_Presentation", "EPres"),
        ("Extended_Pictographic", "ExtPict"),
        ("Extender", "Ext"),
        ("Grapheme_Base", "Gr_Base"),
        ("Grapheme_Extend", "Gr_Ext"),
        ("Hex_Digit", "Hex"),
        ("IDS_Binary_Operator", "IDSB"),
        ("IDS_Trinary_Operator", "IDST"),
        ("ID_Continue", "IDC"),
        ("ID_Start", "IDS"),
        ("Ideographic", "Ideo"),
        ("Join_Control", "Join_C"),
        ("Logical_Order_Exception", "LOE"),
        ("Lowercase", "Lower"),
        ("Math",),
        ("Noncharacter_Code_Point", "NChar"),
        ("Pattern_Syntax", "Pat_Syn"),
        ("Pattern_White_Space", "Pat_WS"),
        ("Quotation_Mark", "QMark"),
        ("Radical",),
        ("Regional_Indicator", "RI"),
        ("Sentence_Terminal", "STerm"),
        ("Soft_Dotted", "SD"),
        ("Terminal_Punctuation", "Term"),
        ("Unified_Ideograph", "UIdeo"),
        ("Uppercase", "Upper"),
        ("Variation_Selector", "VS"),
        ("White_Space", "space"),
        ("XID_Continue", "XIDC"),
        ("XID_Start", "XIDS"),
    )
    for alias in (name, *aliases)
}
_SCRIPT_KEYS = {"Script": "sc", "sc": "sc", "Script_Extensions": "scx", "scx": "scx"}
# A script's name or code as Unicode spells them (`Greek`, `Grek`, `Old_Italic`, `SignWriting`);
# whether Unicode has it is the `regex` package's to say.
_SCRIPT = re.compile(r"[A-Z][a-z]+(?:_[A-Z][a-z]+)*|SignWriting")


class PatternError(ValueError):
    """A pattern that is not ECMA-262 as sdkgen reads it; the message says why and where."""


class Untranslatable(PatternError):
    """An ECMA-262 pattern with no equivalent in the `regex` package (Python's meaning would differ)."""


@dataclass(frozen=True)
class Compiled:
    """A pattern ready to check values: `dialect` says whose meaning it has (ECMA-262 or Python)."""

    source: str
    dialect: str
    _search: Callable[[str], Any] = field(repr=False, compare=False)

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in `text`, as JSON Schema's `pattern` asks."""
        return self._search(text) is not None


def translate(source: str) -> str:
    """The `regex` package's spelling of an ECMA-262 pattern (`u` flag); PatternError if it is not one."""
    return _Parser(source).translate()


@lru_cache(maxsize=4096)
def compile_pattern(source: str) -> Compiled | None:
    """The pattern as sdkgen checks values with it, or None when it cannot be read (see `unreadable`)."""
    try:
        return _compile_ecma(source)
    except Untranslatable:
        return None  # ECMA-262, whose meaning Python cannot give: not checked rather than checked wrongly
    except PatternError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": read as it is today
            python = re.compile(source)
    except (re.error, OverflowError, RecursionError):
        return None
    return Compiled(source, PYTHON, python.search)


def _compile_ecma(source: str) -> Compiled:
    import regex  # type: ignore[import-untyped]

    translated = translate(source)
    try:
        compiled = regex.compile(translated)
    except (regex.error, OverflowError, RecursionError) as error:  # e.g. a repetition too long for it
        raise Untranslatable(f"{error}") from None
    return Compiled(source, ECMA, compiled.search)


def unreadable(source: str) -> str | None:
    """Why values cannot be checked against the pattern (as ECMA-262 and as Python), or None."""
    if compile_pattern(source) is not None:
        return None
    try:
        _compile_ecma(source)
    except PatternError as error:
        return str(error)
    return None  # pragma: no cover - compile_pattern read it as ECMA-262


def matches(source: str, text: str) -> bool:
    """Whether `text` matches the pattern; True for a pattern that cannot be checked (not checked)."""
    compiled = compile_pattern(source)
    return compiled is None or compiled.search(text)


def is_regex(value: object) -> bool:
    """The `regex` format: a string sdkgen reads as a pattern (non-strings are not its business)."""
    return not isinstance(value, str) or compile_pattern(value) is not None


# --- the parser: ECMA-262's pattern grammar with the `u` flag ----------------------------------


@dataclass
class _Group:
    """A capturing group: where it closes in the source, and whether a repetition holds it."""

    end: int = -1
    repeated: bool = False


@dataclass
class _Backref:
    """A backreference, written out once the whole pattern is read (its group's fate is known then)."""

    group: int
    at: int
    in_lookbehind: bool


# The translation is built as a list of text pieces and backreferences, and joined at the end.
_Piece = str | _Backref


@dataclass
class _Term:
    pieces: list[_Piece]
    groups: list[int]  # the capturing groups inside, for repetitions to mark
    quantifiable: bool = True


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0
        self.groups: list[_Group] = []
        self.names: dict[str, int] = {}
        self.all_names = _group_names(source)
        self.total = len(_group_starts(source))
        self.lookbehind = 0

    def translate(self) -> str:
        pieces = self.disjunction()
        if self.at < len(self.source):  # only an unmatched `)` stops a disjunction early
            self.fail("unmatched `)`")
        return "".join(p if isinstance(p, str) else self.backref(p) for p in pieces)

    def fail(self, why: str) -> NoReturn:
        raise PatternError(f"{why} at position {self.at}")

    def peek(self, ahead: int = 0) -> str:
        index = self.at + ahead
        return self.source[index] if index < len(self.source) else ""

    def take(self, text: str) -> bool:
        if self.source.startswith(text, self.at):
            self.at += len(text)
            return True
        return False

    # --- structure -------------------------------------------------------------------------------

    def disjunction(self) -> list[_Piece]:
        pieces = self.alternative()
        while self.take("|"):
            pieces += ["|", *self.alternative()]
        return pieces

    def alternative(self) -> list[_Piece]:
        pieces: list[_Piece] = []
        while self.peek() not in ("", "|", ")"):
            term = self.atom()
            pieces += self.quantified(term)
        return pieces

    def quantified(self, term: _Term) -> list[_Piece]:
        char = self.peek()
        bounds = _QUANTIFIER.match(self.source, self.at) if char == "{" else None
        if char in ("*", "+", "?"):
            low, high, spelled = {"*": (0, None, "*"), "+": (1, None, "+"), "?": (0, 1, "?")}[char]
            self.at += 1
        elif bounds is not None:
            low = int(bounds.group(1))
            high = None if bounds.group(2) and not bounds.group(3) else int(bounds.group(3) or low)
            spelled = bounds.group(0)
            self.at = bounds.end()
            if high is not None and high < low:
                self.fail("numbers out of order in a `{}` quantifier")
        else:
            return term.pieces
        if not term.quantifiable:
            self.fail("nothing to repeat")
        if self.take("?"):
            spelled += "?"
        if high is None or high > 1:  # each round clears the captures inside (ECMA-262, unlike Python)
            for index in term.groups:
                self.groups[index - 1].repeated = True
        return ["(?:", *term.pieces, ")", spelled]

    def atom(self) -> _Term:
        char = self.peek()
        if char == "(":
            return self.group()
        self.at += 1
        if char == "^":
            return _Term(["^"], [], quantifiable=False)
        if char == "$":
            return _Term([r"\Z"], [], quantifiable=False)
        if char == ".":
            return _Term([_DOT], [])
        if char == "[":
            return _Term([self.char_class()], [])
        if char == "\\":
            return self.escape()
        if char in ("*", "+", "?"):
            self.at -= 1
            self.fail("nothing to repeat")
        if char == "{" and _QUANTIFIER.match(self.source, self.at - 1):
            self.at -= 1
            self.fail("nothing to repeat")
        if char == "{" and _NO_MINIMUM.match(self.source, self.at - 1):
            self.at -= 1
            self.fail("`{,n}` is text in ECMA-262 and a quantifier in Python")
        return _Term([_literal(ord(char))], [])  # `]`, `{` and `}` too: literal unless a quantifier

    def group(self) -> _Term:
        start = self.at
        self.at += 1
        index = None
        if self.take("?:"):
            opening = "(?:"
        elif self.take("?=") or self.take("?!"):
            opening = self.source[self.at - 3 : self.at]
        elif self.take("?<=") or self.take("?<!"):
            opening = self.source[self.at - 4 : self.at]
        elif self.take("?<"):
            opening, index = "(", self.named_group()
        elif self.peek() == "?":
            self.fail(f"`(?{self.peek(1)}` is not a group ECMA-262 has")
        else:
            opening = "("
            self.groups.append(_Group())
            index = len(self.groups)
        behind = opening.startswith("(?<")
        self.lookbehind += behind
        body = self.disjunction()
        self.lookbehind -= behind
        if not self.take(")"):
            self.at = start
            self.fail("unterminated group")
        if index is not None:
            self.groups[index - 1].end = self.at
        inner = [g for g in range(1, len(self.groups) + 1) if start < self.groups[g - 1].end <= self.at]
        assertion = opening in ("(?=", "(?!", "(?<=", "(?<!")
        return _Term([opening, *body, ")"], inner, quantifiable=not assertion)

    def named_group(self) -> int:
        close = self.source.find(">", self.at)
        name = self.source[self.at : close] if close >= 0 else ""
        if not _is_group_name(name):
            self.fail(f"bad group name {name!r}")
        if name in self.names:
            self.fail(f"duplicate group name {name!r}")
        self.at = close + 1
        self.groups.append(_Group())
        self.names[name] = len(self.groups)
        return len(self.groups)

    def backref(self, ref: _Backref) -> str:
        if ref.in_lookbehind:  # ECMA-262 matches a lookbehind backwards, captures and all
            raise Untranslatable(f"a backreference inside a lookbehind at position {ref.at}")
        group = self.groups[ref.group - 1]
        if group.end < 0 or group.end > ref.at:
            return "(?:)"  # a group that has not closed yet has captured nothing: ECMA-262 matches empty
        if group.repeated:
            raise Untranslatable(f"a backreference to a group inside a repetition at position {ref.at}")
        # A group that did not take part matches empty in ECMA-262, and fails in Python.
        return f"(?({ref.group})\\{ref.group})"

    # --- escapes -------------------------------------------------------------------------------

    def escape(self) -> _Term:
        start = self.at - 1
        char = self.peek()
        if char == "b" or char == "B":
            self.at += 1
            return _Term([_WORD_BOUNDARY if char == "b" else _NOT_WORD_BOUNDARY], [], quantifiable=False)
        if char and char in "123456789":
            digits = re.match(r"\d+", self.source[self.at :])
            assert digits is not None
            number = int(digits.group(0))
            if number > self.total:
                self.fail(f"backreference \\{number} to a group the pattern does not have")
            self.at += len(digits.group(0))
            return _Term([_Backref(number, start, self.lookbehind > 0)], [])
        if char == "k":
            self.at += 1
            close = self.source.find(">", self.at)
            name = self.source[self.at + 1 : close] if self.peek() == "<" and close > 0 else ""
            if name not in self.all_names:
                self.fail(f"backreference to an unknown group name {name!r}")
            self.at = close + 1
            return _Term([_Backref(self.all_names[name], start, self.lookbehind > 0)], [])
        set_escape = self.class_escape()
        if set_escape is not None:
            inside, negated = set_escape
            return _Term([f"[^{inside}]" if negated else f"[{inside}]"], [])
        return _Term([_literal(self.char_escape())], [])

    def class_escape(self) -> tuple[str, bool] | None:
        """`\\d \\w \\s \\p{..}` and their negations, as class contents; None for another escape."""
        char = self.peek()
        if char.lower() in _CLASSES:
            self.at += 1
            inside, _ = _CLASSES[char.lower()]
            return inside, char.isupper()
        if char in ("p", "P"):
            self.at += 1
            return self.property(char == "P"), False
        return None

    def property(self, negated: bool) -> str:
        close = self.source.find("}", self.at)
        if self.peek() != "{" or close < 0:
            self.fail("`\\p` needs a property in braces")
        text = self.source[self.at + 1 : close]
        self.at = close + 1
        name, equals, value = text.partition("=")
        letter = "P" if negated else "p"
        if not equals and name in _CATEGORIES:
            return f"\\{letter}{{gc={_CATEGORIES[name]}}}"
        if not equals and name in _BINARY:
            return f"\\{letter}{{{_BINARY[name]}}}"
        if equals and name in ("General_Category", "gc") and value in _CATEGORIES:
            return f"\\{letter}{{gc={_CATEGORIES[value]}}}"
        if equals and name in _SCRIPT_KEYS and _SCRIPT.fullmatch(value):
            return f"\\{letter}{{{_SCRIPT_KEYS[name]}={value}}}"
        self.fail(f"unknown Unicode property {text!r}")

    def char_escape(self) -> int:
        """The code point of a character escape (after the backslash)."""
        char = self.peek()
        self.at += 1
        if char in _CONTROL:
            return _CONTROL[char]
        if char == "c" and self.peek().isascii() and self.peek().isalpha():
            self.at += 1
            return ord(self.source[self.at - 1]) % 32
        if char == "0":
            octal = re.match(r"[0-7]{0,2}", self.source[self.at :])
            assert octal is not None
            self.at += len(octal.group(0))
            return int("0" + octal.group(0), 8)  # `\0`, or an octal escape as Annex B and Python read it
        if char == "x" and self.peek() in _HEX and self.peek(1) in _HEX:
            self.at += 2
            return int(self.source[self.at - 2 : self.at], 16)
        if char == "u":
            return self.unicode_escape()
        if char and not (char.isascii() and char.isalnum()):
            return ord(char)  # `\.`, and (leniently) `\-`, `\_`, `\:`...: the character itself
        self.at -= 1
        self.fail(f"unknown escape `\\{char}`" if char else "a pattern cannot end with `\\`")

    def unicode_escape(self) -> int:
        braced = re.match(r"\{([0-9a-fA-F]+)\}", self.source[self.at :])
        if braced is not None and int(braced.group(1), 16) <= 0x10FFFF:
            self.at += braced.end()
            return int(braced.group(1), 16)
        code = self.hex4(self.at)
        if code is None:
            self.fail("`\\u` needs four hex digits or a code point in braces")
        self.at += 4
        trail = self.hex4(self.at + 2) if self.source.startswith("\\u", self.at) else None
        if 0xD800 <= code <= 0xDBFF and trail is not None and 0xDC00 <= trail <= 0xDFFF:
            self.at += 6  # a surrogate pair spelled as two escapes is one code point with the u flag
            return 0x10000 + ((code - 0xD800) << 10) + (trail - 0xDC00)
        return code

    def hex4(self, at: int) -> int | None:
        digits = self.source[at : at + 4]
        return int(digits, 16) if len(digits) == 4 and all(d in _HEX for d in digits) else None

    # --- character classes ---------------------------------------------------------------------

    def char_class(self) -> str:
        start = self.at - 1
        negated = self.take("^")
        plain: list[str] = []  # class contents: characters, ranges, \p{..}
        excluded: list[str] = []  # negated escapes (\D \W \S), which a class cannot hold in Python
        while not self.take("]"):
            if self.at >= len(self.source):
                self.at = start
                self.fail("unterminated character class")
            first, escape = self.class_atom()
            if escape is not None:
                (excluded if escape[1] else plain).append(escape[0])
                if self.peek() == "-" and self.peek(1) not in ("]", ""):
                    self.fail("a character class escape cannot start a range")
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.at += 1
                last, escape = self.class_atom()
                if escape is not None:
                    self.fail("a character class escape cannot end a range")
                if last < first:
                    self.fail("range out of order in character class")
                plain.append(f"{_literal(first)}-{_literal(last)}")
            else:
                plain.append(_literal(first))
        return _set("".join(plain), excluded, negated)

    def class_atom(self) -> tuple[int, tuple[str, bool] | None]:
        """A class member: a code point, or an escape such as \\d (its contents and whether negated)."""
        char = self.peek()
        self.at += 1
        if char != "\\":
            return ord(char), None
        if self.peek() == "b":
            self.at += 1
            return 0x08, None
        escape = self.class_escape()
        if escape is not None:
            return -1, escape
        if self.peek() and self.peek() in "123456789":
            self.fail("a backreference cannot be in a character class")
        return self.char_escape(), None


def _literal(code: int) -> str:
    char = chr(code)
    if char.isascii() and (char.isalnum() or char == "_"):
        return char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _set(plain: str, excluded: list[str], negated: bool) -> str:
    """A character class: `plain` contents, plus the complements of `excluded` ones; or its complement."""
    if not excluded:
        if not plain:
            return _ANY if negated else "(?!)"  # `[^]` is any character, `[]` none
        return f"[^{plain}]" if negated else f"[{plain}]"
    union = "(?:" + "|".join(([f"[{plain}]"] if plain else []) + [f"[^{e}]" for e in excluded]) + ")"
    return f"(?:(?!{union}){_ANY})" if negated else union


def _is_group_name(name: str) -> bool:
    return (
        bool(name)
        and (name[0] in "$_" or name[0].isidentifier())
        and all(c in "$\u200c\u200d" or ("a" + c).isidentifier() for c in name[1:])
    )


def _group_names(source: str) -> dict[str, int]:
    """Each group name of a pattern, with its group's number."""
    names: dict[str, int] = {}
    for number, start in enumerate(_group_starts(source), 1):
        named = re.match(r"\(\?<([^>=!][^>]*)>", source[start:])
        if named is not None:
            names.setdefault(named.group(1), number)
    return names


def _group_starts(source: str) -> list[int]:
    """Where each capturing group opens: a backreference may name a group further on."""
    starts = []
    index, in_class = 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(" and (not source.startswith("(?", index) or re.match(r"\(\?<[^=!]", source[index:])):
            starts.append(index)
        index += 1
    return starts
