"""Unit tests for rendering: escaping of spec text, template overrides, black-stable output."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.render.languages.python import py_comment, py_docstring, py_string
from tests.unit.helpers import spec, write_spec

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"

# Each payload would run `sys.modules["pwned"] = ...` if it escaped its string or comment.
PAYLOADS = [
    'x"""\nimport sys; sys.modules["pwned"] = 1\n"""',
    "x'''\nimport sys; sys.modules['pwned'] = 2\n'''",
    '\\"\nimport sys; sys.modules["pwned"] = 3 #',
    'end"',
    "tab\there\u202eRTL\u0000NUL\r\ncrlf",
    "\\",
]


def test_escaping_functions_keep_the_value() -> None:
    for payload in PAYLOADS:
        assert eval(py_string(payload)) == payload
        docstring = eval('"""' + py_docstring(payload) + '"""')
        normalised = "\n".join(line.rstrip() for line in payload.replace("\r\n", "\n").strip().split("\n"))
        assert docstring == normalised
        comment = py_comment(payload)
        assert "\n" not in comment and "\r" not in comment and "\u202e" not in comment


def _hostile_spec() -> dict[str, Any]:
    evil = PAYLOADS[0]
    schemas = {
        "Evil": {
            "type": "object",
            "description": evil,
            "properties": {
                "class": {"type": "string", "description": PAYLOADS[1]},
                'we"ird': {"type": "string", "default": PAYLOADS[2]},
                "json": {"type": "integer"},
                "model_config": {"type": "string"},
                "2fa": {"type": "boolean"},
                "str": {"type": "string"},
                "kind": {"type": "string", "enum": [*PAYLOADS, "GMT0", "gmt0", ""]},
            },
        },
    }
    paths = {
        '/things/{thing"id}': {
            "get": {
                "operationId": 'get"Thing',
                "summary": PAYLOADS[3],
                "description": PAYLOADS[4],
                "parameters": [
                    {"name": 'thing"id', "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "self", "in": "query", "schema": {"type": "string"}, "description": PAYLOADS[5]},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Evil"}}},
                    }
                },
            }
        }
    }
    document = spec(schemas, paths)
    document["info"]["title"] = PAYLOADS[1]
    document["info"]["description"] = evil
    document["servers"] = [{"url": 'https://example.com/"; import os'}]
    return document


def test_hostile_spec_text_never_escapes(tmp_path: Path) -> None:
    spec_path = write_spec(tmp_path / "evil.yaml", _hostile_spec())
    out = tmp_path / "out"
    assert (
        main(
            [
                "generate",
                str(spec_path),
                "--style",
                "python-pydantic",
                "--output",
                str(out),
                "--package",
                "evil_pkg",
            ]
        )
        == 0
    )
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module("evil_pkg")
        assert "pwned" not in sys.modules
        model = package.Evil.model_validate(
            {"class": "c", 'we"ird': "w", "json": 1, "2fa": True, "kind": "GMT0"}
        )
        assert model.class_ == "c" and model.json_ == 1 and model.field_2fa is True
        assert model.to_dict()['we"ird'] == "w"
        assert package.Evil.__doc__.strip().startswith('x"""')
        assert {m.value for m in package.models.EvilKind} >= {"GMT0", "gmt0", ""}
        clients = [n for n in package.__all__ if n.endswith("Client") and not n.startswith("Async")]
        assert clients == ["XImportSysSysModulesPwned2Client"]
        client = getattr(package, clients[0])(api_key="k")
        assert callable(client.get_thing)
        client.close()
        assert package.models.Evil.model_fields["we_ird"].alias == 'we"ird'
        assert "pwned" not in sys.modules
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("evil_pkg")]:
            del sys.modules[name]


def test_user_template_overrides_one_block(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides" / "python-pydantic" / "package"
    overrides.mkdir(parents=True)
    (overrides / "models.py.jinja").write_text(
        '{% extends "builtin/python-pydantic/package/models.py.jinja" %}\n'
        "{% block enums %}{{ super() }}\n\nCUSTOM_MARKER = 1\n{% endblock %}\n"
    )
    out = tmp_path / "out"
    args = ["generate", str(FLEX), "--style", "python-pydantic", "--output", str(out), "--package", "pkg"]
    assert main([*args, "--templates", str(tmp_path / "overrides")]) == 0
    models = (out / "pkg" / "models.py").read_text()
    assert "CUSTOM_MARKER = 1" in models
    assert "class Invoice(BaseModel):" in models, "the rest of the built-in template is kept"
    assert main(args) == 0
    assert "CUSTOM_MARKER" not in (out / "pkg" / "models.py").read_text()


def test_generated_python_is_black_stable_and_compiles(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        main(["generate", str(FLEX), "--style", "python-pydantic", "--output", str(out), "--package", "pkg"])
        == 0
    )
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for path in out.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_position_compiles(tmp_path: Path, payload: str) -> None:
    document = spec(
        {
            "M": {
                "type": "object",
                "description": payload,
                "properties": {"p": {"type": "string", "description": payload}},
            }
        }
    )
    document["info"]["description"] = payload
    out = tmp_path / "out"
    spec_path = write_spec(tmp_path / "s.yaml", document)
    assert (
        main(
            ["generate", str(spec_path), "--style", "python-pydantic", "--output", str(out), "--package", "p"]
        )
        == 0
    )
    for path in out.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")


def test_typescript_block_override_and_hostile_text_compile(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides" / "typescript-fetch" / "src"
    overrides.mkdir(parents=True)
    (overrides / "models.ts.jinja").write_text(
        '{% extends "builtin/typescript-fetch/src/models.ts.jinja" %}\n'
        "{% block models %}{{ super() }}\n\nexport const CUSTOM_MARKER = 1;\n{% endblock %}\n"
    )
    out = tmp_path / "out"
    spec_path = write_spec(tmp_path / "evil.yaml", _hostile_spec())
    args = [
        "generate",
        str(spec_path),
        "--style",
        "typescript-fetch",
        "--output",
        str(out),
        "--package",
        "evil",
    ]
    assert main([*args, "--templates", str(tmp_path / "overrides")]) == 0
    models = (out / "src" / "models.ts").read_text()
    assert "export const CUSTOM_MARKER = 1;" in models and "export interface Evil {" in models
    tsc = ROOT / "node_modules" / ".bin" / "tsc"
    result = subprocess.run(
        [str(tsc), "-p", str(out / "tsconfig.json"), "--noEmit"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    # The compiled module must not run anything planted in a comment or a string.
    result = subprocess.run(
        [str(tsc), "-p", str(out / "tsconfig.json"), "--outDir", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    (tmp_path / "dist" / "package.json").write_text('{"type": "module"}')
    probe = "globalThis.pwned = false; const m = await import(process.argv[1]); console.log(Object.keys(m).length > 0, globalThis.pwned);"
    run = subprocess.run(
        ["node", "--input-type=module", "-e", probe, (tmp_path / "dist" / "index.js").as_uri()],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "true false"


def test_a_new_style_is_a_folder_with_a_manifest(tmp_path: Path) -> None:
    style = tmp_path / "styles" / "python-summary"
    style.mkdir(parents=True)
    (style / "style.yaml").write_text(
        "language: python\nformatter: black\nfiles:\n"
        "  - {template: ops.py.jinja, path: '{package}/ops.py'}\n"
        "  - {template: _python/errors.py.jinja, path: '{package}/errors.py'}\n"
    )
    (style / "ops.py.jinja").write_text(
        '"""Operations."""\n\nOPERATIONS = [\n'
        "{% for g in pkg.groups %}{% for op in g.operations %}"
        "    ({{ op.name | py_string }}, {{ op.method | py_string }}, {{ op.path | py_string }}),\n"
        "{% endfor %}{% endfor %}]\n"
    )
    out = tmp_path / "out"
    args = ["generate", str(FLEX), "--style", "python-summary", "--output", str(out), "--package", "summary"]
    assert main([*args, "--templates", str(tmp_path / "styles")]) == 0
    namespace: dict[str, Any] = {}
    exec((out / "summary" / "ops.py").read_text(), namespace)
    assert namespace["OPERATIONS"] == [
        ("get_invoice", "GET", "/v1/invoices/{id}"),
        ("mark_invoice_uncollectible", "POST", "/v1/invoices/{id}/mark_uncollectible"),
    ]
    assert (out / "summary" / "errors.py").is_file()
