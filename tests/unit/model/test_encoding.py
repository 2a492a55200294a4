"""Encoding rules resolved in the IR: parameter styles with OpenAPI's defaults, body kinds, each
form/multipart property's encoding, and when an API key may stand for basic auth's user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.model.build import build_ir
from generator.model.encoding import body_kind, parameter_style
from generator.model.ir import ApiIR, PartEncodingIR
from generator.render.languages.python import PY_CREDENTIALS, credential_text
from generator.spec.load import Workspace
from tests.unit.helpers import spec, write_spec

FEATURES = Path(__file__).resolve().parents[2] / "specs" / "features.yaml"


def _features() -> ApiIR:
    api, _ = build_ir(Workspace.open(FEATURES))
    return api


@pytest.mark.parametrize(
    ("location", "style", "explode", "expected"),
    [
        ("query", None, None, ("form", True)),
        ("query", "deepObject", None, ("deepObject", False)),  # explode defaults true only for form
        ("query", "pipeDelimited", False, ("pipeDelimited", False)),
        ("cookie", None, None, ("form", True)),
        ("path", None, None, ("simple", False)),
        ("path", "matrix", True, ("matrix", True)),
        ("header", None, True, ("simple", True)),
        ("path", "deepObject", None, ("simple", False)),  # a style the location has not: its default
        ("query", "label", None, ("form", True)),
    ],
)
def test_parameter_style_defaults(
    location: str, style: Any, explode: Any, expected: tuple[str, bool]
) -> None:
    assert parameter_style(location, style, explode) == expected


@pytest.mark.parametrize(
    ("media", "kind"),
    [
        ("application/json", "json"),
        ("application/merge-patch+json", "json"),
        ("application/x-www-form-urlencoded", "form"),
        ("multipart/form-data", "multipart"),
        ("text/plain; charset=utf-8", "text"),
        ("image/png", "binary"),
    ],
)
def test_body_kind(media: str, kind: str) -> None:
    assert body_kind(media) == kind


def test_parameters_carry_resolved_styles() -> None:
    search = next(op for op in _features().operations if op.operation_id == "search")
    styles = {p.wire_name: (p.style, p.explode) for p in search.parameters}
    assert styles["tags"] == ("form", True)
    assert styles["ids"] == ("spaceDelimited", False)
    assert styles["filter"] == ("deepObject", True)
    assert styles["X-Trace-Ids"] == ("simple", False)
    assert styles["session"] == ("form", True)


def test_form_body_encoding_declared_and_defaulted() -> None:
    checkout = next(op for op in _features().operations if op.operation_id == "createCheckout")
    assert checkout.body is not None and checkout.body.kind == "form"
    rules = {part.name: part for part in checkout.body.encoding}
    assert rules["line_items"] == PartEncodingIR("line_items", "deepObject", True)
    assert rules["mode"] == PartEncodingIR("mode", "form", True)  # a scalar: OpenAPI's default
    assert rules["payment_method_types"] == PartEncodingIR("payment_method_types", "form", True)
    # An object without an entry keeps its name, in brackets, rather than form's `city=...`.
    assert rules["features"] == PartEncodingIR("features", "deepObject", True)


def test_multipart_encoding_content_types_and_headers() -> None:
    upload = next(op for op in _features().operations if op.operation_id == "uploadDocument")
    assert upload.body is not None and upload.body.kind == "multipart"
    rules = {part.name: part for part in upload.body.encoding}
    assert rules["file"].content_type == "image/png"
    assert rules["file"].headers == (("X-Scan", "none"),)
    assert rules["meta"] == PartEncodingIR("meta", "", True, content_type="application/json")
    assert rules["purpose"].content_type == "text/plain"
    assert rules["labels"].content_type == "text/plain"
    assert (rules["link_data"].style, rules["link_data"].explode) == ("deepObject", True)


def test_json_bodies_have_no_part_encodings() -> None:
    for op in _features().operations:
        if op.body is not None and op.body.kind not in ("form", "multipart"):
            assert op.body.encoding == []


def _with_schemes(tmp_path: Path, schemes: dict[str, Any]) -> ApiIR:
    document = spec(paths={})
    document["components"]["securitySchemes"] = schemes
    api, _ = build_ir(Workspace.open(write_spec(tmp_path / "spec.yaml", document)))
    return api


def test_an_api_key_is_the_basic_user_only_where_basic_is_the_only_scheme(tmp_path: Path) -> None:
    only_basic = _with_schemes(tmp_path / "a", {"basic": {"type": "http", "scheme": "basic"}})
    assert only_basic.api_key_is_basic_user
    row = credential_text(only_basic.security_schemes[0], PY_CREDENTIALS, True)
    assert "`username` and `password`" in row and "or `api_key` alone" in row
    both = _with_schemes(
        tmp_path / "b",
        {"basic": {"type": "http", "scheme": "basic"}, "bearer": {"type": "http", "scheme": "bearer"}},
    )
    assert not both.api_key_is_basic_user
    assert "api_key" not in credential_text(both.security_schemes[0], PY_CREDENTIALS, False)


def test_readme_rows_cannot_be_broken_by_spec_text(tmp_path: Path) -> None:
    api = _with_schemes(tmp_path, {"k|`x\n": {"type": "apiKey", "in": "header", "name": "X-`Key|\n"}})
    row = credential_text(api.security_schemes[0], PY_CREDENTIALS, False)
    assert row.count("|") == 3 and "\n" not in row
    assert row.count("`") % 2 == 0
