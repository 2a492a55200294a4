"""Schema features in every style: tagged and plain unions, allOf, enums, maps, recursion, external
refs, 3.1 type arrays and const, awkward names. Generated from tests/specs/schemas/openapi.yaml,
then imported, type-checked, parsed and serialised (Python) or compiled and type-checked (TypeScript).
"""

from __future__ import annotations

import copy
import importlib
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "schemas" / "openapi.yaml"
TSC = ROOT / "node_modules" / ".bin" / "tsc"

EVERYTHING: dict[str, Any] = {
    "kind": "everything",
    "pet": {"pet_type": "dog", "name": "Rex", "bark": True, "friends": [{"pet_type": "cat", "meow": False}]},
    "pets": [{"pet_type": "Lizard", "scales": 300}, {"pet_type": "cat", "name": "Tom"}],
    "shape": {"side": 2.5},
    "thing": [{"pet_type": "cat"}, "text"],
    "color": "GMT0",
    "priority": 2,
    "level": None,
    "count": None,
    "legacy_count": 4,
    "price": {"amount": 1999, "currency": "EUR"},
    "tags": {"a": "b"},
    "inventory": {"tom": {"pet_type": "cat", "meow": True}},
    "closed": {"a": "x"},
    "anything": [1, {"two": 2}],
    "free": {"x": [1, 2]},
    "tree": {"value": "root", "children": [{"value": "leaf", "children": []}]},
    "left": {"right": {"left": {"right": {}}}},
    "shipping": {"address": {"geo": {"lat": 1.5, "lng": -2.25}}},
    "id": "ev_1",
    "class": "c",
    "self": "s",
    "json": 7,
    "client": "cl",
    "Field": "F",
    "from": "f",
    "2fa": True,
    "naïve": "n",
    "model_config": "m",
    "created": "2024-01-02T03:04:05Z",
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("schemas")
    result = {}
    for style, package in (
        ("python-pydantic", "schemas_pydantic"),
        ("python-dataclasses", "schemas_lite"),
        ("typescript-fetch", "schemas-client"),
    ):
        out = root / style
        assert (
            main(["generate", str(SPEC), "--style", style, "--output", str(out), "--package", package]) == 0
        )
        result[style] = out
    return result


def _import(folder: Path, name: str) -> ModuleType:
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


@pytest.mark.parametrize(
    ("style", "package"), [("python-pydantic", "schemas_pydantic"), ("python-dataclasses", "schemas_lite")]
)
def test_python_packages_type_check(
    packages: dict[str, Path], style: str, package: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), package],
        capture_output=True,
        text=True,
        cwd=packages[style],
    )
    assert result.returncode == 0, result.stdout
    # Imports grouped and sorted as isort would (black does not look at blank lines between groups).
    ruff = Path(sys.executable).parent / "ruff"
    isort = subprocess.run(
        [str(ruff), "check", "--isolated", "--no-cache", "--select", "I", package],
        capture_output=True,
        text=True,
        cwd=packages[style],
    )
    assert isort.returncode == 0, isort.stdout


def _parse(sdk: ModuleType, data: dict[str, Any]) -> Any:
    model = sdk.Everything
    return model.model_validate(data) if hasattr(model, "model_validate") else model.from_dict(data)


@pytest.mark.parametrize("package", ["schemas_pydantic", "schemas_lite"])
def test_python_models_parse_and_round_trip(packages: dict[str, Path], package: str) -> None:
    style = "python-pydantic" if package == "schemas_pydantic" else "python-dataclasses"
    sdk = _import(packages[style], package)
    everything = _parse(sdk, EVERYTHING)
    # Tagged union: the discriminator picks the class (explicit mapping, external file, implicit name).
    assert type(everything.pet).__name__ == "Dog" and everything.pet.bark is True
    assert type(everything.pet.friends[0]).__name__ == "Cat"
    assert [type(p).__name__ for p in everything.pets] == ["Lizard", "Cat"]
    assert everything.pets[0].scales == 300
    # allOf merges the base's fields in; required ones stay required.
    assert everything.pets[1].pet_type == "cat" and everything.pets[1].name == "Tom"
    # Enums whose values collide after sanitising keep distinct members.
    color = type(everything.color)
    assert {m.name for m in color} >= {"GMT0", "GMT0_2", "A_B", "A_B_2", "VALUE", "VALUE_1_ST", "CLASS"}
    assert everything.color is color.GMT0 and color.GMT0_2.value == "gmt0"
    assert everything.priority == 2 and type(everything.priority).__name__ == "Priority"
    assert everything.level is None and everything.count is None
    # Maps of models, free-form objects, recursion, deep inline objects, external refs.
    assert type(everything.inventory["tom"]).__name__ == "Cat"
    assert everything.tree.children[0].value == "leaf"
    assert everything.left.right.left.right is not None
    assert everything.shipping.address.geo.lng == -2.25
    assert everything.price.amount == 1999
    # Awkward names become safe attributes with the wire name kept.
    assert (everything.class_, everything.field_2fa) == ("c", True)
    assert (everything.naive, everything.from_) == ("n", "f")
    # Everything goes back out exactly as it came in.
    out = everything.to_dict()
    expected = copy.deepcopy(EVERYTHING)
    if style == "python-pydantic":  # date-time is a datetime in this style; it serialises back as ISO text
        assert out.pop("created").replace("+00:00", "Z").startswith("2024-01-02T03:04:05")
        expected.pop("created")
    assert out == expected


@pytest.mark.parametrize("package", ["schemas_pydantic", "schemas_lite"])
def test_unknown_discriminator_value_is_kept(packages: dict[str, Path], package: str) -> None:
    style = "python-pydantic" if package == "schemas_pydantic" else "python-dataclasses"
    sdk = _import(packages[style], package)
    data = {"kind": "everything", "pet": {"pet_type": "hamster", "wheel": True}}
    events: list[Any] = []
    remove = sdk.on_unknown(events.append)
    try:
        parsed = _parse(sdk, data)
    finally:
        remove()
    assert parsed.pet == {"pet_type": "hamster", "wheel": True}
    assert any(e.kind == "variant" for e in events)
    assert parsed.to_dict() == data


@pytest.mark.parametrize("package", ["schemas_pydantic", "schemas_lite"])
def test_a_union_only_schema_is_exported_by_its_name(packages: dict[str, Path], package: str) -> None:
    """`Pet` (oneOf with a discriminator) and `Shape` (anyOf) are type aliases of the package root."""
    style = "python-pydantic" if package == "schemas_pydantic" else "python-dataclasses"
    sdk = _import(packages[style], package)
    assert {"Pet", "Shape"} <= set(sdk.__all__)
    if package == "schemas_pydantic":
        import pydantic

        # The alias keeps the discriminator: validating a Pet picks the class the tag names.
        pets = pydantic.TypeAdapter(list[sdk.Pet]).validate_python(
            [{"pet_type": "dog", "name": "Rex", "bark": True}, {"pet_type": "Lizard", "scales": 3}]
        )
        assert [type(p) for p in pets] == [sdk.Dog, sdk.Lizard]
    else:
        assert set(typing.get_args(sdk.Pet)) == {sdk.Cat, sdk.Dog, sdk.Lizard}
    assert len(typing.get_args(sdk.Shape)) == 2


def test_typescript_compiles_and_types_are_usable(packages: dict[str, Path], tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(packages["typescript-fetch"], package)
    (package / "src" / "usage.ts").write_text(
        'import { type Everything, type Pet, type Shape, Color } from "./index.js";\n'
        'export const pets: Pet[] = [{ pet_type: "cat", meow: true }];\n'
        "export const shape: Shape = { side: 2 };\n"
        "export function describe(e: Everything): string {\n"
        '  const pet: Everything["pet"] = e.pet;\n'
        "  const color: Color = e.color ?? Color.Gmt0;\n"
        "  const n: number | null | undefined = e.count;\n"
        '  return `${pet?.pet_type ?? ""} ${color} ${n ?? 0} ${e["2fa"] ?? false} ${e.tree?.children?.[0]?.value ?? ""}`;\n'
        "}\n"
    )
    result = subprocess.run([str(TSC), "-p", str(package), "--noEmit"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("package", ["schemas_pydantic", "schemas_lite"])
def test_read_only_and_write_only_fields_are_not_required(packages: dict[str, Path], package: str) -> None:
    style = "python-pydantic" if package == "schemas_pydantic" else "python-dataclasses"
    sdk = _import(packages[style], package)
    request = sdk.Account(email="a@example.com", password="secret")  # no id: the server assigns it
    assert request.to_dict() == {"email": "a@example.com", "password": "secret"}
    response = sdk.Account.from_dict({"id": "acc_1", "email": "a@example.com"})  # no password comes back
    assert response.id == "acc_1" and response.password is None
    with pytest.raises(Exception):  # noqa: B017 - pydantic's ValidationError or the runtime's DecodeError
        sdk.Account.from_dict({"id": "acc_1"})  # email stays required
