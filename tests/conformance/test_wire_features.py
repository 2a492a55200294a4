"""Request and response features on the wire, the same cases for every style: body media types,
parameter styles, security schemes, binary and text responses, server variables.

The clients are generated from tests/specs/features.yaml and run against the scripted server.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conformance.drivers import (
    STYLES,
    Call,
    Driver,
    GoDriver,
    Typed,
    python_driver,
)
from tests.support.flex_server import FakeFlexServer


@pytest.fixture(scope="session")
def features_go(feature_packages: Path, tmp_path_factory: pytest.TempPathFactory) -> GoDriver:
    return GoDriver(feature_packages / "go-nethttp", tmp_path_factory.mktemp("feature-go"))


@pytest.fixture(params=STYLES)
def driver(request: pytest.FixtureRequest, feature_packages: Path) -> Driver:
    if request.param in ("typescript-fetch", "go-nethttp"):
        fixture = "features_typescript" if request.param == "typescript-fetch" else "features_go"
        return request.getfixturevalue(fixture)  # type: ignore[no-any-return]
    return python_driver(request.param, "features_pydantic", "features_lite", "FeaturesClient")


def test_form_urlencoded_body(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script("/forms", 204, b"")
    body = {"name": "Ada L", "tags": ["a", "b"], "address": {"city": "Zürich"}}
    outcome = driver.call(Call("submitForm", (), flex_server.url, params={"body": body}))
    assert outcome.error is None and outcome.exception is None, outcome
    [request] = flex_server.requests
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert unquote(request.body.decode()).replace("+", " ") == "name=Ada L&tags=a&tags=b&address[city]=Zürich"


def _multipart_parts(body: bytes, content_type: str) -> list[tuple[str, bytes, bytes]]:
    """(name, head, data) of each part, in the order sent."""
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    parts = []
    for part in body.split(b"--" + boundary):
        if part.strip() in (b"", b"--"):
            continue
        head, _, data = part.strip(b"\r\n").partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        parts.append((name, head, data))
    return parts


def test_multipart_body_with_a_file(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script("/uploads", 200, {"size": 5})
    outcome = driver.call(
        Call("uploadFile", (), flex_server.url, params={"body": {"file": b"\x00\x01hi\xff", "title": "t"}})
    )
    assert outcome.result == {"size": 5}, outcome
    [request] = flex_server.requests
    names = {
        name: (head, data)
        for name, head, data in _multipart_parts(request.body, request.headers["content-type"])
    }
    assert names["file"][1] == b"\x00\x01hi\xff"
    assert b"filename=" in names["file"][0]
    assert names["title"][1] == b"t"


def test_multipart_body_as_the_model_with_an_array_of_files(
    driver: Driver, flex_server: FakeFlexServer
) -> None:
    """The typed body (the model class, in Python) with bytes that are not UTF-8 text, and an array of
    files: one file part each, under the array's name."""
    flex_server.script("/uploads", 200, {"size": 3})
    fields = {"file": b"\xff\xfe", "files": [b"one\xff", b"two"], "title": "t"}
    outcome = driver.call(
        Call("uploadFile", (), flex_server.url, params={"body": Typed("UploadFileRequest", fields)})
    )
    assert outcome.result == {"size": 3}, outcome
    [request] = flex_server.requests
    parts = _multipart_parts(request.body, request.headers["content-type"])
    sent = sorted(((name, data) for name, _, data in parts), key=lambda part: part[0])  # stable per name
    assert sent == [("file", b"\xff\xfe"), ("files", b"one\xff"), ("files", b"two"), ("title", b"t")]
    assert all(b"filename=" in head for name, head, _ in parts if name != "title")
    assert all(b"filename=" not in head for name, head, _ in parts if name == "title")


def test_binary_body_and_text_response(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script("/blobs/b%2F1", 200, b"sha256:abc", content_type="text/plain")
    outcome = driver.call(Call("putBlob", ("b/1",), flex_server.url, params={"body": b"\x89PNG\r\n"}))
    assert outcome.result == "sha256:abc", outcome
    [request] = flex_server.requests
    assert request.method == "PUT"
    assert request.headers["content-type"] == "application/octet-stream"
    assert request.body == b"\x89PNG\r\n"


def test_text_body_and_empty_response(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script("/notes", 204, b"")
    outcome = driver.call(Call("addNote", (), flex_server.url, params={"body": "héllo\nworld"}))
    assert outcome.error is None and outcome.exception is None and outcome.result is None, outcome
    assert flex_server.requests[0].headers["content-type"] == "text/plain"
    assert flex_server.requests[0].body == "héllo\nworld".encode()


def test_an_array_path_parameter_goes_comma_separated(driver: Driver, flex_server: FakeFlexServer) -> None:
    """Style simple, each style alike: the commas are the delimiters (as OpenAPI and RFC 6570 write
    them) and each item is percent-encoded, so a `/` cannot add a segment nor a `,` an item."""
    flex_server.script("/batches/a,b%2Fc%2Cd", 204, b"")
    outcome = driver.call(Call("getBatch", (["a", "b/c,d"],), flex_server.url))
    assert outcome.error is None and outcome.exception is None, outcome
    assert [r.path for r in flex_server.requests] == ["/batches/a,b%2Fc%2Cd"]


def test_binary_download(driver: Driver, flex_server: FakeFlexServer) -> None:
    flex_server.script("/download", 200, b"\x00\xffdata", content_type="application/octet-stream")
    outcome = driver.call(Call("download", (), flex_server.url))
    assert outcome.result == {"$bytes": base64.b64encode(b"\x00\xffdata").decode()}, outcome


def test_parameter_styles(driver: Driver, flex_server: FakeFlexServer) -> None:
    params = {
        "tags": ["x", "y"],
        "ids": [1, 2],
        "pipes": ["p", "q"],
        "sort": ["name", "-date"],
        "filter": {"color": "red", "size": 3},
        "active": True,
        "X-Trace-Ids": ["t1", "t2"],
        "session": "s1",
    }
    expected_query = (
        "tags=x&tags=y&ids=1 2&pipes=p|q&sort=name,-date&filter[color]=red&filter[size]=3&active=true"
    )
    flex_server.script_sequence("/search", [])  # answered below by prefix
    outcome = driver.call(Call("search", (), flex_server.url, params=params))
    [request] = flex_server.requests
    path, _, query = request.path.partition("?")
    assert path == "/search"
    assert unquote(query).replace("+", " ") == expected_query, outcome
    assert request.headers["x-trace-ids"] == "t1,t2"
    assert request.headers["cookie"] == "session=s1"


@pytest.mark.parametrize(
    ("operation", "where"),
    [("withQueryKey", "query"), ("withCookieKey", "cookie"), ("withBasic", "basic"), ("publicPing", "none")],
)
def test_security_schemes(driver: Driver, flex_server: FakeFlexServer, operation: str, where: str) -> None:
    for path in ("/query-key?api_key=user%3Apass", "/cookie-key", "/basic", "/public"):
        flex_server.script(path, 204, b"")
    # Basic auth takes username and password; the key goes to the schemes that take a key.
    basic = {"username": "user", "password": "pass"} if where == "basic" else {}
    key = None if where == "basic" else "user:pass"
    driver.call(Call(operation, (), flex_server.url, api_key=key, client_options=basic))
    [request] = flex_server.requests
    assert "authorization" not in request.headers or where == "basic"
    if where == "query":
        assert request.path == "/query-key?api_key=user%3Apass"
    elif where == "cookie":
        assert request.headers["cookie"] == "sid=user:pass"
    elif where == "basic":
        assert request.headers["authorization"] == "Basic " + base64.b64encode(b"user:pass").decode()
    else:
        assert "cookie" not in request.headers and "?" not in request.path


def test_a_cookie_parameter_and_a_cookie_key_share_one_header(
    driver: Driver, flex_server: FakeFlexServer
) -> None:
    flex_server.script("/cookie-key", 204, b"")
    outcome = driver.call(Call("withCookieKey", (), flex_server.url, params={"theme": "dark"}, api_key="k1"))
    assert outcome.exception is None, outcome
    [request] = flex_server.requests
    assert sorted(request.headers["cookie"].split("; ")) == ["sid=k1", "theme=dark"]


@pytest.mark.parametrize(("value", "key"), [("a; admin=1", "k1"), ("dark", "k1; admin=1")])
def test_a_semicolon_cannot_forge_a_cookie(
    driver: Driver, flex_server: FakeFlexServer, value: str, key: str
) -> None:
    flex_server.script("/cookie-key", 204, b"")
    outcome = driver.call(Call("withCookieKey", (), flex_server.url, params={"theme": value}, api_key=key))
    assert outcome.exception is not None, outcome  # refused before anything is sent
    assert flex_server.requests == []


def test_server_variables_give_the_default_base_url(
    driver: Driver, flex_server: FakeFlexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEATURES_BASE_URL", flex_server.url)
    flex_server.script("/public", 204, b"")
    driver.call(Call("publicPing", (), ""))
    assert [r.path for r in flex_server.requests] == ["/public"], "the environment variable names the server"


def test_default_base_url_substitutes_server_variables(feature_packages: Path) -> None:
    import features_lite
    import features_pydantic

    assert features_pydantic.FeaturesClient(api_key="k").base_url == "https://eu.features.example/v1"
    assert features_lite.FeaturesClient(api_key="k").base_url == "https://eu.features.example/v1"
    ts = (feature_packages / "typescript-fetch" / "src" / "runtime.ts").read_text()
    assert json.dumps("https://eu.features.example/v1") in ts


def test_deprecated_operations_warn_at_the_callers_line(
    feature_packages: Path, flex_server: FakeFlexServer
) -> None:
    import features_lite
    import features_pydantic

    flex_server.script("/public", 204, b"")
    for sdk in (features_pydantic, features_lite):
        with sdk.FeaturesClient(api_key="k", base_url=flex_server.url) as client:
            with pytest.warns(DeprecationWarning, match="public_ping is deprecated") as caught:
                client.public_ping()
            assert caught[0].filename == __file__
            with pytest.warns(DeprecationWarning) as caught:
                client.public_ping_with_response()
            assert caught[0].filename == __file__
