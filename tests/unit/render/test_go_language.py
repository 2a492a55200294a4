"""The Go language view: names Go accepts, literals nothing escapes, and the types chosen per IR type."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.model.ir import (
    ApiIR,
    ArrayType,
    BodyIR,
    EnumIR,
    ErrorShapeIR,
    FieldIR,
    ModelIR,
    ModelRef,
    Nullable,
    OperationIR,
    ParameterIR,
    PartEncodingIR,
    Primitive,
    SecuritySchemeIR,
    UnionType,
)
from generator.render.languages.go import (
    _body_rules,
    exported,
    go_comment,
    go_string,
    go_view,
    json_tag,
    package_name_problem,
    unexported,
)
from generator.render.style import load_style
from tests.support.go import tool


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("invoice_id", "InvoiceID"),
        ("getInvoice", "GetInvoice"),
        ("api-url", "APIURL"),
        ("2fa", "N2fa"),
        ("", "Value"),
        ("über_name", "UberName"),
    ],
)
def test_exported_names(name: str, expected: str) -> None:
    assert exported(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"), [("type", "type_"), ("string", "string_"), ("ctx", "ctx_"), ("id", "id")]
)
def test_locals_avoid_keywords_predeclared_and_method_locals(name: str, expected: str) -> None:
    assert unexported(name, {"ctx"}) == expected


def _gofmt_accepts(source: str) -> bool:
    done = subprocess.run([tool("gofmt")], input=source, capture_output=True, text=True)
    return done.returncode == 0


@pytest.mark.parametrize("text", ['"; os.Exit(42) //', "a\\b", "\n\r\t\x00", "é\u2028\ud800\U0001f600", "`"])
def test_go_string_is_one_valid_literal(text: str) -> None:
    literal = go_string(text)
    assert literal.isascii()
    assert _gofmt_accepts(f"package p\n\nconst s = {literal}\n")


def test_go_comment_cannot_end_the_comment() -> None:
    text = go_comment("first\nvar PWNED = 1\r\n\ufeff\u202e*/")
    source = f"package p\n\n// {text}\ntype T int\n"
    assert _gofmt_accepts(source)
    assert all(line.startswith("//") for line in source.splitlines()[2:-1])
    assert "\ufeff" not in text and "\u202e" not in text


def test_json_tags_only_for_names_a_tag_can_hold() -> None:
    assert json_tag("invoice_id", True) == '`json:"invoice_id,omitempty"`'
    assert json_tag("a`b", False) == ""
    assert json_tag('a"b', False) == ""
    assert json_tag("a,b", False) == ""


def test_package_names() -> None:
    assert package_name_problem("flex") is None
    assert "use 'flexapi'" in (package_name_problem("flex-api") or "")
    assert package_name_problem("type") is not None


def _api(models: list[ModelIR], enums: list[EnumIR] | None = None) -> ApiIR:
    return ApiIR("Shop API", "1", "", ["https://x"], models, enums or [], [], [], [], ErrorShapeIR())


def test_types_per_ir_type() -> None:
    customer = ModelIR(
        "Customer",
        [
            FieldIR("id", Primitive("string"), True),
            FieldIR("count", Primitive("integer"), True),
            FieldIR("created", Primitive("string", "date-time"), False),
            FieldIR("note", Nullable(Primitive("string")), True),
            FieldIR("source", UnionType((Primitive("string"), ModelRef("Source"))), False),
            FieldIR("parent", ModelRef("Customer"), False),
            FieldIR("tags", ArrayType(Primitive("string")), True),
        ],
    )
    source = ModelIR("Source", [FieldIR("id", Primitive("string"), True)])
    status = EnumIR("Status", ["active", "closed"])
    view = go_view(_api([customer, source], [status]), load_style("go-nethttp", []).manifest, "shop", {})
    fields = {f.name: f.type for f in view.models[0].fields}
    assert fields == {
        "ID": "string",
        "Count": "int64",
        "Created": "Opt[time.Time]",
        "Note": "Opt[string]",
        "Source": "Opt[CustomerSource]",
        "Parent": "Opt[*Customer]",  # a struct cannot hold itself: a pointer
        "Tags": "[]string",
    }
    (union,) = view.unions
    assert [v.accessor for v in union.variants] == ["AsString", "AsSource"]
    assert union.id_cases == [("string", "v"), ("Source", "v.ID")]
    assert [m.name for m in view.enums[0].members] == ["StatusActive", "StatusClosed"]
    assert view.module == "example.com/shop-go"
    assert view.user_agent == "shop-go/1"


def test_a_spec_name_cannot_take_a_runtime_name() -> None:
    models = [ModelIR("Client", []), ModelIR("Opt", []), ModelIR("client", [])]
    view = go_view(_api(models), load_style("go-nethttp", []).manifest, "shop", {})
    assert [m.name for m in view.models] == ["Client2", "Opt2", "Client3"]


def test_generated_flex_module_declares_go_1_23() -> None:
    root = Path(__file__).resolve().parents[3] / "generated" / "go-nethttp"
    assert "\ngo 1.23\n" in (root / "go.mod").read_text(encoding="utf-8")


def test_without_gofmt_the_go_style_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main
    from generator.render import gotool

    monkeypatch.setattr(gotool, "go_tool", lambda name: None)
    spec = Path(__file__).resolve().parents[3] / "spec" / "openapi.yaml"
    out = tmp_path / "out"
    args = [
        "generate",
        str(spec),
        "--style",
        "go-nethttp",
        "--output",
        str(out),
        "--package",
        "flex",
        "--no-cache",
    ]
    assert main(args) == 2
    assert "needs gofmt" in capsys.readouterr().err
    assert not out.exists()


def test_body_rules_are_one_go_literal_per_property() -> None:
    body = BodyIR(
        "multipart/form-data",
        ModelRef("Upload"),
        True,
        kind="multipart",
        encoding=[
            PartEncodingIR("meta", "", True, content_type="application/json"),
            PartEncodingIR('x"}, evil: {', "deepObject", False, headers=(("X-Rate", 'a"b\n'),)),
        ],
    )
    assert _body_rules(body) == (
        'map[string]partRule{"meta": {style: "", explode: true, contentType: "application/json"}, '
        '"x\\"}, evil: {": {style: "deepObject", explode: false, contentType: "", '
        'headers: [][2]string{{"X-Rate", "a\\"b\\n"}}}}'
    )
    assert _body_rules(None) == "nil"
    assert _body_rules(BodyIR("application/json", ModelRef("Upload"), True)) == "nil"


def test_the_readme_says_what_each_scheme_takes() -> None:
    api = _api([])
    api.security_schemes = [SecuritySchemeIR("basicAuth", "basic"), SecuritySchemeIR("bearerAuth", "bearer")]
    view = go_view(api, load_style("go-nethttp", []).manifest, "shop", {})
    assert not view.api_key_is_basic_user
    basic, bearer = view.credential_rows
    assert "`username` and `password`" in basic and "alone" not in basic
    assert "`apiKey`, sent as `Authorization: Bearer <apiKey>`" in bearer

    api.security_schemes = [SecuritySchemeIR("basicAuth", "basic")]
    only_basic = go_view(api, load_style("go-nethttp", []).manifest, "shop", {})
    assert only_basic.api_key_is_basic_user
    assert "`apiKey` alone, sent as the user name" in only_basic.credential_rows[0]


def test_a_name_two_parameters_share_is_one_json_tag() -> None:
    """`go vet` refuses a repeated json tag: a query and a header parameter of one name, or a
    parameter named like the body, keep their fields and the first tag only."""
    api = _api([])
    text = Primitive("string")
    params = [
        ParameterIR("mode", "query", text, False),
        ParameterIR("mode", "header", text, False, style="simple", explode=False),
        ParameterIR("body", "query", text, True),
    ]
    api.operations = [OperationIR("search", "get", "/search", "", parameters=params)]
    (op,) = go_view(api, load_style("go-nethttp", []).manifest, "shop", {}).operations
    assert [(p.name, p.tag) for p in op.params] == [
        ("Mode", '`json:"mode,omitempty"`'),
        ("Mode_2", ""),
        ("Body_2", ""),
    ]
