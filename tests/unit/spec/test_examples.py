"""Unit tests for generator.spec.examples (examples and defaults against their schemas) and spec.locate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Diagnostic
from generator.spec.examples import check_examples, find_samples
from generator.spec.load import Document, Workspace, load_document
from generator.spec.locate import JsonLocator, locate
from tests.support.bench_specs import GITHUB, STRIPE, bench_spec
from tests.unit.helpers import spec, write_spec

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"


def _check(path: Path) -> list[Diagnostic]:
    return check_examples(Workspace.open(path))


def _item_spec() -> dict[str, Any]:
    item = {
        "type": "object",
        "required": ["id", "secret"],
        "properties": {
            "id": {"type": "integer"},
            "secret": {"type": "string", "writeOnly": True},
            "tags": {"type": "array", "items": {"type": "string"}, "default": ["a", 1]},
        },
        "examples": [{"id": 1}, {"id": "x"}],
    }
    operation = {
        "operationId": "getItem",
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}, "example": "abc"},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 0}},
            {"name": "ok", "in": "query", "schema": {"type": "integer", "default": 3}, "example": 4},
        ],
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Item"},
                        "examples": {
                            "good": {"value": {"id": 1}},  # `secret` is writeOnly: not in responses
                            "bad": {"$ref": "#/components/examples/BadItem"},
                            "external": {"externalValue": "https://example.com/item.json"},
                        },
                    }
                },
            }
        },
    }
    return spec(
        {"Item": item},
        {"/items/{id}": {"get": operation}},
        components={"schemas": {"Item": item}, "examples": {"BadItem": {"value": {"id": "one"}}}},
    )


def test_bad_examples_and_defaults_are_reported_where_they_are(tmp_path: Path) -> None:
    path = write_spec(tmp_path / "openapi.yaml", _item_spec())
    warnings = _check(path)
    document = load_document(path)
    assert [(w.pointer, w.severity) for w in warnings] == [
        ("/paths/~1items~1{id}/get/parameters/0/example", "warning"),
        ("/paths/~1items~1{id}/get/parameters/1/schema/default", "warning"),
        ("/components/schemas/Item/examples/1/id", "warning"),
        ("/components/schemas/Item/properties/tags/default/1", "warning"),
        ("/components/examples/BadItem/value/id", "warning"),
    ]
    assert all(w.location == document.locate(w.pointer) for w in warnings)
    assert warnings[0].message == "`example` does not match its schema: 'abc' is not of type 'integer'"
    assert (
        warnings[4].message
        == "`examples/bad` does not match its schema at /id: 'one' is not of type 'integer'"
    )
    assert warnings[1].message.startswith(
        "`default` does not match its schema: 0 is less than the minimum of 1"
    )


def test_openapi_30_nullable_example_and_ref_siblings(tmp_path: Path) -> None:
    schemas = {
        "Name": {"type": "string", "nullable": True, "default": None, "example": 5},
        "Holder": {
            "type": "object",
            "properties": {
                "name": {
                    "$ref": "#/components/schemas/Name",
                    "default": 7,
                },  # 3.0 ignores keywords beside $ref
                "count": {"type": "integer", "examples": ["not checked in 3.0"]},
            },
        },
    }
    path = write_spec(tmp_path / "openapi.yaml", spec(schemas, openapi="3.0.3"))
    assert [(w.pointer, w.message) for w in _check(path)] == [
        ("/components/schemas/Name/example", "`example` does not match its schema: 5 is not of type 'string'")
    ]


def test_a_31_ref_with_a_default_beside_it(tmp_path: Path) -> None:
    schemas = {
        "Name": {"type": "string"},
        "Holder": {"properties": {"name": {"$ref": "#/components/schemas/Name", "default": 7}}},
    }
    path = write_spec(tmp_path / "openapi.yaml", spec(schemas))
    assert [w.pointer for w in _check(path)] == ["/components/schemas/Holder/properties/name/default"]


def test_the_flex_spec_has_no_bad_examples() -> None:
    workspace = Workspace.open(FLEX)
    assert [s.what for s in find_samples(workspace)] == ["examples/0"]  # ErrorDetail.code: invalid_request
    assert check_examples(workspace) == []


def test_warnings_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    schemas = {f"S{i}": {"type": "integer", "default": "x"} for i in range(60)}
    path = write_spec(tmp_path / "openapi.yaml", spec(schemas))
    warnings = check_examples(Workspace.open(path), limit=50)
    assert len(warnings) == 51
    assert (
        warnings[-1].message
        == "10 more example(s) or default(s) do not match their schema (only 50 are listed)"
    )


def test_a_schema_the_validator_cannot_compile_is_skipped(tmp_path: Path) -> None:
    schemas = {
        "Bad": {"type": "string", "pattern": "(", "default": "x"},
        "Good": {"type": "string", "default": 1},
    }
    path = write_spec(tmp_path / "openapi.yaml", spec(schemas))
    assert [w.pointer for w in _check(path)] == ["/components/schemas/Good/default"]


def test_json_specs_are_located_without_composing_yaml(tmp_path: Path) -> None:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(_item_spec(), indent=2), encoding="utf-8")
    warnings = _check(path)
    document = load_document(path)
    assert len(warnings) == 5
    assert all(w.location == document.locate(w.pointer) for w in warnings)


# --- locate ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pointer",
    [
        "",
        "/a",
        "/a/0",
        "/a/2/x~1y",
        "/a/2/t~0",
        "/b",
        "/b/c/d",
        "/missing",
        "/a/9",
        "/a/2/nope",
        "/e",
        "/e/0",
    ],
)
def test_json_locator_agrees_with_document_locate(tmp_path: Path, pointer: str) -> None:
    data = {"a": [1, "two", {"x/y": None, "t~": [True]}], "b": {"c": {"d": '\u00e9"\\'}}, "e": []}
    for text in (json.dumps(data, indent=2), json.dumps(data), json.dumps(data, indent="\t")):
        document = Document(tmp_path / "x.json", data, text)
        assert locate(document, pointer, JsonLocator(text)) == document.locate(pointer), (pointer, text)


def test_json_locator_on_text_it_cannot_read_falls_back() -> None:
    assert JsonLocator("{oops").offset("/a") is None
    assert JsonLocator('{"a": 1, "b": 2}').offset("/b") == 9


@pytest.mark.slow
@pytest.mark.parametrize("name", [GITHUB, STRIPE])
def test_example_check_on_large_specs_places_every_warning(name: str) -> None:
    # Its speed is measured where speed belongs, in `make bench` (cold Stripe and GitHub runs), not here.
    warnings = check_examples(Workspace.open(bench_spec(name)))
    assert len(warnings) <= 51
    assert all(w.location is not None and w.location.line > 0 for w in warnings)
