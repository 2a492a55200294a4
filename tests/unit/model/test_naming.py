"""Unit tests for generator.model.naming."""

from __future__ import annotations

import pytest

from generator.model import naming
from generator.model.naming import camel_case, constant_case, identifier, pascal_case, snake_case, unique


@pytest.mark.parametrize(
    ("wire", "snake", "camel", "pascal"),
    [
        ("invoice_id", "invoice_id", "invoiceId", "InvoiceId"),
        (
            "markInvoiceUncollectible",
            "mark_invoice_uncollectible",
            "markInvoiceUncollectible",
            "MarkInvoiceUncollectible",
        ),
        ("HTTPServer", "http_server", "httpServer", "HttpServer"),
        ("x-rate-limit", "x_rate_limit", "xRateLimit", "XRateLimit"),
        ("line1", "line1", "line1", "Line1"),
        ("Ünïcode name", "unicode_name", "unicodeName", "UnicodeName"),
    ],
)
def test_cases(wire: str, snake: str, camel: str, pascal: str) -> None:
    assert snake_case(wire) == snake
    assert camel_case(wire) == camel
    assert pascal_case(wire) == pascal


def test_keywords_get_a_trailing_underscore() -> None:
    reserved = frozenset({"class", "def", "json"})
    assert identifier("class", "snake", reserved) == "class_"
    assert identifier("json", "snake", reserved) == "json_"
    assert identifier("classy", "snake", reserved) == "classy"


def test_leading_digits_and_empty_names_become_identifiers() -> None:
    assert identifier("2fa", "snake", digit_prefix="field") == "field_2fa"
    assert identifier("3d_secure", "pascal", digit_prefix="model") == "Model3dSecure"
    assert identifier("", "constant") == "VALUE"
    assert identifier("日本", "snake") == "value"
    assert identifier("1", "constant", digit_prefix="value") == "VALUE_1"
    for name in ("2fa", "", "日本", "a b", "class"):
        assert identifier(name, "snake", frozenset({"class"})).isidentifier()


def test_collisions_are_resolved_in_order_and_case_insensitively() -> None:
    assert unique(["a_b", "a_b", "A_B", "a_b_2"]) == ["a_b", "a_b_2", "A_B_3", "a_b_2_2"]
    assert unique(["body", "id"], taken=["body"]) == ["body_2", "id"]
    # GMT0 and gmt0 sanitise to the same constant; the second gets a stable suffix.
    names = [identifier(v, "constant") for v in ("GMT0", "gmt0", "a-b", "a_b")]
    assert unique(names) == ["GMT0", "GMT0_2", "A_B", "A_B_2"]


def test_constant_case() -> None:
    assert constant_case("cbtSleep") == "CBT_SLEEP"
    assert constant_case("not_eligible") == "NOT_ELIGIBLE"


def test_client_names_come_from_the_title_unless_configured() -> None:
    from generator.model.naming import client_names

    flex = client_names("Flex API", {})
    assert (flex.client, flex.env_var, flex.base_url_env) == ("FlexClient", "FLEX_API_KEY", "FLEX_BASE_URL")
    digits = client_names("2FA service", {})
    assert digits.client.isidentifier() and digits.client.endswith("Client")
    custom = client_names("Flex API", {"client_name": "Payments", "env_var": "PAY_KEY"})
    assert (custom.client, custom.env_var, custom.base_url_env) == ("Payments", "PAY_KEY", "FLEX_BASE_URL")


def test_conversions_an_earlier_run_kept_are_taken_instead_of_redone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(naming, "_SNAKE", {})
    monkeypatch.setattr(naming, "_PASCAL", {})
    monkeypatch.setattr(naming, "_LEARNED", {})
    assert naming.pascal_case("invoice item") == "InvoiceItem"
    kept = naming.conversions()
    assert kept == {"p:invoice item": "InvoiceItem"}
    monkeypatch.setattr(naming, "_PASCAL", {})  # a new run
    naming.learn({**kept, "p:line item": "Learned", "s:Line Item": "learned_too"})
    assert naming.pascal_case("line item") == "Learned"  # taken as kept, not converted again
    assert naming.snake_case("Line Item") == "learned_too"
    assert naming.pascal_case("tax rate") == "TaxRate"  # not kept: converted
    assert naming.conversions() == {
        "s:Line Item": "learned_too",
        "p:line item": "Learned",
        "p:tax rate": "TaxRate",
    }
