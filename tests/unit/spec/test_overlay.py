"""Unit tests for generator.spec.overlay and `sdkgen overlay`: the JSONPath subset, actions, errors at file:line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.errors import SpecError
from generator.spec.overlay import PathError, apply_overlays, load_overlay, parse_path, path_of

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"
HEAD = "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\n"


def write(tmp_path: Path, actions: str, name: str = "o.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "actions:\n" + actions)
    return path


def test_paths_of_the_subset_round_trip() -> None:
    assert parse_path("$.paths['/v1/x/{id}'].get.responses[0]") == (
        "paths",
        "/v1/x/{id}",
        "get",
        "responses",
        0,
    )
    assert parse_path('$["a\\"b"]') == ('a"b',)
    for tokens in (["components", "schemas", "A-B", "x"], ["paths", "/a", "get"], ["l", 3, "it's"]):
        assert parse_path(path_of(tokens)) == tuple(tokens)


@pytest.mark.parametrize("text", ["paths", "$..x", "$[?@.a]", "$.a[1:2]", "$['open", "$.1a"])
def test_outside_the_subset_is_refused(text: str) -> None:
    with pytest.raises(PathError):
        parse_path(text)


def test_update_merges_appends_and_remove_deletes(tmp_path: Path) -> None:
    actions = (
        "  - target: $.a\n    update: {b: {c: 2}, d: [9]}\n"
        "  - target: $.list\n    update: z\n"
        "  - target: $.items[*].gone\n    remove: true\n"
        "  - target: $.list[0]\n    remove: true\n"
    )
    data = {
        "a": {"b": {"c": 1, "keep": True}, "d": [1]},
        "list": ["x", "y"],
        "items": [{"gone": 1, "k": 2}, {"gone": 3}],
    }
    result = apply_overlays(data, [load_overlay(write(tmp_path, actions))])
    assert result == {
        "a": {"b": {"c": 2, "keep": True}, "d": [9]},
        "list": ["y", "z"],
        "items": [{"k": 2}, {}],
    }
    assert data["list"] == ["x", "y"]  # the input is not changed


@pytest.mark.parametrize(
    ("actions", "message", "line"),
    [
        ("  - target: $.nope\n    update: {}\n", "matches nothing", 6),
        ("  - target: $..x\n    update: {}\n", "descendants", 6),
        ("  - target: $.a\n", "needs an `update`", 6),
        ("  - target: $.a.b\n    update: {x: 1}\n", "selects a int value", 6),
        ("  - target: $.a\n    update: {}\n    remov: true\n", "unknown key 'remov'", 8),
    ],
)
def test_bad_actions_are_errors_at_the_action(tmp_path: Path, actions: str, message: str, line: int) -> None:
    path = write(tmp_path, actions)
    with pytest.raises(SpecError, match=message) as raised:
        apply_overlays({"a": {"b": 1}}, [load_overlay(path)])
    location = raised.value.diagnostics[0].location
    assert location is not None and location.line == line and location.file.endswith("o.yaml")


def test_malformed_overlay_document(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("overlay: 2\ninfo: {}\nactions: []\n")
    with pytest.raises(SpecError, match="`overlay` must be"):
        load_overlay(path)


def test_cli_writes_the_result_and_never_the_spec(tmp_path: Path) -> None:
    before = FLEX.read_bytes()
    overlay = write(tmp_path, "  - target: $.info\n    update: {title: Patched}\n")
    out = tmp_path / "new.json"
    run = [sys.executable, "-m", "generator", "overlay", str(FLEX), str(overlay)]
    done = subprocess.run([*run, "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load(out.read_text())["info"]["title"] == "Patched"
    refused = subprocess.run([*run, "-o", str(FLEX)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "refusing to overwrite" in refused.stderr
    bad = write(tmp_path, "  - target: $.paths['/nope']\n    remove: true\n", "bad.yaml")
    failed = subprocess.run(
        [sys.executable, "-m", "generator", "overlay", str(FLEX), str(bad), "-o", str(tmp_path / "x.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failed.returncode == 2 and "bad.yaml:6:" in failed.stderr and "matches nothing" in failed.stderr
    assert "Traceback" not in failed.stderr and not (tmp_path / "x.yaml").exists()
    assert FLEX.read_bytes() == before


def test_config_overlays_apply_before_generation(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        "  - target: $.components.schemas.Invoice.properties\n    update: {created_at: {type: integer}}\n",
    )
    config = tmp_path / "sdkgen.yaml"
    config.write_text(
        f"spec: {FLEX}\noverlays: [{overlay.name}]\ntargets:\n"
        "  - style: python-dataclasses\n    output: out\n    package: flex_lite\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "created_at" in (tmp_path / "out" / "flex_lite" / "models.py").read_text()
    listed = config.read_text()
    unlisted = listed.replace(f"overlays: [{overlay.name}]", f"overlays: {overlay.name}")
    assert unlisted != listed
    config.write_text(unlisted)
    bad = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "sdkgen.yaml:2:" in bad.stderr and "`overlays` must be" in bad.stderr
