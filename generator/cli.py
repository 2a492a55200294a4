"""CLI: `sdkgen generate|validate|overlay|diff|drift|proxy|mock`; the only place that picks exit codes."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.config import CONFIG_FILE, Config, Target, load_config
from generator.errors import Diagnostic, Location, SpecError, one_per_place
from generator.pipeline import check_target, load_spec, render_target
from generator.progress import Progress
from generator.render.manifest import explain
from generator.render.write import compare, write_atomic
from generator.versions import sdkgen_version

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

# Commands in modules of their own, imported only when run: `generate` need not load the mock server.
LAZY_COMMANDS = {
    "mock": ("generator.mock.server", "serve a mock of the API from the spec (127.0.0.1)"),
    "diff": ("generator.diff.command", "what changed between two spec versions"),
    "drift": ("generator.drift.command", "check recorded responses against the spec and the SDK"),
    "proxy": ("generator.drift.proxy", "forward traffic to an API, checking it against the spec as it flows"),
}


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI's parser; of the lazy commands, only `command`'s arguments are loaded."""
    parser = argparse.ArgumentParser(prog="sdkgen", description="Generate typed SDKs from OpenAPI specs.")
    parser.add_argument("--version", action="version", version=f"sdkgen {sdkgen_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="render SDKs (every target of sdkgen.yaml, or one)")
    generate.add_argument("spec", nargs="?", type=Path, help="spec file (instead of the config's)")
    generate.add_argument("--config", type=Path, default=Path(CONFIG_FILE), help="config file (sdkgen.yaml)")
    generate.add_argument("--style", help="style of a single target, e.g. python-pydantic")
    generate.add_argument("--output", type=Path, help="output folder of a single target")
    generate.add_argument("--package", help="package name of a single target")
    generate.add_argument(
        "--templates",
        type=Path,
        action="append",
        default=[],
        help="a folder of template overrides (may repeat)",
    )
    generate.add_argument(
        "--check",
        action="store_true",
        help="compare with the output folders instead of writing; exit 1 if stale",
    )
    generate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    generate.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder even if it holds files sdkgen did not write",
    )
    generate.add_argument("--no-cache", action="store_true", help="do not use or fill the cache")
    generate.add_argument(
        "--timings",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="say each phase's time on stderr (default: when stderr is a terminal)",
    )

    init = commands.add_parser("init", help="write a first sdkgen.yaml for a spec")
    init.add_argument("spec", type=Path, help="the spec file")
    init.add_argument("--config", type=Path, default=Path(CONFIG_FILE), help="where to write (sdkgen.yaml)")
    init.add_argument(
        "--style", action="append", default=[], help="a style to target (may repeat; default: every built-in)"
    )
    init.add_argument("--output-dir", default="generated", help="folder of the outputs (default: generated)")
    init.add_argument("--force", action="store_true", help="replace an existing config")

    validate = commands.add_parser("validate", help="validate a spec (OpenAPI schema and sdkgen's checks)")
    validate.add_argument("spec", type=Path, nargs="+", help="one or more spec files")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--no-cache", action="store_true", help="do not use or fill the cache")
    overlay = commands.add_parser(
        "overlay", help="apply OpenAPI Overlay documents to a spec, into a new file"
    )
    overlay.add_argument("spec", type=Path, help="the spec file (never changed)")
    overlay.add_argument(
        "overlays", type=Path, nargs="+", metavar="OVERLAY", help="overlay files, applied in order"
    )
    overlay.add_argument(
        "-o", "--output", type=Path, required=True, help="where to write the result (.json: JSON)"
    )
    for name, (module, help_text) in LAZY_COMMANDS.items():
        subparser = commands.add_parser(name, help=help_text)
        if name == command:
            importlib.import_module(module).add_arguments(subparser)
    return parser


def _config_for(args: argparse.Namespace) -> Config:
    single = (args.style, args.output, args.package)
    if args.spec is not None or any(single):
        if not all(single) or args.spec is None:
            raise SpecError.at("a single target needs SPEC, --style, --output and --package")
        return Config(args.spec, [Target(args.style, args.output, args.package)], list(args.templates))
    config = load_config(args.config)
    return Config(config.spec, config.targets, config.templates + list(args.templates), config.overlays)


def _report(warnings: list[Diagnostic], strict: bool) -> None:
    for warning in warnings:
        print(warning, file=sys.stderr)
    if strict and warnings:
        raise SpecError([Diagnostic(f"{len(warnings)} warning(s) with --strict")])


def _generate(args: argparse.Namespace) -> int:
    config = _config_for(args)
    for target in config.targets:
        check_target(target, config.templates, writing=not args.check, force=args.force)
    progress = Progress.auto(args.timings)
    spec = load_spec(config.spec, not args.no_cache, progress, background=True, overlays=config.overlays)
    try:
        rendered = [
            (target, render_target(spec, target, config.templates, not args.no_cache, progress))
            for target in config.targets
        ]
    except BaseException:
        spec.verdict.confirm()  # a spec that is not valid explains the failure
        raise
    spec.keep_names()
    with progress.phase("validate: wait for long checks"):
        spec.verdict.confirm()
    _report(spec.warnings, args.strict)
    if args.check:
        with progress.phase("compare with the output folders"):
            status = _check(rendered)
        progress.done()
        return status
    for target, files in rendered:  # everything rendered before anything is written
        with progress.phase(f"write {target.output}"):
            try:
                write_atomic(target.output, files)
            except OSError as error:  # checked before rendering, but the disk can change meanwhile
                raise SpecError.at(f"cannot write {target.output}: {error.strerror or error}") from None
        print(f"wrote {target.output} ({target.style}, {len(files)} files)")
    progress.done()
    return EXIT_OK


def _check(rendered: list[tuple[Target, dict[str, str]]]) -> int:
    stale = False
    for target, files in rendered:
        differences = compare(target.output, files)
        if not differences:
            print(f"{target.output}: up to date ({target.style}, {len(files)} files)")
            continue
        stale = True
        for difference in differences:
            if difference.diff:
                sys.stdout.write(difference.diff)
        print(f"{target.output}: why it is stale:", file=sys.stderr)
        for reason in explain(target.output, files):
            print(f"  - {reason}", file=sys.stderr)

        counts = {kind: sum(d.kind == kind for d in differences) for kind in ("changed", "missing", "extra")}
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        print(f"{target.output}: STALE ({summary}); run `sdkgen generate` to update", file=sys.stderr)
    return EXIT_STALE if stale else EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from generator.scaffold import init

    text = init(args.spec, args.config, args.style, args.output_dir, args.force)
    targets = text.count("\n  - style: ")
    print(f"wrote {args.config} ({targets} target{'s' * (targets != 1)}); next: `sdkgen generate`")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from generator.spec.examples import check_examples

    failed: list[Diagnostic] = []
    for path in args.spec:
        try:
            spec = load_spec(path, use_cache=not args.no_cache)
            _report(one_per_place(spec.warnings + check_examples(spec.workspace)), args.strict)
            _refuse(path, spec.verdict.confirm())
        except SpecError as error:
            failed += error.diagnostics
            continue
        print(
            f"{path}: valid ({len(spec.api.operations)} operations, "
            f"{len(spec.api.models)} models, {len(spec.api.enums)} enums)"
        )
    if failed:
        raise SpecError(failed)
    return EXIT_OK


def _overlay(args: argparse.Namespace) -> int:
    from generator.spec.overlay import dump_spec, overlaid

    output = args.output.resolve()
    if output in {path.resolve() for path in [args.spec, *args.overlays]}:
        raise SpecError.at(
            f"-o {args.output}: refusing to overwrite an input (the spec is never changed in place)"
        )
    document = overlaid(args.spec, args.overlays)
    try:
        write_file_atomic(args.output, dump_spec(document.data, args.output))
    except OSError as error:
        raise SpecError.at(f"cannot write {args.output}: {error.strerror or error}") from None
    print(f"wrote {args.output} ({args.spec} with {len(args.overlays)} overlay(s))")
    return EXIT_OK


def write_file_atomic(path: Path, text: str) -> None:
    """Write beside the file, then move it into place: a failed run leaves the old file as it was."""
    temporary = path.with_name(f".{path.name}.sdkgen-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _refuse(path: Path, invalid: list[Diagnostic]) -> None:
    """`validate` is the validator: the warnings of validation (what openapi-spec-validator refuses, and
    patterns sdkgen cannot check) fail it, though `generate` makes an SDK despite them."""
    if invalid:
        message = "not valid: see the warnings of validation above (`generate` writes an SDK despite them)"
        raise SpecError([Diagnostic(message, Location(str(path)))])


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in arguments if not a.startswith("-")), None)
    args = _parser(command).parse_args(arguments)
    try:
        return _command(args.command)(args)
    except SpecError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug in sdkgen, not in the input: say so, briefly
        if os.environ.get("SDKGEN_DEBUG"):
            raise
        print(
            f"sdkgen: internal error: {type(error).__name__}: {error} (set SDKGEN_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    if name in LAZY_COMMANDS:
        run: Callable[[argparse.Namespace], int] = importlib.import_module(LAZY_COMMANDS[name][0]).run
        return run
    return {"generate": _generate, "validate": _validate, "init": _init, "overlay": _overlay}[name]


def run() -> None:
    """The `sdkgen` command: `main`, tuned for a process that does one run and ends.

    A run builds a large graph of small objects and keeps nearly all of it to the end: the cyclic
    garbage collector's default thresholds scan that graph again and again (about 15% of a run on a
    big spec), and taking it apart at exit costs another 10%. A high threshold still collects
    cycles; output is flushed, files are closed and the validating child reaped before `_exit`.
    """
    gc.set_threshold(200_000, 50, 100)
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
