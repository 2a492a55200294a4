"""Property tests: values generated from the schemas of real request bodies and query parameters
(a deterministic sample of Stripe's, and tests/specs/features.yaml's) are encoded by each style's
runtime (Python, TypeScript and Go) and decoded by npm `qs.parse` (as Stripe-like servers and stripe-node read them): the
decoded value equals the original, its leaves as text.

The encoders do not depend on the spec they were generated from, so the committed generated
packages' runtimes encode any spec's values with the rules `generator.model.encoding` computes
for it. Values are drawn with hypothesis (derandomized), then encoded and decoded in batches: one
`go test` run for all the Go encodings, one node run for all the TypeScript encodings and every
decoding. The same strings also check
tests/support/qs_decode.py (the scripted server's decoder) against qs itself.
"""

from __future__ import annotations

import importlib
import json
import urllib.parse
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model.encoding import parameter_style, part_encodings
from generator.model.ir import PartEncodingIR
from tests.support.bench_specs import STRIPE, bench_spec
from tests.support.go_runtime import go_package_copy, run_go_batch
from tests.support.qs_decode import qs_parse
from tests.support.ts_runtime import compile_typescript, run_batch

REPO_ROOT = Path(__file__).resolve().parents[2]
FEATURES = REPO_ROOT / "tests" / "specs" / "features.yaml"
PYTHON_RUNTIMES = ("flex_client._transport", "flex_client_lite._runtime")
FORM = "application/x-www-form-urlencoded"
MAX_DEPTH = 4


@dataclass(frozen=True)
class Case:
    """One request body or query parameter of a spec, with the rules its values are encoded by."""

    label: str
    kind: str  # "form" (a body) or "query" (one parameter)
    schema: Any
    rules: tuple[PartEncodingIR, ...] = ()  # a form body's
    name: str = ""  # a query parameter's
    style: str = "form"
    explode: bool = True
    strategy: Any = None  # hypothesis strategy of its values


class Spec:
    """A loaded spec and a resolver of its local `$ref`s."""

    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        self.data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)

    def resolve(self, value: Any) -> Any:
        seen = 0
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < 50:
            node: Any = self.data
            for key in value["$ref"].lstrip("#/").split("/"):
                node = node[key.replace("~1", "/").replace("~0", "~")]
            value, seen = node, seen + 1
        return value

    def cases(self, label: str) -> list[Case]:
        """Every form body, and every query parameter that is an object or array, of the spec."""
        found = []
        for path, item in sorted(self.data.get("paths", {}).items()):
            for method, op in sorted(item.items()):
                if not isinstance(op, dict) or method == "parameters":
                    continue
                where = f"{label} {method.upper()} {path}"
                content = (self.resolve(op.get("requestBody")) or {}).get("content") or {}
                if FORM in content and (self.resolve(content[FORM].get("schema")) or {}).get("properties"):
                    schema = content[FORM].get("schema", {})
                    rules = part_encodings("form", schema, content[FORM], self.resolve)
                    found.append(Case(where, "form", schema, tuple(rules)))
                for raw in op.get("parameters") or []:
                    found.extend(self._query_case(where, self.resolve(raw)))
        return found

    def _query_case(self, where: str, param: dict[str, Any]) -> list[Case]:
        schema = self.resolve(param.get("schema"))
        if param.get("in") != "query" or not isinstance(schema, dict):
            return []
        if not ({"object", "array"} & set(_types(schema)) or "anyOf" in schema or "properties" in schema):
            return []
        style, explode = parameter_style("query", param.get("style"), param.get("explode"))
        if style != "deepObject" and not explode:
            return []  # a delimited parameter holds scalars only: nothing nested to round-trip
        name = str(param["name"])
        return [Case(f"{where} ?{name}", "query", schema, name=name, style=style, explode=explode)]


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    return kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []


# --- values from schemas ---------------------------------------------------------------------

TEXT = st.text(alphabet="ab Z09-_.&=+%[],;é☃", min_size=0, max_size=8)
MAP_KEY = st.text(alphabet="abcxyz_", min_size=1, max_size=6)  # qs reads digit-only keys as indices


def values(spec: Spec, schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of a schema, as a caller passes them: objects, arrays and scalars (no nulls)."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict):
        return TEXT
    variants = schema.get("anyOf") or schema.get("oneOf")
    if variants:
        return st.one_of([values(spec, v, depth) for v in variants])
    if "enum" in schema:
        scalars = [v for v in schema["enum"] if isinstance(v, str | int | bool) and v is not None]
        return st.sampled_from(scalars) if scalars else TEXT
    kinds = _types(schema)
    if "object" in kinds or "properties" in schema:
        return _objects(spec, schema, depth)
    if "array" in kinds:
        if depth >= MAX_DEPTH:
            return st.just([])
        return st.lists(values(spec, schema.get("items", {}), depth + 1), max_size=3)
    if "integer" in kinds:
        return st.integers(-(10**6), 10**12)
    if "number" in kinds:
        return st.integers(-1000, 1000).map(lambda n: n + 0.25)  # the same text in Python and JS
    if "boolean" in kinds:
        return st.booleans()
    return TEXT


def _objects(spec: Spec, schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    if depth >= MAX_DEPTH:
        return st.just({})
    props = schema.get("properties") or {}
    if props:
        optional = {str(k): values(spec, v, depth + 1) for k, v in props.items()}
        return st.fixed_dictionaries({}, optional=optional)
    extra = schema.get("additionalProperties")
    inner = values(spec, extra, depth + 1) if isinstance(extra, dict) else TEXT
    return st.dictionaries(MAP_KEY, inner, max_size=3)


def collect(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` values drawn from a strategy, the same on every run."""
    drawn: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        drawn.append(data.draw(strategy))

    draw()
    return drawn[:count]


# --- what qs gives back -----------------------------------------------------------------------


def as_decoded(value: Any) -> Any:
    """A value as qs returns it: leaves as text, empty arrays and objects gone (nothing was sent)."""
    if isinstance(value, dict):
        kept = {str(k): as_decoded(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None} or None
    if isinstance(value, list):
        kept_items = [as_decoded(v) for v in value]
        return [v for v in kept_items if v is not None] or None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def expected_of(case: Case, value: Any) -> Any:
    """What qs.parse gives for a case's value; None where nothing at all is sent."""
    if case.kind == "query":
        return _expected_member(case.name, value, case.style, case.explode, top={})
    rules = {rule.name: rule for rule in case.rules}
    result: dict[str, Any] = {}
    for name, item in value.items():
        rule = rules.get(name, PartEncodingIR(name, "deepObject", True))
        _expected_member(name, item, rule.style, rule.explode, top=result)
    return result


def _expected_member(name: str, value: Any, style: str, explode: bool, top: dict[str, Any]) -> Any:
    decoded = as_decoded(value)
    if decoded is None:
        return top
    if style == "form" and explode and isinstance(value, dict):
        top.update(decoded)  # form, exploded: the properties are the names (`R=100&G=200`)
    elif style == "form" and explode and isinstance(decoded, list) and len(decoded) == 1:
        top[name] = decoded[0]  # `a=x` once: qs has no way to know it was an array
    else:
        top[name] = decoded
    return top


def sample(cases: list[Case], every: int) -> list[Case]:
    """Every `every`-th case of each kind: a fixed, spread-out sample."""
    return [c for kind in ("form", "query") for c in [c for c in cases if c.kind == kind][::every]]


def _python_encoded(module: Any, case: Case, value: Any) -> str:
    if case.kind == "form":
        rules = {
            r.name: (r.style, r.explode, r.allow_reserved, r.content_type, r.headers) for r in case.rules
        }
        return str(module.encode_form(value, rules).decode())
    pairs = module.encode_query([(case.name, value, case.style, case.explode, False)])
    return urllib.parse.urlencode([(name, text) for name, text, _ in pairs])


def _ts_call(case: Case, value: Any) -> dict[str, Any]:
    if case.kind == "form":
        rules = [
            [r.name, [r.style, r.explode, r.allow_reserved, r.content_type, [list(h) for h in r.headers]]]
            for r in case.rules
        ]
        return {"fn": "encodeForm", "args": [value, rules], "parse": True}
    return {
        "fn": "encodeQuery",
        "args": [[[case.name, value, case.style, case.explode, False]]],
        "parse": True,
    }


def _go_call(case: Case, value: Any) -> dict[str, Any]:
    if case.kind == "form":
        rules = [
            [r.name, [r.style, r.explode, r.content_type, [list(h) for h in r.headers]]] for r in case.rules
        ]
        return {"fn": "encodeForm", "args": [value, rules]}
    return {"fn": "encodeQuery", "args": [[[case.name, value, case.style, case.explode]]]}


def _go_strings(spec_values: list[tuple[Case, Any]], workdir: Path) -> list[str]:
    """The Go runtime's encoding of each value (one `go test` run); an error fails the test."""
    module = go_package_copy(REPO_ROOT / "generated" / "go-nethttp", workdir)
    answers = run_go_batch(module, [_go_call(case, value) for case, value in spec_values])
    errors = [
        (case.label, value, a) for (case, value), a in zip(spec_values, answers, strict=True) if "error" in a
    ]
    assert not errors, f"the Go runtime refused {len(errors)} values, first: {errors[0]}"
    return [str(answer["value"]) for answer in answers]


def check_round_trips(cases: list[Case], per_case: int, workdir: Path) -> int:
    """Encode every drawn value in each style, decode with qs, compare; returns the values checked."""
    spec_values = [(case, value) for case in cases for value in collect(case.strategy, per_case)]
    runtime = compile_typescript(REPO_ROOT / "generated" / "typescript-fetch", workdir)
    python_strings = [
        _python_encoded(importlib.import_module(module), case, value)
        for module in PYTHON_RUNTIMES
        for case, value in spec_values
    ]
    go_strings = _go_strings(spec_values, workdir)
    encoded = python_strings + go_strings
    calls = [_ts_call(case, value) for case, value in spec_values] + [{"qs": text} for text in encoded]
    answers = run_batch(runtime, calls)
    ts_answers, decoded = answers[: len(spec_values)], answers[len(spec_values) :]
    python_answers, go_answers = decoded[: len(python_strings)], decoded[len(python_strings) :]
    failures = []
    for index, (case, value) in enumerate(spec_values):
        expected = expected_of(case, value)
        ts = ts_answers[index]
        if ts.get("value") != expected:
            failures.append(f"typescript {case.label}: {value!r} -> {ts}")
        elif qs_parse(ts["encoded"]) != ts["value"]:
            failures.append(f"qs_decode differs from qs on {ts['encoded']!r}")
        for offset, module in enumerate(PYTHON_RUNTIMES):
            answer = python_answers[offset * len(spec_values) + index]
            if answer.get("value") != expected:
                failures.append(f"{module} {case.label}: {value!r} -> {answer}")
        if go_answers[index].get("value") != expected:
            failures.append(
                f"go-nethttp {case.label}: {value!r} -> {go_strings[index]!r} {go_answers[index]}"
            )
    assert not failures, f"{len(failures)} of {len(spec_values)} values differ:\n" + "\n".join(failures[:10])
    return len(spec_values)


def _with_strategies(spec: Spec, cases: list[Case]) -> list[Case]:
    return [replace(case, strategy=values(spec, case.schema)) for case in cases]


def test_feature_spec_values_round_trip_through_qs(tmp_path: Path) -> None:
    spec = Spec(FEATURES)
    cases = _with_strategies(spec, spec.cases("features"))
    assert {c.kind for c in cases} == {"form", "query"}
    checked = check_round_trips(cases, 40, tmp_path)
    assert checked == 40 * len(cases)


@pytest.mark.slow
def test_stripe_sample_round_trips_through_qs(tmp_path: Path) -> None:
    spec = Spec(bench_spec(STRIPE))
    every = spec.cases("stripe")
    cases = _with_strategies(spec, sample(every, 5))
    assert (
        len([c for c in cases if c.kind == "form"]) >= 30
        and len([c for c in cases if c.kind == "query"]) >= 15
    )
    check_round_trips(cases, 10, tmp_path)
