"""Unit tests for generator.drift.proxy: `sdkgen proxy` in front of real upstreams, over real sockets.

The upstreams are `sdkgen mock` on a changed Flex spec (the API drifted: a new field, a new enum value)
and a small echo server (for methods, headers, streaming and chunked bodies). The client is the
generated `flex_client`, imported from generated/, or http.client where bytes on the wire matter.
"""

from __future__ import annotations

import http.client
import io
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from generator.drift.command import Drift
from generator.drift.har import REDACTED
from generator.drift.proxy import Proxy, Target, start_proxy
from generator.drift.record import load_recordings
from generator.errors import SpecError
from generator.mock.server import MockServer, start_mock
from generator.pipeline import load_spec
from tests.unit.helpers import spec, write_spec

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"
API_KEY = "sk_live_very_secret_123"


def changed_flex(folder: Path) -> Path:
    """The Flex spec as the API behaves now: invoices carry `created_at`, and a new status `disputed`."""
    document = yaml.safe_load(FLEX.read_text())
    schemas = document["components"]["schemas"]
    schemas["Invoice"]["properties"]["created_at"] = {"type": "integer", "example": 1700000000}
    schemas["InvoiceStatus"]["enum"].append("disputed")
    schemas["Invoice"]["properties"]["status"] = {
        "$ref": "#/components/schemas/InvoiceStatus",
        "example": "disputed",
    }
    path = folder / "changed.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def request(
    url: str, method: str, target: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[MockServer]:
    with start_mock(changed_flex(tmp_path), quiet=True) as server:
        yield server


# --- the generated SDK through the proxy, in front of a drifted API ------------------------------


def test_sdk_calls_pass_through_and_drift_is_reported_live_and_from_the_har(
    upstream: MockServer, tmp_path: Path
) -> None:
    from flex_client import FlexClient

    har = tmp_path / "traffic.har"
    out = io.StringIO()
    with start_proxy(FLEX, upstream.url, record=har, out=out, quiet=True) as proxy:
        with FlexClient(API_KEY, base_url=proxy.url) as client:
            invoice = client.get_invoice("inv_1").invoice
            marked = client.mark_invoice_uncollectible("inv_1").invoice
        with FlexClient(API_KEY, base_url=upstream.url) as client:
            direct = client.get_invoice("inv_1").invoice
        assert proxy.checker.wait_for(2)
        printed = out.getvalue()
    assert invoice == direct and marked is not None
    assert invoice is not None and invoice.status == "disputed"  # an open enum keeps the new value
    assert "#0 GET /v1/invoices/inv_1 -> 200" in printed
    assert "warning undocumented-field at /invoice/created_at" in printed
    assert "warning enum-value-not-in-spec at /invoice/status" in printed
    assert "#1 POST /v1/invoices/inv_1/mark_uncollectible -> 200" in printed

    live = sorted((f.id, f.pointer, f.message, f.operation) for f in proxy.checker.findings)
    assert live, "the drifted fields are findings"
    loaded = load_spec(FLEX)
    replayed = sorted(
        (f.id, f.pointer, f.message, f.operation)
        for recording in load_recordings([har])
        for f in Drift(loaded).check(recording)
    )
    assert replayed == live
    text = har.read_text()
    assert API_KEY not in text
    document = json.loads(text)
    assert document["log"]["version"] == "1.2"
    headers = {h["name"].lower(): h["value"] for h in document["log"]["entries"][0]["request"]["headers"]}
    assert headers["authorization"] == REDACTED


def test_sdk_sees_the_upstreams_error_responses_unchanged(tmp_path: Path) -> None:
    from flex_client import AuthenticationError, FlexClient

    with (
        start_mock(changed_flex(tmp_path), quiet=True, key="the-right-key") as upstream,
        start_proxy(FLEX, upstream.url, out=io.StringIO(), quiet=True) as proxy,
    ):
        with (
            FlexClient(API_KEY, base_url=proxy.url, max_retries=0) as client,
            pytest.raises(AuthenticationError) as raised,
        ):
            client.get_invoice("inv_1")
        direct = request(upstream.url, "GET", "/v1/invoices/inv_1")
        through = request(proxy.url, "GET", "/v1/invoices/inv_1")
    assert raised.value.status_code == 401
    assert through[0] == direct[0] == 401 and through[2] == direct[2]
    assert through[1]["www-authenticate"] == direct[1]["www-authenticate"]
    assert through[1]["content-length"] == direct[1]["content-length"]


# --- bytes on the wire, against an echo upstream -------------------------------------------------


class Echo(BaseHTTPRequestHandler):
    """Answers with what it received; `/stream` sends a chunked body in two pieces, waiting in between."""

    protocol_version = "HTTP/1.1"
    release = threading.Event()

    def _handle(self) -> None:
        if self.path.startswith("/stream"):
            self._stream()
            return
        length = int(self.headers.get("Content-Length") or 0)
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            body = b""
            while size := int(self.rfile.readline().strip() or b"0", 16):
                body += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
        else:
            body = self.rfile.read(length)
        echo = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode(),
        }
        data = json.dumps(echo).encode()
        self.send_response(299 if self.path.startswith("/odd") else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Custom", "kept")
        self.send_header("Set-Cookie", "session=abc123; HttpOnly")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for piece in (b"first;", b"second"):
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.flush()
            Echo.release.wait(5)  # the second piece only once the client has read the first
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Echo.release.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    Echo.release.set()
    server.shutdown()
    server.server_close()


ECHO_SPEC = {
    "paths": {
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"responses": {"200": {"description": "ok"}}},
        }
    },
    "components": {
        "securitySchemes": {
            "header": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "query": {"type": "apiKey", "in": "query", "name": "api_key"},
        }
    },
}


@pytest.fixture
def echo_spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path / "echo.yaml", spec(**ECHO_SPEC))


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY", "PROPFIND"])
def test_every_method_headers_and_body_pass_through(echo: str, echo_spec: Path, method: str) -> None:
    body = b'{"a": 1}' if method not in ("GET", "OPTIONS") else None
    headers = {"Content-Type": "application/json", "X-Trace": "t-1", "Accept-Encoding": "identity"}
    with start_proxy(echo_spec, echo + "/base", out=io.StringIO(), quiet=True) as proxy:
        status, answer, data = request(proxy.url, method, "/items/1?x=%2F&y=2", headers, body)
    echoed = json.loads(data)
    assert status == 200
    assert echoed["method"] == method and echoed["path"] == "/base/items/1?x=%2F&y=2"
    assert echoed["body"] == (body or b"").decode()
    assert echoed["headers"]["x-trace"] == "t-1" and echoed["headers"]["content-type"] == "application/json"
    assert echoed["headers"]["host"] == urlsplit(echo).netloc  # the target's, as a reverse proxy sends it
    assert answer["x-custom"] == "kept" and answer["set-cookie"] == "session=abc123; HttpOnly"


def test_undocumented_status_passes_through_and_is_reported(echo: str, echo_spec: Path) -> None:
    out = io.StringIO()
    with start_proxy(echo_spec, echo, out=out, quiet=True) as proxy:
        status, _, _ = request(proxy.url, "GET", "/odd")
        assert proxy.checker.wait_for(1)
    assert status == 299
    assert "#0 GET /odd -> 299" in out.getvalue() and "unknown-operation" in out.getvalue()


def test_chunked_request_body_is_forwarded_chunked(echo: str, echo_spec: Path) -> None:
    with start_proxy(echo_spec, echo, out=io.StringIO(), quiet=True) as proxy:
        parts = urlsplit(proxy.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        connection.request("POST", "/items/1", body=iter([b"one,", b"two"]), encode_chunked=True)
        response = connection.getresponse()
        echoed = json.loads(response.read())
        connection.close()
    assert echoed["body"] == "one,two" and echoed["headers"]["transfer-encoding"] == "chunked"


def test_a_streamed_body_reaches_the_client_piece_by_piece(echo: str, echo_spec: Path) -> None:
    with start_proxy(echo_spec, echo, out=io.StringIO(), quiet=True) as proxy:
        parts = urlsplit(proxy.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=3)
        connection.request("GET", "/stream")
        response = connection.getresponse()
        started = time.monotonic()
        first = response.read1(100)  # arrives while the upstream still holds the second piece back
        waited = time.monotonic() - started
        Echo.release.set()
        rest = response.read()
        connection.close()
    assert first == b"first;" and waited < 2
    assert rest == b"second"


def test_keep_alive_connection_serves_several_requests(echo: str, echo_spec: Path) -> None:
    with start_proxy(echo_spec, echo, out=io.StringIO(), quiet=True) as proxy:
        parts = urlsplit(proxy.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        for index in range(3):
            connection.request("GET", f"/items/{index}")
            assert json.loads(connection.getresponse().read())["path"] == f"/items/{index}"
        connection.request("HEAD", "/items/9")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == b""
        connection.close()


def test_credentials_are_redacted_in_the_har(echo: str, echo_spec: Path, tmp_path: Path) -> None:
    har = tmp_path / "out.har"
    headers = {
        "Authorization": f"Bearer {API_KEY}",
        "X-Api-Key": API_KEY,
        "Cookie": f"sid={API_KEY}; theme=dark",
        "X-Trace": "visible",
    }
    with start_proxy(echo_spec, echo, record=har, out=io.StringIO(), quiet=True) as proxy:
        request(proxy.url, "GET", f"/items/1?api_key={API_KEY}&page=2", headers)
    entry = json.loads(har.read_text())["log"]["entries"][0]
    echoed = entry["response"]["content"].pop("text")  # bodies are kept as they are: this one echoes
    assert API_KEY in echoed
    outside_bodies = json.dumps(entry)
    assert API_KEY not in outside_bodies and "abc123" not in outside_bodies  # nor the answer's Set-Cookie
    sent = {h["name"]: h["value"] for h in entry["request"]["headers"]}
    assert sent["X-Api-Key"] == sent["Authorization"] == sent["Cookie"] == REDACTED
    assert sent["X-Trace"] == "visible"
    assert {"name": "page", "value": "2"} in entry["request"]["queryString"]
    assert {"name": "api_key", "value": REDACTED} in entry["request"]["queryString"]
    assert entry["request"]["cookies"] == [
        {"name": "sid", "value": REDACTED},
        {"name": "theme", "value": REDACTED},
    ]
    assert "page=2" in entry["request"]["url"]


# --- the upstream down, bad options, the process -------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_upstream_down_is_a_quick_502_with_a_json_error(echo_spec: Path) -> None:
    target = f"http://127.0.0.1:{_closed_port()}"
    out = io.StringIO()
    with start_proxy(echo_spec, target, out=out, quiet=True) as proxy:
        started = time.monotonic()
        status, headers, body = request(
            proxy.url, "POST", "/items/1", {"Content-Type": "application/json"}, b"{}"
        )
        elapsed = time.monotonic() - started
    assert status == 502 and elapsed < 2
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == "bad_gateway" and target in error["message"]


def test_sdk_gets_the_502_as_an_api_error(echo_spec: Path) -> None:
    from flex_client import APIError, FlexClient

    with start_proxy(FLEX, f"http://127.0.0.1:{_closed_port()}", out=io.StringIO(), quiet=True) as proxy:
        started = time.monotonic()
        with (
            FlexClient(API_KEY, base_url=proxy.url, max_retries=0) as client,
            pytest.raises(APIError) as raised,
        ):
            client.get_invoice("inv_1")
    assert time.monotonic() - started < 5
    assert getattr(raised.value, "status_code", None) == 502 and "cannot reach the target" in str(
        raised.value
    )


@pytest.mark.parametrize("target", ["ftp://x", "127.0.0.1:4010", "http://h:99999", "http://h/?q=1"])
def test_bad_target_is_a_spec_error(target: str) -> None:
    with pytest.raises(SpecError, match="--target"):
        start_proxy(FLEX, target)


def test_cli_bad_target_is_exit_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "proxy", str(FLEX), "--target", "nowhere"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "--target must be an http(s) URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_process_checks_records_and_stops_cleanly(upstream: MockServer, tmp_path: Path) -> None:
    har = tmp_path / "cli.har"
    command = [sys.executable, "-m", "generator", "proxy", str(FLEX), "--target", upstream.url, "--port", "0"]
    process = subprocess.Popen(
        [*command, "--record", str(har), "--no-sdk"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line
        url = line.split()[-4].rstrip(",")
        status, _, _ = request(url, "GET", "/v1/invoices/inv_1", {"Authorization": f"Bearer {API_KEY}"})
        assert status == 200
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0 and "Traceback" not in err
    assert "undocumented-field at /invoice/created_at" in out
    assert "proxy: 1 exchange(s); 0 breaking, 2 warning" in out and f"wrote {har} (1 entries)" in out
    replay = subprocess.run(
        [sys.executable, "-m", "generator", "drift", str(FLEX), str(har), "--no-sdk"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert "undocumented-field at /invoice/created_at" in replay.stdout
    assert "0 breaking, 2 warning" in replay.stdout


def test_proxy_object_can_stop_without_starting(echo_spec: Path) -> None:
    proxy = Proxy(load_spec(echo_spec), Target.parse("http://127.0.0.1:1"))
    proxy.stop()
