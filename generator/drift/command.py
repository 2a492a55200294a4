"""Drift: recorded API responses against the spec and the generated SDK (`sdkgen drift SPEC RECORDING...`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from generator.drift.output import FAIL_ON, FORMATS, Report, load_allow, render
from generator.drift.record import Bare, Recording, load_recordings
from generator.drift.rules import BREAKING, Finding, Issue
from generator.drift.schema import BodyChecker
from generator.drift.sdk import SdkModels, round_trip, sdk_models
from generator.errors import SpecError
from generator.model.ir import OperationIR
from generator.pipeline import LoadedSpec, load_spec
from generator.spec.refs import Node
from generator.wire.params import is_json
from generator.wire.routes import Operation, RouteTable, build_routes

__all__ = ["Drift", "Finding", "Recording", "add_arguments", "check_recording", "load_recordings", "run"]

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class Drift:
    """Checks recordings against one spec; routes, flattened schemas and the SDK are built once."""

    def __init__(self, spec: LoadedSpec, sdk: bool = True) -> None:
        self.spec = spec
        self.sdk = sdk
        self._routes: RouteTable = build_routes(spec.workspace, spec.api.servers)
        self._bodies = BodyChecker(spec.workspace)
        self._ir = {(op.method, op.path): op for op in spec.api.operations}
        self._models: SdkModels | None = None  # on first use: hashing a large spec takes a while

    def check(self, recording: Recording) -> list[Finding]:
        """Every finding of one recording, in body order."""
        operation = self._operation(recording)
        if isinstance(operation, Issue):
            return [Finding.of(operation, recording.source, None)]
        name = f"{operation.method} {operation.template}"
        try:
            issues = self._issues(recording, operation, self._ir.get((operation.method, operation.template)))
        except RecursionError:
            raise SpecError.at(f"{recording.source}: the body is nested too deeply to check") from None
        return [Finding.of(issue, recording.source, name) for issue in issues]

    def operation_of(self, recording: Recording) -> Operation | None:
        """The operation a recording answered; None when the spec has none for its method and path."""
        operation = self._operation(recording)
        return None if isinstance(operation, Issue) else operation

    def schema_of(self, recording: Recording) -> Node | None:
        """The schema of the response a recording's body is checked against (None: not checked)."""
        operation = self.operation_of(recording)
        status = documented_status(list(operation.responses), recording.status) if operation else None
        if operation is None or status is None or not recording.json_body:
            return None
        content = operation.responses[status].child("content")
        media = media_type_for(list(content.mapping()), recording.media_type or "")
        if media is None or "schema" not in content.child(media).mapping():
            return None
        return content.child(media, "schema")

    def _operation(self, recording: Recording) -> Operation | Issue:
        if recording.operation_id is not None:
            return self._by_id(recording.operation_id)
        matches = self._routes.find(recording.path)
        for route, _ in matches:
            operation = route.operations.get(recording.method)
            if operation is None and recording.method == "HEAD":
                operation = route.operations.get("GET")
            if operation is not None:
                return operation
        if matches:
            allowed = ", ".join(matches[0][0].allowed)
            message = f"{recording.method} is not an operation of {matches[0][0].template} (it has {allowed})"
        else:
            message = f"no operation of the spec has the path {recording.path} ({recording.method})"
        return Issue("unknown-operation", "", message)

    def _by_id(self, operation_id: str) -> Operation:
        op = next((op for op in self.spec.api.operations if op.operation_id == operation_id), None)
        if op is None:
            known = ", ".join(sorted(o.operation_id for o in self.spec.api.operations)[:20])
            raise SpecError.at(
                f"--operation {operation_id!r}: the spec has no such operationId (it has {known})"
            )
        route = next(r for r in self._routes.routes if r.template == op.path)
        return route.operations[op.method]

    def _issues(self, recording: Recording, operation: Operation, ir: OperationIR | None) -> list[Issue]:
        status = documented_status(list(operation.responses), recording.status)
        issues: list[Issue] = []
        if status is None:
            documented = ", ".join(operation.responses) or "none"
            message = f"status {recording.status} is not documented (documented: {documented})"
            issues.append(Issue("undocumented-status", "", message))
        if recording.body_error is not None:
            return [*issues, Issue("invalid-json-body", "", f"the body is not JSON: {recording.body_error}")]
        if status is not None and recording.has_body:
            issues += self._schema_issues(recording, operation.responses[status], status)
        if self.sdk and recording.json_body and 200 <= recording.status < 300 and ir is not None:
            issues += self._sdk_issues(ir, recording)
        return issues

    def _schema_issues(self, recording: Recording, response: Node, status: str) -> list[Issue]:
        content = response.child("content")
        if not content.mapping():
            return [Issue("undocumented-field", "", f"the spec documents no body for status {status}")]
        if not recording.json_body:
            return []  # only JSON bodies are compared
        media = media_type_for(list(content.mapping()), recording.media_type or "")
        if media is None or "schema" not in content.child(media).mapping():
            return []
        return self._bodies.check(recording.body, content.child(media, "schema"))

    def _sdk_issues(self, ir: OperationIR, recording: Recording) -> list[Issue]:
        self._models = self._models or sdk_models(self.spec)
        adapter = self._models.adapter(ir.operation_id)
        why = self._models.skipped or self._models.failed.get(ir.operation_id)
        if why is not None:
            return [Issue("sdk-check-skipped", "", why)]
        return round_trip(adapter, recording.body) if adapter is not None else []


def check_recording(spec: LoadedSpec, recording: Recording) -> list[Finding]:
    """The findings of one recording (Drift(spec).check, for a single use)."""
    return Drift(spec).check(recording)


def documented_status(documented: list[str], status: int) -> str | None:
    """The response key that covers a status: the code itself, its range (`4XX`), or `default`."""
    for wanted in (str(status), f"{status // 100}XX", "default"):
        for key in documented:
            if key.upper() == wanted.upper():
                return key
    return None


def media_type_for(documented: list[str], received: str) -> str | None:
    """The documented media type of a received one: the same, a wildcard (`application/*`), or a JSON one."""
    base = received.split(";")[0].strip().lower()
    bases = {media.split(";")[0].strip().lower(): media for media in documented}
    for wanted in (base, base.split("/")[0] + "/*", "*/*"):
        if wanted in bases:
            return bases[wanted]
    return next((media for media in documented if is_json(media)), None)


# --- command line --------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `sdkgen drift`."""
    parser.add_argument("spec", type=Path, metavar="SPEC", help="the spec file")
    parser.add_argument(
        "recordings",
        type=Path,
        nargs="+",
        metavar="RECORDING",
        help='a recording {"method", "path", "status", "body"} (or a list of them), a HAR file, '
        "or with --operation/--request a bare response body",
    )
    parser.add_argument(
        "--operation", metavar="ID", help="read non-HAR files as bare bodies of this operationId"
    )
    parser.add_argument(
        "--request", metavar='"METHOD PATH"', help="read non-HAR files as bare bodies of this request"
    )
    parser.add_argument("--status", type=int, help="the status of bare bodies (default 200)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=BREAKING,
        help="exit 1 when a finding of this severity or worse is found (default: breaking)",
    )
    parser.add_argument(
        "--allow", type=Path, metavar="FILE", help="an allow-list of accepted findings (YAML)"
    )
    parser.add_argument("--no-sdk", action="store_true", help="skip the round trip through the generated SDK")
    parser.add_argument(
        "--suggest",
        type=Path,
        metavar="OVERLAY.yaml",
        help="write an OpenAPI Overlay with the smallest spec edits that make the recordings conform",
    )


def run(args: argparse.Namespace) -> int:
    """Print the findings; 1 when one (not allowed) is at --fail-on or worse, else 0. Bad input: SpecError."""
    if args.status is not None and not (args.operation or args.request):
        raise SpecError.at("--status is the status of bare bodies: use it with --operation or --request")
    bare = Bare.parse(args.operation, args.request, args.status or 200)
    allowances = load_allow(args.allow) if args.allow else []
    recordings = load_recordings(args.recordings, bare)
    spec = load_spec(args.spec)
    for warning in spec.warnings:
        print(warning, file=sys.stderr)
    if args.suggest is not None and args.suggest.resolve() in {
        args.spec.resolve(),
        *(p.resolve() for p in args.recordings),
    }:
        raise SpecError.at(f"--suggest {args.suggest}: refusing to overwrite an input")
    drift = Drift(spec, sdk=not args.no_sdk)
    checked = [(recording, drift.check(recording)) for recording in recordings]
    findings = [finding for _, found in checked for finding in found]
    report = Report.build(findings, [r.source for r in recordings], allowances)
    sys.stdout.write(render(report, args.format, args.fail_on))
    if args.suggest is not None:  # what the allow-list accepts needs no fix
        counted = set(report.findings)
        _write_suggestions(
            drift, [(r, [f for f in found if f in counted]) for r, found in checked], args.suggest
        )
    return EXIT_FAIL if report.fails(args.fail_on) else EXIT_OK


def _write_suggestions(drift: Drift, checked: list[tuple[Recording, list[Finding]]], path: Path) -> None:
    from generator.drift.suggest import Suggester

    suggester = Suggester(drift)
    for recording, findings in checked:
        suggester.add(recording, findings)
    overlay = suggester.overlay()
    left = overlay.get("x-sdkgen-left-to-a-person")
    if not overlay["actions"]:  # an overlay without actions is not one: write nothing
        why = f" ({left})" if left else ""
        print(f"no spec edits to suggest; {path} not written{why}", file=sys.stderr)
        return
    text = yaml.safe_dump(overlay, sort_keys=False, allow_unicode=True, width=100)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise SpecError.at(f"cannot write {path}: {error.strerror or error}") from None
    print(
        f"wrote {path} ({len(overlay['actions'])} actions)" + (f"; {left}" if left else ""), file=sys.stderr
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sdkgen drift", description="Compare recorded API responses with the spec and the generated SDK."
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except SpecError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug in sdkgen, not in the input: say so, briefly
        if os.environ.get("SDKGEN_DEBUG"):
            raise
        print(f"sdkgen: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
