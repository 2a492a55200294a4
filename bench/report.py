"""The results as Markdown: docs/BENCHMARKS.md, and what `make bench` prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bench.matrix import Cell
from bench.profiling import Profile
from bench.proxy_latency import ProxyLatency
from bench.proxy_latency import section as proxy_section
from bench.sdk_speed import LENIENT_GOAL, ImportTimes, ParseSpeed
from bench.sdkgen_extras import Series
from bench.tools import OURS, SPECS, Spec

DASH = "—"


@dataclass
class Results:
    command: str
    date: str
    machine: list[str]
    runs: int
    timeout: float
    rss_method: str
    load: str = ""  # the load average at the start and the end of the run
    cells: list[Cell] = field(default_factory=list)
    check: list[Series] = field(default_factory=list)
    edit: Series | None = None
    flex: list[Series] = field(default_factory=list)
    imports: ImportTimes | None = None
    parse: list[ParseSpeed] = field(default_factory=list)
    example_bytes: int = 0
    profile: Profile | None = None
    proxy: ProxyLatency | None = None
    notes: list[str] = field(default_factory=list)


def seconds(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def megabytes(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f} MB"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return DASH if ours is None or theirs is None or theirs == 0 else f"{ours / theirs:.2f}x"


def table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]


# --- generators side by side -------------------------------------------------------------------


def _cell_row(cell: Cell, ours: Cell | None) -> list[str]:
    if cell.skipped:
        return [cell.tool.name, f"not run: {cell.skipped}", DASH, DASH, DASH, DASH, DASH]
    wall = seconds(cell.wall) if cell.good else f"**{cell.failure}**"
    if cell.good and cell.failure:
        wall += f" ({cell.failure})"
    compared = ours is not None and not cell.tool.is_sdkgen
    ours_wall = ours.wall if ours is not None else None
    ours_rss = ours.rss_mb if ours is not None else None
    return [
        cell.tool.name,
        wall,
        megabytes(cell.rss_mb),
        f"{cell.lines:,}" if cell.lines is not None else DASH,
        cell.verdict.cell() if cell.verdict else DASH,
        _ratio(ours_wall, cell.wall) if compared else "",
        _ratio(ours_rss, cell.rss_mb) if compared else "",
    ]


def _spec_section(spec: Spec, cells: list[Cell]) -> list[str]:
    ours = next((cell for cell in cells if cell.tool == OURS and cell.good), None)
    header = ["generator", "median wall", "peak RSS", "lines", "imports", "time ours/this", "RSS ours/this"]
    lines = [f"### {spec.name} (`{spec.source.name}`)", ""]
    lines += table(header, (_cell_row(cell, ours) for cell in cells))
    failures = [cell for cell in cells if cell.failure and any(run.tail for run in cell.runs)]
    for cell in failures:
        tail = next(run.tail for run in cell.runs if run.tail)[-300:].replace("`", "'")
        lines.append(f"\n- {cell.tool.name} failed: `{tail}`")
    return [*lines, ""]


def side_by_side(results: Results) -> list[str]:
    lines = ["## Generators side by side", ""]
    for spec in SPECS:
        cells = [cell for cell in results.cells if cell.spec == spec]
        if cells:
            lines += _spec_section(spec, cells)
    return lines


# --- targets -----------------------------------------------------------------------------------


def _cell(results: Results, spec_name: str) -> Cell | None:
    return next((c for c in results.cells if c.tool == OURS and c.spec.name.startswith(spec_name)), None)


def _size_target(results: Results, spec_name: str, wall: float, rss: float) -> list[str] | None:
    cell = _cell(results, spec_name)
    if cell is None:
        return None
    goal = f"{spec_name}, python-pydantic, cold: ≤ {wall:.0f} s, ≤ {rss:.0f} MB, imports"
    if not cell.good:
        return [goal, cell.failure or cell.skipped, "**no**"]
    imports = bool(cell.verdict and cell.verdict.ok)
    met = (cell.wall or 0) <= wall and (cell.rss_mb or 0) <= rss and imports
    measured = (
        f"{seconds(cell.wall)}, {megabytes(cell.rss_mb)}, {'imports' if imports else 'does not import'}"
    )
    return [goal, measured, "yes" if met else "**no**"]


def _limit(goal: str, value: float | None, limit: float) -> list[str] | None:
    if value is None:
        return None
    return [goal, seconds(value), "yes" if value <= limit else "**no**"]


def _series(items: list[Series], text: str) -> Series | None:
    return next((s for s in items if text in s.label), None)


def _check_target(results: Results) -> list[str] | None:
    check = _series(results.check, "Stripe: `generate --check`")
    regen = _series(results.check, "Stripe: regeneration")
    if check is None or regen is None or regen.wall is None:
        return None
    return _limit(
        f"Stripe, `--check` on an unchanged tree ≤ regeneration ({seconds(regen.wall)})",
        check.wall,
        regen.wall,
    )


def targets(results: Results) -> list[str]:
    """The issue's targets that this run measured, met or not."""
    cold = [s.wall for s in results.flex if s.label.endswith("cold") and s.wall is not None]
    edit = results.edit.wall if results.edit else None
    root = results.imports.root_wall if results.imports else None
    rows = [
        _size_target(results, "Stripe", 3, 300),
        _size_target(results, "GitHub", 4, 400),
        _limit("Flex, every style (cold, the slowest): ≤ 1 s", max(cold, default=None), 1.0),
        _limit("Stripe, one-schema edit, regeneration: ≤ 0.5 s", edit, 0.5),
        _check_target(results),
        _limit("Stripe SDK, `import` of the package root: < 0.3 s", root, 0.3),
    ]
    measured = [row for row in rows if row is not None]
    if not measured:
        return []
    return ["## The issue's targets", "", *table(["target", "measured (median)", "met"], measured), ""]


# --- sdkgen alone ------------------------------------------------------------------------------


def _series_time(series: Series) -> str:
    if series.wall is None:
        return f"**{series.failure or series.note or 'not measured'}**"
    return seconds(series.wall) + (f" ({series.failure})" if series.failure else "")


def _series_rows(items: Iterable[Series]) -> list[list[str]]:
    return [[s.label, _series_time(s), megabytes(s.rss_mb), str(len(s.runs))] for s in items]


def sdkgen_alone(results: Results) -> list[str]:
    header = ["what", "median wall", "peak RSS", "runs"]
    lines: list[str] = []
    if results.check or results.edit:
        lines += ["## sdkgen: `--check`, regeneration, a one-schema edit", ""]
        lines += [
            "Warm cache and an existing output folder: the commands a developer runs again and again. "
            "The edit changes one schema's `description` in a copy of the Stripe spec (a different text each "
            "run) and regenerates the python-pydantic SDK into the folder the previous run wrote.",
            "",
        ]
        lines += [
            *table(header, _series_rows([*results.check, *([results.edit] if results.edit else [])])),
            "",
        ]
    if results.flex:
        lines += ["## Flex, every style", ""]
        lines += [
            "Cold: a fresh empty `SDKGEN_CACHE_DIR` each run; warm: the cache of an earlier run kept.",
            "",
        ]
        lines += [*table(header, _series_rows(results.flex)), ""]
    return lines


# --- generated SDKs ----------------------------------------------------------------------------


def import_section(times: ImportTimes) -> list[str]:
    lines = ["### Import time of the generated Stripe SDK (python-pydantic)", ""]
    if times.root_wall is None:
        return [*lines, f"Not measured: {times.failure}", ""]
    rows = [
        [
            "`import bench_sdk` (package root), wall minus `python -c pass`",
            seconds(times.root_wall),
            megabytes(times.root_rss_mb),
        ],
        [
            "... the same, `python -X importtime` cumulative for the root",
            seconds(times.root_importtime),
            DASH,
        ],
        [
            "`import bench_sdk`, then its sync client class (loads the client and the models)",
            seconds(times.client_wall),
            megabytes(times.client_rss_mb),
        ],
        [
            "every module of the package (walked with `pkgutil`), wall minus `python -c pass`",
            seconds(times.every_module_wall),
            megabytes(times.every_module_rss_mb),
        ],
        [
            "every module, the first time after generation (compiles the `.pyc` files), one run",
            seconds(times.first_import_wall),
            DASH,
        ],
    ]
    lines += table(["what (median of ≥ 5 fresh interpreters)", "time", "peak RSS"], rows)
    note = f"`python -c pass` itself takes {seconds(times.baseline_wall)} here."
    return [*lines, "", note + (f" Failure: {times.failure}" if times.failure else ""), ""]


def parse_section(speeds: list[ParseSpeed], size: int) -> list[str]:
    lines = [f"### Parsing the Flex invoice example (`mark_invoice_uncollectible.json`, {size:,} bytes)", ""]
    lines += [
        "Per call: Python, `timeit`'s autorange per path, then the best of 25 rounds that time every path "
        "in turn; node, the best of 5 repeats of the same autorange scheme with `process.hrtime`. "
        "The ratio is to the first row of each style: `json.loads`, or `JSON.parse`, of the same bytes. "
        "The TypeScript client does not convert anything: it checks `JSON.parse`'s result with the "
        "check generated for its model in `src/schema.ts` (`fitsSchema`), and only a body that does not "
        "fit (or any body, with an `onUnknown` hook) is walked, to set aside and report what does not "
        "fit. Its body is the example with the two `billing_details.email` numbers as strings, as the "
        "spec says (the Python models coerce them; TypeScript would set them aside). The Python "
        "clients parse leniently by default: the strict parse first, and only when a value does not "
        "fit a second parse without it (`from_json(..., strict=False)`); `from_json` alone is the strict "
        "parse (the code path of sdkgen before lenient parsing).",
        "",
    ]
    rows: list[list[str]] = []
    for speed in speeds:
        if speed.failure:
            rows.append([speed.style, f"not measured: {speed.failure}", DASH, DASH])
            continue
        base = next(iter(speed.seconds.values()))
        for label, value in speed.seconds.items():
            rows.append([speed.style, f"`{label}`", f"{value * 1e6:.1f} µs", f"{value / base:.1f}x"])
    return [*lines, *table(["style", "path", "per call", "ratio"], rows), "", *_lenient_cost(speeds), ""]


def _lenient_cost(speeds: list[ParseSpeed]) -> list[str]:
    """The lenient parse of the example (which fits) against the strict one, per Python style."""
    lines = []
    for speed in speeds:
        strict = next((v for k, v in speed.seconds.items() if k.endswith("(bytes) (strict)")), None)
        lenient = next((v for k, v in speed.seconds.items() if "(bytes, strict=False)" in k), None)
        if speed.style.startswith("typescript"):
            strict = next((v for k, v in speed.seconds.items() if k.startswith("JSON.parse alone")), None)
            lenient = next((v for k, v in speed.seconds.items() if "+ fitsSchema (lenient" in k), None)
        if strict and lenient:
            ratio = lenient / strict
            verdict = "yes" if ratio <= LENIENT_GOAL else "**no**"
            before = (
                "`JSON.parse` alone (the path before)"
                if speed.style.startswith("typescript")
                else "the strict one"
            )
            lines.append(
                f"- {speed.style}: lenient parse of a body that fits {ratio:.3f}x {before} "
                f"(goal ≤ {LENIENT_GOAL:.2f}x: {verdict})"
            )
    return lines


def generated_sdks(results: Results) -> list[str]:
    lines = ["## The generated SDKs", ""]
    if results.imports is not None:
        lines += import_section(results.imports)
    if results.parse:
        lines += parse_section(results.parse, results.example_bytes)
    return lines if len(lines) > 2 else []


# --- profile -----------------------------------------------------------------------------------


def profile_section(profile: Profile | None) -> list[str]:
    if profile is None:
        return []
    lines = ["## Where the time goes: cProfile of a cold run on Stripe", ""]
    if profile.failure:
        return [*lines, f"Not measured: {profile.failure}", ""]
    lines += [
        "`python -m cProfile sdkgen_main.py generate stripe-2022-03-29.json --style python-pydantic` "
        "(a script that calls `generator.cli.main`) "
        f"with an empty cache: {seconds(profile.wall)} under the profiler, {profile.total:.2f} s of "
        "profiled time (cProfile roughly doubles the run time of pure-Python code; shares matter more "
        "than seconds). Frames by cumulative time, collapsed: interpreter plumbing and the CLI "
        "wrappers left out, a frame that only passes its caller's time through left out, one frame "
        "per third-party package.",
        "",
    ]
    rows = [
        [
            f"`{row.name}`",
            f"{row.cumulative:.2f} s",
            f"{100 * row.cumulative / profile.total:.0f}%",
            f"{row.own:.2f} s",
            f"{row.calls:,}",
            row.note,
        ]
        for row in profile.rows
    ]
    return [
        *lines,
        "Validation runs in this one process here (`SDKGEN_ONE_PROCESS=1`): `generate` runs its long "
        "checks in a forked child beside the build, where cProfile would not see them.",
        "",
        *table(["function", "cumulative", "share", "own", "calls", "what it is"], rows),
        "",
        *DONE_ABOUT_IT,
    ]


# What the earlier profiles showed at the top, and what was done about it (measured with
# `sdkgen generate --timings`, and the phases timed alone; the tables above are this run's).
DONE_ABOUT_IT = [
    "### What the profiles showed, and what was done",
    "",
    "- **Validation was 60% of a cold Stripe run and 11 of GitHub's 14 s.** openapi-spec-validator "
    "checks the document against the OpenAPI schema with jsonschema (3.1 s on GitHub), then walks "
    "schemas, defaults and tags (9.0 s). Its walk remembers the schemas it has seen in lists "
    "(`id in list` per schema: quadratic, 6 of the 9 s), reads every step through jsonschema-path, and "
    "checks each schema against the meta-schema in pure Python. Now: jsonschema-rs (openapi-spec-"
    'validator\'s own optional backend) says "valid" in 0.08 s; a document it rejects is checked again '
    "by jsonschema, whose verdict stands and whose errors are worded. The walk is redone over plain "
    "data (`generator/keyword_checks.py`): sets, `refs.deref`, jsonschema-rs first for meta-schemas "
    "with Python's own format checks, 0.17 s on GitHub. `tests/unit/test_keyword_checks.py` holds it to "
    "openapi-spec-validator's verdicts on the bad corpus, the feature specs and 400 seeded mutations, "
    "with and without jsonschema-rs.",
    "- **What is left of validation runs beside the build.** `generate` forks before it parses the "
    "spec: the child reads it itself, looks the verdict up in the cache (by the content of every file "
    "the spec reaches) and runs the checks if it must, while the parent builds, renders and formats on "
    "the other core; nothing is written or reported before the child's verdict. Forking after the "
    "parse had cost the parent's build about 10 ms on Stripe in copy-on-write faults, and the checks' "
    "own modules (jsonschema-rs, the keyword walk) are now imported in the child only.",
    "- **Naming was 9% (25,679 `identifier` calls).** An ASCII fast path in `to_ascii` (no Unicode "
    "decomposition), the reserved-word set lower-cased once, not per call, and `identifier` memoised.",
    "- **JSON pointers for every value.** The `$ref` check built a pointer string for each of GitHub's "
    "~500,000 values; it now keeps (key, parent) links and spells a pointer out only for the `$ref`s and "
    "`allOf`s it records, and each distinct `$ref` is resolved once per run (0.36 s -> 0.19 s on GitHub).",
    "- **Imports.** `generate` no longer imports the mock server, diff and drift modules, nor jsonschema "
    "and openapi-schema-validator unless a check needs them (0.35 s -> 0.07 s for the CLI's imports).",
    "- **Formatting** (the known trap): ruff in black's style plus black's two docstring rules, byte-"
    "identical to black on every output, 0.12 s on Stripe against 23 s for black; each formatted file "
    "is cached by the hash of its unformatted text.",
    "- **A one-schema edit redid everything after validation.** Now a render cache keeps what each "
    "template macro printed for given arguments (`{{ cached(pm.model_class, model) }}`, keyed by the "
    "arguments' `repr` under a salt of templates, generator code and configuration), Jinja's bytecode "
    "cache keeps compiled templates, and a big module is formatted one top-level definition at a time "
    "against a table of the ones formatted before: an edit of one schema renders and formats the few "
    "classes that print it.",
    "- **Writing the caches back.** The render cache and a big module's table of formatted "
    "definitions were rewritten whole after an edit (megabytes for Stripe). A run now appends what it "
    "added as one checksummed record; a file is rewritten only once a quarter of it is out of use. "
    "A style's manifest is read with libyaml, and an operation's indented text is kept indented in the "
    "render cache.",
    "- **Converting names again.** The build and the view convert some 13,000 names to snake or "
    "Pascal case on Stripe, a tenth of their time; the conversions are pure, so a run keeps them per spec "
    "(for one version of `naming.py`) and the next takes them instead of converting again (about 30 ms "
    "of a one-schema edit).",
    "- **Tried and dropped:** rendering and formatting half the files in a second forked process (the "
    "child paid more in copy-on-write faults, touching the view, than it saved), memoising the type "
    "printers, and spelling JSON pointers lazily in the build (no gain measured in either).",
    "- **The process itself.** A run keeps nearly every object it makes to the end: the garbage "
    "collector's default thresholds rescanned that graph again and again, and tearing it down at exit "
    "took about 0.07 s on Stripe. The `sdkgen` command raises the threshold and leaves with `os._exit` "
    "once its output is flushed.",
    "- **Left as it is:** the IR build and the Python view (about 0.1 s and 0.08 s on Stripe) are redone "
    "on every run: caching them per schema needs the build to know which schemas each model reads, and "
    "class names are made unique across the whole spec, so an edit can rename models it does not touch; "
    "unpickling a kept IR costs about as much as building it.",
    "",
]


# --- the whole document ------------------------------------------------------------------------


def method(results: Results) -> list[str]:
    return [
        "## How it is measured",
        "",
        f"- Every generator runs {results.runs} times on each spec, round-robin (one run of each tool, "
        "then the next round, the order rotated each round), each run into a fresh output folder; "
        f"a run that fails or exceeds {results.timeout:.0f} s is a result, not a harness failure, and a "
        "tool that timed out is not run again on that spec.",
        "- **median wall**: of the successful runs, the whole command from start to exit.",
        f"- **peak RSS**: the highest of the successful runs; {results.rss_method}, so a tool's own "
        "subprocesses (java under `openapi-generator-cli`, ruff under sdkgen and openapi-python-client) "
        "count.",
        "- **lines**: newline count of the `.py`, `.ts` and `.go` files written, leaving out the `test/` "
        "stubs OpenAPI Generator writes (they are not SDK code).",
        "- **imports**: Python output: a fresh interpreter (the peers' venv for peers, `.venv` for sdkgen) "
        "imports the package root and every module under it; TypeScript: `tsc -p tsconfig.json --noEmit`; "
        "Go: `go vet ./...` (a full type check; compiling Stripe's or GitHub's module takes minutes).",
        "- **sdkgen cold** uses a new empty `SDKGEN_CACHE_DIR` for each run, so it runs every validation "
        "check (openapi-spec-validator's, with jsonschema-rs, and its own) and formats every file; "
        "**warm cache** keeps the cache of an untimed first run (validation verdict and formatted files, "
        "keyed by content hash). Only cold runs are compared.",
        "- Python may cache bytecode (`PYTHONDONTWRITEBYTECODE` is unset for every run), and sdkgen's "
        "own modules are compiled first, as pip compiled the peers' on install.",
        "- **ours/this**: sdkgen python-pydantic cold divided by that generator; below 1 means sdkgen is "
        "faster or smaller.",
        "",
    ]


def render(results: Results) -> str:
    header = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`{results.command}`) on {results.date}. Benchmarks are not tests: nothing "
        "in `make test` depends on timing. The harness is `bench/run.py`; see `bench/README.md`.",
        "",
        *[f"- {fact}" for fact in results.machine],
        "",
        f"**Noise.** The machine is small and shared: other engineers' test suites may run at the same "
        f"time ({results.load}). Expect tens of percent between runs: these are medians of a few runs, "
        "not lab numbers; ratios taken in the same rounds are steadier than absolute times.",
        "",
        *[f"**Note.** {note}" for note in results.notes],
        "",
    ]
    body = [
        *targets(results),
        *(side_by_side(results) + method(results) if results.cells else []),
        *sdkgen_alone(results),
        *generated_sdks(results),
        *(["## Live drift", "", *proxy_section(results.proxy)] if results.proxy is not None else []),
        *profile_section(results.profile),
    ]
    return "\n".join([*header, *body]).rstrip() + "\n"
