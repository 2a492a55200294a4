"""Drivers: one per generated style, each runs a call the same way and reports a JSON-shaped Outcome.

A case is written once against `Driver.call`; the drivers translate names (snake_case or camelCase),
options (seconds or milliseconds), call the style's client, and normalise the result (parsed models
back to JSON), the errors, the debug log lines and the reports of unknown data.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import logging
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from generator.model.naming import camel_case, snake_case

# The styles every case runs in: the pydantic package's clients both ways, sync and async.
STYLES = ["python-pydantic", "python-pydantic-async", "python-dataclasses", "typescript-fetch", "go-nethttp"]
REPO_ROOT = Path(__file__).resolve().parents[2]
TSC = REPO_ROOT / "node_modules" / ".bin" / "tsc"
NODE_DRIVER = Path(__file__).with_name("driver.mjs")
GO_DRIVER = Path(__file__).with_name("driver.go")


@dataclass
class Outcome:
    """What a call produced: a JSON result, an API error, or a client-side exception (by class name)."""

    result: Any = None
    error: dict[str, Any] | None = None
    exception: str | None = None
    detail: str = ""
    raw: dict[str, Any] | None = None
    items: list[Any] | None = None
    logs: list[str] = field(default_factory=list)
    unknown: list[dict[str, Any]] = field(default_factory=list)
    # With `Call.inspect`: the object at that pointer of the result, as the SDK holds it. `set_aside`
    # is what the SDK kept aside of it ({wire name: value}); `typed` is each such property read
    # through the SDK's typed surface (None: absent). Both None without `inspect`.
    set_aside: dict[str, Any] | None = None
    typed: dict[str, Any] | None = None


@dataclass(frozen=True)
class Call:
    operation: str  # the operationId
    args: tuple[str, ...]
    base_url: str
    api_key: str | None = "sk_test_123"
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)  # query/body parameters by wire name
    client_options: dict[str, Any] = field(default_factory=dict)  # max_retries, retry_backoff (s), ...
    request_options: dict[str, Any] = field(default_factory=dict)  # max_retries, idempotency_key, timeout
    mode: str = "call"  # "call", "raw" (the ..._with_response method) or "iterate" (the ..._iter one)
    log_debug: bool = False
    collect_unknown: bool = False
    inspect: str | None = None  # a JSON pointer of the result: report what was set aside there


class Driver(Protocol):
    name: str
    # The pydantic and dataclasses models turn a number into text where the spec says string.
    coerces_numbers_to_strings: bool

    def call(self, call: Call) -> Outcome: ...


def _api_error(error: Any) -> Outcome:
    return Outcome(
        error={
            "status": error.status_code,
            "code": error.code,
            "message": error.message,
            "body": error.body,
            "headers": dict(error.headers),
            "type": type(error).__name__,
        }
    )


def _json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    return value.to_dict() if hasattr(value, "to_dict") else value


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@dataclass(frozen=True)
class Typed:
    """A parameter given as the SDK's model `model` (its wire-named `fields`), not as a plain dict."""

    model: str
    fields: dict[str, Any]


class PythonDriver:
    """Both Python styles: the same surface, sync (and async for pydantic)."""

    def __init__(
        self, name: str, module: str, client: str, coerces: bool = True, asynchronous: bool = False
    ) -> None:
        self.name = name
        self.sdk = importlib.import_module(module)
        self.module = module
        self.client = client
        self.asynchronous = asynchronous
        self.coerces_numbers_to_strings = coerces

    def call(self, call: Call) -> Outcome:
        capture, logger = _LogCapture(), logging.getLogger(self.module)
        events: list[dict[str, Any]] = []
        remove = self.sdk.on_unknown(
            lambda e: events.append(
                {"kind": e.kind, "name": e.name, "value": e.value, "path": getattr(e, "pointer", "")}
            )
        )
        if call.log_debug:
            logger.addHandler(capture)
            logger.setLevel(logging.DEBUG)
        try:
            outcome = self._call(call)
        finally:
            remove()
            logger.removeHandler(capture)
            logger.setLevel(logging.NOTSET)
        outcome.logs = capture.lines
        outcome.unknown = events if call.collect_unknown else []
        return outcome

    def _call(self, call: Call) -> Outcome:
        try:
            if self.asynchronous:
                return asyncio.run(self._run_async(call))
            options = {"api_key": call.api_key, "base_url": call.base_url, **call.client_options}
            with getattr(self.sdk, self.client)(**options) as client:
                method, kwargs = self._method(client, call)
                value = method(*call.args, **kwargs)
                return self._outcome(call, list(value) if call.mode == "iterate" else value)
        except self.sdk.APIError as error:
            return _api_error(error)
        except Exception as error:  # client-side refusals are part of the contract
            return Outcome(exception=type(error).__name__, detail=str(error))

    async def _run_async(self, call: Call) -> Outcome:
        options = {"api_key": call.api_key, "base_url": call.base_url, **call.client_options}
        async with getattr(self.sdk, "Async" + self.client)(**options) as client:
            method, kwargs = self._method(client, call)
            if call.mode == "iterate":
                return self._outcome(call, [item async for item in method(*call.args, **kwargs)])
            return self._outcome(call, await method(*call.args, **kwargs))

    def _method(self, client: Any, call: Call) -> tuple[Any, dict[str, Any]]:
        suffix = {"call": "", "raw": "_with_response", "iterate": "_iter"}[call.mode]
        method = getattr(client, snake_case(call.operation) + suffix)
        kwargs = {snake_case(k): self._value(v) for k, v in call.params.items()}
        return method, {**kwargs, "extra_headers": call.headers, **call.request_options}

    def _value(self, value: Any) -> Any:
        """A parameter as the SDK takes it: a `Typed` value built as the package's model class."""
        if not isinstance(value, Typed):
            return value
        model = getattr(importlib.import_module(f"{self.module}.models"), value.model)
        build = getattr(model, "model_validate", None) or model.from_dict
        return build(value.fields)

    def _outcome(self, call: Call, value: Any) -> Outcome:
        if call.mode == "iterate":
            return Outcome(items=[_json(item) for item in value])
        if call.mode == "raw":
            raw = {
                "status": value.status_code,
                "headers": value.headers,
                "body": value.text,
                "data": _json(value.parsed),
            }
            return Outcome(raw=raw)
        outcome = Outcome(result=_json(value))
        if call.inspect is not None:
            holder = value
            for key in call.inspect.split("/")[1:]:
                holder = getattr(holder, snake_case(key))
            outcome.set_aside = dict(holder.mismatched_fields)
            outcome.typed = {key: getattr(holder, snake_case(key)) for key in outcome.set_aside}
        return outcome


class TypeScriptDriver:
    """Compiles a generated package with the real tsc once, then runs each call in `node`."""

    # The TypeScript client does no runtime conversion: values arrive as the wire sent them.
    coerces_numbers_to_strings = False

    def __init__(self, package: Path, workdir: Path, client: str, name: str = "typescript-fetch") -> None:
        self.name = name
        self.client = client
        copy = workdir / package.name
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("node_modules", "dist"))
        result = subprocess.run(
            [str(TSC), "-p", str(copy / "tsconfig.json")], capture_output=True, text=True, timeout=180
        )
        if result.returncode != 0:
            raise RuntimeError(f"tsc failed:\n{result.stdout}{result.stderr}")
        self.entry = (copy / "dist" / "index.js").as_uri()

    def call(self, call: Call) -> Outcome:
        request = {
            "client": self.client,
            "operation": camel_case(call.operation),
            "args": list(call.args),
            "baseUrl": call.base_url,
            "apiKey": call.api_key,
            "headers": call.headers,
            "params": {camel_case(k): _ts_value(v) for k, v in call.params.items()},
            "clientOptions": _ts_options(call.client_options),
            "requestOptions": _ts_options(call.request_options),
            "mode": call.mode,
            "logDebug": call.log_debug,
            "collectUnknown": call.collect_unknown,
            "inspect": call.inspect,
        }
        result = subprocess.run(
            ["node", str(NODE_DRIVER), self.entry, json.dumps(request)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(f"node driver failed:\n{result.stderr}")
        data = json.loads(result.stdout)
        exception = data.get("exception")
        # A refused argument is a TypeError/Error in JS; the contract is "refused before sending".
        return Outcome(
            result=data.get("result"),
            error=data.get("error"),
            exception="ValueError" if exception in ("Error", "TypeError") else exception,
            detail=data.get("detail", ""),
            raw=data.get("raw"),
            items=data.get("items"),
            logs=[f"{message} {json.dumps(details)}" for message, details in data.get("logs", [])],
            unknown=data.get("unknown", []),
            set_aside=data.get("setAside"),
            typed=data.get("typed"),
        )


class GoDriver:
    """Builds driver.go against a generated Go module once (with the pinned toolchain, offline),
    then runs each call as one process of the compiled driver."""

    coerces_numbers_to_strings = False

    def __init__(self, package: Path, workdir: Path, name: str = "go-nethttp") -> None:
        from tests.support.go import run_go

        self.name = name
        module = re.search(r"^module (\S+)", (package / "go.mod").read_text(encoding="utf-8"), re.MULTILINE)
        assert module is not None, "go.mod names no module"
        copy = workdir / "sdk"
        shutil.copytree(package, copy)
        main = workdir / "driver"
        main.mkdir()
        (main / "main.go").write_text(
            GO_DRIVER.read_text(encoding="utf-8").replace("SDK_MODULE", module.group(1)), encoding="utf-8"
        )
        (main / "go.mod").write_text(
            f"module sdkgen.test/driver\n\ngo 1.23\n\nrequire {module.group(1)} v0.0.0\n\n"
            f"replace {module.group(1)} => ../sdk\n",
            encoding="utf-8",
        )
        done = run_go(["build", "-o", "driver", "."], main)
        if done.returncode != 0:
            raise RuntimeError(f"go build failed:\n{done.stdout}{done.stderr}")
        self.binary = main / "driver"

    def call(self, call: Call) -> Outcome:
        from generator.render.languages.go import exported

        request = {
            "method": exported(call.operation),
            "args": list(call.args),
            "baseUrl": call.base_url,
            "apiKey": call.api_key,
            "headers": call.headers,
            "params": {k: _ts_value(v) for k, v in call.params.items()},
            "clientOptions": call.client_options,
            "requestOptions": call.request_options,
            "mode": call.mode,
            "logDebug": call.log_debug,
            "collectUnknown": call.collect_unknown,
            "inspect": call.inspect,
        }
        result = subprocess.run(
            [str(self.binary), json.dumps(request)], capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            raise RuntimeError(f"go driver failed:\n{result.stderr}")
        data = json.loads(result.stdout)
        return Outcome(
            result=data.get("result"),
            error=data.get("error"),
            exception=data.get("exception"),
            detail=data.get("detail", ""),
            raw=data.get("raw"),
            items=data.get("items"),
            logs=data.get("logs", []),
            unknown=data.get("unknown") or [],
            set_aside=data.get("setAside"),
            typed=data.get("typed"),
        )


def _ts_value(value: Any) -> Any:
    """JSON has no bytes: the node driver turns {"$bytes": base64} back into a Uint8Array. A typed
    value is its plain object (TypeScript's interfaces are structural)."""
    if isinstance(value, Typed):
        return _ts_value(value.fields)
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _ts_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ts_value(v) for v in value]
    return value


def _ts_options(options: dict[str, Any]) -> dict[str, Any]:
    """Python option names and seconds -> TypeScript option names and milliseconds."""
    names = {
        "max_retries": "maxRetries",
        "idempotency_key": "idempotencyKey",
        "idempotency_keys": "idempotencyKeys",
    }
    result: dict[str, Any] = {}
    for key, value in options.items():
        if key == "timeout":
            result["timeoutMs"] = value * 1000
        elif key == "retry_backoff":
            result["retryBackoffMs"] = value * 1000
        else:
            result[names.get(key, camel_case(key))] = value
    return result


def generate_every_style(spec: Path, root: Path, stem: str) -> None:
    """`spec` generated into `root/<style>` in each style, as the packages `<stem>_pydantic`,
    `<stem>_lite` and `<stem>-client`; the Python ones are put on `sys.path`."""
    from generator.cli import main

    for style, package in (
        ("python-pydantic", f"{stem}_pydantic"),
        ("python-dataclasses", f"{stem}_lite"),
        ("typescript-fetch", f"{stem}-client"),
        ("go-nethttp", stem),
    ):
        args = ["generate", str(spec), "--style", style, "--output", str(root / style), "--package", package]
        assert main(args) == 0
    for style in ("python-pydantic", "python-dataclasses"):
        sys.path.insert(0, str(root / style))


def python_driver(style: str, pydantic_package: str, lite_package: str, client: str) -> PythonDriver:
    """The driver of a Python style of STYLES (`-async`: the pydantic package's async client)."""
    if style == "python-dataclasses":
        return PythonDriver(style, lite_package, client)
    return PythonDriver(style, pydantic_package, client, asynchronous=style.endswith("async"))
