"""generator.versions reads versions from dist-info folder names: it must agree with importlib.metadata."""

from __future__ import annotations

import importlib.metadata

import pytest

from generator.versions import version


@pytest.mark.parametrize(
    "name", ["black", "ruff", "Jinja2", "jinja2", "PyYAML", "jsonschema-rs", "openapi_spec_validator"]
)
def test_it_agrees_with_importlib_metadata(name: str) -> None:
    assert version(name) == importlib.metadata.version(name)


def test_an_unknown_distribution_is_an_import_error() -> None:
    with pytest.raises(ImportError):
        version("no-such-distribution-sdkgen")
