"""Prism (`@stoplight/prism-cli`, pinned in package.json), Stoplight's mock server that validates
requests against the spec, as a real server: every request the conformance suite sends to the
feature spec (tests/specs/features.yaml), in every style, is accepted (2xx).

Prism answers an invalid request with 422 (and the violations), a missing credential with 401, a
body it cannot read with 415: any of them fails the test with Prism's own words.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.drivers import STYLES, Call, Driver, python_driver
from tests.conformance.test_request_encoding import CHECKOUT

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"
FEATURES = ROOT / "tests" / "specs" / "features.yaml"
BASIC = {"username": "user", "password": "pass"}

# (operation, positional args, params, api key, client options): what the conformance suite sends.
REQUESTS: list[tuple[str, tuple[Any, ...], dict[str, Any], str | None, dict[str, Any]]] = [
    (
        "submitForm",
        (),
        {"body": {"name": "Ada L", "tags": ["a", "b"], "address": {"city": "Zürich"}}},
        "k",
        {},
    ),
    ("uploadFile", (), {"body": {"file": b"\x00\x01hi\xff", "title": "t"}}, "k", {}),
    ("uploadFile", (), {"body": {"file": b"\xff\xfe", "files": [b"one\xff", b"two"], "title": "t"}}, "k", {}),
    ("putBlob", ("b/1",), {"body": b"\x89PNG\r\n"}, "k", {}),
    ("addNote", (), {"body": "héllo\nworld"}, "k", {}),
    (
        "search",
        (),
        {
            "tags": ["x", "y"],
            "ids": [1, 2],
            "pipes": ["p", "q"],
            "sort": ["name", "-date"],
            "filter": {"color": "red", "size": 3},
            "active": True,
            "X-Trace-Ids": ["t1", "t2"],
            "session": "s1",
        },
        "k",
        {},
    ),
    ("download", (), {}, "k", {}),
    ("withQueryKey", (), {}, "user:pass", {}),
    ("withCookieKey", (), {"theme": "dark"}, "k1", {}),
    ("withBasic", (), {}, None, BASIC),
    ("publicPing", (), {}, None, {}),
    ("createCheckout", (), {"body": CHECKOUT}, "sk_1", {}),
    (
        "deepSearch",
        (),
        {
            "filter": {
                "tags": ["red", "a,b"],
                "created": {"gte": 10, "lt": 20},
                "items": [{"price": "p1", "quantity": 1}, {"price": "p 2"}],
            },
            "expand": ["customer", "invoice.subscription"],
        },
        "sk_1",
        {},
    ),
    (
        "uploadDocument",
        (),
        {
            "body": {
                "file": b"%PDF-1\xff",
                "purpose": "dispute_evidence",
                "meta": {"title": "Receipt", "pages": 2},
                "link_data": {"create": True, "expires_at": 1700000000},
                "labels": ["a", "b"],
            }
        },
        "sk_1",
        {},
    ),
    ("withBasicOrBearer", (), {}, "sk_1", {}),
    ("withBasicOrBearer", (), {}, None, BASIC),
    ("withQueryOrHeaderKey", (), {}, "sk_1", {}),
]


# Where Prism 5.16 reads a request otherwise than OpenAPI writes it: (operation, index among the
# requests of that operation) -> the refusal Prism gives. Each stays asserted, so a change on
# either side shows. Not sent at all: an array path parameter (`getBatch`, `/batches/a,b`), on
# which Prism's simple-style deserializer throws (`value.split is not a function`) and the server
# process dies; it dies the same way on an optional array header left out, so `search` sends one.
PRISM_MISREADS = {
    # OpenAPI 3.1 sends an array in multipart as one part per item; Prism wants `files[0]`.
    ("uploadFile", 1): "Request body property files must be array",
    # spaceDelimited `ids=1%202` (OpenAPI's own example spelling): Prism does not split it.
    ("search", 0): "Request query parameter ids.0 must be integer",
    # An object part is `application/json` by default (OpenAPI); Prism does not parse JSON parts.
    ("uploadDocument", 0): "Request body property meta must be object",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path_factory.mktemp("prism") / "prism.log").open("w")
    process = subprocess.Popen(
        [str(PRISM), "mock", str(FEATURES), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, f"prism exited: {Path(log.name).read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("prism did not start within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(params=STYLES)
def driver(request: pytest.FixtureRequest, feature_packages: Path) -> Driver:
    if request.param == "typescript-fetch":
        return request.getfixturevalue("features_typescript")  # type: ignore[no-any-return]
    return python_driver(request.param, "features_pydantic", "features_lite", "FeaturesClient")


def test_prism_accepts_every_request_of_the_conformance_suite(prism: str, driver: Driver) -> None:
    refused, seen = [], {}
    for operation, args, params, key, options in REQUESTS:
        index = seen[operation] = seen.get(operation, -1) + 1
        outcome = driver.call(
            Call(operation, args, prism, api_key=key, params=params, client_options=options)
        )
        error = outcome.error
        misread = PRISM_MISREADS.get((operation, index))
        if misread is not None:
            assert error is not None and error["status"] == 422 and misread in error["body"], outcome
        elif error is not None:
            refused.append(f"{operation} {params}: {error['status']} {error['type']} {error['body'][:600]}")
        elif outcome.exception is not None:
            refused.append(f"{operation} {params}: {outcome.exception}: {outcome.detail}")
    assert not refused, f"{len(refused)} of {len(REQUESTS)} refused:\n" + "\n".join(refused)
