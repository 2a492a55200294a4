"""Mock checks: does a request meet its operation (credentials, parameters, body)? A Refusal says why not."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from generator.spec.load import Workspace
from generator.spec.refs import Node, deref
from generator.spec.schema_check import SchemaChecker
from generator.wire.params import (
    Param,
    ParamError,
    Shape,
    decode_form,
    decode_path,
    decode_query,
    decode_text,
    is_json,
    parse_cookies,
    parse_query,
    shape_of,
)
from generator.wire.routes import Operation, Scheme

_UNCHECKED = object()  # a body of a media type the mock does not look into
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")  # RFC 9110's syntax of a bearer token or basic credential


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the raw request-target: path and query as sent, still percent-encoded
    headers: Mapping[str, str]  # names lower-cased
    body: bytes = b""


class Refusal(Exception):
    """A request the mock will not answer from the spec: `status` with the spec's error body."""

    def __init__(
        self, status: int, code: str, message: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def invalid(message: str) -> Refusal:
    return Refusal(400, "invalid_request", message)


class RequestChecker:
    """Checks, in order: credentials (401), parameters (400), then the body (415, 400).

    A credential must be well-formed for its scheme; with `key`, it must also be that key (the
    bearer token, the API key, or the password of basic credentials).
    """

    def __init__(self, workspace: Workspace, key: str | None = None) -> None:
        self._workspace = workspace
        self._schemas = SchemaChecker(workspace)
        self._key = key

    def check(self, operation: Operation, path_values: dict[str, str], request: Request) -> None:
        """Raise a Refusal when `request` does not meet `operation`; `path_values` are raw segment text."""
        query = parse_query(request.target.partition("?")[2].partition("#")[0])
        cookies = parse_cookies(request.headers.get("cookie", ""))
        _check_security(operation, Presented(request.headers, query, cookies), self._key)
        for param in operation.params:
            self._check_param(param, path_values, query, request.headers, cookies)
        if operation.body is not None:
            self._check_body(operation.body, request)

    def _check_param(
        self,
        param: Param,
        path_values: dict[str, str],
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        cookies: dict[str, str],
    ) -> None:
        what = f"{param.location} parameter {param.name!r}"
        try:
            value = _param_value(param, path_values, query, headers, cookies)
        except KeyError:
            if param.required:
                raise invalid(f"{what} is required") from None
            return
        except ParamError as error:
            raise invalid(f"{what} {error}") from None
        problem = self._schemas.problem(value, param.schema) if param.schema is not None else None
        if problem is not None:
            raise invalid(problem.describe(what))

    def _check_body(self, body: Node, request: Request) -> None:
        content = body.child("content").mapping()
        if not request.body:
            if body.mapping().get("required") is True:
                raise invalid("a request body is required")
            return
        if not content:
            return
        content_type = request.headers.get("content-type", "")
        media = _media_for(content, content_type)
        if media is None:
            accepted = ", ".join(map(str, content))
            sent = content_type or "no Content-Type"
            raise Refusal(415, "unsupported_media_type", f"{sent} is not accepted; send one of: {accepted}")
        schema = body.child("content", media, "schema")
        if schema.value is None:
            return
        value = _decode_body(request.body, content_type, lambda: shape_of(schema, self._deref))
        if value is _UNCHECKED:
            return
        problem = self._schemas.problem(value, schema)
        if problem is not None:
            raise invalid(problem.describe("invalid request body"))

    def _deref(self, node: Node) -> Node:
        return deref(self._workspace, node)


# --- credentials ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Presented:
    """Where a request can carry credentials."""

    headers: Mapping[str, str]
    query: list[tuple[str, str]]
    cookies: dict[str, str]


def _check_security(operation: Operation, presented: Presented, key: str | None) -> None:
    if not operation.security:
        return
    for alternative in operation.security:
        if all(_presented(scheme, presented, key) for scheme in alternative):
            return
    wanted = " or ".join(" and ".join(_describe(s) for s in alt) for alt in operation.security)
    which = "the key the mock was started with" if key is not None else "a well-formed credential"
    raise Refusal(
        401,
        "unauthorized",
        f"missing or invalid credentials: send {wanted} ({which})",
        _challenge(operation.security),
    )


def _presented(scheme: Scheme, presented: Presented, key: str | None) -> bool:
    """Whether the request carries the credential a scheme asks for: well-formed, and `key` if given."""
    if scheme.kind == "none":
        return True
    if scheme.kind == "apiKey":
        value = _api_key(scheme, presented)
        return bool(value.strip()) and (key is None or value == key)
    given, _, credentials = presented.headers.get("authorization", "").strip().partition(" ")
    credentials = credentials.strip()
    if given.lower() != _auth_scheme(scheme).lower() or not _TOKEN68.fullmatch(credentials):
        return False
    if scheme.kind == "basic":
        password = _basic_password(credentials)
        return password is not None and (key is None or password == key)
    return key is None or credentials == key


def _api_key(scheme: Scheme, presented: Presented) -> str:
    if scheme.location == "query":
        return next((unquote_plus(v) for n, v in presented.query if n == scheme.parameter), "")
    if scheme.location == "cookie":
        return presented.cookies.get(scheme.parameter, "")
    return presented.headers.get(scheme.parameter.lower(), "")


def _auth_scheme(scheme: Scheme) -> str:
    return {"bearer": "Bearer", "basic": "Basic"}.get(scheme.kind, scheme.parameter)


def _basic_password(credentials: str) -> str | None:
    """The password of basic credentials (base64 of `user:password`); None when they are not that."""
    try:
        user_password = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    _, colon, password = user_password.partition(":")
    return password if colon else None


def _describe(scheme: Scheme) -> str:
    if scheme.kind == "apiKey":
        kind = "query parameter" if scheme.location == "query" else scheme.location
        return f"the {kind} {scheme.parameter!r}"
    if scheme.kind == "basic":
        return "Authorization: Basic <base64 of user:password>"
    return f"Authorization: {_auth_scheme(scheme)} <token>"


def _challenge(alternatives: list[list[Scheme]]) -> tuple[tuple[str, str], ...]:
    http = [s for alt in alternatives for s in alt if s.kind in ("bearer", "basic", "http")]
    if not http:
        return ()
    return (("WWW-Authenticate", f'{_auth_scheme(http[0])} realm="sdkgen mock"'),)


# --- parameters and bodies -----------------------------------------------------------------------


def _param_value(
    param: Param,
    path_values: dict[str, str],
    query: list[tuple[str, str]],
    headers: Mapping[str, str],
    cookies: dict[str, str],
) -> Any:
    """The decoded value of a parameter; KeyError when the request does not have it."""
    if param.location == "path":
        return decode_path(param, path_values[param.name])
    if param.location == "query":
        return decode_query(param, query)
    if param.location == "header":
        return decode_text(param, headers[param.name.lower()])
    if param.location == "cookie":
        return decode_text(param, cookies[param.name])
    raise KeyError(param.name)


def _media_for(content: Mapping[str, Any], content_type: str) -> str | None:
    """The media type of `content` a request's Content-Type falls under (exact, then `type/*`, `*/*`)."""
    base = content_type.split(";")[0].strip().lower()
    if not base:
        return None
    keys = {str(media).split(";")[0].strip().lower(): str(media) for media in content}
    return keys.get(base) or keys.get(base.split("/")[0] + "/*") or keys.get("*/*")


def _decode_body(body: bytes, content_type: str, shape: Callable[[], Shape]) -> Any:
    """The request body as a JSON value to check; _UNCHECKED for media the mock does not look into."""
    if is_json(content_type):
        try:
            return json.loads(body, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as error:
            raise invalid(f"the request body is not valid JSON: {error}") from None
    if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return decode_form(parse_query(body.decode("utf-8", "replace")), shape())
    return _UNCHECKED


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")
