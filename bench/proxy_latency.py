"""`sdkgen proxy`'s added latency: each Flex operation against `sdkgen mock`, direct and through the proxy.

Both are processes as users run them (`sdkgen mock`, `sdkgen proxy --target` with the SDK round trip
on). Requests go over one keep-alive connection each way, direct and proxied in alternation so both
see the same machine load; the added latency is the median proxied time less the median direct one.
Run alone: `.venv/bin/python -m bench.proxy_latency [--requests N]`.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.tools import PROJECT_BIN, REPO

FLEX = REPO / "spec" / "openapi.yaml"
TARGET_MS = 5.0
OPERATIONS = (
    ("getInvoice", "GET", "/v1/invoices/inv_1"),
    ("markInvoiceUncollectible", "POST", "/v1/invoices/inv_1/mark_uncollectible"),
)
HEADERS = {"Authorization": "Bearer sk_test_bench"}
WARMUP = 30


@dataclass
class Latency:
    operation: str
    direct_ms: float
    proxied_ms: float
    added_p90_ms: float

    @property
    def added_ms(self) -> float:
        return self.proxied_ms - self.direct_ms


@dataclass
class ProxyLatency:
    requests: int
    rows: list[Latency] = field(default_factory=list)
    failure: str = ""


@contextmanager
def _serving(argv: list[str]) -> Iterator[str]:
    """A server process; its URL, from the first line it prints (`... listening on URL`)."""
    process = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on " not in line:
            raise RuntimeError(f"{argv[1]} did not start: {line.strip() or 'no output'}")
        yield line.split("listening on ", 1)[1].split()[0].rstrip(",")
    finally:
        process.terminate()
        try:
            process.communicate(timeout=30)  # the proxy checks what is queued before it stops
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)


def _timed(connection: http.client.HTTPConnection, method: str, path: str) -> float:
    started = time.perf_counter()
    connection.request(method, path, headers=HEADERS)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"{method} {path} answered {response.status}")
    return elapsed * 1000


def _operation(mock: str, proxy: str, name: str, method: str, path: str, requests: int) -> Latency:
    direct, proxied = _connection(mock), _connection(proxy)
    try:
        for _ in range(WARMUP):
            _timed(direct, method, path)
            _timed(proxied, method, path)
        pairs = [(_timed(direct, method, path), _timed(proxied, method, path)) for _ in range(requests)]
    finally:
        direct.close()
        proxied.close()
    added = sorted(p - d for d, p in pairs)
    return Latency(
        name,
        statistics.median(d for d, _ in pairs),
        statistics.median(p for _, p in pairs),
        added[int(len(added) * 0.9)],
    )


def measure(requests: int = 300) -> ProxyLatency:
    result = ProxyLatency(requests)
    sdkgen = str(PROJECT_BIN / "sdkgen")
    try:
        with _serving([sdkgen, "mock", str(FLEX), "--port", "0", "--quiet"]) as mock:
            proxy_argv = [sdkgen, "proxy", str(FLEX), "--target", mock, "--port", "0", "--quiet"]
            with _serving(proxy_argv) as proxy:
                for name, method, path in OPERATIONS:
                    result.rows.append(_operation(mock, proxy, name, method, path, requests))
    except (OSError, RuntimeError, http.client.HTTPException) as error:
        result.failure = f"{type(error).__name__}: {error}"
    return result


def section(result: ProxyLatency) -> list[str]:
    """The Markdown section of the report."""
    lines = [
        "### `sdkgen proxy`: added latency per request",
        "",
        f"Each Flex operation {result.requests} times against `sdkgen mock`, directly and through "
        "`sdkgen proxy` (the SDK round trip on), alternating, on keep-alive connections; medians. "
        f"Target: under {TARGET_MS:g} ms added.",
        "",
    ]
    if result.failure:
        return [*lines, f"Not measured: {result.failure}", ""]
    rows = [
        [
            f"`{row.operation}`",
            f"{row.direct_ms:.2f} ms",
            f"{row.proxied_ms:.2f} ms",
            f"{row.added_ms:.2f} ms",
            f"{row.added_p90_ms:.2f} ms",
            "met" if row.added_ms < TARGET_MS else "**missed**",
        ]
        for row in result.rows
    ]
    header = ["operation", "direct", "through the proxy", "added (median)", "added (p90)", "target"]
    return [*lines, *_table(header, rows), ""]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.proxy_latency", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests per operation and path")
    result = measure(parser.parse_args().requests)
    print("\n".join(section(result)))
    return 1 if result.failure else 0


if __name__ == "__main__":
    sys.exit(main())
