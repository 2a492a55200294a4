"""The generated python-pydantic SDK (`flex_client`) over real sockets, against a fake Flex server.

Every test talks to the `ThreadingHTTPServer` of `conftest.py` on 127.0.0.1 and checks both what the
server received (method, raw path, headers) and what the SDK parsed.
"""

from __future__ import annotations

import asyncio
import copy
import json
import ssl
import time
from typing import Any

import httpx
import pytest
from flex_client import APIError, APITimeoutError, AsyncFlexClient, FlexClient
from flex_client.models import (
    Card,
    CardBrand,
    Invoice,
    InvoiceResponse,
    InvoiceStatus,
    PaymentIntentStatus,
    PaymentMethod,
    RecurringInterval,
    SubscriptionStatus,
)

from tests.support.flex_server import FakeFlexServer

API_KEY = "sk_test_123"
MODES = ["sync", "async"]

# The page artifacts: `billing_details.email` is printed as the number 123 on the POST page; the
# models coerce it to the string "123" (coerce_numbers_to_str), so it does not round-trip verbatim.
EMAIL_123_PATHS = [
    ("invoice", "payment_intent", "payment_method", "billing_details", "email"),
    ("invoice", "subscription", "default_payment_method", "billing_details", "email"),
]


def call(
    mode: str,
    server: FakeFlexServer,
    operation: str,
    invoice_id: str,
    *,
    client_kwargs: dict[str, Any] | None = None,
    **call_kwargs: Any,
) -> Any:
    """Call one operation with a fresh sync or async client (closed afterwards)."""
    kwargs: dict[str, Any] = {"api_key": API_KEY, "base_url": server.url, **(client_kwargs or {})}
    if mode == "sync":
        with FlexClient(**kwargs) as client:
            return getattr(client, operation)(invoice_id, **call_kwargs)

    async def run() -> Any:
        async with AsyncFlexClient(**kwargs) as client:
            return await getattr(client, operation)(invoice_id, **call_kwargs)

    return asyncio.run(run())


def typed_diff(
    actual: Any, expected: Any, path: tuple[Any, ...] = ()
) -> list[tuple[tuple[Any, ...], Any, Any]]:
    """Where two JSON values differ, type-sensitively (`True != 1`, `123 != "123"`, `1 != 1.0`)."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        diffs = []
        for key in sorted(set(actual) | set(expected)):
            if key not in actual or key not in expected:
                diffs.append(((*path, key), actual.get(key, "<missing>"), expected.get(key, "<missing>")))
            else:
                diffs.extend(typed_diff(actual[key], expected[key], (*path, key)))
        return diffs
    if isinstance(actual, list) and isinstance(expected, list):
        if len(actual) != len(expected):
            return [(path, actual, expected)]
        diffs = []
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            diffs.extend(typed_diff(a, e, (*path, index)))
        return diffs
    if type(actual) is not type(expected) or actual != expected:
        return [(path, actual, expected)]
    return []


def dig(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


# --- what the two examples must parse to ------------------------------------------------------


def check_get_invoice(resp: Any, example: dict[str, Any]) -> None:
    assert isinstance(resp, InvoiceResponse)
    inv = resp.invoice
    assert isinstance(inv, Invoice)
    assert inv.invoice_id == "<string>"
    assert inv.total == 123 and inv.amount_due == 123 and inv.amount_paid == 123
    assert inv.test_mode is True
    assert inv.status == "draft"
    assert inv.status is InvoiceStatus.DRAFT
    assert inv.collection_method == "charge_automatically"
    assert inv.customer is not None
    assert inv.customer.email == "joh.doe@example.com"
    assert inv.customer.customer_id == "fcus_01HACM7FZ1084XB1GB6053VM0D"
    assert inv.customer.shipping is not None and inv.customer.shipping.postal_code == "<string>"

    pi = inv.payment_intent
    assert pi is not None
    assert pi.status == "canceled" and pi.status is PaymentIntentStatus.CANCELED
    assert pi.capture_method == "automatic"
    assert pi.transfer_data is not None and pi.transfer_data.amount == 123
    # id-or-object fields, as ids on the GET page
    assert isinstance(pi.payment_method, str)
    assert pi.payment_method == "<string>"
    assert isinstance(pi.invoice, str)
    assert pi.invoice == "<string>"
    assert pi.metadata == {}

    sub = inv.subscription
    assert sub is not None
    assert sub.status == "incomplete" and sub.status is SubscriptionStatus.INCOMPLETE
    assert sub.proration_behavior == "always_invoice"
    assert sub.client_secret is not None and sub.client_secret.payment_secret == "<string>"
    # the page shows `latest_invoice: {}` (an expanded, empty Invoice)
    assert isinstance(sub.latest_invoice, Invoice)
    assert sub.latest_invoice.to_dict() == {}
    assert sub.items is not None and len(sub.items) == 1
    price = sub.items[0].price
    assert price is not None
    assert sub.items[0].quantity == 123
    assert price.type == "one_time"
    assert price.hsa_fsa_eligibility == "not_eligible"
    assert price.product is not None
    assert price.product.name == "<string>"
    assert price.product.visit_type == "cbtSleep"
    assert price.recurring is not None
    assert price.recurring.interval == "daily"
    assert price.recurring.interval is RecurringInterval.DAILY
    assert price.recurring.interval_count == 1
    assert example["invoice"]["subscription"]["items"][0]["price"]["product"]["name"] == price.product.name


def check_mark_uncollectible(resp: Any, example: dict[str, Any]) -> None:
    assert isinstance(resp, InvoiceResponse)
    inv = resp.invoice
    assert inv.invoice_id == "<string>"
    assert inv.status == "draft"
    page_email = example["invoice"]["customer"]["email"]
    assert "\u00a0" in page_email  # the page's obfuscated value, with its no-break space
    assert inv.customer is not None
    assert inv.customer.email == page_email
    assert inv.customer.metadata == {}

    pi = inv.payment_intent
    assert pi is not None
    assert pi.status == "canceled"
    assert pi.customer is not None and pi.customer.email == page_email
    assert pi.payment_card_type == "<unknown>"
    # the page shows `invoice: {}` -> an expanded (empty) Invoice, not a string
    assert isinstance(pi.invoice, Invoice)
    assert pi.invoice.to_dict() == {}
    # id-or-object fields, as objects on the POST page
    pm = pi.payment_method
    assert isinstance(pm, PaymentMethod)
    assert isinstance(pm.card, Card)
    assert pm.card.brand == "american_express"
    assert pm.card.brand is CardBrand.AMERICAN_EXPRESS
    assert pm.card.funding == "credit"
    assert pm.card.exp_month == 123
    assert pm.billing_details is not None
    assert pm.billing_details.email == "123"  # the page shows the number 123; the models coerce it
    assert isinstance(pm.billing_details.email, str)
    assert pm.billing_details.address is not None and pm.billing_details.address.city == "<string>"
    assert pm.customer is not None and pm.customer.email == page_email
    assert pm.off_session is True

    sub = inv.subscription
    assert sub is not None
    dpm = sub.default_payment_method
    assert isinstance(dpm, PaymentMethod)
    assert dpm.billing_details is not None and dpm.billing_details.email == "123"
    assert dpm.card is not None and dpm.card.brand == "american_express"
    assert sub.items is not None
    product = sub.items[0].price.product if sub.items[0].price else None
    assert product is not None
    assert product.name == "<string>"
    assert product.url == "<string>"
    assert product.document_description == "<string>"
    assert sub.items[0].price is not None and sub.items[0].price.recurring is not None
    assert sub.items[0].price.recurring.interval == "daily"


def check_request(server: FakeFlexServer, method: str, path: str, api_key: str = API_KEY) -> None:
    requests = server.requests
    assert len(requests) == 1, requests
    req = requests[0]
    assert req.method == method
    assert req.path == path
    assert req.headers.get("authorization") == f"Bearer {api_key}"
    user_agent = req.headers.get("user-agent", "")
    assert user_agent.startswith("flex-client-python/"), user_agent  # the SDK's, not httpx's default
    assert req.headers.get("accept") == "application/json"
    assert req.body == b""


# --- the fake server itself ---------------------------------------------------------------------


def test_server_serves_the_examples_byte_for_byte(flex_server: FakeFlexServer) -> None:
    get = httpx.get(flex_server.url + "/v1/invoices/inv_1")
    post = httpx.post(flex_server.url + "/v1/invoices/inv_1/mark_uncollectible")
    assert get.status_code == 200 and get.headers["content-type"] == "application/json"
    assert get.content == (flex_server.get_invoice_bytes)
    assert post.status_code == 200
    assert post.content == flex_server.mark_uncollectible_bytes
    assert [(r.method, r.path) for r in flex_server.requests] == [
        ("GET", "/v1/invoices/inv_1"),
        ("POST", "/v1/invoices/inv_1/mark_uncollectible"),
    ]


# --- happy paths --------------------------------------------------------------------------------


def test_sync_get_invoice(flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]) -> None:
    with FlexClient(api_key=API_KEY, base_url=flex_server.url) as client:
        resp = client.get_invoice("inv_123")
    check_request(flex_server, "GET", "/v1/invoices/inv_123")
    check_get_invoice(resp, get_invoice_example)


def test_sync_mark_invoice_uncollectible(
    flex_server: FakeFlexServer, mark_uncollectible_example: dict[str, Any]
) -> None:
    with FlexClient(api_key=API_KEY, base_url=flex_server.url) as client:
        resp = client.mark_invoice_uncollectible("inv_123")
    check_request(flex_server, "POST", "/v1/invoices/inv_123/mark_uncollectible")
    check_mark_uncollectible(resp, mark_uncollectible_example)


def test_async_get_invoice(flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]) -> None:
    async def run() -> InvoiceResponse:
        async with AsyncFlexClient(api_key=API_KEY, base_url=flex_server.url) as client:
            return await client.get_invoice("inv_123")

    resp = asyncio.run(run())
    check_request(flex_server, "GET", "/v1/invoices/inv_123")
    check_get_invoice(resp, get_invoice_example)


def test_async_mark_invoice_uncollectible(
    flex_server: FakeFlexServer, mark_uncollectible_example: dict[str, Any]
) -> None:
    async def run() -> InvoiceResponse:
        async with AsyncFlexClient(api_key=API_KEY, base_url=flex_server.url) as client:
            return await client.mark_invoice_uncollectible("inv_123")

    resp = asyncio.run(run())
    check_request(flex_server, "POST", "/v1/invoices/inv_123/mark_uncollectible")
    check_mark_uncollectible(resp, mark_uncollectible_example)


def test_one_client_makes_several_calls(flex_server: FakeFlexServer) -> None:
    with FlexClient(api_key=API_KEY, base_url=flex_server.url + "/") as client:  # trailing slash
        first = client.get_invoice("inv_1")
        second = client.mark_invoice_uncollectible("inv_2")
    assert isinstance(first.invoice.payment_intent.payment_method, str)
    assert isinstance(second.invoice.payment_intent.payment_method, PaymentMethod)
    assert [(r.method, r.path) for r in flex_server.requests] == [
        ("GET", "/v1/invoices/inv_1"),
        ("POST", "/v1/invoices/inv_2/mark_uncollectible"),
    ]


# --- round trip ---------------------------------------------------------------------------------


def test_round_trip_get_invoice(flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]) -> None:
    with FlexClient(api_key=API_KEY, base_url=flex_server.url) as client:
        resp = client.get_invoice("inv_123")
    assert resp.to_dict() == get_invoice_example
    assert typed_diff(resp.to_dict(), get_invoice_example) == []
    assert typed_diff(json.loads(resp.to_json()), get_invoice_example) == []


def test_round_trip_mark_uncollectible(
    flex_server: FakeFlexServer, mark_uncollectible_example: dict[str, Any]
) -> None:
    with FlexClient(api_key=API_KEY, base_url=flex_server.url) as client:
        resp = client.mark_invoice_uncollectible("inv_123")
    actual = resp.to_dict()
    # Exactly the two coerced page artifacts differ from the page, and nothing else.
    assert typed_diff(actual, mark_uncollectible_example) == [(path, "123", 123) for path in EMAIL_123_PATHS]
    expected = copy.deepcopy(mark_uncollectible_example)
    for path in EMAIL_123_PATHS:
        parent = dig(expected, path[:-1])
        assert parent[path[-1]] == 123
        parent[path[-1]] = "123"
    assert actual == expected
    assert typed_diff(actual, expected) == []
    assert typed_diff(json.loads(resp.to_json()), expected) == []
    # the obfuscated email (with U+00A0) survives unchanged
    assert (
        actual["invoice"]["customer"]["email"] == mark_uncollectible_example["invoice"]["customer"]["email"]
    )


# --- forward compatibility ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_unknown_fields_and_enum_values_are_kept(
    mode: str, flex_server: FakeFlexServer, get_invoice_example: dict[str, Any]
) -> None:
    body = copy.deepcopy(get_invoice_example)
    body["invoice"]["new_field"] = {"a": 1}
    body["invoice"]["status"] = "paid_out_of_band"
    body["invoice"]["customer"]["nickname"] = "JD"  # nested unknown field
    body["invoice"]["subscription"]["items"][0]["price"]["recurring"]["interval"] = "fortnightly"
    flex_server.script("/v1/invoices/inv_new", 200, body)

    resp = call(mode, flex_server, "get_invoice", "inv_new")

    inv = resp.invoice
    assert inv.new_field == {"a": 1}
    assert inv.model_extra == {"new_field": {"a": 1}}
    assert inv.customer.nickname == "JD"
    assert inv.customer.model_extra == {"nickname": "JD"}
    assert isinstance(inv.status, InvoiceStatus)
    assert inv.status == "paid_out_of_band"
    assert inv.status.value == "paid_out_of_band"
    assert str(inv.status) == "paid_out_of_band"
    assert inv.status.is_known is False
    assert inv.payment_intent.status.is_known is True
    assert InvoiceStatus("draft").is_known is True
    interval = inv.subscription.items[0].price.recurring.interval
    assert isinstance(interval, RecurringInterval)
    assert interval == "fortnightly" and interval.is_known is False
    out = resp.to_dict()
    assert out["invoice"]["new_field"] == {"a": 1}
    assert out["invoice"]["status"] == "paid_out_of_band"
    assert out == body
    assert typed_diff(out, body) == []
    assert json.loads(resp.to_json()) == body


# --- errors -------------------------------------------------------------------------------------


ERROR_CASES = [
    pytest.param(400, "invalid_request", "Bad id", {}, id="400"),
    pytest.param(404, "not_found", "No such invoice", {}, id="404"),
    pytest.param(429, "rate_limited", "Too many requests", {"Retry-After": "3"}, id="429"),
    pytest.param(500, "internal_error", "Something broke", {}, id="500"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "code", "message", "headers"), ERROR_CASES)
def test_json_errors_raise_api_error(
    mode: str,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str],
    flex_server: FakeFlexServer,
) -> None:
    raw = json.dumps({"error": {"code": code, "message": message}})
    flex_server.script(f"/v1/invoices/err_{status}", status, raw, headers=headers)

    with pytest.raises(APIError) as caught:
        call(mode, flex_server, "get_invoice", f"err_{status}", max_retries=0)

    error = caught.value
    assert error.status_code == status
    assert error.code == code
    assert error.message == message
    assert error.body == raw
    assert error.headers["content-type"] == "application/json"
    if status == 429:
        assert error.headers["retry-after"] == "3"
    else:
        assert "retry-after" not in error.headers
    assert str(error) == f"HTTP {status} {code}: {message}"
    assert API_KEY not in repr(error) and API_KEY not in str(error)
    assert len(flex_server.requests) == 1  # max_retries=0: retries are tested in the conformance suite


@pytest.mark.parametrize("mode", MODES)
def test_400_invalid_request_exact(mode: str, flex_server: FakeFlexServer) -> None:
    raw = '{"error": {"code": "invalid_request", "message": "Bad id"}}'
    flex_server.script("/v1/invoices/bad/mark_uncollectible", 400, raw)
    with pytest.raises(APIError) as caught:
        call(mode, flex_server, "mark_invoice_uncollectible", "bad")
    assert (caught.value.status_code, caught.value.code, caught.value.message) == (
        400,
        "invalid_request",
        "Bad id",
    )
    assert caught.value.body == raw
    assert flex_server.requests[0].method == "POST"


@pytest.mark.parametrize("mode", MODES)
def test_non_json_error_raises_api_error(mode: str, flex_server: FakeFlexServer) -> None:
    html = "<html>Bad gateway</html>"
    flex_server.script("/v1/invoices/gw", 502, html, content_type="text/html")

    with pytest.raises(APIError) as caught:
        call(mode, flex_server, "get_invoice", "gw", max_retries=0)

    error = caught.value
    assert error.status_code == 502
    assert error.code is None
    assert error.message is None
    assert error.body == html
    assert error.headers["content-type"] == "text/html"
    assert str(error) == "HTTP 502"


# --- path parameters ----------------------------------------------------------------------------


PATH_CASES = [
    pytest.param("a/b?c#d", "/v1/invoices/a%2Fb%3Fc%23d", id="slash-query-fragment"),
    pytest.param("inv 1/é", "/v1/invoices/inv%201%2F%C3%A9", id="space-non-ascii"),
    pytest.param("50%25off", "/v1/invoices/50%2525off", id="percent-not-decoded"),
    pytest.param("../admin", "/v1/invoices/..%2Fadmin", id="dot-dot-slash"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("invoice_id", "wire_path"), PATH_CASES)
def test_path_parameters_are_percent_encoded(
    mode: str, invoice_id: str, wire_path: str, flex_server: FakeFlexServer
) -> None:
    resp = call(mode, flex_server, "get_invoice", invoice_id)
    assert isinstance(resp, InvoiceResponse)
    assert [(r.method, r.path) for r in flex_server.requests] == [("GET", wire_path)]


def test_path_parameter_encoded_before_a_suffix(flex_server: FakeFlexServer) -> None:
    call("sync", flex_server, "mark_invoice_uncollectible", "a/b?c#d")
    assert [(r.method, r.path) for r in flex_server.requests] == [
        ("POST", "/v1/invoices/a%2Fb%3Fc%23d/mark_uncollectible")
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", ["get_invoice", "mark_invoice_uncollectible"])
@pytest.mark.parametrize("invoice_id", ["..", "", "."])
def test_path_changing_ids_are_rejected_before_sending(
    mode: str, operation: str, invoice_id: str, flex_server: FakeFlexServer
) -> None:
    with pytest.raises(ValueError):
        call(mode, flex_server, operation, invoice_id)
    assert flex_server.requests == []


# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ["a\r\nInjected: 1", "a\nInjected: 1", "a\rb", "a\0b"])
def test_header_injection_in_extra_headers_is_rejected(
    mode: str, value: str, flex_server: FakeFlexServer
) -> None:
    with pytest.raises(ValueError):
        call(mode, flex_server, "get_invoice", "inv_1", extra_headers={"X-Trace": value})
    assert flex_server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_header_injection_in_header_names_never_reaches_the_server(
    mode: str, flex_server: FakeFlexServer
) -> None:
    # The SDK checks header values only; an illegal *name* is refused by httpx/h11 before any byte
    # is sent (a different exception type, but no injection).
    with pytest.raises((ValueError, httpx.LocalProtocolError)):
        call(mode, flex_server, "get_invoice", "inv_1", extra_headers={"X-A\r\nInjected": "1"})
    assert flex_server.requests == []


def test_header_injection_in_client_headers_is_rejected(flex_server: FakeFlexServer) -> None:
    with pytest.raises(ValueError):
        FlexClient(api_key=API_KEY, base_url=flex_server.url, headers={"X-Trace": "a\r\nInjected: 1"})
    with pytest.raises(ValueError):
        AsyncFlexClient(api_key=API_KEY, base_url=flex_server.url, headers={"X-Trace": "a\nInjected: 1"})
    assert flex_server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_api_key_with_line_break_is_rejected_on_call(mode: str, flex_server: FakeFlexServer) -> None:
    with pytest.raises(ValueError):
        call(mode, flex_server, "get_invoice", "inv_1", client_kwargs={"api_key": "k\nx"})
    with pytest.raises(ValueError):
        call(mode, flex_server, "mark_invoice_uncollectible", "inv_1", client_kwargs={"api_key": "k\r\nx"})
    assert flex_server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_custom_headers_are_sent(mode: str, flex_server: FakeFlexServer) -> None:
    call(
        mode,
        flex_server,
        "get_invoice",
        "inv_1",
        client_kwargs={"headers": {"X-Client": "c1"}},
        extra_headers={"X-Trace": "t-42"},
    )
    [req] = flex_server.requests
    assert req.headers["x-client"] == "c1"
    assert req.headers["x-trace"] == "t-42"
    assert req.headers["authorization"] == f"Bearer {API_KEY}"


# --- repr, env, defaults ------------------------------------------------------------------------


def test_repr_hides_the_api_key(flex_server: FakeFlexServer) -> None:
    client = FlexClient(api_key="sk_secret_value", base_url=flex_server.url)
    aclient = AsyncFlexClient(api_key="sk_secret_value", base_url=flex_server.url)
    try:
        for c in (client, aclient):
            assert "sk_secret_value" not in repr(c)
            assert "sk_secret_value" not in str(c)
            assert flex_server.url in repr(c)
    finally:
        client.close()
        asyncio.run(aclient.aclose())


@pytest.mark.parametrize("mode", MODES)
def test_api_key_from_environment(
    mode: str, flex_server: FakeFlexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEX_API_KEY", "env_key")
    call(mode, flex_server, "get_invoice", "inv_env", client_kwargs={"api_key": None})
    check_request(flex_server, "GET", "/v1/invoices/inv_env", api_key="env_key")


def test_explicit_api_key_beats_environment(
    flex_server: FakeFlexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEX_API_KEY", "env_key")
    call("sync", flex_server, "get_invoice", "inv_1", client_kwargs={"api_key": "explicit"})
    assert flex_server.requests[0].headers["authorization"] == "Bearer explicit"


def test_no_key_sends_no_authorization(flex_server: FakeFlexServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLEX_API_KEY", raising=False)
    call("sync", flex_server, "get_invoice", "inv_1", client_kwargs={"api_key": None})
    assert "authorization" not in flex_server.requests[0].headers


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLEX_API_KEY", raising=False)
    with FlexClient(api_key="k") as client:
        assert client.base_url == "https://api.withflex.com"

    async def run() -> str:
        async with AsyncFlexClient(api_key="k") as aclient:
            return aclient.base_url

    assert asyncio.run(run()) == "https://api.withflex.com"


# --- lifecycle ----------------------------------------------------------------------------------


def test_sync_context_manager_closes(flex_server: FakeFlexServer) -> None:
    client = FlexClient(api_key=API_KEY, base_url=flex_server.url)
    with client as c:
        assert c is client
        c.get_invoice("inv_1")
        assert c._client.is_closed is False
    assert c._client.is_closed is True


def test_async_context_manager_closes(flex_server: FakeFlexServer) -> None:
    async def run() -> AsyncFlexClient:
        client = AsyncFlexClient(api_key=API_KEY, base_url=flex_server.url)
        async with client as c:
            assert c is client
            await c.get_invoice("inv_1")
            assert c._client.is_closed is False
        return c

    c = asyncio.run(run())
    assert c._client.is_closed is True


def test_close_and_aclose(flex_server: FakeFlexServer) -> None:
    client = FlexClient(api_key=API_KEY, base_url=flex_server.url)
    client.close()
    assert client._client.is_closed is True
    aclient = AsyncFlexClient(api_key=API_KEY, base_url=flex_server.url)
    asyncio.run(aclient.aclose())
    assert aclient._client.is_closed is True


# --- TLS ----------------------------------------------------------------------------------------


def _ssl_context(client: FlexClient | AsyncFlexClient) -> ssl.SSLContext:
    # httpx 0.28: Client._transport is an HTTPTransport whose httpcore pool holds the SSLContext.
    context = client._client._transport._pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


def test_tls_verification_is_on_by_default() -> None:
    clients = [FlexClient(api_key="k"), FlexClient(api_key="k", verify=False)]
    aclients = [AsyncFlexClient(api_key="k"), AsyncFlexClient(api_key="k", verify=False)]
    try:
        for default, insecure in (clients, aclients):
            context = _ssl_context(default)
            assert context.verify_mode == ssl.CERT_REQUIRED
            assert context.check_hostname is True
            # the attribute path is the one that reflects `verify`: turning it off shows up there
            assert _ssl_context(insecure).verify_mode == ssl.CERT_NONE
    finally:
        for c in clients:
            c.close()
        for a in aclients:
            asyncio.run(a.aclose())


# --- timeouts -----------------------------------------------------------------------------------


def test_default_timeout() -> None:
    with FlexClient(api_key="k") as client:
        assert client.timeout == 60.0
        assert client._client.timeout == httpx.Timeout(60.0)

    async def run() -> float:
        async with AsyncFlexClient(api_key="k") as aclient:
            return aclient.timeout

    assert asyncio.run(run()) == 60.0


@pytest.mark.parametrize("mode", MODES)
def test_per_call_timeout(mode: str, flex_server: FakeFlexServer) -> None:
    flex_server.script("/v1/invoices/slow", 200, flex_server.get_invoice_bytes, delay=1.0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as caught:
        call(mode, flex_server, "get_invoice", "slow", timeout=0.2, max_retries=0)
    assert caught.value.code == "timeout" and caught.value.status_code == 0
    elapsed = time.monotonic() - started
    assert elapsed < 0.9, elapsed
    assert [r.path for r in flex_server.requests] == ["/v1/invoices/slow"]


def test_client_timeout_applies_to_calls(flex_server: FakeFlexServer) -> None:
    flex_server.script("/v1/invoices/slow", 200, flex_server.get_invoice_bytes, delay=1.0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        call("sync", flex_server, "get_invoice", "slow", client_kwargs={"timeout": 0.2, "max_retries": 0})
    assert time.monotonic() - started < 0.9
