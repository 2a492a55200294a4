"""Drift recordings: responses read from JSON recording files, HAR 1.2 archives, or bare JSON bodies."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import Location, SpecError
from generator.spec.load import Document, join_pointer
from generator.spec.locate import locate
from generator.wire.params import is_json
from generator.wire.routes import HTTP_METHODS

JSON_MEDIA_TYPE = "application/json"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*")  # RFC 9110's method syntax


@dataclass(frozen=True)
class Recording:
    """One response as it was received, and the request it answered.

    `path` is as sent: percent-encoded, without query, possibly with a server's base path in front.
    `operation_id` is set for a bare body whose operation was named on the command line.
    """

    method: str
    path: str
    status: int
    body: Any
    source: str
    index: int = 0
    has_body: bool = True
    media_type: str | None = JSON_MEDIA_TYPE
    body_error: str | None = None  # why a body of a JSON media type could not be parsed
    operation_id: str | None = None

    @property
    def json_body(self) -> bool:
        """Whether `body` holds a parsed JSON body to check."""
        return self.has_body and self.body_error is None and is_json(self.media_type or "")


@dataclass(frozen=True)
class Bare:
    """What a bare response body answered: an operation (by id, or a method and path) and a status."""

    method: str = ""
    path: str = ""
    operation_id: str | None = None
    status: int = 200

    @classmethod
    def parse(cls, operation_id: str | None, request: str | None, status: int) -> Bare | None:
        """From `--operation ID` or `--request "METHOD PATH"`; None when neither was given."""
        if operation_id and request:
            raise SpecError.at("give --operation or --request, not both")
        if operation_id:
            return cls(operation_id=operation_id, status=status)
        if request is None:
            return None
        method, _, path = request.strip().partition(" ")
        path = path.strip()
        if method.upper() not in HTTP_METHODS or not path:
            raise SpecError.at(f'--request must be "METHOD PATH" (e.g. "GET /v1/items/1"), not {request!r}')
        return cls(method.upper(), _path_of(path), status=status)

    def recording(self, body: Any, source: str) -> Recording:
        return Recording(self.method, self.path, self.status, body, source, operation_id=self.operation_id)


def load_recordings(paths: Sequence[Path], bare: Bare | None = None) -> list[Recording]:
    """The recordings of every file, in order; a bad file is a SpecError with its file:line:col.

    A file is a HAR archive (`{"log": {"entries": [...]}}`); with `bare`, any other file is one
    response body; else a recording `{"method", "path", "status", "body"}` or a list of them.
    """
    result: list[Recording] = []
    for path in paths:
        result += _file_recordings(_read(path), bare)
    return result


def _read(path: Path) -> Document:
    display = Document(path, None, "").display_path
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SpecError.at("file not found", Location(display)) from None
    except OSError as exc:
        raise SpecError.at(f"cannot read file: {exc.strerror}", Location(display)) from None
    except UnicodeDecodeError as exc:
        raise SpecError.at(f"not UTF-8 text (byte {exc.start})", Location(display)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError.at(f"invalid JSON: {exc.msg}", Location(display, exc.lineno, exc.colno)) from None
    except RecursionError:
        raise SpecError.at("the JSON is nested too deeply to read", Location(display)) from None
    return Document(path, data, text)


def _file_recordings(document: Document, bare: Bare | None) -> list[Recording]:
    data = document.data
    if isinstance(data, dict) and isinstance(data.get("log"), dict) and "entries" in data["log"]:
        return _har(document)
    if bare is not None:
        return [bare.recording(data, document.display_path)]
    if isinstance(data, list):
        return [_recording(document, item, join_pointer("", index), index) for index, item in enumerate(data)]
    return [_recording(document, data, "", None)]


def _recording(document: Document, data: Any, pointer: str, index: int | None) -> Recording:
    source = document.display_path if index is None else f"{document.display_path}[{index}]"
    if not isinstance(data, dict) or not {"method", "path"} <= data.keys():
        raise _bad(
            document,
            pointer,
            'not a recording: expected {"method", "path", "status", "body"} or a HAR file '
            "(for a bare response body, pass --operation or --request)",
        )
    method = _method(document, data["method"], join_pointer(pointer, "method"))
    path = data["path"]
    if not isinstance(path, str) or not path:
        raise _bad(document, join_pointer(pointer, "path"), "`path` must be a path such as /v1/items/1")
    status = _status(document, data.get("status"), join_pointer(pointer, "status"))
    media_type = data.get("media_type", JSON_MEDIA_TYPE)
    if not isinstance(media_type, str):
        raise _bad(document, join_pointer(pointer, "media_type"), "`media_type` must be a string")
    return Recording(
        method,
        _path_of(path),
        status,
        data.get("body"),
        source,
        index or 0,
        has_body="body" in data,
        media_type=media_type,
    )


def _har(document: Document) -> list[Recording]:
    entries = document.data["log"]["entries"]
    if not isinstance(entries, list):
        raise _bad(document, "/log/entries", "HAR `log.entries` must be a list")
    result = []
    for index, entry in enumerate(entries):
        recording = _har_entry(document, entry, index)
        if recording is not None:
            result.append(recording)
    return result


def har_recording(entry: dict[str, Any], index: int = 0) -> Recording | None:
    """The Recording of one HAR entry built in memory (by `sdkgen proxy`), read as from a HAR file."""
    return _har_entry(Document(Path("<proxy>"), {"log": {"entries": [entry]}}, ""), entry, index)


def _har_entry(document: Document, entry: Any, index: int) -> Recording | None:
    pointer = join_pointer("/log/entries", index)
    entry = entry if isinstance(entry, dict) else {}
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        raise _bad(document, pointer, "a HAR entry needs a `request` and a `response` object")
    # Captured traffic may use any method (QUERY, PROPFIND): drift reports it as an unknown operation.
    method = _method(
        document, request.get("method"), join_pointer(pointer, "request", "method"), any_token=True
    )
    url = request.get("url")
    if not isinstance(url, str) or not url:
        raise _bad(document, join_pointer(pointer, "request", "url"), "a HAR request needs a `url`")
    if response.get("status") == 0:
        return None  # HAR's "no response" (blocked or aborted): nothing was received to check
    status = _status(document, response.get("status"), join_pointer(pointer, "response", "status"))
    content = response.get("content")
    content = content if isinstance(content, dict) else {}
    media_type, text = content.get("mimeType"), content.get("text")
    media_type = media_type if isinstance(media_type, str) and media_type else None
    source = f"{document.display_path}[{index}]"
    if not isinstance(text, str) or not text:
        return Recording(method, _path_of(url), status, None, source, index, False, media_type)
    body, error = _body(text, content.get("encoding"), media_type)
    return Recording(method, _path_of(url), status, body, source, index, True, media_type, error)


def _body(text: str, encoding: Any, media_type: str | None) -> tuple[Any, str | None]:
    """The parsed body (None unless its media type is JSON), or why it cannot be read."""
    text, error = _decoded(text, encoding)
    if error is not None or not is_json(media_type or ""):
        return None, error
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    except RecursionError:
        return None, "nested too deeply to read"


def _decoded(text: str, encoding: Any) -> tuple[str, str | None]:
    if encoding != "base64":
        return text, None
    try:
        return base64.b64decode(text, validate=True).decode("utf-8"), None
    except (binascii.Error, UnicodeDecodeError) as exc:
        return "", f"the base64 content cannot be decoded: {exc}"


def _path_of(target: str) -> str:
    """The path of a URL or request-target, percent-encoding kept, query and fragment dropped."""
    path = urlsplit(target).path if "://" in target else target.partition("?")[0].partition("#")[0]
    return path if path.startswith("/") else "/" + path


def _method(document: Document, value: Any, pointer: str, any_token: bool = False) -> str:
    if any_token and isinstance(value, str) and _TOKEN.fullmatch(value):
        return value.upper()
    if not isinstance(value, str) or value.upper() not in HTTP_METHODS:
        raise _bad(document, pointer, f"`method` must be an HTTP method such as GET, not {value!r}")
    return value.upper()


def _status(document: Document, value: Any, pointer: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise _bad(document, pointer, f"`status` must be an HTTP status code (100-599), not {value!r}")
    return value


def _bad(document: Document, pointer: str, message: str) -> SpecError:
    return SpecError.at(message, locate(document, pointer), pointer)
