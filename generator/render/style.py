"""Style: a style's manifest, and its Jinja templates laid over the IR into files in memory (a FileMap)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import Location, SpecError
from generator.model.ir import ApiIR
from generator.render.macro_cache import RenderCache, uncached
from generator.spec.load import read_settings

FileMap = dict[str, str]


def _builtin_templates() -> Path:
    """The built-in styles: shipped inside the package by a wheel (`generator/templates/`), or the
    checkout's top-level `templates/`, their single source, when run from the repository."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / "templates"
    return shipped if shipped.is_dir() else package.parent / "templates"


BUILTIN_TEMPLATES = _builtin_templates()

ViewBuilder = Callable[[ApiIR, dict[str, Any], str, dict[str, Any]], Any]

# A style names its language in its manifest; the language's module supplies the view and the
# filters, and is imported only when a style uses it.
LANGUAGES: dict[str, tuple[str, str]] = {
    "python": ("generator.render.languages.python", "python_view"),
    "typescript": ("generator.render.languages.typescript", "typescript_view"),
    "go": ("generator.render.languages.go", "go_view"),
}


def language(name: str) -> tuple[ViewBuilder, dict[str, Callable[..., str]]]:
    module = importlib.import_module(LANGUAGES[name][0])
    view: ViewBuilder = getattr(module, LANGUAGES[name][1])
    filters: dict[str, Callable[..., str]] = module.FILTERS
    return view, filters


def package_problem(language_name: str, package: str) -> str | None:
    """Why `package` cannot name a package in this language, with the name to use instead, or None.
    Each language module says it (`package_name_problem`): Python wants an importable identifier,
    npm a lowercase URL-safe name."""
    check: Callable[[str], str | None] = importlib.import_module(
        LANGUAGES[language_name][0]
    ).package_name_problem
    return check(package)


@dataclass(frozen=True)
class FileRule:
    """One output file (or one per item of a view collection, with `each`)."""

    template: str
    path: str
    each: str | None = None


@dataclass(frozen=True)
class OptionRule:
    """An option a style's targets may set: what it means and, if it is a choice, its values."""

    help: str
    choices: tuple[str, ...] = ()


@dataclass
class Style:
    """A style's manifest: `templates/<name>/style.yaml`."""

    name: str
    language: str
    formatter: str | None
    files: list[FileRule]
    manifest: dict[str, Any] = field(default_factory=dict)
    options: dict[str, OptionRule] = field(default_factory=dict)

    def option_problems(self, options: dict[str, Any]) -> list[str]:
        """What is wrong with a target's options for this style: unknown names, values not among
        the choices. `x-` options are the user's, for their own templates, and pass unchecked."""
        problems = []
        for name, value in options.items():
            rule = self.options.get(name)
            if name.startswith("x-"):
                continue
            if rule is None:
                known = ", ".join(sorted(self.options)) or "none"
                problems.append(f"style {self.name!r} has no option {name!r} (its options: {known})")
            elif rule.choices and value not in rule.choices:
                problems.append(f"option {name!r} must be one of {', '.join(rule.choices)} (got {value!r})")
        return problems


def load_style(name: str, template_dirs: list[Path]) -> Style:
    """Find a style's manifest in the user's template folders, then the built-in ones."""
    for root in [*template_dirs, BUILTIN_TEMPLATES]:
        manifest_path = root / name / "style.yaml"
        if manifest_path.is_file():
            manifest = read_settings(manifest_path.read_text(encoding="utf-8")) or {}
            language = str(manifest.get("language", ""))
            if language not in LANGUAGES:
                raise SpecError.at(
                    f"style {name!r}: unknown language {language!r}", Location(str(manifest_path))
                )
            files = [
                FileRule(str(f["template"]), str(f["path"]), f.get("each")) for f in manifest.get("files", [])
            ]
            options = {str(k): _option_rule(v) for k, v in (manifest.get("options") or {}).items()}
            return Style(name, language, manifest.get("formatter"), files, manifest, options)
    known = sorted(p.name for p in BUILTIN_TEMPLATES.iterdir() if (p / "style.yaml").is_file())
    raise SpecError.at(f"unknown style {name!r}; built-in styles: {', '.join(known)}")


def _option_rule(declared: Any) -> OptionRule:
    if isinstance(declared, dict):
        return OptionRule(str(declared.get("help", "")), tuple(str(c) for c in declared.get("choices") or ()))
    return OptionRule(str(declared))


def environment(
    template_dirs: list[Path],
    filters: dict[str, Callable[..., str]],
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """User folders first, then the built-ins; `builtin/<style>/...` always names the built-in file,
    so a user template can extend the one it replaces and override a single block."""
    builtin = jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))
    loader = jinja2.ChoiceLoader(
        [
            *(jinja2.FileSystemLoader(str(d)) for d in template_dirs),
            builtin,
            jinja2.PrefixLoader({"builtin": builtin}),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache,  # compiled templates, keyed by their source's checksum
    )
    env.filters.update(filters)
    return env


def render_style(
    api: ApiIR,
    style: Style,
    package: str,
    options: dict[str, Any],
    template_dirs: list[Path],
    cache: RenderCache | None = None,
) -> FileMap:
    """Render every file of a style; nothing touches the disk (the render cache is read and written
    by the caller)."""
    build_view, filters = language(style.language)
    view = build_view(api, style.manifest, package, options)
    env = environment(template_dirs, filters, cache.bytecode if cache is not None else None)
    # `{{ cached(macro, args...) }}`: a macro's output, from the cache when the arguments are unchanged.
    env.globals["cached"] = cache.call if cache is not None else uncached
    files: FileMap = {}
    for rule in style.files:
        # Names starting with `_` are shared folders (e.g. `_python/errors.py.jinja`); others are the style's.
        name = rule.template if rule.template.startswith("_") else f"{style.name}/{rule.template}"
        template = env.get_template(name)
        items = getattr(view, rule.each) if rule.each else [None]
        for item in items:
            path = rule.path.format(package=package, item=item)
            files[path] = template.render(pkg=view, item=item, options=options)
    return dict(sorted(files.items()))
