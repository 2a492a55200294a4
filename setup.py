"""The wheel's package list; everything else about the distribution is in pyproject.toml.

pyproject.toml's `packages.find` cannot name a package whose folder is mapped elsewhere, and the
built-in templates are one: the top-level `templates/`, their single source in the repository,
ships as `generator/templates/` (`package-dir` and `package-data` in pyproject.toml), where
`generator.render.style` looks first. So the list is found here: `generator` with every
subpackage, and the templates.
"""

from setuptools import find_namespace_packages, find_packages, setup


def _template_packages() -> list[str]:
    """`generator.templates`, and its folders that Python could import (`_python`): named, so that
    setuptools ships their files as the templates' data rather than warn that it ignores a package."""
    folders = find_namespace_packages(where="templates")
    importable = [f for f in folders if all(part.isidentifier() for part in f.split("."))]
    return ["generator.templates", *(f"generator.templates.{f}" for f in importable)]


setup(packages=[*find_packages(include=["generator", "generator.*"]), *_template_packages()])
