"""Unit tests for generator.drift.command: recordings, every rule, the SDK round trip, output, allow-list, exit codes."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.drift.command import Drift, check_recording, documented_status, load_recordings, media_type_for
from generator.drift.output import Report, load_allow, render_json
from generator.drift.record import Bare, Recording
from generator.drift.sdk import SdkModels, body_pointer, compare, parse_failures, sdk_models
from generator.errors import SpecError
from generator.pipeline import LoadedSpec, load_spec
from tests.unit.helpers import spec, write_spec

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"
EXAMPLES = ROOT / "spec" / "examples"
ALLOW = ROOT / "spec" / "drift-allow.yaml"
BILLING_EMAILS = [
    "/invoice/payment_intent/payment_method/billing_details/email",
    "/invoice/subscription/default_payment_method/billing_details/email",
]
CUSTOMER_EMAILS = [
    "/invoice/payment_intent/customer/email",
    "/invoice/payment_intent/payment_method/customer/email",
    "/invoice/customer/email",
    "/invoice/subscription/customer/email",
    "/invoice/subscription/default_payment_method/customer/email",
]
# The make-check command lines, one a page example (see spec/drift-allow.yaml).
MAKE_CHECK = [
    ["spec/examples/get_invoice.json", "--operation", "getInvoice"],
    ["spec/examples/mark_invoice_uncollectible.json", "--operation", "markInvoiceUncollectible"],
]


# --- helpers -------------------------------------------------------------------------------------


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _operation(schema: dict[str, Any], responses: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "operationId": "getItem",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": _json(schema)}, **(responses or {})},
    }


def _load(
    tmp_path: Path, schema: dict[str, Any], schemas: dict[str, Any] | None = None, **extra: Any
) -> LoadedSpec:
    document = spec(schemas or {}, {"/items/{id}": {"get": _operation(schema)}}, **extra)
    return load_spec(write_spec(tmp_path / "openapi.yaml", document))


def _check(
    loaded: LoadedSpec,
    body: Any,
    *,
    status: int = 200,
    method: str = "GET",
    path: str = "/items/1",
    sdk: bool = False,
) -> list[tuple[str, str]]:
    recording = Recording(method, path, status, body, "rec.json")
    return [(f.id, f.pointer) for f in Drift(loaded, sdk=sdk).check(recording)]


def _example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator.drift.command", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=120)


@pytest.fixture(scope="module")
def flex() -> LoadedSpec:
    return load_spec(FLEX)


# --- the Flex pages' examples --------------------------------------------------------------------


def test_mark_uncollectible_example_has_exactly_the_page_artifacts(flex: LoadedSpec) -> None:
    body = _example("mark_invoice_uncollectible.json")
    recording = Bare(operation_id="markInvoiceUncollectible").recording(body, "mark.json")
    findings = check_recording(flex, recording)
    found = [(f.id, f.severity, f.pointer) for f in findings]
    assert sorted(found) == sorted(
        [("type-mismatch", "breaking", p) for p in BILLING_EMAILS]
        + [("sdk-value-changed", "warning", p) for p in BILLING_EMAILS]
        + [("format-mismatch", "warning", p) for p in CUSTOMER_EMAILS]
    )
    by_key = {(f.id, f.pointer): f for f in findings}
    assert by_key[("type-mismatch", BILLING_EMAILS[0])].message == "expected string, got integer 123"
    assert by_key[("sdk-value-changed", BILLING_EMAILS[1])].message == 'the SDK gives 123 back as "123"'
    assert (
        "\\u00a0" in by_key[("format-mismatch", CUSTOMER_EMAILS[0])].message
    )  # the invisible artifact, shown
    assert {f.operation for f in findings} == {"POST /v1/invoices/{id}/mark_uncollectible"}


def test_get_invoice_example_has_no_findings(flex: LoadedSpec) -> None:
    recording = Bare("GET", "/v1/invoices/inv_1").recording(_example("get_invoice.json"), "get.json")
    assert check_recording(flex, recording) == []


def test_sdk_parse_failures_are_where_the_lenient_sdk_reports_type_mismatches(flex: LoadedSpec) -> None:
    """Drift's SDK check (a strict parse) and the SDK's default lenient parse agree on the places."""
    import flex_client

    body = _example("get_invoice.json")
    for name in ("payment_intent", "customer", "subscription"):  # the Flex API's newer shape: ids
        body["invoice"][name] = body["invoice"][name][f"{name}_id"]
    recording = Bare(operation_id="getInvoice").recording(body, "newer.json")
    failures = {f.pointer for f in check_recording(flex, recording) if f.id == "sdk-parse-failure"}
    events: list[Any] = []
    remove = flex_client.on_unknown(events.append)
    try:
        parsed = flex_client.InvoiceResponse.from_json(json.dumps(body), strict=False)
    finally:
        remove()
    assert (
        failures
        == {e.pointer for e in events if e.kind == "type_mismatch"}
        == {
            "/invoice/payment_intent",
            "/invoice/customer",
            "/invoice/subscription",
        }
    )
    assert parsed.invoice.customer is None
    assert parsed.invoice.mismatched_fields["customer"] == body["invoice"]["customer"]


@pytest.mark.parametrize("args", MAKE_CHECK)
def test_make_check_command_passes_with_the_allow_list(args: list[str]) -> None:
    done = _cli("spec/openapi.yaml", *args, "--fail-on", "warning", "--allow", "spec/drift-allow.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 breaking, 0 warning" in done.stdout and "note:" not in done.stdout


def test_a_new_drift_in_an_example_fails_make_check(tmp_path: Path) -> None:
    body = _example("mark_invoice_uncollectible.json")
    body["invoice"]["total"] = "123"
    body["invoice"]["surprise"] = True
    recording = tmp_path / "mark_invoice_uncollectible.json"
    recording.write_text(json.dumps(body), encoding="utf-8")
    args = ["--operation", "markInvoiceUncollectible", "--fail-on", "warning", "--allow", str(ALLOW)]
    done = _cli(str(FLEX), str(recording), *args)
    assert done.returncode == 1
    assert "breaking type-mismatch at /invoice/total" in done.stdout
    assert "breaking sdk-parse-failure at /invoice/total" not in done.stdout  # pydantic reads "123" as 123
    assert "warning undocumented-field at /invoice/surprise" in done.stdout
    assert "9 allowed" in done.stdout


# --- status and operation ------------------------------------------------------------------------


def test_unknown_operation_by_path_and_by_method(tmp_path: Path) -> None:
    loaded = _load(tmp_path, {"type": "object"})
    assert _check(loaded, {}, path="/nothing/here") == [("unknown-operation", "")]
    findings = Drift(loaded).check(Recording("DELETE", "/items/1", 200, {}, "r.json"))
    assert [(f.id, f.severity, f.operation) for f in findings] == [("unknown-operation", "breaking", None)]
    assert "DELETE is not an operation of /items/{id} (it has GET, HEAD)" in findings[0].message


def test_undocumented_status_and_ranges_and_default(tmp_path: Path) -> None:
    loaded = _load(tmp_path, {"type": "object"})
    assert _check(loaded, {}, status=418) == [("undocumented-status", "")]
    assert documented_status(["200", "4XX"], 404) == "4XX"
    assert documented_status(["200", "4xx"], 404) == "4xx"
    assert documented_status(["200", "default"], 503) == "default"
    assert documented_status(["200", "201"], 204) is None


def test_error_body_is_checked_against_its_documented_schema(tmp_path: Path) -> None:
    error = {"description": "bad", "content": _json({"type": "object", "required": ["code"]})}
    document = spec({}, {"/items/{id}": {"get": _operation({"type": "object"}, {"4XX": error})}})
    loaded = load_spec(write_spec(tmp_path / "openapi.yaml", document))
    assert _check(loaded, {"message": "x"}, status=404) == [("missing-required-field", "/code")]


def test_a_body_where_the_spec_documents_none(tmp_path: Path) -> None:
    document = spec(
        {}, {"/items/{id}": {"get": _operation({"type": "object"}, {"204": {"description": "gone"}})}}
    )
    loaded = load_spec(write_spec(tmp_path / "openapi.yaml", document))
    assert _check(loaded, {"a": 1}, status=204) == [("undocumented-field", "")]
    empty = Recording("GET", "/items/1", 204, None, "r.json", has_body=False)
    assert Drift(loaded).check(empty) == []


def test_media_type_choice() -> None:
    assert media_type_for(["application/json", "text/plain"], "text/plain; charset=utf-8") == "text/plain"
    assert media_type_for(["application/*"], "application/problem+json") == "application/*"
    assert (
        media_type_for(["text/html", "application/vnd.x+json"], "application/json")
        == "application/vnd.x+json"
    )
    assert media_type_for(["text/html"], "application/json") is None


# --- the schema walk, rule by rule ---------------------------------------------------------------


def test_type_mismatch_missing_required_and_undocumented(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    }
    loaded = _load(tmp_path, schema)
    body = {"id": "7", "tags": ["a", 2], "extra": {"deep": 1}}
    assert _check(loaded, body) == [
        ("missing-required-field", "/name"),
        ("type-mismatch", "/id"),
        ("type-mismatch", "/tags/1"),
        ("undocumented-field", "/extra"),
    ]
    assert _check(loaded, []) == [("type-mismatch", "")]


def test_numbers(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"i": {"type": "integer"}, "n": {"type": "number"}}}
    loaded = _load(tmp_path, schema)
    assert _check(loaded, {"i": 1.0, "n": 3}) == []  # 1.0 is an integer; an integer is a number
    assert _check(loaded, {"i": 1.5, "n": True}) == [("type-mismatch", "/i"), ("type-mismatch", "/n")]


def test_free_form_objects_and_additional_properties(tmp_path: Path) -> None:
    schemas = {
        "Open": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": True},
        "Closed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
        "Map": {"type": "object", "additionalProperties": {"type": "integer"}},
        "Free": {"type": "object"},
    }
    schema = {
        "type": "object",
        "properties": {name: {"$ref": f"#/components/schemas/{name}"} for name in schemas},
    }
    loaded = _load(tmp_path, schema, schemas)
    body = {"Open": {"b": 1}, "Closed": {"b": 1}, "Map": {"x": 1, "y": "two"}, "Free": {"anything": [1]}}
    findings = Drift(loaded, sdk=False).check(Recording("GET", "/items/1", 200, body, "r.json"))
    assert [(f.id, f.pointer) for f in findings] == [
        ("undocumented-field", "/Closed/b"),
        ("type-mismatch", "/Map/y"),
    ]
    assert "additionalProperties: false" in findings[0].message


def test_enum_value_not_in_spec_and_const(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"status": {"type": "string", "enum": ["open", "paid"]}, "kind": {"const": "item"}},
    }
    loaded = _load(tmp_path, schema)
    assert _check(loaded, {"status": "paid", "kind": "item"}) == []
    findings = Drift(loaded).check(Recording("GET", "/items/1", 200, {"status": "void", "kind": "x"}, "r"))
    assert [(f.id, f.severity, f.pointer) for f in findings] == [
        ("enum-value-not-in-spec", "warning", "/status"),
        ("enum-value-not-in-spec", "warning", "/kind"),
    ]
    assert findings[0].message == '"void" is not one of "open", "paid"'


def test_format_mismatch(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "email": {"type": "string", "format": "email"},
            "small": {"type": "integer", "format": "int32"},
            "id": {"type": "string", "format": "uuid"},
        },
    }
    loaded = _load(tmp_path, schema)
    good = {
        "at": "2024-01-02T03:04:05Z",
        "email": "a@b.c",
        "small": 7,
        "id": "2f1d4a3e-8b0c-4f7e-9a6d-1c2b3a4d5e6f",
    }
    assert _check(loaded, good) == []
    bad = {"at": "yesterday", "email": "nobody", "small": 2**31, "id": "nope"}
    assert _check(loaded, bad) == [("format-mismatch", f"/{name}") for name in bad]


def test_nullable_the_30_and_31_ways(tmp_path: Path) -> None:
    schema31 = {
        "type": "object",
        "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"oneOf": [{"type": "string"}, {"type": "null"}]},
            "c": {"type": "string"},
            "d": {"enum": ["x", None]},
        },
    }
    loaded = _load(tmp_path / "31", schema31)
    assert _check(loaded, {"a": None, "b": None, "c": "x", "d": None}) == []
    findings = Drift(loaded, sdk=False).check(Recording("GET", "/items/1", 200, {"a": 1, "c": None}, "r"))
    assert [(f.id, f.pointer, f.message) for f in findings] == [
        ("type-mismatch", "/a", "expected null or string, got integer 1"),
        ("type-mismatch", "/c", "expected string, got null null"),
    ]
    schema30 = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "nullable": True},
            "b": {"nullable": True, "allOf": [{"$ref": "#/components/schemas/Thing"}]},
            "c": {"type": "string"},
        },
    }
    thing = {"type": "object", "properties": {"x": {"type": "integer"}}}
    document = spec({"Thing": thing}, {"/items/{id}": {"get": _operation(schema30)}}, openapi="3.0.3")
    loaded30 = load_spec(write_spec(tmp_path / "30" / "openapi.yaml", document))
    assert _check(loaded30, {"a": None, "b": None}) == []
    assert _check(loaded30, {"b": {"x": "1"}, "c": None}) == [
        ("type-mismatch", "/b/x"),
        ("type-mismatch", "/c"),
    ]


def test_one_of_reports_against_the_best_variant(tmp_path: Path) -> None:
    schemas = {
        "Cat": {
            "type": "object",
            "required": ["meows"],
            "properties": {"meows": {"type": "boolean"}, "name": {"type": "string"}},
        },
        "Dog": {
            "type": "object",
            "required": ["barks"],
            "properties": {"barks": {"type": "boolean"}, "name": {"type": "string"}},
        },
    }
    pet = {
        "oneOf": [
            {"type": "string"},
            {"$ref": "#/components/schemas/Cat"},
            {"$ref": "#/components/schemas/Dog"},
        ]
    }
    loaded = _load(tmp_path, {"type": "object", "properties": {"pet": pet}}, schemas)
    assert _check(loaded, {"pet": "pet_1"}) == []
    assert _check(loaded, {"pet": {"barks": True, "name": "Rex"}}) == []
    assert _check(loaded, {"pet": {"barks": "yes", "name": "Rex"}}) == [("type-mismatch", "/pet/barks")]
    findings = Drift(loaded).check(Recording("GET", "/items/1", 200, {"pet": 5}, "r"))
    # The SDK reads the number as the id string: coerced, not rejected.
    assert [(f.id, f.pointer) for f in findings] == [("type-mismatch", "/pet"), ("sdk-value-changed", "/pet")]
    assert findings[0].message == "expected object or string, got integer 5"


def test_discriminator_picks_the_variant(tmp_path: Path) -> None:
    schemas = {
        "Card": {"type": "object", "properties": {"type": {"type": "string"}, "last4": {"type": "string"}}},
        "Bank": {"type": "object", "properties": {"type": {"type": "string"}, "iban": {"type": "string"}}},
    }
    method = {
        "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}],
        "discriminator": {"propertyName": "type", "mapping": {"card": "#/components/schemas/Card"}},
    }
    loaded = _load(tmp_path, method, schemas)
    # Without the discriminator Bank would fit better (no undocumented field); the tag says Card.
    assert _check(loaded, {"type": "card", "iban": "DE00"}) == [("undocumented-field", "/iban")]
    assert _check(loaded, {"type": "Bank", "iban": "DE00"}) == []  # the schema name is the implicit tag


def test_all_of_is_merged_and_properties_beside_one_of_count(tmp_path: Path) -> None:
    schemas = {"Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"size": {"type": "integer"}}},
        ],
        "properties": {"kind": {"type": "string"}},
        "oneOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {"type": "integer"}}}],
    }
    loaded = _load(tmp_path, schema, schemas)
    assert _check(loaded, {"id": "1", "size": 2, "kind": "k", "b": 3}) == []
    assert _check(loaded, {"size": "2", "b": 3, "zzz": 1}) == [
        ("missing-required-field", "/id"),
        ("type-mismatch", "/size"),
        ("undocumented-field", "/zzz"),
    ]


def test_write_only_required_fields_may_be_missing_from_responses(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "required": ["password", "id"],
        "properties": {"password": {"type": "string", "writeOnly": True}, "id": {"type": "string"}},
    }
    assert _check(_load(tmp_path, schema), {}) == [("missing-required-field", "/id")]


def test_pointers_escape_slash_and_tilde(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"a/b": {"type": "object", "properties": {"~c": {"type": "integer"}}}},
    }
    loaded = _load(tmp_path, schema)
    assert _check(loaded, {"a/b": {"~c": "x", "d/~e": 1}}) == [
        ("type-mismatch", "/a~1b/~0c"),
        ("undocumented-field", "/a~1b/d~1~0e"),
    ]


def test_recursive_and_cross_file_schemas(tmp_path: Path) -> None:
    node = {
        "type": "object",
        "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/Node"}},
        },
    }
    (tmp_path / "shared.yaml").write_text(yaml.safe_dump({"Node": node}), encoding="utf-8")
    loaded = _load(tmp_path, {"$ref": "shared.yaml#/Node"})
    body = {"value": 1, "children": [{"value": 2, "children": [{"value": "three"}]}]}
    assert _check(loaded, body) == [("type-mismatch", "/children/0/children/0/value")]


# --- the SDK round trip --------------------------------------------------------------------------


def test_sdk_round_trip_findings(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "class": {"type": "string"},
            "count": {"type": "integer"},
            "label": {"type": "string"},
            "when": {"type": "string", "format": "date-time"},
            "owner": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Owner"}]},
            "sizes": {"type": "array", "items": {"type": "integer"}},
        },
    }
    schemas = {"Owner": {"type": "object", "properties": {"age": {"type": "integer"}}}}
    loaded = _load(tmp_path, schema, schemas)
    sdk = [
        f
        for f in _check(loaded, {"label": 5, "when": "2024-01-01T00:00:00+00:00"}, sdk=True)
        if f[0].startswith("sdk-")
    ]
    assert sdk == [("sdk-value-changed", "/label"), ("sdk-value-changed", "/when")]
    # `class_` is the Python name of the field `class`: pydantic takes it for that field and drops it.
    assert ("sdk-field-lost", "/class_") in _check(loaded, {"class": "a", "class_": "b"}, sdk=True)
    failures = _check(loaded, {"count": "many", "owner": {"age": "old"}, "sizes": [1, "big"]}, sdk=True)
    assert {("sdk-parse-failure", "/count"), ("sdk-parse-failure", "/sizes/1")} <= set(failures)
    assert ("sdk-parse-failure", "/owner") not in failures  # the `str` member's error: another got further
    assert ("type-mismatch", "/owner/age") in failures  # whether or not the SDK keeps the unknown shape


def test_sdk_models_are_cached_and_leave_no_modules_behind(tmp_path: Path) -> None:
    loaded = _load(tmp_path, {"type": "object", "properties": {"a": {"type": "string"}}})
    models = sdk_models(loaded)
    assert models.skipped is None and list(models.methods) == ["getItem"]
    assert sdk_models(loaded) is models
    adapter = models.adapter("getItem")
    assert adapter is not None and adapter.validate_json('{"a": "x"}').to_dict() == {"a": "x"}
    assert models.adapter("getItem") is adapter  # built once
    assert not [name for name in sys.modules if name.startswith("_sdkgen_drift_")]


def test_sdk_check_is_skipped_without_pydantic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pydantic" else real(name, *a)
    )
    loaded = _load(tmp_path, {"type": "object"})
    findings = Drift(loaded).check(Recording("GET", "/items/1", 200, {}, "r"))
    assert [(f.id, f.severity) for f in findings] == [("sdk-check-skipped", "info")]
    assert "pydantic not installed" in findings[0].message


def test_an_sdk_type_pydantic_cannot_build_is_reported() -> None:
    def method() -> None: ...

    method.__annotations__ = {"return": "NoSuchModel"}
    models = SdkModels({}, {"op": method})
    assert models.adapter("op") is None and "NameError" in models.failed["op"]
    assert models.adapter("other") is None and "other" not in models.failed


def test_body_pointer_skips_union_member_names() -> None:
    body = {"a": {"str": 1, "items": [{"x": 1}]}}
    assert body_pointer(("a", "Model", "items", 0, "x"), body) == "/a/items/0/x"
    assert body_pointer(("a", "Model", "missing"), body, missing=True) == "/a/missing"
    assert body_pointer(("a", "str"), body) == "/a/str"  # a key of the body, not a member name
    assert body_pointer(("a", "int"), body) == "/a"
    errors = [{"loc": ("a", "str"), "msg": "bad"}, {"loc": ("a", "Model", "items", 0, "x"), "msg": "worse"}]
    assert [(i.pointer, i.message) for i in parse_failures(errors, {"a": {"items": [{"x": 1}]}})] == [
        (
            "/a/items/0/x",
            "strict_responses=True rejects this (by default the SDK sets it aside as a type_mismatch): worse",
        )
    ]


def test_compare_finds_lost_added_and_changed_values() -> None:
    original = {"a": 1, "b": [1, 2], "c": {"d": True}, "gone": None, "f": 1.0}
    dumped = {"a": 1.0, "b": [1, 3], "c": {"d": 1}, "new": "x", "f": 1}
    assert [(i.rule, i.pointer) for i in compare(original, dumped, "")] == [
        ("sdk-value-changed", "/b/1"),
        ("sdk-value-changed", "/c/d"),
        ("sdk-field-lost", "/gone"),
        ("sdk-value-changed", "/new"),
    ]


# --- recordings ----------------------------------------------------------------------------------


def _har_entry(
    method: str, url: str, status: int, body: Any = None, mime: str = "application/json", **content: Any
) -> dict[str, Any]:
    text = json.dumps(body) if body is not None and "text" not in content else content.pop("text", None)
    return {
        "request": {"method": method, "url": url, "headers": []},
        "response": {
            "status": status,
            "content": {"mimeType": mime, **({"text": text} if text is not None else {}), **content},
        },
    }


def test_har_file_with_several_entries(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        {"type": "object", "properties": {"id": {"type": "string"}}},
        servers=[{"url": "https://api.example.com/v2"}],
    )
    encoded = base64.b64encode(json.dumps({"id": 3}).encode()).decode()
    entries = [
        _har_entry("GET", "https://api.example.com/v2/items/a%2Fb?expand=x", 200, {"id": "a/b"}),
        _har_entry("GET", "https://api.example.com/v2/orders/1", 200, {}),
        _har_entry("GET", "https://api.example.com/v2/items/2", 418, {"teapot": True}),
        _har_entry("GET", "https://api.example.com/v2/items/3", 200, text=encoded, encoding="base64"),
        _har_entry("GET", "https://api.example.com/v2/items/4", 200, mime="text/html", text="<html>"),
        _har_entry("GET", "https://api.example.com/v2/items/5", 0),
        _har_entry("GET", "https://api.example.com/v2/items/6", 200, text="{not json"),
    ]
    har = tmp_path / "traffic.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}, indent=1), encoding="utf-8")
    recordings = load_recordings([har])
    assert [(r.path, r.status, r.index) for r in recordings] == [
        ("/v2/items/a%2Fb", 200, 0),
        ("/v2/orders/1", 200, 1),
        ("/v2/items/2", 418, 2),
        ("/v2/items/3", 200, 3),
        ("/v2/items/4", 200, 4),
        ("/v2/items/6", 200, 6),
    ]  # the entry without a response (status 0) is left out
    drift = Drift(loaded, sdk=False)
    found = [(f.source.rsplit("/", 1)[-1], f.id, f.pointer) for r in recordings for f in drift.check(r)]
    assert found == [
        ("traffic.har[1]", "unknown-operation", ""),
        ("traffic.har[2]", "undocumented-status", ""),
        ("traffic.har[3]", "type-mismatch", "/id"),
        ("traffic.har[6]", "invalid-json-body", ""),
    ]


def test_recording_files_and_bare_bodies(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(
        json.dumps({"method": "get", "path": "https://h/items/1?x=1", "status": 200, "body": {"a": 1}})
    )
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"method": "GET", "path": "/items/2", "status": 404}]))
    recordings = load_recordings([one, many])
    assert [(r.method, r.path, r.status, r.has_body, r.source.rsplit("/", 1)[-1]) for r in recordings] == [
        ("GET", "/items/1", 200, True, "one.json"),
        ("GET", "/items/2", 404, False, "many.json[0]"),
    ]
    bare = load_recordings([one], Bare.parse(None, "POST /items/1/x?y", 201))
    assert [(r.method, r.path, r.status, r.body["status"]) for r in bare] == [
        ("POST", "/items/1/x", 201, 200)
    ]
    assert load_recordings([one], Bare.parse("getItem", None, 200))[0].operation_id == "getItem"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"method": "GET",\n "path": "/x",\n "status": 200,,}',
            "invalid JSON: Expecting property name enclosed in double quotes",
        ),
        ('{"method": "GET",\n "path": "/x",\n "status": "ok"}', "`status` must be an HTTP status code"),
        ('{"method": "FETCH", "path": "/x", "status": 200}', "`method` must be an HTTP method"),
        ('{"invoice": {}}', "for a bare response body, pass --operation or --request"),
        (
            '{"log": {"entries": [{"request": {"method": "GET"}, "response": {"status": 200}}]}}',
            "a HAR request needs a `url`",
        ),
    ],
)
def test_bad_recording_files(tmp_path: Path, text: str, expected: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_recordings([bad])
    diagnostic = caught.value.diagnostics[0]
    assert expected in diagnostic.message
    assert diagnostic.location is not None and diagnostic.location.file.endswith("bad.json")
    if "status" in expected or "JSON" in expected:
        assert diagnostic.location.line == 3


def test_bare_request_option_is_checked() -> None:
    with pytest.raises(SpecError, match="METHOD PATH"):
        Bare.parse(None, "/items/1", 200)
    with pytest.raises(SpecError, match="not both"):
        Bare.parse("getItem", "GET /items/1", 200)


def test_unknown_operation_id_is_bad_input(flex: LoadedSpec) -> None:
    with pytest.raises(SpecError, match="no such operationId"):
        check_recording(flex, Bare(operation_id="nope").recording({}, "x.json"))


# --- output, allow-list and exit codes -----------------------------------------------------------


def test_json_output_shape(flex: LoadedSpec) -> None:
    body = _example("mark_invoice_uncollectible.json")
    source = "spec/examples/mark_invoice_uncollectible.json"
    findings = Drift(flex).check(Bare(operation_id="markInvoiceUncollectible").recording(body, source))
    report = Report.build(findings, [source], load_allow(ALLOW)[:1])
    data = json.loads(render_json(report, "breaking"))
    assert set(data) == {"findings", "allowed", "summary"}
    assert set(data["findings"][0]) == {"id", "severity", "operation", "pointer", "message", "source"}
    assert [a["pointer"] for a in data["allowed"]] == BILLING_EMAILS and "123" in data["allowed"][0]["reason"]
    assert data["summary"] == {
        "recordings": 1,
        "breaking": 0,
        "warning": 7,
        "info": 0,
        "allowed": 2,
        "stale_allow_entries": [],
        "fail_on": "breaking",
        "failed": False,
    }


def test_cli_exit_codes_and_text_output(tmp_path: Path) -> None:
    document = spec(
        {}, {"/items/{id}": {"get": _operation({"type": "object", "properties": {"n": {"type": "integer"}}})}}
    )
    spec_path = write_spec(tmp_path / "openapi.yaml", document)
    warning_only = tmp_path / "warn.json"
    warning_only.write_text(
        json.dumps({"method": "GET", "path": "/items/1", "status": 200, "body": {"x": 1}})
    )
    breaking = tmp_path / "break.json"
    breaking.write_text(json.dumps({"method": "GET", "path": "/items/1", "status": 200, "body": {"n": "1"}}))
    assert _cli(str(spec_path), str(warning_only), cwd=tmp_path).returncode == 0
    done = _cli(str(spec_path), str(warning_only), "--fail-on", "warning", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        done.stdout.splitlines()[0]
        == "warn.json: warning undocumented-field at /x: field 'x' is not in the spec"
    )
    assert done.stdout.splitlines()[-1].startswith(
        "drift: 1 recording(s); 0 breaking, 1 warning, 0 info, 0 allowed; FAIL"
    )
    done = _cli(str(spec_path), str(breaking), "--format", "json", cwd=tmp_path)
    assert done.returncode == 1 and json.loads(done.stdout)["summary"]["breaking"] == 1
    allow = tmp_path / "allow.yaml"
    allow.write_text(
        yaml.safe_dump(
            {
                "allow": [
                    {"id": "undocumented-field", "pointer": "/x", "reason": "known"},
                    {"id": "type-mismatch", "pointer": "/zzz", "reason": "stale"},
                ]
            }
        )
    )
    done = _cli(
        str(spec_path), str(warning_only), "--fail-on", "warning", "--allow", str(allow), cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout
    assert "allowed undocumented-field at /x" in done.stdout
    assert "allow.yaml:5:3: note: allow entry type-mismatch matched nothing" in done.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing.json"], "missing.json: error: file not found"),
        (["bad.json"], "bad.json:1:2: error: invalid JSON"),
        (["ok.json", "--operation", "nope"], "no such operationId"),
        (["ok.json", "--status", "201"], "--status is the status of bare bodies"),
        (["ok.json", "--allow", "allow.yaml"], "unknown rule id 'no-such-rule'"),
    ],
)
def test_cli_bad_input_exits_2_without_traceback(tmp_path: Path, args: list[str], expected: str) -> None:
    (tmp_path / "bad.json").write_text("{oops}")
    (tmp_path / "ok.json").write_text("{}")
    (tmp_path / "allow.yaml").write_text("allow:\n  - {id: no-such-rule, pointer: /x, reason: r}\n")
    done = _cli(str(FLEX), *args, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr and done.stdout == ""


def test_allow_entries_need_a_reason_and_pointers(tmp_path: Path) -> None:
    allow = tmp_path / "allow.yaml"
    allow.write_text("allow:\n  - {id: type-mismatch, pointer: /x}\n")
    with pytest.raises(SpecError, match="needs a `reason`"):
        load_allow(allow)
    allow.write_text("allow:\n  - {id: type-mismatch, reason: r}\n")
    with pytest.raises(SpecError, match="`pointer`"):
        load_allow(allow)
