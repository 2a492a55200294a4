"""Unit tests for generator.format: the ruff backend gives exactly black's output."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.format import black_docstrings, format_files
from generator.pipeline import load_spec
from generator.render import load_style, render_style

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench"

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
@pytest.mark.skipif(not (BENCH / "stripe-2022-03-29.json").is_file(), reason="bench specs not present")
def test_ruff_backend_equals_black_on_stripe() -> None:
    spec = load_spec(BENCH / "stripe-2022-03-29.json")
    files = render_style(spec.api, load_style("python-pydantic", []), "stripe", {}, [])
    ruff, black = format_files(files, "ruff", use_cache=False), format_files(files, "black", use_cache=False)
    assert [path for path in files if ruff[path] != black[path]] == []
