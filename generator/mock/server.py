"""Mock: `sdkgen mock SPEC`, an HTTP server that checks requests against the spec and answers its examples."""

from __future__ import annotations

import argparse
import signal
import socket
import socketserver
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from generator.errors import SpecError
from generator.mock.answers import NO_BODY_STATUSES, Answers, to_json
from generator.mock.checks import Refusal, Request, RequestChecker, invalid
from generator.pipeline import LoadedSpec, load_spec
from generator.wire.routes import HTTP_METHODS, Operation, build_routes
from generator.wire.serving import BackgroundServer

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 4010
MAX_BODY = 10 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


class MockApp:
    """Turns a Request into a Reply from the spec alone: route, check, answer. No sockets."""

    def __init__(self, loaded: LoadedSpec, key: str | None = None) -> None:
        self._routes = build_routes(loaded.workspace, loaded.api.servers)
        self._checker = RequestChecker(loaded.workspace, key)
        self._answers = Answers(loaded.workspace, loaded.api.error_shape)
        self._shape = loaded.api.error_shape

    def answer(self, request: Request) -> Reply:
        try:
            operation, path_values = self._route(request)
            self._checker.check(operation, path_values, request)
            answer = self._answers.answer(operation, request.headers.get("prefer", ""))
        except Refusal as refusal:
            return self.refuse(refusal)
        return Reply(answer.status, answer.body, answer.headers)

    def refuse(self, refusal: Refusal) -> Reply:
        body = to_json(self._shape.body(refusal.code, refusal.message))
        return Reply(refusal.status, body, (("Content-Type", "application/json"), *refusal.headers))

    def _route(self, request: Request) -> tuple[Operation, dict[str, str]]:
        path = request.target.partition("?")[0].partition("#")[0]
        if not path.startswith("/"):  # absolute-form, as sent to a proxy
            path = urlsplit(path).path or "/"
        matches = self._routes.find(path)
        if not matches:
            raise Refusal(404, "not_found", f"no operation of the spec has the path {path}")
        for route, values in matches:
            operation = route.operations.get(request.method)
            if operation is None and request.method == "HEAD":
                operation = route.operations.get("GET")
            if operation is not None:
                return operation, values
        allowed = [m for m in HTTP_METHODS if any(m in route.allowed for route, _ in matches)]
        message = (
            f"{request.method} is not allowed on {matches[0][0].template}; allowed: {', '.join(allowed)}"
        )
        raise Refusal(405, "method_not_allowed", message, (("Allow", ", ".join(allowed)),))


# --- HTTP ----------------------------------------------------------------------------------------


def _too_large() -> Refusal:
    return Refusal(413, "payload_too_large", f"the mock reads request bodies of up to {MAX_BODY} bytes")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds an idle keep-alive connection is kept
    server_version = "sdkgen-mock"
    # Headers and body are separate writes: with Nagle's algorithm the body waits for the client's
    # delayed ACK of the headers (~40 ms a request on a keep-alive connection).
    disable_nagle_algorithm = True

    def _handle(self) -> None:
        app = self.server.app
        try:
            body = self._read_body()
        except Refusal as refusal:
            self.close_connection = True  # what is left of the body would be read as the next request
            self._send(app.refuse(refusal))
            return
        try:
            reply = app.answer(Request(self.command, self.path, self._headers(), body))
        except Exception as error:  # a bug in the mock, not in the request: answer, log one line, go on
            what = f"{type(error).__name__}: {error}"
            self.server.log(f"internal error on {self.command} {self.path}: {what}")
            reply = app.refuse(Refusal(500, "internal_error", what))
        self._send(reply)

    do_GET = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_HEAD = do_PATCH = do_TRACE = _handle

    def __getattr__(self, name: str) -> Any:
        # The standard library answers a method without a `do_` handler (QUERY, PROPFIND, ...) with 501
        # and an HTML page; a server of the API answers 405 with `Allow` on a known path, 404 elsewhere.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            separator = "; " if key == "cookie" else ", "
            headers[key] = f"{headers[key]}{separator}{value}" if key in headers else value
        return headers

    def _read_body(self) -> bytes:
        try:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._read_chunked()
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError as error:
            raise invalid(f"unreadable request body: {error}") from None
        if length < 0:
            raise invalid("unreadable request body: negative Content-Length")
        if length > MAX_BODY:
            raise _too_large()
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(65536).strip():  # trailers, up to the blank line
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise _too_large()
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and reply.status not in NO_BODY_STATUSES:
            self.wfile.write(reply.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.log(f"{self.command} {self.path} {int(code) if isinstance(code, int) else code}")

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log(format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: MockApp, quiet: bool) -> None:
        self.app = app
        self.quiet = quiet
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up in DNS (getfqdn), which stalls without a network.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def log(self, line: str) -> None:
        if not self.quiet:
            sys.stderr.write(line.rstrip("\n") + "\n")
            sys.stderr.flush()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        self.log(f"connection from {client_address[0]} failed: {type(error).__name__}: {error}")


class MockServer(BackgroundServer):
    """A mock server on a background thread: `with start_mock(spec) as server: ... server.url`."""

    def __init__(self, app: MockApp, host: str = DEFAULT_HOST, port: int = 0, quiet: bool = False) -> None:
        super().__init__(lambda: _Server((host, port), app, quiet), host, port, "sdkgen-mock")


def start_mock(
    spec_path: Path, host: str = DEFAULT_HOST, port: int = 0, quiet: bool = False, key: str | None = None
) -> MockServer:
    """Load a spec and serve its mock on a background thread (port 0: any free port; see `.url`).

    With `key`, an operation that needs credentials accepts only that one (see `RequestChecker`)."""
    return MockServer(MockApp(load_spec(spec_path), key), host, port, quiet).start()


# --- command line --------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `sdkgen mock`."""
    parser.add_argument("spec", type=Path, help="spec file")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)"
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.add_argument(
        "--require-key",
        metavar="KEY",
        help="accept only this credential (bearer token, API key, or basic password) where the spec asks "
        "for one; anything else is 401 (default: any well-formed credential)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve the mock of `args.spec` until SIGINT or SIGTERM; bad specs raise SpecError."""
    loaded = load_spec(args.spec)
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    if args.require_key is not None and not _is_token(args.require_key):
        raise SpecError.at("--require-key must be a non-empty token without spaces or control characters")
    server = MockServer(MockApp(loaded, args.require_key), args.host, args.port, args.quiet)
    stopping = threading.Event()
    previous = _on_signals(stopping)
    try:
        server.start()
        print(f"mock server for {args.spec} listening on {server.url}", flush=True)
        stopping.wait()
    finally:
        server.stop()
        _restore(previous)
    return 0


def _is_token(key: str) -> bool:
    return bool(key) and all(33 <= ord(c) < 127 for c in key)


def _on_signals(stopping: threading.Event) -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may set handlers; there Ctrl-C stays KeyboardInterrupt

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}


def _restore(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sdkgen mock", description="Serve a mock of an OpenAPI spec.")
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except SpecError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers are set, e.g. while the spec loads
        return 130


if __name__ == "__main__":
    sys.exit(main())
