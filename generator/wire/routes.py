"""Routes: the spec's operations as a table matched by method and path template, `$ref`s resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.errors import SpecError
from generator.spec.load import Workspace, join_pointer
from generator.spec.refs import Node, deref
from generator.wire.params import Param, make_param

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_PARAM = re.compile(r"{([^{}]+)}")
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}  # OpenAPI: such header parameters are ignored
_LITERAL, _MIXED, _TEMPLATED = 0, 1, 2


@dataclass(frozen=True)
class Scheme:
    """How one security scheme's credential arrives: kind bearer, basic, http, apiKey or none."""

    name: str
    kind: str
    location: str = "header"
    parameter: str = "Authorization"  # the header, query or cookie name; for `http`, the auth scheme


@dataclass
class Operation:
    method: str
    template: str
    params: list[Param]
    body: Node | None  # the request body object, dereferenced
    responses: dict[str, Node]  # status ("200", "4XX", "default") -> response object, dereferenced
    security: list[list[Scheme]]  # alternatives, any one suffices; [] means no credentials needed


@dataclass
class _Segment:
    """One segment of a path template: literal text, or a pattern whose groups are parameters."""

    literal: str | None
    pattern: re.Pattern[str] | None = None
    names: list[str] = field(default_factory=list)
    rank: int = _LITERAL


@dataclass
class Route:
    template: str
    segments: list[_Segment]
    operations: dict[str, Operation] = field(default_factory=dict)

    @property
    def rank(self) -> tuple[int, ...]:
        """Literal segments before templated ones, left to right: `/users/me` before `/users/{id}`."""
        return tuple(segment.rank for segment in self.segments)

    def match(self, raw_segments: list[str]) -> dict[str, str] | None:
        """The raw (still percent-encoded) value of each path parameter, or None if it does not match."""
        if len(raw_segments) != len(self.segments):
            return None
        values: dict[str, str] = {}
        for segment, raw in zip(self.segments, raw_segments, strict=True):
            if segment.literal is not None:
                if unquote(raw) != segment.literal:
                    return None
                continue
            assert segment.pattern is not None
            found = segment.pattern.fullmatch(raw)
            if found is None:
                return None
            values.update(zip(segment.names, found.groups(), strict=True))
        return values

    @property
    def allowed(self) -> list[str]:
        methods = set(self.operations) | ({"HEAD"} if "GET" in self.operations else set())
        return [m for m in HTTP_METHODS if m in methods]


@dataclass
class RouteTable:
    routes: list[Route]
    base_paths: list[str]

    def find(self, raw_path: str) -> list[tuple[Route, dict[str, str]]]:
        """Routes whose template matches the path, most specific first, with their raw parameter values."""
        for path in self._candidates(raw_path):
            segments = path.split("/")[1:]
            found = [(route, route.match(segments)) for route in self.routes]
            matched = [(route, values) for route, values in found if values is not None]
            if matched:
                return matched
        return []

    def _candidates(self, raw_path: str) -> list[str]:
        # Clients configured with a server URL such as https://host/api send /api/items for /items.
        bases = [base for base in self.base_paths if raw_path.startswith(base + "/")]
        return [raw_path, *(raw_path[len(base) :] for base in bases)]


def build_routes(workspace: Workspace, servers: list[str]) -> RouteTable:
    """The route table of the workspace's root spec; `servers` give base paths also accepted in front."""
    root = Node.root(workspace.root)
    schemes = _schemes(workspace, root)
    routes = []
    for template in root.child("paths").mapping():
        item = deref(workspace, root.child("paths", template))
        route = Route(str(template), _segments(str(template)))
        for method in HTTP_METHODS:
            if isinstance(item.mapping().get(method.lower()), dict):
                route.operations[method] = _operation(workspace, root, item, method, str(template), schemes)
        routes.append(route)
    routes.sort(key=lambda route: (route.rank, route.template))
    bases = {urlsplit(server).path.rstrip("/") for server in servers}
    return RouteTable(routes, sorted((b for b in bases if b.startswith("/")), key=len, reverse=True))


def _segments(template: str) -> list[_Segment]:
    result = []
    for text in template.split("/")[1:]:
        names = _PARAM.findall(text)
        if not names:
            result.append(_Segment(text))
            continue
        literals = _PARAM.split(text)[::2]
        pattern = "(.+?)".join(re.escape(literal) for literal in literals)
        rank = _TEMPLATED if not any(literals) else _MIXED
        result.append(_Segment(None, re.compile(pattern), names, rank))
    return result


def _operation(
    workspace: Workspace, root: Node, item: Node, method: str, template: str, schemes: dict[str, Scheme]
) -> Operation:
    operation = item.child(method.lower())
    body = deref(workspace, operation.child("requestBody")) if "requestBody" in operation.mapping() else None
    responses = {
        str(status): deref(workspace, operation.child("responses", status))
        for status in operation.child("responses").mapping()
    }
    return Operation(
        method=method,
        template=template,
        params=_params(workspace, item, operation),
        body=body,
        responses=responses,
        security=_security(root, operation, schemes),
    )


def _params(workspace: Workspace, item: Node, operation: Node) -> list[Param]:
    merged: dict[tuple[str, str], Param] = {}
    for source in (item, operation):
        raw = source.mapping().get("parameters")
        for index in range(len(raw) if isinstance(raw, list) else 0):
            param = make_param(
                deref(workspace, source.child("parameters", index)), lambda n: deref(workspace, n)
            )
            if param.location == "header" and param.name.lower() in _IGNORED_HEADERS:
                continue
            merged[(param.name, param.location)] = param
    return list(merged.values())


def _security(root: Node, operation: Node, schemes: dict[str, Scheme]) -> list[list[Scheme]]:
    source = operation if "security" in operation.mapping() else root
    requirements = source.child("security")
    alternatives = []
    for index, requirement in enumerate(requirements.value if isinstance(requirements.value, list) else []):
        names = requirement if isinstance(requirement, dict) else {}
        unknown = [name for name in names if name not in schemes]
        if unknown:
            where = requirements.document.locate(join_pointer(requirements.pointer, index))
            raise SpecError.at(
                f"security scheme {unknown[0]!r} is not defined in components.securitySchemes", where
            )
        alternatives.append([schemes[name] for name in names])
    return [] if any(not alternative for alternative in alternatives) else alternatives


def _schemes(workspace: Workspace, root: Node) -> dict[str, Scheme]:
    components = root.child("components", "securitySchemes")
    return {
        str(name): _scheme(str(name), deref(workspace, components.child(name)).mapping())
        for name in components.mapping()
    }


def _scheme(name: str, data: dict[str, Any]) -> Scheme:
    kind = str(data.get("type", ""))
    if kind == "apiKey":
        return Scheme(name, "apiKey", str(data.get("in", "header")), str(data.get("name", "")))
    if kind == "http":
        auth = str(data.get("scheme", "")).lower()
        return Scheme(name, auth if auth in ("bearer", "basic") else "http", parameter=auth)
    if kind in ("oauth2", "openIdConnect"):
        return Scheme(name, "bearer")
    return Scheme(name, "none")  # mutualTLS: settled by TLS, which the mock does not speak
