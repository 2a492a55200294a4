"""One conformance suite for every style: the same wire-level cases against each generated client.

Each case is written once against a `Driver` (see drivers.py) and runs for every style, over real
sockets against the fake Flex server on 127.0.0.1.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.mock.server import start_mock
from tests.conformance.drivers import STYLES, Call, Driver, GoDriver, TypeScriptDriver, python_driver
from tests.support.flex_server import SPEC_PATH as SPEC
from tests.support.flex_server import FakeFlexServer

BILLING_EMAILS = [
    ("invoice", "payment_intent", "payment_method", "billing_details", "email"),
    ("invoice", "subscription", "default_payment_method", "billing_details", "email"),
]


@pytest.fixture(scope="session")
def typescript_driver(tmp_path_factory: pytest.TempPathFactory) -> TypeScriptDriver:
    package = Path(__file__).resolve().parents[2] / "generated" / "typescript-fetch"
    return TypeScriptDriver(package, tmp_path_factory.mktemp("typescript"), "FlexClient")


@pytest.fixture(scope="session")
def go_driver(tmp_path_factory: pytest.TempPathFactory) -> GoDriver:
    package = Path(__file__).resolve().parents[2] / "generated" / "go-nethttp"
    return GoDriver(package, tmp_path_factory.mktemp("go"))


@pytest.fixture(params=STYLES)
def driver(request: pytest.FixtureRequest) -> Driver:
    if request.param in ("typescript-fetch", "go-nethttp"):
        fixture = "typescript_driver" if request.param == "typescript-fetch" else "go_driver"
        return request.getfixturevalue(fixture)  # type: ignore[no-any-return]
    return python_driver(request.param, "flex_client", "flex_client_lite", "FlexClient")


def _expected(example: dict[str, Any], driver: Driver) -> dict[str, Any]:
    """The example as a client of this style gives it back."""
    expected = copy.deepcopy(example)
    if driver.coerces_numbers_to_strings:
        for path in BILLING_EMAILS:
            node: Any = expected
            for key in path[:-1]:
                node = node.get(key) if isinstance(node, dict) else None
            if isinstance(node, dict) and isinstance(node.get(path[-1]), int):
                node[path[-1]] = str(node[path[-1]])
    return expected


def _dig(data: Any, *path: str | int) -> Any:
    for key in path:
        data = data[key]
    return data


def test_get_invoice_wire_and_values(
    driver: Driver, flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]
) -> None:
    outcome = driver.call(Call("getInvoice", ("inv_123",), flex_server.url))
    assert outcome.error is None and outcome.exception is None, outcome
    [request] = flex_server.requests
    assert request.method == "GET"
    assert request.path == "/v1/invoices/inv_123"
    assert request.headers["authorization"] == "Bearer sk_test_123"
    assert "flex" in request.headers["user-agent"]
    assert request.body == b""
    result = outcome.result
    assert _dig(result, "invoice", "customer", "email") == "joh.doe@example.com"
    assert _dig(result, "invoice", "subscription", "items", 0, "price", "product", "name") == "<string>"
    assert _dig(result, "invoice", "payment_intent", "payment_method") == "<string>"
    assert _dig(result, "invoice", "status") == "draft"
    assert result == _expected(get_invoice_example, driver)


def test_mark_uncollectible_wire_and_values(
    driver: Driver, flex_server: FakeFlexServer, mark_uncollectible_example: dict[str, Any]
) -> None:
    outcome = driver.call(Call("markInvoiceUncollectible", ("inv_123",), flex_server.url))
    assert outcome.error is None and outcome.exception is None, outcome
    [request] = flex_server.requests
    assert (request.method, request.path) == ("POST", "/v1/invoices/inv_123/mark_uncollectible")
    assert request.headers["authorization"] == "Bearer sk_test_123"
    result = outcome.result
    method = _dig(result, "invoice", "payment_intent", "payment_method")
    assert method["card"]["brand"] == "american_express"
    assert method["customer"]["shipping"]["line1"] == "<string>"
    assert _dig(result, "invoice", "payment_intent", "invoice") == {}
    expected_email = "123" if driver.coerces_numbers_to_strings else 123
    assert method["billing_details"]["email"] == expected_email
    assert result == _expected(mark_uncollectible_example, driver)


ERROR_CASES = [
    (
        400,
        {"error": {"code": "invalid_request", "message": "Bad id"}},
        "application/json",
        "invalid_request",
        "Bad id",
    ),
    (
        401,
        {"error": {"code": "unauthorized", "message": "No key"}},
        "application/json",
        "unauthorized",
        "No key",
    ),
    (
        404,
        {"error": {"code": "not_found", "message": "No such invoice"}},
        "application/json",
        "not_found",
        "No such invoice",
    ),
    (
        429,
        {"error": {"code": "rate_limited", "message": "Slow down"}},
        "application/json",
        "rate_limited",
        "Slow down",
    ),
    (500, {"error": {"code": "internal", "message": "Oops"}}, "application/json", "internal", "Oops"),
    (502, "<html>Bad gateway</html>", "text/html", None, None),
    (503, {"unexpected": "shape"}, "application/json", None, None),
]


@pytest.mark.parametrize(("status", "body", "content_type", "code", "message"), ERROR_CASES)
def test_error_mapping(
    driver: Driver,
    flex_server: FakeFlexServer,
    status: int,
    body: Any,
    content_type: str,
    code: str | None,
    message: str | None,
) -> None:
    flex_server.script(
        "/v1/invoices/bad", status, body, content_type=content_type, headers={"Retry-After": "3"}
    )
    outcome = driver.call(Call("getInvoice", ("bad",), flex_server.url, request_options={"max_retries": 0}))
    assert outcome.result is None and outcome.error is not None, outcome
    raw = body if isinstance(body, str) else json.dumps(body)
    assert outcome.error["status"] == status
    assert outcome.error["code"] == code
    assert outcome.error["message"] == message
    assert outcome.error["body"] == raw
    assert outcome.error["headers"]["retry-after"] == "3"
    assert len(flex_server.requests) == 1, "max_retries=0 disables retries"
    expected_type = {
        400: "BadRequestError",
        401: "AuthenticationError",
        404: "NotFoundError",
        429: "RateLimitError",
    }
    assert outcome.error["type"] == expected_type.get(status, "InternalServerError")


@pytest.mark.parametrize(
    ("raw_id", "wire"),
    [
        ("a/b?c#d", "/v1/invoices/a%2Fb%3Fc%23d"),
        ("inv 1", "/v1/invoices/inv%201"),
        ("é/ü", "/v1/invoices/%C3%A9%2F%C3%BC"),
        ("../admin", "/v1/invoices/..%2Fadmin"),
        ("50%off", "/v1/invoices/50%25off"),
        ("it's(*)!", "/v1/invoices/it%27s%28%2A%29%21"),
    ],
)
def test_path_parameters_are_percent_encoded(
    driver: Driver, flex_server: FakeFlexServer, raw_id: str, wire: str
) -> None:
    flex_server.script(wire, 200, {"invoice": {"invoice_id": raw_id}})
    outcome = driver.call(Call("getInvoice", (raw_id,), flex_server.url))
    assert [r.path for r in flex_server.requests] == [wire]
    assert outcome.result == {"invoice": {"invoice_id": raw_id}}


@pytest.mark.parametrize("raw_id", ["", ".", ".."])
def test_dot_segments_are_refused_before_sending(
    driver: Driver, flex_server: FakeFlexServer, raw_id: str
) -> None:
    outcome = driver.call(Call("getInvoice", (raw_id,), flex_server.url))
    assert outcome.exception == "ValueError", outcome
    assert flex_server.requests == []


def test_header_injection_is_refused(driver: Driver, flex_server: FakeFlexServer) -> None:
    outcome = driver.call(
        Call("getInvoice", ("x",), flex_server.url, headers={"X-Trace": "a\r\nInjected: 1"})
    )
    assert outcome.exception == "ValueError", outcome
    assert flex_server.requests == []


def test_extra_headers_are_sent(driver: Driver, flex_server: FakeFlexServer) -> None:
    driver.call(Call("getInvoice", ("x",), flex_server.url, headers={"X-Trace": "abc"}))
    assert flex_server.requests[0].headers["x-trace"] == "abc"


def test_no_key_sends_no_authorization(
    driver: Driver, flex_server: FakeFlexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLEX_API_KEY", raising=False)
    driver.call(Call("getInvoice", ("x",), flex_server.url, api_key=None))
    assert "authorization" not in flex_server.requests[0].headers


def test_unknown_fields_and_enum_values_are_kept(
    driver: Driver, flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]
) -> None:
    body = copy.deepcopy(get_invoice_example)
    body["invoice"]["status"] = "paid_out_of_band"
    body["invoice"]["brand_new_field"] = {"nested": [1, 2]}
    body["invoice"]["customer"]["loyalty_tier"] = "gold"
    body["invoice"]["subscription"]["items"][0]["price"]["recurring"]["interval"] = "fortnightly"
    body["invoice"]["payment_intent"]["payment_method"] = {"payment_method_id": "pm_1", "new_kind": True}
    flex_server.script("/v1/invoices/future", 200, body)
    outcome = driver.call(Call("getInvoice", ("future",), flex_server.url))
    assert outcome.result == body


# The Flex API's newer shape: these fields of an invoice come as the object's id, where the spec
# documents the object; and the invoice gained a field.
ID_FIELDS_NOW_STRINGS = {
    "payment_intent": "payment_intent_id",
    "customer": "customer_id",
    "subscription": "subscription_id",
}
MISMATCHES = {("type_mismatch", f"/invoice/{name}") for name in ID_FIELDS_NOW_STRINGS}


def _newer_shape(example: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    invoice = body["invoice"]
    for name, id_field in ID_FIELDS_NOW_STRINGS.items():
        invoice[name] = str(invoice[name][id_field])
    invoice["created_at"] = "2024-05-01T12:00:00Z"
    return body


@pytest.mark.parametrize(
    ("operation", "example_name", "path"),
    [
        ("getInvoice", "get_invoice_example", "/v1/invoices/inv_new"),
        ("markInvoiceUncollectible", "mark_uncollectible_example", "/v1/invoices/inv_new/mark_uncollectible"),
    ],
)
def test_a_drifted_body_parses_leniently_and_fails_strictly(
    driver: Driver,
    flex_server: FakeFlexServer,
    request: pytest.FixtureRequest,
    operation: str,
    example_name: str,
    path: str,
) -> None:
    body = _newer_shape(request.getfixturevalue(example_name))
    flex_server.script(path, 200, body)

    lenient = driver.call(
        Call(
            operation, ("inv_new",), flex_server.url, collect_unknown=True, log_debug=True, inspect="/invoice"
        )
    )
    assert lenient.error is None and lenient.exception is None, lenient
    # Every value is reachable as it came (Python: the model's `mismatched_fields`, written back by
    # `to_dict()`; TypeScript: `mismatchedFields(invoice)`, written back by `asReceived`; Go: the
    # struct's ExtraFields), and the body round-trips.
    assert lenient.result == _expected(body, driver)
    assert _dig(lenient.result, "invoice", "customer") == body["invoice"]["customer"]
    # The typed fields hold no value of another type: they are absent, the values are kept aside.
    assert lenient.set_aside == {name: body["invoice"][name] for name in ID_FIELDS_NOW_STRINGS}
    assert lenient.typed == dict.fromkeys(ID_FIELDS_NOW_STRINGS)
    reported = {
        (e["kind"], e["path"]) for e in lenient.unknown if e["kind"] in ("type_mismatch", "missing_required")
    }
    assert reported == MISMATCHES
    assert any(e["kind"] == "field" and e["value"] == "2024-05-01T12:00:00Z" for e in lenient.unknown)
    assert any("/invoice/payment_intent" in str(line) for line in lenient.logs)  # logged at DEBUG

    strict = driver.call(
        Call(operation, ("inv_new",), flex_server.url, client_options={"strict_responses": True})
    )
    assert strict.error is not None, strict
    assert strict.error["type"] == "APIResponseValidationError"
    assert strict.error["status"] == 200
    assert json.loads(strict.error["body"]) == body  # the raw body, as it came
    assert strict.error["code"] == "response_validation"


def test_a_missing_required_field_is_absent_and_reported(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script("/v1/invoices/inv_gone", 200, {"unexpected": True})
    lenient = driver.call(Call("getInvoice", ("inv_gone",), flex_server.url, collect_unknown=True))
    assert lenient.error is None and lenient.exception is None, lenient
    assert lenient.result == {"unexpected": True}
    assert ("missing_required", "/invoice") in {(e["kind"], e["path"]) for e in lenient.unknown}

    strict = driver.call(
        Call("getInvoice", ("inv_gone",), flex_server.url, client_options={"strict_responses": True})
    )
    assert strict.error is not None and strict.error["type"] == "APIResponseValidationError", strict


def test_example_files_are_what_the_server_serves(flex_server: FakeFlexServer) -> None:
    root = Path(__file__).resolve().parents[2] / "spec" / "examples"
    assert flex_server.get_invoice_bytes == (root / "get_invoice.json").read_bytes()


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with start_mock(SPEC, quiet=True) as server:
        yield server.url


def test_against_the_mock_server(driver: Driver, mock_url: str) -> None:
    outcome = driver.call(Call("markInvoiceUncollectible", ("inv_1",), mock_url))
    assert outcome.error is None and outcome.exception is None, outcome
    invoice = outcome.result["invoice"]
    assert invoice["status"] == "draft"
    assert set(invoice) >= {"invoice_id", "payment_intent", "customer", "subscription"}


def test_mock_server_errors_map_to_api_error(
    driver: Driver, mock_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLEX_API_KEY", raising=False)
    outcome = driver.call(Call("getInvoice", ("inv_1",), mock_url, api_key=None))
    assert outcome.error is not None, outcome
    assert outcome.error["status"] == 401
    assert outcome.error["code"] == "unauthorized"
    assert outcome.error["message"]
