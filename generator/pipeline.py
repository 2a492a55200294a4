"""Pipeline: spec file -> validated workspace -> IR -> rendered, formatted files for a target."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.cache import Table, cache_root
from generator.config import Target
from generator.errors import Diagnostic, SpecError, one_per_place
from generator.model import naming
from generator.model.build import build_ir
from generator.model.ir import ApiIR
from generator.model.pagination import detect_pagination
from generator.progress import Progress
from generator.render.format import format_files
from generator.render.macro_cache import RenderCache
from generator.render.manifest import Inputs, foreign_files, input_hashes, with_manifest
from generator.render.style import FileMap, load_style, package_problem, render_style
from generator.render.write import output_problem
from generator.spec.load import Workspace
from generator.spec.overlay import overlaid
from generator.spec.validate import Verdict, check_version, validate, validate_beside
from generator.versions import version


@dataclass
class LoadedSpec:
    workspace: Workspace
    api: ApiIR
    build_warnings: list[Diagnostic]  # what building the model left out or ignored
    verdict: Verdict = field(default_factory=Verdict)  # confirmed already, unless loaded in the background
    names: Table | None = None  # the case conversions kept for this spec, if the cache is on

    @property
    def warnings(self) -> list[Diagnostic]:
        """Every warning, one per place: the build's (which say what the SDK does about it) first, then
        validation's. In the background, once `verdict.confirm()` has returned."""
        return one_per_place(self.build_warnings + self.verdict.confirm())

    def keep_names(self) -> None:
        """Keep this run's case conversions for the next run on this spec (after rendering: the
        language views convert names too)."""
        if self.names is not None:
            for key, value in naming.conversions().items():
                self.names.put(key, value)
            self.names.save()


def load_spec(
    path: Path,
    use_cache: bool = True,
    progress: Progress | None = None,
    background: bool = False,
    overlays: Sequence[Path] = (),
) -> LoadedSpec:
    """Load, validate and build the IR of a spec; bad input raises SpecError.

    With `background`, the long validation checks may still be running when this returns: the caller
    must `spec.verdict.confirm()` before it writes or reports anything. With `overlays`, the spec is
    the result of applying them (in memory: the file is not changed), validated in this process.
    """
    progress = progress or Progress()
    verdict = validate_beside(path, use_cache) if background and not overlays else Verdict()
    try:
        with progress.phase(f"load {path.name}" + (f" and {len(overlays)} overlay(s)" if overlays else "")):
            workspace = Workspace(overlaid(path, overlays)) if overlays else Workspace.open(path)
        with progress.phase("validate" + (" (long checks alongside)" if verdict.pending else "")):
            check_version(workspace)
            if not verdict.pending:
                verdict = Verdict(warnings=validate(workspace, use_cache=use_cache))
    except BaseException:
        verdict.cancel()  # the child meets the same problem; this process reports it
        raise
    names = _naming_table(path) if use_cache else None
    if names is not None:
        naming.learn(names.old)
    try:
        with progress.phase("build the model"):
            api, warnings = build_ir(workspace)
            detect_pagination(api)
    except BaseException:
        verdict.confirm()  # a spec that is not valid explains the failure
        raise
    return LoadedSpec(workspace, api, warnings, verdict, names)


def _naming_table(path: Path) -> Table:
    """Where the case conversions of runs on this spec are kept, valid for one version of naming.py."""
    code = hashlib.sha256(Path(naming.__file__).read_bytes()).hexdigest()
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    return Table(cache_root() / "names" / f"{name}.bin", f"sdkgen-names-1 {code}\n".encode())


def check_target(target: Target, templates: list[Path], writing: bool = True, force: bool = False) -> None:
    """Refuse a target before any work is done: a package name its language cannot use, an option its
    style does not have, or (when writing) an output folder that cannot take the files or holds files
    sdkgen did not write, which the swap would delete (`force` accepts that)."""
    style = load_style(target.style, templates)
    problems = style.option_problems(target.options)
    if (package := package_problem(style.language, target.package)) is not None:
        problems.append(package)
    if writing and (output := output_problem(target.output)) is not None:
        problems.append(f"--output {target.output}: {output}")
    if writing and not force and target.output.is_dir() and (foreign := foreign_files(target.output)):
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        problems.append(
            f"--output {target.output} holds files sdkgen did not write ({shown}); writing would "
            "replace the folder. Pick an empty or new folder, or pass --force to replace it"
        )
    if problems:
        raise SpecError([Diagnostic(problem, target.source) for problem in problems])


def render_target(
    spec: LoadedSpec,
    target: Target,
    templates: list[Path],
    use_cache: bool = True,
    progress: Progress | None = None,
) -> FileMap:
    """The files of one target, rendered and formatted, in memory, with their manifest."""
    progress = progress or Progress()
    style = load_style(target.style, templates)
    inputs = input_hashes(spec.workspace, style, target, templates)
    cache = _render_cache(inputs, target) if use_cache else None
    with progress.phase(f"render {target.style}"):
        files = render_style(spec.api, style, target.package, target.options, templates, cache)
    formatter = target.options.get("formatter", style.formatter) if style.formatter else None
    with progress.phase(f"format {target.style}" + (f" ({formatter})" if formatter else "")):
        files = format_files(files, formatter, use_cache=use_cache)
    if cache is not None:
        cache.save()
    return with_manifest(files, inputs)


def _render_cache(inputs: Inputs, target: Target) -> RenderCache:
    """The target's render cache: macro outputs are valid for one generator, templates and config."""
    jinja = version("jinja2")
    salt = "\0".join([inputs.generator, inputs.templates, inputs.config, jinja])
    name = hashlib.sha256(f"{salt}\0{target.output.resolve()}".encode()).hexdigest()[:32]
    folder = cache_root() / "render"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache that cannot be written only costs speed
        return RenderCache(None, salt)
    bytecode = jinja2.FileSystemBytecodeCache(str(folder), f"jinja{jinja}-%s.cache")
    return RenderCache(folder / f"{name}.bin", salt, bytecode)
