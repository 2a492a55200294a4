"""Refs: a spec value together with its document and pointer, and `$ref` chains followed to their target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.errors import SpecError
from generator.spec.load import Document, Workspace, join_pointer


@dataclass(frozen=True, eq=False)
class Node:
    """A value of the spec and where it is: `$ref`s inside it resolve relative to `document`."""

    document: Document
    pointer: str
    value: Any

    @classmethod
    def root(cls, document: Document) -> Node:
        return cls(document, "", document.data)

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.document.path), self.pointer)

    def child(self, *tokens: str | int) -> Node:
        """The value under `tokens` (None where it is missing)."""
        value = self.value
        for token in tokens:
            if isinstance(value, dict):
                value = value.get(str(token))
            elif isinstance(value, list) and isinstance(token, int) and 0 <= token < len(value):
                value = value[token]
            else:
                value = None
        return Node(self.document, join_pointer(self.pointer, *tokens), value)

    def mapping(self) -> dict[str, Any]:
        return self.value if isinstance(self.value, dict) else {}


def deref(workspace: Workspace, node: Node) -> Node:
    """Follow `node`'s `$ref` chain to the value it names; a broken or circular chain is a SpecError."""
    seen: set[tuple[str, str]] = set()
    while isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str):
        ref = node.value["$ref"]
        target = workspace.resolve(ref, node.document, join_pointer(node.pointer, "$ref"))
        if target.key in seen:
            raise SpecError.at(f"circular $ref {ref!r}", node.document.locate(node.pointer))
        seen.add(target.key)
        node = Node(target.document, target.pointer, target.value)
    return node
