"""Diff CLI: the arguments and exit code of `sdkgen diff OLD NEW` (wired into cli.py, or `python -m`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from generator.diff.compare import DiffReport, diff_specs
from generator.diff.output import FORMATS, GROUP_CAUSE, GROUPS, render, render_rules
from generator.diff.rules import BREAKING, RULES, WARNING, severity_rank
from generator.diff.source import open_spec
from generator.errors import SpecError

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `sdkgen diff`."""
    parser.add_argument("old", nargs="?", metavar="OLD", help="the old spec: a file or git:REV:PATH")
    parser.add_argument("new", nargs="?", metavar="NEW", help="the new spec: a file or git:REV:PATH")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--fail-on",
        choices=(BREAKING, WARNING),
        help="exit 1 when a change of this severity (or worse) is found",
    )
    parser.add_argument(
        "--group",
        choices=GROUPS,
        default=GROUP_CAUSE,
        help="cause: one entry per root cause with the operations it affects (default); "
        "none: one entry per change and operation",
    )
    parser.add_argument("--rules", action="store_true", help="list every rule and exit")


def run(args: argparse.Namespace) -> int:
    """Print the diff (or the rules); 1 if --fail-on is met, else 0. Bad input raises SpecError."""
    if args.rules:
        sys.stdout.write(render_rules(RULES, args.format))
        return EXIT_OK
    if not args.old or not args.new:
        raise SpecError.at("diff needs OLD and NEW (a file or git:REV:PATH each), or --rules")
    report = diff_specs(open_spec(args.old), open_spec(args.new))
    sys.stdout.write(render(report, args.format, args.group))
    return EXIT_FAIL if fails(report, args.fail_on) else EXIT_OK


def fails(report: DiffReport, fail_on: str | None) -> bool:
    """Whether a change at or above `fail_on` is in the report (never without --fail-on)."""
    if fail_on is None:
        return False
    threshold = severity_rank(fail_on)
    return any(severity_rank(change.severity) <= threshold for change in report.changes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sdkgen diff", description="Compare two OpenAPI specs.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except SpecError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # a bug in sdkgen, not in the input: say so, briefly
        if os.environ.get("SDKGEN_DEBUG"):
            raise
        print(f"sdkgen: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
