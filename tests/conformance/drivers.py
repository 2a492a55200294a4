"""Drivers: one per generated style, each runs a call the same way and reports a JSON-shaped Outcome.

A case is written once against `Driver.call`; the drivers translate names (snake_case or camelCase),
call the style's client, and normalise the result (parsed models back to JSON) and the errors.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from generator.naming import camel_case, snake_case

REPO_ROOT = Path(__file__).resolve().parents[2]
TYPESCRIPT_PACKAGE = REPO_ROOT / "generated" / "typescript-fetch"
TSC = REPO_ROOT / "node_modules" / ".bin" / "tsc"
NODE_DRIVER = Path(__file__).with_name("driver.mjs")


@dataclass
class Outcome:
    """What a call produced: a JSON result, an API error, or a client-side exception (by class name)."""

    result: Any = None
    error: dict[str, Any] | None = None
    exception: str | None = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    operation: str  # the operationId
    args: tuple[str, ...]
    base_url: str
    api_key: str | None = "sk_test_123"
    headers: dict[str, str] = field(default_factory=dict)


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
        }
    )


class PydanticDriver:
    coerces_numbers_to_strings = True

    def __init__(self, asynchronous: bool) -> None:
        self.asynchronous = asynchronous
        self.name = "python-pydantic-async" if asynchronous else "python-pydantic"
        self.sdk = importlib.import_module("flex_client")

    def call(self, call: Call) -> Outcome:
        try:
            if self.asynchronous:
                result = asyncio.run(self._call_async(call))
            else:
                with self.sdk.FlexClient(api_key=call.api_key, base_url=call.base_url) as client:
                    method = getattr(client, snake_case(call.operation))
                    result = method(*call.args, extra_headers=call.headers)
        except self.sdk.APIError as error:
            return _api_error(error)
        except Exception as error:  # client-side refusals are part of the contract
            return Outcome(exception=type(error).__name__, detail=str(error))
        return Outcome(result=result.to_dict())

    async def _call_async(self, call: Call) -> Any:
        async with self.sdk.AsyncFlexClient(api_key=call.api_key, base_url=call.base_url) as client:
            method = getattr(client, snake_case(call.operation))
            return await method(*call.args, extra_headers=call.headers)


class DataclassesDriver:
    name = "python-dataclasses"
    coerces_numbers_to_strings = True

    def __init__(self) -> None:
        self.sdk = importlib.import_module("flex_client_lite")

    def call(self, call: Call) -> Outcome:
        try:
            with self.sdk.FlexClient(api_key=call.api_key, base_url=call.base_url) as client:
                result = getattr(client, snake_case(call.operation))(*call.args, extra_headers=call.headers)
        except self.sdk.APIError as error:
            return _api_error(error)
        except Exception as error:
            return Outcome(exception=type(error).__name__, detail=str(error))
        return Outcome(result=result.to_dict())


class TypeScriptDriver:
    """Compiles the package with the real tsc once, then runs each call in `node`."""

    name = "typescript-fetch"
    # The TypeScript client does no runtime conversion: values arrive as the wire sent them.
    coerces_numbers_to_strings = False

    def __init__(self, workdir: Path) -> None:
        package = workdir / "flex-client"
        shutil.copytree(TYPESCRIPT_PACKAGE, package, ignore=shutil.ignore_patterns("node_modules", "dist"))
        result = subprocess.run(
            [str(TSC), "-p", str(package / "tsconfig.json")], capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0:
            raise RuntimeError(f"tsc failed:\n{result.stdout}{result.stderr}")
        self.entry = (package / "dist" / "index.js").as_uri()

    def call(self, call: Call) -> Outcome:
        request = {
            "client": "FlexClient",
            "operation": camel_case(call.operation),
            "args": list(call.args),
            "baseUrl": call.base_url,
            "apiKey": call.api_key,
            "headers": call.headers,
        }
        result = subprocess.run(
            ["node", str(NODE_DRIVER), self.entry, json.dumps(request)],
            capture_output=True,
            text=True,
            timeout=30,
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
        )
