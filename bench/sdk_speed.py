"""The generated SDKs: import time of the Stripe package, and parse speed of the Flex invoice example."""

from __future__ import annotations

import json
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench import procs
from bench.tools import OURS, PROJECT_BIN, PYTHON_PACKAGE, REPO, TSC, python_env, sdkgen_command, tool_env

EXAMPLE = REPO / "spec" / "examples" / "mark_invoice_uncollectible.json"
EXAMPLE_MODEL = "InvoiceResponse"  # the schema of that example: the body of a 200 response
PYTHON = PROJECT_BIN / "python"

_IMPORT_EVERY_MODULE = f"""
import importlib, pkgutil
import {PYTHON_PACKAGE} as root
for info in pkgutil.walk_packages(root.__path__, "{PYTHON_PACKAGE}."):
    importlib.import_module(info.name)
"""

# The first thing a user does after the import: get the client class (loads the client and the models).
_IMPORT_CLIENT = f"""
import {PYTHON_PACKAGE} as root
name = next(n for n in root.__all__ if n.endswith("Client") and not n.startswith("Async"))
getattr(root, name)
"""

# Seconds per call: timeit's autorange per path, then rounds that time every path in turn, the
# best of each (interleaved, so load from other processes falls on every path alike). The drifted
# body is the example in the Flex API's newer shape: three fields of the invoice are id strings
# where the spec documents objects, so a lenient parse sets them aside and parses again.
_PYTHON_PARSE = """
import copy, importlib, json, sys, timeit
root, package, example, model = sys.argv[1:5]
sys.path.insert(0, root)
cls = getattr(importlib.import_module(package), model)
data = open(example, "rb").read()
body = json.loads(data)
for name in ("payment_intent", "customer", "subscription"):
    body["invoice"][name] = body["invoice"][name][name + "_id"]
drifted = json.dumps(body).encode()
cls.from_json(data)  # strict: fails loudly if the example does not parse
paths = {
    "json.loads": lambda: json.loads(data),
    f"{model}.from_json(bytes) (strict)": lambda: cls.from_json(data),
    f"{model}.from_json(bytes, strict=False) (lenient, as the clients parse)": lambda: cls.from_json(
        data, strict=False
    ),
    f"{model}.from_dict(json.loads(bytes))": lambda: cls.from_dict(json.loads(data)),
    f"{model}.from_json(drifted bytes, strict=False) (3 fields set aside)": lambda: cls.from_json(
        drifted, strict=False
    ),
}
timers = {label: timeit.Timer(path) for label, path in paths.items()}
numbers = {label: max(timer.autorange()[0] // 4, 1) for label, timer in timers.items()}
best = {label: float("inf") for label in paths}
for _ in range(25):
    for label, timer in timers.items():
        best[label] = min(best[label], timer.timeit(numbers[label]) / numbers[label])
print(json.dumps(best))
"""
LENIENT_GOAL = 1.10  # the lenient parse of a body that fits, against the strict one


_NODE_PARSE = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [runtimeFile, exampleFile, model] = process.argv.slice(2);
const runtime = await import(pathToFileURL(runtimeFile).href);
// The example's two billing_details.email values are numbers where the spec says string (a page
// artifact, kept in the example): the Python models coerce them, the TypeScript client does not, so
// here they are strings, which makes a body that fits. The drifted one is the Flex API's newer shape.
const example = JSON.parse(readFileSync(exampleFile, "utf8"));
const invoice = example.invoice;
for (const holder of [invoice.payment_intent.payment_method, invoice.subscription.default_payment_method]) {
  holder.billing_details.email = String(holder.billing_details.email);
}
const text = JSON.stringify(example);
for (const name of ["payment_intent", "customer", "subscription"]) {
  invoice[name] = invoice[name][`${name}_id`];
}
const drifted = JSON.stringify(example);
if (!runtime.fitsSchema(JSON.parse(text), { model })) throw new Error("the well-formed body does not fit");
function perCall(fn) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    if (Number(process.hrtime.bigint() - t0) > 2e8) break;
    n *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9 / n);
  }
  return best;
}
const result = {
  "JSON.parse alone (the client's path before lenient parsing)": perCall(() => JSON.parse(text)),
};
result["JSON.parse + fitsSchema (lenient, as the client parses a body that fits)"] = perCall(() =>
  runtime.fitsSchema(JSON.parse(text), { model }),
);
const ignore = () => {};
result["JSON.parse + findUnknown (the walk: with onUnknown, or a body that does not fit)"] = perCall(() =>
  runtime.findUnknown(JSON.parse(text), { model }, "", ignore),
);
result["JSON.parse + fitsSchema + findUnknown of the drifted body (3 fields set aside)"] = perCall(() => {
  const data = JSON.parse(drifted);
  if (!runtime.fitsSchema(data, { model })) runtime.findUnknown(data, { model }, "", ignore);
});
console.log(JSON.stringify(result));
"""


@dataclass(frozen=True)
class ImportTimes:
    """Seconds; None when the measurement could not be made (see `failure`)."""

    root_importtime: float | None = None  # `-X importtime` cumulative for the package root
    root_wall: float | None = None  # `python -c "import pkg"` minus `python -c pass`
    client_wall: float | None = None  # the root, then its client class
    every_module_wall: float | None = None
    first_import_wall: float | None = None  # every module, with no .pyc yet: compiles them all
    root_rss_mb: float | None = None
    client_rss_mb: float | None = None
    every_module_rss_mb: float | None = None
    baseline_wall: float | None = None
    failure: str = ""


@dataclass(frozen=True)
class ParseSpeed:
    style: str
    seconds: dict[str, float]  # label -> seconds per call; the first entry is the baseline
    failure: str = ""


def _generate(spec: Path, out: Path, style: str, timeout: float) -> str:
    shutil.rmtree(out, ignore_errors=True)
    command = sdkgen_command(style)(spec, out)
    run = procs.measure(command, env=tool_env(OURS, out.parent / f"{out.name}-cache"), timeout=timeout)
    return run.failure() or ""


def _walls(code: str, cwd: Path, runs: int, timeout: float) -> list[procs.Run]:
    env = python_env()
    return [procs.measure([str(PYTHON), "-c", code], env=env, cwd=cwd, timeout=timeout) for _ in range(runs)]


def _importtime(cwd: Path, timeout: float) -> float | None:
    """Cumulative import time of the package root, from `python -X importtime`, in seconds."""
    outcome = procs.run(
        [str(PYTHON), "-X", "importtime", "-c", f"import {PYTHON_PACKAGE}"], cwd=cwd, timeout=timeout
    )
    for line in outcome.output.splitlines():
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if len(fields) == 3 and fields[2] == PYTHON_PACKAGE:
            return int(fields[1]) / 1e6
    return None


def _minus(runs: list[procs.Run], baseline: float) -> float | None:
    wall = procs.median_wall(runs)
    return None if wall is None else max(wall - baseline, 0.0)


def import_times(spec: Path, scratch: Path, runs: int, timeout: float) -> ImportTimes:
    scratch.mkdir(parents=True, exist_ok=True)
    out = scratch / "stripe-sdk"
    failed = _generate(spec, out, "python-pydantic", timeout)
    if failed:
        return ImportTimes(failure=f"sdkgen {failed}")
    first = _walls(_IMPORT_EVERY_MODULE, out, 1, timeout)[0]
    if not first.ok:
        return ImportTimes(failure=f"importing the package: {first.failure()}: {first.tail}")
    runs = max(runs, 5)
    baseline = procs.median_wall(_walls("pass", out, runs, timeout)) or 0.0
    root = _walls(f"import {PYTHON_PACKAGE}", out, runs, timeout)
    client = _walls(_IMPORT_CLIENT, out, runs, timeout)
    every = _walls(_IMPORT_EVERY_MODULE, out, runs, timeout)
    cumulative = [t for t in (_importtime(out, timeout) for _ in range(runs)) if t is not None]
    return ImportTimes(
        root_importtime=statistics.median(cumulative) if cumulative else None,
        root_wall=_minus(root, baseline),
        client_wall=_minus(client, baseline),
        every_module_wall=_minus(every, baseline),
        first_import_wall=max(first.wall - baseline, 0.0),
        root_rss_mb=procs.peak_rss(root),
        client_rss_mb=procs.peak_rss(client),
        every_module_rss_mb=procs.peak_rss(every),
        baseline_wall=baseline,
        failure=procs.failure_of([*root, *client, *every]),
    )


def _python_parse(flex: Path, scratch: Path, style: str, timeout: float) -> ParseSpeed:
    out = scratch / f"parse-{style}"
    failed = _generate(flex, out, style, timeout)
    if failed:
        return ParseSpeed(style, {}, f"sdkgen {failed}")
    argv = [str(PYTHON), "-c", _PYTHON_PARSE, str(out), PYTHON_PACKAGE, str(EXAMPLE), EXAMPLE_MODEL]
    return _parsed(style, procs.run(argv, env=python_env(), timeout=timeout))


def _typescript_parse(flex: Path, scratch: Path, timeout: float) -> ParseSpeed:
    style = "typescript-fetch"
    out = scratch / f"parse-{style}"
    failed = _generate(flex, out, style, timeout)
    if failed:
        return ParseSpeed(style, {}, f"sdkgen {failed}")
    built = procs.run([str(TSC), "-p", "tsconfig.json"], cwd=out, timeout=timeout)
    if built.code != 0:
        return ParseSpeed(style, {}, f"tsc failed: {built.output.strip()[-200:]}")
    script = scratch / "parse.mjs"
    script.write_text(_NODE_PARSE, encoding="utf-8")
    argv = ["node", str(script), str(out / "dist" / "runtime.js"), str(EXAMPLE), EXAMPLE_MODEL]
    return _parsed(style, procs.run(argv, timeout=timeout))


def _parsed(style: str, outcome: procs.Outcome) -> ParseSpeed:
    try:
        seconds: dict[str, float] = json.loads(outcome.output.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return ParseSpeed(style, {}, f"the timing script failed: {outcome.output.strip()[-300:]}")
    return ParseSpeed(style, seconds)


def parse_speeds(flex: Path, scratch: Path, timeout: float) -> list[ParseSpeed]:
    scratch.mkdir(parents=True, exist_ok=True)
    speeds = [
        _python_parse(flex, scratch, style, timeout) for style in ("python-pydantic", "python-dataclasses")
    ]
    if shutil.which("node") is None:
        return [*speeds, ParseSpeed("typescript-fetch", {}, "no node on PATH")]
    return [*speeds, _typescript_parse(flex, scratch, timeout)]


def example_bytes() -> int:
    return len(EXAMPLE.read_bytes())
