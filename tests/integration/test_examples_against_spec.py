"""The reference pages' examples (spec/examples/) against the hand-written spec (spec/openapi.yaml).

(a) every key of each example is described by the spec (a walker over properties, $ref, oneOf/anyOf
and array items); (b) JSON Schema 2020-12 validation of each example against InvoiceResponse fails
exactly at the page artifacts recorded in spec/TRANSCRIPTION.md, and nowhere else.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.support.flex_server import GET_INVOICE_EXAMPLE, MARK_UNCOLLECTIBLE_EXAMPLE, SPEC_PATH

SPEC_URI = "urn:flex:openapi.yaml"
RESPONSE_SCHEMA_REF = "#/components/schemas/InvoiceResponse"

# The page artifact: the POST page prints `billing_details.email` as the number 123 (2 occurrences).
EMAIL_123_PATHS = {
    ("invoice", "payment_intent", "payment_method", "billing_details", "email"),
    ("invoice", "subscription", "default_payment_method", "billing_details", "email"),
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def load_example(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


# --- (a) the key walker -------------------------------------------------------------------------


def resolve(spec: dict[str, Any], schema: Any) -> dict[str, Any]:
    """Follow `$ref` chains (local refs only, as the spec uses)."""
    seen = set()
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        assert isinstance(ref, str) and ref.startswith("#/"), f"unsupported $ref {ref!r}"
        assert ref not in seen, f"$ref cycle at {ref}"
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = target
    assert isinstance(schema, dict), schema
    return schema


def variants(spec: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """The schema and, recursively, its oneOf/anyOf/allOf alternatives, all resolved."""
    resolved = resolve(spec, schema)
    found = [resolved]
    for keyword in ("oneOf", "anyOf", "allOf"):
        for sub in resolved.get(keyword, []):
            found.extend(variants(spec, sub))
    return found


def display(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def undocumented_paths(
    spec: dict[str, Any], instance: Any, schema: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[Any, ...]]:
    """Every key path of `instance` that no property of the schema at that point describes."""
    options = variants(spec, schema)
    if isinstance(instance, dict):
        for key, value in instance.items():
            described = [o["properties"][key] for o in options if key in o.get("properties", {})]
            if described:
                yield from undocumented_paths(spec, value, {"anyOf": described}, (*path, key))
                continue
            free_form = [o["additionalProperties"] for o in options if o.get("additionalProperties")]
            if not free_form:
                yield (*path, key)
            elif all(extra is True for extra in free_form):
                continue  # a free-form object (e.g. metadata): anything below is fine
            else:
                schemas = [extra for extra in free_form if isinstance(extra, dict)]
                yield from undocumented_paths(spec, value, {"anyOf": schemas}, (*path, key))
    elif isinstance(instance, list):
        items = [o["items"] for o in options if "items" in o]
        for index, element in enumerate(instance):
            if not items:
                yield (*path, index)
            else:
                yield from undocumented_paths(spec, element, {"anyOf": items}, (*path, index))


def response_schema() -> dict[str, Any]:
    return {"$ref": RESPONSE_SCHEMA_REF}


@pytest.mark.parametrize(
    "example_path", [GET_INVOICE_EXAMPLE, MARK_UNCOLLECTIBLE_EXAMPLE], ids=lambda p: p.stem
)
def test_every_example_key_is_in_the_spec(spec: dict[str, Any], example_path: Path) -> None:
    example = load_example(example_path)
    undocumented = [display(p) for p in undocumented_paths(spec, example, response_schema())]
    assert undocumented == []


def test_walker_reports_keys_missing_from_the_spec(spec: dict[str, Any]) -> None:
    example = load_example(MARK_UNCOLLECTIBLE_EXAMPLE)
    invoice = example["invoice"]
    invoice["not_in_spec"] = 1
    invoice["subscription"]["items"][0]["price"]["product"]["not_in_spec"] = {"deep": True}
    invoice["payment_intent"]["payment_method"]["card"]["not_in_spec"] = "x"  # inside a oneOf variant
    invoice["payment_intent"]["invoice"]["not_in_spec"] = []  # Invoice variant of a oneOf
    invoice["charge"] = {"not_in_spec": 1}  # an object where the spec says string
    invoice["metadata"] = {"anything": {"goes": [1, 2]}}  # free-form: not reported
    invoice["subscription"]["items"].append({"not_in_spec": 2})

    undocumented = [display(p) for p in undocumented_paths(spec, example, response_schema())]

    assert sorted(undocumented) == sorted(
        [
            "invoice.not_in_spec",
            "invoice.subscription.items[0].price.product.not_in_spec",
            "invoice.payment_intent.payment_method.card.not_in_spec",
            "invoice.payment_intent.invoice.not_in_spec",
            "invoice.charge.not_in_spec",
            "invoice.subscription.items[1].not_in_spec",
        ]
    )


def test_every_spec_property_appears_in_an_example(spec: dict[str, Any]) -> None:
    """The spec is the union of both pages (TRANSCRIPTION.md): no property without page evidence."""
    used: set[tuple[str, str]] = set()

    def mark(instance: Any, schema: Any) -> None:
        target = resolve(spec, schema)
        ref = schema.get("$ref")
        if isinstance(instance, dict) and isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            used.update((name, key) for key in instance if key in target.get("properties", {}))
        if isinstance(instance, dict):
            for key, value in instance.items():
                if key in target.get("properties", {}):
                    mark(value, target["properties"][key])
        elif isinstance(instance, list) and "items" in target:
            for element in instance:
                mark(element, target["items"])
        for keyword in ("oneOf", "anyOf", "allOf"):
            for sub in target.get(keyword, []):
                mark(instance, sub)

    for path in (GET_INVOICE_EXAMPLE, MARK_UNCOLLECTIBLE_EXAMPLE):
        mark(load_example(path), response_schema())

    schemas = spec["components"]["schemas"]
    reachable: set[str] = set()

    def reach(schema: Any) -> None:
        if isinstance(schema, dict):
            ref = schema.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in reachable:
                    reachable.add(name)
                    reach(schemas[name])
            for value in schema.values():
                reach(value)
        elif isinstance(schema, list):
            for value in schema:
                reach(value)

    reach(response_schema())
    declared = {(name, key) for name in reachable for key in schemas[name].get("properties", {})}
    assert sorted(declared - used) == []


# --- (b) JSON Schema validation -----------------------------------------------------------------


def validator_for(spec: dict[str, Any], **kwargs: Any) -> Draft202012Validator:
    """A 2020-12 validator for InvoiceResponse; the whole spec is the resource its `#/...` refs resolve in."""
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": SPEC_URI + RESPONSE_SCHEMA_REF}, registry=registry, **kwargs)


def leaves(error: ValidationError) -> Iterator[ValidationError]:
    if not error.context:
        yield error
        return
    for sub in error.context:
        yield from leaves(sub)


def test_spec_schemas_are_valid_2020_12(spec: dict[str, Any]) -> None:
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_get_invoice_example_is_valid(spec: dict[str, Any]) -> None:
    errors = list(validator_for(spec).iter_errors(load_example(GET_INVOICE_EXAMPLE)))
    assert [(list(e.absolute_path), e.message) for e in errors] == []


def test_mark_uncollectible_example_fails_only_at_the_known_artifacts(spec: dict[str, Any]) -> None:
    example = load_example(MARK_UNCOLLECTIBLE_EXAMPLE)
    errors = list(validator_for(spec).iter_errors(example))

    # The oneOf (id or PaymentMethod object) reports at the parent of the bad field...
    assert sorted((tuple(e.absolute_path), e.validator) for e in errors) == sorted(
        (path[:-2], "oneOf") for path in EMAIL_123_PATHS
    )
    # ...and its alternatives say why: not a string (the id variant), and, in the object variant,
    # exactly `billing_details.email` is 123 where a string is expected. Nothing else is wrong.
    found_leaves = sorted(
        (tuple(leaf.absolute_path), leaf.validator, leaf.validator_value, json.dumps(leaf.instance))
        for error in errors
        for leaf in leaves(error)
    )
    expected_leaves = sorted(
        [(path[:-2], "type", "string", json.dumps(dig(example, path[:-2]))) for path in EMAIL_123_PATHS]
        + [(path, "type", "string", "123") for path in EMAIL_123_PATHS]
    )
    assert found_leaves == expected_leaves
    # The deepest error of each is the artifact itself.
    deepest = {max((tuple(leaf.absolute_path) for leaf in leaves(e)), key=len) for e in errors}
    assert deepest == EMAIL_123_PATHS


def test_mark_uncollectible_example_is_valid_once_the_artifacts_are_strings(spec: dict[str, Any]) -> None:
    example = load_example(MARK_UNCOLLECTIBLE_EXAMPLE)
    for path in EMAIL_123_PATHS:
        parent = dig(example, path[:-1])
        assert parent[path[-1]] == 123
        parent[path[-1]] = "123"
    assert [(list(e.absolute_path), e.message) for e in validator_for(spec).iter_errors(example)] == []


def test_validation_is_not_vacuous(spec: dict[str, Any]) -> None:
    """Refs resolve and constraints apply: a broken copy of the GET example is reported where broken."""
    example = copy.deepcopy(load_example(GET_INVOICE_EXAMPLE))
    example["invoice"]["total"] = "123"
    example["invoice"]["subscription"]["items"][0]["price"]["product"]["active"] = "yes"
    example["invoice"]["payment_intent"]["payment_method"] = 5
    errors = list(validator_for(spec).iter_errors(example))
    assert sorted(tuple(e.absolute_path) for e in errors) == sorted(
        [
            ("invoice", "total"),
            ("invoice", "subscription", "items", 0, "price", "product", "active"),
            ("invoice", "payment_intent", "payment_method"),
        ]
    )
    assert list(validator_for(spec).iter_errors({})) != []  # `invoice` is required


def dig(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data
