"""The loop from live drift to a spec fix: record through `sdkgen proxy`, `drift --suggest`, `sdkgen overlay`,
`drift` again on the same recording (nothing breaking), `sdkgen diff` old vs new (the changes, the bump)."""

from __future__ import annotations

import http.client
import io
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.drift.proxy import start_proxy
from generator.mock.server import start_mock
from generator.pipeline import load_spec

ROOT = Path(__file__).resolve().parents[3]
FLEX = ROOT / "spec" / "openapi.yaml"


def drifted_flex(folder: Path) -> Path:
    """The Flex API as it answers now: `customer` an id string, `created_at` added, a new status."""
    document = yaml.safe_load(FLEX.read_text())
    schemas = document["components"]["schemas"]
    schemas["Invoice"]["properties"]["customer"] = {"type": "string", "example": "cus_123"}
    schemas["Invoice"]["properties"]["created_at"] = {"type": "integer", "example": 1700000000}
    schemas["InvoiceStatus"]["enum"].append("disputed")
    schemas["Invoice"]["properties"]["status"] = {
        "$ref": "#/components/schemas/InvoiceStatus",
        "example": "disputed",
    }
    path = folder / "drifted.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def sdkgen(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)


def record(tmp_path: Path) -> Path:
    har = tmp_path / "traffic.har"
    with (
        start_mock(drifted_flex(tmp_path), quiet=True) as upstream,
        start_proxy(FLEX, upstream.url, record=har, out=io.StringIO(), quiet=True, sdk=False) as proxy,
    ):
        parts = urlsplit(proxy.url)
        for method, path in (
            ("GET", "/v1/invoices/inv_1"),
            ("POST", "/v1/invoices/inv_1/mark_uncollectible"),
        ):
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
            connection.request(method, path, headers={"Authorization": "Bearer sk_test_1"})
            assert connection.getresponse().read()
            connection.close()
    return har


def test_record_suggest_apply_then_no_breaking_drift_and_diff_names_the_changes(tmp_path: Path) -> None:
    har = record(tmp_path)
    fixes, fixed = tmp_path / "fixes.yaml", tmp_path / "fixed.yaml"
    before = FLEX.read_bytes()

    found = sdkgen("drift", str(FLEX), str(har), "--suggest", str(fixes), "--format", "json")
    assert found.returncode == 1, found.stderr  # the drift is breaking: customer is a string now
    rules = {f["id"] for f in json.loads(found.stdout)["findings"]}
    assert {"type-mismatch", "undocumented-field", "enum-value-not-in-spec", "sdk-parse-failure"} <= rules
    overlay = yaml.safe_load(fixes.read_text())
    assert overlay["overlay"] == "1.0.0"
    updates = {a["target"]: a.get("update") for a in overlay["actions"]}
    assert updates["$.components.schemas.Invoice.properties"] == {
        "customer": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Customer"}]},
        "created_at": {"type": "integer"},
    }
    assert updates["$.components.schemas.InvoiceStatus.enum"] == "disputed"
    assert {"target": "$.components.schemas.Invoice.properties.customer"}.items() <= next(
        a for a in overlay["actions"] if a.get("remove")
    ).items()

    applied = sdkgen("overlay", str(FLEX), str(fixes), "-o", str(fixed))
    assert applied.returncode == 0, applied.stderr
    assert FLEX.read_bytes() == before  # never modified in place
    load_spec(fixed)  # valid

    again = sdkgen("drift", str(fixed), str(har), "--format", "json")
    assert again.returncode == 0, again.stdout + again.stderr
    summary = json.loads(again.stdout)["summary"]
    assert summary["breaking"] == 0 and summary["warning"] == 0, again.stdout

    diff = sdkgen("diff", str(FLEX), str(fixed), "--format", "json")
    changes = json.loads(diff.stdout)
    text = json.dumps(changes)
    assert "customer" in text and "created_at" in text and "disputed" in text
    assert changes["semver"] == "major"  # a response field that may now be a string breaks consumers


def test_missing_required_undocumented_status_and_inline_type_are_suggested(tmp_path: Path) -> None:
    from generator.drift.command import Drift
    from generator.drift.record import Recording
    from generator.drift.suggest import Suggester
    from generator.spec.overlay import apply_overlays, load_overlay
    from tests.unit.helpers import spec, write_spec

    item = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "size": {"type": "integer"}},
    }
    operation = {
        "operationId": "getItem",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
            }
        },
    }
    path = write_spec(tmp_path / "api.yaml", spec({"Item": item}, {"/items/{id}": {"get": operation}}))
    drift = Drift(load_spec(path), sdk=False)
    recordings = [
        Recording("GET", "/items/1", 200, {"id": "1", "size": "big"}, "a.json"),
        Recording("GET", "/items/2", 202, {"queued": True}, "b.json"),
    ]
    suggester = Suggester(drift)
    for recording in recordings:
        suggester.add(recording, drift.check(recording))
    overlay_path = tmp_path / "fixes.yaml"
    overlay_path.write_text(yaml.safe_dump(suggester.overlay(), sort_keys=False))
    fixed = apply_overlays(yaml.safe_load(path.read_text()), [load_overlay(overlay_path)])
    schema = fixed["components"]["schemas"]["Item"]
    assert schema["required"] == ["id"]
    assert schema["properties"]["size"] == {"type": ["integer", "string"]}
    assert fixed["paths"]["/items/{id}"]["get"]["responses"]["202"]["content"] == {
        "application/json": {"schema": {"type": "object"}}
    }
    fixed_path = tmp_path / "fixed.yaml"
    fixed_path.write_text(yaml.safe_dump(fixed, sort_keys=False))
    again = Drift(load_spec(fixed_path), sdk=False)
    assert [f for r in recordings for f in again.check(r)] == []


def test_nothing_to_suggest_writes_no_file(tmp_path: Path) -> None:
    body = json.loads((ROOT / "spec" / "examples" / "get_invoice.json").read_text())
    recording = tmp_path / "ok.json"
    recording.write_text(
        json.dumps({"method": "GET", "path": "/v1/invoices/inv_1", "status": 200, "body": body})
    )
    fixes = tmp_path / "fixes.yaml"
    allow = str(ROOT / "spec" / "drift-allow.yaml")
    done = sdkgen("drift", str(FLEX), str(recording), "--allow", allow, "--no-sdk", "--suggest", str(fixes))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no spec edits to suggest" in done.stderr and not fixes.exists()
