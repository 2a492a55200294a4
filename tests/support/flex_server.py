"""A real HTTP server on 127.0.0.1 that plays the Flex API, for the integration and conformance tests.

The server answers the two reference pages' examples byte-for-byte, records every request it
receives (method, raw path as sent on the wire, headers, body) and can be scripted per test with a
reply for a given raw path.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.support.qs_decode import decode_multipart, qs_parse

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "spec" / "openapi.yaml"
EXAMPLES_DIR = REPO_ROOT / "spec" / "examples"
GET_INVOICE_EXAMPLE = EXAMPLES_DIR / "get_invoice.json"
MARK_UNCOLLECTIBLE_EXAMPLE = EXAMPLES_DIR / "mark_invoice_uncollectible.json"
GENERATED_DIR = REPO_ROOT / "generated" / "python-pydantic"

_GET_ROUTE = re.compile(r"^/v1/invoices/([^/?#]+)$")
_MARK_ROUTE = re.compile(r"^/v1/invoices/([^/?#]+)/mark_uncollectible$")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str  # the raw request-target, exactly as sent on the wire (`BaseHTTPRequestHandler.path`)
    headers: dict[str, str]  # header names lower-cased
    raw_headers: list[tuple[str, str]]  # names as sent, in order
    body: bytes

    def decoded_query(self) -> dict[str, Any]:
        """The query string read as `qs.parse` reads it (`a[b][0]=x` nests)."""
        return qs_parse(self.path.partition("?")[2])

    def decoded_form(self) -> dict[str, Any]:
        """An `application/x-www-form-urlencoded` body read as `qs.parse` reads it."""
        return qs_parse(self.body.decode("ascii"))

    def decoded_multipart(self) -> dict[str, Any]:
        """A `multipart/form-data` body read as a qs-based server reads it (multer, Rack): the names
        of text parts nest as in a query string, a JSON part is its parsed value, a file its bytes."""
        return decode_multipart(self.body, self.headers["content-type"])


@dataclass(frozen=True)
class Reply:
    """A scripted answer."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before answering


class FakeFlexServer:
    """A `ThreadingHTTPServer` in a background thread; see the module docstring."""

    def __init__(self) -> None:
        self.get_invoice_bytes = GET_INVOICE_EXAMPLE.read_bytes()
        self.mark_uncollectible_bytes = MARK_UNCOLLECTIBLE_EXAMPLE.read_bytes()
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._scripts: dict[str, Reply] = {}
        self._sequences: dict[str, list[Reply]] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-flex", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def script(
        self,
        path: str,
        status: int,
        body: bytes | str | dict[str, Any],
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer requests to the raw `path` with this reply (until `reset`)."""
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        with self._lock:
            self._scripts[path] = Reply(status, body, content_type, dict(headers or {}), delay)

    def script_sequence(self, path: str, replies: list[Reply]) -> None:
        """Answer requests to `path` with these replies in turn; the last one repeats."""
        with self._lock:
            self._sequences[path] = list(replies)

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._scripts.clear()
            self._sequences.clear()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # Called from the handler threads.
    def _record(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
            # A script for a bare path answers it whatever query string comes with it.
            scripted = self._scripts.get(request.path, self._scripts.get(request.path.partition("?")[0]))
            sequence = self._sequences.get(request.path)
            if sequence:
                scripted = sequence.pop(0) if len(sequence) > 1 else sequence[0]
        if scripted is not None:
            return scripted
        if request.method == "GET" and _GET_ROUTE.match(request.path):
            return Reply(200, self.get_invoice_bytes)
        if request.method == "POST" and _MARK_ROUTE.match(request.path):
            return Reply(200, self.mark_uncollectible_bytes)
        error = {"error": {"code": "not_found", "message": f"no route for {request.method} {request.path}"}}
        return Reply(404, json.dumps(error).encode())


def _make_handler(server: FakeFlexServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real API server would

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            raw_headers = list(self.headers.items())
            request = RecordedRequest(
                method=self.command,
                path=self.path,
                headers={name.lower(): value for name, value in raw_headers},
                raw_headers=raw_headers,
                body=body,
            )
            reply = server._record(request)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
