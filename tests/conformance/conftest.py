"""Fixtures the conformance modules share: the feature spec's SDKs, generated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.drivers import TypeScriptDriver, generate_every_style

FEATURES_SPEC = Path(__file__).resolve().parents[1] / "specs" / "features.yaml"


@pytest.fixture(scope="session")
def feature_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/specs/features.yaml generated in every style (the Python packages put on sys.path)."""
    root = tmp_path_factory.mktemp("features")
    generate_every_style(FEATURES_SPEC, root, "features")
    return root


@pytest.fixture(scope="session")
def features_typescript(feature_packages: Path, tmp_path_factory: pytest.TempPathFactory) -> TypeScriptDriver:
    return TypeScriptDriver(
        feature_packages / "typescript-fetch", tmp_path_factory.mktemp("features-ts"), "FeaturesClient"
    )
