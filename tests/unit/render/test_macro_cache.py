"""The render cache: a macro's output is reused only for the same arguments, templates and generator."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline
from generator.cli import main
from generator.render.macro_cache import RenderCache

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _generate(spec: Path, out: Path, style: str, *extra: str) -> None:
    assert (
        main(["generate", str(spec), "--style", style, "--output", str(out), "--package", "pkg", *extra]) == 0
    )


@pytest.fixture
def caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[RenderCache]:
    """Every render cache the runs open, to count what they reused."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    opened: list[RenderCache] = []
    real = pipeline._render_cache

    def spy(*args: Any) -> RenderCache:
        opened.append(real(*args))
        return opened[-1]

    monkeypatch.setattr(pipeline, "_render_cache", spy)
    return opened


@pytest.mark.parametrize("style", ["python-pydantic", "python-dataclasses", "typescript-fetch"])
def test_an_edit_rerenders_what_it_changed_and_the_output_is_as_without_the_cache(
    style: str, tmp_path: Path, caches: list[RenderCache]
) -> None:
    spec = tmp_path / "openapi.yaml"
    shutil.copy(FLEX, spec)
    out = tmp_path / "out"
    _generate(spec, out, style)
    assert caches[-1].misses > 10 and caches[-1].hits == 0
    document = yaml.safe_load(spec.read_text())
    document["components"]["schemas"]["Customer"]["description"] = "A customer, edited."
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    _generate(spec, out, style)
    # Customer, and the four models whose `customer` field is documented by Customer's description.
    assert 1 <= caches[-1].misses <= 5 and caches[-1].hits > 10
    fresh = tmp_path / "fresh"
    _generate(spec, fresh, style, "--no-cache")
    assert _snapshot(out) == _snapshot(fresh)
    assert b"A customer, edited." in b"".join(_snapshot(out).values())


def test_a_template_override_is_never_answered_from_the_cache(
    tmp_path: Path, caches: list[RenderCache]
) -> None:
    out = tmp_path / "out"
    _generate(FLEX, out, "python-pydantic")
    overrides = tmp_path / "overrides" / "python-pydantic"
    overrides.mkdir(parents=True)
    macros = (ROOT / "templates" / "python-pydantic" / "macros.jinja").read_text()
    (overrides / "macros.jinja").write_text(
        macros.replace("class {{ model.name }}(", "class {{ model.name }}( ")
    )
    assert "class {{ model.name }}( " in (overrides / "macros.jinja").read_text()
    _generate(FLEX, out, "python-pydantic", "--templates", str(tmp_path / "overrides"))
    assert caches[-1].hits == 0  # other templates: another salt, nothing reused


def test_arguments_without_a_faithful_repr_are_rendered_every_time(tmp_path: Path) -> None:
    calls: list[object] = []

    def macro(value: object) -> str:
        calls.append(value)
        return "text"

    cache = RenderCache(tmp_path / "render.bin", "salt")
    thing = object()  # its repr is an address, which another object may have in another run
    assert cache.call(macro, thing) == cache.call(macro, thing) == "text"
    assert cache.call(macro, ["plain", 1]) == cache.call(macro, ["plain", 1]) == "text"
    assert calls == [thing, thing, ["plain", 1]]


def test_a_damaged_cache_file_is_a_cold_cache(tmp_path: Path) -> None:
    path = tmp_path / "render.bin"
    first = RenderCache(path, "salt")
    assert first.call(lambda v: f"<{v}>", 1) == "<1>"
    first.save()
    assert RenderCache(path, "salt").call(lambda v: "other", 1) == "<1>"  # read back
    assert RenderCache(path, "another salt").call(lambda v: "other", 1) == "other"
    path.write_bytes(path.read_bytes()[:40])
    assert RenderCache(path, "salt").call(lambda v: "other", 1) == "other"


def test_a_cache_that_cannot_be_written_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go: nothing can be created under it\n")
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(blocker / "cache"))
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _generate(FLEX, out, "python-pydantic")
    _generate(FLEX, fresh, "python-pydantic", "--no-cache")
    assert _snapshot(out) == _snapshot(fresh)
    assert blocker.is_file()


def test_a_run_keeps_its_case_conversions_and_the_next_run_on_the_spec_takes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.model import naming

    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    _generate(FLEX, out, "python-pydantic")
    kept = pipeline._naming_table(FLEX)
    assert kept.old.get("p:Invoice") == "Invoice"
    # The table with one conversion changed (tables hold each key's one value: written anew).
    assert kept.path is not None
    kept.path.unlink()
    changed = pipeline._naming_table(FLEX)
    for key, value in {**kept.old, "p:Invoice": "KeptInvoice"}.items():
        changed.put(key, value)
    changed.save()
    # A new process starts with empty memos: the kept table is what it converts from.
    for memo in ("_SNAKE", "_PASCAL", "_LEARNED"):
        monkeypatch.setattr(naming, memo, {})
    naming.identifier.cache_clear()
    _generate(FLEX, out, "python-pydantic")
    assert "class KeptInvoice(" in (out / "pkg" / "models.py").read_text()
    for memo in ("_SNAKE", "_PASCAL", "_LEARNED"):  # another new process, without the cache
        monkeypatch.setattr(naming, memo, {})
    naming.identifier.cache_clear()
    _generate(FLEX, tmp_path / "fresh", "python-pydantic", "--no-cache")
    assert "class KeptInvoice(" not in (tmp_path / "fresh" / "pkg" / "models.py").read_text()
    naming.identifier.cache_clear()  # nothing of the changed table outlives the test
