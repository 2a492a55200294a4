"""Unit tests for the diff rule catalogue: every rule has a spec pair that triggers exactly what it should."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import DiffReport, diff_specs
from generator.diff.rules import RULES, RULES_BY_ID, SEVERITIES, rule
from generator.spec.load import Document, parse_text
from tests.unit.diff.diff_cases import (
    GET,
    HOOK,
    INT,
    STR,
    Case,
    Json,
    api,
    hook_secured,
    hooks,
    obj,
    op,
    params,
    query,
    request,
    response,
    rule_cases,
    secured,
    things,
)

CASES = rule_cases()


def document(name: str, data: dict[str, Any]) -> Document:
    text = yaml.safe_dump(data, sort_keys=False)
    return Document(Path(name), parse_text(text, Path(name)), text)


def diff(old: dict[str, Any], new: dict[str, Any]) -> DiffReport:
    return diff_specs(document("old.yaml", old), document("new.yaml", new))


def ids(report: DiffReport) -> set[str]:
    return {change.id for change in report.changes}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.rule)
def test_rule_is_detected_and_nothing_else(case: Case) -> None:
    report = diff(case.old, case.new)
    assert {change.id for change in report.changes} == case.expected, [c.message for c in report.changes]
    own = [change for change in report.changes if change.id == case.rule]
    assert {change.operation for change in own} == {case.operation}
    assert {change.severity for change in own} == {rule(case.rule).severity}
    assert all(change.message and change.location for change in own)


def test_the_catalogue_has_at_least_60_unique_kebab_case_rules() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", i) for i in ids)
    assert all(r.severity in SEVERITIES and r.summary.endswith(".") for r in RULES)


def test_every_rule_is_exercised_by_a_case() -> None:
    assert {case.rule for case in CASES} == set(RULES_BY_ID)
    assert len(CASES) == len(RULES), "one case per rule"


def test_unchanged_specs_report_nothing() -> None:
    for case in CASES:
        assert diff(case.new, case.new).changes == [], case.rule


# --- JSON Schema 2020-12 keywords (3.1) ---------------------------------------------------------

ARRAY = {"type": "array", "items": STR}
KEYWORDS: dict[str, tuple[Json, Json]] = {  # a schema without, and with, the keyword
    "if-then-else": (obj(a=STR), {**obj(a=STR), "if": obj(["a"]), "then": obj(["b"]), "else": obj(["c"])}),
    "dependentRequired": (obj(a=STR), {**obj(a=STR), "dependentRequired": {"a": ["b"]}}),
    "dependentSchemas": (obj(a=STR), {**obj(a=STR), "dependentSchemas": {"a": obj(["b"])}}),
    "contains": (ARRAY, {**ARRAY, "contains": {"const": "x"}}),
    "minContains": (
        {**ARRAY, "contains": {"const": "x"}},
        {**ARRAY, "contains": {"const": "x"}, "minContains": 2},
    ),
    "prefixItems": ({"type": "array"}, {"type": "array", "prefixItems": [INT]}),
    "patternProperties": (obj(a=STR), {**obj(a=STR), "patternProperties": {"^x-": INT}}),
    "propertyNames": (obj(a=STR), {**obj(a=STR), "propertyNames": {"maxLength": 3}}),
    "unevaluatedProperties": (obj(a=STR), {**obj(a=STR), "unevaluatedProperties": False}),
    "unevaluatedItems": (ARRAY, {**ARRAY, "unevaluatedItems": False}),
    "contentSchema": (
        {**STR, "contentMediaType": "application/json"},
        {**STR, "contentMediaType": "application/json", "contentSchema": obj(["a"])},
    ),
    "contentMediaType": (STR, {**STR, "contentMediaType": "application/json"}),
    "not": (STR, {**STR, "not": {"const": ""}}),
}


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_2020_12_keywords_are_constraints_judged_by_direction(keyword: str) -> None:
    without, with_it = KEYWORDS[keyword]
    assert ids(diff(request(without), request(with_it))) == {"request-constraint-added"}
    assert ids(diff(request(with_it), request(without))) == {"request-constraint-removed"}
    assert ids(diff(response(without), response(with_it))) == {"response-constraint-added"}
    assert ids(diff(response(with_it), response(without))) == {"response-constraint-removed"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({**ARRAY, "prefixItems": [STR]}, {**ARRAY, "prefixItems": [INT]}, "request-type-changed"),
        (
            {**obj(), "patternProperties": {"^x-": STR}},
            {**obj(), "patternProperties": {"^x-": {**STR, "maxLength": 3}}},
            "request-max-length-decreased",
        ),
        (
            {**obj(a=STR), "if": obj(["a"]), "then": obj(b=STR)},
            {**obj(a=STR), "if": obj(["a"]), "then": obj(["b"], b=STR)},
            "request-property-became-required",
        ),
        ({**STR, "not": {"const": "a"}}, {**STR, "not": {"enum": ["a", "b"]}}, "request-constraint-added"),
        (
            {**obj(), "dependentSchemas": {"a": obj(b=STR)}},
            {**obj(), "dependentSchemas": {"a": obj(b=INT)}},
            "request-type-changed",
        ),
    ],
    ids=["prefixItems", "patternProperties", "then", "not", "dependentSchemas"],
)
def test_2020_12_subschemas_are_compared_inside(old: Json, new: Json, expected: str) -> None:
    assert ids(diff(request(old), request(new))) == {expected}


# --- false alarms that are no longer raised -----------------------------------------------------


@pytest.mark.parametrize("widened", [".*", "", "^.*"])
def test_a_pattern_widened_to_match_everything_is_a_removed_pattern(widened: str) -> None:
    report = diff(request({**STR, "pattern": "^a"}), request({**STR, "pattern": widened}))
    assert [(c.id, c.severity) for c in report.changes] == [("request-pattern-removed", "info")]
    assert diff(request(STR), request({**STR, "pattern": widened})).changes == []


def test_a_request_body_that_drops_its_type_still_accepts_null() -> None:
    report = diff(request(obj(a={"type": ["object", "null"]})), request(obj(a={})))
    assert [(c.id, c.severity) for c in report.changes] == [("request-type-widened", "info")]
    report = diff(request({"type": "object", "nullable": True}, "3.0.3"), request({"description": "x"}))
    assert "request-nullable-removed" not in ids(report)


def test_a_nullable_body_that_keeps_its_properties_but_drops_its_type_still_accepts_null() -> None:
    properties = {"properties": {"a": STR}}
    assert diff(request({"type": ["object", "null"], **properties}), request(properties)).changes == []
    assert diff(request(properties), request({"type": ["object", "null"], **properties})).changes == []
    old_30 = request({"type": "object", "nullable": True, **properties}, "3.0.3")
    assert diff(old_30, request(properties, "3.0.3")).changes == []
    # Written out the other way, `nullable: true` with no type is null allowed, and `type: object` refuses it.
    old_30 = request({"nullable": True, **properties}, "3.0.3")
    new_30 = request({"type": "object", **properties}, "3.0.3")
    assert ids(diff(old_30, new_30)) == {"request-nullable-removed"}


# --- prefixItems, boolean schemas, subschema properties, encodings ------------------------------


TUPLE = {"type": "array", "prefixItems": [STR]}


@pytest.mark.parametrize(
    ("old", "new", "in_requests", "in_responses"),
    [
        (ARRAY, {**ARRAY, "prefixItems": [STR]}, set(), set()),
        (ARRAY, {**ARRAY, "prefixItems": [INT]}, {"request-type-changed"}, {"response-type-changed"}),
        ({**ARRAY, "prefixItems": [INT]}, ARRAY, {"request-type-changed"}, {"response-type-changed"}),
        (
            {**ARRAY, "prefixItems": [STR, INT]},
            {**ARRAY, "prefixItems": [STR]},
            {"request-type-changed"},
            {"response-type-changed"},
        ),
    ],
    ids=["same-as-items", "added", "removed", "shortened"],
)
def test_prefix_items_replace_items_position_by_position(
    old: Json, new: Json, in_requests: set[str], in_responses: set[str]
) -> None:
    assert ids(diff(request(old), request(new))) == in_requests
    assert ids(diff(response(old), response(new))) == in_responses


@pytest.mark.parametrize(
    ("old", "new", "in_requests", "in_responses"),
    [
        (TUPLE, {**TUPLE, "items": False}, {"request-type-changed"}, {"response-type-narrowed"}),
        ({**TUPLE, "items": False}, TUPLE, {"request-type-widened"}, {"response-type-changed"}),
        (obj(a=STR), obj(a=False), {"request-type-changed"}, {"response-type-narrowed"}),  # type: ignore[arg-type]
        (obj(a=False), obj(a=STR), {"request-type-widened"}, {"response-type-changed"}),  # type: ignore[arg-type]
        (obj(a=STR), obj(a=True), {"request-type-widened"}, {"response-type-changed"}),  # type: ignore[arg-type]
        (obj(a={}), obj(a=True), set(), set()),  # type: ignore[arg-type]
        # no `items` is `items: true`: the item's properties go with it, no property is "removed"
        (
            {**ARRAY, "items": obj(a=INT)},
            {"type": "array"},
            {"request-type-widened"},
            {"response-type-changed"},
        ),
        ({"type": "array"}, ARRAY, {"request-type-changed"}, {"response-type-narrowed"}),
    ],
    ids=[
        "items-false-added",
        "items-false-removed",
        "to-false",
        "from-false",
        "to-true",
        "true-is-empty",
        "items-dropped",
        "items-given",
    ],
)
def test_boolean_schemas_accept_everything_or_nothing(
    old: Json, new: Json, in_requests: set[str], in_responses: set[str]
) -> None:
    assert ids(diff(request(old), request(new))) == in_requests
    assert ids(diff(response(old), response(new))) == in_responses


@pytest.mark.parametrize("schema", [True, {}])
def test_a_media_type_schema_of_true_or_empty_is_no_schema(schema: Any) -> None:
    untyped = api({"/things": {"post": op(requestBody={"content": {"application/json": {}}})}})
    assert diff(untyped, request(schema)).changes == []
    assert diff(request(schema), untyped).changes == []
    assert ids(diff(request(schema), request(False))) == {"request-media-type-schema-added"}


def test_a_property_of_a_constraint_subschema_is_a_constraint_not_a_field() -> None:
    then = {**obj(a=STR), "if": obj(["a"]), "then": obj(b=STR)}
    emptied = {**then, "then": obj()}
    assert ids(diff(request(then), request(emptied))) == {"request-constraint-removed"}
    assert ids(diff(request(emptied), request(then))) == {"request-constraint-added"}
    assert ids(diff(response(then), response(emptied))) == {"response-constraint-removed"}
    # through a $ref too: the named schema is compared as a constraint where `then` uses it
    schemas = {"B": obj(b=STR)}
    old = request({**obj(a=STR), "then": {"$ref": "#/components/schemas/B"}}, schemas=schemas)
    new = request({**obj(a=STR), "then": {"$ref": "#/components/schemas/B"}}, schemas={"B": obj()})
    assert ids(diff(old, new)) == {"request-constraint-removed"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({**STR, "contentEncoding": "base64"}, STR),
        (STR, {**STR, "contentEncoding": "base64"}),
        ({**STR, "contentMediaType": "application/json"}, {**STR, "contentMediaType": "application/xml"}),
    ],
    ids=["encoding-removed", "encoding-added", "media-type-changed"],
)
def test_a_changed_content_encoding_breaks_both_ways(old: Json, new: Json) -> None:
    for side in (request, response):
        report = diff(side(old), side(new))
        assert [(c.id, c.severity) for c in report.changes] == [("content-encoding-changed", "breaking")]


@pytest.mark.parametrize(
    "wrapped",
    [
        {"anyOf": [obj(a=STR), obj(b=STR)]},  # anyOf takes a value that fits both
        {"oneOf": [obj(a=STR), obj(["b"], b=STR)]},  # only values that also carry `b` fit twice
        {"oneOf": [obj(a=STR), {**obj(b=STR), "additionalProperties": False}]},
        {"oneOf": [obj(a=STR), obj(a={"type": "string", "maxLength": 3})]},  # a constraint it cannot compare
        {"oneOf": [obj(a=STR), obj(b=STR)], "discriminator": {"propertyName": "a"}},
    ],
    ids=["anyOf", "required", "closed", "narrower", "discriminator"],
)
def test_a_request_wrapped_in_a_union_is_ambiguous_only_when_two_options_take_every_old_value(
    wrapped: Json,
) -> None:
    changes = ids(diff(request(obj(a=STR)), request(wrapped)))
    assert "request-became-union" in changes
    assert "request-one-of-ambiguous" not in changes


def test_a_const_added_says_const() -> None:
    report = diff(request(STR), request({**STR, "const": "a"}))
    assert [c.message for c in report.changes] == [
        'request body (application/json) is now restricted to the value "a" (const)'
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [([{"a": []}], []), ([{"a": [], "b": []}], [{"a": []}]), ([{"o": ["read"]}], [{"o": []}])],
    ids=["made-public", "fewer-schemes", "fewer-scopes"],
)
def test_needing_less_to_authenticate_is_not_breaking(old: list[Json], new: list[Json]) -> None:
    report = diff(secured(old), secured(new))
    assert all(c.severity == "info" for c in report.changes), [(c.id, c.message) for c in report.changes]
    assert report.changes


def test_global_security_removed_is_shown_at_the_operation_not_line_one() -> None:
    old = {**secured([{"a": []}]), "security": [{"a": []}]}
    del old["paths"]["/things"]["get"]["security"]
    new = secured([])
    del new["paths"]["/things"]["get"]["security"]
    (change,) = diff(old, new).changes
    assert change.id == "security-requirement-added"
    assert change.location == "new.yaml:7:5", change.location  # `get:` of /things


def test_needing_other_credentials_still_breaks() -> None:
    assert "security-requirement-removed" in ids(diff(secured([{"a": []}]), secured([{"b": []}])))


# --- webhooks, security components, parameter defaults ------------------------------------------


def _hook(schema: Json, **extra: Json) -> Json:
    content = {"application/json": {"schema": schema}}
    return hooks(newThing={"post": op(requestBody={"content": content}, **extra)})


def test_a_webhook_payload_is_read_by_the_client() -> None:
    # The API sends the webhook's request: the client reads it, so the response rules apply.
    removed = diff(_hook(obj(a=STR, b=STR)), _hook(obj(a=STR)))
    assert [(c.id, c.severity, c.operation) for c in removed.changes] == [
        ("response-property-removed", "breaking", HOOK)
    ]
    required = diff(_hook(obj(a=STR)), _hook(obj(["b"], a=STR, b=STR)))
    assert ids(required) == {"response-property-added"}
    header = {"name": "X-Sig", "in": "header", "required": True, "schema": STR}
    added = diff(_hook(obj(a=STR)), _hook(obj(a=STR), parameters=[header]))
    assert [(c.id, c.severity) for c in added.changes] == [("webhook-parameter-added", "info")]


def test_webhook_payload_messages_speak_of_the_payload() -> None:
    messages = [c.message for c in diff(_hook(obj(a=STR, b=STR)), _hook(obj(a=STR))).changes]
    assert messages == [
        "`b` in webhook payload (application/json) was removed: webhook payloads no longer include it"
    ]
    optional = diff(_hook(obj(["a"], a=STR)), _hook(obj(a=STR))).changes
    assert [c.message for c in optional] == [
        "`a` in webhook payload (application/json) is no longer required: webhook payloads may omit it"
    ]
    added = diff(_hook(obj(a=STR)), _hook(obj(a=STR, b=STR))).changes
    assert [c.message for c in added] == [
        "`b` in webhook payload (application/json) was added to webhook payloads"
    ]


def _answer(schema: Json) -> Json:
    content = {"application/json": {"schema": schema}}
    return hooks(newThing={"post": {"responses": {"200": {"description": "ok", "content": content}}}})


def test_a_webhook_response_is_written_by_the_handler() -> None:
    # The handler answers and the API reads the answer: the request rules apply, narrowing breaks.
    report = diff(_answer(obj(a=STR)), _answer(obj(["b"], a=STR, b=STR)))
    assert [(c.id, c.severity, c.operation, c.message) for c in report.changes] == [
        (
            "request-required-property-added",
            "breaking",
            HOOK,
            "`b` in webhook response 200 (application/json) was added as a required property: "
            "every webhook response must send it",
        )
    ]
    assert ids(diff(_answer(obj(["a"], a=STR)), _answer(obj(a=STR)))) == {"request-property-became-optional"}


def test_a_webhook_header_is_read_by_the_handler() -> None:
    # The API sends the header: a value that may now be another type breaks the handler reading it.
    old = hooks(newThing={"post": op(parameters=[{"name": "X-N", "in": "header", "schema": INT}])})
    new = hooks(
        newThing={"post": op(parameters=[{"name": "X-N", "in": "header", "schema": {"type": "number"}}])}
    )
    assert [(c.id, c.severity) for c in diff(old, new).changes] == [("response-type-changed", "breaking")]


def test_a_webhook_made_public_breaks_handlers_that_check_credentials() -> None:
    # The opposite of an operation: a public operation needs less, a public webhook sends less.
    report = diff(hook_secured([{"a": []}]), hook_secured([]))
    assert {(c.id, c.severity) for c in report.changes} == {
        ("webhook-security-requirement-added", "breaking"),
        ("webhook-security-requirement-removed", "info"),
    }
    assert diff(hook_secured([{"a": []}]), hook_secured([{"a": [], "b": []}])).changes[0].severity == "info"


SHARED = {"Thing": obj(a=STR, b=STR)}


def _shared(schema: Json) -> Json:
    """GET /things returns Thing, and the webhook newThing sends it: one schema, both directions."""
    ref = {"$ref": "#/components/schemas/Thing"}
    content = {"application/json": {"schema": ref}}
    document = response(ref, schemas={"Thing": schema})
    document["webhooks"] = {"newThing": {"post": op(requestBody={"content": content})}}
    return document


def test_a_shared_schema_change_is_one_root_cause_per_wording() -> None:
    report = diff(_shared(SHARED["Thing"]), _shared(obj(a=STR)))
    assert [(c.id, c.operation) for c in report.changes] == [
        ("response-property-removed", GET),
        ("response-property-removed", HOOK),
    ]
    causes = report.root_causes()
    assert [(c.operations, c.message) for c in causes] == [
        ((GET,), "`b` in schema `Thing` was removed: responses no longer include it"),
        ((HOOK,), "`b` in schema `Thing` was removed: webhook payloads no longer include it"),
    ]


def test_a_security_scheme_no_operation_uses_is_compared_spec_wide() -> None:
    schemes = {
        "a": {"type": "http", "scheme": "bearer"},
        "k": {"type": "apiKey", "in": "header", "name": "K"},
    }
    moved = {**schemes, "k": {**schemes["k"], "in": "query"}}
    report = diff(secured([{"a": []}], schemes), secured([{"a": []}], moved))
    assert [(c.id, c.severity, c.operation, c.pointer) for c in report.changes] == [
        ("unused-security-scheme-changed", "info", None, "/components/securitySchemes/k")
    ]
    used = diff(secured([{"k": []}], schemes), secured([{"k": []}], moved))
    assert [(c.id, c.operation) for c in used.changes] == [("security-scheme-changed", GET)]


def test_a_parameter_default_is_one_parameter_change() -> None:
    before, after = query(schema={**INT, "default": 10}), query(schema={**INT, "default": 20})
    report = diff(params(before), params(after))
    [change] = report.changes
    assert (change.id, change.severity) == ("parameter-default-changed", "breaking")
    assert change.message.startswith("parameter `limit` (query): default changed from 10 to 20")


def test_a_parameter_default_through_a_ref_is_reported_once_and_the_schema_elsewhere_still_is() -> None:
    def spec(default: int, in_body: bool) -> Json:
        limit = {"$ref": "#/components/schemas/Limit"}
        operation = op(parameters=[query(schema=limit)])
        if in_body:
            operation["requestBody"] = {"content": {"application/json": {"schema": obj(limit=limit)}}}
        return api({"/things": {"post": operation}}, {"Limit": {**INT, "default": default}})

    alone = diff(spec(10, in_body=False), spec(20, in_body=False))
    assert [(c.id, c.pointer) for c in alone.changes] == [
        ("parameter-default-changed", "/paths/~1things/post/parameters/0/schema")
    ]
    shared = diff(spec(10, in_body=True), spec(20, in_body=True))
    assert sorted((c.id, c.pointer) for c in shared.changes) == [
        ("parameter-default-changed", "/paths/~1things/post/parameters/0/schema"),
        ("request-default-changed", "/components/schemas/Limit/default"),
    ]


def test_every_rule_says_why_it_has_its_severity() -> None:
    from generator.diff.rules import _WHY, _WHY_ONE

    grouped = [rule_id for members in _WHY.values() for rule_id in members]
    assert len(grouped) == len(set(grouped)), "a rule has one reason"
    assert set(grouped).isdisjoint(_WHY_ONE)
    assert set(grouped) | set(_WHY_ONE) == set(RULES_BY_ID)
    assert all(r.why.endswith(".") and len(r.why) > 40 for r in RULES)


def test_a_scalar_request_value_that_becomes_a_union_only_widens() -> None:
    # Stripe's `url: anyOf [string, enum [""]]`: the old string is still a valid value and no class is renamed.
    empty = {"type": "string", "enum": [""]}
    assert ids(diff(request(obj(url=STR)), request(obj(url={"anyOf": [STR, empty]})))) == {
        "request-union-option-added"
    }


def test_an_operation_id_that_gives_the_same_method_name_is_no_change() -> None:
    # GET /things is `get_things` in the SDK with or without `operationId: getThings`.
    assert diff(things(), things(operationId="getThings")).changes == []
    assert diff(things(operationId="get_things"), things()).changes == []
    assert ids(diff(things(), things(operationId="listThings"))) == {"operation-id-added"}


def test_every_2020_12_keyword_is_compared_once() -> None:
    from generator.diff.schema import _KEYWORD_ORDER, _OPAQUE, _SUBSCHEMAS

    assert sorted(_KEYWORD_ORDER) == sorted({*_SUBSCHEMAS, *_OPAQUE})
