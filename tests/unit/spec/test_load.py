"""Unit tests for generator.spec.load: parsing, locations and $ref resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.spec.load import Workspace, join_pointer, load_document, split_pointer

YAML_TEXT = """\
openapi: 3.1.0
info:
  title: T
  version: "1"
paths:
  /a/{id}:
    get:
      responses:
        200:
          description: ok
components:
  schemas:
    Node:
      type: object
      properties:
        child:
          $ref: '#/components/schemas/Node'
        created: 2024-01-01
"""


def test_yaml_keys_are_strings_and_dates_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(YAML_TEXT)
    document = load_document(path)
    responses = document.data["paths"]["/a/{id}"]["get"]["responses"]
    assert list(responses) == ["200"]
    assert document.data["components"]["schemas"]["Node"]["properties"]["created"] == "2024-01-01"


def test_locate_gives_line_and_column_of_a_pointer(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(YAML_TEXT)
    document = load_document(path)
    location = document.locate("/components/schemas/Node/properties/child")
    assert (location.line, location.column) == (16, 9)
    location = document.locate(join_pointer("/paths", "/a/{id}", "get"))
    assert (location.line, location.column) == (7, 5)
    assert str(location).endswith("spec.yaml:7:5")


def test_locate_in_json(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text('{\n  "openapi": "3.1.0",\n  "info": {\n    "title": "T"\n  }\n}\n')
    assert load_document(path).locate("/info/title").line == 4


@pytest.mark.parametrize(
    ("name", "content", "line", "fragment"),
    [
        ("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n", 3, "invalid YAML"),
        ("bad.json", '{\n  "a": 1,\n  "b": \n}\n', 4, "invalid JSON"),
        ("dup.yaml", "a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
    ],
)
def test_syntax_errors_carry_file_and_line(
    tmp_path: Path, name: str, content: str, line: int, fragment: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(SpecError) as caught:
        load_document(path)
    diagnostic = caught.value.diagnostics[0]
    assert fragment in diagnostic.message
    assert diagnostic.location is not None
    assert diagnostic.location.line == line
    assert diagnostic.location.file.endswith(name)


def test_non_utf8_is_reported_with_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n")
    with pytest.raises(SpecError) as caught:
        load_document(path)
    diagnostic = caught.value.diagnostics[0]
    assert "not UTF-8" in diagnostic.message
    assert diagnostic.location is not None and (diagnostic.location.line, diagnostic.location.column) == (
        3,
        13,
    )


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="file not found"):
        load_document(tmp_path / "nope.yaml")


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(SpecError, match="nests more than 500 levels deep"):
        load_document(path)


def test_pointer_round_trip() -> None:
    pointer = join_pointer("/paths", "/a/{id}", "get")
    assert pointer == "/paths/~1a~1{id}/get"
    assert split_pointer(pointer) == ["paths", "/a/{id}", "get"]
    assert split_pointer("#/components/schemas/A%20B") == ["components", "schemas", "A B"]


def test_refs_resolve_locally_recursively_and_across_files(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pet.json").write_text(
        '{"Pet": {"type": "object", "properties": {"id": {"type": "string"}}}}'
    )
    root = tmp_path / "spec.yaml"
    root.write_text(YAML_TEXT + "    Pet:\n      $ref: 'schemas/pet.json#/Pet'\n")
    workspace = Workspace.open(root)
    node = workspace.resolve("#/components/schemas/Node", workspace.root, "/x")
    assert node.value["properties"]["child"]["$ref"] == "#/components/schemas/Node"
    pet = workspace.resolve("schemas/pet.json#/Pet", workspace.root, "/components/schemas/Pet")
    assert pet.value["properties"]["id"] == {"type": "string"}
    assert pet.document.path.name == "pet.json"
    assert len(workspace.documents) == 2


def test_broken_refs_name_the_place_of_the_ref(tmp_path: Path) -> None:
    root = tmp_path / "spec.yaml"
    root.write_text(YAML_TEXT)
    workspace = Workspace.open(root)
    with pytest.raises(SpecError) as caught:
        workspace.resolve(
            "#/components/schemas/Missing", workspace.root, "/components/schemas/Node/properties/child"
        )
    diagnostic = caught.value.diagnostics[0]
    assert "there is no 'Missing' in #/components/schemas" in diagnostic.message
    assert diagnostic.location is not None and diagnostic.location.line == 16
    with pytest.raises(SpecError, match=r"\$ref 'other\.yaml#/X': other\.yaml: file not found"):
        workspace.resolve("other.yaml#/X", workspace.root, "/components")
