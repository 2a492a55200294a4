"""Scaffold: `sdkgen init SPEC`, a first commented `sdkgen.yaml` with a target for each built-in style."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Location, SpecError
from generator.model.naming import client_names, snake_case
from generator.render.style import BUILTIN_TEMPLATES, Style, load_style, package_problem
from generator.spec.load import Workspace
from generator.spec.validate import check_version


@dataclass(frozen=True)
class Proposal:
    """One target `init` writes: a style, and the package name it proposes for it."""

    style: Style
    package: str
    output: str


def builtin_styles() -> list[str]:
    return sorted(p.name for p in BUILTIN_TEMPLATES.iterdir() if (p / "style.yaml").is_file())


def title_stem(title: str) -> str:
    """`Flex API` -> `flex`: the words of the title that name the product."""
    words = title.strip().removesuffix(" API").removesuffix(" Api").removesuffix(" api")
    return snake_case(words) or "api"


def propose(style: Style, stem: str, output_dir: str) -> Proposal:
    """The package name the style's `init_package` pattern gives for the title, checked by the
    style's language (and replaced by the language's correction if the pattern gives a bad one)."""
    pattern = str(style.manifest.get("init_package") or "{snake}")
    package = pattern.format(snake=stem, kebab=stem.replace("_", "-"))
    problem = package_problem(style.language, package)
    if problem is not None:  # the message ends with the corrected name, quoted
        package = problem.rsplit(" ", 1)[-1].strip("'\"")
    return Proposal(style, package, f"{output_dir}/{style.name}")


_PLAIN = re.compile(r"[\w./@~+-]+")


def _scalar(value: str) -> str:
    """A YAML scalar for a value: plain when it is a simple word or path, else quoted (a title or a
    version from the spec could otherwise end the comment or the line it is written in)."""
    return value if _PLAIN.fullmatch(value) else json.dumps(value)


def _defaults(title: str, version: str, style: Style) -> dict[str, str]:
    """The values options take when not set, where every style computes them alike."""
    names = client_names(title, {})
    return {
        "client_name": names.client,
        "env_var": names.env_var,
        "base_url_env": names.base_url_env,
        "version": version,
        "formatter": style.formatter or "",
    }


def render_config(spec: str, title: str, version: str, proposals: list[Proposal]) -> str:
    """The text of the config: every setting commented, so a team can read what it may change."""
    lines = [
        "# sdkgen configuration, written by `sdkgen init`. Paths are relative to this file.",
        "#   sdkgen generate           writes every target below",
        "#   sdkgen generate --check   fails when generated code is stale (CI, pre-commit)",
        f"spec: {_scalar(spec)}",
        "# Folders of template overrides, searched before the built-in styles:",
        "# templates: [my-templates]",
        "targets:",
    ]
    for proposal in proposals:
        style = proposal.style
        description = str(style.manifest.get("description") or style.name)
        lines += [f"  # {description}", f"  - style: {_scalar(style.name)}"]
        lines += [f"    output: {_scalar(proposal.output)}", f"    package: {_scalar(proposal.package)}"]
        if style.options:
            lines.append("    # options:  (uncomment to change; a value shown is the default)")
            defaults = _defaults(title, version, style)
            for name, rule in style.options.items():
                setting = f"{name}: {_scalar(defaults.get(name) or '...')}"
                choices = f" ({' or '.join(rule.choices)})" if rule.choices else ""
                lines.append(f"    #   {setting:<32} # {rule.help}{choices}")
    return "\n".join(lines) + "\n"


def init(spec_path: Path, config_path: Path, styles: list[str], output_dir: str, force: bool) -> str:
    """Write a config for the spec; returns its text. Refuses to replace a config unless `force`."""
    if config_path.exists() and not force:
        raise SpecError.at(f"{config_path} exists; pass --force to replace it", Location(str(config_path)))
    workspace = Workspace.open(spec_path)
    check_version(workspace)
    info = workspace.root.data.get("info") if isinstance(workspace.root.data, dict) else None
    title = str(info.get("title") or "") if isinstance(info, dict) else ""
    version = str(info.get("version") or "") if isinstance(info, dict) else ""
    stem = title_stem(title)
    proposals = [propose(load_style(name, []), stem, output_dir) for name in styles or builtin_styles()]
    spec = Path(os.path.relpath(spec_path.resolve(), config_path.resolve().parent)).as_posix()
    text = render_config(spec, title, version, proposals)
    try:
        config_path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise SpecError.at(f"cannot write the config: {error.strerror}", Location(str(config_path))) from None
    return text
