"""HAR 1.2 entries of proxied exchanges, with credentials redacted, and the Recording `drift` reads from one.

The proxy checks the very entry it records (`recording_of`), read by the same code that reads a HAR
file, so `sdkgen drift SPEC traffic.har` reports what the proxy printed while the traffic flowed.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import json
import os
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from generator.drift.record import Recording, har_recording
from generator.spec.load import Workspace
from generator.spec.refs import Node
from generator.versions import sdkgen_version

REDACTED = "[REDACTED]"
# Always credentials, whatever the spec says; a spec's API-key headers and query parameters are added.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


@dataclass(frozen=True)
class Secrets:
    """Where credentials travel: header names (lower case) and query parameter names to redact."""

    headers: frozenset[str] = CREDENTIAL_HEADERS
    query: frozenset[str] = frozenset()

    @classmethod
    def of(cls, workspace: Workspace) -> Secrets:
        """The credential headers, plus the spec's `apiKey` schemes in headers and query parameters."""
        schemes = Node.root(workspace.root).child("components", "securitySchemes").mapping()
        headers, query = set(CREDENTIAL_HEADERS), set()
        for scheme in schemes.values():
            if isinstance(scheme, dict) and scheme.get("type") == "apiKey":
                name = str(scheme.get("name", ""))
                if scheme.get("in") == "header":
                    headers.add(name.lower())
                elif scheme.get("in") == "query":
                    query.add(name)
        return cls(frozenset(headers), frozenset(query))


@dataclass
class Exchange:
    """One request and its response as they passed the proxy (bodies as sent, at most a capture's worth)."""

    started: datetime
    method: str
    url: str
    http_version: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int = 0
    reason: str = ""
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    truncated: bool = False  # the response body was larger than the proxy keeps: not checked
    send_ms: float = 0.0
    wait_ms: float = 0.0
    receive_ms: float = 0.0


def har_entry(exchange: Exchange, secrets: Secrets) -> dict[str, Any]:
    """The HAR 1.2 entry of an exchange, credentials replaced by `[REDACTED]`."""
    request_type = _header(exchange.request_headers, "content-type")
    request: dict[str, Any] = {
        "method": exchange.method,
        "url": _redact_url(exchange.url, secrets),
        "httpVersion": exchange.http_version,
        "cookies": _cookies(exchange.request_headers, "cookie"),
        "headers": _headers(exchange.request_headers, secrets),
        "queryString": [
            {"name": name, "value": REDACTED if name in secrets.query else value}
            for name, value in parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": len(exchange.request_body),
    }
    if exchange.request_body:
        request["postData"] = {"mimeType": request_type or "", **_text(exchange.request_body)}
    response = {
        "status": exchange.status,
        "statusText": exchange.reason or _phrase(exchange.status),
        "httpVersion": "HTTP/1.1",
        "cookies": _cookies(exchange.response_headers, "set-cookie"),
        "headers": _headers(exchange.response_headers, secrets),
        "content": _content(exchange),
        "redirectURL": _header(exchange.response_headers, "location") or "",
        "headersSize": -1,
        "bodySize": len(exchange.response_body),
    }
    total = exchange.send_ms + exchange.wait_ms + exchange.receive_ms
    return {
        "startedDateTime": exchange.started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": round(total, 3),
        "request": request,
        "response": response,
        "cache": {},
        "timings": {
            "send": round(exchange.send_ms, 3),
            "wait": round(exchange.wait_ms, 3),
            "receive": round(exchange.receive_ms, 3),
        },
    }


def recording_of(entry: dict[str, Any], source: str, index: int) -> Recording | None:
    """The Recording `sdkgen drift` reads from this entry in a HAR file (None: nothing to check)."""
    recording = har_recording(entry, index)
    return dataclasses.replace(recording, source=source) if recording is not None else None


def har_document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "sdkgen proxy", "version": sdkgen_version()},
            "entries": entries,
        }
    }


def write_har(path: Path, entries: list[dict[str, Any]]) -> None:
    """Write the archive next to its place, then move it there: a reader never sees half a file."""
    text = json.dumps(har_document(entries), indent=2, ensure_ascii=False) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _content(exchange: Exchange) -> dict[str, Any]:
    media_type = _header(exchange.response_headers, "content-type") or ""
    content: dict[str, Any] = {"size": len(exchange.response_body), "mimeType": media_type}
    if exchange.truncated:
        return {**content, "comment": "larger than the proxy keeps: not recorded"}
    body = _decoded(exchange.response_body, _header(exchange.response_headers, "content-encoding"))
    if body is None:  # an encoding that could not be undone: keep what was sent
        return {**content, **_text(exchange.response_body), "comment": "content-encoding not decoded"}
    if body:
        content.update(size=len(body), **_text(body))
        content["compression"] = len(body) - len(exchange.response_body)
    return content


def _decoded(body: bytes, encoding: str | None) -> bytes | None:
    """The body with its Content-Encoding undone (HAR keeps decoded content); None if it cannot be."""
    coding = (encoding or "identity").strip().lower()
    try:
        if coding in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if coding == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error, EOFError):
        return None
    return body if coding == "identity" else None


def _text(body: bytes) -> dict[str, str]:
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": base64.b64encode(body).decode("ascii"), "encoding": "base64"}


def _headers(headers: list[tuple[str, str]], secrets: Secrets) -> list[dict[str, str]]:
    return [
        {"name": name, "value": REDACTED if name.lower() in secrets.headers else value}
        for name, value in headers
    ]


def _cookies(headers: list[tuple[str, str]], which: str) -> list[dict[str, str]]:
    """Cookie names, their values redacted: a session cookie is as good as a password."""
    result = []
    for name, value in headers:
        if name.lower() != which:
            continue
        pairs = value.split(";")[:1] if which == "set-cookie" else value.split(";")
        for pair in pairs:
            cookie = pair.partition("=")[0].strip()
            if cookie:
                result.append({"name": cookie, "value": REDACTED})
    return result


def _redact_url(url: str, secrets: Secrets) -> str:
    parts = urlsplit(url)
    if not parts.query or not secrets.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(n, REDACTED if n in secrets.query else v) for n, v in pairs], quote_via=quote)
    return urlunsplit(parts._replace(query=query))


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def now() -> datetime:
    return datetime.now(UTC)
