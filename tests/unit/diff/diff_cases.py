"""Pairs of small specs for `sdkgen diff`: one case per rule, each naming every rule it should trigger."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]
OK = {"200": {"description": "ok"}}


@dataclass
class Case:
    """OLD -> NEW must report exactly `expected` rule ids (the case's own rule among them)."""

    rule: str
    old: Json
    new: Json
    also: tuple[str, ...] = ()
    operation: str | None = "GET /things"
    expected: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.expected = {self.rule, *self.also}


def api(paths: Json | None = None, schemas: Json | None = None, version: str = "3.1.0", **extra: Any) -> Json:
    document: Json = {"openapi": version, "info": {"title": "T", "version": "1"}, "paths": paths or {}}
    document["components"] = {"schemas": schemas or {}, **extra.pop("components", {})}
    document.update(extra)
    return document


def op(**fields: Any) -> Json:
    return {"responses": copy.deepcopy(OK), **fields}


def things(**fields: Any) -> Json:
    """GET /things with extra operation fields."""
    return api({"/things": {"get": op(**fields)}})


def params(*parameters: Json) -> Json:
    return things(parameters=list(parameters))


def query(name: str = "limit", **fields: Any) -> Json:
    return {"name": name, "in": "query", "schema": {"type": "integer"}, **fields}


def request(schema: Json, version: str = "3.1.0", schemas: Json | None = None, **body: Any) -> Json:
    """POST /things whose JSON request body has `schema`."""
    content = {"application/json": {"schema": schema}}
    operation = op(requestBody={"content": content, **body})
    return api({"/things": {"post": operation}}, schemas, version)


def response(schema: Json, version: str = "3.1.0", schemas: Json | None = None) -> Json:
    """GET /things whose 200 JSON response has `schema`."""
    content = {"application/json": {"schema": schema}}
    operation = {"responses": {"200": {"description": "ok", "content": content}}}
    return api({"/things": {"get": operation}}, schemas, version)


def responses(codes: Json) -> Json:
    return api({"/things": {"get": {"responses": codes}}})


def obj(required: list[str] | None = None, **properties: Json) -> Json:
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def secured(security: list[Json], schemes: Json | None = None) -> Json:
    schemes = schemes or {
        "a": {"type": "http", "scheme": "bearer"},
        "b": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "o": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"read": "", "write": ""}}},
        },
    }
    return api({"/things": {"get": op(security=security)}}, components={"securitySchemes": schemes})


def header(**fields: Any) -> Json:
    return responses(
        {"200": {"description": "ok", "headers": {"X-Rate": {"schema": {"type": "integer"}, **fields}}}}
    )


def media(*types: str) -> Json:
    return responses(
        {"200": {"description": "ok", "content": {t: {"schema": {"type": "string"}} for t in types}}}
    )


def body(required: bool | None, *types: str) -> Json:
    content = {t: {"schema": {"type": "string"}} for t in types or ("application/json",)}
    fields: Json = {"content": content}
    if required is not None:
        fields["required"] = required
    return api({"/things": {"post": op(requestBody=fields)}})


def schemaless(side: str, schema: Json | None) -> Json:
    """A JSON request body (side="request") or 200 response whose media type has `schema`, or none."""
    media: Json = {} if schema is None else {"schema": schema}
    if side == "request":
        return api({"/things": {"post": op(requestBody={"content": {"application/json": media}})}})
    return responses({"200": {"description": "ok", "content": {"application/json": media}}})


def no_body() -> Json:
    return api({"/things": {"post": op()}})


STR, INT = {"type": "string"}, {"type": "integer"}
PARTS = {"A": obj(a=STR), "B": obj(b=STR), "C": {"type": "object", "minProperties": 1}}
REF_A, REF_B, REF_C = ({"$ref": f"#/components/schemas/{name}"} for name in PARTS)
PET = {"Cat": obj(kind=STR, meow=STR), "Dog": obj(kind=STR, bark=STR)}
CAT, DOG = {"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}
POST, GET = "POST /things", "GET /things"


def _pets(discriminator: Json) -> Json:
    return response({"oneOf": [CAT, DOG], "discriminator": discriminator}, schemas=PET)


HOOK = "webhook newThing (POST)"


def hooks(**names: Json) -> Json:
    """A 3.1 spec with no paths and these webhooks (name -> path item)."""
    return api(webhooks=names)


def _operations() -> list[Case]:
    return [
        Case("webhook-removed", hooks(newThing={"post": op()}), hooks(), operation=HOOK),
        Case("webhook-added", hooks(), hooks(newThing={"post": op()}), operation=HOOK),
        Case("operation-removed", api({"/things": {"get": op(), "post": op()}}), things(), operation=POST),
        Case("operation-added", things(), api({"/things": {"get": op(), "post": op()}}), operation=POST),
        Case(
            "path-parameter-renamed",
            api({"/things/{id}": {"get": op(parameters=[{"name": "id", "in": "path", "required": True}])}}),
            api({"/things/{key}": {"get": op(parameters=[{"name": "key", "in": "path", "required": True}])}}),
            operation="GET /things/{key}",
        ),
        Case("operation-id-changed", things(operationId="listThings"), things(operationId="getThings")),
        Case("operation-id-added", things(), things(operationId="listThings")),
        Case("operation-id-removed", things(operationId="listThings"), things()),
        Case("operation-tag-changed", things(tags=["Things"]), things(tags=["Stuff"])),
        Case("operation-deprecated", things(), things(deprecated=True)),
        Case(
            "operation-description-changed", things(summary="List things"), things(summary="List all things")
        ),
        Case(
            "server-removed",
            api(servers=[{"url": "https://a"}, {"url": "https://b"}]),
            api(servers=[{"url": "https://a"}]),
            operation=None,
        ),
        Case(
            "server-added",
            api(servers=[{"url": "https://a"}]),
            api(servers=[{"url": "https://a"}, {"url": "https://b"}]),
            operation=None,
        ),
    ]


def hook(**fields: Any) -> Json:
    """The webhook `newThing` (POST) with extra operation fields."""
    return hooks(newThing={"post": op(**fields)})


def payload(required: bool | None = None, *types: str, schema: Json | None = STR) -> Json:
    """The webhook with a payload in `types` (JSON by default), each with `schema` (or none)."""
    media: Json = {} if schema is None else {"schema": schema}
    fields: Json = {"content": {t: copy.deepcopy(media) for t in types or ("application/json",)}}
    if required is not None:
        fields["required"] = required
    return hook(requestBody=fields)


def answers(codes: Json) -> Json:
    """The webhook with these responses (what its handler answers)."""
    return hooks(newThing={"post": {"responses": codes}})


def hook_header(name: str = "X-Sig", **fields: Any) -> Json:
    """A header parameter the API sends with the webhook."""
    return {"name": name, "in": "header", "schema": STR, **fields}


def answer_header(**fields: Any) -> Json:
    return answers({"200": {"description": "ok", "headers": {"X-Ack": {"schema": STR, **fields}}}})


def hook_secured(security: list[Json]) -> Json:
    schemes = {
        "a": {"type": "http", "scheme": "bearer"},
        "b": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "o": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"read": "", "write": ""}}},
        },
    }
    document = hook(security=security)
    document["components"]["securitySchemes"] = schemes
    return document


def _webhooks() -> list[Case]:
    def case(rule: str, old: Json, new: Json, *also: str) -> Case:
        return Case(rule, old, new, also, HOOK)

    json_xml = ("application/json", "application/xml")
    ok_json = {"description": "ok", "content": {"application/json": {"schema": STR}}}
    ok_bare = {"description": "ok", "content": {"application/json": {}}}
    default_1, default_2 = {**STR, "default": "a"}, {**STR, "default": "b"}
    return [
        case("webhook-payload-added", hook(), payload()),
        case("webhook-payload-removed", payload(), hook()),
        case("webhook-payload-became-optional", payload(True), payload()),
        case("webhook-payload-became-required", payload(), payload(True)),
        case("webhook-payload-media-type-added", payload(), payload(None, *json_xml)),
        case("webhook-payload-media-type-removed", payload(None, *json_xml), payload()),
        case("webhook-payload-media-type-schema-removed", payload(), payload(schema=None)),
        case("webhook-payload-media-type-schema-added", payload(schema=None), payload()),
        case("webhook-parameter-added", hook(), hook(parameters=[hook_header(required=True)])),
        case("webhook-parameter-removed", hook(parameters=[hook_header(required=True)]), hook()),
        case("webhook-optional-parameter-removed", hook(parameters=[hook_header()]), hook()),
        case(
            "webhook-parameter-became-optional",
            hook(parameters=[hook_header(required=True)]),
            hook(parameters=[hook_header()]),
        ),
        case(
            "webhook-parameter-became-required",
            hook(parameters=[hook_header()]),
            hook(parameters=[hook_header(required=True)]),
        ),
        case(
            "webhook-parameter-location-changed",
            hook(parameters=[hook_header()]),
            hook(parameters=[hook_header(**{"in": "query"})]),
        ),
        case(
            "webhook-parameter-serialization-changed",
            hook(parameters=[hook_header()]),
            hook(parameters=[hook_header(explode=True)]),
        ),
        case(
            "webhook-parameter-default-changed",
            hook(parameters=[hook_header(schema=default_1)]),
            hook(parameters=[hook_header(schema=default_2)]),
        ),
        case("webhook-response-status-removed", answers({**OK, "204": {"description": "e"}}), answers(OK)),
        case("webhook-response-status-added", answers(OK), answers({**OK, "204": {"description": "e"}})),
        case(
            "webhook-response-media-type-removed",
            answers({"200": {**ok_json, "content": {t: {"schema": STR} for t in json_xml}}}),
            answers({"200": ok_json}),
        ),
        case(
            "webhook-response-media-type-added",
            answers({"200": ok_json}),
            answers({"200": {**ok_json, "content": {t: {"schema": STR} for t in json_xml}}}),
        ),
        case(
            "webhook-response-media-type-schema-added", answers({"200": ok_bare}), answers({"200": ok_json})
        ),
        case(
            "webhook-response-media-type-schema-removed", answers({"200": ok_json}), answers({"200": ok_bare})
        ),
        case("webhook-response-header-required", answer_header(), answer_header(required=True)),
        case("webhook-response-header-added", answers(OK), answer_header()),
        case("webhook-response-header-removed", answer_header(), answers(OK)),
        case("webhook-response-header-became-optional", answer_header(required=True), answer_header()),
        case(
            "webhook-security-requirement-added",
            hook_secured([{"a": []}]),
            hook_secured([{"a": []}, {"b": []}]),
        ),
        case(
            "webhook-security-requirement-removed",
            hook_secured([{"a": []}, {"b": []}]),
            hook_secured([{"a": []}]),
        ),
        case(
            "webhook-security-scope-removed",
            hook_secured([{"o": ["read", "write"]}]),
            hook_secured([{"o": ["read"]}]),
        ),
        case(
            "webhook-security-scope-added",
            hook_secured([{"o": ["read"]}]),
            hook_secured([{"o": ["read", "write"]}]),
        ),
    ]


def _parameters() -> list[Case]:
    return [
        Case("parameter-removed", params(query()), params()),
        Case("required-parameter-added", params(), params(query(required=True))),
        Case("optional-parameter-added", params(), params(query())),
        Case("parameter-became-required", params(query()), params(query(required=True))),
        Case("parameter-became-optional", params(query(required=True)), params(query())),
        Case("parameter-location-changed", params(query()), params(query(**{"in": "header"}))),
        Case("parameter-serialization-changed", params(query()), params(query(explode=False))),
        Case("parameter-deprecated", params(query()), params(query(deprecated=True))),
        Case("parameter-default-added", params(query()), params(query(schema={**INT, "default": 10}))),
        Case("parameter-default-removed", params(query(schema={**INT, "default": 10})), params(query())),
        Case(
            "parameter-default-changed",
            params(query(schema={**INT, "default": 10})),
            params(query(schema={**INT, "default": 20})),
        ),
        Case("parameter-description-changed", params(query(description="a")), params(query(description="b"))),
    ]


def _bodies() -> list[Case]:
    return [
        Case(
            "request-media-type-schema-added",
            schemaless("request", None),
            schemaless("request", STR),
            operation=POST,
        ),
        Case(
            "request-media-type-schema-removed",
            schemaless("request", STR),
            schemaless("request", None),
            operation=POST,
        ),
        Case("required-request-body-added", no_body(), body(True), operation=POST),
        Case("optional-request-body-added", no_body(), body(None), operation=POST),
        Case("request-body-removed", body(None), no_body(), operation=POST),
        Case("request-body-became-required", body(False), body(True), operation=POST),
        Case("request-body-became-optional", body(True), body(None), operation=POST),
        Case(
            "request-media-type-removed",
            body(None, "application/json", "application/xml"),
            body(None, "application/json"),
            operation=POST,
        ),
        Case(
            "request-media-type-added",
            body(None, "application/json"),
            body(None, "application/json", "application/xml"),
            operation=POST,
        ),
    ]


def _responses() -> list[Case]:
    not_found = {"description": "not found"}
    return [
        Case("response-status-removed", responses({**OK, "404": not_found}), responses(OK)),
        Case("response-success-status-added", responses(OK), responses({**OK, "201": {"description": "c"}})),
        Case("response-error-status-added", responses(OK), responses({**OK, "404": not_found})),
        Case("response-media-type-removed", media("application/json", "text/csv"), media("application/json")),
        Case("response-media-type-added", media("application/json"), media("application/json", "text/csv")),
        Case("response-header-removed", header(), responses(OK)),
        Case("response-header-added", responses(OK), header()),
        Case("response-header-became-optional", header(required=True), header()),
        Case("response-description-changed", responses(OK), responses({"200": {"description": "fine"}})),
        Case("response-media-type-schema-removed", schemaless("response", STR), schemaless("response", None)),
        Case("response-media-type-schema-added", schemaless("response", None), schemaless("response", STR)),
    ]


def _security() -> list[Case]:
    oauth_schemes = {
        "o": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"read": "", "write": ""}}},
        }
    }
    two = {"a": {"type": "http", "scheme": "bearer"}, "b": {"type": "apiKey", "in": "header", "name": "K"}}
    one = {"a": two["a"]}
    return [
        Case("security-scheme-removed", secured([{"a": []}], two), secured([{"a": []}], one), operation=None),
        Case("security-scheme-added", secured([{"a": []}], one), secured([{"a": []}], two), operation=None),
        Case(
            "unused-security-scheme-changed",
            secured([{"a": []}], two),
            secured([{"a": []}], {**two, "b": {**two["b"], "in": "query"}}),
            operation=None,
        ),
        Case("security-requirement-removed", secured([{"a": []}, {"b": []}]), secured([{"a": []}])),
        Case("security-requirement-added", secured([{"a": []}]), secured([{"a": []}, {"b": []}])),
        Case("security-scope-added", secured([{"o": ["read"]}]), secured([{"o": ["read", "write"]}])),
        Case("security-scope-removed", secured([{"o": ["read", "write"]}]), secured([{"o": ["read"]}])),
        Case(
            "security-scheme-changed",
            secured([{"o": []}], oauth_schemes),
            secured(
                [{"o": []}],
                {
                    "o": {
                        **oauth_schemes["o"],
                        "flows": {"clientCredentials": {"tokenUrl": "https://u", "scopes": {}}},
                    }
                },
            ),
        ),
    ]


def _directional(make: Any, prefix: str, operation: str) -> list[Case]:
    """Cases whose rule differs only by the side: narrowing breaks requests, widening breaks responses."""
    req = prefix == "request"

    def case(suffix: str, old: Json, new: Json, *also: str) -> Case:
        return Case(
            f"{prefix}-{suffix}", make(old), make(new), tuple(f"{prefix}-{a}" for a in also), operation
        )

    enum2 = {"type": "string", "enum": ["a", "b"]}
    enum1 = {"type": "string", "enum": ["a"]}
    return [
        case("type-changed", STR, INT) if req else case("type-changed", INT, {"type": "number"}),
        case("type-widened", INT, {"type": "number"})
        if req
        else case("type-narrowed", {"type": ["string", "integer"]}, STR),
        case("nullable-removed", {"type": ["string", "null"]}, STR)
        if req
        else case("became-nullable", STR, {"anyOf": [STR, {"type": "null"}]}),
        case("nullable-added", STR, {"type": ["string", "null"]})
        if req
        else case("nullable-removed", {"type": ["string", "null"]}, STR),
        case("format-changed", STR, {"type": "string", "format": "date"})
        if req
        else case(
            "format-changed", {"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}
        ),
        case("format-removed", {"type": "string", "format": "date"}, STR)
        if req
        else case("format-added", STR, {"type": "string", "format": "date-time"}),
        case("enum-value-removed", enum2, enum1),
        case("enum-value-added", enum1, enum2),
        case("enum-added", STR, enum1),
        case("enum-removed", enum1, STR),
        case("property-removed", obj(a=STR, b=STR), obj(a=STR)),
        case("property-added", obj(a=STR), obj(a=STR, b=STR)),
        *(
            [
                case("required-property-added", obj(a=STR), obj(["b"], a=STR, b=STR)),
                case("property-became-required", obj(a=STR), obj(["a"], a=STR)),
                case("property-became-optional", obj(["a"], a=STR), obj(a=STR)),
                case(
                    "property-became-read-only",
                    obj(a=STR, b=STR),
                    obj(a=STR, b={"type": "string", "readOnly": True}),
                ),
                case(
                    "minimum-increased", {"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 2}
                ),
                case(
                    "maximum-decreased",
                    {"type": "integer", "maximum": 9},
                    {"type": "integer", "exclusiveMaximum": 9},
                ),
                case("min-length-increased", STR, {"type": "string", "minLength": 1}),
                case(
                    "max-length-decreased",
                    {"type": "string", "maxLength": 9},
                    {"type": "string", "maxLength": 8},
                ),
                case(
                    "min-items-increased",
                    {"type": "array", "items": STR},
                    {"type": "array", "items": STR, "minItems": 1},
                ),
                case(
                    "max-items-decreased",
                    {"type": "array", "items": STR, "maxItems": 5},
                    {"type": "array", "items": STR, "maxItems": 4},
                ),
                case("bound-relaxed", {"type": "integer", "maximum": 5}, {"type": "integer", "maximum": 10}),
                case("pattern-changed", STR, {"type": "string", "pattern": "^a"}),
                case("pattern-removed", {"type": "string", "pattern": "^a"}, STR),
                case("default-changed", {"type": "integer", "default": 1}, {"type": "integer", "default": 2}),
                case("default-added", INT, {"type": "integer", "default": 1}),
                case(
                    "union-option-removed", {"oneOf": [STR, INT, {"type": "boolean"}]}, {"oneOf": [STR, INT]}
                ),
                case("union-option-added", {"oneOf": [STR, INT]}, {"oneOf": [STR, INT, {"type": "boolean"}]}),
                case(
                    "became-union",
                    obj(a=STR),
                    {"oneOf": [obj(a=STR), obj(["b"], b=STR)]},
                    "union-option-added",
                ),
                # {a: "x"} fits both options, and a oneOf refuses a value that fits two
                case(
                    "one-of-ambiguous", obj(a=STR), {"oneOf": [obj(a=STR), obj(b=STR)]}, "union-option-added"
                ),
                case("const-changed", {"const": "a"}, {"const": "b"}),
                case(
                    "constraint-added",
                    obj(a=STR, b=STR),
                    {**obj(a=STR, b=STR), "dependentRequired": {"a": ["b"]}},
                ),
                case(
                    "constraint-removed",
                    {**obj(a=STR, b=STR), "dependentRequired": {"a": ["b"]}},
                    obj(a=STR, b=STR),
                ),
                Case(
                    "request-all-of-member-added",
                    request({"allOf": [REF_A, REF_B]}, schemas=PARTS),
                    request({"allOf": [REF_A, REF_B, REF_C]}, schemas=PARTS),
                    operation=operation,
                ),
            ]
            if req
            else [
                case("property-became-optional", obj(["a"], a=STR), obj(a=STR)),
                case("property-became-required", obj(a=STR), obj(["a"], a=STR)),
                case(
                    "property-became-write-only",
                    obj(a=STR, b=STR),
                    obj(a=STR, b={"type": "string", "writeOnly": True}),
                ),
                case("bound-relaxed", {"type": "string", "maxLength": 8}, STR),
                case(
                    "bound-tightened",
                    {"type": "integer", "minimum": 0},
                    {"type": "integer", "minimum": 0, "exclusiveMinimum": 0},
                ),
                case(
                    "pattern-changed",
                    {"type": "string", "pattern": "^a"},
                    {"type": "string", "pattern": "^b"},
                ),
                case("pattern-added", STR, {"type": "string", "pattern": "^a"}),
                case("default-changed", {"type": "integer", "default": 1}, {"type": "integer", "default": 2}),
                case("union-option-added", STR, {"oneOf": [STR, obj(id=STR)]}),
                case("union-option-removed", {"oneOf": [STR, INT]}, STR),
                case("const-changed", {"const": "a"}, {"const": "b"}),
                case(
                    "constraint-removed",
                    {"type": "array", "items": STR, "contains": {"const": "x"}},
                    {"type": "array", "items": STR},
                ),
                case(
                    "constraint-added",
                    {"type": "array", "items": STR},
                    {"type": "array", "items": STR, "contains": {"const": "x"}},
                ),
            ]
        ),
        case("additional-properties-restricted", obj(a=STR), {**obj(a=STR), "additionalProperties": False}),
        case("additional-properties-allowed", {**obj(a=STR), "additionalProperties": False}, obj(a=STR)),
    ]


def _schemas() -> list[Case]:
    base = {"Base": obj(id=STR), "Extra": {"type": "object"}}
    with_base = response({"allOf": [{"$ref": "#/components/schemas/Base"}]}, schemas=base)
    with_both = response(
        {"allOf": [{"$ref": "#/components/schemas/Base"}, {"$ref": "#/components/schemas/Extra"}]},
        schemas=base,
    )
    renamed = {"Pet": obj(id=STR)}
    return [
        Case("union-kind-changed", response({"oneOf": [STR, INT]}), response({"anyOf": [STR, INT]})),
        Case("discriminator-changed", _pets({"propertyName": "kind"}), _pets({"propertyName": "type"})),
        Case(
            "discriminator-added",
            response({"oneOf": [CAT, DOG]}, schemas=PET),
            _pets({"propertyName": "kind"}),
        ),
        Case(
            "request-discriminator-removed",
            request({"oneOf": [CAT, DOG], "discriminator": {"propertyName": "kind"}}, schemas=PET),
            request({"oneOf": [CAT, DOG]}, schemas=PET),
            operation=POST,
        ),
        Case(
            "content-encoding-changed",
            response({**STR, "contentEncoding": "base64"}),
            response({**STR, "contentEncoding": "base32"}),
        ),
        Case(
            "discriminator-mapping-changed",
            _pets(
                {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                }
            ),
            _pets({"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}),
        ),
        Case("all-of-member-added", with_base, with_both),
        Case("all-of-member-removed", with_both, with_base),
        Case(
            "schema-deprecated", response(obj(a=STR)), response(obj(a={"type": "string", "deprecated": True}))
        ),
        Case(
            "schema-description-changed",
            response({"type": "string", "description": "a"}),
            response({"type": "string", "description": "b"}),
        ),
        Case(
            "schema-example-changed",
            response({"type": "string", "example": "a"}),
            response({"type": "string", "examples": ["b"]}),
        ),
        Case("schema-added", api(schemas={"A": STR}), api(schemas={"A": STR, "B": INT}), operation=None),
        Case("schema-removed", api(schemas={"A": STR, "B": INT}), api(schemas={"A": STR}), operation=None),
        Case(
            "schema-renamed",
            response({"$ref": "#/components/schemas/Pet"}, schemas=renamed),
            response({"$ref": "#/components/schemas/Animal"}, schemas={"Animal": renamed["Pet"]}),
            operation=None,
        ),
    ]


def rule_cases() -> list[Case]:
    return [
        *_operations(),
        *_parameters(),
        *_bodies(),
        *_responses(),
        *_security(),
        *_webhooks(),
        *_directional(request, "request", POST),
        *_directional(response, "response", GET),
        *_schemas(),
    ]
