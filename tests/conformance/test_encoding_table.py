"""OpenAPI's serialization table, one test per cell and per style, on the generated encoders.

The Python styles' helpers are called directly in the committed generated packages; the
TypeScript runtime is compiled with tsc and run in node, the Go runtime's encoders are called from
a test file dropped into a copy of generated/go-nethttp (one run each for every cell, then checked
per cell). Nested values beyond the specification use the bracket convention (`a[0][b]=1`).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.encoding_table import CASES, NESTED_CASES
from tests.support.go_runtime import go_package_copy, run_go_batch
from tests.support.ts_runtime import compile_typescript, run_batch

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON_RUNTIMES = {
    "python-pydantic": "flex_client._transport",
    "python-dataclasses": "flex_client_lite._runtime",
}


def _python_encode(module: Any, where: str, style: str, explode: bool, value: Any) -> str:
    if where == "path":
        return str(module.quote_path(value, "color", style, explode))
    if where == "header":
        return str(module.header_value(value, explode))
    pairs = module.encode_query([("color", value, style, explode, False)])
    return "&".join(f"{name}={text}" for name, text, _ in pairs)


def _ts_call(where: str, style: str, explode: bool, value: Any) -> dict[str, Any]:
    if where == "path":
        return {"fn": "encodePathParam", "args": [value, "color", style, explode]}
    if where == "header":
        return {"fn": "headerValue", "args": [value, explode]}
    return {"fn": "encodeQuery", "args": [[["color", value, style, explode, False]]]}


def _ts_text(where: str, answer: dict[str, Any]) -> str:
    assert "error" not in answer, answer
    value = answer["value"]
    return "&".join(f"{name}={text}" for name, text, _ in value) if where == "query" else str(value)


@pytest.fixture(scope="module")
def ts_runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated TypeScript package compiled once for this module: its dist/runtime.js."""
    return compile_typescript(REPO_ROOT / "generated" / "typescript-fetch", tmp_path_factory.mktemp("ts"))


@pytest.fixture(scope="module")
def ts_answers(ts_runtime: Path) -> dict[str, dict[str, Any]]:
    """Every cell's answer from the TypeScript runtime, by case id (one tsc, one node run)."""
    runtime = ts_runtime
    calls = [_ts_call(where, style, explode, value) for _, style, explode, where, value, _ in CASES]
    calls += [
        {"fn": "encodeQuery", "args": [[[name, item, style, explode, False] for name, item in value.items()]]}
        for _, style, explode, value, _ in NESTED_CASES
    ]
    ids = [case[0] for case in CASES] + [case[0] for case in NESTED_CASES]
    return dict(zip(ids, run_batch(runtime, calls), strict=True))


def _go_call(where: str, style: str, explode: bool, value: Any) -> dict[str, Any]:
    if where == "path":
        return {"fn": "pathParam", "args": [value, "color", style, explode]}
    if where == "header":
        return {"fn": "headerValue", "args": [value, explode]}
    return {"fn": "queryPairs", "args": [[["color", value, style, explode]]]}


@pytest.fixture(scope="module")
def go_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every cell's answer from the Go runtime, by case id (one `go test` run)."""
    module = go_package_copy(REPO_ROOT / "generated" / "go-nethttp", tmp_path_factory.mktemp("go"))
    calls = [_go_call(where, style, explode, value) for _, style, explode, where, value, _ in CASES]
    calls += [
        {"fn": "queryPairs", "args": [[[name, item, style, explode] for name, item in value.items()]]}
        for _, style, explode, value, _ in NESTED_CASES
    ]
    ids = [case[0] for case in CASES] + [case[0] for case in NESTED_CASES]
    return dict(zip(ids, run_go_batch(module, calls), strict=True))


@pytest.mark.parametrize("style_name", list(PYTHON_RUNTIMES))
@pytest.mark.parametrize(
    ("case", "style", "explode", "where", "value", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_python_table_cell(
    style_name: str, case: str, style: str, explode: bool, where: str, value: Any, expected: str
) -> None:
    module = importlib.import_module(PYTHON_RUNTIMES[style_name])
    assert _python_encode(module, where, style, explode, value) == expected


@pytest.mark.parametrize(
    ("case", "style", "explode", "where", "value", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_typescript_table_cell(
    ts_answers: dict[str, dict[str, Any]],
    case: str,
    style: str,
    explode: bool,
    where: str,
    value: Any,
    expected: str,
) -> None:
    assert _ts_text(where, ts_answers[case]) == expected


@pytest.mark.parametrize(
    ("case", "style", "explode", "where", "value", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_go_table_cell(
    go_answers: dict[str, dict[str, Any]],
    case: str,
    style: str,
    explode: bool,
    where: str,
    value: Any,
    expected: str,
) -> None:
    assert _ts_text(where, go_answers[case]) == expected


@pytest.mark.parametrize("style_name", list(PYTHON_RUNTIMES))
@pytest.mark.parametrize(
    ("case", "style", "explode", "value", "expected"), NESTED_CASES, ids=[c[0] for c in NESTED_CASES]
)
def test_python_bracket_convention(
    style_name: str, case: str, style: str, explode: bool, value: dict[str, Any], expected: str
) -> None:
    module = importlib.import_module(PYTHON_RUNTIMES[style_name])
    pairs = module.encode_query([(name, item, style, explode, False) for name, item in value.items()])
    assert "&".join(f"{name}={text}" for name, text, _ in pairs) == expected


@pytest.mark.parametrize(
    ("case", "style", "explode", "value", "expected"), NESTED_CASES, ids=[c[0] for c in NESTED_CASES]
)
def test_typescript_bracket_convention(
    ts_answers: dict[str, dict[str, Any]], case: str, style: str, explode: bool, value: Any, expected: str
) -> None:
    assert _ts_text("query", ts_answers[case]) == expected


@pytest.mark.parametrize("style_name", list(PYTHON_RUNTIMES))
def test_python_refuses_structures_it_cannot_spell(style_name: str) -> None:
    """A nested value in a non-exploded form, or an object as text, is an error: never a repr."""
    module = importlib.import_module(PYTHON_RUNTIMES[style_name])
    with pytest.raises(module.EncodingError, match="nested"):
        module.encode_query([("color", [{"R": 1}], "form", False, False)])
    with pytest.raises(module.EncodingError, match="cannot be sent"):
        module.text_value(object())
    with pytest.raises(module.EncodingError, match="nested"):
        module.header_value({"a": {"b": 1}})


def test_typescript_refuses_structures_it_cannot_spell(tmp_path: Path) -> None:
    runtime = compile_typescript(REPO_ROOT / "generated" / "typescript-fetch", tmp_path)
    answers = run_batch(
        runtime,
        [
            {"fn": "encodeQuery", "args": [[["color", [{"R": 1}], "form", False, False]]]},
            {"fn": "headerValue", "args": [{"a": {"b": 1}}]},
            {"fn": "encodeForm", "args": [[1, 2]]},
        ],
    )
    assert [a.get("error") for a in answers] == ["EncodingError"] * 3, answers
    assert "nested" in answers[0]["message"]


# allowReserved, on the helpers directly: (id, query entry [name, value, style, explode,
# allowReserved], the query string sent). Reserved characters stay as they are but `&`, `#`, `+`
# (they would end the pair, start the fragment, read as a space); names are always encoded.
RESERVED_CASES: list[tuple[str, list[Any], str]] = [
    ("string-kept", ["next", "/a?b=c&d#e+f g", "form", True, True], "next=/a?b=c%26d%23e%2Bf%20g"),
    ("string-encoded", ["next", "/a?b=c&d#e+f g", "form", True, False], "next=%2Fa%3Fb%3Dc%26d%23e%2Bf%20g"),
    ("deep-name-encoded", ["filter", {"url": "a:b/c"}, "deepObject", True, True], "filter%5Burl%5D=a:b/c"),
    ("pipes-kept", ["p", ["a/b", "c@d"], "pipeDelimited", False, True], "p=a/b%7Cc@d"),
    ("form-joined-kept", ["p", ["a/b", "[c]"], "form", False, True], "p=a/b,[c]"),
]
FORM_VALUE = "/a?b=c&d#e+f g"
FORM_RULES = {"next": ("form", True, True, "", ()), "plain": ("form", True, False, "", ())}
FORM_EXPECTED = "next=/a?b=c%26d%23e%2Bf+g&plain=%2Fa%3Fb%3Dc%26d%23e%2Bf+g"


@pytest.mark.parametrize("style_name", list(PYTHON_RUNTIMES))
@pytest.mark.parametrize(("case", "entry", "expected"), RESERVED_CASES, ids=[c[0] for c in RESERVED_CASES])
def test_python_allow_reserved(style_name: str, case: str, entry: list[Any], expected: str) -> None:
    module = importlib.import_module(PYTHON_RUNTIMES[style_name])
    assert module.query_string(module.encode_query([tuple(entry)])) == expected


@pytest.mark.parametrize("style_name", list(PYTHON_RUNTIMES))
def test_python_allow_reserved_form_property(style_name: str) -> None:
    module = importlib.import_module(PYTHON_RUNTIMES[style_name])
    body = module.encode_form({"next": FORM_VALUE, "plain": FORM_VALUE}, FORM_RULES)
    assert body.decode() == FORM_EXPECTED


def test_typescript_allow_reserved(ts_runtime: Path) -> None:
    """encodeQuery carries each parameter's allowReserved to its pairs; queryString follows it."""
    pairs = run_batch(
        ts_runtime, [{"fn": "encodeQuery", "args": [[entry]]} for _, entry, _ in RESERVED_CASES]
    )
    for (_, entry, _), answer in zip(RESERVED_CASES, pairs, strict=True):
        assert all(kept is entry[4] for _, _, kept in answer["value"]), answer
    texts = run_batch(ts_runtime, [{"fn": "queryString", "args": [answer["value"]]} for answer in pairs])
    assert [t.get("value") for t in texts] == [expected for _, _, expected in RESERVED_CASES]
    rules = [[name, [*rule[:4], []]] for name, rule in FORM_RULES.items()]
    [form] = run_batch(
        ts_runtime, [{"fn": "encodeForm", "args": [{"next": FORM_VALUE, "plain": FORM_VALUE}, rules]}]
    )
    assert form == {"value": FORM_EXPECTED}


def test_go_allow_reserved(tmp_path: Path) -> None:
    """Go's encoders keep the same reserved characters as the other runtimes, names always encoded."""
    module = go_package_copy(REPO_ROOT / "generated" / "go-nethttp", tmp_path)
    rules = [[name, [rule[0], rule[1], rule[3], [], rule[2]]] for name, rule in FORM_RULES.items()]
    calls = [{"fn": "encodeQuery", "args": [[entry]]} for _, entry, _ in RESERVED_CASES]
    calls.append({"fn": "encodeForm", "args": [{"next": FORM_VALUE, "plain": FORM_VALUE}, rules]})
    answers = run_go_batch(module, calls)
    assert [a.get("value") for a in answers] == [expected for _, _, expected in RESERVED_CASES] + [
        FORM_EXPECTED
    ]


@pytest.mark.parametrize(
    ("case", "style", "explode", "value", "expected"), NESTED_CASES, ids=[c[0] for c in NESTED_CASES]
)
def test_go_bracket_convention(
    go_answers: dict[str, dict[str, Any]], case: str, style: str, explode: bool, value: Any, expected: str
) -> None:
    assert _ts_text("query", go_answers[case]) == expected


def test_go_refuses_structures_it_cannot_spell(tmp_path: Path) -> None:
    """A nested value in a non-exploded form, or in a header, or a form body that is no object:
    an error wrapping ErrInvalidArgument (checked by the batch test), never a `%v` on the wire."""
    module = go_package_copy(REPO_ROOT / "generated" / "go-nethttp", tmp_path)
    answers = run_go_batch(
        module,
        [
            {"fn": "queryPairs", "args": [[["color", [{"R": 1}], "form", False]]]},
            {"fn": "headerValue", "args": [{"a": {"b": 1}}, False]},
            {"fn": "encodeForm", "args": [[1, 2], []]},
            {"fn": "pathParam", "args": [["a", ["b"]], "id", "simple", False]},
        ],
    )
    assert [a.get("error") for a in answers] == ["EncodingError"] * 4, answers
    assert "nested" in answers[0]["message"]
