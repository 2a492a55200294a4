"""Unit tests for generator.render.format: the ruff backend gives exactly black's output."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import load_spec
from generator.render import format as format_module
from generator.render.format import BACKENDS, black_docstrings, format_files, join_top_level, split_top_level
from generator.render.style import load_style, render_style
from tests.support.bench_specs import GITHUB, STRIPE, bench_spec

ROOT = Path(__file__).resolve().parents[3]

TRICKY = '''
class A:
    """Source answers the question, "where did this role come from?\\""""

    from_: Annotated[WebhookBranchProtectionRuleEditedChangesLinearHistoryRequirementEnforcementLevelFrom, Field(alias="from")]
    other: WebhookBranchProtectionRuleEditedChangesLinearHistoryRequirementEnforcementLevelFrom | None = None
    """An attribute docstring whose last line is long enough to pass the line length limit of black, it is."""


def f(
    body: (PostCustomersCustomerSubscriptionsSubscriptionExposedIdRequestWithALongName | None) = None,
) -> None:
    """First line.

    Related guide: [Reversing Transfers](https://stripe.com/docs/connect/charges-transfers#reversing-transfers)."""
'''


def test_black_docstring_rules() -> None:
    text = 'def f():\n    """Multi\n    line "quoted\\""""\n    x = """not a docstring\\""""\n'
    fixed = black_docstrings(text)
    assert '    line "quoted\\" """' in fixed
    assert 'x = """not a docstring\\""""' in fixed, "only docstrings are touched"
    long_last = 'class C:\n    """Title.\n\n    ' + "x" * 90 + '."""\n'
    assert black_docstrings(long_last).endswith("x" * 90 + '.\n    """\n')


def test_ruff_backend_equals_black_on_tricky_code() -> None:
    files = {"m.py": TRICKY}
    assert format_files(files, "ruff", use_cache=False) == format_files(files, "black", use_cache=False)


def test_unknown_formatter_is_a_clear_error() -> None:
    from generator.errors import SpecError

    with pytest.raises(SpecError, match="unknown formatter 'yapf'"):
        format_files({"a.py": "x=1\n"}, "yapf", use_cache=False)


def test_cache_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path))
    first = format_files({"a.py": "x  =  1\n", "b.txt": "keep  me\n"}, "ruff")
    assert first == {"a.py": "x = 1\n", "b.txt": "keep  me\n"}
    entries = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(entries) == 1
    entries[0].write_text("y = 2\n")  # a poisoned entry proves the second run read the cache
    assert format_files({"a.py": "x  =  1\n"}, "ruff")["a.py"] == "y = 2\n"


@pytest.mark.slow
def test_ruff_backend_equals_black_on_stripe() -> None:
    spec = load_spec(bench_spec(STRIPE))
    files = render_style(spec.api, load_style("python-pydantic", []), "stripe", {}, [])
    ruff, black = format_files(files, "ruff", use_cache=False), format_files(files, "black", use_cache=False)
    assert [path for path in files if ruff[path] != black[path]] == []


SPECS = [
    ROOT / "spec" / "openapi.yaml",
    ROOT / "tests" / "specs" / "features.yaml",
    ROOT / "tests" / "specs" / "pagination.yaml",
    ROOT / "tests" / "specs" / "schemas" / "openapi.yaml",
]


def _rendered(spec_path: Path, style: str) -> dict[str, str]:
    spec = load_spec(spec_path, use_cache=False)
    return render_style(spec.api, load_style(style, []), "pkg", {}, [])


def _one_definition_at_a_time(files: dict[str, str]) -> dict[str, str]:
    """Each module formatted as its top-level chunks, each chunk on its own, joined again."""
    chunks = {path: split_top_level(text) for path, text in files.items() if path.endswith(".py")}
    pieces = {f"{i}/{path}": c + "\n" for path, cs in chunks.items() for i, c in enumerate(cs)}
    done = format_files(pieces, "ruff", use_cache=False)
    return {
        path: join_top_level([done[f"{i}/{path}"].rstrip("\n") for i in range(len(cs))])
        for path, cs in chunks.items()
    }


@pytest.mark.parametrize("style", ["python-pydantic", "python-dataclasses"])
@pytest.mark.parametrize(
    "spec_path", SPECS, ids=lambda p: p.name if p.parent.name != "schemas" else "schemas"
)
def test_a_module_formats_the_same_one_top_level_definition_at_a_time(spec_path: Path, style: str) -> None:
    """What lets a one-schema edit format one class: the pieces, formatted apart, make the whole."""
    files = _rendered(spec_path, style)
    whole = format_files(files, "ruff", use_cache=False)
    pieces = _one_definition_at_a_time(files)
    assert max(len(split_top_level(files[p])) for p in pieces) > 10  # the models were cut apart
    assert {p: whole[p] for p in pieces} == pieces


def test_an_edit_formats_only_the_definition_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(format_module, "_CHUNKED_FROM", 1_000)  # Flex's models are a small module
    models = _rendered(SPECS[0], "python-pydantic")["pkg/models.py"]
    format_files({"pkg/models.py": models}, "ruff")  # learns the module's definitions
    edited = models.replace('"""An invoice."""', '"""An invoice, edited."""', 1)
    assert edited != models
    formatted: list[str] = []
    real = BACKENDS["ruff"]
    monkeypatch.setitem(BACKENDS, "ruff", lambda pieces: formatted.extend(pieces) or real(pieces))
    result = format_files({"pkg/models.py": edited}, "ruff")
    changed = next(i for i, chunk in enumerate(split_top_level(edited)) if "edited" in chunk)
    assert formatted == [f"pkg/models.py#{changed}"]  # one class went to ruff, not the module
    assert result == format_files({"pkg/models.py": edited}, "ruff", use_cache=False)


@pytest.mark.slow
@pytest.mark.parametrize("name", [STRIPE, GITHUB])
def test_real_modules_format_the_same_one_top_level_definition_at_a_time(name: str) -> None:
    files = _rendered(bench_spec(name), "python-pydantic")
    whole = format_files(files, "ruff", use_cache=False)
    pieces = _one_definition_at_a_time(files)
    assert [p for p in pieces if pieces[p] != whole[p]] == []
