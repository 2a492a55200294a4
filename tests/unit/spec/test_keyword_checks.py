"""The fast validation route checks no less than openapi-spec-validator: the same verdict on every spec.

sdkgen checks the OpenAPI structure with jsonschema-rs first and walks the schemas itself
(keyword_checks.py) instead of running openapi-spec-validator's keyword validators. Here both routes
judge the same specs: the bad-spec corpus, the feature specs, and thousands of seeded mutations of
them aimed at what the checks look at (schema keywords, defaults, `allOf` + `required`, dialects,
tags, parameters). The reference route is openapi-spec-validator with the pure-Python jsonschema
backend, exactly as sdkgen ran it before.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import validator_for
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ParameterDuplicateError,
    UnresolvableParameterError,
)

from generator.errors import SpecError
from generator.spec import keyword_checks, validate
from generator.spec.load import Workspace
from generator.spec.ref_check import ref_errors

ROOT = Path(__file__).resolve().parents[3]
SPECS = ROOT / "tests" / "specs"
BASES = [
    ROOT / "spec" / "openapi.yaml",
    SPECS / "features.yaml",
    SPECS / "pagination.yaml",
    SPECS / "schemas" / "openapi.yaml",
]
# The reference walk's findings that sdkgen's own checks (validate._own_errors) make instead.
OWN_KINDS = (DuplicateOperationIDError, ParameterDuplicateError, UnresolvableParameterError)


def reference(path: Path) -> tuple[bool, bool, bool] | None:
    """openapi-spec-validator's verdict: (structure bad, keyword checks bad, own-kind findings), or None
    when its keyword validators crash (they do on some malformed schemas, e.g. an `allOf` that is a
    string inside a 3.1 schema, which its meta-schema check had not reached yet): no verdict then,
    and sdkgen, which used to let such a spec through, now reports what is wrong with it."""
    workspace = Workspace.open(path)
    data = workspace.root.data
    is_31 = str(data["openapi"]).startswith("3.1")
    schema = validate._openapi_schema("3.1" if is_31 else "3.0")
    if any(True for _ in validator_for(schema)(schema).iter_errors(data)):
        return True, False, False
    spec_validator = (OpenAPIV31SpecValidator if is_31 else OpenAPIV30SpecValidator)(
        data, base_uri=path.resolve().as_uri()
    )
    try:
        found = list(spec_validator.root_validator(spec_validator.schema_path))
    except Exception:
        return None
    own = [f for f in found if isinstance(f, OWN_KINDS)]
    return False, len(found) > len(own), bool(own)


def ours(path: Path) -> tuple[bool, bool, bool]:
    workspace = Workspace.open(path)
    if validate._structure_errors(workspace):
        return True, False, False
    return False, bool(validate._keyword_errors(workspace)), bool(validate._own_errors(workspace))


def assert_same_verdict(path: Path, what: str) -> tuple[bool, bool, bool] | str:
    """The verdict both gave, or why there was none to compare: "no reference" (the reference
    crashed) or "not reached"."""
    try:
        workspace = Workspace.open(path)
    except SpecError:
        return "not reached"  # not loadable: neither route is reached
    if validate._version_errors(workspace.root) or ref_errors(workspace):
        return "not reached"  # stopped before either route (broken or circular refs, not OpenAPI 3)
    expected, got = reference(path), ours(path)
    if expected is None:
        return "no reference"
    assert got[:2] == expected[:2], f"{what}: openapi-spec-validator says {expected}, sdkgen {got}"
    if expected[2]:  # what the reference finds about operations, sdkgen's own checks find too
        assert got[2], f"{what}: an operationId, parameter or path-template finding went unreported"
    return expected


def test_the_bad_corpus_and_the_feature_specs_get_the_same_verdicts() -> None:
    paths = sorted((SPECS / "bad").glob("*.*")) + BASES
    for path in paths:
        assert_same_verdict(path, path.name)


def test_the_routes_agree_on_a_bad_schema_a_bad_default_and_an_undefined_required(tmp_path: Path) -> None:
    """Sanity of the comparison itself: each of these is flagged by both routes, at its place."""
    faults = {
        "meta": {"type": "string", "pattern": "\\p{L}"},  # not a Python regex: the format check is Python's
        "default": {"type": "integer", "default": "seven"},
        "required": {"allOf": [{"properties": {"a": {}}}], "required": ["a", "b"]},
    }
    for name, schema in faults.items():
        path = _write(tmp_path / f"{name}.json", _spec("3.1.0", {"Thing": schema}))
        assert reference(path) == ours(path) == (False, True, False), name
    (diagnostic,) = validate.validate(Workspace.open(path), use_cache=False)  # an SDK can live with it
    assert diagnostic.severity == "warning"
    assert diagnostic.pointer == "/components/schemas/Thing/required"
    assert "'b'" in diagnostic.message and "'a'" not in diagnostic.message


@pytest.mark.parametrize("base", BASES, ids=lambda p: p.parent.name + "/" + p.name)
def test_seeded_mutations_get_the_same_verdicts(base: Path, tmp_path: Path) -> None:
    data = _read(base)
    schemas = list(_schema_places(data))
    rng = random.Random(f"{base.name}-1")
    outcomes: list[tuple[bool, bool, bool] | str] = []
    for index in range(100):
        mutated = copy.deepcopy(data)
        description = _mutate(mutated, schemas, rng)
        # Beside the base, so its relative refs resolve; named after it, so bases sharing a folder
        # can be mutated at the same time (pytest -n).
        target = base.parent / f".mutation-{base.stem}-{index}.json"
        try:
            _write(target, mutated)
            outcomes.append(assert_same_verdict(target, f"{base.name} with {description}"))
        finally:
            target.unlink(missing_ok=True)
    # The mutations reached every verdict, and the reference judged most of them.
    verdicts = [o[:2] for o in outcomes if isinstance(o, tuple)]
    assert {(True, False), (False, True), (False, False)} <= set(verdicts), outcomes
    assert len(verdicts) >= 75, outcomes


# --- mutations ----------------------------------------------------------------------------------

_BAD_VALUES: list[Any] = [7, "strin", None, [], {}, True, "[a-", "\\p{L}", -1, {"$ref": "#/nope"}]
_KEYWORDS = [
    "type",
    "format",
    "pattern",
    "minimum",
    "maxLength",
    "enum",
    "required",
    "properties",
    "items",
    "default",
    "nullable",
    "allOf",
    "additionalProperties",
    "discriminator",
    "$schema",
    "const",
    "examples",
    "readOnly",
]


def _schema_places(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths of mappings that look like schemas (a `type`, `properties`, `allOf`... or a `$ref`)."""
    if isinstance(data, dict):
        if {"type", "properties", "allOf", "oneOf", "anyOf", "items", "$ref", "enum"} & set(data):
            yield path
        for key, value in data.items():
            yield from _schema_places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _schema_places(value, (*path, index))


def _mutate(data: dict[str, Any], schemas: list[tuple[Any, ...]], rng: random.Random) -> str:
    kind = rng.choice(["keyword", "keyword", "default", "required", "tags", "anywhere"])
    place = rng.choice(schemas)
    schema = _at(data, place)
    if kind == "default":
        schema["default"] = rng.choice([*_BAD_VALUES, "text", 3, 2.5, {"a": 1}])
        if rng.random() < 0.3:
            schema["nullable"] = True
        return f"default {schema['default']!r} at {place}"
    if kind == "required":
        schema.setdefault("allOf", [{"properties": {"x": {"type": "string"}}}])
        schema["required"] = rng.sample(["x", "y", "id", "name"], 2)
        return f"allOf + required {schema['required']} at {place}"
    if kind == "tags":
        data["tags"] = [{"name": "a"}, {"name": rng.choice(["a", "b"])}]
        return f"tags {data['tags']}"
    if kind == "anywhere":
        parent, key = _random_leaf(data, rng)
        parent[key] = rng.choice(_BAD_VALUES)
        return f"{key!r} set to {parent[key]!r}"
    keyword = rng.choice(_KEYWORDS)
    schema[keyword] = rng.choice(_BAD_VALUES)
    return f"{keyword} = {schema[keyword]!r} at {place}"


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for token in path:
        data = data[token]
    return data


def _random_leaf(data: dict[str, Any], rng: random.Random) -> tuple[Any, Any]:
    parent: Any = data
    key: Any = rng.choice(list(data))
    while isinstance(parent[key], dict | list) and parent[key] and rng.random() < 0.85:
        parent = parent[key]
        key = rng.choice(list(parent)) if isinstance(parent, dict) else rng.randrange(len(parent))
    return parent, key


def _read(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _spec(version: str, schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def test_without_jsonschema_rs_every_check_runs_in_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    """jsonschema-rs is only an accelerator: without it the verdicts and messages are the same."""
    cases = sorted((SPECS / "bad").glob("schema_*.yaml")) + BASES
    with_rust = {path: _messages(path) for path in cases}
    monkeypatch.setattr(keyword_checks, "jsonschema_rs", None)
    validate._fast_structure.cache_clear()
    keyword_checks._meta_schema.cache_clear()
    try:
        assert validate._fast_structure("3.0") is None and keyword_checks._meta_schema(None)._fast is None
        assert {path: _messages(path) for path in cases} == with_rust
    finally:
        validate._fast_structure.cache_clear()
        keyword_checks._meta_schema.cache_clear()
    assert any(with_rust.values()) and not all(with_rust.values())


def _messages(path: Path) -> list[str]:
    try:
        validate.validate(Workspace.open(path), use_cache=False)
    except SpecError as error:
        return [str(d) for d in error.diagnostics]
    return []


def test_background_validation_gives_the_verdict_validate_gives(tmp_path: Path) -> None:
    """The checks may run in a forked child; `confirm` then raises exactly what `validate` raises, and
    returns the warnings it returns."""
    bad = _write(tmp_path / "bad.json", _spec("3.1.0", {"Thing": {"type": "strin"}}))
    with pytest.raises(SpecError) as inline:
        validate.validate(Workspace.open(bad), use_cache=False)
    verdict = validate.validate_beside(bad, use_cache=False, fork=True)
    assert verdict.pending  # it did fork
    with pytest.raises(SpecError) as background:
        verdict.confirm()
    assert [str(d) for d in background.value.diagnostics] == [str(d) for d in inline.value.diagnostics]
    livable = _write(
        tmp_path / "livable.json", _spec("3.1.0", {"Thing": {"type": "integer", "default": "7"}})
    )
    warnings = validate.validate(Workspace.open(livable), use_cache=False)
    assert [d.severity for d in warnings] == ["warning"]
    verdict = validate.validate_beside(livable, use_cache=False, fork=True)
    assert verdict.pending and [str(d) for d in verdict.confirm()] == [str(d) for d in warnings]
    good = validate.validate_beside(BASES[0], use_cache=False, fork=True)
    assert good.pending
    good.confirm()
    good.confirm()  # once reached, the verdict stands; the child is gone
    assert not good.pending
    broken = validate.validate_beside(SPECS / "bad" / "ref_missing_target.yaml", use_cache=False, fork=True)
    with pytest.raises(SpecError, match="there is no 'Nope'"):  # `$ref`s are checked in the child too
        broken.confirm()
    version = validate.validate_beside(SPECS / "bad" / "openapi_version_4.yaml", use_cache=False, fork=True)
    with pytest.raises(SpecError, match="unsupported `openapi` version"):
        version.confirm()
    unreadable = validate.validate_beside(tmp_path / "missing.yaml", use_cache=False, fork=True)
    with pytest.raises(SpecError):  # the child reads the spec itself, and says when it cannot
        unreadable.confirm()
    cancelled = validate.validate_beside(BASES[0], use_cache=False, fork=True)
    cancelled.cancel()
    assert not cancelled.pending
    cancelled.confirm()  # nothing is left to wait for


def test_a_failure_reading_the_spec_is_reported_once_with_the_child_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`generate` forks validation before it reads the spec; a spec it cannot read is its own report."""
    from generator.cli import main

    broken = tmp_path / "broken.json"
    broken.write_text('{"openapi": "3.1.0", "info": ', encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        ["generate", str(broken), "--style", "python-pydantic", "--output", str(out), "--package", "p"]
    )
    assert code == 2
    errors = capsys.readouterr().err
    assert errors.count("invalid JSON") == 1, errors
    assert not out.exists()
    with pytest.raises(ChildProcessError):  # the validating child was stopped and reaped
        os.waitpid(-1, os.WNOHANG)


def test_a_cached_verdict_holds_only_while_every_file_it_covered_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    part = tmp_path / "part.json"
    _write(part, {"Thing": {"type": "string"}})
    root = _write(tmp_path / "root.json", _spec("3.1.0", {"Thing": {"$ref": "part.json#/Thing"}}))
    validate.validate(Workspace.open(root))
    assert validate._known_warnings(Workspace.open(root)) == []
    _write(part, {"Thing": {"type": "strin"}})  # only the referenced file changes
    assert validate._known_warnings(Workspace.open(root)) is None
    with pytest.raises(SpecError, match="strin"):
        validate.validate(Workspace.open(root))
    part.unlink()
    assert validate._known_warnings(Workspace.open(root)) is None
