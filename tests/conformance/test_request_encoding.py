"""Requests exactly as the spec says, in every style, decoded by the scripted server the way a
qs-based server reads them: a nested form body, a deepObject query with arrays and objects, a
multipart body with an object part; and the security scheme chosen by the credentials given.

The clients are generated from tests/specs/features.yaml (see conftest.py).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.drivers import STYLES, Call, Driver, python_driver
from tests.support.flex_server import FakeFlexServer
from tests.support.qs_decode import multipart_parts

CHECKOUT = {
    "mode": "payment",
    "line_items": [
        {"price": "price_a", "quantity": 2, "adjustable_quantity": {"enabled": True, "maximum": 5}},
        {"price": "price_b"},
    ],
    "metadata": {"order": "A-1", "note": "x&y=z [1]"},
    "expand": ["customer", "invoice"],
    "payment_method_types": ["card", "sepa_debit"],
    "features": {"customer_update": {"allowed_updates": ["address", "name"], "enabled": False}},
}


def stringified(value: Any) -> Any:
    """A JSON value as a form or query string carries it: every leaf as text (booleans `true`)."""
    if isinstance(value, dict):
        return {key: stringified(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stringified(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.fixture(params=STYLES)
def driver(request: pytest.FixtureRequest, feature_packages: Path) -> Driver:
    if request.param == "typescript-fetch":
        return request.getfixturevalue("features_typescript")  # type: ignore[no-any-return]
    return python_driver(request.param, "features_pydantic", "features_lite", "FeaturesClient")


def test_nested_form_body_decodes_to_the_value_sent(driver: Driver, flex_server: FakeFlexServer) -> None:
    """Arrays of objects indexed (`line_items[0][price]`), maps and nested objects bracketed, an
    array of scalars without an encoding entry repeated (form, exploded: OpenAPI's default)."""
    flex_server.script("/checkout", 204, b"")
    outcome = driver.call(Call("createCheckout", (), flex_server.url, params={"body": CHECKOUT}))
    assert outcome.error is None and outcome.exception is None, outcome
    [request] = flex_server.requests
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.decoded_form() == stringified(CHECKOUT)
    body = request.body.decode()
    assert "line_items%5B0%5D%5Bprice%5D=price_a" in body or "line_items[0][price]=price_a" in body
    assert "payment_method_types=card&payment_method_types=sepa_debit" in body


def test_deep_object_query_with_arrays_and_objects(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script("/deep-search", 204, b"")
    value = {
        "tags": ["red", "a,b"],
        "created": {"gte": 10, "lt": 20},
        "items": [{"price": "p1", "quantity": 1}, {"price": "p 2"}],
    }
    params = {"filter": value, "expand": ["customer", "invoice.subscription"]}
    outcome = driver.call(Call("deepSearch", (), flex_server.url, params=params))
    assert outcome.error is None and outcome.exception is None, outcome
    [request] = flex_server.requests
    assert request.decoded_query() == stringified(params)
    assert "{" not in request.path and "%7B" not in request.path  # never a repr or JSON on the wire


def test_multipart_body_with_an_object_part(driver: Driver, flex_server: FakeFlexServer) -> None:
    """A file with the encoding's content type and part header, an object without a style as one
    JSON part, an object with style deepObject as `link_data[create]` text parts, an array one
    part per item."""
    flex_server.script("/documents", 204, b"")
    body = {
        "file": b"%PDF-1\xff",
        "purpose": "dispute_evidence",
        "meta": {"title": "Receipt", "pages": 2},
        "link_data": {"create": True, "expires_at": 1700000000},
        "labels": ["a", "b"],
    }
    outcome = driver.call(Call("uploadDocument", (), flex_server.url, params={"body": body}))
    assert outcome.error is None and outcome.exception is None, outcome
    [request] = flex_server.requests
    decoded = request.decoded_multipart()
    assert decoded == {
        "file": b"%PDF-1\xff",
        "purpose": "dispute_evidence",
        "meta": {"title": "Receipt", "pages": 2},
        "link_data": {"create": "true", "expires_at": "1700000000"},
        "labels": ["a", "b"],
    }
    parts = {part.name: part for part in multipart_parts(request.body, request.headers["content-type"])}
    assert parts["file"].headers["content-type"] == "image/png"  # the first of the encoding's list
    assert parts["file"].headers["x-scan"] == "none"  # a part header with a default
    assert parts["meta"].headers["content-type"] == "application/json"
    assert "content-type" not in parts["purpose"].headers  # text/plain, the default
    assert set(parts) >= {"link_data[create]", "link_data[expires_at]"}


def test_a_structure_where_only_text_fits_is_refused_before_sending(
    driver: Driver, flex_server: FakeFlexServer
) -> None:
    """`sort` is a comma-separated (unexploded form) array: an object inside it has no spelling."""
    outcome = driver.call(Call("search", (), flex_server.url, params={"sort": [{"field": "a"}]}))
    assert outcome.exception is not None and "nested" in outcome.detail, outcome
    assert flex_server.requests == []


BASIC = "Basic " + base64.b64encode(b"user:pass").decode()


@pytest.mark.parametrize(
    ("operation", "key", "basic", "expected"),
    [
        # Stripe's shape: basic or bearer. A key goes as bearer, username/password as basic.
        ("withBasicOrBearer", "sk_1", False, {"authorization": "Bearer sk_1"}),
        ("withBasicOrBearer", None, True, {"authorization": BASIC}),
        ("withBasicOrBearer", "sk_1", True, {"authorization": BASIC}),  # the first satisfied wins
        # basic alone, but the API has other schemes: a key is not a user name; nothing is sent.
        ("withBasic", "sk_1", False, {}),
        # apiKey in query or header: the first offered.
        ("withQueryOrHeaderKey", "sk_1", False, {"query": "api_key=sk_1"}),
        # a public operation sends nothing, whatever is configured.
        ("publicPing", "sk_1", True, {}),
    ],
)
def test_the_scheme_matching_the_credentials_is_used(
    driver: Driver,
    flex_server: FakeFlexServer,
    operation: str,
    key: str | None,
    basic: bool,
    expected: dict[str, str],
) -> None:
    for path in ("/either-auth", "/either-key", "/basic", "/public"):
        flex_server.script(path, 204, b"")
    options = {"username": "user", "password": "pass"} if basic else {}
    driver.call(Call(operation, (), flex_server.url, api_key=key, client_options=options))
    [request] = flex_server.requests
    sent = {
        "authorization": request.headers.get("authorization"),
        "x-api-key": request.headers.get("x-api-key"),
    }
    sent = {name: value for name, value in sent.items() if value is not None}
    if "?" in request.path:
        sent["query"] = request.path.partition("?")[2]
    if "cookie" in request.headers:
        sent["cookie"] = request.headers["cookie"]
    assert sent == expected
