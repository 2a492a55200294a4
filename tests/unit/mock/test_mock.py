"""Unit tests for generator.mock.server: routing, request checks, examples and a clean stop, over real sockets."""

from __future__ import annotations

import base64
import http.client
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from generator.errors import SpecError
from generator.mock.server import MockServer, start_mock
from generator.mock.synthesize import Synthesizer
from generator.spec.load import Workspace
from generator.spec.refs import Node
from tests.unit.helpers import spec, write_spec

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"
BEARER = {"Authorization": "Bearer sk_test_123"}
ERROR_RESPONSE = {
    "description": "An error.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> Any:
        return json.loads(self.raw)

    @property
    def error(self) -> dict[str, Any]:
        error: dict[str, Any] = self.body["error"]
        return error


def call(
    server: MockServer,
    method: str,
    target: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Answer:
    """One request with the target sent verbatim (no client-side normalisation of the path)."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def post_json(server: MockServer, target: str, value: Any, headers: dict[str, str] | None = None) -> Answer:
    data = json.dumps(value).encode()
    return call(server, "POST", target, {"Content-Type": "application/json", **(headers or {})}, data)


def operation(responses: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"responses": responses or {"200": {"description": "OK"}}, **extra}


def ok_json(schema: dict[str, Any], **media: Any) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": schema, **media}}}


def small_spec(
    paths: dict[str, Any],
    schemas: dict[str, Any] | None = None,
    schemes: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    components: dict[str, Any] = {"schemas": {"Error": ERROR_SCHEMA, **(schemas or {})}}
    if schemes:
        components["securitySchemes"] = schemes
    return spec(paths=paths, components=components, **extra)


Serve = Callable[[dict[str, Any]], MockServer]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start a mock of a document written to tmp_path; every server is stopped afterwards."""
    servers: list[MockServer] = []

    def start(document: dict[str, Any]) -> MockServer:
        server = start_mock(write_spec(tmp_path / "spec.yaml", document), quiet=True)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def flex() -> Iterator[MockServer]:
    with start_mock(FLEX, quiet=True) as server:
        yield server


def flex_validator(schema_name: str) -> Any:
    document = yaml.safe_load(FLEX.read_text())
    registry: Registry[Any] = Registry().with_resource("urn:flex", DRAFT202012.create_resource(document))
    return Draft202012Validator({"$ref": f"urn:flex#/components/schemas/{schema_name}"}, registry=registry)


# --- the Flex spec ---------------------------------------------------------------------------------


def test_get_invoice_answers_a_valid_invoice_response(flex: MockServer) -> None:
    answer = call(flex, "GET", "/v1/invoices/inv_1", BEARER)
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/json"
    assert "invoice" in answer.body
    assert list(flex_validator("InvoiceResponse").iter_errors(answer.body)) == []
    assert answer.body["invoice"]["customer"]["email"] == "user@example.com"  # format: email
    assert call(flex, "GET", "/v1/invoices/inv_2", BEARER).raw == answer.raw  # deterministic


def test_post_routes_to_the_longer_template(flex: MockServer) -> None:
    answer = call(flex, "POST", "/v1/invoices/inv_1/mark_uncollectible", BEARER)
    assert answer.status == 200 and "invoice" in answer.body


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer    "}, {"Authorization": "Basic dTpw"}],
    ids=["missing", "no-token", "blank-token", "wrong-scheme"],
)
def test_missing_or_empty_bearer_is_401(flex: MockServer, headers: dict[str, str]) -> None:
    answer = call(flex, "GET", "/v1/invoices/inv_1", headers)
    assert answer.status == 401
    assert answer.error["code"] == "unauthorized" and "Bearer" in answer.error["message"]
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_unknown_path_is_404_with_the_error_body(flex: MockServer) -> None:
    answer = call(flex, "GET", "/v1/customers/c_1", BEARER)
    assert answer.status == 404
    assert answer.error["code"] == "not_found" and "/v1/customers/c_1" in answer.error["message"]
    assert list(flex_validator("ErrorResponse").iter_errors(answer.body)) == []


def test_wrong_method_is_405_with_allow(flex: MockServer) -> None:
    answer = call(flex, "DELETE", "/v1/invoices/inv_1", BEARER)
    assert answer.status == 405
    assert answer.headers["allow"] == "GET, HEAD"
    assert answer.error["code"] == "method_not_allowed"


@pytest.mark.parametrize("method", ["QUERY", "PROPFIND", "PURGE"])
def test_nonstandard_method_on_a_known_path_is_405_json_not_the_stdlib_501(
    flex: MockServer, method: str
) -> None:
    answer = call(flex, method, "/v1/invoices/inv_1", BEARER)
    assert answer.status == 405
    assert answer.headers["allow"] == "GET, HEAD"
    assert answer.headers["content-type"] == "application/json"
    assert answer.error["code"] == "method_not_allowed" and method in answer.error["message"]


def test_nonstandard_method_on_an_unknown_path_is_404_json(flex: MockServer) -> None:
    answer = call(flex, "QUERY", "/v1/nowhere", BEARER)
    assert answer.status == 404
    assert answer.headers["content-type"] == "application/json"
    assert answer.error["code"] == "not_found"


def test_percent_encoded_id_routes_to_the_template(flex: MockServer) -> None:
    assert call(flex, "GET", "/v1/invoices/a%2Fb%3Fc%23d", BEARER).status == 200
    assert call(flex, "POST", "/v1/invoices/a%2Fb%3Fc%23d/mark_uncollectible", BEARER).status == 200


def test_prefer_code_returns_the_documented_response(flex: MockServer) -> None:
    answer = call(flex, "GET", "/v1/invoices/inv_1", {**BEARER, "Prefer": "code=404"})
    assert answer.status == 404
    assert list(flex_validator("ErrorResponse").iter_errors(answer.body)) == []
    assert answer.error["code"] == "not_found"
    limited = call(flex, "GET", "/v1/invoices/inv_1", {**BEARER, "Prefer": "code=429"})
    assert limited.status == 429 and limited.headers["retry-after"] == "0"
    fallback = call(flex, "GET", "/v1/invoices/inv_1", {**BEARER, "Prefer": "code=503"})
    assert fallback.status == 503  # not documented itself: the `default` response answers it


def test_head_answers_like_get_without_a_body(flex: MockServer) -> None:
    answer = call(flex, "HEAD", "/v1/invoices/inv_1", BEARER)
    assert answer.status == 200 and answer.raw == b""
    assert int(answer.headers["content-length"]) == len(call(flex, "GET", "/v1/invoices/inv_1", BEARER).raw)


# --- parameters ----------------------------------------------------------------------------------


def test_path_parameters_are_percent_decoded_before_the_check(serve: Serve) -> None:
    param = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^a/b\\?c#d$"},
    }
    server = serve(small_spec({"/items/{id}": {"parameters": [param], "get": operation()}}))
    assert call(server, "GET", "/items/a%2Fb%3Fc%23d").status == 200
    answer = call(server, "GET", "/items/a%2Fb")
    assert answer.status == 400 and "'a/b'" in answer.error["message"]


def test_integer_path_parameter_rejects_text(serve: Serve) -> None:
    param = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    server = serve(small_spec({"/items/{id}": {"get": operation(parameters=[param])}}))
    assert call(server, "GET", "/items/42").status == 200
    answer = call(server, "GET", "/items/abc")
    assert answer.status == 400
    assert answer.error["code"] == "invalid_request"
    assert "path parameter 'id'" in answer.error["message"] and "integer" in answer.error["message"]
    assert call(server, "GET", "/items/0").status == 400  # minimum


def test_query_parameters_required_and_checked(serve: Serve) -> None:
    params = [
        {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer", "maximum": 100}},
        {"name": "tag", "in": "query", "schema": {"type": "array", "items": {"enum": ["a", "b"]}}},
    ]
    server = serve(small_spec({"/items": {"get": operation(parameters=params)}}))
    missing = call(server, "GET", "/items")
    assert missing.status == 400 and missing.error["message"] == "query parameter 'limit' is required"
    assert call(server, "GET", "/items?limit=10&tag=a&tag=b").status == 200
    assert call(server, "GET", "/items?limit=abc").status == 400
    assert call(server, "GET", "/items?limit=101").status == 400
    wrong_item = call(server, "GET", "/items?limit=1&tag=a&tag=c")
    assert wrong_item.status == 400 and "query parameter 'tag' at /1" in wrong_item.error["message"]


def test_required_header_parameter(serve: Serve) -> None:
    params = [{"name": "X-Request-Id", "in": "header", "required": True, "schema": {"format": "uuid"}}]
    server = serve(small_spec({"/items": {"get": operation(parameters=params)}}))
    assert call(server, "GET", "/items").status == 400
    assert call(server, "GET", "/items", {"x-request-id": "r1"}).status == 400  # formats are checked
    assert (
        call(server, "GET", "/items", {"x-request-id": "123e4567-e89b-42d3-a456-426614174000"}).status == 200
    )


def test_literal_segments_win_over_templates(serve: Serve) -> None:
    param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    paths = {
        "/users/{id}": {
            "parameters": [param],
            "get": operation({"200": ok_json({"type": "object"}, example={"who": "by id"})}),
            "delete": operation({"204": {"description": "Deleted"}}),
        },
        "/users/me": {"get": operation({"200": ok_json({"type": "object"}, example={"who": "me"})})},
    }
    server = serve(small_spec(paths))
    assert call(server, "GET", "/users/me").body == {"who": "me"}
    assert call(server, "GET", "/users/42").body == {"who": "by id"}
    deleted = call(server, "DELETE", "/users/me")  # /users/me has no DELETE: the template has
    assert deleted.status == 204 and deleted.raw == b""


def test_server_base_path_is_accepted_in_front(serve: Serve) -> None:
    document = small_spec({"/items": {"get": operation()}}, servers=[{"url": "https://api.example.com/api"}])
    server = serve(document)
    assert call(server, "GET", "/items").status == 200
    assert call(server, "GET", "/api/items").status == 200


# --- request bodies ------------------------------------------------------------------------------

ORDER = {
    "type": "object",
    "required": ["items"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "note": {"type": ["string", "null"]},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["sku", "quantity"],
                "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}},
            },
        },
    },
}


def _order_spec() -> dict[str, Any]:
    body = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
    }
    responses = {"201": ok_json({"$ref": "#/components/schemas/Order"}), "400": ERROR_RESPONSE}
    return small_spec({"/orders": {"post": operation(responses, requestBody=body)}}, {"Order": ORDER})


def test_json_body_invalid_against_its_schema_is_400_naming_the_pointer(serve: Serve) -> None:
    server = serve(_order_spec())
    answer = post_json(server, "/orders", {"items": [{"sku": "A", "quantity": "two"}]})
    assert answer.status == 400
    assert answer.error["code"] == "invalid_request"
    assert (
        answer.error["message"] == "invalid request body at /items/0/quantity: 'two' is not of type 'integer'"
    )
    extra = post_json(server, "/orders", {"items": [{"sku": "A", "quantity": 1}], "color": "red"})
    assert extra.status == 400 and "'color'" in extra.error["message"]
    empty = post_json(server, "/orders", {"items": []})
    assert empty.status == 400 and "/items" in empty.error["message"]


def test_valid_json_body_gets_the_success_response(serve: Serve) -> None:
    server = serve(_order_spec())
    answer = post_json(server, "/orders", {"items": [{"sku": "A", "quantity": 2}], "note": None})
    assert answer.status == 201
    assert answer.body == {"id": "string", "note": "string", "items": [{"sku": "string", "quantity": 1}]}


def test_body_problems_missing_malformed_and_wrong_media_type(serve: Serve) -> None:
    server = serve(_order_spec())
    missing = call(server, "POST", "/orders", {"Content-Type": "application/json"})
    assert missing.status == 400 and missing.error["message"] == "a request body is required"
    broken = call(server, "POST", "/orders", {"Content-Type": "application/json"}, b'{"items": [')
    assert broken.status == 400 and "not valid JSON" in broken.error["message"]
    text = call(server, "POST", "/orders", {"Content-Type": "text/plain"}, b"items")
    assert text.status == 415
    assert text.error["code"] == "unsupported_media_type" and "application/json" in text.error["message"]


def test_form_body_is_coerced_then_checked(serve: Serve) -> None:
    schema = {
        "type": "object",
        "required": ["amount"],
        "properties": {"amount": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}},
    }
    body = {"content": {"application/x-www-form-urlencoded": {"schema": schema}}}
    server = serve(small_spec({"/pay": {"post": operation(requestBody=body)}}))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert call(server, "POST", "/pay", form, b"amount=5&tags=a&tags=b+c").status == 200
    answer = call(server, "POST", "/pay", form, b"amount=five")
    assert answer.status == 400 and answer.error["message"].startswith("invalid request body at /amount:")


def test_openapi_30_nullable_admits_null(serve: Serve) -> None:
    schema = {
        "type": "object",
        "properties": {"note": {"type": "string", "nullable": True}, "count": {"type": "integer"}},
    }
    body = {"content": {"application/json": {"schema": schema}}}
    document = small_spec({"/notes": {"post": operation(requestBody=body)}}, openapi="3.0.3")
    server = serve(document)
    assert post_json(server, "/notes", {"note": None}).status == 200
    assert post_json(server, "/notes", {"note": 5}).status == 400
    assert post_json(server, "/notes", {"count": None}).status == 400


def test_refs_across_files_are_checked_and_synthesised(serve: Serve, tmp_path: Path) -> None:
    write_spec(
        tmp_path / "common.yaml",
        {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "owner": {"$ref": "#/Owner"}},
            },
            "Owner": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}},
        },
    )
    pet = {"$ref": "common.yaml#/Pet"}
    body = {"required": True, "content": {"application/json": {"schema": pet}}}
    server = serve(small_spec({"/pets": {"post": operation({"200": ok_json(pet)}, requestBody=body)}}))
    assert post_json(server, "/pets", {"name": "Rex"}).body == {
        "name": "string",
        "owner": {"email": "user@example.com"},
    }
    answer = post_json(server, "/pets", {"name": "Rex", "owner": {"email": 3}})
    assert answer.status == 400 and "/owner/email" in answer.error["message"]


# --- examples ------------------------------------------------------------------------------------


def test_media_example_is_preferred_over_synthesis(serve: Serve) -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    server = serve(
        small_spec({"/a": {"get": operation({"200": ok_json(schema, example={"id": "from-media"})})}})
    )
    assert call(server, "GET", "/a").body == {"id": "from-media"}


def test_named_examples_first_by_default_and_by_prefer(serve: Serve) -> None:
    examples = {
        "first": {"value": {"id": "one"}},
        "second": {"$ref": "#/components/examples/Second"},
    }
    document = small_spec({"/a": {"get": operation({"200": ok_json({"type": "object"}, examples=examples)})}})
    document["components"]["examples"] = {"Second": {"summary": "two", "value": {"id": "two"}}}
    server = serve(document)
    assert call(server, "GET", "/a").body == {"id": "one"}
    assert call(server, "GET", "/a", {"Prefer": "example=second"}).body == {"id": "two"}
    unknown = call(server, "GET", "/a", {"Prefer": "example=third"})
    assert unknown.status == 400 and "first, second" in unknown.error["message"]


def test_schema_example_then_synthesis(serve: Serve) -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "kind": {"enum": ["x", "y"]},
                "size": {"type": "integer", "minimum": 3},
                "ratio": {"type": "number"},
                "at": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "items": {"type": "string", "example": "tag"}},
                "choice": {"oneOf": [{"type": "boolean"}, {"type": "string"}]},
                "both": {
                    "allOf": [{"$ref": "#/components/schemas/Named"}, {"properties": {"n": {"const": 1}}}]
                },
                "secret": {"type": "string", "writeOnly": True},
            },
        },
        "Named": {"type": "object", "example": {"name": "from-schema"}},
    }
    server = serve(
        small_spec(
            {"/t": {"get": operation({"200": ok_json({"$ref": "#/components/schemas/Thing"})})}}, schemas
        )
    )
    assert call(server, "GET", "/t").body == {
        "id": "123e4567-e89b-42d3-a456-426614174000",
        "kind": "x",
        "size": 3,
        "ratio": 0.0,
        "at": "2024-01-01T00:00:00Z",
        "tags": ["tag"],
        "choice": True,
        "both": {"name": "from-schema", "n": 1},
    }


def test_synthesis_of_recursive_schemas_terminates(tmp_path: Path) -> None:
    schemas = {
        "Tree": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                "parent": {"$ref": "#/components/schemas/Tree"},
            },
        },
        "A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"$ref": "#/components/schemas/A"}, "label": {"type": "string"}},
        },
        "List": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"oneOf": [{"$ref": "#/components/schemas/List"}, {"type": "null"}]}},
        },
    }
    workspace = Workspace.open(write_spec(tmp_path / "spec.yaml", spec(schemas)))
    synthesizer = Synthesizer(workspace)

    def example(name: str) -> Any:
        root = Node.root(workspace.root)
        return synthesizer.example(root.child("components", "schemas", name))

    assert example("Tree") == {"name": "string", "children": []}
    assert example("A") == {"b": {"a": {"b": {"a": None}}, "label": "string"}}
    assert example("List") == {"next": None}


def test_flex_synthesis_stops_at_the_recursive_invoice(flex: MockServer) -> None:
    invoice = call(flex, "GET", "/v1/invoices/inv_1", BEARER).body["invoice"]
    assert invoice["payment_intent"]["invoice"] == "string"  # oneOf [id, Invoice]: the id variant


def test_prefer_code_that_is_not_documented_is_400(serve: Serve) -> None:
    server = serve(small_spec({"/a": {"get": operation()}}))
    answer = call(server, "GET", "/a", {"Prefer": "code=404"})
    assert answer.status == 400 and "documented: 200" in answer.error["message"]


# --- security ------------------------------------------------------------------------------------

SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "key": {"type": "apiKey", "in": "query", "name": "api_key"},
    "session": {"type": "apiKey", "in": "cookie", "name": "sid"},
}


def test_security_empty_list_needs_no_token(serve: Serve) -> None:
    paths = {
        "/private": {"get": operation()},
        "/public": {"get": operation(security=[])},
        "/optional": {"get": operation(security=[{"bearer": []}, {}])},
    }
    server = serve(small_spec(paths, schemes=SCHEMES, security=[{"bearer": []}]))
    assert call(server, "GET", "/private").status == 401
    assert call(server, "GET", "/public").status == 200
    assert call(server, "GET", "/optional").status == 200


def test_api_key_in_query_and_cookie(serve: Serve) -> None:
    paths = {
        "/q": {"get": operation(security=[{"key": []}])},
        "/either": {"get": operation(security=[{"bearer": []}, {"session": []}])},
    }
    server = serve(small_spec(paths, schemes=SCHEMES))
    assert call(server, "GET", "/q?api_key=k1").status == 200
    refused = call(server, "GET", "/q?api_key=")
    assert refused.status == 401 and "'api_key'" in refused.error["message"]
    assert call(server, "GET", "/q", BEARER).status == 401
    assert call(server, "GET", "/either", {"Cookie": "theme=dark; sid=s1"}).status == 200
    assert call(server, "GET", "/either", BEARER).status == 200
    assert call(server, "GET", "/either").status == 401


@pytest.mark.parametrize(
    "token", ["sk test", "sk_test_123,x", "\u00e9t\u00e9"], ids=["space", "comma", "non-ascii"]
)
def test_malformed_bearer_token_is_401(flex: MockServer, token: str) -> None:
    answer = call(
        flex, "GET", "/v1/invoices/inv_1", {"Authorization": f"Bearer {token}".encode().decode("latin-1")}
    )
    assert answer.status == 401 and answer.error["code"] == "unauthorized"


def test_require_key_accepts_only_that_key_in_every_kind_of_scheme(tmp_path: Path) -> None:
    schemes = {
        **SCHEMES,
        "basic": {"type": "http", "scheme": "basic"},
        "header": {"type": "apiKey", "in": "header", "name": "X-Key"},
    }
    paths = {
        "/bearer": {"get": operation(security=[{"bearer": []}])},
        "/query": {"get": operation(security=[{"key": []}])},
        "/cookie": {"get": operation(security=[{"session": []}])},
        "/header": {"get": operation(security=[{"header": []}])},
        "/basic": {"get": operation(security=[{"basic": []}])},
        "/public": {"get": operation(security=[])},
    }
    path = write_spec(tmp_path / "spec.yaml", small_spec(paths, schemes=schemes))
    with start_mock(path, quiet=True, key="s3cret") as server:
        assert call(server, "GET", "/bearer", {"Authorization": "Bearer s3cret"}).status == 200
        assert (
            call(server, "GET", "/bearer", {"Authorization": "Bearer SCHEMATHESIS-INVALID-VALUE"}).status
            == 401
        )
        assert call(server, "GET", "/query?api_key=s3cret").status == 200
        assert call(server, "GET", "/query?api_key=other").status == 401
        assert call(server, "GET", "/cookie", {"Cookie": "sid=s3cret"}).status == 200
        assert call(server, "GET", "/cookie", {"Cookie": "sid=s3"}).status == 401
        assert call(server, "GET", "/header", {"X-Key": "s3cret"}).status == 200
        assert call(server, "GET", "/header", {"X-Key": "s3cret2"}).status == 401
        good = base64.b64encode(b"anyone:s3cret").decode()
        bad = base64.b64encode(b"anyone:nope").decode()
        assert call(server, "GET", "/basic", {"Authorization": f"Basic {good}"}).status == 200
        assert call(server, "GET", "/basic", {"Authorization": f"Basic {bad}"}).status == 401
        refused = call(server, "GET", "/basic", {"Authorization": "Basic not-base64!"})
        assert refused.status == 401 and "the key the mock was started with" in refused.error["message"]
        assert call(server, "GET", "/public").status == 200
    with start_mock(path, quiet=True) as server:  # without a key: any well-formed credential
        assert (
            call(server, "GET", "/bearer", {"Authorization": "Bearer SCHEMATHESIS-INVALID-VALUE"}).status
            == 200
        )


def test_require_key_on_the_command_line(tmp_path: Path) -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "generator.mock.server", str(FLEX), "--require-key", "two words"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "--require-key must be" in bad.stderr and "Traceback" not in bad.stderr


def test_undefined_security_scheme_is_a_spec_error(tmp_path: Path) -> None:
    document = small_spec({"/a": {"get": operation(security=[{"nope": []}])}})
    with pytest.raises(SpecError, match="'nope' is not defined"):
        start_mock(write_spec(tmp_path / "spec.yaml", document))


# --- error bodies --------------------------------------------------------------------------------


def test_error_body_follows_the_spec_error_shape(serve: Serve) -> None:
    flat = {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}
    responses = {"200": {"description": "OK"}, "404": ok_json({"$ref": "#/components/schemas/Problem"})}
    server = serve(small_spec({"/a": {"get": operation(responses)}}, {"Problem": flat}))
    answer = call(server, "GET", "/nowhere")
    assert answer.status == 404
    assert answer.body == {"code": "not_found", "message": "no operation of the spec has the path /nowhere"}


def test_error_body_without_an_error_shape(serve: Serve) -> None:
    server = serve(spec(paths={"/a": {"get": operation()}}))
    assert call(server, "POST", "/a").body == {
        "error": {"code": "method_not_allowed", "message": "POST is not allowed on /a; allowed: GET, HEAD"}
    }


# --- the process ---------------------------------------------------------------------------------


def test_a_port_in_use_is_reported_not_raised_as_oserror(flex: MockServer) -> None:
    with pytest.raises(SpecError, match=f"cannot listen on 127.0.0.1:{flex.port}"):
        start_mock(FLEX, port=flex.port)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_process_serves_then_stops_cleanly_on_signal(signum: int) -> None:
    command = [sys.executable, "-m", "generator.mock.server", str(FLEX), "--port", "0"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(f"mock server for {FLEX} listening on http://127.0.0.1:"), line
        url = urlsplit(line.split()[-1])
        connection = http.client.HTTPConnection("127.0.0.1", url.port, timeout=10)
        connection.request("GET", "/v1/invoices/inv_1", headers=BEARER)
        assert connection.getresponse().status == 200
        connection.close()
        started = time.monotonic()
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=5)
        assert process.returncode == 0
        assert time.monotonic() - started < 5
        assert "Traceback" not in stderr
        assert "GET /v1/invoices/inv_1 200" in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
