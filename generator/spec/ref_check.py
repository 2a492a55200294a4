"""Ref check: broken and circular `$ref`s and `allOf` cycles, each reported at the `$ref` that causes it.

Runs before openapi-spec-validator, which recurses without end on a circular `$ref` chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.errors import Diagnostic, SpecError
from generator.spec.load import Document, Workspace, join_pointer, split_pointer

MAX_ERRORS = 20
Key = tuple[str, str]  # (document path, JSON pointer)

# Mappings whose keys are names (of properties, schemas, responses, ...), not keywords.
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "paths",
        "webhooks",
        "content",
        "encoding",
        "variables",
        "mapping",
    }
)
# Keywords whose values are data, where a `$ref` key is just a key.
_DATA_KEYWORDS = frozenset({"example", "default", "enum", "const", "value"})


@dataclass(frozen=True)
class _Site:
    """A `$ref` of the spec: where it is and what it says."""

    document: Document
    pointer: str  # of the object holding the `$ref`
    ref: str

    @property
    def where(self) -> str:
        return join_pointer(self.pointer, "$ref")


@dataclass
class _Walk:
    """Every `$ref` reachable from the root, and every object with an `allOf`, in document order."""

    refs: list[_Site] = field(default_factory=list)
    all_ofs: list[tuple[Document, str, list[Any]]] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)


def ref_errors(workspace: Workspace) -> list[Diagnostic]:
    """Broken refs, circular ref chains and allOf cycles; empty when there are none."""
    walk = _walk(workspace)
    errors = walk.errors + _chain_errors(workspace, walk.refs)
    if not errors:
        errors = _all_of_cycles(workspace, walk.all_ofs)
    return errors[:MAX_ERRORS]


# Where a value is, as its parent's trail and its key: the walk meets every value of the spec (GitHub's:
# ~500,000), and spells out a JSON pointer only for the few it records.
_Trail = tuple[str, tuple[Any, ...]]  # (the pointer of a document's starting value, keys from there)
_Item = tuple[Document, Any, Any, bool]  # (document, value, trail, whether the value's keys are names)


def _pointer(trail: Any) -> str:
    tokens: list[str | int] = []
    while len(trail) == 2 and isinstance(trail[1], tuple):  # (key, parent trail) links
        key, trail = trail
        tokens.append(key)
    return join_pointer(trail[0], *reversed(tokens))


def _walk(workspace: Workspace) -> _Walk:
    walk = _Walk()
    visited: set[Key] = set()
    stack: list[_Item] = [(workspace.root, workspace.root.data, ("",), False)]
    while stack and len(walk.errors) < MAX_ERRORS:
        document, node, trail, names = stack.pop()
        if isinstance(node, list):
            stack.extend((document, v, (i, trail), False) for i, v in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        if not names and ("$ref" in node or "allOf" in node):
            _visit_keywords(workspace, walk, visited, stack, (document, node, _pointer(trail)))
        children = [
            (k, v)
            for k, v in node.items()
            if isinstance(v, dict | list)
            and (names or (k != "$ref" and k not in _DATA_KEYWORDS and not str(k).startswith("x-")))
        ]
        stack.extend((document, v, (k, trail), not names and k in _NAME_MAPS) for k, v in reversed(children))
    return walk


def _visit_keywords(
    workspace: Workspace,
    walk: _Walk,
    visited: set[Key],
    stack: list[_Item],
    place: tuple[Document, dict[str, Any], str],
) -> None:
    """Record an object's `$ref` (and walk the file it leads to) and its `allOf`."""
    document, node, pointer = place
    if isinstance(node.get("allOf"), list):
        walk.all_ofs.append((document, pointer, node["allOf"]))
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return
    site = _Site(document, pointer, ref)
    try:
        target = workspace.resolve(ref, document, site.where)
    except SpecError as exc:
        walk.errors.extend(exc.diagnostics)
        return
    walk.refs.append(site)
    # Other files are walked from where refs lead (refs inside them included); the root is walked whole.
    if target.document is not workspace.root and target.key not in visited:
        visited.add(target.key)
        stack.append((target.document, target.value, (target.pointer,), False))


def _chain_errors(workspace: Workspace, refs: list[_Site]) -> list[Diagnostic]:
    """A ref whose target is a ref whose target ... comes back: one error per cycle, at its first ref."""
    errors: list[Diagnostic] = []
    settled: set[Key] = set()  # objects whose chain was followed already
    reported: set[frozenset[Key]] = set()
    for site in refs:
        start = (str(site.document.path), site.pointer)
        chain = list(_chain(workspace, site, settled))
        keys = [start, *(key for key, _ in chain)]
        if chain and keys[-1] in keys[:-1]:
            cycle = frozenset(keys[keys.index(keys[-1]) : -1])
            if cycle not in reported:
                reported.add(cycle)
                route = " -> ".join(["#" + site.pointer, *(ref for _, ref in chain)])
                message = f"circular $ref: {route} never reaches a value"
                errors.append(Diagnostic(message, site.document.locate(site.where), "error", site.where))
        settled.update(keys)
        if len(errors) >= MAX_ERRORS:
            break
    return errors


def _chain(workspace: Workspace, site: _Site, settled: set[Key]) -> Iterator[tuple[Key, str]]:
    """The (key, ref) of each object along a `$ref` chain; stops after the first repeated key, or at a
    key whose chain was followed before (each chain is walked once, however many refs share it)."""
    seen: set[Key] = {(str(site.document.path), site.pointer)}
    document, pointer, ref = site.document, site.pointer, site.ref
    while True:
        try:
            target = workspace.resolve(ref, document, join_pointer(pointer, "$ref"))
        except SpecError:
            return  # reported by the walk
        yield target.key, ref
        value = target.value
        if target.key in seen or target.key in settled:
            return
        if not isinstance(value, dict) or not isinstance(value.get("$ref"), str):
            return
        seen.add(target.key)
        document, pointer, ref = target.document, target.pointer, value["$ref"]


def _all_of_cycles(workspace: Workspace, all_ofs: list[tuple[Document, str, list[Any]]]) -> list[Diagnostic]:
    """A schema that includes itself through `allOf` (directly or by way of others) has no shape."""
    edges: dict[Key, list[tuple[Key, Document, str]]] = {}
    for document, pointer, parts in all_ofs:
        key = (str(document.path), pointer)
        edges[key] = [
            edge
            for index, part in enumerate(parts)
            if (edge := _edge(workspace, document, pointer, index, part))
        ]
    return [_cycle_error(cycle) for cycle in _cycles(edges)][:MAX_ERRORS]


def _edge(
    workspace: Workspace, document: Document, pointer: str, index: int, part: Any
) -> tuple[Key, Document, str] | None:
    """Where `allOf[index]` leads: the schema it names (through its ref chain) or the inline part itself."""
    part_pointer = join_pointer(pointer, "allOf", index)
    if not isinstance(part, dict):
        return None
    if not isinstance(part.get("$ref"), str):
        return ((str(document.path), part_pointer), document, part_pointer)
    where = join_pointer(part_pointer, "$ref")
    node_document, node_pointer, ref = document, part_pointer, part["$ref"]
    for _ in range(100):  # circular chains were reported already; this only bounds the loop
        try:
            target = workspace.resolve(ref, node_document, join_pointer(node_pointer, "$ref"))
        except SpecError:
            return None
        value = target.value
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return (target.key, document, where)
        node_document, node_pointer, ref = target.document, target.pointer, value["$ref"]
    return None


def _cycles(edges: dict[Key, list[tuple[Key, Document, str]]]) -> Iterator[list[tuple[Key, Document, str]]]:
    """Each cycle once, as the edges that make it (iterative depth-first search)."""
    state: dict[Key, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if state.get(start):
            continue
        path: list[tuple[Key, Document, str]] = []
        stack: list[tuple[Key, Iterator[tuple[Key, Document, str]]]] = [(start, iter(edges[start]))]
        state[start] = 1
        while stack:
            key, pending = stack[-1]
            edge = next(pending, None)
            if edge is None:
                state[key] = 2
                stack.pop()
                if path:
                    path.pop()
                continue
            target = edge[0]
            if state.get(target) == 1:
                keys = [k for k, _ in stack]
                yield [*path[keys.index(target) :], edge]
            elif not state.get(target) and target in edges:
                state[target] = 1
                path.append(edge)
                stack.append((target, iter(edges[target])))


def _cycle_error(cycle: list[tuple[Key, Document, str]]) -> Diagnostic:
    names = [_name(key[1]) for key, _, _ in cycle]
    _, document, where = cycle[-1]
    route = (
        f"{names[-1]} includes " + ", which includes ".join(names)
        if len(names) > 1
        else f"{names[0]} includes itself"
    )
    return Diagnostic(f"allOf cycle: {route}", document.locate(where), "error", where)


def _name(pointer: str) -> str:
    """A schema's name for messages: its component name when it is (inside) a component."""
    tokens = split_pointer(pointer)
    if "schemas" in tokens[:-1]:
        return tokens[tokens.index("schemas") + 1]
    return tokens[-1] if tokens else "the root"
