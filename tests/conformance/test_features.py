"""Production behaviour, the same cases for every style: retries, typed errors, raw responses,
idempotency, timeouts, logs, forward compatibility and pagination.

The clients are generated from tests/specs/pagination.yaml (a small API with a cursor-paginated
list) and run over real sockets against the scripted server on 127.0.0.1, which injects faults.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.mock.server import start_mock
from tests.conformance.drivers import (
    STYLES,
    Call,
    Driver,
    GoDriver,
    TypeScriptDriver,
    generate_every_style,
    python_driver,
)
from tests.support.flex_server import FakeFlexServer, Reply

SPEC = Path(__file__).resolve().parents[1] / "specs" / "pagination.yaml"
FAST = {"retry_backoff": 0.01}  # keep backoff short: the tests are about counts and headers
KEY = "sk_live_secret_key_1234"


@pytest.fixture(scope="session")
def shop_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shop")
    generate_every_style(SPEC, root, "shop")
    return root


@pytest.fixture(scope="session")
def shop_typescript(shop_packages: Path, tmp_path_factory: pytest.TempPathFactory) -> TypeScriptDriver:
    return TypeScriptDriver(
        shop_packages / "typescript-fetch", tmp_path_factory.mktemp("shop-ts"), "ShopClient"
    )


@pytest.fixture(scope="session")
def shop_go(shop_packages: Path, tmp_path_factory: pytest.TempPathFactory) -> GoDriver:
    return GoDriver(shop_packages / "go-nethttp", tmp_path_factory.mktemp("shop-go"))


@pytest.fixture(params=STYLES)
def driver(request: pytest.FixtureRequest, shop_packages: Path) -> Driver:
    if request.param in ("typescript-fetch", "go-nethttp"):
        fixture = "shop_typescript" if request.param == "typescript-fetch" else "shop_go"
        return request.getfixturevalue(fixture)  # type: ignore[no-any-return]
    return python_driver(request.param, "shop_pydantic", "shop_lite", "ShopClient")


def _reply(status: int, body: Any, headers: dict[str, str] | None = None, delay: float = 0.0) -> Reply:
    return Reply(status, json.dumps(body).encode(), "application/json", dict(headers or {}), delay)


CUSTOMER = {"id": "cus_1", "name": "Ada", "status": "active"}
ERROR_503 = {"error": {"code": "unavailable", "message": "Try again"}}


# --- retries ------------------------------------------------------------------------------------


def test_get_is_retried_on_503_then_succeeds(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(503, ERROR_503), _reply(200, CUSTOMER)])
    outcome = driver.call(Call("getCustomer", ("cus_1",), flex_server.url, client_options=FAST))
    assert outcome.result == CUSTOMER, outcome
    assert len(flex_server.requests) == 2


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retries_are_exhausted_then_the_error_is_raised(
    driver: Driver, flex_server: FakeFlexServer, status: int
) -> None:
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(status, ERROR_503)])
    outcome = driver.call(Call("getCustomer", ("cus_1",), flex_server.url, client_options=FAST))
    assert outcome.error is not None and outcome.error["status"] == status, outcome
    assert len(flex_server.requests) == 3, "2 retries by default"


def test_retries_are_configurable_per_client_and_per_request(
    driver: Driver, flex_server: FakeFlexServer
) -> None:
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(503, ERROR_503)])
    driver.call(Call("getCustomer", ("cus_1",), flex_server.url, client_options={**FAST, "max_retries": 4}))
    assert len(flex_server.requests) == 5
    flex_server.reset()
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(503, ERROR_503)])
    options = {**FAST, "max_retries": 4}
    driver.call(
        Call(
            "getCustomer",
            ("cus_1",),
            flex_server.url,
            client_options=options,
            request_options={"max_retries": 0},
        )
    )
    assert len(flex_server.requests) == 1, "0 disables"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_not_retried(driver: Driver, flex_server: FakeFlexServer, status: int) -> None:
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(status, ERROR_503)])
    outcome = driver.call(Call("getCustomer", ("cus_1",), flex_server.url, client_options=FAST))
    assert outcome.error is not None
    expected = {
        400: "BadRequestError",
        401: "AuthenticationError",
        403: "PermissionDeniedError",
        404: "NotFoundError",
        409: "ConflictError",
        422: "UnprocessableEntityError",
    }[status]
    assert outcome.error["type"] == expected
    assert outcome.error["code"] == "unavailable" and outcome.error["message"] == "Try again"
    assert len(flex_server.requests) == 1


def test_retry_after_is_honoured(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script_sequence(
        "/v1/customers/cus_1", [_reply(429, ERROR_503, {"Retry-After": "1"}), _reply(200, CUSTOMER)]
    )
    started = time.monotonic()
    outcome = driver.call(Call("getCustomer", ("cus_1",), flex_server.url, client_options=FAST))
    assert outcome.result == CUSTOMER
    assert time.monotonic() - started >= 0.9, "waited for Retry-After, not the 10 ms backoff"


def test_retry_after_as_an_http_date(driver: Driver, flex_server: FakeFlexServer) -> None:
    past = "Wed, 21 Oct 2015 07:28:00 GMT"  # already passed: retry at once
    flex_server.script_sequence(
        "/v1/customers/cus_1", [_reply(503, ERROR_503, {"Retry-After": past}), _reply(200, CUSTOMER)]
    )
    started = time.monotonic()
    outcome = driver.call(
        Call("getCustomer", ("cus_1",), flex_server.url, client_options={"retry_backoff": 5.0})
    )
    assert outcome.result == CUSTOMER
    assert time.monotonic() - started < 4, "the date, not the 5 s backoff, decided the wait"


def test_post_is_retried_only_with_an_idempotency_key(driver: Driver, flex_server: FakeFlexServer) -> None:
    body = {"body": {"name": "Ada"}}
    flex_server.script_sequence("/v1/customers", [_reply(503, ERROR_503), _reply(200, CUSTOMER)])
    outcome = driver.call(Call("createCustomer", (), flex_server.url, params=body, client_options=FAST))
    assert outcome.error is not None and outcome.error["status"] == 503
    assert len(flex_server.requests) == 1, "a POST without a key is never retried"

    flex_server.reset()
    flex_server.script_sequence("/v1/customers", [_reply(503, ERROR_503), _reply(200, CUSTOMER)])
    call = Call(
        "createCustomer",
        (),
        flex_server.url,
        params=body,
        client_options=FAST,
        request_options={"idempotency_key": "idem-1"},
    )
    assert driver.call(call).result == CUSTOMER
    assert [r.headers.get("idempotency-key") for r in flex_server.requests] == ["idem-1", "idem-1"]
    assert json.loads(flex_server.requests[1].body) == {"name": "Ada"}

    flex_server.reset()
    flex_server.script_sequence("/v1/customers", [_reply(503, ERROR_503), _reply(200, CUSTOMER)])
    options = {**FAST, "idempotency_keys": True}
    assert (
        driver.call(Call("createCustomer", (), flex_server.url, params=body, client_options=options)).result
        == CUSTOMER
    )
    keys = [r.headers.get("idempotency-key") for r in flex_server.requests]
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], "one generated key, reused across attempts"


def test_connection_errors_are_retried_then_raised(driver: Driver) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = driver.call(Call("getCustomer", ("cus_1",), f"http://127.0.0.1:{port}", client_options=FAST))
    assert outcome.error is not None, outcome
    assert outcome.error["type"] == "APIConnectionError"
    assert outcome.error["status"] == 0


def test_timeouts_raise_a_timeout_error(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(200, CUSTOMER, delay=1.0)])
    started = time.monotonic()
    call = Call(
        "getCustomer", ("cus_1",), flex_server.url, request_options={"timeout": 0.2, "max_retries": 0}
    )
    outcome = driver.call(call)
    assert outcome.error is not None and outcome.error["type"] == "APITimeoutError", outcome
    assert time.monotonic() - started < 0.9


# --- raw responses, identity, logs -------------------------------------------------------------


def test_raw_response_has_status_headers_body_and_parsed(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(200, CUSTOMER, {"X-Request-Id": "req_9"})])
    outcome = driver.call(Call("getCustomer", ("cus_1",), flex_server.url, mode="raw"))
    assert outcome.raw is not None, outcome
    assert outcome.raw["status"] == 200
    assert outcome.raw["headers"]["x-request-id"] == "req_9"
    assert outcome.raw["body"] == json.dumps(CUSTOMER)
    assert outcome.raw["data"] == CUSTOMER


def test_user_agent_and_redacted_debug_logs(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(503, ERROR_503), _reply(200, CUSTOMER)])
    outcome = driver.call(
        Call("getCustomer", ("cus_1",), flex_server.url, api_key=KEY, client_options=FAST, log_debug=True)
    )
    assert outcome.result == CUSTOMER
    agent = flex_server.requests[0].headers["user-agent"]
    assert agent.startswith("shop") and "2.0.0" in agent
    text = "\n".join(outcome.logs)
    assert "/v1/customers/cus_1" in text and "GET" in text
    assert "REDACTED" in text
    assert KEY not in text, "the key never reaches the logs"
    assert len(outcome.logs) >= 3, "each attempt, its answer and the retry are logged"


# --- forward compatibility ------------------------------------------------------------------------


def test_unknown_fields_values_and_variants_are_kept_and_reported(
    driver: Driver, flex_server: FakeFlexServer
) -> None:
    body = {**CUSTOMER, "status": "frozen", "loyalty_tier": "gold", "default_source": [1, 2]}
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(200, body)])
    outcome = driver.call(Call("getCustomer", ("cus_1",), flex_server.url, collect_unknown=True))
    assert outcome.result == body, "nothing is lost"
    kinds = {(e["kind"], json.dumps(e["value"])) for e in outcome.unknown}
    assert ("field", '"gold"') in kinds
    assert ("enum", '"frozen"') in kinds
    assert ("variant", "[1, 2]") in kinds


def test_mismatches_in_list_items_are_set_aside_one_by_one(
    driver: Driver, flex_server: FakeFlexServer
) -> None:
    page = {"data": [{"id": "cus_1", "name": True}, {"name": "Bo"}, CUSTOMER], "has_more": "sometimes"}
    flex_server.script_sequence("/v1/customers", [_reply(200, page)])
    outcome = driver.call(Call("listCustomers", (), flex_server.url, collect_unknown=True))
    assert outcome.error is None and outcome.exception is None, outcome
    assert outcome.result == page, "each value is kept as it came, and written back"
    found = {
        (e["kind"], e["path"]) for e in outcome.unknown if e["kind"] in ("type_mismatch", "missing_required")
    }
    assert found == {
        ("type_mismatch", "/data/0/name"),
        ("missing_required", "/data/1/id"),
        ("type_mismatch", "/has_more"),
    }
    strict = driver.call(
        Call("listCustomers", (), flex_server.url, client_options={"strict_responses": True})
    )
    assert strict.error is not None and strict.error["type"] == "APIResponseValidationError", strict
    assert json.loads(strict.error["body"]) == page


def test_expandable_field_both_shapes(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script_sequence("/v1/customers/a", [_reply(200, {"id": "a", "default_source": "src_1"})])
    flex_server.script_sequence(
        "/v1/customers/b",
        [_reply(200, {"id": "b", "default_source": {"source_id": "src_2", "brand": "visa"}})],
    )
    assert driver.call(Call("getCustomer", ("a",), flex_server.url)).result["default_source"] == "src_1"
    assert (
        driver.call(Call("getCustomer", ("b",), flex_server.url)).result["default_source"]["brand"] == "visa"
    )


# --- pagination -----------------------------------------------------------------------------------


def test_iterator_fetches_pages_lazily_with_the_cursor(driver: Driver, flex_server: FakeFlexServer) -> None:
    customers = [{"id": f"cus_{n}", "name": f"C{n}"} for n in range(1, 6)]
    flex_server.script_sequence(
        "/v1/customers?limit=2", [_reply(200, {"data": customers[:2], "has_more": True})]
    )
    flex_server.script_sequence(
        "/v1/customers?limit=2&starting_after=cus_2",
        [_reply(200, {"data": customers[2:4], "has_more": True})],
    )
    flex_server.script_sequence(
        "/v1/customers?limit=2&starting_after=cus_4",
        [_reply(200, {"data": customers[4:], "has_more": False})],
    )
    outcome = driver.call(Call("listCustomers", (), flex_server.url, params={"limit": 2}, mode="iterate"))
    assert outcome.items == customers, outcome
    assert [r.path for r in flex_server.requests] == [
        "/v1/customers?limit=2",
        "/v1/customers?limit=2&starting_after=cus_2",
        "/v1/customers?limit=2&starting_after=cus_4",
    ]


def test_iterator_stops_on_an_empty_page(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script_sequence("/v1/customers?limit=2", [_reply(200, {"data": [], "has_more": True})])
    outcome = driver.call(Call("listCustomers", (), flex_server.url, params={"limit": 2}, mode="iterate"))
    assert outcome.items == []
    assert len(flex_server.requests) == 1


@pytest.fixture(scope="module")
def shop_mock() -> Iterator[str]:
    with start_mock(SPEC, quiet=True) as server:
        yield server.url


def test_iterator_against_the_mock_server(driver: Driver, shop_mock: str) -> None:
    outcome = driver.call(Call("listCustomers", (), shop_mock, params={"limit": 10}, mode="iterate"))
    assert outcome.items == [{"id": "cus_1", "name": "Ada", "status": "active"}], outcome


def test_go_context_deadline_ends_the_call_and_its_retries(
    shop_go: GoDriver, flex_server: FakeFlexServer
) -> None:
    """Go: the caller's context bounds the whole call, retries included, and its error comes back as is."""
    flex_server.script_sequence("/v1/customers/cus_1", [_reply(503, ERROR_503, delay=0.3)])
    started = time.monotonic()
    call = Call(
        "getCustomer",
        ("cus_1",),
        flex_server.url,
        client_options={"retry_backoff": 0.5, "max_retries": 5},
        request_options={"context_timeout": 0.5},
    )
    outcome = shop_go.call(call)
    assert outcome.exception == "DeadlineExceeded", outcome
    assert time.monotonic() - started < 1.5
    assert len(flex_server.requests) <= 2, "no retry after the deadline"
