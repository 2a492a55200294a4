"""The python-dataclasses and typescript-fetch packages: stdlib-only, type-checked, built as users build them."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATACLASSES = REPO_ROOT / "generated" / "python-dataclasses"
TYPESCRIPT = REPO_ROOT / "generated" / "typescript-fetch"
TSC = REPO_ROOT / "node_modules" / ".bin" / "tsc"
EXAMPLE = REPO_ROOT / "spec" / "examples" / "mark_invoice_uncollectible.json"


def test_dataclasses_package_works_in_an_empty_virtualenv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    script = f"""
import json, sys
sys.path.insert(0, {str(DATACLASSES)!r})
import flex_client_lite as sdk
data = json.load(open({str(EXAMPLE)!r}))
parsed = sdk.InvoiceResponse.from_dict(data)
assert isinstance(parsed.invoice.payment_intent.payment_method, sdk.PaymentMethod)
assert parsed.invoice.status == "draft" and parsed.invoice.status.is_known
print(parsed.invoice.subscription.items[0].price.product.name)
print(sorted(m.split(".")[0] for m in sys.modules if m.split(".")[0] not in sys.stdlib_module_names))
"""
    # -I: isolated mode, so nothing from the environment or the user's site can leak in.
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "<string>"
    assert set(ast.literal_eval(lines[1])) == {"__main__", "flex_client_lite"}, (
        "only the standard library is imported"
    )


def test_dataclasses_package_passes_mypy_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            "flex_client_lite",
        ],
        capture_output=True,
        text=True,
        cwd=DATACLASSES,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dataclasses_round_trip_keeps_unknowns() -> None:
    import flex_client_lite as sdk

    data = json.loads(EXAMPLE.read_text())
    data["invoice"]["surprise"] = [1, {"a": None}]
    data["invoice"]["status"] = "paid_out_of_band"
    data["invoice"]["payment_intent"]["invoice"] = None
    parsed = sdk.InvoiceResponse.from_dict(data)
    assert parsed.invoice.extra == {"surprise": [1, {"a": None}]}
    assert parsed.invoice.status == "paid_out_of_band" and not parsed.invoice.status.is_known
    out = parsed.to_dict()
    assert out["invoice"]["payment_intent"]["invoice"] is None, "an explicit null is written back"
    assert out["invoice"]["surprise"] == [1, {"a": None}]
    assert list(out["invoice"]) == list(data["invoice"]), "wire order of known fields, then unknown ones"
    with pytest.raises(sdk.DecodeError, match="missing required field 'invoice'"):
        sdk.InvoiceResponse.from_dict({})


def _tsc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TSC), *args], capture_output=True, text=True, cwd=cwd, timeout=180)


def test_typescript_user_code_type_checks_and_misuse_is_caught(tmp_path: Path) -> None:
    package = tmp_path / "flex-client"
    shutil.copytree(TYPESCRIPT, package, ignore=shutil.ignore_patterns("node_modules", "dist"))
    good = package / "src" / "usage_ok.ts"
    good.write_text(
        'import { FlexClient, APIError, InvoiceStatus, type Invoice, type PaymentMethod } from "./index.js";\n'
        "export async function main(): Promise<string | undefined> {\n"
        '  const client = new FlexClient({ apiKey: "k" });\n'
        '  const response = await client.getInvoice("inv_1", { timeoutMs: 1000 });\n'
        "  const invoice: Invoice = response.invoice;\n"
        "  const status: InvoiceStatus = invoice.status ?? InvoiceStatus.Draft;\n"
        '  const future: InvoiceStatus = "paid_out_of_band";\n'
        "  const method: string | PaymentMethod | undefined = invoice.payment_intent?.payment_method;\n"
        '  if (typeof method === "object") return method.card?.brand;\n'
        '  try { await client.markInvoiceUncollectible(invoice.invoice_id ?? ""); }\n'
        "  catch (e) { if (e instanceof APIError) return `${e.status} ${e.code ?? ''}`; }\n"
        "  return `${status} ${future}`;\n"
        "}\n"
    )
    result = _tsc("-p", "tsconfig.json", "--noEmit", cwd=package)
    assert result.returncode == 0, result.stdout
    good.unlink()
    bad = package / "src" / "usage_bad.ts"
    bad.write_text(
        'import { FlexClient } from "./index.js";\n'
        "export async function main(): Promise<number> {\n"
        "  const client = new FlexClient();\n"
        "  const response = await client.getInvoice(42);\n"
        "  return response.invoice.customer.email;\n"
        "}\n"
    )
    result = _tsc("-p", "tsconfig.json", "--noEmit", cwd=package)
    assert result.returncode != 0
    assert "usage_bad.ts(4," in result.stdout, result.stdout  # a number is not an id
    assert "usage_bad.ts(5," in result.stdout, result.stdout  # optional fields, and string is not number


@pytest.mark.slow
def test_typescript_package_builds_with_npm_ci_and_runs_under_node(tmp_path: Path) -> None:
    package = tmp_path / "flex-client"
    shutil.copytree(TYPESCRIPT, package, ignore=shutil.ignore_patterns("node_modules", "dist"))
    for command in (["npm", "ci", "--no-audit", "--no-fund"], ["npm", "run", "build"]):
        result = subprocess.run(command, capture_output=True, text=True, cwd=package, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    main = json.loads((package / "package.json").read_text())["main"]
    script = (
        f"const sdk = await import({json.dumps((package / main).as_uri())});\n"
        "const c = new sdk.FlexClient({ apiKey: 'secret_key_value' });\n"
        "console.log(typeof sdk.FlexClient, typeof sdk.APIError, sdk.InvoiceStatus.Draft, JSON.stringify(c));\n"
    )
    result = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 3)[:3] == ["function", "function", "draft"]
    assert "secret_key_value" not in result.stdout
