"""Mock answers: the response an operation gives, with the spec's example or one made from its schema."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from generator.errors import SpecError
from generator.mock.checks import Refusal, invalid
from generator.mock.synthesize import Synthesizer
from generator.model.ir import ErrorShapeIR
from generator.spec.load import Workspace
from generator.spec.refs import Node, deref
from generator.wire.params import is_json
from generator.wire.routes import Operation

NO_BODY_STATUSES = (204, 205, 304)
_NO_VALUE = object()  # an example with neither `value` nor a readable `externalValue`


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]  # Content-Type among them when there is a body


def to_json(value: Any) -> bytes:
    # Key order is the spec's (examples) or the schema's (synthesised): stable from run to run.
    return (json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n").encode()


class Answers:
    """Picks the response (`Prefer: code=`, else the success one) and makes its body, once per kind."""

    def __init__(self, workspace: Workspace, shape: ErrorShapeIR) -> None:
        self._workspace = workspace
        self._shape = shape
        self._synthesizer = Synthesizer(workspace)
        self._made: dict[tuple[str, str, int, str | None], Answer] = {}
        self._lock = threading.Lock()

    def answer(self, operation: Operation, prefer: str) -> Answer:
        """The answer to a valid request; a `Prefer` the spec cannot honour is a Refusal."""
        preferences = _preferences(prefer)
        status, response = _pick_response(operation, preferences.get("code"))
        example = preferences.get("example")
        key = (str(response.document.path), response.pointer, status, example)
        with self._lock:
            made = self._made.get(key)
        if made is None:
            made = self._make(response, status, example)
            with self._lock:
                self._made[key] = made
        return made

    def _make(self, response: Node, status: int, example: str | None) -> Answer:
        headers = self._headers(response)
        content = response.child("content").mapping()
        if status in NO_BODY_STATUSES or not content:
            return Answer(status, b"", headers)
        media_type = _preferred_media(content)
        media = response.child("content", media_type)
        value = self._example(media, example)
        if status >= 400 and not self._has_own_example(media):
            value = self._overlay_error(value, status)
        if is_json(media_type):
            concrete = media_type.split(";")[0].strip()
            content_type = "application/json" if "*" in concrete else concrete
            return Answer(status, to_json(value), (*headers, ("Content-Type", content_type)))
        content_type = media_type if "*" not in media_type else "application/octet-stream"
        text = value.encode() if isinstance(value, str) else b""
        return Answer(status, text, (*headers, ("Content-Type", content_type)))

    def _example(self, media: Node, name: str | None) -> Any:
        """From a media type or header object: the named example, its `example`, its first example,
        or one synthesised from its schema."""
        data = media.mapping()
        examples = media.child("examples")
        if name is not None:
            if name not in examples.mapping():
                known = ", ".join(map(str, examples.mapping())) or "none"
                raise invalid(f"Prefer: example={name}: no such example (this response has: {known})")
            return self._example_value(examples.child(name))
        if "example" in data:
            return data["example"]
        for key in examples.mapping():
            value = self._example_value(examples.child(key))
            if value is not _NO_VALUE:
                return value
        return self._synthesizer.example(media.child("schema"))

    def _example_value(self, example: Node) -> Any:
        target = deref(self._workspace, example)
        data = target.mapping()
        if "value" in data:
            return data["value"]
        external = data.get("externalValue")
        if isinstance(external, str) and "://" not in external:
            try:
                return self._workspace.document(target.document.path.parent / external).data
            except SpecError:
                pass
        return _NO_VALUE

    def _has_own_example(self, media: Node) -> bool:
        """Whether the media or its schema (not some property deep inside) gives an example."""
        schema = deref(self._workspace, media.child("schema")).mapping()
        return any("example" in d or bool(d.get("examples")) for d in (media.mapping(), schema))

    def _overlay_error(self, value: Any, status: int) -> Any:
        # A synthesised error body would say `"code": "string"` (or its schema's example) whatever the
        # status; the code and message of the status read better in a test that forced it.
        if not isinstance(value, dict):
            return value
        phrase = _phrase(status)
        code = "invalid_request" if status == 400 else re.sub(r"\W+", "_", phrase.lower())
        return _merge_into(value, self._shape.body(code, f"{phrase} (an example response of the spec)"))

    def _headers(self, response: Node) -> tuple[tuple[str, str], ...]:
        result = []
        for name in response.child("headers").mapping():
            if str(name).lower() == "content-type":  # OpenAPI: a Content-Type header entry is ignored
                continue
            header = deref(self._workspace, response.child("headers", name))
            value = self._example(header, None) if "content" not in header.mapping() else None
            if value is not None:
                result.append((str(name), _header_text(value)))
        return tuple(result)


def _preferences(header: str) -> dict[str, str]:
    """`Prefer: code=404, example=missing` (RFC 7240 syntax, as Prism reads it) as a dict."""
    result: dict[str, str] = {}
    for item in re.split(r"[,;]", header):
        name, _, value = item.strip().partition("=")
        if name:
            result.setdefault(name.strip().lower(), value.strip().strip('"'))
    return result


def _pick_response(operation: Operation, code: str | None) -> tuple[int, Node]:
    """The status and response to answer: the one `Prefer: code=` asks for, else the success response."""
    responses = {status.upper(): node for status, node in operation.responses.items()}
    if code is not None:
        if not re.fullmatch(r"[1-5]\d\d", code):
            raise invalid(f"Prefer: code={code} is not an HTTP status code")
        for key in (code, code[0] + "XX", "DEFAULT"):
            if key in responses:
                return int(code), responses[key]
        documented = ", ".join(operation.responses) or "none"
        raise invalid(f"Prefer: code={code}: no such response (documented: {documented})")
    exact = sorted(
        (s for s in responses if re.fullmatch(r"2\d\d", s)), key=lambda s: (s not in ("200", "201"), s)
    )
    for key, status in [*((s, int(s)) for s in exact), ("2XX", 200), ("DEFAULT", 200)]:
        if key in responses:
            return status, responses[key]
    message = f"{operation.method} {operation.template} documents no success response"
    raise Refusal(501, "not_implemented", message)


def _preferred_media(content: Mapping[str, Any]) -> str:
    return next((str(media) for media in content if is_json(str(media))), str(next(iter(content))))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _merge_into(value: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """`value` with the leaves of `overlay` set where `value` has room for them (its dicts)."""
    merged = dict(value)
    for key, new in overlay.items():
        old = merged.get(key)
        if isinstance(new, dict):
            if isinstance(old, dict):
                merged[key] = _merge_into(old, new)
        elif key in merged:
            merged[key] = new
    return merged


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_header_text(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_header_text(v)}" for k, v in value.items())
    return str(value)
