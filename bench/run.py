"""`make bench`: run sdkgen and its peers side by side, measure sdkgen's own paths, write docs/BENCHMARKS.md.

Usage: .venv/bin/python -m bench.run [--runs N] [--timeout S] [--no-peers] [--only SECTION ...]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from bench import matrix, procs, profiling, proxy_latency, report, sdk_speed, sdkgen_extras, tools
from bench.tools import Spec

SECTIONS = ("matrix", "sdkgen", "sdk", "proxy", "profile")
DOC = tools.REPO / "docs" / "BENCHMARKS.md"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each tool on each spec (default 3)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a run counts as timed out")
    parser.add_argument("--no-peers", action="store_true", help="sdkgen only: no .bench-venv, no java")
    keys = [spec.key for spec in tools.SPECS]
    parser.add_argument(
        "--specs", nargs="+", choices=keys, default=keys, help="specs to run on (default all)"
    )
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="sections to run")
    parser.add_argument(
        "--output", type=Path, default=DOC, help="where to write the report ('-' for nowhere)"
    )
    parser.add_argument("--keep-scratch", action="store_true", help="keep the temporary folder of outputs")
    return parser


def _first_line(argv: list[str]) -> str:
    outcome = procs.run(argv, timeout=60) if shutil.which(argv[0]) else procs.Outcome(1, "")
    lines = outcome.output.strip().splitlines()
    return lines[0].strip() if outcome.code == 0 and lines else "not found"


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    names = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("model name")]
    return names[0] if names else "unknown CPU"


def _ram_gib() -> str:
    try:
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration):
        return "unknown"
    return f"{kib / 1024 / 1024:.1f} GiB"


def _peer_versions() -> str:
    pins = [line.strip() for line in tools.PEERS_REQUIREMENTS.read_text().splitlines()]
    peers = ("openapi-python-client", "datamodel-code-generator", "openapi-generator-cli")
    return ", ".join(pin for pin in pins if pin.split("==")[0] in peers)


def machine_facts(java: str | None, with_peers: bool) -> list[str]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    facts = [
        f"Machine: {cores} cores (`nproc`), {_cpu_model()}, {_ram_gib()} RAM, "
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()} (sdkgen's `.venv` and the peers' `.bench-venv`), "
        f"Java: {java or 'not found'}, node {_first_line(['node', '--version'])}",
        f"sdkgen at {sdkgen_extras.sdkgen_version()}",
    ]
    if with_peers:
        jar = tools.openapi_generator_version() or "unknown"
        facts.append(
            f"Peers (pinned in `bench/requirements-peers.txt`): {_peer_versions()} (OpenAPI Generator {jar})"
        )
    return facts


def _unavailable(java: str | None) -> dict[str, str]:
    return {} if java else {tools.PEER_TOOLS[0].name: "no working `java` on PATH"}


def _find(specs: dict[Spec, Path], prefix: str) -> Path | None:
    return next((path for spec, path in specs.items() if spec.name.startswith(prefix)), None)


def _sdkgen_sections(
    results: report.Results, specs: dict[Spec, Path], scratch: Path, args: argparse.Namespace
) -> None:
    flex, stripe = _find(specs, "Flex"), _find(specs, "Stripe")
    if "sdkgen" in args.only:
        print("sdkgen: --check, regeneration, one-schema edit, Flex styles", flush=True)
        for name, spec in (("Flex", flex), ("Stripe", stripe)):
            if spec is not None:
                results.check += sdkgen_extras.check_and_regenerate(
                    name, spec, scratch / f"check-{name}", args.runs, args.timeout
                )
        if stripe is not None:
            results.edit = sdkgen_extras.one_schema_edit(stripe, scratch / "edit", args.runs, args.timeout)
        if flex is not None:
            results.flex = sdkgen_extras.flex_styles(flex, scratch / "flex", args.runs, args.timeout)
    if "sdk" in args.only:
        print("generated SDKs: import time, parse speed", flush=True)
        if stripe is not None:
            results.imports = sdk_speed.import_times(stripe, scratch / "imports", args.runs, args.timeout)
        if flex is not None:
            results.parse = sdk_speed.parse_speeds(flex, scratch / "parse", args.timeout)
            results.example_bytes = sdk_speed.example_bytes()
    if "proxy" in args.only and flex is not None:
        print("sdkgen proxy: added latency per request on the Flex operations", flush=True)
        results.proxy = proxy_latency.measure()
    if "profile" in args.only and stripe is not None:
        print("cProfile of a cold run on Stripe", flush=True)
        results.profile = profiling.profile_cold_run(stripe, scratch / "profile", args.timeout)


def _missing_specs(specs: dict[Spec, Path], keys: list[str]) -> list[str]:
    missing = [spec for spec in tools.SPECS if spec.key in keys and spec not in specs]
    return [f"{spec.name} not measured: `{spec.source}` is missing." for spec in missing]


def bench(args: argparse.Namespace, scratch: Path) -> report.Results:
    start_load = os.getloadavg()[0]
    java = tools.java_version()
    if not args.no_peers and "matrix" in args.only:
        tools.ensure_peers()
    tools.compile_sdkgen()
    specs = tools.copy_specs(scratch / "specs", args.specs)
    results = report.Results(
        command=" ".join([".venv/bin/python -m bench.run", *sys.argv[1:]]),
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine_facts(java, not args.no_peers),
        runs=args.runs,
        timeout=args.timeout,
        rss_method=procs.rss_method(),
        notes=_missing_specs(specs, args.specs),
    )
    if "matrix" in args.only:
        chosen = [*tools.SDKGEN_TOOLS, *([] if args.no_peers else tools.PEER_TOOLS)]
        settings = matrix.Settings(args.runs, args.timeout, scratch / "matrix")
        results.cells = matrix.run_matrix(chosen, specs, settings, _unavailable(java))
    _sdkgen_sections(results, specs, scratch, args)
    results.load = f"1-minute load average {start_load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    return results


def main() -> int:
    args = _parser().parse_args()
    if not (tools.PROJECT_BIN / "sdkgen").exists():
        print("no .venv/bin/sdkgen: run `make bench` (it bootstraps .venv) first", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="sdkgen-bench-"))
    try:
        text = report.render(bench(args, scratch))
    finally:
        if not args.keep_scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    print(text)
    if str(args.output) != "-":
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
