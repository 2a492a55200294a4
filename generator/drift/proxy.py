"""Live drift: `sdkgen proxy SPEC --target URL`, a forwarding proxy that checks traffic as it flows.

Each request is forwarded to the target as it arrives and each response streamed back as the target
sends it (any method, status, header and body; chunked stays chunked). The proxy keeps a copy of both
bodies (up to MAX_CAPTURE), and once the response has gone to the client, a single checker thread
turns the exchange into a HAR entry, checks it with `Drift` (the rules of `sdkgen drift`) and prints
its findings: checking never delays the client. `--record FILE.har` writes the entries (credentials
redacted) when the proxy stops; `sdkgen drift SPEC FILE.har` reads them back with the same findings.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, Self, TextIO
from urllib.parse import urlsplit

from generator.drift.command import Drift
from generator.drift.har import Exchange, Secrets, har_entry, now, recording_of, write_har
from generator.drift.rules import BREAKING, INFO, SEVERITIES, WARNING, Finding
from generator.errors import SpecError
from generator.pipeline import LoadedSpec, load_spec
from generator.wire.serving import BackgroundServer

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 4011
DEFAULT_TIMEOUT = 30.0
MAX_CAPTURE = 10 * 1024 * 1024  # bytes of a body kept for checking and recording; the rest only passes
CHUNK = 64 * 1024
# Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection: the proxy does not forward them.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "expect",
    }
)
NO_BODY_STATUSES = frozenset({204, 304})


@dataclass(frozen=True)
class Target:
    """Where the proxy forwards to: `http(s)://host:port/base`; a request's path goes after `base`."""

    scheme: str
    host: str
    port: int
    base: str

    @classmethod
    def parse(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise SpecError.at(f"--target must be an http(s) URL such as http://127.0.0.1:4010, not {url!r}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise SpecError.at(f"--target has an invalid port: {url!r}") from None
        return cls(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.base}"

    def connection(self, timeout: float) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return kind(self.host, self.port, timeout=timeout)


# --- checking and printing, off the request path -------------------------------------------------


@dataclass
class Tally:
    exchanges: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))


class Checker:
    """One thread that checks exchanges in arrival order, prints findings and keeps the HAR entries."""

    def __init__(self, drift: Drift, secrets: Secrets, out: TextIO, record: Path | None) -> None:
        self._drift = drift
        self._secrets = secrets
        self._out = out
        self._record = record
        self._queue: queue.Queue[Exchange | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="sdkgen-proxy-check", daemon=True)
        self.entries: list[dict[str, Any]] = []
        self.findings: list[Finding] = []
        self.tally = Tally()
        self.checked = threading.Condition()

    def start(self) -> None:
        self._thread.start()

    def submit(self, exchange: Exchange) -> None:
        self._queue.put(exchange)

    def stop(self) -> None:
        """Check what is queued, then write the HAR (if asked)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._record is not None:
            write_har(self._record, self.entries)

    def wait_for(self, exchanges: int, timeout: float = 30.0) -> bool:
        """Wait until `exchanges` exchanges have been checked (for tests and the benchmark)."""
        with self.checked:
            return self.checked.wait_for(lambda: self.tally.exchanges >= exchanges, timeout)

    def _work(self) -> None:
        while (exchange := self._queue.get()) is not None:
            try:
                self._check(exchange)
            except Exception as error:  # a bug in a check must not stop the checking of what follows
                self._print(f"sdkgen proxy: could not check {exchange.method} {exchange.url}: {error!r}")
            with self.checked:
                self.tally.exchanges += 1
                self.checked.notify_all()

    def _check(self, exchange: Exchange) -> None:
        index = len(self.entries)
        entry = har_entry(exchange, self._secrets)
        self.entries.append(entry)
        path = urlsplit(entry["request"]["url"]).path
        source = f"#{index} {exchange.method} {path}"
        if exchange.truncated:
            self._print(f"{source} -> {exchange.status}: body over {MAX_CAPTURE} bytes, not checked")
            return
        recording = recording_of(entry, source, index)
        try:
            findings = self._drift.check(recording) if recording is not None else []
        except SpecError as error:
            self._print(f"{source} -> {exchange.status}: not checked: {error}")
            return
        self.findings += findings
        for finding in findings:
            self.tally.counts[finding.severity] += 1
        summary = f"{len(findings)} finding{'s' * (len(findings) != 1)}" if findings else "ok"
        lines = [f"{source} -> {exchange.status}: {summary}"]
        for finding in findings:
            at = f" at {finding.pointer}" if finding.pointer else ""
            lines.append(f"  {finding.severity} {finding.id}{at}: {finding.message}")
        self._print("\n".join(lines))

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    def summary(self) -> str:
        counts = self.tally.counts
        return (
            f"proxy: {self.tally.exchanges} exchange(s); {counts[BREAKING]} breaking, "
            f"{counts[WARNING]} warning, {counts[INFO]} info"
        )


# --- forwarding ----------------------------------------------------------------------------------


class UpstreamError(Exception):
    """The target could not be reached or did not answer: the client gets 502 (or 504 on a timeout)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds an idle client connection is kept
    # Headers and body go out in separate writes: with Nagle's algorithm and delayed ACKs the second
    # one waits ~40 ms for the first's ACK. The proxy adds latency it need not.
    disable_nagle_algorithm = True

    def _handle(self) -> None:
        proxy = self.server.proxy
        exchange = Exchange(
            now(), self.command, proxy.target.url + self.path, self.request_version, self.headers.items(), b""
        )
        began = time.perf_counter()
        try:
            upstream = self._forward_request(exchange)
        except UpstreamError as error:
            self.close_connection = True  # the request body may be unread: the connection is spent
            self._send_error(error.status, error.message)
            return
        sent = time.perf_counter()
        try:
            self._forward_response(upstream, exchange, sent)
        finally:
            upstream.close()
        exchange.send_ms = (sent - began) * 1000
        proxy.checker.submit(exchange)

    do_GET = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_HEAD = do_PATCH = do_TRACE = _handle

    def __getattr__(self, name: str) -> Any:
        # Any method goes through (QUERY, PROPFIND, ...): whether the API knows it is for drift to say.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _forward_request(self, exchange: Exchange) -> http.client.HTTPConnection:
        """Send the request line, headers and body to the target as they arrive; the open connection."""
        proxy = self.server.proxy
        connection = proxy.target.connection(proxy.timeout)
        try:
            connection.connect()
            if connection.sock is not None:  # the request line, headers and body: as soon as written
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection.putrequest(
                self.command, proxy.target.base + self.path, skip_host=True, skip_accept_encoding=True
            )
            connection.putheader("Host", proxy.target.netloc)
            for name, value in _forwarded(self.headers.items(), self.headers.get("Connection", "")):
                connection.putheader(name, value)
            chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
            if chunked:
                connection.putheader("Transfer-Encoding", "chunked")
            connection.endheaders()
            body = self._chunked_body() if chunked else self._sized_body()
            exchange.request_body = _relay(body, connection, chunked)
            return connection
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise _upstream_error(proxy.target, error) from None

    def _sized_body(self) -> Iterator[bytes]:
        try:
            left = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            left = 0
        while left > 0:
            data = self.rfile.read(min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data

    def _chunked_body(self) -> Iterator[bytes]:
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(65536).strip():  # trailers, up to the blank line
                    pass
                return
            data = self.rfile.read(size)
            self.rfile.readline(1024)
            yield data

    def _forward_response(
        self, upstream: http.client.HTTPConnection, exchange: Exchange, sent: float
    ) -> None:
        proxy = self.server.proxy
        try:
            response = upstream.getresponse()
        except (OSError, http.client.HTTPException) as error:
            self.close_connection = True
            self._send_error(*_status_message(_upstream_error(proxy.target, error)))
            return
        waited = time.perf_counter()
        exchange.wait_ms = (waited - sent) * 1000
        exchange.status, exchange.reason = response.status, response.reason
        exchange.response_headers = response.getheaders()
        has_body = self.command != "HEAD" and response.status not in NO_BODY_STATUSES
        length = response.getheader("Content-Length") if not response.chunked else None
        framing = (
            "length" if length is not None else "chunked" if self.request_version >= "HTTP/1.1" else "close"
        )
        self.send_response_only(response.status, response.reason)
        for name, value in _forwarded(exchange.response_headers, response.getheader("Connection", "")):
            self.send_header(name, value)
        if has_body and framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        if (
            has_body and framing == "close"
        ):  # an HTTP/1.0 client: the end of the body is the end of the connection
            self.close_connection = True
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        captured = bytearray()
        if has_body:
            for data in _read(response):
                self.wfile.write(
                    f"{len(data):x}\r\n".encode() + data + b"\r\n" if framing == "chunked" else data
                )
                self.wfile.flush()
                if len(captured) + len(data) <= MAX_CAPTURE:
                    captured += data
                else:
                    exchange.truncated = True
            if framing == "chunked":
                self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        exchange.response_body = bytes(captured)
        exchange.receive_ms = (time.perf_counter() - waited) * 1000

    def _send_error(self, status: int, message: str) -> None:
        body = (json.dumps(self.server.proxy.error_body(status, message), indent=2) + "\n").encode()
        self.send_response_only(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.server.log(f"{self.command} {self.path} -> {status}: {message}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # the checker prints each exchange once it is checked

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log(format % args)


def _forwarded(headers: list[tuple[str, str]], connection: str) -> Iterator[tuple[str, str]]:
    """The end-to-end headers: not hop-by-hop ones, nor those the Connection header names."""
    named = {token.strip().lower() for token in connection.split(",")}
    for name, value in headers:
        lower = name.lower()
        if lower not in HOP_BY_HOP and lower not in named and lower != "host":
            yield name, value


def _relay(body: Iterator[bytes], connection: http.client.HTTPConnection, chunked: bool) -> bytes:
    """Send a request body on as it is read; the first MAX_CAPTURE bytes of it."""
    captured = bytearray()
    for data in body:
        connection.send(f"{len(data):x}\r\n".encode() + data + b"\r\n" if chunked else data)
        if len(captured) < MAX_CAPTURE:
            captured += data[: MAX_CAPTURE - len(captured)]
    if chunked:
        connection.send(b"0\r\n\r\n")
    return bytes(captured)


def _read(response: http.client.HTTPResponse) -> Iterator[bytes]:
    """The body as the target sends it: each piece as soon as it arrives (read1), not when all has."""
    while data := response.read1(CHUNK):
        yield data


def _upstream_error(target: Target, error: BaseException) -> UpstreamError:
    if isinstance(error, TimeoutError | socket.timeout):
        return UpstreamError(504, f"the target {target.url} did not answer in time")
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return UpstreamError(502, f"cannot reach the target {target.url}: {reason}")


def _status_message(error: UpstreamError) -> tuple[int, str]:
    return error.status, error.message


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], proxy: Proxy) -> None:
        self.proxy = proxy
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up in DNS (getfqdn), which stalls without a network.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def log(self, line: str) -> None:
        if not self.proxy.quiet:
            sys.stderr.write(line.rstrip("\n") + "\n")
            sys.stderr.flush()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        self.log(f"connection from {client_address[0]} failed: {type(error).__name__}: {error}")


class Proxy(BackgroundServer):
    """The proxy on a background thread: `with start_proxy(spec, target) as proxy: ... proxy.url`."""

    def __init__(
        self,
        spec: LoadedSpec,
        target: Target,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        record: Path | None = None,
        sdk: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        out: TextIO | None = None,
        quiet: bool = False,
    ) -> None:
        self.target = target
        self.timeout = timeout
        self.quiet = quiet
        self._shape = spec.api.error_shape
        self.checker = Checker(Drift(spec, sdk=sdk), Secrets.of(spec.workspace), out or sys.stdout, record)
        super().__init__(lambda: _Server((host, port), self), host, port, "sdkgen-proxy")

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        """The proxy's own errors (502, 504) in the spec's error shape, so the SDK reads their message."""
        return self._shape.body("bad_gateway" if status == 502 else "gateway_timeout", message)

    def start(self) -> Self:
        self.checker.start()
        return super().start()

    def stop(self) -> None:
        """Stop accepting, finish checking what was forwarded, write the HAR."""
        super().stop()
        self.checker.stop()


def start_proxy(spec_path: Path, target: str, **options: Any) -> Proxy:
    """Load a spec and run its proxy in front of `target` on a background thread (see `Proxy`)."""
    return Proxy(load_spec(spec_path), Target.parse(target), **options).start()


# --- command line --------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `sdkgen proxy`."""
    parser.add_argument("spec", type=Path, metavar="SPEC", help="the spec file")
    parser.add_argument(
        "--target", required=True, metavar="URL", help="the API to forward to, e.g. http://127.0.0.1:4010"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0: any free)",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    parser.add_argument(
        "--record",
        type=Path,
        metavar="FILE.har",
        help="write every exchange (credentials redacted) as HAR 1.2 on exit",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for the target (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--no-sdk", action="store_true", help="skip the round trip through the generated SDK")
    parser.add_argument("--quiet", action="store_true", help="do not log the proxy's own errors")


def run(args: argparse.Namespace) -> int:
    """Forward and check until SIGINT or SIGTERM; then write the HAR and print a summary."""
    target = Target.parse(args.target)
    if args.timeout <= 0:
        raise SpecError.at("--timeout must be a positive number of seconds")
    if args.record is not None and not args.record.parent.resolve().is_dir():
        raise SpecError.at(f"--record {args.record}: its folder does not exist")
    spec = load_spec(args.spec)
    for warning in spec.warnings:
        print(warning, file=sys.stderr)
    proxy = Proxy(
        spec,
        target,
        host=args.host,
        port=args.port,
        record=args.record,
        sdk=not args.no_sdk,
        timeout=args.timeout,
        quiet=args.quiet,
    )
    stopping = threading.Event()
    previous = _on_signals(stopping)
    try:
        proxy.start()
        print(f"proxy for {args.spec} listening on {proxy.url}, forwarding to {target.url}", flush=True)
        stopping.wait()
    finally:
        proxy.stop()
        _restore(previous)
    print(proxy.checker.summary(), flush=True)
    if args.record is not None:
        print(f"wrote {args.record} ({len(proxy.checker.entries)} entries)", flush=True)
    return 0


def _on_signals(stopping: threading.Event) -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}


def _restore(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)
