"""Diff operations: compare one operation's name, parameters, bodies, responses and security."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diff.schema import REQUEST, RESPONSE, Label, NodeKey, SchemaGraph
from generator.diff.source import At, Side, deref
from generator.diff.view import canonical
from generator.model.naming import snake_case
from generator.spec.load import join_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_PARAMETER = re.compile(r"\{([^}/]*)\}")
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}

Emit = Callable[[str, At, str], None]


@dataclass
class Operation:
    """One method of one path, with the path item whose parameters it shares."""

    method: str
    path: str
    value: dict[str, Any]
    at: At
    item: dict[str, Any]
    item_at: At
    path_at: At
    webhook: bool = False  # a 3.1 webhook: the API calls the client; `path` is the webhook's name

    @property
    def label(self) -> str:
        if self.webhook:
            return f"webhook {self.path} ({self.method.upper()})"
        return f"{self.method.upper()} {self.path}"


def template(path: str) -> str:
    """The path with parameter names blanked, so `/a/{id}` and `/a/{key}` are the same operation."""
    return _PATH_PARAMETER.sub("{}", path)


def operations(side: Side, section: str = "paths") -> dict[tuple[str, str], Operation]:
    """Every operation of a spec (or every webhook, with section="webhooks"), keyed by method and
    path template (webhook name)."""
    result: dict[tuple[str, str], Operation] = {}
    paths = side.root.data.get(section)
    webhook = section == "webhooks"
    for path, raw in (paths if isinstance(paths, dict) else {}).items():
        path_at = At(side, side.root, join_pointer(f"/{section}", path))
        item, item_at = deref(raw, path_at)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                operation = Operation(
                    method, str(path), item[method], item_at.child(method), item, item_at, path_at, webhook
                )
                key = (method, str(path) if webhook else template(str(path)))
                # Two paths that differ only in parameter names are invalid, but keep both apart.
                result[key if key not in result else (method, str(path))] = operation
    return result


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass
class _Parameter:
    value: dict[str, Any]
    at: At

    @property
    def name(self) -> str:
        return str(self.value.get("name"))

    @property
    def location(self) -> str:
        return str(self.value.get("in"))

    @property
    def required(self) -> bool:
        return self.location == "path" or self.value.get("required") is True

    def serialization(self) -> tuple[Any, ...]:
        # Written defaults and omitted ones mean the same: compare what goes on the wire.
        style = self.value.get("style", _DEFAULT_STYLE.get(self.location, "form"))
        return (style, self.value.get("explode", style == "form"), self.value.get("allowReserved") is True)

    def serialization_text(self) -> str:
        style, explode, reserved = self.serialization()
        return f"style={style}, explode={str(explode).lower()}, allowReserved={str(reserved).lower()}"


def _parameters(operation: Operation, renames: dict[str, str]) -> dict[tuple[str, str], _Parameter]:
    """Path-item parameters overridden by the operation's, keyed by (in, name); old path names renamed."""
    result: dict[tuple[str, str], _Parameter] = {}
    for owner, at in ((operation.item, operation.item_at), (operation.value, operation.at)):
        for index, raw in enumerate(_list(owner.get("parameters"))):
            value, where = deref(raw, at.child("parameters", index))
            if not isinstance(value, dict) or "name" not in value:
                continue
            parameter = _Parameter(value, where)
            name = parameter.name
            if parameter.location == "path":
                name = renames.get(name, name)
            result[(parameter.location, name.lower() if parameter.location == "header" else name)] = parameter
    return result


def _pair_parameters(
    before: dict[tuple[str, str], _Parameter], after: dict[tuple[str, str], _Parameter]
) -> tuple[list[tuple[_Parameter, _Parameter | None]], list[_Parameter]]:
    """Each old parameter with its new self (None: removed; another location: moved, matched by name
    regardless of case), in the old order; then the new parameters no old one became."""
    added = [key for key in after if key not in before]
    pairs: list[tuple[_Parameter, _Parameter | None]] = []
    for key, old in before.items():
        if key in after:
            pairs.append((old, after[key]))
            continue
        moved = next((k for k in added if k[1].lower() == key[1].lower()), None)
        if moved is not None:
            added.remove(moved)
        pairs.append((old, after[moved] if moved is not None else None))
    return pairs, [after[key] for key in added]


def _schema_of(value: dict[str, Any], at: At) -> tuple[Any, At] | None:
    """A parameter's or header's schema: `schema`, or the one in its single `content` entry."""
    if "schema" in value:
        return value["schema"], at.child("schema")
    for media_type, media in _dict(value.get("content")).items():
        if isinstance(media, dict) and "schema" in media:
            return media["schema"], at.child("content", media_type, "schema")
    return None


def _default(parameter: _Parameter) -> tuple[bool, str]:
    """Whether the parameter's schema has a default, and the default as comparable text."""
    found = _schema_of(parameter.value, parameter.at)
    schema = _dict(deref(*found)[0]) if found is not None else {}
    return "default" in schema, canonical(schema.get("default"))


def _media_types(value: dict[str, Any], at: At) -> dict[str, tuple[dict[str, Any], At]]:
    # `application/json; charset=utf-8` is `application/json` for matching.
    return {
        str(name).split(";")[0].strip().lower(): (
            _without_trivial_schema(_dict(media)),
            at.child("content", name),
        )
        for name, media in _dict(value.get("content")).items()
    }


def _without_trivial_schema(media: dict[str, Any]) -> dict[str, Any]:
    """`schema: true` and `schema: {}` accept any body, as no schema does: the SDK types all three alike."""
    if media.get("schema") is True or media.get("schema") == {}:
        return {key: value for key, value in media.items() if key != "schema"}
    return media


def _status(code: str) -> str:
    return "default" if code.lower() == "default" else code.upper()


def _security(operation: Operation) -> tuple[dict[frozenset[str], dict[str, set[str]]], At]:
    """Alternatives (any one suffices) of schemes (all needed) with their scopes; none = anonymous."""
    if "security" in operation.value:
        raw, at = operation.value["security"], operation.at.child("security")
    else:
        root = operation.at.side.root
        raw = root.data.get("security")
        # No security anywhere: the operation is where a reader looks, not line 1 of the file.
        at = At(operation.at.side, root, "/security") if "security" in root.data else operation.at
    alternatives: dict[frozenset[str], dict[str, set[str]]] = {}
    for requirement in _list(raw):
        if isinstance(requirement, dict):
            scopes = {str(name): {str(s) for s in _list(value)} for name, value in requirement.items()}
            alternatives[frozenset(scopes)] = scopes
    return alternatives or {frozenset(): {}}, at


def security_schemes(side: Side) -> dict[str, At]:
    """components.securitySchemes by name, each at its place."""
    schemes = _dict(_dict(side.root.data.get("components")).get("securitySchemes"))
    return {
        str(name): At(side, side.root, join_pointer("/components/securitySchemes", name)) for name in schemes
    }


def scheme_shape(side: Side, name: str) -> dict[str, Any]:
    """What decides how credentials are sent for a security scheme (not its description)."""
    schemes = _dict(_dict(side.root.data.get("components")).get("securitySchemes"))
    value, _ = deref(
        schemes.get(name), At(side, side.root, join_pointer("/components/securitySchemes", name))
    )
    scheme = _dict(value)
    flows = {
        kind: {url: _dict(flow).get(url) for url in ("authorizationUrl", "tokenUrl")}
        for kind, flow in _dict(scheme.get("flows")).items()
    }
    shape = {key: scheme.get(key) for key in ("type", "in", "name", "openIdConnectUrl")}
    shape["scheme"] = str(scheme.get("scheme", "")).lower()
    shape["flows"] = flows
    return shape


def _schemes(names: frozenset[str]) -> str:
    return " + ".join(f"`{name}`" for name in sorted(names))


def changed_parts(old: dict[str, Any], new: dict[str, Any]) -> str:
    """The keys of two scheme shapes that differ, for a message."""
    return ", ".join(key for key in old if canonical(old[key]) != canonical(new[key]))


def _covered(
    names: frozenset[str], scopes: dict[str, set[str]], after: dict[frozenset[str], dict[str, set[str]]]
) -> bool:
    """Whether a client that satisfied `names` (with `scopes`) still satisfies some alternative of
    `after`: one needing a subset of those schemes and scopes (no security at all, say)."""
    return any(
        other <= names and all(after[other][name] <= scopes[name] for name in other) for other in after
    )


class OperationDiff:
    """The changes of one operation present in OLD and NEW; schema roots are left to the caller."""

    def __init__(self, old: Operation, new: Operation, graph: SchemaGraph, emit: Emit) -> None:
        self.old, self.new = old, new
        self.graph = graph
        self.emit = emit
        self.roots: list[NodeKey] = []
        self.renames: dict[str, str] = {}
        # The direction of the request's values and of the response's: the client writes requests
        # and reads responses (a webhook, in generator.diff.webhook, swaps them).
        self.writes, self.reads = REQUEST, RESPONSE

    def run(self) -> list[NodeKey]:
        self.path_names()
        self.identity()
        self.parameters()
        self.body()
        self.responses()
        self.security()
        return self.roots

    def schema(
        self, old: tuple[Any, At] | None, new: tuple[Any, At] | None, direction: str, label: str | Label
    ) -> None:
        if old is not None and new is not None:
            named = label if isinstance(label, Label) else Label(label)
            self.roots.append(self.graph.compare(*old, *new, direction, named))

    # --- the operation itself ------------------------------------------------------------------

    def path_names(self) -> None:
        before = _PATH_PARAMETER.findall(self.old.path)
        after = _PATH_PARAMETER.findall(self.new.path)
        for old_name, new_name in zip(before, after, strict=False):
            if old_name != new_name:
                self.renames[old_name] = new_name
                message = (
                    f"path parameter `{old_name}` renamed to `{new_name}` "
                    f"({self.old.path} -> {self.new.path}): same URL, but the SDK method argument is renamed"
                )
                self.emit("path-parameter-renamed", self.new.path_at, message)

    def identity(self) -> None:
        old, new = self.old.value, self.new.value
        before, after = old.get("operationId"), new.get("operationId")
        if before and after and before != after:
            message = f"operationId changed from `{before}` to `{after}`: the SDK method is renamed"
            self.emit("operation-id-changed", self.new.at.child("operationId"), message)
        elif after and not before and not self.same_method_name(str(after)):
            message = f"operationId `{after}` added: the SDK method (named from method and path) is renamed"
            self.emit("operation-id-added", self.new.at.child("operationId"), message)
        elif before and not after and not self.same_method_name(str(before)):
            message = f"operationId `{before}` removed: the SDK method is now named from method and path"
            self.emit("operation-id-removed", self.old.at.child("operationId"), message)
        tag_before, tag_after = (
            (_list(old.get("tags")) or ["default"])[0],
            (_list(new.get("tags")) or ["default"])[0],
        )
        if tag_before != tag_after:
            message = (
                f"tag changed from `{tag_before}` to `{tag_after}`: the SDK method moves to another group"
            )
            self.emit(
                "operation-tag-changed", self.new.at.child("tags") if "tags" in new else self.new.at, message
            )
        if old.get("deprecated") is not True and new.get("deprecated") is True:
            self.emit("operation-deprecated", self.new.at.child("deprecated"), "the operation is deprecated")
        for key in ("summary", "description"):
            if _text(old.get(key)) != _text(new.get(key)):
                at = self.new.at.child(key) if key in new else self.new.at
                self.emit("operation-description-changed", at, f"the operation's {key} changed")

    def same_method_name(self, operation_id: str) -> bool:
        """Whether the SDK names the method the same from `operation_id` as from method and path
        (`get_things` both ways for `getThings` on GET /things)."""
        return snake_case(operation_id) == snake_case(f"{self.new.method} {self.new.path}")

    # --- parameters ----------------------------------------------------------------------------

    def parameters(self) -> None:
        pairs, added = _pair_parameters(_parameters(self.old, self.renames), _parameters(self.new, {}))
        for old, new in pairs:
            if new is None:
                message = (
                    f"parameter `{old.name}` ({old.location}) removed: the SDK method loses the argument"
                )
                self.emit("parameter-removed", old.at, message)
            elif new.location != old.location:
                message = f"parameter `{old.name}` moved from {old.location} to {new.location}"
                self.emit("parameter-location-changed", new.at, message)
            else:
                self.parameter(old, new)
        for new in added:
            if new.required:
                message = f"required parameter `{new.name}` ({new.location}) added: every call must pass it"
                self.emit("required-parameter-added", new.at, message)
            else:
                self.emit(
                    "optional-parameter-added",
                    new.at,
                    f"optional parameter `{new.name}` ({new.location}) added",
                )

    def parameter(self, old: _Parameter, new: _Parameter) -> None:
        label = f"parameter `{new.name}` ({new.location})"
        if old.required != new.required:
            rule = "parameter-became-required" if new.required else "parameter-became-optional"
            self.emit(rule, new.at, f"{label} is now {'required' if new.required else 'optional'}")
        if old.serialization() != new.serialization():
            message = f"{label} is sent differently: {old.serialization_text()} -> {new.serialization_text()}"
            self.emit("parameter-serialization-changed", new.at, message)
        if old.value.get("deprecated") is not True and new.value.get("deprecated") is True:
            self.emit("parameter-deprecated", new.at, f"{label} is deprecated")
        if _text(old.value.get("description")) != _text(new.value.get("description")):
            self.emit("parameter-description-changed", new.at, f"{label}: description changed")
        self.parameter_default(old, new, label)
        self.schema(
            _schema_of(old.value, old.at),
            _schema_of(new.value, new.at),
            self.writes,
            Label(label, parameter=True),
        )

    def parameter_default(self, old: _Parameter, new: _Parameter, label: str) -> None:
        # The SDK leaves an unset parameter out, so the server's default is what every such call gets.
        (had, before), (has, after) = _default(old), _default(new)
        if (had, before) == (has, after):
            return
        found = _schema_of(new.value, new.at)
        at = found[1] if found is not None else new.at
        if not had:
            self.emit("parameter-default-added", at, f"{label}: default {after} added")
        elif not has:
            self.emit("parameter-default-removed", at, f"{label}: default {before} removed")
        else:
            message = (
                f"{label}: default changed from {before} to {after}: calls that omit it behave differently"
            )
            self.emit("parameter-default-changed", at, message)

    # --- request body --------------------------------------------------------------------------

    def body(self) -> None:
        old_raw, new_raw = self.old.value.get("requestBody"), self.new.value.get("requestBody")
        if old_raw is None and new_raw is None:
            return
        if old_raw is None:
            new, at = deref(new_raw, self.new.at.child("requestBody"))
            if _dict(new).get("required") is True:
                self.emit("required-request-body-added", at, "a required request body was added")
            else:
                self.emit("optional-request-body-added", at, "an optional request body was added")
            return
        old, old_at = deref(old_raw, self.old.at.child("requestBody"))
        if new_raw is None:
            self.emit("request-body-removed", old_at, "the request body was removed")
            return
        new, new_at = deref(new_raw, self.new.at.child("requestBody"))
        old, new = _dict(old), _dict(new)
        if (old.get("required") is True) != (new.get("required") is True):
            required = new.get("required") is True
            rule = "request-body-became-required" if required else "request-body-became-optional"
            self.emit(rule, new_at, f"the request body is now {'required' if required else 'optional'}")
        self.request_media(_media_types(old, old_at), _media_types(new, new_at))

    def request_media(
        self, before: dict[str, tuple[dict[str, Any], At]], after: dict[str, tuple[dict[str, Any], At]]
    ) -> None:
        for name, (media, at) in before.items():
            if name not in after:
                self.emit("request-media-type-removed", at, f"request body `{name}` is no longer accepted")
                continue
            self.media_schema("request", name, f"request body `{name}`", (media, at), after[name])
            if "schema" in media and "schema" in after[name][0]:
                old_schema = (media["schema"], at.child("schema"))
                new_schema = (after[name][0]["schema"], after[name][1].child("schema"))
                self.schema(old_schema, new_schema, self.writes, f"request body ({name})")
        for name, (_, at) in after.items():
            if name not in before:
                self.emit("request-media-type-added", at, f"request body `{name}` is now accepted")

    def media_schema(
        self,
        side: str,
        name: str,
        label: str,
        old: tuple[dict[str, Any], At],
        new: tuple[dict[str, Any], At],
    ) -> None:
        """A media type that gained or lost its schema: the SDK's type for it goes from raw to typed."""
        had, has = "schema" in old[0], "schema" in new[0]
        if had and not has:
            self.emit(f"{side}-media-type-schema-removed", new[1], f"{label} no longer has a schema")
        elif has and not had:
            self.emit(f"{side}-media-type-schema-added", new[1].child("schema"), f"{label} now has a schema")

    # --- responses -----------------------------------------------------------------------------

    def responses(self) -> None:
        before = self._responses(self.old)
        after = self._responses(self.new)
        for status, (old, old_at) in before.items():
            if status not in after:
                self.emit("response-status-removed", old_at, f"response {status} was removed")
            else:
                self.response(status, old, old_at, *after[status])
        for status, (_, at) in after.items():
            if status in before:
                continue
            if status.startswith("2"):
                message = (
                    f"success response {status} was added: code that expects the old status may not handle it"
                )
                self.emit("response-success-status-added", at, message)
            else:
                self.emit("response-error-status-added", at, f"response {status} was added")

    @staticmethod
    def _responses(operation: Operation) -> dict[str, tuple[dict[str, Any], At]]:
        result = {}
        for code, raw in _dict(operation.value.get("responses")).items():
            value, at = deref(raw, operation.at.child("responses", code))
            result[_status(str(code))] = (_dict(value), at)
        return result

    def response(self, status: str, old: dict[str, Any], old_at: At, new: dict[str, Any], new_at: At) -> None:
        if _text(old.get("description")) != _text(new.get("description")):
            at = new_at.child("description") if "description" in new else new_at
            self.emit("response-description-changed", at, f"response {status}: description changed")
        before, after = _media_types(old, old_at), _media_types(new, new_at)
        for name, (media, at) in before.items():
            if name not in after:
                self.emit("response-media-type-removed", at, f"response {status} `{name}` was removed")
                continue
            self.media_schema("response", name, f"response {status} `{name}`", (media, at), after[name])
            if "schema" in media and "schema" in after[name][0]:
                old_schema = (media["schema"], at.child("schema"))
                new_schema = (after[name][0]["schema"], after[name][1].child("schema"))
                self.schema(old_schema, new_schema, self.reads, f"response {status} ({name})")
        for name, (_, at) in after.items():
            if name not in before:
                self.emit("response-media-type-added", at, f"response {status} may now be `{name}`")
        self.headers(status, old, old_at, new, new_at)

    def headers(self, status: str, old: dict[str, Any], old_at: At, new: dict[str, Any], new_at: At) -> None:
        before = self._headers(old, old_at)
        after = self._headers(new, new_at)
        for key, (name, header, at) in before.items():
            if key not in after:
                self.emit("response-header-removed", at, f"response {status} header `{name}` was removed")
                continue
            new_name, new_header, header_at = after[key]
            label = f"response {status} header `{new_name}`"
            if header.get("required") is True and new_header.get("required") is not True:
                self.emit("response-header-became-optional", header_at, f"{label} is no longer always sent")
            self.schema(_schema_of(header, at), _schema_of(new_header, header_at), self.reads, label)
        for key, (name, _, at) in after.items():
            if key not in before:
                self.emit("response-header-added", at, f"response {status} header `{name}` was added")

    @staticmethod
    def _headers(response: dict[str, Any], at: At) -> dict[str, tuple[str, dict[str, Any], At]]:
        result = {}
        for name, raw in _dict(response.get("headers")).items():
            value, where = deref(raw, at.child("headers", name))
            result[str(name).lower()] = (str(name), _dict(value), where)  # header names ignore case
        return result

    # --- security ------------------------------------------------------------------------------

    def security(self) -> None:
        before, old_at = _security(self.old)
        after, at = _security(self.new)
        for names, scopes in before.items():
            if names not in after and _covered(names, scopes, after):
                continue  # e.g. the operation is now public: old credentials are simply not needed
            if names not in after:
                message = (
                    f"authenticating with {_schemes(names)} is no longer accepted"
                    if names
                    else "anonymous access was removed: the operation now needs credentials"
                )
                # A scheme that is gone is shown where it was; lost anonymous access where credentials are.
                self.emit("security-requirement-removed", old_at if names else at, message)
                continue
            for name in sorted(names):
                more = sorted(after[names][name] - scopes[name])
                fewer = sorted(scopes[name] - after[names][name])
                if more:
                    self.emit("security-scope-added", at, f"`{name}` now needs scope(s) {', '.join(more)}")
                if fewer:
                    self.emit(
                        "security-scope-removed", at, f"`{name}` no longer needs scope(s) {', '.join(fewer)}"
                    )
        for names in after:
            if names not in before:
                message = (
                    f"authenticating with {_schemes(names)} is now accepted"
                    if names
                    else "the operation now accepts anonymous requests"
                )
                self.emit("security-requirement-added", at, message)
        self.schemes(frozenset().union(*before) & frozenset().union(*after))

    def schemes(self, names: frozenset[str]) -> None:
        for name in sorted(names):
            old_shape = scheme_shape(self.old.at.side, name)
            new_shape = scheme_shape(self.new.at.side, name)
            if old_shape != new_shape:
                what = changed_parts(old_shape, new_shape)
                root = self.new.at.side.root
                at = At(self.new.at.side, root, join_pointer("/components/securitySchemes", name))
                self.emit("security-scheme-changed", at, f"security scheme `{name}` changed ({what})")
