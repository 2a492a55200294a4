"""Unit tests for generator.model.build: the intermediate model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.model.build import build_ir
from generator.model.ir import (
    AnyType,
    ApiIR,
    ArrayType,
    EnumRef,
    MapType,
    ModelRef,
    Nullable,
    Primitive,
    UnionType,
)
from generator.spec.load import Workspace
from tests.unit.helpers import spec, write_spec

ROOT = Path(__file__).resolve().parents[3]


def _build(tmp_path: Path, document: dict[str, Any]) -> ApiIR:
    api, _ = build_ir(Workspace.open(write_spec(tmp_path / "spec.yaml", document)))
    return api


def _fields(api: ApiIR, model: str) -> dict[str, Any]:
    return {f.wire_name: f for m in api.models if m.name == model for f in m.fields}


def test_flex_spec_ir() -> None:
    api, warnings = build_ir(Workspace.open(ROOT / "spec" / "openapi.yaml"))
    assert warnings == []
    assert api.title == "Flex API" and api.servers == ["https://api.withflex.com"]
    assert [(o.operation_id, o.method, o.path, o.group) for o in api.operations] == [
        ("getInvoice", "GET", "/v1/invoices/{id}", "Invoices"),
        ("markInvoiceUncollectible", "POST", "/v1/invoices/{id}/mark_uncollectible", "Invoices"),
    ]
    get = api.operations[0]
    assert [(p.wire_name, p.location, p.required) for p in get.parameters] == [("id", "path", True)]
    assert get.success is not None and get.success.type == ModelRef("InvoiceResponse")
    assert get.security == [["bearerAuth"]]
    intent = _fields(api, "PaymentIntent")
    assert intent["payment_method"].type == UnionType((Primitive("string"), ModelRef("PaymentMethod")))
    assert intent["invoice"].type == UnionType((Primitive("string"), ModelRef("Invoice")))
    assert intent["status"].type == EnumRef("PaymentIntentStatus")
    assert _fields(api, "InvoiceResponse")["invoice"].required
    assert api.error_shape.code_path == ("error", "code")
    assert api.error_shape.message_path == ("error", "message")
    statuses = {e.name: e.values for e in api.enums}
    assert statuses["InvoiceStatus"] == ["draft", "uncollectible"]
    assert all(e.open for e in api.enums)


def test_recursive_and_mutually_recursive_schemas(tmp_path: Path) -> None:
    api = _build(
        tmp_path,
        spec(
            {
                "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {
                    "type": "object",
                    "properties": {"a": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}},
                },
            }
        ),
    )
    assert [m.name for m in api.models] == ["Node", "A", "B"]
    assert _fields(api, "Node")["next"].type == ModelRef("Node")
    assert _fields(api, "B")["a"].type == ArrayType(ModelRef("A"))


def test_nullable_30_and_31_are_the_same(tmp_path: Path) -> None:
    schemas = {
        "M": {
            "type": "object",
            "properties": {
                "a": {"type": "string", "nullable": True},
                "b": {"type": ["string", "null"]},
                "c": {"oneOf": [{"type": "string"}, {"type": "null"}]},
                "d": {"type": ["integer", "string"]},
            },
        }
    }
    api = _build(tmp_path, spec(schemas))
    fields = _fields(api, "M")
    assert fields["a"].type == fields["b"].type == fields["c"].type == Nullable(Primitive("string"))
    assert fields["d"].type == UnionType((Primitive("integer"), Primitive("string")))


def test_inline_objects_and_enums_get_stable_collision_free_names(tmp_path: Path) -> None:
    schemas = {
        "Pet": {
            "type": "object",
            "properties": {
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "tags": {"type": "object", "additionalProperties": {"type": "integer"}},
                "free": {"type": "object"},
            },
        },
        "PetOwner": {"type": "object", "properties": {"x": {"type": "string"}}},
    }
    api = _build(tmp_path, spec(schemas))
    fields = _fields(api, "Pet")
    # The component PetOwner keeps its name; the inline owner object gets a suffix.
    assert fields["owner"].type == ModelRef("PetOwner_2")
    assert fields["kind"].type == EnumRef("PetKind")
    assert fields["tags"].type == MapType(Primitive("integer"))
    assert fields["free"].type == MapType(AnyType())
    again = _build(tmp_path / "again", spec(schemas))
    assert [m.name for m in again.models] == [m.name for m in api.models]


def test_all_of_merges_refs_and_inline_parts(tmp_path: Path) -> None:
    schemas = {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Dog": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "boolean"}}},
            ]
        },
    }
    api = _build(tmp_path, spec(schemas))
    fields = _fields(api, "Dog")
    assert list(fields) == ["id", "bark"]
    assert fields["id"].required and fields["bark"].required


def test_parameters_merge_path_and_operation_levels(tmp_path: Path) -> None:
    paths = {
        "/items/{item_id}": {
            "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "listThings",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "X-Req", "in": "header", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            },
        }
    }
    api = _build(tmp_path, spec(paths=paths))
    params = api.operations[0].parameters
    assert [(p.wire_name, p.location, p.required) for p in params] == [
        ("item_id", "path", True),
        ("X-Req", "header", True),
        ("limit", "query", False),
    ]
    assert api.operations[0].success is not None and api.operations[0].success.type is None


def test_not_is_ignored_with_a_warning(tmp_path: Path) -> None:
    schemas = {"M": {"type": "object", "properties": {"a": {"not": {"type": "string"}}}}}
    _, warnings = build_ir(Workspace.open(write_spec(tmp_path / "spec.yaml", spec(schemas))))
    assert len(warnings) == 1 and "`not`" in warnings[0].message
    assert warnings[0].location is not None and warnings[0].location.line > 0


def test_boolean_enums_are_booleans(tmp_path: Path) -> None:
    schemas = {"M": {"type": "object", "properties": {"deleted": {"type": "boolean", "enum": [True]}}}}
    api = _build(tmp_path, spec(schemas))
    assert _fields(api, "M")["deleted"].type == Primitive("boolean")
    assert api.enums == []


def test_a_component_that_is_only_a_union_gets_an_alias(tmp_path: Path) -> None:
    cat = {"type": "object", "properties": {"meow": {"type": "boolean"}}}
    api = _build(
        tmp_path,
        spec(
            {
                "Cat": cat,
                "Id": {"description": "An id.", "oneOf": [{"type": "string"}, {"type": "integer"}]},
                "MaybeCat": {
                    "anyOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "string"}, {"type": "null"}]
                },
                "Single": {"oneOf": [{"$ref": "#/components/schemas/Cat"}]},  # no union: the model itself
                "Shaped": {"oneOf": [{"type": "string"}, {"type": "integer"}], "properties": {"a": {}}},
                "Again": {"$ref": "#/components/schemas/Id"},  # a reference, not a union of its own
            }
        ),
    )
    aliases = {a.name: a for a in api.aliases}
    assert sorted(aliases) == ["Id", "MaybeCat"]
    assert aliases["Id"].type == UnionType((Primitive("string"), Primitive("integer")))
    assert aliases["Id"].description == "An id." and aliases["Id"].source == "/components/schemas/Id"
    assert aliases["MaybeCat"].type == Nullable(UnionType((ModelRef("Cat"), Primitive("string"))))


# --- defaults: only one that meets its schema goes into generated code ---------------------------

DEFAULTS: dict[str, tuple[dict[str, Any], str | None]] = {
    # property schema -> what the warning says, or None when the default is kept
    "typed": ({"type": "integer", "default": 3}, None),
    "wrong_type": ({"type": "number", "default": "1"}, "does not have the property's type"),
    "bool_for_int": ({"type": "integer", "default": True}, "does not have the property's type"),
    "in_enum": ({"type": "string", "enum": ["a", "b"], "default": "b"}, None),
    "outside_enum": ({"type": "string", "enum": ["a", "b"], "default": "c"}, "is not one of the enum values"),
    "int_enum_not_bool": ({"type": "integer", "enum": [1, 2], "default": 1}, None),
    "const": ({"type": "string", "const": "x", "default": "y"}, "is not one of the enum values"),
    "null_in_nullable": ({"type": ["integer", "null"], "minimum": 1, "default": None}, None),
    "at_minimum": ({"type": "integer", "minimum": 1, "default": 1}, None),
    "below_minimum": ({"type": "integer", "minimum": 1, "default": 0}, "is below the minimum 1"),
    "above_maximum": ({"type": "number", "maximum": 10, "default": 10.5}, "is above the maximum 10"),
    "exclusive_31": (
        {"type": "integer", "exclusiveMinimum": 0, "default": 0},
        "is not above the exclusive minimum 0",
    ),
    "exclusive_max_31": (
        {"type": "integer", "exclusiveMaximum": 5, "default": 5},
        "is not below the exclusive maximum 5",
    ),
    "too_short": ({"type": "string", "minLength": 2, "default": "a"}, "has fewer than 2 character(s)"),
    "too_long": ({"type": "string", "maxLength": 2, "default": "abc"}, "has more than 2 character(s)"),
    "pattern_ok": ({"type": "string", "pattern": "^\\p{L}+$", "default": "héllo"}, None),
    "pattern_ecma_digits": (
        {"type": "string", "pattern": "^\\d+$", "default": "\u0661٢"},
        "does not match the pattern",
    ),
    "too_few_items": (
        {"type": "array", "items": {"type": "string"}, "minItems": 1, "default": []},
        "has fewer than 1 item(s)",
    ),
}


def test_a_default_that_breaks_its_schema_is_left_out_with_a_warning(tmp_path: Path) -> None:
    properties = {name: schema for name, (schema, _) in DEFAULTS.items()}
    document = spec({"Thing": {"type": "object", "properties": properties}})
    api, warnings = build_ir(Workspace.open(write_spec(tmp_path / "spec.yaml", document)))
    fields = _fields(api, "Thing")
    said = {w.pointer.rsplit("/", 2)[-2]: w.message for w in warnings}
    for name, (schema, problem) in DEFAULTS.items():
        field = fields[name]
        if problem is None:
            assert field.has_default and field.default == schema["default"], name
            assert name not in said, name
        else:
            assert not field.has_default and field.default is None, name
            assert said[name] == f"`default` {problem}: it is left out of the SDK", name
    assert all(w.severity == "warning" and w.location and w.location.line for w in warnings)


def test_the_3_0_exclusive_flags_bound_a_default(tmp_path: Path) -> None:
    document = spec(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "n": {"type": "integer", "minimum": 1, "exclusiveMinimum": True, "default": 1}
                },
            }
        }
    )
    document["openapi"] = "3.0.3"
    api, warnings = build_ir(Workspace.open(write_spec(tmp_path / "spec.yaml", document)))
    assert not _fields(api, "Thing")["n"].has_default
    assert [w.message for w in warnings] == [
        "`default` is not above the exclusive minimum 1: it is left out of the SDK"
    ]
